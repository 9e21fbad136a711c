#pragma once
// The text of a pair of agents, as scenario files, targets, moments, output files and `--pair`
// write it.
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace policysim {

// "JPN-ISR" -> {"JPN", "ISR"}: two non-empty codes joined by one '-'; nullopt for anything else.
// Whether the codes name agents is for the caller to check (and to word the error).
inline std::optional<std::pair<std::string, std::string>> split_pair_label(std::string_view text) {
  const auto dash = text.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 == text.size() ||
      text.find('-', dash + 1) != std::string_view::npos)
    return std::nullopt;
  return std::pair{std::string(text.substr(0, dash)), std::string(text.substr(dash + 1))};
}

// {"JPN", "ISR"} -> "JPN-ISR": the label split_pair_label reads back.
inline std::string pair_label(std::string_view agent, std::string_view partner) {
  std::string label;
  label.reserve(agent.size() + 1 + partner.size());
  label.append(agent).append(1, '-').append(partner);
  return label;
}

}  // namespace policysim
