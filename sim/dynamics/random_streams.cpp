#include "sim/dynamics/random_streams.hpp"

#include <Random123/boxmuller.hpp>
#include <Random123/philox.h>
#include <Random123/uniform.hpp>

#include "sim/description/scenario.hpp"

namespace policysim {
namespace {

r123::Philox4x32::ctr_type draw(std::uint64_t seed, std::uint32_t step, Purpose purpose, std::uint32_t a,
                                std::uint32_t b) {
  r123::Philox4x32 generator;
  const r123::Philox4x32::ctr_type counter = {{step, static_cast<std::uint32_t>(purpose), a, b}};
  const r123::Philox4x32::key_type key = {
      {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
  return generator(counter, key);
}

std::uint64_t join(std::uint32_t high, std::uint32_t low) {
  return (static_cast<std::uint64_t>(high) << 32) | low;
}

}  // namespace

RandomStreams RandomStreams::for_run(const Scenario& scenario) { return RandomStreams(scenario.simulation.seed); }

double RandomStreams::normal(std::uint32_t step, Purpose purpose, std::uint32_t a, std::uint32_t b) const {
  const auto bits = draw(seed_, step, purpose, a, b);
  return r123::boxmuller(join(bits[0], bits[1]), join(bits[2], bits[3])).x;
}

double RandomStreams::uniform(std::uint32_t step, Purpose purpose, std::uint32_t a, std::uint32_t b) const {
  const auto bits = draw(seed_, step, purpose, a, b);
  return r123::u01<double>(join(bits[0], bits[1]));
}

}  // namespace policysim
