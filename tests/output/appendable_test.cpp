// Appendable's long appends: whole chunks shuffled and deflated by policysim in parallel and written
// with H5Dwrite_chunk must read back exactly, through HDF5's own filters, and be stored as HDF5 would
// have stored them (ChunkDeflate::Standard), or compressed about as well (ChunkDeflate::RunLength).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <hdf5.h>
#include <omp.h>
#include <zlib.h>

#include "sim/output/appendable.hpp"
#include "sim/output/hdf5_handle.hpp"
#include "sim/output/hdf5_write.hpp"
#include "tests/support/fresh_file.hpp"

using namespace policysim;
namespace fs = std::filesystem;

namespace {

fs::path fresh_file(const std::string& name) { return testing::fresh_file("output/appendable", name); }

template <typename T>
std::vector<T> read_all(hid_t file, const char* name, hid_t memory_type) {
  const hdf5::Dataset dataset(H5Dopen2(file, name, H5P_DEFAULT));
  const hdf5::Dataspace space(H5Dget_space(dataset.get()));
  std::vector<T> values(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get())));
  REQUIRE(H5Dread(dataset.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >= 0);
  return values;
}

hsize_t storage_of(hid_t file, const char* name) {
  const hdf5::Dataset dataset(H5Dopen2(file, name, H5P_DEFAULT));
  return H5Dget_storage_size(dataset.get());
}

// The ids, weights and random 64-bit words of `rows` rows (a fixed sequence).
struct Columns {
  std::vector<std::uint32_t> ids;
  std::vector<double> weights;
  std::vector<std::int64_t> words;
};
Columns columns(std::size_t rows) {
  Columns c;
  std::uint64_t state = 12345;
  for (std::size_t r = 0; r < rows; ++r) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    c.ids.push_back(static_cast<std::uint32_t>(r / 7));                      // sorted, compressible
    c.weights.push_back(0.2 + 0.8 * static_cast<double>(state >> 11) / 9007199254740992.0);
    c.words.push_back(static_cast<std::int64_t>(state ^ (state >> 29)));     // incompressible bytes
  }
  return c;
}

// Writes the columns in appends of the given sizes (in order, covering every row).
void write(const fs::path& path, const Columns& c, const std::vector<std::size_t>& appends,
           hdf5_write::ChunkDeflate deflate = hdf5_write::ChunkDeflate::Standard) {
  const hdf5::File file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
  hdf5_write::Appendable ids(file.get(), "ids", "1", "ids", H5T_STD_I64LE, {}, 65536, deflate);
  hdf5_write::Appendable weights(file.get(), "weights", "1", "weights", H5T_IEEE_F64LE, {}, 65536, deflate);
  hdf5_write::Appendable words(file.get(), "words", "1", "words", H5T_STD_I64LE, {}, 65536, deflate);
  std::size_t first = 0;
  for (std::size_t count : appends) {
    ids.append_rows(H5T_NATIVE_UINT32, c.ids.data() + first, count);
    weights.append_rows(H5T_NATIVE_DOUBLE, c.weights.data() + first, count);
    words.append_rows(H5T_NATIVE_INT64, c.words.data() + first, count);
    first += count;
  }
}

// The columns written twice with `deflate`: in a long append (1,000 rows through H5Dwrite, then
// 100,003 rows that start mid-chunk, hold 11 whole chunks of 8,192 rows and end mid-chunk, then 5
// more rows into that last chunk), and in appends too short for whole-chunk writes, where HDF5
// filters every chunk itself. Both files opened for reading.
struct LongAndShort {
  hdf5::File long_appends, short_appends;
};
LongAndShort write_long_and_short(const std::string& name, const Columns& c, hdf5_write::ChunkDeflate deflate) {
  const fs::path direct = fresh_file(name + "_direct.h5"), plain = fresh_file(name + "_plain.h5");
  write(direct, c, {1000, 100003, 5}, deflate);
  std::vector<std::size_t> short_appends;
  for (std::size_t left = c.ids.size(); left > 0; left -= std::min<std::size_t>(left, 5000))
    short_appends.push_back(std::min<std::size_t>(left, 5000));  // under a chunk's 8,192 rows
  write(plain, c, short_appends, deflate);
  return {hdf5::File(H5Fopen(direct.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT)),
          hdf5::File(H5Fopen(plain.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT))};
}

// Every value of the three columns read back through HDF5's filters.
void check_reads_back(hid_t file, const Columns& c) {
  const auto ids = read_all<std::int64_t>(file, "ids", H5T_NATIVE_INT64);
  REQUIRE(ids.size() == c.ids.size());
  for (std::size_t r = 0; r < ids.size(); ++r) REQUIRE(ids[r] == static_cast<std::int64_t>(c.ids[r]));
  CHECK(read_all<double>(file, "weights", H5T_NATIVE_DOUBLE) == c.weights);
  CHECK(read_all<std::int64_t>(file, "words", H5T_NATIVE_INT64) == c.words);
}

// The stored size of the chunk at row `offset` of dataset `name`, and its filter mask (0: every
// filter applied).
std::pair<hsize_t, std::uint32_t> stored_chunk(hid_t file, const char* name, hsize_t offset) {
  const hdf5::Dataset dataset(H5Dopen2(file, name, H5P_DEFAULT));
  hsize_t bytes = 0;
  std::uint32_t mask = 1;
  REQUIRE(H5Dget_chunk_storage_size(dataset.get(), &offset, &bytes) >= 0);
  std::vector<unsigned char> raw(bytes);
  REQUIRE(H5Dread_chunk(dataset.get(), H5P_DEFAULT, &offset, &mask, raw.data()) >= 0);
  return {bytes, mask};
}

// `values` appended at once to the int64 column `name` of a new file `file_name` (chunks of up to
// 64 Ki rows, deflated by `mode`), the file then opened again to be read.
hdf5::File written_in_one_append(const std::string& file_name, const char* name, const std::vector<std::int64_t>& values,
                                 hdf5_write::ChunkDeflate mode) {
  const fs::path path = fresh_file(file_name);
  {
    const hdf5::File file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
    hdf5_write::Appendable column(file.get(), name, "1", name, H5T_STD_I64LE, {}, 65536, mode);
    column.append_rows(H5T_NATIVE_INT64, values.data(), values.size());
  }
  return hdf5::File(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
}

// The rows a two-axis dataset holds in the file (its extent along the first axis).
hsize_t rows_written(const hdf5_write::Appendable& dataset) {
  const hdf5::Dataspace space(H5Dget_space(dataset.id()));
  hsize_t dims[2] = {0, 0};
  H5Sget_simple_extent_dims(space.get(), dims, nullptr);
  return dims[0];
}

// Every chunk of the int64 column `name` (chunks of `chunk_rows`) read raw: every filter applied
// (mask 0), at most `most_bytes` stored, and one zlib stream that zlib's own inflate (and its
// Adler-32 check) turns back into exactly the shuffled rows of `values` (zeros past the last row,
// as HDF5 pads a chunk at the dataset's edge).
void check_chunks_inflate(hid_t file, const char* name, const std::vector<std::int64_t>& values, std::size_t chunk_rows,
                          std::size_t most_bytes) {
  const hdf5::Dataset dataset(H5Dopen2(file, name, H5P_DEFAULT));
  for (std::size_t chunk = 0; chunk * chunk_rows < values.size(); ++chunk) {
    CAPTURE(chunk);
    hsize_t offset = chunk * chunk_rows, bytes = 0;
    std::uint32_t mask = 1;
    REQUIRE(H5Dget_chunk_storage_size(dataset.get(), &offset, &bytes) >= 0);
    std::vector<unsigned char> raw(bytes);
    REQUIRE(H5Dread_chunk(dataset.get(), H5P_DEFAULT, &offset, &mask, raw.data()) >= 0);
    CHECK(mask == 0);
    CHECK(bytes < most_bytes);
    std::vector<unsigned char> inflated(8 * chunk_rows + 1);
    uLongf inflated_bytes = static_cast<uLongf>(inflated.size());
    REQUIRE(uncompress(inflated.data(), &inflated_bytes, raw.data(), static_cast<uLong>(bytes)) == Z_OK);
    REQUIRE(inflated_bytes == 8 * chunk_rows);
    std::size_t wrong = 0;
    for (std::size_t k = 0; k < 8; ++k)
      for (std::size_t r = 0; r < chunk_rows; ++r) {
        const std::size_t row = chunk * chunk_rows + r;
        const auto value = row < values.size() ? static_cast<std::uint64_t>(values[row]) : 0;
        wrong += inflated[k * chunk_rows + r] != static_cast<unsigned char>(value >> (8 * k));
      }
    CHECK(wrong == 0);
  }
}

}  // namespace

TEST_CASE("long appends written chunk by chunk read back exactly and are stored as HDF5 stores them", "[output]") {
  const Columns c = columns(1000 + 100003 + 5);
  const LongAndShort files = write_long_and_short("standard", c, hdf5_write::ChunkDeflate::Standard);
  const hid_t a = files.long_appends.get(), b = files.short_appends.get();
  check_reads_back(a, c);
  // Deflated with the same level and shuffle as HDF5's filters: the same bytes on disk.
  for (const char* name : {"ids", "weights", "words"}) {
    INFO(name);
    CHECK(storage_of(a, name) == storage_of(b, name));
  }
  // Every filter applied to every chunk (mask 0), random words too (deflate keeps them, a little
  // larger, as HDF5 does). Row 8,192: the first whole chunk of the long append.
  const auto [word_bytes, word_mask] = stored_chunk(a, "words", 8192);
  CHECK(word_mask == 0);
  CHECK(word_bytes > 8192 * 8);
  const auto [id_bytes, id_mask] = stored_chunk(a, "ids", 8192);
  CHECK(id_mask == 0);
  CHECK(id_bytes < 8192 * 8 / 4);
}

TEST_CASE("long appends deflated run-length read back exactly, filtered and compressed", "[output]") {
  const Columns c = columns(1000 + 100003 + 5);
  // The short appends: HDF5's own filter (default strategy) for every chunk.
  const LongAndShort files = write_long_and_short("run_length", c, hdf5_write::ChunkDeflate::RunLength);
  const hid_t a = files.long_appends.get(), b = files.short_appends.get();
  check_reads_back(a, c);
  // Other bytes than HDF5's filter stores (else the strategy was not applied), the weights (random
  // mantissas: the bulk of an edge list) no larger, the incompressible words within a few bytes a
  // chunk of it, the sorted ids still compressed more than twentyfold (in runs of 7, shorter than an
  // edge list's, where the default strategy's longer matches do better).
  CHECK(storage_of(a, "weights") < storage_of(b, "weights"));
  CHECK(storage_of(a, "words") <= storage_of(b, "words") + 64 * 14);
  CHECK(storage_of(a, "ids") < c.ids.size() * 8 / 20);
  const auto [weight_bytes, weight_mask] = stored_chunk(a, "weights", 8192);  // a whole chunk of the long append
  CHECK(weight_mask == 0);
  CHECK(weight_bytes < 8192 * 8);
}

// A row-number scale (a log table's index) in whole chunks with ChunkDeflate::Counter: every
// number back through HDF5's filters, every filter applied, and smaller than HDF5's own filter
// makes it (zlib's default strategy for every plane) or than Z_RLE for every plane (which cannot
// shorten the low byte, 0 to 255 over and over).
TEST_CASE("a counter deflated plane by plane reads back exactly and is stored smaller, made or handed over", "[output]") {
  const std::size_t rows = 1000 + 100003 + 5;
  std::vector<std::int64_t> counter(rows);
  for (std::size_t r = 0; r < rows; ++r) counter[r] = static_cast<std::int64_t>(r);
  hsize_t stored[3] = {};
  const hdf5_write::ChunkDeflate modes[3] = {hdf5_write::ChunkDeflate::Counter, hdf5_write::ChunkDeflate::Standard,
                                             hdf5_write::ChunkDeflate::RunLength};
  for (int m = 0; m < 3; ++m) {
    CAPTURE(m);
    const fs::path path = fresh_file("counter_" + std::to_string(m) + ".h5");
    {
      const hdf5::File file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
      hdf5_write::Appendable rows_scale(file.get(), "row", "1", "row", H5T_STD_I64LE, {}, 65536, modes[m]);
      std::size_t first = 0;
      for (const std::size_t count : {std::size_t{1000}, std::size_t{100003}, std::size_t{5}}) {
        rows_scale.append_rows(H5T_NATIVE_INT64, counter.data() + first, count);
        first += count;
      }
    }
    const hdf5::File file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
    CHECK(read_all<std::int64_t>(file.get(), "row", H5T_NATIVE_INT64) == counter);
    CHECK(stored_chunk(file.get(), "row", 8192).second == 0);
    stored[m] = storage_of(file.get(), "row");
  }
  CHECK(stored[0] < stored[1]);
  CHECK(stored[0] * 4 < stored[2]);

  // The same numbers made by append_counter as it writes (a log table's index): read back the
  // same, stored in the same bytes as the numbers handed over.
  const fs::path path = fresh_file("counter_made.h5");
  {
    const hdf5::File file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
    hdf5_write::Appendable rows_scale(file.get(), "row", "1", "row", H5T_STD_I64LE, {}, 65536,
                                      hdf5_write::ChunkDeflate::Counter);
    std::int64_t first = 0;
    for (const std::size_t count : {std::size_t{1000}, std::size_t{100003}, std::size_t{5}}) {
      rows_scale.append_counter(first, count);
      first += static_cast<std::int64_t>(count);
    }
  }
  const hdf5::File file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  CHECK(read_all<std::int64_t>(file.get(), "row", H5T_NATIVE_INT64) == counter);
  CHECK(stored_chunk(file.get(), "row", 8192).second == 0);
  CHECK(storage_of(file.get(), "row") == stored[0]);
}

// ChunkDeflate::Counter copies a plane's blocks from the chunk before when the plane is the same
// (the counter's low byte, 0 to 255 over and over in every chunk). Only when it is the same in
// full: here every third chunk's low plane differs from the chunk before in one byte, in the middle
// of the plane (the counter with one number's low bit flipped), and its second plane in one byte at
// the end; every number must read back, through every filter.
TEST_CASE("a counter's repeated planes are copied only when the whole plane is the same", "[output]") {
  constexpr std::size_t kChunkRows = 8192, kChunks = 9;
  const std::size_t rows = kChunks * kChunkRows;
  std::vector<std::int64_t> numbers(rows);
  for (std::size_t r = 0; r < rows; ++r) numbers[r] = static_cast<std::int64_t>(r);
  for (std::size_t chunk = 2; chunk < kChunks; chunk += 3) {
    numbers[chunk * kChunkRows + kChunkRows / 2] ^= 1;         // the low plane, mid-way
    numbers[chunk * kChunkRows + kChunkRows - 1] ^= 1 << 8;    // the second plane, its last byte
  }
  const hdf5::File file = written_in_one_append("counter_repeated.h5", "row", numbers, hdf5_write::ChunkDeflate::Counter);
  CHECK(read_all<std::int64_t>(file.get(), "row", H5T_NATIVE_INT64) == numbers);
  for (std::size_t chunk = 0; chunk < kChunks; ++chunk) {
    CAPTURE(chunk);
    CHECK(stored_chunk(file.get(), "row", chunk * kChunkRows).second == 0);
  }
}

// ChunkDeflate::RunLength codes each byte plane of a chunk apart and copies a constant plane's
// blocks once coded: chunks whose high bytes are constant, with a different value from chunk to
// chunk (three values in turn, so that each is met again, in other chunks and other planes), between
// random low bytes (stored) and a sorted middle byte (Z_RLE), and 1,234 rows more, which begin a
// last chunk that is filtered the same way, padded with the fill value 0 as HDF5 pads a chunk at
// the dataset's edge. Every chunk must be one zlib stream that zlib's own inflate (and its Adler-32
// check) turns back into exactly the shuffled rows (zeros past the last row), every value must
// read back through HDF5, and each constant plane must cost a few bytes.
TEST_CASE("constant byte planes coded once and copied make chunks that inflate to the shuffled rows", "[output]") {
  constexpr std::size_t kChunkRows = 8192, kChunks = 12, kTail = 1234;
  const std::size_t rows = kChunks * kChunkRows + kTail;
  std::vector<std::int64_t> values(rows);
  std::uint64_t state = 99;
  const std::uint64_t high[3] = {0x0000000000000000ULL, 0x0101010101000000ULL, 0x7f00ff0011000000ULL};
  for (std::size_t r = 0; r < rows; ++r) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const std::uint64_t low = (state >> 40) & 0xffffULL;                   // random: stored
    const std::uint64_t middle = ((r % kChunkRows) * 256 / kChunkRows) << 16;  // runs of 32: Z_RLE
    values[r] = static_cast<std::int64_t>(high[(r / kChunkRows) % 3] | middle | low);
  }
  const hdf5::File file = written_in_one_append("constant_planes.h5", "values", values, hdf5_write::ChunkDeflate::RunLength);
  CHECK(read_all<std::int64_t>(file.get(), "values", H5T_NATIVE_INT64) == values);
  // Two planes of random bytes stored, one of runs, five constant: a little over two planes.
  check_chunks_inflate(file.get(), "values", values, kChunkRows, 2 * kChunkRows + 2048);
}

// A byte plane with hardly a run of three equal bytes but far from 8 bits a byte (the weights'
// exponent byte) is coded by Huffman codes alone (plane_coding): here byte 2 of every value takes
// 16 values evenly at random (4 bits a byte; a run of three at about one byte in 256), and byte 3
// takes 256 values with a run of three equal bytes at every 24th byte (more runs than random bytes
// make, fewer than Z_RLE would use). Both must inflate back exactly with their chunk's Adler-32,
// and the first cost about half a plane: compressed, not stored.
TEST_CASE("byte planes with few runs coded by Huffman codes alone inflate to the shuffled rows", "[output]") {
  constexpr std::size_t kChunkRows = 8192, kChunks = 2, kTail = 777;
  const std::size_t rows = kChunks * kChunkRows + kTail;
  std::vector<std::int64_t> values(rows);
  std::uint64_t state = 7;
  std::uint64_t third = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const std::uint64_t low = (state >> 40) & 0xffffULL;                                  // random: stored
    const std::uint64_t sixteen = (state >> 24) & 0xfULL;                                 // 4 bits a byte
    if (r % 24 >= 2) third = (state >> 32) & 0xffULL;                                     // runs of three at every 24th
    values[r] = static_cast<std::int64_t>(low | (sixteen << 16) | (third << 24));
  }
  const hdf5::File file = written_in_one_append("huffman_planes.h5", "values", values, hdf5_write::ChunkDeflate::RunLength);
  CHECK(read_all<std::int64_t>(file.get(), "values", H5T_NATIVE_INT64) == values);
  // Three planes near 8 bits a byte, one of 4 bits, four constant.
  check_chunks_inflate(file.get(), "values", values, kChunkRows, 3 * kChunkRows + kChunkRows / 2 + 1024);
  // Two whole chunks are enough for policysim's own filtering (HDF5's filter, zlib's default
  // strategy, would store other bytes: those of ChunkDeflate::Standard).
  const hdf5::File standard = written_in_one_append("huffman_planes_standard.h5", "values", values,
                                                    hdf5_write::ChunkDeflate::Standard);
  CHECK(stored_chunk(file.get(), "values", 0).first != stored_chunk(standard.get(), "values", 0).first);
}

TEST_CASE("rows kept until a chunk is full are written in order, by chunk and by flush", "[output]") {
  const fs::path path = fresh_file("kept.h5");
  {
    const hdf5::File file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
    // 3 rows of 2 a chunk (rows_hint 3): a chunk is written when its third row is appended.
    hdf5_write::Appendable series(file.get(), "series", "1", "series", H5T_IEEE_F64LE, {2}, 3);
    // The same rows appended one by one without keeping them: HDF5's own filter for every chunk.
    hdf5_write::Appendable plain(file.get(), "plain", "1", "plain", H5T_IEEE_F64LE, {2}, 3);
    series.keep_rows_until_chunk_full();
    const auto extent = [&] { return rows_written(series); };
    for (int r = 0; r < 5; ++r) {
      const double row[2] = {r * 1.0, r + 0.5};
      series.append(H5T_NATIVE_DOUBLE, row);
      plain.append(H5T_NATIVE_DOUBLE, row);
      CHECK(extent() == (r < 2 ? 0u : 3u));  // kept, then the first chunk written whole
    }
    // A row of another type writes the kept rows first (they begin a chunk: filtered by policysim,
    // then read back by HDF5 for the row that follows into it), then itself.
    const float other[2] = {5.0f, 5.5f};
    series.append(H5T_NATIVE_FLOAT, other);
    plain.append(H5T_NATIVE_FLOAT, other);
    CHECK(extent() == 6u);
    const double last[2] = {6.0, 6.5};
    series.append(H5T_NATIVE_DOUBLE, last);
    plain.append(H5T_NATIVE_DOUBLE, last);
    CHECK(extent() == 6u);
    series.flush();
    CHECK(extent() == 7u);
    series.flush();  // nothing left: nothing written
    CHECK(extent() == 7u);
  }
  const hdf5::File file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  const auto values = read_all<double>(file.get(), "series", H5T_NATIVE_DOUBLE);
  REQUIRE(values.size() == 14);
  for (std::size_t r = 0; r < 7; ++r) {
    CHECK(values[2 * r] == static_cast<double>(r));
    CHECK(values[2 * r + 1] == static_cast<double>(r) + 0.5);
  }
  // Every chunk (a full one and the last one begun, filtered by policysim; the middle one rewritten
  // by HDF5) stored in the bytes HDF5's own filter stores.
  const hdf5::Dataset kept(H5Dopen2(file.get(), "series", H5P_DEFAULT)), plain(H5Dopen2(file.get(), "plain", H5P_DEFAULT));
  for (const hsize_t row : {hsize_t{0}, hsize_t{3}, hsize_t{6}}) {
    CAPTURE(row);
    const std::vector<hsize_t> offset{row, 0};
    std::vector<unsigned char> bytes[2];
    const hid_t datasets[2] = {kept.get(), plain.get()};
    for (int d = 0; d < 2; ++d) {
      hsize_t size = 0;
      std::uint32_t mask = 1;
      REQUIRE(H5Dget_chunk_storage_size(datasets[d], offset.data(), &size) >= 0);
      bytes[d].resize(size);
      REQUIRE(H5Dread_chunk(datasets[d], H5P_DEFAULT, offset.data(), &mask, bytes[d].data()) >= 0);
      CHECK(mask == 0);
    }
    CHECK(bytes[0] == bytes[1]);
  }
}

TEST_CASE("text rows kept until a chunk is full are copied, written in order, by chunk and by flush", "[output]") {
  const fs::path path = fresh_file("kept_text.h5");
  const hdf5::Datatype text = hdf5_write::utf8_string_type();
  {
    const hdf5::File file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
    // 2 rows of 2 labels a chunk (rows_hint 2).
    hdf5_write::Appendable labels(file.get(), "labels", "", "labels", text.get(), {2}, 2);
    labels.keep_rows_until_chunk_full();
    const auto extent = [&] { return rows_written(labels); };
    for (int r = 0; r < 3; ++r) {
      // The strings live only for this call: the kept row must be a copy.
      const std::string first = "r" + std::to_string(r) + "a", second = "r" + std::to_string(r) + "b";
      const char* row[2] = {first.c_str(), second.c_str()};
      labels.append(text.get(), row);
      CHECK(extent() == (r < 1 ? 0u : 2u));
    }
    labels.flush();
    CHECK(extent() == 3u);
  }
  const hdf5::File file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  const hdf5::Dataset dataset(H5Dopen2(file.get(), "labels", H5P_DEFAULT));
  std::vector<char*> pointers(6, nullptr);
  REQUIRE(H5Dread(dataset.get(), text.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()) >= 0);
  std::vector<std::string> read;
  for (const char* pointer : pointers) read.emplace_back(pointer == nullptr ? "" : pointer);
  const hdf5::Dataspace space(H5Dget_space(dataset.get()));
  H5Dvlen_reclaim(text.get(), space.get(), H5P_DEFAULT, pointers.data());
  CHECK(read == std::vector<std::string>{"r0a", "r0b", "r1a", "r1b", "r2a", "r2b"});
}

// A run file holds finite numbers only (docs/output.md): the check over a final edge list's millions
// of weights goes on the run's threads; a non-finite value anywhere in it is found on any number of
// threads, and the message names the first one.
TEST_CASE("check_finite: a non-finite value among millions is found on any threads, the first named", "[output]") {
  constexpr std::size_t kCount = (std::size_t{1} << 21) + 3;  // above the threads' threshold
  std::vector<double> values(kCount);
  for (std::size_t i = 0; i < kCount; ++i) values[i] = 0.25 + 1e-7 * static_cast<double>(i % 1000);
  // A dataset for the message to name.
  const hdf5::File file(H5Fcreate(fresh_file("finite.h5").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
  const hsize_t one = 1;
  const hdf5::Dataspace space(H5Screate_simple(1, &one, nullptr));
  const hdf5::Dataset dataset(
      H5Dcreate2(file.get(), "weight", H5T_IEEE_F64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  const hdf5_write::FiniteOnly finite_only;
  const int threads_before = omp_get_max_threads();
  for (const int threads : {1, 2, 3}) {
    INFO(threads << " threads");
    omp_set_num_threads(threads);
    CHECK_NOTHROW(hdf5_write::check_finite(dataset.get(), H5T_NATIVE_DOUBLE, values.data(), kCount));
    for (const std::size_t at : {std::size_t{0}, kCount / 2 + 1, kCount - 1}) {
      std::vector<double> bad = values;
      bad[at] = std::numeric_limits<double>::quiet_NaN();
      if (at + 1 < kCount) bad[kCount - 1] = -std::numeric_limits<double>::infinity();  // a later one
      const std::string named = "dataset /weight would hold a non-finite value (NaN, element " + std::to_string(at) + ")";
      CHECK_THROWS_MATCHES(hdf5_write::check_finite(dataset.get(), H5T_NATIVE_DOUBLE, bad.data(), kCount),
                           hdf5_write::Failure, Catch::Predicate<hdf5_write::Failure>([&](const hdf5_write::Failure& failure) {
                             return failure.what.find(named) != std::string::npos;
                           }));
    }
  }
  omp_set_num_threads(threads_before);
}
