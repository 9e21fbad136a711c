#pragma once
// Counter-based random numbers (Philox4x32-10 from Random123): a draw is a pure function of
// (seed, step, purpose, stable ids), so any thread may compute any tie's draw, results do not
// depend on the thread count, and a what-if that adds an event leaves every other draw as it
// was (common random numbers).
//
// One door: the streams of a run are made once, by RandomStreams::for_run, and handed to every
// phase and event (PhaseContext, EventContext) and to initial_world; no other code keys Philox
// or builds streams from a seed (a CTest, tests/random_streams_door.cmake, checks the sources).
#include <cstdint>

namespace policysim {

struct Scenario;

// Why a number is drawn; each purpose is its own stream. Append new purposes, never renumber.
enum class Purpose : std::uint32_t {
  DialogueShock = 1,
  CooperationShock = 2,
  TradeShock = 3,
  DialogueHeld = 4,  // milestones: is a dialogue held this quarter?
  // Firms (B2B): numbered from 100 so that government-level purposes can grow below them.
  FirmAttributes = 100,
  FirmCandidate = 101,
  FirmFormation = 102,
  FirmNetworkCandidate = 103,      // partner of a partner: which partner
  FirmNetworkCandidateNext = 104,  // ... and which of its partners
  FirmEventCandidate = 105,        // a candidate from this quarter's matchmaking pools
  FirmPoolJoin = 106,              // does an eligible firm take part in a matchmaking pool?
  Acquisition = 107,               // which firm is bought
  FirmTradeBuyer = 108,            // starting B2B trade: which firms a firm sells to
  FirmTradeOpening = 109,          // does a cooperation tie open a trade flow this quarter?
  FirmTradeShock = 110,            // firm-level shock of a trade flow
};

class RandomStreams {
 public:
  // The streams of a run of `scenario`, keyed by its seed (simulation.seed).
  static RandomStreams for_run(const Scenario& scenario);
  // Standard normal draw for (step, purpose, a, b).
  double normal(std::uint32_t step, Purpose purpose, std::uint32_t a, std::uint32_t b) const;
  // Uniform draw in (0, 1] for (step, purpose, a, b).
  double uniform(std::uint32_t step, Purpose purpose, std::uint32_t a, std::uint32_t b) const;
  // uniform(step, purpose, a[k], b[k]) into out[k] for k < count: the same numbers bit for bit,
  // many at a time with the widest vectors the processor has (the B2B phase draws about a hundred
  // million; one at a time, the draws were 14% of the large benchmark).
  void uniforms(std::uint32_t step, Purpose purpose, const std::uint32_t* a, const std::uint32_t* b, double* out,
                std::size_t count) const;
  // normal(step, purpose, a[k], b[k]) into out[k] for k < count: the same numbers bit for bit, the
  // Philox words many at a time as uniforms() draws them (the B2B trade shocks, one a flow each
  // quarter: the one-at-a-time draws were 6.6% of the baseline scenario's run).
  void normals(std::uint32_t step, Purpose purpose, const std::uint32_t* a, const std::uint32_t* b, double* out,
               std::size_t count) const;
  // The vector instructions uniforms() and normals() can use, in order of width.
  enum class VectorUnit { None, Avx2, Avx512 };
  // The widest this processor has: what uniforms() uses.
  static VectorUnit vector_unit();
  // uniforms() with `unit` (or the widest the processor has, if it lacks `unit`), for the test that
  // every unit gives the same numbers.
  void uniforms_with(VectorUnit unit, std::uint32_t step, Purpose purpose, const std::uint32_t* a,
                     const std::uint32_t* b, double* out, std::size_t count) const;
  void normals_with(VectorUnit unit, std::uint32_t step, Purpose purpose, const std::uint32_t* a,
                    const std::uint32_t* b, double* out, std::size_t count) const;

 private:
  explicit RandomStreams(std::uint64_t seed) : seed_(seed) {}
  std::uint64_t seed_;
};

}  // namespace policysim
