#include "sim/model/leader_affinity.hpp"

namespace policysim {

std::pair<std::string, std::string> LeaderAffinity::ordered(const std::string& a, const std::string& b) {
  return a < b ? std::pair{a, b} : std::pair{b, a};
}

void LeaderAffinity::set(const std::string& a, const std::string& b, double value) {
  values_[ordered(a, b)] = value;
}

double LeaderAffinity::between(const std::string& a, const std::string& b) const {
  if (a.empty() || b.empty()) return 0.0;
  auto found = values_.find(ordered(a, b));
  return found == values_.end() ? 0.0 : found->second;
}

}  // namespace policysim
