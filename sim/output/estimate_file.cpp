#include "sim/output/estimate_file.hpp"

#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <system_error>

#include "sim/output/hdf5_handle.hpp"
#include "sim/output/hdf5_write.hpp"

namespace policysim {
namespace {

using namespace hdf5_write;

void numbers(hid_t group, std::string_view name, std::string_view units, std::string_view long_name,
             const std::vector<double>& values) {
  create_fixed(group, name, units, long_name, H5T_IEEE_F64LE, {values.size()}, H5T_NATIVE_DOUBLE,
               values.empty() ? nullptr : values.data());
}

void integers(hid_t group, std::string_view name, std::string_view units, std::string_view long_name,
              const std::vector<std::int64_t>& values) {
  create_fixed(group, name, units, long_name, H5T_STD_I64LE, {values.size()}, H5T_NATIVE_INT64,
               values.empty() ? nullptr : values.data());
}

void matrix(hid_t group, std::string_view name, std::string_view units, std::string_view long_name,
            const std::vector<std::vector<double>>& rows, std::size_t columns) {
  std::vector<double> flat;
  flat.reserve(rows.size() * columns);
  for (const auto& row : rows) flat.insert(flat.end(), row.begin(), row.end());
  create_fixed(group, name, units, long_name, H5T_IEEE_F64LE, {rows.size(), columns}, H5T_NATIVE_DOUBLE,
               flat.empty() ? nullptr : flat.data());
}

void write_contents(hid_t file, const EstimateFileContents& c) {
  set_text_attribute(file, "title", "policysim estimate");
  set_text_attribute(file, "program_version", c.program_version);
  set_text_attribute(file, "method", c.method);
  set_text_attribute(file, "spec_file", c.spec_file);
  set_text_attribute(file, "scenario_file", c.scenario_file);
  set_text_attribute(file, "command_line", c.command_line);
  set_text_attribute(file, "stop_reason", c.stop_reason);
  set_text_attribute(file, "spec", c.spec_toml);
  set_text_attribute(file, "data", c.synthetic ? "synthetic (made by the model at the truths)" : "observed");
  set_number_attribute(file, "particles", H5T_STD_I64LE, H5T_NATIVE_INT64, c.particles);
  set_number_attribute(file, "kept", H5T_STD_I64LE, H5T_NATIVE_INT64, c.kept);
  set_number_attribute(file, "replicates", H5T_STD_I64LE, H5T_NATIVE_INT64, c.replicates);
  set_number_attribute(file, "generations", H5T_STD_I64LE, H5T_NATIVE_INT64, c.generations);
  set_number_attribute(file, "runs", H5T_STD_I64LE, H5T_NATIVE_INT64, c.runs);
  set_number_attribute(file, "last_training_year", H5T_STD_I64LE, H5T_NATIVE_INT64, c.last_training_year);
  set_number_attribute(file, "seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, c.seed);
  set_number_attribute(file, "alpha", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, c.alpha);
  set_number_attribute(file, "min_acceptance", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, c.min_acceptance);
  set_number_attribute(file, "effective_sample_size", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, c.effective_sample_size);

  const std::size_t dims = c.parameter_keys.size();
  const std::size_t moments = c.moment_ids.size();
  {
    const hdf5::Group g = create_group(file, "parameters");
    create_text(g.get(), "key", "", "scenario key path of the estimated coefficient (as for --set)", c.parameter_keys);
    numbers(g.get(), "prior_low", "1", "lower end of the uniform prior", c.prior_low);
    numbers(g.get(), "prior_high", "1", "upper end of the uniform prior", c.prior_high);
    numbers(g.get(), "truth", "1", "value the synthetic data were made with (NaN for observed data)", c.truth);
    numbers(g.get(), "estimate", "1", "posterior median (weighted)", c.median);
    numbers(g.get(), "mean", "1", "posterior mean (weighted)", c.mean);
    numbers(g.get(), "sd", "1", "posterior standard deviation (weighted)", c.sd);
    numbers(g.get(), "q05", "1", "posterior 5% quantile: lower end of the 90% interval", c.q05);
    numbers(g.get(), "q95", "1", "posterior 95% quantile: upper end of the 90% interval", c.q95);
    numbers(g.get(), "interval_share", "1", "width of the 90% interval as a share of the prior range (uniform: 0.9)",
            c.interval_share);
    integers(g.get(), "identified", "1", "1 when the 90% interval holds at most 75% of the prior range", c.identified);
    matrix(g.get(), "correlation", "1", "posterior correlation between the coefficients [parameter, parameter]",
           c.correlation, dims);
  }
  {
    const hdf5::Group g = create_group(file, "moments");
    create_text(g.get(), "id", "", "moment id in the spec", c.moment_ids);
    create_text(g.get(), "name", "", "what the moment is", c.moment_names);
    create_text(g.get(), "measure", "", "measure of the catalogue the moment reads", c.moment_measures);
    create_text(g.get(), "pair", "", "pair (from-to) or agent and partners", c.moment_pairs);
    create_text(g.get(), "statistic", "", "statistic over the years", c.moment_statistics);
    create_text(g.get(), "source", "", "where the observed value comes from", c.moment_sources);
    integers(g.get(), "first_year", "year", "first year of the moment's window", c.moment_first_year);
    integers(g.get(), "last_year", "year", "last year of the moment's window", c.moment_last_year);
    integers(g.get(), "evidence_year", "year", "year of the evidence (0 for synthetic data)", c.moment_evidence_year);
    numbers(g.get(), "observed", "1", "observed value (synthetic: the run at the truths)", c.observed);
    numbers(g.get(), "se", "1", "standard error: the scale of the moment in the distance", c.se);
    numbers(g.get(), "simulated_mean", "1", "mean over the posterior sample (weighted)", c.simulated_mean);
    numbers(g.get(), "simulated_sd", "1", "standard deviation over the posterior sample (weighted)", c.simulated_sd);
  }
  {
    const hdf5::Group g = create_group(file, "posterior");
    integers(g.get(), "simulation", "1", "index of the particle in /simulations", c.posterior_simulation);
    numbers(g.get(), "weight", "1", "importance weight (sum 1)", c.posterior_weight);
  }
  {
    const hdf5::Group g = create_group(file, "simulations");
    integers(g.get(), "generation", "1", "sampler generation that proposed the particle (0: the priors)",
             c.simulation_generation);
    matrix(g.get(), "value", "1", "coefficients of the particle [simulation, parameter]", c.simulation_values, dims);
    matrix(g.get(), "moments", "1", "simulated moments, mean over replicates [simulation, moment]", c.simulation_moments,
           moments);
    numbers(g.get(), "distance", "1", "root mean square of (simulated - observed) / se over the moments",
            c.simulation_distance);
  }
  {
    const hdf5::Group g = create_group(file, "generations");
    numbers(g.get(), "tolerance", "1", "distance the generation's new particles were judged against (0: inf)",
            c.generation_tolerance);
    numbers(g.get(), "acceptance", "1", "share of new particles closer than the tolerance", c.generation_acceptance);
    integers(g.get(), "simulations", "1", "particles simulated in the generation", c.generation_simulations);
  }
}

}  // namespace

namespace {

std::vector<hsize_t> dims_of(hid_t dataset) {
  const hdf5::Dataspace space(checked(H5Dget_space(dataset), "reading a dataspace"));
  const int rank = H5Sget_simple_extent_ndims(space.get());
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
  if (rank > 0) H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  return dims;
}

template <class T>
std::vector<T> read_all(hid_t file, const std::string& name, hid_t memory_type, std::vector<hsize_t>& dims) {
  const hdf5::Dataset dataset(checked(H5Dopen2(file, name.c_str(), H5P_DEFAULT), "opening " + name));
  dims = dims_of(dataset.get());
  std::size_t count = 1;
  for (hsize_t d : dims) count *= static_cast<std::size_t>(d);
  std::vector<T> values(count);
  if (count > 0) check(H5Dread(dataset.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "reading " + name);
  return values;
}

}  // namespace

EstimatePosterior read_estimate_posterior(const std::filesystem::path& path) {
  const std::string where = path.string() + ": ";
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error))
    throw InputFileError(where + "expected an estimate file (policysim estimate), found none");
  const hdf5::QuietErrors quiet;
  EstimatePosterior posterior;
  try {
    const hdf5::File file(checked(H5Fopen(path.string().c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "opening the file"));
    std::vector<hsize_t> key_dims, value_dims, index_dims, weight_dims;
    {
      const hdf5::Dataset keys(checked(H5Dopen2(file.get(), "/parameters/key", H5P_DEFAULT),
                                       "opening /parameters/key (is it an estimate file?)"));
      key_dims = dims_of(keys.get());
      const std::size_t count = key_dims.empty() ? 0 : static_cast<std::size_t>(key_dims[0]);
      std::vector<char*> texts(count, nullptr);
      const hdf5::Datatype type = utf8_string_type();
      if (count > 0) check(H5Dread(keys.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, texts.data()), "reading /parameters/key");
      for (char* text : texts) posterior.keys.emplace_back(text ? text : "");
      if (count > 0) {
        const hdf5::Dataspace space(checked(H5Dget_space(keys.get()), "reading a dataspace"));
        H5Dvlen_reclaim(type.get(), space.get(), H5P_DEFAULT, texts.data());
      }
    }
    const auto values = read_all<double>(file.get(), "/simulations/value", H5T_NATIVE_DOUBLE, value_dims);
    const auto indices = read_all<std::int64_t>(file.get(), "/posterior/simulation", H5T_NATIVE_INT64, index_dims);
    posterior.weights = read_all<double>(file.get(), "/posterior/weight", H5T_NATIVE_DOUBLE, weight_dims);
    const std::size_t dims = posterior.keys.size();
    if (value_dims.size() != 2 || value_dims[1] != dims || indices.size() != posterior.weights.size() || indices.empty())
      throw Failure{"the posterior's datasets do not fit together (damaged?)"};
    const auto simulations = static_cast<std::int64_t>(value_dims[0]);
    double total = 0.0;
    for (std::size_t k = 0; k < indices.size(); ++k) {
      if (indices[k] < 0 || indices[k] >= simulations || !(posterior.weights[k] >= 0.0))
        throw Failure{"/posterior holds an index or weight out of range (damaged?)"};
      const auto row = static_cast<std::size_t>(indices[k]);
      posterior.values.emplace_back(values.begin() + static_cast<std::ptrdiff_t>(row * dims),
                                    values.begin() + static_cast<std::ptrdiff_t>((row + 1) * dims));
      total += posterior.weights[k];
    }
    if (!(total > 0.0)) throw Failure{"the posterior weights sum to 0"};
    for (double& weight : posterior.weights) weight /= total;
  } catch (const Failure& failure) {
    throw InputFileError(where + failure.what);
  }
  return posterior;
}

void write_estimate_file(const std::filesystem::path& target, const EstimateFileContents& contents, bool overwrite) {
  write_whole_file(target, overwrite, [&](hid_t file) { write_contents(file, contents); });
}

}  // namespace policysim
