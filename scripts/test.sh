#!/usr/bin/env bash
# README command 2 (and CI): install what is missing, build with warnings as errors (and MPI for
# multi-node sweeps), run every test, fast and slow (README, "Testing"; under 6 minutes on 2 cores
# after the build). While editing, `ctest --test-dir build -L fast -j2` runs the fast ones only.
# Then the fast tests again under ASan + UBSan in build-asan/ (scripts/test_sanitized.sh,
# docs/reliability.md "Sanitizers"; about 18 minutes on 2 cores from a cold build: 13 to build, 5 of tests).
# `set -e`: this passes only if both do; each prints CTest's summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_dependencies.sh
bash scripts/build.sh -DPOLICYSIM_WERROR=ON -DPOLICYSIM_BUILD_TESTS=ON -DPOLICYSIM_WITH_MPI=ON  # MPI: sweeps across ranks
ctest --test-dir build --output-on-failure -j "$(nproc)"
bash scripts/test_sanitized.sh
