#include "sim/cli/command.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

#include <omp.h>

#include "sim/model/thread_team.hpp"
#include "sim/output/atomic_file.hpp"

namespace po = boost::program_options;

namespace policysim::cli {

po::variables_map parse_options(const Invocation& invocation, const po::options_description& options,
                                const po::positional_options_description& positional) {
  po::variables_map values;
  try {
    po::store(po::command_line_parser(invocation.arguments).options(options).positional(positional).run(), values);
    po::notify(values);
  } catch (const po::required_option& error) {
    if (error.get_option_name() == "--scenario") throw UsageError("missing the scenario FILE");
    throw UsageError(error.what());
  } catch (const po::error& error) {
    throw UsageError(error.what());
  }
  return values;
}

void apply_threads_option(const po::variables_map& values) {
  if (values.count("threads")) {
    const int threads = values["threads"].as<int>();
    if (threads < 1) throw UsageError("--threads: expected a whole number >= 1, got " + std::to_string(threads));
    omp_set_num_threads(threads);
  }
  start_thread_team();
}

bool print_help_if_asked(const Invocation& invocation, std::string_view about, const po::options_description& options) {
  for (const auto& argument : invocation.arguments)
    if (argument == "--help" || argument == "-h") {
      std::cout << about << "\n\n" << options;
      return true;
    }
  return false;
}

void add_scenario_options(po::options_description& options, po::positional_options_description& positional) {
  options.add_options()
      ("scenario", po::value<std::string>()->required()->value_name("FILE"), "scenario file (TOML)")
      ("set", po::value<std::vector<std::string>>()->composing()->value_name("KEY=VALUE"),
       "override one value, e.g. --set events.abe_exit.period=2019Q1 (repeatable)");
  positional.add("scenario", 1);
}

// Bad output paths are bad input (exit 2, as for `sweep`), found before anything runs: an empty
// path, a folder, a missing or read-only folder, an existing file without --force.
void check_output_path(const std::filesystem::path& path, const std::string& what, bool force) {
  if (path.empty() || !path.has_filename())
    throw UsageError(what + ": expected a file name, got \"" + path.string() + "\"");
  const std::filesystem::path folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::error_code error;
  const auto folder_status = std::filesystem::status(folder, error);
  if (!std::filesystem::exists(folder_status)) throw UsageError(what + ": folder " + folder.string() + " does not exist");
  if (!std::filesystem::is_directory(folder_status)) throw UsageError(what + ": " + folder.string() + " is not a folder");
  const auto status = std::filesystem::symlink_status(path, error);
  if (std::filesystem::is_directory(std::filesystem::status(path, error)))
    throw UsageError(what + ": " + path.string() + " is a folder; expected a file name");
  if (std::filesystem::exists(status) && !force)
    throw UsageError(what + " " + path.string() + " exists; use --force to overwrite it or --out to choose another");
  // Can a file be created there (a read-only folder or file system, no permission)? Try it.
  const std::filesystem::path probe = temporary_path_for(path, ".probe-", true);
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) throw UsageError(what + ": cannot create files in " + folder.string() + ": " + std::strerror(errno));
  ::close(fd);
  ::unlink(probe.c_str());
}

}  // namespace policysim::cli
