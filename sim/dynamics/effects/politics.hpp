#pragma once
// Effects of leaders, rivals and threats on G2G ties.
#include "sim/dynamics/effects/effect.hpp"

namespace policysim::effects {

// Leader affinity: rapport between the current heads of government of i and j, in [0, 1].
// Source: 000_02203e0e8e2dcc27.txt ("Arguably though, the biggest catalyst for the shift was the
// relationship forged between Israeli Prime Minister Benjamin Netanyahu and Japanese Prime
// Minister Shinzo Abe").
double leader_affinity(const EffectContext& context, std::size_t i, std::size_t j);

// China friction: one side's ties with China against the other side's rivalry with China,
// averaged over both directions: (c_i r_j + c_j r_i) / 2. A negative coefficient holds ties back.
// Source: 000_02203e0e8e2dcc27.txt ("Israel's relationship with China ... has been a friction
// point, not only with Japan but with the United States as well"; Japan "views China as a
// regional rival and adversary").
double china_friction(const EffectContext& context, std::size_t i, std::size_t j);

// Shared threat: both sides under cyber threat seek each other out: threat_i * threat_j.
// Source: 002_2a2c358a063535bf.txt (attacks on Japan rising from 5.8B in 2010 to 54.5B in 2015)
// and 000_02203e0e8e2dcc27.txt ("we need Israeli support in cyber-security, especially ahead of
// the 2020 Tokyo Olympics").
double shared_threat(const EffectContext& context, std::size_t i, std::size_t j);

// Bureaucratic friction: cyber authority spread over many agencies makes a partner harder to
// deal with: the mean fragmentation (f_i + f_j) / 2. A negative coefficient holds ties back.
// Source: 000_02203e0e8e2dcc27.txt ("the jurisdiction over cyber is much more decentralized within
// the Japanese government than it is in the Israeli government").
double bureaucratic_friction(const EffectContext& context, std::size_t i, std::size_t j);

// Norm similarity: like-minded governments (measured by the share of UN General Assembly votes
// they cast alike) find dialogue easier: un_vote_agreement_ij.
// Source: 004_688dbf1441b292a7.txt (partnerships with "nations and regions which share the same
// basic values"; EU-Japan "normative proximity"; China and Russia "contest this approach").
double norm_similarity(const EffectContext& context, std::size_t i, std::size_t j);

// Third-party pressure: one side's dependence on a third party that objects to the other side,
// averaged over both directions: (p_i t_j + p_j t_i) / 2, with p = third_party_pressure (moved by
// events) and t = pressure_target. A negative coefficient holds ties back.
// Source: 000_02203e0e8e2dcc27.txt ("For decades, Japan, apprehensive of harming ties with the
// oil-rich Arab nations, never made much of an effort to expand G2G or B2B ties"; the Arab Spring,
// lower oil prices and more US oil "reduced some of the historical fear").
double third_party_pressure(const EffectContext& context, std::size_t i, std::size_t j);

// Spurned: one side spurns the other's advances (pair attribute `spurned`, set by spurn events).
// A negative coefficient holds ties back.
// Source: 002_2a2c358a063535bf.txt ("Should the U.S. choose to ignore or even spurn Japan's advances
// for cooperation and help, Japan may shift their priorities to other nations and bodies").
double spurned(const EffectContext& context, std::size_t i, std::size_t j);

// Membership: a member and its organisation meet in the organisation's councils as a matter of
// course (pair attribute `membership`, 1 for member-organisation pairs).
// Source: 004_688dbf1441b292a7.txt (cooperation "with the EU, and separately with some of its Member
// States"; the ASEAN-Japan centre trains "security-related agencies in 10 ASEAN countries").
double membership(const EffectContext& context, std::size_t i, std::size_t j);

// Agreements in force between the two (free trade, investment, data adequacy): a treaty gives the
// governments a standing agenda. max(fta, investment_agreement, data_adequacy) pair attributes.
// Source: 000_02203e0e8e2dcc27.txt ('the February 2017 Agreement for the Liberalization, Promotion, and
// Protection of Investment'); 004_688dbf1441b292a7.txt (the EU-Japan data adequacy agreement as 'the
// latest step in EU-Japan cooperation').
double agreement(const EffectContext& context, std::size_t i, std::size_t j);

}  // namespace policysim::effects
