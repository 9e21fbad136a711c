#include "sim/dynamics/step.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

#include "sim/dynamics/effects/effect.hpp"
#include "sim/dynamics/events/event.hpp"
#include "sim/dynamics/firms/b2b_cooperation.hpp"
#include "sim/dynamics/firms/b2b_trade.hpp"
#include "sim/dynamics/firms/firm_generation.hpp"

namespace policysim {
namespace {

void apply_due_events(const PhaseContext& context, const World& start, World& next) {
  next.opportunity.setZero();  // a business forum is an opportunity for its own quarter only
  next.match_pools.clear();    // and so are matchmaking pools
  const EventContext events{context.scenario, context.random};
  for (const EventInstance& event : context.scenario.events) {
    if (event.period != start.period) continue;
    const EventSpec& spec = spec_of(event);
    std::string detail = spec.apply(events, event, next);
    context.applied.push_back({event.period, event.name, std::string(spec.kind), std::move(detail)});
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
// The shock of a pair is keyed by its two stable ids in increasing order. The spin-up before step 0
// runs the same update without shocks (with_noise = false).
void update_mutual_layer(Layer layer, const PhaseContext& context, const World& start, World& next,
                         bool with_noise = true) {
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
      // A traced tie (at most one pair, so one thread) records its terms from the same sum.
      UtilityRecord* record = (context.trace != nullptr && context.trace->watches(layer, row, col))
                                  ? &context.trace->records.emplace_back()
                                  : nullptr;
      const double u = record != nullptr ? traced_utility(effects, terms, row, col, record->terms)
                                         : utility(effects, terms, row, col);
      const std::uint32_t id_a = scenario.governments[row].stable_id;
      const std::uint32_t id_b = scenario.governments[col].stable_id;
      const double shock = (dynamics.noise_sd == 0.0 || !with_noise) ? 0.0
          : dynamics.noise_sd * context.random.normal(step, shock_purpose(layer), std::min(id_a, id_b), std::max(id_a, id_b));
      const double value = mutual_tie_update(before(row, col), u, dynamics.adjustment_rate, shock);
      after(row, col) = value;
      after(col, row) = value;
      if (record != nullptr) {
        record->step = start.step;
        record->period = start.period;
        record->utility = u;
        record->tie_before = before(row, col);
        record->shock = shock;
        record->tie_after = value;
      }
    }
  }
}

// Trade (directed, US$ millions a year): an error correction towards a gravity equilibrium
// (docs/model.md, "Trade"; Tinbergen 1962, Anderson & van Wincoop 2003 for the gravity form):
//   g_ij = drift_ij(t) + lambda * (log T*_ij(t) - log T_ij) + sd * eps_ij,    T'_ij = T_ij * exp(g_ij)
// where log T*_ij(t) is the trade layer's utility: the gravity terms (density, exporter_size,
// importer_size, distance) plus the political terms (dialogue_support, china_friction,
// third_party_pressure), lambda = [layers.trade] adjustment_rate, and drift_ij(t) the change of the
// equilibrium over the quarter from the exogenous totals' trend (b_x g_X,i / 4 + b_m g_M,j / 4).
// So the log deviation from the moving equilibrium decays by (1 - lambda) a quarter, which is what
// lambda is estimated from (the AR(1) of the Japan dyads' deviations from the fitted gravity);
// political terms act through lambda only. A flow below kTradeFloor counts as the floor, so a pair that does not trade
// moves towards its equilibrium too (no absorbing zero) when lambda > 0; with lambda = 0 the layer
// is a random walk and a zero flow stays zero. Organisations do not trade (their rows stay 0).
// With firm trade ([firms.trade]) this grows the non-firm part T - F only; the b2b_trade phase then
// grows the firm flows by the same g (kept in World::trade_log_growth) and sets
// T = non-firm part + the new firm aggregate. The shock is keyed (seed, step, TradeShock, exporter's
// stable id, importer's stable id), so the result does not depend on the thread count.
constexpr double kTradeFloor = 1e-3;  // US$ millions a year ($1,000): where log T is taken for a flow at 0

// The change of log T*_ij over the quarter that starts at `period` from the totals' trend: the only
// terms of the equilibrium that move with time.
double equilibrium_drift(const Scenario& scenario, const std::vector<EffectTerm>& terms, Period period, std::size_t i,
                         std::size_t j) {
  const Period next = period.plus_quarters(1);
  double drift = 0.0;
  for (const EffectTerm& term : terms) {
    const std::string_view name = spec_of(term).name;
    if (name == "exporter_size")
      drift += term.coefficient * (scenario.trade.log_exports(i, next) - scenario.trade.log_exports(i, period));
    else if (name == "importer_size")
      drift += term.coefficient * (scenario.trade.log_imports(j, next) - scenario.trade.log_imports(j, period));
  }
  return drift;
}

void update_trade(const PhaseContext& context, const World& start, World& next) {
  const Scenario& scenario = context.scenario;
  const LayerDynamics& dynamics = scenario.layer_dynamics[index_of(Layer::Trade)];
  const auto& terms = scenario.effects[index_of(Layer::Trade)];
  const EffectContext effects{scenario, start};
  const TieMatrix& before = start.layer(Layer::Trade);
  const TieMatrix& firm_part = start.firm_trade;
  TieMatrix& after = next.layer(Layer::Trade);
  TieMatrix& growth = next.trade_log_growth;
  const double lambda = dynamics.adjustment_rate;
  const auto n = static_cast<long>(start.agent_count());
  const auto step = static_cast<std::uint32_t>(start.step);
#pragma omp parallel for schedule(static) if (n >= kMinAgentsForThreads)
  for (long i = 0; i < n; ++i) {
    const auto row = static_cast<std::size_t>(i);
    if (scenario.is_organisation(row)) continue;
    for (std::size_t col = 0; col < static_cast<std::size_t>(n); ++col) {
      if (row == col || scenario.is_organisation(col)) continue;
      const double flow = before(row, col);
      const bool below_floor = flow < kTradeFloor;
      UtilityRecord* record = (context.trace != nullptr && context.trace->watches(Layer::Trade, row, col))
                                  ? &context.trace->records.emplace_back()
                                  : nullptr;
      if (record != nullptr) {
        record->step = start.step;
        record->period = start.period;
        record->tie_before = flow;
        record->tie_after = flow;
        record->utility_used = lambda != 0.0;
      }
      if (below_floor && lambda == 0.0) continue;  // a random walk: a zero flow stays zero
      const double shock = dynamics.noise_sd == 0.0 ? 0.0
          : dynamics.noise_sd * context.random.normal(step, Purpose::TradeShock, scenario.governments[row].stable_id,
                                                      scenario.governments[col].stable_id);
      // The utility enters only with lambda > 0; a traced tie records its terms either way.
      const double u = record != nullptr ? traced_utility(effects, terms, row, col, record->terms)
                       : lambda == 0.0   ? 0.0
                                         : utility(effects, terms, row, col);
      const double drift = equilibrium_drift(scenario, terms, start.period, row, col);
      const double g = trade_log_growth(drift, lambda, u, flow, shock);
      growth(row, col) = g;
      const double non_firm = below_floor ? kTradeFloor - firm_part(row, col) : flow - firm_part(row, col);
      after(row, col) = non_firm * std::exp(g) + firm_part(row, col);
      if (record != nullptr) {
        record->utility = u;
        record->shock = shock;
        record->drift = drift;
        record->tie_after = after(row, col);
      }
    }
  }
}

void update_dialogue(const PhaseContext& c, const World& s, World& n) { update_mutual_layer(Layer::Dialogue, c, s, n); }
void update_cooperation(const PhaseContext& c, const World& s, World& n) { update_mutual_layer(Layer::Cooperation, c, s, n); }

// Milestones: the countable events of the dynamics, read from the ties after the cooperation phase.
// - A dialogue is held in the quarter with chance rate * d when the pair's dialogue d is above the
//   threshold (times opportunity_factor in a business-forum quarter, at most 1): a pair meets in a
//   share of quarters proportional to its dialogue strength. The uniform draw is keyed
//   (seed, step, DialogueHeld, smaller id, larger id).
// - An MOU is signed when cooperation has grown by mou_step since the pair's last MOU (by
//   mou_step / opportunity_factor in a business-forum quarter); the ratchet then moves up.
// They record the dynamics and do not feed back into the ties.
void record_milestones(const PhaseContext& context, const World& start, World& next) {
  const MilestoneSettings& settings = context.scenario.milestones;
  const TieMatrix& dialogue = start.layer(Layer::Dialogue);
  const TieMatrix& cooperation = start.layer(Layer::Cooperation);
  const auto n = static_cast<Eigen::Index>(start.agent_count());
  const auto step = static_cast<std::uint32_t>(start.step);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = i + 1; j < n; ++j) {
      const double factor = start.opportunity(i, j) > 0.0 ? settings.opportunity_factor : 1.0;
      const double strength = dialogue(i, j);
      if (settings.dialogue_rate > 0.0 && strength > settings.dialogue_threshold) {
        const double chance = std::min(1.0, factor * settings.dialogue_rate * strength);
        const std::uint32_t id_a = context.scenario.governments[static_cast<std::size_t>(i)].stable_id;
        const std::uint32_t id_b = context.scenario.governments[static_cast<std::size_t>(j)].stable_id;
        if (context.random.uniform(step, Purpose::DialogueHeld, std::min(id_a, id_b), std::max(id_a, id_b)) < chance)
          context.milestones.push_back({start.period, static_cast<std::size_t>(i), static_cast<std::size_t>(j),
                                        MilestoneKind::DialogueHeld, strength});
      }
      if (settings.mou_step > 0.0 && cooperation(i, j) >= start.cooperation_at_last_mou(i, j) + settings.mou_step / factor) {
        context.milestones.push_back({start.period, static_cast<std::size_t>(i), static_cast<std::size_t>(j),
                                      MilestoneKind::MouSigned, cooperation(i, j)});
        next.cooperation_at_last_mou(i, j) = next.cooperation_at_last_mou(j, i) = cooperation(i, j);
      }
    }
}

// Threat returns towards its long-run level: threat' = level + persistence * (threat - level)
// (with level 0, plain geometric decay: threat' = persistence * threat).
void decay_threat(const PhaseContext& context, const World& start, World& next) {
  const AgentValues& level = start.attribute(GovernmentAttributeId::CyberThreatLevel);
  const AgentValues& threat = start.attribute(GovernmentAttributeId::CyberThreat);
  next.attribute(GovernmentAttributeId::CyberThreat) =
      level.array() + context.scenario.threat_persistence * (threat - level).array();
}

const std::array<Phase, 8> kPhases = {{
    {"events", "apply the events dated this quarter (leaders, China ties, threats)", apply_due_events},
    {"trade", "trade flows close adjustment_rate of the log gap to their gravity equilibrium (the utility), plus a "
               "shock; with firm trade, the non-firm part", update_trade},
    {"b2b_trade", "firm trade flows grow as their country pair plus their cooperation tie; cooperation ties open "
                  "new flows; country trade = non-firm part + firm flows", update_b2b_trade},
    {"dialogue", "dialogue strengths move towards the logistic of their utility", update_dialogue},
    {"cooperation", "cooperation strengths move towards the logistic of their utility", update_cooperation},
    {"milestones", "dialogues held (a draw: chance dialogue_rate * dialogue above the threshold) and MOUs signed "
                   "(cooperation up by mou_step since the last one) are logged", record_milestones},
    {"b2b_cooperation", "firms search sampled candidates for partners; B2B ties update, fade and form",
     update_b2b_cooperation},
    {"threat_decay", "cyber threat returns towards its long-run level by [threat] persistence", decay_threat},
}};

// Before step 0: dialogue and cooperation follow their usual update for spin_up_quarters, without
// shocks, events, trade growth or threat decay, so that they start at the equilibrium of the starting
// drivers (e.g. the 2009 state that held the ties flat in the 2000s). The same for every seed: it
// draws nothing from `random`.
void spin_up(const Scenario& scenario, const RandomStreams& random, World& world) {
  if (scenario.spin_up_quarters <= 0) return;
  std::vector<AppliedEvent> no_events;
  std::vector<Milestone> no_milestones;
  const PhaseContext context{scenario, random, no_events, no_milestones, nullptr, nullptr};
  for (int quarter = 0; quarter < scenario.spin_up_quarters; ++quarter)
    for (Layer layer : {Layer::Dialogue, Layer::Cooperation}) {
      World next = world;
      update_mutual_layer(layer, context, world, next, false);
      world.layer(layer) = next.layer(layer);
    }
}

}  // namespace

std::string_view name_of(MilestoneKind kind) {
  return kind == MilestoneKind::DialogueHeld ? "dialogue_held" : "mou_signed";
}

std::span<const Phase> step_phases() { return kPhases; }

double mutual_tie_update(double before, double utility, double adjustment_rate, double shock) {
  return std::clamp(before + adjustment_rate * (logistic(utility) - before) + shock, 0.0, 1.0);
}

double trade_log_growth(double drift, double adjustment_rate, double utility, double flow, double shock) {
  const double log_flow = std::log(flow < kTradeFloor ? kTradeFloor : flow);
  return drift + (adjustment_rate == 0.0 ? 0.0 : adjustment_rate * (utility - log_flow)) + shock;
}

World initial_world(const Scenario& scenario, const RandomStreams& random) {
  World world;
  const std::size_t n = scenario.agent_count();
  world.step = 0;
  world.period = scenario.simulation.start;
  for (AgentValues& values : world.attributes) values.resize(static_cast<long>(n));
  for (std::size_t i = 0; i < n; ++i) {
    const Government& government = scenario.governments[i];
    world.leader.push_back(government.leader);
    for (std::size_t k = 0; k < kGovernmentAttributeCount; ++k)
      world.attributes[k][static_cast<long>(i)] = government.attributes[k];
  }
  // Pair attributes the scenario leaves empty (hand-built scenarios) take the catalogue defaults.
  world.pair_attributes = default_pair_attributes(n);
  for (std::size_t k = 0; k < kPairAttributeCount; ++k)
    if (scenario.pair_attributes[k].rows() == static_cast<long>(n) && scenario.pair_attributes[k].cols() == static_cast<long>(n))
      world.pair_attributes[k] = scenario.pair_attributes[k];
  world.opportunity = TieMatrix::Zero(static_cast<long>(n), static_cast<long>(n));
  world.program_until = TieMatrix::Zero(static_cast<long>(n), static_cast<long>(n));
  world.ties = scenario.initial_ties;
  spin_up(scenario, random, world);
  world.cooperation_at_last_mou = world.layer(Layer::Cooperation);
  world.firms = std::make_shared<const FirmTable>(generate_firms(scenario, random));
  world.b2b_cooperation = std::make_shared<FirmNetwork>(world.firms->count(), FirmTies{});
  world.b2b_country_ties = std::make_shared<const TieMatrix>(TieMatrix::Zero(static_cast<long>(n), static_cast<long>(n)));
  world.b2b_networked_share = std::make_shared<const TieMatrix>(TieMatrix::Zero(static_cast<long>(n), static_cast<long>(n)));
  world.b2b_trade = std::make_shared<const FirmFlows>(initial_firm_trade(scenario, random, *world.firms, world.layer(Layer::Trade)));
  world.firm_trade = firm_trade_by_country(*world.firms, *world.b2b_trade, n);
  world.trade_log_growth = TieMatrix::Zero(static_cast<long>(n), static_cast<long>(n));
  return world;
}

Simulation::Simulation(const Scenario& scenario)
    : scenario_(scenario), random_(RandomStreams::for_run(scenario)), world_(initial_world(scenario, random_)) {}

std::vector<AppliedEvent> Simulation::step() {
  std::vector<AppliedEvent> applied;
  milestones_.clear();
  const PhaseContext context{scenario_, random_, applied, milestones_, trace_, timings_};
  for (const Phase& phase : step_phases()) {
    // The phase's time includes its copy of the world (shared parts: a few pointers).
    const PhaseTimings::Scope timed(timings_, phase.name);
    World next = world_;
    phase.run(context, world_, next);
    world_ = std::move(next);
  }
  world_.step += 1;
  world_.period = world_.period.plus_quarters(1);
  return applied;
}

}  // namespace policysim
