#include "sim/output/sweep_file.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <string_view>
#include <system_error>

#include <hdf5_hl.h>

#include "sim/output/hdf5_handle.hpp"
#include "sim/output/hdf5_write.hpp"
#include "sim/output/atomic_file.hpp"
#include "sim/output/schema.hpp"
#include "sim/output/sweep_schema.hpp"

namespace policysim {
namespace {

namespace ss = sweep_schema;
using schema::Column;
using namespace hdf5_write;  // check, checked, Failure, utf8_string_type, attributes, groups

// As the run recorder (recorder.cpp): chunks of about kTargetChunkBytes, shuffle + deflate on
// numbers (compressed_dataset_properties), creation order tracked, no object times.

void set_int64_attribute(hid_t object, std::string_view name, std::int64_t value) {
  set_number_attribute(object, name, H5T_STD_I64LE, H5T_NATIVE_INT64, value);
}


hdf5::Dataset create_int64(hid_t group, const Column& column, const std::vector<std::int64_t>& values) {
  return create_fixed(group, column, H5T_STD_I64LE, {values.size()}, H5T_NATIVE_INT64, values.data());
}

// An int64 index scale 0..n-1 (`point`, `run`).
hdf5::Dataset create_index_scale(hid_t group, const Column& column, std::size_t n) {
  std::vector<std::int64_t> index(n);
  for (std::size_t i = 0; i < n; ++i) index[i] = static_cast<std::int64_t>(i);
  hdf5::Dataset scale = create_int64(group, column, index);
  make_scale(scale.get(), column.name);
  return scale;
}

// A numeric array of fixed shape written in slabs along its first axis (a run, a point).
// Chunks of about kTargetChunkBytes, shrinking the leading axes first, so that a chunk holds
// several whole runs of a metric; compressed with shuffle + deflate. An empty axis (no pairs
// of interest) is made extendible: a chunk must hold at least one element.
hdf5::Dataset create_array(hid_t group, std::string_view name, std::string_view units, std::string_view long_name,
                           const std::vector<hsize_t>& shape) {
  const std::string dataset_name(name);
  std::vector<hsize_t> max_shape, chunk;
  for (hsize_t extent : shape) {
    max_shape.push_back(extent == 0 ? H5S_UNLIMITED : extent);
    chunk.push_back(std::max<hsize_t>(extent, 1));
  }
  for (std::size_t axis = 0; axis < chunk.size(); ++axis) {
    hsize_t rest = sizeof(double);
    for (std::size_t later = axis + 1; later < chunk.size(); ++later) rest *= chunk[later];
    chunk[axis] = std::clamp<hsize_t>(kTargetChunkBytes / rest, 1, chunk[axis]);
  }
  const auto rank = static_cast<int>(shape.size());
  const hdf5::Dataspace space(
      checked(H5Screate_simple(rank, shape.data(), max_shape.data()), "creating the dataspace of " + dataset_name));
  const hdf5::PropertyList properties = compressed_dataset_properties(chunk, dataset_name);
  // Runs and points are written in order, so a chunk is complete when the next one is touched:
  // a cache of one chunk then compresses and writes each chunk as soon as it is full, while the
  // runs go on, instead of all of them when the file is closed.
  hsize_t chunk_bytes = sizeof(double);
  for (hsize_t extent : chunk) chunk_bytes *= extent;
  hdf5::PropertyList access(checked(H5Pcreate(H5P_DATASET_ACCESS), "creating dataset access properties"));
  check(H5Pset_chunk_cache(access.get(), 101, static_cast<std::size_t>(chunk_bytes) + 1024, 1.0),
        "sizing the chunk cache of " + dataset_name);
  hdf5::Dataset dataset(checked(
      H5Dcreate2(group, dataset_name.c_str(), H5T_IEEE_F64LE, space.get(), H5P_DEFAULT, properties.get(), access.get()),
      "creating dataset " + dataset_name));
  describe(dataset.get(), units, long_name);
  return dataset;
}

// Writes `values` as the slabs first .. first + rows - 1 of the first axis of `dataset`.
void write_slabs(hid_t dataset, std::size_t first, std::size_t rows, const std::vector<double>& values,
                 std::string_view what) {
  const hdf5::Dataspace file_space(checked(H5Dget_space(dataset), "getting a dataspace"));
  const int rank = H5Sget_simple_extent_ndims(file_space.get());
  std::vector<hsize_t> shape(static_cast<std::size_t>(std::max(rank, 1)));
  H5Sget_simple_extent_dims(file_space.get(), shape.data(), nullptr);
  std::vector<hsize_t> start(shape.size(), 0), count = shape;
  start[0] = first;
  count[0] = rows;
  hsize_t elements = rows;
  for (std::size_t axis = 1; axis < shape.size(); ++axis) elements *= shape[axis];
  if (values.size() != elements)
    throw Failure{str(what) + ": " + std::to_string(values.size()) + " values for " + std::to_string(elements)};
  if (elements == 0) return;
  check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr),
        "selecting a slab");
  const hdf5::Dataspace memory_space(
      checked(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr), "creating a dataspace"));
  check(H5Dwrite(dataset, H5T_NATIVE_DOUBLE, memory_space.get(), file_space.get(), H5P_DEFAULT, values.data()),
        "writing " + str(what));
}

// The rows of a chunked array written in order (runs, points), gathered until a chunk of the
// first axis is complete and then written in one call, so that each chunk is compressed once
// and the writer makes a few large writes instead of many small ones.
class RowWriter {
 public:
  RowWriter() = default;
  RowWriter(hdf5::Dataset dataset, std::string name) : dataset_(std::move(dataset)), name_(std::move(name)) {
    const hdf5::Dataspace space(checked(H5Dget_space(dataset_.get()), "getting a dataspace"));
    const int rank = H5Sget_simple_extent_ndims(space.get());
    std::vector<hsize_t> shape(static_cast<std::size_t>(std::max(rank, 1))), chunk(shape.size());
    H5Sget_simple_extent_dims(space.get(), shape.data(), nullptr);
    const hdf5::PropertyList creation(checked(H5Dget_create_plist(dataset_.get()), "getting dataset properties"));
    checked(H5Pget_chunk(creation.get(), rank, chunk.data()), "getting the chunk shape");
    row_elements_ = 1;
    for (std::size_t axis = 1; axis < shape.size(); ++axis) row_elements_ *= shape[axis];
    chunk_rows_ = std::max<hsize_t>(chunk[0], 1);
  }
  hid_t get() const { return dataset_.get(); }

  void write(std::size_t first, std::size_t rows, const std::vector<double>& values) {
    if (values.size() != rows * row_elements_)
      throw Failure{name_ + ": " + std::to_string(values.size()) + " values for " + std::to_string(rows) + " rows"};
    if (rows_ > 0 && first != first_ + rows_) flush_all();
    if (rows_ == 0) first_ = first;
    values_.insert(values_.end(), values.begin(), values.end());
    rows_ += rows;
    // Write the complete chunks; keep the rows of the chunk being filled.
    const std::size_t boundary = (first_ + rows_) / chunk_rows_ * chunk_rows_;
    if (boundary > first_) {
      const std::size_t complete = boundary - first_;
      write_slabs(dataset_.get(), first_, complete,
                  std::vector<double>(values_.begin(), values_.begin() + static_cast<long>(complete * row_elements_)),
                  name_);
      values_.erase(values_.begin(), values_.begin() + static_cast<long>(complete * row_elements_));
      first_ = boundary;
      rows_ -= complete;
    }
  }

  void flush_all() {
    if (rows_ > 0) write_slabs(dataset_.get(), first_, rows_, values_, name_);
    values_.clear();
    rows_ = 0;
  }

 private:
  hdf5::Dataset dataset_;
  std::string name_;
  std::size_t row_elements_ = 1;
  std::size_t chunk_rows_ = 1;
  std::size_t first_ = 0;
  std::size_t rows_ = 0;
  std::vector<double> values_;
};

// One dataset per swept parameter, with a value per point or per run: float64 for numbers,
// int64 for whole numbers and booleans, text otherwise.
hdf5::Dataset create_values(hid_t group, const SweepFileParameter& parameter, const std::string& long_name,
                            const std::vector<SweepValue>& values) {
  const std::size_t n = values.size();
  if (parameter.kind == "number") {
    std::vector<double> numbers(n);
    for (std::size_t i = 0; i < n; ++i) numbers[i] = std::get<double>(values[i]);
    return create_fixed(group, parameter.key, "1", long_name, H5T_IEEE_F64LE, {n}, H5T_NATIVE_DOUBLE, numbers.data());
  }
  if (parameter.kind == "integer" || parameter.kind == "boolean") {
    std::vector<std::int64_t> numbers(n);
    for (std::size_t i = 0; i < n; ++i)
      numbers[i] = parameter.kind == "boolean" ? (std::get<bool>(values[i]) ? 1 : 0) : std::get<std::int64_t>(values[i]);
    return create_fixed(group, parameter.key, "1", long_name, H5T_STD_I64LE, {n}, H5T_NATIVE_INT64, numbers.data());
  }
  std::vector<std::string> texts(n);
  for (std::size_t i = 0; i < n; ++i) texts[i] = std::get<std::string>(values[i]);
  return create_text(group, parameter.key, "", long_name, texts);
}

}  // namespace

struct SweepFileWriter::Impl {
  std::filesystem::path target;
  std::filesystem::path partial;
  SweepFileLayout layout;
  bool committed = false;
  bool broken = false;
  std::vector<std::uint8_t> run_written, point_written;
  std::vector<std::uint64_t> seeds;
  std::vector<std::string> statuses;
  std::vector<double> wall_seconds;

  // Declared first, destroyed last: datasets close before their groups, groups before the file.
  hdf5::File file;
  hdf5::Group metrics_group, ties_group, statistics_group;
  std::vector<RowWriter> metric_sets;  // by layout.metrics
  std::vector<RowWriter> tie_sets;     // by layout.tie_layers
  std::vector<std::array<RowWriter, kSweepStatistics.size()>> statistic_sets;
  std::vector<std::int64_t> runs_ok;

  std::string context(const std::string& what) const { return target.string() + ": " + what; }

  void flush_all() {
    for (auto& writer : metric_sets) writer.flush_all();
    for (auto& writer : tie_sets) writer.flush_all();
    for (auto& writers : statistic_sets)
      for (auto& writer : writers) writer.flush_all();
  }
  void close_all() noexcept {
    statistic_sets.clear();
    tie_sets.clear();
    metric_sets.clear();
    statistics_group.reset();
    ties_group.reset();
    metrics_group.reset();
  }
  void discard() noexcept {
    close_all();
    file.reset();
    std::error_code ignored;
    std::filesystem::remove(partial, ignored);
  }

  std::size_t value_count(const SweepMetric& metric) const {
    return layout.time.size() * (metric.per_pair ? layout.pairs.size() : 1);
  }

  void write_root();
  void write_provenance();
  void write_parameters();
  void write_design();
  void create_metrics();
  void create_ties();
  void create_statistics();
  void write_runs();
  void write_time_axis(hid_t group, hdf5::Dataset& time_scale);
  void write_pair_axis(hid_t group, hdf5::Dataset& pair_scale);
};

void SweepFileWriter::Impl::write_root() {
  const hid_t root = file.get();
  set_text_attribute(root, schema::root::kTitle, ss::root::kTitleValue);
  set_text_attribute(root, schema::root::kVersion, layout.program_version);
  set_text_attribute(root, ss::root::kDesign, layout.design);
  set_int64_attribute(root, ss::root::kReplicates, layout.replicates);
  set_number_attribute(root, ss::root::kCommonRandomNumbers, H5T_STD_I8LE, H5T_NATIVE_INT8,
                       static_cast<std::int8_t>(layout.common_random_numbers ? 1 : 0));
  set_number_attribute(root, ss::root::kBaseSeed, H5T_STD_U64LE, H5T_NATIVE_UINT64, layout.base_seed);
  set_text_attribute(root, schema::root::kScenarioFile, layout.scenario_file);
  set_text_attribute(root, schema::root::kCommandLine, layout.command_line);
  set_int64_attribute(root, ss::root::kPoints, static_cast<std::int64_t>(layout.points));
  set_int64_attribute(root, ss::root::kRuns, static_cast<std::int64_t>(layout.runs()));
  set_text_attribute(root, ss::root::kRecord, layout.record);
  set_int64_attribute(root, ss::root::kRecordTiesEvery, layout.record_ties_every);
  set_text_attribute(root, schema::root::kStartPeriod, layout.start_period);
  set_int64_attribute(root, schema::root::kSteps, layout.steps);
  set_text_attribute(root, schema::root::kTimeConvention, schema::root::kTimeConventionValue);
  set_text_attribute(root, ss::root::kSpecHash, layout.spec_hash);
  set_text_attribute(root, ss::root::kSeedRule, ss::root::kSeedRuleValue);
}

void SweepFileWriter::Impl::write_provenance() {
  namespace p = schema::provenance;
  const hdf5::Group group = create_group(file.get(), ss::group::kProvenance);
  const hid_t g = group.get();
  create_scalar_text(g, ss::provenance::kScenarioResolved, layout.scenario_resolved);
  create_scalar_text(g, ss::provenance::kSweepSpec, layout.sweep_spec);
  create_scalar_text(g, p::kScenarioFile, layout.scenario_file);
  const hdf5::Dataset chain = create_index_scale(g, schema::dim::kChain, layout.extends_chain.size());
  attach(create_text(g, p::kExtendsChain, layout.extends_chain).get(), chain.get(), 0);
  create_scalar_text(g, p::kCommandLine, layout.command_line);
  create_scalar_text(g, p::kProgramVersion, layout.program_version);
  create_scalar_text(g, ss::provenance::kSpecHash, layout.spec_hash);
}

void SweepFileWriter::Impl::write_parameters() {
  const hdf5::Group group = create_group(file.get(), ss::group::kParameters);
  const hid_t g = group.get();
  std::vector<std::string> keys, kinds;
  std::vector<double> low, high;
  for (const auto& parameter : layout.parameters) {
    keys.push_back(parameter.key);
    kinds.push_back(parameter.kind);
    low.push_back(parameter.low);
    high.push_back(parameter.high);
  }
  const hdf5::Dataset scale = create_text_scale(g, ss::dim::kParameter, keys);
  const std::vector<hsize_t> shape{keys.size()};
  attach(create_text(g, ss::parameters::kKind, kinds).get(), scale.get(), 0);
  attach(create_fixed(g, ss::parameters::kLow, H5T_IEEE_F64LE, shape, H5T_NATIVE_DOUBLE, low.data()).get(), scale.get(), 0);
  attach(create_fixed(g, ss::parameters::kHigh, H5T_IEEE_F64LE, shape, H5T_NATIVE_DOUBLE, high.data()).get(), scale.get(), 0);
}

void SweepFileWriter::Impl::write_design() {
  namespace d = ss::design;
  const hdf5::Group group = create_group(file.get(), ss::group::kDesign);
  const hid_t g = group.get();
  const hdf5::Dataset point = create_index_scale(g, ss::dim::kPoint, layout.points);
  for (std::size_t i = 0; i < layout.parameters.size(); ++i) {
    const auto& parameter = layout.parameters[i];
    attach(create_values(g, parameter, "value of " + parameter.key + " at the design point", layout.design_values[i]).get(),
           point.get(), 0);
  }
  if (!layout.morris_trajectory.empty()) {
    attach(create_int64(g, d::kMorrisTrajectory, layout.morris_trajectory).get(), point.get(), 0);
    attach(create_int64(g, d::kMorrisChanged, layout.morris_changed_parameter).get(), point.get(), 0);
    set_int64_attribute(g, d::kMorrisLevels, layout.morris_levels);
    set_number_attribute(g, d::kMorrisDelta, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, layout.morris_delta);
  }
  if (!layout.saltelli_sample.empty()) {
    attach(create_int64(g, d::kSaltelliSample, layout.saltelli_sample).get(), point.get(), 0);
    attach(create_text(g, d::kSaltelliBlock, layout.saltelli_block).get(), point.get(), 0);
    set_int64_attribute(g, d::kSaltelliBaseSamples, layout.saltelli_base_samples);
  }
}

void SweepFileWriter::Impl::write_time_axis(hid_t group, hdf5::Dataset& time_scale) {
  time_scale = create_fixed(group, schema::dim::kTime, H5T_IEEE_F64LE, {layout.time.size()}, H5T_NATIVE_DOUBLE,
                            layout.time.data());
  make_scale(time_scale.get(), schema::dim::kTime.name);
  attach(create_text(group, schema::kPeriodLabel, layout.period_label).get(), time_scale.get(), 0);
}

void SweepFileWriter::Impl::write_pair_axis(hid_t group, hdf5::Dataset& pair_scale) {
  pair_scale = create_text_scale(group, schema::dim::kPair, layout.pairs);
  attach(create_text(group, schema::metrics::kPairAgent, layout.pair_agents).get(), pair_scale.get(), 0);
  attach(create_text(group, schema::metrics::kPairPartner, layout.pair_partners).get(), pair_scale.get(), 0);
}

void SweepFileWriter::Impl::create_metrics() {
  metrics_group = create_group(file.get(), ss::group::kMetrics);
  const hid_t g = metrics_group.get();
  const hdf5::Dataset run = create_index_scale(g, ss::dim::kRun, layout.runs());
  hdf5::Dataset time, pair;
  write_time_axis(g, time);
  write_pair_axis(g, pair);
  for (const SweepMetric& metric : layout.metrics) {
    std::vector<hsize_t> shape{layout.runs(), layout.time.size()};
    if (metric.per_pair) shape.push_back(layout.pairs.size());
    hdf5::Dataset dataset = create_array(g, metric.name, metric.units, metric.long_name, shape);
    if (metric.has_presence_threshold)
      set_number_attribute(dataset.get(), schema::kPresenceThreshold, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                           metric.presence_threshold);
    attach(dataset.get(), run.get(), 0);
    attach(dataset.get(), time.get(), 1);
    if (metric.per_pair) attach(dataset.get(), pair.get(), 2);
    metric_sets.emplace_back(std::move(dataset), metric.name);
  }
}

void SweepFileWriter::Impl::create_ties() {
  namespace t = ss::ties;
  ties_group = create_group(file.get(), ss::group::kTies);
  const hid_t g = ties_group.get();
  const hdf5::Dataset run = create_index_scale(g, ss::dim::kRun, layout.runs());
  const std::size_t snapshots = layout.snapshot_time.size();
  const hdf5::Dataset snapshot = create_fixed(g, ss::dim::kSnapshotTime, H5T_IEEE_F64LE, {snapshots},
                                              H5T_NATIVE_DOUBLE, layout.snapshot_time.data());
  make_scale(snapshot.get(), ss::dim::kSnapshotTime.name);
  attach(create_text(g, t::kSnapshotLabel, layout.snapshot_label).get(), snapshot.get(), 0);
  attach(create_int64(g, t::kSnapshotStep, layout.snapshot_step).get(), snapshot.get(), 0);
  const hdf5::Dataset agent = create_text_scale(g, schema::dim::kAgent, layout.agents);
  const hdf5::Dataset partner = create_text_scale(g, schema::dim::kPartner, layout.agents);
  const std::size_t n = layout.agents.size();
  for (const SweepTieLayer& layer : layout.tie_layers) {
    hdf5::Dataset dataset = create_array(g, layer.name, layer.units, layer.long_name, {layout.runs(), snapshots, n, n});
    set_number_attribute(dataset.get(), schema::kDirected, H5T_STD_I8LE, H5T_NATIVE_INT8,
                         static_cast<std::int8_t>(layer.directed ? 1 : 0));
    attach(dataset.get(), run.get(), 0);
    attach(dataset.get(), snapshot.get(), 1);
    attach(dataset.get(), agent.get(), 2);
    attach(dataset.get(), partner.get(), 3);
    tie_sets.emplace_back(std::move(dataset), layer.name);
  }
}

void SweepFileWriter::Impl::create_statistics() {
  statistics_group = create_group(file.get(), ss::group::kStatistics);
  const hid_t g = statistics_group.get();
  const hdf5::Dataset point = create_index_scale(g, ss::dim::kPoint, layout.points);
  hdf5::Dataset time, pair;
  write_time_axis(g, time);
  write_pair_axis(g, pair);
  static constexpr std::array<const char*, kSweepStatistics.size()> kWhat = {
      "mean across the replicates of the point of: ", "sample standard deviation (ddof = 1) across the replicates of: ",
      "5% quantile (linear interpolation, numpy's default) across the replicates of: ",
      "median across the replicates of: ", "95% quantile (linear interpolation) across the replicates of: "};
  for (const SweepMetric& metric : layout.metrics) {
    std::vector<hsize_t> shape{layout.points, layout.time.size()};
    if (metric.per_pair) shape.push_back(layout.pairs.size());
    auto& sets = statistic_sets.emplace_back();
    for (std::size_t s = 0; s < kSweepStatistics.size(); ++s) {
      const std::string name = metric.name + "_" + kSweepStatistics[s];
      hdf5::Dataset dataset = create_array(g, name, metric.units, kWhat[s] + metric.long_name, shape);
      attach(dataset.get(), point.get(), 0);
      attach(dataset.get(), time.get(), 1);
      if (metric.per_pair) attach(dataset.get(), pair.get(), 2);
      sets[s] = RowWriter(std::move(dataset), name);
    }
  }
}

void SweepFileWriter::Impl::write_runs() {
  namespace r = ss::runs;
  const hdf5::Group group = create_group(file.get(), ss::group::kRuns);
  const hid_t g = group.get();
  const std::size_t runs = layout.runs();
  const auto replicates = static_cast<std::size_t>(layout.replicates);
  const hdf5::Dataset run = create_index_scale(g, ss::dim::kRun, runs);
  std::vector<std::int64_t> points(runs), replicate(runs);
  for (std::size_t i = 0; i < runs; ++i) {
    points[i] = static_cast<std::int64_t>(i / replicates);
    replicate[i] = static_cast<std::int64_t>(i % replicates);
  }
  const std::vector<hsize_t> shape{runs};
  attach(create_int64(g, r::kDesignPoint, points).get(), run.get(), 0);
  attach(create_int64(g, r::kReplicate, replicate).get(), run.get(), 0);
  for (std::size_t i = 0; i < layout.parameters.size(); ++i) {
    std::vector<SweepValue> values(runs);
    for (std::size_t j = 0; j < runs; ++j) values[j] = layout.design_values[i][j / replicates];
    const auto& parameter = layout.parameters[i];
    attach(create_values(g, parameter, "value of " + parameter.key + " in the run", values).get(), run.get(), 0);
  }
  attach(create_fixed(g, r::kSeed, H5T_STD_U64LE, shape, H5T_NATIVE_UINT64, seeds.data()).get(), run.get(), 0);
  attach(create_text(g, r::kStatus, statuses).get(), run.get(), 0);
  attach(create_fixed(g, r::kWallSeconds, H5T_IEEE_F64LE, shape, H5T_NATIVE_DOUBLE, wall_seconds.data()).get(),
         run.get(), 0);
}

SweepFileWriter::SweepFileWriter(std::filesystem::path target, const SweepFileLayout& layout)
    : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.target = std::move(target);
  m.layout = layout;
  const std::size_t runs = layout.runs();
  if (layout.design_values.size() != layout.parameters.size())
    throw OutputError(m.context("the design has " + std::to_string(layout.design_values.size()) + " columns for " +
                                std::to_string(layout.parameters.size()) + " parameters"));
  m.run_written.assign(runs, 0);
  m.point_written.assign(layout.points, 0);
  m.seeds.assign(runs, 0);
  m.statuses.assign(runs, "");
  m.wall_seconds.assign(runs, 0.0);
  m.runs_ok.assign(layout.points, 0);

  output_folder_of(m.target);  // throws OutputError naming what is wrong with the path
  m.partial = temporary_path_for(m.target, ".partial-", true);

  const hdf5::QuietErrors quiet;
  try {
    m.file = create_file(m.partial.string());
    m.write_root();
    m.write_provenance();
    m.write_parameters();
    m.write_design();
    m.create_metrics();
    if (!layout.snapshot_step.empty()) m.create_ties();
    m.create_statistics();
  } catch (const Failure& failure) {
    m.discard();
    throw OutputError(m.context(failure.what));
  } catch (...) {
    m.discard();
    throw;
  }
}

SweepFileWriter::~SweepFileWriter() {
  if (impl_ && !impl_->committed) {
    const hdf5::QuietErrors quiet;
    impl_->discard();
  }
}

void SweepFileWriter::write_run(const SweepRunRecord& record) { write_runs(std::span(&record, 1)); }

void SweepFileWriter::write_runs(std::span<const SweepRunRecord> records) {
  Impl& m = *impl_;
  if (m.committed || !m.file.valid()) throw OutputError(m.context("write_runs() after commit()"));
  if (records.empty()) return;
  const std::size_t first = records.front().run;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const SweepRunRecord& record = records[i];
    const std::size_t run = record.run;
    if (run != first + i) throw OutputError(m.context("write_runs(): run indices are not consecutive"));
    if (run >= m.layout.runs()) throw OutputError(m.context("run " + std::to_string(run) + " is not in the sweep"));
    if (m.run_written[run]) throw OutputError(m.context("run " + std::to_string(run) + " written twice"));
    if (record.metrics.size() != m.layout.metrics.size())
      throw OutputError(m.context("run " + std::to_string(run) + ": " + std::to_string(record.metrics.size()) +
                                  " metrics, expected " + std::to_string(m.layout.metrics.size())));
    if (!m.tie_sets.empty() && record.ties.size() != m.tie_sets.size())
      throw OutputError(m.context("run " + std::to_string(run) + ": " + std::to_string(record.ties.size()) +
                                  " tie snapshots, expected " + std::to_string(m.tie_sets.size())));
  }
  // One write per dataset for all the runs: their values one after the other.
  auto joined = [&](auto member, std::size_t index) {
    std::vector<double> values;
    for (const SweepRunRecord& record : records) {
      const std::vector<double>& part = (record.*member)[index];
      values.insert(values.end(), part.begin(), part.end());
    }
    return values;
  };
  const hdf5::QuietErrors quiet;
  try {
    for (std::size_t i = 0; i < m.layout.metrics.size(); ++i)
      m.metric_sets[i].write(first, records.size(), joined(&SweepRunRecord::metrics, i));
    for (std::size_t i = 0; i < m.tie_sets.size(); ++i) m.tie_sets[i].write(first, records.size(), joined(&SweepRunRecord::ties, i));
  } catch (const Failure& failure) {
    m.broken = true;
    throw OutputError(m.context(failure.what));
  }
  for (const SweepRunRecord& record : records) {
    m.run_written[record.run] = 1;
    m.seeds[record.run] = record.seed;
    m.statuses[record.run] = record.status;
    m.wall_seconds[record.run] = record.wall_seconds;
  }
}

void SweepFileWriter::write_statistics(std::size_t point, const SweepPointStatistics& statistics) {
  Impl& m = *impl_;
  if (m.committed || !m.file.valid()) throw OutputError(m.context("write_statistics() after commit()"));
  if (point >= m.layout.points) throw OutputError(m.context("point " + std::to_string(point) + " is not in the design"));
  if (statistics.metrics.size() != m.layout.metrics.size())
    throw OutputError(m.context("statistics of point " + std::to_string(point) + ": wrong number of metrics"));
  const hdf5::QuietErrors quiet;
  try {
    for (std::size_t i = 0; i < statistics.metrics.size(); ++i)
      for (std::size_t s = 0; s < kSweepStatistics.size(); ++s)
        m.statistic_sets[i][s].write(point, 1, statistics.metrics[i][s]);
  } catch (const Failure& failure) {
    m.broken = true;
    throw OutputError(m.context(failure.what));
  }
  m.point_written[point] = 1;
  m.runs_ok[point] = statistics.runs_ok;
}

void SweepFileWriter::commit(bool overwrite) {
  Impl& m = *impl_;
  if (m.committed || !m.file.valid()) throw OutputError(m.context("commit() after commit()"));
  if (m.broken) throw OutputError(m.context("not committed: an earlier write failed"));
  if (auto missing = std::find(m.run_written.begin(), m.run_written.end(), 0); missing != m.run_written.end())
    throw OutputError(m.context("not committed: run " + std::to_string(missing - m.run_written.begin()) +
                                " was never written"));
  if (auto missing = std::find(m.point_written.begin(), m.point_written.end(), 0); missing != m.point_written.end())
    throw OutputError(m.context("not committed: no statistics for point " +
                                std::to_string(missing - m.point_written.begin())));
  const hdf5::QuietErrors quiet;
  try {
    {
      const hdf5::Dataset point(checked(
          H5Dopen2(m.statistics_group.get(), str(ss::dim::kPoint.name).c_str(), H5P_DEFAULT), "opening the point scale"));
      const hdf5::Dataset runs_ok = create_int64(m.statistics_group.get(), ss::statistics::kRunsOk, m.runs_ok);
      attach(runs_ok.get(), point.get(), 0);
    }
    m.flush_all();
    m.write_runs();
    m.close_all();
    check(H5Fflush(m.file.get(), H5F_SCOPE_LOCAL), "flushing the file");
    if (m.file.reset() < 0) throw Failure{"closing the file: " + hdf5::innermost_error()};
  } catch (const Failure& failure) {
    m.discard();
    throw OutputError(m.context(failure.what));
  }
  try {
    const PendingFile file{m.partial, m.target};
    move_all_into_place({&file, 1}, overwrite);
  } catch (const TargetExists&) {
    m.discard();
    throw;
  } catch (const OutputError& error) {
    m.discard();
    throw OutputError(m.context(error.what()));
  }
  m.committed = true;
}

}  // namespace policysim
