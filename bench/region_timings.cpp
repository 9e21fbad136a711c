// Where a run's threads wait, region by region: a library put in front of libgomp (LD_PRELOAD) that
// times every outermost OpenMP parallel region the program starts (GOMP_parallel, which GCC calls for
// each `#pragma omp parallel`), and at the program's end writes, for each region's code:
//   - how often it ran and its wall time, start to end, the region's barrier included;
//   - the threads' finish spread: summed over its runs, the last thread's finish less the first's,
//     the time a thread done first waits at the region's end (an uneven share, a thread set aside);
//   - the serial time before it: summed over its runs, the time since the previous region ended,
//     when only the program's first thread works (the others wait at libgomp's dock);
//   - the runs it made with one thread (an `if` clause below its threshold, a nested region).
// bench/region_timings.py runs policysim under it and names the regions (docs/performance.md,
// thirty-third round). A tool for measuring, not part of policysim: nothing links it.
//
// The report goes to the file named by POLICYSIM_REGION_TIMINGS (else to standard error), one line a
// region: "region<TAB>object file<TAB>offset of the region's function in it (hex)<TAB>calls<TAB>
// wall s<TAB>finish spread s<TAB>serial before s<TAB>calls with one thread", after a line
// "process<TAB>seconds from load to exit<TAB>seconds after the last region".
#include <dlfcn.h>
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

using RegionFunction = void (*)(void*);
using GompParallel = void (*)(RegionFunction, void*, unsigned, unsigned);

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct Region {
  RegionFunction function = nullptr;
  long calls = 0, alone = 0;
  double wall = 0, spread = 0, serial_before = 0;
};

constexpr int kMaxRegions = 4096;
constexpr int kMaxThreads = 1024;
Region regions[kMaxRegions];
int region_count = 0;
double loaded = now();
double last_end = 0;  // 0: no region yet

// One run of a region: the program's function and data, and each thread's finish time.
struct Run {
  RegionFunction function;
  void* data;
  double finished[kMaxThreads];
  std::atomic<int> threads{0};
};

void timed(void* argument) {
  Run* const run = static_cast<Run*>(argument);
  run->function(run->data);
  const int thread = omp_get_thread_num();
  if (thread < kMaxThreads) run->finished[thread] = now();
  run->threads.fetch_add(1, std::memory_order_relaxed);
}

GompParallel real_parallel() {
  static const auto real = reinterpret_cast<GompParallel>(dlsym(RTLD_NEXT, "GOMP_parallel"));
  if (real == nullptr) {
    std::fprintf(stderr, "region_timings: no GOMP_parallel after this library (is the program built with OpenMP?)\n");
    std::abort();
  }
  return real;
}

Region& region_of(RegionFunction function) {
  for (int k = 0; k < region_count; ++k)
    if (regions[k].function == function) return regions[k];
  if (region_count == kMaxRegions) return regions[kMaxRegions - 1];  // the last entry holds the rest
  regions[region_count].function = function;
  return regions[region_count++];
}

__attribute__((destructor)) void report() {
  const double end = now();
  const char* const path = std::getenv("POLICYSIM_REGION_TIMINGS");
  std::FILE* out = path != nullptr && *path != '\0' ? std::fopen(path, "w") : stderr;
  if (out == nullptr) {
    std::fprintf(stderr, "region_timings: cannot write %s\n", path);
    return;
  }
  std::fprintf(out, "process\t%.9f\t%.9f\n", end - loaded, last_end > 0 ? end - last_end : end - loaded);
  for (int k = 0; k < region_count; ++k) {
    const Region& region = regions[k];
    Dl_info info{};
    const bool known = dladdr(reinterpret_cast<void*>(region.function), &info) != 0 && info.dli_fname != nullptr;
    const auto offset = known ? reinterpret_cast<std::uintptr_t>(region.function) - reinterpret_cast<std::uintptr_t>(info.dli_fbase)
                              : reinterpret_cast<std::uintptr_t>(region.function);
    std::fprintf(out, "region\t%s\t%jx\t%ld\t%.9f\t%.9f\t%.9f\t%ld\n", known ? info.dli_fname : "?", static_cast<std::uintmax_t>(offset),
                 region.calls, region.wall, region.spread, region.serial_before, region.alone);
  }
  if (out != stderr) std::fclose(out);
}

}  // namespace

extern "C" void GOMP_parallel(RegionFunction function, void* data, unsigned threads, unsigned flags) {
  // Nested regions (a sweep's runs inside its region) run as they are: only the outermost are timed.
  if (omp_in_parallel()) {
    real_parallel()(function, data, threads, flags);
    return;
  }
  // Outermost regions run one at a time: one record serves them all.
  static Run current;
  Run* const run = &current;
  run->function = function;
  run->data = data;
  run->threads.store(0, std::memory_order_relaxed);
  const double start = now();
  real_parallel()(timed, run, threads, flags);
  const double end = now();
  Region& region = region_of(function);
  ++region.calls;
  region.wall += end - start;
  region.serial_before += start - (last_end > 0 ? last_end : loaded);
  const int team = std::min(run->threads.load(std::memory_order_relaxed), kMaxThreads);
  if (team <= 1) {
    ++region.alone;
  } else {
    const auto [first, last] = std::minmax_element(run->finished, run->finished + team);
    region.spread += *last - *first;
  }
  last_end = end;
}
