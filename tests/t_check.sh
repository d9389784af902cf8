# mailguide check: golden tests of every check's diagnostics, the -W
# switches, JSON, --fix, --list-external, the seed's real defects, the
# shipped content (no warning), and that check writes nothing.
#
# tests/fixtures/check/<case>/ holds guides/ (laid over base/content, with
# the shipped UI strings) and optionally `args` (extra arguments), then:
#   expected.err   the exact standard error (diagnostics with their source
#                  and caret lines, the summary), then "exit=N"
#   expected.out   the exact standard output (the --list-external list)
# Every case runs with --list-external. Goldens are reviewed line by line,
# never regenerated blindly.
. tests/lib.sh
top=$PWD
fix=tests/fixtures/check

setup() { # CASE DIR: a content directory for the case in DIR
    rm -rf "$2" && mkdir -p "$2"
    cp -R "$fix/base/content" "$2/"
    mkdir -p "$2/content/strings"
    cp content/strings/pl-pl.yaml content/strings/en-gb.yaml content/strings/fr-fr.yaml "$2/content/strings/"
    cp -R "$fix/$1/guides" "$2/content/"
}

for dir in "$fix"/*/; do
    name=$(basename "$dir")
    [ "$name" = base ] && continue
    work=$TMP/$name
    setup "$name" "$work"
    args=$(cat "$dir/args" 2>/dev/null)
    # shellcheck disable=SC2086
    (cd "$work" && "$MG" check $args --list-external -C content >out.txt 2>err.txt; echo "exit=$?" >>err.txt)
    same "check: $name diagnostics" "$dir/expected.err" "$work/err.txt"
    if [ -f "$dir/expected.out" ]; then
        same "check: $name external links" "$dir/expected.out" "$work/out.txt"
    elif [ -s "$work/out.txt" ]; then
        fail "check: $name prints nothing on stdout" "$(head -5 "$work/out.txt")"
    fi
done

# ---- the -W switches -----------------------------------------------------------------
w=$TMP/sw
setup images "$w/images"
setup drift "$w/drift"
setup anchors "$w/anchors"
run() { # DIR ARGS...: check's exit status; its stderr in $w/err
    local d=$1; shift
    (cd "$d" && "$MG" check "$@" -C content) >/dev/null 2>"$w/err"
}
run "$w/images"; [ $? -eq 1 ] && grep -q 'error: missing image .*\[-Wimages\]$' "$w/err" &&
    pass "check: images are errors by default" || fail "check: images are errors by default" "$(head -3 "$w/err")"
run "$w/images" -Wno-images; rc=$?
[ $rc -eq 0 ] && ! grep -q 'image' "$w/err" && pass "check: -Wno-images silences them" ||
    fail "check: -Wno-images silences them" "exit $rc: $(head -3 "$w/err")"
run "$w/images" -Wno-error=images; rc=$?
[ $rc -eq 0 ] && [ "$(grep -c 'warning: .*\[-Wimages\]$' "$w/err")" -eq 2 ] &&
    pass "check: -Wno-error=images makes them warnings" || fail "check: -Wno-error=images makes them warnings" "exit $rc: $(head -3 "$w/err")"
run "$w/anchors" -Wno-error=anchors; rc=$?
[ $rc -eq 0 ] && [ "$(grep -c 'warning: .*\[-Wanchors\]$' "$w/err")" -eq 4 ] &&
    pass "check: -Wno-error=anchors makes them warnings" || fail "check: -Wno-error=anchors" "exit $rc: $(head -3 "$w/err")"
run "$w/drift" -Werror; rc=$?
[ $rc -eq 1 ] && [ "$(grep -c 'error: .*\[-Werror=drift\]$' "$w/err")" -eq 10 ] &&
    [ "$(grep -c 'error: .*\[-Werror=literal\]$' "$w/err")" -eq 3 ] && ! grep -q 'warning:' "$w/err" &&
    pass "check: -Werror turns every warning into an error" || fail "check: -Werror" "exit $rc: $(head -3 "$w/err")"
run "$w/drift" -Werror -Wno-error=literal; rc=$?
[ $rc -eq 1 ] && grep -q 'warning: .*\[-Wliteral\]$' "$w/err" &&
    pass "check: -Wno-error=CLASS after -Werror" || fail "check: -Wno-error=CLASS after -Werror" "exit $rc"
run "$w/drift" -Wno-drift; rc=$?
[ $rc -eq 0 ] && ! grep -q 'Wdrift' "$w/err" && [ "$(grep -c '\[-Wliteral\]$' "$w/err")" -eq 3 ] &&
    pass "check: -Wno-drift leaves the other classes" || fail "check: -Wno-drift" "exit $rc: $(head -3 "$w/err")"
run "$w/drift" -Wno-drift -Wdrift; [ $? -eq 0 ] && [ "$(grep -c '\[-Wdrift\]$' "$w/err")" -eq 10 ] &&
    pass "check: -Wdrift turns it on again" || fail "check: -Wdrift turns it on again"
run "$w/anchors" -Wnone; rc=$?
[ $rc -eq 0 ] && grep -qx 'mailguide: checked 2 guides: 0 errors, 0 warnings' "$w/err" &&
    pass "check: -Wnone turns every class off" || fail "check: -Wnone" "exit $rc: $(cat "$w/err")"
run "$w/drift" -Wfrobnicate; rc=$?
[ $rc -eq 2 ] && grep -q "unknown check class in -Wfrobnicate" "$w/err" &&
    pass "check: an unknown class is a usage error" || fail "check: an unknown class is a usage error" "exit $rc"
(cd "$w/drift" && "$MG" build -Werror=drift -C content -t "$top/templates" -o out) >/dev/null 2>"$w/err"; rc=$?
[ $rc -eq 1 ] && [ ! -e "$w/drift/out" ] && grep -q '\[-Werror=drift\]$' "$w/err" &&
    pass "check: build takes -W too, and writes nothing on errors" || fail "check: build -Werror=drift" "exit $rc"

"$MG" check --help >"$w/help" 2>&1
missing=""
for c in links anchors images drift literal stale structure tables raw-html notes ids; do
    grep -q "\b$c\b" "$w/help" || missing="$missing $c"
    grep -q "^| \`$c\` |" docs/checks.md || missing="$missing docs/checks.md:$c"
done
[ -z "$missing" ] && pass "check: --help and docs/checks.md name every class" || fail "check: every class named" "missing:$missing"

# ---- build runs the same checks --------------------------------------------------------
(cd "$w/anchors" && "$MG" check -C content 2>&1 >/dev/null | grep -v '^mailguide: ') >"$w/c.txt"
(cd "$w/anchors" && "$MG" build -C content -t "$top/templates" -o out 2>&1 >/dev/null | grep -v '^mailguide: ') >"$w/b.txt"
[ -s "$w/c.txt" ] && [ ! -e "$w/anchors/out" ] && same "check: build reports what check reports" "$w/c.txt" "$w/b.txt" ||
    fail "check: build reports what check reports" "out/ written or nothing reported"
(cd "$w/drift" && "$MG" build -C content -t "$top/templates" -o out) >/dev/null 2>"$w/err"; rc=$?
[ $rc -eq 0 ] && [ -f "$w/drift/out/en-gb/theta/index.html" ] && [ "$(grep -c '^content/.*: warning: ' "$w/err")" -eq 13 ] &&
    pass "check: build prints warnings once and goes on" || fail "check: build prints warnings once" "exit $rc: $(grep -c warning "$w/err")"

# ---- JSON --------------------------------------------------------------------------------
setup literal "$w/json"
(cd "$w/json" && "$MG" check --format=json -C content) >"$w/json.out" 2>"$w/json.err"; rc=$?
cat >"$w/check_json.py" <<'EOF'
import json, sys
items = json.load(open(sys.argv[1]))
assert isinstance(items, list) and len(items) == 7, items
keys = {"file", "line", "col", "severity", "class", "message", "fixit"}
for it in items:
    assert set(it) == keys, it
    assert it["file"] == "content/guides/iota/guide.en-gb.md" and it["severity"] == "warning"
    assert it["class"] == "literal", it
first = items[0]
assert (first["line"], first["col"]) == (9, 27), first
assert first["fixit"] == {"line": 9, "col": 27, "end_col": 44, "replacement": "{{imap.host}}"}, first
assert "pro1.mail.example.test" in items[4]["message"] and items[4]["fixit"] is None
print("ok")
EOF
[ $rc -eq 0 ] && [ ! -s "$w/json.err" ] && check "check: --format=json is one array with every field" python3 "$w/check_json.py" "$w/json.out" ||
    fail "check: --format=json" "exit $rc: $(head -3 "$w/json.err")"
(cd "$w/anchors" && "$MG" check --format=json --list-external -C content) >"$w/json2.out" 2>/dev/null
python3 -c '
import json, sys
items = json.load(open(sys.argv[1]))
assert [i["class"] for i in items] == ["anchors"] * 4, items
assert all(i["severity"] == "error" for i in items)
assert "exists in fr-fr only" in items[1]["message"]
' "$w/json2.out" && pass "check: JSON errors carry their class" || fail "check: JSON errors carry their class" "$(head -5 "$w/json2.out")"
(cd "$w/images" && "$MG" check --format=json -Wnone -C content) >"$w/json3.out" 2>&1
[ "$(cat "$w/json3.out")" = "[]" ] && pass "check: JSON with nothing to say is []" || fail "check: JSON empty" "$(cat "$w/json3.out")"

# ---- many messages: grouped by file, sorted, each with its own source line -----------------------
# 6,000 messages in four files (two guides in two locales), so
# the reporter's file ranks and its buffered output (written in pieces of
# 64 KiB) are both exercised; Python checks the order and every source line.
w=$TMP/many
setup anchors "$w"
for g in many-a many-b; do
    mkdir -p "$w/content/guides/$g"
    for loc in en-gb pl-pl; do
        python3 - "$w/content/guides/$g/guide.$loc.md" "$g" <<'PY'
import sys
path, g = sys.argv[1], sys.argv[2]
lines = ["---", f"title: {g}", "---", "", "## Start {#start}", ""]
lines += [f"Step {k}: see [part {k}](#missing-{k}) and [the start](#start)." for k in range(1500)]
open(path, "w").write("\n".join(lines) + "\n")
PY
    done
done
(cd "$w" && "$MG" check -Wno-error=anchors -C content) >/dev/null 2>"$w/err"; rc=$?
(cd "$w" && "$MG" check --format=json -Wno-error=anchors -C content) >"$w/json" 2>/dev/null
out=$(cd "$w" && python3 - err json <<'PY'
import json, re, sys
text = open(sys.argv[1]).read().split("\n")
heads = []
for i, l in enumerate(text):
    m = re.match(r"(content/guides/many-[ab]/guide\.[a-z-]+\.md):(\d+):(\d+): warning: ", l)
    if not m:
        continue
    f, line, col = m.group(1), int(m.group(2)), int(m.group(3))
    src = open(f).read().split("\n")[line - 1]
    if text[i + 1] != f"{line:5d} | {src}":
        print(f"{f}:{line}: source line shown as {text[i + 1]!r}"); break
    heads.append((f, line, col))
if len(heads) != 6000:
    print(f"{len(heads)} messages about the many-* guides, not 6000")
files = [f for k, (f, _, _) in enumerate(heads) if k == 0 or heads[k - 1][0] != f]
if len(files) != len(set(files)):
    print("a file's messages are not together:", files[:8])
for k in range(1, len(heads)):
    if heads[k][0] == heads[k - 1][0] and heads[k][1:] <= heads[k - 1][1:]:
        print("out of order:", heads[k - 1], heads[k]); break
items = [(i["file"], i["line"], i["col"]) for i in json.load(open(sys.argv[2]))
         if "/many-" in (i["file"] or "")]
if items != heads:
    print("JSON lists the messages in another order than the text")
PY
)
[ "$rc" -eq 0 ] && [ -z "$out" ] &&
    pass "check: 6,000 messages grouped by file, in order, each with its source line (text and JSON)" ||
    fail "check: 6,000 messages in order" "exit $rc: $out"

# ---- check writes nothing ------------------------------------------------------------------
nw=$TMP/nowrite
setup drift "$nw"
mkdir -p "$nw/out" && echo previous >"$nw/out/index.html"
snap() { (cd "$nw" && find . -print0 | sort -z | xargs -0 stat -c '%n %s %Y %a' && find . -type f -print0 | sort -z | xargs -0 md5sum); }
snap >"$TMP/before"
(cd "$nw" && "$MG" check -C content -o out) >/dev/null 2>&1
(cd "$nw" && "$MG" check --format=json --list-external -C content -o out) >/dev/null 2>&1
snap >"$TMP/after"
same "check: writes nothing (output, content, no lock or staging)" "$TMP/before" "$TMP/after"

# Files not built fail make (-Werror); translations behind their original
# are notes, which -Werror leaves alone (a screenshot added to one locale).
setup files "$w/files"
setup stale "$w/stale"
setup structure "$w/structure"
run "$w/files" -Werror; rc=$?
[ $rc -eq 1 ] && [ "$(grep -c 'error: .*\[-Werror=files\]$' "$w/err")" -eq 4 ] &&
    pass "check: -Werror fails on guide files that are not built" || fail "check: -Werror and -Wfiles" "exit $rc: $(head -3 "$w/err")"
for c in stale structure; do
    run "$w/$c" -Werror; rc=$?
    [ $rc -eq 0 ] && grep -q "note: .*\[-W$c\]$" "$w/err" && ! grep -q 'error:' "$w/err" &&
        pass "check: -Werror leaves -W$c notes alone" || fail "check: -Werror and -W$c" "exit $rc: $(head -3 "$w/err")"
done
run "$w/structure" -Werror=structure; rc=$?
[ $rc -eq 1 ] && grep -q 'error: .*\[-Werror=structure\]$' "$w/err" &&
    pass "check: -Werror=structure makes them errors" || fail "check: -Werror=structure" "exit $rc: $(head -3 "$w/err")"

# ---- --fix -----------------------------------------------------------------------------------
fx=$TMP/fix
setup literal "$fx/a"
setup links "$fx/b"
(cd "$fx/a" && "$MG" check --fix -C content) >/dev/null 2>"$fx/err"; rc=$?
g=$fx/a/content/guides/iota/guide.en-gb.md
grep -qx -- '- Incoming server (IMAP): {{imap.host}}, port {{imap.ssl.port}}, SSL' "$g" &&
    grep -qx -- '- Outgoing server (SMTP): {{smtp.host}}, port {{smtp.starttls.port}}, STARTTLS' "$g" &&
    grep -qx -- '| POP3 | {{pop3.host}} | {{pop3.ssl.port}} |' "$g" &&
    grep -q 'pro1.mail.example.test instead' "$g" && grep -q 'server = mail.example.test:993' "$g" &&
    grep -q 'applied 6 fix-its' "$fx/err" && [ $rc -eq 0 ] &&
    pass "check: --fix writes the data references it was sure of" || fail "check: --fix" "exit $rc: $(cat "$fx/err" | tail -2)"
(cd "$fx/a" && "$MG" check -C content) >/dev/null 2>"$fx/err2"
[ "$(grep -c ': warning: ' "$fx/err2")" -eq 1 ] && grep -q "pro1.mail.example.test" "$fx/err2" &&
    pass "check: after --fix only the uncertain literal is left" || fail "check: after --fix" "$(grep warning "$fx/err2")"
(cd "$fx/a" && "$MG" build -q -C content -t "$top/templates" -o out) >/dev/null 2>&1 &&
    grep -q 'Incoming server (IMAP): mail.example.test, port 993, SSL' "$fx/a/out/en-gb/iota/index.html" &&
    pass "check: the fixed guide builds and shows the table's values" || fail "check: the fixed guide builds"
(cd "$fx/b" && "$MG" check --fix -C content) >/dev/null 2>&1
grep -q '\[folder\](../beta/index.html#koniec)' "$fx/b/content/guides/alpha/guide.pl-pl.md" &&
    pass "check: --fix repairs a link it found the page of" || fail "check: --fix repairs a link"

setup lists "$fx/c"
(cd "$fx/c" && "$MG" check --fix -C content) >/dev/null 2>&1
(cd "$fx/c" && "$MG" check -C content) >/dev/null 2>"$fx/err3"; rc=$?
g=$fx/c/content/guides/xi/guide.pl-pl.md
[ "$(sed -n 6,8p "$g")" = "$(printf '> Zanim zaczniesz:\n>\n> -')" ] &&
    [ "$(sed -n 11,13p "$g")" = "$(printf 'Kroki:\n\n2. Otwórz ustawienia.')" ] &&
    ! grep -q 'Wlists' "$fx/err3" && [ $rc -eq 0 ] &&
    pass "check: --fix puts the empty line before a list CommonMark did not see" || fail "check: --fix and -Wlists" "$(cat "$g")"

# ---- the shipped content: no warning, and make keeps it so ------------------------------------
"$MG" check -C content -t templates >"$TMP/ship.out" 2>"$TMP/ship.err"; rc=$?
[ $rc -eq 0 ] && [ "$(cat "$TMP/ship.err")" = "mailguide: checked 4 guides: 0 errors, 0 warnings" ] && [ ! -s "$TMP/ship.out" ] &&
    pass "check: the shipped content has no error and no warning" || fail "check: shipped content is clean" "$(head -10 "$TMP/ship.err")"
grep -q '^	\$(BIN) build -Werror$' Makefile &&
    pass "check: make builds the site with -Werror (a warning fails make)" || fail "check: make builds with -Werror"

# ---- the seed's real defects, each at its line and column --------------------------------------
seeds=$(ls "$SHARED"/seeds/*.txt 2>/dev/null)
if [ -z "$seeds" ]; then
    skip "check: the seed's defects" "no seeds in $SHARED/seeds"
else
    for seed in $seeds; do
        name=$(basename "$seed" .txt)
        want=$fix/../check-seeds/$name.expected
        if [ ! -f "$want" ]; then
            skip "check: seed $name" "no reviewed tests/fixtures/check-seeds/$name.expected"
            continue
        fi
        sw=$TMP/seed-$name
        mkdir -p "$sw"
        cp -R tests/fixtures/seed/content "$sw/"
        mkdir -p "$sw/content/strings" && cp content/strings/en-gb.yaml content/strings/pl-pl.yaml "$sw/content/strings/"
        mkdir -p "$sw/content/guides/seed" && cp "$seed" "$sw/content/guides/seed/guide.pl-pl.md"
        # The diagnostics' first lines only: the seed's text stays out of the repository.
        (cd "$sw" && "$MG" check -C content 2>&1 >/dev/null | grep -v '^ *[0-9]* |'; echo "exit=${PIPESTATUS[0]}") >"$sw/got"
        same "check: seed $name: every defect at its line and column" "$want" "$sw/got"
        # Its anchors come from the French original: with a French version
        # that has them (a stand-in), each message says so.
        printf '  fr-fr:\n    name: Français\n    title: Aide e-mail\n' >>"$sw/content/site.yaml"
        cp content/strings/fr-fr.yaml "$sw/content/strings/"
        { printf -- '---\ntitle: Configurer Windows 8\n---\n\n'
          grep -o '](#[^)]*)' "$seed" | sed 's/](#\(.*\))/## \1 <a name="\1"><\/a>\n/' | sort -u; } >"$sw/content/guides/seed/guide.fr-fr.md"
        (cd "$sw" && "$MG" check -C content 2>&1 >/dev/null | grep -v '^ *[0-9]* |') >"$sw/got-fr"
        n_links=$(grep -c '](#' "$seed")
        n_fr=$(grep -c "guide.pl-pl.md:.*error: link to '#.*', which no heading or anchor of this page has; it exists in fr-fr only \[-Wanchors\]$" "$sw/got-fr")
        [ "$n_links" -gt 0 ] && [ "$n_fr" -eq "$n_links" ] &&
            pass "check: seed $name: its $n_fr anchors are named as the French original's" ||
            fail "check: seed $name: anchors of the French original" "$n_fr of $n_links: $(grep anchors "$sw/got-fr" | head -3)"
    done
fi
