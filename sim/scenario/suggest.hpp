#pragma once
// "did you mean ...?" for unknown names: the closest candidate by edit distance.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace policysim {

// The closest candidate, if it is close enough to be a plausible typo.
std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates);

// " (did you mean \"x\"?)" or, when nothing is close, " (expected one of: a, b, c)".
std::string suggestion_hint(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace policysim
