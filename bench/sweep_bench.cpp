// Sweep benchmark (not a test): throughput with 1 and 2 threads, and the cost of the sweep
// machinery (planning, journal, HDF5 file, statistics) over the bare runs.
//
//   build-dir/bench/sweep_bench [SWEEP_FILE ...] [--repeat N] [--threads N] [--tmp DIR]
//
// For each sweep file (default: bench/sweep_bench_{small,baseline,large}.toml):
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
#include <ctime>
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
  void on_state(const World&, std::span<const Milestone>) override {}
};

// Wall-clock and CPU time (all threads of the process) of one measurement. CPU time is not
// inflated by other processes on the machine, so it gives the overhead when the machine is busy.
struct Timing {
  double wall = std::numeric_limits<double>::infinity();
  double cpu = std::numeric_limits<double>::infinity();
  void keep_best(const Timing& other) {
    wall = std::min(wall, other.wall);
    cpu = std::min(cpu, other.cpu);
  }
};

double cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

class Stopwatch {
 public:
  Timing stop() const {
    return {std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_).count(), cpu_seconds() - cpu_};
  }

 private:
  std::chrono::steady_clock::time_point wall_ = std::chrono::steady_clock::now();
  double cpu_ = cpu_seconds();
};

// The runs alone: no journal, no file, no statistics (the step loop's own regions serial, as in a sweep).
Timing bare_runs(const sweep::SweepPlan& plan, int threads) {
  omp_set_num_threads(threads);  // with one thread the loop's region is inactive: inner regions get this count
  const int levels = omp_get_max_active_levels();
  omp_set_max_active_levels(1);
  const Stopwatch watch;
  const auto runs = static_cast<long>(plan.runs());
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (long run = 0; run < runs; ++run) {
    const Scenario scenario = plan.scenario_of(static_cast<std::size_t>(run));
    NullObserver observer;
    run_simulation(scenario, observer);
  }
  const Timing elapsed = watch.stop();
  omp_set_max_active_levels(levels);
  return elapsed;
}

Timing full_sweep(const fs::path& file, const fs::path& output, int threads, const sweep::Cluster& cluster) {
  omp_set_num_threads(threads);
  const Stopwatch watch;
  const sweep::SweepPlan plan = sweep::plan_sweep(file, {});
  sweep::SweepOptions options;
  options.output = output;
  options.force = true;
  options.command_line = "sweep_bench";
  const auto outcome = sweep::run_sweep(plan, options, cluster);
  const Timing elapsed = watch.stop();
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
    for (const char* name : {"sweep_bench_small.toml", "sweep_bench_baseline.toml", "sweep_bench_large.toml"})
      files.push_back(fs::path(POLICYSIM_SOURCE_DIR) / "bench" / name);

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
      Timing bare, bare_many, one, many;
      for (int round = 0; round < repeat; ++round) {
        bare.keep_best(bare_runs(plan, 1));
        bare_many.keep_best(bare_runs(plan, threads));
        one.keep_best(full_sweep(file, folder / "bench.h5", 1, cluster));
        many.keep_best(full_sweep(file, folder / "bench.h5", threads, cluster));
      }
      const double runs = static_cast<double>(plan.runs());
      std::printf("\n%s: %zu runs (%zu points x %zu replicates), %zu agents, %d quarters\n", file.filename().c_str(),
                  plan.runs(), plan.points(), plan.replicates(), plan.base.agent_count(), plan.base.simulation.steps);
      std::printf("                           wall       runs/s     CPU\n");
      auto line = [&](const char* what, const Timing& timing) {
        std::printf("  %-24s %7.3f s  %7.1f  %7.3f s\n", what, timing.wall, runs / timing.wall, timing.cpu);
      };
      const std::string threads_text = std::to_string(threads) + " threads";
      line("bare runs, 1 thread", bare);
      line(("bare runs, " + threads_text).c_str(), bare_many);
      line("sweep, 1 thread", one);
      line(("sweep, " + threads_text).c_str(), many);
      std::printf("  bare runs: %.2f ms a run; %s x%.2f faster than 1 (what the runs alone allow)\n",
                  1000 * bare.wall / runs, threads_text.c_str(), bare.wall / bare_many.wall);
      std::printf("  sweep throughput, %s vs 1:  x%.2f   (goal >= 1.8 for 2 threads)\n", threads_text.c_str(),
                  one.wall / many.wall);
      std::printf("  sweep overhead vs bare runs:  %+.1f%% wall, %+.1f%% CPU   (goal < 10%%)\n",
                  100 * (one.wall / bare.wall - 1), 100 * (one.cpu / bare.cpu - 1));
    }
  } catch (const std::exception& error) {
    std::fprintf(stderr, "sweep_bench: %s\n", error.what());
    status = 1;
  }
  fs::remove_all(folder);
  return status;
}
