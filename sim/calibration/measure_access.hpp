#pragma once
// The measures that calibration targets name, read from a step of a run. Each measure gives a
// matrix per step: [agent x partner] for a pair measure (the value from agent to partner).
//
// This is the only place where calibration turns a measure name into numbers, so the targets
// file never needs C++ to change when it names another measure.
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/dynamics/step.hpp"

namespace policysim::calibration {

struct MeasureAccess {
  std::string name;
  std::string units;  // e.g. "firms", "ties"; printed after a model value
  std::function<Eigen::MatrixXd(const Scenario&, const World&, std::span<const Milestone>)> values;
};

// The measure called `name`, or nullptr.
const MeasureAccess* find_measure_access(std::string_view name);
// Every name, for "did you mean".
std::vector<std::string> measure_access_names();

}  // namespace policysim::calibration
