#pragma once
// Shared pieces of the sub-commands: exit codes, usage errors, option parsing.
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

namespace policysim::cli {

// Exit codes, as for any Unix tool.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;   // something went wrong while running
inline constexpr int kExitBadInput = 2;  // bad command line, scenario or file

// A bad command line: printed as "policysim <command>: <message>" with a pointer to --help.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Invocation {
  std::string program;                // argv[0]
  std::string command;                // "run", "validate", ...
  std::vector<std::string> arguments; // after the command
  std::string command_line;           // the whole line, shell-quoted, for provenance
};

// Parses `arguments` against `options` (+ positional), throwing UsageError on any problem.
boost::program_options::variables_map parse_options(const Invocation& invocation,
                                                    const boost::program_options::options_description& options,
                                                    const boost::program_options::positional_options_description& positional);

// When --help or -h is among the arguments: prints `about` and the options, and returns true.
bool print_help_if_asked(const Invocation& invocation, std::string_view about,
                         const boost::program_options::options_description& options);

// Options shared by commands that read a scenario: FILE and --set.
void add_scenario_options(boost::program_options::options_description& options,
                          boost::program_options::positional_options_description& positional);

// The command's --threads N (a whole number >= 1, else UsageError), where given, as the OpenMP
// threads of its regions (it overrides OMP_NUM_THREADS); then the threads started ahead of the first
// region (start_thread_team, sim/model/thread_team.hpp). Call before any work.
void apply_threads_option(const boost::program_options::variables_map& values);

// Checks, before any work, that a file can be written at `path` (`what` names it in messages):
// a file name, in a folder that exists and takes new files, not a folder itself, and not an
// existing file unless `force`. Throws UsageError (exit 2).
void check_output_path(const std::filesystem::path& path, const std::string& what, bool force);

int run_command(const Invocation& invocation);
int validate_command(const Invocation& invocation);
int show_command(const Invocation& invocation);
int describe_command(const Invocation& invocation);
int sweep_command(const Invocation& invocation);
int calibrate_command(const Invocation& invocation);
int compare_command(const Invocation& invocation);
int estimate_command(const Invocation& invocation);
int explain_command(const Invocation& invocation);
int score_command(const Invocation& invocation);

}  // namespace policysim::cli
