#pragma once
// Every file policysim writes reaches its target whole or not at all: it is written under a
// temporary name beside the target (same folder, so the rename cannot cross file systems) and
// renamed into place once complete. A run that fails or is interrupted leaves no file at the
// target path, only (at worst, after a hard kill) a hidden temporary that a rerun removes.
// The run file, the sweep file, the run summary, compare's markdown and the sweep journal all
// go through here. No HDF5 here.
#include <filesystem>
#include <stdexcept>
#include <string_view>

namespace policysim {

class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
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

// Removes the temporaries of `target` that an interrupted write left (any process's, by the
// prefix ".<name><marker>"); never throws.
void remove_temporaries_of(const std::filesystem::path& target, std::string_view marker = ".partial-");

// Writes `bytes` to a temporary file beside `target` and moves it into place. Throws OutputError
// (the temporary removed) when it cannot.
void write_file_atomically(const std::filesystem::path& target, std::string_view bytes,
                           std::string_view marker = ".partial-");

}  // namespace policysim
