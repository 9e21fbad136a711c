#pragma once
// The HDF5 layout of a run, in one place: every group, dimension, dataset and attribute name,
// with the `units` and `long_name` each dataset carries. docs/output.md describes the same
// layout for readers; tests/output checks files against both. No HDF5 types here.
//
// Rules the layout follows (and why):
// - one dataset per quantity, time as the first, extendible axis (never one dataset per step);
// - every axis is a dimension scale whose dataset has the dimension's name, and every group
//   that uses an axis holds its own copy of the scale, so that
//   xarray.open_dataset(path, engine="netcdf4", group=G) sees named dims and coordinates;
// - text is variable-length UTF-8: netCDF-C crashes on fixed-length string datasets.
#include <string_view>

namespace policysim::schema {

// What a dataset says about itself (its `units` and `long_name` attributes).
struct Column {
  std::string_view name;
  std::string_view units;  // "1" for dimensionless numbers, "" for text and labels
  std::string_view long_name;
};

// Attribute names.
inline constexpr std::string_view kUnits = "units";
inline constexpr std::string_view kLongName = "long_name";
inline constexpr std::string_view kSource = "source";                          // agents/<attribute>
inline constexpr std::string_view kDirected = "directed";                      // ties/<layer>: 1 or 0
inline constexpr std::string_view kPresenceThreshold = "presence_threshold";  // metrics/<layer>_density

// Root attributes.
namespace root {
inline constexpr std::string_view kTitle = "title";
inline constexpr std::string_view kTitleValue = "policysim run";
inline constexpr std::string_view kVersion = "policysim_version";
inline constexpr std::string_view kSeed = "seed";
inline constexpr std::string_view kScenarioFile = "scenario_file";
inline constexpr std::string_view kCommandLine = "command_line";
inline constexpr std::string_view kStartPeriod = "start_period";
inline constexpr std::string_view kSteps = "steps";
inline constexpr std::string_view kTimeConvention = "time_convention";
inline constexpr std::string_view kTimeConventionValue =
    "row t of the time axis holds the state at the start of the quarter in period_label; row 0 is the "
    "initial world, row t the world after t steps; time is the decimal year of that start (2014Q3 -> 2014.5)";
// The run file's time axis is a CF time coordinate (xarray decodes it to dates); the sweep file keeps
// decimal years in `time` (kTimeConventionValue).
inline constexpr std::string_view kRunTimeConventionValue =
    "row t of the time axis holds the state at the start of the quarter in period_label; row 0 is the "
    "initial world, row t the world after t steps; time is that start in days since the start of the first "
    "quarter simulated (CF units and calendar attributes), year is it as a decimal year (2014Q3 -> 2014.5)";
}  // namespace root

// Group names.
namespace group {
inline constexpr std::string_view kProvenance = "provenance";
inline constexpr std::string_view kAgents = "agents";
inline constexpr std::string_view kTies = "ties";
inline constexpr std::string_view kState = "state";
inline constexpr std::string_view kMetrics = "metrics";
inline constexpr std::string_view kEvents = "events";
inline constexpr std::string_view kFirms = "firms";                      // only with firm populations
inline constexpr std::string_view kFirmCategories = "firm_categories";  // only with firm populations
inline constexpr std::string_view kB2bCooperation = "b2b_cooperation";  // only with firm populations
inline constexpr std::string_view kB2bTrade = "b2b_trade";              // only with [firms.trade]
inline constexpr std::string_view kPairs = "pairs";
inline constexpr std::string_view kMilestones = "milestones";
}  // namespace group

// Dimension scales (each a dataset of the same name in every group that uses the axis).
namespace dim {
inline constexpr Column kTime{"time", "year", "start of the quarter, as a decimal year (2014Q3 -> 2014.5)"};
// The run file's `time` scale: a CF time coordinate; its units ("days since 2010-01-01") name the run's start.
inline constexpr std::string_view kRunTimeLongName = "start of the quarter";
inline constexpr std::string_view kCalendar = "calendar";  // CF: the calendar of a time coordinate
inline constexpr std::string_view kStandardCalendar = "standard";
// Beside each run-file `time` scale: the same instants as decimal years (what plots and period arithmetic use).
inline constexpr Column kYear{"year", "year", "start of the quarter, as a decimal year (2014Q3 -> 2014.5)"};
inline constexpr Column kAgent{"agent", "", "code of the government or organisation (ISO3 for countries)"};
inline constexpr Column kPartner{"partner", "", "code of the partner government or organisation"};
inline constexpr Column kPair{"pair", "", "pair of interest, as agent-partner codes (\"JPN-ISR\")"};
inline constexpr Column kEvent{"event", "1", "position of the event in the log of applied events"};
inline constexpr Column kFirm{"firm", "1", "index of the firm (row of /firms)"};
inline constexpr Column kTie{"tie", "1", "row of the B2B edge-list snapshots (one row per tie per snapshot)"};
inline constexpr Column kFlow{"flow", "1", "row of the B2B trade snapshots (one row per flow per snapshot)"};
inline constexpr Column kSnapshot{"snapshot", "1", "position of the snapshot in the index of edge-list snapshots"};
inline constexpr Column kChain{"chain", "1", "position in the extends chain (0 = the file named on the command line)"};
inline constexpr Column kMilestone{"milestone", "1", "position of the milestone in the log of milestones"};
}  // namespace dim

// On every time axis, beside `time`.
inline constexpr Column kPeriodLabel{"period_label", "", "calendar quarter of the row (\"2014Q3\")"};

namespace provenance {
inline constexpr Column kScenarioResolved{"scenario_resolved", "",
                                          "the scenario as simulated: merged extends chain and --set overrides, as TOML"};
inline constexpr Column kScenarioFile{"scenario_file", "", "the scenario file named on the command line"};
inline constexpr Column kExtendsChain{"extends_chain", "", "the scenario file, then the files it extends, in order"};
inline constexpr Column kCommandLine{"command_line", "", "the command line that produced this file"};
inline constexpr Column kProgramVersion{"program_version", "", "policysim version that wrote this file"};
inline constexpr Column kSeed{"seed", "1", "seed of the random streams"};
}  // namespace provenance

namespace agents {
// The `agent` scale holds the codes; the numeric attributes follow government_attributes()
// (sim/model/government.hpp), one float64 dataset each, units "1", long_name its doc.
inline constexpr Column kName{"name", "", "name of the government or organisation"};
inline constexpr Column kKind{"kind", "", "\"country\" or \"organisation\""};
inline constexpr Column kInitialLeader{"initial_leader", "", "head of government at the start (empty for organisations)"};
inline constexpr Column kStableId{"stable_id", "1", "FNV-1a hash of the code; keys the agent's random streams"};
inline constexpr std::string_view kAttributeUnits = "1";
}  // namespace agents

// /ties: one [time, agent, partner] dataset per Pair measure the run file records (the tie layers,
// named as the layer, with attribute `directed`; with firms the country aggregates b2b_cooperation and
// b2b_trade); names, units and long_name from the measure catalogue (sim/measures/measure.hpp).

// /state: the exogenous drivers, [time, agent]: the leader, then every government attribute of
// kGovernmentAttributes (sim/model/government.hpp), one float64 dataset each, named as the attribute,
// units "1", long_name its state_long_name (its doc when it has none).
namespace state {
inline constexpr Column kLeader{"leader", "", "current head of government (empty for organisations)"};
inline constexpr std::string_view kAttributeUnits = "1";
}  // namespace state

// /metrics: one [time] dataset per World measure the run file records, and one [time, pair] dataset
// <name>_pairs per Pair measure it records at the pairs of interest; names, units and long_name from
// the measure catalogue (sim/measures/measure.hpp), which the sweep file reads too.
namespace metrics {
inline constexpr Column kPairAgent{"pair_agent", "", "code of the pair's agent (row of the tie matrix)"};
inline constexpr Column kPairPartner{"pair_partner", "", "code of the pair's partner (column of the tie matrix)"};
}  // namespace metrics

// /events: the log of applied events, one entry per event along the extendible `event` axis.
namespace events {
inline constexpr Column kPeriodLabel{"period_label", "", "quarter in which the event was applied (\"2020Q3\")"};
inline constexpr Column kEventTime{"event_time", "year", "start of that quarter, as a decimal year"};
inline constexpr Column kName{"name", "", "the event's key in the scenario's [events] table"};
inline constexpr Column kKind{"kind", "", "the event's kind in the event catalogue"};
inline constexpr Column kDetail{"detail", "", "what the event changed (\"JPN leader Abe -> Suga\")"};
}  // namespace events

// /pairs: one [time, agent, partner] dataset per pair attribute, named as the attribute, units "1",
// long_name its doc (kPairAttributes, sim/model/pair_attributes.hpp).
namespace pairs {
inline constexpr std::string_view kAttributeUnits = "1";
}  // namespace pairs

// /milestones: the log of dialogues held and MOUs signed, one entry per milestone along the
// extendible `milestone` axis.
namespace milestones {
inline constexpr Column kPeriodLabel{"period_label", "", "quarter in which it happened (\"2014Q4\")"};
inline constexpr Column kMilestoneTime{"milestone_time", "year", "start of that quarter, as a decimal year"};
inline constexpr Column kPairLabel{"pair_label", "", "the two parties, codes in alphabetical order (\"ISR-JPN\")"};
inline constexpr Column kPairAgent{"pair_agent", "", "code of the first party (alphabetical order)"};
inline constexpr Column kPairPartner{"pair_partner", "", "code of the second party"};
inline constexpr Column kKind{"kind", "", "\"dialogue_held\" or \"mou_signed\""};
inline constexpr Column kStrength{"strength", "1",
                                  "the pair's dialogue (dialogue_held) or cooperation (mou_signed) strength then"};
}  // namespace milestones

// Firms and B2B ties (only when the scenario declares firm populations).
namespace firms {
// /firms: the firm table, [firm].
// Country, sector, population and the quarter of a purchase are codes: rows of the name tables in
// /firm_categories (one small integer a firm instead of one heap string a firm and column, which
// cost the large benchmark ~65 ms of serial writing, docs/performance.md "Eleventh round").
inline constexpr Column kCountry{"country", "1",
                                 "the firm's country: row of /firm_categories/country (also its row on the agent axis)"};
inline constexpr Column kSector{"sector", "1", "the firm's sector: row of /firm_categories/sector"};
inline constexpr Column kPopulation{"population", "1",
                                    "the [firms.populations] entry that generated the firm: row of "
                                    "/firm_categories/population"};
inline constexpr Column kMember{"member", "1", "index of the firm within its population (keys its random streams)"};
inline constexpr Column kSize{"size", "1", "firm size (relative)"};
inline constexpr Column kInnovation{"innovation", "1", "innovation, in [0, 1]"};
inline constexpr Column kRiskTolerance{"risk_tolerance", "1", "risk tolerance, in [0, 1]"};
inline constexpr Column kActive{"active", "1", "1 if the firm still trades under its own name at the end of the run, 0 once bought"};
inline constexpr Column kAcquiredBy{"acquired_by", "1", "the firm that bought it (index into /firms), -1 if never bought"};
inline constexpr Column kAcquiredPeriod{"acquired_period", "1",
                                        "quarter of the purchase: row of /firm_categories/period, -1 if never bought"};
// /firm_categories: the names behind the firm table's codes, each its own axis (a text dimension
// scale), so that /firms stays one table on one axis (xarray's to_dataframe()).
namespace categories {
inline constexpr Column kCountry{"country", "", "code of a country, in the order of the agent axis"};
inline constexpr Column kSector{"sector", "", "name of a sector"};
inline constexpr Column kPopulation{"population", "",
                                    "name of a [firms.populations] entry, or of a [firms.named] firm (a population "
                                    "of one)"};
inline constexpr Column kPeriod{"period", "", "a quarter simulated (\"2014Q1\"), in order: the run's steps"};
}  // namespace categories
// /b2b_cooperation: edge-list snapshots in long form, [tie], and their index, [snapshot].
inline constexpr Column kSnapshotTime{"snapshot_time", "year", "start of the quarter of the snapshot, as a decimal year"};
inline constexpr Column kSnapshotLabel{"period_label", "", "calendar quarter of the snapshot (\"2018Q1\")"};
inline constexpr Column kSnapshotFirstRow{"first_row", "1", "first row of the snapshot in the edge columns"};
inline constexpr Column kSnapshotRows{"rows", "1", "number of rows (edges) of the snapshot in the edge columns"};
inline constexpr Column kFirmA{"firm_a", "1", "one end of the tie (index into /firms), the smaller"};
inline constexpr Column kFirmB{"firm_b", "1", "other end of the tie (index into /firms), the larger"};
inline constexpr Column kWeight{"weight", "1", "weight of the B2B cooperation tie, in (0, 1]"};
inline constexpr std::string_view kEveryAttribute = "snapshot_every_steps";  // 0: only the last step
// B2B trade (only with [firms.trade]): /b2b_trade [flow] snapshots (same times as /b2b_cooperation).
// The firm series of /metrics and the country aggregates of /ties are measures (sim/measures/).
inline constexpr Column kSeller{"seller", "1", "selling firm (index into /firms)"};
inline constexpr Column kBuyer{"buyer", "1", "buying firm (index into /firms), in another country"};
inline constexpr Column kTradeFlowValue{"value", "US$ millions per year", "value of the firm-to-firm trade flow"};
}  // namespace firms

}  // namespace policysim::schema
