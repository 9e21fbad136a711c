#pragma once
// policysim's own environment variables, checked once before any command runs: a value that is no
// setting (a typo such as POLICYSIM_HUGE_PAGES=offf) is bad input (exit 2) naming the variable, its
// value and what it may be, rather than silently read as something else.
#include <optional>
#include <string>

namespace policysim::cli {

// The first of policysim's environment variables whose value is no setting, as the message the
// command line prints; nullopt when all are unset or valid. Reads the process's environment.
std::optional<std::string> environment_problem();

// When `run` starts showing its progress (run_command.cpp, RunProgress; the CLI tests set 0).
inline constexpr const char* kProgressAfterVariable = "POLICYSIM_PROGRESS_AFTER";

// The value of POLICYSIM_PROGRESS_AFTER in seconds; nullopt when it is unset or empty. Read after
// environment_problem() has accepted it (a number of seconds >= 0).
std::optional<double> progress_after_seconds();

}  // namespace policysim::cli
