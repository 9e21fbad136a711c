#pragma once
// The three government-level tie layers of the multiplex network.
#include <array>
#include <optional>
#include <string_view>

#include "sim/model/dense.hpp"

namespace policysim {

enum class Layer { Dialogue = 0, Cooperation = 1, Trade = 2 };
inline constexpr std::size_t kLayerCount = 3;
inline constexpr std::array<Layer, kLayerCount> kAllLayers = {Layer::Dialogue, Layer::Cooperation,
                                                              Layer::Trade};

struct LayerInfo {
  std::string_view name;
  std::string_view units;
  std::string_view long_name;
  bool directed;  // trade i->j is i's exports to j; dialogue and cooperation are mutual
};

// Dialogue: how regularly two governments (or an organisation) hold bilateral policy dialogues
//   (cyber dialogues, economic dialogues, leader visits), a strength in [0, 1].
// Cooperation: institutionalised cooperation (MOUs, joint programmes, agreements), in [0, 1].
// Trade: the value of i's exports to j in current US$ millions per year (COW convention).
inline constexpr std::array<LayerInfo, kLayerCount> kLayerInfo = {{
    {"dialogue", "1", "strength of bilateral policy dialogue, in [0, 1]", false},
    {"cooperation", "1", "strength of institutionalised cooperation (MOUs, programmes), in [0, 1]", false},
    {"trade", "US$ millions per year", "exports from agent to partner", true},
}};

constexpr std::size_t index_of(Layer layer) { return static_cast<std::size_t>(layer); }
constexpr const LayerInfo& info(Layer layer) { return kLayerInfo[index_of(layer)]; }
constexpr std::string_view name_of(Layer layer) { return info(layer).name; }
std::optional<Layer> layer_from_name(std::string_view name);

// Dense [agent x partner] matrix; governments are few (tens), so dense is the right shape.
using TieMatrix = ComparableDense<Eigen::MatrixXd>;
using LayerTies = std::array<TieMatrix, kLayerCount>;

}  // namespace policysim
