#include "fuzz_support.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <system_error>

#ifndef POLICYSIM_SOURCE_DIR
#error "POLICYSIM_SOURCE_DIR must name the source tree (tests/fuzz/CMakeLists.txt sets it)"
#endif

namespace policysim::fuzz {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kSetPrefix = "#set ";
constexpr std::string_view kCsvMarker = "#csv";

fs::path g_root;  // <tmp>, removed at exit
volatile std::size_t g_kept = 0;

void remove_root() {
  std::error_code ignored;
  if (!g_root.empty()) fs::remove_all(g_root, ignored);
}

// Links every *.toml of `from` into `into`; the first file of a name wins.
void link_files(const fs::path& from, const fs::path& into) {
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(from, error)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".toml") continue;
    const fs::path link = into / entry.path().filename();
    if (!fs::exists(fs::symlink_status(link))) fs::create_symlink(entry.path(), link);
  }
  if (error) throw std::runtime_error("fuzz: cannot list " + from.string() + ": " + error.message());
}

void write_file(const fs::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out) throw std::runtime_error("fuzz: cannot write " + path.string());
}

}  // namespace

FuzzInput split_input(const std::uint8_t* data, std::size_t size) {
  FuzzInput input;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    const bool last = end == std::string_view::npos;
    if (last) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    if (line.starts_with(kCsvMarker) && line.find_first_not_of(" \t\r", kCsvMarker.size()) == std::string_view::npos) {
      input.has_csv = true;
      input.csv = std::string(text.substr(last ? text.size() : end + 1));
      input.toml = std::string(text.substr(0, start));
      return input;
    }
    if (line.starts_with(kSetPrefix)) input.sets.emplace_back(line.substr(kSetPrefix.size()));
    start = end + 1;
  }
  input.toml = std::string(text);
  return input;
}

const fs::path& input_folder() {
  static const fs::path folder = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/policysim-fuzz-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("fuzz: cannot create " + pattern);
    g_root = pattern;
    std::atexit(remove_root);
    const fs::path source = POLICYSIM_SOURCE_DIR;
    const fs::path in = g_root / "tests/fuzz/in";
    fs::create_directories(in);
    link_files(source / "scenarios", in);
    link_files(source / "tests/scenario/fixtures", in);
    link_files(source / "tests/cli/hostile_inputs/files", in);
    fs::create_directory_symlink(source / "scenarios", g_root / "scenarios");
    fs::create_directory_symlink(source / "tests/scenario", g_root / "tests/fuzz/scenario");
    fs::create_symlink(source / "tests/cli/hostile_inputs/ok.toml", g_root / "tests/fuzz/ok.toml");
    return in;
  }();
  return folder;
}

fs::path write_input(const FuzzInput& input) {
  const fs::path scenario = input_folder() / "input.toml";
  write_file(scenario, input.toml);
  const fs::path csv = input_folder() / "points.csv";
  if (input.has_csv) {
    write_file(csv, input.csv);
  } else {
    std::error_code ignored;
    fs::remove(csv, ignored);
  }
  return scenario;
}

std::size_t checksum(std::string_view text) {
  std::size_t sum = 0;
  for (const char c : text) sum = sum * 31 + static_cast<unsigned char>(c);
  return sum;
}

void report(std::string_view outcome) {
  static const bool verbose = std::getenv("POLICYSIM_FUZZ_VERBOSE") != nullptr;
  if (verbose) std::fprintf(stderr, "  -> %.*s\n", static_cast<int>(outcome.size()), outcome.data());
}

void keep(std::size_t value) { g_kept = value; }

}  // namespace policysim::fuzz
