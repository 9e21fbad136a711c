#pragma once
// A tie list with a gap between its two runs, as the B2B update leaves it on two threads
// (FirmTies::split, gap; sim/dynamics/firms/b2b_tie_update.cpp), made from a list without one.
#include <cstddef>
#include <cstdint>
#include <limits>

#include "sim/model/firms.hpp"

namespace policysim::testing {

// `ties` with `gap` places of junk (ids past every firm, NaN weights: never to be read) inserted
// before rank `split`.
inline FirmTies with_gap(const FirmTies& ties, std::size_t split, std::size_t gap) {
  FirmTies gapped;
  for (std::size_t rank = 0; rank <= ties.count(); ++rank) {
    if (rank == split)
      for (std::size_t k = 0; k < gap; ++k) {
        gapped.a.push_back(0xfffffff0u);
        gapped.b.push_back(0xfffffff1u);
        gapped.weight.push_back(std::numeric_limits<double>::quiet_NaN());
      }
    if (rank == ties.count()) break;
    gapped.a.push_back(ties.a[rank]);
    gapped.b.push_back(ties.b[rank]);
    gapped.weight.push_back(ties.weight[rank]);
  }
  gapped.split = split;
  gapped.gap = gap;
  return gapped;
}

}  // namespace policysim::testing
