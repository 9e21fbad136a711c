#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "sim/model/stream_copy.hpp"

using namespace policysim;

namespace {

// Copies `count` numbers into a destination `shift` elements into a zeroed column, and checks the
// copy and that nothing around it was written: every alignment of the destination against the
// 16-byte streaming stores, and counts shorter and longer than one store.
template <typename T>
bool copies_exactly(std::size_t shift, std::size_t count) {
  std::vector<T> from(count), to(count + 40, T{0});
  for (std::size_t k = 0; k < count; ++k) from[k] = static_cast<T>(k * 3 + 1);
  stream_copy(from.data(), count, to.data() + shift);
  for (std::size_t k = 0; k < to.size(); ++k) {
    const bool inside = k >= shift && k < shift + count;
    if (to[k] != (inside ? from[k - shift] : T{0})) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("stream_copy copies exactly what std::copy_n does, at any alignment", "[model]") {
  for (std::size_t shift = 0; shift < 8; ++shift)
    for (std::size_t count : {0, 1, 2, 3, 4, 5, 7, 8, 9, 31, 33, 1000}) {
      CAPTURE(shift, count);
      CHECK(copies_exactly<std::uint32_t>(shift, count));
      CHECK(copies_exactly<double>(shift, count));
      CHECK(copies_exactly<std::uint64_t>(shift, count));
    }
}
