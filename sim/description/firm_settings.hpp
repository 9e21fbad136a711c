#pragma once
// The firm side of a scenario: populations to generate, and how B2B ties form and fade.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "sim/model/firms.hpp"

namespace policysim {

// A firm attribute's distribution across a population; draws are clipped to [low, high].
struct AttributeDistribution {
  enum class Kind { Constant, Uniform, Normal, LogNormal } kind = Kind::Constant;
  double first = 0.0;   // constant: value; uniform: low; normal: mean; lognormal: mean of log
  double second = 0.0;  // uniform: high; normal: sd; lognormal: sd of log
  double low = -std::numeric_limits<double>::infinity();
  double high = std::numeric_limits<double>::infinity();
};

struct FirmPopulation {
  std::string name;                    // the key under [firms.populations] (or [firms.named])
  bool named = false;                  // a named firm ([firms.named.<name>]): a population of one
  std::uint32_t stable_id = 0;         // hash of the name: keys the population's random streams
  std::vector<std::size_t> countries;  // firm k of the population belongs to countries[k % size]
  Sector sector = Sector::Ict;
  std::uint32_t count = 0;
  AttributeDistribution size{AttributeDistribution::Kind::Constant, 1.0};
  AttributeDistribution innovation{AttributeDistribution::Kind::Uniform, 0.0, 1.0, 0.0, 1.0};
  AttributeDistribution risk_tolerance{AttributeDistribution::Kind::Uniform, 0.0, 1.0, 0.0, 1.0};
};

// B2B cooperation dynamics (../shared/bench/DECLARATION.md gives the reference values).
struct B2bDynamics {
  std::uint32_t candidates_per_step = 5;  // partners each firm draws uniformly among all firms per quarter
  std::uint32_t network_candidates = 0;   // ... and among its partners' partners (none while it has no partner)
  std::uint32_t event_candidates = 0;     // ... and from this quarter's matchmaking pools it takes part in
  // At most 64 in all: a firm's draws are keyed by member << 6 | candidate number.
  std::uint32_t total_candidates() const { return candidates_per_step + network_candidates + event_candidates; }
  double initial_weight = 0.5;            // weight of a new tie
  double weight_adjustment = 0.05;        // w <- (1 - a) w + a * complementarity
  double removal_threshold = 0.2;         // a tie whose weight falls below this ends
};

// B2B trade ([firms.trade], docs/model.md "B2B trade"): directed firm-to-firm flows that carry a share
// of the country-level trade between countries with firms. Off (no flows) while firm_share is 0.
struct B2bTradeDynamics {
  double firm_share = 0.0;            // share of the starting country trade c -> d carried by firm flows
  std::uint32_t buyers_per_firm = 2;  // starting flows: buyers each firm draws in each other country with firms
  double size_elasticity = 0.5;       // a starting flow's value is proportional to (size_seller * size_buyer)^e
  double cooperation_growth = 0.0;    // extra quarterly log growth of a flow per unit of the pair's cooperation weight
  double opening_rate = 0.0;          // chance a quarter, per unit of weight, that a cross-border cooperation tie opens a flow
  double noise_sd = 0.0;              // firm-level quarterly log shock of a flow (mean preserving)
  bool enabled() const { return firm_share > 0.0; }
};

struct FirmEffectTerm {
  std::size_t effect = 0;  // index into firm_effect_catalogue() (sim/dynamics/firms/firm_effects.hpp)
  double coefficient = 0.0;
};

struct FirmSettings {
  std::vector<FirmPopulation> populations;  // populations and named firms, sorted by name
  B2bDynamics cooperation;
  B2bTradeDynamics trade;
  std::vector<FirmEffectTerm> cooperation_effects;

  bool enabled() const { return !populations.empty(); }
};

}  // namespace policysim
