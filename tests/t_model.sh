# The server table's features for real providers (issue 19), from
# tests/fixtures/model/: several authentication methods per server, products
# some clients cannot use, priority across protocols. Every generated file
# is read back with an independent parser (xml.etree, plistlib, node) or a
# validator in tests/tools/.
. tests/lib.sh
. tests/profile_validators.sh

C=$TMP/c
mkdir -p "$C" && cp -R content/site.yaml content/strings "$C/" && cp -R tests/fixtures/model/content/. "$C/"
"$MG" build -C "$C" -o "$TMP/out" 2>"$TMP/build.err"; rc=$?
[ "$rc" -eq 0 ] && pass "model: the fixture builds" || fail "model: the fixture builds" "exit $rc: $(cat "$TMP/build.err")"
P=$TMP/out/profiles

# ---- 1. several methods per server, in order of preference -----------------
python3 - "$P/oauth-then-password/en-gb/config-v1.1.xml" <<'EOF' && pass "auth: autoconfig lists every method in the table's order" || fail "auth: autoconfig lists every method in the table's order"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
got = [(e.findtext("hostname"), [a.text for a in e.findall("authentication")])
       for e in root.iter() if e.tag in ("incomingServer", "outgoingServer")]
want = [("imap.fallback.example.net", ["OAuth2", "password-cleartext"]),
        ("pop.fallback.example.net", ["password-encrypted", "password-cleartext"]),
        ("smtp.fallback.example.net", ["OAuth2", "password-cleartext"])]
assert got == want, got
EOF
valid "auth: autoconfig with method lists is valid" autoconfig "$P/oauth-then-password/en-gb/config-v1.1.xml" --expect-servers 3
python3 - "$P/oauth-then-password/en-gb/oauth-then-password.mobileconfig" <<'EOF' && pass "auth: Apple takes the first method it can use (password after OAuth2)" || fail "auth: Apple takes the first method it can use (password after OAuth2)"
import plistlib, sys
m = plistlib.load(open(sys.argv[1], "rb"))["PayloadContent"][0]
assert (m["IncomingMailServerHostName"], m["IncomingMailServerAuthentication"]) == ("imap.fallback.example.net", "EmailAuthPassword"), m
assert m["OutgoingMailServerAuthentication"] == "EmailAuthPassword", m
EOF
valid "auth: Apple profile of a method list is valid" apple "$P/oauth-then-password/en-gb/oauth-then-password.mobileconfig" --expect-no-email
node -e '
const src = require("fs").readFileSync(process.argv[1], "utf8");
const p = {}; new Function("user_pref", src)((k, v) => { p[k] = v; });
const k = "mailguide_oauth_then_password";
// nsMsgAuthMethod: passwordCleartext 3 (the first method a user.js can carry)
if (p["mail.server." + k + ".authMethod"] !== 3 || p["mail.smtpserver." + k + ".authMethod"] !== 3) throw new Error(JSON.stringify(p));
if (p["mail.server." + k + ".hostname"] !== "imap.fallback.example.net") throw new Error("host");
' "$P/oauth-then-password/en-gb/user.js" && pass "auth: user.js takes the password after OAuth2" || fail "auth: user.js takes the password after OAuth2"
valid "auth: user.js of a method list is valid" thunderbird "$P/oauth-then-password/en-gb/user.js"
python3 - "$P/oauth-then-password/en-gb/autodiscover.xml" <<'EOF' && pass "auth: Outlook gets the IMAP and POP3 servers with a password, SPA off" || fail "auth: Outlook gets the IMAP and POP3 servers with a password, SPA off"
import sys, xml.etree.ElementTree as ET
ns = "{http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a}"
ps = [{c.tag[len(ns):]: c.text for c in p} for p in ET.parse(sys.argv[1]).getroot().iter(ns + "Protocol")]
assert [(p["Type"], p["SPA"], p["AuthRequired"]) for p in ps] == [("IMAP", "off", "on"), ("POP3", "off", "on"), ("SMTP", "off", "on")], ps
EOF
valid "auth: autodiscover of a method list is valid" outlook "$P/oauth-then-password/en-gb/autodiscover.xml"
valid "auth: PowerShell helper of a method list is valid" windows "$P/oauth-then-password/en-gb/setup-oauth-then-password.ps1"
python3 - "$TMP/out/en-gb/settings/oauth-then-password/index.html" "$TMP/out/pl-pl/settings/oauth-then-password/index.html" <<'EOF' && pass "auth: settings pages list the methods in order, joined in the reader's language" || fail "auth: settings pages list the methods in order, joined in the reader's language"
import sys, html.parser
class P(html.parser.HTMLParser):
    def __init__(s): super().__init__(); s.cells = []; s.on = False
    def handle_starttag(s, t, a): s.on = t == "td" or s.on
    def handle_endtag(s, t): s.on = False if t == "td" else s.on
    def handle_data(s, d):
        if s.on: s.cells.append(d.strip())
for f, want in ((sys.argv[1], "OAuth2 or Normal password"), (sys.argv[2], "OAuth2 lub Zwykłe hasło")):
    p = P(); p.feed(open(f, encoding="utf-8").read())
    assert want in p.cells, (want, p.cells)
EOF
grep -q "Authentication: Encrypted password (CRAM-MD5); with a fallback: OAuth2 or Normal password.</p>" "$TMP/out/en-gb/outlook-cram/index.html" &&
    pass "auth: a guide's {{...auth}} reads every method in order" ||
    fail "auth: a guide's {{...auth}} reads every method in order" "$(grep -o 'Authentication:[^<]*' "$TMP/out/en-gb/outlook-cram/index.html")"

# The single-value spelling stays valid (the shipped table uses it), and a
# list is checked: unknown, repeated, empty, "none" with others.
expect_load() { # NAME AUTH-YAML EXPECTED-FRAGMENT
    local d=$TMP/bad-$RANDOM
    mkdir -p "$d" && cp -R content/site.yaml content/strings "$d/"
    printf 'providers:\n  - id: p\n    name: P\n    domain: p.example\n    products:\n      - id: x\n        name: X\n        domains: ["*"]\n        incoming:\n          - {protocol: imap, host: imap.p.example, port: 993, security: ssl, auth: %s}\n        outgoing:\n          - {protocol: smtp, host: smtp.p.example, port: 465, security: ssl}\n' "$2" >"$d/servers.yaml"
    "$MG" build -C "$d" -o "$d/out" >"$d/err" 2>&1; local rc=$?
    [ "$rc" -eq 1 ] && grep -qF -- "$3" "$d/err" && [ ! -e "$d/out" ] && pass "$1" || fail "$1" "exit $rc: $(cat "$d/err")"
}
expect_load "auth: an unknown method in a list is an error at its position" "[oauth2, kerberos]" "servers.yaml:10:93: error: unknown auth 'kerberos'"
expect_load "auth: a method listed twice is an error" "[password, oauth2, password]" "servers.yaml:10:103: error: 'auth' lists 'password' twice"
expect_load "auth: an empty list is an error" "[]" "servers.yaml:10:84: error: 'auth' lists 0 methods"
expect_load "auth: none with other methods is an error" "[none, password]" "servers.yaml:10:85: error: 'auth: none' must stand alone"

# ---- 2. a product one client cannot use ------------------------------------
for f in oauth-only/en-gb/oauth-only.mobileconfig oauth-only/en-gb/user.js oauth-only/en-gb/autodiscover.xml \
    oauth-only/en-gb/setup-oauth-only.ps1 cram-only/en-gb/autodiscover.xml cram-only/de-de/setup-cram-only.ps1; do
    [ ! -e "$P/$f" ] || fail "unserved: no $f" "it was written"
done
[ -e "$P/oauth-only/en-gb/config-v1.1.xml" ] && [ -e "$P/cram-only/en-gb/cram-only.mobileconfig" ] && [ -e "$P/cram-only/en-gb/user.js" ] &&
    pass "unserved: a client that cannot use a product gets no file, the others do" ||
    fail "unserved: a client that cannot use a product gets no file, the others do"
valid "unserved: the CRAM-MD5 product's Apple profile is valid" apple "$P/cram-only/en-gb/cram-only.mobileconfig" --expect-no-email
valid "unserved: the CRAM-MD5 product's autoconfig is valid" autoconfig "$P/cram-only/en-gb/config-v1.1.xml" --expect-servers 2
# (The OAuth2-only file is well-formed, but Thunderbird keeps its entries
# only for hosts it has built-in OAuth2 settings for, which check_autoconfig
# reports; so only well-formedness is asked of it here.)
xmllint --noout "$P/oauth-only/en-gb/config-v1.1.xml" && pass "unserved: the OAuth2 product's autoconfig is well-formed" ||
    fail "unserved: the OAuth2 product's autoconfig is well-formed"
[ "$(grep -c 'warning:' "$TMP/build.err")" -eq 2 ] &&
    grep -q "^$C/servers.yaml:29:9: warning: product 'cram-only' gets no file for Outlook autodiscover, as Outlook has no encrypted-password (CRAM-MD5); the Windows setup script, as Outlook has no encrypted-password (CRAM-MD5). Its pages say to set these up by hand$" "$TMP/build.err" &&
    grep -q "^$C/servers.yaml:36:9: warning: product 'oauth-only' gets no file for Apple Mail" "$TMP/build.err" &&
    pass "unserved: one warning per product, at its file:line:col, naming the clients" ||
    fail "unserved: one warning per product, at its file:line:col, naming the clients" "$(cat "$TMP/build.err")"
check "unserved: guide, kit and settings pages say so in the reader's language, with no link to a missing file" \
    python3 - "$TMP/out" "$C/strings" <<'EOF'
import sys, os, re, yaml, html
out, strings = sys.argv[1], sys.argv[2]
for loc in ("en-gb", "pl-pl", "fr-fr", "de-de"):
    s = yaml.safe_load(open(os.path.join(strings, loc + ".yaml"), encoding="utf-8"))
    def text(f): return html.unescape(open(os.path.join(out, f), encoding="utf-8").read())
    manual = s["manual_setup"]
    # guide pages: the client the guide is about, per product it cannot get
    g = text(loc + "/outlook-cram/index.html")
    assert g.count(manual) == 2, (loc, "outlook-cram")  # autodiscover and the script, for cram-only
    assert "setup-cram-only.ps1" not in g and "cram-only/%s/autodiscover.xml" % loc not in g
    assert "setup-pop-first.ps1" in g  # the other product keeps its file
    g = text(loc + "/apple-oauth/index.html")
    assert s["kit_apple_device"] + "</strong>: " + manual in g, (loc, "apple-oauth")
    assert "oauth-only.mobileconfig" not in g and "oauth-then-password.mobileconfig" in g
    # the kit page: a row per client, the missing ones without a link
    k = text("profiles/oauth-only/%s/index.html" % loc)
    assert k.count(s["manual_file"]) == 4 and k.count(manual) == 4, (loc, "kit")
    assert 'href="config-v1.1.xml"' in k and ".mobileconfig" not in k
    # the settings page names each client without a file
    st = text(loc + "/settings/cram-only/index.html")
    for c in ("outlook", "windows"):
        assert s["kit_%s_device" % c] + "</strong>: " + manual in st, (loc, c)
    assert text(loc + "/settings/pop-first/index.html").count(manual) == 0
EOF
"$MG" profile -C "$C" --product oauth-only --client apple --email a@example.com -o "$TMP/x.mobileconfig" 2>"$TMP/p.err"; rc=$?
[ "$rc" -eq 1 ] && grep -q "error: Apple Mail (.mobileconfig) cannot serve product 'oauth-only': Apple Mail profiles have no OAuth2; set it up by hand" "$TMP/p.err" && [ ! -e "$TMP/x.mobileconfig" ] &&
    pass "unserved: mailguide profile for such a client says why, writes nothing" ||
    fail "unserved: mailguide profile for such a client says why, writes nothing" "exit $rc: $(cat "$TMP/p.err")"
"$MG" -q check -C "$C" >"$TMP/check.out" 2>&1 && pass "unserved: mailguide check finds no broken link" ||
    fail "unserved: mailguide check finds no broken link" "$(head -5 "$TMP/check.out")"

# ---- 4. priority across protocols ------------------------------------------
python3 - "$P/pop-first/en-gb" <<'EOF' && pass "priority: a POP3-first product gets POP3 in Apple Mail, user.js and first in Outlook" || fail "priority: a POP3-first product gets POP3 in Apple Mail, user.js and first in Outlook"
import sys, plistlib, re, xml.etree.ElementTree as ET
d = sys.argv[1]
m = plistlib.load(open(d + "/pop-first.mobileconfig", "rb"))["PayloadContent"][0]
assert (m["EmailAccountType"], m["IncomingMailServerHostName"]) == ("EmailTypePOP", "pop.first.example.net"), m
js = open(d + "/user.js", encoding="utf-8").read()
assert re.search(r'^user_pref\("mail\.server\.mailguide_pop_first\.type", "pop3"\);$', js, re.M), "user.js type"
ns = "{http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a}"
types = [p.findtext(ns + "Type") for p in ET.parse(d + "/autodiscover.xml").getroot().iter(ns + "Protocol")]
assert types == ["POP3", "IMAP", "SMTP"], types
EOF
valid "priority: POP3 user.js is valid" thunderbird "$P/pop-first/en-gb/user.js"
valid "priority: POP3 Apple profile is valid" apple "$P/pop-first/en-gb/pop-first.mobileconfig" --expect-no-email
