#include "sim/output/recorder.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sim/description/pair_label.hpp"
#include "sim/measures/measure.hpp"
#include "sim/output/appendable.hpp"
#include "sim/output/atomic_file.hpp"
#include "sim/output/hdf5_handle.hpp"
#include "sim/output/hdf5_write.hpp"
#include "sim/output/log_table.hpp"
#include "sim/output/schema.hpp"

namespace policysim {
namespace {

using namespace hdf5_write;  // check, checked, Failure, text, scales, Appendable, TimeAxis, LogTable

// A measure of the catalogue as the run file records it (recorded::kRunFile, kRunPairs): a World
// measure in /metrics [time], a Pair measure whole in /ties [time, agent, partner] and/or at the
// pairs of interest in /metrics/<name>_pairs [time, pair].
struct MeasureSeries {
  const Measure* measure = nullptr;
  Appendable whole;
  Appendable at_pairs;
};

// A B2B edge-list snapshot table (/b2b_cooperation, /b2b_trade): the edges in long form along `axis`
// (one row per edge per snapshot: the two firms and the value, one chunked, compressed, extendible
// dataset per column), and the index of the snapshots along [snapshot]: each snapshot's time and
// quarter with its first row and number of rows, stored once per snapshot rather than once per edge.
struct EdgeSnapshots {
  LogTable edges;      // [tie] or [flow]
  LogTable snapshots;  // [snapshot]
};

EdgeSnapshots create_edge_snapshots(hid_t file, std::string_view name, const schema::Column& axis,
                                    const schema::Column& first, const schema::Column& second,
                                    const schema::Column& value, std::int64_t every, DimensionScales& scales) {
  namespace f = schema::firms;
  // At most 64 Ki rows a chunk; Appendable caps a chunk at kTargetChunkBytes (8,192 rows of int64
  // or float64, 64 KiB): a few hundred chunks for millions of ties, each well inside HDF5's default
  // 1 MiB chunk cache. Chunks of 64 Ki rows wrote the large benchmark's edge list no faster plane
  // by plane (docs/performance.md, sixteenth round).
  constexpr hsize_t kEdgeChunk = 65536;
  constexpr hsize_t kSnapshotChunk = 64;
  EdgeSnapshots table;
  table.edges = LogTable(file, name, axis,
                         {{first, LogColumnType::Int64}, {second, LogColumnType::Int64}, {value, LogColumnType::Float64}},
                         kEdgeChunk, scales);
  table.snapshots = LogTable(table.edges.group(), schema::dim::kSnapshot,
                             {{f::kSnapshotTime, LogColumnType::Float64},
                              {f::kSnapshotLabel, LogColumnType::Text},
                              {f::kSnapshotFirstRow, LogColumnType::Int64},
                              {f::kSnapshotRows, LogColumnType::Int64}},
                             kSnapshotChunk, scales);
  set_number_attribute(table.edges.group(), f::kEveryAttribute, H5T_STD_I64LE, H5T_NATIVE_INT64, every);
  return table;
}

// One snapshot: its index row, then its edges straight from the model's columns (HDF5 widens the
// uint32 firm indices to the file's int64), in blocks so that the conversion needs no copy of the list.
void append_edge_snapshot(EdgeSnapshots& table, const Period& period, std::span<const std::uint32_t> from,
                          std::span<const std::uint32_t> to, std::span<const double> values) {
  const std::size_t rows = values.size();
  table.snapshots.append({std::vector<double>{period.decimal_year()}, std::vector<std::string>{period.label()},
                          std::vector<std::int64_t>{table.edges.rows()},
                          std::vector<std::int64_t>{static_cast<std::int64_t>(rows)}});
  constexpr std::size_t kBlock = std::size_t{1} << 20;
  for (std::size_t start = 0; start < rows; start += kBlock) {
    const std::size_t count = std::min(kBlock, rows - start);
    table.edges.append_raw({{H5T_NATIVE_UINT32, from.data() + start},
                            {H5T_NATIVE_UINT32, to.data() + start},
                            {H5T_NATIVE_DOUBLE, values.data() + start}},
                           static_cast<hsize_t>(count));
  }
}

}  // namespace

// Every open HDF5 object of the file. Members are destroyed in reverse order, so the datasets
// close before their groups and the groups before the file.
struct OpenObjects {
  hdf5::Datatype string_type;
  hdf5::Group ties, state, metrics, pair_group;

  TimeAxis ties_time;

  TimeAxis state_time;
  Appendable leader;
  std::vector<Appendable> attributes;  // by index_of(GovernmentAttributeId)

  TimeAxis pairs_time;
  std::vector<Appendable> pair_attributes;  // by index_of(PairAttributeId)

  TimeAxis metrics_time;
  std::vector<MeasureSeries> measures;  // the catalogue's measures this file records, in catalogue order

  LogTable events, milestones;

  // Edge-list snapshots (only when the scenario has firm populations; B2B trade with [firms.trade]).
  EdgeSnapshots b2b_cooperation;  // /b2b_cooperation [tie] and [snapshot]
  EdgeSnapshots b2b_trade;        // /b2b_trade [flow] and [snapshot]

  // Writes the rows that the series of one row a step keep (create_time_groups makes every one of
  // them keep its rows until a chunk is full), before the file is closed.
  void flush_kept_rows() {
    for (TimeAxis* axis : {&ties_time, &state_time, &pairs_time, &metrics_time}) axis->flush();
    leader.flush();
    for (Appendable& values : attributes) values.flush();
    for (Appendable& values : pair_attributes) values.flush();
    for (MeasureSeries& series : measures) {
      series.whole.flush();
      series.at_pairs.flush();
    }
  }
};

struct Hdf5Recorder::Impl {
  std::filesystem::path target;
  std::filesystem::path partial;
  std::size_t agents = 0;
  std::size_t pairs = 0;
  std::vector<std::string> agent_codes;  // by slot, for the milestone log
  bool committed = false;
  bool broken = false;  // a write failed half-way: the groups may disagree, so never commit
  hdf5::File file;
  std::optional<OpenObjects> objects;
  // Every dimension scale attached while the file is written, written into it when it is committed.
  hdf5_write::DimensionScales scales;

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
  void write_firm_categories(const Scenario& scenario);
  void write_firm_fates(const FirmTable& firms);

  const Scenario* run_scenario = nullptr;  // the caller keeps it alive for the recorder's lifetime
  PhaseTimings* timings = nullptr;          // time_edge_lists_in
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
  set_text_attribute(root, schema::root::kTimeConvention, schema::root::kRunTimeConventionValue);
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
  const hdf5::Dataset extends_chain = create_text(g, p::kExtendsChain, scenario.chain);
  scales.attach(extends_chain.get(), chain.get(), 0);

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
  const hdf5::Dataset agent = create_text_scale(g, schema::dim::kAgent, codes);
  const std::vector<hsize_t> shape{agents};
  const auto with_agent_axis = [&](hdf5::Dataset dataset) { scales.attach(dataset.get(), agent.get(), 0); };
  with_agent_axis(create_text(g, a::kName, names));
  with_agent_axis(create_text(g, a::kKind, kinds));
  with_agent_axis(create_text(g, a::kInitialLeader, leaders));
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

  // /ties: [time, agent, partner] per Pair measure (the layers, then the firm aggregates).
  o.ties = create_group(file.get(), schema::group::kTies);
  o.ties_time = TimeAxis(o.ties.get(), text, rows_hint, scenario.simulation.start, scales);
  const hdf5::Dataset ties_agent = create_text_scale(o.ties.get(), schema::dim::kAgent, codes);
  const hdf5::Dataset ties_partner = create_text_scale(o.ties.get(), schema::dim::kPartner, codes);

  // /state: the exogenous drivers, [time, agent].
  o.state = create_group(file.get(), schema::group::kState);
  o.state_time = TimeAxis(o.state.get(), text, rows_hint, scenario.simulation.start, scales);
  {
    const hdf5::Dataset agent = create_text_scale(o.state.get(), schema::dim::kAgent, codes);
    o.leader = Appendable(o.state.get(), schema::state::kLeader, text, {agents}, rows_hint);
    o.leader.keep_rows_until_chunk_full();  // a row a step: written a chunk at a time
    scales.attach(o.leader.id(), o.state_time.time.id(), 0);
    scales.attach(o.leader.id(), agent.get(), 1);
    for (const GovernmentAttribute& attribute : kGovernmentAttributes) {
      const std::string_view long_name = attribute.state_long_name.empty() ? attribute.doc : attribute.state_long_name;
      Appendable& values = o.attributes.emplace_back(o.state.get(), attribute.name, schema::state::kAttributeUnits,
                                                     long_name, H5T_IEEE_F64LE, std::vector<hsize_t>{agents}, rows_hint);
      scales.attach(values.id(), o.state_time.time.id(), 0);
      scales.attach(values.id(), agent.get(), 1);
      values.keep_rows_until_chunk_full();
    }
  }

  // /pairs: the pair attributes, [time, agent, partner] each.
  o.pair_group = create_group(file.get(), schema::group::kPairs);
  o.pairs_time = TimeAxis(o.pair_group.get(), text, rows_hint, scenario.simulation.start, scales);
  {
    const hdf5::Dataset agent = create_text_scale(o.pair_group.get(), schema::dim::kAgent, codes);
    const hdf5::Dataset partner = create_text_scale(o.pair_group.get(), schema::dim::kPartner, codes);
    for (const PairAttribute& attribute : kPairAttributes) {
      Appendable& values = o.pair_attributes.emplace_back(o.pair_group.get(), attribute.name, schema::pairs::kAttributeUnits,
                                                          attribute.doc, H5T_IEEE_F64LE,
                                                          std::vector<hsize_t>{agents, agents}, rows_hint);
      set_text_attribute(values.id(), schema::kSource, attribute.source);
      scales.attach(values.id(), o.pairs_time.time.id(), 0);
      scales.attach(values.id(), agent.get(), 1);
      scales.attach(values.id(), partner.get(), 2);
      values.keep_rows_until_chunk_full();
    }
  }

  // /metrics: the World measures [time] and the Pair measures at the pairs of interest [time, pair].
  o.metrics = create_group(file.get(), schema::group::kMetrics);
  o.metrics_time = TimeAxis(o.metrics.get(), text, rows_hint, scenario.simulation.start, scales);
  std::vector<std::string> labels, pair_agents, pair_partners;
  for (const AgentPair& pair : scenario.pairs_of_interest) {
    labels.push_back(pair.label);
    pair_agents.push_back(scenario.governments.at(pair.a).code);
    pair_partners.push_back(scenario.governments.at(pair.b).code);
  }
  const hdf5::Dataset pair = create_text_scale(o.metrics.get(), schema::dim::kPair, labels);
  scales.attach(create_text(o.metrics.get(), schema::metrics::kPairAgent, pair_agents).get(), pair.get(), 0);
  scales.attach(create_text(o.metrics.get(), schema::metrics::kPairPartner, pair_partners).get(), pair.get(), 0);

  // The measures of the catalogue this file records, in catalogue order.
  for (const Measure& measure : measure_catalogue()) {
    if (!measure.applies_to(scenario)) continue;
    const bool whole = measure.recorded_in(recorded::kRunFile);
    const bool at_pairs = measure.scope == MeasureScope::Pair && measure.recorded_in(recorded::kRunPairs);
    if (!whole && !at_pairs) continue;
    MeasureSeries& series = o.measures.emplace_back();
    series.measure = &measure;
    if (whole && measure.scope == MeasureScope::World) {
      series.whole = Appendable(o.metrics.get(), measure.name, measure.units, measure.long_name, H5T_IEEE_F64LE, {},
                                rows_hint);
      if (measure.presence_threshold_of)
        set_number_attribute(series.whole.id(), schema::kPresenceThreshold, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                             scenario.layer_dynamics[index_of(*measure.presence_threshold_of)].presence_threshold);
      scales.attach(series.whole.id(), o.metrics_time.time.id(), 0);
    } else if (whole && measure.scope == MeasureScope::Pair) {
      series.whole = Appendable(o.ties.get(), measure.name, measure.units, measure.long_name, H5T_IEEE_F64LE,
                                {agents, agents}, rows_hint);
      if (const auto directed = measure.is_directed())  // the layers and the B2B aggregates alike
        set_number_attribute(series.whole.id(), schema::kDirected, H5T_STD_I8LE, H5T_NATIVE_INT8,
                             static_cast<std::int8_t>(*directed ? 1 : 0));
      scales.attach(series.whole.id(), o.ties_time.time.id(), 0);
      scales.attach(series.whole.id(), ties_agent.get(), 1);
      scales.attach(series.whole.id(), ties_partner.get(), 2);
    }
    if (at_pairs) {
      series.at_pairs = Appendable(o.metrics.get(), measure.pairs_name(), measure.units, measure.pairs_description(),
                                   H5T_IEEE_F64LE, {pairs}, rows_hint);
      scales.attach(series.at_pairs.id(), o.metrics_time.time.id(), 0);
      scales.attach(series.at_pairs.id(), pair.get(), 1);
    }
    // A row a step each: written a chunk at a time (OpenObjects::flush_kept_rows writes the rest).
    series.whole.keep_rows_until_chunk_full();
    series.at_pairs.keep_rows_until_chunk_full();
  }
}

void Hdf5Recorder::Impl::create_event_log() {
  namespace e = schema::events;
  // Events are few; chunks of 64 entries.
  constexpr hsize_t kEventChunk = 64;
  objects->events = LogTable(file.get(), schema::group::kEvents, schema::dim::kEvent,
                             {{e::kPeriodLabel, LogColumnType::Text},
                              {e::kEventTime, LogColumnType::Float64},
                              {e::kName, LogColumnType::Text},
                              {e::kKind, LogColumnType::Text},
                              {e::kDetail, LogColumnType::Text}},
                             kEventChunk, scales);
}

void Hdf5Recorder::Impl::create_milestone_log() {
  namespace m = schema::milestones;
  constexpr hsize_t kMilestoneChunk = 256;
  objects->milestones = LogTable(file.get(), schema::group::kMilestones, schema::dim::kMilestone,
                                 {{m::kPeriodLabel, LogColumnType::Text},
                                  {m::kMilestoneTime, LogColumnType::Float64},
                                  {m::kPairLabel, LogColumnType::Text},
                                  {m::kPairAgent, LogColumnType::Text},
                                  {m::kPairPartner, LogColumnType::Text},
                                  {m::kKind, LogColumnType::Text},
                                  {m::kStrength, LogColumnType::Float64}},
                                 kMilestoneChunk, scales);
}

// Edge-list snapshots, one long table each: a row per tie (per flow) per snapshot. The country
// aggregates and the firm series of /ties and /metrics are measures (create_time_groups).
void Hdf5Recorder::Impl::create_firm_groups(const Scenario& scenario) {
  namespace f = schema::firms;
  OpenObjects& o = *objects;
  o.b2b_cooperation = create_edge_snapshots(file.get(), schema::group::kB2bCooperation, schema::dim::kTie, f::kFirmA,
                                            f::kFirmB, f::kWeight, scenario.firm_ties_every, scales);
  if (!scenario.firms.trade.enabled()) return;
  o.b2b_trade = create_edge_snapshots(file.get(), schema::group::kB2bTrade, schema::dim::kFlow, f::kSeller, f::kBuyer,
                                      f::kTradeFlowValue, scenario.firm_ties_every, scales);
}

namespace {

// A column of the firm table, its axis fixed at the table's length: chunked, shuffled and deflated
// plane by plane on the run's threads (Appendable's whole chunks), as the edge lists are. Written
// contiguous and uncompressed, the large benchmark's table took eleven columns of 8 bytes a firm
// (8.8 MB, most of them codes in long runs); its integer columns compressed, the file is 33.5 ->
// 27.3 MB, the fates written in 1.1 ms instead of 1.7, the table in the same 3.8 ms
// (docs/performance.md, thirty-second round).
Appendable firm_column(hid_t group, const schema::Column& column, hid_t file_type, std::size_t firms,
                       ChunkDeflate deflate = ChunkDeflate::RunLength) {
  return Appendable(group, column, file_type, {}, firms, deflate, FirstAxis::FixedAtHint);
}

// One such column, its `firms` values of `memory_type` written, on the firm scale.
void write_firm_column(hid_t group, const schema::Column& column, hid_t file_type, hid_t memory_type,
                       const void* values, std::size_t firms, hid_t firm_scale, DimensionScales& scales) {
  Appendable written = firm_column(group, column, file_type, firms);
  written.append_rows(memory_type, values, firms);
  scales.attach(written.id(), firm_scale, 0);
}

}  // namespace

void Hdf5Recorder::Impl::write_firm_table(const Scenario& scenario, const FirmTable& firms) {
  namespace f = schema::firms;
  const hdf5::Group g = create_group(file.get(), schema::group::kFirms);
  const std::size_t count = firms.count();
  Appendable firm = firm_column(g.get(), schema::dim::kFirm, H5T_STD_I64LE, count, ChunkDeflate::Counter);
  firm.append_counter(0, count);
  make_scale(firm.id(), schema::dim::kFirm.name);
  const auto column = [&](const schema::Column& name, hid_t file_type, hid_t memory_type, const void* values) {
    write_firm_column(g.get(), name, file_type, memory_type, values, count, firm.id(), scales);
  };
  // Codes, not text (schema::firms): a firm's country is its government's index, its sector the
  // enumeration's, its population the row of the population in the scenario's order. Countries and
  // members are widened from uint32 as their chunks are filtered; the others through one buffer.
  column(f::kCountry, H5T_STD_I64LE, H5T_NATIVE_UINT32, firms.country.data());
  std::vector<std::int64_t> codes(count);
  for (std::size_t i = 0; i < count; ++i) codes[i] = static_cast<std::int64_t>(firms.sector[i]);
  column(f::kSector, H5T_STD_I64LE, H5T_NATIVE_INT64, codes.data());
  std::unordered_map<std::uint32_t, std::int64_t> population_row;
  for (std::size_t k = 0; k < scenario.firms.populations.size(); ++k)
    population_row.emplace(scenario.firms.populations[k].stable_id, static_cast<std::int64_t>(k));
  for (std::size_t i = 0; i < count; ++i) codes[i] = population_row.at(firms.population_id[i]);
  column(f::kPopulation, H5T_STD_I64LE, H5T_NATIVE_INT64, codes.data());
  column(f::kMember, H5T_STD_I64LE, H5T_NATIVE_UINT32, firms.member.data());
  // The attributes, drawn at random, are stored as they are: deflating their planes saved 15% of
  // them at about five times the cost of the write.
  const std::vector<hsize_t> shape{count};
  for (const auto& [name, values] : {std::pair{&f::kSize, &firms.size}, std::pair{&f::kInnovation, &firms.innovation},
                                     std::pair{&f::kRiskTolerance, &firms.risk_tolerance}})
    scales.attach(create_fixed(g.get(), *name, H5T_IEEE_F64LE, shape, H5T_NATIVE_DOUBLE, values->data()).get(), firm.id(), 0);
  write_firm_categories(scenario);
}

// The names behind the firm table's codes: the countries (all agents, so a code is also the row on
// the agent axis), the sectors, the populations, the quarters simulated (step s is row s); each a
// text axis of its own.
void Hdf5Recorder::Impl::write_firm_categories(const Scenario& scenario) {
  namespace c = schema::firms::categories;
  const hdf5::Group g = create_group(file.get(), schema::group::kFirmCategories);
  std::vector<std::string> countries, sectors, populations;
  for (const Government& government : scenario.governments) countries.push_back(government.code);
  for (std::size_t k = 0; k < kSectorCount; ++k) sectors.emplace_back(name_of(static_cast<Sector>(k)));
  for (const FirmPopulation& population : scenario.firms.populations) populations.push_back(population.name);
  create_text_scale(g.get(), c::kCountry, countries);
  create_text_scale(g.get(), c::kSector, sectors);
  create_text_scale(g.get(), c::kPopulation, populations);
  std::vector<std::string> periods;
  for (int step = 0; step < scenario.simulation.steps; ++step)
    periods.push_back(scenario.simulation.start.plus_quarters(step).label());
  create_text_scale(g.get(), c::kPeriod, periods);
}

// At the last step: which firms were bought, by whom and when (acquisition events).
void Hdf5Recorder::Impl::write_firm_fates(const FirmTable& firms) {
  namespace f = schema::firms;
  const hdf5::Group g(checked(H5Gopen2(file.get(), str(schema::group::kFirms).c_str(), H5P_DEFAULT), "opening /firms"));
  const hdf5::Dataset firm(checked(H5Dopen2(g.get(), str(schema::dim::kFirm.name).c_str(), H5P_DEFAULT),
                                   "opening the firm scale of /firms"));
  const std::size_t count = firms.count();
  const auto column = [&](const schema::Column& name, const std::vector<std::int64_t>& values) {
    write_firm_column(g.get(), name, H5T_STD_I64LE, H5T_NATIVE_INT64, values.data(), count, firm.get(), scales);
  };
  // The quarter of a purchase as its step: the row of /firm_categories/period (write_firm_categories).
  std::vector<std::int64_t> values(count);
  for (std::uint32_t i = 0; i < static_cast<std::uint32_t>(count); ++i) values[i] = firms.is_active(i) ? 1 : 0;
  column(f::kActive, values);
  const bool bought = !firms.acquired_by.empty();
  for (std::size_t i = 0; i < count; ++i) values[i] = bought && firms.acquired_by[i] >= 0 ? firms.acquired_by[i] : -1;
  column(f::kAcquiredBy, values);
  for (std::size_t i = 0; i < count; ++i) values[i] = bought && firms.acquired_by[i] >= 0 ? firms.acquired_step[i] : -1;
  column(f::kAcquiredPeriod, values);
}

Hdf5Recorder::Hdf5Recorder(std::filesystem::path target, const Scenario& scenario, const RunProvenance& provenance)
    : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.target = std::move(target);
  m.agents = scenario.agent_count();
  m.pairs = scenario.pairs_of_interest.size();
  for (const Government& government : scenario.governments) m.agent_codes.push_back(government.code);

  output_folder_of(m.target);  // throws OutputError naming what is wrong with the path
  m.partial = temporary_path_for(m.target, ".partial-", true);

  const hdf5::QuietErrors quiet;
  const FiniteOnly finite;  // the run file holds finite numbers only
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

void Hdf5Recorder::record(const World& world, std::span<const Milestone> step_milestones) {
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
  }

  for (const TieMatrix& values : world.pair_attributes)
    if (values.rows() != n || values.cols() != n)
      throw OutputError(m.context("record(): a pair attribute matrix is not " + std::to_string(n) + " x " +
                                  std::to_string(n)));

  const hdf5::QuietErrors quiet;
  const FiniteOnly finite;  // the run file holds finite numbers only
  try {
    OpenObjects& o = *m.objects;
    const hid_t text = o.string_type.get();
    o.ties_time.append(world.period, text);
    o.state_time.append(world.period, text);
    o.metrics_time.append(world.period, text);
    o.pairs_time.append(world.period, text);

    // Eigen stores column-major; the file is C order [agent, partner].
    using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

    const std::vector<const char*> leaders = c_strings(world.leader);
    o.leader.append(text, leaders.data());
    for (std::size_t k = 0; k < kGovernmentAttributeCount; ++k)
      o.attributes[k].append(H5T_NATIVE_DOUBLE, world.attributes[k].data());
    for (std::size_t k = 0; k < kPairAttributeCount; ++k) {
      const RowMajor values = world.pair_attributes[k];
      o.pair_attributes[k].append(H5T_NATIVE_DOUBLE, values.data());
    }

    // The measures: each computed once per row, then written whole and/or at the pairs of interest.
    const Scenario& scenario = *m.run_scenario;
    const MeasureContext context{scenario, world, step_milestones};
    std::vector<double> values, at_pairs(m.pairs);
    for (MeasureSeries& series : o.measures) {
      values.assign(series.measure->value_count(scenario), 0.0);
      series.measure->compute(context, values);
      if (series.whole) series.whole.append(H5T_NATIVE_DOUBLE, values.data());
      if (series.at_pairs) {
        at_pairs_of_interest(scenario, values, at_pairs);
        series.at_pairs.append(H5T_NATIVE_DOUBLE, at_pairs.data());
      }
    }

    if (m.firms_enabled) {
      if (world.step == 0) m.write_firm_table(scenario, *world.firms);
      // Snapshots every k steps (k = [output] firm_ties_every; 0 = only the last) and always the last.
      const bool due = world.step == m.last_step || (m.firm_ties_every > 0 && world.step % m.firm_ties_every == 0);
      if (due) {
        const PhaseTimings::Scope edge_lists(m.timings, "observer/edge lists");
        const FirmTies& ties = world.b2b_cooperation->ties();  // one run: a gap the update left closed here
        append_edge_snapshot(o.b2b_cooperation, world.period, ties.a, ties.b, ties.weight);
        if (m.trade_enabled) {
          const FirmFlows& flows = *world.b2b_trade;
          append_edge_snapshot(o.b2b_trade, world.period, flows.seller, flows.buyer, flows.value);
        }
      }
      if (world.step == m.last_step) m.write_firm_fates(*world.firms);
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
  const FiniteOnly finite;  // the run file holds finite numbers only
  try {
    std::vector<std::string> labels, names, kinds, details;
    std::vector<double> times;
    for (const AppliedEvent& event : events) {
      labels.push_back(event.period.label());
      times.push_back(event.period.decimal_year());
      names.push_back(event.name);
      kinds.push_back(event.kind);
      details.push_back(event.detail);
    }
    o.events.append({labels, times, names, kinds, details});
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
  const FiniteOnly finite;  // the run file holds finite numbers only
  try {
    std::vector<std::string> labels, pair_labels, agents, partners, kinds;
    std::vector<double> times, strengths;
    for (const Milestone& milestone : milestones) {
      // One pair order in the whole file: a pair of interest as [output] pairs writes it (as in
      // /metrics/pair), any other pair in the order of the agent axis.
      std::size_t first = milestone.agent, second = milestone.partner;
      for (const AgentPair& pair : m.run_scenario->pairs_of_interest)
        if (pair.a == second && pair.b == first) std::swap(first, second);
      const std::string& agent = m.agent_codes[first];
      const std::string& partner = m.agent_codes[second];
      labels.push_back(milestone.period.label());
      times.push_back(milestone.period.decimal_year());
      pair_labels.push_back(pair_label(agent, partner));
      agents.push_back(agent);
      partners.push_back(partner);
      kinds.emplace_back(name_of(milestone.kind));
      strengths.push_back(milestone.strength);
    }
    o.milestones.append({labels, times, pair_labels, agents, partners, kinds, strengths});
  } catch (const Failure& failure) {
    m.broken = true;
    throw OutputError(m.context(failure.what));
  }
}

void Hdf5Recorder::time_edge_lists_in(PhaseTimings* timings) { impl_->timings = timings; }

void Hdf5Recorder::commit() { commit_with({}, true); }

void Hdf5Recorder::commit_with(std::span<const PendingFile> companions, bool overwrite) {
  Impl& m = *impl_;
  auto drop_companions = [&] {
    for (const PendingFile& companion : companions) ::unlink(companion.temporary.c_str());
  };
  if (m.committed || !m.objects || m.broken) drop_companions();
  m.writable("commit()");
  if (m.broken) throw OutputError(m.context("not committed: an earlier write failed"));
  const hdf5::QuietErrors quiet;
  try {
    m.objects->flush_kept_rows();
    m.scales.write(m.file.get());
    check(H5Fflush(m.file.get(), H5F_SCOPE_LOCAL), "flushing the file");
    if (!m.close()) throw Failure{"closing the file: " + hdf5::innermost_error()};
  } catch (const Failure& failure) {
    m.discard();
    drop_companions();
    throw OutputError(m.context(failure.what));
  }
  std::vector<PendingFile> files = {{m.partial, m.target}};
  files.insert(files.end(), companions.begin(), companions.end());
  try {
    move_all_into_place(files, overwrite);  // on failure: nothing placed, every temporary removed
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
