#pragma once
// Finding an entry of one of the explicit catalogues (effects, firm effects, event kinds) by its
// name: one loop for all of them.
#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace policysim {

// The entry of `catalogue` whose `key` member equals `name`, or nullptr. `key` names the member
// that holds the name: `name` for effects, `kind` for event kinds.
template <typename Spec>
const Spec* find_by_name(std::span<const Spec> catalogue, std::string_view name,
                         std::string_view Spec::*key = &Spec::name) {
  for (const auto& spec : catalogue)
    if (spec.*key == name) return &spec;
  return nullptr;
}

// The position of that entry in `catalogue`: what the frozen description holds.
template <typename Spec>
std::optional<std::size_t> index_by_name(std::span<const Spec> catalogue, std::string_view name,
                                         std::string_view Spec::*key = &Spec::name) {
  for (std::size_t k = 0; k < catalogue.size(); ++k)
    if (catalogue[k].*key == name) return k;
  return std::nullopt;
}

}  // namespace policysim
