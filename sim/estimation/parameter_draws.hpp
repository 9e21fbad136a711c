#pragma once
// Coefficient draws from an estimate's posterior (`compare --parameter-draws N`): each draw is a set
// of --set overrides, applied alike to a baseline and its what-if, so that a paired difference
// carries the uncertainty of the coefficients as well as that of the seeds.
#include <cstdint>
#include <vector>

#include "sim/output/estimate_file.hpp"
#include "sim/scenario/load.hpp"

namespace policysim::estimation {

// `count` particles drawn by weight (systematic resampling, one Philox uniform keyed by `seed`), in
// the order of the posterior sample: a pure function of (posterior, count, seed).
std::vector<std::vector<Override>> parameter_draws(const EstimatePosterior& posterior, std::size_t count,
                                                   std::uint64_t seed);

}  // namespace policysim::estimation
