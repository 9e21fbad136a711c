#pragma once
// A long table along its own extendible axis, as a pandas user loads it in one call: the event
// log (/events), the milestone log (/milestones) and the B2B edge-list snapshots (/b2b_cooperation,
// /b2b_trade). One group; an int64 index dataset that is the axis' dimension scale and counts the
// rows (0, 1, ...); one dataset per column, each attached to the axis.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <hdf5.h>

#include "sim/output/appendable.hpp"
#include "sim/output/hdf5_handle.hpp"
#include "sim/output/schema.hpp"

namespace policysim::hdf5_write {

enum class LogColumnType { Text, Float64, Int64 };

struct LogColumn {
  schema::Column column;
  LogColumnType type = LogColumnType::Float64;
};

// The values of one column for a batch of rows (its type's alternative).
using LogValues = std::variant<std::vector<std::string>, std::vector<double>, std::vector<std::int64_t>>;

class LogTable {
 public:
  LogTable() = default;
  // Creates group `name` under `parent` with the index axis `index` and the columns, in order;
  // chunks of `chunk_rows` rows. The columns' attachments to the index are remembered in `scales`.
  LogTable(hid_t parent, std::string_view name, const schema::Column& index, const std::vector<LogColumn>& columns,
           hsize_t chunk_rows, DimensionScales& scales);
  // The same in the existing group `group` (a second table along another axis beside a first one).
  LogTable(hid_t group, const schema::Column& index, const std::vector<LogColumn>& columns, hsize_t chunk_rows,
           DimensionScales& scales);

  hid_t group() const { return group_.get(); }
  std::int64_t rows() const { return written_; }

  // Appends a batch of rows: one LogValues per column, in the order of the columns, all of the
  // same length; the index axis counts on from the rows written before.
  void append(const std::vector<LogValues>& columns);
  // Appends `count` rows of numeric columns given as (native type, pointer to count values), one per
  // column in order: no copy into LogValues (long edge lists).
  void append_raw(const std::vector<std::pair<hid_t, const void*>>& columns, hsize_t count);

 private:
  void create_columns(const schema::Column& index, const std::vector<LogColumn>& columns, hsize_t chunk_rows,
                      DimensionScales& scales);
  void append_index(hsize_t count);
  hdf5::Datatype text_;
  hdf5::Group group_;
  Appendable index_;
  std::vector<Appendable> columns_;
  std::vector<LogColumnType> types_;
  std::int64_t written_ = 0;
};

}  // namespace policysim::hdf5_write
