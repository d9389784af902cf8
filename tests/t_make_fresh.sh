# End to end: `make` on a fresh copy of the repository (the files git
# tracks, and new ones not ignored) builds and generates output/.
. tests/lib.sh
if ! git rev-parse --git-dir >/dev/null 2>&1; then
    skip "make: fresh copy" "not a git checkout"; exit 0
fi
mkdir -p "$TMP/repo"
git ls-files -z -co --exclude-standard | xargs -0 cp --parents -t "$TMP/repo" 2>/dev/null
(cd "$TMP/repo" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u VARIANT -u SAN -u OPT make -s >"$TMP/make.log" 2>&1); rc=$?
[ "$rc" -eq 0 ] && pass "make: fresh copy builds" || fail "make: fresh copy builds" "$(tail -20 "$TMP/make.log")"
[ -x "$TMP/repo/bin/mailguide" ] && [ -f "$TMP/repo/output/index.html" ] && [ -f "$TMP/repo/output/pl-pl/index.html" ] &&
    pass "make: fresh copy generates output/" || fail "make: fresh copy generates output/"
(cd "$TMP/repo" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u VARIANT -u SAN -u OPT make -s install DESTDIR="$TMP/dest" PREFIX=/opt/mg >/dev/null 2>&1) &&
    [ -x "$TMP/dest/opt/mg/bin/mailguide" ] && [ -f "$TMP/dest/opt/mg/share/mailguide/templates/page.html.tpl" ] &&
    pass "make: install honours DESTDIR and PREFIX" || fail "make: install honours DESTDIR and PREFIX"
(cd "$TMP/repo" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u VARIANT -u SAN -u OPT make -s clean) && [ ! -e "$TMP/repo/bin" ] && [ ! -e "$TMP/repo/output" ] &&
    pass "make: clean removes what make made" || fail "make: clean removes what make made"
