#include "sim/dynamics/step.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

#include "sim/dynamics/effects/effect.hpp"
#include "sim/dynamics/events/event.hpp"
#include "sim/dynamics/firms/b2b_cooperation.hpp"
#include "sim/dynamics/firms/firm_generation.hpp"

namespace policysim {
namespace {

void apply_due_events(const PhaseContext& context, const World& start, World& next) {
  for (const EventInstance& event : context.scenario.events) {
    if (event.period != start.period) continue;
    std::string detail = event.spec->apply(event, context.scenario, next);
    context.applied.push_back({event.period, event.name, std::string(event.spec->kind), std::move(detail)});
  }
}

double logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// Below this many agents a layer update is a few microseconds of work: starting a parallel
// region costs more than it saves (and idle threads spin), so small worlds run on one thread.
// Results are the same either way: every tie is a pure function of the start of the phase.
constexpr long kMinAgentsForThreads = 32;

Purpose shock_purpose(Layer layer) {
  switch (layer) {
    case Layer::Dialogue: return Purpose::DialogueShock;
    case Layer::Cooperation: return Purpose::CooperationShock;
    case Layer::Trade: return Purpose::TradeShock;
  }
  return Purpose::DialogueShock;
}

// Mutual layers (dialogue, cooperation): the strength moves part of the way towards the
// logistic of its utility, plus a shock, and stays in [0, 1]:
//   s' = clamp(s + a * (logistic(U_ij) - s) + sd * eps_ij, 0, 1)
// The shock of a pair is keyed by its two stable ids in increasing order.
void update_mutual_layer(Layer layer, const PhaseContext& context, const World& start, World& next) {
  const Scenario& scenario = context.scenario;
  const LayerDynamics& dynamics = scenario.layer_dynamics[index_of(layer)];
  const auto& terms = scenario.effects[index_of(layer)];
  const EffectContext effects{scenario, start};
  const TieMatrix& before = start.layer(layer);
  TieMatrix& after = next.layer(layer);
  const auto n = static_cast<long>(start.agent_count());
  const auto step = static_cast<std::uint32_t>(start.step);
#pragma omp parallel for schedule(dynamic, 4) if (n >= kMinAgentsForThreads)
  for (long i = 0; i < n; ++i) {
    const auto row = static_cast<std::size_t>(i);
    for (std::size_t col = row + 1; col < static_cast<std::size_t>(n); ++col) {
      const double target = logistic(utility(effects, terms, row, col));
      const std::uint32_t id_a = scenario.governments[row].stable_id;
      const std::uint32_t id_b = scenario.governments[col].stable_id;
      const double shock = dynamics.noise_sd == 0.0 ? 0.0
          : dynamics.noise_sd * context.random.normal(step, shock_purpose(layer), std::min(id_a, id_b), std::max(id_a, id_b));
      const double value = std::clamp(before(row, col) + dynamics.adjustment_rate * (target - before(row, col)) + shock, 0.0, 1.0);
      after(row, col) = value;
      after(col, row) = value;
    }
  }
}

// Trade (directed, US$ millions per year): the utility is the quarterly log growth of the flow,
//   T' = T * exp(U_ij + sd * eps_ij)
// so a pair that does not trade does not start to (new trade links come with firms, issue 4).
void update_trade(const PhaseContext& context, const World& start, World& next) {
  const Scenario& scenario = context.scenario;
  const LayerDynamics& dynamics = scenario.layer_dynamics[index_of(Layer::Trade)];
  const auto& terms = scenario.effects[index_of(Layer::Trade)];
  const EffectContext effects{scenario, start};
  const TieMatrix& before = start.layer(Layer::Trade);
  TieMatrix& after = next.layer(Layer::Trade);
  const auto n = static_cast<long>(start.agent_count());
  const auto step = static_cast<std::uint32_t>(start.step);
#pragma omp parallel for schedule(static) if (n >= kMinAgentsForThreads)
  for (long i = 0; i < n; ++i) {
    const auto row = static_cast<std::size_t>(i);
    for (std::size_t col = 0; col < static_cast<std::size_t>(n); ++col) {
      if (row == col || before(row, col) <= 0.0) continue;
      const double shock = dynamics.noise_sd == 0.0 ? 0.0
          : dynamics.noise_sd * context.random.normal(step, Purpose::TradeShock, scenario.governments[row].stable_id,
                                                      scenario.governments[col].stable_id);
      after(row, col) = before(row, col) * std::exp(utility(effects, terms, row, col) + shock);
    }
  }
}

void update_dialogue(const PhaseContext& c, const World& s, World& n) { update_mutual_layer(Layer::Dialogue, c, s, n); }
void update_cooperation(const PhaseContext& c, const World& s, World& n) { update_mutual_layer(Layer::Cooperation, c, s, n); }

// Threat fades geometrically: threat' = persistence * threat.
void decay_threat(const PhaseContext& context, const World& start, World& next) {
  next.cyber_threat = context.scenario.threat_persistence * start.cyber_threat;
}

const std::array<Phase, 6> kPhases = {{
    {"events", "apply the events dated this quarter (leaders, China ties, threats)", apply_due_events},
    {"trade", "trade flows grow by their utility (quarterly log growth)", update_trade},
    {"dialogue", "dialogue strengths move towards the logistic of their utility", update_dialogue},
    {"cooperation", "cooperation strengths move towards the logistic of their utility", update_cooperation},
    {"b2b_cooperation", "firms search sampled candidates for partners; B2B ties update, fade and form",
     update_b2b_cooperation},
    {"threat_decay", "cyber threat fades by [threat] persistence", decay_threat},
}};

}  // namespace

std::span<const Phase> step_phases() { return kPhases; }

World initial_world(const Scenario& scenario) {
  World world;
  const std::size_t n = scenario.agent_count();
  world.step = 0;
  world.period = scenario.simulation.start;
  world.china_ties.resize(static_cast<long>(n));
  world.cyber_threat.resize(static_cast<long>(n));
  for (std::size_t i = 0; i < n; ++i) {
    const Government& government = scenario.governments[i];
    world.leader.push_back(government.leader);
    world.china_ties[static_cast<long>(i)] = government.china_ties;
    world.cyber_threat[static_cast<long>(i)] = government.cyber_threat;
  }
  world.ties = scenario.initial_ties;
  world.firms = std::make_shared<const FirmTable>(generate_firms(scenario));
  world.b2b_cooperation = std::make_shared<const FirmNetwork>(world.firms->count(), FirmTies{});
  return world;
}

Simulation::Simulation(const Scenario& scenario)
    : scenario_(scenario), random_(scenario.simulation.seed), world_(initial_world(scenario)) {}

std::vector<AppliedEvent> Simulation::step() {
  std::vector<AppliedEvent> applied;
  const PhaseContext context{scenario_, random_, applied};
  for (const Phase& phase : step_phases()) {
    World next = world_;
    phase.run(context, world_, next);
    world_ = std::move(next);
  }
  world_.step += 1;
  world_.period = world_.period.plus_quarters(1);
  return applied;
}

}  // namespace policysim
