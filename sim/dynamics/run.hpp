#pragma once
// One whole run: the initial world, then one step per quarter, reported to an observer.
// The CLI observes with the HDF5 recorder; sweeps and calibration observe in memory.
#include <atomic>
#include <span>

#include "sim/dynamics/step.hpp"
#include "sim/model/world.hpp"
#include "sim/description/scenario.hpp"

namespace policysim {

class RunObserver {
 public:
  virtual ~RunObserver() = default;
  // Called for the initial world and after every step (row t = start of quarter t), with the
  // milestones of the step that led to it (none for the initial world): what a measure reads
  // (sim/measures/measure.hpp, MeasureContext).
  virtual void on_state(const World& world, std::span<const Milestone> step_milestones) = 0;
  // Called after a step with the events it applied (possibly none).
  virtual void on_events(std::span<const AppliedEvent> events) { (void)events; }
  // Called after a step with its milestones (dialogues held, MOUs signed; possibly none).
  virtual void on_milestones(std::span<const Milestone> milestones) { (void)milestones; }
};

// Thrown when `stop` is raised between two steps (Ctrl-C); nothing is half-written by the loop.
class RunInterrupted : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Runs `scenario` to its end, reporting to `observer`; returns the final world. `trace` (optional):
// the tie whose utility terms every step records (Simulation::set_utility_trace); `timings`
// (optional): where the start ("start"), each phase and the observer ("observer") are timed
// (phase_timings.hpp). Neither changes anything.
World run_simulation(const Scenario& scenario, RunObserver& observer, const std::atomic<bool>* stop = nullptr,
                     UtilityTrace* trace = nullptr, PhaseTimings* timings = nullptr);

}  // namespace policysim
