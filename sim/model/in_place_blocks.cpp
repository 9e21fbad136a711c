#include "sim/model/in_place_blocks.hpp"

#include <algorithm>
#include <deque>
#include <stdexcept>
#include <string>

namespace policysim {

BlockRange sources_under(std::span<const std::size_t> source, std::span<const std::size_t> destination, std::size_t k) {
  const std::size_t blocks = source.size() - 1;
  const std::size_t from = destination[k], to = destination[k + 1];
  if (from >= to || from >= source.back()) return {};
  // The block whose source holds position `from`, up to the first whose source starts at `to` or after.
  const auto first = static_cast<std::size_t>(std::upper_bound(source.begin(), source.end(), from) - source.begin()) - 1;
  const auto last = static_cast<std::size_t>(std::lower_bound(source.begin(), source.end(), to) - source.begin());
  return {first, std::min(last, blocks)};
}

std::vector<std::size_t> in_place_order(std::span<const std::size_t> source, std::span<const std::size_t> destination) {
  const auto check = [](std::span<const std::size_t> bounds, const char* what) {
    if (bounds.empty() || bounds.front() != 0 || !std::is_sorted(bounds.begin(), bounds.end()))
      throw std::logic_error(std::string("in_place_order: the ") + what + " boundaries must rise from 0");
  };
  check(source, "source");
  check(destination, "destination");
  if (source.size() != destination.size())
    throw std::logic_error("in_place_order: as many source as destination boundaries expected");
  const std::size_t blocks = source.size() - 1;
  // Kahn's algorithm: a block is ready once every block under its destination is placed before it.
  std::vector<std::size_t> waiting_for(blocks, 0);
  std::vector<std::vector<std::size_t>> waited_by(blocks);
  for (std::size_t k = 0; k < blocks; ++k) {
    const BlockRange under = sources_under(source, destination, k);
    for (std::size_t j = under.first; j < under.last; ++j)
      if (j != k && source[j] < source[j + 1]) {
        ++waiting_for[k];
        waited_by[j].push_back(k);
      }
  }
  std::deque<std::size_t> ready;
  for (std::size_t k = 0; k < blocks; ++k)
    if (waiting_for[k] == 0) ready.push_back(k);
  std::vector<std::size_t> order;
  order.reserve(blocks);
  while (!ready.empty()) {
    const std::size_t k = ready.front();
    ready.pop_front();
    order.push_back(k);
    for (const std::size_t later : waited_by[k])
      if (--waiting_for[later] == 0) ready.push_back(later);
  }
  // Never for boundaries as above (docs/performance.md, ninth round); a guard against a wrong caller.
  if (order.size() != blocks) throw std::logic_error("in_place_order: the blocks wait for each other in a circle");
  return order;
}

}  // namespace policysim
