#pragma once
// The random numbers of sweep designs and the seeds of sweep runs, from Random123's Philox
// (counter-based): a draw is a pure function of (sweep seed, purpose, indices), so a design is
// reproducible from its seed, whatever the order in which it is computed.
#include <cstdint>
#include <vector>

namespace policysim::sweep {

// Why a number is drawn; each purpose is its own stream. Append, never renumber.
enum class DesignPurpose : std::uint64_t {
  LatinHypercubeOrder = 1,   // the permutation of strata per parameter
  LatinHypercubeOffset = 2,  // the position inside a stratum
  Random = 3,
  MorrisOrder = 4,      // the order in which a trajectory moves the parameters
  MorrisDirection = 5,  // up or down
  MorrisStart = 6,      // the starting level
  SaltelliA = 7,
  SaltelliB = 8,
  EstimatePrior = 9,      // estimate: generation 0's particles (counter: particle, parameter)
  EstimateAncestor = 10,  // estimate: the kept particle a proposal moves from (generation, particle, attempt)
  EstimateKernel = 11,    // estimate: the Gaussian step's uniforms (generation, particle, attempt x 1024 + k)
  ParameterDraws = 12,    // compare --parameter-draws: the systematic resampling offset
};

// Uniform in (0, 1), never 0 or 1: Philox4x64-10, key (seed, purpose), counter (a, b, c, 0),
// word 0 through r123::u01fixedpt (53 bits).
double design_uniform(std::uint64_t seed, DesignPurpose purpose, std::uint64_t a, std::uint64_t b, std::uint64_t c = 0);
// The same with 32-bit resolution: (k + u) / n then stays inside stratum k for any n < 2^20.
double design_uniform32(std::uint64_t seed, DesignPurpose purpose, std::uint64_t a, std::uint64_t b);

// A random permutation of 0..n-1 (Fisher-Yates driven by design_uniform(seed, purpose, stream, i)).
std::vector<std::size_t> design_permutation(std::uint64_t seed, DesignPurpose purpose, std::uint64_t stream, std::size_t n);

// The seed of run (point, replicate): word 0 of Philox4x64-10 with key (sweep seed,
// kRunSeedKey) and counter (c, replicate, 0, 0), shifted right by one bit (so that it fits
// `simulation.seed`, a TOML integer, and `policysim run --seed` reproduces the run). With
// common random numbers c = 2^64 - 1, so replicate r has the same seed at every point;
// otherwise c = point, an independent stream per run.
inline constexpr std::uint64_t kRunSeedKey = 0x706f6c6963797377;  // "policysw"
std::uint64_t run_seed(std::uint64_t sweep_seed, std::uint64_t point, std::uint64_t replicate, bool common_random_numbers);

}  // namespace policysim::sweep
