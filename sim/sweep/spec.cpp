#include "sim/sweep/spec.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <sstream>

#include "sim/description/joined.hpp"
#include "sim/measures/measure.hpp"
#include "sim/scenario/suggest.hpp"
#include "sim/scenario/values.hpp"

namespace policysim::sweep {
namespace {

// Values in messages are worded as in scenario files: "the whole number 3", "the string \"x\"".
using values::describe;

constexpr std::string_view kSection = "sweep";
constexpr std::string_view kParameters = "parameters";
// Grid levels of an integer range beyond this are surely a mistake (and a huge sweep).
constexpr double kMaxIntegerLevels = 100000;
// An integer range's ends must be exact as doubles (the parameter's ends are stored as doubles).
constexpr double kMaxExactInteger = 9007199254740992.0;  // 2^53

const std::vector<std::string>& setting_names() {
  static const std::vector<std::string> names = {"design", "samples", "levels", "file", "replicates", "seed",
                                                 "common_random_numbers", "record", "record_ties_every", "parameters"};
  return names;
}

const std::vector<std::string>& parameter_fields() {
  static const std::vector<std::string> fields = {"range", "values", "levels"};
  return fields;
}

enum class Category { Number, Boolean, String, Other };

Category category_of(const toml::node& node) {
  if (node.is_integer() || node.is_floating_point()) return Category::Number;
  if (node.is_boolean()) return Category::Boolean;
  if (node.is_string()) return Category::String;
  return Category::Other;
}

std::string_view plural(Category category) {
  switch (category) {
    case Category::Number: return "numbers";
    case Category::Boolean: return "booleans (true, false)";
    case Category::String: return "strings";
    case Category::Other: break;
  }
  return "other values";
}

std::string where(const DocumentEntry& entry) {
  return entry.line > 0 ? entry.file + ":" + std::to_string(entry.line) : entry.file;
}

std::optional<double> number_of(const toml::node& node) {
  if (const auto* integer = node.as_integer()) return static_cast<double>(integer->get());
  if (const auto* floating = node.as_floating_point()) return floating->get();
  return std::nullopt;
}

// The entries of one swept key: sweep.parameters.<key>.{range, values, levels}.
struct ParameterEntries {
  const DocumentEntry* range = nullptr;
  const DocumentEntry* values = nullptr;
  const DocumentEntry* levels = nullptr;
  const DocumentEntry* first() const {
    const DocumentEntry* best = nullptr;
    for (const DocumentEntry* entry : {range, values, levels})
      if (entry != nullptr && (best == nullptr || entry->line < best->line)) best = entry;
    return best;
  }
};

class SpecReader {
 public:
  SpecReader(const Document& document, const std::string& top_file, std::vector<ScenarioIssue>& issues)
      : document_(document), top_file_(top_file), issues_(issues) {}

  SweepSpec read() {
    std::map<std::string, ParameterEntries> parameters;
    std::map<std::string, const DocumentEntry*> settings;
    Document section;
    for (const auto& [key, entry] : document_) {
      if (entry.path[0] != kSection) continue;
      section.emplace(key, entry);
      // Errors about the section as a whole name its first line, in the file named on the command
      // line when it has one.
      auto rank = [&](const DocumentEntry& e) { return std::pair{e.file != top_file_, e.line}; };
      if (first_ == nullptr || rank(entry) < rank(*first_)) first_ = &entry;
      if (entry.path.size() < 2) {
        error(entry, "expected a [sweep] table, with design, replicates and [sweep.parameters]");
        continue;
      }
      const std::string& name = entry.path[1];
      if (name == kParameters) {
        add_parameter_entry(entry, parameters);
      } else if (entry.path.size() != 2) {
        error(entry, "expected a setting of [sweep]" + suggestion_hint(name, setting_names()));
      } else if (std::find(setting_names().begin(), setting_names().end(), name) == setting_names().end()) {
        error(entry, "unknown setting of [sweep]" + suggestion_hint(name, setting_names()));
      } else {
        settings[name] = &entry;
      }
    }
    if (first_ == nullptr) {
      issues_.push_back({top_file_, 0, "sweep",
                         "no [sweep] section: a sweep file needs [sweep] with a design and [sweep.parameters] "
                         "(docs/sweeps.md)"});
      return spec_;
    }
    spec_.file = first_->file;
    spec_.line = first_->line;
    spec_.toml = [&] {
      std::ostringstream out;
      out << toml::toml_formatter{to_table(section),
                                  toml::toml_formatter::default_flags | toml::format_flags::relaxed_float_precision};
      return out.str();
    }();

    read_settings(settings);
    for (const auto& [key, entries] : parameters) read_parameter(key, entries);
    check_design_needs();
    return spec_;
  }

 private:
  void error(const DocumentEntry& entry, std::string message) {
    issues_.push_back({entry.file, entry.line, entry.key(), std::move(message)});
  }
  void error_at_section(const std::string& key, std::string message) {
    issues_.push_back({spec_.file, spec_.line, key, std::move(message)});
  }

  void add_parameter_entry(const DocumentEntry& entry, std::map<std::string, ParameterEntries>& parameters) {
    const std::string& field = entry.path.back();
    const bool known_field =
        std::find(parameter_fields().begin(), parameter_fields().end(), field) != parameter_fields().end();
    if (entry.path.size() < 4 || !known_field) {
      const std::string key = entry.path.size() > 2
                                  ? join_path(std::span(entry.path).subspan(2))
                                  : std::string("<key path>");
      error(entry, "expected `" + key + " = { range = [low, high] }` or `" + key +
                       " = { values = [...] }` under [sweep.parameters]" +
                       (entry.path.size() >= 4 && !known_field ? ", not \"" + field + "\"" +
                                                                      suggestion_hint(field, parameter_fields())
                                                                : std::string()));
      return;
    }
    const std::string key = join_path(std::span(entry.path).subspan(2, entry.path.size() - 3));
    ParameterEntries& entries = parameters[key];
    if (field == "range") entries.range = &entry;
    if (field == "values") entries.values = &entry;
    if (field == "levels") entries.levels = &entry;
  }

  std::optional<std::int64_t> whole(const DocumentEntry& entry, std::int64_t low, std::string_view expected) {
    const auto* value = entry.value->as_integer();
    if (value == nullptr || value->get() < low) {
      error(entry, "expected " + std::string(expected) + ", got " + describe(*entry.value));
      return std::nullopt;
    }
    return value->get();
  }

  void read_settings(const std::map<std::string, const DocumentEntry*>& settings) {
    auto setting = [&](const std::string& name) -> const DocumentEntry* {
      auto found = settings.find(name);
      return found == settings.end() ? nullptr : found->second;
    };
    design_ok_ = false;
    if (const DocumentEntry* entry = setting("design")) {
      const auto* text = entry->value->as_string();
      const std::string name = text != nullptr ? text->get() : std::string();
      auto found = std::find(design_names().begin(), design_names().end(), name);
      if (text == nullptr) {
        error(*entry, "expected the name of a design (" + joined(design_names(), ", ") + "), got " + describe(*entry->value));
      } else if (found == design_names().end()) {
        error(*entry, "unknown design \"" + name + "\"" + suggestion_hint(name, design_names()));
      } else {
        spec_.design = static_cast<DesignKind>(found - design_names().begin());
        design_ok_ = true;
      }
    } else {
      error_at_section("sweep.design", "missing: the design, one of " + joined(design_names(), ", "));
    }
    samples_entry_ = setting("samples");
    if (samples_entry_ != nullptr) {
      if (auto samples = whole(*samples_entry_, 1, "a whole number of samples >= 1"))
        spec_.samples = static_cast<std::size_t>(*samples);
    }
    levels_entry_ = setting("levels");
    if (levels_entry_ != nullptr) {
      auto levels = whole(*levels_entry_, 2, "an even number of Morris levels >= 2, e.g. 4");
      if (levels && *levels % 2 != 0) error(*levels_entry_, "expected an even number of Morris levels, e.g. 4, got " +
                                                                std::to_string(*levels));
      else if (levels) spec_.morris_levels = static_cast<std::size_t>(*levels);
    }
    file_entry_ = setting("file");
    if (file_entry_ != nullptr) {
      if (const auto* text = file_entry_->value->as_string(); text != nullptr && !text->get().empty()) {
        // Relative to the file that names it, as `extends`.
        const std::filesystem::path named(text->get());
        spec_.points_file_declared_in = file_entry_->file;
        spec_.points_file_line = file_entry_->line;
        spec_.points_file = (named.is_absolute() ? named : std::filesystem::path(file_entry_->file).parent_path() / named)
                                .lexically_normal()
                                .string();
      } else {
        error(*file_entry_, "expected the path of a CSV file of design points, got " + describe(*file_entry_->value));
      }
    }
    if (const DocumentEntry* entry = setting("replicates"))
      if (auto replicates = whole(*entry, 1, "a whole number of replicates >= 1"))
        spec_.replicates = static_cast<std::size_t>(*replicates);
    if (const DocumentEntry* entry = setting("seed"))
      if (auto seed = whole(*entry, 0, "a whole number >= 0")) spec_.seed = static_cast<std::uint64_t>(*seed);
    if (const DocumentEntry* entry = setting("common_random_numbers")) {
      if (const auto* flag = entry->value->as_boolean()) spec_.common_random_numbers = flag->get();
      else error(*entry, "expected true or false, got " + describe(*entry->value));
    }
    std::optional<std::string> record;
    if (const DocumentEntry* entry = setting("record")) {
      const auto* text = entry->value->as_string();
      if (text != nullptr && (text->get() == "metrics" || text->get() == "ties")) record = text->get();
      else if (const auto* names = entry->value->as_array()) read_record_measures(*entry, *names);
      else
        error(*entry, "expected \"metrics\", \"ties\" or a list of measure names (policysim describe), got " +
                          describe(*entry->value));
    }
    if (const DocumentEntry* entry = setting("record_ties_every")) {
      if (auto every = whole(*entry, 1, "a whole number of steps >= 1")) {
        if (record == "metrics")
          error(*entry, "record = \"metrics\" records no ties; remove record_ties_every or set record = \"ties\"");
        else spec_.record_ties_every = static_cast<std::size_t>(*every);
      }
    } else if (record == "ties") {
      spec_.record_ties_every = 1;
    }
  }

  // record = ["dialogue_density", "dialogue", ...]: the measures of /metrics, by catalogue name (a
  // world measure as [run, time], a pair measure at the pairs of interest as <name>_pairs).
  void read_record_measures(const DocumentEntry& entry, const toml::array& names) {
    spec_.record_declared_in = entry.file;
    spec_.record_line = entry.line;
    if (names.empty()) {
      error(entry, "an empty list of measures records nothing; list measure names (policysim describe) or remove "
                   "record for the default");
      return;
    }
    for (std::size_t k = 0; k < names.size(); ++k) {
      const auto* text = names.get(k)->as_string();
      const std::string at = "record[" + std::to_string(k) + "]: ";
      if (text == nullptr) {
        error(entry, at + "expected the name of a measure, got " + describe(*names.get(k)));
        continue;
      }
      const std::string& name = text->get();
      const Measure* measure = find_measure(name);
      if (measure == nullptr) {
        error(entry, at + "unknown measure \"" + name + "\"" + suggestion_hint(name, measure_names()));
      } else if (measure->scope != MeasureScope::World && measure->scope != MeasureScope::Pair) {
        error(entry, at + name + " has a value per " + std::string(name_of(measure->scope)) +
                         "; a sweep records world measures and pair measures (at the pairs of interest)");
      } else if (std::find(spec_.record_measures.begin(), spec_.record_measures.end(), name) !=
                 spec_.record_measures.end()) {
        error(entry, at + name + " is listed twice");
      } else {
        spec_.record_measures.push_back(name);
      }
    }
  }

  void read_parameter(const std::string& key, const ParameterEntries& entries) {
    SweepParameter parameter;
    parameter.key = key;
    const DocumentEntry& first = *entries.first();
    parameter.file = first.file;
    parameter.line = first.line;
    const std::string where_key = "sweep.parameters." + key;
    bool ok = true;

    if (key.starts_with("sweep.") || key == "sweep") {
      error(first, "a sweep cannot sweep its own settings");
      return;
    }
    if (key == "simulation.seed") {
      error(first, "the sweep sets each run's seed (replicates, common_random_numbers, seed); do not sweep "
                   "simulation.seed, use replicates");
      return;
    }
    const auto base = document_.find(key);
    const DocumentEntry* base_entry = base == document_.end() ? nullptr : &base->second;
    const auto base_category = base_entry ? category_of(*base_entry->value) : Category::Other;
    const bool base_integer = base_entry && base_entry->value->is_integer();
    const std::string holds =
        base_entry ? key + " holds " + describe(*base_entry->value) + " (" + where(*base_entry) + ")" : std::string();

    if (entries.range != nullptr && entries.values != nullptr) {
      error(*entries.values, "give either range or values for " + key + ", not both");
      return;
    }
    if (entries.range != nullptr) {
      const DocumentEntry& entry = *entries.range;
      const toml::array* range = entry.value->as_array();
      std::optional<double> low, high;
      if (range != nullptr && range->size() == 2) {
        low = number_of(*range->get(0));
        high = number_of(*range->get(1));
      }
      if (range != nullptr && range->empty()) {
        error(entry, "empty range: expected [low, high], two numbers with low < high");
        ok = false;
      } else if (!low || !high || !std::isfinite(*low) || !std::isfinite(*high)) {
        error(entry, "expected [low, high], two numbers with low < high, got " +
                         (range ? "an array of " + std::to_string(range->size()) + " values" : describe(*entry.value)));
        ok = false;
      } else if (*low >= *high) {
        error(entry, "low >= high in [" + toml_literal(*low) + ", " + toml_literal(*high) +
                         "]: expected low < high (a fixed value belongs in the scenario, or use values = [...])");
        ok = false;
      } else if (!std::isfinite(*high - *low)) {
        // Points are low + u (high - low): with an infinite width every point but the top end is
        // infinite or NaN (0 x inf), and the error would name a value the file never wrote.
        error(entry, "high - low in [" + toml_literal(*low) + ", " + toml_literal(*high) +
                         "] is not a finite number: expected ends less than 1.7e308 apart");
        ok = false;
      } else if (base_entry != nullptr && base_category != Category::Number) {
        error(entry, "a range needs a numeric key, but " + holds + "; use values = [...] instead");
        ok = false;
      } else {
        const bool literal_integers = range->get(0)->is_integer() && range->get(1)->is_integer();
        parameter.kind = (base_entry ? base_integer : literal_integers) ? ParameterKind::Integer : ParameterKind::Number;
        if (parameter.kind == ParameterKind::Integer && !literal_integers) {
          error(entry, holds + ", a whole number: expected a range of whole numbers such as [2, 8]");
          ok = false;
        } else if (parameter.kind == ParameterKind::Integer &&
                   (std::fabs(*low) > kMaxExactInteger || std::fabs(*high) > kMaxExactInteger)) {
          error(entry, "a range of whole numbers beyond 2^53 (9007199254740992): expected smaller ends");
          ok = false;
        }
        parameter.has_range = true;
        parameter.low = *low;
        parameter.high = *high;
      }
    } else if (entries.values != nullptr) {
      const DocumentEntry& entry = *entries.values;
      const toml::array* list = entry.value->as_array();
      if (list == nullptr || list->empty()) {
        error(entry, "expected a non-empty array of values, e.g. values = [0.2, 0.5], got " +
                         (list ? std::string("an empty array") : describe(*entry.value)));
        return;
      }
      const Category category = category_of(*list->get(0));
      bool all_integers = true;
      for (const toml::node& item : *list) {
        if (category_of(item) != category || category == Category::Other) {
          error(entry, "values of mixed or unsupported types (" + describe(item) +
                           "): expected all numbers, all booleans or all strings");
          return;
        }
        all_integers = all_integers && item.is_integer();
      }
      if (base_entry != nullptr && base_category != category) {
        error(entry, "values of the wrong type: " + holds + ", got " + std::string(plural(category)) +
                         "; expected " + std::string(plural(base_category)));
        return;
      }
      switch (category) {
        case Category::Number:
          parameter.kind = (base_entry ? base_integer : all_integers) ? ParameterKind::Integer : ParameterKind::Number;
          if (parameter.kind == ParameterKind::Integer && !all_integers) {
            error(entry, "values of the wrong type: " + holds + ", got numbers with a fraction; expected whole numbers");
            return;
          }
          break;
        case Category::Boolean: parameter.kind = ParameterKind::Boolean; break;
        default: parameter.kind = ParameterKind::String; break;
      }
      for (const toml::node& item : *list) {
        SweepValue value;
        switch (parameter.kind) {
          case ParameterKind::Number: value = *number_of(item); break;
          case ParameterKind::Integer: value = item.as_integer()->get(); break;
          case ParameterKind::Boolean: value = item.as_boolean()->get(); break;
          case ParameterKind::String: value = item.as_string()->get(); break;
        }
        if (const double* number = std::get_if<double>(&value); number && !std::isfinite(*number)) {
          error(entry, "expected finite numbers, got " + toml_literal(value));
          return;
        }
        if (std::find(parameter.values.begin(), parameter.values.end(), value) != parameter.values.end()) {
          error(entry, "the value " + toml_literal(value) + " is listed twice");
          return;
        }
        parameter.values.push_back(std::move(value));
      }
    } else if (entries.levels != nullptr) {
      error(*entries.levels, "levels needs a range: " + key + " = { range = [low, high], levels = n }");
      return;
    } else {
      return;  // unreachable: an entry exists
    }

    if (entries.levels != nullptr) {
      if (auto levels = whole(*entries.levels, 2, "a whole number of grid levels >= 2")) {
        if (!parameter.has_range) error(*entries.levels, "levels applies to a range; a list of values is its own levels");
        else parameter.levels = static_cast<std::size_t>(*levels);
      }
    }
    if (ok) spec_.parameters.push_back(std::move(parameter));
    else parameters_ok_ = false;
  }

  // What each design needs, and what it does not take.
  void check_design_needs() {
    if (!design_ok_) return;
    const DesignKind design = spec_.design;
    const std::string design_name(name_of(design));
    const bool sampled = design == DesignKind::LatinHypercube || design == DesignKind::Random ||
                         design == DesignKind::Morris || design == DesignKind::Saltelli;
    if (sampled && samples_entry_ == nullptr)
      error_at_section("sweep.samples", std::string("missing: the number of ") +
                                            (design == DesignKind::Morris     ? "trajectories"
                                             : design == DesignKind::Saltelli ? "base samples"
                                                                              : "samples") +
                                            " of the " + design_name + " design, e.g. samples = 16");
    if (!sampled && samples_entry_ != nullptr)
      error(*samples_entry_, "a " + design_name + " design takes no samples (" +
                                 (design == DesignKind::Grid ? "its size is the product of the levels"
                                                             : "its points are the rows of the file") +
                                 ")");
    if (levels_entry_ != nullptr && design != DesignKind::Morris)
      error(*levels_entry_, "levels applies to a morris design (per-parameter grid levels go under "
                            "[sweep.parameters], e.g. key = { range = [0, 1], levels = 5 })");
    if (design == DesignKind::File && file_entry_ == nullptr)
      error_at_section("sweep.file", "missing: the CSV file of design points, e.g. file = \"points.csv\"");
    if (design != DesignKind::File && file_entry_ != nullptr)
      error(*file_entry_, "file applies to design = \"file\"");
    if (design != DesignKind::Grid && design != DesignKind::File && spec_.parameters.empty() && parameters_ok_)
      error_at_section("sweep.parameters", "a " + design_name +
                                               " design needs at least one parameter under [sweep.parameters], e.g. "
                                               "governments.ISR.china_ties = { range = [0.1, 0.9] }");
    for (const SweepParameter& parameter : spec_.parameters) {
      const std::string key = "sweep.parameters." + parameter.key;
      if (design == DesignKind::Grid && parameter.has_range && parameter.kind == ParameterKind::Number &&
          parameter.levels == 0)
        issues_.push_back({parameter.file, parameter.line, key,
                           "a grid over a range needs its levels: { range = [" + toml_literal(parameter.low) + ", " +
                               toml_literal(parameter.high) + "], levels = 5 }"});
      if (design == DesignKind::Grid && parameter.kind == ParameterKind::Integer && parameter.has_range &&
          parameter.levels == 0 && parameter.high - parameter.low + 1 > kMaxIntegerLevels)
        issues_.push_back({parameter.file, parameter.line, key, "too many whole numbers for a grid; give levels = n"});
      if (design != DesignKind::Grid && parameter.levels != 0)
        issues_.push_back({parameter.file, parameter.line, key, "levels applies to grid designs only"});
    }
    // The size of the sweep, before anything is allocated for it.
    double points = 0;
    const double k = static_cast<double>(spec_.parameters.size());
    const double samples = static_cast<double>(spec_.samples);
    switch (design) {
      case DesignKind::Grid:
        points = 1;
        for (const SweepParameter& parameter : spec_.parameters) points *= static_cast<double>(parameter.grid_size());
        break;
      case DesignKind::LatinHypercube:
      case DesignKind::Random: points = samples; break;
      case DesignKind::Morris: points = samples * (k + 1); break;
      case DesignKind::Saltelli: points = samples * (k + 2); break;
      case DesignKind::File: points = 0; break;
    }
    if (points > static_cast<double>(kMaxDesignPoints))
      error_at_section("sweep", "the design would have " + toml_literal(points) + " points; at most " +
                                    std::to_string(kMaxDesignPoints));
    else if (points * static_cast<double>(spec_.replicates) > static_cast<double>(kMaxRuns))
      error_at_section("sweep", "the sweep would have " + toml_literal(points * static_cast<double>(spec_.replicates)) +
                                    " runs; at most " + std::to_string(kMaxRuns));
  }

  const Document& document_;
  const std::string& top_file_;
  std::vector<ScenarioIssue>& issues_;
  SweepSpec spec_;
  const DocumentEntry* first_ = nullptr;
  const DocumentEntry* samples_entry_ = nullptr;
  const DocumentEntry* levels_entry_ = nullptr;
  const DocumentEntry* file_entry_ = nullptr;
  bool design_ok_ = false;
  bool parameters_ok_ = true;
};

}  // namespace

std::string_view name_of(DesignKind design) {
  return design_names()[static_cast<std::size_t>(design)];
}

const std::vector<std::string>& design_names() {
  static const std::vector<std::string> names = {"grid", "latin_hypercube", "random", "morris", "saltelli", "file"};
  return names;
}

std::string_view name_of(ParameterKind kind) {
  switch (kind) {
    case ParameterKind::Number: return "number";
    case ParameterKind::Integer: return "integer";
    case ParameterKind::Boolean: return "boolean";
    case ParameterKind::String: return "string";
  }
  return "number";
}

std::size_t SweepParameter::grid_size() const {
  if (!values.empty()) return values.size();
  if (levels != 0) return levels;
  if (kind == ParameterKind::Integer) return static_cast<std::size_t>(high - low) + 1;
  return 0;
}

SweepValue SweepParameter::at_unit(double u) const {
  u = std::clamp(u, 0.0, 1.0);
  if (!values.empty()) {
    const auto n = values.size();
    return values[std::min(static_cast<std::size_t>(u * static_cast<double>(n)), n - 1)];
  }
  if (kind == ParameterKind::Integer) {
    const double count = high - low + 1;
    const double offset = std::min(std::floor(u * count), count - 1);
    return static_cast<std::int64_t>(low + offset);
  }
  return low + u * (high - low);
}

std::vector<SweepValue> SweepParameter::grid_values() const {
  if (!values.empty()) return values;
  std::vector<SweepValue> grid;
  if (kind == ParameterKind::Integer && levels == 0) {
    // Counted in whole steps from an integer start: `value += 1` on a double does not move at
    // 1e17 (the spacing of doubles there is 16), and such a loop would never end.
    const std::size_t count = grid_size();
    const auto start = static_cast<std::int64_t>(low);
    grid.reserve(count);
    for (std::size_t i = 0; i < count; ++i) grid.emplace_back(start + static_cast<std::int64_t>(i));
    return grid;
  }
  for (std::size_t i = 0; i < levels; ++i) {
    // The ends exactly: low, then low + i (high - low) / (levels - 1), then high.
    const double fraction = static_cast<double>(i) / static_cast<double>(levels - 1);
    const double value = i + 1 == levels ? high : low + fraction * (high - low);
    if (kind == ParameterKind::Integer) grid.emplace_back(static_cast<std::int64_t>(std::llround(value)));
    else grid.emplace_back(value);
  }
  return grid;
}

bool has_sweep_section(const Document& document) {
  return std::any_of(document.begin(), document.end(), [](const auto& kv) { return kv.second.path[0] == kSection; });
}

SweepSpec read_sweep_spec(const Document& document, const std::string& top_file, std::vector<ScenarioIssue>& issues) {
  return SpecReader(document, top_file, issues).read();
}

std::string toml_literal(const SweepValue& value) {
  if (const double* number = std::get_if<double>(&value)) {
    if (!std::isfinite(*number)) return std::isnan(*number) ? "nan" : (*number > 0 ? "inf" : "-inf");
    // Shortest text that reads back to the same double; TOML floats need a '.' or an exponent.
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, *number);
    std::string text(buffer, result.ptr);
    if (text.find_first_of(".e") == std::string::npos) text += ".0";
    return text;
  }
  if (const auto* integer = std::get_if<std::int64_t>(&value)) return std::to_string(*integer);
  if (const bool* flag = std::get_if<bool>(&value)) return *flag ? "true" : "false";
  std::string quoted = "\"";
  for (const char c : std::get<std::string>(value)) {
    switch (c) {
      case '"': quoted += "\\\""; break;
      case '\\': quoted += "\\\\"; break;
      case '\n': quoted += "\\n"; break;
      case '\t': quoted += "\\t"; break;
      case '\r': quoted += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escape[8];
          std::snprintf(escape, sizeof escape, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          quoted += escape;
        } else {
          quoted += c;
        }
    }
  }
  return quoted + "\"";
}

}  // namespace policysim::sweep
