#pragma once
// B2B trade: directed firm-to-firm flows that carry a share of the country-level trade, so that the
// trade between two countries with firms is the aggregate of their firms' trade plus a non-firm
// part (docs/model.md, "B2B trade"). Sources: 000 (B2B ties as the substance of the Japan-Israel
// relationship: "a more expansive B2B relationship", Israel's goal of $1 billion of exports to Japan
// in 2019), 002 (US firms selling cyber security services into Japan).
#include <cstdint>
#include <utility>
#include <vector>

#include "sim/dynamics/step.hpp"

namespace policysim {

// The starting flows: each active firm of country c draws `buyers_per_firm` buyers uniformly among
// the active firms of every other country d with firms that c exports to (counter: buyer country's
// stable id, FirmTradeBuyer, population id, member << 6 | k); a flow's raw value is
// (size_seller * size_buyer)^size_elasticity, and the values of each directed country pair are scaled
// to sum to firm_share * trade(c, d). Sorted by (seller, buyer), duplicates merged.
FirmFlows initial_firm_trade(const Scenario& scenario, const RandomStreams& random, const FirmTable& firms,
                             const TieMatrix& trade);

// The b2b_trade phase (after the country trade phase, which leaves the pair's log growth g_cd in
// World::trade_log_growth):
// 1. every flow s -> b between countries c, d grows as the country pair does, plus its cooperation tie:
//      v' = v * exp(g_cd + cooperation_growth * w_sb + noise_sd * eps - noise_sd^2 / 2)
//    (w_sb the B2B cooperation weight, 0 without a tie; eps keyed by the two firms);
// 2. each cross-border cooperation tie of weight w opens, in each direction without a flow, a new one
//    with chance opening_rate * w, worth the mean flow of its country pair (pairs without flows stay
//    without firm flows stay without: firm flows start only where the country pair traded at the start);
// 3. World::firm_trade = the flows summed per country pair, and trade = non-firm part + firm_trade.
void update_b2b_trade(const PhaseContext& context, const World& start, World& next);

// Flows from (seller << 32 | buyer, value) entries in any order: sorted by (seller, buyer), the values
// of an entry that appears more than once added up.
FirmFlows flows_from_entries(std::vector<std::pair<std::uint64_t, double>> entries);

// The flows summed per directed pair of countries, [agent x partner], US$ millions a year.
TieMatrix firm_trade_by_country(const FirmTable& firms, const FirmFlows& flows, std::size_t agents);

// A stable 32-bit key of a firm for draws keyed by two firms (population id mixed with member).
std::uint32_t firm_key(const FirmTable& firms, std::uint32_t firm);

struct FirmTradeMetrics {
  std::size_t flows = 0;
  double value = 0.0;  // US$ millions a year, all flows
};
FirmTradeMetrics compute_firm_trade_metrics(const World& world);

}  // namespace policysim
