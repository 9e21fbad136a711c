#include "sim/calibration/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <map>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include "sim/dynamics/step.hpp"
#include "sim/measures/measure.hpp"
#include "sim/scenario/load.hpp"

namespace policysim::calibration {

bool Condition::holds(double value) const {
  switch (kind) {
    case Kind::AtLeast: return value >= low;
    case Kind::Above: return value > low;
    case Kind::AtMost: return value <= low;
    case Kind::Below: return value < low;
    case Kind::Between: return value >= low && value <= high;
  }
  return false;
}

namespace {

std::string number_text(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

}  // namespace

std::string Condition::describe() const {
  switch (kind) {
    case Kind::AtLeast: return ">= " + number_text(low);
    case Kind::Above: return "> " + number_text(low);
    case Kind::AtMost: return "<= " + number_text(low);
    case Kind::Below: return "< " + number_text(low);
    case Kind::Between: return number_text(low) + " .. " + number_text(high);
  }
  return "?";
}

namespace {

std::string fixed(double value, int digits) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(digits) << value;
  return out.str();
}

double median(std::vector<double> values) {
  if (values.empty()) return NAN;
  std::sort(values.begin(), values.end());
  const std::size_t mid = values.size() / 2;
  return values.size() % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2.0;
}

double mean(const std::vector<double>& values) {
  return values.empty() ? 0.0 : std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

std::vector<double> ranks(const std::vector<double>& values) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  std::vector<double> result(values.size());
  for (std::size_t start = 0; start < order.size();) {
    std::size_t end = start;
    while (end + 1 < order.size() && values[order[end + 1]] == values[order[start]]) ++end;
    const double average = (static_cast<double>(start) + static_cast<double>(end)) / 2.0 + 1.0;
    for (std::size_t k = start; k <= end; ++k) result[order[k]] = average;
    start = end + 1;
  }
  return result;
}

// ---- Reading the records -------------------------------------------------------------------

// One cell of a pair measure: from -> to, plus to -> from with both_directions.
struct Cell {
  Eigen::Index from = 0;
  Eigen::Index to = 0;
  bool both = false;
  double of(const Eigen::MatrixXd& values) const { return both ? values(from, to) + values(to, from) : values(from, to); }
};

class Records {
 public:
  Records(const Report& report, const std::string& measure) : report_(report) {
    const auto found = std::find(report.measures.begin(), report.measures.end(), measure);
    // A report evaluated against another targets file must have recorded what that file reads.
    if (found == report.measures.end())
      throw std::invalid_argument("calibration: the report did not record the measure \"" + measure + "\"");
    measure_ = static_cast<std::size_t>(found - report.measures.begin());
  }
  std::optional<Eigen::Index> slot(const std::string& code) const {
    const auto found = std::find(report_.agents.begin(), report_.agents.end(), code);
    if (found == report_.agents.end()) return std::nullopt;
    return static_cast<Eigen::Index>(found - report_.agents.begin());
  }
  const std::vector<Eigen::MatrixXd>& steps(const SeedRecord& seed) const { return seed.values[measure_]; }

  // Per simulated year: the sum of the recorded values and how many steps were recorded.
  std::map<int, std::pair<double, int>> year_sums(const SeedRecord& seed, Cell cell) const {
    std::map<int, std::pair<double, int>> sums;
    const auto& values = steps(seed);
    for (std::size_t s = 0; s < values.size(); ++s) {
      if (values[s].size() == 0) continue;
      auto& [sum, count] = sums[report_.steps[s].year()];
      sum += cell.of(values[s]);
      count += 1;
    }
    return sums;
  }
  // The mean over the recorded steps of `years` (NaN when none): the years' sums added year by year.
  double mean_over(const SeedRecord& seed, Cell cell, const std::vector<int>& years) const {
    const auto sums = year_sums(seed, cell);
    double sum = 0.0;
    int count = 0;
    for (int year : years)
      if (auto found = sums.find(year); found != sums.end()) {
        sum += found->second.first;
        count += found->second.second;
      }
    return count > 0 ? sum / count : NAN;
  }
  std::optional<int> first_year(const SeedRecord& seed, Cell cell) const {
    const auto& values = steps(seed);
    for (std::size_t s = 0; s < values.size(); ++s)
      if (values[s].size() != 0 && cell.of(values[s]) > 0.0) return report_.steps[s].year();
    return std::nullopt;
  }
  std::optional<double> year_end(const SeedRecord& seed, Cell cell, int year) const {
    const auto& values = steps(seed);
    for (std::size_t s = 0; s < values.size(); ++s)
      if (report_.steps[s].year() == year && report_.steps[s].quarter() == 4 && values[s].size() != 0)
        return cell.of(values[s]);
    return std::nullopt;
  }
  std::optional<Eigen::VectorXd> year_end_row(const SeedRecord& seed, Eigen::Index agent, int year) const {
    const auto& values = steps(seed);
    for (std::size_t s = 0; s < values.size(); ++s)
      if (report_.steps[s].year() == year && report_.steps[s].quarter() == 4 && values[s].size() != 0)
        return Eigen::VectorXd(values[s].row(agent).transpose());
    return std::nullopt;
  }

 private:
  const Report& report_;
  std::size_t measure_ = 0;
};

Cell pair_cell(const Records& records, const Target& target) {
  return {*records.slot(target.agent), *records.slot(target.partner), target.both_directions};
}

// ---- Tolerances over seeds -----------------------------------------------------------------

// The noun a per-seed value is printed with.
std::string noun_of(Statistic statistic) {
  switch (statistic) {
    case Statistic::RatioOfMeans:
    case Statistic::RatioOfYearEnds: return "ratio";
    case Statistic::FirstYear: return "year";
    case Statistic::RankCorrelationOfFirstYears: return "Spearman rho";
    case Statistic::ShareOfPartners: return "share";
    default: return "value";
  }
}

// The units a mean over seeds is printed with.
std::string units_of(const Target& target) {
  if (target.statistic == Statistic::CountPerYearAfterFirst) return " a year";
  if (target.statistic == Statistic::YearEnd) {
    const Measure* measure = find_measure(target.measure);
    return measure && !measure->units.empty() && measure->units != "1" ? " " + measure->units : "";
  }
  return "";
}

struct PerSeed {
  std::vector<std::optional<double>> values;
  std::string note;            // printed after the model value (e.g. what a share is of)
  std::vector<double> totals;  // ShareOfPartners: the sum over all partners, per seed
};

// Met when each tolerance the target gives holds; model and tolerance texts say what was compared.
void judge_per_seed(const Target& target, const PerSeed& from_seeds, TargetResult& result) {
  const std::vector<std::optional<double>>& per_seed = from_seeds.values;
  const Tolerance& tolerance = target.tolerance;
  const std::size_t n = per_seed.size();
  std::vector<double> values;
  for (const auto& value : per_seed)
    if (value) values.push_back(*value);
  const std::string noun = noun_of(target.statistic);
  const std::string of_seeds = values.size() == n ? "mean over seeds" : "mean over " + std::to_string(values.size()) +
                                                                             " of " + std::to_string(n) + " seeds with a value";
  std::vector<std::string> model, wanted;
  bool met = true;
  if (tolerance.each_seed) {
    std::size_t hits = 0;
    for (const auto& value : per_seed)
      if (value && tolerance.each_seed->holds(*value)) ++hits;
    const double needed = tolerance.seed_share * static_cast<double>(n);
    const bool enough = tolerance.seed_share_strict ? static_cast<double>(hits) > needed + 1e-9
                                                    : static_cast<double>(hits) >= needed - 1e-9;
    met = met && enough;
    const std::string condition = noun + " " + tolerance.each_seed->describe();
    model.push_back(condition + " in " + std::to_string(hits) + " of " + std::to_string(n) + " seeds (median " + noun + " " +
                    (values.empty() ? std::string("none") : fixed(median(values), target.digits)) + ")");
    const std::string share = fixed(100.0 * tolerance.seed_share, 0) + "% of seeds";
    if (tolerance.seed_share_strict)
      wanted.push_back(condition + " in > " + share + " (more than " +
                       std::to_string(static_cast<long>(std::floor(needed + 1e-9))) + " of " + std::to_string(n) + ")");
    else
      wanted.push_back(condition + " in >= " + share + " (" + std::to_string(static_cast<long>(std::ceil(needed - 1e-9))) +
                       " of " + std::to_string(n) + ")");
  }
  if (tolerance.median) {
    const double middle = median(values);
    met = met && !values.empty() && tolerance.median->holds(middle);
    model.push_back(noun + " median " + fixed(middle, target.digits) + ", mean " + fixed(mean(values), target.digits));
    wanted.push_back("median " + noun + " " + tolerance.median->describe());
  }
  if (tolerance.mean) {
    const double average = mean(values);
    met = met && !values.empty() && tolerance.mean->holds(average);
    if (target.statistic == Statistic::ShareOfPartners)
      model.push_back(fixed(100.0 * average, target.digits) + "%" + from_seeds.note + " (" + of_seeds + ")");
    else
      model.push_back(fixed(average, target.digits) + units_of(target) + " (" + of_seeds + ")");
    wanted.push_back("mean " + tolerance.mean->describe());
  }
  if (tolerance.total) {
    const double total = mean(from_seeds.totals);
    met = met && !from_seeds.totals.empty() && tolerance.total->holds(total);
    if (!tolerance.mean) model.push_back("sum over all partners " + fixed(total, 0) + " (mean over seeds)");
    wanted.push_back("sum over all partners " + tolerance.total->describe());
  }
  result.met = met;
  for (std::size_t k = 0; k < model.size(); ++k) result.model += (k ? "; " : "") + model[k];
  for (std::size_t k = 0; k < wanted.size(); ++k) result.tolerance += (k ? "; " : "") + wanted[k];
}

// ---- The statistics ------------------------------------------------------------------------

PerSeed per_seed_values(const Report& report, const Target& target, TargetResult& result) {
  const Records records(report, target.measure);
  PerSeed per_seed;
  auto& values = per_seed.values;
  switch (target.statistic) {
    case Statistic::RatioOfMeans: {
      const Cell cell = pair_cell(records, target);
      for (const auto& seed : report.seeds) {
        const double over = records.mean_over(seed, cell, target.over_years);
        values.emplace_back(over > 0.0 ? records.mean_over(seed, cell, target.years) / over : INFINITY);
      }
      break;
    }
    case Statistic::FirstYear: {
      const Cell cell = pair_cell(records, target);
      for (const auto& seed : report.seeds) {
        const auto year = records.first_year(seed, cell);
        values.push_back(year ? std::optional<double>(*year) : std::nullopt);
      }
      break;
    }
    case Statistic::CountPerYearAfterFirst: {
      const Cell cell = pair_cell(records, target);
      for (const auto& seed : report.seeds) {
        const auto first = records.first_year(seed, cell);
        if (!first) {
          values.emplace_back(std::nullopt);
          continue;
        }
        const auto sums = records.year_sums(seed, cell);
        double count = 0.0;
        for (int year = *first + 1; year <= *first + target.years_after; ++year)
          if (auto found = sums.find(year); found != sums.end()) count += found->second.first;
        values.emplace_back(count / target.years_after);
      }
      break;
    }
    case Statistic::YearEnd: {
      const Cell cell = pair_cell(records, target);
      for (const auto& seed : report.seeds) values.push_back(records.year_end(seed, cell, target.year));
      break;
    }
    case Statistic::RatioOfYearEnds: {
      const Cell cell = pair_cell(records, target);
      for (const auto& seed : report.seeds) {
        const auto end = records.year_end(seed, cell, target.year), start = records.year_end(seed, cell, target.over_year);
        if (!end || !start) values.emplace_back(std::nullopt);
        else values.emplace_back(*start > 0.0 ? *end / *start : 0.0);
      }
      break;
    }
    case Statistic::ShareOfPartners: {
      // The listed partners' share of the agent's total over all partners, at the end of the year.
      const Eigen::Index agent = *records.slot(target.agent);
      std::vector<double>& totals = per_seed.totals;
      for (const auto& seed : report.seeds) {
        const auto row = records.year_end_row(seed, agent, target.year);
        if (!row) {
          values.emplace_back(std::nullopt);
          continue;
        }
        double listed = 0.0;
        for (const Partner& partner : target.partners)
          if (const auto slot = records.slot(partner.code)) listed += (*row)(*slot);
        const double total = row->sum();
        totals.push_back(total);
        values.emplace_back(total > 0.0 ? listed / total : NAN);
      }
      const Measure* measure = find_measure(target.measure);
      per_seed.note = " of " + fixed(mean(totals), 0) + (measure ? " " + measure->units : "");
      break;
    }
    case Statistic::RankCorrelationOfFirstYears: {
      // A partner without a first year ranks after the last simulated year.
      const Eigen::Index agent = *records.slot(target.agent);
      std::vector<std::vector<double>> first_years(target.partners.size());
      for (const auto& seed : report.seeds) {
        std::vector<double> source_years, model_years;
        for (std::size_t k = 0; k < target.partners.size(); ++k) {
          const auto slot = records.slot(target.partners[k].code);
          if (!slot) continue;
          const auto first = records.first_year(seed, {agent, *slot, target.both_directions});
          if (first) first_years[k].push_back(*first);
          source_years.push_back(target.partners[k].year);
          model_years.push_back(first ? static_cast<double>(*first) : static_cast<double>(report.last_year + 1));
        }
        values.emplace_back(spearman(source_years, model_years));
      }
      std::ostringstream details;
      details << "  per partner: source year vs model (median first year over seeds; seeds with one)\n";
      for (std::size_t k = 0; k < target.partners.size(); ++k) {
        if (!records.slot(target.partners[k].code)) continue;
        details << "  " << std::left << std::setw(6) << target.partners[k].code << std::right << " " << target.partners[k].year
                << "   model " << (first_years[k].empty() ? std::string("none") : fixed(median(first_years[k]), 1)) << " ("
                << first_years[k].size() << "/" << report.seeds.size() << ")\n";
      }
      result.details = details.str();
      break;
    }
    default: break;
  }
  return per_seed;
}

// Count per year and seed over `years`, pooled over seeds.
double pooled_rate(const Report& report, const Records& records, Cell cell, const std::vector<int>& years) {
  if (years.empty() || report.seeds.empty()) return 0.0;
  double total = 0.0;
  for (const auto& seed : report.seeds) {
    const auto sums = records.year_sums(seed, cell);
    for (int year : years)
      if (auto found = sums.find(year); found != sums.end()) total += found->second.first;
  }
  return total / static_cast<double>(years.size() * report.seeds.size());
}

void count_per_year_vs_other_years(const Report& report, const Target& target, TargetResult& result) {
  const Records records(report, target.measure);
  const Cell cell = pair_cell(records, target);
  std::vector<int> other_years = target.other_years;
  if (other_years.empty())
    for (int year = report.first_year; year <= report.last_year; ++year)
      if (std::find(target.years.begin(), target.years.end(), year) == target.years.end()) other_years.push_back(year);
  const double in_target = pooled_rate(report, records, cell, target.years);
  const double elsewhere = pooled_rate(report, records, cell, other_years);
  double busiest_other = 0.0;
  int busiest_year = 0;
  for (int year : other_years) {
    const double rate = pooled_rate(report, records, cell, {year});
    if (rate > busiest_other) {
      busiest_other = rate;
      busiest_year = year;
    }
  }
  result.model = fixed(in_target, target.digits) + " vs " + fixed(elsewhere, target.digits) + " (busiest other year " +
                 std::to_string(busiest_year) + ": " + fixed(busiest_other, target.digits) + ")";
  if (target.tolerance.above_busiest_other_year) {
    result.tolerance = "target years > each other year (per year and seed)";
    result.met = in_target > busiest_other;
  } else {
    result.tolerance = "target years > other years (pooled over years and seeds)";
    result.met = in_target > elsewhere;
  }
}

void shares_among_partners(const Report& report, const Target& target, TargetResult& result) {
  const Records records(report, target.measure);
  const Eigen::Index agent = *records.slot(target.agent);
  // Per partner: the sum over the seeds that simulate the year, and their number.
  std::vector<double> sums(target.partners.size(), 0.0);
  std::vector<std::size_t> counts(target.partners.size(), 0);
  for (const auto& seed : report.seeds) {
    std::vector<double> over_year(target.partners.size(), 0.0);
    bool simulated = false;
    for (std::size_t k = 0; k < target.partners.size(); ++k) {
      const auto slot = records.slot(target.partners[k].code);
      if (!slot) continue;
      const auto year_sums = records.year_sums(seed, {agent, *slot, target.both_directions});
      if (auto found = year_sums.find(target.year); found != year_sums.end()) {
        over_year[k] = found->second.first;
        simulated = true;
      }
    }
    if (!simulated) continue;
    double total = 0.0;
    for (std::size_t k = 0; k < target.partners.size(); ++k)
      if (records.slot(target.partners[k].code)) total += over_year[k];
    for (std::size_t k = 0; k < target.partners.size(); ++k)
      if (records.slot(target.partners[k].code)) {
        sums[k] += total > 0.0 ? over_year[k] / total : 0.0;
        counts[k] += 1;
      }
  }
  const auto [low_factor, high_factor] = *target.tolerance.range_factors;
  std::size_t within = 0, partners = 0;
  std::ostringstream details;
  details << "  per partner: observed " << (target.year - 1) << " [min, max] vs model " << target.year << " (mean over seeds)\n";
  for (std::size_t k = 0; k < target.partners.size(); ++k) {
    if (counts[k] == 0) continue;
    const Partner& partner = target.partners[k];
    const double share = sums[k] / static_cast<double>(counts[k]);
    ++partners;
    if (share >= low_factor * partner.min && share <= high_factor * partner.max) ++within;
    details << "  " << partner.code << "  " << fixed(partner.share_2009, target.digits) << " [" << fixed(partner.min, target.digits)
            << ", " << fixed(partner.max, target.digits) << "]  model " << fixed(share, target.digits) << "\n";
  }
  result.model = std::to_string(within) + " of " + std::to_string(partners) + " partners within (mean over seeds)";
  result.tolerance = "all within [" + number_text(low_factor) + " min, " + number_text(high_factor) + " max]";
  result.met = partners > 0 && within == partners;
  result.details = details.str();
}

// ---- What to record ------------------------------------------------------------------------

// For each measure, the steps some target or table reads.
std::map<std::string, std::vector<bool>> needed_steps(const TargetsFile& targets, const std::vector<Period>& steps) {
  std::map<std::string, std::vector<bool>> needed;
  const auto mark = [&](const std::string& measure, auto wanted) {
    auto& marks = needed.try_emplace(measure, steps.size(), false).first->second;
    for (std::size_t s = 0; s < steps.size(); ++s)
      if (wanted(steps[s])) marks[s] = true;
  };
  const auto in = [](const std::vector<int>& years) {
    return [years](Period p) { return std::find(years.begin(), years.end(), p.year()) != years.end(); };
  };
  const auto end_of = [](std::vector<int> years) {
    return [years](Period p) { return p.quarter() == 4 && std::find(years.begin(), years.end(), p.year()) != years.end(); };
  };
  const auto every = [](Period) { return true; };
  for (const Target& target : targets.targets) {
    switch (target.statistic) {
      case Statistic::RatioOfMeans: {
        std::vector<int> years = target.years;
        years.insert(years.end(), target.over_years.begin(), target.over_years.end());
        mark(target.measure, in(years));
        break;
      }
      case Statistic::SharesAmongPartners: mark(target.measure, in({target.year})); break;
      case Statistic::YearEnd:
      case Statistic::ShareOfPartners: mark(target.measure, end_of({target.year})); break;
      case Statistic::RatioOfYearEnds: mark(target.measure, end_of({target.year, target.over_year})); break;
      default: mark(target.measure, every); break;
    }
  }
  for (const Table& table : targets.tables)
    for (const TableColumn& column : table.columns) {
      if (column.per_year == TableColumn::PerYear::YearEnd) mark(column.measure, [](Period p) { return p.quarter() == 4; });
      else mark(column.measure, every);
    }
  return needed;
}

// A pair measure's values (row-major [agent, partner]) as a matrix.
Eigen::MatrixXd pair_values(const Measure& measure, const MeasureContext& context) {
  const std::vector<double> values = measure.values(context);
  const auto n = static_cast<Eigen::Index>(context.scenario.agent_count());
  return Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(values.data(), n, n);
}

SeedRecord run_seed(const Scenario& base, std::uint64_t seed, const std::vector<const Measure*>& measures,
                    const std::vector<std::vector<bool>>& needed) {
  Scenario scenario = base;
  scenario.simulation.seed = seed;
  SeedRecord record;
  record.seed = seed;
  record.values.assign(measures.size(), std::vector<Eigen::MatrixXd>(static_cast<std::size_t>(scenario.simulation.steps)));
  Simulation simulation(scenario);
  while (!simulation.finished()) {
    const auto s = static_cast<std::size_t>(simulation.world().step);
    simulation.step();
    const MeasureContext context{scenario, simulation.world(), simulation.milestones()};
    for (std::size_t m = 0; m < measures.size(); ++m)
      if (needed[m][s]) record.values[m][s] = pair_values(*measures[m], context);
  }
  return record;
}

// Every agent a target or table names in `pair` or `agent` must be in the scenario.
void check_agents(const Scenario& scenario, const TargetsFile& targets) {
  std::vector<ScenarioIssue> issues;
  const auto need = [&](const std::string& code, int line, const std::string& key) {
    if (!code.empty() && !scenario.agent_index(code))
      issues.push_back({targets.file, line, key, "the scenario " + scenario.file + " has no agent \"" + code + "\""});
  };
  for (const Target& target : targets.targets) {
    const std::string key = "targets." + target.id + (target.partner.empty() ? ".agent" : ".pair");
    need(target.agent, target.line, key);
    need(target.partner, target.line, key);
  }
  for (const Table& table : targets.tables)
    for (const TableColumn& column : table.columns) {
      need(column.agent, table.line, "tables." + table.id + ".columns");
      need(column.partner, table.line, "tables." + table.id + ".columns");
    }
  if (!issues.empty()) throw ScenarioError(std::move(issues));
}

}  // namespace

double spearman(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.size() != y.size() || x.size() < 2) return 0.0;
  const std::vector<double> rx = ranks(x), ry = ranks(y);
  const double n = static_cast<double>(x.size());
  const double mx = std::accumulate(rx.begin(), rx.end(), 0.0) / n, my = std::accumulate(ry.begin(), ry.end(), 0.0) / n;
  double sxy = 0.0, sxx = 0.0, syy = 0.0;
  for (std::size_t k = 0; k < rx.size(); ++k) {
    sxy += (rx[k] - mx) * (ry[k] - my);
    sxx += (rx[k] - mx) * (rx[k] - mx);
    syy += (ry[k] - my) * (ry[k] - my);
  }
  return (sxx == 0.0 || syy == 0.0) ? 0.0 : sxy / std::sqrt(sxx * syy);
}

Report run(const Scenario& scenario, const TargetsFile& targets, int seeds) {
  if (seeds < 1) throw std::invalid_argument("calibration needs at least one seed");
  check_agents(scenario, targets);
  Report report;
  report.scenario_file = scenario.file;
  report.targets = targets;
  for (const auto& government : scenario.governments) report.agents.push_back(government.code);
  report.first_year = scenario.simulation.start.year();
  report.last_year = scenario.last_simulated().year();
  for (int s = 0; s < scenario.simulation.steps; ++s) report.steps.push_back(scenario.simulation.start.plus_quarters(s));
  std::vector<const Measure*> measures;
  std::vector<std::vector<bool>> needed;
  for (auto& [name, steps] : needed_steps(targets, report.steps)) {
    const Measure& measure = policysim::measure(name);
    if (!measure.applies_to(scenario)) {
      report.inapplicable.push_back(name);
      continue;
    }
    report.measures.push_back(name);
    measures.push_back(&measure);
    needed.push_back(steps);
  }
  report.seeds.resize(static_cast<std::size_t>(seeds));
  // Each seed is an independent run; its record lands in its own slot, so the order in which
  // threads finish changes nothing.
#pragma omp parallel for schedule(dynamic, 1)
  for (int k = 0; k < seeds; ++k)
    report.seeds[static_cast<std::size_t>(k)] =
        run_seed(scenario, scenario.simulation.seed + static_cast<std::uint64_t>(k), measures, needed);
  return report;
}

bool Report::applies(const std::string& measure) const {
  return std::find(inapplicable.begin(), inapplicable.end(), measure) == inapplicable.end();
}

std::optional<double> year_value(const Report& report, const std::string& measure, Eigen::Index from, Eigen::Index to,
                                 YearSummary summary, int year, bool both_directions) {
  const Records records(report, measure);
  const Cell cell{from, to, both_directions};
  double total = 0.0;
  bool any = false;
  for (const auto& seed : report.seeds) {
    std::optional<double> value;
    if (summary == YearSummary::YearEnd) {
      value = records.year_end(seed, cell, year);
    } else {
      const auto sums = records.year_sums(seed, cell);
      if (auto found = sums.find(year); found != sums.end())
        value = summary == YearSummary::Count ? found->second.first : found->second.first / found->second.second;
    }
    if (value) {
      total += *value;
      any = true;
    }
  }
  if (!any) return std::nullopt;
  return total / static_cast<double>(report.seeds.size());
}

std::optional<double> quarter_value(const Report& report, const std::string& measure, Eigen::Index from,
                                    Eigen::Index to, Period quarter) {
  const Records records(report, measure);
  const auto step = std::find(report.steps.begin(), report.steps.end(), quarter);
  if (step == report.steps.end()) return std::nullopt;
  const auto s = static_cast<std::size_t>(step - report.steps.begin());
  double total = 0.0;
  bool any = false;
  for (const auto& seed : report.seeds) {
    const auto& values = records.steps(seed);
    if (values[s].size() == 0) continue;
    total += values[s](from, to);
    any = true;
  }
  if (!any) return std::nullopt;
  return total / static_cast<double>(report.seeds.size());
}

std::vector<TargetResult> evaluate(const Report& report) {
  std::vector<TargetResult> results;
  for (const Target& target : report.targets.targets) {
    if (!report.applies(target.measure)) continue;
    TargetResult result;
    result.id = target.id;
    result.name = target.title;
    result.source = target.says;
    result.role = target.role;
    result.sets = target.sets;
    result.evidence_year = target.evidence_year;
    if (target.statistic == Statistic::CountPerYearVsOtherYears) count_per_year_vs_other_years(report, target, result);
    else if (target.statistic == Statistic::SharesAmongPartners) shares_among_partners(report, target, result);
    else judge_per_seed(target, per_seed_values(report, target, result), result);
    results.push_back(std::move(result));
  }
  return results;
}

std::string format(const Report& report) {
  std::ostringstream out;
  const auto n = report.seeds.size();
  out << "policysim calibrate " << report.scenario_file << ": " << n << " seeds";
  if (n > 0) out << " (" << report.seeds.front().seed << " .. " << report.seeds.back().seed << ")";
  out << ", " << report.first_year << "-" << report.last_year << "; targets " << report.targets.file << "\n\n";
  const auto results = evaluate(report);
  for (const TargetResult& target : results) {
    out << (target.met ? "[met]    " : "[missed] ") << target.name << "\n"
        << "    source:    " << target.source << "\n"
        << "    model:     " << target.model << "\n"
        << "    tolerance: " << target.tolerance << "\n"
        << "    role:      " << target.role << (target.sets.empty() ? "" : " (set " + target.sets + ")") << ", evidence "
        << target.evidence_year << "\n";
  }

  for (const Table& table : report.targets.tables) {
    if (std::any_of(table.columns.begin(), table.columns.end(),
                    [&](const TableColumn& column) { return !report.applies(column.measure); }))
      continue;
    out << "\n" << table.title << "\n  year";
    std::vector<int> widths;
    for (const TableColumn& column : table.columns) {
      widths.push_back(std::max<int>(8, static_cast<int>(column.heading.size())));
      out << "  " << std::setw(widths.back()) << column.heading;
    }
    out << "\n";
    std::vector<Records> records;
    for (const TableColumn& column : table.columns) records.emplace_back(report, column.measure);
    for (int year = report.first_year; year <= report.last_year; ++year) {
      out << "  " << year;
      for (std::size_t c = 0; c < table.columns.size(); ++c) {
        const TableColumn& column = table.columns[c];
        double value = 0.0;
        if (column.count_above) {
          // Partners above the level at the end of the year, mean over seeds.
          const Eigen::Index agent = *records[c].slot(column.agent);
          for (const auto& seed : report.seeds)
            if (const auto row = records[c].year_end_row(seed, agent, year))
              for (Eigen::Index k = 0; k < row->size(); ++k)
                if (k != agent && (*row)(k) > *column.count_above) value += 1.0 / static_cast<double>(n);
          out << "  " << std::setw(widths[c]) << fixed(value, column.digits);
          continue;
        }
        const YearSummary summary = column.per_year == TableColumn::PerYear::Count     ? YearSummary::Count
                                    : column.per_year == TableColumn::PerYear::YearEnd ? YearSummary::YearEnd
                                                                                       : YearSummary::Mean;
        value = year_value(report, column.measure, *records[c].slot(column.agent), *records[c].slot(column.partner), summary,
                           year, column.both_directions)
                    .value_or(0.0);
        out << "  " << std::setw(widths[c]) << fixed(value, column.digits);
      }
      out << "\n";
    }
  }

  for (const TargetResult& target : results)
    if (!target.details.empty()) out << "\n" << target.name << "\n" << target.details;
  return out.str();
}

std::string format_side_by_side(const Report& first, const Report& second) {
  std::ostringstream out;
  const auto n = first.seeds.size();
  out << "policysim calibrate: " << n << " seeds";
  if (n > 0) out << " (" << first.seeds.front().seed << " .. " << first.seeds.back().seed << ")";
  out << ", " << first.first_year << "-" << first.last_year << "; targets " << first.targets.file << "\n"
      << "  A: " << first.scenario_file << "\n  B: " << second.scenario_file << "\n\n";
  const auto a = evaluate(first);
  const auto b = evaluate(second);
  std::size_t met_a = 0, met_b = 0;
  for (const TargetResult& target : a) {
    const auto other = std::find_if(b.begin(), b.end(), [&](const TargetResult& r) { return r.id == target.id; });
    met_a += target.met ? 1 : 0;
    out << target.name << "  (" << target.role << ", evidence " << target.evidence_year << ")\n"
        << "    source:    " << target.source << "\n"
        << "    tolerance: " << target.tolerance << "\n"
        << "    A: " << (target.met ? "[met]    " : "[missed] ") << target.model << "\n";
    if (other != b.end()) {
      met_b += other->met ? 1 : 0;
      out << "    B: " << (other->met ? "[met]    " : "[missed] ") << other->model << "\n";
    } else {
      out << "    B: (does not apply)\n";
    }
  }
  out << "\nmet: A " << met_a << " of " << a.size() << ", B " << met_b << " of " << b.size() << "\n";
  return out.str();
}

}  // namespace policysim::calibration
