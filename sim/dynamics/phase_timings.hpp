#pragma once
// Where a run's time goes, part by part (`policysim run --timings`): the start (the initial world),
// each phase of the step (step.hpp, summed over the quarters), the parts of the B2B phase, the
// observer (the HDF5 recording) and the file's end. What profilers of agent-based models give their
// users (FLAME GPU 2's per-layer timing, Repast HPC's, NetLogo's profiler extension), so that a
// researcher sees which mechanism a scenario spends its time in, and the numbers of
// docs/performance.md can be reproduced without a profiler. Wall-clock seconds (steady_clock); a
// part timed on the run's thread, outside any parallel region. A null PhaseTimings* times nothing
// and costs one branch: every ordinary run, sweep and test passes none, and a timed run computes
// exactly what it computes untimed.
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace policysim {

class PhaseTimings {
 public:
  // A part: "b2b_cooperation", or a part of one, "b2b_cooperation/formation" (parent/child).
  struct Part {
    std::string name;
    double seconds = 0.0;
    std::size_t times = 0;  // how often it was timed (a phase: once a quarter)
  };

  // The part's number, made (in the order first asked for) when new.
  std::size_t part(std::string_view name);
  void add(std::size_t part, double seconds);
  const std::vector<Part>& parts() const { return parts_; }

  // A text table of the parts, each with its seconds and its share of `total_seconds` (the whole
  // run), a part's children indented under it, and the time in no top-level part.
  std::string table(double total_seconds) const;

  // Times the part `name` from its construction to its destruction (nothing with null timings).
  class Scope {
   public:
    Scope(PhaseTimings* timings, std::string_view name);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    PhaseTimings* timings_;
    std::size_t part_ = 0;
    std::chrono::steady_clock::time_point start_;
  };

  // Times consecutive parts of a piece of code: each lap(name) adds the time since the previous lap
  // (or the construction) to the part "<parent>/<name>" (nothing with null timings).
  class Laps {
   public:
    Laps(PhaseTimings* timings, std::string_view parent);
    void lap(std::string_view name);

   private:
    PhaseTimings* timings_;
    std::string parent_;
    std::chrono::steady_clock::time_point last_;
  };

 private:
  std::vector<Part> parts_;
};

}  // namespace policysim
