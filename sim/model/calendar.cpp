#include "sim/model/calendar.hpp"

#include <charconv>

namespace policysim {

std::string Period::label() const { return std::to_string(year()) + "Q" + std::to_string(quarter()); }

std::optional<Period> parse_period(std::string_view text) {
  if (text.size() != 6 || (text[4] != 'Q' && text[4] != 'q')) return std::nullopt;
  for (std::size_t i = 0; i < 4; ++i)
    if (text[i] < '0' || text[i] > '9') return std::nullopt;  // four digits: no sign, no spaces
  int year = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + 4, year);
  if (error != std::errc{} || end != text.data() + 4) return std::nullopt;
  const int quarter = text[5] - '0';
  if (quarter < 1 || quarter > 4) return std::nullopt;
  return Period::from_year_quarter(year, quarter);
}

}  // namespace policysim
