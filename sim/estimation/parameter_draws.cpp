#include "sim/estimation/parameter_draws.hpp"

#include "sim/sweep/sampling.hpp"

#include <iomanip>
#include <sstream>

namespace policysim::estimation {

std::vector<std::vector<Override>> parameter_draws(const EstimatePosterior& posterior, std::size_t count,
                                                   std::uint64_t seed) {
  // Systematic resampling (Kitagawa 1996): positions (u + k) / count, k = 0 .. count - 1, on the
  // weights' cumulative sum; one uniform u decides them all, so the draws spread over the posterior.
  const double u = sweep::design_uniform(seed, sweep::DesignPurpose::ParameterDraws, 0, 0);
  std::vector<std::vector<Override>> draws;
  double cumulative = posterior.weights.empty() ? 0.0 : posterior.weights[0];
  std::size_t particle = 0;
  for (std::size_t k = 0; k < count; ++k) {
    const double position = (u + static_cast<double>(k)) / static_cast<double>(count);
    while (position > cumulative && particle + 1 < posterior.weights.size()) cumulative += posterior.weights[++particle];
    std::vector<Override> draw;
    for (std::size_t p = 0; p < posterior.keys.size(); ++p) {
      std::ostringstream value;
      value << std::setprecision(17) << posterior.values[particle][p];
      draw.push_back({posterior.keys[p], value.str(), "--parameter-draws"});
    }
    draws.push_back(std::move(draw));
  }
  return draws;
}

}  // namespace policysim::estimation
