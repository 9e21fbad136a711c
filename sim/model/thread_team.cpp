#include "sim/model/thread_team.hpp"

#include <sched.h>

#include <vector>

#include <omp.h>

namespace policysim {

int thread_team_ahead(int max_threads, int cpus, bool in_parallel, bool bound) {
  if (in_parallel || bound || max_threads < 2 || max_threads > cpus) return 0;
  return max_threads + 1;
}

int start_thread_team() {
  // The largest team started so far (the command line's thread, which alone calls this).
  static int started_for = 0;
  const int max_threads = omp_get_max_threads();
  const int team = thread_team_ahead(max_threads, omp_get_num_procs(), omp_in_parallel() != 0,
                                     omp_get_proc_bind() != omp_proc_bind_false);
  if (team == 0 || max_threads <= started_for) return 0;
  started_for = max_threads;
  // The CPUs the process may use: thread k is held on the k-th of them for a moment, then given
  // them all back (the set it had: a `taskset` of the user's stays as it was).
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  std::vector<int> cpus;
  if (sched_getaffinity(0, sizeof allowed, &allowed) == 0)
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
      if (CPU_ISSET(cpu, &allowed)) cpus.push_back(cpu);
  int made = 0;
#pragma omp parallel num_threads(team)
  {
    // A failure to move a thread changes nothing but where it starts.
    if (!cpus.empty()) {
      cpu_set_t one;
      CPU_ZERO(&one);
      CPU_SET(cpus[static_cast<std::size_t>(omp_get_thread_num()) % cpus.size()], &one);
      sched_setaffinity(0, sizeof one, &one);
    }
#pragma omp barrier
    if (!cpus.empty()) sched_setaffinity(0, sizeof allowed, &allowed);
#pragma omp single
    made = omp_get_num_threads();
  }
  return made;
}

}  // namespace policysim
