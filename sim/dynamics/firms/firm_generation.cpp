#include "sim/dynamics/firms/firm_generation.hpp"

#include <algorithm>
#include <cmath>

#include "sim/dynamics/random_streams.hpp"
#include "sim/model/huge_pages.hpp"
#include "sim/model/thread_shares.hpp"

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
  // Every draw is keyed by (population, member, attribute), so the members are made in parallel
  // into columns sized first: the same table for any number of threads. (The large benchmark's
  // 100,000 firms took about 15 ms on one thread, at the start of the run, where nothing else runs.)
  std::size_t total = 0;
  for (const FirmPopulation& population : scenario.firms.populations) total += population.count;
  FirmTable firms;
  // The columns read at random by the firm step (a partner's innovation in the tie update, its
  // country in the aggregates) in 2 MiB pages where large (sim/model/huge_pages.hpp).
  resize_in_huge_pages(firms.country, total);
  firms.sector.resize(total);
  firms.size.resize(total);
  resize_in_huge_pages(firms.innovation, total);
  firms.risk_tolerance.resize(total);
  firms.population_id.resize(total);
  firms.member.resize(total);
  firms.active.assign(total, 1);
  firms.acquired_by.assign(total, -1);
  firms.acquired_step.assign(total, -1);
  std::size_t first = 0;
  for (const FirmPopulation& population : scenario.firms.populations) {
#pragma omp parallel for schedule(static) if (worth_threads(population.count, std::size_t{1} << 14))
    for (long m = 0; m < static_cast<long>(population.count); ++m) {
      const auto member = static_cast<std::uint32_t>(m);
      const std::size_t f = first + member;
      firms.country[f] = static_cast<std::uint32_t>(population.countries[member % population.countries.size()]);
      firms.sector[f] = population.sector;
      firms.size[f] = draw(population.size, random, population.stable_id, member, kSize);
      firms.innovation[f] = draw(population.innovation, random, population.stable_id, member, kInnovation);
      firms.risk_tolerance[f] = draw(population.risk_tolerance, random, population.stable_id, member, kRiskTolerance);
      firms.population_id[f] = population.stable_id;
      firms.member[f] = member;
    }
    first += population.count;
  }
  return firms;
}

}  // namespace policysim
