#include "sim/model/layers.hpp"

namespace policysim {

std::optional<Layer> layer_from_name(std::string_view name) {
  for (Layer layer : kAllLayers)
    if (name_of(layer) == name) return layer;
  return std::nullopt;
}

}  // namespace policysim
