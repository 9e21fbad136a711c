#pragma once
// The journal of a sweep: one small file per finished run, in a folder beside the output
// (`<out>.journal/run-000000123.bin`), each written under a temporary name and renamed into
// place, so a run is either wholly in the journal or not at all, whenever the process dies.
// `spec.txt` holds the text that decides the results (SweepPlan::canonical); --resume refuses
// a journal whose spec differs. The folder is locked (flock) while a sweep uses it.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sim/output/sweep_file.hpp"

namespace policysim::sweep {

// A problem with the command's files that the user must settle (exit status 2).
class SweepInputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A run record as bytes (and back): a header with the spec hash, the run's identity and
// status, the metric arrays, and a trailer; `nullopt` for bytes that are not a whole record
// of this spec.
std::string serialize_record(const SweepRunRecord& record, std::string_view hash);
std::optional<SweepRunRecord> deserialize_record(std::string_view bytes, std::string_view hash);

class Journal {
 public:
  static std::filesystem::path folder_for(const std::filesystem::path& output);

  // Starts a journal (resume = false: the folder must not exist) or continues one (its spec
  // must be `canonical`). Throws SweepInputError.
  Journal(std::filesystem::path folder, const std::string& canonical, std::string hash, bool resume);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  const std::filesystem::path& folder() const { return folder_; }
  // Which of `runs` runs are in the journal (whole records of this spec).
  std::vector<std::uint8_t> finished(std::size_t runs) const;
  std::size_t dropped() const { return dropped_; }  // unreadable records removed on resume

  // Thread-safe: each run has its own file.
  void write(const SweepRunRecord& record) const;
  void write_bytes(std::size_t run, std::string_view bytes) const;
  SweepRunRecord read(std::size_t run) const;
  // Deletes the journal (after the output file is in place).
  void remove();

 private:
  std::filesystem::path run_path(std::size_t run) const;
  std::filesystem::path folder_;
  std::string hash_;
  int lock_fd_ = -1;
  std::size_t dropped_ = 0;
};

}  // namespace policysim::sweep
