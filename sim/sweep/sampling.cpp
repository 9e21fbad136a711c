#include "sim/sweep/sampling.hpp"

#include <algorithm>
#include <limits>

#include <Random123/philox.h>
#include <Random123/uniform.hpp>

namespace policysim::sweep {
namespace {

r123::Philox4x64::ctr_type philox(std::uint64_t key0, std::uint64_t key1, std::uint64_t a, std::uint64_t b,
                                  std::uint64_t c) {
  r123::Philox4x64 generator;
  const r123::Philox4x64::ctr_type counter = {{a, b, c, 0}};
  const r123::Philox4x64::key_type key = {{key0, key1}};
  return generator(counter, key);
}

}  // namespace

double design_uniform(std::uint64_t seed, DesignPurpose purpose, std::uint64_t a, std::uint64_t b, std::uint64_t c) {
  return r123::u01fixedpt<double>(philox(seed, static_cast<std::uint64_t>(purpose), a, b, c)[0]);
}

double design_uniform32(std::uint64_t seed, DesignPurpose purpose, std::uint64_t a, std::uint64_t b) {
  const auto word = philox(seed, static_cast<std::uint64_t>(purpose), a, b, 0)[0];
  return r123::u01fixedpt<double>(static_cast<std::uint32_t>(word >> 32));
}

std::vector<std::size_t> design_permutation(std::uint64_t seed, DesignPurpose purpose, std::uint64_t stream,
                                            std::size_t n) {
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  for (std::size_t i = n; i > 1; --i) {
    const double u = design_uniform(seed, purpose, stream, i);
    const auto j = std::min(static_cast<std::size_t>(u * static_cast<double>(i)), i - 1);
    std::swap(order[i - 1], order[j]);
  }
  return order;
}

std::uint64_t run_seed(std::uint64_t sweep_seed, std::uint64_t point, std::uint64_t replicate, bool common_random_numbers) {
  const std::uint64_t stream = common_random_numbers ? std::numeric_limits<std::uint64_t>::max() : point;
  return philox(sweep_seed, kRunSeedKey, stream, replicate, 0)[0] >> 1;
}

}  // namespace policysim::sweep
