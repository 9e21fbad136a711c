#include "sim/dynamics/run.hpp"

#include <optional>

namespace policysim {

World run_simulation(const Scenario& scenario, RunObserver& observer, const std::atomic<bool>* stop,
                     UtilityTrace* trace, PhaseTimings* timings) {
  if (timings != nullptr) {  // the table's order: the start, the phases in step order, the observer
    timings->part("start");
    for (const Phase& phase : step_phases()) timings->part(phase.name);
    timings->part("observer");
  }
  std::optional<PhaseTimings::Scope> starting(std::in_place, timings, "start");
  Simulation simulation(scenario);
  starting.reset();
  simulation.set_utility_trace(trace);
  simulation.set_timings(timings);
  {
    const PhaseTimings::Scope observing(timings, "observer");
    observer.on_state(simulation.world(), {});
  }
  while (!simulation.finished()) {
    if (stop != nullptr && stop->load())
      throw RunInterrupted("interrupted at " + simulation.world().period.label());
    const auto applied = simulation.step();
    const PhaseTimings::Scope observing(timings, "observer");
    observer.on_events(applied);
    observer.on_milestones(simulation.milestones());
    observer.on_state(simulation.world(), simulation.milestones());
  }
  // The world handed out holds its B2B ties as one list: a gap the two-thread update left between
  // its runs (FirmTies::gap) is closed here, on this thread, so that whoever reads the world next
  // may do so from any thread (FirmNetwork::ties()).
  (void)simulation.world().b2b_cooperation->ties();
  return simulation.world();
}

}  // namespace policysim
