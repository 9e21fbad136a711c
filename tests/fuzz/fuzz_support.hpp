#pragma once
// What the two fuzz targets (fuzz_scenario.cpp, fuzz_sweep_spec.cpp) share: how one fuzz input
// becomes the files and --set arguments policysim reads, and the folder those files live in.
//
// One input is the text of a scenario file, read from disk by the real loader (it takes paths,
// and `extends`, the regular-file and size checks are part of what is fuzzed). Two kinds of TOML
// comment line carry the rest of a command line, so every input stays a plain scenario file:
//   #set key.path=value   a --set argument (any number, in order; passed to parse_override)
//   #csv                  everything after this line is the CSV of a `design = "file"` sweep,
//                         written as points.csv beside the scenario (the TOML ends before it)
//
// The folder (made once per process under $TMPDIR, removed at exit) mirrors the source tree, so
// that the `extends` paths of the project's own files (which the seed corpus keeps as they are)
// resolve to the real files, read-only, through symbolic links:
//   <tmp>/tests/fuzz/in/input.toml    the input
//   <tmp>/tests/fuzz/in/points.csv    the #csv part, when there is one
//   <tmp>/tests/fuzz/in/<name>.toml   scenarios/*.toml, tests/scenario/fixtures/*.toml and
//                                     tests/cli/hostile_inputs/files/*.toml: extends = "baseline.toml"
//   <tmp>/scenarios                   scenarios/: extends = "../../../scenarios/baseline.toml"
//   <tmp>/tests/fuzz/scenario         tests/scenario/: extends = "../scenario/fixtures/small_world.toml"
//   <tmp>/tests/fuzz/ok.toml          tests/cli/hostile_inputs/ok.toml: extends = "../ok.toml"
// Paths outside it (absolute ones, /dev/zero, a missing file) are the real file system's.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace policysim::fuzz {

struct FuzzInput {
  std::string toml;               // the scenario file's text
  std::vector<std::string> sets;  // the #set lines, without "#set "
  bool has_csv = false;
  std::string csv;                // after the #csv line
};

FuzzInput split_input(const std::uint8_t* data, std::size_t size);

// The folder <tmp>/tests/fuzz/in, made (with its links) on the first call.
const std::filesystem::path& input_folder();

// Writes the input's files into input_folder(); returns the scenario file's path. A points.csv of
// an earlier input is removed when this one has no #csv part.
std::filesystem::path write_input(const FuzzInput& input);

// Touches every byte of a string (so a sanitizer sees a read of memory that is not there).
std::size_t checksum(std::string_view text);
// With POLICYSIM_FUZZ_VERBOSE set in the environment, prints how an input ended (for checking
// that seeds reach what they are meant to: `POLICYSIM_FUZZ_VERBOSE=1 fuzz_..._replay corpus`).
void report(std::string_view outcome);
// Stores a value where the optimiser cannot drop the work that computed it.
void keep(std::size_t value);

}  // namespace policysim::fuzz
