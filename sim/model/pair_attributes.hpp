#pragma once
// Attributes of a pair of governments (not of one): how alike their UN votes are, whether one
// spurns the other. Symmetric, in [0, 1], stored as [agent x partner] matrices. The scenario sets
// them in [pair_attributes.<name>] (`A-B = value`); events may change some of them.
#include <array>
#include <optional>
#include <string_view>

#include "sim/model/layers.hpp"

namespace policysim {

struct PairAttribute {
  std::string_view name;
  double default_value;  // for pairs the scenario does not list
  std::string_view doc;
  std::string_view source;
};

enum class PairAttributeId {
  UnVoteAgreement = 0,
  Spurned = 1,
  Membership = 2,
  DirectFlight = 3,
  FreeTradeAgreement = 4,
  InvestmentAgreement = 5,
  DataAdequacy = 6,
};
inline constexpr std::size_t kPairAttributeCount = 7;

// The catalogue, by PairAttributeId: the scenario parser, the output writer and `policysim
// describe` all read this one list.
inline constexpr std::array<PairAttribute, kPairAttributeCount> kPairAttributes = {{
    {"un_vote_agreement", 0.5,
     "share of UN General Assembly roll calls on which the two voted alike (a measure of shared norms)",
     "data: ../shared/data/unga_japan_vote_agreement_1995_2009.csv (Voeten); 004_688dbf1441b292a7.txt "
     "(\"like-minded countries\", the \"normative proximity between the two partners\")"},
    {"spurned", 0.0,
     "how far one of the two spurns the other's advances for cooperation (0 = not at all); set by spurn events",
     "002_2a2c358a063535bf.txt (\"Should the U.S. choose to ignore or even spurn Japan's advances for "
     "cooperation and help, Japan may shift their priorities to other nations\")"},
    {"membership", 0.0,
     "1 when one of the two is a member of the other, an organisation (EU, NATO, ASEAN)",
     "004_688dbf1441b292a7.txt (cooperation \"with the EU, and separately with some of its Member States\"; "
     "capacity building for \"security-related agencies in 10 ASEAN countries\"); the members are public record"},
    {"direct_flight", 0.0,
     "1 when a direct flight links the two countries (lowers the cost of firms meeting); set by direct_flight events",
     "000_02203e0e8e2dcc27.txt (the Tel Aviv-Tokyo divide; direct flights between Tel Aviv and Tokyo from 2019)"},
    {"fta", 0.0,
     "1 when a free trade agreement is in force between the two; set by agreement events (type = \"fta\")",
     "000_02203e0e8e2dcc27.txt (Japan and Israel \"are reported to be in the process of negotiating a free trade agreement\")"},
    {"investment_agreement", 0.0,
     "1 when a bilateral investment agreement is in force; set by agreement events (type = \"investment\")",
     "000_02203e0e8e2dcc27.txt (\"the February 2017 Agreement for the Liberalization, Promotion, and Protection of Investment\")"},
    {"data_adequacy", 0.0,
     "1 when each side recognises the other's data protection as adequate (personal data may flow); set by "
     "agreement events (type = \"data_adequacy\")",
     "004_688dbf1441b292a7.txt (\"the EU-Japan data adequacy agreement, which was agreed in July 2018 before coming "
     "into force in January 2019\")"},
}};

constexpr std::size_t index_of(PairAttributeId id) { return static_cast<std::size_t>(id); }
std::optional<PairAttributeId> pair_attribute_from_name(std::string_view name);

using PairAttributeValues = std::array<TieMatrix, kPairAttributeCount>;

// Every pair attribute at its default for n agents (the diagonal too; it is never read).
PairAttributeValues default_pair_attributes(std::size_t n);

}  // namespace policysim
