#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "sim/model/resize_for_overwrite.hpp"

using namespace policysim;

// The recycled B2B columns: the asked size, room to double when they grow (so a network that grows
// a little each step rarely reallocates), and no reallocation while the capacity suffices.
TEST_CASE("resize_for_overwrite: the size asked, doubling room, no reallocation within capacity", "[model]") {
  std::vector<std::uint32_t> column(1000, 7);
  const std::size_t capacity = column.capacity();
  resize_for_overwrite(column, capacity + 1);  // past the capacity: a new block, room to double
  CHECK(column.size() == capacity + 1);
  CHECK(column.capacity() >= 2 * capacity);
  const std::uint32_t* const block = column.data();
  resize_for_overwrite(column, 10);  // shrinking keeps the block
  CHECK(column.size() == 10);
  CHECK(column.data() == block);
  resize_for_overwrite(column, 2 * capacity);  // within the capacity: the same block
  CHECK(column.size() == 2 * capacity);
  CHECK(column.data() == block);
  std::vector<double> empty;
  resize_for_overwrite(empty, 5);
  CHECK(empty.size() == 5);
}
