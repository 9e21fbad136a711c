#include "sim/description/scenario.hpp"

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

std::optional<std::size_t> Scenario::agent_index(std::string_view code) const {
  for (std::size_t i = 0; i < governments.size(); ++i)
    if (governments[i].code == code) return i;
  return std::nullopt;
}

}  // namespace policysim
