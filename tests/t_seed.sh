# The seed guide (../shared/seeds/, read in place) builds without error and
# renders whole: every heading, paragraph, image and list, its two tables
# without a delimiter row repaired with one warning each, its {legacy} link
# resolved. Its other defects (anchors into the French original, "/green]")
# are the checks' business (tests/t_check.sh): here they may warn, never fail
# the build.
. tests/lib.sh
top=$PWD
seeds=$(ls "$SHARED"/seeds/*.txt 2>/dev/null)
if [ -z "$seeds" ]; then
    skip "seed: builds and renders whole" "no seeds in $SHARED/seeds"; exit 0
fi
for seed in $seeds; do
    name=$(basename "$seed" .txt)
    work=$TMP/$name
    mkdir -p "$work"
    cp -R tests/fixtures/seed/content "$work/"
    mkdir -p "$work/content/strings" && cp content/strings/en-gb.yaml content/strings/pl-pl.yaml "$work/content/strings/"
    g=$work/content/guides/seed
    mkdir -p "$g"
    cp "$seed" "$g/guide.pl-pl.md"
    # The seed's screenshots are not published with it: stand-ins, one per reference.
    grep -o '!\[[^]]*\]([^)]*)' "$seed" | sed 's/.*(\(.*\))/\1/' | while read -r img; do
        mkdir -p "$g/$(dirname "$img")"; printf 'stand-in for %s\n' "$img" >"$g/$img"
    done
    # Its anchors into the French original fail a build by default: here they warn.
    (cd "$work" && "$MG" build -Wno-error=anchors -C content -t "$top/templates" -o out) >"$work/out.log" 2>"$work/err"; rc=$?
    [ "$rc" -eq 0 ] && ! grep -q ': error: ' "$work/err" && pass "seed $name: builds without error" ||
        fail "seed $name: builds without error" "exit $rc: $(head -20 "$work/err")"
    page=$(ls "$work"/out/pl-pl/*/index.html | grep -v -e /settings/ -e /interwencje-platne/ | head -n 1)
    [ -f "$page" ] || { fail "seed $name: page written"; continue; }
    # One warning per table without a delimiter row, at the table's first line.
    want=$(awk '/^\|/ { if (!intable) { first = NR; n = 0 } intable = 1; n++; if (n == 2 && $0 !~ /^\|[-: |]*\|$/) print first } !/^\|/ { intable = 0 }' "$seed" | sort -u)
    got=$(grep 'table without a delimiter row' "$work/err" | sed 's/^[^:]*:\([0-9]*\):.*/\1/' | sort -u)
    nw=$(grep -c 'table without a delimiter row' "$work/err")
    [ -n "$want" ] && [ "$want" = "$got" ] && [ "$nw" -eq "$(echo "$want" | wc -l)" ] &&
        pass "seed $name: $nw tables without a delimiter row repaired, one warning each" ||
        fail "seed $name: tables repaired with one warning each" "want lines [$want], got [$got] ($nw warnings)"
    check "seed $name: every part of it rendered" python3 tests/tools/seed_whole.py "$seed" "$page"
    check "seed $name: site checks pass (anchors aside)" python3 tests/tools/site_check.py "$work/out" https://help.example.test/ --allow-missing-anchors
    if need_vnu; then
        java -jar "$VNU_JAR" --errors-only --skip-non-html "$work/out" >"$work/vnu.txt" 2>&1 &&
            [ ! -s "$work/vnu.txt" ] && pass "seed $name: Nu HTML Checker: 0 errors" ||
            fail "seed $name: Nu HTML Checker: 0 errors" "$(head -10 "$work/vnu.txt")"
    else
        fail "seed $name: Nu HTML Checker" "npm ci could not install vnu-jar: $(tail -3 "$TMP/npm.log")"
    fi
done
