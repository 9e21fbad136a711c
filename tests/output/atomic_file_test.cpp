// The output core's commit of several files as one (sim/output/atomic_file.hpp): all land or none,
// an existing target is never replaced without overwrite, and leftovers of dead processes only
// are removed.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "sim/output/atomic_file.hpp"
#include "tests/support/scenario_files.hpp"

namespace fs = std::filesystem;
using policysim::move_all_into_place;
using policysim::OutputError;
using policysim::PendingFile;
using policysim::TargetExists;
using policysim::write_temporary_file;

namespace {

std::string read(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> names_in(const fs::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_CASE("atomic_file: two files land together", "[output][atomic]") {
  policysim::testing::ScenarioFolder folder;
  const fs::path h5 = folder.path() / "s.h5", summary = folder.path() / "s.summary.txt";
  const std::vector<PendingFile> files = {{write_temporary_file(h5, "data"), h5},
                                          {write_temporary_file(summary, "summary"), summary}};
  move_all_into_place(files, false);
  CHECK(read(h5) == "data");
  CHECK(read(summary) == "summary");
  CHECK(names_in(folder.path()) == std::vector<std::string>{"s.h5", "s.summary.txt"});
}

TEST_CASE("atomic_file: when the second file cannot land, the first is removed again", "[output][atomic]") {
  policysim::testing::ScenarioFolder folder;
  const fs::path h5 = folder.path() / "s.h5", summary = folder.path() / "s.summary.txt";
  fs::create_directory(summary);  // a folder in the summary's way
  fs::create_directory(summary / "inside");  // not empty: rename(2) cannot replace it
  const std::vector<PendingFile> files = {{write_temporary_file(h5, "data"), h5},
                                          {write_temporary_file(summary, "summary"), summary}};
  CHECK_THROWS_AS(move_all_into_place(files, true), OutputError);
  CHECK_FALSE(fs::exists(h5));
  CHECK(names_in(folder.path()) == std::vector<std::string>{"s.summary.txt"});  // only the folder, no temporary
}

TEST_CASE("atomic_file: without overwrite an existing target is kept and nothing lands", "[output][atomic]") {
  policysim::testing::ScenarioFolder folder;
  const fs::path h5 = folder.path() / "s.h5", summary = folder.path() / "s.summary.txt";
  std::ofstream(summary) << "another run's";  // appeared while this run ran
  const std::vector<PendingFile> files = {{write_temporary_file(h5, "data"), h5},
                                          {write_temporary_file(summary, "summary"), summary}};
  CHECK_THROWS_AS(move_all_into_place(files, false), TargetExists);
  CHECK_FALSE(fs::exists(h5));
  CHECK(read(summary) == "another run's");
  CHECK(names_in(folder.path()) == std::vector<std::string>{"s.summary.txt"});
  // With overwrite both land.
  const std::vector<PendingFile> again = {{write_temporary_file(h5, "data"), h5},
                                          {write_temporary_file(summary, "summary"), summary}};
  move_all_into_place(again, true);
  CHECK(read(summary) == "summary");
  CHECK(read(h5) == "data");
}

TEST_CASE("atomic_file: leftovers of a dead process older than this one are removed, others kept", "[output][atomic]") {
  policysim::testing::ScenarioFolder folder;
  const fs::path target = folder.path() / "s.h5";
  const pid_t dead = fork();
  if (dead == 0) _exit(0);
  waitpid(dead, nullptr, 0);
  const auto old = fs::file_time_type::clock::now() - std::chrono::hours(1);
  const fs::path stale = folder.path() / (".s.h5.partial-" + std::to_string(dead) + "-0");
  const fs::path fresh = folder.path() / (".s.h5.partial-" + std::to_string(dead) + "-1");
  const fs::path live = folder.path() / (".s.h5.partial-" + std::to_string(getppid()) + "-0");
  const fs::path mine = folder.path() / (".s.h5.partial-" + std::to_string(getpid()) + "-0");
  for (const auto& path : {stale, fresh, live, mine}) std::ofstream(path) << "x";
  for (const auto& path : {stale, live, mine}) fs::last_write_time(path, old);
  fs::last_write_time(fresh, fs::file_time_type::clock::now() + std::chrono::hours(1));  // newer than this run
  policysim::remove_temporaries_of(target);
  CHECK_FALSE(fs::exists(stale));
  CHECK(fs::exists(fresh));
  CHECK(fs::exists(live));
  CHECK(fs::exists(mine));
}
