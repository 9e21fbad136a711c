// Sweep benchmark (not a test): throughput with 1 and 2 threads, and the cost of the sweep
// machinery (planning, journal, HDF5 file, statistics) over the bare runs.
//
//   build-dir/bench/sweep_bench [SWEEP_FILE ...] [--repeat N] [--threads N] [--tmp DIR]
//
// For each sweep file (default: bench/sweep_bench_small.toml and bench/sweep_bench_large.toml):
//   bare    the sweep's runs with a do-nothing observer (1 thread, then N threads);
//   sweep   plan_sweep + run_sweep into a temporary file: what `policysim sweep` does (1 thread,
//           then N threads, default 2);
// each timed as the best of --repeat (default 3) rounds, interleaved. Prints the ratios
// sweep(1) / sweep(N) (goal >= 1.8 for 2 threads) and sweep(1) / bare - 1 (goal < 10%).
// The output file and its journal go to --tmp (default: the system's temporary folder); the
// journal creates a file per run, so the file system shows in the overhead (bench/README.md).
#include <omp.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

#include "sim/dynamics/run.hpp"
#include "sim/sweep/cluster.hpp"
#include "sim/sweep/plan.hpp"
#include "sim/sweep/runner.hpp"

namespace fs = std::filesystem;
using namespace policysim;

namespace {

class NullObserver : public RunObserver {
 public:
  void on_state(const World&, const StepMetrics&) override {}
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The runs alone: no journal, no file, no statistics (the step loop's own regions serial, as in a sweep).
double bare_runs(const sweep::SweepPlan& plan, int threads) {
  const int levels = omp_get_max_active_levels();
  omp_set_max_active_levels(1);
  const auto start = std::chrono::steady_clock::now();
  const auto runs = static_cast<long>(plan.runs());
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (long run = 0; run < runs; ++run) {
    const Scenario scenario = plan.scenario_of(static_cast<std::size_t>(run));
    NullObserver observer;
    run_simulation(scenario, observer);
  }
  const double elapsed = seconds_since(start);
  omp_set_max_active_levels(levels);
  return elapsed;
}

double full_sweep(const fs::path& file, const fs::path& output, int threads, const sweep::Cluster& cluster) {
  omp_set_num_threads(threads);
  const auto start = std::chrono::steady_clock::now();
  const sweep::SweepPlan plan = sweep::plan_sweep(file, {});
  sweep::SweepOptions options;
  options.output = output;
  options.force = true;
  options.command_line = "sweep_bench";
  const auto outcome = sweep::run_sweep(plan, options, cluster);
  const double elapsed = seconds_since(start);
  if (!outcome.complete) throw std::runtime_error("the sweep did not complete");
  fs::remove(output);
  return elapsed;
}

std::string cpu_model() {
  std::ifstream info("/proc/cpuinfo");
  for (std::string line; std::getline(info, line);)
    if (line.starts_with("model name")) return line.substr(line.find(':') + 2);
  return "unknown CPU";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<fs::path> files;
  int repeat = 3, threads = 2;
  fs::path temporary = fs::temp_directory_path();
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if (argument == "--repeat" && i + 1 < argc) repeat = std::max(1, std::stoi(argv[++i]));
    else if (argument == "--threads" && i + 1 < argc) threads = std::max(1, std::stoi(argv[++i]));
    else if (argument == "--tmp" && i + 1 < argc) temporary = argv[++i];
    else files.emplace_back(argument);
  }
  if (files.empty())
    files = {fs::path(POLICYSIM_SOURCE_DIR) / "bench" / "sweep_bench_small.toml",
             fs::path(POLICYSIM_SOURCE_DIR) / "bench" / "sweep_bench_large.toml"};

  const sweep::Cluster cluster;
  const fs::path folder = temporary / ("policysim-sweep-bench-" + std::to_string(::getpid()));
  fs::create_directories(folder);
  std::printf("policysim %s sweep benchmark: %s, %u hardware threads, best of %d rounds, files in %s\n",
              POLICYSIM_VERSION, cpu_model().c_str(), std::max(1u, static_cast<unsigned>(sysconf(_SC_NPROCESSORS_ONLN))),
              repeat, folder.parent_path().c_str());
  int status = 0;
  try {
    for (const fs::path& file : files) {
      omp_set_num_threads(1);
      const sweep::SweepPlan plan = sweep::plan_sweep(file, {});
      double bare = std::numeric_limits<double>::infinity();
      double bare_many = bare, one = bare, many = bare;
      for (int round = 0; round < repeat; ++round) {
        bare = std::min(bare, bare_runs(plan, 1));
        bare_many = std::min(bare_many, bare_runs(plan, threads));
        one = std::min(one, full_sweep(file, folder / "bench.h5", 1, cluster));
        many = std::min(many, full_sweep(file, folder / "bench.h5", threads, cluster));
      }
      const double runs = static_cast<double>(plan.runs());
      std::printf("\n%s: %zu runs (%zu points x %zu replicates), %zu agents, %d quarters\n", file.filename().c_str(),
                  plan.runs(), plan.points(), plan.replicates(), plan.base.agent_count(), plan.base.simulation.steps);
      std::printf("  bare runs, 1 thread      %8.3f s  %8.1f runs/s  (%.2f ms/run)\n", bare, runs / bare,
                  1000 * bare / runs);
      std::printf("  bare runs, %d threads     %8.3f s  %8.1f runs/s  (x%.2f: what the runs alone allow)\n", threads,
                  bare_many, runs / bare_many, bare / bare_many);
      std::printf("  sweep, 1 thread          %8.3f s  %8.1f runs/s\n", one, runs / one);
      std::printf("  sweep, %d threads         %8.3f s  %8.1f runs/s\n", threads, many, runs / many);
      std::printf("  throughput %d vs 1 thread  x%.2f   (goal >= 1.8 for 2 threads)\n", threads, one / many);
      std::printf("  sweep overhead vs bare   %+.1f%%   (goal < 10%%)\n", 100 * (one / bare - 1));
    }
  } catch (const std::exception& error) {
    std::fprintf(stderr, "sweep_bench: %s\n", error.what());
    status = 1;
  }
  fs::remove_all(folder);
  return status;
}
