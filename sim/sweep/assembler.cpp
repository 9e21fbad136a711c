#include "sim/sweep/assembler.hpp"

#include <stdexcept>

#include "sim/output/atomic_file.hpp"
#include "sim/sweep/journal.hpp"
#include "sim/sweep/statistics.hpp"

namespace policysim::sweep {

FileAssembler::FileAssembler(const SweepPlan& plan, const Journal& journal, std::vector<std::uint8_t> journaled,
                             const std::filesystem::path& output, const std::string& command_line,
                             std::function<void(std::size_t, std::span<const SweepRunRecord>)> on_point)
    : plan_(plan), journal_(journal), journaled_(std::move(journaled)), layout_(file_layout(plan, command_line)),
      writer_(output, layout_), owner_(std::this_thread::get_id()), on_point_(std::move(on_point)) {}

void FileAssembler::check_owner() const {
  if (std::this_thread::get_id() != owner_)
    throw std::logic_error("FileAssembler: HDF5 calls from a thread that does not own the file");
}

void FileAssembler::add(SweepRunRecord record) {
  const std::lock_guard lock(mutex_);
  const std::size_t run = record.run;
  waiting_.insert_or_assign(run, std::move(record));
}

void FileAssembler::write_ready() {
  check_owner();
  const std::size_t replicates = plan_.replicates();
  std::vector<SweepRunRecord> records(replicates);
  while (next_point_ < plan_.points()) {
    const std::size_t first = next_point_ * replicates;
    {
      const std::lock_guard lock(mutex_);
      for (std::size_t r = 0; r < replicates; ++r)
        if (!journaled_[first + r] && !waiting_.count(first + r)) return;  // not finished yet
      for (std::size_t r = 0; r < replicates; ++r)
        if (!journaled_[first + r]) records[r] = std::move(waiting_.extract(first + r).mapped());
    }
    for (std::size_t r = 0; r < replicates; ++r) {
      if (journaled_[first + r]) records[r] = journal_.read(first + r);
      if (records[r].status != "ok") ++failed_;
    }
    writer_.write_runs(records);
    writer_.write_statistics(next_point_, point_statistics(records, layout_.metrics.size()));
    if (on_point_) on_point_(next_point_, records);
    ++next_point_;
  }
}

void FileAssembler::commit(bool overwrite) {
  check_owner();
  if (!complete()) throw std::logic_error("FileAssembler::commit before every point is written");
  try {
    writer_.commit(overwrite);
  } catch (const TargetExists& exists) {
    throw SweepInputError(exists.what());  // bad input (exit 2); the journal stays for --resume --force
  }
}

}  // namespace policysim::sweep
