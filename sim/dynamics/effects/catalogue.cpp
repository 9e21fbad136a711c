// The one list of all effects. Explicit on purpose: a static library cannot silently drop
// a self-registering object, and `policysim describe` prints exactly this list.
//
// Each entry: name, the layers it may enter, its default coefficient in each of them (the value
// of the calibrated baseline, scenarios/baseline.toml), a one-line doc, the statistic, and the
// source passage (files in ../shared/domain) or data column it rests on.
#include <algorithm>

#include "sim/dynamics/catalogue_lookup.hpp"
#include "sim/dynamics/effects/effect.hpp"
#include "sim/dynamics/effects/politics.hpp"
#include "sim/dynamics/effects/structural.hpp"

namespace policysim {

bool EffectSpec::allowed_in(Layer layer) const {
  return std::find(layers.begin(), layers.end(), layer) != layers.end();
}

double EffectSpec::default_coefficient(Layer layer) const {
  for (std::size_t k = 0; k < layers.size() && k < default_coefficients.size(); ++k)
    if (layers[k] == layer) return default_coefficients[k];
  return 0.0;
}

const std::vector<EffectSpec>& effect_catalogue() {
  using enum Layer;
  static const std::vector<EffectSpec> all = {
      {.name = "density",
       .layers = {Dialogue, Cooperation, Trade},
       .default_coefficients = {-4.3, -4.0, -6.5242},
       .doc = "intercept: baseline level of the layer (for trade: the gravity constant b0 of log T*)",
       .formula = "1",
       .source = "modelling convention (RSiena's density effect); for trade, estimate: the gravity fit on "
                 "cow_trade_japan_dyads_1995_2009.csv (tools/baseline_data.py)",
       .statistic = effects::density},
      {.name = "exporter_size",
       .layers = {Trade},
       .default_coefficients = {0.9436},
       .doc = "gravity: the exporter's total exports on their exogenous path (elasticity b_x)",
       .formula = "log X_i(t), US$ millions a year ([trade.totals], trend after totals_year)",
       .source = "Tinbergen 1962, Anderson & van Wincoop 2003 (gravity); estimate: fit on "
                 "cow_trade_japan_dyads_1995_2009.csv and cow_trade_state_totals_1995_2009.csv",
       .statistic = effects::exporter_size},
      {.name = "importer_size",
       .layers = {Trade},
       .default_coefficients = {0.9101},
       .doc = "gravity: the importer's total imports on their exogenous path (elasticity b_m)",
       .formula = "log M_j(t), US$ millions a year ([trade.totals], trend after totals_year)",
       .source = "Tinbergen 1962, Anderson & van Wincoop 2003 (gravity); estimate: as exporter_size",
       .statistic = effects::importer_size},
      {.name = "distance",
       .layers = {Trade},
       .default_coefficients = {-0.8594},
       .doc = "gravity: distance between the capitals (elasticity b_d; use a negative coefficient)",
       .formula = "log dist_ij, km ([trade.distance_km])",
       .source = "Tinbergen 1962 (gravity); data: capital_distances_km.csv; estimate: as exporter_size",
       .statistic = effects::distance},
      {.name = "leader_affinity",
       .layers = {Dialogue, Cooperation},
       .default_coefficients = {2.5, 1.0},
       .doc = "rapport between the current heads of government of i and j",
       .formula = "affinity(leader_i, leader_j) from [leader_affinity], 0 if not stated",
       .source = "000_02203e0e8e2dcc27.txt: 'Arguably though, the biggest catalyst for the shift was the "
                 "relationship forged between Israeli Prime Minister Benjamin Netanyahu and Japanese Prime "
                 "Minister Shinzo Abe'",
       .statistic = effects::leader_affinity},
      {.name = "institutional_memory",
       .layers = {Dialogue},
       .default_coefficients = {4.0},
       .doc = "cooperation already institutionalised (MOUs) keeps dialogue alive after leaders leave "
              "(cross-layer: cooperation -> dialogue)",
       .formula = "cooperation_ij",
       .source = "000_02203e0e8e2dcc27.txt: 'both countries have done a very good job of establishing broad "
                 "MOUs and working relationships at the ministry-level, which should help the relationship to "
                 "continue to grow beyond the current political leadership'",
       .statistic = effects::institutional_memory},
      {.name = "dialogue_spillover",
       .layers = {Cooperation},
       .default_coefficients = {8.0},
       .doc = "regular dialogue prepares cooperation agreements (cross-layer: dialogue -> cooperation)",
       .formula = "dialogue_ij",
       .source = "000_02203e0e8e2dcc27.txt: 'The concurrent government meetings, memorandum, and business forum "
                 "further formalized the G2G relationship'",
       .statistic = effects::dialogue_spillover},
      {.name = "dialogue_support",
       .layers = {Trade},
       .default_coefficients = {0.0},
       .doc = "G2G dialogue lowers the cost of trading (cross-layer: dialogue -> trade)",
       .formula = "dialogue_ij",
       .source = "000_02203e0e8e2dcc27.txt: the 2014 meetings 'paved the way for a more expansive B2B "
                 "relationship'",
       .statistic = effects::dialogue_support},
      {.name = "china_friction",
       .layers = {Dialogue, Cooperation, Trade},
       .default_coefficients = {-2.0, -2.0, 0.0},
       .doc = "one side's China ties against the other's rivalry with China (use a negative coefficient)",
       .formula = "(china_ties_i * china_rivalry_j + china_ties_j * china_rivalry_i) / 2",
       .source = "000_02203e0e8e2dcc27.txt: Israel's relationship with China 'has been a friction point, not only "
                 "with Japan but with the United States as well'",
       .statistic = effects::china_friction},
      {.name = "shared_threat",
       .layers = {Dialogue, Cooperation},
       .default_coefficients = {3.0, 0.0},
       .doc = "governments under cyber threat at the same time seek each other out (attacks, or big events "
              "such as the Olympics)",
       .formula = "cyber_threat_i * cyber_threat_j",
       .source = "002_2a2c358a063535bf.txt: 'Cyberattacks have increased from three billion in 2005 to 5.8 billion "
                 "in 2010 to 54.5 billion in 2015'; 000_02203e0e8e2dcc27.txt: 'we need Israeli support in "
                 "cyber-security, especially ahead of the 2020 Tokyo Olympics'",
       .statistic = effects::shared_threat},
      {.name = "bureaucratic_friction",
       .layers = {Dialogue, Cooperation},
       .default_coefficients = {-1.0, 0.0},
       .doc = "fragmented cyber authority makes a government a harder partner (use a negative coefficient)",
       .formula = "(bureaucratic_fragmentation_i + bureaucratic_fragmentation_j) / 2",
       .source = "000_02203e0e8e2dcc27.txt: 'the jurisdiction over cyber is much more decentralized within the "
                 "Japanese government than it is in the Israeli government'",
       .statistic = effects::bureaucratic_friction},
      {.name = "norm_similarity",
       .layers = {Dialogue, Cooperation},
       .default_coefficients = {2.0, 0.0},
       .doc = "like-minded governments (similar UN votes) find dialogue easier",
       .formula = "un_vote_agreement_ij (pair attribute)",
       .source = "004_688dbf1441b292a7.txt: partnerships with 'nations and regions which share the same basic "
                 "values'; the 'normative proximity between the two partners'; data: "
                 "unga_japan_vote_agreement_1995_2009.csv",
       .statistic = effects::norm_similarity},
      {.name = "third_party_bridge",
       .layers = {Dialogue, Cooperation},
       .default_coefficients = {1.5, 0.0},
       .doc = "a common partner (such as the US) with whom both hold dialogue brings them together "
              "(triadic closure)",
       .formula = "max over k != i, j of dialogue_ik * dialogue_kj",
       .source = "000_02203e0e8e2dcc27.txt: 'the United States is well positioned to support the expansion of the "
                 "Japanese-Israeli relationship'; 004_688dbf1441b292a7.txt: 'the United States is also a central "
                 "security ally of the vast majority of Japan's security partners'",
       .statistic = effects::third_party_bridge},
      {.name = "attention_load",
       .layers = {Dialogue, Cooperation},
       .default_coefficients = {-0.3, 0.0},
       .doc = "a budget of attention: the dialogue each side already holds with others crowds out this one "
              "(use a negative coefficient; 0 switches the lapse mechanism off)",
       .formula = "(load_i + load_j) / 2, load_i = sum_{k != i,j} dialogue_ik * (1 - membership_ik); 0 for an "
                  "organisation",
       .source = "valued outdegree-activity (RSiena; Snijders, van de Bunt & Steglich 2010); costly, capacity-bound "
                 "diplomatic ties (Kinne 2013, 2014); 004_688dbf1441b292a7.txt: Japan's dialogues with many partners, "
                 "each run by several ministries",
       .statistic = effects::attention_load},
      {.name = "trade_interdependence",
       .layers = {Dialogue, Cooperation},
       .default_coefficients = {2.0, 0.0},
       .doc = "governments that trade a lot have more to discuss and protect (cross-layer: trade -> dialogue)",
       .formula = "log10(1 + trade_ij + trade_ji) / 6   (US$ millions a year; $1 trillion = 1; for an "
                  "organisation, its members' flows with the other side summed)",
       .source = "004_688dbf1441b292a7.txt: Japan 'a middle power with high dependency on international trade'; "
                 "attacks on 'trade partners in the region can adversely affect Japan'",
       .statistic = effects::trade_interdependence},
      {.name = "third_party_pressure",
       .layers = {Dialogue, Cooperation, Trade},
       .default_coefficients = {-3.0, -2.0, 0.0},
       .doc = "a third party's objection (the Arab oil suppliers' to Israel) holds a government back "
              "(use a negative coefficient)",
       .formula = "(third_party_pressure_i * pressure_target_j + third_party_pressure_j * pressure_target_i) / 2",
       .source = "000_02203e0e8e2dcc27.txt: 'Japan, apprehensive of harming ties with the oil-rich Arab nations, "
                 "never made much of an effort to expand G2G or B2B ties'",
       .statistic = effects::third_party_pressure},
      {.name = "spurned",
       .layers = {Dialogue, Cooperation},
       .default_coefficients = {-4.0, -2.0},
       .doc = "one side spurns the other's advances for cooperation (use a negative coefficient)",
       .formula = "spurned_ij (pair attribute, set by spurn events)",
       .source = "002_2a2c358a063535bf.txt: 'Should the U.S. choose to ignore or even spurn Japan's advances for "
                 "cooperation and help, Japan may shift their priorities to other nations and bodies'",
       .statistic = effects::spurned},
      {.name = "membership",
       .layers = {Dialogue, Cooperation},
       .default_coefficients = {3.0, 0.0},
       .doc = "a member and its organisation meet in the organisation's councils as a matter of course",
       .formula = "membership_ij (pair attribute: 1 for a member and its organisation)",
       .source = "004_688dbf1441b292a7.txt: cooperation 'with the EU, and separately with some of its Member "
                 "States'; the members of the EU, NATO and ASEAN are public record",
       .statistic = effects::membership},
      {.name = "b2b_ties",
       .layers = {Dialogue, Cooperation},
       .default_coefficients = {0.5, 1.0},
       .doc = "dense B2B ties between two countries' firms raise the benefit of G2G dialogue and cooperation "
              "(cross-layer: firms -> governments; 0 in a world without firms)",
       .formula = "share of the firms of i and j with at least one B2B cooperation partner in the other country "
                  "(firms networked / firms), 0 without firms",
       .source = "000_02203e0e8e2dcc27.txt: collaboration 'both G2G and B2B'; the 2014 business milestones "
                 "'signified a transformation in the nature of the Japanese-Israeli relationship'",
       .statistic = effects::b2b_ties},
      {.name = "agreement",
       .layers = {Dialogue, Cooperation},
       .default_coefficients = {0.5, 0.0},
       .doc = "a free trade, investment or data adequacy agreement in force gives the two a standing agenda",
       .formula = "max(fta, investment_agreement, data_adequacy) (pair attributes, set by agreement events)",
       .source = "000_02203e0e8e2dcc27.txt: 'the February 2017 Agreement for the Liberalization, Promotion, and "
                 "Protection of Investment'; 004_688dbf1441b292a7.txt: the EU-Japan data adequacy agreement, "
                 "'the latest step in EU-Japan cooperation'",
       .statistic = effects::agreement},
  };
  return all;
}

const EffectSpec* find_effect(std::string_view name) {
  return find_by_name<EffectSpec>(effect_catalogue(), name);
}

std::optional<std::size_t> effect_index(std::string_view name) {
  return index_by_name<EffectSpec>(effect_catalogue(), name);
}

const EffectSpec& spec_of(const EffectTerm& term) { return effect_catalogue().at(term.effect); }

double utility(const EffectContext& context, const std::vector<EffectTerm>& terms, std::size_t i,
               std::size_t j) {
  double sum = 0.0;
  const std::vector<EffectSpec>& catalogue = effect_catalogue();
  for (const auto& term : terms) sum += term.coefficient * catalogue[term.effect].statistic(context, i, j);
  return sum;
}

double traced_utility(const EffectContext& context, const std::vector<EffectTerm>& terms, std::size_t i,
                      std::size_t j, std::vector<UtilityTerm>& recorded) {
  double sum = 0.0;
  const std::vector<EffectSpec>& catalogue = effect_catalogue();
  for (const auto& term : terms) {
    const double statistic = catalogue[term.effect].statistic(context, i, j);
    recorded.push_back({term.effect, statistic, term.coefficient});
    sum += term.coefficient * statistic;
  }
  return sum;
}

}  // namespace policysim
