# The client profiles (issue 4), each kind checked by its independent
# validator in tests/tools/: Apple's schema YAML (plistlib), Thunderbird's
# lists (xmllint + the draft RELAX NG), node --check and the preference
# grammar for user.js, RELAX NG for autodiscover, a PowerShell tokenizer.
# The real-client logins are in t_profiles_realclient.sh.
. tests/lib.sh
EVIL="Tom & Jerry's \"Mail\" <x>"
. tests/profile_validators.sh

# ---- every kind, every product, every locale of the shipped content -------
"$MG" -q build -C content -o "$TMP/out" || fail "profiles: shipped content builds"
n_servers=$(python3 -c 'import yaml,sys; t=yaml.safe_load(open("content/servers.yaml"))
p=t["providers"][0]["products"][0]; print(len(p["incoming"])+len(p["outgoing"]))')
for loc in pl-pl en-gb fr-fr de-de; do
    d=$TMP/out/profiles/mxplan/$loc
    valid "profiles: mxplan $loc mobileconfig" apple "$d/mxplan.mobileconfig" --expect-no-email --expect-payloads 1
    valid "profiles: mxplan $loc autoconfig" autoconfig "$d/config-v1.1.xml" --expect-servers "$n_servers"
    valid "profiles: mxplan $loc user.js" thunderbird "$d/user.js"
    valid "profiles: mxplan $loc autodiscover" outlook "$d/autodiscover.xml"
    valid "profiles: mxplan $loc PowerShell" windows "$d/setup-mxplan.ps1"
done
cmp -s "$TMP/out/mail/config-v1.1.xml" "$TMP/out/profiles/mxplan/pl-pl/config-v1.1.xml" &&
    cmp -s "$TMP/out/.well-known/autoconfig/mail/config-v1.1.xml" "$TMP/out/profiles/mxplan/pl-pl/config-v1.1.xml" &&
    cmp -s "$TMP/out/autodiscover/autodiscover.xml" "$TMP/out/profiles/mxplan/pl-pl/autodiscover.xml" &&
    pass "profiles: well-known copies are the first product's, default locale" ||
    fail "profiles: well-known copies are the first product's, default locale"
python3 - "$TMP/out/profiles/mxplan/en-gb/config-v1.1.xml" <<'EOF' && pass "profiles: autoconfig lists servers in the table's order" || fail "profiles: autoconfig lists servers in the table's order"
import sys, yaml, xml.etree.ElementTree as ET
p = yaml.safe_load(open("content/servers.yaml"))["providers"][0]["products"][0]
sock = {"ssl": "SSL", "starttls": "STARTTLS", "none": "plain"}
want = [(s["protocol"], s["host"], str(s["port"]), sock[s["security"]]) for s in p["incoming"] + p["outgoing"]]
root = ET.parse(sys.argv[1]).getroot()
got = [(e.get("type"), e.findtext("hostname"), e.findtext("port"), e.findtext("socketType"))
       for e in root.iter() if e.tag in ("incomingServer", "outgoingServer")]
sys.exit(0 if got == want else "%s != %s" % (got, want))
EOF
python3 - "$TMP/out/profiles/mxplan" <<'EOF' && pass "profiles: autoconfig documentation links every locale's settings page" || fail "profiles: autoconfig documentation links every locale's settings page"
import sys, os, xml.etree.ElementTree as ET
for loc in ("pl-pl", "en-gb", "fr-fr", "de-de"):
    docs = ET.parse(os.path.join(sys.argv[1], loc, "config-v1.1.xml")).getroot().iter("documentation")
    got = [(d.get("url"), d.find("descr").get("lang")) for d in docs]
    want = {("https://help.example.com/mail/%s/settings/mxplan/index.html" % l, l[:3] + l[3:].upper())
            for l in ("pl-pl", "en-gb", "fr-fr", "de-de")}
    assert set(got) == want and got[0][0].split("/")[-4] == loc, got
EOF

# ---- UUIDs: name-based, deterministic, distinct ----------------------------
"$MG" -q build -C content -o "$TMP/out2"
cmp -s "$TMP/out/profiles/mxplan/en-gb/mxplan.mobileconfig" "$TMP/out2/profiles/mxplan/en-gb/mxplan.mobileconfig" &&
    pass "profiles: a second build writes the same mobileconfig" || fail "profiles: a second build writes the same mobileconfig"
mkdir -p "$TMP/c2" && cp -R content/. "$TMP/c2/" && rm -rf "$TMP/c2/guides" && cp tests/fixtures/profiles/servers-evil.yaml "$TMP/c2/servers.yaml"
"$MG" -q build -C "$TMP/c2" -o "$TMP/evil" 2>"$TMP/evil.err" || fail "profiles: the escaping table builds" "$(cat "$TMP/evil.err")"
check "profiles: UUIDs are UUIDv5 of provider/product, equal across locales, distinct per payload and product" \
    python3 - "$TMP/out/profiles" "$TMP/evil/profiles" <<'EOF'
import plistlib, sys, uuid, os
seen = {}
for root, prov, prod in ((sys.argv[1], "ovh", "mxplan"), (sys.argv[2], "tj", "cartoon-mail"), (sys.argv[2], "other", "bound")):
    per_locale = set()
    for loc in ("pl-pl", "en-gb", "fr-fr", "de-de"):
        top = plistlib.load(open(os.path.join(root, prod, loc, prod + ".mobileconfig"), "rb"))
        mail = top["PayloadContent"][0]
        want_top = str(uuid.uuid5(uuid.NAMESPACE_URL, "mailguide:%s/%s/profile" % (prov, prod))).upper()
        want_mail = str(uuid.uuid5(uuid.NAMESPACE_URL, "mailguide:%s/%s/mail" % (prov, prod))).upper()
        assert top["PayloadUUID"] == want_top, (top["PayloadUUID"], want_top)
        assert mail["PayloadUUID"] == want_mail, (mail["PayloadUUID"], want_mail)
        per_locale.add((top["PayloadUUID"], mail["PayloadUUID"], top["PayloadIdentifier"], mail["PayloadIdentifier"]))
    assert len(per_locale) == 1, per_locale
    for u in list(per_locale)[0][:2]:
        assert u not in seen, (u, prod, seen.get(u))
        seen[u] = prod
EOF
python3 - "$TMP/evil/profiles/cartoon-mail/en-gb/cartoon-mail.mobileconfig" <<'EOF' && pass "profiles: identifiers in reverse DNS of the provider's domain" || fail "profiles: identifiers in reverse DNS of the provider's domain"
import plistlib, sys
top = plistlib.load(open(sys.argv[1], "rb"))
assert top["PayloadIdentifier"] == "example.tom-jerry.mailguide.cartoon-mail", top["PayloadIdentifier"]
assert top["PayloadContent"][0]["PayloadIdentifier"] == "example.tom-jerry.mailguide.cartoon-mail.mail"
assert type(top["PayloadVersion"]) is int and top["PayloadVersion"] == 1
EOF

# ---- escaping: the hostile names give valid files of every kind ------------
# (A line break inside a PowerShell string is written CRLF like every other.)
PRODUCT=$(python3 -c 'import yaml; print(yaml.safe_load(open("tests/fixtures/profiles/servers-evil.yaml"))["providers"][0]["products"][0]["name"], end="")')
for loc in en-gb fr-fr; do
    d=$TMP/evil/profiles/cartoon-mail/$loc
    valid "escaping: $loc mobileconfig" apple "$d/cartoon-mail.mobileconfig" --expect-string "$EVIL" --expect-string "$PRODUCT"
    valid "escaping: $loc autoconfig" autoconfig "$d/config-v1.1.xml" --expect-servers 3 --expect-string "$PRODUCT ($EVIL)"
    valid "escaping: $loc user.js" thunderbird "$d/user.js" --expect-string "$PRODUCT"
    valid "escaping: $loc autodiscover" outlook "$d/autodiscover.xml"
    sentence=$(python3 -c 'import sys,yaml; s=yaml.safe_load(open("content/strings/'$loc'.yaml"))["profile_ps_other_domain"]; print(s.replace("{product}", sys.argv[1]).replace("\n", "\r\n"), end="")' "$PRODUCT")
    valid "escaping: $loc PowerShell" windows "$d/setup-cartoon-mail.ps1" --expect-string "$sentence"
    d=$TMP/evil/profiles/bound/$loc
    valid "mapping: $loc bound mobileconfig" apple "$d/bound.mobileconfig" --expect-no-email
    valid "mapping: $loc bound autoconfig" autoconfig "$d/config-v1.1.xml" --expect-servers 4
    valid "mapping: $loc bound user.js" thunderbird "$d/user.js"
    valid "mapping: $loc bound autodiscover" outlook "$d/autodiscover.xml"
    valid "mapping: $loc bound PowerShell" windows "$d/setup-bound.ps1"
done
node -e '
const fs = require("fs"); const src = fs.readFileSync(process.argv[1], "utf8");
const p = {}; new Function("user_pref", src)((k, v) => { p[k] = v; });
const k = "mailguide_cartoon_mail";
if (p["mail.server." + k + ".name"] !== process.argv[2]) throw new Error("name did not round-trip");
if (p["mail.smtpserver." + k + ".try_ssl"] !== 2 || p["mail.server." + k + ".socketType"] !== 3) throw new Error("security");
' "$TMP/evil/profiles/cartoon-mail/en-gb/user.js" "$PRODUCT" && pass "escaping: user.js values round-trip through JavaScript" ||
    fail "escaping: user.js values round-trip through JavaScript"
python3 - "$TMP/evil/profiles" <<'EOF' && pass "mapping: Apple gets the first usable server in table order, UseSSL for STARTTLS" || fail "mapping: Apple gets the first usable server in table order, UseSSL for STARTTLS"
import plistlib, sys
m = plistlib.load(open(sys.argv[1] + "/cartoon-mail/en-gb/cartoon-mail.mobileconfig", "rb"))["PayloadContent"][0]
assert (m["EmailAccountType"], m["IncomingMailServerHostName"], m["IncomingMailServerPortNumber"], m["IncomingMailServerUseSSL"]) == ("EmailTypeIMAP", "imap.tj.example", 993, True), m
assert (m["OutgoingMailServerPortNumber"], m["OutgoingMailServerUseSSL"]) == (587, True), m
m = plistlib.load(open(sys.argv[1] + "/bound/en-gb/bound.mobileconfig", "rb"))["PayloadContent"][0]
# POP3 when the table lists it first (its order is the provider's
# preference across protocols); CRAM-MD5; SMTP without auth
assert (m["EmailAccountType"], m["IncomingMailServerAuthentication"], m["IncomingMailServerUseSSL"]) == ("EmailTypePOP", "EmailAuthCRAMMD5", True), m
assert (m["OutgoingMailServerAuthentication"], m["OutgoingMailServerPortNumber"]) == ("EmailAuthNone", 25), m
EOF
python3 - "$TMP/evil/profiles/bound/en-gb/autodiscover.xml" <<'EOF' && pass "mapping: Outlook leaves out CRAM-MD5 servers, SPA for NTLM" || fail "mapping: Outlook leaves out CRAM-MD5 servers, SPA for NTLM"
import sys, xml.etree.ElementTree as ET
ns = "{http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a}"
ps = [{c.tag[len(ns):]: c.text for c in p} for p in ET.parse(sys.argv[1]).getroot().iter(ns + "Protocol")]
assert [p["Type"] for p in ps] == ["IMAP", "SMTP"], ps
assert ps[0]["SPA"] == "on" and ps[0]["SSL"] == "off" and ps[0]["Encryption"] == "None", ps[0]
assert ps[1]["AuthRequired"] == "off" and ps[1]["Port"] == "25", ps[1]
EOF

# A product some clients cannot serve builds without their files, with one
# warning at the product (the pages' wording is checked in t_model.sh).
mkdir -p "$TMP/c3" && cp -R content/. "$TMP/c3/" && rm -rf "$TMP/c3/guides" && cp tests/fixtures/profiles/servers-oauth.yaml "$TMP/c3/servers.yaml"
"$MG" build -C "$TMP/c3" -o "$TMP/oauth" 2>"$TMP/oauth.err"; rc=$?
[ "$rc" -eq 0 ] && [ "$(grep -c warning: "$TMP/oauth.err")" -eq 1 ] &&
    grep -q "^$TMP/c3/servers.yaml:6:9: warning: product 'oauth-only' gets no file for Apple Mail (.mobileconfig), as Apple Mail profiles have no OAuth2; Thunderbird user.js, as .*; Outlook autodiscover, as .*; the Windows setup script, as " "$TMP/oauth.err" &&
    [ ! -e "$TMP/oauth/profiles/oauth-only/en-gb/oauth-only.mobileconfig" ] && [ ! -e "$TMP/oauth/profiles/oauth-only/en-gb/autodiscover.xml" ] &&
    [ -e "$TMP/oauth/profiles/oauth-only/en-gb/config-v1.1.xml" ] &&
    pass "mapping: OAuth2-only product builds without Apple and Outlook files, one warning" ||
    fail "mapping: OAuth2-only product builds without Apple and Outlook files, one warning" "exit $rc: $(cat "$TMP/oauth.err")"

# A PowerShell template with a value lacking :x-ps-squote does not build.
mkdir -p "$TMP/t4" && cp -R templates/. "$TMP/t4/"
printf 'Write-Host {{PROMPT}}\n' >>"$TMP/t4/profiles/setup.ps1.tpl"
line=$(wc -l <"$TMP/t4/profiles/setup.ps1.tpl")
"$MG" -q build -t "$TMP/t4" -o "$TMP/o4" 2>"$TMP/t4.err"; rc=$?
[ "$rc" -eq 1 ] && grep -q "^$TMP/t4/profiles/setup.ps1.tpl:$line:12: error: '{{PROMPT}}' must end with the modifier :x-ps-squote" "$TMP/t4.err" &&
    pass "escaping: an unescaped PowerShell value fails the build at file:line:col" ||
    fail "escaping: an unescaped PowerShell value fails the build at file:line:col" "exit $rc: $(head -3 "$TMP/t4.err")"

# ---- mailguide profile: personalized files ---------------------------------
ADDR="o'brien&co@Example.com"
NAME="$EVIL"
for c in apple autoconfig thunderbird outlook windows; do
    f=$TMP/personal-$c.$(case $c in apple) echo mobileconfig ;; thunderbird) echo js ;; windows) echo ps1 ;; *) echo xml ;; esac)
    "$MG" profile -C content --product mxplan --client $c --email "$ADDR" --name "$NAME" --locale fr-fr -o "$f" 2>"$TMP/p.err" ||
        { fail "profile: $c writes a file" "$(cat "$TMP/p.err")"; continue; }
    case $c in
    apple) valid "profile: apple carries the address" apple "$f" --expect-email "$ADDR" --expect-string "$NAME" ;;
    autoconfig) valid "profile: autoconfig carries the address" autoconfig "$f" --expect-servers "$n_servers" --expect-string "$ADDR" --expect-string example.com ;;
    thunderbird) valid "profile: user.js carries the address" thunderbird "$f" --expect-string "$ADDR" --expect-string "$NAME" ;;
    outlook) valid "profile: autodiscover carries the address" outlook "$f" --expect-string "$ADDR" --expect-string "$NAME" ;;
    windows) valid "profile: PowerShell takes the address as default" windows "$f" --expect-string "$ADDR" ;;
    esac
done
"$MG" profile --product mxplan --client thunderbird --email "$ADDR" >"$TMP/stdout.js" 2>/dev/null &&
    grep -q '^user_pref("mail.server.mailguide_mxplan_[0-9a-f]\{8\}.userName", "o\\x27brien\\x26co@Example.com");$' "$TMP/stdout.js" &&
    pass "profile: without -o writes to standard output, keys specific to the address" ||
    fail "profile: without -o writes to standard output, keys specific to the address" "$(grep userName "$TMP/stdout.js")"
"$MG" profile --product mxplan --client apple --email a@example.com -o "$TMP/a1" && "$MG" profile --product mxplan --client apple --email b@example.com -o "$TMP/a2" &&
    python3 - "$TMP/a1" "$TMP/a2" "$TMP/out/profiles/mxplan/pl-pl/mxplan.mobileconfig" <<'EOF' && pass "profile: personalized UUIDs differ per address and from the generic" || fail "profile: personalized UUIDs differ per address and from the generic"
import plistlib, sys
ids = [(p["PayloadUUID"], p["PayloadIdentifier"]) for f in sys.argv[1:] for p in [plistlib.load(open(f, "rb"))]]
assert len({i[0] for i in ids}) == 3 and len({i[1] for i in ids}) == 3, ids
EOF

# Usage errors exit 2 with a clear message; content errors exit 1.
expect() { # NAME STATUS FRAGMENT CMD...
    local name=$1 want=$2 frag=$3; shift 3
    "$@" >"$TMP/o" 2>&1; local rc=$?
    [ "$rc" -eq "$want" ] && grep -qF -- "$frag" "$TMP/o" && pass "$name" || fail "$name" "exit $rc (wanted $want): $(head -3 "$TMP/o")"
}
P=("$MG" profile -C content -o "$TMP/x")
expect "profile: address without @" 2 "'bob' cannot be used as an address: an address needs an '@'" "${P[@]}" --product mxplan --client apple --email bob
expect "profile: address with a space" 2 "cannot be used as an address: the part before '@'" "${P[@]}" --product mxplan --client apple --email "bo b@example.com"
expect "profile: address with a bad domain" 2 "the domain after '@'" "${P[@]}" --product mxplan --client apple --email "bob@exa_mple.com"
expect "profile: domain the product does not serve" 2 "the product does not serve this domain (it serves bound.example, second.example)" \
    "$MG" profile -C "$TMP/c2" -o "$TMP/x" --product bound --client outlook --email bob@example.com
expect "profile: unknown product" 2 "no product 'nope' in the server table; products: mxplan" "${P[@]}" --product nope --client apple --email a@example.com
expect "profile: unknown client" 2 "unknown client 'mutt'" "${P[@]}" --product mxplan --client mutt --email a@example.com
expect "profile: unknown locale" 2 "'xx-yy' is not one of the site's locales" "${P[@]}" --product mxplan --client apple --email a@example.com --locale xx-yy
expect "profile: --email is required" 2 "--email is required" "${P[@]}" --product mxplan --client apple
expect "profile: signing other clients is a usage error" 2 "apply to --client apple only" "${P[@]}" --product mxplan --client outlook --email a@example.com --sign-cert x --sign-key y
expect "profile: broken content is a content error" 1 "error:" "$MG" profile -C "$TMP/none" --product mxplan --client apple --email a@example.com
[ ! -e "$TMP/x" ] && pass "profile: nothing written on error" || fail "profile: nothing written on error"

# ---- signing: CMS SignedData in DER, verified by openssl --------------------
(
    set -e
    cd "$TMP"
    cat >ext.cnf <<'EOF'
[ca]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
[leaf]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = emailProtection, codeSigning
EOF
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj "/CN=mailguide test root" \
        -addext "basicConstraints=critical,CA:true" -addext "keyUsage=critical,keyCertSign,cRLSign"
    openssl req -newkey rsa:2048 -nodes -keyout int.key -out int.csr -subj "/CN=mailguide test intermediate"
    openssl x509 -req -in int.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out int.pem -days 2 -extfile ext.cnf -extensions ca
    openssl req -newkey rsa:2048 -nodes -keyout signer.key -out signer.csr -subj "/CN=profiles.example"
    openssl x509 -req -in signer.csr -CA int.pem -CAkey int.key -CAcreateserial -out signer.pem -days 2 -extfile ext.cnf -extensions leaf
) >"$TMP/openssl.log" 2>&1 || fail "signing: make a throwaway CA" "$(tail -5 "$TMP/openssl.log")"
"$MG" -q build -o "$TMP/signed" --sign-cert "$TMP/signer.pem" --sign-key "$TMP/signer.key" --sign-chain "$TMP/int.pem" 2>"$TMP/s.err" ||
    fail "signing: build with --sign-*" "$(cat "$TMP/s.err")"
# A signature is not reused blindly: with signing, the profiles (one
# incremental job with the kits and assets) are rendered by every build.
"$MG" -v build -o "$TMP/signed" --sign-cert "$TMP/signer.pem" --sign-key "$TMP/signer.key" --sign-chain "$TMP/int.pem" 2>"$TMP/s2.err"
grep -q '^mailguide: profiles, kits and assets rendered$' "$TMP/s2.err" &&
    pass "signing: a rebuild renders signed profiles again, never keeps them" ||
    fail "signing: a rebuild renders signed profiles again, never keeps them" "$(grep '^mailguide' "$TMP/s2.err")"
for loc in pl-pl de-de; do
    valid "signing: $loc signed mobileconfig verifies and is valid" apple "$TMP/signed/profiles/mxplan/$loc/mxplan.mobileconfig" --signed "$TMP/ca.pem" --expect-no-email
done
openssl cms -verify -inform DER -in "$TMP/signed/profiles/mxplan/en-gb/mxplan.mobileconfig" -CAfile "$TMP/ca.pem" -out "$TMP/inner.plist" 2>/dev/null &&
    cmp -s "$TMP/inner.plist" "$TMP/out/profiles/mxplan/en-gb/mxplan.mobileconfig" &&
    pass "signing: the signed content is the unsigned profile, byte for byte" || fail "signing: the signed content is the unsigned profile, byte for byte"
mkdir -p "$TMP/c5" && cp -R content/. "$TMP/c5/" && cp "$TMP/signer.pem" "$TMP/signer.key" "$TMP/int.pem" "$TMP/c5/" &&
    printf 'signing:\n  certificate: signer.pem\n  key: signer.key\n  chain: int.pem\n' >>"$TMP/c5/site.yaml"
"$MG" -q build -C "$TMP/c5" -o "$TMP/signed2" && valid "signing: site.yaml signing settings" apple "$TMP/signed2/profiles/mxplan/en-gb/mxplan.mobileconfig" --signed "$TMP/ca.pem"
# The browser cannot sign: with signing, no page offers the Apple profile with
# the reader's address, and the pages' stencils leave it out; the others stay.
check "signing: the pages personalize no signed profile, the others still" python3 - "$TMP/signed2" <<'EOF'
import sys, re
out = sys.argv[1]
apple = open(out + "/en-gb/configure-apple-mail/index.html", encoding="utf-8").read()
assert 'class="personalize"' not in apple and "personal-en-gb.js" not in apple, "the Apple guide's form"
tb = open(out + "/en-gb/configure-thunderbird/index.html", encoding="utf-8").read()
assert re.search(r'<form class="personalize"[^>]* data-stencils="mxplan/en-gb"', tb), "the Thunderbird guide's form"
js = open(out + "/profiles/mxplan/personal-en-gb.js", encoding="utf-8").read()
clients = re.findall(r'\{client: "(\w+)"', js)
assert clients == ["thunderbird", "outlook", "windows"], clients
EOF
"$MG" profile --product mxplan --client apple --email "$ADDR" --sign-cert "$TMP/signer.pem" --sign-key "$TMP/signer.key" --sign-chain "$TMP/int.pem" -o "$TMP/ps.mobileconfig" &&
    valid "signing: a personalized profile, signed" apple "$TMP/ps.mobileconfig" --signed "$TMP/ca.pem" --expect-email "$ADDR"
expect "signing: a key that is not the certificate's" 1 "signer.key: error: this key does not belong to the certificate" \
    "$MG" build -o "$TMP/o6" --sign-cert "$TMP/int.pem" --sign-key "$TMP/signer.key"
expect "signing: a missing certificate file" 1 "$TMP/none.pem: error: cannot read" \
    "$MG" build -o "$TMP/o7" --sign-cert "$TMP/none.pem" --sign-key "$TMP/signer.key"
