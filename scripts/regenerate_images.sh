#!/usr/bin/env bash
# Regenerates every picture in docs/images/ (README.md and docs/ show them) and the stamp beside
# each (docs/images/<name>.inputs: the SHA-256 of what it was drawn from, which the fast test
# docs.images_current checks). Runs policysim run / compare / sweep and python3 -m analysis; about
# 4 minutes on 2 free cores. Run from anywhere, after a build (scripts/build.sh); POLICYSIM overrides
# the binary; --only NAME... makes only some pictures. scripts/images.py says what each is made of.
set -euo pipefail
cd "$(dirname "$0")/.."
/usr/bin/python3 scripts/images.py regenerate "$@"
git --no-pager diff --stat -- docs/images || true
