# The drawn dialogs (src/illust.c, templates/illust/): for the shipped table
# and for the dialect fixtures' two products, every picture is well-formed
# for two parsers (xmllint, Python), valid SVG for the Nu checker, scalable,
# made of real text with a dark variant, and shows exactly the table's values
# and the strings' labels (tests/tools/check_illust.py, reading servers.yaml
# with PyYAML); the guides show them in every locale with alt texts that say
# the values; a changed host is drawn again by an incremental build.
. tests/lib.sh
out=$TMP/out

"$MG" -q build -C content -o "$out" || { fail "illust: the shipped site builds"; exit 0; }
check "illust: the shipped table's pictures show its values and the strings' labels" \
    python3 tests/tools/check_illust.py content "$out"

bad=0
for f in "$out"/illustrations/*/*/*.svg; do
    xmllint --noout "$f" 2>>"$TMP/xmllint.err" || bad=$((bad + 1))
done
[ "$bad" -eq 0 ] && [ -f "$f" ] && pass "illust: every picture is well-formed XML (xmllint)" ||
    fail "illust: every picture is well-formed XML (xmllint)" "$bad files: $(head -5 "$TMP/xmllint.err")"

if ! command -v java >/dev/null || ! need_vnu; then
    skip "illust: every picture is valid SVG (Nu checker)" "java or vnu-jar (npm ci) is missing"
else
    java -jar "$VNU_JAR" --errors-only --svg "$out"/illustrations/*/*/*.svg >"$TMP/vnu.out" 2>&1
    rc=$?
    [ "$rc" -eq 0 ] && [ ! -s "$TMP/vnu.out" ] && pass "illust: every picture is valid SVG (Nu checker)" ||
        fail "illust: every picture is valid SVG (Nu checker)" "$(head -10 "$TMP/vnu.out")"
    # ... and the Nu checker does look at them: an unknown attribute fails.
    mkdir -p "$TMP/vnu-bad"
    sed 's/<rect /<rect bogus="1" /' "$out/illustrations/mxplan/en-gb/outlook-incoming.svg" >"$TMP/vnu-bad/x.svg"
    java -jar "$VNU_JAR" --errors-only --svg "$TMP/vnu-bad/x.svg" >"$TMP/vnu-bad.out" 2>&1
    grep -q 'bogus' "$TMP/vnu-bad.out" && pass "illust: the Nu checker refuses an invalid picture" ||
        fail "illust: the Nu checker refuses an invalid picture" "$(head -5 "$TMP/vnu-bad.out")"
fi

# The checker is not blind: a picture with another host, or a stray port, fails it.
cp -R "$out" "$TMP/tampered"
sed -i 's/>ssl0\.ovh\.net</>ssl1.ovh.net</' "$TMP/tampered/illustrations/mxplan/de-de/thunderbird-incoming.svg"
sed -i 's/>465</>466</' "$TMP/tampered/illustrations/mxplan/pl-pl/apple-ios-smtp.svg"
python3 tests/tools/check_illust.py content "$TMP/tampered" >"$TMP/tampered.out" 2>&1
if grep -q 'de-de/thunderbird-incoming.svg: shows no host' "$TMP/tampered.out" &&
    grep -q "pl-pl/apple-ios-smtp.svg: text '466'" "$TMP/tampered.out"; then
    pass "illust: the checker finds a wrong host and a stray port"
else
    fail "illust: the checker finds a wrong host and a stray port" "$(head -5 "$TMP/tampered.out")"
fi

# Another table: two products, POP first for one's login by local part
# (the dialect fixtures' servers), NTLM and STARTTLS; the shipped strings.
fx=$TMP/fx
cp -R tests/fixtures/dialect/base/content "$fx"
cp content/strings/*.yaml "$fx/strings/"
"$MG" -q build -C "$fx" -o "$TMP/fxout" 2>"$TMP/fx.err" &&
    check "illust: another table's pictures show its values" python3 tests/tools/check_illust.py "$fx" "$TMP/fxout" ||
    fail "illust: another table's pictures show its values" "$(head -5 "$TMP/fx.err")"

# The guides show the pictures in every locale, each file there, each alt
# text saying the values; Windows 8 Mail has its eight.
python3 - "$out" content >"$TMP/guides.out" 2>&1 <<'EOF'
import glob, html.parser, os, sys, yaml
out, content = sys.argv[1], sys.argv[2]
table = yaml.safe_load(open(os.path.join(content, "servers.yaml")))
hosts = {s["host"] for p in table["providers"] for q in p["products"] for s in q["incoming"] + q["outgoing"]}
class Imgs(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.imgs = []
    def handle_starttag(self, tag, attrs):
        if tag == "img": self.imgs.append(dict(attrs))
problems = []
for page in sorted(glob.glob(os.path.join(out, "*", "*", "index.html"))):
    rel = os.path.relpath(page, out)
    if rel.split("/")[1] == "settings" or rel.startswith("profiles/"):
        continue
    p = Imgs(); p.feed(open(page, encoding="utf-8").read())
    drawn = [i for i in p.imgs if "/illustrations/" in i.get("src", "")]
    if not drawn:
        problems.append(f"{rel}: no drawn dialog")
    if "windows-8" in rel and len({i['src'] for i in drawn}) != 8:
        problems.append(f"{rel}: {len({i['src'] for i in drawn})} drawn dialogs, not the seed's 8")
    for i in drawn:
        target = os.path.normpath(os.path.join(os.path.dirname(page), i["src"]))
        if not os.path.isfile(target):
            problems.append(f"{rel}: {i['src']} does not exist")
        if not i.get("alt"):
            problems.append(f"{rel}: {i['src']} has no alt text")
        if i["src"].endswith(("-incoming.svg", "-outgoing.svg", "-smtp.svg")) and not any(h in i["alt"] for h in hosts):
            problems.append(f"{rel}: the alt text of {i['src']} names no host: {i['alt']}")
for p in problems: print(p)
sys.exit(1 if problems else 0)
EOF
[ $? -eq 0 ] && pass "illust: every guide in every locale shows drawn dialogs with alt texts; Windows 8 Mail its 8" ||
    fail "illust: every guide in every locale shows drawn dialogs with alt texts; Windows 8 Mail its 8" "$(head -10 "$TMP/guides.out")"

# A changed host is drawn again by the next (incremental) build.
cp -R content "$TMP/c2"
"$MG" -q build -C "$TMP/c2" -o "$TMP/o2" &&
    sed -i 's/host: ssl0\.ovh\.net/host: mail.example.net/' "$TMP/c2/servers.yaml" &&
    "$MG" -q build -C "$TMP/c2" -o "$TMP/o2" &&
    check "illust: an incremental build draws a changed host" python3 tests/tools/check_illust.py "$TMP/c2" "$TMP/o2" ||
    fail "illust: an incremental build draws a changed host" "build failed"
