// policysim describe: every effect, event kind, phase, attribute and measure, printed from the catalogues
// (so this text cannot drift from the code).
#include <iostream>

#include "sim/cli/command.hpp"
#include "sim/dynamics/effects/effect.hpp"
#include "sim/dynamics/events/event.hpp"
#include "sim/dynamics/firms/firm_effects.hpp"
#include "sim/dynamics/step.hpp"
#include "sim/measures/measure.hpp"
#include "sim/model/government.hpp"
#include "sim/model/pair_attributes.hpp"
#include "sim/scenario/defaults.hpp"
#include "sim/scenario/firms_section.hpp"

namespace policysim::cli {

int describe_command(const Invocation& invocation) {
  for (const auto& argument : invocation.arguments) {
    if (argument == "--help" || argument == "-h") {
      std::cout << "policysim describe\n\nPrint every layer, phase, effect, event kind and government attribute "
                   "with its meaning, parameters and source, the firm layer (settings, sectors, B2B effects), and "
                   "every measure a run can record.\n";
      return kExitOk;
    }
    throw UsageError("unexpected argument '" + argument + "'");
  }
  std::cout << "LAYERS (scenario: [layers.<layer>], [effects.<layer>], [initial_ties.<layer>])\n";
  for (Layer layer : kAllLayers) {
    const auto& dynamics = defaults::layer_dynamics[index_of(layer)];
    std::cout << "  " << name_of(layer) << " (" << (info(layer).directed ? "directed" : "mutual") << ", "
              << info(layer).units << "): " << info(layer).long_name << "\n";
    if (layer == Layer::Trade)
      std::cout << "      update: log T' = log T + drift + adjustment_rate * (U - log T) + noise_sd * eps   (U = log T*, the\n"
                << "      gravity equilibrium; drift = its change over the quarter from the totals' trend; a flow under\n"
                << "      0.001 counts as 0.001; organisations do not trade)\n"
                << "      defaults: adjustment_rate = " << dynamics.adjustment_rate << ", noise_sd = " << dynamics.noise_sd
                << ", presence_threshold = " << dynamics.presence_threshold << "\n"
                << "      inputs: [trade] totals_year; [trade.totals.<CODE>] exports, imports (US$ millions a year, > 0),\n"
                << "      exports_growth, imports_growth (log change a year); [trade.distance_km] A-B = km\n";
    else
      std::cout << "      update: s' = clamp(s + adjustment_rate * (logistic(U) - s) + noise_sd * eps, 0, 1)\n"
                << "      defaults: adjustment_rate = " << dynamics.adjustment_rate << ", noise_sd = "
                << dynamics.noise_sd << ", presence_threshold = " << dynamics.presence_threshold << "\n";
  }
  std::cout << "      U = sum over the layer's effects of coefficient * statistic\n";

  std::cout << "\nPHASES of one step (one quarter), in order\n";
  for (const auto& phase : step_phases()) std::cout << "  " << phase.name << ": " << phase.doc << "\n";

  std::cout << "\nEFFECTS (scenario: [effects.<layer>] <name> = coefficient)\n";
  for (const auto& effect : effect_catalogue()) {
    std::cout << "  " << effect.name << "  [default coefficient:";
    for (Layer layer : effect.layers) std::cout << " " << name_of(layer) << " " << effect.default_coefficient(layer);
    std::cout << "]\n      " << effect.doc << "\n      statistic: " << effect.formula << "\n      source: "
              << effect.source << "\n";
  }

  std::cout << "\nEVENT KINDS (scenario: [events.<name>] kind = \"...\", period = \"2014Q3\", parameters)\n"
               "  driver: exogenous (leaders, threats, third parties, China ties); policy: an instrument a government,\n"
               "  agency or firm chooses. A scenario with simulation.drivers_only = true (baseline.toml) warns about\n"
               "  each policy it schedules; scenarios/history.toml adds the policies that happened.\n";
  for (const auto& event : event_catalogue()) {
    std::cout << "  " << event.kind << " (" << name_of(event.role) << ")\n      " << event.doc
              << "\n      source: " << event.source << "\n";
    for (const auto& param : event.params)
      std::cout << "      " << param.name << " (" << name_of(param.type) << (param.required ? "" : ", optional")
                << "): " << param.doc << "\n";
    if (!event.exactly_one_of.empty()) {
      std::cout << "      give exactly one of:";
      for (std::string_view name : event.exactly_one_of) std::cout << " " << name;
      std::cout << "\n";
    }
  }

  std::cout << "\nOLD EVENT KIND NAMES (still accepted with their old parameters; recorded in /events/kind under the "
               "new name)\n";
  for (const auto& alias : event_aliases()) {
    std::cout << "  " << alias.kind << " = " << alias.target << " with";
    const char* separator = " ";
    for (const auto& [param, value] : alias.fixed) {
      std::cout << separator << param << " = \"" << value << "\"";
      separator = ", ";
    }
    for (const auto& [old_param, new_param] : alias.renamed) {
      std::cout << separator << new_param << " = " << old_param;
      separator = ", ";
    }
    std::cout << "\n";
    for (const auto& param : alias.params)
      std::cout << "      " << param.name << " (" << name_of(param.type) << "): " << param.doc << "\n";
  }

  std::cout << "\nGOVERNMENT ATTRIBUTES (scenario: [governments.<CODE>], each in [0, 1])\n";
  for (const auto& attribute : government_attributes())
    std::cout << "  " << attribute.name << " (default " << attribute.default_value << "): " << attribute.doc
              << "\n      source: " << attribute.source << "\n";
  std::cout << "  also: name, kind (\"country\" or \"organisation\"), leader\n";

  std::cout << "\nPAIR ATTRIBUTES (scenario: [pair_attributes.<attribute>] A-B = value in [0, 1], symmetric)\n";
  for (const auto& attribute : kPairAttributes)
    std::cout << "  " << attribute.name << " (default " << attribute.default_value << "): " << attribute.doc
              << "\n      source: " << attribute.source << "\n";

  // The firm layer: its settings (defaults from the description's structs) and its effects catalogue.
  const B2bDynamics cooperation;
  const B2bTradeDynamics trade;
  std::cout << "\nFIRM LAYER (scenario: [firms.*]; without [firms.populations] a scenario has no firms)\n"
            << "  sectors:";
  for (std::size_t k = 0; k < kSectorCount; ++k) std::cout << (k == 0 ? " " : ", ") << name_of(static_cast<Sector>(k));
  std::cout << "\n  [firms.populations.<name>] countries (agent codes), sector, count, size, innovation, "
               "risk_tolerance\n"
            << "      size, innovation, risk_tolerance: { distribution = \"constant\" (value), \"uniform\" (low, high), "
               "\"normal\" (mean, sd) or \"lognormal\" (mean_log, sd_log) }\n"
            << "  [firms.named.<name>] one firm by name: country, sector, size, innovation, risk_tolerance\n"
            << "  [firms.cooperation] B2B cooperation ties; defaults: candidates_per_step = "
            << cooperation.candidates_per_step << ", network_candidates = " << cooperation.network_candidates
            << ", event_candidates = " << cooperation.event_candidates << " (at most 64 in all), initial_weight = "
            << cooperation.initial_weight << ", weight_adjustment = " << cooperation.weight_adjustment
            << ", removal_threshold = " << cooperation.removal_threshold << "\n"
            << "  [firms.trade] B2B trade flows (off while firm_share is 0); defaults: firm_share = " << trade.firm_share
            << ", buyers_per_firm = " << trade.buyers_per_firm << ", size_elasticity = " << trade.size_elasticity
            << ", cooperation_growth = " << trade.cooperation_growth << ", opening_rate = " << trade.opening_rate
            << ", noise_sd = " << trade.noise_sd << "\n"
            << "  [output] firm_ties_every = k: a B2B edge-list snapshot every k steps (0: only the last)\n";

  std::cout << "\nFIRM (B2B) EFFECTS (scenario: [effects." << kB2bCooperationEffects
            << "] <name> = coefficient; the utility of firm i taking candidate j as a partner)\n";
  for (const auto& effect : firm_effect_catalogue())
    std::cout << "  " << effect.name << "\n      " << effect.doc << "\n      statistic: " << effect.formula
              << "\n      source: " << effect.source << "\n";

  const auto& milestones = defaults::milestones;
  std::cout << "\nMILESTONES (recorded in /milestones; scenario: [milestones])\n"
            << "  dialogue_held: in a quarter with chance dialogue_rate * d when the pair's dialogue d > dialogue_threshold\n"
            << "  mou_signed: when cooperation has gained mou_step since the pair's last MOU\n"
            << "  a business_forum event multiplies the chance by opportunity_factor and divides mou_step by it\n"
            << "  defaults: dialogue_threshold = " << milestones.dialogue_threshold << ", dialogue_rate = "
            << milestones.dialogue_rate << ", mou_step = " << milestones.mou_step << ", opportunity_factor = "
            << milestones.opportunity_factor << "\n";
  std::cout << "\nMEASURES (recorded in the run and sweep files; a sweep's [sweep] record = [\"name\", ...])\n";
  for (const Measure& measure : measure_catalogue()) {
    std::cout << "  " << measure.name << " (" << name_of(measure.scope) << ", " << measure.units;
    if (measure.needs == MeasureNeeds::Firms) std::cout << ", needs firms";
    if (measure.needs == MeasureNeeds::FirmTrade) std::cout << ", needs [firms.trade]";
    // How calibrate's tables and `score` summarise a year of it (docs/validation.md).
    if (measure.scope == MeasureScope::Pair) std::cout << ", a year: " << name_of(measure.per_year);
    std::cout << "): " << measure.long_name << "\n";
    if (!measure.source.empty()) std::cout << "      source: " << measure.source << "\n";
  }
  std::cout << "  scopes: world = one value; agent = one per government; pair = one per (agent, partner);\n"
            << "          firm group = one per firm population\n";
  std::cout << "\nOTHER SETTINGS\n"
            << "  [threat] persistence (default " << defaults::threat_persistence
            << "): share of cyber threat left after a quarter\n"
            << "  [spin_up] quarters (default " << defaults::spin_up_quarters
            << "): noise-free, event-free quarters that settle dialogue and cooperation before step 0\n"
            << "  [leader_affinity.<leader>] <other leader> = value in [-1, 1]\n"
            << "  [output] pairs = [\"JPN-ISR\", ...]: pairs recorded in /metrics\n"
            << "  extends = \"parent.toml\", remove_events = [\"name\", ...]: inherit a scenario\n"
            << "  [shifts.<CODE>] <attribute> = amount: move a government attribute's whole path (its start value and "
               "every later set_attribute value)\n";
  return kExitOk;
}

}  // namespace policysim::cli
