#include <catch2/catch.hpp>

#include <regex>

#include "sim/scenario/load.hpp"
#include "tests/support/scenario_files.hpp"

using namespace policysim;
using policysim::testing::kMinimalScenario;
using policysim::testing::ScenarioFolder;

namespace {

// Loads kMinimalScenario with `replace` substituted for `find` (or `append` added), and returns
// the error text; the test fails if the file loads.
std::string error_for(const std::string& find, const std::string& replace, const std::string& append = "") {
  ScenarioFolder folder;
  std::string text = kMinimalScenario;
  if (!find.empty()) {
    const auto at = text.find(find);
    REQUIRE(at != std::string::npos);
    text.replace(at, find.size(), replace);
  }
  text += append;
  const auto file = folder.write("bad.toml", text);
  try {
    load_scenario(file);
  } catch (const ScenarioError& error) {
    return error.what();
  }
  FAIL("the scenario loaded, but should have been refused");
  return "";
}

int line_of(const std::string& needle) {
  const std::string text = kMinimalScenario;
  const auto at = text.find(needle);
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
}

}  // namespace

TEST_CASE("bad [trade] values are errors naming the key and what was expected", "[scenario][errors][trade]") {
  CHECK_THAT(error_for("", "", "[trade.totals.JPN]\nexports = -5\n"),
             Catch::Contains("trade.totals.JPN.exports: expected a number >= 0, got -5"));
  CHECK_THAT(error_for("", "", "[trade.totals.JPN]\nimports = 0\n"),
             Catch::Contains("trade.totals.JPN.imports: expected a total > 0"));
  CHECK_THAT(error_for("", "", "[trade.totals.JPN]\nexports_growth = 3\n"),
             Catch::Contains("trade.totals.JPN.exports_growth: expected a number in [-1, 1], got 3"));
  CHECK_THAT(error_for("", "", "[trade.totals.JPN]\nexport = 5\n"),
             Catch::Contains("trade.totals.JPN.export: unknown field (did you mean \"exports\"?)"));
  CHECK_THAT(error_for("", "", "[trade.totals.EU]\nexports = 5\n"),
             Catch::Contains("trade.totals.EU.exports: organisations do not trade"));
  CHECK_THAT(error_for("china_rivalry = 0.8", "china_rivalry = 0.8\ntrade_bloc = true"),
             Catch::Contains("governments.JPN.trade_bloc: only an organisation can be a trade bloc"));
  CHECK_THAT(error_for("china_rivalry = 0.8", "china_rivalry = 0.8\ntrade_bloc = 1"),
             Catch::Contains("governments.JPN.trade_bloc: expected true or false"));
  CHECK_THAT(error_for("", "", "[trade.distance_km]\nJPN-ISR = 0\n"),
             Catch::Contains("trade.distance_km.JPN-ISR: expected a distance > 0"));
  CHECK_THAT(error_for("", "", "[trade.distance_km]\nJPN-ISR = 9000\nISR-JPN = 9100\n"),
             Catch::Contains("contradicts the distance given for the same pair"));
  CHECK_THAT(error_for("", "", "[trade]\ntotals_year = \"2009\"\n"),
             Catch::Contains("trade.totals_year: expected a year such as 2009"));
  CHECK_THAT(error_for("[effects.cooperation]", "[effects.trade]\nexporter_size = 0.9\n[effects.cooperation]"),
             Catch::Contains("trade.totals.ISR.exports: missing: effects.trade.exporter_size needs every country's total exports"));
}

TEST_CASE("unknown keys are errors with file, line, key path and a did-you-mean hint", "[scenario][errors]") {
  const std::string line = std::to_string(line_of("leader_affinity = 3.0"));
  CHECK_THAT(error_for("leader_affinity = 3.0", "leader_afinity = 3.0"),
             Catch::Matches("error: .*bad\\.toml:" + line +
                            ": effects\\.dialogue\\.leader_afinity: unknown effect \\(did you mean \"leader_affinity\"\\?\\).*"));
  CHECK_THAT(error_for("[simulation]", "[simulaton]"),
             Catch::Contains("bad.toml:3: simulaton: unknown section \"simulaton\" (did you mean \"simulation\"?)"));
  CHECK_THAT(error_for("china_rivalry = 0.8", "china_rivalyr = 0.8"),
             Catch::Contains("governments.JPN.china_rivalyr: unknown field (did you mean \"china_rivalry\"?)"));
  CHECK_THAT(error_for("seed = 7", "sede = 7"), Catch::Contains("simulation.sede: unknown setting (did you mean \"seed\"?)"));
  CHECK_THAT(error_for("", "", "[layers.dialogue]\nadjustment = 0.3\n"),
             Catch::Contains("layers.dialogue.adjustment: unknown setting for layer dialogue (did you mean \"adjustment_rate\"?)"));
  CHECK_THAT(error_for("", "", "[layers.trade]\nadjustment_rate = 1.5\n"),
             Catch::Contains("layers.trade.adjustment_rate: expected a number in [0, 1], got 1.5"));
  CHECK_THAT(error_for("[effects.cooperation]", "[effects.coperation]"),
             Catch::Contains("unknown layer \"coperation\" (did you mean \"cooperation\"?)"));
}

TEST_CASE("values of the wrong type or out of range name what was expected", "[scenario][errors]") {
  CHECK_THAT(error_for("steps = 8", "steps = \"eight\""),
             Catch::Contains("simulation.steps: expected a whole number of quarters from 1 to 100000, got the string \"eight\""));
  CHECK_THAT(error_for("steps = 8", "steps = 0"), Catch::Contains("simulation.steps: expected a whole number"));
  CHECK_THAT(error_for("start = \"2012Q1\"", "start = \"2012Q5\""),
             Catch::Contains("simulation.start: expected a quarter such as \"2014Q3\", got \"2012Q5\""));
  CHECK_THAT(error_for("china_ties = 0.3", "china_ties = 1.3"),
             Catch::Contains("governments.ISR.china_ties: expected a number in [0, 1], got 1.3"));
  CHECK_THAT(error_for("JPN-ISR = 0.2", "JPN-ISR = 2.0"),
             Catch::Contains("initial_ties.dialogue.JPN-ISR: expected a number in [0, 1], got 2"));
  CHECK_THAT(error_for("kind = \"organisation\"", "kind = \"club\""),
             Catch::Contains("governments.EU.kind: expected \"country\" or \"organisation\", got \"club\""));
  CHECK_THAT(error_for("", "", "[threat]\npersistence = true\n"),
             Catch::Contains("threat.persistence: expected a number in [0, 1], got the boolean true"));
  CHECK_THAT(error_for("pairs = [\"JPN-ISR\"]", "pairs = \"JPN-ISR\""),
             Catch::Contains("output.pairs: expected an array of pairs"));
}

TEST_CASE("references to agents, effects and event kinds are checked", "[scenario][errors]") {
  CHECK_THAT(error_for("JPN-ISR = 0.2", "JAP-ISR = 0.2"),
             Catch::Contains("initial_ties.dialogue.JAP-ISR: unknown government or organisation \"JAP\" (did you mean \"JPN\"?)"));
  CHECK_THAT(error_for("JPN-ISR = 0.2", "JPN_ISR = 0.2"), Catch::Contains("expected a pair of codes such as \"JPN-ISR\""));
  CHECK_THAT(error_for("JPN-ISR = 0.2", "JPN-JPN = 0.2"), Catch::Contains("a pair needs two different agents"));
  CHECK_THAT(error_for("dialogue_spillover = 2.5", "institutional_memory = 2.5"),
             Catch::Contains("effect institutional_memory does not apply to layer cooperation (it applies to: dialogue)"));
  CHECK_THAT(error_for("kind = \"leadership_change\"", "kind = \"leadership\""),
             Catch::Contains("events.abe_exit.kind: unknown event kind \"leadership\" (did you mean \"leadership_change\"?)"));
  CHECK_THAT(error_for("country = \"JPN\"", "country = \"JPM\""),
             Catch::Contains("events.abe_exit.country: unknown government or organisation \"JPM\" (did you mean \"JPN\"?)"));
  CHECK_THAT(error_for("leader = \"Suga\"", "successor = \"Suga\""),
             Catch::Contains("events.abe_exit.successor: unknown parameter of a leadership_change event (expected one of: kind, period, country, leader)"));
  CHECK_THAT(error_for("leader = \"Suga\"", ""), Catch::Contains("events.abe_exit.leader: missing: name of the new leader"));
  CHECK_THAT(error_for("period = \"2013Q2\"", "period = \"2011Q4\""),
             Catch::Contains("events.abe_exit.period: is before simulation.start 2012Q1"));
  CHECK_THAT(error_for("Netanyahu = 0.8", "Netanyahoo = 0.8"),
             Catch::Contains("leader_affinity.Abe.Netanyahoo: \"Netanyahoo\" is not the leader of any government"));
  CHECK_THAT(error_for("", "", "[leader_affinity.Netanyahu]\nAbe = 0.5\n"),
             Catch::Contains("contradicts leader_affinity.Abe.Netanyahu = 0.8"));
}

TEST_CASE("missing required settings and broken TOML are reported", "[scenario][errors]") {
  CHECK_THAT(error_for("start = \"2012Q1\"", ""), Catch::Contains(": simulation.start: missing: the first quarter simulated"));
  CHECK_THAT(error_for("[simulation]", "[simulation"), Catch::Contains("bad.toml:2: not valid TOML"));
  CHECK_THAT(error_for("", "", "[governments.jp]\nname = \"lower case\"\n"),
             Catch::Contains("governments.jp.name: agent codes are 2 to 8 capital letters or digits"));
}

TEST_CASE("every problem in a file is reported at once, in file order", "[scenario][errors]") {
  const std::string message = error_for("seed = 7", "seed = -7", "[output2]\nx = 1\n[governments.JPN.extra]\ny = 1\n");
  const auto lines = std::count(message.begin(), message.end(), '\n') + 1;
  CHECK(lines == 3);
  CHECK(message.find("simulation.seed") < message.find("output2"));
}

TEST_CASE("bad set overrides are errors naming --set", "[scenario][errors][set]") {
  ScenarioFolder folder;
  const auto file = folder.write("s.toml", kMinimalScenario);
  auto error_with = [&](const std::string& assignment) -> std::string {
    try {
      load_scenario(file, std::vector<Override>{parse_override(assignment)});
    } catch (const ScenarioError& error) {
      return error.what();
    }
    return "";
  };
  CHECK_THAT(error_with("simulation.steps=-4"), Catch::Contains("error: --set: simulation.steps: expected a whole number"));
  CHECK_THAT(error_with("simulation=4"), Catch::Contains("--set: simulation: is a table"));
  // An event that does not exist is named as such, not as an event without a kind; one error only.
  const std::string no_event = error_with("events.abe_exitt.period=2012Q3");
  CHECK(no_event == "error: --set: events.abe_exitt.period: there is no event \"abe_exitt\" to change (did you mean "
                    "the event \"abe_exit\"?) (to add an event, give its kind too: --set events.abe_exitt.kind=...)");
  CHECK_THAT(error_with("simulation..steps=3"), Catch::Contains("expected a key path"));
  CHECK_THROWS_AS(parse_override("simulation.steps"), ScenarioError);
  CHECK_THROWS_AS(parse_override("=3"), ScenarioError);
}

TEST_CASE("bad pair attributes, milestones, spin-up and two-party events are errors", "[scenario][errors]") {
  CHECK_THAT(error_for("", "", "[pair_attributes.un_vote_agreemnt]\nJPN-ISR = 0.4\n"),
             Catch::Contains("pair_attributes.un_vote_agreemnt.JPN-ISR: unknown pair attribute \"un_vote_agreemnt\" "
                             "(did you mean \"un_vote_agreement\"?)"));
  CHECK_THAT(error_for("", "", "[pair_attributes.un_vote_agreement]\nJPN-ISX = 0.4\n"),
             Catch::Contains("unknown government or organisation \"ISX\" (did you mean \"ISR\"?)"));
  CHECK_THAT(error_for("", "", "[pair_attributes.un_vote_agreement]\nJPN-ISR = 1.4\n"),
             Catch::Contains("pair_attributes.un_vote_agreement.JPN-ISR: expected a number in [0, 1], got 1.4"));
  CHECK_THAT(error_for("", "", "[pair_attributes.un_vote_agreement]\nJPN-JPN = 0.4\n"),
             Catch::Contains("a pair needs two different agents"));
  CHECK_THAT(error_for("", "", "[pair_attributes.un_vote_agreement]\nJPN-ISR = 0.4\nISR-JPN = 0.5\n"),
             Catch::Contains("pair_attributes.un_vote_agreement.JPN-ISR: contradicts "
                             "pair_attributes.un_vote_agreement.ISR-JPN = 0.5"));  // keys are read in sorted order
  CHECK_THAT(error_for("", "", "[milestones]\ndialogue_rte = 0.5\n"),
             Catch::Contains("milestones.dialogue_rte: unknown setting (did you mean \"dialogue_rate\"?)"));
  CHECK_THAT(error_for("", "", "[milestones]\nopportunity_factor = 0.5\n"),
             Catch::Contains("milestones.opportunity_factor: expected a number >= 1, got 0.5"));
  CHECK_THAT(error_for("", "", "[spin_up]\nquarters = -1\n"),
             Catch::Contains("spin_up.quarters: expected a whole number of quarters from 0 to 1000, got the whole number -1"));
  CHECK_THAT(error_for("", "", "[events.forum]\nkind = \"business_forum\"\nperiod = \"2013Q1\"\ncountry = \"JPN\"\n"
                               "partner = \"JPN\"\n"),
             Catch::Contains("events.forum.partner: the partner must differ from the country (\"JPN\")"));
}

TEST_CASE("bad set_attribute events are errors with file, line, key path and what was expected", "[scenario][errors][events]") {
  const std::string event = "\n[events.haifa]\nkind = \"set_attribute\"\nperiod = \"2013Q3\"\nagent = \"ISR\"\n";
  // Two of value, change, factor: the second named, at its line.
  const std::string two = error_for("", "", event + "attribute = \"china_ties\"\nvalue = 0.5\nchange = 0.1\n");
  CHECK_THAT(two, Catch::Matches("error: .*bad\\.toml:[0-9]+: events\\.haifa\\.change: a set_attribute event takes exactly "
                                 "one of value, change, factor, and value is given too.*"));
  CHECK_THAT(error_for("", "", event + "attribute = \"china_ties\"\nfactor = 2.0\nchange = 0.1\nvalue = 0.5\n"),
             Catch::Contains("events.haifa.factor: a set_attribute event takes exactly one of value, change, factor, and "
                             "value is given too"));
  // None of them.
  CHECK_THAT(error_for("", "", event + "attribute = \"china_ties\"\n"),
             Catch::Contains("events.haifa: missing: exactly one of value (number in [0, 1]), change (number), factor "
                             "(number >= 0) for a set_attribute event"));
  // An unknown attribute, with a did-you-mean.
  CHECK_THAT(error_for("", "", event + "attribute = \"china_tie\"\nvalue = 0.5\n"),
             Catch::Matches("error: .*bad\\.toml:[0-9]+: events\\.haifa\\.attribute: unknown government attribute "
                            "\"china_tie\" \\(did you mean \"china_ties\"\\?\\).*"));
  // Values out of their ranges; an unknown parameter.
  CHECK_THAT(error_for("", "", event + "attribute = \"china_ties\"\nvalue = 1.5\n"),
             Catch::Contains("events.haifa.value: expected a number in [0, 1], got 1.5"));
  CHECK_THAT(error_for("", "", event + "attribute = \"china_ties\"\nfactor = -1\n"),
             Catch::Contains("events.haifa.factor: expected a number >= 0, got -1"));
  CHECK_THAT(error_for("", "", event + "attribute = \"china_ties\"\nlevel = 0.5\n"),
             Catch::Contains("events.haifa.level: unknown parameter of a set_attribute event"));
  // An old name keeps its old parameters: set_attribute's are unknown to it.
  CHECK_THAT(error_for("", "", "\n[events.haifa]\nkind = \"china_ties\"\nperiod = \"2013Q3\"\ncountry = \"ISR\"\nvalue = 0.5\n"),
             Catch::Contains("events.haifa.value: unknown parameter of a china_ties event"));
  CHECK_THAT(error_for("", "", "\n[events.haifa]\nkind = \"china_tie\"\nperiod = \"2013Q3\"\n"),
             Catch::Contains("unknown event kind \"china_tie\" (did you mean \"china_ties\"?)"));
}

TEST_CASE("one event's errors come in one round: a bad kind does not hide a bad period", "[scenario][errors]") {
  const std::string text = error_for("kind = \"leadership_change\"\nperiod = \"2013Q2\"",
                                     "kind = \"leadership_chnage\"\nperiod = \"2013Q5\"");
  CHECK_THAT(text, Catch::Contains(":" + std::to_string(line_of("kind = \"leadership_change\"")) +
                                   ": events.abe_exit.kind: unknown event kind \"leadership_chnage\" (did you mean "
                                   "\"leadership_change\"?)"));
  CHECK_THAT(text, Catch::Contains(":" + std::to_string(line_of("period = \"2013Q2\"")) +
                                   ": events.abe_exit.period: expected a quarter"));
  // Without a kind at all, in a file: the period is still checked, and the missing kind named.
  const std::string no_kind = error_for("kind = \"leadership_change\"\nperiod = \"2013Q2\"", "period = \"2013Q9\"");
  CHECK_THAT(no_kind, Catch::Contains("event \"abe_exit\" has no kind"));
  CHECK_THAT(no_kind, Catch::Contains("events.abe_exit.period: expected a quarter"));
}

TEST_CASE("a missing closing quote gets a one-line hint after the parser's message", "[scenario][errors]") {
  const std::string text = error_for("leader = \"Abe\"", "leader = \"Abe");
  INFO(text);
  CHECK(text.find('\n') == std::string::npos);  // one line
  CHECK_THAT(text, Catch::Contains("bad.toml:" + std::to_string(line_of("leader = \"Abe\"")) + ": not valid TOML: "));
  CHECK_THAT(text, Catch::Contains("hint: a string needs its closing quote on the same line"));
}
