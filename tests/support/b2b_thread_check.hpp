#pragma once
// Checks that the B2B network does not depend on the number of OpenMP threads: runs a scenario
// with 1 and with 2 threads and compares the ties, edge by edge and weight by weight.
#include <catch2/catch.hpp>

#include <omp.h>

#include <cstddef>

#include "sim/dynamics/firms/b2b_cooperation.hpp"
#include "sim/dynamics/step.hpp"
#include "sim/model/firms.hpp"
#include "sim/description/scenario.hpp"

namespace policysim::testing {

// The B2B ties after `steps` steps of `scenario`, simulated with `threads` OpenMP threads.
inline FirmTies b2b_ties_after(const Scenario& scenario, int steps, int threads) {
  omp_set_num_threads(threads);
  Simulation simulation(scenario);
  for (int s = 0; s < steps; ++s) simulation.step();
  return simulation.world().b2b_cooperation->ties();
}

// Requires more than `min_ties` ties (so that the comparison means something) and the same ties
// for 1 and 2 threads. Leaves the thread count at omp_get_num_procs().
inline void check_b2b_ties_same_for_1_and_2_threads(const Scenario& scenario, int steps, std::size_t min_ties) {
  const FirmTies one = b2b_ties_after(scenario, steps, 1);
  const FirmTies two = b2b_ties_after(scenario, steps, 2);
  omp_set_num_threads(omp_get_num_procs());
  REQUIRE(one.count() > min_ties);
  CHECK(one.a == two.a);
  CHECK(one.b == two.b);
  CHECK(one.weight == two.weight);
}

}  // namespace policysim::testing
