// policysim: the command line. Thin: parse, call the library, report.
//   exit 0: done; 1: failure while running; 2: bad input (command line, scenario, files).
#include <iostream>
#include <string>
#include <vector>

#include "sim/cli/command.hpp"
#include "sim/cli/environment.hpp"
#include "sim/output/recorder.hpp"
#include "sim/scenario/load.hpp"

namespace {

constexpr const char* kUsage =
    "usage: policysim <command> [options]\n"
    "\n"
    "commands:\n"
    "  run FILE [--set key.path=value]... [--seed N] [--steps N] [--out FILE] [--force]\n"
    "           [--threads N] [--quiet]      run a scenario; HDF5 + text summary (default under output/)\n"
    "  validate FILE [--set ...]          check a scenario file completely, without running it\n"
    "  show FILE [--set ...]              print the resolved scenario, each value with the file it came from\n"
    "  describe                           list every layer, phase, effect and event kind with its source\n"
    "  sweep FILE [--set ...] [--out FILE] [--threads N] [--resume] [--force] [--quiet]\n"
    "                                     run the design of FILE's [sweep] section into one HDF5 file\n"
    "                                     (also under mpirun -np N; docs/sweeps.md)\n"
    "  calibrate FILE [--set ...] [--seeds N] [--threads N] [--check]\n"
    "                                     run FILE over N seeds (default 20) and print the model against the\n"
    "                                     calibration targets of the sources (docs/model.md)\n"
    "  estimate SPEC [--set ...] [--out FILE] [--threads N] [--resume] [--force] [--quiet]\n"
    "                                     fit a scenario's coefficients to training moments (ABC;\n"
    "                                     docs/estimation.md): posterior and moment fit in one HDF5 file\n"
    "  compare BASELINE WHATIF... [--seeds N] [--pair A-B]... [--measure NAME]... [--out FILE.h5]\n"
    "                                     paired runs (same seeds) of what-ifs against the baseline: mean\n"
    "                                     differences after each first event, 95% intervals; --out: quarter\n"
    "                                     by quarter in HDF5; --docs-page FILE: docs/scenarios.md\n"
    "  explain FILE --pair A-B --layer L [--from P] [--to P] [--all] [--out FILE] [--seed N] [--set ...]\n"
    "                                     run FILE and show what each effect added to one tie's utility at\n"
    "                                     every step, with the tie and the events (docs/explain.md)\n"
    "  score FILE --observed FILE.csv [--set ...] [--seeds N] [--threads N] [--out F.h5] [--force]\n"
    "                                     run FILE over N seeds (default 20) and score it against observed series\n"
    "                                     after the training window, with skill against null forecasts\n"
    "                                     (docs/validation.md)\n"
    "\n"
    "options:\n"
    "  -h, --help       show this help (also: policysim <command> --help)\n"
    "  --version        print the version\n"
    "\n"
    "exit status: 0 done, 1 failure while running, 2 bad input\n"
    "threads: --threads N, else OMP_NUM_THREADS; results do not depend on either\n";

std::string shell_quote(const std::string& word) {
  if (!word.empty() && word.find_first_of(" \t\n'\"\\$`*?[]{}()<>|&;#~") == std::string::npos) return word;
  std::string quoted = "'";
  for (char c : word) quoted += (c == '\'') ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace policysim::cli;
  std::vector<std::string> words(argv, argv + argc);
  Invocation invocation;
  invocation.program = words.empty() ? "policysim" : words[0];
  for (const auto& word : words) invocation.command_line += (invocation.command_line.empty() ? "" : " ") + shell_quote(word);

  if (words.size() < 2) {
    std::cerr << kUsage;
    return kExitBadInput;
  }
  invocation.command = words[1];
  invocation.arguments.assign(words.begin() + 2, words.end());
  if (invocation.command == "--help" || invocation.command == "-h" || invocation.command == "help") {
    std::cout << kUsage;
    return kExitOk;
  }
  if (invocation.command == "--version") {
    std::cout << "policysim " << POLICYSIM_VERSION << "\n";
    return kExitOk;
  }
  if (const auto problem = environment_problem()) {
    std::cerr << "policysim: " << *problem << "\n";
    return kExitBadInput;
  }

  try {
    if (invocation.command == "run") return run_command(invocation);
    if (invocation.command == "validate") return validate_command(invocation);
    if (invocation.command == "show") return show_command(invocation);
    if (invocation.command == "describe") return describe_command(invocation);
    if (invocation.command == "sweep") return sweep_command(invocation);
    if (invocation.command == "calibrate") return calibrate_command(invocation);
    if (invocation.command == "compare") return compare_command(invocation);
    if (invocation.command == "estimate") return estimate_command(invocation);
    if (invocation.command == "explain") return explain_command(invocation);
    if (invocation.command == "score") return score_command(invocation);
    std::cerr << "policysim: unknown command '" << invocation.command
              << "' (expected run, validate, show, describe, sweep, calibrate, compare, estimate, explain or score)\n"
              << "Try 'policysim --help'.\n";
    return kExitBadInput;
  } catch (const UsageError& error) {
    std::cerr << "policysim " << invocation.command << ": " << error.what() << "\n"
              << "Try 'policysim " << invocation.command << " --help'.\n";
    return kExitBadInput;
  } catch (const policysim::ScenarioError& error) {
    std::cerr << error.what() << "\n";
    return kExitBadInput;
  } catch (const std::exception& error) {
    std::cerr << "policysim " << invocation.command << ": error: " << error.what() << "\n";
    return kExitFailure;
  }
}
