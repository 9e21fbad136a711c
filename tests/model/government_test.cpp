#include <catch2/catch.hpp>

#include <set>

#include "sim/model/government.hpp"
#include "sim/model/leader_affinity.hpp"

using namespace policysim;

TEST_CASE("stable ids depend on the code only and differ between the data's codes", "[model]") {
  CHECK(stable_id_of("JPN") == stable_id_of(std::string("JPN")));
  std::set<std::uint32_t> ids;
  for (const char* code : {"AUS", "CHN", "DEU", "EST", "FRA", "GBR", "IDN", "IND", "ISR", "KOR", "MYS", "PHL",
                           "PRK", "RUS", "SGP", "THA", "TWN", "USA", "VNM", "JPN", "EU", "NATO", "ASEAN"})
    ids.insert(stable_id_of(code));
  CHECK(ids.size() == 23);
}

TEST_CASE("leader affinity is symmetric and zero when unknown or leaderless", "[model]") {
  LeaderAffinity affinity;
  affinity.set("Abe", "Netanyahu", 0.9);
  CHECK(affinity.between("Netanyahu", "Abe") == 0.9);
  CHECK(affinity.between("Abe", "Netanyahu") == 0.9);
  CHECK(affinity.between("Abe", "Obama") == 0.0);
  CHECK(affinity.between("", "Abe") == 0.0);
}

TEST_CASE("every government attribute has a doc, a source and a default between 0 and 1", "[model]") {
  for (const auto& attribute : government_attributes()) {
    CHECK_FALSE(attribute.doc.empty());
    CHECK_FALSE(attribute.source.empty());
    CHECK(attribute.default_value >= 0.0);
    CHECK(attribute.default_value <= 1.0);
  }
}

TEST_CASE("the government attribute catalogue is indexed by GovernmentAttributeId and names are unique", "[model]") {
  for (std::size_t k = 0; k < kGovernmentAttributeCount; ++k) {
    const GovernmentAttribute& attribute = kGovernmentAttributes[k];
    INFO(attribute.name);
    const auto id = government_attribute_from_name(attribute.name);
    REQUIRE(id.has_value());
    CHECK(index_of(*id) == k);  // the first entry with this name is this one: names are unique
    CHECK(attribute.low <= attribute.default_value);
    CHECK(attribute.default_value <= attribute.high);
    CHECK(default_government_attributes()[k] == attribute.default_value);
  }
  CHECK(info(GovernmentAttributeId::ChinaTies).name == "china_ties");
  CHECK(info(GovernmentAttributeId::PressureTarget).name == "pressure_target");
  CHECK_FALSE(government_attribute_from_name("china_tie").has_value());
  // A government starts with every attribute at its default.
  const Government government;
  CHECK(government.attribute(GovernmentAttributeId::RiskTolerance) == 0.5);
  CHECK(government.attribute(GovernmentAttributeId::ChinaTies) == 0.0);
}
