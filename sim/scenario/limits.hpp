#pragma once
// Sizes a scenario may not pass, checked by the loader (so `validate` refuses them before a run
// allocates anything). Generous: the baseline has 19 governments and a few thousand firms; a
// million firms fit five times over. docs/reliability.md lists every limit.
#include <cstddef>
#include <cstdint>

namespace policysim {

// Governments (agents): the run keeps several N x N matrices per layer and records them each step.
inline constexpr std::size_t kMaxAgents = 1000;
// Firms of all populations and named firms together.
inline constexpr std::uint64_t kMaxFirms = 5'000'000;

}  // namespace policysim
