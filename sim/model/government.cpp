#include "sim/model/government.hpp"

namespace policysim {

std::string_view name_of(AgentKind kind) {
  return kind == AgentKind::Country ? "country" : "organisation";
}

std::optional<GovernmentAttributeId> government_attribute_from_name(std::string_view name) {
  for (std::size_t k = 0; k < kGovernmentAttributeCount; ++k)
    if (kGovernmentAttributes[k].name == name) return static_cast<GovernmentAttributeId>(k);
  return std::nullopt;
}

GovernmentAttributeValues default_government_attributes() {
  GovernmentAttributeValues values{};
  for (std::size_t k = 0; k < kGovernmentAttributeCount; ++k) values[k] = kGovernmentAttributes[k].default_value;
  return values;
}

std::uint32_t stable_id_of(std::string_view code) {
  std::uint32_t hash = 2166136261u;
  for (unsigned char c : code) {
    hash ^= c;
    hash *= 16777619u;
  }
  return hash;
}

}  // namespace policysim
