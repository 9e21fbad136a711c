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

FirmNetwork::FirmNetwork(std::size_t firm_count, FirmTies ties) : ties_(std::move(ties)), offsets_(firm_count + 1, 0) {
  // Counting sort into CSR: O(firms + ties), no per-element inserts.
  for (std::size_t e = 0; e < ties_.count(); ++e) {
    ++offsets_[ties_.a[e] + 1];
    ++offsets_[ties_.b[e] + 1];
  }
  for (std::size_t f = 0; f < firm_count; ++f) offsets_[f + 1] += offsets_[f];
  neighbours_.resize(offsets_.back());
  std::vector<std::size_t> cursor(offsets_.begin(), offsets_.end() - 1);
  // Ties are sorted by (a, b): a's neighbours arrive in increasing b. b's neighbours arrive in
  // increasing a as well, since for a fixed b the ties (a, b) appear in increasing a.
  for (std::size_t e = 0; e < ties_.count(); ++e) {
    neighbours_[cursor[ties_.a[e]]++] = ties_.b[e];
    neighbours_[cursor[ties_.b[e]]++] = ties_.a[e];
  }
  // A firm's list mixes neighbours above it (from (f, b)) and below it (from (a, f)), each
  // group sorted; sort each list to merge them.
  for (std::size_t f = 0; f < firm_count; ++f)
    std::sort(neighbours_.begin() + static_cast<long>(offsets_[f]), neighbours_.begin() + static_cast<long>(offsets_[f + 1]));
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
