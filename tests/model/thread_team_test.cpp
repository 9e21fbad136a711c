#include <catch2/catch.hpp>

#include <sched.h>

#include <cstring>
#include <vector>

#include <omp.h>

#include "sim/model/thread_team.hpp"

using namespace policysim;

TEST_CASE("thread_team_ahead: one thread more than the regions use, where threads start", "[model]") {
  CHECK(thread_team_ahead(2, 2, false, false) == 3);
  CHECK(thread_team_ahead(16, 16, false, false) == 17);
  CHECK(thread_team_ahead(4, 16, false, false) == 5);
  // One thread: no team. More threads than CPUs: libgomp sleeps anyway. Nested: the region makes
  // its own. Bound by OMP_PROC_BIND: each thread starts where it belongs.
  CHECK(thread_team_ahead(1, 8, false, false) == 0);
  CHECK(thread_team_ahead(3, 2, false, false) == 0);
  CHECK(thread_team_ahead(2, 2, true, false) == 0);
  CHECK(thread_team_ahead(2, 2, false, true) == 0);
}

namespace {
bool same_cpus(const cpu_set_t& a, const cpu_set_t& b) { return CPU_EQUAL(&a, &b) != 0; }
}  // namespace

// The team started ahead leaves every thread the CPUs the process had (each is held on one for a
// moment only), and the next region runs with the threads asked for, not the extra one.
TEST_CASE("start_thread_team: the threads keep the process's CPUs and the regions their size", "[model]") {
  cpu_set_t before;
  CPU_ZERO(&before);
  REQUIRE(sched_getaffinity(0, sizeof before, &before) == 0);
  const int threads_before = omp_get_max_threads();
  omp_set_num_threads(2);
  const int expected = thread_team_ahead(2, omp_get_num_procs(), false, omp_get_proc_bind() != omp_proc_bind_false);
  CHECK(start_thread_team() == expected);
  // A second call for as many threads starts nothing.
  CHECK(start_thread_team() == 0);

  cpu_set_t after;
  CPU_ZERO(&after);
  REQUIRE(sched_getaffinity(0, sizeof after, &after) == 0);
  CHECK(same_cpus(before, after));
  int team = 0;
  std::vector<int> kept(2, 0);
#pragma omp parallel
  {
#pragma omp single
    team = omp_get_num_threads();
    cpu_set_t mine;
    CPU_ZERO(&mine);
    const int t = omp_get_thread_num();
    if (t < 2 && sched_getaffinity(0, sizeof mine, &mine) == 0) kept[static_cast<std::size_t>(t)] = same_cpus(before, mine) ? 1 : 0;
  }
  CHECK(team == 2);
  CHECK(kept[0] == 1);
  CHECK(kept[1] == 1);
  omp_set_num_threads(threads_before);
}
