#!/usr/bin/env bash
# A run is a pure function of (scenario, seed), down to the bytes: two runs of the same command give
# files that `cmp` finds equal (no timestamps in a run file; the command line, stored in the file,
# is the same because the output path is). Usage: same_bytes.sh <policysim> <scenario> <folder>
set -euo pipefail
policysim=$1 scenario=$2 folder=$3
mkdir -p "$folder"
cd "$folder"
for attempt in first second; do
  "$policysim" run "$scenario" --out same_bytes.h5 --force --quiet --threads 1
  mv same_bytes.h5 "same_bytes_$attempt.h5"
  sleep 1  # a timestamp with one-second resolution would differ
done
cmp same_bytes_first.h5 same_bytes_second.h5
echo "two runs of the same command: byte-identical files"
