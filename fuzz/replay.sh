#!/usr/bin/env bash
# Runs the fuzz target once over each kept case (libFuzzer given files runs them and exits).
#   fuzz/replay.sh FUZZER_BINARY fuzz/regressions
set -euo pipefail
fuzzer=$1
cases=()
for f in "$2"/*; do
  [ -f "$f" ] && [ "${f%.md}" = "$f" ] && cases+=("$f")
done
[ ${#cases[@]} -gt 0 ] || { echo "no cases in $2"; exit 0; }
exec "$fuzzer" "${cases[@]}"
