// policysim explain FILE --pair A-B --layer L [--from P] [--to P] [--all] [--rows N] [--out F.h5] [--force]
//                   [--seed N] [--steps N] [--set k=v]... [--threads N]
// Runs the scenario once and shows, for one tie, what each effect (coefficient x statistic) added to
// its utility at every step, the utility and the tie before and after, beside the events of the step
// (docs/explain.md). The numbers are the dynamics' own: the step records them into a UtilityTrace
// while it computes the utility (sim/dynamics/utility_trace.hpp); nothing here recomputes the model.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "sim/cli/command.hpp"
#include "sim/cli/scenario_input.hpp"
#include "sim/description/pair_label.hpp"
#include "sim/dynamics/effects/effect.hpp"
#include "sim/dynamics/run.hpp"
#include "sim/output/explain_file.hpp"
#include "sim/scenario/suggest.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace policysim::cli {
namespace {

constexpr int kDefaultRows = 6;

// Keeps what the table and the file need besides the trace: the events of each step and the tie at
// its end (row t+1 of a run file's /ties).
class ExplainObserver : public RunObserver {
 public:
  explicit ExplainObserver(Explanation& explanation) : x_(explanation) {}
  void on_state(const World& world, std::span<const Milestone>) override {
    if (world.step > 0) x_.tie_end.push_back(world.layer(x_.layer)(static_cast<long>(x_.agent), static_cast<long>(x_.partner)));
  }
  void on_events(std::span<const AppliedEvent> events) override { x_.events.emplace_back(events.begin(), events.end()); }

 private:
  Explanation& x_;
};

Layer layer_option(const std::string& text) {
  if (const auto layer = layer_from_name(text)) return *layer;
  std::vector<std::string> names;
  for (const LayerInfo& layer : kLayerInfo) names.emplace_back(layer.name);
  throw UsageError("--layer: expected dialogue, cooperation or trade, got \"" + text + "\"" +
                   suggestion_hint(text, names));
}

std::size_t agent_option(const Scenario& scenario, const std::string& code, const std::string& pair) {
  if (const auto slot = scenario.agent_index(code)) return *slot;
  std::vector<std::string> codes;
  for (const Government& government : scenario.governments) codes.push_back(government.code);
  throw UsageError("--pair: \"" + code + "\" in \"" + pair + "\" is not an agent of " + scenario.file +
                   suggestion_hint(code, codes));
}

// "JPN-ISR" -> the two slots, in the order given.
std::pair<std::size_t, std::size_t> pair_option(const Scenario& scenario, const std::string& text) {
  const auto ends = split_pair_label(text);
  if (!ends) throw UsageError("--pair: expected two agent codes joined by \"-\" such as JPN-ISR, got \"" + text + "\"");
  const std::size_t a = agent_option(scenario, ends->first, text);
  const std::size_t b = agent_option(scenario, ends->second, text);
  if (a == b) throw UsageError("--pair: expected two different agents, got \"" + text + "\"");
  return {a, b};
}

Period period_option(const Scenario& scenario, const std::string& option, const std::string& text) {
  const Period first = scenario.simulation.start;
  const Period last = scenario.last_simulated();
  const auto period = parse_period(text);
  if (!period || *period < first || *period > last)
    throw UsageError(option + ": expected a quarter simulated, from " + first.label() + " to " + last.label() +
                     " (such as " + first.plus_quarters(std::min(17, scenario.simulation.steps - 1)).label() +
                     "), got \"" + text + "\"");
  return *period;
}

std::string number(double value, Layer layer, bool tie) {
  char buffer[64];
  if (tie && layer == Layer::Trade) std::snprintf(buffer, sizeof buffer, "%.1f", value);
  else std::snprintf(buffer, sizeof buffer, "%.4f", value);
  return buffer;
}

std::string padded(const std::string& text, std::size_t width) {
  return text.size() >= width ? text : std::string(width - text.size(), ' ') + text;
}

// The steps the table shows by default: the first and the last, and the `rows` steps where the
// utility changed most from the step before and the `rows` where the tie moved most.
std::set<std::size_t> default_rows(const Explanation& x, std::size_t first, std::size_t last, int rows) {
  std::set<std::size_t> chosen{first, last};
  const auto top = [&](auto change) {
    std::vector<std::size_t> steps(last - first + 1);
    std::iota(steps.begin(), steps.end(), first);
    std::stable_sort(steps.begin(), steps.end(), [&](std::size_t a, std::size_t b) { return change(a) > change(b); });
    for (std::size_t k = 0; k < steps.size() && k < static_cast<std::size_t>(rows); ++k)
      if (change(steps[k]) > 0.0) chosen.insert(steps[k]);
  };
  top([&](std::size_t t) { return t == 0 ? 0.0 : std::abs(x.records[t].utility - x.records[t - 1].utility); });
  top([&](std::size_t t) { return std::abs(x.tie_end[t] - x.records[t].tie_before); });
  return chosen;
}

void print_table(const Scenario& scenario, const Explanation& x, const std::set<std::size_t>& rows, bool all_rows,
                 int top_rows, const std::string& label) {
  const Layer layer = x.layer;
  const LayerDynamics& dynamics = scenario.layer_dynamics[index_of(layer)];
  const std::vector<std::string> names = explained_effect_names(scenario, layer);
  const std::string& agent = scenario.governments[x.agent].code;
  const std::string& partner = scenario.governments[x.partner].code;
  std::cout << "policysim explain: " << name_of(layer) << " tie " << agent << "-" << partner;
  if (info(layer).directed) std::cout << " (" << agent << "'s exports to " << partner << ", " << info(layer).units << ")";
  else if (label != pair_label(agent, partner))
    std::cout << " (asked as " << label << "; the dynamics update a mutual tie in the scenario's agent order)";
  std::cout << "\n  scenario " << scenario.file << ", seed " << scenario.simulation.seed << ", "
            << scenario.simulation.start.label() << " to " << scenario.last_simulated().label() << "\n";
  char rule[256];
  if (layer == Layer::Trade)
    std::snprintf(rule, sizeof rule, "log growth g = drift + %g * (U - log tie_before) + shock", dynamics.adjustment_rate);
  else
    std::snprintf(rule, sizeof rule, "tie_after = clamp(tie_before + %g * (logistic(U) - tie_before) + shock, 0, 1)",
                  dynamics.adjustment_rate);
  std::cout << "  U = sum of the columns before it (coefficient x statistic); " << rule << "\n";
  if (all_rows) std::cout << "  rows: every step in the range\n";
  else
    std::cout << "  rows: the first and last steps and the " << top_rows
              << " where U or the tie changed most (--all: every step; --from/--to: a range)\n";

  // One column per effect that contributes something in a shown row.
  std::vector<std::size_t> columns, silent;
  for (std::size_t k = 0; k < names.size(); ++k) {
    const bool nonzero = std::any_of(rows.begin(), rows.end(), [&](std::size_t t) {
      return k < x.records[t].terms.size() && x.records[t].terms[k].contribution() != 0.0;
    });
    (nonzero ? columns : silent).push_back(k);
  }
  std::vector<std::size_t> widths;
  std::cout << "\nperiod ";
  for (std::size_t k : columns) {
    widths.push_back(std::max<std::size_t>(names[k].size(), 8));
    std::cout << " " << padded(names[k], widths.back());
  }
  constexpr std::size_t tie_width = 10;
  const bool trade = layer == Layer::Trade;  // the equilibrium's drift enters the growth too
  std::cout << " " << padded("U", 8) << (trade ? " " + padded("drift", 8) : std::string()) << " " << padded("shock", 8)
            << " " << padded("tie_before", tie_width) << " " << padded("tie_after", tie_width) << "  events\n";
  for (std::size_t t : rows) {
    const UtilityRecord& r = x.records[t];
    std::cout << padded(r.period.label(), 6) << " ";
    for (std::size_t c = 0; c < columns.size(); ++c)
      std::cout << " " << padded(number(r.terms[columns[c]].contribution(), layer, false), widths[c]);
    std::cout << " " << padded(number(r.utility, layer, false), 8)
              << (trade ? " " + padded(number(r.drift, layer, false), 8) : std::string()) << " "
              << padded(number(r.shock, layer, false), 8)
              << " " << padded(number(r.tie_before, layer, true), tie_width) << " "
              << padded(number(x.tie_end[t], layer, true), tie_width) << "  ";
    // The events of the step that name one of the two (the others: counted).
    std::string text;
    int others = 0;
    for (const AppliedEvent& event : x.events[t]) {
      if (event.detail.find(agent) == std::string::npos && event.detail.find(partner) == std::string::npos) {
        ++others;
        continue;
      }
      text += (text.empty() ? "" : "; ") + event.kind + ": " + event.detail;
    }
    if (others > 0) text += (text.empty() ? "" : "; ") + ("+" + std::to_string(others) + " other event" + (others > 1 ? "s" : ""));
    std::cout << text << "\n";
  }
  if (!silent.empty()) {
    std::cout << "\nno contribution in these rows:";
    for (std::size_t k : silent) std::cout << " " << names[k];
    std::cout << "\n";
  }
  if (layer == Layer::Trade)
    std::cout << "tie_after: the flow at the end of the step (with firm trade, after b2b_trade adds the firm flows)\n";
}

}  // namespace

int explain_command(const Invocation& invocation) {
  po::options_description options("policysim explain FILE --pair A-B --layer L [options]");
  po::positional_options_description positional;
  add_scenario_options(options, positional);
  options.add_options()
      ("pair", po::value<std::string>()->required()->value_name("A-B"), "the pair, as agent codes (JPN-ISR); for trade, A's exports to B")
      ("layer", po::value<std::string>()->required()->value_name("L"), "dialogue, cooperation or trade")
      ("from", po::value<std::string>()->value_name("P"), "first quarter of the table (e.g. 2014Q2; default: the first simulated)")
      ("to", po::value<std::string>()->value_name("P"), "last quarter of the table (default: the last simulated)")
      ("all", "print every step of the range (default with --from or --to)")
      ("rows", po::value<int>()->value_name("N"), "without --all: the N steps where U, and the N where the tie, changed most (default 6)")
      ("out", po::value<std::string>()->value_name("FILE"), "also write every step to this HDF5 file")
      ("force", "overwrite an existing --out file")
      ("seed", po::value<std::uint64_t>()->value_name("N"), "random seed (overrides simulation.seed)")
      ("steps", po::value<int>()->value_name("N"), "quarters to simulate (overrides simulation.steps)")
      ("threads", po::value<int>()->value_name("N"), "OpenMP threads (overrides OMP_NUM_THREADS)")
      ("help,h", "show this help");
  if (print_help_if_asked(invocation,
                          "Run a scenario and show, for one tie, what each effect added to its utility at every step\n"
                          "(coefficient x statistic), the utility and the tie before and after, beside the events.",
                          options))
    return kExitOk;
  const auto values = parse_options(invocation, options, positional);
  const Layer layer = layer_option(values["layer"].as<std::string>());
  int top_rows = kDefaultRows;
  if (values.count("rows")) {
    top_rows = values["rows"].as<int>();
    if (top_rows < 0 || top_rows > 10000)
      throw UsageError("--rows: expected a whole number from 0 to 10000, got " + std::to_string(top_rows));
  }
  apply_threads_option(values);
  std::vector<Override> extra;
  if (values.count("seed")) extra.push_back({"simulation.seed", std::to_string(values["seed"].as<std::uint64_t>()), "--seed"});
  if (values.count("steps")) extra.push_back({"simulation.steps", std::to_string(values["steps"].as<int>()), "--steps"});
  const LoadedScenario loaded = load_from_options(values, extra);
  const Scenario& scenario = loaded.scenario;

  // Everything that can be refused is refused before the run.
  const std::string label = values["pair"].as<std::string>();
  const auto [a, b] = pair_option(scenario, label);
  if (layer == Layer::Trade && (scenario.is_organisation(a) || scenario.is_organisation(b)))
    throw UsageError("--pair: " + scenario.governments[scenario.is_organisation(a) ? a : b].code +
                     " is an organisation, and organisations do not trade; expected two countries for --layer trade");
  if (scenario.simulation.steps < 1) throw UsageError("the scenario simulates no step; expected simulation.steps >= 1");
  const Period from = values.count("from") ? period_option(scenario, "--from", values["from"].as<std::string>())
                                           : scenario.simulation.start;
  const Period to = values.count("to") ? period_option(scenario, "--to", values["to"].as<std::string>())
                                       : scenario.last_simulated();
  if (to < from)
    throw UsageError("--to: expected a quarter from --from (" + from.label() + ") on, got \"" + to.label() + "\"");
  const bool force = values.count("force") != 0;
  fs::path output;
  if (values.count("out")) {
    output = values["out"].as<std::string>();
    check_output_path(output, "--out", force);
    remove_temporaries_of(output);
  }

  // The dynamics update a mutual tie once, as (smaller slot, larger slot); trade as exporter -> importer.
  Explanation x;
  x.layer = layer;
  x.agent = info(layer).directed ? a : std::min(a, b);
  x.partner = info(layer).directed ? b : std::max(a, b);
  UtilityTrace trace(layer, x.agent, x.partner);
  ExplainObserver observer(x);
  run_simulation(scenario, observer, nullptr, &trace);
  x.records = std::move(trace.records);
  if (x.records.size() != static_cast<std::size_t>(scenario.simulation.steps) || x.tie_end.size() != x.records.size() ||
      x.events.size() != x.records.size())
    throw std::runtime_error("the trace holds " + std::to_string(x.records.size()) + " steps of " +
                             std::to_string(scenario.simulation.steps));

  const auto first = static_cast<std::size_t>(from.index - scenario.simulation.start.index);
  const auto last = static_cast<std::size_t>(to.index - scenario.simulation.start.index);
  const bool all_rows = values.count("all") != 0 || values.count("from") != 0 || values.count("to") != 0;
  std::set<std::size_t> rows;
  if (all_rows)
    for (std::size_t t = first; t <= last; ++t) rows.insert(t);
  else
    rows = default_rows(x, first, last, top_rows);
  print_table(scenario, x, rows, all_rows, top_rows, label);

  if (!output.empty()) {
    try {
      write_explain_file(output, scenario, {invocation.command_line, POLICYSIM_VERSION}, x, force);
    } catch (const TargetExists& exists) {
      throw UsageError(exists.what());
    }
    std::cout << "\nwrote " << output.string() << " (every step: /explain)\n";
  }
  return kExitOk;
}

}  // namespace policysim::cli
