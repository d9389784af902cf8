# tests/lib.sh: sourced by every tests/t_*.sh script.
#
# A test script reports each case on its own line, which tests/run counts:
#   PASS name            the case held
#   FAIL name: why       the case did not hold
#   SKIP name: why       the case could not run here (never counted as passed)
# Scripts run from the repository root with MG set to the mailguide binary
# under test and TMP set to a fresh scratch directory that tests/run removes.

: "${MG:=$PWD/bin/mailguide}"
: "${TMP:=$(mktemp -d)}"
SHARED=${SHARED:-$(cd .. && pwd)/shared}

pass() { printf 'PASS %s\n' "$1"; }
fail() { printf 'FAIL %s: %s\n' "$1" "${2:-failed}"; }
skip() { printf 'SKIP %s: %s\n' "$1" "$2"; }

# check NAME CMD...: the case passes when CMD exits 0; its output is shown on failure.
check() {
    local name=$1 out
    shift
    if out=$("$@" 2>&1); then
        pass "$name"
    else
        fail "$name" "$(printf '%s' "$out" | tail -n 20)"
    fi
}

# same NAME EXPECTED_FILE ACTUAL_FILE: the case passes when both files are equal.
same() {
    if diff -u "$2" "$3" >"$TMP/diff.out" 2>&1; then
        pass "$1"
    else
        fail "$1" "$(head -n 40 "$TMP/diff.out")"
    fi
}

have_shared() { [ -d "$SHARED/seeds" ]; }

# need_vnu: makes sure the Nu HTML Checker (npm package vnu-jar, pinned in
# package-lock.json) is in node_modules/, installing it with `npm ci`.
VNU_JAR=node_modules/vnu-jar/build/dist/vnu.jar
need_vnu() {
    [ -f "$VNU_JAR" ] && return 0
    npm ci --no-audit --no-fund >"$TMP/npm.log" 2>&1 && [ -f "$VNU_JAR" ]
}
