#!/usr/bin/env bash
# Formats migsim's C++ (engine, tools, tests, bench, fuzz) with the repository's .clang-format.
#   tools/format.sh           rewrite every file in place
#   tools/format.sh --check   change nothing; list each file that would change, with the diff,
#                             and exit 1 if there is any (tools/check.sh format, in CI)
# clang-format 14 (Debian 12's clang-format-14, tools/setup.sh): other versions format a few
# constructs differently, so CLANG_FORMAT names another binary only on purpose.
set -euo pipefail
cd "$(dirname "$0")/.."

CLANG_FORMAT=${CLANG_FORMAT:-$(command -v clang-format-14 || command -v clang-format || true)}
if [ -z "$CLANG_FORMAT" ]; then
  echo "format: clang-format not found (Debian's clang-format, installed by tools/setup.sh)" >&2
  exit 2
fi
mapfile -t files < <(git ls-files 'engine/*.cpp' 'engine/*.hpp' 'tools/*.cpp' 'tools/*.hpp' 'tests/*.cpp' \
                       'tests/*.hpp' 'bench/*.cpp' 'bench/*.hpp' 'fuzz/*.cpp' 'fuzz/*.hpp')

case "${1:-}" in
  "")
    "$CLANG_FORMAT" -i --style=file "${files[@]}"
    echo "formatted ${#files[@]} files";;
  --check)
    changed=0
    for f in "${files[@]}"; do
      if ! "$CLANG_FORMAT" --style=file "$f" | diff -u --label "$f" --label "$f (formatted)" "$f" -; then
        changed=$((changed + 1))
      fi
    done
    if [ "$changed" -gt 0 ]; then
      echo "format: $changed of ${#files[@]} files differ from .clang-format (the diffs above); run tools/format.sh"
      exit 1
    fi
    echo "format: ${#files[@]} files, no differences";;
  *)
    echo "usage: tools/format.sh [--check]" >&2; exit 2;;
esac
