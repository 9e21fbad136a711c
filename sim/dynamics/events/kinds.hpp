#pragma once
// The apply functions of the event kinds, one file each.
#include "sim/dynamics/events/event.hpp"

namespace policysim::events {

std::string leadership_change(const EventContext& context, const EventInstance& event, World& world);
std::string cyber_incident(const EventContext& context, const EventInstance& event, World& world);
std::string set_attribute(const EventContext& context, const EventInstance& event, World& world);
std::string spurn(const EventContext& context, const EventInstance& event, World& world);
std::string business_forum(const EventContext& context, const EventInstance& event, World& world);
std::string matchmaking(const EventContext& context, const EventInstance& event, World& world);
std::string direct_flight(const EventContext& context, const EventInstance& event, World& world);
std::string agreement(const EventContext& context, const EventInstance& event, World& world);
std::string trilateral_program(const EventContext& context, const EventInstance& event, World& world);
std::string acquisition(const EventContext& context, const EventInstance& event, World& world);

}  // namespace policysim::events
