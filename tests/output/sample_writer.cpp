// Writes the tiny scenario's hand-driven run to the HDF5 file named on the command line, as
// the simulator would: the file the Python checks (tests/output/check_output.py) read.
#include <iostream>
#include <string>

#include "sim/output/recorder.hpp"
#include "tests/output/tiny_scenario.hpp"

int main(int argc, char** argv) {
  using namespace policysim;
  if (argc != 2) {
    std::cerr << "usage: output_sample_writer FILE.h5\n";
    return 2;
  }
  std::string command_line;
  for (int i = 0; i < argc; ++i) command_line += (i == 0 ? "" : " ") + std::string(argv[i]);
  try {
    const Scenario scenario = test::tiny_scenario();
    Hdf5Recorder recorder(argv[1], scenario, RunProvenance{command_line, POLICYSIM_VERSION});
    World world = initial_world(scenario);
    recorder.record(world);
    while (world.step < scenario.simulation.steps) {
      const auto events = test::events_of_quarter(world);
      const auto milestones = test::milestones_of_quarter(world);
      world = test::advance(world);
      recorder.record_events(events);
      recorder.record_milestones(milestones);
      recorder.record(world, milestones);
    }
    recorder.commit();
  } catch (const OutputError& error) {
    std::cerr << "error: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
