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

// A Column (DefaultInitAllocator) behaves as a vector where values are given: filled, pushed and
// inserted elements keep their values; resizing keeps the elements it had. Only elements that
// resize() adds are left unwritten, and every user writes them next.
TEST_CASE("Column: values given are kept, as in a std::vector", "[model]") {
  Column<double> column(4, 2.5);
  column.push_back(3.0);
  column.insert(column.begin(), 1.0);
  CHECK(std::vector<double>(column.begin(), column.end()) == std::vector<double>{1.0, 2.5, 2.5, 2.5, 2.5, 3.0});
  resize_for_overwrite(column, 100000);  // past the capacity: a new block, the old values let go
  CHECK(column.size() == 100000);
  for (std::size_t k = 0; k < column.size(); ++k) column[k] = static_cast<double>(k);
  column.resize(3);
  column.resize(5);  // within the capacity: the first three are kept
  CHECK(column[0] == 0.0);
  CHECK(column[2] == 2.0);
  Column<std::uint32_t> copied = {7, 8, 9};
  Column<std::uint32_t> other = copied;
  CHECK(other == copied);
}

TEST_CASE("resize_keeping keeps the elements it can, growing past the capacity with room to double", "[model]") {
  Column<std::uint32_t> column;
  for (std::uint32_t k = 0; k < 100; ++k) column.push_back(k * 7);
  const std::size_t capacity = column.capacity();
  resize_keeping(column, capacity + 1);  // past the capacity: moved, kept
  CHECK(column.size() == capacity + 1);
  CHECK(column.capacity() >= 2 * capacity);
  bool kept = true;
  for (std::uint32_t k = 0; k < 100; ++k) kept = kept && column[k] == k * 7;
  CHECK(kept);
  const std::uint32_t* const block = column.data();
  resize_keeping(column, 50);  // shrinking: the same block, the first 50 kept
  CHECK(column.data() == block);
  CHECK(column.size() == 50);
  CHECK(column[49] == 49 * 7);
}
