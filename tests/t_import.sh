# mailguide import (issue 19): autoconfig files written for these tests
# (tests/fixtures/import/) are imported, built, and the autoconfig file the
# build writes is compared element by element with the input, with Python's
# xml.etree (a parser independent of the libxml2 the importer uses); the
# other clients' files go through the validators of tests/tools/.
. tests/lib.sh
. tests/profile_validators.sh
F=tests/fixtures/import

"$MG" import "$F/full.xml" >"$TMP/servers.yaml" 2>"$TMP/import.err"; rc=$?
[ "$rc" -eq 0 ] && [ ! -s "$TMP/import.err" ] && pass "import: a file of every feature imports without a warning" ||
    fail "import: a file of every feature imports without a warning" "exit $rc: $(cat "$TMP/import.err")"
python3 -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))' "$TMP/servers.yaml" &&
    pass "import: the output is YAML" || fail "import: the output is YAML"

mkdir -p "$TMP/c" && cp -R content/site.yaml content/strings "$TMP/c/" && cp "$TMP/servers.yaml" "$TMP/c/"
"$MG" -q build -C "$TMP/c" -o "$TMP/out" 2>"$TMP/build.err" && pass "import: the imported table builds" ||
    fail "import: the imported table builds" "$(cat "$TMP/build.err")"
check "import: the built autoconfig equals the input, element by element" python3 - "$F/full.xml" "$TMP/out/profiles/full-example-net/en-gb/config-v1.1.xml" <<'EOF'
import sys, xml.etree.ElementTree as ET
def tree(e):
    # (tag, sorted attributes, trimmed text, children); the build's own
    # documentation links (the site's settings pages) are not in the input
    kids = [tree(c) for c in e
            if not (c.tag == "documentation" and c.get("url", "").startswith("https://help.example.com/mail/"))]
    return (e.tag, sorted(e.attrib.items()), (e.text or "").strip(), kids)
a, b = tree(ET.parse(sys.argv[1]).getroot()), tree(ET.parse(sys.argv[2]).getroot())
def diff(x, y, path):
    if x[:3] != y[:3]:
        sys.exit("%s: %r != %r" % (path, x[:3], y[:3]))
    if len(x[3]) != len(y[3]):
        sys.exit("%s: %d children != %d: %s / %s" % (path, len(x[3]), len(y[3]), [c[0] for c in x[3]], [c[0] for c in y[3]]))
    for i, (p, q) in enumerate(zip(x[3], y[3])):
        diff(p, q, "%s/%s[%d]" % (path, p[0], i))
diff(a, b, "clientConfig")
EOF
valid "import: the built autoconfig is valid" autoconfig "$TMP/out/profiles/full-example-net/en-gb/config-v1.1.xml" --expect-servers 5
valid "import: the Windows script of the imported table is valid" windows "$TMP/out/profiles/full-example-net/en-gb/setup-full-example-net.ps1"
"$MG" profile -C "$TMP/c" --product full-example-net --client apple --email ann@full.example.net -o "$TMP/p.mobileconfig" 2>"$TMP/p.err" &&
    valid "import: a personalized Apple profile of the imported table is valid" apple "$TMP/p.mobileconfig" --expect-string pop.full.example.net ||
    fail "import: a personalized Apple profile of the imported table" "$(cat "$TMP/p.err")"
"$MG" profile -C "$TMP/c" --product full-example-net --client thunderbird --email ann@full.example.net -o "$TMP/p.js" &&
    valid "import: a personalized user.js of the imported table is valid" thunderbird "$TMP/p.js"
"$MG" profile -C "$TMP/c" --product full-example-net --client outlook --email ann@full.example.net -o "$TMP/p.xml" &&
    valid "import: a personalized autodiscover of the imported table is valid" outlook "$TMP/p.xml"

# What the table cannot hold is reported at its line and column, and the
# rest is imported.
"$MG" import "$F/unknown.xml" >"$TMP/u.yaml" 2>"$TMP/u.err"; rc=$?
cat >"$TMP/u.want" <<EOF
$F/unknown.xml:4:39: warning: unknown attribute 'region' of <emailProvider>: not imported
$F/unknown.xml:11:7: warning: authentication 'GSSAPI' is not one mailguide writes (password-cleartext, password-encrypted, NTLM, OAuth2, none): not imported
$F/unknown.xml:14:7: warning: unknown element <useGlobalPreferredServer> in <incomingServer>: not imported
$F/unknown.xml:23:5: warning: unknown element <instructionsURL> in <emailProvider>: not imported
EOF
[ "$rc" -eq 0 ] && same "import: unknown elements, attributes and methods are warnings at file:line:col" "$TMP/u.want" "$TMP/u.err" ||
    fail "import: unknown elements, attributes and methods are warnings at file:line:col" "exit $rc"
python3 - "$TMP/u.yaml" <<'EOF' && pass "import: the rest of that file is imported" || fail "import: the rest of that file is imported"
import sys, yaml
p = yaml.safe_load(open(sys.argv[1]))["providers"][0]["products"][0]
assert p["incoming"][0]["auth"] == ["password"] and p["outgoing"][0]["host"] == "smtp.odd.example.net", p
EOF
printf '<clientConfig><emailProvider id="x"' >"$TMP/broken.xml"
"$MG" import "$TMP/broken.xml" >"$TMP/b.out" 2>"$TMP/b.err"; rc=$?
[ "$rc" -eq 1 ] && grep -q "^$TMP/broken.xml:1:[0-9]*: error: not a well-formed XML file" "$TMP/b.err" && [ ! -s "$TMP/b.out" ] &&
    pass "import: a broken file is an error at its position, nothing written" || fail "import: a broken file is an error at its position, nothing written" "exit $rc: $(cat "$TMP/b.err")"
printf '<?xml version="1.0"?>\n<!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<clientConfig version="1.1"><emailProvider id="x.example"><domain>&x;</domain></emailProvider></clientConfig>\n' >"$TMP/xxe.xml"
"$MG" import "$TMP/xxe.xml" >"$TMP/x.out" 2>&1
! grep -q "root:" "$TMP/x.out" && pass "import: an external entity is never read" || fail "import: an external entity is never read"
"$MG" import >/dev/null 2>"$TMP/n.err"; [ $? -eq 2 ] && pass "import: no file is a usage error" || fail "import: no file is a usage error"
