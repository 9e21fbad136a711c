#pragma once
// The short text summary of a run (printed and saved beside the HDF5 file). What it prints of the
// run are measures of the catalogue (sim/measures/measure.hpp), read by name at the first and last
// row of the time axis.
#include <map>
#include <string>
#include <vector>

#include "sim/dynamics/step.hpp"
#include "sim/measures/measure.hpp"
#include "sim/scenario/scenario.hpp"

namespace policysim::cli {

// Values of the summary's measures at one row, by measure name.
using MeasureValues = std::map<std::string, std::vector<double>>;

// The summary's measures in the state of `context` (those that apply to its scenario).
MeasureValues summary_measures(const MeasureContext& context);

struct RunRecord {
  MeasureValues first;  // summary_measures of row 0 and of the last row
  MeasureValues last;
  std::size_t firms = 0;
  std::vector<AppliedEvent> events;
  std::string output_file;
  double seconds = 0.0;
  int threads = 1;
};

std::string run_summary(const Scenario& scenario, const RunRecord& record);

}  // namespace policysim::cli
