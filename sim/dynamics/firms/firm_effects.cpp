// The catalogue of B2B effects. Each names the passage of ../shared/domain it rests on, and the
// benchmark's four (complementarity, cultural_distance, same_country, preferential_attachment)
// follow ../shared/bench/DECLARATION.md exactly.
#include "sim/dynamics/firms/firm_effects.hpp"

#include <cmath>

namespace policysim {
namespace {

double density(const FirmEffectContext&, std::uint32_t, std::uint32_t) { return 1.0; }

double complementarity_effect(const FirmEffectContext& context, std::uint32_t i, std::uint32_t j) {
  return complementarity(*context.world.firms, i, j);
}

double cultural_distance(const FirmEffectContext& context, std::uint32_t i, std::uint32_t j) {
  return std::abs(context.world.firms->risk_tolerance[i] - context.world.firms->risk_tolerance[j]);
}

double same_country(const FirmEffectContext& context, std::uint32_t i, std::uint32_t j) {
  return context.world.firms->country[i] == context.world.firms->country[j] ? 1.0 : 0.0;
}

double preferential_attachment(const FirmEffectContext& context, std::uint32_t, std::uint32_t j) {
  return std::log1p(static_cast<double>(context.world.b2b_cooperation->degree(j)));
}

// Mean of the two governments' dialogue and cooperation; 0 within one country.
double g2g_support(const FirmEffectContext& context, std::uint32_t i, std::uint32_t j) {
  const auto ci = static_cast<long>(context.world.firms->country[i]);
  const auto cj = static_cast<long>(context.world.firms->country[j]);
  if (ci == cj) return 0.0;
  return 0.5 * (context.world.layer(Layer::Dialogue)(ci, cj) + context.world.layer(Layer::Cooperation)(ci, cj));
}

}  // namespace

double complementarity(const FirmTable& firms, std::uint32_t i, std::uint32_t j) {
  const double xi = firms.innovation[i];
  const double xj = firms.innovation[j];
  return xi * (1.0 - xj) + xj * (1.0 - xi);
}

const std::vector<FirmEffectSpec>& firm_effect_catalogue() {
  static const std::vector<FirmEffectSpec> all = {
      {"density", "intercept: the baseline log-odds that a candidate partnership forms", "1",
       "modelling convention; -5 in ../shared/bench/DECLARATION.md", density},
      {"complementarity", "one firm's innovation against the other's making strength",
       "x_i (1 - x_j) + x_j (1 - x_i), x = innovation",
       "000_02203e0e8e2dcc27.txt: 'Chutzpah meets Monozukuri' (Israeli innovation, Japanese manufacturing)",
       complementarity_effect},
      {"cultural_distance", "gap in risk tolerance (use a negative coefficient)", "|r_i - r_j|, r = risk_tolerance",
       "000_02203e0e8e2dcc27.txt: Israeli risk-taking vs. Japanese risk aversion (the Tel Aviv-Tokyo divide)",
       cultural_distance},
      {"same_country", "firms of one country find each other more easily", "1 if country_i = country_j else 0",
       "000_02203e0e8e2dcc27.txt: the Tel Aviv-Tokyo divide, no direct flights until 2019", same_country},
      {"preferential_attachment", "well-connected firms attract partners", "ln(1 + degree_j)",
       "modelling convention (../shared/bench/DECLARATION.md)", preferential_attachment},
      {"g2g_support", "G2G dialogue and cooperation lower the cost of matching firms of the two countries",
       "(dialogue + cooperation of the two governments) / 2, 0 within a country",
       "000_02203e0e8e2dcc27.txt: the government meetings and memorandum 'paved the way for a more expansive B2B "
       "relationship'; JIIN networked over 1,000 companies in 2018",
       g2g_support},
  };
  return all;
}

const FirmEffectSpec* find_firm_effect(std::string_view name) {
  for (const auto& spec : firm_effect_catalogue())
    if (spec.name == name) return &spec;
  return nullptr;
}

double firm_utility(const FirmEffectContext& context, const std::vector<FirmEffectTerm>& terms, std::uint32_t i,
                    std::uint32_t j) {
  double sum = 0.0;
  for (const auto& term : terms) sum += term.coefficient * term.spec->statistic(context, i, j);
  return sum;
}

}  // namespace policysim
