#include "sim/sweep/points.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "sim/description/joined.hpp"
#include "sim/scenario/csv_line.hpp"
#include "sim/scenario/suggest.hpp"

namespace policysim::sweep {
namespace {

constexpr std::size_t kMaxCsvIssues = 20;

std::optional<double> parse_number(const std::string& text) {
  double value = 0;
  const char* begin = text.data();
  if (!text.empty() && text[0] == '+') ++begin;
  const auto [end, error] = std::from_chars(begin, text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value) || begin == end)
    return std::nullopt;
  return value;
}

std::optional<std::int64_t> parse_integer(const std::string& text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error == std::errc() && end == text.data() + text.size() && !text.empty()) return value;
  // "3.0" (as pandas writes whole numbers in a float column) is accepted.
  if (auto number = parse_number(text); number && std::floor(*number) == *number && std::fabs(*number) < 9.0e15)
    return static_cast<std::int64_t>(*number);
  return std::nullopt;
}

std::optional<bool> parse_boolean(const std::string& text) {
  std::string lower;
  for (char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "true" || lower == "1") return true;
  if (lower == "false" || lower == "0") return false;
  return std::nullopt;
}

std::string csv_field(const SweepValue& value) {
  if (const auto* text = std::get_if<std::string>(&value)) {
    std::string quoted = "\"";
    for (char c : *text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
  }
  return toml_literal(value);
}

// A CSV column whose key [sweep.parameters] does not declare: its kind is the kind of the
// scenario's value (or, for a key the scenario leaves at its default, what the column holds).
SweepParameter parameter_from_column(const std::string& key, const std::vector<std::string>& column,
                                     const Document& document, const std::string& csv_name, int line) {
  SweepParameter parameter;
  parameter.key = key;
  parameter.file = csv_name;
  parameter.line = line;
  if (auto found = document.find(key); found != document.end()) {
    const toml::node& node = *found->second.value;
    if (node.is_integer()) parameter.kind = ParameterKind::Integer;
    else if (node.is_floating_point()) parameter.kind = ParameterKind::Number;
    else if (node.is_boolean()) parameter.kind = ParameterKind::Boolean;
    else parameter.kind = ParameterKind::String;
    return parameter;
  }
  auto all = [&](auto parse) { return std::all_of(column.begin(), column.end(), [&](const auto& t) { return parse(t).has_value(); }); };
  if (all(parse_number)) parameter.kind = ParameterKind::Number;
  else if (all(parse_boolean)) parameter.kind = ParameterKind::Boolean;
  else parameter.kind = ParameterKind::String;
  return parameter;
}

}  // namespace

SweepDesign read_points_csv(const std::string& text, const std::string& csv_name, SweepSpec& spec,
                            const Document& document, std::vector<ScenarioIssue>& issues) {
  SweepDesign design;
  const std::size_t issues_before = issues.size();
  auto fail = [&](int line, const std::string& key, std::string message) {
    if (issues.size() - issues_before < kMaxCsvIssues) issues.push_back({csv_name, line, key, std::move(message)});
  };

  std::vector<std::pair<int, std::vector<std::string>>> rows;  // (line, fields)
  std::istringstream in(text);
  int line_number = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_number;
    if (csv_line_skipped(line)) continue;
    auto fields = split_csv_line(line);
    if (!fields) {
      fail(line_number, "", "an unclosed or misplaced quote");
      continue;
    }
    rows.emplace_back(line_number, std::move(*fields));
    if (rows.size() > kMaxDesignPoints + 1) {  // the header and kMaxDesignPoints points: stop reading
      fail(line_number, "", "more than " + std::to_string(kMaxDesignPoints) + " design points; at most " +
                                std::to_string(kMaxDesignPoints));
      return design;
    }
  }
  if (rows.empty()) {
    fail(0, "", "no header line: expected the swept key paths, e.g. governments.ISR.china_ties,events.abe_exit.period");
    return design;
  }
  // Not a structured binding: a lambda below captures `header`, which clang before 16 refuses for
  // a binding (the fuzz build, scripts/fuzz.sh, uses Debian's clang 14).
  const int header_line = rows.front().first;
  const std::vector<std::string>& header = rows.front().second;
  std::vector<std::string> declared;
  for (const auto& parameter : spec.parameters) declared.push_back(parameter.key);
  std::map<std::string, std::size_t> column_of;
  for (std::size_t c = 0; c < header.size(); ++c) {
    const std::string& key = header[c];
    if (key.empty()) {
      fail(header_line, "", "column " + std::to_string(c + 1) + " has no name");
    } else if (!column_of.emplace(key, c).second) {
      fail(header_line, key, "column \"" + key + "\" appears twice");
    } else if (!declared.empty() && std::find(declared.begin(), declared.end(), key) == declared.end()) {
      fail(header_line, key, "column \"" + key + "\" is not a parameter of [sweep.parameters]" +
                                 suggestion_hint(key, declared));
    }
  }
  for (const auto& key : declared)
    if (!column_of.count(key))
      fail(header_line, key, "no column for the parameter " + key + " of [sweep.parameters] (columns: " + joined(header, ", ") + ")");
  const std::size_t points = rows.size() - 1;
  if (points == 0) fail(header_line, "", "no design points: expected one row per point after the header");
  for (std::size_t r = 1; r < rows.size(); ++r)
    if (rows[r].second.size() != header.size())
      fail(rows[r].first, "", "expected " + std::to_string(header.size()) + " fields as in the header, got " +
                                  std::to_string(rows[r].second.size()));
  if (issues.size() != issues_before) return design;

  if (spec.parameters.empty()) {
    for (const auto& [key, c] : column_of) {  // sorted by key path, as declared parameters are
      std::vector<std::string> column;
      for (std::size_t r = 1; r < rows.size(); ++r) column.push_back(rows[r].second[c]);
      spec.parameters.push_back(parameter_from_column(key, column, document, csv_name, header_line));
    }
  }

  design.points = points;
  design.values.assign(spec.parameters.size(), {});
  for (std::size_t i = 0; i < spec.parameters.size(); ++i) {
    const SweepParameter& parameter = spec.parameters[i];
    const std::size_t c = column_of.at(parameter.key);
    for (std::size_t r = 1; r < rows.size(); ++r) {
      const std::string& field = rows[r].second[c];
      const int line = rows[r].first;
      std::optional<SweepValue> value;
      switch (parameter.kind) {
        case ParameterKind::Number:
          if (auto number = parse_number(field)) value = *number;
          else fail(line, parameter.key, "expected a number, got \"" + field + "\"");
          break;
        case ParameterKind::Integer:
          if (auto integer = parse_integer(field)) value = *integer;
          else fail(line, parameter.key, "expected a whole number, got \"" + field + "\"");
          break;
        case ParameterKind::Boolean:
          if (auto flag = parse_boolean(field)) value = *flag;
          else fail(line, parameter.key, "expected true or false, got \"" + field + "\"");
          break;
        case ParameterKind::String: value = field; break;
      }
      if (!value) continue;
      if (parameter.has_range) {
        const double number = std::holds_alternative<double>(*value) ? std::get<double>(*value)
                                                                     : static_cast<double>(std::get<std::int64_t>(*value));
        if (number < parameter.low || number > parameter.high)
          fail(line, parameter.key, toml_literal(*value) + " is outside the declared range [" +
                                        toml_literal(parameter.low) + ", " + toml_literal(parameter.high) + "]");
      } else if (!parameter.values.empty() &&
                 std::find(parameter.values.begin(), parameter.values.end(), *value) == parameter.values.end()) {
        fail(line, parameter.key, toml_literal(*value) + " is not one of the declared values");
      }
      design.values[i].push_back(std::move(*value));
    }
  }
  return design;
}

std::string write_points_csv(const SweepSpec& spec, const SweepDesign& design) {
  std::ostringstream out;
  for (std::size_t i = 0; i < spec.parameters.size(); ++i) out << (i ? "," : "") << spec.parameters[i].key;
  out << "\n";
  for (std::size_t point = 0; point < design.points; ++point) {
    for (std::size_t i = 0; i < spec.parameters.size(); ++i) out << (i ? "," : "") << csv_field(design.values[i][point]);
    out << "\n";
  }
  return out.str();
}

SweepDesign make_design(SweepSpec& spec, const Document& document, std::vector<ScenarioIssue>& issues) {
  const std::size_t k = spec.parameters.size();
  SweepDesign design;
  auto from_unit = [&](UnitDesign unit) {
    design.points = unit.points;
    design.values.assign(k, {});
    for (std::size_t i = 0; i < k; ++i)
      for (std::size_t point = 0; point < unit.points; ++point)
        design.values[i].push_back(spec.parameters[i].at_unit(unit.at(point, i)));
    design.unit = std::move(unit);
  };
  switch (spec.design) {
    case DesignKind::Grid: {
      std::vector<std::vector<SweepValue>> levels;
      std::vector<std::size_t> counts;
      for (const auto& parameter : spec.parameters) {
        levels.push_back(parameter.grid_values());
        counts.push_back(levels.back().size());
      }
      const auto indices = grid_design(counts);
      design.points = grid_points(counts);
      design.values.assign(k, {});
      for (std::size_t point = 0; point < design.points; ++point)
        for (std::size_t i = 0; i < k; ++i) design.values[i].push_back(levels[i][indices[point * k + i]]);
      break;
    }
    case DesignKind::LatinHypercube: from_unit(latin_hypercube_design(spec.samples, k, spec.seed)); break;
    case DesignKind::Random: from_unit(random_design(spec.samples, k, spec.seed)); break;
    case DesignKind::Morris: from_unit(morris_design(spec.samples, k, spec.morris_levels, spec.seed)); break;
    case DesignKind::Saltelli: from_unit(saltelli_design(spec.samples, k, spec.seed)); break;
    case DesignKind::File: {
      // A regular file of bounded size only: /dev/zero would be read without end, a FIFO would
      // block, a folder cannot be read.
      auto refuse = [&](const std::string& why) {
        issues.push_back({spec.points_file_declared_in, spec.points_file_line, "sweep.file",
                          "cannot read the design file " + spec.points_file + ": " + why});
      };
      std::error_code error;
      const auto status = std::filesystem::status(spec.points_file, error);
      if (!std::filesystem::exists(status)) {
        refuse(error && error != std::errc::no_such_file_or_directory ? error.message() : "it does not exist");
        return design;
      }
      if (!std::filesystem::is_regular_file(status)) {
        refuse(std::filesystem::is_directory(status) ? "it is a folder" : "it is not a regular file");
        return design;
      }
      const auto size = std::filesystem::file_size(spec.points_file, error);
      if (error || size > kMaxDesignFileBytes) {
        refuse(error ? error.message()
                     : std::to_string(size) + " bytes; at most " + std::to_string(kMaxDesignFileBytes));
        return design;
      }
      std::ifstream in(spec.points_file, std::ios::binary);
      if (!in) {
        refuse(std::strerror(errno));
        return design;
      }
      std::string text(static_cast<std::size_t>(size), '\0');
      in.read(text.data(), static_cast<std::streamsize>(size));
      text.resize(static_cast<std::size_t>(in.gcount()));
      design = read_points_csv(text, spec.points_file, spec, document, issues);
      if (design.points > kMaxDesignPoints || design.points * spec.replicates > kMaxRuns)
        issues.push_back({spec.points_file_declared_in, spec.points_file_line, "sweep.file",
                          "the design file has " + std::to_string(design.points) + " points (x " +
                              std::to_string(spec.replicates) + " replicates); at most " +
                              std::to_string(kMaxDesignPoints) + " points and " + std::to_string(kMaxRuns) + " runs"});
      break;
    }
  }
  return design;
}

}  // namespace policysim::sweep
