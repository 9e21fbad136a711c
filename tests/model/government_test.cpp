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
