# `mailguide build` on the shipped content: the path YAML -> model ->
# template -> file works, and what the page states is what the table says.
. tests/lib.sh
"$MG" -q build -C content -o "$TMP/out" 2>"$TMP/err"; rc=$?
[ "$rc" -eq 0 ] && [ ! -s "$TMP/err" ] && pass "build: shipped content builds without a message" ||
    fail "build: shipped content builds without a message" "exit $rc: $(cat "$TMP/err")"
for loc in pl-pl en-gb fr-fr de-de; do
    page=$TMP/out/$loc/settings/mxplan/index.html
    check "build: $loc settings page matches the server table" \
        python3 tests/tools/settings_table.py content/servers.yaml "$page" mxplan
    grep -q "<html lang=\"${loc%-*}-$(echo "${loc#*-}" | tr a-z A-Z)\">" "$page" &&
        pass "build: $loc page has its lang" || fail "build: $loc page has its lang"
done
check "build: pages are well-formed" xmllint --html --noout "$TMP/out/index.html" "$TMP/out/pl-pl/index.html" "$TMP/out/pl-pl/settings/mxplan/index.html"

# A provider name full of markup is escaped, not interpreted.
cp -R content "$TMP/c2"
sed -i 's/name: OVHcloud/name: "Tom \& Jerry'"'"'s \\"Mail\\" <x>"/' "$TMP/c2/servers.yaml"
"$MG" -q build -C "$TMP/c2" -o "$TMP/out2" && grep -q 'Tom &amp; Jerry&#39;s &quot;Mail&quot; &lt;x&gt;' "$TMP/out2/en-gb/settings/mxplan/index.html" &&
    pass "build: provider name is HTML-escaped" || fail "build: provider name is HTML-escaped" "$(grep -o 'Tom[^<]*' "$TMP/out2/en-gb/settings/mxplan/index.html")"
