#include "sim/calibration/compare.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include "sim/dynamics/events/event.hpp"
#include "sim/dynamics/step.hpp"
#include "sim/measures/measure.hpp"

namespace policysim::calibration {

const std::vector<OutcomeSpec>& comparison_outcomes() {
  static const std::vector<OutcomeSpec> all = {
      {"JPN-ISR dialogue", "mean dialogue strength, quarter by quarter", "dialogue", "JPN", "ISR"},
      {"JPN-ISR cooperation", "mean cooperation strength", "cooperation", "JPN", "ISR"},
      {"JPN-ISR dialogues held", "number of dialogues held", "dialogues_held", "JPN", "ISR", true},
      {"JPN-ISR MOUs signed", "number of MOUs signed", "mous_signed", "JPN", "ISR", true},
      {"JPN-USA dialogue", "mean dialogue strength", "dialogue", "JPN", "USA"},
      {"JPN-EU dialogue", "mean dialogue strength", "dialogue", "JPN", "EU"},
      {"USA-ISR cooperation", "mean cooperation strength", "cooperation", "USA", "ISR"},
      {"JPN-ISR B2B ties", "mean number of B2B cooperation ties between Japanese and Israeli firms", "b2b_cooperation",
       "JPN", "ISR"},
      {"JPN-USA B2B ties", "mean number of B2B cooperation ties between Japanese and US firms", "b2b_cooperation", "JPN",
       "USA"},
      {"JPN-EU B2B ties", "mean number of B2B cooperation ties between Japanese and EU firms", "b2b_cooperation", "JPN",
       "EU"},
  };
  return all;
}

double t_quantile_975(int df) {
  static const double table[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                                 2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                                 2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
  if (df < 1) return NAN;
  if (df <= 30) return table[df - 1];
  // Cornish-Fisher expansion around the normal quantile (error < 1e-3 beyond 30 degrees of freedom).
  const double z = 1.959964, n = df;
  return z + (z * z * z + z) / (4 * n) + (5 * std::pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * n * n);
}

namespace {

bool same_event(const EventInstance& a, const EventInstance& b) {
  return a.name == b.name && a.period == b.period && a.kind == b.kind && a.params == b.params;
}

struct RunTrace {
  std::vector<double> outcomes;  // by comparison_outcomes()
  std::vector<World> before;     // worlds up to the start of the first event's quarter
  std::vector<std::vector<Milestone>> milestones_before;
};

RunTrace trace(const Scenario& base, std::uint64_t seed, Period first_event) {
  Scenario scenario = base;
  scenario.simulation.seed = seed;
  const std::size_t n = scenario.agent_count();
  // Each outcome's measure and the position of its pair in the measure's [agent, partner] values.
  struct Reading {
    const Measure* measure;
    std::size_t at;
  };
  std::vector<Reading> readings;
  for (const OutcomeSpec& outcome : comparison_outcomes())
    readings.push_back({&measure(outcome.measure),
                        *scenario.agent_index(outcome.agent) * n + *scenario.agent_index(outcome.partner)});

  RunTrace result;
  result.outcomes.assign(comparison_outcomes().size(), 0.0);
  int quarters = 0;
  Simulation simulation(scenario);
  result.before.push_back(simulation.world());
  std::map<const Measure*, std::vector<double>> values;  // this quarter's, each measure computed once
  while (!simulation.finished()) {
    const Period quarter = simulation.world().period;
    simulation.step();
    const World& world = simulation.world();
    if (quarter < first_event) {
      result.before.push_back(world);
      result.milestones_before.push_back(simulation.milestones());
      continue;
    }
    ++quarters;
    const MeasureContext context{scenario, world, simulation.milestones()};
    values.clear();
    for (std::size_t k = 0; k < readings.size(); ++k) {
      auto [found, fresh] = values.try_emplace(readings[k].measure);
      if (fresh) found->second = readings[k].measure->values(context);
      result.outcomes[k] += found->second[readings[k].at];
    }
  }
  for (std::size_t k = 0; k < readings.size(); ++k)
    if (!comparison_outcomes()[k].summed) result.outcomes[k] /= std::max(quarters, 1);
  return result;
}

// Rounded to `digits` decimals; a value that rounds to zero prints as 0 (never "-0.000").
std::string fixed(double value, int digits) {
  const double unit = std::pow(10.0, -digits);
  if (std::abs(value) < unit / 2) value = 0.0;
  std::ostringstream out;
  out << std::fixed << std::setprecision(digits) << value;
  return out.str();
}

std::string signed_fixed(double value, int digits) {
  const std::string text = fixed(value, digits);
  return (text[0] == '-' || text.find_first_not_of("0.") == std::string::npos) ? text : "+" + text;
}

}  // namespace

std::vector<const EventInstance*> added_events(const Scenario& baseline, const Scenario& what_if) {
  std::vector<const EventInstance*> added;
  for (const EventInstance& event : what_if.events)
    if (std::none_of(baseline.events.begin(), baseline.events.end(),
                     [&](const EventInstance& other) { return same_event(event, other); }))
      added.push_back(&event);
  std::stable_sort(added.begin(), added.end(), [](auto x, auto y) { return x->period < y->period; });
  return added;
}

Comparison compare(const Scenario& baseline, const Scenario& what_if, int seeds) {
  if (seeds < 2) throw std::invalid_argument("a paired comparison needs at least two seeds");
  for (const char* code : {"JPN", "ISR", "USA", "EU"})
    for (const Scenario* scenario : {&baseline, &what_if})
      if (!scenario->agent_index(code))
        throw std::invalid_argument(scenario->file + " has no agent " + std::string(code));
  const auto added = added_events(baseline, what_if);
  if (added.empty()) throw std::invalid_argument(what_if.file + " adds no event to " + baseline.file);
  Comparison comparison;
  comparison.baseline_file = baseline.file;
  comparison.what_if_file = what_if.file;
  comparison.first_event = added.front()->name;
  comparison.first_event_period = added.front()->period;
  comparison.seeds = seeds;

  std::vector<RunTrace> base_runs(static_cast<std::size_t>(seeds)), what_if_runs(static_cast<std::size_t>(seeds));
#pragma omp parallel for schedule(dynamic, 1)
  for (int k = 0; k < seeds; ++k) {
    const std::uint64_t seed = baseline.simulation.seed + static_cast<std::uint64_t>(k);
    base_runs[static_cast<std::size_t>(k)] = trace(baseline, seed, comparison.first_event_period);
    what_if_runs[static_cast<std::size_t>(k)] = trace(what_if, seed, comparison.first_event_period);
  }

  for (int k = 0; k < seeds; ++k) {
    const RunTrace& x = base_runs[static_cast<std::size_t>(k)];
    const RunTrace& y = what_if_runs[static_cast<std::size_t>(k)];
    // Every member of every world (World's defaulted equality) and every milestone.
    if (x.before != y.before || x.milestones_before != y.milestones_before) comparison.identical_before = false;
  }

  const double n = seeds;
  for (std::size_t o = 0; o < comparison_outcomes().size(); ++o) {
    PairedOutcome outcome;
    outcome.name = comparison_outcomes()[o].name;
    std::vector<double> differences;
    for (int k = 0; k < seeds; ++k) {
      const double base = base_runs[static_cast<std::size_t>(k)].outcomes[o];
      const double changed = what_if_runs[static_cast<std::size_t>(k)].outcomes[o];
      outcome.baseline_mean += base / n;
      outcome.what_if_mean += changed / n;
      differences.push_back(changed - base);
    }
    outcome.difference_mean = std::accumulate(differences.begin(), differences.end(), 0.0) / n;
    double squares = 0.0;
    for (double d : differences) squares += (d - outcome.difference_mean) * (d - outcome.difference_mean);
    const double standard_error = std::sqrt(squares / (n - 1.0) / n);
    const double half = t_quantile_975(seeds - 1) * standard_error;
    outcome.difference_low = outcome.difference_mean - half;
    outcome.difference_high = outcome.difference_mean + half;
    comparison.outcomes.push_back(outcome);
  }
  return comparison;
}

std::string leading_comment(const std::string& file) {
  std::ifstream in(file);
  std::string line, text;
  while (std::getline(in, line)) {
    if (line.rfind("#", 0) != 0) break;
    std::string content = line.substr(1);
    if (!content.empty() && content[0] == ' ') content.erase(0, 1);
    text += content + "\n";
  }
  return text;
}

std::string markdown(const std::vector<Comparison>& comparisons, const std::vector<std::string>& descriptions,
                     const std::string& command_line) {
  std::ostringstream out;
  out << "# What-if scenarios\n\n"
      << "<!-- Generated by policysim compare (the command under \"Regenerate\" below); do not edit by hand.\n"
      << "     docs/scenarios.inputs lists what its numbers depend on, and CTest fails when one of those\n"
      << "     changes (test scenarios.docs_inputs_unchanged): then run scripts/regenerate_scenarios_doc.sh. -->\n\n"
      << "Each what-if is a short file that extends `scenarios/history.toml` (what happened: the drivers-only\n"
      << "baseline plus the policies that happened) and adds dated events. It is run with the same seeds as\n"
      << "that reference run (\"baseline\" in the tables), so both draw the same random numbers (common random\n"
      << "numbers): they are identical, bit for bit, up to the quarter of the what-if's first event, and\n"
      << "every difference after it is the effect of the events. Each table gives, over the seeds, the\n"
      << "baseline's mean, the what-if's mean and the **paired mean difference** (what-if minus baseline,\n"
      << "seed by seed) with its 95% interval (Student's t, n - 1 degrees of freedom). An interval that\n"
      << "contains 0 means the runs do not show an effect at this number of seeds.\n\n"
      << "Outcomes are measured from the quarter of the first event to 2030Q4: strengths as the mean of\n"
      << "the end-of-quarter states (in [0, 1]), milestones as counts over the whole period, B2B ties as\n"
      << "the mean end-of-quarter number of cooperation ties between the two countries' firms. Pairs are\n"
      << "Japan-Israel (JPN-ISR), Japan-US (JPN-USA), Japan-EU (JPN-EU) and US-Israel (USA-ISR).\n\n"
      << "The reference holds every driver after 2019 (leaders too), so each what-if is compared with a\n"
      << "world in which nothing else changes. The numbers come from the model as calibrated in\n"
      << "docs/model.md; they are what its mechanisms imply, not forecasts.\n\n"
      << "Regenerate (from the repository root, with the build's `policysim`):\n\n"
      << "```sh\n" << command_line << "\n```\n";
  for (std::size_t k = 0; k < comparisons.size(); ++k) {
    const Comparison& c = comparisons[k];
    const std::string name = std::filesystem::path(c.what_if_file).stem().string();
    out << "\n## " << name << "\n\n"
        << "File: `scenarios/" << std::filesystem::path(c.what_if_file).filename().string() << "`. First event: `"
        << c.first_event << "` in " << c.first_event_period.label() << ". Seeds: " << c.seeds << ". Identical to "
        << "the baseline before " << c.first_event_period.label() << ": "
        << (c.identical_before ? "yes" : "**no**") << ".\n\n";
    if (k < descriptions.size() && !descriptions[k].empty()) {
      out << "```\n" << descriptions[k] << "```\n\n";
    }
    out << "| outcome, " << c.first_event_period.label() << " to 2030Q4 | baseline | what-if | difference | 95% interval |\n"
        << "| --- | ---: | ---: | ---: | --- |\n";
    for (const PairedOutcome& o : c.outcomes) {
      const int digits = (o.name.find("held") != std::string::npos || o.name.find("MOUs") != std::string::npos) ? 2 : 3;
      out << "| " << o.name << " | " << fixed(o.baseline_mean, digits) << " | " << fixed(o.what_if_mean, digits) << " | "
          << signed_fixed(o.difference_mean, digits) << " | [" << signed_fixed(o.difference_low, digits) << ", "
          << signed_fixed(o.difference_high, digits) << "] |\n";
    }
  }
  return out.str();
}

}  // namespace policysim::calibration
