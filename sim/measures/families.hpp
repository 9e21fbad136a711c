#pragma once
// The compute functions of the measure catalogue, one file per family (network.cpp, firms.cpp,
// milestones.cpp); catalogue.cpp lists them with their names and units. Each writes the values of
// one state into `out`, sized by Measure::value_count.
#include <span>

#include "sim/measures/measure.hpp"

namespace policysim::measures {

// network.cpp: the government tie layers.
void layer_density(Layer layer, const MeasureContext& context, std::span<double> out);
void layer_mean_strength(Layer layer, const MeasureContext& context, std::span<double> out);
void layer_ties(Layer layer, const MeasureContext& context, std::span<double> out);

// firms.cpp: firms, B2B cooperation and B2B trade.
void b2b_cooperation_tie_count(const MeasureContext& context, std::span<double> out);
void b2b_cooperation_mean_weight(const MeasureContext& context, std::span<double> out);
void b2b_cooperation_mean_degree(const MeasureContext& context, std::span<double> out);
void b2b_cooperation_by_country(const MeasureContext& context, std::span<double> out);
void b2b_trade_flow_count(const MeasureContext& context, std::span<double> out);
void b2b_trade_total_value(const MeasureContext& context, std::span<double> out);
void b2b_trade_by_country(const MeasureContext& context, std::span<double> out);
void b2b_networked_firm_count(const MeasureContext& context, std::span<double> out);
void b2b_networked_firm_share(const MeasureContext& context, std::span<double> out);
void b2b_cyber_service_ties(const MeasureContext& context, std::span<double> out);
void active_firms_by_country(const MeasureContext& context, std::span<double> out);
void active_firms_by_population(const MeasureContext& context, std::span<double> out);

// milestones.cpp: the milestones of the step that led to the state, counted per pair.
void milestones_by_pair(MilestoneKind kind, const MeasureContext& context, std::span<double> out);

// A [agent x partner] matrix into `out` in C order (Eigen stores by column); zeros when the matrix
// is empty (a world without firms leaves the firm aggregates 0 x 0).
void copy_matrix(const TieMatrix& matrix, std::size_t agents, std::span<double> out);

}  // namespace policysim::measures
