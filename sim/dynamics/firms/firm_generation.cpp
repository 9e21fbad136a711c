#include "sim/dynamics/firms/firm_generation.hpp"

#include <algorithm>
#include <cmath>

#include "sim/dynamics/random_streams.hpp"

namespace policysim {
namespace {

enum AttributeSlot : std::uint32_t { kSize = 0, kInnovation = 1, kRiskTolerance = 2 };

double draw(const AttributeDistribution& distribution, const RandomStreams& random, std::uint32_t population,
            std::uint32_t member, AttributeSlot slot) {
  // Step 0 of the FirmAttributes stream; the member index and the attribute share the last word.
  const std::uint32_t key = member * 4 + slot;
  double value = distribution.first;
  switch (distribution.kind) {
    case AttributeDistribution::Kind::Constant: break;
    case AttributeDistribution::Kind::Uniform:
      value = distribution.first + (distribution.second - distribution.first) *
                                       random.uniform(0, Purpose::FirmAttributes, population, key);
      break;
    case AttributeDistribution::Kind::Normal:
      value = distribution.first + distribution.second * random.normal(0, Purpose::FirmAttributes, population, key);
      break;
    case AttributeDistribution::Kind::LogNormal:
      value = std::exp(distribution.first + distribution.second * random.normal(0, Purpose::FirmAttributes, population, key));
      break;
  }
  return std::clamp(value, distribution.low, distribution.high);
}

}  // namespace

FirmTable generate_firms(const Scenario& scenario, const RandomStreams& random) {
  FirmTable firms;
  for (const FirmPopulation& population : scenario.firms.populations) {
    for (std::uint32_t member = 0; member < population.count; ++member) {
      firms.country.push_back(static_cast<std::uint32_t>(population.countries[member % population.countries.size()]));
      firms.sector.push_back(population.sector);
      firms.size.push_back(draw(population.size, random, population.stable_id, member, kSize));
      firms.innovation.push_back(draw(population.innovation, random, population.stable_id, member, kInnovation));
      firms.risk_tolerance.push_back(draw(population.risk_tolerance, random, population.stable_id, member, kRiskTolerance));
      firms.population_id.push_back(population.stable_id);
      firms.member.push_back(member);
      firms.active.push_back(1);
      firms.acquired_by.push_back(-1);
      firms.acquired_step.push_back(-1);
    }
  }
  return firms;
}

}  // namespace policysim
