#include "sim/model/pair_attributes.hpp"

namespace policysim {

std::optional<PairAttributeId> pair_attribute_from_name(std::string_view name) {
  for (std::size_t k = 0; k < kPairAttributeCount; ++k)
    if (kPairAttributes[k].name == name) return static_cast<PairAttributeId>(k);
  return std::nullopt;
}

PairAttributeValues default_pair_attributes(std::size_t n) {
  PairAttributeValues values;
  const auto size = static_cast<Eigen::Index>(n);
  for (std::size_t k = 0; k < kPairAttributeCount; ++k)
    values[k] = TieMatrix::Constant(size, size, kPairAttributes[k].default_value);
  return values;
}

}  // namespace policysim
