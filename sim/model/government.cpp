#include "sim/model/government.hpp"

#include <array>

namespace policysim {

std::string_view name_of(AgentKind kind) {
  return kind == AgentKind::Country ? "country" : "organisation";
}

std::span<const GovernmentAttribute> government_attributes() {
  static const std::array<GovernmentAttribute, 9> all = {{
      {"china_ties", &Government::china_ties, 0.0,
       "depth of economic and security ties with China (ports, 5G bids, arms sales)",
       "000_02203e0e8e2dcc27.txt (Israel's relationship with China: Haifa port, 5G bids)"},
      {"china_rivalry", &Government::china_rivalry, 0.0,
       "how strongly the government sees China as a rival or adversary",
       "000_02203e0e8e2dcc27.txt (Japan views China as a regional rival and adversary)"},
      {"cyber_threat", &Government::cyber_threat, 0.0,
       "initial level of cyber threat felt (raised by cyber_incident events, decays each quarter)",
       "002_2a2c358a063535bf.txt (attacks on Japan: 3B in 2005, 5.8B in 2010, 54.5B in 2015)"},
      {"bureaucratic_fragmentation", &Government::bureaucratic_fragmentation, 0.0,
       "how many agencies share cyber authority (0 = one directorate, 1 = many ministries)",
       "000_02203e0e8e2dcc27.txt (MOFA, NSS, NISC, MIC, MOD vs. Israel's INCD)"},
      {"risk_tolerance", &Government::risk_tolerance, 0.5,
       "cultural taste for risk-taking (chutzpah) against risk aversion",
       "000_02203e0e8e2dcc27.txt (the Tel Aviv-Tokyo divide)"},
      {"formality", &Government::formality, 0.5,
       "formality and hierarchy of business and government culture",
       "000_02203e0e8e2dcc27.txt (the Tel Aviv-Tokyo divide)"},
      {"cyber_threat_level", &Government::cyber_threat_level, 0.0,
       "long-run cyber threat that the felt threat returns to each quarter (moved by cyber_threat_level events; "
       "0 = incidents fade away completely)",
       "002_2a2c358a063535bf.txt (attacks on Japan: 3B in 2005, 5.8B in 2010, 54.5B in 2015: a trend, not a shock)"},
      {"third_party_pressure", &Government::third_party_pressure, 0.0,
       "how strongly a third party's objection holds the government back from ties with pressure targets "
       "(Japan's reliance on Arab oil); moved by third_party_pressure events",
       "000_02203e0e8e2dcc27.txt (Japan, \"apprehensive of harming ties with the oil-rich Arab nations, never made "
       "much of an effort to expand G2G or B2B ties\" with Israel)"},
      {"pressure_target", &Government::pressure_target, 0.0,
       "how much the government is the object of such a third-party objection (Israel under the Arab oil boycott)",
       "000_02203e0e8e2dcc27.txt (\"a loosening of the Arab oil boycott\")"},
  }};
  return all;
}

std::uint32_t stable_id_of(std::string_view code) {
  std::uint32_t hash = 2166136261u;
  for (unsigned char c : code) {
    hash ^= c;
    hash *= 16777619u;
  }
  return hash;
}

}  // namespace policysim
