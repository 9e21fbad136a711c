#include "sim/output/score_file.hpp"

#include "sim/output/hdf5_write.hpp"

namespace policysim {

using namespace hdf5_write;  // check, Failure, create_file, create_fixed, attributes, groups

namespace {

void doubles(hid_t group, std::string_view name, std::string_view units, std::string_view long_name,
             const std::vector<double>& values) {
  create_fixed(group, name, units, long_name, H5T_IEEE_F64LE, {values.size()}, H5T_NATIVE_DOUBLE, values.data());
}

void integers(hid_t group, std::string_view name, std::string_view units, std::string_view long_name,
              const std::vector<std::int64_t>& values) {
  create_fixed(group, name, units, long_name, H5T_STD_I64LE, {values.size()}, H5T_NATIVE_INT64, values.data());
}

void scalar(hid_t group, std::string_view name, std::string_view units, std::string_view long_name, double value) {
  create_fixed(group, name, units, long_name, H5T_IEEE_F64LE, {}, H5T_NATIVE_DOUBLE, &value);
}

void write_content(hid_t root, const ScoreFileContent& c) {
  set_text_attribute(root, "title", "policysim score");
  set_text_attribute(root, "policysim_version", c.program_version);
  set_text_attribute(root, "scenario_file", c.scenario_file);
  set_text_attribute(root, "observed_file", c.observed_file);
  set_text_attribute(root, "command_line", c.command_line);
  set_number_attribute(root, "seeds", H5T_STD_I64LE, H5T_NATIVE_INT64, c.seeds);
  set_number_attribute(root, "first_seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, c.first_seed);
  set_number_attribute(root, "last_training_year", H5T_STD_I64LE, H5T_NATIVE_INT64, c.last_training_year);
  set_number_attribute(root, "common_drift", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, c.common_drift);

  const hdf5::Group series = create_group(root, "series");
  const hid_t s = series.get();
  create_text(s, "measure", "", "the measure of the catalogue the series reads", c.measure);
  create_text(s, "from", "", "agent the measure is read from", c.from);
  create_text(s, "to", "", "agent the measure is read to", c.to);
  create_text(s, "per_year", "", "how a year is summarised (mean, count, year_end) or quarter", c.per_year);
  create_text(s, "second_null", "", "the second null forecast: common drift (flows) or training mean", c.second_null);
  integers(s, "training_rows", "rows", "rows dated up to last_training_year", c.training_rows);
  integers(s, "test_rows", "rows", "rows dated after last_training_year (scored)", c.test_rows);
  doubles(s, "rmse", "units of the measure", "root mean squared error of the model over the test rows", c.rmse);
  doubles(s, "mae", "units of the measure", "mean absolute error of the model over the test rows", c.mae);
  doubles(s, "skill_persistence", "1", "1 - MSE_model / MSE_persistence (NaN: not defined)", c.skill_persistence);
  doubles(s, "skill_second", "1", "1 - MSE_model / MSE_second_null (NaN: not defined)", c.skill_second);

  const hdf5::Group test = create_group(root, "test");
  const hid_t t = test.get();
  integers(t, "series", "1", "index of the row's series in /series", c.test_series);
  create_text(t, "period", "", "year (2016) or quarter (2016Q3)", c.test_period);
  doubles(t, "observed", "units of the measure", "observed value", c.test_observed);
  doubles(t, "model", "units of the measure", "model value, mean over seeds", c.test_model);
  doubles(t, "persistence", "units of the measure", "persistence forecast (NaN: not defined)", c.test_persistence);
  doubles(t, "second", "units of the measure", "second null forecast (NaN: not defined)", c.test_second);

  const hdf5::Group overall = create_group(root, "overall");
  const hid_t o = overall.get();
  scalar(o, "rmse", "mixed", "model RMSE pooled over every test row", c.overall_rmse);
  scalar(o, "mae", "mixed", "model MAE pooled over every test row", c.overall_mae);
  create_fixed(o, "test_rows", "rows", "test rows scored", H5T_STD_I64LE, {}, H5T_NATIVE_INT64, &c.overall_test_rows);
  scalar(o, "skill_persistence", "1", "mean of the series' skills against persistence (NaN: none defined)",
         c.overall_skill_persistence);
  scalar(o, "skill_second", "1", "mean of the series' skills against the second null (NaN: none defined)",
         c.overall_skill_second);
}

}  // namespace

void write_score_file(const std::filesystem::path& target, const ScoreFileContent& content, bool overwrite) {
  write_whole_file(target, overwrite, [&](hid_t file) { write_content(file, content); });
}

}  // namespace policysim
