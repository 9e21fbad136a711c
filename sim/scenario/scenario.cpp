#include "sim/scenario/scenario.hpp"

namespace policysim {

double EventInstance::number(std::string_view param) const {
  return std::get<double>(params.find(param)->second);
}

const std::string& EventInstance::text(std::string_view param) const {
  return std::get<std::string>(params.find(param)->second);
}

std::optional<std::size_t> Scenario::agent_index(std::string_view code) const {
  for (std::size_t i = 0; i < governments.size(); ++i)
    if (governments[i].code == code) return i;
  return std::nullopt;
}

}  // namespace policysim
