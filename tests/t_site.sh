# The site built from the shipped content: no warnings, valid HTML5 (the Nu
# checker), a well-formed sitemap whose alternates are real translations,
# language switchers that reach every translation, relative links that work
# from any sub-path and file://, dates in each locale's words, and guides
# that state no host or port by hand.
. tests/lib.sh
top=$PWD
base=$(sed -n 's/^base_url: *\([^ ]*\).*/\1/p' content/site.yaml)
out=$TMP/out

"$MG" build -C content -o "$out" 2>"$TMP/err"; rc=$?
if [ "$rc" -eq 0 ] && ! grep -v '^mailguide: wrote [0-9]* files to ' "$TMP/err" | grep -q .; then
    pass "site: shipped content builds with no warning"
else
    fail "site: shipped content builds with no warning" "exit $rc: $(head -20 "$TMP/err")"
fi

# `make` itself prints no warning either (its build step, on the shipped content).
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s site 2>&1 | grep -E 'warning|error' >"$TMP/make.err"
[ ! -s "$TMP/make.err" ] && pass "site: make builds with zero warnings" ||
    fail "site: make builds with zero warnings" "$(head "$TMP/make.err")"

for loc in pl-pl en-gb fr-fr de-de; do
    n=$(ls -d "$out/$loc"/*/index.html 2>/dev/null | wc -l)
    [ "$n" -ge 4 ] && [ -f "$out/$loc/index.html" ] && [ -f "$out/$loc/settings/mxplan/index.html" ] &&
        pass "site: $loc has its home, settings page and guides" ||
        fail "site: $loc has its home, settings page and guides" "$n guide pages"
done
for f in index.html 404.html sitemap.xml robots.txt assets/style.css; do
    [ -s "$out/$f" ] && pass "site: writes $f" || fail "site: writes $f"
done
# The stencils of the download box's form are one script per product and
# locale, loaded by the guide pages, not repeated in each; not in the kit.
for loc in pl-pl en-gb fr-fr de-de; do
    [ -s "$out/profiles/mxplan/personal-$loc.js" ] &&
        grep -q "<script src=\"../../profiles/mxplan/personal-$loc.js\"></script>" "$out/$loc/"*/index.html &&
        pass "site: $loc guide pages load the stencils' script" || fail "site: $loc guide pages load the stencils' script"
done
# Each script is JavaScript that registers its stencils under its name.
for loc in pl-pl en-gb fr-fr de-de; do
    check "site: $loc stencils' script runs and registers mxplan/$loc" node -e '
const vm = require("vm"), fs = require("fs");
const self = {};
vm.runInNewContext(fs.readFileSync(process.argv[1], "utf8"), { self });
const d = self.mailguideStencils && self.mailguideStencils[process.argv[2]];
const clients = d ? d.files.map((f) => f.client).join(" ") : "none";
if (clients !== "apple thunderbird outlook windows" || !d.files.every((f) => f.text.includes("mgxstandinlocalx")))
    throw new Error("registered: " + clients);' "$out/profiles/mxplan/personal-$loc.js" "mxplan/$loc"
done
stencils=$(grep -rl mgxstandin "$out" --include='*.html' | head -3)
[ -z "$stencils" ] && pass "site: no page carries a stencil" || fail "site: no page carries a stencil" "$stencils"
kit=$(unzip -Z1 "$out/downloads/mxplan-en-gb.zip" 2>&1)
echo "$kit" | grep -q 'mobileconfig$' && ! echo "$kit" | grep -q 'personal' &&
    pass "site: the kit holds no script of the pages" || fail "site: the kit holds no script of the pages" "$kit"
grep -q "^Sitemap: ${base}sitemap.xml$" "$out/robots.txt" && pass "site: robots.txt names the sitemap" ||
    fail "site: robots.txt names the sitemap" "$(cat "$out/robots.txt")"

check "site: sitemap.xml is well-formed" xmllint --noout "$out/sitemap.xml"
check "site: links, switchers, hreflang and sitemap agree" python3 tests/tools/site_check.py "$out" "$base"

# The checker itself notices a broken link and a one-way switcher.
cp -R "$out" "$TMP/broken"
rm "$TMP/broken/fr-fr/configurer-thunderbird/index.html"
python3 tests/tools/site_check.py "$TMP/broken" "$base" >"$TMP/broken.txt" 2>&1 &&
    fail "site: the site checker catches a missing page" ||
    { grep -q 'switcher link .* reaches no page' "$TMP/broken.txt" && pass "site: the site checker catches a missing page" ||
      fail "site: the site checker catches a missing page" "$(head -5 "$TMP/broken.txt")"; }

# Dates in each locale's words, from the strings files.
for pair in "pl-pl:20 listopada 2026" "en-gb:20 November 2026" "fr-fr:20 novembre 2026" "de-de:20. November 2026"; do
    loc=${pair%%:*} want=${pair#*:}
    grep -q "<time datetime=\"2026-11-20\">$want</time>" "$out/$loc"/*/index.html &&
        pass "site: $loc date reads '$want'" || fail "site: $loc date reads '$want'"
done

# UI strings: the four files define the same names.
for f in content/strings/*.yaml; do
    python3 -c 'import sys, yaml; print("\n".join(sorted(yaml.safe_load(open(sys.argv[1])))))' "$f" >"$TMP/$(basename "$f").keys"
done
ok=1
for f in "$TMP"/*.yaml.keys; do cmp -s "$f" "$TMP/pl-pl.yaml.keys" || { ok=0; bad=$f; }; done
[ "$ok" -eq 1 ] && pass "site: every strings file has the same names" ||
    fail "site: every strings file has the same names" "$(diff "$TMP/pl-pl.yaml.keys" "$bad" | head)"

# No host or port typed by hand in the shipped guides: they use {{...}}.
hosts=$(python3 -c 'import yaml; t=yaml.safe_load(open("content/servers.yaml")); print("\n".join(sorted({s["host"] for pr in t["providers"] for p in pr["products"] for s in p["incoming"]+p["outgoing"]})))')
ports=$(python3 -c 'import yaml; t=yaml.safe_load(open("content/servers.yaml")); print("|".join(sorted({str(s["port"]) for pr in t["providers"] for p in pr["products"] for s in p["incoming"]+p["outgoing"]})))')
found=$( (echo "$hosts" | grep -rniF -f - content/guides; grep -rnwE "$ports" content/guides) | head -5)
[ -z "$found" ] && pass "site: no host or port typed in content/guides" ||
    fail "site: no host or port typed in content/guides" "$found"

# A guide missing in a locale: the default locale's page, marked in the
# reader's language, left out of hreflang and the sitemap.
mkdir -p "$TMP/fb"
cp -R tests/fixtures/dialect/base/content "$TMP/fb/"
mkdir -p "$TMP/fb/content/strings" && cp content/strings/en-gb.yaml content/strings/pl-pl.yaml "$TMP/fb/content/strings/"
mkdir -p "$TMP/fb/content/guides/only-en"
printf -- '---\ntitle: Only in English\nslug: only-english\nupdated: 2026-01-05\n---\n\n## Part\n\nText.\n' >"$TMP/fb/content/guides/only-en/guide.en-gb.md"
(cd "$TMP/fb" && "$MG" -q build -C content -t "$top/templates" -o out) &&
    fb=$TMP/fb/out/pl-pl/only-english/index.html && [ -f "$fb" ] &&
    grep -q 'class="banner untranslated" role="note">Ten przewodnik nie został jeszcze przetłumaczony na język polski' "$fb" &&
    grep -q '<meta name="robots" content="noindex">' "$fb" &&
    grep -q '<link rel="canonical" href="https://help.example.test/mail/en-gb/only-english/">' "$fb" &&
    grep -q '<h1 lang="en-GB">Only in English</h1>' "$fb" &&
    grep -q '<time datetime="2026-01-05">5 stycznia 2026</time>' "$fb" &&
    ! grep -q 'hreflang="pl-PL" href="https://help.example.test/mail/pl-pl/only-english/"' "$fb" "$TMP/fb/out/en-gb/only-english/index.html" "$TMP/fb/out/sitemap.xml" &&
    grep -q 'only-english/index.html" lang="en-GB">Only in English</a> <span class="badge">(nieprzetłumaczony)</span>' "$TMP/fb/out/pl-pl/index.html" &&
    pass "site: an untranslated guide falls back, marked, out of hreflang" ||
    fail "site: an untranslated guide falls back, marked, out of hreflang"
check "site: fallback site's links, switchers and sitemap agree" python3 tests/tools/site_check.py "$TMP/fb/out" https://help.example.test/mail/

# Every page passes the Nu HTML Checker with no error.
need_vnu || { fail "site: npm ci installs vnu-jar" "$(tail -5 "$TMP/npm.log")"; exit 0; }
vnu() { java -jar "$VNU_JAR" --errors-only --skip-non-html "$@"; }
echo '<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><p><div></span></body></html>' >"$TMP/bad.html"
vnu "$TMP/bad.html" >"$TMP/vnu-bad.txt" 2>&1 && fail "site: the Nu checker reports a broken page" ||
    pass "site: the Nu checker reports a broken page"
vnu "$out" "$TMP/fb/out" >"$TMP/vnu.txt" 2>&1; rc=$?
n=$(find "$out" "$TMP/fb/out" -name '*.html' | wc -l)
[ "$rc" -eq 0 ] && [ ! -s "$TMP/vnu.txt" ] && pass "site: Nu HTML Checker: 0 errors on $n pages" ||
    fail "site: Nu HTML Checker: 0 errors on $n pages" "$(head -20 "$TMP/vnu.txt")"
