#pragma once
// The model's clock: one step is one calendar quarter.
#include <optional>
#include <string>
#include <string_view>

namespace policysim {

// A calendar quarter, counted from year 0 (index = 4*year + quarter - 1), so that
// subtracting two periods gives a number of quarters.
struct Period {
  int index = 0;

  static Period from_year_quarter(int year, int quarter) { return Period{4 * year + quarter - 1}; }
  int year() const { return index / 4; }
  int quarter() const { return index % 4 + 1; }
  // Decimal year of the start of the quarter: 2014Q1 -> 2014.0, 2014Q3 -> 2014.5.
  double decimal_year() const { return year() + (quarter() - 1) / 4.0; }
  std::string label() const;  // "2014Q3"
  Period plus_quarters(int n) const { return Period{index + n}; }

  friend auto operator<=>(const Period&, const Period&) = default;
};

// Parses "2014Q3" (also "2014q3"); nullopt when the text is not such a label.
std::optional<Period> parse_period(std::string_view text);

}  // namespace policysim
