#pragma once
// Effects on the formation of B2B cooperation ties: the utility of firm i taking candidate j as
// a partner is sum_k beta_k x_k(i, j), as for governments (sim/dynamics/effects/effect.hpp).
#include <cstdint>
#include <cmath>
#include <optional>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

#include "sim/model/firms.hpp"
#include "sim/model/resize_for_overwrite.hpp"
#include "sim/model/world.hpp"
#include "sim/description/scenario.hpp"

namespace policysim {

struct FirmEffectContext {
  const Scenario& scenario;
  const World& world;  // at the start of the phase: governments' ties, firms, the B2B network
  // This quarter's screened matchmaking pools (matchmaking events): the participating firms of each, sorted.
  const std::vector<std::vector<std::uint32_t>>* pools = nullptr;
};

using FirmStatistic = double (*)(const FirmEffectContext&, std::uint32_t i, std::uint32_t j);

struct FirmEffectSpec {
  std::string_view name;
  std::string_view doc;
  std::string_view formula;
  std::string_view source;
  FirmStatistic statistic = nullptr;
  // Whether the statistic reads whole partner lists (FirmNetwork::neighbours): a network built
  // without them cannot answer it (partner_lists_read in b2b_cooperation.hpp).
  bool reads_partner_lists = false;
  // Whether the statistic reads nothing of the two firms but their countries and sectors (and the
  // world's state, fixed within a step): FirmUtility then asks it once per pair of (country,
  // sector) groups each step and looks the value up for every candidate.
  bool country_and_sector_only = false;
};

const std::vector<FirmEffectSpec>& firm_effect_catalogue();
const FirmEffectSpec* find_firm_effect(std::string_view name);
std::optional<std::size_t> firm_effect_index(std::string_view name);
// The catalogue entry a scenario's term names.
const FirmEffectSpec& spec_of(const FirmEffectTerm& term);

// x_i (1 - x_j) + x_j (1 - x_i): one's innovation against the other's making strength.
double complementarity(const FirmTable& firms, std::uint32_t i, std::uint32_t j);

// |N(i) ∩ N(j)|: partners the two firms share (sorted CSR lists, O(degree_i + degree_j)).
std::size_t common_partners(const FirmNetwork& network, std::uint32_t i, std::uint32_t j);

double firm_utility(const FirmEffectContext& context, const std::vector<FirmEffectTerm>& terms, std::uint32_t i,
                    std::uint32_t j);

// What the formation loop reads about one firm, packed so that a candidate costs one cache line
// instead of a miss in each of four columns (innovation, risk tolerance, country, degree) when
// candidates are drawn at random among 100,000 firms. Built once per step.
// No default values: FirmUtility::fill_rows writes every field of every row, and a row's
// construction that zeroed it would have one thread zero the whole table before the threads write
// it (the large benchmark's first step: 3.2 MB, two 2 MiB pages faulted in on the first thread
// alone; docs/performance.md, thirty-third round).
struct alignas(32) FirmRow {
  double innovation;
  double risk_tolerance;
  double log_degree;  // ln(1 + degree); 0 where no term reads it
  std::uint32_t country;
  std::uint32_t group;  // the firm's (country, sector) group, for the terms looked up by group
};
static_assert(sizeof(FirmRow) == 32, "one row, one half cache line");
static_assert(std::is_trivially_default_constructible_v<FirmRow>, "rows left unwritten by resize()");
// The rows of a world's firms, read at random by formation: in 2 MiB pages where large
// (sim/model/huge_pages.hpp), left unwritten by resize() (Column, resize_for_overwrite.hpp): the
// loop that fills them is the first to touch them, on every thread.
using FirmRows = Column<FirmRow>;

// firm_utility with every term resolved once (per step) instead of once per candidate: the
// benchmark's effects (../shared/bench/DECLARATION.md) and the intercept are cases of a small
// switch (a loop each over a batch of pairs) on the packed rows, every other catalogue effect is
// its statistic's function pointer. The terms are
// summed in the scenario's order with the same expressions, so the result is bit for bit
// firm_utility's (tests/dynamics/firms check it for every catalogue effect).
class FirmUtility {
 public:
  FirmUtility(const FirmEffectContext& context, const std::vector<FirmEffectTerm>& terms);
  bool needs_log_degree() const { return needs_log_degree_; }
  // rows: the packed rows of the world of `context` (rows_for).
  double operator()(std::span<const FirmRow> rows, std::uint32_t i, std::uint32_t j) const {
    double sum = 0.0;
    evaluate(rows, &i, &j, 1, &sum);
    return sum;
  }
  // The utilities of `count` pairs (first[d], second[d]) into utility[d], operator()'s sums bit for
  // bit: each term is added to the whole batch before the next term (the same order per pair), so
  // the switch runs once per term and batch instead of once per term and candidate, and the
  // benchmark's terms become plain loops over the batch.
  void evaluate(std::span<const FirmRow> rows, const std::uint32_t* first, const std::uint32_t* second,
                std::size_t count, double* utility) const;
  // The packed rows of every firm of the context's world (fill_rows: into `rows`, reusing its memory).
  FirmRows rows() const;
  void fill_rows(FirmRows& rows) const;

 private:
  enum class Kind : std::uint8_t {
    Density, Complementarity, CulturalDistance, SameCountry, PreferentialAttachment, ByGroup, Transitivity,
    Competition, Other
  };
  struct Term {
    Kind kind;
    double coefficient;
    FirmStatistic statistic;
    std::size_t table = 0;  // ByGroup: where its groups x groups values start in tables_
  };
  void tabulate_by_group();
  // The partner-list terms over a batch's pairs taken in `order` (the pairs of each firm together:
  // pairs_by_firm), each firm's partners read once for all its candidates.
  void add_transitivity(double beta, const std::uint32_t* first, const std::uint32_t* second,
                        std::span<const std::uint32_t> order, double* utility) const;
  void add_competition(double beta, const std::uint32_t* first, const std::uint32_t* second,
                       std::span<const std::uint32_t> order, double* utility) const;
  const FirmEffectContext& context_;
  std::vector<Term> terms_;
  bool needs_log_degree_ = false;
  // The (country, sector) groups of the step's firms, when a term is looked up by group: each
  // cell's group (country * kSectorCount + sector), numbered in the order of their first firms.
  std::vector<std::uint32_t> group_of_cell_;
  std::size_t groups_ = 0;
  std::vector<double> tables_;  // each ByGroup term's statistic for every pair of groups
};

}  // namespace policysim
