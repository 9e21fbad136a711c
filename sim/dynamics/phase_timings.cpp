#include "sim/dynamics/phase_timings.hpp"

#include <algorithm>
#include <cstdio>

namespace policysim {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

std::size_t PhaseTimings::part(std::string_view name) {
  const auto found = std::find_if(parts_.begin(), parts_.end(), [&](const Part& p) { return p.name == name; });
  if (found != parts_.end()) return static_cast<std::size_t>(found - parts_.begin());
  parts_.push_back(Part{std::string(name), 0.0, 0});
  return parts_.size() - 1;
}

void PhaseTimings::add(std::size_t part, double seconds) {
  parts_[part].seconds += seconds;
  parts_[part].times += 1;
}

std::string PhaseTimings::table(double total_seconds) const {
  std::string out;
  char line[160];
  std::snprintf(line, sizeof line, "  %-36s %10s %7s\n", "part", "seconds", "share");
  out += line;
  // One row: the name, its seconds, their share of the run.
  const auto row = [&](const std::string& name, double seconds) {
    const double share = total_seconds > 0.0 ? 100.0 * seconds / total_seconds : 0.0;
    std::snprintf(line, sizeof line, "  %-36s %10.3f %6.1f%%\n", name.c_str(), seconds, share);
    out += line;
  };
  double top_level = 0.0;
  // Each top-level part, then its children (in the order they were first timed).
  for (const Part& parent : parts_) {
    if (parent.name.find('/') != std::string::npos) continue;
    top_level += parent.seconds;
    row(parent.name, parent.seconds);
    const std::string prefix = parent.name + "/";
    for (const Part& child : parts_)
      if (child.name.compare(0, prefix.size(), prefix) == 0) row("  " + child.name.substr(prefix.size()), child.seconds);
  }
  row("(in no part above)", std::max(0.0, total_seconds - top_level));
  row("total", total_seconds);
  return out;
}

PhaseTimings::Scope::Scope(PhaseTimings* timings, std::string_view name) : timings_(timings) {
  if (timings_ == nullptr) return;
  part_ = timings_->part(name);
  start_ = std::chrono::steady_clock::now();
}

PhaseTimings::Scope::~Scope() {
  if (timings_ != nullptr) timings_->add(part_, seconds_since(start_));
}

PhaseTimings::Laps::Laps(PhaseTimings* timings, std::string_view parent) : timings_(timings) {
  if (timings_ == nullptr) return;
  parent_ = std::string(parent);
  last_ = std::chrono::steady_clock::now();
}

void PhaseTimings::Laps::lap(std::string_view name) {
  if (timings_ == nullptr) return;
  const auto now = std::chrono::steady_clock::now();
  timings_->add(timings_->part(parent_ + "/" + std::string(name)), std::chrono::duration<double>(now - last_).count());
  last_ = now;
}

}  // namespace policysim
