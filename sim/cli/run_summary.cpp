#include "sim/cli/run_summary.hpp"

#include <iomanip>
#include <sstream>

namespace policysim::cli {

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
    const auto& a = record.first[index_of(layer)];
    const auto& b = record.last[index_of(layer)];
    out << "  " << std::left << std::setw(12) << name_of(layer) << std::right << std::setw(8) << a.density << " -> "
        << std::setw(6) << b.density << "        " << std::setw(10) << a.mean_strength << " -> " << b.mean_strength
        << "\n";
  }
  if (record.firms > 0)
    out << "  " << std::left << std::setw(12) << "b2b coop." << std::right << std::setw(8) << record.first_b2b.ties
        << " -> " << record.last_b2b.ties << " ties among " << record.firms << " firms; mean weight "
        << record.first_b2b.mean_weight << " -> " << record.last_b2b.mean_weight << "\n";
  if (!scenario.pairs_of_interest.empty()) {
    out << "\npair        ";
    for (Layer layer : kAllLayers) out << std::setw(26) << name_of(layer);
    out << "\n";
    for (std::size_t p = 0; p < scenario.pairs_of_interest.size(); ++p) {
      out << "  " << std::left << std::setw(10) << scenario.pairs_of_interest[p].label << std::right;
      for (Layer layer : kAllLayers) {
        std::ostringstream cell;
        cell << std::fixed << std::setprecision(layer == Layer::Trade ? 0 : 3)
             << record.first[index_of(layer)].pairs[p] << " -> " << record.last[index_of(layer)].pairs[p];
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
