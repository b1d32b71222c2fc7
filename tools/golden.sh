#!/usr/bin/env bash
# Writes the golden checksums of tests/golden/ again from the Release build (tests/golden/README.md).
# Only for a change meant to alter results; say so in the commit.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${MIGSIM_BIN:-build/release/tools/migsim/migsim}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" run scenarios/toy -o "$work/toy.h5" -q
"$bin" info --checksums "$work/toy.h5" > tests/golden/toy.sha256
"$bin" run scenarios/mediterranean --days 120 -o "$work/med.h5" -q
"$bin" info --checksums "$work/med.h5" > tests/golden/mediterranean-120-days.sha256
git --no-pager diff --stat -- tests/golden
