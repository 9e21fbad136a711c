#!/usr/bin/env bash
# Regenerates docs/scenarios.md (policysim compare over the what-ifs, 20 seeds each: about 8
# minutes on 2 cores) and docs/scenarios.inputs (the SHA-256 of every input of its numbers, which
# the fast test scenarios.docs_inputs_unchanged checks instead of regenerating the page).
# Run from anywhere, after a build (scripts/build.sh); POLICYSIM overrides the binary.
set -euo pipefail
cd "$(dirname "$0")/.."
policysim="${POLICYSIM:-./build/sim/policysim}"
# The page's own command (its header), with the build's binary: `policysim compare ... --docs-page
# docs/scenarios.md` (or --markdown, the former name of --docs-page, which the page's header may
# still give; both write the same page). Its stdout, the table for users, is not needed here.
read -r -a words < <(/usr/bin/python3 tests/calibration/scenarios_doc.py command)
"$policysim" "${words[@]:1}" > /dev/null
/usr/bin/python3 tests/calibration/scenarios_doc.py inputs --write
git --no-pager diff --stat -- docs/scenarios.md docs/scenarios.inputs || true
