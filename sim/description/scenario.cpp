#include "sim/description/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace policysim {

namespace {

// The loader guarantees every declared parameter with its type; a miss here is a programming error.
const EventValue& parameter(const EventInstance& event, std::string_view param) {
  auto found = event.params.find(param);
  if (found == event.params.end())
    throw std::logic_error("event " + event.name + " has no parameter " + std::string(param));
  return found->second;
}

}  // namespace

double EventInstance::number(std::string_view param) const { return std::get<double>(parameter(*this, param)); }

const std::string& EventInstance::text(std::string_view param) const {
  return std::get<std::string>(parameter(*this, param));
}

const std::vector<std::string>& EventInstance::list(std::string_view param) const {
  return std::get<std::vector<std::string>>(parameter(*this, param));
}

double TradeWorld::log_exports(std::size_t agent, Period period) const {
  if (agent >= totals.size() || totals[agent].exports <= 0.0) return 0.0;
  return std::log(totals[agent].exports) + totals[agent].exports_growth * years_since_totals(period);
}

double TradeWorld::log_imports(std::size_t agent, Period period) const {
  if (agent >= totals.size() || totals[agent].imports <= 0.0) return 0.0;
  return std::log(totals[agent].imports) + totals[agent].imports_growth * years_since_totals(period);
}

double TradeWorld::log_distance(std::size_t a, std::size_t b) const {
  const auto high = static_cast<Eigen::Index>(std::max(a, b));
  if (distance_km.rows() <= high) return 0.0;
  const double km = distance_km(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b));
  return km > 0.0 ? std::log(km) : 0.0;
}

std::optional<std::size_t> Scenario::agent_index(std::string_view code) const {
  for (std::size_t i = 0; i < governments.size(); ++i)
    if (governments[i].code == code) return i;
  return std::nullopt;
}

}  // namespace policysim
