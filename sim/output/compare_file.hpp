#pragma once
// The file of `policysim compare --out`: what-if minus baseline quarter by quarter, paired by seed,
// with the 95% interval of the paired mean difference and each side's mean, for every measure and
// pair compared (docs/output.md, "The compare file"). The calibration layer computes the numbers;
// this writer only lays them out, self-described (units, long names, the scenario files, the seeds,
// the program version), and writes the file atomically (atomic_file: whole or not at all).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace policysim {

// One measure at one pair, [time] each.
struct ComparisonSeries {
  std::string measure;  // catalogue name: the file takes its units and long name from the catalogue
  std::string pair;     // "JPN-ISR"
  std::vector<double> baseline_mean, what_if_mean, difference_mean, difference_low, difference_high;
};

// One what-if against the baseline: one group of the file.
struct ComparisonSection {
  std::string what_if_file;
  std::string first_event;
  std::string first_event_period;  // "2020Q3"
  bool identical_before = true;
  std::vector<std::string> period_label;  // [time]: the start period, then the period after each step
  std::vector<double> time;               // [time]: decimal years
  std::vector<ComparisonSeries> series;   // measures x pairs (every measure at the same pairs)
};

struct ComparisonFileContents {
  std::string program_version;
  std::string command_line;
  std::string baseline_file;
  std::vector<std::uint64_t> seeds;
  std::vector<ComparisonSection> what_ifs;
};

// Writes `contents` to `target` (a temporary beside it, renamed into place). Without `overwrite`
// an existing target is refused (TargetExists). Throws OutputError naming the target otherwise.
void write_comparison_file(const std::filesystem::path& target, const ComparisonFileContents& contents, bool overwrite);

// The group name of a what-if: its file's stem ("post_abe"), as the run file of the what-if is
// named by default; a second what-if with the same stem gets "_2", and so on.
std::vector<std::string> comparison_group_names(const std::vector<ComparisonSection>& what_ifs);

}  // namespace policysim
