// agreement: a free trade, investment or data adequacy agreement between two parties enters into
// force (level 1) or lapses (level 0): the pair attribute fta, investment_agreement or
// data_adequacy, read by the firm effects agreement and data_adequacy and the government effect
// agreement.
// Source: 000_02203e0e8e2dcc27.txt ("the February 2017 Agreement for the Liberalization, Promotion, and
// Protection of Investment"; a free trade agreement under negotiation); 004_688dbf1441b292a7.txt ("the
// EU-Japan data adequacy agreement, which was agreed in July 2018 before coming into force in January 2019").
#include <cstdio>

#include "sim/dynamics/events/kinds.hpp"

namespace policysim::events {

std::string agreement(const EventContext& context, const EventInstance& event, World& world) {
  const auto a = static_cast<Eigen::Index>(*context.scenario.agent_index(event.text("country")));
  const auto b = static_cast<Eigen::Index>(*context.scenario.agent_index(event.text("partner")));
  const std::string& type = event.text("type");
  const PairAttributeId id = type == "fta"          ? PairAttributeId::FreeTradeAgreement
                             : type == "investment" ? PairAttributeId::InvestmentAgreement
                                                    : PairAttributeId::DataAdequacy;
  TieMatrix& values = world.pair_attributes[index_of(id)];
  const double before = values(a, b);
  values(a, b) = values(b, a) = event.number("level");
  char detail[200];
  std::snprintf(detail, sizeof detail, "%s-%s %s agreement %.2f -> %.2f", event.text("country").c_str(),
                event.text("partner").c_str(), type.c_str(), before, event.number("level"));
  return detail;
}

}  // namespace policysim::events
