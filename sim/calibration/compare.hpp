#pragma once
// What-if against baseline: paired runs over the same seeds (common random numbers), the
// outcomes after the what-if's first event, and their paired mean differences with 95%
// intervals. `policysim compare` prints them and writes docs/scenarios.md.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/model/calendar.hpp"
#include "sim/scenario/scenario.hpp"

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
const std::vector<OutcomeSpec>& comparison_outcomes();

struct PairedOutcome {
  std::string name;
  double baseline_mean = 0.0;
  double what_if_mean = 0.0;
  double difference_mean = 0.0;  // what-if minus baseline, paired by seed
  double difference_low = 0.0;   // 95% t interval of the mean difference
  double difference_high = 0.0;
};

struct Comparison {
  std::string baseline_file;
  std::string what_if_file;
  std::string first_event;       // name of the what-if's first event not in the baseline
  Period first_event_period;
  int seeds = 0;
  bool identical_before = true;  // every seed identical to the baseline up to the first event
  std::vector<PairedOutcome> outcomes;
};

// The events of `what_if` that the baseline does not have (same name, period, kind and
// parameters count as the same event), earliest first; empty when there are none.
std::vector<const EventInstance*> added_events(const Scenario& baseline, const Scenario& what_if);

// Runs both scenarios with seeds base seed + k, k = 0 .. seeds - 1 (the baseline's seed), in
// parallel over seeds. Throws std::invalid_argument when the what-if adds no event or lacks JPN,
// ISR, USA or EU.
Comparison compare(const Scenario& baseline, const Scenario& what_if, int seeds);

// The two-sided 95% quantile of Student's t with `df` degrees of freedom.
double t_quantile_975(int df);

// docs/scenarios.md: the comparisons, with each what-if's own description (`descriptions`, one per
// comparison: the leading comment block of its file).
std::string markdown(const std::vector<Comparison>& comparisons, const std::vector<std::string>& descriptions,
                     const std::string& command_line);

// The leading comment block of a scenario file, without the '#' marks.
std::string leading_comment(const std::string& file);

}  // namespace policysim::calibration
