#include "sim/output/atomic_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <system_error>

namespace policysim {
namespace fs = std::filesystem;

fs::path temporary_path_for(const fs::path& target, std::string_view marker, bool unique) {
  static std::atomic<std::uint64_t> counter{0};
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string name = "." + target.filename().string() + std::string(marker) + std::to_string(::getpid());
  if (unique) name += "-" + std::to_string(counter.fetch_add(1));
  return folder / name;
}

fs::path output_folder_of(const fs::path& target) {
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  const std::string context = target.string() + ": cannot create the output file: ";
  std::error_code error;
  if (!fs::exists(folder, error)) throw OutputError(context + "folder " + folder.string() + " does not exist");
  if (!fs::is_directory(folder, error)) throw OutputError(context + folder.string() + " is not a folder");
  if (!target.has_filename() || fs::is_directory(target, error)) throw OutputError(context + "the path names a folder");
  return folder;
}

void move_into_place(const fs::path& temporary, const fs::path& target) {
  std::error_code error;
  fs::rename(temporary, target, error);
  if (error) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    throw OutputError("cannot move " + temporary.string() + " into place: " + error.message());
  }
}

namespace {

// When this process started (static initialisation): temporaries newer than this may belong to
// a run that started after it, in a process whose id was reused.
const fs::file_time_type process_started = fs::file_time_type::clock::now();

bool process_is_gone(const std::string& digits) {
  if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) return false;
  const auto pid = static_cast<pid_t>(std::stol(digits));
  if (pid <= 0 || pid == ::getpid()) return false;
  return ::kill(pid, 0) != 0 && errno == ESRCH;
}

// Moves one temporary onto its target; returns 0 or an errno value.
int move_one(const fs::path& temporary, const fs::path& target, bool overwrite) {
  if (overwrite) return ::rename(temporary.c_str(), target.c_str()) == 0 ? 0 : errno;
  if (::renameat2(AT_FDCWD, temporary.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) return errno;
  // No RENAME_NOREPLACE here: link(2) fails with EEXIST on an existing name just as well.
  if (::link(temporary.c_str(), target.c_str()) != 0) return errno;
  ::unlink(temporary.c_str());
  return 0;
}

}  // namespace

void remove_temporaries_of(const fs::path& target, std::string_view marker) {
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  const std::string prefix = "." + target.filename().string() + std::string(marker);
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with(prefix)) continue;
    const std::string rest = name.substr(prefix.size());
    if (!process_is_gone(rest.substr(0, rest.find('-')))) continue;
    std::error_code ignored;
    const auto written = fs::last_write_time(entry.path(), ignored);
    if (ignored || written >= process_started) continue;
    fs::remove(entry.path(), ignored);
  }
}

void move_all_into_place(std::span<const PendingFile> files, bool overwrite) {
  std::size_t moved = 0;
  int failure = 0;
  for (; moved < files.size(); ++moved)
    if ((failure = move_one(files[moved].temporary, files[moved].target, overwrite)) != 0) break;
  if (failure == 0) return;
  const PendingFile& failed = files[moved];
  for (std::size_t i = 0; i < moved; ++i) ::unlink(files[i].target.c_str());
  for (std::size_t i = moved; i < files.size(); ++i) ::unlink(files[i].temporary.c_str());
  if (failure == EEXIST && !overwrite)
    throw TargetExists(failed.target.string() + " exists (another process wrote it meanwhile); use --force to overwrite it");
  if (failure == EISDIR || failure == ENOTEMPTY || failure == EEXIST)
    throw OutputError("cannot move " + failed.temporary.string() + " into place as " + failed.target.string() +
                      ": a folder of that name is in the way");
  throw OutputError("cannot move " + failed.temporary.string() + " into place as " + failed.target.string() + ": " +
                    std::strerror(failure));
}

fs::path write_temporary_file(const fs::path& target, std::string_view bytes, std::string_view marker) {
  const fs::path temporary = temporary_path_for(target, marker, true);
  // Plain POSIX calls: the sweep journal writes one record per run, and every microsecond counts
  // against small runs (bench/README.md).
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) throw OutputError("cannot create " + temporary.string() + ": " + std::strerror(errno));
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t step = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (step < 0 && errno == EINTR) continue;
    if (step <= 0) {
      const std::string reason = step == 0 ? "no space written" : std::strerror(errno);
      ::close(fd);
      ::unlink(temporary.c_str());
      throw OutputError("cannot write " + temporary.string() + ": " + reason);
    }
    written += static_cast<std::size_t>(step);
  }
  if (::close(fd) != 0) {
    const std::string reason = std::strerror(errno);
    ::unlink(temporary.c_str());
    throw OutputError("cannot write " + temporary.string() + ": " + reason);
  }
  return temporary;
}

void write_file_atomically(const fs::path& target, std::string_view bytes, std::string_view marker) {
  move_into_place(write_temporary_file(target, bytes, marker), target);
}

}  // namespace policysim
