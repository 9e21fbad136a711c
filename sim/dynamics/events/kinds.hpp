#pragma once
// The apply functions of the event kinds, one file each.
#include "sim/dynamics/events/event.hpp"

namespace policysim::events {

std::string leadership_change(const EventInstance& event, const Scenario& scenario, World& world);
std::string china_ties(const EventInstance& event, const Scenario& scenario, World& world);
std::string cyber_incident(const EventInstance& event, const Scenario& scenario, World& world);
std::string cyber_threat_level(const EventInstance& event, const Scenario& scenario, World& world);
std::string third_party_pressure(const EventInstance& event, const Scenario& scenario, World& world);
std::string spurn(const EventInstance& event, const Scenario& scenario, World& world);
std::string business_forum(const EventInstance& event, const Scenario& scenario, World& world);
std::string matchmaking(const EventInstance& event, const Scenario& scenario, World& world);
std::string direct_flight(const EventInstance& event, const Scenario& scenario, World& world);
std::string agreement(const EventInstance& event, const Scenario& scenario, World& world);
std::string trilateral_program(const EventInstance& event, const Scenario& scenario, World& world);
std::string acquisition(const EventInstance& event, const Scenario& scenario, World& world);

}  // namespace policysim::events
