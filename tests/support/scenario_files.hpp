#pragma once
// Writes small scenario files into a fresh folder for a test.
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace policysim::testing {

class ScenarioFolder {
 public:
  ScenarioFolder() {
    std::random_device entropy;
    path_ = std::filesystem::path(POLICYSIM_TEST_TMP) / ("scenario-" + std::to_string(entropy()));
    std::filesystem::create_directories(path_);
  }
  ~ScenarioFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::filesystem::path write(const std::string& name, const std::string& text) const {
    std::filesystem::create_directories((path_ / name).parent_path());
    std::ofstream(path_ / name) << text;
    return path_ / name;
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A small valid scenario: three governments, one event, effects on two layers.
inline const char* kMinimalScenario = R"(
[simulation]
start = "2012Q1"
steps = 8
seed = 7

[governments.JPN]
name = "Japan"
leader = "Abe"
china_rivalry = 0.8

[governments.ISR]
leader = "Netanyahu"
china_ties = 0.3

[governments.EU]
kind = "organisation"

[leader_affinity.Abe]
Netanyahu = 0.8

[initial_ties.dialogue]
JPN-ISR = 0.2

[initial_ties.trade]
JPN-ISR = 1523.0

[effects.dialogue]
density = -2.0
leader_affinity = 3.0

[effects.cooperation]
dialogue_spillover = 2.5

[events.abe_exit]
kind = "leadership_change"
period = "2013Q2"
country = "JPN"
leader = "Suga"

[output]
pairs = ["JPN-ISR"]
)";

}  // namespace policysim::testing
