#include "sim/calibration/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <numeric>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "sim/dynamics/firms/b2b_cooperation.hpp"
#include "sim/dynamics/step.hpp"

namespace policysim::calibration {

const std::vector<FirstDialogue>& table1_first_dialogues() {
  static const std::vector<FirstDialogue> all = {
      {"ASEAN", 2009}, {"GBR", 2012}, {"IND", 2012}, {"USA", 2013}, {"EU", 2014},
      {"FRA", 2014},   {"ISR", 2014}, {"AUS", 2015}, {"NATO", 2018}, {"EST", 2018},
  };
  return all;
}

const std::vector<TradeShareRange>& data_trade_shares() {
  // tools/baseline_data.py, section 4.
  static const std::vector<TradeShareRange> all = {
      {"AUS", 0.05643, 0.03556, 0.05909}, {"CHN", 0.32638, 0.10681, 0.32638}, {"DEU", 0.04245, 0.04112, 0.06566},
      {"EST", 0.00010, 0.00010, 0.00051}, {"FRA", 0.01770, 0.01692, 0.02959}, {"GBR", 0.01939, 0.01939, 0.04207},
      {"IDN", 0.03620, 0.02649, 0.04218}, {"IND", 0.01156, 0.00651, 0.01156}, {"ISR", 0.00267, 0.00224, 0.00393},
      {"KOR", 0.08164, 0.05628, 0.08426}, {"MYS", 0.03682, 0.03498, 0.05219}, {"PHL", 0.01391, 0.01375, 0.02246},
      {"RUS", 0.01842, 0.00695, 0.02826}, {"SGP", 0.02843, 0.02820, 0.05454}, {"THA", 0.04715, 0.03561, 0.05224},
      {"TWN", 0.06262, 0.06003, 0.07799}, {"USA", 0.18164, 0.18164, 0.37398}, {"VNM", 0.01649, 0.00433, 0.01649},
  };
  return all;
}

double SeedOutcome::isr_dialogue_ratio() const {
  return isr_dialogue_2012_2013 > 0.0 ? isr_dialogue_2015_2016 / isr_dialogue_2012_2013 : INFINITY;
}

std::optional<double> SeedOutcome::isr_dialogues_per_year_after_first() const {
  if (!first_isr_dialogue_year) return std::nullopt;
  int count = 0;
  for (int year = *first_isr_dialogue_year + 1; year <= *first_isr_dialogue_year + 5; ++year)
    if (auto found = isr_dialogues_by_year.find(year); found != isr_dialogues_by_year.end()) count += found->second;
  return count / 5.0;
}

namespace {

// A year with no value in a seed (no dialogue by the end) ranks after the last simulated year.
double year_or_after(const std::optional<int>& year, int last_year) {
  return year ? static_cast<double>(*year) : static_cast<double>(last_year + 1);
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

std::size_t slot(const Scenario& scenario, const std::string& code) {
  const auto index = scenario.agent_index(code);
  if (!index) throw std::invalid_argument("calibration needs the agent " + code + " in the scenario");
  return *index;
}

// The B2B measures at the end of `year`: JIIN's "companies networked" (Japanese and Israeli firms with a
// partner in the other country) and, at the end of 2019, whom Japan's non-cyber firms go to for cyber
// security (002: they "farm out their cybersecurity to specialized companies", US and Israeli).
void record_b2b_year_end(const World& world, const Scenario& scenario, int year, Eigen::Index jpn, Eigen::Index isr,
                         std::optional<std::size_t> usa, SeedOutcome& outcome) {
  const TieMatrix networked = b2b_networked_firms(world, scenario.agent_count());
  outcome.jpn_isr_networked_by_year[year] = networked(jpn, isr) + networked(isr, jpn);
  if (year != 2019) return;
  const FirmTable& firms = *world.firms;
  const FirmTies& ties = world.b2b_cooperation->ties();
  double with_cyber = 0.0, us_or_israeli = 0.0;
  for (std::size_t e = 0; e < ties.count(); ++e)
    for (const auto& [client, provider] : {std::pair{ties.a[e], ties.b[e]}, std::pair{ties.b[e], ties.a[e]}}) {
      if (static_cast<Eigen::Index>(firms.country[client]) != jpn || firms.sector[client] == Sector::CyberSecurity ||
          firms.sector[provider] != Sector::CyberSecurity)
        continue;
      with_cyber += 1.0;
      const auto home = static_cast<Eigen::Index>(firms.country[provider]);
      if (home == isr || (usa && home == static_cast<Eigen::Index>(*usa))) us_or_israeli += 1.0;
    }
  outcome.jpn_cyber_partner_ties_2019 = with_cyber;
  outcome.jpn_cyber_partners_us_isr_share_2019 = with_cyber > 0.0 ? us_or_israeli / with_cyber : NAN;
}

SeedOutcome run_seed(const Scenario& base, std::uint64_t seed) {
  Scenario scenario = base;
  scenario.simulation.seed = seed;
  const auto jpn = static_cast<Eigen::Index>(slot(scenario, "JPN"));
  const auto isr = static_cast<Eigen::Index>(slot(scenario, "ISR"));
  std::map<std::size_t, std::string> table1;  // slot -> code
  for (const auto& entry : table1_first_dialogues())
    if (auto index = scenario.agent_index(entry.partner)) table1[*index] = entry.partner;

  SeedOutcome outcome;
  outcome.seed = seed;
  for (const auto& [index, code] : table1) outcome.first_dialogue_year[code] = std::nullopt;
  std::map<int, std::pair<double, int>> isr_dialogue;  // year -> (sum, count) of end-of-quarter states
  std::map<std::string, double> trade_2010;             // partner -> sum over 2010's four quarters
  int trade_quarters_2010 = 0;

  const auto usa = scenario.agent_index("USA");
  std::map<int, std::pair<double, int>> isr_exports;  // year -> (sum, count)
  Simulation simulation(scenario);
  while (!simulation.finished()) {
    const int year = simulation.world().period.year();  // the quarter this step simulates
    const bool year_end = simulation.world().period.quarter() == 4;
    simulation.step();
    const World& world = simulation.world();
    auto& [export_sum, export_count] = isr_exports[year];
    export_sum += world.layer(Layer::Trade)(isr, jpn);
    export_count += 1;
    if (year_end && world.firms->count() > 0) record_b2b_year_end(world, scenario, year, jpn, isr, usa, outcome);
    auto& [sum, count] = isr_dialogue[year];
    sum += world.layer(Layer::Dialogue)(jpn, isr);
    count += 1;
    if (year == 2010) {
      trade_quarters_2010 += 1;
      const TieMatrix& trade = world.layer(Layer::Trade);
      for (const auto& range : data_trade_shares())
        if (auto index = scenario.agent_index(range.partner)) {
          const auto k = static_cast<Eigen::Index>(*index);
          trade_2010[range.partner] += trade(jpn, k) + trade(k, jpn);
        }
    }
    for (const Milestone& milestone : simulation.milestones()) {
      const auto a = static_cast<Eigen::Index>(milestone.agent), b = static_cast<Eigen::Index>(milestone.partner);
      const bool with_japan = a == jpn || b == jpn;
      if (!with_japan) continue;
      const auto other = static_cast<std::size_t>(a == jpn ? b : a);
      const int when = milestone.period.year();
      if (milestone.kind == MilestoneKind::DialogueHeld) {
        if (static_cast<Eigen::Index>(other) == isr) {
          outcome.isr_dialogues_by_year[when] += 1;
          if (!outcome.first_isr_dialogue_year) outcome.first_isr_dialogue_year = when;
        }
        if (auto found = table1.find(other); found != table1.end() && !outcome.first_dialogue_year[found->second])
          outcome.first_dialogue_year[found->second] = when;
      } else if (static_cast<Eigen::Index>(other) == isr) {
        outcome.isr_mous_by_year[when] += 1;
      }
    }
  }
  const auto mean_over = [&](int from, int to) {
    double sum = 0.0;
    int count = 0;
    for (int year = from; year <= to; ++year)
      if (auto found = isr_dialogue.find(year); found != isr_dialogue.end()) {
        sum += found->second.first;
        count += found->second.second;
      }
    return count > 0 ? sum / count : NAN;
  };
  for (const auto& [year, sum_count] : isr_dialogue) outcome.isr_dialogue_by_year[year] = sum_count.first / sum_count.second;
  for (const auto& [year, sum_count] : isr_exports) outcome.isr_exports_to_jpn_by_year[year] = sum_count.first / sum_count.second;
  outcome.isr_dialogue_2012_2013 = mean_over(2012, 2013);
  outcome.isr_dialogue_2015_2016 = mean_over(2015, 2016);
  if (trade_quarters_2010 > 0) {
    double total = 0.0;
    for (const auto& [code, value] : trade_2010) total += value;
    for (const auto& [code, value] : trade_2010) outcome.trade_share_2010[code] = total > 0.0 ? value / total : 0.0;
  }
  const int last_year = scenario.last_simulated().year();
  std::vector<double> source_years, model_years;
  for (const auto& entry : table1_first_dialogues())
    if (outcome.first_dialogue_year.count(entry.partner)) {
      source_years.push_back(entry.year);
      model_years.push_back(year_or_after(outcome.first_dialogue_year.at(entry.partner), last_year));
    }
  outcome.table1_spearman = spearman(source_years, model_years);
  return outcome;
}

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

// Mean count per year and seed, over the given years.
double rate_per_year(const Report& report, const std::vector<int>& years,
                     const std::map<int, int> SeedOutcome::*counts) {
  if (years.empty() || report.seeds.empty()) return 0.0;
  double total = 0.0;
  for (const SeedOutcome& seed : report.seeds)
    for (int year : years)
      if (auto found = (seed.*counts).find(year); found != (seed.*counts).end()) total += found->second;
  return total / static_cast<double>(years.size() * report.seeds.size());
}

// Japan's 2010 trade share with `partner`, averaged over the seeds that have one.
std::optional<double> mean_trade_share_2010(const Report& report, const std::string& partner) {
  double sum = 0.0;
  std::size_t count = 0;
  for (const auto& seed : report.seeds)
    if (auto found = seed.trade_share_2010.find(partner); found != seed.trade_share_2010.end()) {
      sum += found->second;
      ++count;
    }
  if (count == 0) return std::nullopt;
  return sum / static_cast<double>(count);
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

Report run(const Scenario& scenario, int seeds) {
  if (seeds < 1) throw std::invalid_argument("calibration needs at least one seed");
  slot(scenario, "JPN");
  slot(scenario, "ISR");
  Report report;
  report.scenario_file = scenario.file;
  report.first_year = scenario.simulation.start.year();
  report.last_year = scenario.last_simulated().year();
  report.seeds.resize(static_cast<std::size_t>(seeds));
  // Each seed is an independent run; its outcome lands in its own slot, so the order in which
  // threads finish changes nothing.
#pragma omp parallel for schedule(dynamic, 1)
  for (int k = 0; k < seeds; ++k)
    report.seeds[static_cast<std::size_t>(k)] = run_seed(scenario, scenario.simulation.seed + static_cast<std::uint64_t>(k));
  return report;
}

std::vector<TargetResult> evaluate(const Report& report) {
  std::vector<TargetResult> results;
  const auto n = report.seeds.size();
  const std::string of_n = " of " + std::to_string(n) + " seeds";

  {  // 1. The 2014 shift: dialogue 2015-16 at least 1.5 x 2012-13.
    std::size_t hits = 0;
    std::vector<double> ratios;
    for (const auto& seed : report.seeds) {
      ratios.push_back(seed.isr_dialogue_ratio());
      if (seed.isr_dialogue_ratio() >= 1.5) ++hits;
    }
    results.push_back({"JPN-ISR dialogue 2015-16 / 2012-13",
                       "a 'dramatic shift' in 2014 (000): at least 1.5x",
                       "ratio >= 1.5 in " + std::to_string(hits) + of_n + " (median ratio " + fixed(median(ratios), 2) + ")",
                       ">= 90% of seeds (18 of 20)", hits * 10 >= n * 9});
  }
  {  // 2. The first JPN-ISR dialogue held in 2014 +/- 1.
    std::size_t hits = 0;
    std::vector<double> years;
    for (const auto& seed : report.seeds) {
      if (seed.first_isr_dialogue_year) years.push_back(*seed.first_isr_dialogue_year);
      if (seed.first_isr_dialogue_year && std::abs(*seed.first_isr_dialogue_year - 2014) <= 1) ++hits;
    }
    results.push_back({"first JPN-ISR dialogue held", "November 2014 (000, 001, 004)",
                       "2013-2015 in " + std::to_string(hits) + of_n + " (median year " +
                           (years.empty() ? std::string("none") : fixed(median(years), 1)) + ")",
                       "2013-2015 in > 50% of seeds", hits * 2 > n});
  }
  {  // 3. Then about yearly.
    std::vector<double> rates;
    for (const auto& seed : report.seeds)
      if (auto rate = seed.isr_dialogues_per_year_after_first()) rates.push_back(*rate);
    const double mean = rates.empty() ? 0.0 : std::accumulate(rates.begin(), rates.end(), 0.0) / static_cast<double>(rates.size());
    results.push_back({"JPN-ISR dialogues a year, 5 years after the first",
                       "2016, 2017, 2018 after 2014: 'almost every year' (004)",
                       fixed(mean, 2) + " a year (mean over seeds with a first dialogue)", "0.6 .. 1.4",
                       !rates.empty() && mean >= 0.6 && mean <= 1.4});
  }
  {  // 4. MOUs in 2014-15 and 2017-18 more often than in other years.
    std::vector<int> target_years = {2014, 2015, 2017, 2018}, other_years;
    for (int year = report.first_year; year <= report.last_year; ++year)
      if (std::find(target_years.begin(), target_years.end(), year) == target_years.end()) other_years.push_back(year);
    const double in_target = rate_per_year(report, target_years, &SeedOutcome::isr_mous_by_year);
    const double elsewhere = rate_per_year(report, other_years, &SeedOutcome::isr_mous_by_year);
    double busiest_other = 0.0;
    int busiest_year = 0;
    for (int year : other_years) {
      const double rate = rate_per_year(report, {year}, &SeedOutcome::isr_mous_by_year);
      if (rate > busiest_other) {
        busiest_other = rate;
        busiest_year = year;
      }
    }
    results.push_back({"JPN-ISR MOUs a year: 2014-15 and 2017-18 vs other years",
                       "Jul 2014, Jan 2015, Feb 2017, Nov 2018 (000, 004)",
                       fixed(in_target, 2) + " vs " + fixed(elsewhere, 2) + " (busiest other year " +
                           std::to_string(busiest_year) + ": " + fixed(busiest_other, 2) + ")",
                       "target years > other years (pooled)", in_target > elsewhere});
  }
  {  // 5. Japan's partners by first dialogue year vs Table 1.
    std::vector<double> rhos;
    for (const auto& seed : report.seeds) rhos.push_back(seed.table1_spearman);
    const double mean = rhos.empty() ? 0.0 : std::accumulate(rhos.begin(), rhos.end(), 0.0) / static_cast<double>(rhos.size());
    results.push_back({"Japan's dialogue partners by first dialogue year", "Table 1 (004): ASEAN 2009 ... Estonia 2018",
                       "Spearman rho median " + fixed(median(rhos), 2) + ", mean " + fixed(mean, 2),
                       "median rho >= 0.5", median(rhos) >= 0.5});
  }
  {  // 6. Trade shares in 2010 within the data's 1995-2009 range (10% slack at each end).
    std::size_t within = 0, partners = 0;
    for (const auto& range : data_trade_shares()) {
      const auto mean = mean_trade_share_2010(report, range.partner);
      if (!mean) continue;
      ++partners;
      if (*mean >= 0.9 * range.low && *mean <= 1.1 * range.high) ++within;
    }
    results.push_back({"Japan's trade partner shares in 2010", "COW 1995-2009 range of each partner's share",
                       std::to_string(within) + " of " + std::to_string(partners) + " partners within (mean over seeds)",
                       "all within [0.9 min, 1.1 max]", partners > 0 && within == partners});
  }
  const bool has_firms = !report.seeds.empty() && !report.seeds.front().jpn_isr_networked_by_year.empty();
  if (!has_firms) return results;
  const auto mean_of = [&](auto value) {
    double sum = 0.0;
    for (const auto& seed : report.seeds) sum += value(seed);
    return n == 0 ? 0.0 : sum / static_cast<double>(n);
  };
  const auto networked = [](const SeedOutcome& seed, int year) {
    auto found = seed.jpn_isr_networked_by_year.find(year);
    return found == seed.jpn_isr_networked_by_year.end() ? 0.0 : found->second;
  };
  {  // 7. JIIN's 2018: over 1,000 companies networked.
    const double mean = mean_of([&](const SeedOutcome& seed) { return networked(seed, 2018); });
    results.push_back({"Japanese and Israeli firms with a partner in the other country, end of 2018",
                       "JIIN 'facilitated the networking of over 1,000 companies' in 2018 (000)",
                       fixed(mean, 0) + " firms (mean over seeds)", "500 .. 2,000 (within a factor 2 of 1,000)",
                       mean >= 500.0 && mean <= 2000.0});
  }
  {  // 8. JIIN-era growth: from its founding (November 2017) B2B ties grow.
    std::size_t hits = 0;
    std::vector<double> ratios;
    for (const auto& seed : report.seeds) {
      const double ratio = networked(seed, 2016) > 0.0 ? networked(seed, 2018) / networked(seed, 2016) : 0.0;
      ratios.push_back(ratio);
      if (ratio >= 1.5) ++hits;
    }
    results.push_back({"JPN-ISR firms networked, end of 2018 / end of 2016",
                       "JIIN from November 2017: B2B collaboration grows from 2017 (000)",
                       "ratio >= 1.5 in " + std::to_string(hits) + of_n + " (median ratio " + fixed(median(ratios), 2) + ")",
                       ">= 90% of seeds (18 of 20)", hits * 10 >= n * 9});
  }
  {  // 9. Japan's firms outsource cyber security to US and Israeli specialists.
    const double share = mean_of([](const SeedOutcome& seed) { return seed.jpn_cyber_partners_us_isr_share_2019; });
    const double ties = mean_of([](const SeedOutcome& seed) { return seed.jpn_cyber_partner_ties_2019; });
    results.push_back({"Japanese (non-cyber) firms' cyber security partners from the US or Israel, end of 2019",
                       "'Japanese companies are known to prefer to farm out their cybersecurity to specialized companies' "
                       "(002), US and Israeli (000)",
                       fixed(100.0 * share, 0) + "% of " + fixed(ties, 0) + " ties (mean over seeds)", "> 50% (mostly)",
                       std::isfinite(share) && share > 0.5});
  }
  return results;
}

std::string format(const Report& report) {
  std::ostringstream out;
  const auto n = report.seeds.size();
  out << "policysim calibrate " << report.scenario_file << ": " << n << " seeds";
  if (n > 0) out << " (" << report.seeds.front().seed << " .. " << report.seeds.back().seed << ")";
  out << ", " << report.first_year << "-" << report.last_year << "\n\n";
  for (const TargetResult& target : evaluate(report)) {
    out << (target.met ? "[met]    " : "[missed] ") << target.name << "\n"
        << "    source:    " << target.source << "\n"
        << "    model:     " << target.model << "\n"
        << "    tolerance: " << target.tolerance << "\n";
  }

  out << "\nJPN-ISR by year (mean over seeds): dialogue strength, dialogues held, MOUs signed\n";
  out << "  year  dialogue  held  MOUs\n";
  for (int year = report.first_year; year <= report.last_year; ++year) {
    double strength = 0.0;
    for (const auto& seed : report.seeds)
      if (auto found = seed.isr_dialogue_by_year.find(year); found != seed.isr_dialogue_by_year.end())
        strength += found->second / static_cast<double>(n);
    const double held = rate_per_year(report, {year}, &SeedOutcome::isr_dialogues_by_year);
    const double mous = rate_per_year(report, {year}, &SeedOutcome::isr_mous_by_year);
    out << "  " << year << "   " << fixed(strength, 3) << "   " << fixed(held, 2) << "  " << fixed(mous, 2) << "\n";
  }

  out << "\nfirst dialogue with Japan: Table 1 (004) vs model (median year over seeds; share of seeds with one)\n";
  for (const auto& entry : table1_first_dialogues()) {
    std::vector<double> years;
    for (const auto& seed : report.seeds)
      if (auto found = seed.first_dialogue_year.find(entry.partner);
          found != seed.first_dialogue_year.end() && found->second)
        years.push_back(*found->second);
    out << "  " << std::left << std::setw(6) << entry.partner << std::right << " " << entry.year << "   model "
        << (years.empty() ? std::string("none") : fixed(median(years), 1)) << " (" << years.size() << "/" << n << ")\n";
  }

  if (!report.seeds.empty() && !report.seeds.front().jpn_isr_networked_by_year.empty()) {
    out << "\nJPN-ISR B2B by year (mean over seeds): firms networked at the end of the year; Israel's exports to Japan\n"
        << "(US$ millions a year; sources: 000 gives $1,750M of Japanese imports from Israel in 2014, and Israel's goal\n"
        << "of $1,000M of exports to Japan in 2019, a goal, not an outcome)\n";
    out << "  year  networked  ISR->JPN\n";
    for (int year = report.first_year; year <= report.last_year; ++year) {
      double firms = 0.0, exports = 0.0;
      for (const auto& seed : report.seeds) {
        if (auto found = seed.jpn_isr_networked_by_year.find(year); found != seed.jpn_isr_networked_by_year.end())
          firms += found->second / static_cast<double>(n);
        if (auto found = seed.isr_exports_to_jpn_by_year.find(year); found != seed.isr_exports_to_jpn_by_year.end())
          exports += found->second / static_cast<double>(n);
      }
      out << "  " << year << "   " << std::setw(8) << fixed(firms, 0) << "  " << std::setw(8) << fixed(exports, 0) << "\n";
    }
  }

  out << "\nJapan's trade shares 2010: data 2009 [1995-2009 range] vs model (mean over seeds)\n";
  for (const auto& range : data_trade_shares()) {
    const auto mean = mean_trade_share_2010(report, range.partner);
    if (!mean) continue;
    out << "  " << range.partner << "  " << fixed(range.share_2009, 4) << " [" << fixed(range.low, 4) << ", "
        << fixed(range.high, 4) << "]  model " << fixed(*mean, 4) << "\n";
  }
  return out.str();
}

}  // namespace policysim::calibration
