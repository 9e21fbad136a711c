#!/usr/bin/env bash
# The B2B tie-formation benchmark of ../shared/bench/DECLARATION.md: runs the small, medium and
# large scenario files once each (or the sizes given) and reports wall time, peak memory and the
# equivalence check (final ties, mean weight). Output writing is included in the time; with the
# default [output] only the final edge list is written.
#   bash bench/tie_formation.sh [small medium large] [--threads N] [--seed N]
set -euo pipefail
cd "$(dirname "$0")/.."
policysim=./build/sim/policysim
[ -x "$policysim" ] || { echo "build first: bash scripts/build.sh" >&2; exit 2; }
sizes=(); extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    small|medium|large) sizes+=("$1") ;;
    --threads|--seed) extra+=("$1" "$2"); shift ;;
    *) echo "usage: $0 [small] [medium] [large] [--threads N] [--seed N]" >&2; exit 2 ;;
  esac
  shift
done
[ ${#sizes[@]} -gt 0 ] || sizes=(small medium large)
mkdir -p output
printf "%-8s %9s %10s %12s %12s\n" size firms "wall (s)" "peak (MiB)" "ties, mean weight"
for size in "${sizes[@]}"; do
  out=output/tie_formation_${size}.h5
  log=$(mktemp)
  /usr/bin/time -f "%e %M" -o "$log.time" "$policysim" run "bench/tie_formation_${size}.toml" --out "$out" --force "${extra[@]}" > "$log"
  read -r wall peak_kb < "$log.time"
  line=$(grep "b2b coop." "$log")
  ties=$(echo "$line" | sed -E 's/.*-> ([0-9]+) ties among ([0-9]+) firms.*/\1/')
  firms=$(echo "$line" | sed -E 's/.*ties among ([0-9]+) firms.*/\1/')
  weight=$(echo "$line" | sed -E 's/.*mean weight [0-9.]+ -> ([0-9.]+).*/\1/')
  printf "%-8s %9s %10s %12d %12s\n" "$size" "$firms" "$wall" $((peak_kb / 1024)) "$ties, $weight"
  rm -f "$log" "$log.time"
done
