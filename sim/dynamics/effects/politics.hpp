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

}  // namespace policysim::effects
