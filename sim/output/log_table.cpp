#include "sim/output/log_table.hpp"

#include <algorithm>

#include "sim/output/hdf5_write.hpp"

namespace policysim::hdf5_write {
namespace {

std::size_t size_of(const LogValues& values) {
  return std::visit([](const auto& column) { return column.size(); }, values);
}

}  // namespace

LogTable::LogTable(hid_t parent, std::string_view name, const schema::Column& index, const std::vector<LogColumn>& columns,
                   hsize_t chunk_rows, DimensionScales& scales)
    : text_(utf8_string_type()), group_(create_group(parent, name)) {
  create_columns(index, columns, chunk_rows, scales);
}

LogTable::LogTable(hid_t group, const schema::Column& index, const std::vector<LogColumn>& columns, hsize_t chunk_rows,
                   DimensionScales& scales)
    : text_(utf8_string_type()), group_(checked(H5Gopen2(group, ".", H5P_DEFAULT), "opening a log table's group")) {
  create_columns(index, columns, chunk_rows, scales);
}

void LogTable::create_columns(const schema::Column& index, const std::vector<LogColumn>& columns, hsize_t chunk_rows,
                              DimensionScales& scales) {
  const hid_t g = group_.get();
  index_ = Appendable(g, index, H5T_STD_I64LE, {}, chunk_rows, ChunkDeflate::Counter);
  make_scale(index_.id(), index.name);
  for (const LogColumn& column : columns) {
    const hid_t file_type = column.type == LogColumnType::Text      ? text_.get()
                            : column.type == LogColumnType::Float64 ? H5T_IEEE_F64LE
                                                                    : H5T_STD_I64LE;
    // The index is a counter (ChunkDeflate::Counter: the default strategy for its low byte, which
    // Z_RLE cannot shorten); the columns (edge lists: ids, weights) take the run-length one.
    columns_.emplace_back(g, column.column, file_type, std::vector<hsize_t>{}, chunk_rows, ChunkDeflate::RunLength);
    types_.push_back(column.type);
  }
  for (const Appendable& column : columns_) scales.attach(column.id(), index_.id(), 0);
}

void LogTable::append_index(hsize_t count) {
  // Made chunk by chunk as it is written: an edge list of 28 million ties would otherwise need
  // 224 MB for its row numbers, at the end of a run, beside the network itself.
  index_.append_counter(written_, count);
}

void LogTable::append_raw(const std::vector<std::pair<hid_t, const void*>>& columns, hsize_t count) {
  if (columns.size() != columns_.size())
    throw Failure{"a log table of " + std::to_string(columns_.size()) + " columns given " +
                  std::to_string(columns.size())};
  for (std::size_t c = 0; c < columns.size(); ++c)
    if (types_[c] == LogColumnType::Text) throw Failure{"a text column of a log table given raw numbers"};
  if (count == 0) return;
  append_index(count);
  for (std::size_t c = 0; c < columns.size(); ++c) columns_[c].append_rows(columns[c].first, columns[c].second, count);
  written_ += static_cast<std::int64_t>(count);
}

void LogTable::append(const std::vector<LogValues>& columns) {
  if (columns.size() != columns_.size())
    throw Failure{"a log table of " + std::to_string(columns_.size()) + " columns given " +
                  std::to_string(columns.size())};
  const std::size_t rows = columns.empty() ? 0 : size_of(columns.front());
  for (std::size_t c = 0; c < columns.size(); ++c)
    if (size_of(columns[c]) != rows || columns[c].index() != static_cast<std::size_t>(types_[c]))
      throw Failure{"a log table column of the wrong type or length"};
  if (rows == 0) return;
  const auto count = static_cast<hsize_t>(rows);
  append_index(count);
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (const auto* texts = std::get_if<std::vector<std::string>>(&columns[c])) {
      const std::vector<const char*> pointers = c_strings(*texts);
      columns_[c].append_rows(text_.get(), pointers.data(), count);
    } else if (const auto* numbers = std::get_if<std::vector<double>>(&columns[c])) {
      columns_[c].append_rows(H5T_NATIVE_DOUBLE, numbers->data(), count);
    } else {
      columns_[c].append_rows(H5T_NATIVE_INT64, std::get<std::vector<std::int64_t>>(columns[c]).data(), count);
    }
  }
  written_ += static_cast<std::int64_t>(rows);
}

}  // namespace policysim::hdf5_write
