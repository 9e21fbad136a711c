#pragma once
// Effects that read the network itself: the intercept and cross-layer feedback.
#include "sim/dynamics/effects/effect.hpp"

namespace policysim::effects {

// Intercept: 1 for every pair. Its coefficient sets the baseline level of a layer (as
// RSiena's "density" effect); for trade it is the gravity constant b0 of the equilibrium log T*.
double density(const EffectContext&, std::size_t i, std::size_t j);

// Institutional memory: cooperation (MOUs, ministry working relationships) keeps dialogue
// alive after the leaders who started it have gone.
// Source: 000_02203e0e8e2dcc27.txt ("both countries have done a very good job of establishing
// broad MOUs and working relationships at the ministry-level, which should help the
// relationship to continue to grow beyond the current political leadership").
double institutional_memory(const EffectContext& context, std::size_t i, std::size_t j);

// Dialogue spillover: regular dialogue is where cooperation agreements are prepared.
// Source: 000_02203e0e8e2dcc27.txt ("The concurrent government meetings, memorandum, and business
// forum further formalized the G2G relationship") and 004_688dbf1441b292a7.txt (dialogues as the
// first area of Japan's cyber diplomacy, Table 1).
double dialogue_spillover(const EffectContext& context, std::size_t i, std::size_t j);

// Dialogue support for trade: G2G dialogue lowers the cost of doing business.
// Source: 000_02203e0e8e2dcc27.txt (the 2014 government meetings "paved the way for a more
// expansive B2B relationship").
double dialogue_support(const EffectContext& context, std::size_t i, std::size_t j);

// Third-party bridge (triadic closure): a common partner with whom both hold dialogue brings the
// two together; the strongest two-path through any third agent k: max_k dialogue_ik * dialogue_kj.
// Source: 000_02203e0e8e2dcc27.txt ("the United States is well positioned to support the expansion of
// the Japanese-Israeli relationship"; trilateral initiatives) and 004_688dbf1441b292a7.txt ("the
// United States is also a central security ally of the vast majority of Japan's security partners").
// B2B ties (cross-layer: firms -> governments): dense business ties between two countries give
// their governments more to discuss and protect: the share of the two countries' firms that have a B2B
// cooperation partner in the other country (JIIN's "companies networked"), from
// World::b2b_networked_share (the end of the previous B2B phase). A share, so the effect does not
// grow with the number of firms a scenario happens to model.
// Source: 000_02203e0e8e2dcc27.txt (JIIN, 'both G2G and B2B'; the business milestones of 2014
// 'signified a transformation in the nature of the Japanese-Israeli relationship').
double b2b_ties(const EffectContext& context, std::size_t i, std::size_t j);

double third_party_bridge(const EffectContext& context, std::size_t i, std::size_t j);

// Trade interdependence (cross-layer: trade -> dialogue and cooperation): the size of two-way
// trade on a log scale, log10(1 + exports_ij + exports_ji) / 6 (US$ millions; $1 trillion a year = 1).
// Source: 004_688dbf1441b292a7.txt (Japan "a middle power with high dependency on international
// trade"; attacks on trade partners "can adversely affect Japan") and 000_02203e0e8e2dcc27.txt (the
// United States the largest trading partner of both Japan and Israel).
// Organisations do not trade: for a trade bloc (`trade_bloc = true`: the EU, ASEAN) the flows are
// the sum of its members' flows with the other side (a derived statistic; members by the
// membership pair attribute, a member of both sides counted once on each, never with itself), so
// Japan-EU dialogue still has a trade driver; an organisation that is not a trade bloc (NATO) has none.
double trade_interdependence(const EffectContext& context, std::size_t i, std::size_t j);
// Two-way trade between i and j (US$ millions a year) as trade_interdependence reads it: the
// countries' flows, or for an organisation its members' flows summed.
double two_way_trade(const Scenario& scenario, const World& world, std::size_t i, std::size_t j);

// Gravity terms of the trade layer's equilibrium (Tinbergen 1962; Anderson & van Wincoop 2003):
// log T*_ij = b0 + b_x log X_i(t) + b_m log M_j(t) + b_d log dist_ij + political terms, with X_i(t)
// and M_j(t) the exporter's total exports and the importer's total imports on their exogenous path
// ([trade.totals], US$ millions a year) and dist the distance between capitals ([trade.distance_km]).
double exporter_size(const EffectContext& context, std::size_t i, std::size_t j);
double importer_size(const EffectContext& context, std::size_t i, std::size_t j);
double distance(const EffectContext& context, std::size_t i, std::size_t j);

// Attention load (a budget of attention): the dialogue strength each of the two governments
// already gives to its other partners, (load_i + load_j) / 2 with load_i = sum over k != i, j of
// dialogue_ik * (1 - membership_ik): a member's dialogue with its own organisation is routine, not
// a call on its budget, and an organisation has no budget of its own (load 0).
// With a negative coefficient, a government that holds many dialogues gives less to each further
// one, so a new partner crowds out an old one and a tie whose own drivers have fallen can lapse.
// Form: the valued version of RSiena's outdegree-activity effect (Snijders, van de Bunt & Steglich
// 2010, Social Networks 32: 44-60, "degree-related effects"), as used for networks of bilateral
// cooperation agreements by Kinne (2013, APSR 107(4): 766-785); diplomatic ties are costly and
// capacity-bound (Kinne 2014, ISQ 58(2): 247-259). Source: 004_688dbf1441b292a7.txt (Japan's
// dialogues spread over many partners; each needs MOFA, NISC and ministries' time) and
// 000_02203e0e8e2dcc27.txt (the Japanese side's "decentralized" cyber jurisdiction: many agencies
// to coordinate for each partner).
double attention_load(const EffectContext& context, std::size_t i, std::size_t j);

}  // namespace policysim::effects
