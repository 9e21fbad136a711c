#include "sim/calibration/measure_access.hpp"

#include "sim/dynamics/firms/b2b_cooperation.hpp"

namespace policysim::calibration {
namespace {

// Milestones of the step as a symmetric count matrix: a dialogue held by A and B counts for both.
Eigen::MatrixXd milestone_counts(const Scenario& scenario, std::span<const Milestone> milestones, MilestoneKind kind) {
  const auto n = static_cast<Eigen::Index>(scenario.agent_count());
  Eigen::MatrixXd counts = Eigen::MatrixXd::Zero(n, n);
  for (const Milestone& milestone : milestones) {
    if (milestone.kind != kind) continue;
    const auto a = static_cast<Eigen::Index>(milestone.agent), b = static_cast<Eigen::Index>(milestone.partner);
    counts(a, b) += 1.0;
    if (a != b) counts(b, a) += 1.0;
  }
  return counts;
}

// (c, d): B2B cooperation ties from a firm of c outside the cyber security sector to a cyber
// security firm of d. 002: "Japanese companies are known to prefer to farm out their cybersecurity
// to specialized companies rather than build in-house systems".
Eigen::MatrixXd b2b_cyber_service_ties(const Scenario& scenario, const World& world) {
  const auto n = static_cast<Eigen::Index>(scenario.agent_count());
  Eigen::MatrixXd counts = Eigen::MatrixXd::Zero(n, n);
  const FirmTable& firms = *world.firms;
  const FirmTies& ties = world.b2b_cooperation->ties();
  for (std::size_t e = 0; e < ties.count(); ++e)
    for (const auto& [client, provider] : {std::pair{ties.a[e], ties.b[e]}, std::pair{ties.b[e], ties.a[e]}}) {
      if (firms.sector[client] == Sector::CyberSecurity || firms.sector[provider] != Sector::CyberSecurity) continue;
      counts(static_cast<Eigen::Index>(firms.country[client]), static_cast<Eigen::Index>(firms.country[provider])) += 1.0;
    }
  return counts;
}

const std::vector<MeasureAccess>& all_measures() {
  static const std::vector<MeasureAccess> all = {
      {"dialogue", "", [](const Scenario&, const World& world, std::span<const Milestone>) -> Eigen::MatrixXd {
         return world.layer(Layer::Dialogue);
       }},
      {"trade", "US$ millions a year", [](const Scenario&, const World& world, std::span<const Milestone>) -> Eigen::MatrixXd {
         return world.layer(Layer::Trade);
       }},
      {"dialogues_held", "dialogues", [](const Scenario& scenario, const World&, std::span<const Milestone> milestones) {
         return milestone_counts(scenario, milestones, MilestoneKind::DialogueHeld);
       }},
      {"mous_signed", "MOUs", [](const Scenario& scenario, const World&, std::span<const Milestone> milestones) {
         return milestone_counts(scenario, milestones, MilestoneKind::MouSigned);
       }},
      {"b2b_networked_firms", "firms", [](const Scenario& scenario, const World& world, std::span<const Milestone>) -> Eigen::MatrixXd {
         return b2b_networked_firms(world, scenario.agent_count());
       }},
      {"b2b_cyber_service_ties", "ties", [](const Scenario& scenario, const World& world, std::span<const Milestone>) {
         return b2b_cyber_service_ties(scenario, world);
       }},
  };
  return all;
}

}  // namespace

const MeasureAccess* find_measure_access(std::string_view name) {
  for (const MeasureAccess& measure : all_measures())
    if (measure.name == name) return &measure;
  return nullptr;
}

std::vector<std::string> measure_access_names() {
  std::vector<std::string> names;
  for (const MeasureAccess& measure : all_measures()) names.push_back(measure.name);
  return names;
}

}  // namespace policysim::calibration
