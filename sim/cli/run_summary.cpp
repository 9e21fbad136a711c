#include "sim/cli/run_summary.hpp"

#include <iomanip>
#include <sstream>

namespace policysim::cli {
namespace {

// The catalogue names the summary reads: per layer its density, mean strength and tie (at the pairs
// of interest); with firms, the B2B cooperation network's size and mean weight.
std::vector<std::string> summary_measure_names() {
  std::vector<std::string> names;
  for (Layer layer : kAllLayers) {
    const std::string name(name_of(layer));
    names.insert(names.end(), {name + "_density", name + "_mean_strength", name});
  }
  names.insert(names.end(), {"b2b_cooperation_ties", "b2b_cooperation_mean_weight"});
  return names;
}

double value_of(const MeasureValues& values, const std::string& name, std::size_t k = 0) {
  return values.at(name).at(k);
}

}  // namespace

MeasureValues summary_measures(const MeasureContext& context) {
  MeasureValues values;
  for (const std::string& name : summary_measure_names()) {
    const Measure& entry = measure(name);
    if (entry.applies_to(context.scenario)) values[name] = entry.values(context);
  }
  return values;
}

std::string run_summary(const Scenario& scenario, const RunRecord& record) {
  const Period first = scenario.simulation.start;
  const Period last = scenario.end();  // the last row: the state at the start of the quarter after the run
  std::ostringstream out;
  out << std::fixed << std::setprecision(3);
  out << "policysim " << POLICYSIM_VERSION << " run of " << scenario.file << "\n"
      << "  quarters  " << first.label() << " .. " << scenario.last_simulated().label() << " (" << scenario.simulation.steps
      << " quarters), seed " << scenario.simulation.seed << ", " << scenario.agent_count() << " agents, "
      << record.threads << " thread(s), " << std::setprecision(2) << record.seconds << " s\n"
      << std::setprecision(3) << "  output    " << record.output_file << "\n\n";
  out << "layer         density " << first.label() << " -> " << last.label() << "   mean strength "
      << first.label() << " -> " << last.label() << "\n";
  for (Layer layer : kAllLayers) {
    const std::string name(name_of(layer));
    out << "  " << std::left << std::setw(12) << name << std::right << std::setw(8)
        << value_of(record.first, name + "_density") << " -> " << std::setw(6) << value_of(record.last, name + "_density")
        << "        " << std::setw(10) << value_of(record.first, name + "_mean_strength") << " -> "
        << value_of(record.last, name + "_mean_strength") << "\n";
  }
  if (record.firms > 0) {
    const auto ties = [](const MeasureValues& values) {
      return static_cast<std::size_t>(value_of(values, "b2b_cooperation_ties"));
    };
    out << "  " << std::left << std::setw(12) << "b2b coop." << std::right << std::setw(8) << ties(record.first)
        << " -> " << ties(record.last) << " ties among " << record.firms << " firms; mean weight "
        << value_of(record.first, "b2b_cooperation_mean_weight") << " -> "
        << value_of(record.last, "b2b_cooperation_mean_weight") << "\n";
  }
  if (!scenario.pairs_of_interest.empty()) {
    const std::size_t n = scenario.agent_count();
    out << "\npair        ";
    for (Layer layer : kAllLayers) out << std::setw(26) << name_of(layer);
    out << "\n";
    for (const AgentPair& pair : scenario.pairs_of_interest) {
      out << "  " << std::left << std::setw(10) << pair.label << std::right;
      const std::size_t k = pair.a * n + pair.b;
      for (Layer layer : kAllLayers) {
        const std::string name(name_of(layer));
        std::ostringstream cell;
        cell << std::fixed << std::setprecision(layer == Layer::Trade ? 0 : 3) << value_of(record.first, name, k)
             << " -> " << value_of(record.last, name, k);
        out << std::setw(26) << cell.str();
      }
      out << "\n";
    }
  }
  out << "\nevents applied: " << record.events.size() << "\n";
  for (const auto& event : record.events)
    out << "  " << event.period.label() << "  " << event.name << " (" << event.kind << "): " << event.detail << "\n";
  return out.str();
}

}  // namespace policysim::cli
