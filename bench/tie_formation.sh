#!/usr/bin/env bash
# The B2B tie-formation benchmark of ../shared/bench/DECLARATION.md: for each size (default: small,
# medium, large) it runs, one after the other in the same invocation,
#   - the plain kernel build/bench/tie_formation_kernel (bench/tie_formation_kernel.cpp: the declared
#     model by hand, the same draws as policysim, no machinery): the lower bound, the regression guard;
#   - policysim run bench/tie_formation_<size>.toml (set-up, the run and the HDF5 file included);
# and prints the wall and CPU times of both (policysim's output reported apart as well, as the
# declaration asks: the file's creation, the recording and the file's end, from `run --timings`),
# their ratio (policysim / kernel, wall), policysim's peak memory (maximum resident set,
# bench/run_timed.py) and the equivalence check: final ties and mean weight of
# both, which must agree exactly (the kernel forms the same ties, bit for bit); and policysim's CPU
# nanoseconds per tie-step (existing ties updated, summed over the steps, as the kernel counts them):
# the same figure at every size when the cost is linear in the work.
#   bash bench/tie_formation.sh [small medium large xlarge] [--threads N[,N...]] [--seed N] [--repeat N] [--ceiling]
# policysim runs on one thread unless --threads says otherwise; --threads 1,2 runs it with each count,
# one after the other in the same invocation, and prints the speed-up over the first count.
# With --repeat N each size runs N times (kernel, policysim, kernel, ...) and the best of each is shown.
# With --ceiling, for each thread count T above 1, T copies of the kernel also run side by side
# (separate processes, nothing shared): T times one copy's time over their wall time is the speed-up
# T threads could reach on this machine at best (its cores, caches and memory shared), the yardstick
# for policysim's speed-up (docs/performance.md, tenth round); where 1 is among the thread counts, T
# one-thread policysim runs side by side as well, the same yardstick for policysim's own memory
# traffic (thirty-third round).
# Timings on a shared machine are noisy: compare ratios from one invocation, not across invocations.
set -euo pipefail
cd "$(dirname "$0")/.."
policysim=./build/sim/policysim
kernel=./build/bench/tie_formation_kernel
[ -x "$policysim" ] && [ -x "$kernel" ] || { echo "build first: cmake --build build (policysim and tie_formation_kernel)" >&2; exit 2; }
sizes=(); extra=(); seed=1; repeat=1; threads=1; ceiling=0
while [ $# -gt 0 ]; do
  case "$1" in
    small|medium|large|xlarge) sizes+=("$1") ;;
    --threads) threads=$2; shift ;;
    --seed) seed=$2; extra+=("$1" "$2"); shift ;;
    --repeat) repeat=$2; shift ;;
    --ceiling) ceiling=1 ;;
    *) echo "usage: $0 [small] [medium] [large] [xlarge] [--threads N[,N...]] [--seed N] [--repeat N] [--ceiling]" >&2; exit 2 ;;
  esac
  shift
done
[ ${#sizes[@]} -gt 0 ] || sizes=(small medium large)
IFS=, read -r -a thread_counts <<< "$threads"  # one thread unless asked: the kernel runs on one core
k_copy=$("$kernel" --bandwidth | awk '{print $2}')
echo "one core's memcpy bandwidth (read + write): $k_copy GB/s"
mkdir -p output
# timed RECORD COMMAND...: runs COMMAND under bench/run_timed.py, which writes "user system peak_KiB
# wall" to RECORD (the CPU seconds to the microsecond: /usr/bin/time's hundredths made the small
# case's CPU time a coarse step; the wall around the command alone), and sets $wall to that wall
# time, in milliseconds (/usr/bin/time's %e counts in 10 ms steps: a tenth of the kernel's time for
# the medium case, too coarse for a ratio guard).
timed() {
  local record=$1
  shift
  /usr/bin/python3 bench/run_timed.py "$record" "$@"
  wall=$(awk '{printf "%.3f", $4}' "$record")
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# best_side_by_side COPIES WHAT COMMAND...: runs COPIES copies of COMMAND at once (separate
# processes; "@COPY@" in an argument becomes the copy's number, for a file of its own), `repeat`
# times, and sets $best_side to the least wall time of the copies together; WHAT names them in an
# error. The ceilings of --ceiling.
best_side_by_side() {
  local copies=$1 what=$2 r c pid start side
  shift 2
  best_side=""
  for ((r = 0; r < repeat; r++)); do
    rm -f "$tmp"/side_*
    start=$(date +%s.%N)
    local pids=()
    for ((c = 0; c < copies; c++)); do "${@//@COPY@/$c}" > /dev/null & pids+=($!); done
    for pid in "${pids[@]}"; do
      wait "$pid" || { echo "tie_formation.sh: a $what copy of the ceiling run failed ($size, $copies copies)" >&2; exit 1; }
    done
    side=$(awk "BEGIN{printf \"%.3f\", $(date +%s.%N) - $start}")
    if [ -z "$best_side" ] || awk "BEGIN{exit !($side < $best_side)}"; then best_side=$side; fi
  done
  rm -f "$tmp"/side_*
}
printf "%-7s %8s %7s | %9s %9s | %9s %9s %14s | %6s | %8s | %9s | %9s | %11s | %-28s | %s\n" size firms threads "kernel s" "(cpu)" "policysim" "(cpu)" "(of it output)" ratio "speed-up" "peak MiB" "B a tie" "ns/tie-step" "ties, mean weight (policysim)" "kernel: same ties? tie updates/CPU s, GB/s streamed"
for size in "${sizes[@]}"; do
  scenario=bench/tie_formation_${size}.toml
  firms=$(sed -nE 's/^count = ([0-9]+).*/\1/p' "$scenario")
  steps=$(sed -nE 's/^steps = ([0-9]+).*/\1/p' "$scenario")
  out=output/tie_formation_${size}.h5
  best_k=""; declare -A best_p=() best_pc=() peak=() output=()
  for ((r = 0; r < repeat; r++)); do
    timed "$tmp/k.time" "$kernel" "$firms" --steps "$steps" --seed "$seed" > "$tmp/k.out"
    k_wall=$wall
    read -r k_user k_sys _ _ < "$tmp/k.time"
    if [ -z "$best_k" ] || awk "BEGIN{exit !($k_wall < $best_k)}"; then best_k=$k_wall; best_kc=$(awk "BEGIN{printf \"%.3f\", $k_user + $k_sys}"); fi
    for t in "${thread_counts[@]}"; do
      # Each run writes a new file: the last run's is removed first, outside the timing. Replacing it
      # by rename costs ext4 13 - 21 ms for the large case's 33 MB (freeing the old file's blocks,
      # starting the new one's writeback: docs/performance.md, thirteenth round), a cost of running
      # the benchmark twice, not of the run.
      rm -f "$out"
      timed "$tmp/p.time" "$policysim" run "$scenario" --out "$out" --force --quiet --timings --threads "$t" "${extra[@]}" > "$tmp/p.out"
      p_wall=$wall
      read -r p_user p_sys p_peak _ < "$tmp/p.time"
      if [ -z "${best_p[$t]:-}" ] || awk "BEGIN{exit !($p_wall < ${best_p[$t]})}"; then
        best_p[$t]=$p_wall; best_pc[$t]=$(awk "BEGIN{printf \"%.3f\", $p_user + $p_sys}"); peak[$t]=$p_peak
        # The declaration asks for output writing excluded or reported apart: the file's creation, the
        # recording (the observer: the steps' rows and the edge list) and the file's end, from
        # --timings (wall seconds; the table's second-to-last column).
        output[$t]=$(awk '/^  (file \(created\)|observer|file \(closed)/ {s += $(NF - 1)} END {printf "%.3f", s}' "$tmp/p.out")
      fi
    done
  done
  # The kernel's line: firms N steps S ties T mean_weight W seconds X cpu_seconds C tie_updates_per_cpu_second R streamed_GB_per_cpu_second G
  read -r _ _ _ _ _ k_ties _ k_weight _ _ _ k_cpu _ k_rate _ k_streamed < "$tmp/k.out"
  # The tie-steps of the run (existing ties updated, summed over the steps: the same in both programs).
  tie_steps=$(awk "BEGIN{printf \"%.0f\", $k_cpu * $k_rate}")
  # policysim's final ties and mean weight from its file (sequential sum, as both programs sum).
  read -r p_ties p_weight < <(/usr/bin/python3 - "$out" <<'PY'
import sys, h5py, numpy as np
with h5py.File(sys.argv[1], "r") as f:
    g = f["b2b_cooperation"]
    w = g["weight"]
    if "first_row" in g:  # the snapshot index: the last snapshot's rows
        first = int(g["first_row"][-1]); w = w[first:first + int(g["rows"][-1])]
    else:  # files written before the snapshot index: a period_label per row
        labels = g["period_label"][()]
        w = w[()][labels == labels[-1]] if len(labels) else w[()]
    print(len(w), repr(float(np.cumsum(w)[-1] / len(w))) if len(w) else "0.0")
PY
)
  same=no; [ "$p_ties" = "$k_ties" ] && /usr/bin/python3 -c "import sys; sys.exit(float('$p_weight') != float('$k_weight'))" && same=yes
  first_t=${thread_counts[0]}
  for t in "${thread_counts[@]}"; do
    ratio=$(awk "BEGIN{printf \"%.2f\", ${best_p[$t]} / ($best_k > 0 ? $best_k : 0.01)}")
    speedup=$(awk "BEGIN{printf \"%.2f\", ${best_p[$first_t]} / (${best_p[$t]} > 0 ? ${best_p[$t]} : 0.01)}")
    # Peak memory per final tie: the whole process (firms, buffers, HDF5) over the ties.
    per_tie=$(awk "BEGIN{printf \"%.0f\", ${peak[$t]} * 1024 / ($p_ties > 0 ? $p_ties : 1)}")
    # policysim's CPU time per tie-step: constant across sizes when the cost is linear.
    per_step=$(awk "BEGIN{printf \"%.1f\", ${best_pc[$t]} * 1e9 / ($tie_steps > 0 ? $tie_steps : 1)}")
    printf "%-7s %8s %7s | %9s %9s | %9s %9s %14s | %6s | %8s | %9d | %9s | %11s | %-28s | %s %s, %s\n" "$size" "$firms" "$t" "$best_k" "$best_kc" \
      "${best_p[$t]}" "${best_pc[$t]}" "${output[$t]} s ($(awk "BEGIN{printf \"%.0f\", 100 * ${output[$t]} / ${best_p[$t]}}")%)" "x$ratio" "x$speedup" $((peak[$t] / 1024)) "$per_tie" "$per_step" "$p_ties, $(printf %.4f "$p_weight")" \
      "$same" "$k_rate" "$k_streamed"
  done
  if [ "$ceiling" = 1 ]; then
    for t in "${thread_counts[@]}"; do
      [ "$t" -gt 1 ] || continue
      best_side_by_side "$t" kernel "$kernel" "$firms" --steps "$steps" --seed "$seed"
      printf "%-7s %8s %7s | ceiling: %s kernels side by side in %s s, x%s of one's throughput (the most %s threads could give here)\n" \
        "$size" "$firms" "$t" "$t" "$best_side" "$(awk "BEGIN{printf \"%.2f\", $t * $best_k / $best_side}")" "$t"
      # The same for policysim's own work (its memory traffic is not the kernel's): T one-thread runs
      # side by side, each with a file of its own, against the best one-thread run above. Two
      # one-thread runs side by side took 5 - 10% longer each than one alone where two kernels took
      # 0 - 4% longer (docs/performance.md, thirty-third round): the yardstick for policysim's T threads.
      if [ -n "${best_p[1]:-}" ]; then
        best_side_by_side "$t" policysim "$policysim" run "$scenario" --out "$tmp/side_@COPY@.h5" --quiet --threads 1 "${extra[@]}"
        printf "%-7s %8s %7s | ceiling: %s one-thread policysim runs side by side in %s s, x%s of one's throughput (the most %s threads could give policysim here)\n" \
          "$size" "$firms" "$t" "$t" "$best_side" "$(awk "BEGIN{printf \"%.2f\", $t * ${best_p[1]} / $best_side}")" "$t"
      fi
    done
  fi
  unset best_p best_pc peak output
done
