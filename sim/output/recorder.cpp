#include "sim/output/recorder.hpp"

#include <map>

#include "sim/dynamics/firms/b2b_cooperation.hpp"
#include "sim/dynamics/firms/b2b_trade.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <hdf5_hl.h>

#include "sim/output/hdf5_handle.hpp"
#include "sim/output/hdf5_write.hpp"
#include "sim/output/schema.hpp"

namespace policysim {
namespace {

using namespace hdf5_write;  // check, checked, Failure, utf8_string_type, attributes, groups
using hdf5_write::create_fixed;  // overloaded below with a schema::Column

// Chunks of about this many bytes: big enough for deflate and for reading a long time series
// of one tie, small enough that the default 1 MiB chunk cache holds every open chunk.
constexpr std::size_t kTargetChunkBytes = 64 * 1024;
constexpr unsigned kDeflateLevel = 4;
// A variable-length string element is stored as a 16-byte reference into the global heap.
constexpr std::size_t kStringElementBytes = 16;
// Type-conversion buffer of a write. HDF5 zero-fills its default 1 MiB buffer on every write that
// converts (every string write): with a few thousand milestone strings that alone took seconds.
constexpr std::size_t kConversionBufferBytes = 64 * 1024;

// ---- groups and datasets ------------------------------------------------------------------


hdf5::Dataset create_fixed(hid_t group, const schema::Column& column, hid_t file_type,
                           const std::vector<hsize_t>& shape, hid_t memory_type, const void* data) {
  return create_fixed(group, column.name, column.units, column.long_name, file_type, shape, memory_type, data);
}

hdf5::Dataset create_fixed_text(hid_t group, const schema::Column& column, const std::vector<std::string>& texts) {
  const hdf5::Datatype type = utf8_string_type();
  const std::vector<const char*> pointers = c_strings(texts);
  return create_fixed(group, column, type.get(), {texts.size()}, type.get(), pointers.data());
}

hdf5::Dataset create_scalar_text(hid_t group, const schema::Column& column, const std::string& text) {
  const hdf5::Datatype type = utf8_string_type();
  const char* pointer = text.c_str();
  return create_fixed(group, column, type.get(), {}, type.get(), &pointer);
}

void make_scale(hid_t dataset, std::string_view name) {
  check(H5DSset_scale(dataset, str(name).c_str()), "making " + str(name) + " a dimension scale");
}

void attach(hid_t dataset, hid_t scale, unsigned axis) {
  check(H5DSattach_scale(dataset, scale, axis), "attaching a dimension scale");
}

// A dataset that grows by one row along its first (time or event) axis per append. Chunked,
// with unlimited first axis; numbers are compressed with shuffle + deflate. Text is chunked
// but not compressed: deflate would only squeeze the heap references, not the strings, and
// netCDF-C refuses filters on variable-length types when it rewrites a file (nccopy).
class Appendable {
 public:
  Appendable() = default;
  Appendable(hid_t group, std::string_view name, std::string_view units, std::string_view long_name, hid_t file_type,
             std::vector<hsize_t> row_shape, hsize_t rows_hint)
      : row_shape_(std::move(row_shape)) {
    const bool is_text = H5Tis_variable_str(file_type) > 0;
    const std::size_t element_bytes = is_text ? kStringElementBytes : H5Tget_size(file_type);
    std::size_t row_bytes = element_bytes;
    for (hsize_t extent : row_shape_) row_bytes *= std::max<hsize_t>(extent, 1);
    const hsize_t chunk_rows =
        std::clamp<hsize_t>(kTargetChunkBytes / row_bytes, 1, std::max<hsize_t>(rows_hint, 1));

    std::vector<hsize_t> shape{0}, max_shape{H5S_UNLIMITED}, chunk{chunk_rows};
    for (hsize_t extent : row_shape_) {
      shape.push_back(extent);
      // A chunk may not exceed a fixed axis, and must hold at least one element: an empty
      // axis (a scenario without pairs of interest) is made extendible instead.
      max_shape.push_back(extent == 0 ? H5S_UNLIMITED : extent);
      chunk.push_back(std::max<hsize_t>(extent, 1));
    }
    const std::string dataset_name(name);
    const auto rank = static_cast<int>(shape.size());
    const hdf5::Dataspace space(checked(H5Screate_simple(rank, shape.data(), max_shape.data()),
                                        "creating the dataspace of " + dataset_name));
    const hdf5::PropertyList properties = dataset_creation_properties();
    check(H5Pset_chunk(properties.get(), rank, chunk.data()), "chunking " + dataset_name);
    if (!is_text) {
      check(H5Pset_shuffle(properties.get()), "adding the shuffle filter to " + dataset_name);
      check(H5Pset_deflate(properties.get(), kDeflateLevel), "adding the deflate filter to " + dataset_name);
    }
    dataset_ = hdf5::Dataset(checked(
        H5Dcreate2(group, dataset_name.c_str(), file_type, space.get(), H5P_DEFAULT, properties.get(), H5P_DEFAULT),
        "creating dataset " + dataset_name));
    describe(dataset_.get(), units, long_name);
    transfer_ = hdf5::PropertyList(checked(H5Pcreate(H5P_DATASET_XFER), "creating transfer properties"));
    const std::size_t buffer = std::max(kConversionBufferBytes, row_bytes);
    check(H5Pset_buffer(transfer_.get(), buffer, nullptr, nullptr), "sizing the conversion buffer of " + dataset_name);
  }

  Appendable(hid_t group, const schema::Column& column, hid_t file_type, std::vector<hsize_t> row_shape,
             hsize_t rows_hint)
      : Appendable(group, column.name, column.units, column.long_name, file_type, std::move(row_shape), rows_hint) {}
  Appendable(hid_t group, const schema::LayerColumn& column, hid_t file_type, std::vector<hsize_t> row_shape,
             hsize_t rows_hint)
      : Appendable(group, column.name, column.units, column.long_name, file_type, std::move(row_shape), rows_hint) {}

  hid_t id() const { return dataset_.get(); }

  // Appends one row; `row` holds the row's elements in C order, of `memory_type`.
  void append(hid_t memory_type, const void* row) { append_rows(memory_type, row, 1); }

  // Appends `count_rows` rows at once (an edge list), in C order.
  void append_rows(hid_t memory_type, const void* rows, hsize_t count_rows) {
    if (count_rows == 0) return;
    std::vector<hsize_t> extent{rows_ + count_rows}, start{rows_}, count{count_rows};
    hsize_t elements = 1;
    for (hsize_t axis : row_shape_) {
      extent.push_back(axis);
      start.push_back(0);
      count.push_back(axis);
      elements *= axis;
    }
    check(H5Dset_extent(dataset_.get(), extent.data()), "extending a dataset");
    rows_ += count_rows;
    if (elements == 0) return;
    const hdf5::Dataspace file_space(checked(H5Dget_space(dataset_.get()), "getting a dataspace"));
    check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr),
          "selecting a row");
    const hdf5::Dataspace memory_space(
        checked(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr), "creating a dataspace"));
    check(H5Dwrite(dataset_.get(), memory_type, memory_space.get(), file_space.get(), transfer_.get(), rows),
          "writing rows");
  }

 private:
  hdf5::Dataset dataset_;
  hdf5::PropertyList transfer_;
  std::vector<hsize_t> row_shape_;
  hsize_t rows_ = 0;
};

// The time axis of one group: its own `time` scale and `period_label`.
struct TimeAxis {
  Appendable time;
  Appendable period_label;

  TimeAxis() = default;
  TimeAxis(hid_t group, hid_t string_type, hsize_t rows_hint)
      : time(group, schema::dim::kTime, H5T_IEEE_F64LE, {}, rows_hint),
        period_label(group, schema::kPeriodLabel, string_type, {}, rows_hint) {
    make_scale(time.id(), schema::dim::kTime.name);
    attach(period_label.id(), time.id(), 0);
  }

  void append(Period period, hid_t string_type) {
    const double year = period.decimal_year();
    const std::string label = period.label();
    const char* pointer = label.c_str();
    time.append(H5T_NATIVE_DOUBLE, &year);
    period_label.append(string_type, &pointer);
  }
};

// An agent axis: a scale of agent codes (named `agent` or `partner`).
hdf5::Dataset create_code_scale(hid_t group, const schema::Column& column, const std::vector<std::string>& codes) {
  hdf5::Dataset scale = create_fixed_text(group, column, codes);
  make_scale(scale.get(), column.name);
  return scale;
}

}  // namespace

// Every open HDF5 object of the file. Members are destroyed in reverse order, so the datasets
// close before their groups and the groups before the file.
// A long table of edge-list snapshots (one row per edge per snapshot, along its own axis), as a
// pandas user loads it in one call: the B2B cooperation ties and the B2B trade flows.
struct EdgeSnapshots {
  struct Columns {
    schema::Column axis, first, second, value;
  };
  hdf5::Group group;
  Appendable index, snapshot_time, period_label, first, second, value;
  std::int64_t written = 0;

  void create(hid_t file, std::string_view name, const Columns& columns, hid_t text, std::int64_t every) {
    namespace f = schema::firms;
    constexpr hsize_t kChunk = 8192;
    group = create_group(file, name);
    const hid_t g = group.get();
    index = Appendable(g, columns.axis, H5T_STD_I64LE, {}, kChunk);
    make_scale(index.id(), columns.axis.name);
    snapshot_time = Appendable(g, f::kSnapshotTime, H5T_IEEE_F64LE, {}, kChunk);
    period_label = Appendable(g, f::kSnapshotLabel, text, {}, kChunk);
    first = Appendable(g, columns.first, H5T_STD_I64LE, {}, kChunk);
    second = Appendable(g, columns.second, H5T_STD_I64LE, {}, kChunk);
    value = Appendable(g, columns.value, H5T_IEEE_F64LE, {}, kChunk);
    for (const Appendable* column : {&snapshot_time, &period_label, &first, &second, &value})
      attach(column->id(), index.id(), 0);
    set_number_attribute(g, f::kEveryAttribute, H5T_STD_I64LE, H5T_NATIVE_INT64, every);
  }

  void append(const Period& period, std::span<const std::uint32_t> from, std::span<const std::uint32_t> to,
              std::span<const double> values, hid_t text) {
    const std::size_t rows = values.size();
    std::vector<std::int64_t> row_index(rows), a(from.begin(), from.end()), b(to.begin(), to.end());
    for (std::size_t e = 0; e < rows; ++e) row_index[e] = written + static_cast<std::int64_t>(e);
    const std::vector<double> time(rows, period.decimal_year());
    const std::string label = period.label();
    const std::vector<const char*> labels(rows, label.c_str());
    const auto count = static_cast<hsize_t>(rows);
    index.append_rows(H5T_NATIVE_INT64, row_index.data(), count);
    snapshot_time.append_rows(H5T_NATIVE_DOUBLE, time.data(), count);
    period_label.append_rows(text, labels.data(), count);
    first.append_rows(H5T_NATIVE_INT64, a.data(), count);
    second.append_rows(H5T_NATIVE_INT64, b.data(), count);
    value.append_rows(H5T_NATIVE_DOUBLE, values.data(), count);
    written += static_cast<std::int64_t>(rows);
  }
};

struct OpenObjects {
  hdf5::Datatype string_type;
  hdf5::Group ties, state, metrics, events, pair_group, milestones;

  TimeAxis ties_time;
  std::vector<Appendable> tie_layers;  // by index_of(Layer)

  TimeAxis state_time;
  Appendable leader;
  std::vector<Appendable> attributes;  // by index_of(GovernmentAttributeId)

  TimeAxis pairs_time;
  std::vector<Appendable> pair_attributes;  // by index_of(PairAttributeId)

  TimeAxis metrics_time;
  std::vector<Appendable> density, mean_strength, pairs;  // by index_of(Layer)

  Appendable event_index, event_period_label, event_time, event_name, event_kind, event_detail;

  Appendable milestone_index, milestone_period_label, milestone_time, milestone_pair_label, milestone_pair_agent,
      milestone_pair_partner, milestone_kind, milestone_strength;

  // Firms (only when the scenario has firm populations).
  Appendable b2b_by_country;                       // /ties/b2b_cooperation [time, agent, partner]
  Appendable b2b_tie_count, b2b_mean_weight;       // /metrics [time]
  EdgeSnapshots b2b_cooperation;                   // /b2b_cooperation [tie]
  // B2B trade (only with [firms.trade]).
  Appendable trade_by_country;                     // /ties/b2b_trade [time, agent, partner]
  Appendable trade_flow_count, trade_value;        // /metrics [time]
  EdgeSnapshots b2b_trade;                         // /b2b_trade [flow]
};

struct Hdf5Recorder::Impl {
  std::filesystem::path target;
  std::filesystem::path partial;
  std::size_t agents = 0;
  std::size_t pairs = 0;
  std::int64_t events = 0;
  std::int64_t milestones = 0;
  std::vector<std::string> agent_codes;  // by slot, for the milestone log
  bool committed = false;
  bool broken = false;  // a write failed half-way: the groups may disagree, so never commit
  hdf5::File file;
  std::optional<OpenObjects> objects;

  std::string context(const std::string& what) const { return target.string() + ": " + what; }

  // The open file, for a method that writes; throws once the file is committed or closed.
  OpenObjects& writable(std::string_view method) {
    if (committed) throw OutputError(context(str(method) + " after commit()"));
    if (!objects) throw OutputError(context(str(method) + " after a failed commit()"));
    return *objects;
  }

  // Closes every object, then the file; returns false when HDF5 could not flush or close it.
  bool close() {
    objects.reset();
    return file.reset() >= 0;
  }

  // Closes what is open and deletes the temporary file; never throws.
  void discard() noexcept {
    close();
    std::error_code ignored;
    std::filesystem::remove(partial, ignored);
  }

  void write_root_attributes(const Scenario& scenario, const RunProvenance& provenance);
  void write_provenance(const Scenario& scenario, const RunProvenance& provenance);
  void write_agents(const Scenario& scenario);
  void create_time_groups(const Scenario& scenario);
  void create_event_log();
  void create_milestone_log();
  void create_firm_groups(const Scenario& scenario);
  void write_firm_table(const Scenario& scenario, const FirmTable& firms);
  void write_firm_fates(const FirmTable& firms);

  const Scenario* run_scenario = nullptr;  // the caller keeps it alive for the recorder's lifetime
  bool firms_enabled = false;
  int firm_ties_every = 0;
  int last_step = 0;
  bool trade_enabled = false;
};

void Hdf5Recorder::Impl::write_root_attributes(const Scenario& scenario, const RunProvenance& provenance) {
  const hid_t root = file.get();
  set_text_attribute(root, schema::root::kTitle, schema::root::kTitleValue);
  set_text_attribute(root, schema::root::kVersion, provenance.program_version);
  set_number_attribute(root, schema::root::kSeed, H5T_STD_U64LE, H5T_NATIVE_UINT64, scenario.simulation.seed);
  set_text_attribute(root, schema::root::kScenarioFile, scenario.file);
  set_text_attribute(root, schema::root::kCommandLine, provenance.command_line);
  set_text_attribute(root, schema::root::kStartPeriod, scenario.simulation.start.label());
  set_number_attribute(root, schema::root::kSteps, H5T_STD_I32LE, H5T_NATIVE_INT, scenario.simulation.steps);
  set_text_attribute(root, schema::root::kTimeConvention, schema::root::kTimeConventionValue);
}

void Hdf5Recorder::Impl::write_provenance(const Scenario& scenario, const RunProvenance& provenance) {
  namespace p = schema::provenance;
  const hdf5::Group group = create_group(file.get(), schema::group::kProvenance);
  const hid_t g = group.get();
  create_scalar_text(g, p::kScenarioResolved, scenario.resolved_toml);
  create_scalar_text(g, p::kScenarioFile, scenario.file);

  std::vector<std::int64_t> positions(scenario.chain.size());
  for (std::size_t i = 0; i < positions.size(); ++i) positions[i] = static_cast<std::int64_t>(i);
  const hdf5::Dataset chain = create_fixed(g, schema::dim::kChain, H5T_STD_I64LE, {positions.size()},
                                           H5T_NATIVE_INT64, positions.data());
  make_scale(chain.get(), schema::dim::kChain.name);
  const hdf5::Dataset extends_chain = create_fixed_text(g, p::kExtendsChain, scenario.chain);
  attach(extends_chain.get(), chain.get(), 0);

  create_scalar_text(g, p::kCommandLine, provenance.command_line);
  create_scalar_text(g, p::kProgramVersion, provenance.program_version);
  const std::uint64_t seed = scenario.simulation.seed;
  create_fixed(g, p::kSeed, H5T_STD_U64LE, {}, H5T_NATIVE_UINT64, &seed);
}

void Hdf5Recorder::Impl::write_agents(const Scenario& scenario) {
  namespace a = schema::agents;
  const hdf5::Group group = create_group(file.get(), schema::group::kAgents);
  const hid_t g = group.get();
  std::vector<std::string> codes, names, kinds, leaders;
  std::vector<std::uint32_t> stable_ids;
  for (const Government& government : scenario.governments) {
    codes.push_back(government.code);
    names.push_back(government.name);
    kinds.push_back(str(name_of(government.kind)));
    leaders.push_back(government.leader);
    stable_ids.push_back(government.stable_id);
  }
  const hdf5::Dataset agent = create_code_scale(g, schema::dim::kAgent, codes);
  const std::vector<hsize_t> shape{agents};
  const auto with_agent_axis = [&](hdf5::Dataset dataset) { attach(dataset.get(), agent.get(), 0); };
  with_agent_axis(create_fixed_text(g, a::kName, names));
  with_agent_axis(create_fixed_text(g, a::kKind, kinds));
  with_agent_axis(create_fixed_text(g, a::kInitialLeader, leaders));
  with_agent_axis(create_fixed(g, a::kStableId, H5T_STD_U32LE, shape, H5T_NATIVE_UINT32, stable_ids.data()));
  for (std::size_t k = 0; k < kGovernmentAttributeCount; ++k) {
    const GovernmentAttribute& attribute = kGovernmentAttributes[k];
    std::vector<double> values;
    for (const Government& government : scenario.governments) values.push_back(government.attributes[k]);
    hdf5::Dataset dataset = create_fixed(g, attribute.name, a::kAttributeUnits, attribute.doc, H5T_IEEE_F64LE, shape,
                                         H5T_NATIVE_DOUBLE, values.data());
    set_text_attribute(dataset.get(), schema::kSource, attribute.source);
    with_agent_axis(std::move(dataset));
  }
}

void Hdf5Recorder::Impl::create_time_groups(const Scenario& scenario) {
  OpenObjects& o = *objects;
  const hid_t text = o.string_type.get();
  const auto rows_hint = static_cast<hsize_t>(std::max(scenario.simulation.steps, 0)) + 1;
  std::vector<std::string> codes;
  for (const Government& government : scenario.governments) codes.push_back(government.code);

  // /ties: [time, agent, partner] per layer.
  o.ties = create_group(file.get(), schema::group::kTies);
  o.ties_time = TimeAxis(o.ties.get(), text, rows_hint);
  {
    const hdf5::Dataset agent = create_code_scale(o.ties.get(), schema::dim::kAgent, codes);
    const hdf5::Dataset partner = create_code_scale(o.ties.get(), schema::dim::kPartner, codes);
    for (Layer layer : kAllLayers) {
      Appendable& ties = o.tie_layers.emplace_back(o.ties.get(), schema::tie_column(layer), H5T_IEEE_F64LE,
                                                   std::vector<hsize_t>{agents, agents}, rows_hint);
      set_number_attribute(ties.id(), schema::kDirected, H5T_STD_I8LE, H5T_NATIVE_INT8,
                           static_cast<std::int8_t>(info(layer).directed ? 1 : 0));
      attach(ties.id(), o.ties_time.time.id(), 0);
      attach(ties.id(), agent.get(), 1);
      attach(ties.id(), partner.get(), 2);
    }
  }

  // /state: the exogenous drivers, [time, agent].
  o.state = create_group(file.get(), schema::group::kState);
  o.state_time = TimeAxis(o.state.get(), text, rows_hint);
  {
    const hdf5::Dataset agent = create_code_scale(o.state.get(), schema::dim::kAgent, codes);
    o.leader = Appendable(o.state.get(), schema::state::kLeader, text, {agents}, rows_hint);
    attach(o.leader.id(), o.state_time.time.id(), 0);
    attach(o.leader.id(), agent.get(), 1);
    for (const GovernmentAttribute& attribute : kGovernmentAttributes) {
      const std::string_view long_name = attribute.state_long_name.empty() ? attribute.doc : attribute.state_long_name;
      Appendable& values = o.attributes.emplace_back(o.state.get(), attribute.name, schema::state::kAttributeUnits,
                                                     long_name, H5T_IEEE_F64LE, std::vector<hsize_t>{agents}, rows_hint);
      attach(values.id(), o.state_time.time.id(), 0);
      attach(values.id(), agent.get(), 1);
    }
  }

  // /pairs: the pair attributes, [time, agent, partner] each.
  o.pair_group = create_group(file.get(), schema::group::kPairs);
  o.pairs_time = TimeAxis(o.pair_group.get(), text, rows_hint);
  {
    const hdf5::Dataset agent = create_code_scale(o.pair_group.get(), schema::dim::kAgent, codes);
    const hdf5::Dataset partner = create_code_scale(o.pair_group.get(), schema::dim::kPartner, codes);
    for (const PairAttribute& attribute : kPairAttributes) {
      Appendable& values = o.pair_attributes.emplace_back(o.pair_group.get(), attribute.name, schema::pairs::kAttributeUnits,
                                                          attribute.doc, H5T_IEEE_F64LE,
                                                          std::vector<hsize_t>{agents, agents}, rows_hint);
      set_text_attribute(values.id(), schema::kSource, attribute.source);
      attach(values.id(), o.pairs_time.time.id(), 0);
      attach(values.id(), agent.get(), 1);
      attach(values.id(), partner.get(), 2);
    }
  }

  // /metrics: per layer, density and mean strength [time], pairs of interest [time, pair].
  o.metrics = create_group(file.get(), schema::group::kMetrics);
  o.metrics_time = TimeAxis(o.metrics.get(), text, rows_hint);
  {
    std::vector<std::string> labels, pair_agents, pair_partners;
    for (const AgentPair& pair : scenario.pairs_of_interest) {
      labels.push_back(pair.label);
      pair_agents.push_back(scenario.governments.at(pair.a).code);
      pair_partners.push_back(scenario.governments.at(pair.b).code);
    }
    const hdf5::Dataset pair = create_code_scale(o.metrics.get(), schema::dim::kPair, labels);
    attach(create_fixed_text(o.metrics.get(), schema::metrics::kPairAgent, pair_agents).get(), pair.get(), 0);
    attach(create_fixed_text(o.metrics.get(), schema::metrics::kPairPartner, pair_partners).get(), pair.get(), 0);
    for (Layer layer : kAllLayers) {
      Appendable& density =
          o.density.emplace_back(o.metrics.get(), schema::density_column(layer), H5T_IEEE_F64LE,
                                 std::vector<hsize_t>{}, rows_hint);
      set_number_attribute(density.id(), schema::kPresenceThreshold, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                           scenario.layer_dynamics[index_of(layer)].presence_threshold);
      attach(density.id(), o.metrics_time.time.id(), 0);
      Appendable& mean = o.mean_strength.emplace_back(o.metrics.get(), schema::mean_strength_column(layer),
                                                      H5T_IEEE_F64LE, std::vector<hsize_t>{}, rows_hint);
      attach(mean.id(), o.metrics_time.time.id(), 0);
      Appendable& values = o.pairs.emplace_back(o.metrics.get(), schema::pairs_column(layer), H5T_IEEE_F64LE,
                                                std::vector<hsize_t>{pairs}, rows_hint);
      attach(values.id(), o.metrics_time.time.id(), 0);
      attach(values.id(), pair.get(), 1);
    }
  }
}

void Hdf5Recorder::Impl::create_event_log() {
  namespace e = schema::events;
  OpenObjects& o = *objects;
  const hid_t text = o.string_type.get();
  // Events are few; chunks of 64 entries.
  constexpr hsize_t kEventChunk = 64;
  o.events = create_group(file.get(), schema::group::kEvents);
  const hid_t g = o.events.get();
  o.event_index = Appendable(g, schema::dim::kEvent, H5T_STD_I64LE, {}, kEventChunk);
  make_scale(o.event_index.id(), schema::dim::kEvent.name);
  o.event_period_label = Appendable(g, e::kPeriodLabel, text, {}, kEventChunk);
  o.event_time = Appendable(g, e::kEventTime, H5T_IEEE_F64LE, {}, kEventChunk);
  o.event_name = Appendable(g, e::kName, text, {}, kEventChunk);
  o.event_kind = Appendable(g, e::kKind, text, {}, kEventChunk);
  o.event_detail = Appendable(g, e::kDetail, text, {}, kEventChunk);
  for (const Appendable* column : {&o.event_period_label, &o.event_time, &o.event_name, &o.event_kind, &o.event_detail})
    attach(column->id(), o.event_index.id(), 0);
}

void Hdf5Recorder::Impl::create_milestone_log() {
  namespace m = schema::milestones;
  OpenObjects& o = *objects;
  const hid_t text = o.string_type.get();
  constexpr hsize_t kMilestoneChunk = 256;
  o.milestones = create_group(file.get(), schema::group::kMilestones);
  const hid_t g = o.milestones.get();
  o.milestone_index = Appendable(g, schema::dim::kMilestone, H5T_STD_I64LE, {}, kMilestoneChunk);
  make_scale(o.milestone_index.id(), schema::dim::kMilestone.name);
  o.milestone_period_label = Appendable(g, m::kPeriodLabel, text, {}, kMilestoneChunk);
  o.milestone_time = Appendable(g, m::kMilestoneTime, H5T_IEEE_F64LE, {}, kMilestoneChunk);
  o.milestone_pair_label = Appendable(g, m::kPairLabel, text, {}, kMilestoneChunk);
  o.milestone_pair_agent = Appendable(g, m::kPairAgent, text, {}, kMilestoneChunk);
  o.milestone_pair_partner = Appendable(g, m::kPairPartner, text, {}, kMilestoneChunk);
  o.milestone_kind = Appendable(g, m::kKind, text, {}, kMilestoneChunk);
  o.milestone_strength = Appendable(g, m::kStrength, H5T_IEEE_F64LE, {}, kMilestoneChunk);
  for (const Appendable* column : {&o.milestone_period_label, &o.milestone_time, &o.milestone_pair_label,
                                   &o.milestone_pair_agent, &o.milestone_pair_partner, &o.milestone_kind,
                                   &o.milestone_strength})
    attach(column->id(), o.milestone_index.id(), 0);
}

void Hdf5Recorder::Impl::create_firm_groups(const Scenario& scenario) {
  namespace f = schema::firms;
  OpenObjects& o = *objects;
  const hid_t text = o.string_type.get();
  const auto rows_hint = static_cast<hsize_t>(std::max(scenario.simulation.steps, 0)) + 1;
  // A [time, agent, partner] country aggregate beside the government layers, on the /ties axes.
  const hdf5::Dataset agent(checked(H5Dopen2(o.ties.get(), str(schema::dim::kAgent.name).c_str(), H5P_DEFAULT),
                                    "opening the agent scale of /ties"));
  const hdf5::Dataset partner(checked(H5Dopen2(o.ties.get(), str(schema::dim::kPartner.name).c_str(), H5P_DEFAULT),
                                      "opening the partner scale of /ties"));
  const auto by_country = [&](const schema::Column& column) {
    Appendable dataset(o.ties.get(), column, H5T_IEEE_F64LE, std::vector<hsize_t>{agents, agents}, rows_hint);
    attach(dataset.id(), o.ties_time.time.id(), 0);
    attach(dataset.id(), agent.get(), 1);
    attach(dataset.id(), partner.get(), 2);
    return dataset;
  };
  // A [time] series in /metrics.
  const auto per_step = [&](const schema::Column& column) {
    Appendable dataset(o.metrics.get(), column, H5T_IEEE_F64LE, {}, rows_hint);
    attach(dataset.id(), o.metrics_time.time.id(), 0);
    return dataset;
  };
  o.b2b_by_country = by_country(f::kByCountry);
  o.b2b_tie_count = per_step(f::kTieCount);
  o.b2b_mean_weight = per_step(f::kMeanWeight);

  // Edge-list snapshots, one long table: a row per tie per snapshot.
  o.b2b_cooperation.create(file.get(), schema::group::kB2bCooperation, {schema::dim::kTie, f::kFirmA, f::kFirmB, f::kWeight},
                           text, scenario.firm_ties_every);
  if (!scenario.firms.trade.enabled()) return;
  o.trade_by_country = by_country(f::kTradeByCountry);
  o.trade_flow_count = per_step(f::kTradeFlows);
  o.trade_value = per_step(f::kTradeValue);
  o.b2b_trade.create(file.get(), schema::group::kB2bTrade, {schema::dim::kFlow, f::kSeller, f::kBuyer, f::kTradeFlowValue},
                     text, scenario.firm_ties_every);
}

void Hdf5Recorder::Impl::write_firm_table(const Scenario& scenario, const FirmTable& firms) {
  namespace f = schema::firms;
  const hdf5::Group g = create_group(file.get(), schema::group::kFirms);
  const std::vector<hsize_t> shape{firms.count()};
  std::vector<std::int64_t> index(firms.count());
  for (std::size_t i = 0; i < firms.count(); ++i) index[i] = static_cast<std::int64_t>(i);
  const hdf5::Dataset firm = create_fixed(g.get(), schema::dim::kFirm, H5T_STD_I64LE, shape, H5T_NATIVE_INT64, index.data());
  make_scale(firm.get(), schema::dim::kFirm.name);
  std::map<std::uint32_t, std::string> population_names;
  for (const FirmPopulation& population : scenario.firms.populations) population_names[population.stable_id] = population.name;
  std::vector<std::string> country, sector, population;
  for (std::size_t i = 0; i < firms.count(); ++i) {
    country.push_back(scenario.governments.at(firms.country[i]).code);
    sector.emplace_back(name_of(firms.sector[i]));
    population.push_back(population_names[firms.population_id[i]]);
  }
  std::vector<std::int64_t> member(firms.member.begin(), firms.member.end());
  attach(create_fixed_text(g.get(), f::kCountry, country).get(), firm.get(), 0);
  attach(create_fixed_text(g.get(), f::kSector, sector).get(), firm.get(), 0);
  attach(create_fixed_text(g.get(), f::kPopulation, population).get(), firm.get(), 0);
  attach(create_fixed(g.get(), f::kMember, H5T_STD_I64LE, shape, H5T_NATIVE_INT64, member.data()).get(), firm.get(), 0);
  attach(create_fixed(g.get(), f::kSize, H5T_IEEE_F64LE, shape, H5T_NATIVE_DOUBLE, firms.size.data()).get(), firm.get(), 0);
  attach(create_fixed(g.get(), f::kInnovation, H5T_IEEE_F64LE, shape, H5T_NATIVE_DOUBLE, firms.innovation.data()).get(),
         firm.get(), 0);
  attach(create_fixed(g.get(), f::kRiskTolerance, H5T_IEEE_F64LE, shape, H5T_NATIVE_DOUBLE, firms.risk_tolerance.data())
             .get(),
         firm.get(), 0);
}

// At the last step: which firms were bought, by whom and when (acquisition events).
void Hdf5Recorder::Impl::write_firm_fates(const FirmTable& firms) {
  namespace f = schema::firms;
  const hdf5::Group g(checked(H5Gopen2(file.get(), str(schema::group::kFirms).c_str(), H5P_DEFAULT), "opening /firms"));
  const hdf5::Dataset firm(checked(H5Dopen2(g.get(), str(schema::dim::kFirm.name).c_str(), H5P_DEFAULT),
                                   "opening the firm scale of /firms"));
  const std::vector<hsize_t> shape{firms.count()};
  std::vector<std::int64_t> active(firms.count()), acquired_by(firms.count(), -1);
  std::vector<std::string> acquired_period(firms.count());
  for (std::uint32_t i = 0; i < static_cast<std::uint32_t>(firms.count()); ++i) {
    active[i] = firms.is_active(i) ? 1 : 0;
    if (!firms.acquired_by.empty() && firms.acquired_by[i] >= 0) {
      acquired_by[i] = firms.acquired_by[i];
      acquired_period[i] = run_scenario->simulation.start.plus_quarters(static_cast<int>(firms.acquired_step[i])).label();
    }
  }
  attach(create_fixed(g.get(), f::kActive, H5T_STD_I64LE, shape, H5T_NATIVE_INT64, active.data()).get(), firm.get(), 0);
  attach(create_fixed(g.get(), f::kAcquiredBy, H5T_STD_I64LE, shape, H5T_NATIVE_INT64, acquired_by.data()).get(), firm.get(), 0);
  attach(create_fixed_text(g.get(), f::kAcquiredPeriod, acquired_period).get(), firm.get(), 0);
}

Hdf5Recorder::Hdf5Recorder(std::filesystem::path target, const Scenario& scenario, const RunProvenance& provenance)
    : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.target = std::move(target);
  m.agents = scenario.agent_count();
  m.pairs = scenario.pairs_of_interest.size();
  for (const Government& government : scenario.governments) m.agent_codes.push_back(government.code);

  const std::filesystem::path folder = m.target.has_parent_path() ? m.target.parent_path() : ".";
  std::error_code error;
  if (!std::filesystem::exists(folder, error))
    throw OutputError(m.context("cannot create the output file: folder " + folder.string() + " does not exist"));
  if (!std::filesystem::is_directory(folder, error))
    throw OutputError(m.context("cannot create the output file: " + folder.string() + " is not a folder"));
  if (!m.target.has_filename() || std::filesystem::is_directory(m.target, error))
    throw OutputError(m.context("cannot create the output file: the path names a folder"));
  m.partial = folder / ("." + m.target.filename().string() + ".partial-" + std::to_string(::getpid()));

  const hdf5::QuietErrors quiet;
  try {
    m.file = create_file(m.partial.string());
    m.objects.emplace();
    m.objects->string_type = utf8_string_type();
    m.write_root_attributes(scenario, provenance);
    m.write_provenance(scenario, provenance);
    m.write_agents(scenario);
    m.create_time_groups(scenario);
    m.create_event_log();
    m.create_milestone_log();
    m.firms_enabled = scenario.firms.enabled();
    m.firm_ties_every = scenario.firm_ties_every;
    m.trade_enabled = m.firms_enabled && scenario.firms.trade.enabled();
    m.last_step = scenario.simulation.steps;
    if (m.firms_enabled) m.create_firm_groups(scenario);
    m.run_scenario = &scenario;
  } catch (const Failure& failure) {
    m.discard();
    throw OutputError(m.context(failure.what));
  } catch (...) {
    m.discard();
    throw;
  }
}

Hdf5Recorder::~Hdf5Recorder() {
  if (impl_ && !impl_->committed) {
    const hdf5::QuietErrors quiet;
    impl_->discard();
  }
}

void Hdf5Recorder::record(const World& world, const StepMetrics& metrics) {
  Impl& m = *impl_;
  m.writable("record()");
  const auto n = static_cast<long>(m.agents);
  if (world.agent_count() != m.agents ||
      std::any_of(world.attributes.begin(), world.attributes.end(), [&](const AgentValues& v) { return v.size() != n; }))
    throw OutputError(m.context("record(): the world has " + std::to_string(world.agent_count()) +
                                " agents, the scenario " + std::to_string(m.agents)));
  for (Layer layer : kAllLayers) {
    const TieMatrix& ties = world.layer(layer);
    if (ties.rows() != n || ties.cols() != n)
      throw OutputError(m.context("record(): the " + str(name_of(layer)) + " matrix is not " + std::to_string(n) +
                                  " x " + std::to_string(n)));
    if (metrics[index_of(layer)].pairs.size() != m.pairs)
      throw OutputError(m.context("record(): " + std::to_string(metrics[index_of(layer)].pairs.size()) +
                                  " pair values for " + std::to_string(m.pairs) + " pairs of interest"));
  }

  for (const TieMatrix& values : world.pair_attributes)
    if (values.rows() != n || values.cols() != n)
      throw OutputError(m.context("record(): a pair attribute matrix is not " + std::to_string(n) + " x " +
                                  std::to_string(n)));

  const hdf5::QuietErrors quiet;
  try {
    OpenObjects& o = *m.objects;
    const hid_t text = o.string_type.get();
    o.ties_time.append(world.period, text);
    o.state_time.append(world.period, text);
    o.metrics_time.append(world.period, text);
    o.pairs_time.append(world.period, text);

    // Eigen stores column-major; the file is C order [agent, partner].
    using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    for (Layer layer : kAllLayers) {
      const RowMajor ties = world.layer(layer);
      o.tie_layers[index_of(layer)].append(H5T_NATIVE_DOUBLE, ties.data());
    }

    const std::vector<const char*> leaders = c_strings(world.leader);
    o.leader.append(text, leaders.data());
    for (std::size_t k = 0; k < kGovernmentAttributeCount; ++k)
      o.attributes[k].append(H5T_NATIVE_DOUBLE, world.attributes[k].data());
    for (std::size_t k = 0; k < kPairAttributeCount; ++k) {
      const RowMajor values = world.pair_attributes[k];
      o.pair_attributes[k].append(H5T_NATIVE_DOUBLE, values.data());
    }

    for (Layer layer : kAllLayers) {
      const LayerMetrics& layer_metrics = metrics[index_of(layer)];
      o.density[index_of(layer)].append(H5T_NATIVE_DOUBLE, &layer_metrics.density);
      o.mean_strength[index_of(layer)].append(H5T_NATIVE_DOUBLE, &layer_metrics.mean_strength);
      o.pairs[index_of(layer)].append(H5T_NATIVE_DOUBLE, layer_metrics.pairs.data());
    }

    if (m.firms_enabled) {
      if (world.step == 0) m.write_firm_table(*m.run_scenario, *world.firms);
      const FirmNetworkMetrics b2b = compute_firm_network_metrics(world);
      const double tie_count = static_cast<double>(b2b.ties);
      o.b2b_tie_count.append(H5T_NATIVE_DOUBLE, &tie_count);
      o.b2b_mean_weight.append(H5T_NATIVE_DOUBLE, &b2b.mean_weight);
      const RowMajor by_country = b2b_ties_by_country(world, m.agents);
      o.b2b_by_country.append(H5T_NATIVE_DOUBLE, by_country.data());
      // Snapshots every k steps (k = [output] firm_ties_every; 0 = only the last) and always the last.
      const bool due = world.step == m.last_step || (m.firm_ties_every > 0 && world.step % m.firm_ties_every == 0);
      const FirmTies& ties = world.b2b_cooperation->ties();
      if (due) o.b2b_cooperation.append(world.period, ties.a, ties.b, ties.weight, o.string_type.get());
      if (world.step == m.last_step) m.write_firm_fates(*world.firms);
      if (m.trade_enabled) {
        const FirmTradeMetrics trade = compute_firm_trade_metrics(world);
        const double flow_count = static_cast<double>(trade.flows);
        o.trade_flow_count.append(H5T_NATIVE_DOUBLE, &flow_count);
        o.trade_value.append(H5T_NATIVE_DOUBLE, &trade.value);
        const RowMajor trade_by_country = world.firm_trade;
        o.trade_by_country.append(H5T_NATIVE_DOUBLE, trade_by_country.data());
        const FirmFlows& flows = *world.b2b_trade;
        if (due) o.b2b_trade.append(world.period, flows.seller, flows.buyer, flows.value, o.string_type.get());
      }
    }
  } catch (const Failure& failure) {
    m.broken = true;
    throw OutputError(m.context(failure.what));
  }
}

void Hdf5Recorder::record_events(std::span<const AppliedEvent> events) {
  Impl& m = *impl_;
  OpenObjects& o = m.writable("record_events()");
  const hdf5::QuietErrors quiet;
  try {
    const hid_t text = o.string_type.get();
    for (const AppliedEvent& event : events) {
      const std::string label = event.period.label();
      const double year = event.period.decimal_year();
      const char* label_text = label.c_str();
      const char* name = event.name.c_str();
      const char* kind = event.kind.c_str();
      const char* detail = event.detail.c_str();
      o.event_index.append(H5T_NATIVE_INT64, &m.events);
      o.event_period_label.append(text, &label_text);
      o.event_time.append(H5T_NATIVE_DOUBLE, &year);
      o.event_name.append(text, &name);
      o.event_kind.append(text, &kind);
      o.event_detail.append(text, &detail);
      m.events += 1;
    }
  } catch (const Failure& failure) {
    m.broken = true;
    throw OutputError(m.context(failure.what));
  }
}

void Hdf5Recorder::record_milestones(std::span<const Milestone> milestones) {
  Impl& m = *impl_;
  OpenObjects& o = m.writable("record_milestones()");
  for (const Milestone& milestone : milestones)
    if (milestone.agent >= m.agents || milestone.partner >= m.agents)
      throw OutputError(m.context("record_milestones(): a milestone names agent slot " +
                                  std::to_string(std::max(milestone.agent, milestone.partner)) + " of " +
                                  std::to_string(m.agents)));
  const hdf5::QuietErrors quiet;
  try {
    const hid_t text = o.string_type.get();
    for (const Milestone& milestone : milestones) {
      const std::string label = milestone.period.label();
      const double year = milestone.period.decimal_year();
      const std::string& agent = m.agent_codes[milestone.agent];
      const std::string& partner = m.agent_codes[milestone.partner];
      const std::string pair = agent + "-" + partner;
      const std::string kind(name_of(milestone.kind));
      const char* label_text = label.c_str();
      const char* pair_text = pair.c_str();
      const char* agent_text = agent.c_str();
      const char* partner_text = partner.c_str();
      const char* kind_text = kind.c_str();
      o.milestone_index.append(H5T_NATIVE_INT64, &m.milestones);
      o.milestone_period_label.append(text, &label_text);
      o.milestone_time.append(H5T_NATIVE_DOUBLE, &year);
      o.milestone_pair_label.append(text, &pair_text);
      o.milestone_pair_agent.append(text, &agent_text);
      o.milestone_pair_partner.append(text, &partner_text);
      o.milestone_kind.append(text, &kind_text);
      o.milestone_strength.append(H5T_NATIVE_DOUBLE, &milestone.strength);
      m.milestones += 1;
    }
  } catch (const Failure& failure) {
    m.broken = true;
    throw OutputError(m.context(failure.what));
  }
}

void Hdf5Recorder::commit() {
  Impl& m = *impl_;
  m.writable("commit()");
  if (m.broken) throw OutputError(m.context("not committed: an earlier write failed"));
  const hdf5::QuietErrors quiet;
  try {
    check(H5Fflush(m.file.get(), H5F_SCOPE_LOCAL), "flushing the file");
    if (!m.close()) throw Failure{"closing the file: " + hdf5::innermost_error()};
  } catch (const Failure& failure) {
    m.discard();
    throw OutputError(m.context(failure.what));
  }
  std::error_code error;
  std::filesystem::rename(m.partial, m.target, error);
  if (error) {
    m.discard();
    throw OutputError(m.context("cannot move " + m.partial.filename().string() + " into place: " + error.message()));
  }
  m.committed = true;
}

}  // namespace policysim
