#!/usr/bin/env bash
# README command 2 (and CI): install what is missing, build with warnings as errors, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_dependencies.sh
bash scripts/build.sh -DPOLICYSIM_WERROR=ON -DPOLICYSIM_BUILD_TESTS=ON
ctest --test-dir build --output-on-failure -j "$(nproc)"
