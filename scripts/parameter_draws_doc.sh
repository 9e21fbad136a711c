#!/usr/bin/env bash
# docs/scenarios_parameter_draws.md: the what-ifs of docs/scenarios.md against history.toml with the
# coefficients drawn from the estimate (policysim compare --parameter-draws; docs/estimation.md).
# Too slow for CTest (DRAWS x SEEDS x 2 full runs per what-if), so the page records the commit it came
# from instead. Run from anywhere, after a build; POLICYSIM overrides the binary.
#
#   scripts/parameter_draws_doc.sh [DRAWS=8] [SEEDS=2]
set -euo pipefail
cd "$(dirname "$0")/.."
policysim="${POLICYSIM:-./build/sim/policysim}"
draws=${1:-8}
seeds=${2:-2}
mkdir -p output
estimate=output/estimate_baseline.h5
if [ ! -f "$estimate" ]; then
  "$policysim" estimate scenarios/estimate_baseline.toml --out "$estimate" --quiet > /dev/null
fi
what_ifs=(post_abe post_netanyahu israel_china_5g olympics_threat us_disengages us_trilateral eu_japan_data
          direct_flights all_drivers_reversed)
files=(scenarios/history.toml)
for name in "${what_ifs[@]}"; do files+=("scenarios/$name.toml"); done
started=$(date +%s)
"$policysim" compare "${files[@]}" --seeds "$seeds" --parameter-draws "$draws" --estimate "$estimate" \
  --docs-page docs/scenarios_parameter_draws.md > /dev/null
elapsed=$(( $(date +%s) - started ))
commit=$(git rev-parse --short HEAD)
{
  echo
  echo "Generated at commit \`$commit\` (the model and scenarios as of that commit), $draws draws x $seeds seeds,"
  echo "in $elapsed s on $(nproc) cores."
} >> docs/scenarios_parameter_draws.md
echo "docs/scenarios_parameter_draws.md: $draws draws x $seeds seeds, $elapsed s"
