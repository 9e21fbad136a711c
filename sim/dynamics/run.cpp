#include "sim/dynamics/run.hpp"

namespace policysim {

World run_simulation(const Scenario& scenario, RunObserver& observer, const std::atomic<bool>* stop,
                     UtilityTrace* trace) {
  Simulation simulation(scenario);
  simulation.set_utility_trace(trace);
  observer.on_state(simulation.world(), {});
  while (!simulation.finished()) {
    if (stop != nullptr && stop->load())
      throw RunInterrupted("interrupted at " + simulation.world().period.label());
    const auto applied = simulation.step();
    observer.on_events(applied);
    observer.on_milestones(simulation.milestones());
    observer.on_state(simulation.world(), simulation.milestones());
  }
  return simulation.world();
}

}  // namespace policysim
