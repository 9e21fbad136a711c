#include "sim/output/appendable.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include <libdeflate.h>
#include <zlib.h>

#include "sim/model/resize_for_overwrite.hpp"
#include "sim/output/hdf5_write.hpp"
#include "sim/output/plane_coding.hpp"

namespace policysim::hdf5_write {
namespace {

// A variable-length string element is stored as a 16-byte reference into the global heap.
constexpr std::size_t kStringElementBytes = 16;

}  // namespace

Appendable::Appendable(hid_t group, std::string_view name, std::string_view units, std::string_view long_name,
                       hid_t file_type, std::vector<hsize_t> row_shape, hsize_t rows_hint, ChunkDeflate deflate,
                       FirstAxis first_axis)
    : row_shape_(std::move(row_shape)), deflate_(deflate) {
  const bool is_text = H5Tis_variable_str(file_type) > 0;
  const std::size_t element_bytes = is_text ? kStringElementBytes : H5Tget_size(file_type);
  std::size_t row_bytes = element_bytes;
  for (hsize_t extent : row_shape_) row_bytes *= std::max<hsize_t>(extent, 1);
  const hsize_t chunk_rows = std::clamp<hsize_t>(kTargetChunkBytes / row_bytes, 1, std::max<hsize_t>(rows_hint, 1));

  // A fixed axis of no rows is made extendible instead: a chunk must hold a row and fit in the axis.
  const bool fixed = first_axis == FirstAxis::FixedAtHint && rows_hint > 0;
  std::vector<hsize_t> shape{0}, max_shape{fixed ? rows_hint : H5S_UNLIMITED}, chunk{chunk_rows};
  for (hsize_t extent : row_shape_) {
    shape.push_back(extent);
    // A chunk may not exceed a fixed axis, and must hold at least one element: an empty
    // axis (a scenario without pairs of interest) is made extendible instead.
    max_shape.push_back(extent == 0 ? H5S_UNLIMITED : extent);
    chunk.push_back(std::max<hsize_t>(extent, 1));
  }
  const std::string dataset_name(name);
  const auto rank = static_cast<int>(shape.size());
  const hdf5::Dataspace space(
      checked(H5Screate_simple(rank, shape.data(), max_shape.data()), "creating the dataspace of " + dataset_name));
  // Numbers shuffled and deflated; text (references into the heap) only chunked.
  const hdf5::PropertyList properties =
      is_text ? dataset_creation_properties() : compressed_dataset_properties(chunk, dataset_name);
  if (is_text) check(H5Pset_chunk(properties.get(), rank, chunk.data()), "chunking " + dataset_name);
  chunk_rows_ = chunk_rows;
  if (H5Tequal(file_type, H5T_STD_I64LE) > 0) file_kind_ = FileKind::Int64;
  else if (H5Tequal(file_type, H5T_IEEE_F64LE) > 0) file_kind_ = FileKind::Float64;
  dataset_ = hdf5::Dataset(
      checked(H5Dcreate2(group, dataset_name.c_str(), file_type, space.get(), H5P_DEFAULT, properties.get(), H5P_DEFAULT),
              "creating dataset " + dataset_name));
  describe(dataset_.get(), units, long_name);
  transfer_ = transfer_properties(row_bytes, dataset_name);
}

void Appendable::append_rows(hid_t memory_type, const void* rows, hsize_t count_rows) {
  if (count_rows == 0) return;
  const std::size_t elements = static_cast<std::size_t>(count_rows * row_elements());
  // The type asked about once a call, and a string type known by its id while the kept strings
  // came with it: each of a step's time labels asked HDF5 four times (its lock, two cancel-state
  // calls each), about 2 ms of a 100-step run's recording on one thread (docs/performance.md,
  // thirty-third round).
  const bool doubles = is_native_double(memory_type);
  if (doubles) check_finite_doubles(dataset_.get(), static_cast<const double*>(rows), elements);
  if (keeps_rows_) {
    const bool numbers = doubles && kept_text_.empty();
    const bool texts = !doubles && kept_.empty() &&
                       (kept_text_.empty() ? H5Tis_variable_str(memory_type) > 0
                                           : memory_type == kept_text_from_ || H5Tequal(memory_type, kept_text_type_.get()) > 0);
    if (numbers) {
      const auto* values = static_cast<const double*>(rows);
      kept_.insert(kept_.end(), values, values + elements);
    } else if (texts) {
      if (kept_text_.empty()) {
        kept_text_type_ = hdf5::Datatype(checked(H5Tcopy(memory_type), "copying a string type"));
        kept_text_from_ = memory_type;
      }
      const auto* strings = static_cast<const char* const*>(rows);
      for (std::size_t k = 0; k < elements; ++k) kept_text_.emplace_back(strings[k] != nullptr ? strings[k] : "");
    }
    if (numbers || texts) {
      kept_rows_ += count_rows;
      if (kept_rows_ >= chunk_rows_) flush();
      return;
    }
  }
  flush();  // rows of another type: the kept ones go first, in order
  if (append_whole_chunks(memory_type, rows, count_rows)) return;
  write_rows(memory_type, rows, count_rows);
}

void Appendable::keep_rows_until_chunk_full() { keeps_rows_ = true; }

void Appendable::flush() {
  if (kept_rows_ == 0) return;
  if (kept_text_.empty()) {
    // A flush writes a full chunk or, at the file's end, the last rows: both filtered here when the
    // kept rows start a chunk (rows appended later into a partial one read it back, as any chunk).
    if (!append_whole_chunks(ChunkRows::Float64, kept_.data(), 0, kept_rows_, true))
      write_rows(H5T_NATIVE_DOUBLE, kept_.data(), kept_rows_);
  } else {
    const std::vector<const char*> pointers = c_strings(kept_text_);
    write_rows(kept_text_type_.get(), pointers.data(), kept_rows_);
  }
  kept_.clear();
  kept_text_.clear();
  kept_rows_ = 0;
}

hsize_t Appendable::row_elements() const {
  hsize_t elements = 1;
  for (hsize_t axis : row_shape_) elements *= axis;
  return elements;
}

namespace {

using Source = ChunkRows;
Source source_of(hid_t memory_type) {
  if (H5Tequal(memory_type, H5T_NATIVE_UINT32) > 0) return Source::Uint32;
  if (H5Tequal(memory_type, H5T_NATIVE_INT64) > 0) return Source::Int64;
  if (is_native_double(memory_type)) return Source::Float64;
  return Source::Other;
}

// The Adler-32 of `count` bytes continued from `adler` (RFC 1950): libdeflate's, the same checksum
// as zlib's adler32 about eight times faster (vector code: 28 - 34 GB/s against 3.8 on the
// project's machine); zlib's adler32 over the large benchmark's final edge list was about 1% of
// its run (docs/performance.md, twenty-second round). zlib still combines the planes' checksums.
uLong adler32_of(uLong adler, const unsigned char* bytes, std::size_t count) {
  return libdeflate_adler32(static_cast<std::uint32_t>(adler), bytes, count);
}

// One chunk through the dataset's filters, as HDF5 would filter it: the elements as 8-byte
// little-endian values (x86-64 and every platform Debian builds policysim on is little-endian;
// checked below), byte-shuffled (H5Z shuffle: byte k of every element together), then deflated
// into a zlib stream at the dataset's level (what H5Z deflate's inflate reads back), every filter
// applied (filter mask 0).
struct FilteredChunk {
  Column<unsigned char> bytes;  // sized to deflate's bound, then to what it wrote: never zeroed
  int status = Z_OK;
};

// One raw deflate stream (RFC 1951: no zlib header or trailer) at a fixed level and strategy,
// reset for each byte plane and ended with a sync flush: the plane's blocks end on a byte
// boundary and refer to nothing before them, so that blocks of other planes, from this stream or
// another, may follow.
class PlaneStream {
 public:
  // compress2's window and memory level (8: a block of up to 16,383 symbols, so that a plane of
  // 8 KiB is one block; a 64 KiB hash table, cleared by every deflateReset), raw.
  static constexpr int kMemoryLevel = 8;
  PlaneStream(int level, int strategy, int memory_level = kMemoryLevel) {
    constexpr int kRawWindowBits = -15;
    status_ = deflateInit2(&stream_, level, Z_DEFLATED, kRawWindowBits, memory_level, strategy);
  }
  ~PlaneStream() {
    if (status_ == Z_OK) deflateEnd(&stream_);
  }
  PlaneStream(const PlaneStream&) = delete;
  PlaneStream& operator=(const PlaneStream&) = delete;

  // The most a plane of `count` bytes codes to: deflate's bound and the sync flush's empty
  // stored block (at most 3 bits of block header, padding and 4 bytes).
  std::size_t bound(std::size_t count) { return deflateBound(&stream_, static_cast<uLong>(count)) + 8; }

  // Codes `plane` into `out` (`room` bytes, at least a default stream's bound(count)); returns
  // zlib's status, `written` the bytes.
  int code(const unsigned char* plane, std::size_t count, unsigned char* out, std::size_t room, std::size_t& written) {
    if (status_ != Z_OK) return status_;
    deflateReset(&stream_);
    stream_.next_in = const_cast<Bytef*>(plane);  // zlib's API is not const-correct; it only reads
    stream_.avail_in = static_cast<uInt>(count);
    stream_.next_out = out;
    stream_.avail_out = static_cast<uInt>(room);
    const int status = deflate(&stream_, Z_SYNC_FLUSH);
    written = stream_.total_out;
    if (status == Z_OK && stream_.avail_in != 0) return Z_BUF_ERROR;
    return status;
  }

 private:
  z_stream stream_{};
  int status_ = Z_OK;
};

// zlib's deflate of chunks into zlib streams (what H5Z deflate's inflate reads), one deflater per
// thread. ChunkDeflate::Standard is one stream over the whole chunk with the default strategy,
// window and memory level: compress2, what HDF5's own filter calls, the same bytes HDF5 would store.
//
// ChunkDeflate::RunLength and ::Counter code each byte plane of the shuffled chunk on its own
// (PlaneStream): a constant plane once per byte value and then copied, a (nearly) incompressible
// plane stored as it is (level 0; Z_RLE would code it byte by byte to the same size), one with
// hardly a run by Z_HUFFMAN_ONLY, any other by Z_RLE (plane_coding), and a counter's low byte by
// the default strategy (LZ77 matches 256 bytes back). The planes' blocks, closed by an empty final
// block, between the zlib header and the Adler-32 of the chunk (combined plane by plane), make one
// zlib stream (RFC 1950). One zlib stream switched between strategies with deflateParams, as
// before, flushed a block at each switch and slid its window every 32 KiB, rewriting hash tables
// that Z_RLE and stored blocks never read: the large benchmark's final edge list took 0.18 s to
// write that way, 0.11 s plane by plane, 0.15% larger (docs/performance.md, sixteenth round).
class ChunkDeflater {
 public:
  ChunkDeflater(int level, ChunkDeflate deflate)
      : level_(level), mode_(deflate) {
    constexpr int kWindowBits = 15, kMemoryLevel = 8;  // compress2's
    if (mode_ == ChunkDeflate::Standard)
      status_ = deflateInit2(&whole_, level, Z_DEFLATED, kWindowBits, kMemoryLevel, Z_DEFAULT_STRATEGY);
  }
  ~ChunkDeflater() {
    if (mode_ == ChunkDeflate::Standard && status_ == Z_OK) deflateEnd(&whole_);
  }
  ChunkDeflater(const ChunkDeflater&) = delete;
  ChunkDeflater& operator=(const ChunkDeflater&) = delete;

  // `input`: a shuffled chunk, byte planes of `plane_bytes` each.
  void deflate_into(const Column<unsigned char>& input, std::size_t plane_bytes, FilteredChunk& out) {
    if (mode_ == ChunkDeflate::Standard)
      deflate_whole(input, out);
    else
      deflate_by_plane(input, plane_bytes, out);
  }

 private:
  void deflate_whole(const Column<unsigned char>& input, FilteredChunk& out) {
    if (status_ != Z_OK) {
      out.status = status_;
      return;
    }
    out.bytes.resize(compressBound(static_cast<uLong>(input.size())));
    deflateReset(&whole_);
    whole_.next_in = const_cast<Bytef*>(input.data());  // zlib's API is not const-correct; it only reads
    whole_.avail_in = static_cast<uInt>(input.size());
    whole_.next_out = out.bytes.data();
    whole_.avail_out = static_cast<uInt>(out.bytes.size());
    const int status = deflate(&whole_, Z_FINISH);
    out.status = status == Z_STREAM_END ? Z_OK : (status == Z_OK ? Z_BUF_ERROR : status);  // checked by the writing thread: nothing is thrown inside a parallel region
    out.bytes.resize(whole_.total_out);  // kept even when larger than the input, as HDF5's deflate filter keeps it
  }

  void deflate_by_plane(const Column<unsigned char>& input, std::size_t plane_bytes, FilteredChunk& out) {
    // RFC 1950's header: 0x78, deflate with a 32 KiB window; 0x01, the "fastest" level, with the
    // check bits that make 0x7801 a multiple of 31. The end: an empty final block of fixed codes
    // (RFC 1951 3.2.6: bits 1, 01, then end-of-block 0000000), as zlib ends a flushed stream.
    constexpr std::array<unsigned char, 2> kHeader{0x78, 0x01}, kFinalBlock{0x03, 0x00};
    constexpr std::size_t kAdlerBytes = 4;
    const std::size_t planes = plane_bytes == 0 ? 0 : input.size() / plane_bytes;
    const std::size_t plane_bound = runs().bound(plane_bytes);  // zlib's bound: the same for every plane stream's window and memory level
    out.bytes.resize(kHeader.size() + planes * plane_bound + kFinalBlock.size() + kAdlerBytes);
    unsigned char* const begin = out.bytes.data();
    unsigned char* at = std::copy(kHeader.begin(), kHeader.end(), begin);
    uLong adler = 1;  // the Adler-32 of no bytes
    int status = Z_OK;
    for (std::size_t k = 0; k < planes && status == Z_OK; ++k) {
      const unsigned char* plane = input.data() + k * plane_bytes;
      std::size_t written = 0;
      if (constant(plane, plane_bytes)) {
        const ConstantPlane& coded = constant_plane(plane[0], plane_bytes, status);
        at = std::copy(coded.blocks.begin(), coded.blocks.end(), at);
        adler = adler32_combine(adler, coded.adler, static_cast<z_off_t>(plane_bytes));
        continue;
      }
      RepeatedPlane* repeated = mode_ == ChunkDeflate::Counter ? &repeated_plane(k, plane_bytes) : nullptr;
      if (repeated != nullptr && repeated->same_as(plane, plane_bytes)) {
        at = std::copy(repeated->blocks.begin(), repeated->blocks.end(), at);
        adler = adler32_combine(adler, repeated->adler, static_cast<z_off_t>(plane_bytes));
        continue;
      }
      PlaneStream& stream =
          mode_ == ChunkDeflate::Counter && k == 0 ? matches() : coded_by(plane_coding(plane, plane_bytes));
      status = stream.code(plane, plane_bytes, at, plane_bound, written);
      if (repeated != nullptr) {
        // The plane's own Adler-32, kept with it and combined into the chunk's: computed once.
        const uLong plane_adler = adler32_of(1, plane, plane_bytes);
        if (status == Z_OK) repeated->keep(plane, plane_bytes, at, written, plane_adler);
        adler = adler32_combine(adler, plane_adler, static_cast<z_off_t>(plane_bytes));
      } else {
        adler = adler32_of(adler, plane, plane_bytes);
      }
      at += written;
    }
    at = std::copy(kFinalBlock.begin(), kFinalBlock.end(), at);
    for (int shift = 24; shift >= 0; shift -= 8) *at++ = static_cast<unsigned char>(adler >> shift);  // big-endian
    out.status = status;  // checked by the writing thread: nothing is thrown inside a parallel region
    out.bytes.resize(static_cast<std::size_t>(at - begin));
  }

  // A constant plane's blocks and Adler-32, coded by Z_RLE the first time its byte value is met.
  struct ConstantPlane {
    std::vector<unsigned char> blocks;
    uLong adler = 0;
  };
  const ConstantPlane& constant_plane(unsigned char value, std::size_t plane_bytes, int& status) {
    if (plane_bytes != constant_plane_bytes_) {
      for (ConstantPlane& plane : constant_planes_) plane.blocks.clear();
      constant_plane_bytes_ = plane_bytes;
    }
    ConstantPlane& coded = constant_planes_[value];
    if (coded.blocks.empty()) {
      const std::vector<unsigned char> plane(plane_bytes, value);
      coded.blocks.resize(runs().bound(plane_bytes));
      std::size_t written = 0;
      status = runs().code(plane.data(), plane_bytes, coded.blocks.data(), coded.blocks.size(), written);
      coded.blocks.resize(status == Z_OK ? written : 0);
      coded.adler = adler32_of(1, plane.data(), plane_bytes);
    }
    return coded;
  }

  // A counter's plane as last coded at its place in the chunk, with its blocks and Adler-32: the
  // low byte of the row numbers, 0, 1, ..., 255 over and over, is the same plane in every chunk
  // (chunks of a multiple of 256 rows), and coding it by the default strategy was most of a
  // counter chunk's time (the next byte differs from one chunk to the next: Z_RLE codes its runs of
  // 256 cheaply). Compared in full, then copied.
  struct RepeatedPlane {
    std::vector<unsigned char> plane, blocks;
    uLong adler = 0;
    bool same_as(const unsigned char* bytes, std::size_t count) const {
      return plane.size() == count && !blocks.empty() && std::memcmp(plane.data(), bytes, count) == 0;
    }
    void keep(const unsigned char* bytes, std::size_t count, const unsigned char* coded, std::size_t coded_bytes,
              uLong bytes_adler) {
      plane.assign(bytes, bytes + count);
      blocks.assign(coded, coded + coded_bytes);
      adler = bytes_adler;
    }
  };
  RepeatedPlane& repeated_plane(std::size_t k, std::size_t plane_bytes) {
    if (repeated_planes_.size() <= k) repeated_planes_.resize(k + 1);
    RepeatedPlane& repeated = repeated_planes_[k];
    if (repeated.plane.size() != plane_bytes) repeated = RepeatedPlane{};
    return repeated;
  }
  std::vector<RepeatedPlane> repeated_planes_;

  z_stream whole_{};  // ChunkDeflate::Standard's
  int status_ = Z_OK;
  int level_ = 0;
  ChunkDeflate mode_ = ChunkDeflate::Standard;
  // The planes' streams, made when first wanted (a Standard deflater wants none).
  PlaneStream& runs() { return made(runs_, level_, Z_RLE); }
  // Level 0 copies a plane into one stored block whatever the memory level (the whole plane fits
  // the room given), so the stored stream takes the least memory level: its reset clears a hash
  // table of 512 bytes instead of 64 KiB (that memset was most of a stored plane's time).
  PlaneStream& stored() { return made(stored_, 0, Z_DEFAULT_STRATEGY, 1); }
  PlaneStream& matches() { return made(matches_, level_, Z_DEFAULT_STRATEGY); }
  PlaneStream& literals() { return made(literals_, level_, Z_HUFFMAN_ONLY); }
  PlaneStream& coded_by(PlaneCoding coding) {
    switch (coding) {
      case PlaneCoding::Stored: return stored();
      case PlaneCoding::Huffman: return literals();
      case PlaneCoding::Runs: break;
    }
    return runs();
  }
  static PlaneStream& made(std::optional<PlaneStream>& stream, int level, int strategy,
                           int memory_level = PlaneStream::kMemoryLevel) {
    if (!stream) stream.emplace(level, strategy, memory_level);
    return *stream;
  }
  std::optional<PlaneStream> runs_, stored_, matches_, literals_;
  std::array<ConstantPlane, 256> constant_planes_;
  std::size_t constant_plane_bytes_ = 0;
};

// Byte k of every element to plane k (H5Z shuffle), one plane after the other: each loop turns a
// vector of elements into their k-th bytes (256-bit vector code in the AVX2 and AVX-512 clones alike:
// GCC keeps to 256 bits, and "avx512f" alone lacks the narrow truncating moves), rather than every
// element's eight bytes stored one by one to eight planes (about 15% of the final edge list's
// writing, fifteenth round). `value_of(r)`: element r as an unsigned integer. Planes of
// `plane_bytes` (the chunk's rows) hold `count` elements, zeros after them: the fill value HDF5
// pads a chunk at the dataset's edge with. Inlined into each source's function below, which is
// compiled for each vector width (target_clones, which GCC does not take on a template).
template <typename ValueOf>
[[gnu::always_inline]] inline void shuffle_planes(std::size_t planes_count, std::size_t count, std::size_t plane_bytes,
                                                  unsigned char* __restrict planes, ValueOf value_of) {
  for (std::size_t k = 0; k < planes_count; ++k) {
    unsigned char* __restrict plane = planes + k * plane_bytes;
    const unsigned shift = 8 * static_cast<unsigned>(k);
#pragma omp simd
    for (std::size_t r = 0; r < count; ++r) plane[r] = static_cast<unsigned char>(value_of(r) >> shift);
    if (count < plane_bytes) std::memset(plane + count, 0, plane_bytes - count);
  }
}

// A uint32 element widened to the file's int64 has zeros above its fourth byte: those planes are
// zeroed, not computed.
__attribute__((target_clones("avx512f", "avx2", "default"))) void shuffle_uint32(const std::uint32_t* __restrict values,
                                                                                 std::size_t count, std::size_t plane_bytes,
                                                                                 unsigned char* __restrict planes) {
  shuffle_planes(4, count, plane_bytes, planes, [values](std::size_t r) { return values[r]; });
  std::memset(planes + 4 * plane_bytes, 0, 4 * plane_bytes);
}

__attribute__((target_clones("avx512f", "avx2", "default"))) void shuffle_8_bytes(const unsigned char* __restrict bytes,
                                                                                  std::size_t count, std::size_t plane_bytes,
                                                                                  unsigned char* __restrict planes) {
  shuffle_planes(8, count, plane_bytes, planes, [bytes](std::size_t r) {
    std::uint64_t value;
    std::memcpy(&value, bytes + r * 8, 8);
    return value;
  });
}

// The numbers start, start + 1, ..., start + count - 1 (non-negative int64).
__attribute__((target_clones("avx512f", "avx2", "default"))) void shuffle_counter(std::uint64_t start,
                                                                                  std::size_t count, std::size_t plane_bytes,
                                                                                  unsigned char* __restrict planes) {
  shuffle_planes(8, count, plane_bytes, planes, [start](std::size_t r) { return start + r; });
}

// The rows of one append: numbers the caller holds (`rows`, of the Source's type) or a counter
// from `counter_start`.
struct ChunkSource {
  Source kind = Source::Other;
  const void* rows = nullptr;
  std::int64_t counter_start = 0;
};

// Rows [first, first + count) of the source as one chunk of `chunk_rows` rows (count <= chunk_rows:
// a chunk at the dataset's edge is padded with zeros), shuffled and deflated into `out`.
void filter_chunk(const ChunkSource& source, std::size_t first, std::size_t count, std::size_t chunk_rows,
                  ChunkDeflater& deflater, Column<unsigned char>& shuffled, FilteredChunk& out) {
  const void* const rows = source.rows;
  constexpr std::size_t kBytes = 8;
  shuffled.resize(chunk_rows * kBytes);
  // Each element as its 8-byte little-endian value (widened from 4 bytes where the source is
  // uint32), read straight from the source, without a copy first.
  switch (source.kind) {
    case Source::Uint32:
      shuffle_uint32(static_cast<const std::uint32_t*>(rows) + first, count, chunk_rows, shuffled.data());
      break;
    case Source::Int64:
    case Source::Float64:
      shuffle_8_bytes(static_cast<const unsigned char*>(rows) + first * kBytes, count, chunk_rows, shuffled.data());
      break;
    case Source::Counter:
      shuffle_counter(static_cast<std::uint64_t>(source.counter_start) + first, count, chunk_rows, shuffled.data());
      break;
    case Source::Other: break;
  }
  deflater.deflate_into(shuffled, chunk_rows, out);
}

}  // namespace

// A long append (a snapshot of millions of ties) costs mostly its compression, which HDF5 does on
// one thread. The whole chunks of it are shuffled and deflated here, in parallel, through the
// same filters (readers see an ordinary shuffle + deflate dataset; ChunkDeflater), and written in
// order with H5Dwrite_chunk, each by the thread that made it when its turn comes (`ordered`: the
// others go on deflating meanwhile; one HDF5 call at a time, as HDF5 without its thread-safe build
// requires). The rows before the first chunk boundary go through H5Dwrite as usual (their chunk
// holds earlier rows); those after the last whole chunk begin a chunk that is filtered here too.
// Returns false (nothing written) when the append holds no whole chunk or is not a plain column of
// 8-byte numbers. From one whole chunk on: an edge list of a few thousand ties (the small
// benchmark's 27,000 in three whole chunks) went through HDF5's filter, deflated by zlib's default
// strategy when the file was closed, 6 - 7 ms of a 35 ms run (docs/performance.md, twenty-second round).
bool Appendable::append_whole_chunks(hid_t memory_type, const void* rows, hsize_t count_rows) {
  return append_whole_chunks(source_of(memory_type), rows, 0, count_rows);
}

void Appendable::append_counter(std::int64_t first, hsize_t count_rows) {
  if (count_rows == 0) return;
  flush();  // kept rows go first, in order
  if (!append_whole_chunks(ChunkRows::Counter, nullptr, first, count_rows)) write_counter_rows(first, count_rows);
}

// Rows first, first + 1, ... written through H5Dwrite, made a million at a time.
void Appendable::write_counter_rows(std::int64_t first, hsize_t count_rows) {
  constexpr hsize_t kPiece = hsize_t{1} << 20;
  std::vector<std::int64_t> numbers(static_cast<std::size_t>(std::min(count_rows, kPiece)));
  for (hsize_t done = 0; done < count_rows;) {
    const hsize_t rows = std::min(count_rows - done, kPiece);
    for (hsize_t r = 0; r < rows; ++r) numbers[r] = first + static_cast<std::int64_t>(done + r);
    write_rows(H5T_NATIVE_INT64, numbers.data(), rows);
    done += rows;
  }
}

namespace {

// A thread's chunk filtering, kept from append to append: a deflater per ChunkDeflate and the
// shuffled chunk. Made per append, zlib's deflateInit (allocating and clearing its tables) cost as
// much as HDF5's own filter, which calls compress2 for every chunk (docs/performance.md,
// twenty-second round).
struct ThreadFiltering {
  Column<unsigned char> shuffled;
  static_assert(static_cast<int>(ChunkDeflate::Counter) == 2, "a deflater for each ChunkDeflate, indexed by it");
  std::array<std::optional<ChunkDeflater>, 3> deflaters;
  ChunkDeflater& deflater(ChunkDeflate mode) {
    std::optional<ChunkDeflater>& made = deflaters[static_cast<std::size_t>(mode)];
    if (!made) made.emplace(static_cast<int>(kDeflateLevel), mode);
    return *made;
  }
};
ThreadFiltering& thread_filtering() {
  thread_local ThreadFiltering filtering;
  return filtering;
}

}  // namespace

bool Appendable::append_whole_chunks(ChunkRows kind, const void* rows, std::int64_t counter_start, hsize_t count_rows,
                                     bool last_rows) {
  static_assert(std::endian::native == std::endian::little, "direct chunk writes assume a little-endian machine");
  const ChunkSource source{kind, rows, counter_start};
  const bool supported =
      (file_kind_ == FileKind::Int64 && (kind == Source::Uint32 || kind == Source::Int64 || kind == Source::Counter)) ||
      (file_kind_ == FileKind::Float64 && kind == Source::Float64);
  // A row of several elements (a [time, agent, partner] series) is as many elements, in C order: a
  // chunk holds whole rows.
  const auto per_row = static_cast<std::size_t>(row_elements());
  if (!supported || chunk_rows_ == 0 || per_row == 0 || (kind == Source::Counter && per_row != 1)) return false;
  const hsize_t lead = std::min(count_rows, (chunk_rows_ - rows_ % chunk_rows_) % chunk_rows_);
  const hsize_t chunks = (count_rows - lead) / chunk_rows_;
  // Rows that only begin a chunk are filtered here when no rows will follow them into it (`last_rows`).
  if (chunks == 0 && !(last_rows && lead == 0 && count_rows > 0)) return false;
  // The rows [first, first + count) outside whole chunks, through H5Dwrite.
  const auto write_outside = [&](hsize_t first, hsize_t count) {
    if (kind == Source::Counter) {
      write_counter_rows(counter_start + static_cast<std::int64_t>(first), count);
      return;
    }
    const std::size_t source_bytes = kind == Source::Uint32 ? 4 : 8;
    const hid_t memory_type = kind == Source::Uint32 ? H5T_NATIVE_UINT32
                              : kind == Source::Int64 ? H5T_NATIVE_INT64
                                                      : H5T_NATIVE_DOUBLE;
    write_rows(memory_type, static_cast<const unsigned char*>(rows) + first * per_row * source_bytes, count);
  };
  write_outside(0, lead);
  const hsize_t chunk_start = rows_;
  rows_ += chunks * chunk_rows_;
  std::vector<hsize_t> extent{rows_}, offset(1 + row_shape_.size(), 0);
  extent.insert(extent.end(), row_shape_.begin(), row_shape_.end());
  const auto chunk_elements = static_cast<std::size_t>(chunk_rows_) * per_row;
  constexpr hsize_t kBatch = 64;  // chunks compressed before they are written: bounded memory
  if (chunks > 0) check(H5Dset_extent(dataset_.get(), extent.data()), "extending a dataset");
  std::vector<FilteredChunk> filtered(static_cast<std::size_t>(std::min(chunks, kBatch)));
  for (hsize_t batch = 0; batch < chunks; batch += kBatch) {
    const auto in_batch = static_cast<long>(std::min(kBatch, chunks - batch));
    // The first failure, in chunk order; nothing is thrown inside the parallel region, and no chunk
    // is written after a failed one.
    std::string failure;
    // One chunk needs no team.
#pragma omp parallel if (in_batch > 1)
    {
      ThreadFiltering& filtering = thread_filtering();
      ChunkDeflater& deflater = filtering.deflater(deflate_);
      std::vector<hsize_t> at = offset;
#pragma omp for schedule(static, 1) ordered
      for (long c = 0; c < in_batch; ++c) {
        const hsize_t chunk = batch + static_cast<hsize_t>(c);
        FilteredChunk& made = filtered[static_cast<std::size_t>(c)];
        filter_chunk(source, static_cast<std::size_t>(lead + chunk * chunk_rows_) * per_row, chunk_elements,
                     chunk_elements, deflater, filtering.shuffled, made);
#pragma omp ordered
        {
          if (failure.empty() && made.status != Z_OK) failure = "deflating a chunk: zlib error " + std::to_string(made.status);
          at[0] = chunk_start + chunk * chunk_rows_;
          if (failure.empty() &&
              H5Dwrite_chunk(dataset_.get(), H5P_DEFAULT, 0, at.data(), made.bytes.size(), made.bytes.data()) < 0)
            failure = "writing a chunk: " + hdf5::innermost_error();
        }
      }
    }
    if (!failure.empty()) throw Failure{failure};
  }
  // The rows after the last whole chunk begin a chunk of their own: it is filtered here too,
  // padded with the fill value (0) as HDF5 pads a chunk at the dataset's edge, rather than kept in
  // HDF5's chunk cache and deflated by its filter (default strategy) when the file is flushed: the
  // final edge list's four such chunks were about 4 ms of the medium benchmark's end, on one thread.
  // A later append into the chunk reads it back through the filters, as any chunk.
  const hsize_t done = lead + chunks * chunk_rows_, tail = count_rows - done;
  if (tail > 0) {
    ThreadFiltering& filtering = thread_filtering();
    FilteredChunk made;
    filter_chunk(source, static_cast<std::size_t>(done) * per_row, static_cast<std::size_t>(tail) * per_row,
                 chunk_elements, filtering.deflater(deflate_), filtering.shuffled, made);
    if (made.status != Z_OK) throw Failure{"deflating a chunk: zlib error " + std::to_string(made.status)};
    offset[0] = rows_;
    rows_ += tail;
    extent[0] = rows_;
    check(H5Dset_extent(dataset_.get(), extent.data()), "extending a dataset");
    check(H5Dwrite_chunk(dataset_.get(), H5P_DEFAULT, 0, offset.data(), made.bytes.size(), made.bytes.data()),
          "writing a chunk");
  }
  return true;
}

void Appendable::write_rows(hid_t memory_type, const void* rows, hsize_t count_rows) {
  if (count_rows == 0) return;
  std::vector<hsize_t> extent{rows_ + count_rows}, start{rows_}, count{count_rows};
  for (hsize_t axis : row_shape_) {
    extent.push_back(axis);
    start.push_back(0);
    count.push_back(axis);
  }
  check(H5Dset_extent(dataset_.get(), extent.data()), "extending a dataset");
  rows_ += count_rows;
  if (row_elements() == 0) return;
  const hdf5::Dataspace file_space(checked(H5Dget_space(dataset_.get()), "getting a dataspace"));
  check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr),
        "selecting a row");
  const hdf5::Dataspace memory_space(
      checked(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr), "creating a dataspace"));
  check(H5Dwrite(dataset_.get(), memory_type, memory_space.get(), file_space.get(), transfer_.get(), rows),
        "writing rows");
}

namespace {

std::chrono::sys_days first_day(Period period) {
  return std::chrono::year_month_day{std::chrono::year{period.year()},
                                     std::chrono::month{static_cast<unsigned>(3 * (period.quarter() - 1) + 1)},
                                     std::chrono::day{1}};
}

// "days since 2010-01-01": the CF units of a time coordinate that starts at `start`.
std::string cf_days_since(Period start) {
  char text[64];
  std::snprintf(text, sizeof text, "days since %04d-%02d-01", start.year(), 3 * (start.quarter() - 1) + 1);
  return text;
}

}  // namespace

double days_between(Period from, Period to) {
  return static_cast<double>((first_day(to) - first_day(from)).count());
}

TimeAxis::TimeAxis(hid_t group, hid_t string_type, hsize_t rows_hint, Period start_period, DimensionScales& scales)
    : time(group, schema::dim::kTime.name, cf_days_since(start_period), schema::dim::kRunTimeLongName,
           H5T_IEEE_F64LE, {}, rows_hint),
      period_label(group, schema::kPeriodLabel, string_type, {}, rows_hint),
      year(group, schema::dim::kYear, H5T_IEEE_F64LE, {}, rows_hint),
      start(start_period) {
  set_text_attribute(time.id(), schema::dim::kCalendar, schema::dim::kStandardCalendar);
  make_scale(time.id(), schema::dim::kTime.name);
  scales.attach(period_label.id(), time.id(), 0);
  scales.attach(year.id(), time.id(), 0);
  for (Appendable* column : {&time, &period_label, &year}) column->keep_rows_until_chunk_full();
}

void TimeAxis::append(Period period, hid_t string_type) {
  const double days = days_between(start, period);
  const double decimal_year = period.decimal_year();
  const std::string label = period.label();
  const char* pointer = label.c_str();
  time.append(H5T_NATIVE_DOUBLE, &days);
  period_label.append(string_type, &pointer);
  year.append(H5T_NATIVE_DOUBLE, &decimal_year);
}

void TimeAxis::flush() {
  for (Appendable* column : {&time, &period_label, &year}) column->flush();
}

}  // namespace policysim::hdf5_write
