#include "sim/calibration/observed_series.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <tuple>

#include "sim/calibration/validation_split.hpp"
#include "sim/description/pair_label.hpp"
#include "sim/scenario/csv_line.hpp"
#include "sim/scenario/load.hpp"
#include "sim/scenario/suggest.hpp"

namespace policysim::calibration {

bool ObservedRow::training() const { return is_training_evidence(year); }

namespace {

constexpr std::size_t kMaxIssues = 20;
constexpr std::uintmax_t kMaxFileBytes = 64u << 20;  // 64 MiB: far beyond any yearly series

// A field as echoed in a message: at most 40 characters, control bytes shown as '?', so that a
// binary file still gives one readable line per problem.
std::string shown(const std::string& text) {
  std::string out;
  for (char c : text.substr(0, 40)) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  return text.size() > 40 ? out + "..." : out;
}
constexpr std::array<const char*, 5> kColumns = {"measure", "from", "to", "period", "value"};

std::optional<double> parse_number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  double value = 0.0;
  const char* end = text.data() + text.size();
  const auto [ptr, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || ptr != end || !std::isfinite(value)) return std::nullopt;
  return value;
}

// "2012" -> a year; "2012Q3" -> a quarter. Years from 1900 to 2200, as a sanity bound.
bool parse_period_field(const std::string& text, ObservedRow& row) {
  if (text.size() == 4 && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    row.year = std::stoi(text);
    row.quarterly = false;
  } else if (const auto period = parse_period(text)) {
    row.quarter = *period;
    row.year = period->year();
    row.quarterly = true;
  } else {
    return false;
  }
  return row.year >= 1900 && row.year <= 2200;
}

}  // namespace

ObservedFile read_observed(const std::string& text, const std::string& file, const Scenario& scenario) {
  std::vector<ScenarioIssue> issues;
  const auto fail = [&](int line, const std::string& column, std::string message) {
    if (issues.size() < kMaxIssues) issues.push_back({file, line, column, std::move(message)});
  };
  ObservedFile result;
  result.file = file;

  std::istringstream in(text);
  int line_number = 0;
  std::optional<std::vector<std::string>> header;
  int header_line = 0;
  std::map<std::string, std::size_t> column_of;
  std::map<std::tuple<std::string, std::string, std::string>, std::size_t> series_of;
  const std::vector<std::string> measure_list = measure_names();
  std::vector<std::string> agent_codes;
  for (const auto& government : scenario.governments) agent_codes.push_back(government.code);
  const int first_year = scenario.simulation.start.year();
  const int last_year = scenario.last_simulated().year();

  for (std::string line; std::getline(in, line);) {
    ++line_number;
    if (csv_line_skipped(line)) continue;
    auto fields = split_csv_line(line);
    if (!fields) {
      fail(line_number, "", "an unclosed or misplaced quote");
      continue;
    }
    if (!header) {
      header = *fields;
      header_line = line_number;
      for (std::size_t c = 0; c < header->size(); ++c) {
        const std::string& name = (*header)[c];
        if (name.empty()) fail(line_number, "", "column " + std::to_string(c + 1) + " has no name");
        else if (!column_of.emplace(name, c).second) fail(line_number, shown(name), "column \"" + shown(name) + "\" appears twice");
      }
      for (const char* wanted : kColumns)
        if (!column_of.contains(wanted))
          fail(line_number, "", std::string("no column \"") + wanted +
                                    "\": expected the header measure,from,to,period,value (further columns, e.g. source, "
                                    "are allowed)");
      if (!issues.empty()) break;
      continue;
    }
    if (fields->size() != header->size()) {
      fail(line_number, "", "expected " + std::to_string(header->size()) + " fields as in the header (line " +
                                std::to_string(header_line) + "), got " + std::to_string(fields->size()));
      continue;
    }
    const auto field = [&](const char* name) -> const std::string& { return (*fields)[column_of.at(name)]; };
    bool ok = true;
    const std::string& measure_name = field("measure");
    const Measure* measure = find_measure(measure_name);
    if (!measure) {
      fail(line_number, "measure",
           "unknown measure \"" + shown(measure_name) + "\"" + suggestion_hint(measure_name, measure_list));
      ok = false;
    } else if (measure->scope != MeasureScope::Pair) {
      fail(line_number, "measure", "\"" + measure_name + "\" is a " + std::string(name_of(measure->scope)) +
                                       " measure; expected a pair measure (from one agent to another), e.g. dialogue, "
                                       "trade, dialogues_held");
      ok = false;
    } else if (!measure->applies_to(scenario)) {
      fail(line_number, "measure", "\"" + measure_name + "\" needs firms (or B2B trade), which the scenario " +
                                       scenario.file + " does not have");
      ok = false;
    }
    for (const char* side : {"from", "to"}) {
      const std::string& code = field(side);
      if (!scenario.agent_index(code)) {
        fail(line_number, side, "the scenario " + scenario.file + " has no agent \"" + shown(code) + "\"" +
                                    suggestion_hint(code, agent_codes));
        ok = false;
      }
    }
    if (ok && field("from") == field("to")) {
      fail(line_number, "to", "expected an agent other than from (\"" + field("from") + "\")");
      ok = false;
    }
    ObservedRow row;
    row.line = line_number;
    if (!parse_period_field(field("period"), row)) {
      fail(line_number, "period", "expected a year like 2012 or a quarter like 2012Q3, got \"" + shown(field("period")) + "\"");
      ok = false;
    } else if (!row.training() && (row.year < first_year || row.year > last_year)) {
      fail(line_number, "period", "a test period (after " + std::to_string(kLastTrainingYear) + ") must be simulated; " +
                                      scenario.file + " simulates " + std::to_string(first_year) + " to " +
                                      std::to_string(last_year) + ", got \"" + field("period") + "\"");
      ok = false;
    }
    const auto value = parse_number(field("value"));
    if (!value) {
      fail(line_number, "value", "expected a finite number, got \"" + shown(field("value")) + "\"");
      ok = false;
    }
    if (!ok) continue;
    row.value = *value;
    if (column_of.contains("source")) row.source = field("source");
    const auto key = std::make_tuple(measure_name, field("from"), field("to"));
    auto [found, added] = series_of.emplace(key, result.series.size());
    if (added) result.series.push_back({measure_name, field("from"), field("to"), line_number, {}});
    ObservedSeries& series = result.series[found->second];
    if (!series.rows.empty() && series.rows.front().quarterly != row.quarterly) {
      fail(line_number, "period", "expected a " + std::string(series.rows.front().quarterly ? "quarter" : "year") +
                                      " like the series' first row (line " + std::to_string(series.line) +
                                      "): a series is yearly or quarterly, not both");
      continue;
    }
    const auto same = std::find_if(series.rows.begin(), series.rows.end(), [&](const ObservedRow& other) {
      return other.time() == row.time();
    });
    if (same != series.rows.end()) {
      fail(line_number, "period", "\"" + field("period") + "\" appears twice in the series " + measure_name + " " +
                                      pair_label(field("from"), field("to")) + " (first at line " + std::to_string(same->line) + ")");
      continue;
    }
    series.rows.push_back(row);
  }
  if (!header && issues.empty())
    fail(0, "", "no header line: expected measure,from,to,period,value and one row per observation");
  else if (issues.empty() && result.series.empty())
    fail(header_line, "", "no rows: expected one row per observation after the header");
  if (!issues.empty()) throw ScenarioError(std::move(issues));
  for (ObservedSeries& series : result.series)
    std::stable_sort(series.rows.begin(), series.rows.end(),
                     [](const ObservedRow& a, const ObservedRow& b) { return a.time() < b.time(); });
  return result;
}

ObservedFile load_observed(const std::filesystem::path& file, const Scenario& scenario) {
  // A regular file of bounded size only (as a sweep's design file): /dev/zero would be read without
  // end, a FIFO would block, a folder cannot be read.
  const auto refuse = [&](const std::string& why) {
    throw ScenarioError(std::vector<ScenarioIssue>{
        ScenarioIssue{file.string(), 0, "", "cannot read the observed series file: " + why +
                                                "; expected a CSV with the header measure,from,to,period,value"}});
  };
  std::error_code error;
  const auto status = std::filesystem::status(file, error);
  if (!std::filesystem::exists(status))
    refuse(error && error != std::errc::no_such_file_or_directory ? error.message() : "it does not exist");
  if (!std::filesystem::is_regular_file(status))
    refuse(std::filesystem::is_directory(status) ? "it is a folder" : "it is not a regular file");
  const auto size = std::filesystem::file_size(file, error);
  if (error) refuse(error.message());
  if (size > kMaxFileBytes) refuse(std::to_string(size) + " bytes; at most " + std::to_string(kMaxFileBytes));
  std::ifstream in(file, std::ios::binary);
  if (!in) refuse(std::strerror(errno));
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return read_observed(text, file.string(), scenario);
}

}  // namespace policysim::calibration
