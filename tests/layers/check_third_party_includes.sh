#!/usr/bin/env bash
# Third-party headers stay in their layers (sim/CMakeLists.txt). The build enforces HDF5, Boost and
# MPI through include paths; toml++ sits in /usr/include where every layer could reach it, so this
# check is what keeps TOML in the loaders (sim/scenario, and the spec/target loaders of sim/sweep,
# sim/calibration and sim/estimation). Exit 1 and the offending lines when a rule is broken.
set -uo pipefail
cd "$(dirname "$0")/../.."
status=0
rule() {  # rule <description> <pattern> <folders where it is forbidden...>
  local what=$1 pattern=$2; shift 2
  local hits
  hits=$(grep -rnE "$pattern" "$@" 2>/dev/null || true)
  if [ -n "$hits" ]; then echo "layer rule broken: $what"; echo "$hits"; status=1; fi
}
below_loaders=(sim/model sim/description sim/dynamics)
[ -d sim/measures ] && below_loaders+=(sim/measures)
rule "TOML only in the loaders" '#include *[<"]toml' "${below_loaders[@]}" sim/output sim/cli
rule "HDF5 only in sim/output" '#include *[<"](hdf5|H5)' "${below_loaders[@]}" sim/scenario sim/sweep sim/calibration sim/estimation sim/cli
rule "Boost only in sim/cli" '#include *[<"]boost/' "${below_loaders[@]}" sim/scenario sim/output sim/sweep sim/calibration sim/estimation
rule "MPI only in sim/sweep" '#include *[<"]mpi\.h' "${below_loaders[@]}" sim/scenario sim/output sim/calibration sim/estimation sim/cli
# Every folder under sim/ is a layer that sim/CMakeLists.txt declares.
for folder in sim/*/; do
  layer=$(basename "$folder")
  [ "$layer" = cli ] && continue
  grep -q "policysim_layer($layer" sim/CMakeLists.txt || { echo "sim/$layer is not declared as a layer in sim/CMakeLists.txt"; status=1; }
done
[ $status -eq 0 ] && echo "third-party includes stay in their layers"
exit $status
