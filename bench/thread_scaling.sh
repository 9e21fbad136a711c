#!/usr/bin/env bash
# Thread scaling in one call, for a machine with more cores than this project's 2-core one (the
# issue's "1, 2, 4, 8, 16 threads where a machine has them"): the tie-formation benchmark on each
# thread count with its ceilings (bench/tie_formation.sh), then, for the largest count, where its
# threads wait, region by region (bench/region_timings.py). Thread counts above the machine's cores
# are left out (they would measure the scheduler). Output to standard output and, where $OUT is set
# (the device machine's folder that comes back), to $OUT/thread_scaling.txt as well.
#   bash bench/thread_scaling.sh [SIZE ...] [--threads N[,N...]] [--repeat N]
# Defaults: large xlarge, 1,2,4,8,16, --repeat 3 (xlarge once). Build first: cmake --build build.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=(); threads=1,2,4,8,16; repeat=3
while [ $# -gt 0 ]; do
  case "$1" in
    small|medium|large|xlarge) sizes+=("$1") ;;
    --threads) threads=$2; shift ;;
    --repeat) repeat=$2; shift ;;
    *) echo "usage: $0 [small|medium|large|xlarge ...] [--threads N[,N...]] [--repeat N]" >&2; exit 2 ;;
  esac
  shift
done
[ ${#sizes[@]} -gt 0 ] || sizes=(large xlarge)
cores=$(nproc)
IFS=, read -r -a asked <<< "$threads"
kept=()
for t in "${asked[@]}"; do
  [[ "$t" =~ ^[1-9][0-9]*$ ]] || { echo "thread_scaling.sh: --threads takes whole numbers >= 1, got '$t'" >&2; exit 2; }
  if [ "$t" -le "$cores" ]; then kept+=("$t"); else echo "thread_scaling.sh: $t threads left out: this machine has $cores cores" >&2; fi
done
[ ${#kept[@]} -gt 0 ] || { echo "thread_scaling.sh: no thread count fits this machine's $cores cores" >&2; exit 2; }
counts=$(IFS=,; echo "${kept[*]}")
largest=${kept[${#kept[@]}-1]}
run() {
  echo "== $(date -u +%FT%TZ) $*"
  "$@"
}
{
  echo "thread scaling on $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  for size in "${sizes[@]}"; do
    if [ "$size" = xlarge ]; then
      run bash bench/tie_formation.sh xlarge --threads "$counts"
    else
      run bash bench/tie_formation.sh "$size" --threads "$counts" --repeat "$repeat" --ceiling
    fi
  done
  for size in "${sizes[@]}"; do
    [ "$size" = xlarge ] && continue
    run /usr/bin/python3 bench/region_timings.py "$size" --threads "$largest" --runs "$repeat"
  done
} 2>&1 | if [ -n "${OUT:-}" ]; then tee "$OUT/thread_scaling.txt"; else cat; fi
