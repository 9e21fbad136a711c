#pragma once
// The HDF5 file of `policysim score --out F.h5` (docs/validation.md, "The score file"): the scores
// per series, the test rows, the overall figures. Plain data in, so that this layer does not need
// the calibration layer above it (the command fills it from calibration::ScoreReport). No HDF5
// types here.
//
// Layout (every dataset with `units` and `long_name`; text is variable-length UTF-8):
//   /                 attributes title = "policysim score", policysim_version, scenario_file,
//                     observed_file, command_line, seeds, first_seed, last_training_year,
//                     common_drift (log growth a year; NaN when not defined)
//   /series/          [series] measure, from, to, per_year, second_null, training_rows, test_rows,
//                     rmse, mae, skill_persistence, skill_second (NaN where not defined;
//                     -inf where the null is perfect and the model is not)
//   /test/            [row] series (index into /series), period, observed, model, persistence,
//                     second (NaN where not defined)
//   /overall/         scalars rmse, mae, test_rows, skill_persistence, skill_second
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace policysim {

struct ScoreFileContent {
  std::string program_version, scenario_file, observed_file, command_line;
  std::int64_t seeds = 0;
  std::uint64_t first_seed = 0;
  std::int64_t last_training_year = 0;
  double common_drift = 0.0;  // NaN when not defined

  // Per series.
  std::vector<std::string> measure, from, to, per_year, second_null;
  std::vector<std::int64_t> training_rows, test_rows;
  std::vector<double> rmse, mae, skill_persistence, skill_second;

  // Per test row.
  std::vector<std::int64_t> test_series;
  std::vector<std::string> test_period;
  std::vector<double> test_observed, test_model, test_persistence, test_second;

  // Over all series.
  double overall_rmse = 0.0, overall_mae = 0.0, overall_skill_persistence = 0.0, overall_skill_second = 0.0;
  std::int64_t overall_test_rows = 0;
};

// Writes the file under a temporary name and moves it onto `target` (overwriting only with
// `overwrite`); throws OutputError (nothing left at the target) when it cannot.
void write_score_file(const std::filesystem::path& target, const ScoreFileContent& content, bool overwrite);

}  // namespace policysim
