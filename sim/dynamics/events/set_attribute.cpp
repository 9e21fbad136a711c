// set_attribute: a government attribute of the catalogue (kGovernmentAttributes) moves to a new
// value: absolute (`value`), by an amount (`change`) or in proportion (`factor`), clamped to the
// attribute's range. One kind for every attribute that history moves; the old kinds china_ties,
// cyber_threat_level and third_party_pressure are its aliases (catalogue.cpp). Sources, by attribute:
// - china_ties: 000_02203e0e8e2dcc27.txt (Israel awarded the Port of Haifa contract to a Chinese firm
//   and was "entertaining Chinese bids for 5G networks", which led the US "to warn Israel to limit
//   ties with China or risk a decrease in security cooperation");
// - cyber_threat_level: 002_2a2c358a063535bf.txt ("Cyberattacks have increased from three billion in
//   2005 to 5.8 billion in 2010 to 54.5 billion in 2015") and 004_688dbf1441b292a7.txt (attacks
//   "further increased in 2017 and 2018"): a trend, not a one-off incident;
// - third_party_pressure: 000_02203e0e8e2dcc27.txt (the Arab Spring, a lower oil price and more US
//   oil "reduced some of the historical fear of harming relations with Arab nations by improving
//   relations with Israel").
#include <algorithm>
#include <sstream>

#include "sim/dynamics/events/kinds.hpp"

namespace policysim::events {

std::string set_attribute(const EventContext& context, const EventInstance& event, World& world) {
  const GovernmentAttributeId id = *government_attribute_from_name(event.text("attribute"));  // checked by the loader
  const GovernmentAttribute& attribute = info(id);
  const auto agent = static_cast<Eigen::Index>(*context.scenario.agent_index(event.text("agent")));
  double& current = world.attribute(id)[agent];
  const double before = current;
  double after = before;
  if (event.has("value")) after = event.number("value");
  else if (event.has("change")) after = before + event.number("change");
  else after = before * event.number("factor");
  current = std::clamp(after, attribute.low, attribute.high);
  std::ostringstream account;
  account << event.text("agent") << " " << attribute.name << " " << before << " -> " << current;
  return account.str();
}

}  // namespace policysim::events
