// `policysim run --timings` (sim/dynamics/phase_timings.hpp): the parts' bookkeeping and table, and
// a timed run that computes exactly what an untimed one does.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "sim/dynamics/phase_timings.hpp"
#include "sim/dynamics/run.hpp"
#include "sim/scenario/load.hpp"

using namespace policysim;

TEST_CASE("timings: parts in the order first timed, seconds added, children under their parent", "[dynamics]") {
  PhaseTimings timings;
  const std::size_t phase = timings.part("phase");
  timings.add(phase, 2.0);
  timings.add(timings.part("other"), 1.0);
  timings.add(timings.part("phase/second"), 0.5);
  timings.add(timings.part("phase/first"), 1.0);
  timings.add(timings.part("phase"), 2.0);
  REQUIRE(timings.parts().size() == 4);
  CHECK(timings.part("phase") == phase);
  CHECK(timings.parts()[phase].seconds == 4.0);
  CHECK(timings.parts()[phase].times == 2);
  const std::string table = timings.table(10.0);
  // The parent, its children in the order first timed (indented), then the next top-level part.
  const auto at = [&](const std::string& text) { return table.find(text); };
  REQUIRE(at("  phase ") != std::string::npos);
  CHECK(at("  phase ") < at("    second "));
  CHECK(at("    second ") < at("    first "));
  CHECK(at("    first ") < at("  other "));
  CHECK_THAT(table, Catch::Contains("40.0%"));  // phase: 4 of 10 s
  // Outside the top-level parts: 10 - 4 - 1 = 5 s (the children are inside their parent).
  CHECK_THAT(table, Catch::Matches("[\\s\\S]*\\(in no part above\\) +5\\.000 +50\\.0%[\\s\\S]*"));
  CHECK_THAT(table, Catch::Matches("[\\s\\S]*total +10\\.000 +100\\.0%[\\s\\S]*"));
}

TEST_CASE("timings: scopes and laps add to their parts, and time nothing without timings", "[dynamics]") {
  PhaseTimings timings;
  {
    const PhaseTimings::Scope scope(&timings, "scope");
    PhaseTimings::Laps laps(&timings, "scope");
    laps.lap("one");
    laps.lap("two");
    laps.lap("one");
  }
  REQUIRE(timings.parts().size() == 3);
  CHECK(timings.parts()[0].name == "scope");
  CHECK(timings.parts()[1].name == "scope/one");
  CHECK(timings.parts()[1].times == 2);
  CHECK(timings.parts()[2].name == "scope/two");
  CHECK(timings.parts()[0].seconds >= timings.parts()[1].seconds + timings.parts()[2].seconds);
  // Null timings: nothing happens (every ordinary run).
  const PhaseTimings::Scope scope(nullptr, "x");
  PhaseTimings::Laps laps(nullptr, "x");
  laps.lap("y");
  CHECK(timings.parts().size() == 3);
}

namespace {

// Keeps the last world.
class LastWorld : public RunObserver {
 public:
  void on_state(const World& world, std::span<const Milestone>) override { last = world; }
  World last;
};

}  // namespace

// Each phase timed once a quarter, the start once, the observer once a state; the B2B phase's parts
// within it; and the same world at the end as without timings.
TEST_CASE("timings: a timed run times every phase once a quarter and computes what an untimed run does", "[dynamics]") {
  auto scenario = load_scenario(std::filesystem::path(POLICYSIM_SOURCE_DIR) / "bench" / "tie_formation_small.toml").scenario;
  scenario.simulation.steps = 6;
  LastWorld untimed, timed;
  run_simulation(scenario, untimed);
  PhaseTimings timings;
  run_simulation(scenario, timed, nullptr, nullptr, &timings);
  CHECK(timed.last.b2b_cooperation->ties() == untimed.last.b2b_cooperation->ties());
  CHECK(timed.last.b2b_cooperation->weight_sum() == untimed.last.b2b_cooperation->weight_sum());
  CHECK(timed.last.ties == untimed.last.ties);

  double b2b = -1.0, b2b_parts = 0.0;
  std::size_t b2b_part_count = 0;
  for (const auto& part : timings.parts()) {
    CAPTURE(part.name);
    CHECK(part.seconds >= 0.0);
    if (part.name == "start") CHECK(part.times == 1);
    else if (part.name == "observer") CHECK(part.times == 7);  // the initial state and one a quarter
    else if (part.name.rfind("b2b_cooperation/", 0) == 0) {
      b2b_parts += part.seconds;
      ++b2b_part_count;
      CHECK(part.times >= 6);  // once a quarter (the country aggregates twice)
    } else {
      CHECK(part.times == 6);
      if (part.name == "b2b_cooperation") b2b = part.seconds;
    }
  }
  CHECK(timings.parts().front().name == "start");
  CHECK(b2b_part_count == 6);
  REQUIRE(b2b >= 0.0);
  CHECK(b2b_parts <= b2b);  // the laps lie inside the phase's scope
}
