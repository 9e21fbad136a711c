#include "sim/output/compare_file.hpp"

#include <algorithm>
#include <map>

#include <hdf5.h>

#include "sim/description/joined.hpp"
#include "sim/measures/measure.hpp"
#include "sim/output/hdf5_write.hpp"
#include "sim/output/schema.hpp"

namespace policysim {

using namespace hdf5_write;

namespace {

constexpr std::string_view kInterval =
    "95% interval of the paired mean difference over the seeds: mean +- t(0.975, n - 1) * sd / sqrt(n), "
    "the differences taken seed by seed (common random numbers)";

hdf5::Dataset create_numbers(hid_t group, std::string_view name, std::string_view units, const std::string& long_name,
                             std::size_t rows, std::size_t columns, const std::vector<double>& values) {
  return create_fixed(group, name, units, long_name, H5T_IEEE_F64LE, {rows, columns}, H5T_NATIVE_DOUBLE,
                      values.empty() ? nullptr : values.data());
}

void write_section(hid_t file, const std::string& name, const ComparisonSection& section,
                   const ComparisonFileContents& contents) {
  const hdf5::Group group = create_group(file, name);
  const hid_t g = group.get();
  set_text_attribute(g, "what_if_file", section.what_if_file);
  set_text_attribute(g, "baseline_file", contents.baseline_file);
  set_text_attribute(g, "first_event", section.first_event);
  set_text_attribute(g, "first_event_period", section.first_event_period);
  set_text_attribute(g, "identical_before_first_event", section.identical_before ? "yes" : "no");

  // Measures in order of first appearance, each at the same pairs.
  std::vector<std::string> measures, pairs;
  for (const ComparisonSeries& s : section.series) {
    if (std::find(measures.begin(), measures.end(), s.measure) == measures.end()) measures.push_back(s.measure);
    if (std::find(pairs.begin(), pairs.end(), s.pair) == pairs.end()) pairs.push_back(s.pair);
  }
  const std::size_t rows = section.time.size();
  for (const std::string& measure_name : measures) {
    const Measure* m = find_measure(measure_name);
    const std::string units = m ? m->units : "";
    const std::string long_name = m ? m->long_name : measure_name;
    const hdf5::Group measure_group = create_group(g, measure_name);
    const hid_t mg = measure_group.get();
    set_text_attribute(mg, "units", units);
    set_text_attribute(mg, "long_name", long_name);
    // The axes, in each measure's group, so that each group reads alone (xarray, netCDF).
    const hdf5::Dataset time = create_fixed(mg, schema::dim::kTime, H5T_IEEE_F64LE, {rows}, H5T_NATIVE_DOUBLE,
                                            section.time.empty() ? nullptr : section.time.data());
    make_scale(time.get(), schema::dim::kTime.name);
    attach(create_text(mg, schema::kPeriodLabel, section.period_label).get(), time.get(), 0);
    const hdf5::Dataset pair = create_text_scale(mg, schema::dim::kPair, pairs);

    // [time, pair] per statistic.
    struct Statistic {
      const char* name;
      std::vector<double> ComparisonSeries::*values;
      std::string long_name;
    };
    const std::vector<Statistic> statistics = {
        {"baseline", &ComparisonSeries::baseline_mean, "baseline: mean over the seeds of " + long_name},
        {"what_if", &ComparisonSeries::what_if_mean, "what-if: mean over the seeds of " + long_name},
        {"difference", &ComparisonSeries::difference_mean,
         "what-if minus baseline, seed by seed, mean over the seeds, of " + long_name},
        {"difference_low", &ComparisonSeries::difference_low, "lower end of the " + std::string(kInterval)},
        {"difference_high", &ComparisonSeries::difference_high, "upper end of the " + std::string(kInterval)},
    };
    for (const Statistic& statistic : statistics) {
      std::vector<double> values(rows * pairs.size(), 0.0);
      for (const ComparisonSeries& s : section.series) {
        if (s.measure != measure_name) continue;
        const auto p = static_cast<std::size_t>(std::find(pairs.begin(), pairs.end(), s.pair) - pairs.begin());
        const std::vector<double>& source = s.*(statistic.values);
        if (source.size() != rows)
          throw Failure{name + "/" + measure_name + " " + s.pair + ": " + std::to_string(source.size()) +
                        " values for " + std::to_string(rows) + " rows"};
        for (std::size_t r = 0; r < rows; ++r) values[r * pairs.size() + p] = source[r];
      }
      const hdf5::Dataset dataset = create_numbers(mg, statistic.name, units, statistic.long_name, rows, pairs.size(), values);
      attach(dataset.get(), time.get(), 0);
      attach(dataset.get(), pair.get(), 1);
    }
  }
}

}  // namespace

std::vector<std::string> comparison_group_names(const std::vector<ComparisonSection>& what_ifs) {
  std::vector<std::string> names;
  for (const ComparisonSection& section : what_ifs) {
    std::string stem = std::filesystem::path(section.what_if_file).stem().string();
    std::replace(stem.begin(), stem.end(), '/', '_');
    if (stem.empty() || stem == ".") stem = "what_if";
    std::string name = stem;
    for (int k = 2; std::find(names.begin(), names.end(), name) != names.end(); ++k) name = stem + "_" + std::to_string(k);
    names.push_back(name);
  }
  return names;
}

void write_comparison_file(const std::filesystem::path& target, const ComparisonFileContents& contents, bool overwrite) {
  write_whole_file(target, overwrite, [&](hid_t f) {
    set_text_attribute(f, "title", "policysim compare: what-if minus baseline, paired by seed, quarter by quarter");
    set_text_attribute(f, "program_version", contents.program_version);
    set_text_attribute(f, "command_line", contents.command_line);
    set_text_attribute(f, "baseline_file", contents.baseline_file);
    set_text_attribute(f, "interval", kInterval);
    set_number_attribute(f, "seed_count", H5T_STD_I64LE, H5T_NATIVE_INT64, static_cast<std::int64_t>(contents.seeds.size()));
    {
      const std::vector<std::uint64_t>& seeds = contents.seeds;
      create_fixed(f, "seeds", "1", "the seeds of the paired runs (each run once as baseline, once as what-if)",
                   H5T_STD_U64LE, {seeds.size()}, H5T_NATIVE_UINT64, seeds.empty() ? nullptr : seeds.data());
    }
    const std::vector<std::string> names = comparison_group_names(contents.what_ifs);
    set_text_attribute(f, "what_ifs", joined(names, " "));
    for (std::size_t k = 0; k < contents.what_ifs.size(); ++k) write_section(f, names[k], contents.what_ifs[k], contents);
  });
}

}  // namespace policysim
