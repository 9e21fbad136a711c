// Milestones counted per pair: the dialogues held and MOUs signed in the step that led to the
// state (docs/model.md, "Milestones"). A milestone belongs to a mutual pair, so it counts at both
// (agent, partner) and (partner, agent).
#include <algorithm>

#include "sim/measures/families.hpp"

namespace policysim::measures {

void milestones_by_pair(MilestoneKind kind, const MeasureContext& context, std::span<double> out) {
  std::fill(out.begin(), out.end(), 0.0);
  const std::size_t n = context.scenario.agent_count();
  for (const Milestone& milestone : context.milestones) {
    if (milestone.kind != kind || milestone.agent >= n || milestone.partner >= n) continue;
    out[milestone.agent * n + milestone.partner] += 1.0;
    if (milestone.agent != milestone.partner) out[milestone.partner * n + milestone.agent] += 1.0;
  }
}

}  // namespace policysim::measures
