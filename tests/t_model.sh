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
[ "$(grep -c "warning:" "$TMP/build.err")" -eq 3 ] &&
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

# ---- 3. %EMAILADDRESS%, %EMAILLOCALPART%, %EMAILDOMAIN% in login and host ----
python3 - "$P/per-domain/en-gb/config-v1.1.xml" "$P/composed/en-gb/config-v1.1.xml" <<'EOF' && pass "patterns: autoconfig keeps the placeholders in hostname and username" || fail "patterns: autoconfig keeps the placeholders in hostname and username"
import sys, xml.etree.ElementTree as ET
def servers(f):
    return [(e.findtext("hostname"), e.findtext("username")) for e in ET.parse(f).getroot().iter() if e.tag in ("incomingServer", "outgoingServer")]
assert servers(sys.argv[1]) == [("mail.%EMAILDOMAIN%", "%EMAILLOCALPART%.%EMAILDOMAIN%"), ("mail.%EMAILDOMAIN%", "%EMAILLOCALPART%")], servers(sys.argv[1])
assert servers(sys.argv[2]) == [("imap.composed.example.net", "%EMAILLOCALPART%.%EMAILDOMAIN%"), ("pop.composed.example.net", "%EMAILLOCALPART%"), ("smtp.composed.example.net", "u-%EMAILLOCALPART%")], servers(sys.argv[2])
EOF
valid "patterns: autoconfig with a host pattern is valid" autoconfig "$P/per-domain/en-gb/config-v1.1.xml" --expect-servers 2
valid "patterns: autoconfig with composed logins is valid" autoconfig "$P/composed/en-gb/config-v1.1.xml" --expect-servers 3
for f in per-domain.mobileconfig user.js autodiscover.xml; do
    [ ! -e "$P/per-domain/en-gb/$f" ] || fail "patterns: no generic $f for a host that depends on the address" "it was written"
done
valid "patterns: the Windows script of a host pattern is valid" windows "$P/per-domain/en-gb/setup-per-domain.ps1"
grep -q "Replace('%EMAILDOMAIN%', \[System.Security.SecurityElement\]::Escape(\$Domain))" "$P/per-domain/en-gb/setup-per-domain.ps1" &&
    grep -q "^Write-Host (Fill '  Server: mail.%EMAILDOMAIN%')" "$P/per-domain/en-gb/setup-per-domain.ps1" &&
    grep -q "^Write-Host (Fill '  User name: %EMAILLOCALPART%.%EMAILDOMAIN%')" "$P/per-domain/en-gb/setup-per-domain.ps1" &&
    pass "patterns: the Windows script fills host and login in from the address it asks for" ||
    fail "patterns: the Windows script fills host and login in from the address it asks for"
valid "patterns: generic Apple profile with composed logins is valid (and asks for the user name)" apple "$P/composed/en-gb/composed.mobileconfig" --expect-no-email
for c in apple thunderbird outlook windows autoconfig; do
    "$MG" profile -C "$C" --product per-domain --client $c --email bob@example.org -o "$TMP/pd-$c" 2>"$TMP/pd.err" ||
        fail "patterns: mailguide profile --client $c fills in a host pattern" "$(cat "$TMP/pd.err")"
    "$MG" profile -C "$C" --product composed --client $c --email ann@composed.example.net -o "$TMP/co-$c" 2>"$TMP/co.err" ||
        fail "patterns: mailguide profile --client $c fills in composed logins" "$(cat "$TMP/co.err")"
done
valid "patterns: personalized Apple profile with a host pattern is valid" apple "$TMP/pd-apple" --expect-string bob@example.org --expect-string mail.example.org
valid "patterns: personalized user.js with a host pattern is valid" thunderbird "$TMP/pd-thunderbird"
valid "patterns: personalized autodiscover with a host pattern is valid" outlook "$TMP/pd-outlook"
check "patterns: personal files name the filled-in hosts and logins" python3 - "$TMP" <<'EOF'
import sys, plistlib, re, xml.etree.ElementTree as ET
t = sys.argv[1]
m = plistlib.load(open(t + "/pd-apple", "rb"))["PayloadContent"][0]
assert (m["IncomingMailServerHostName"], m["IncomingMailServerUsername"], m["OutgoingMailServerHostName"], m["OutgoingMailServerUsername"]) == \
    ("mail.example.org", "bob.example.org", "mail.example.org", "bob"), m
m = plistlib.load(open(t + "/co-apple", "rb"))["PayloadContent"][0]
assert (m["IncomingMailServerUsername"], m["OutgoingMailServerUsername"]) == ("ann.composed.example.net", "u-ann"), m
js = open(t + "/pd-thunderbird", encoding="utf-8").read()
prefs = dict(re.findall(r'^user_pref\("([^"]+)", "([^"]*)"\);$', js, re.M))
got = {k.split(".", 3)[-1] if k.startswith("mail.server") else "smtp." + k.split(".")[-1]: v for k, v in prefs.items()
       if re.search(r"\.(hostname|userName|username)$", k)}
assert got == {"hostname": "mail.example.org", "userName": "bob.example.org", "smtp.hostname": "mail.example.org", "smtp.username": "bob"}, got
ns = "{http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a}"
ps = [(p.findtext(ns + "Server"), p.findtext(ns + "LoginName")) for p in ET.parse(t + "/co-outlook").getroot().iter(ns + "Protocol")]
assert ps == [("imap.composed.example.net", "ann.composed.example.net"), ("pop.composed.example.net", "ann"), ("smtp.composed.example.net", "u-ann")], ps
x = [(e.findtext("hostname"), e.findtext("username")) for e in ET.parse(t + "/pd-autoconfig").getroot().iter() if e.tag in ("incomingServer", "outgoingServer")]
assert x == [("mail.example.org", "bob.example.org"), ("mail.example.org", "bob")], x
EOF
check "patterns: the page's form offers the Apple file a host pattern needs, made from the stand-in address" python3 - "$TMP/out/en-gb/apple-patterns/index.html" "$C/strings/en-gb.yaml" <<'EOF'
import sys, os, re, yaml, html
page = open(sys.argv[1], encoding="utf-8").read()
s = yaml.safe_load(open(sys.argv[2], encoding="utf-8"))
assert html.unescape(page).count(s["manual_personal"]) == 1, "note"
assert re.search(r'<form class="personalize" id="mg-personal-1" data-product="per-domain"(?:(?!</form>).)*<button type="submit" name="file" value="apple">', page, re.S), "the form's button"
assert 'download>' + s["download_apple"] not in page.split("Composed login")[0], "generic link"
# the stencil, in the script the page loads (not in the page): personalize.js
# replaces the stand-in local part and domain
assert "mgxstandin" not in page, "a stencil in the page"
m = re.search(r'<form class="personalize"[^>]* data-product="per-domain" data-stencils="per-domain/en-gb"', page)
assert m and '<script src="../../profiles/per-domain/personal-en-gb.js"></script>' in page, "the stencils' script"
js = open(os.path.join(os.path.dirname(sys.argv[1]), "../../profiles/per-domain/personal-en-gb.js"), encoding="utf-8").read()
assert js.startswith('(self.mailguideStencils = self.mailguideStencils || {})["per-domain/en-gb"] = {'), js[:100]
assert 'file: "per-domain.mobileconfig"' in js and "mail.mgxstandindomainx" in js and "mgxstandinlocalx.mgxstandindomainx" in js, "stencil"
EOF
check "patterns: pages show a readable pattern in the reader's language" python3 - "$TMP/out" "$C/strings" <<'EOF'
import sys, os, yaml, html
for loc in ("en-gb", "de-de", "fr-fr", "pl-pl"):
    s = yaml.safe_load(open(os.path.join(sys.argv[2], loc + ".yaml"), encoding="utf-8"))
    d, lp = "<%s>" % s["pattern_domain"], "<%s>" % s["pattern_localpart"]
    st = html.unescape(open(os.path.join(sys.argv[1], loc, "settings/per-domain/index.html"), encoding="utf-8").read())
    assert "<code>mail.%s</code>" % d in st and ">%s.%s</td>" % (lp, d) in st, loc
g = html.unescape(open(os.path.join(sys.argv[1], "en-gb/apple-patterns/index.html"), encoding="utf-8").read())
assert "Incoming server: mail.<your domain>, user name: <the part of your address before @>.<your domain>. For the composed login: u-<the part of your address before @>." in g
EOF
expect_pattern() { # NAME HOST LOGIN FRAGMENT
    local d=$TMP/badp-$RANDOM
    mkdir -p "$d" && cp -R content/site.yaml content/strings "$d/"
    printf 'providers:\n  - id: p\n    name: P\n    domain: p.example\n    products:\n      - id: x\n        name: X\n        domains: ["*"]\n        incoming:\n          - {protocol: imap, host: "%s", port: 993, security: ssl, login: "%s"}\n        outgoing:\n          - {protocol: smtp, host: smtp.p.example, port: 465, security: ssl}\n' "$2" "$3" >"$d/servers.yaml"
    "$MG" build -C "$d" -o "$d/out" >"$d/err" 2>&1; local rc=$?
    [ "$rc" -eq 1 ] && grep -qF -- "$4" "$d/err" && pass "$1" || fail "$1" "exit $rc: $(cat "$d/err")"
}
expect_pattern "patterns: an unknown placeholder is an error" "imap.p.example" "%EMAILUSER%" "'login' has '%' where only %EMAILADDRESS%, %EMAILLOCALPART% or %EMAILDOMAIN% may stand"
expect_pattern "patterns: %EMAILADDRESS% cannot stand in a host" "%EMAILADDRESS%" "address" "'host' has '%' where only %EMAILLOCALPART% or %EMAILDOMAIN% may stand"
expect_pattern "patterns: a host pattern must make a host name" "mail..%EMAILDOMAIN%" "address" "'host' is not a valid host name pattern"
expect_pattern "patterns: a typo of address is not a login" "imap.p.example" "adress" "unknown login 'adress'"
expect_pattern "patterns: at most two placeholders in a host" "%EMAILDOMAIN%.%EMAILDOMAIN%.%EMAILDOMAIN%" "address" "'host' has 3 placeholders; the limit is 2"
# Only the page's form makes an Apple file of a host pattern: a profile
# template that cannot be expanded then breaks the form's stencils alone,
# and that is an error naming it, not a form quietly left without the file.
d=$TMP/stencil-tpl
mkdir -p "$d" && cp -R content/site.yaml content/strings "$d/" && cp -R templates "$d/tpl" &&
    printf 'providers:\n  - id: p\n    name: P\n    domain: p.example\n    products:\n      - id: x\n        name: X\n        domains: ["*"]\n        incoming:\n          - {protocol: imap, host: "mail.%%EMAILDOMAIN%%", port: 993, security: ssl}\n        outgoing:\n          - {protocol: smtp, host: smtp.p.example, port: 465, security: ssl}\n' >"$d/servers.yaml" &&
    echo '{{#UNCLOSED}}' >>"$d/tpl/profiles/mobileconfig.xml.tpl"
"$MG" build -C "$d" -t "$d/tpl" -o "$d/out" >"$d/err" 2>&1; rc=$?
[ "$rc" -eq 1 ] && grep -qF "$d/tpl/profiles/mobileconfig.xml.tpl: error: cannot load or expand this template" "$d/err" && [ ! -e "$d/out" ] &&
    pass "patterns: a profile template that breaks only the form's stencils is an error" ||
    fail "patterns: a profile template that breaks only the form's stencils is an error" "exit $rc: $(cat "$d/err")"
timeout 30 "$MG" probe -C "$C" --product per-domain >"$TMP/probe.out" 2>&1; rc=$?
[ "$rc" -eq 0 ] && grep -q "servers.yaml:51:13: warning: imap mail.%EMAILDOMAIN%:993 (ssl): not probed: the host depends on the address" "$TMP/probe.out" &&
    pass "patterns: probe skips a host that depends on the address, with a warning" ||
    fail "patterns: probe skips a host that depends on the address, with a warning" "exit $rc: $(cat "$TMP/probe.out")"

# ---- 6. limits far above real data, still bounded ---------------------------
# Mozilla's ISP database: 163 providers, up to 191 domains for one.
mkdir -p "$TMP/big" && cp -R content/site.yaml content/strings "$TMP/big/"
python3 - "$TMP/big/servers.yaml" <<'EOF'
import sys
out = ["providers:"]
for i in range(170):
    doms = ", ".join("d%d-%d.example.net" % (i, k) for k in range(200 if i == 0 else 2))
    out.append("""  - id: prov%d
    name: Provider %d
    domain: prov%d.example.net
    products:
      - id: prod%d
        name: Product %d
        domains: [%s]
        incoming:
          - {protocol: imap, host: imap.prov%d.example.net, port: 993, security: ssl}
        outgoing:
          - {protocol: smtp, host: smtp.prov%d.example.net, port: 465, security: ssl}""" % (i, i, i, i, i, doms, i, i))
open(sys.argv[1], "w").write("\n".join(out) + "\n")
EOF
"$MG" -q build -C "$TMP/big" -o "$TMP/big-out" 2>"$TMP/big.err" && [ -e "$TMP/big-out/profiles/prod169/en-gb/config-v1.1.xml" ] &&
    [ "$(grep -c '<domain>' "$TMP/big-out/profiles/prod0/en-gb/config-v1.1.xml")" -eq 200 ] &&
    pass "limits: 170 providers and 200 domains for one build" || fail "limits: 170 providers and 200 domains for one build" "$(head -3 "$TMP/big.err")"
python3 - "$TMP/big/servers.yaml" <<'EOF'
import sys
s = open(sys.argv[1]).read()
s += "".join("  - {id: x%d, name: X, domain: x.example.net, products: []}\n" % i for i in range(2048 - 170 + 1))
open(sys.argv[1], "w").write(s)
EOF
"$MG" -q build -C "$TMP/big" -o "$TMP/big-out2" 2>"$TMP/big2.err"; rc=$?
[ "$rc" -eq 1 ] && grep -q "servers.yaml:1:1: error: 2049 providers; the limit is 2048\|servers.yaml:2:3: error: 2049 providers; the limit is 2048" "$TMP/big2.err" &&
    pass "limits: past 2048 providers is an error" || fail "limits: past 2048 providers is an error" "exit $rc: $(grep -m3 limit "$TMP/big2.err")"

# ---- 5. what autoconfig carries beyond servers -------------------------------
check "extras: displayName as given, documentation per language, webmail, OAuth2, POP3 defaults" python3 - "$P/extras/en-gb/config-v1.1.xml" <<'EOF'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
prov = root.find("emailProvider")
assert prov.findtext("displayName") == "Extras Mail & Co: the mailbox" and prov.findtext("displayShortName") == "Extras"
docs = [(d.get("url"), [(x.get("lang"), x.text) for x in d.findall("descr")]) for d in prov.findall("documentation")]
assert docs[0] == ("https://help.extras.example.net/setup", [("en", "How to set up"), ("de", "So richten Sie es ein")]), docs[0]
assert len(docs) == 5 and all(u.startswith("https://help.example.com/mail/") for u, _ in docs[1:]), docs
assert [c.tag for c in root] == ["emailProvider", "webMail", "oAuth2"], [c.tag for c in root]
assert root.find("webMail/loginPage").get("url") == "https://webmail.extras.example.net/login"
o = root.find("oAuth2")
assert [(c.tag, c.text) for c in o] == [("issuer", "login.extras.example.net"), ("scope", "https://mail.extras.example.net/ offline_access"),
    ("authURL", "https://login.extras.example.net/authorize"), ("tokenURL", "https://login.extras.example.net/token")], list(o)
pop = prov.find("incomingServer[@type='pop3']/pop3")
assert [(c.tag, c.text) for c in pop] == [("leaveMessagesOnServer", "true"), ("daysToLeaveMessagesOnServer", "14"), ("downloadOnBiff", "false")], list(pop)
assert prov.find("incomingServer[@type='imap']/pop3") is None
EOF
valid "extras: the autoconfig file with every extra is valid" autoconfig "$P/extras/en-gb/config-v1.1.xml" --expect-servers 3
node -e '
const p = {}; new Function("user_pref", require("fs").readFileSync(process.argv[1], "utf8"))((k, v) => { p[k] = v; });
const k = "mail.server.mailguide_extras.";
const want = {type: "pop3", leave_on_server: true, delete_by_age_from_server: true, num_days_to_leave_on_server: 14, download_on_biff: false, authMethod: 3};
for (const [n, v] of Object.entries(want)) if (p[k + n] !== v) throw new Error(n + ": " + p[k + n]);
' "$P/extras/en-gb/user.js" && pass "extras: user.js carries the POP3 defaults" || fail "extras: user.js carries the POP3 defaults"
valid "extras: user.js with POP3 defaults is valid" thunderbird "$P/extras/en-gb/user.js"
expect_load "extras: pop3 settings on an IMAP server are an error" "password, pop3: {leave_on_server: true}" "error: 'pop3' settings belong to a POP3 server"
