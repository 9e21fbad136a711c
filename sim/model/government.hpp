#pragma once
// Governments and international organisations: the G2G agents.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace policysim {

enum class AgentKind { Country, Organisation };
std::string_view name_of(AgentKind kind);

struct Government {
  std::string code;  // ISO3 for countries (as in ../shared/data), short name for organisations
  std::string name;
  AgentKind kind = AgentKind::Country;
  std::uint32_t stable_id = 0;  // derived from the code: keys random streams, never the array slot
  std::string leader;           // head of government at the start (empty for organisations)

  // Attributes, each in [0, 1]; their meaning and sources are in kGovernmentAttributes.
  double china_ties = 0.0;
  double china_rivalry = 0.0;
  double cyber_threat = 0.0;
  double bureaucratic_fragmentation = 0.0;
  double risk_tolerance = 0.5;
  double formality = 0.5;
  double cyber_threat_level = 0.0;
  double third_party_pressure = 0.0;
  double pressure_target = 0.0;
};

// The numeric attributes of a government, as data: the scenario parser, the output writer
// and `policysim describe` all read this one list.
struct GovernmentAttribute {
  std::string_view name;
  double Government::*field;
  double default_value;
  std::string_view doc;
  std::string_view source;
};

std::span<const GovernmentAttribute> government_attributes();

// FNV-1a hash of the code: the same agent gets the same random streams in every scenario
// that contains it, whatever its position in the list.
std::uint32_t stable_id_of(std::string_view code);

}  // namespace policysim
