#include "sim/output/atomic_file.hpp"

#include <fcntl.h>
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

void remove_temporaries_of(const fs::path& target, std::string_view marker) {
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  const std::string prefix = "." + target.filename().string() + std::string(marker);
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(folder, error))
    if (entry.path().filename().string().starts_with(prefix)) fs::remove(entry.path(), error);
}

void write_file_atomically(const fs::path& target, std::string_view bytes, std::string_view marker) {
  const fs::path temporary = temporary_path_for(target, marker, true);
  // Plain POSIX calls: the sweep journal writes one record per run, and every microsecond counts
  // against small runs (bench/README.md).
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw OutputError("cannot create " + temporary.string() + ": " + std::strerror(errno));
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t step = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (step < 0 && errno == EINTR) continue;
    if (step <= 0) {
      const std::string reason = std::strerror(errno);
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
  move_into_place(temporary, target);
}

}  // namespace policysim
