#include "sim/calibration/compare.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <span>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include "sim/description/pair_label.hpp"
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

namespace {

// Measures whose value is a count of things that happened in the quarter (milestones): an outcome
// over many quarters is their sum, not their mean.
bool counted_per_quarter(const std::string& measure) { return measure == "dialogues_held" || measure == "mous_signed"; }

// The outcome names of docs/scenarios.md for the default measures; other measures by their name.
std::string outcome_label(const std::string& measure) {
  if (measure == "dialogues_held") return "dialogues held";
  if (measure == "mous_signed") return "MOUs signed";
  if (measure == "b2b_cooperation") return "B2B ties";
  return measure;
}

template <class T>
void push_unique(std::vector<T>& list, const T& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

}  // namespace

std::vector<std::string> default_comparison_pairs() {
  std::vector<std::string> pairs;
  for (const OutcomeSpec& o : comparison_outcomes()) push_unique(pairs, pair_label(o.agent, o.partner));
  return pairs;
}

std::vector<std::string> default_comparison_measures() {
  std::vector<std::string> measures;
  for (const OutcomeSpec& o : comparison_outcomes()) push_unique(measures, o.measure);
  return measures;
}

std::vector<std::string> pair_measure_names() {
  std::vector<std::string> names;
  for (const Measure& m : measure_catalogue())
    if (m.scope == MeasureScope::Pair) names.push_back(m.name);
  return names;
}

std::vector<OutcomeSpec> outcomes_for(const std::vector<std::string>& pairs, const std::vector<std::string>& measures) {
  std::vector<OutcomeSpec> outcomes;
  for (const std::string& pair : pairs) {
    const auto ends = split_pair_label(pair);
    if (!ends)
      throw std::invalid_argument("pair \"" + pair + "\": expected two agent codes joined by '-', like JPN-ISR");
    for (const std::string& name : measures) {
      const Measure* m = find_measure(name);
      if (m == nullptr || m->scope != MeasureScope::Pair)
        throw std::invalid_argument("measure \"" + name + "\" is not a pair measure of the catalogue");
      const bool summed = counted_per_quarter(name);
      outcomes.push_back({pair + " " + outcome_label(name),
                          std::string(summed ? "sum over the quarters of " : "mean over the quarters of ") + m->long_name,
                          name, ends->first, ends->second, summed});
    }
  }
  return outcomes;
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

// The cells recorded quarter by quarter: every measure of the outcomes at every pair of them.
struct Cell {
  std::string measure;
  std::string agent, partner;
};

struct RunTrace {
  std::vector<double> outcomes;  // by the options' outcomes
  std::vector<double> rows;      // [row, cell], row 0 the initial world
  std::vector<World> before;     // worlds up to the start of the first event's quarter
  std::vector<std::vector<Milestone>> milestones_before;
};

RunTrace trace(const Scenario& base, std::uint64_t seed, Period first_event, const std::vector<OutcomeSpec>& outcomes,
               const std::vector<Cell>& cells, const std::vector<std::size_t>& cell_of_outcome) {
  Scenario scenario = base;
  scenario.simulation.seed = seed;
  const std::size_t n = scenario.agent_count();
  // Each cell's measure and the position of its pair in the measure's [agent, partner] values.
  struct Reading {
    const Measure* measure;
    std::size_t at;
  };
  std::vector<Reading> readings;
  for (const Cell& cell : cells)
    readings.push_back({&measure(cell.measure), *scenario.agent_index(cell.agent) * n + *scenario.agent_index(cell.partner)});

  RunTrace result;
  result.outcomes.assign(outcomes.size(), 0.0);
  std::map<const Measure*, std::vector<double>> values;  // this row's, each measure computed once
  auto record_row = [&](const World& world, std::span<const Milestone> milestones) {
    const MeasureContext context{scenario, world, milestones};
    values.clear();
    for (const Reading& reading : readings) {
      auto [found, fresh] = values.try_emplace(reading.measure);
      if (fresh) found->second = reading.measure->values(context);
      result.rows.push_back(found->second[reading.at]);
    }
  };
  int quarters = 0;
  Simulation simulation(scenario);
  result.before.push_back(simulation.world());
  record_row(simulation.world(), {});
  while (!simulation.finished()) {
    const Period quarter = simulation.world().period;
    simulation.step();
    const World& world = simulation.world();
    record_row(world, simulation.milestones());
    if (quarter < first_event) {
      result.before.push_back(world);
      result.milestones_before.push_back(simulation.milestones());
      continue;
    }
    ++quarters;
    const std::size_t row = result.rows.size() - cells.size();
    for (std::size_t k = 0; k < outcomes.size(); ++k) result.outcomes[k] += result.rows[row + cell_of_outcome[k]];
  }
  for (std::size_t k = 0; k < outcomes.size(); ++k)
    if (!outcomes[k].summed) result.outcomes[k] /= std::max(quarters, 1);
  return result;
}

// Means over the seeds of both sides and the 95% t interval of the paired mean difference.
struct Paired {
  double baseline_mean = 0.0, what_if_mean = 0.0, difference_mean = 0.0, low = 0.0, high = 0.0;
};

Paired paired(const std::vector<double>& base, const std::vector<double>& changed) {
  Paired result;
  const double n = static_cast<double>(base.size());
  double squares = 0.0;
  for (std::size_t k = 0; k < base.size(); ++k) {
    result.baseline_mean += base[k] / n;
    result.what_if_mean += changed[k] / n;
    result.difference_mean += (changed[k] - base[k]) / n;
  }
  for (std::size_t k = 0; k < base.size(); ++k) {
    const double d = changed[k] - base[k] - result.difference_mean;
    squares += d * d;
  }
  const double half = t_quantile_975(static_cast<int>(base.size()) - 1) * std::sqrt(squares / (n - 1.0) / n);
  result.low = result.difference_mean - half;
  result.high = result.difference_mean + half;
  return result;
}

// With parameter draws (runs ordered draw by draw, `seeds` each): the means over all runs, and as
// the interval the 2.5% and 97.5% quantiles over the draws of each draw's mean paired difference,
// so that it carries the coefficients' uncertainty and not only the seeds'.
Paired paired_over_draws(const std::vector<double>& base, const std::vector<double>& changed, std::size_t seeds) {
  Paired result = paired(base, changed);
  const std::size_t draws = base.size() / seeds;
  if (draws < 2) return result;
  std::vector<double> effects;
  for (std::size_t d = 0; d < draws; ++d) {
    double sum = 0.0;
    for (std::size_t k = 0; k < seeds; ++k) sum += changed[d * seeds + k] - base[d * seeds + k];
    effects.push_back(sum / static_cast<double>(seeds));
  }
  std::sort(effects.begin(), effects.end());
  // Linear interpolation between order statistics (type 7, as numpy's default).
  auto quantile = [&](double q) {
    const double at = q * static_cast<double>(effects.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(at));
    const std::size_t above = std::min(below + 1, effects.size() - 1);
    return effects[below] + (at - static_cast<double>(below)) * (effects[above] - effects[below]);
  };
  result.low = quantile(0.025);
  result.high = quantile(0.975);
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

Comparison compare(const Scenario& baseline, const Scenario& what_if, int seeds, const CompareOptions& options) {
  return compare(std::vector<Scenario>{baseline}, std::vector<Scenario>{what_if}, seeds, options);
}

Comparison compare(const std::vector<Scenario>& baselines, const std::vector<Scenario>& what_ifs, int seeds,
                   const CompareOptions& options) {
  if (baselines.empty() || baselines.size() != what_ifs.size())
    throw std::invalid_argument("compare: one what-if per baseline (one pair per parameter draw)");
  const Scenario& baseline = baselines.front();
  const Scenario& what_if = what_ifs.front();
  const std::size_t draws = baselines.size();
  if (seeds < 2 && draws < 2) throw std::invalid_argument("a paired comparison needs at least two seeds");
  const std::vector<OutcomeSpec>& outcomes = options.outcomes;
  if (outcomes.empty()) throw std::invalid_argument("no outcome to compare");
  std::vector<std::string> measures;
  std::vector<std::pair<std::string, std::string>> pairs;  // (agent, partner), in the outcomes' order
  for (const OutcomeSpec& o : outcomes) {
    push_unique(measures, o.measure);
    push_unique(pairs, std::pair{o.agent, o.partner});
    for (const std::string& code : {o.agent, o.partner})
      for (const Scenario* scenario : {&baseline, &what_if})
        if (!scenario->agent_index(code)) throw std::invalid_argument(scenario->file + " has no agent " + code);
  }
  std::vector<Cell> cells;
  for (const std::string& m : measures)
    for (const auto& [agent, partner] : pairs) cells.push_back({m, agent, partner});
  std::vector<std::size_t> cell_of_outcome;
  for (const OutcomeSpec& o : outcomes) {
    const auto m = std::find(measures.begin(), measures.end(), o.measure) - measures.begin();
    const auto p = std::find(pairs.begin(), pairs.end(), std::pair{o.agent, o.partner}) - pairs.begin();
    cell_of_outcome.push_back(static_cast<std::size_t>(m) * pairs.size() + static_cast<std::size_t>(p));
  }

  const auto added = added_events(baseline, what_if);
  if (added.empty()) throw std::invalid_argument(what_if.file + " adds no event to " + baseline.file);
  Comparison comparison;
  comparison.baseline_file = baseline.file;
  comparison.what_if_file = what_if.file;
  comparison.first_event = added.front()->name;
  comparison.first_event_period = added.front()->period;
  comparison.seeds = seeds;
  comparison.last_period = baseline.last_simulated();
  for (int k = 0; k < seeds; ++k) comparison.seed_values.push_back(baseline.simulation.seed + static_cast<std::uint64_t>(k));

  comparison.parameter_draws = draws > 1 ? static_cast<int>(draws) : 0;
  // Run i is draw i / seeds with seed i % seeds: baseline and what-if share the draw and the seed.
  const auto run_count = static_cast<long>(draws * static_cast<std::size_t>(seeds));
  std::vector<RunTrace> base_runs(static_cast<std::size_t>(run_count)), what_if_runs(static_cast<std::size_t>(run_count));
#pragma omp parallel for schedule(dynamic, 1)
  for (long i = 0; i < run_count; ++i) {
    const auto run = static_cast<std::size_t>(i);
    const std::size_t draw = run / static_cast<std::size_t>(seeds);
    const std::uint64_t seed = comparison.seed_values[run % static_cast<std::size_t>(seeds)];
    base_runs[run] = trace(baselines[draw], seed, comparison.first_event_period, outcomes, cells, cell_of_outcome);
    if (options.run_done) options.run_done();
    what_if_runs[run] = trace(what_ifs[draw], seed, comparison.first_event_period, outcomes, cells, cell_of_outcome);
    if (options.run_done) options.run_done();
  }

  for (std::size_t k = 0; k < base_runs.size(); ++k) {
    const RunTrace& x = base_runs[k];
    const RunTrace& y = what_if_runs[k];
    // Every member of every world (World's defaulted equality) and every milestone.
    if (x.before != y.before || x.milestones_before != y.milestones_before) comparison.identical_before = false;
  }

  auto column = [&](const std::vector<RunTrace>& runs, auto value) {
    std::vector<double> out;
    for (const RunTrace& run : runs) out.push_back(value(run));
    return out;
  };
  for (std::size_t o = 0; o < outcomes.size(); ++o) {
    const Paired p = paired_over_draws(column(base_runs, [&](const RunTrace& r) { return r.outcomes[o]; }),
                                       column(what_if_runs, [&](const RunTrace& r) { return r.outcomes[o]; }),
                                       static_cast<std::size_t>(seeds));
    comparison.outcomes.push_back({outcomes[o].name, outcomes[o].summed, p.baseline_mean, p.what_if_mean,
                                   p.difference_mean, p.low, p.high});
  }

  // Quarter by quarter: the rows of the shortest run (both sides have the baseline's steps).
  std::size_t rows = std::numeric_limits<std::size_t>::max();
  for (const auto* runs : {&base_runs, &what_if_runs})
    for (const RunTrace& run : *runs) rows = std::min(rows, run.rows.size() / cells.size());
  for (std::size_t r = 0; r < rows; ++r) comparison.rows.push_back(baseline.simulation.start.plus_quarters(static_cast<int>(r)));
  for (std::size_t c = 0; c < cells.size(); ++c) {
    StepSeries series{cells[c].measure, pair_label(cells[c].agent, cells[c].partner), {}, {}, {}, {}, {}};
    for (std::size_t r = 0; r < rows; ++r) {
      const std::size_t at = r * cells.size() + c;
      const Paired p = paired_over_draws(column(base_runs, [&](const RunTrace& run) { return run.rows[at]; }),
                                         column(what_if_runs, [&](const RunTrace& run) { return run.rows[at]; }),
                                         static_cast<std::size_t>(seeds));
      series.baseline_mean.push_back(p.baseline_mean);
      series.what_if_mean.push_back(p.what_if_mean);
      series.difference_mean.push_back(p.difference_mean);
      series.difference_low.push_back(p.low);
      series.difference_high.push_back(p.high);
    }
    comparison.steps.push_back(std::move(series));
  }
  return comparison;
}

std::string text_report(const Comparison& c) {
  std::ostringstream out;
  const std::string name = std::filesystem::path(c.what_if_file).stem().string();
  out << name << " (" << c.what_if_file << ") against " << std::filesystem::path(c.baseline_file).stem().string()
      << " (" << c.baseline_file << ")\n"
      << "  first event: " << c.first_event << " in " << c.first_event_period.label() << "; seeds: " << c.seeds;
  if (!c.seed_values.empty()) out << " (" << c.seed_values.front() << " to " << c.seed_values.back() << ")";
  out << "; identical before " << c.first_event_period.label() << ": " << (c.identical_before ? "yes" : "NO") << "\n"
      << "  outcomes from " << c.first_event_period.label() << " to " << c.last_period.label()
      << " (means over the quarters, counts summed), mean over the seeds;\n"
      << (c.parameter_draws > 0
              ? "  difference: what-if minus baseline, draw by draw and seed by seed (" + std::to_string(c.parameter_draws) +
                    " coefficient draws from the estimate x " + std::to_string(c.seeds) +
                    " seeds), with the 95% range over the draws of each draw's mean difference\n\n"
              : std::string("  difference: what-if minus baseline, seed by seed, with its 95% interval (Student's t)\n\n"));
  std::size_t width = std::string("outcome").size();
  for (const PairedOutcome& o : c.outcomes) width = std::max(width, o.name.size());
  std::vector<std::array<std::string, 5>> cells;
  for (const PairedOutcome& o : c.outcomes) {
    const int digits = o.summed ? 2 : 3;
    cells.push_back({fixed(o.baseline_mean, digits), fixed(o.what_if_mean, digits), signed_fixed(o.difference_mean, digits),
                     "[" + signed_fixed(o.difference_low, digits) + ", " + signed_fixed(o.difference_high, digits) + "]",
                     (o.difference_low > 0 || o.difference_high < 0) ? "" : "  (0 inside)"});
  }
  std::array<std::size_t, 4> widths{8, 7, 10, 12};
  for (const auto& row : cells)
    for (std::size_t k = 0; k < 4; ++k) widths[k] = std::max(widths[k], row[k].size());
  auto pad_left = [](const std::string& text, std::size_t w) { return std::string(w - std::min(w, text.size()), ' ') + text; };
  auto pad_right = [](const std::string& text, std::size_t w) { return text + std::string(w - std::min(w, text.size()), ' '); };
  out << "  " << pad_right("outcome", width) << "  " << pad_left("baseline", widths[0]) << "  "
      << pad_left("what-if", widths[1]) << "  " << pad_left("difference", widths[2]) << "  " << "95% interval\n";
  for (std::size_t k = 0; k < cells.size(); ++k)
    out << "  " << pad_right(c.outcomes[k].name, width) << "  " << pad_left(cells[k][0], widths[0]) << "  "
        << pad_left(cells[k][1], widths[1]) << "  " << pad_left(cells[k][2], widths[2]) << "  " << cells[k][3]
        << cells[k][4] << "\n";
  return out.str();
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
  const bool drawn = !comparisons.empty() && comparisons.front().parameter_draws > 0;
  if (drawn)
    out << "# What-if scenarios with the coefficients' uncertainty\n\n"
        << "<!-- Generated by scripts/parameter_draws_doc.sh (policysim compare --parameter-draws); do not edit by\n"
        << "     hand. Not checked by CTest (it takes many minutes): the commit it came from is below. -->\n\n"
        << "The comparisons of [docs/scenarios.md](scenarios.md), run with the G2G coefficients drawn from the\n"
        << "estimate of `scenarios/estimate_baseline.toml` (docs/estimation.md): each draw is a set of the six\n"
        << "estimated coefficients, and the baseline and the what-if share every draw and seed. The interval is\n"
        << "the 95% range over the draws of each draw's mean paired difference: it carries the coefficients'\n"
        << "uncertainty, which the fixed-coefficient intervals of docs/scenarios.md leave out. None of the six\n"
        << "coefficients is identified by the training evidence, so the draws span most of their priors.\n\n";
  else
    out << "# What-if scenarios\n\n"
        << "<!-- Generated by policysim compare (the command under \"Regenerate\" below); do not edit by hand.\n"
        << "     docs/scenarios.inputs lists what its numbers depend on, and CTest fails when one of those\n"
        << "     changes (test scenarios.docs_inputs_unchanged): then run scripts/regenerate_scenarios_doc.sh. -->\n\n";
  out << "**What this page treats as an effect.** A difference counts only when its interval excludes 0 **and**\n"
      << "it is at least 0.02 for a strength (a tie in [0, 1]) or 0.1 for a count summed over the period;\n"
      << "a smaller difference is below what the model's coefficients can support, whatever its interval.\n"
      << (drawn ? "\n"
                : "The coefficients are held fixed on this page, so its intervals show the seeds' noise only;\n"
                  "[docs/scenarios_parameter_draws.md](scenarios_parameter_draws.md) repeats the comparisons with the\n"
                  "coefficients drawn from their estimate, where the intervals are far wider.\n\n");
  if (drawn) {
    out << "Regenerate (from the repository root, after `policysim estimate scenarios/estimate_baseline.toml`):\n\n"
        << "```sh\n" << command_line << "\n```\n";
    for (std::size_t k = 0; k < comparisons.size(); ++k) {
      const Comparison& c = comparisons[k];
      out << "\n## " << std::filesystem::path(c.what_if_file).stem().string() << "\n\n"
          << "First event: `" << c.first_event << "` in " << c.first_event_period.label() << ". "
          << c.parameter_draws << " coefficient draws x " << c.seeds << " seeds.\n\n"
          << "| outcome, " << c.first_event_period.label() << " to 2030Q4 | baseline | what-if | difference | 95% range over draws |\n"
          << "| --- | ---: | ---: | ---: | --- |\n";
      for (const PairedOutcome& o : c.outcomes) {
        const int digits = o.summed ? 2 : 3;
        out << "| " << o.name << " | " << fixed(o.baseline_mean, digits) << " | " << fixed(o.what_if_mean, digits) << " | "
            << signed_fixed(o.difference_mean, digits) << " | [" << signed_fixed(o.difference_low, digits) << ", "
            << signed_fixed(o.difference_high, digits) << "] |\n";
      }
    }
    return out.str();
  }
  out
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
        << c.first_event << "` in " << c.first_event_period.label() << ". Seeds: " << c.seeds
        << (c.parameter_draws > 0 ? " for each of " + std::to_string(c.parameter_draws) +
                                        " coefficient draws from the estimate (the interval: the 95% range over the draws)"
                                  : std::string())
        << ". Identical to "
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
