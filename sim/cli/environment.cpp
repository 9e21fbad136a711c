#include "sim/cli/environment.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "sim/model/huge_pages.hpp"

namespace policysim::cli {
namespace {

std::string named(const char* variable, const char* value) {
  return std::string("environment variable ") + variable + "='" + value + "'";
}

// A number of seconds, written whole (no trailing text), finite and not negative.
bool is_seconds(const char* value) {
  char* end = nullptr;
  errno = 0;
  const double seconds = std::strtod(value, &end);
  return end != value && *end == '\0' && errno == 0 && std::isfinite(seconds) && seconds >= 0.0;
}

// A variable set to a value (an empty one counts as unset, as for the MPI launchers' variables).
const char* set_value(const char* variable) {
  const char* const value = std::getenv(variable);
  return value != nullptr && *value != '\0' ? value : nullptr;
}

}  // namespace

std::optional<std::string> environment_problem() {
  // The huge-page advice of large arrays (sim/model/huge_pages.hpp; README).
  if (const char* value = set_value(kHugePagesVariable); value != nullptr && !huge_pages_setting(value))
    return named(kHugePagesVariable, value) +
           " is not a setting: expected 0, off, no or false (no huge pages) or 1, on, yes or true (the default)";
  if (const char* value = set_value(kProgressAfterVariable); value != nullptr && !is_seconds(value))
    return named(kProgressAfterVariable, value) +
           " is not a number of seconds: expected a number >= 0 such as 2 or 0.5";
  return std::nullopt;
}

std::optional<double> progress_after_seconds() {
  if (const char* value = set_value(kProgressAfterVariable); value != nullptr) return std::strtod(value, nullptr);
  return std::nullopt;
}

}  // namespace policysim::cli
