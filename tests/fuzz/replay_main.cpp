// Runs a fuzz target's entry point on every file of the given folders (or files), without
// libFuzzer: built by the normal (gcc) build, so CI replays the committed corpus on every commit
// (CTest fuzz.replay_*, tests/fuzz/ctest.cmake) and a change that makes a corpus input crash or
// throw anything but the documented ScenarioError fails there, without clang.
// Exit status: 0 when every input ran; 1 when none was found (a missing corpus must not pass);
// an input that fails ends the process (an escaped exception, std::abort or a signal).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv);
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
  LLVMFuzzerInitialize(&argc, &argv);
  std::vector<std::filesystem::path> inputs;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path path = argv[i];
    if (std::filesystem::is_directory(path)) {
      for (const auto& entry : std::filesystem::directory_iterator(path))
        if (entry.is_regular_file()) inputs.push_back(entry.path());
    } else {
      inputs.push_back(path);
    }
  }
  std::sort(inputs.begin(), inputs.end());
  if (inputs.empty()) {
    std::fprintf(stderr, "replay: no inputs in the given folders\n");
    return 1;
  }
  const auto start = std::chrono::steady_clock::now();
  for (const auto& path : inputs) {
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) {
      std::fprintf(stderr, "replay: cannot read %s\n", path.c_str());
      return 1;
    }
    // Named before it runs, so that the input of a crash is the last line printed.
    std::fprintf(stderr, "replay: %s\n", path.filename().c_str());
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  }
  const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
  std::printf("replay: %zu inputs in %.2f s, none crashed or threw anything but ScenarioError\n", inputs.size(),
              seconds.count());
  return 0;
}
