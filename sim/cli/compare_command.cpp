// policysim compare BASELINE WHATIF... [--seeds N] [--pair A-B]... [--measure NAME]... [--out FILE.h5]
//                   [--force] [--docs-page FILE] [--threads N] [--quiet]:
// paired runs of each what-if against its baseline over the same seeds; the effect after the
// what-if's first event as paired mean differences with 95% intervals, printed as a table; with
// --out, the same quarter by quarter in an HDF5 file; with --docs-page, docs/scenarios.md.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include "sim/calibration/compare.hpp"
#include "sim/cli/command.hpp"
#include "sim/description/joined.hpp"
#include "sim/estimation/parameter_draws.hpp"
#include "sim/measures/measure.hpp"
#include "sim/output/atomic_file.hpp"
#include "sim/output/compare_file.hpp"
#include "sim/output/estimate_file.hpp"
#include "sim/scenario/load.hpp"
#include "sim/scenario/suggest.hpp"
#include "sim/sweep/progress.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace policysim::cli {

namespace {

std::vector<std::string> strings(const po::variables_map& values, const char* key) {
  return values.count(key) ? values[key].as<std::vector<std::string>>() : std::vector<std::string>{};
}

// The --out file's contents from the comparisons (the calibration layer computes, output writes).
ComparisonFileContents file_contents(const std::vector<calibration::Comparison>& comparisons, const std::string& command_line,
                                     const std::string& baseline_file) {
  ComparisonFileContents contents;
  contents.program_version = POLICYSIM_VERSION;
  contents.command_line = command_line;
  contents.baseline_file = baseline_file;
  if (!comparisons.empty()) contents.seeds = comparisons.front().seed_values;
  for (const calibration::Comparison& c : comparisons) {
    ComparisonSection section;
    section.what_if_file = c.what_if_file;
    section.first_event = c.first_event;
    section.first_event_period = c.first_event_period.label();
    section.identical_before = c.identical_before;
    for (const Period& period : c.rows) {
      section.period_label.push_back(period.label());
      section.time.push_back(period.decimal_year());
    }
    for (const calibration::StepSeries& s : c.steps)
      section.series.push_back({s.measure, s.pair, s.baseline_mean, s.what_if_mean, s.difference_mean, s.difference_low,
                                s.difference_high});
    contents.what_ifs.push_back(std::move(section));
  }
  return contents;
}

}  // namespace

int compare_command(const Invocation& invocation) {
  po::options_description options("policysim compare BASELINE WHATIF... [options]");
  po::positional_options_description positional;
  options.add_options()
      ("files", po::value<std::vector<std::string>>()->required()->value_name("FILE"), "the baseline, then what-ifs")
      ("seeds", po::value<int>()->default_value(20)->value_name("N"), "number of paired runs (the baseline's seed, +1, ...)")
      ("pair", po::value<std::vector<std::string>>()->value_name("A-B"),
       "a pair to compare, by agent codes (repeatable; default JPN-ISR JPN-USA JPN-EU USA-ISR)")
      ("measure", po::value<std::vector<std::string>>()->value_name("NAME"),
       "a pair measure of the catalogue to compare (repeatable; default dialogue cooperation dialogues_held "
       "mous_signed b2b_cooperation; `policysim describe` lists them)")
      ("out", po::value<std::string>()->value_name("FILE.h5"),
       "also write the paired differences quarter by quarter, with their 95% intervals and both means, to an HDF5 file")
      ("force", "overwrite an existing --out file")
      ("parameter-draws", po::value<int>()->value_name("N"),
       "draw the estimated coefficients N times from --estimate's posterior; baseline and what-if share each "
       "draw and seed, and the intervals become the 95% range over the draws (docs/estimation.md)")
      ("estimate", po::value<std::string>()->value_name("FILE.h5"),
       "the estimate file (policysim estimate) the draws come from (default output/estimate_baseline.h5)")
      ("docs-page", po::value<std::string>()->value_name("FILE"),
       "write the page docs/scenarios.md (its preamble, the command that regenerates it, the tables) to FILE; "
       "scripts/regenerate_scenarios_doc.sh uses it")
      ("markdown", po::value<std::string>()->value_name("FILE"), "the former name of --docs-page (the same)")
      ("threads", po::value<int>()->value_name("N"), "OpenMP threads over seeds (overrides OMP_NUM_THREADS)")
      ("quiet", "no progress on stderr")
      ("help,h", "show this help");
  positional.add("files", -1);
  if (print_help_if_asked(invocation,
                          "Run each what-if against the baseline with the same seeds and print the paired mean\n"
                          "difference of its outcomes after its first event, with a 95% interval.",
                          options))
    return kExitOk;
  const auto values = parse_options(invocation, options, positional);
  const auto files = values["files"].as<std::vector<std::string>>();
  if (files.size() < 2) throw UsageError("expected a baseline and at least one what-if");
  const int seeds = values["seeds"].as<int>();
  if (seeds < 2 || seeds > 10000) throw UsageError("--seeds: expected a whole number from 2 to 10000, got " + std::to_string(seeds));
  apply_threads_option(values);
  const bool quiet = values.count("quiet") != 0;
  const bool force = values.count("force") != 0;

  // The outcomes: the defaults (docs/scenarios.md's), or every --measure at every --pair.
  calibration::CompareOptions compare_options;
  const auto pairs = strings(values, "pair");
  const auto measures = strings(values, "measure");
  const std::vector<std::string> pair_measures = calibration::pair_measure_names();
  for (const std::string& name : measures) {
    if (std::find(pair_measures.begin(), pair_measures.end(), name) != pair_measures.end()) continue;
    if (find_measure(name) != nullptr)
      throw UsageError("--measure: \"" + name + "\" is not a pair measure (it has no value per pair)" +
                       suggestion_hint(name, pair_measures));
    throw UsageError("--measure: unknown measure \"" + name + "\"" + suggestion_hint(name, pair_measures));
  }
  if (!pairs.empty() || !measures.empty()) {
    try {
      compare_options.outcomes = calibration::outcomes_for(pairs.empty() ? calibration::default_comparison_pairs() : pairs,
                                                           measures.empty() ? calibration::default_comparison_measures()
                                                                            : measures);
    } catch (const std::invalid_argument& error) {
      throw UsageError("--pair: " + std::string(error.what()));
    }
  }

  // Everything that can be refused is refused before the first run: the output paths, every file,
  // every pair's agents.
  std::optional<std::string> docs_page, docs_flag;
  for (const char* flag : {"docs-page", "markdown"})
    if (values.count(flag)) {
      if (docs_page) throw UsageError("--docs-page and --markdown are the same option: give one");
      docs_page = values[flag].as<std::string>();
      docs_flag = std::string("--") + flag;
    }
  if (docs_page) check_output_path(*docs_page, *docs_flag, true);
  std::optional<fs::path> out;
  if (values.count("out")) {
    out = values["out"].as<std::string>();
    check_output_path(*out, "--out", force);
    remove_temporaries_of(*out);
  }
  // Coefficient draws from an estimate's posterior: one set of overrides per draw (none: one empty set).
  std::vector<std::vector<Override>> draws{{}};
  if (values.count("parameter-draws")) {
    const int count = values["parameter-draws"].as<int>();
    if (count < 2 || count > 10000)
      throw UsageError("--parameter-draws: expected a whole number from 2 to 10000, got " + std::to_string(count));
    const fs::path estimate =
        values.count("estimate") ? fs::path(values["estimate"].as<std::string>()) : fs::path("output/estimate_baseline.h5");
    try {
      draws = estimation::parameter_draws(read_estimate_posterior(estimate), static_cast<std::size_t>(count),
                                          load_scenario(files[0]).scenario.simulation.seed);
    } catch (const InputFileError& error) {
      throw UsageError(std::string("--estimate: ") + error.what());
    }
  } else if (values.count("estimate")) {
    throw UsageError("--estimate: only with --parameter-draws N");
  }
  const LoadedScenario baseline = load_scenario(files[0], draws.front());
  std::vector<LoadedScenario> what_ifs;
  for (std::size_t k = 1; k < files.size(); ++k) what_ifs.push_back(load_scenario(files[k], draws.front()));
  // Each draw's scenarios: the files again with the draw's coefficients (a key the scenario lacks is
  // refused here, before any run, with the estimate's key as the origin).
  std::vector<Scenario> baseline_draws;
  std::vector<std::vector<Scenario>> what_if_draws(what_ifs.size());
  for (const auto& draw : draws) {
    baseline_draws.push_back(load_scenario(files[0], draw).scenario);
    for (std::size_t k = 1; k < files.size(); ++k) what_if_draws[k - 1].push_back(load_scenario(files[k], draw).scenario);
  }
  for (const calibration::OutcomeSpec& outcome : compare_options.outcomes)
    for (const std::string& code : {outcome.agent, outcome.partner})
      for (const LoadedScenario* loaded : [&] {
             std::vector<const LoadedScenario*> all{&baseline};
             for (const auto& w : what_ifs) all.push_back(&w);
             return all;
           }())
        if (!loaded->scenario.agent_index(code)) {
          std::vector<std::string> codes;
          for (std::size_t a = 0; a < loaded->scenario.agent_count(); ++a) codes.push_back(loaded->scenario.governments[a].code);
          throw UsageError("--pair: " + loaded->scenario.file + " has no agent \"" + code + "\"" +
                           suggestion_hint(code, codes));
        }

  // Progress over all runs: 2 per seed and what-if (a bar on a terminal, a line per 10% otherwise).
  sweep::Progress progress(2 * static_cast<std::size_t>(seeds) * draws.size() * what_ifs.size(), 0, !quiet, std::cerr,
                           ::isatty(STDERR_FILENO) != 0, "compare", "runs");
  compare_options.run_done = [&progress] { progress.advance(); };

  std::vector<calibration::Comparison> comparisons;
  std::vector<std::string> descriptions;
  bool all_identical = true;
  for (std::size_t k = 1; k < files.size(); ++k) {
    try {
      comparisons.push_back(calibration::compare(baseline_draws, what_if_draws[k - 1], seeds, compare_options));
    } catch (const std::invalid_argument& error) {
      progress.finish();
      throw UsageError(error.what());
    }
    descriptions.push_back(calibration::leading_comment(files[k]));
    all_identical = all_identical && comparisons.back().identical_before;
  }
  progress.finish();

  for (std::size_t k = 0; k < comparisons.size(); ++k)
    std::cout << (k ? "\n" : "") << calibration::text_report(comparisons[k]);
  if (out) {
    try {
      write_comparison_file(*out, file_contents(comparisons, invocation.command_line, baseline.scenario.file), force);
    } catch (const TargetExists& exists) {
      throw UsageError(exists.what());
    }
    std::cout << "\nwrote " << out->string() << " (quarter by quarter: groups "
              << [&] {
                   std::vector<ComparisonSection> sections(comparisons.size());
                   for (std::size_t k = 0; k < comparisons.size(); ++k) sections[k].what_if_file = comparisons[k].what_if_file;
                   return "/" + joined(comparison_group_names(sections), ", /");
                 }()
              << ")\n";
  }
  if (docs_page) {
    // The command as it would be typed from the repository root: the same text wherever the files
    // lie, so that the generated page does not depend on the checkout's path.
    std::string canonical = "policysim compare";
    for (const auto& file : files) canonical += " scenarios/" + fs::path(file).filename().string();
    canonical += " --seeds " + std::to_string(seeds);
    if (draws.size() > 1)
      canonical += " --parameter-draws " + std::to_string(draws.size()) + " --estimate output/estimate_baseline.h5 " +
                   *docs_flag + " docs/scenarios_parameter_draws.md";
    else
      canonical += " " + *docs_flag + " docs/scenarios.md";
    write_file_atomically(*docs_page, calibration::markdown(comparisons, descriptions, canonical));
    if (!quiet) std::cerr << "wrote " << *docs_page << "\n";
  }
  if (!all_identical) {
    std::cerr << "policysim compare: a what-if differs from the baseline before its first event "
                 "(common random numbers broken)\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace policysim::cli
