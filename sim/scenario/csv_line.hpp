#pragma once
// The lines of the CSV files read beside a scenario (a sweep's design points, sim/sweep/points.cpp;
// observed series, sim/calibration/observed_series.cpp): one rule for both, so that a file that
// reads in one reads the same in the other.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace policysim {

// `text` without its leading and trailing spaces, tabs and carriage returns.
std::string trim_blanks(std::string_view text);

// Whether a line holds nothing to read: blank, or a comment (its first non-blank character '#').
bool csv_line_skipped(std::string_view line);

// One CSV line's fields (RFC 4180 quoting: a quoted field keeps its spaces and commas, "" inside
// it is a quote; an unquoted field loses the blanks around it); nullopt for an unclosed quote or
// text after a closing quote. An empty line is one empty field.
std::optional<std::vector<std::string>> split_csv_line(const std::string& line);

}  // namespace policysim
