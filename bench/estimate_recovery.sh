#!/usr/bin/env bash
# Parameter recovery over many synthetic data sets (docs/estimation.md, "Parameter recovery"):
# the spec of the recovery test (tests/estimation/fixtures/recovery.toml), with its synthetic-data
# seed and sampler seed changed for each data set; reports, per coefficient, how often the 90%
# interval holds the truth (coverage) and the mean interval width as a share of the prior range.
#
#   bench/estimate_recovery.sh [DATA_SETS=20] [THREADS=2]       (from the repository root, after a build)
set -euo pipefail
cd "$(dirname "$0")/.."
sets=${1:-20}
threads=${2:-2}
binary=${POLICYSIM:-build/sim/policysim}
work=$(mktemp -d "${TMPDIR:-/tmp}/policysim-recovery.XXXXXX")
trap 'rm -rf "$work"' EXIT
fixture=tests/estimation/fixtures/recovery.toml
started=$(date +%s)
for k in $(seq 1 "$sets"); do
  sed -e "s#^scenario = .*#scenario = \"$PWD/tests/scenario/fixtures/small_world.toml\"#" \
      -e "s#^seed = .*#seed = $((1000 + k))#" \
      -e "s#^synthetic = { seed = [0-9]*#synthetic = { seed = $((2000 + k))#" "$fixture" > "$work/spec-$k.toml"
  "$binary" estimate "$work/spec-$k.toml" --out "$work/estimate-$k.h5" --threads "$threads" --quiet > "$work/table-$k.txt"
done
elapsed=$(( $(date +%s) - started ))
/usr/bin/python3 - "$work" "$sets" "$elapsed" <<'PY'
import sys, h5py, numpy as np
work, sets, elapsed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rows = []
for k in range(1, sets + 1):
    with h5py.File(f"{work}/estimate-{k}.h5", "r") as f:
        p = f["parameters"]
        keys = [x.decode() if isinstance(x, bytes) else x for x in p["key"][:]]
        rows.append((keys, p["truth"][:], p["q05"][:], p["q95"][:], p["interval_share"][:]))
keys = rows[0][0]
print(f"parameter recovery: {sets} synthetic data sets, {elapsed} s")
print(f"| coefficient | truth | coverage of the 90% interval | mean interval / prior range | intervals < half the prior |")
print(f"| --- | --- | --- | --- | --- |")
for i, key in enumerate(keys):
    truth = rows[0][1][i]
    covered = sum(1 for r in rows if r[2][i] <= r[1][i] <= r[3][i])
    share = np.mean([r[4][i] for r in rows])
    narrow = sum(1 for r in rows if r[4][i] < 0.5)
    print(f"| `{key}` | {truth:g} | {covered}/{sets} ({100 * covered / sets:.0f}%) | {share:.2f} | {narrow}/{sets} |")
PY
