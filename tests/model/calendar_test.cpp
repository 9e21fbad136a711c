#include <catch2/catch.hpp>

#include "sim/model/calendar.hpp"

using policysim::parse_period;
using policysim::Period;

TEST_CASE("periods parse, label and convert to decimal years", "[model][calendar]") {
  const auto q3 = parse_period("2014Q3");
  REQUIRE(q3.has_value());
  CHECK(q3->year() == 2014);
  CHECK(q3->quarter() == 3);
  CHECK(q3->label() == "2014Q3");
  CHECK(q3->decimal_year() == 2014.5);
  CHECK(parse_period("2014q1")->decimal_year() == 2014.0);
  CHECK(q3->plus_quarters(2).label() == "2015Q1");
  CHECK(q3->plus_quarters(2).index - q3->index == 2);
}

TEST_CASE("malformed periods are rejected", "[model][calendar]") {
  for (const char* bad : {"2014", "2014Q5", "2014Q0", "14Q1", "2014-Q1", "abcdQ1", "2014Q12", "", "-014Q1", "+014Q1", " 014Q1"})
    CHECK_FALSE(parse_period(bad).has_value());
}
