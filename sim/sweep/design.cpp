#include "sim/sweep/design.hpp"

#include <algorithm>
#include <stdexcept>

#include "sim/sweep/sampling.hpp"

namespace policysim::sweep {

std::size_t grid_points(const std::vector<std::size_t>& levels) {
  std::size_t points = 1;
  for (std::size_t count : levels) points *= count;
  return points;
}

std::vector<std::size_t> grid_design(const std::vector<std::size_t>& levels) {
  const std::size_t k = levels.size();
  const std::size_t points = grid_points(levels);
  std::vector<std::size_t> indices(points * k);
  for (std::size_t point = 0; point < points; ++point) {
    std::size_t rest = point;
    for (std::size_t i = k; i-- > 0;) {  // the last parameter moves fastest (as itertools.product)
      indices[point * k + i] = rest % levels[i];
      rest /= levels[i];
    }
  }
  return indices;
}

UnitDesign latin_hypercube_design(std::size_t samples, std::size_t parameters, std::uint64_t seed) {
  UnitDesign design{samples, parameters, std::vector<double>(samples * parameters), {}, {}, {}, {}};
  const double n = static_cast<double>(samples);
  for (std::size_t i = 0; i < parameters; ++i) {
    const auto strata = design_permutation(seed, DesignPurpose::LatinHypercubeOrder, i, samples);
    for (std::size_t point = 0; point < samples; ++point) {
      const double offset = design_uniform32(seed, DesignPurpose::LatinHypercubeOffset, point, i);
      design.unit[point * parameters + i] = (static_cast<double>(strata[point]) + offset) / n;
    }
  }
  return design;
}

UnitDesign random_design(std::size_t samples, std::size_t parameters, std::uint64_t seed) {
  UnitDesign design{samples, parameters, std::vector<double>(samples * parameters), {}, {}, {}, {}};
  for (std::size_t point = 0; point < samples; ++point)
    for (std::size_t i = 0; i < parameters; ++i)
      design.unit[point * parameters + i] = design_uniform(seed, DesignPurpose::Random, point, i);
  return design;
}

double morris_delta(std::size_t levels) {
  return static_cast<double>(levels) / (2.0 * static_cast<double>(levels - 1));
}

UnitDesign morris_design(std::size_t trajectories, std::size_t parameters, std::size_t levels, std::uint64_t seed) {
  if (levels < 2 || levels % 2 != 0) throw std::invalid_argument("morris_design: levels must be even and >= 2");
  const std::size_t per_trajectory = parameters + 1;
  UnitDesign design{trajectories * per_trajectory, parameters, {}, {}, {}, {}, {}};
  design.unit.resize(design.points * parameters);
  const std::size_t jump = levels / 2;  // delta in levels: p / 2 levels of 1 / (p - 1)
  const double top = static_cast<double>(levels - 1);
  for (std::size_t t = 0; t < trajectories; ++t) {
    // Each parameter goes up from a level in [0, p/2) or down from a level in [p/2, p).
    std::vector<std::size_t> level(parameters);
    std::vector<bool> up(parameters);
    for (std::size_t i = 0; i < parameters; ++i) {
      up[i] = design_uniform(seed, DesignPurpose::MorrisDirection, t, i) < 0.5;
      const double u = design_uniform(seed, DesignPurpose::MorrisStart, t, i);
      const std::size_t start = std::min(static_cast<std::size_t>(u * static_cast<double>(jump)), jump - 1);
      level[i] = up[i] ? start : start + jump;
    }
    const auto order = design_permutation(seed, DesignPurpose::MorrisOrder, t, parameters);
    for (std::size_t step = 0; step < per_trajectory; ++step) {
      std::int64_t changed = -1;
      if (step > 0) {
        const std::size_t i = order[step - 1];
        level[i] = up[i] ? level[i] + jump : level[i] - jump;
        changed = static_cast<std::int64_t>(i);
      }
      const std::size_t point = t * per_trajectory + step;
      for (std::size_t i = 0; i < parameters; ++i)
        design.unit[point * parameters + i] = static_cast<double>(level[i]) / top;
      design.morris_trajectory.push_back(static_cast<std::int64_t>(t));
      design.morris_changed.push_back(changed);
    }
  }
  return design;
}

UnitDesign saltelli_design(std::size_t base_samples, std::size_t parameters, std::uint64_t seed) {
  const std::size_t per_sample = parameters + 2;
  UnitDesign design{base_samples * per_sample, parameters, {}, {}, {}, {}, {}};
  design.unit.resize(design.points * parameters);
  for (std::size_t j = 0; j < base_samples; ++j) {
    std::vector<double> a(parameters), b(parameters);
    for (std::size_t i = 0; i < parameters; ++i) {
      a[i] = design_uniform(seed, DesignPurpose::SaltelliA, j, i);
      b[i] = design_uniform(seed, DesignPurpose::SaltelliB, j, i);
    }
    for (std::size_t block = 0; block < per_sample; ++block) {
      const std::size_t point = j * per_sample + block;
      std::vector<double> row = block == 1 ? b : a;
      std::int64_t label = block == 0 ? kSaltelliBlockA : kSaltelliBlockB;
      if (block >= 2) {
        const std::size_t i = block - 2;
        row[i] = b[i];
        label = static_cast<std::int64_t>(i);
      }
      std::copy(row.begin(), row.end(), design.unit.begin() + static_cast<std::ptrdiff_t>(point * parameters));
      design.saltelli_sample.push_back(static_cast<std::int64_t>(j));
      design.saltelli_block.push_back(label);
    }
  }
  return design;
}

}  // namespace policysim::sweep
