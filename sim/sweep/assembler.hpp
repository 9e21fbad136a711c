#pragma once
// Builds a sweep's HDF5 file point by point while the runs go on: a point is written as soon as
// all its replicates are finished (records of this session, handed over in memory; runs of an
// earlier session, read back from the journal). So the file costs little time after the last
// run, and it is the same file whatever the order in which runs finish. The file is written
// under a temporary name and renamed into place by commit(); without commit() it is deleted.
//
// HDF5 is not thread-safe here: only the thread that made the assembler may call write_ready()
// and commit(). add() may be called from any thread.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "sim/output/sweep_file.hpp"
#include "sim/sweep/journal.hpp"
#include "sim/sweep/plan.hpp"

namespace policysim::sweep {

class FileAssembler {
 public:
  // `journaled` marks the runs to be read from `journal` (finished before this session).
  FileAssembler(const SweepPlan& plan, const Journal& journal, std::vector<std::uint8_t> journaled,
                const std::filesystem::path& output, const std::string& command_line,
                std::function<void(std::size_t, std::span<const SweepRunRecord>)> on_point = {});

  void add(SweepRunRecord record);  // thread-safe
  void write_ready();               // writes every point whose runs are all there, in order
  bool complete() const { return next_point_ == plan_.points(); }
  std::size_t failed() const { return failed_; }  // failed runs written so far
  void commit(bool overwrite = true);  // every point must be written; see SweepFileWriter::commit

 private:
  void check_owner() const;
  const SweepPlan& plan_;
  const Journal& journal_;
  std::vector<std::uint8_t> journaled_;
  SweepFileLayout layout_;
  SweepFileWriter writer_;
  std::thread::id owner_;
  std::mutex mutex_;
  std::map<std::size_t, SweepRunRecord> waiting_;  // finished in this session, not yet written
  std::size_t next_point_ = 0;
  std::size_t failed_ = 0;
  std::function<void(std::size_t, std::span<const SweepRunRecord>)> on_point_;
};

}  // namespace policysim::sweep
