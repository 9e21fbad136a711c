#pragma once
// Sweep designs on the unit hypercube: which points of [0, 1]^k a sweep runs. Mapping a unit
// coordinate to a parameter's value (a range, or a list of values) is spec.hpp's job; the
// designs know nothing of scenarios, so they can be tested on their own.
//
//   grid             every combination of the levels of each parameter (the last one fastest)
//   latin_hypercube  n points; each parameter's values fall one in each of n equal strata
//   random           n points, independent uniform coordinates
//   morris           r trajectories of k + 1 points on a p-level grid; each step moves one
//                    parameter by delta = p / (2 (p - 1)) (Morris 1991; elementary effects)
//   saltelli         per base sample j: A_j, B_j, then AB_1j .. AB_kj (A_j with column i from
//                    B_j), N (k + 2) points (Saltelli 2002/2010; first-order and total Sobol indices)
// Random numbers: sampling.hpp (Philox keyed by the sweep seed).
#include <cstdint>
#include <vector>

namespace policysim::sweep {

struct UnitDesign {
  std::size_t points = 0;
  std::size_t parameters = 0;
  std::vector<double> unit;  // points x parameters, row-major, each in [0, 1]
  // Morris: per point, its trajectory and the parameter moved from the previous point (-1 first).
  std::vector<std::int64_t> morris_trajectory, morris_changed;
  // Saltelli: per point, its base sample j and block: -1 for A, -2 for B, i for AB_i.
  std::vector<std::int64_t> saltelli_sample, saltelli_block;

  double at(std::size_t point, std::size_t parameter) const { return unit[point * parameters + parameter]; }
};

inline constexpr std::int64_t kSaltelliBlockA = -1;
inline constexpr std::int64_t kSaltelliBlockB = -2;

// Level indices of every grid point (points x parameters, row-major); levels[i] >= 1. With no
// parameter, one point.
std::vector<std::size_t> grid_design(const std::vector<std::size_t>& levels);
std::size_t grid_points(const std::vector<std::size_t>& levels);

UnitDesign latin_hypercube_design(std::size_t samples, std::size_t parameters, std::uint64_t seed);
UnitDesign random_design(std::size_t samples, std::size_t parameters, std::uint64_t seed);
// levels: p, even and >= 2. Coordinates are level / (p - 1).
UnitDesign morris_design(std::size_t trajectories, std::size_t parameters, std::size_t levels, std::uint64_t seed);
double morris_delta(std::size_t levels);
UnitDesign saltelli_design(std::size_t base_samples, std::size_t parameters, std::uint64_t seed);

}  // namespace policysim::sweep
