#include "sim/scenario/suggest.hpp"

#include <algorithm>
#include <cctype>

#include "sim/description/joined.hpp"

namespace policysim {
namespace {

// Levenshtein distance, case-insensitive (so "jpn" suggests "JPN").
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (same ? 0 : 1)});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

}  // namespace

std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  // A word that begins exactly one candidate ("adjustment" for "adjustment_rate") is a
  // shortened name, however far it is by edit distance.
  if (word.size() >= 3) {
    std::vector<std::string> extensions;
    for (const auto& candidate : candidates)
      if (candidate.size() > word.size() && candidate.starts_with(word)) extensions.push_back(candidate);
    if (extensions.size() == 1) return extensions.front();
  }
  std::optional<std::string> best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& candidate : candidates) {
    const std::size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

std::string suggestion_hint(std::string_view word, const std::vector<std::string>& candidates) {
  if (auto match = closest_match(word, candidates)) return " (did you mean \"" + *match + "\"?)";
  if (candidates.empty()) return "";
  return " (expected one of: " + joined(candidates, ", ") + ")";
}

}  // namespace policysim
