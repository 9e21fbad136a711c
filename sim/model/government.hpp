#pragma once
// Governments and international organisations: the G2G agents, and the catalogue of their
// numeric attributes.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace policysim {

enum class AgentKind { Country, Organisation };
std::string_view name_of(AgentKind kind);

// A numeric attribute of a government, as data: the scenario parser, the output writer, the
// set_attribute event and `policysim describe` all read this one list.
struct GovernmentAttribute {
  std::string_view name;
  double default_value;  // for governments the scenario leaves it out
  std::string_view doc;
  std::string_view source;
  // The long_name of its /state dataset, worded for a value that changes during a run; empty: doc.
  std::string_view state_long_name = {};
  // The range of its values: the scenario must stay in it, set_attribute clamps to it.
  double low = 0.0;
  double high = 1.0;
};

enum class GovernmentAttributeId {
  ChinaTies = 0,
  ChinaRivalry = 1,
  CyberThreat = 2,
  BureaucraticFragmentation = 3,
  RiskTolerance = 4,
  Formality = 5,
  CyberThreatLevel = 6,
  ThirdPartyPressure = 7,
  PressureTarget = 8,
};
inline constexpr std::size_t kGovernmentAttributeCount = 9;

// The catalogue, by GovernmentAttributeId.
inline constexpr std::array<GovernmentAttribute, kGovernmentAttributeCount> kGovernmentAttributes = {{
    {"china_ties", 0.0, "depth of economic and security ties with China (ports, 5G bids, arms sales)",
     "000_02203e0e8e2dcc27.txt (Israel's relationship with China: Haifa port, 5G bids)",
     "depth of economic and security ties with China, in [0, 1] (changed by events)"},
    {"china_rivalry", 0.0, "how strongly the government sees China as a rival or adversary",
     "000_02203e0e8e2dcc27.txt (Japan views China as a regional rival and adversary)"},
    {"cyber_threat", 0.0,
     "initial level of cyber threat felt (raised by cyber_incident events, decays each quarter)",
     "002_2a2c358a063535bf.txt (attacks on Japan: 3B in 2005, 5.8B in 2010, 54.5B in 2015)",
     "cyber threat felt, in [0, 1] (raised by events, returns towards cyber_threat_level)"},
    {"bureaucratic_fragmentation", 0.0,
     "how many agencies share cyber authority (0 = one directorate, 1 = many ministries)",
     "000_02203e0e8e2dcc27.txt (MOFA, NSS, NISC, MIC, MOD vs. Israel's INCD)"},
    {"risk_tolerance", 0.5, "cultural taste for risk-taking (chutzpah) against risk aversion",
     "000_02203e0e8e2dcc27.txt (the Tel Aviv-Tokyo divide)"},
    {"formality", 0.5, "formality and hierarchy of business and government culture",
     "000_02203e0e8e2dcc27.txt (the Tel Aviv-Tokyo divide)"},
    {"cyber_threat_level", 0.0,
     "long-run cyber threat that the felt threat returns to each quarter (moved by cyber_threat_level events; "
     "0 = incidents fade away completely)",
     "002_2a2c358a063535bf.txt (attacks on Japan: 3B in 2005, 5.8B in 2010, 54.5B in 2015: a trend, not a shock)",
     "long-run cyber threat that cyber_threat returns to, in [0, 1] (changed by events)"},
    {"third_party_pressure", 0.0,
     "how strongly a third party's objection holds the government back from ties with pressure targets "
     "(Japan's reliance on Arab oil); moved by third_party_pressure events",
     "000_02203e0e8e2dcc27.txt (Japan, \"apprehensive of harming ties with the oil-rich Arab nations, never made "
     "much of an effort to expand G2G or B2B ties\" with Israel)",
     "hold of a third party's objection on the government's ties, in [0, 1] (changed by events)"},
    {"pressure_target", 0.0,
     "how much the government is the object of such a third-party objection (Israel under the Arab oil boycott)",
     "000_02203e0e8e2dcc27.txt (\"a loosening of the Arab oil boycott\")"},
}};

constexpr std::size_t index_of(GovernmentAttributeId id) { return static_cast<std::size_t>(id); }
constexpr const GovernmentAttribute& info(GovernmentAttributeId id) { return kGovernmentAttributes[index_of(id)]; }
std::optional<GovernmentAttributeId> government_attribute_from_name(std::string_view name);
inline std::span<const GovernmentAttribute> government_attributes() { return kGovernmentAttributes; }

// One value per attribute, by GovernmentAttributeId.
using GovernmentAttributeValues = std::array<double, kGovernmentAttributeCount>;
GovernmentAttributeValues default_government_attributes();

struct Government {
  std::string code;  // ISO3 for countries (as in ../shared/data), short name for organisations
  std::string name;
  AgentKind kind = AgentKind::Country;
  std::uint32_t stable_id = 0;  // derived from the code: keys random streams, never the array slot
  std::string leader;           // head of government at the start (empty for organisations)
  // An organisation that is a trade bloc (the EU, ASEAN): trade-driven effects read its members'
  // flows summed. Other organisations (NATO) have no trade at all. Countries: always false.
  bool trade_bloc = false;
  // The attributes at the start of a run, by GovernmentAttributeId; the run changes its copy in World.
  GovernmentAttributeValues attributes = default_government_attributes();

  double attribute(GovernmentAttributeId id) const { return attributes[index_of(id)]; }
  double& attribute(GovernmentAttributeId id) { return attributes[index_of(id)]; }
};

// FNV-1a hash of the code: the same agent gets the same random streams in every scenario
// that contains it, whatever its position in the list.
std::uint32_t stable_id_of(std::string_view code);

}  // namespace policysim
