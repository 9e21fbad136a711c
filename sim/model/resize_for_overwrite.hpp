#pragma once
// Resizing the recycled columns of the B2B layer (sim/model/firms.cpp, sim/dynamics/firms/
// b2b_cooperation.cpp), whose contents are about to be overwritten.
#include <algorithm>
#include <cstddef>
#include <vector>

namespace policysim {

// Resizes `v` to `n` elements whose values do not matter (every one is written next). When it must
// grow past its capacity the old block is let go first, not copied: std::vector::resize would copy
// the old elements across and hold both blocks at once, the peak of a big run (8 bytes a tie more
// for the weights). The new block has room to double, as the vector's own growth would give: a
// network that grows a little each step reallocates rarely.
template <typename T>
void resize_for_overwrite(std::vector<T>& v, std::size_t n) {
  if (n > v.capacity()) {
    const std::size_t room = std::max(n, 2 * v.capacity());
    std::vector<T>().swap(v);
    v.reserve(room);
  }
  v.resize(n);
}

}  // namespace policysim
