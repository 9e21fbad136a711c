#include "sim/model/firms.hpp"

#include <algorithm>
#include <array>

namespace policysim {

namespace {
constexpr std::array<std::string_view, kSectorCount> kSectorNames = {"cyber_security", "ict", "manufacturing",
                                                                     "automotive", "finance"};
}

std::string_view name_of(Sector sector) { return kSectorNames[static_cast<std::size_t>(sector)]; }

std::optional<Sector> sector_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kSectorCount; ++i)
    if (kSectorNames[i] == name) return static_cast<Sector>(i);
  return std::nullopt;
}

FirmNetwork::FirmNetwork(std::size_t firm_count, FirmTies ties) : ties_(std::move(ties)) { build_index(firm_count); }

FirmNetwork::FirmNetwork(std::size_t firm_count, FirmTies ties, Buffers spare)
    : ties_(std::move(ties)), offsets_(std::move(spare.offsets)), neighbours_(std::move(spare.neighbours)) {
  build_index(firm_count);
}

FirmNetwork::Buffers FirmNetwork::release() && {
  Buffers buffers{std::move(ties_), std::move(offsets_), std::move(neighbours_)};
  ties_ = {};
  offsets_.clear();
  neighbours_.clear();
  return buffers;
}

void FirmNetwork::build_index(std::size_t firm_count) {
  // Counting sort into CSR: O(firms + ties), no per-element inserts.
  offsets_.assign(firm_count + 1, 0);
  for (std::size_t e = 0; e < ties_.count(); ++e) {
    ++offsets_[ties_.a[e] + 1];
    ++offsets_[ties_.b[e] + 1];
  }
  for (std::size_t f = 0; f < firm_count; ++f) offsets_[f + 1] += offsets_[f];
  neighbours_.resize(offsets_.back());
  // Ties are sorted by (a, b), so every list comes out sorted without a sort: firm f's neighbours
  // below it come from the ties (a, f), a < f, which all precede the ties (f, b) (sorted by a
  // first), and arrive in increasing a; its neighbours above it then arrive in increasing b. The
  // cursors run in offsets_ itself (each ends at the next list's start) and are shifted back after.
  for (std::size_t e = 0; e < ties_.count(); ++e) {
    neighbours_[offsets_[ties_.a[e]]++] = ties_.b[e];
    neighbours_[offsets_[ties_.b[e]]++] = ties_.a[e];
  }
  for (std::size_t f = firm_count; f > 0; --f) offsets_[f] = offsets_[f - 1];
  offsets_[0] = 0;
}

std::span<const std::uint32_t> FirmNetwork::neighbours(std::uint32_t firm) const {
  return {neighbours_.data() + offsets_[firm], neighbours_.data() + offsets_[firm + 1]};
}

bool FirmNetwork::linked(std::uint32_t i, std::uint32_t j) const {
  const auto list = neighbours(i);
  return std::binary_search(list.begin(), list.end(), j);
}

double FirmNetwork::weight(std::uint32_t i, std::uint32_t j) const {
  const std::uint32_t low = std::min(i, j), high = std::max(i, j);
  std::size_t first = 0, last = ties_.count();  // search the (a, b)-sorted edge list
  while (first < last) {
    const std::size_t middle = first + (last - first) / 2;
    if (ties_.a[middle] < low || (ties_.a[middle] == low && ties_.b[middle] < high)) first = middle + 1;
    else last = middle;
  }
  return first < ties_.count() && ties_.a[first] == low && ties_.b[first] == high ? ties_.weight[first] : 0.0;
}

}  // namespace policysim
