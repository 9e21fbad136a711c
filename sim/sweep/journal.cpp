#include "sim/sweep/journal.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "sim/output/atomic_file.hpp"

namespace policysim::sweep {
namespace fs = std::filesystem;
namespace {

// Version 2 adds the checksum: a record from an older journal is dropped and its run done again.
constexpr std::string_view kMagic = "PSWEEP02";
constexpr std::string_view kTrailer = "END.";
constexpr std::string_view kSpecFile = "spec.txt";
constexpr std::string_view kLockFile = "lock";
constexpr std::string_view kTemporaryMarker = ".tmp-";
// Tests set this to a file to which every run written to the journal appends its index, so that
// they can check that no run is done twice across interruptions and --resume.
constexpr const char* kTraceVariable = "POLICYSIM_SWEEP_JOURNAL_TRACE";

class Writer {
 public:
  template <class T>
  void put(const T& value) {
    bytes.append(reinterpret_cast<const char*>(&value), sizeof value);
  }
  void put_text(std::string_view text) {
    put<std::uint64_t>(text.size());
    bytes.append(text);
  }
  void put_array(const std::vector<double>& values) {
    put<std::uint64_t>(values.size());
    bytes.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(double));
  }
  std::string bytes;
};

class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  template <class T>
  bool get(T& value) {
    if (bytes_.size() - position_ < sizeof value) return false;
    std::memcpy(&value, bytes_.data() + position_, sizeof value);
    position_ += sizeof value;
    return true;
  }
  bool get_text(std::string& text) {
    std::uint64_t size = 0;
    if (!get(size) || bytes_.size() - position_ < size) return false;
    text.assign(bytes_.data() + position_, size);
    position_ += size;
    return true;
  }
  bool get_array(std::vector<double>& values) {
    std::uint64_t size = 0;
    if (!get(size) || (bytes_.size() - position_) / sizeof(double) < size) return false;
    values.resize(size);
    // An empty vector's data() may be null, and memcpy from or to null is undefined even for zero
    // bytes (C11 7.24.1; UBSan's nonnull-attribute check caught it on a record with no ties).
    if (size > 0) std::memcpy(values.data(), bytes_.data() + position_, size * sizeof(double));
    position_ += size * sizeof(double);
    return true;
  }
  bool expect(std::string_view text) {
    if (bytes_.substr(position_, text.size()) != text) return false;
    position_ += text.size();
    return true;
  }
  bool at_end() const { return position_ == bytes_.size(); }

 private:
  std::string_view bytes_;
  std::size_t position_ = 0;
};

// FNV-1a, 64 bits, over a record's bytes (Fowler, Noll and Vo; the parameters of
// http://www.isthe.com/chongo/tech/comp/fnv/): any flipped byte changes it, so a damaged record
// is found on --resume and its run done again instead of read back wrong.
std::uint64_t fnv1a64(std::string_view bytes) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

// The run a record's file name says, or nothing for a name that is not "run-<digits>.bin".
std::optional<std::size_t> run_of_name(const std::string& name) {
  if (!name.starts_with("run-") || !name.ends_with(".bin")) return std::nullopt;
  const std::string digits = name.substr(4, name.size() - 8);
  if (digits.empty() || digits.size() > 18 || digits.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return static_cast<std::size_t>(std::stoull(digits));
}

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Writes `bytes` to `target` through a temporary file in the same folder and a rename; the
// temporary's marker lets a resume recognise and remove leftovers.
void write_atomically(const fs::path& target, std::string_view bytes) {
  write_file_atomically(target, bytes, kTemporaryMarker);
}

void trace(std::size_t run) {
  const char* path = std::getenv(kTraceVariable);
  if (path == nullptr || *path == '\0') return;
  const int fd = ::open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd < 0) return;
  const std::string line = std::to_string(run) + "\n";
  [[maybe_unused]] const auto written = ::write(fd, line.data(), line.size());  // one small append: atomic
  ::close(fd);
}

// A line of spec.txt as it may go to a terminal: a damaged journal could hold escape sequences,
// so control bytes, DEL and bytes >= 0x80 are shown as \xNN, and a long line is cut at 200 bytes.
std::string printable(std::string_view line) {
  constexpr std::size_t kMaxShown = 200;
  std::string shown;
  for (std::size_t i = 0; i < line.size() && i < kMaxShown; ++i) {
    const auto byte = static_cast<unsigned char>(line[i]);
    if (byte >= 0x20 && byte < 0x7f) {
      shown += static_cast<char>(byte);
    } else {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\x%02x", byte);
      shown += escape;
    }
  }
  if (line.size() > kMaxShown) shown += "...";
  return shown;
}

// "line 12: journal has `x`, this sweep has `y`" for the first line that differs.
std::string first_difference(const std::string& journal, const std::string& now) {
  std::istringstream a(journal), b(now);
  std::string line_a, line_b;
  for (int line = 1;; ++line) {
    const bool more_a = static_cast<bool>(std::getline(a, line_a));
    const bool more_b = static_cast<bool>(std::getline(b, line_b));
    if (!more_a && !more_b) return "the journal's spec differs";
    if (!more_a) line_a = "(end)";
    if (!more_b) line_b = "(end)";
    if (line_a != line_b)
      return "first difference at line " + std::to_string(line) + " of spec.txt: the journal has `" +
             printable(line_a) + "`, this sweep has `" + printable(line_b) + "`";
  }
}

}  // namespace

std::string serialize_record(const SweepRunRecord& record, std::string_view hash) {
  Writer out;
  out.bytes.append(kMagic);
  out.put_text(hash);
  out.put(record.run);
  out.put(record.point);
  out.put(record.replicate);
  out.put(record.seed);
  out.put(record.wall_seconds);
  out.put_text(record.status);
  out.put<std::uint64_t>(record.metrics.size());
  for (const auto& values : record.metrics) out.put_array(values);
  out.put<std::uint64_t>(record.ties.size());
  for (const auto& values : record.ties) out.put_array(values);
  out.bytes.append(kTrailer);
  out.put(fnv1a64(out.bytes));
  return std::move(out.bytes);
}

std::optional<SweepRunRecord> deserialize_record(std::string_view bytes, std::string_view hash) {
  std::uint64_t checksum = 0;
  if (bytes.size() < sizeof checksum) return std::nullopt;
  std::memcpy(&checksum, bytes.data() + bytes.size() - sizeof checksum, sizeof checksum);
  bytes.remove_suffix(sizeof checksum);
  if (fnv1a64(bytes) != checksum) return std::nullopt;
  Reader in(bytes);
  SweepRunRecord record;
  std::string stored_hash;
  std::uint64_t count = 0;
  if (!in.expect(kMagic) || !in.get_text(stored_hash) || stored_hash != hash) return std::nullopt;
  if (!in.get(record.run) || !in.get(record.point) || !in.get(record.replicate) || !in.get(record.seed) ||
      !in.get(record.wall_seconds) || !in.get_text(record.status) || !in.get(count) || count > 1024)
    return std::nullopt;
  record.metrics.resize(count);
  for (auto& values : record.metrics)
    if (!in.get_array(values)) return std::nullopt;
  if (!in.get(count) || count > 1024) return std::nullopt;
  record.ties.resize(count);
  for (auto& values : record.ties)
    if (!in.get_array(values)) return std::nullopt;
  if (!in.expect(kTrailer) || !in.at_end()) return std::nullopt;
  return record;
}

fs::path Journal::folder_for(const fs::path& output) {
  return output.parent_path() / (output.filename().string() + ".journal");
}

Journal::Journal(fs::path folder, const std::string& canonical, std::string hash, bool resume)
    : folder_(std::move(folder)), hash_(std::move(hash)) {
  std::error_code error;
  const bool exists = fs::exists(folder_, error);
  if (exists && !fs::is_directory(folder_, error))
    throw SweepInputError(folder_.string() + " is in the way of the sweep's journal (a folder); move it");
  if (exists && !resume)
    throw SweepInputError("the journal of an interrupted sweep is in " + folder_.string() +
                          ": continue that sweep with --resume, or delete the folder to start again");
  fs::create_directories(folder_, error);
  if (error) throw SweepInputError("cannot create the journal folder " + folder_.string() + ": " + error.message());

  const fs::path lock_path = folder_ / kLockFile;
  lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT, 0644);
  if (lock_fd_ < 0) throw SweepInputError("cannot open " + lock_path.string() + ": " + std::strerror(errno));
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(lock_fd_);
    lock_fd_ = -1;
    throw SweepInputError("another sweep is using the journal " + folder_.string() + " (it is locked)");
  }

  const fs::path spec_path = folder_ / kSpecFile;
  const bool has_spec = fs::exists(spec_path, error);
  if (has_spec) {
    const std::string stored = read_all(spec_path);
    if (stored != canonical) {
      ::close(lock_fd_);
      lock_fd_ = -1;
      throw SweepInputError("cannot resume: the sweep or its scenario changed since the journal " + folder_.string() +
                            " was started (" + first_difference(stored, canonical) +
                            "); run it with the original files, or delete the journal to start again");
    }
  } else {
    write_atomically(spec_path, canonical);
  }

  // Leftovers of an interrupted write, and records that are not whole records of this spec.
  for (const auto& entry : fs::directory_iterator(folder_)) {
    const std::string name = entry.path().filename().string();
    if (name.find(kTemporaryMarker) != std::string::npos) {
      fs::remove(entry.path(), error);
    } else if (name.starts_with("run-") && name.ends_with(".bin")) {
      // A record must be whole (its checksum), of this spec, and of the run its name says (a
      // record copied or renamed onto another run's name would otherwise stand in for it).
      const auto named_run = run_of_name(name);
      const auto record = deserialize_record(read_all(entry.path()), hash_);
      if (!named_run || !record || record->run != *named_run) {
        fs::remove(entry.path(), error);
        ++dropped_;
      }
    }
  }
}

Journal::~Journal() {
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

fs::path Journal::run_path(std::size_t run) const {
  char name[32];
  std::snprintf(name, sizeof name, "run-%09zu.bin", run);
  return folder_ / name;
}

std::vector<std::uint8_t> Journal::finished(std::size_t runs) const {
  std::vector<std::uint8_t> done(runs, 0);
  for (const auto& entry : fs::directory_iterator(folder_)) {
    const auto run = run_of_name(entry.path().filename().string());
    if (run && *run < runs) done[*run] = 1;
  }
  return done;
}

void Journal::write(const SweepRunRecord& record) const {
  write_bytes(record.run, serialize_record(record, hash_));
}

void Journal::write_bytes(std::size_t run, std::string_view bytes) const {
  write_atomically(run_path(run), bytes);
  trace(run);
}

SweepRunRecord Journal::read(std::size_t run) const {
  auto record = deserialize_record(read_all(run_path(run)), hash_);
  if (!record || record->run != run)
    throw std::runtime_error("the journal's record of run " + std::to_string(run) + " (" + run_path(run).string() +
                             ") is missing or damaged; run the sweep again with --resume");
  return std::move(*record);
}

void Journal::remove() {
  if (lock_fd_ >= 0) ::close(lock_fd_);
  lock_fd_ = -1;
  std::error_code ignored;
  fs::remove_all(folder_, ignored);
}

}  // namespace policysim::sweep
