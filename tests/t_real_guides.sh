# Guides shaped like the real ones of the dialect's source repository
# (tests/fixtures/real/content, text written for the tests): four locales,
# free-text section labels, unquoted zero-padded order, plain and g-prefixed
# legacy numbers, hidden and deprecated guides, nested routes, notes in tabs,
# a FAQ, CRLF and no final newline, repository links (/pages/...), anchors
# written the GitHub/Hugo way, BBCode and a <style> block.
#
# They build as written, with exactly the diagnostics their real defects
# deserve (expected.err, reviewed), and the pages are checked with Python's
# html.parser, not with mailguide's code: sections under their labels, the
# hidden guide out of the lists and noindex, every in-page and repository
# link landing on an id or page that exists.
. tests/lib.sh
top=$PWD
fix=tests/fixtures/real
work=$TMP/real
mkdir -p "$work"
cp -R "$fix/content" "$work/"
mkdir -p "$work/content/strings" && cp content/strings/*.yaml "$work/content/strings/"

(cd "$work" && "$MG" build -C content -t "$top/templates" -o out 2>&1 >/dev/null |
    grep -v '^mailguide: wrote'; echo "exit=${PIPESTATUS[0]}") >"$work/actual.err"
same "real guides: build with the diagnostics their defects deserve" "$fix/expected.err" "$work/actual.err"

# -Werror (what make uses) fails on the real defects only: the translations
# a step behind (notes) do not count.
(cd "$work" && "$MG" check -Werror -C content) >/dev/null 2>"$work/werror.err"; rc=$?
[ $rc -eq 1 ] && [ "$(grep -c ': error: ' "$work/werror.err")" -eq 4 ] &&
    [ "$(grep -c ': note: ' "$work/werror.err")" -eq 3 ] &&
    pass "real guides: -Werror fails on the 4 defects, not on the 3 lagging translations" ||
    fail "real guides: -Werror" "exit $rc: $(grep -v '^ ' "$work/werror.err" | head -10)"

python3 - "$work/out" <<'EOF' && pass "real guides: sections, lists, links and anchors as written" ||
import html.parser, os, sys, urllib.parse

out = sys.argv[1]

class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.links, self.meta = set(), [], {}
        self.sections, self._h2 = [], None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
            if self.sections:
                self.sections[-1][1].append(a["href"])
        if tag == "meta" and a.get("name"):
            self.meta[a["name"]] = a.get("content", "")
        if tag == "h2" and (a.get("id") or "").startswith("section-"):
            self._h2 = ""
    def handle_data(self, data):
        if self._h2 is not None:
            self._h2 += data
    def handle_endtag(self, tag):
        if tag == "h2" and self._h2 is not None:
            self.sections.append((self._h2.strip(), []))
            self._h2 = None

def page(path):
    p = Page()
    p.feed(open(os.path.join(out, path), encoding="utf-8").read())
    return p

errors = []
def expect(cond, what):
    if not cond:
        errors.append(what)

# The homes group guides under the labels written in each locale's front
# matter; the hidden guide is in no list.
home = page("pl-pl/index.html")
labels = [s[0] for s in home.sections]
expect(labels == ["Konfiguracja na komputerze", "Konfiguracja na telefonie"], f"pl-pl sections {labels}")
expect(home.sections[0][1] == ["konfiguracja-programu/index.html"], f"pl-pl first section {home.sections[0][1]}")
expect(not any("stara-poczta" in h for h in home.links), "the hidden guide is listed")
de = page("de-de/index.html")
expect([s[0] for s in de.sections][0] == "Auf dem Computer einrichten", f"de-de sections {de.sections}")
old = page("pl-pl/stara-poczta/index.html")
expect("noindex" in old.meta.get("robots", ""), "the hidden guide is not noindex")

# Every link of every guide page lands: a page that exists, and its
# fragment an id of that page.
for loc in ("pl-pl", "en-gb", "de-de", "fr-fr"):
    for slug in os.listdir(os.path.join(out, loc)):
        path = os.path.join(loc, slug, "index.html")
        if slug == "settings" or not os.path.exists(os.path.join(out, path)):
            continue
        p = page(path)
        for href in p.links:
            u = urllib.parse.urlsplit(href)
            if u.scheme or href.startswith("//"):
                continue
            target = os.path.normpath(os.path.join(loc, slug, urllib.parse.unquote(u.path))) if u.path else path
            if u.path.endswith("/") or os.path.isdir(os.path.join(out, target)):
                target = os.path.join(target, "index.html")
            if not os.path.exists(os.path.join(out, target)):
                errors.append(f"{path}: {href} leads nowhere")
                continue
            frag = urllib.parse.unquote(u.fragment)
            if frag and frag != "top" and target.endswith(".html") and frag not in page(target).ids:
                errors.append(f"{path}: {href}: no id {frag!r} in {target}")

# The repository links are links to the guides' pages.
en = page("en-gb/desktop-program/index.html")
expect("../konfiguracja-telefonu/index.html" in en.links, f"en-gb repository link: {en.links}")
# A folder renamed after a translation's slug is found by that slug.
expect("../stara-poczta/index.html" in en.links, f"en-gb repository link by slug: {en.links}")
expect("../desktop-program/index.html" in page("pl-pl/stara-poczta/index.html").links or
       "../konfiguracja-programu/index.html" in page("pl-pl/stara-poczta/index.html").links,
       "pl-pl repository link")
# The BBCode link is a link; no BBCode is left in the page.
phone = open(os.path.join(out, "pl-pl/konfiguracja-telefonu/index.html"), encoding="utf-8").read()
expect('href="https://www.example.test/pl/pomoc"' in phone and "[url" not in phone and "/green]" not in phone,
       "BBCode left in the phone guide")
expect("display: none" not in open(os.path.join(out, "pl-pl/stara-poczta/index.html"), encoding="utf-8").read(),
       "the <style> block is shown")
if errors:
    print("\n".join(errors))
    sys.exit(1)
EOF
    fail "real guides: sections, lists, links and anchors as written"
