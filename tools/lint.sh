#!/usr/bin/env bash
# tools/lint.sh FILE...: what `make lint` checks in the C and C++ sources:
#   - the layout: each file exactly as clang-format lays it out with the
#     committed .clang-format (`make format` rewrites them so);
#   - no banned function (tools/checksrc.py, which says why each is banned).
# Prints file:line: for each place that differs, then one summary line;
# exits 1 when anything is found.
set -u
cd "$(dirname "$0")/.." || exit 2
[ $# -gt 0 ] || { echo "usage: tools/lint.sh FILE..." >&2; exit 2; }
command -v clang-format >/dev/null || { echo "lint: clang-format is not installed (make lint installs it)" >&2; exit 2; }
files=0 lines=0
for f in "$@"; do
    # Unified diff with no context: each hunk header names the first line
    # of a run of lines clang-format would change.
    d=$(clang-format --style=file "$f" | diff -U0 "$f" -)
    [ -z "$d" ] && continue
    files=$((files + 1))
    lines=$((lines + $(printf '%s\n' "$d" | grep -c '^-[^-]')))
    printf '%s\n' "$d" | sed -n "s|^@@ -\([0-9]*\).*|$f:\1: layout differs from .clang-format|p"
done
python3 tools/checksrc.py "$@" >"${TMPDIR:-/tmp}/checksrc.$$"; banned=$?
cat "${TMPDIR:-/tmp}/checksrc.$$"; nbanned=$(grep -c . "${TMPDIR:-/tmp}/checksrc.$$"); rm -f "${TMPDIR:-/tmp}/checksrc.$$"
echo "lint: $# files: $lines lines in $files files to reformat (make format), $nbanned banned calls"
[ "$files" -eq 0 ] && [ "$banned" -eq 0 ]
