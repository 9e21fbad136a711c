#pragma once
// The short text summary of a run (printed and saved beside the HDF5 file).
#include <string>
#include <vector>

#include "sim/dynamics/firms/b2b_cooperation.hpp"
#include "sim/dynamics/metrics.hpp"
#include "sim/dynamics/step.hpp"
#include "sim/description/scenario.hpp"

namespace policysim::cli {

struct RunRecord {
  StepMetrics first;
  StepMetrics last;
  std::size_t firms = 0;
  FirmNetworkMetrics first_b2b;
  FirmNetworkMetrics last_b2b;
  std::vector<AppliedEvent> events;
  std::string output_file;
  double seconds = 0.0;
  int threads = 1;
};

std::string run_summary(const Scenario& scenario, const RunRecord& record);

}  // namespace policysim::cli
