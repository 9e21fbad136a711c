#pragma once
// Every file policysim writes reaches its target whole or not at all: it is written under a
// temporary name beside the target (same folder, so the rename cannot cross file systems) and
// renamed into place once complete. A run that fails or is interrupted leaves no file at the
// target path, only (at worst, after a hard kill) a hidden temporary that a rerun removes.
// The run file, the sweep file, the run summary, compare's file and docs page and the sweep journal all
// go through here. No HDF5 here.
#include <filesystem>
#include <span>
#include <stdexcept>
#include <string_view>

namespace policysim {

class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A target that exists and may not be overwritten (no --force), found only when moving into
// place: another process wrote it while this one ran. The caller reports it as bad input.
class TargetExists : public OutputError {
 public:
  using OutputError::OutputError;
};

// ".<name><marker><pid>" beside `target` (e.g. ".run.h5.partial-4242"); the sweep's resume removes
// leftovers by this prefix. `unique` appends "-<n>", a counter of this process, for callers that may
// write the same target from several threads (the journal).
std::filesystem::path temporary_path_for(const std::filesystem::path& target, std::string_view marker = ".partial-",
                                         bool unique = false);

// The folder a target will be written in ("." for a bare file name); throws OutputError when it
// does not exist or is not a folder, or when the target names a folder.
std::filesystem::path output_folder_of(const std::filesystem::path& target);

// Renames a complete temporary file onto `target`; on failure removes the temporary and throws
// OutputError.
void move_into_place(const std::filesystem::path& temporary, const std::filesystem::path& target);

// Removes the temporaries of `target` that an interrupted write left (by the prefix
// ".<name><marker><pid>"), but only those of a process that is gone (kill(pid, 0) says ESRCH) and
// older than this process: a temporary of a run still going, here or in another process, stays.
// Never throws.
void remove_temporaries_of(const std::filesystem::path& target, std::string_view marker = ".partial-");

// One complete temporary file and the target it becomes.
struct PendingFile {
  std::filesystem::path temporary;
  std::filesystem::path target;
};

// Moves every temporary onto its target, as one: if one move fails, the targets already moved
// are removed again and every temporary is removed, then OutputError is thrown (TargetExists when
// a target appeared although `overwrite` is false). Without `overwrite`, an existing target is
// never replaced, even one another process created a moment ago (renameat2 RENAME_NOREPLACE, or
// link(2) and unlink where the file system lacks it: both fail on an existing name).
void move_all_into_place(std::span<const PendingFile> files, bool overwrite);

// Writes `bytes` to a new temporary file beside `target` and returns its path (for
// move_all_into_place). Throws OutputError (nothing left) when it cannot.
std::filesystem::path write_temporary_file(const std::filesystem::path& target, std::string_view bytes,
                                           std::string_view marker = ".partial-");

// Writes `bytes` to a temporary file beside `target` and moves it into place. Throws OutputError
// (the temporary removed) when it cannot.
void write_file_atomically(const std::filesystem::path& target, std::string_view bytes,
                           std::string_view marker = ".partial-");

}  // namespace policysim
