#pragma once
// A uniform pick among `count` items from one uniform draw: the candidate firms of B2B cooperation
// (b2b_cooperation.cpp) and the buyers of B2B trade (b2b_trade.cpp) are drawn the same way.
#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace policysim {

// floor(u * count), capped at count - 1, for a uniform u in (0, 1] and count >= 1. The product is
// >= 0, where the truncating conversion is the floor, so std::floor is not needed (GCC emulates it
// in a dozen instructions without SSE4.1's roundsd, on every candidate); the cap keeps u = 1 inside.
// Converted through a signed 64-bit integer (the product is below 2^63): the conversion to an
// unsigned one is a compare and a branch more on x86-64.
inline std::size_t pick_index(double u, std::size_t count) {
  return std::min<std::size_t>(count - 1, static_cast<std::size_t>(static_cast<std::int64_t>(u * static_cast<double>(count))));
}

}  // namespace policysim
