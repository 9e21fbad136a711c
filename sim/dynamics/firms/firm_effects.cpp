// The catalogue of B2B effects. Each names the passage of ../shared/domain it rests on, and the
// benchmark's four (complementarity, cultural_distance, same_country, preferential_attachment)
// follow ../shared/bench/DECLARATION.md exactly.
#include "sim/dynamics/firms/firm_effects.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "sim/dynamics/catalogue_lookup.hpp"
#include "sim/dynamics/effects/effect.hpp"
#include "sim/dynamics/effects/politics.hpp"

namespace policysim {
namespace {

double density(const FirmEffectContext&, std::uint32_t, std::uint32_t) { return 1.0; }

double complementarity_effect(const FirmEffectContext& context, std::uint32_t i, std::uint32_t j) {
  return complementarity(*context.world.firms, i, j);
}

double cultural_distance(const FirmEffectContext& context, std::uint32_t i, std::uint32_t j) {
  return std::abs(context.world.firms->risk_tolerance[i] - context.world.firms->risk_tolerance[j]);
}

double same_country(const FirmEffectContext& context, std::uint32_t i, std::uint32_t j) {
  return context.world.firms->country[i] == context.world.firms->country[j] ? 1.0 : 0.0;
}

// ln(1 + degree), from a table for the degrees nearly every firm has: it was computed for every
// firm at every step (3% of the medium benchmark). The same function of the same integer, so the
// same double as calling it, provided the table is filled at run time by glibc's log1p. GCC
// evaluates log1p of constants at compile time, correctly rounded, where glibc's is not always
// (log1p(2) is one ulp apart): with a lambda (constexpr by default) as the table's initializer it
// put the compile-time values in the binary, volatile argument or not. Hence a plain function.
std::array<double, 4096> log1p_table_at_run_time() {
  std::array<double, 4096> values{};
  for (std::size_t d = 0; d < values.size(); ++d) {
    volatile double argument = static_cast<double>(d);
    values[d] = std::log1p(argument);
  }
  return values;
}

using Log1pTable = std::array<double, 4096>;
const Log1pTable& log1p_table() {
  static const Log1pTable table = log1p_table_at_run_time();
  return table;
}

// With the table at hand: fill_rows takes it once, not through the static's guard for every firm
// (an out-of-line call that was 1.4% of the large benchmark).
double log1p_of_degree(const Log1pTable& table, std::size_t degree) {
  return degree < table.size() ? table[degree] : std::log1p(static_cast<double>(degree));
}

double log1p_of_degree(std::size_t degree) { return log1p_of_degree(log1p_table(), degree); }

double preferential_attachment(const FirmEffectContext& context, std::uint32_t, std::uint32_t j) {
  return log1p_of_degree(context.world.b2b_cooperation->degree(j));
}

// Mean of the two governments' dialogue and cooperation; 0 within one country.
double g2g_support(const FirmEffectContext& context, std::uint32_t i, std::uint32_t j) {
  const auto ci = static_cast<long>(context.world.firms->country[i]);
  const auto cj = static_cast<long>(context.world.firms->country[j]);
  if (ci == cj) return 0.0;
  return 0.5 * (context.world.layer(Layer::Dialogue)(ci, cj) + context.world.layer(Layer::Cooperation)(ci, cj));
}

// Sectors in which a partner's China ties are a security concern (5G, networks, cyber defence).
bool security_sensitive(Sector sector) { return sector == Sector::CyberSecurity || sector == Sector::Ict; }
// Sectors whose business is data (personal data must be allowed to flow between the two).
bool data_intensive(Sector sector) {
  return sector == Sector::CyberSecurity || sector == Sector::Ict || sector == Sector::Finance;
}

double pair_attribute(const FirmEffectContext& context, PairAttributeId id, std::uint32_t i, std::uint32_t j) {
  const auto ci = static_cast<Eigen::Index>(context.world.firms->country[i]);
  const auto cj = static_cast<Eigen::Index>(context.world.firms->country[j]);
  if (ci == cj) return 0.0;
  return context.world.pair_attributes[index_of(id)](ci, cj);
}

// ln(1 + |N(i) ∩ N(j)|): a merge of the two sorted CSR lists, O(degree_i + degree_j).
double transitivity(const FirmEffectContext& context, std::uint32_t i, std::uint32_t j) {
  return std::log1p(static_cast<double>(common_partners(*context.world.b2b_cooperation, i, j)));
}

double security_china_friction(const FirmEffectContext& context, std::uint32_t i, std::uint32_t j) {
  const FirmTable& firms = *context.world.firms;
  if (firms.country[i] == firms.country[j]) return 0.0;
  if (!security_sensitive(firms.sector[i]) && !security_sensitive(firms.sector[j])) return 0.0;
  return effects::china_friction(EffectContext{context.scenario, context.world}, firms.country[i], firms.country[j]);
}

// Share of i's partners that sell what j sells (j's sector) but come from a third country: j's
// competitors already serve i.
double competition(const FirmEffectContext& context, std::uint32_t i, std::uint32_t j) {
  const FirmTable& firms = *context.world.firms;
  const auto partners = context.world.b2b_cooperation->neighbours(i);
  if (partners.empty()) return 0.0;
  std::size_t rivals = 0;
  for (std::uint32_t p : partners)
    if (p != j && firms.sector[p] == firms.sector[j] && firms.country[p] != firms.country[j] &&
        firms.country[p] != firms.country[i])
      ++rivals;
  return static_cast<double>(rivals) / static_cast<double>(partners.size());
}

double outsourcing(const FirmEffectContext& context, std::uint32_t i, std::uint32_t j) {
  const FirmTable& firms = *context.world.firms;
  return firms.sector[i] != Sector::CyberSecurity && firms.sector[j] == Sector::CyberSecurity &&
                 firms.country[i] != firms.country[j]
             ? 1.0
             : 0.0;
}

double formality_distance(const FirmEffectContext& context, std::uint32_t i, std::uint32_t j) {
  const auto& formality = context.world.attribute(GovernmentAttributeId::Formality);
  return std::abs(formality[static_cast<Eigen::Index>(context.world.firms->country[i])] -
                  formality[static_cast<Eigen::Index>(context.world.firms->country[j])]);
}

double direct_flight(const FirmEffectContext& context, std::uint32_t i, std::uint32_t j) {
  return pair_attribute(context, PairAttributeId::DirectFlight, i, j);
}

double agreement(const FirmEffectContext& context, std::uint32_t i, std::uint32_t j) {
  return std::max(pair_attribute(context, PairAttributeId::FreeTradeAgreement, i, j),
                  pair_attribute(context, PairAttributeId::InvestmentAgreement, i, j));
}

double data_adequacy(const FirmEffectContext& context, std::uint32_t i, std::uint32_t j) {
  const FirmTable& firms = *context.world.firms;
  if (!data_intensive(firms.sector[i]) && !data_intensive(firms.sector[j])) return 0.0;
  return pair_attribute(context, PairAttributeId::DataAdequacy, i, j);
}

double trilateral_program(const FirmEffectContext& context, std::uint32_t i, std::uint32_t j) {
  const auto ci = static_cast<Eigen::Index>(context.world.firms->country[i]);
  const auto cj = static_cast<Eigen::Index>(context.world.firms->country[j]);
  const TieMatrix& until = context.world.program_until;
  if (ci == cj || until.rows() <= std::max(ci, cj)) return 0.0;
  return until(ci, cj) > static_cast<double>(context.world.step) ? 1.0 : 0.0;
}

// 1 when the two firms take part in the same matchmaking event's pool this quarter: the organiser has
// screened and introduced them (a business forum's pool brings candidates, not introductions).
double matchmaking(const FirmEffectContext& context, std::uint32_t i, std::uint32_t j) {
  if (context.pools == nullptr) return 0.0;
  for (const auto& pool : *context.pools)
    if (std::binary_search(pool.begin(), pool.end(), i) && std::binary_search(pool.begin(), pool.end(), j)) return 1.0;
  return 0.0;
}

}  // namespace

namespace {

// Elements two sorted lists of distinct numbers share: a merge without a branch on the data (the
// comparisons' outcomes are coin tosses, which a branch mispredicts).
std::size_t shared_count(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b) {
  std::size_t common = 0, x = 0, y = 0;
  while (x < a.size() && y < b.size()) {
    const std::uint32_t p = a[x], q = b[y];
    common += static_cast<std::size_t>(p == q);
    x += static_cast<std::size_t>(p <= q);
    y += static_cast<std::size_t>(q <= p);
  }
  return common;
}

}  // namespace

std::size_t common_partners(const FirmNetwork& network, std::uint32_t i, std::uint32_t j) {
  // Each list is two sorted parts, the partners below the firm and those above it. With i < j, i's
  // lower part lies below i, under every partner of j above j, and i's upper part above i: so
  // only three pairs of parts can share partners (those below i, between i and j, above j), merged
  // apart, with no step from one part to the other inside the merge (the transitivity effect
  // called this for every candidate: 9% of the baseline scenario's run; twenty-second round).
  const std::uint32_t low = std::min(i, j), high = std::max(i, j);
  const NeighbourList first = network.neighbours(low), second = network.neighbours(high);
  if (first.empty() || second.empty()) return 0;
  if (low == high) return first.size();
  return shared_count(first.below(), second.below()) + shared_count(first.above(), second.below()) +
         shared_count(first.above(), second.above());
}

double complementarity(const FirmTable& firms, std::uint32_t i, std::uint32_t j) {
  const double xi = firms.innovation[i];
  const double xj = firms.innovation[j];
  return xi * (1.0 - xj) + xj * (1.0 - xi);
}

const std::vector<FirmEffectSpec>& firm_effect_catalogue() {
  static const std::vector<FirmEffectSpec> all = {
      {"density", "intercept: the baseline log-odds that a candidate partnership forms", "1",
       "modelling convention; -5 in ../shared/bench/DECLARATION.md", density},
      {"complementarity", "one firm's innovation against the other's making strength",
       "x_i (1 - x_j) + x_j (1 - x_i), x = innovation",
       "000_02203e0e8e2dcc27.txt: 'Chutzpah meets Monozukuri' (Israeli innovation, Japanese manufacturing)",
       complementarity_effect},
      {"cultural_distance", "gap in risk tolerance (use a negative coefficient)", "|r_i - r_j|, r = risk_tolerance",
       "000_02203e0e8e2dcc27.txt: Israeli risk-taking vs. Japanese risk aversion (the Tel Aviv-Tokyo divide)",
       cultural_distance},
      {"same_country", "firms of one country find each other more easily", "1 if country_i = country_j else 0",
       "000_02203e0e8e2dcc27.txt: the Tel Aviv-Tokyo divide, no direct flights until 2019", same_country},
      {"preferential_attachment", "well-connected firms attract partners", "ln(1 + degree_j)",
       "modelling convention (../shared/bench/DECLARATION.md)", preferential_attachment},
      {"g2g_support", "G2G dialogue and cooperation lower the cost of matching firms of the two countries",
       "(dialogue + cooperation of the two governments) / 2, 0 within a country",
       "000_02203e0e8e2dcc27.txt: the government meetings and memorandum 'paved the way for a more expansive B2B "
       "relationship'; JIIN networked over 1,000 companies in 2018",
       g2g_support, false, true},
      {"transitivity", "partners of partners become partners (common partners introduce firms)",
       "ln(1 + |N(i) & N(j)|), N = current B2B partners",
       "000_02203e0e8e2dcc27.txt: JIIN 'supporting business matching' through its members' networks; modelling "
       "convention (RSiena's transitive triplets)",
       transitivity, true},
      {"china_friction", "a partner country's China ties hold back ties in security-sensitive sectors "
       "(use a negative coefficient)",
       "the governments' china_friction statistic when either firm is in cyber_security or ict, 0 otherwise "
       "and within a country",
       "000_02203e0e8e2dcc27.txt: Israel's relationship with China (Haifa port, Chinese 5G bids) 'has been a "
       "friction point, not only with Japan but with the United States as well'",
       security_china_friction, false, true},
      {"competition", "firms of a third country compete for the same market: i already has partners like j "
       "(use a negative coefficient)",
       "share of i's partners in j's sector from a country other than i's and j's",
       "000_02203e0e8e2dcc27.txt: 'Israeli companies can be competitors to American companies with similar "
       "capabilities/offerings' in Japan",
       competition, true},
      {"outsourcing", "firms outside cyber security farm it out to specialised foreign firms",
       "1 if i is not in cyber_security, j is, and they are of different countries, else 0",
       "002_2a2c358a063535bf.txt: 'Japanese companies are known to prefer to farm out their cybersecurity to "
       "specialized companies rather than build in-house systems'",
       outsourcing, false, true},
      {"formality_distance", "gap in the formality of the two countries' business cultures (use a negative "
       "coefficient)",
       "|formality_ci - formality_cj|, the governments' formality attribute",
       "000_02203e0e8e2dcc27.txt: 'whereas Japanese business culture is formal, bureaucratic, and hierarchical, "
       "Israeli business culture is informal and fast-paced'",
       formality_distance, false, true},
      {"direct_flight", "a direct flight between the two countries lowers the cost of meeting",
       "pair attribute direct_flight of the two countries, 0 within a country",
       "000_02203e0e8e2dcc27.txt: 'there are no direct flights between Israel and Japan (a direct charter flight "
       "will commence in September of this year)'",
       direct_flight, false, true},
      {"agreement", "a free trade or investment agreement between the two countries eases B2B deals",
       "max(fta, investment_agreement) pair attributes of the two countries, 0 within a country",
       "000_02203e0e8e2dcc27.txt: 'the February 2017 Agreement for the Liberalization, Promotion, and Protection "
       "of Investment'; a free trade agreement under negotiation",
       agreement, false, true},
      {"data_adequacy", "personal data may flow between the two countries: matters for data-intensive firms",
       "pair attribute data_adequacy when either firm is in cyber_security, ict or finance, else 0",
       "004_688dbf1441b292a7.txt: 'the EU-Japan data adequacy agreement, which was agreed in July 2018 before "
       "coming into force in January 2019'",
       data_adequacy, false, true},
      {"trilateral_program", "a third country funds joint R&D among firms of a group of countries "
       "(trilateral_program events)",
       "1 while a programme covers the two firms' (different) countries, else 0",
       "000_02203e0e8e2dcc27.txt: recommendations 'U.S. funding for trilateral security initiatives', "
       "'Establish VC-backed trilateral hackathons'",
       trilateral_program, false, true},
      {"matchmaking", "firms introduced at the same matchmaking event this quarter are likelier partners (screened "
       "and introduced by the organiser)",
       "1 when i and j take part in the same matchmaking event's pool this quarter, else 0",
       "000_02203e0e8e2dcc27.txt: JIIN's mission includes 'supporting business matching'; it 'facilitated the "
       "networking of over 1,000 companies through 50 events, nine business missions, and 41 business seminars'",
       matchmaking},
  };
  return all;
}

const FirmEffectSpec* find_firm_effect(std::string_view name) {
  return find_by_name<FirmEffectSpec>(firm_effect_catalogue(), name);
}

std::optional<std::size_t> firm_effect_index(std::string_view name) {
  return index_by_name<FirmEffectSpec>(firm_effect_catalogue(), name);
}

const FirmEffectSpec& spec_of(const FirmEffectTerm& term) { return firm_effect_catalogue().at(term.effect); }

double firm_utility(const FirmEffectContext& context, const std::vector<FirmEffectTerm>& terms, std::uint32_t i,
                    std::uint32_t j) {
  double sum = 0.0;
  const std::vector<FirmEffectSpec>& catalogue = firm_effect_catalogue();
  for (const auto& term : terms) sum += term.coefficient * catalogue[term.effect].statistic(context, i, j);
  return sum;
}

FirmUtility::FirmUtility(const FirmEffectContext& context, const std::vector<FirmEffectTerm>& terms) : context_(context) {
  const std::vector<FirmEffectSpec>& catalogue = firm_effect_catalogue();
  for (const FirmEffectTerm& term : terms) {
    const FirmStatistic statistic = catalogue.at(term.effect).statistic;
    Kind kind = Kind::Other;
    if (statistic == &density) kind = Kind::Density;
    else if (statistic == &complementarity_effect) kind = Kind::Complementarity;
    else if (statistic == &cultural_distance) kind = Kind::CulturalDistance;
    else if (statistic == &same_country) kind = Kind::SameCountry;
    else if (statistic == &preferential_attachment) kind = Kind::PreferentialAttachment;
    else if (statistic == &transitivity) kind = Kind::Transitivity;
    else if (statistic == &competition) kind = Kind::Competition;
    else if (catalogue.at(term.effect).country_and_sector_only) kind = Kind::ByGroup;
    needs_log_degree_ = needs_log_degree_ || kind == Kind::PreferentialAttachment;
    terms_.push_back({kind, term.coefficient, statistic});
  }
  tabulate_by_group();
}

// The terms that read only countries and sectors, asked once per pair of groups rather than once
// per candidate: the same statistic of the same countries and sectors, so the same double (8 such
// terms of the baseline scenario cost 10% of its run through their function pointers; twenty-second
// round of docs/performance.md). A term goes back to its function pointer when the world has too
// many groups for small tables.
void FirmUtility::tabulate_by_group() {
  const auto by_group = [](const Term& term) { return term.kind == Kind::ByGroup; };
  const auto tabulated = static_cast<std::size_t>(std::count_if(terms_.begin(), terms_.end(), by_group));
  if (tabulated == 0) return;
  const FirmTable& firms = *context_.world.firms;
  constexpr std::uint32_t kNone = ~std::uint32_t{0};
  // A firm's country is an index into the scenario's governments, the world's agents (FirmTable::country).
  group_of_cell_.assign(context_.world.agent_count() * kSectorCount, kNone);
  std::vector<std::uint32_t> representative;  // a group's first firm
  for (std::uint32_t f = 0; f < static_cast<std::uint32_t>(firms.count()); ++f) {
    const std::size_t cell = std::size_t{firms.country[f]} * kSectorCount + static_cast<std::size_t>(firms.sector[f]);
    std::uint32_t& group = group_of_cell_[cell];
    if (group != kNone) continue;
    group = static_cast<std::uint32_t>(representative.size());
    representative.push_back(f);
  }
  groups_ = representative.size();
  constexpr std::size_t kMostValues = std::size_t{1} << 16;  // 512 KiB of tables at most
  if (groups_ * groups_ * tabulated > kMostValues) {
    for (Term& term : terms_)
      if (by_group(term)) term.kind = Kind::Other;
    group_of_cell_.clear();
    groups_ = 0;
    return;
  }
  tables_.resize(groups_ * groups_ * tabulated);
  std::size_t next = 0;
  for (Term& term : terms_) {
    if (!by_group(term)) continue;
    term.table = next;
    for (std::size_t g = 0; g < groups_; ++g)
      for (std::size_t h = 0; h < groups_; ++h)
        tables_[next + g * groups_ + h] = term.statistic(context_, representative[g], representative[h]);
    next += groups_ * groups_;
  }
}

namespace {

// The row terms of FirmUtility::evaluate, one loop over the batch each, in vector code (gathers from
// the rows) built for AVX-512, AVX2 and the baseline, the processor choosing: 11% of the large
// benchmark as scalar loops (docs/performance.md, fifteenth round). Each lane does the scalar
// code's operations in its order, and fp-contract=off keeps the compiler from fusing a multiply
// and an add into one FMA (one rounding fewer: other bits) where the processor has them, so the
// utilities are the same doubles on every machine and in every clone.
#define POLICYSIM_ROW_TERM __attribute__((target_clones("avx512f", "avx2", "default"), optimize("fp-contract=off")))

POLICYSIM_ROW_TERM void add_constant(double beta, std::size_t count, double* __restrict utility) {
#pragma omp simd
  for (std::size_t d = 0; d < count; ++d) utility[d] += beta * 1.0;
}

POLICYSIM_ROW_TERM void add_complementarity(double beta, const FirmRow* __restrict rows,
                                            const std::uint32_t* __restrict first,
                                            const std::uint32_t* __restrict second, std::size_t count,
                                            double* __restrict utility) {
#pragma omp simd
  for (std::size_t d = 0; d < count; ++d) {
    const double x_a = rows[first[d]].innovation, x_b = rows[second[d]].innovation;
    utility[d] += beta * (x_a * (1.0 - x_b) + x_b * (1.0 - x_a));
  }
}

POLICYSIM_ROW_TERM void add_cultural_distance(double beta, const FirmRow* __restrict rows,
                                              const std::uint32_t* __restrict first,
                                              const std::uint32_t* __restrict second, std::size_t count,
                                              double* __restrict utility) {
#pragma omp simd
  for (std::size_t d = 0; d < count; ++d)
    utility[d] += beta * std::abs(rows[first[d]].risk_tolerance - rows[second[d]].risk_tolerance);
}

POLICYSIM_ROW_TERM void add_same_country(double beta, const FirmRow* __restrict rows,
                                         const std::uint32_t* __restrict first,
                                         const std::uint32_t* __restrict second, std::size_t count,
                                         double* __restrict utility) {
#pragma omp simd
  for (std::size_t d = 0; d < count; ++d)
    utility[d] += beta * (rows[first[d]].country == rows[second[d]].country ? 1.0 : 0.0);
}

POLICYSIM_ROW_TERM void add_by_group(double beta, const double* __restrict table, std::size_t groups,
                                     const FirmRow* __restrict rows, const std::uint32_t* __restrict first,
                                     const std::uint32_t* __restrict second, std::size_t count,
                                     double* __restrict utility) {
#pragma omp simd
  for (std::size_t d = 0; d < count; ++d)
    utility[d] += beta * table[std::size_t{rows[first[d]].group} * groups + rows[second[d]].group];
}

POLICYSIM_ROW_TERM void add_log_degree(double beta, const FirmRow* __restrict rows,
                                       const std::uint32_t* __restrict second, std::size_t count,
                                       double* __restrict utility) {
#pragma omp simd
  for (std::size_t d = 0; d < count; ++d) utility[d] += beta * rows[second[d]].log_degree;
}

#undef POLICYSIM_ROW_TERM

// A thread's order of a batch's pairs for the partner-list terms (FirmUtility::evaluate).
thread_local std::vector<std::uint32_t> pair_order;

// The pairs 0 .. count-1 in order of their first firm, stably (`order`, when empty: filled here). A
// batch of formation holds each firm's uniform candidates, then each firm's network and event ones:
// taken firm by firm, a partner-list term reads each firm's partners once, not twice. A counting
// sort over the batch's few firms; any other range of firms by a stable sort.
std::span<const std::uint32_t> pairs_by_firm(const std::uint32_t* first, std::size_t count,
                                             std::vector<std::uint32_t>& order) {
  if (!order.empty() || count == 0) return order;
  order.resize(count);
  const auto [low, high] = std::minmax_element(first, first + count);
  const std::size_t range = std::size_t{*high} - *low + 1;
  if (range > 4 * count + 64) {
    for (std::size_t d = 0; d < count; ++d) order[d] = static_cast<std::uint32_t>(d);
    std::stable_sort(order.begin(), order.end(), [first](std::uint32_t x, std::uint32_t y) { return first[x] < first[y]; });
    return order;
  }
  thread_local std::vector<std::uint32_t> start;
  start.assign(range + 1, 0);
  for (std::size_t d = 0; d < count; ++d) ++start[first[d] - *low + 1];
  for (std::size_t f = 1; f <= range; ++f) start[f] += start[f - 1];
  for (std::size_t d = 0; d < count; ++d) order[start[first[d] - *low]++] = static_cast<std::uint32_t>(d);
  return order;
}

// A thread's marks of one firm's partners (transitivity): a byte a firm, all 0 between runs.
thread_local std::vector<std::uint8_t> partner_marks;
// A thread's counts of one firm's partners by (country, sector) cell and by sector (competition).
struct PartnerCells {
  std::vector<std::uint32_t> cell;
  std::array<std::uint32_t, kSectorCount> sector{};
};
thread_local PartnerCells partner_cells;

}  // namespace

void FirmUtility::evaluate(std::span<const FirmRow> rows, const std::uint32_t* first, const std::uint32_t* second,
                           std::size_t count, double* utility) const {
  std::fill(utility, utility + count, 0.0);
  const FirmRow* const row = rows.data();
  std::vector<std::uint32_t>& by_firm = pair_order;  // filled by the first partner-list term that needs it
  by_firm.clear();
  for (const Term& term : terms_) {
    const double beta = term.coefficient;
    switch (term.kind) {
      case Kind::Density:
        add_constant(beta, count, utility);
        break;
      case Kind::Complementarity:
        add_complementarity(beta, row, first, second, count, utility);
        break;
      case Kind::CulturalDistance:
        add_cultural_distance(beta, row, first, second, count, utility);
        break;
      case Kind::SameCountry:
        add_same_country(beta, row, first, second, count, utility);
        break;
      case Kind::PreferentialAttachment:
        add_log_degree(beta, row, second, count, utility);
        break;
      case Kind::ByGroup:
        add_by_group(beta, tables_.data() + term.table, groups_, row, first, second, count, utility);
        break;
      case Kind::Transitivity:
        add_transitivity(beta, first, second, pairs_by_firm(first, count, by_firm), utility);
        break;
      case Kind::Competition:
        add_competition(beta, first, second, pairs_by_firm(first, count, by_firm), utility);
        break;
      case Kind::Other:
        for (std::size_t d = 0; d < count; ++d) utility[d] += beta * term.statistic(context_, first[d], second[d]);
        break;
    }
  }
}

// transitivity's ln(1 + |N(i) & N(j)|) for each pair, in the catalogue's expression: the partners
// of a candidate counted against marks of i's partners, set once for all of i's candidates (a
// merge of the two lists for every candidate was 13% of the baseline scenario's run:
// docs/performance.md, twenty-third round). The same count, hence the same double.
void FirmUtility::add_transitivity(double beta, const std::uint32_t* first, const std::uint32_t* second,
                                   std::span<const std::uint32_t> order, double* utility) const {
  const FirmNetwork& network = *context_.world.b2b_cooperation;
  const Log1pTable& table = log1p_table();
  std::vector<std::uint8_t>& marks = partner_marks;
  if (marks.size() < context_.world.firms->count()) marks.assign(context_.world.firms->count(), 0);
  std::uint8_t* const marked = marks.data();  // a local pointer: stores through it may alias anything
  const auto mark = [marked](const NeighbourList& partners, std::uint8_t value) {
    for (const std::uint32_t p : partners.below()) marked[p] = value;
    for (const std::uint32_t p : partners.above()) marked[p] = value;
  };
  constexpr std::uint32_t kNone = ~std::uint32_t{0};
  std::uint32_t current = kNone;
  NeighbourList current_partners({}, {});
  for (const std::uint32_t d : order) {
    if (first[d] != current) {
      mark(current_partners, 0);
      current = first[d];
      current_partners = network.neighbours(current);
      mark(current_partners, 1);
    }
    const NeighbourList partners = network.neighbours(second[d]);
    std::size_t common = 0;
    for (const std::uint32_t p : partners.below()) common += marked[p];
    for (const std::uint32_t p : partners.above()) common += marked[p];
    utility[d] += beta * log1p_of_degree(table, common);  // log1p of a small count from the table: the same double
  }
  mark(current_partners, 0);
}

// competition's share of i's partners in j's sector from a third country, in the catalogue's
// expression: i's partners counted by (country, sector) once for all its candidates, then
// for each candidate those in j's sector less those of j's and of i's countries (j itself is of
// j's country). The same count, hence the same double.
void FirmUtility::add_competition(double beta, const std::uint32_t* first, const std::uint32_t* second,
                                  std::span<const std::uint32_t> order, double* utility) const {
  const FirmNetwork& network = *context_.world.b2b_cooperation;
  const std::uint32_t* const country = context_.world.firms->country.data();
  const Sector* const sector = context_.world.firms->sector.data();
  PartnerCells& cells = partner_cells;
  // A firm's country is an index into the scenario's governments, the world's agents (FirmTable::country).
  const std::size_t cell_count = context_.world.agent_count() * kSectorCount;
  if (cells.cell.size() < cell_count) cells.cell.assign(cell_count, 0);
  std::uint32_t* const in_cell = cells.cell.data();
  std::uint32_t* const in_sector = cells.sector.data();
  const auto tally = [&](const NeighbourList& partners, std::uint32_t step) {  // step 1, or -1 modulo 2^32
    for (const std::uint32_t p : partners) {
      const auto s = static_cast<std::size_t>(sector[p]);
      in_cell[std::size_t{country[p]} * kSectorCount + s] += step;
      in_sector[s] += step;
    }
  };
  constexpr std::uint32_t kNone = ~std::uint32_t{0};
  std::uint32_t current = kNone;
  NeighbourList current_partners({}, {});
  for (const std::uint32_t d : order) {
    const std::uint32_t i = first[d], j = second[d];
    if (i != current) {
      tally(current_partners, ~std::uint32_t{0});
      current = i;
      current_partners = network.neighbours(current);
      tally(current_partners, 1);
    }
    double share = 0.0;
    if (!current_partners.empty()) {
      const auto s = static_cast<std::size_t>(sector[j]);
      const std::size_t country_i = country[i], country_j = country[j];
      std::size_t rivals = in_sector[s] - in_cell[country_j * kSectorCount + s];
      if (country_i != country_j) rivals -= in_cell[country_i * kSectorCount + s];
      share = static_cast<double>(rivals) / static_cast<double>(current_partners.size());
    }
    utility[d] += beta * share;
  }
  tally(current_partners, ~std::uint32_t{0});
}

FirmRows FirmUtility::rows() const {
  FirmRows rows;
  fill_rows(rows);
  return rows;
}

void FirmUtility::fill_rows(FirmRows& rows) const {
  const FirmTable& firms = *context_.world.firms;
  const FirmNetwork& network = *context_.world.b2b_cooperation;
  rows.resize(firms.count());
  const auto count = static_cast<long>(firms.count());
  const Log1pTable& table = log1p_table();
#pragma omp parallel for schedule(static)
  for (long f = 0; f < count; ++f) {
    const auto firm = static_cast<std::uint32_t>(f);
    FirmRow& row = rows[static_cast<std::size_t>(f)];
    row.innovation = firms.innovation[firm];
    row.risk_tolerance = firms.risk_tolerance[firm];
    row.country = firms.country[firm];
    // The same expression as preferential_attachment's statistic.
    row.log_degree = needs_log_degree_ ? log1p_of_degree(table, network.degree(firm)) : 0.0;
    row.group = groups_ == 0 ? 0
                             : group_of_cell_[std::size_t{firms.country[firm]} * kSectorCount +
                                              static_cast<std::size_t>(firms.sector[firm])];
  }
}

}  // namespace policysim
