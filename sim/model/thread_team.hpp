#pragma once
// Starting a process's OpenMP threads before its first parallel region, each on a CPU of its own,
// so that the run's regions do not wait for them (docs/performance.md, thirty-fifth round).
//
// libgomp makes a region's threads when the process first asks for a team, and its parent thread
// then waits at the threads' dock for them to check in, spinning (up to 300,000 pauses) while no
// more threads are managed than there are CPUs. Linux often starts a new thread on its parent's
// core, where it runs only once the balancer moves it or the parent's slice ends: the large
// benchmark's first region on two threads took 1 - 15 ms (7 ms in the median of nine runs started
// after a pause), a small scenario's two-thread run 0.041 s instead of 0.028 s. With more threads
// than CPUs, libgomp spins at most 100 pauses and then sleeps (GOMP_SPINCOUNT in libgomp's manual),
// and a sleeping parent lets its new threads run at once. So the team is started with one thread
// more than the regions use (the next region lets the extra one go), and each thread is held on a
// CPU of its own for a moment: started alone, the threads were often left sharing a core, and a
// later region then waited 8 - 11 ms at its end (a 40-line program, thirty-fifth round).
// `OMP_WAIT_POLICY=passive`, or `OMP_PROC_BIND=spread OMP_PLACES=cores`, in the environment would
// also do, but libgomp reads them only when it loads, and binding by default would put concurrent
// runs on the same cores.

namespace policysim {

// How many threads the team started ahead should have: one more than the regions will use
// (`max_threads`), where they would use more than one thread and no more than the process has
// CPUs (`cpus`), the caller is in no parallel region (a nested team is made for the region that
// asks for it), and OpenMP does not bind threads to places (`bound`: OMP_PROC_BIND, which already
// starts each thread where it belongs); 0 where no team need be started.
int thread_team_ahead(int max_threads, int cpus, bool in_parallel, bool bound);

// Starts the calling thread's team ahead, of thread_team_ahead's size from OpenMP's current
// settings: a parallel region in which each thread is held on one of the process's CPUs (the k-th
// thread on the k-th CPU, round the CPUs again where there are more threads), then given back the
// CPUs the process had. Call once the thread count is set (`--threads`), before any parallel
// region; nothing where thread_team_ahead gives 0, nor after a call for as many threads or more.
// Returns the threads the region ran with (0: none started; fewer than asked where
// OMP_THREAD_LIMIT or OMP_DYNAMIC allow fewer). No result depends on it.
int start_thread_team();

}  // namespace policysim
