# The command line: help, version, exit statuses.
. tests/lib.sh
expect() { # NAME STATUS CMD...: the command exits with STATUS
    local name=$1 want=$2; shift 2
    "$@" >"$TMP/o" 2>&1; local rc=$?
    [ "$rc" -eq "$want" ] && pass "$name" || fail "$name" "exit $rc, wanted $want: $(head -3 "$TMP/o")"
}
expect "cli: --version" 0 "$MG" --version
grep -qx 'mailguide [0-9.]*' "$TMP/o" && pass "cli: version line" || fail "cli: version line" "$(cat "$TMP/o")"
expect "cli: --help" 0 "$MG" --help
grep -q '^  build' "$TMP/o" && grep -q '^  check' "$TMP/o" && grep -q '^  profile' "$TMP/o" &&
    pass "cli: help lists commands" || fail "cli: help lists commands"
for c in build check profile; do
    expect "cli: $c --help" 0 "$MG" $c --help
    grep -q "^usage: mailguide $c" "$TMP/o" && pass "cli: $c --help shows usage" || fail "cli: $c --help shows usage"
done
expect "cli: no command is a usage error" 2 "$MG"
expect "cli: unknown command is a usage error" 2 "$MG" frobnicate
expect "cli: unknown option is a usage error" 2 "$MG" build --frobnicate
expect "cli: stray argument is a usage error" 2 "$MG" build extra
expect "cli: missing content is a content error" 1 "$MG" build -C "$TMP/none" -o "$TMP/out"
grep -q "^$TMP/none/site.yaml: error: cannot read: No such file or directory" "$TMP/o" &&
    pass "cli: missing content names the file" || fail "cli: missing content names the file" "$(cat "$TMP/o")"
expect "cli: -C -t -o before the command" 0 "$MG" -q -C content -t templates -o "$TMP/o1" build
expect "cli: -C -t -o after the command" 0 "$MG" build -q -C content -t templates -o "$TMP/o2"
[ -f "$TMP/o1/index.html" ] && [ -f "$TMP/o2/index.html" ] && pass "cli: -o is honoured" || fail "cli: -o is honoured"
"$MG" build -C content -o "$TMP/o3" 2>"$TMP/e"; grep -q 'wrote' "$TMP/e" && pass "cli: build reports" || fail "cli: build reports"
"$MG" -q build -C content -o "$TMP/o4" 2>"$TMP/e"; [ ! -s "$TMP/e" ] && pass "cli: -q is quiet" || fail "cli: -q is quiet" "$(cat "$TMP/e")"
"$MG" -v build -C content -o "$TMP/o5" 2>"$TMP/e"; grep -q 'wrote pl-pl/index.html' "$TMP/e" && pass "cli: -v lists files" || fail "cli: -v lists files"
