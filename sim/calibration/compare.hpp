#pragma once
// What-if against baseline: paired runs over the same seeds (common random numbers), the
// outcomes after the what-if's first event, and their paired mean differences with 95%
// intervals, and the same quarter by quarter. `policysim compare` prints them, writes them to an
// HDF5 file (--out, through sim/output/compare_file) and writes docs/scenarios.md (--docs-page).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sim/model/calendar.hpp"
#include "sim/description/scenario.hpp"

namespace policysim::calibration {

// One outcome measured on a run, from the quarter of the what-if's first event to the end: a Pair
// measure of the catalogue (sim/measures/measure.hpp) at one pair, after each quarter, averaged
// over the quarters (strengths, tie counts) or summed (milestone counts).
struct OutcomeSpec {
  std::string name;     // "JPN-ISR dialogue"
  std::string doc;      // how it is measured
  std::string measure;  // the Pair measure, by catalogue name ("dialogue")
  std::string agent;    // the pair, by agent codes
  std::string partner;
  bool summed = false;  // a count over the quarters; otherwise the mean over the quarters
};
// The default outcomes (docs/scenarios.md's tables).
const std::vector<OutcomeSpec>& comparison_outcomes();
// The pairs and measures of the defaults, in order: what --pair and --measure default to.
std::vector<std::string> default_comparison_pairs();     // "JPN-ISR", ...
std::vector<std::string> default_comparison_measures();  // "dialogue", ...
// Every measure at every pair, pair by pair ("JPN-ISR dialogue", "JPN-ISR cooperation", ...). A
// measure counted per quarter (dialogues held, MOUs signed) is summed over the quarters, the others
// averaged. Throws std::invalid_argument for a measure that is not a Pair measure of the catalogue
// (the caller checks names first, to give a did-you-mean hint) or a pair that is not "A-B".
std::vector<OutcomeSpec> outcomes_for(const std::vector<std::string>& pairs, const std::vector<std::string>& measures);
// The names of the catalogue's Pair measures, the ones --measure accepts.
std::vector<std::string> pair_measure_names();

struct PairedOutcome {
  std::string name;
  bool summed = false;
  double baseline_mean = 0.0;
  double what_if_mean = 0.0;
  double difference_mean = 0.0;  // what-if minus baseline, paired by seed
  double difference_low = 0.0;   // 95% t interval of the mean difference
  double difference_high = 0.0;
};

// Quarter by quarter, for every measure at every pair of the outcomes (their cross product): one
// row per row of a run file's time axis (row 0 the initial world, row k the world after step k), so
// that a row's difference is what-if minus baseline of the two runs' files, seed by seed.
struct StepSeries {
  std::string measure;  // catalogue name
  std::string pair;     // "JPN-ISR"
  // [row]: means over the seeds, and the 95% t interval of the paired mean difference.
  std::vector<double> baseline_mean, what_if_mean, difference_mean, difference_low, difference_high;
};

struct Comparison {
  std::string baseline_file;
  std::string what_if_file;
  std::string first_event;       // name of the what-if's first event not in the baseline
  Period first_event_period;
  int seeds = 0;
  // With --parameter-draws: the number of coefficient draws (each run with every seed); 0 without.
  // The intervals are then the 2.5-97.5% range over the draws of each draw's mean difference.
  int parameter_draws = 0;
  bool identical_before = true;  // every seed identical to the baseline up to the first event
  Period last_period;             // the last quarter stepped (the outcomes' window ends with it)
  std::vector<std::uint64_t> seed_values;  // the seeds, in order
  std::vector<PairedOutcome> outcomes;
  std::vector<Period> rows;        // the time axis of `steps`: start, then the period after each step
  std::vector<StepSeries> steps;   // measure-major, then pair, in the order of the outcomes' first use
};

struct CompareOptions {
  std::vector<OutcomeSpec> outcomes = comparison_outcomes();
  // Called (from any thread) after each run, baseline or what-if: 2 * seeds calls in all.
  std::function<void()> run_done{};
};

// The events of `what_if` that the baseline does not have (same name, period, kind and
// parameters count as the same event), earliest first; empty when there are none.
std::vector<const EventInstance*> added_events(const Scenario& baseline, const Scenario& what_if);

// Runs both scenarios with seeds base seed + k, k = 0 .. seeds - 1 (the baseline's seed), in
// parallel over seeds. Throws std::invalid_argument when the what-if adds no event or a scenario
// lacks an agent of the outcomes' pairs.
Comparison compare(const Scenario& baseline, const Scenario& what_if, int seeds, const CompareOptions& options = {});
// The same over parameter draws: baselines[d] and what_ifs[d] are the two scenarios with draw d's
// coefficients (compare --parameter-draws); each draw runs with every seed.
Comparison compare(const std::vector<Scenario>& baselines, const std::vector<Scenario>& what_ifs, int seeds,
                   const CompareOptions& options = {});

// The comparison as plain text for a terminal: what was compared, and a table of the outcomes.
std::string text_report(const Comparison& comparison);

// The two-sided 95% quantile of Student's t with `df` degrees of freedom.
double t_quantile_975(int df);

// docs/scenarios.md: the comparisons, with each what-if's own description (`descriptions`, one per
// comparison: the leading comment block of its file).
std::string markdown(const std::vector<Comparison>& comparisons, const std::vector<std::string>& descriptions,
                     const std::string& command_line);

// The leading comment block of a scenario file, without the '#' marks.
std::string leading_comment(const std::string& file);

}  // namespace policysim::calibration
