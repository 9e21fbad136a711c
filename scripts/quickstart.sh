#!/usr/bin/env bash
# README command 1: install what is missing, build, run the default scenario (and one what-if)
# and leave HDF5 files, text summaries and a plot in output/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_dependencies.sh
bash scripts/build.sh -DPOLICYSIM_BUILD_TESTS=OFF
mkdir -p output
# --force: re-running the quickstart replaces its own earlier results.
./build/sim/policysim run scenarios/baseline.toml --out output/baseline.h5 --force
# What happened (the baseline's drivers plus the policies that happened) and a what-if built on it.
./build/sim/policysim run scenarios/history.toml --out output/history.h5 --force --quiet
./build/sim/policysim run scenarios/post_abe.toml --out output/post_abe.h5 --force --quiet
/usr/bin/python3 -m analysis ties output/history.h5 output/post_abe.h5 --pairs JPN-ISR JPN-USA --out output/history_vs_post_abe_ties.png
/usr/bin/python3 -m analysis network output/post_abe.h5 --periods 2012Q1 2020Q4
echo
echo "quickstart: results in output/:"
ls -1 output
