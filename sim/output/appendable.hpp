#pragma once
// Datasets that grow by rows along their first axis (time, event, milestone, tie), as the run
// recorder writes them: one row per step or per log entry, never one dataset per step.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <hdf5.h>

#include "sim/model/calendar.hpp"
#include "sim/output/hdf5_handle.hpp"
#include "sim/output/schema.hpp"

namespace policysim::hdf5_write {

class DimensionScales;  // hdf5_write.hpp

// How the whole chunks of an append are deflated (append_rows; the rows outside whole chunks,
// and appends shorter than a chunk, go through HDF5's own filter, whose strategy is zlib's
// default). Any inflate reads either.
enum class ChunkDeflate {
  Standard,   // zlib's default strategy, as HDF5's filter: the same bytes HDF5 would store
  RunLength,  // each byte plane coded apart: Z_RLE (1.5 - 1.9 times faster and 1 - 5% smaller
              // on shuffled edge-list columns: ids, weights; much larger on a counter), Huffman
              // codes alone for planes with few runs (the weights' exponent byte), planes that
              // would not compress (random low mantissa bytes, random ids) stored as they are, a
              // constant plane (high bytes of ids) coded once per byte value and copied
  Counter,    // a row-number scale (0, 1, 2, ...): as RunLength, but its low byte plane, which
              // repeats every 256 rows, by the default strategy (LZ77 matches 256 bytes back): the
              // large benchmark's 2.77 million tie numbers 250 -> 172 KB
};

// How far the first axis of an Appendable may grow: without end (a time or event axis), or to the
// rows hinted at creation, which are then all written (a column of a table whose length is known:
// netCDF-C sees a fixed axis, as for a contiguous dataset, while the rows are still filtered in
// parallel by whole chunks).
enum class FirstAxis { Unlimited, FixedAtHint };

// What a long append's rows are (Appendable's whole-chunk writes): 8-byte little-endian file
// elements from one of the memory types the recorder hands over, or row numbers made as they are
// filtered (Appendable::append_counter).
enum class ChunkRows { Uint32, Int64, Float64, Counter, Other };

// A dataset that grows by rows along its first (time or event) axis. Chunked, with unlimited
// first axis; numbers are compressed with shuffle + deflate. Text is chunked but not compressed:
// deflate would only squeeze the heap references, not the strings, and netCDF-C refuses filters on
// variable-length types when it rewrites a file (nccopy).
class Appendable {
 public:
  Appendable() = default;
  // `row_shape`: the shape of one row (empty for a scalar per row); `rows_hint`: the rows expected
  // (the chunk holds at most this many).
  Appendable(hid_t group, std::string_view name, std::string_view units, std::string_view long_name, hid_t file_type,
             std::vector<hsize_t> row_shape, hsize_t rows_hint, ChunkDeflate deflate = ChunkDeflate::Standard,
             FirstAxis first_axis = FirstAxis::Unlimited);
  Appendable(hid_t group, const schema::Column& column, hid_t file_type, std::vector<hsize_t> row_shape,
             hsize_t rows_hint, ChunkDeflate deflate = ChunkDeflate::Standard,
             FirstAxis first_axis = FirstAxis::Unlimited)
      : Appendable(group, column.name, column.units, column.long_name, file_type, std::move(row_shape), rows_hint,
                   deflate, first_axis) {}

  hid_t id() const { return dataset_.get(); }
  explicit operator bool() const { return dataset_.get() >= 0; }

  // Appends one row; `row` holds the row's elements in C order, of `memory_type`.
  void append(hid_t memory_type, const void* row) { append_rows(memory_type, row, 1); }
  // Appends `count_rows` rows at once (an edge list, a batch of log entries), in C order.
  void append_rows(hid_t memory_type, const void* rows, hsize_t count_rows);
  // Appends the `count_rows` int64 numbers first, first + 1, ... (a row-number scale, first >= 0)
  // without the caller holding them: a whole chunk's numbers are made as it is filtered.
  void append_counter(std::int64_t first, hsize_t count_rows);

  // From now on, rows of doubles (H5T_NATIVE_DOUBLE) or of variable-length strings are kept (the
  // strings copied) and written a chunk at a time: a series that gains one row a step (a measure,
  // a period label) then costs one write per chunk, not one per step (about 10,000 writes of a row
  // for the benchmark's 100 steps and hundred series). The rows are checked when appended; a row
  // of another type writes the kept ones first; flush() must write what is left before the file
  // is closed.
  void keep_rows_until_chunk_full();
  // Writes the kept rows (nothing when none are kept).
  void flush();

 private:
  enum class FileKind { Int64, Float64, Other };
  bool append_whole_chunks(hid_t memory_type, const void* rows, hsize_t count_rows);
  bool append_whole_chunks(ChunkRows kind, const void* rows, std::int64_t counter_start, hsize_t count_rows,
                           bool last_rows = false);
  void write_counter_rows(std::int64_t first, hsize_t count_rows);
  void write_rows(hid_t memory_type, const void* rows, hsize_t count_rows);
  hsize_t row_elements() const;

  hdf5::Dataset dataset_;
  hdf5::PropertyList transfer_;
  std::vector<hsize_t> row_shape_;
  hsize_t rows_ = 0;
  hsize_t chunk_rows_ = 0;
  FileKind file_kind_ = FileKind::Other;
  ChunkDeflate deflate_ = ChunkDeflate::Standard;
  // Rows appended but not yet written (keep_rows_until_chunk_full): numbers, or strings of the
  // string type kept_text_type_ (one kind at a time).
  bool keeps_rows_ = false;
  std::vector<double> kept_;
  std::vector<std::string> kept_text_;
  hdf5::Datatype kept_text_type_;
  hid_t kept_text_from_ = -1;  // the memory type id the kept strings came with: the same id, the same type
  hsize_t kept_rows_ = 0;
};

// The time axis of one group of a run file: its own `time` scale, a CF time coordinate (days since
// the start of `start`, calendar "standard", so that xarray shows dates), and beside it
// `period_label` and `year` (the decimal year). A step's row is kept until a chunk is full
// (Appendable::keep_rows_until_chunk_full): flush() writes the rest.
struct TimeAxis {
  Appendable time;
  Appendable period_label;
  Appendable year;
  Period start;

  TimeAxis() = default;
  // `scales`: where the axis's attachments (period_label and year to time) are remembered.
  TimeAxis(hid_t group, hid_t string_type, hsize_t rows_hint, Period start, DimensionScales& scales);
  void append(Period period, hid_t string_type);
  void flush();
};

// Days from the first day of `from` to the first day of `to` (proleptic Gregorian calendar).
double days_between(Period from, Period to);

}  // namespace policysim::hdf5_write
