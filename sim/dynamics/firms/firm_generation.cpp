#include "sim/dynamics/firms/firm_generation.hpp"

#include <algorithm>
#include <cmath>

#include "sim/dynamics/random_streams.hpp"
#include "sim/model/huge_pages.hpp"
#include "sim/model/thread_shares.hpp"

namespace policysim {
namespace {

enum AttributeSlot : std::uint32_t { kSize = 0, kInnovation = 1, kRiskTolerance = 2 };

// Members in chunks of this many: their draws of one attribute made together.
constexpr std::size_t kChunk = 256;

// A chunk's draw keys (a thread's, reused from chunk to chunk).
struct ChunkKeys {
  std::uint32_t populations[kChunk];
  std::uint32_t keys[kChunk];
};

// Attribute `slot` of members [first_member, first_member + count) (count <= kChunk), written to
// values[0, count) (the members' places in their column). Step 0 of the FirmAttributes stream; the
// member index and the attribute share the last word. The draws of a chunk are made together
// (RandomStreams::uniforms and normals, the same numbers bit for bit as one at a time, several
// Philox words an instruction): drawn one by one they were about 5 ms of the large benchmark's
// start on one thread (docs/performance.md, twenty-eighth round).
void draw_chunk(const AttributeDistribution& distribution, const RandomStreams& random, std::uint32_t population,
                std::uint32_t first_member, std::size_t count, AttributeSlot slot, ChunkKeys& chunk,
                double* const values) {
  for (std::size_t k = 0; k < count; ++k) {
    chunk.populations[k] = population;
    chunk.keys[k] = (first_member + static_cast<std::uint32_t>(k)) * 4 + slot;
  }
  const double first = distribution.first, second = distribution.second;
  switch (distribution.kind) {
    case AttributeDistribution::Kind::Constant:
      std::fill(values, values + count, first);
      break;
    case AttributeDistribution::Kind::Uniform:
      random.uniforms(0, Purpose::FirmAttributes, chunk.populations, chunk.keys, values, count);
      for (std::size_t k = 0; k < count; ++k) values[k] = first + (second - first) * values[k];
      break;
    case AttributeDistribution::Kind::Normal:
      random.normals(0, Purpose::FirmAttributes, chunk.populations, chunk.keys, values, count);
      for (std::size_t k = 0; k < count; ++k) values[k] = first + second * values[k];
      break;
    case AttributeDistribution::Kind::LogNormal:
      random.normals(0, Purpose::FirmAttributes, chunk.populations, chunk.keys, values, count);
      for (std::size_t k = 0; k < count; ++k) values[k] = std::exp(first + second * values[k]);
      break;
  }
  for (std::size_t k = 0; k < count; ++k) values[k] = std::clamp(values[k], distribution.low, distribution.high);
}

}  // namespace

FirmTable generate_firms(const Scenario& scenario, const RandomStreams& random) {
  // Every draw is keyed by (population, member, attribute), so the members are made in parallel, a
  // chunk at a time, into columns sized first: the same table for any number of threads. (The large
  // benchmark's start, the 100,000 firms most of it: 8 - 9 -> 4 - 5 ms on one thread with the
  // chunks' draws made together; docs/performance.md, twenty-eighth round.)
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
    const auto chunks = static_cast<long>((population.count + kChunk - 1) / kChunk);
#pragma omp parallel if (worth_threads(population.count, std::size_t{1} << 14))
    {
      ChunkKeys keys;
#pragma omp for schedule(static)
      for (long chunk = 0; chunk < chunks; ++chunk) {
        const auto first_member = static_cast<std::uint32_t>(static_cast<std::size_t>(chunk) * kChunk);
        const std::size_t count = std::min<std::size_t>(kChunk, population.count - first_member);
        for (std::size_t k = 0; k < count; ++k) {
          const auto member = first_member + static_cast<std::uint32_t>(k);
          const std::size_t f = first + member;
          firms.country[f] = static_cast<std::uint32_t>(population.countries[member % population.countries.size()]);
          firms.sector[f] = population.sector;
          firms.population_id[f] = population.stable_id;
          firms.member[f] = member;
        }
        const auto attribute = [&](const AttributeDistribution& distribution, AttributeSlot slot, auto& column) {
          draw_chunk(distribution, random, population.stable_id, first_member, count, slot, keys,
                     column.data() + first + first_member);
        };
        attribute(population.size, kSize, firms.size);
        attribute(population.innovation, kInnovation, firms.innovation);
        attribute(population.risk_tolerance, kRiskTolerance, firms.risk_tolerance);
      }
    }
    first += population.count;
  }
  return firms;
}

}  // namespace policysim
