#pragma once
// Personal rapport between heads of government, by leader name.
// Source: 000_02203e0e8e2dcc27.txt ("the biggest catalyst for the shift was the relationship
// forged between ... Netanyahu and ... Abe").
#include <map>
#include <string>
#include <utility>

namespace policysim {

class LeaderAffinity {
 public:
  // Symmetric: set(a, b, v) also answers between(b, a).
  void set(const std::string& a, const std::string& b, double value);
  // 0 for leaders with no stated rapport, and for an empty name (no leader).
  double between(const std::string& a, const std::string& b) const;
  const std::map<std::pair<std::string, std::string>, double>& entries() const { return values_; }

 private:
  static std::pair<std::string, std::string> ordered(const std::string& a, const std::string& b);
  std::map<std::pair<std::string, std::string>, double> values_;
};

}  // namespace policysim
