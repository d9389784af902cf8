#!/usr/bin/env python3
"""check_autoconfig.py: validate a Thunderbird autoconfig file (clientConfig
version 1.1, config-v1.1.xml) the way Thunderbird's reader treats it.

Independent of mailguide: xmllint + Python's expat parser. The value rules follow
Thunderbird 153's own reader (mail/components/accountcreation/modules/
readFromXML.sys.mjs and InputSanitizer.sys.mjs), which silently DROPS a server
entry whose values are outside its lists; here every such entry is a problem.

usage: check_autoconfig.py FILE [--expect-servers N] [--expect-string TEXT]...
                           [--require-schema]

  --expect-servers N  the file has exactly N server entries (incomingServer +
                      outgoingServer), all of which Thunderbird would keep.
  --expect-string T   some element text or attribute value equals T.
  --require-schema    exit 77 when $SHARED/schemas/autoconfig/autoconfig.rng is
                      absent (otherwise that check is skipped with a note).

Checks: well-formed (xmllint --noout); the IETF draft schema
$SHARED/schemas/autoconfig/autoconfig.rng when present (it describes the same
clientConfig format and is used as a hard check; if the file given as that schema
does not describe clientConfig it is reported as advisory only); clientConfig
version="1.1" with one emailProvider (id, >=1 domain, displayName);
incomingServer type imap|pop3 and outgoingServer type smtp; exactly one
hostname (non-empty, a legal host name, placeholders %EMAILDOMAIN% etc. only),
port (digits, 1..65535), socketType (SSL|STARTTLS|plain); authentication values
from Thunderbird's documented list, at least one of them accepted by the reader
for that direction (incoming: password-cleartext, password-encrypted, NTLM,
GSSAPI, OAuth2; outgoing adds none, client-IP-address, smtp-after-pop);
username present for incoming and for password authentication, with only the
%EMAILADDRESS% %EMAILLOCALPART% %EMAILDOMAIN% placeholders; no value with
surrounding white space (Thunderbird compares exactly); no unknown child
element; documentation has a http(s) url and every descr a lang attribute.

Problems print as `FILE: problem`. Exit 0 valid, 1 invalid, 2 usage,
77 when a required input (xmllint, or the schema with --require-schema) is missing.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SOCKET_TYPES = {"SSL", "STARTTLS", "plain"}
# Thunderbird's documented list (wiki ConfigFileFormat / ispdb)
AUTH_DOCUMENTED = {"password-cleartext", "password-encrypted", "NTLM", "GSSAPI",
                   "client-IP-address", "TLS-client-cert", "OAuth2", "none", "smtp-after-pop"}
# what readFromXML.sys.mjs (Thunderbird 153) maps, per direction ("plain" and
# "secure" are deprecated aliases and rejected here)
AUTH_TB_IN = {"password-cleartext", "password-encrypted", "GSSAPI", "NTLM", "OAuth2"}
AUTH_TB_OUT = AUTH_TB_IN | {"none", "client-IP-address", "smtp-after-pop"}
USER_PLACEHOLDERS = {"%EMAILADDRESS%", "%EMAILLOCALPART%", "%EMAILDOMAIN%"}
HOST_PLACEHOLDERS = {"%EMAILDOMAIN%", "%EMAILLOCALPART%", "%EMAILADDRESS%"}
IN_CHILDREN = {"hostname", "port", "socketType", "authentication", "username", "password",
               "pop3", "useGlobalPreferredServer"}
OUT_CHILDREN = {"hostname", "port", "socketType", "authentication", "username", "password",
                "useGlobalPreferredServer", "addThisServer"}
PROVIDER_CHILDREN = {"domain", "displayName", "displayShortName", "incomingServer",
                     "outgoingServer", "documentation", "enable", "inputField", "identity"}
# hostnameUtils.sys.mjs isLegalHostName: labels of letters, digits, '-', not
# starting or ending with '-', up to 63 characters, total up to 253
LABEL = r"(?:[a-z0-9]|[a-z0-9][a-z0-9\-]{0,61}[a-z0-9])"
HOST_RE = re.compile(rf"^(?:{LABEL}\.)*{LABEL}\.?$", re.I)
IPV4_RE = re.compile(r"^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$")
TB_PLACEHOLDER_HOST = re.compile(r"^[a-zA-Z0-9\-.]*(%[A-Z0-9]+%[a-zA-Z0-9\-.]*)+$")


def shared_dir():
    return os.environ.get("SHARED") or os.path.join(os.path.dirname(REPO), "shared")


def legal_host(s):
    if TB_PLACEHOLDER_HOST.match(s):
        return all(p in HOST_PLACEHOLDERS for p in re.findall(r"%[A-Z0-9]+%", s))
    return bool(IPV4_RE.match(s) or (len(s) <= 253 and HOST_RE.match(s)))


def rng_describes_clientconfig(rng):
    """True when the RELAX NG file defines the un-namespaced clientConfig,
    emailProvider, incomingServer and outgoingServer elements."""
    try:
        t = open(rng, encoding="utf-8").read()
    except OSError:
        return False
    names = ("clientConfig", "emailProvider", "incomingServer", "outgoingServer")
    return all(re.search(rf'(<name ns="">{n}</name>|<element name="{n}")', t) for n in names)


class Check:
    def __init__(self, fname):
        self.f = fname
        self.problems = []

    def bad(self, msg):
        self.problems.append(f"{self.f}: {msg}")

    def text(self, el, where):
        t = el.text or ""
        if len(el):
            self.bad(f"{where}: unexpected child elements")
        if t != t.strip():
            self.bad(f"{where}: value {t!r} has surrounding white space (Thunderbird compares exactly)")
        return t

    def one(self, srv, name, where, required=True):
        els = srv.findall(name)
        if not els:
            if required:
                self.bad(f"{where}: missing <{name}>"
                         + (" (Thunderbird would log in as the literal 'undefined')" if name == "username" else ""))
            return None
        if len(els) > 1:
            self.bad(f"{where}: {len(els)} <{name}> elements, expected one")
        return self.text(els[0], f"{where}/{name}")

    def username(self, value, where):
        for p in re.findall(r"%[^%\s]*%", value):
            if p not in USER_PLACEHOLDERS:
                self.bad(f"{where}: placeholder {p} is not one of {', '.join(sorted(USER_PLACEHOLDERS))}")
        if value.count("%") % 2:
            self.bad(f"{where}: unbalanced '%' in {value!r}")
        if not value:
            self.bad(f"{where}: empty username")

    def server(self, srv, idx, incoming):
        kind = "incomingServer" if incoming else "outgoingServer"
        where = f"{kind}[{idx}]"
        ok = True
        typ = srv.get("type")
        allowed_types = ("imap", "pop3") if incoming else ("smtp",)
        if typ not in allowed_types:
            self.bad(f"{where}: type={typ!r}, expected {' or '.join(allowed_types)}")
            ok = False
        where = f"{where} ({typ})"
        for child in srv:
            if child.tag not in (IN_CHILDREN if incoming else OUT_CHILDREN):
                self.bad(f"{where}: unknown element <{child.tag}>")
        host = self.one(srv, "hostname", where)
        if host is not None and not (host and legal_host(host)):
            self.bad(f"{where}/hostname: {host!r} is not a legal host name")
            ok = False
        port = self.one(srv, "port", where)
        if port is None:
            ok = False
        elif not re.fullmatch(r"[0-9]+", port) or not 1 <= int(port) <= 65535:
            self.bad(f"{where}/port: {port!r} is not an integer in 1..65535")
            ok = False
        st = self.one(srv, "socketType", where)
        if st is not None and st not in SOCKET_TYPES:
            self.bad(f"{where}/socketType: {st!r} is not one of SSL, STARTTLS, plain (exact case)")
            ok = False
        if st is None:
            ok = False
        auths = [self.text(a, f"{where}/authentication") for a in srv.findall("authentication")]
        if not auths:
            self.bad(f"{where}: missing <authentication>")
            ok = False
        for a in auths:
            if a not in AUTH_DOCUMENTED:
                hint = " (deprecated alias; write password-cleartext / password-encrypted)" \
                    if a in ("plain", "secure") else ""
                self.bad(f"{where}/authentication: {a!r} is not in Thunderbird's list{hint}")
        tb = AUTH_TB_IN if incoming else AUTH_TB_OUT
        accepted = [a for a in auths if a in tb]
        if auths and not accepted:
            self.bad(f"{where}: no authentication Thunderbird accepts for an "
                     f"{'incoming' if incoming else 'outgoing'} server ({', '.join(sorted(tb))}); "
                     f"it drops this entry")
            ok = False
        elif accepted and all(a == "OAuth2" for a in accepted):
            self.bad(f"{where}: OAuth2 is the only authentication; Thunderbird drops the entry "
                     f"unless the host is in its built-in OAuth2 provider list")
            ok = False
        if incoming and "smtp-after-pop" in auths:
            self.bad(f"{where}: smtp-after-pop makes no sense on an incoming server")
        user = self.one(srv, "username", where,
                        required=incoming or any(a.startswith("password-") for a in accepted[:1]))
        if user is not None:
            self.username(user, f"{where}/username")
        return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file")
    ap.add_argument("--expect-servers", type=int, metavar="N")
    ap.add_argument("--expect-string", action="append", default=[], metavar="TEXT")
    ap.add_argument("--require-schema", action="store_true")
    a = ap.parse_args()
    f = a.file

    if not shutil.which("xmllint"):
        print(f"{f}: cannot check: xmllint not found", file=sys.stderr)
        return 77
    rng = os.path.join(shared_dir(), "schemas", "autoconfig", "autoconfig.rng")
    if not os.path.isfile(rng):
        if a.require_schema:
            print(f"{f}: cannot check: {rng} missing", file=sys.stderr)
            return 77
        print(f"{f}: note: {rng} missing, draft schema check skipped", file=sys.stderr)
        rng = None
    if not os.path.isfile(f):
        print(f"{f}: no such file")
        return 1

    r = subprocess.run(["xmllint", "--noout", f], capture_output=True, text=True)
    if r.returncode != 0:
        for line in r.stderr.strip().splitlines()[:6]:
            print(f"{f}: not well-formed: {line}")
        return 1
    c = Check(f)
    if rng:
        r = subprocess.run(["xmllint", "--noout", "--relaxng", rng, f], capture_output=True, text=True)
        msgs = [l for l in r.stderr.strip().splitlines() if not l.endswith(" validates")]
        if r.returncode != 0:
            if rng_describes_clientconfig(rng):
                for line in msgs:
                    c.bad(f"draft schema: {line}")
            else:
                print(f"{f}: note: {rng} does not describe Thunderbird's clientConfig format; "
                      f"its verdict is advisory only: {' | '.join(msgs[:3])}", file=sys.stderr)

    try:
        root = ET.parse(f).getroot()
    except ET.ParseError as e:
        print(f"{f}: not well-formed XML: {e}")
        return 1
    if root.tag != "clientConfig":
        c.bad(f"root element is <{root.tag}>, expected <clientConfig> (no namespace)")
    else:
        v = root.get("version")
        if v != "1.1":
            c.bad(f"clientConfig version={v!r}, expected '1.1'")
    providers = root.findall("emailProvider")
    if len(providers) != 1:
        c.bad(f"{len(providers)} <emailProvider> elements; Thunderbird reads exactly one")
    total = kept = 0
    n_in = n_out = 0
    for prov in providers[:1]:
        pid = prov.get("id") or ""
        if not legal_host(pid):
            c.bad(f"emailProvider id={pid!r} is not a host name (Thunderbird rejects the file)")
        for child in prov:
            if child.tag not in PROVIDER_CHILDREN:
                c.bad(f"emailProvider: unknown element <{child.tag}>")
        domains = prov.findall("domain")
        if not domains:
            c.bad("emailProvider: no <domain> (Thunderbird rejects the file)")
        for d in domains:
            t = c.text(d, "domain")
            if not legal_host(t):
                c.bad(f"domain {t!r} is not a host name")
        dn = prov.findall("displayName")
        if not dn or not (dn[0].text or "").strip():
            c.bad("emailProvider: missing or empty <displayName>")
        for i, srv in enumerate(prov.findall("incomingServer")):
            total += 1
            if c.server(srv, i, True):
                kept += 1
                n_in += 1
        for i, srv in enumerate(prov.findall("outgoingServer")):
            total += 1
            if c.server(srv, i, False):
                kept += 1
                n_out += 1
        if not n_in:
            c.bad("no usable incomingServer (Thunderbird rejects the file)")
        if not n_out:
            c.bad("no usable outgoingServer (Thunderbird rejects the file)")
        for i, doc in enumerate(prov.findall("documentation")):
            url = doc.get("url")
            if not url or not re.match(r"^https?://[^\s/]+", url):
                c.bad(f"documentation[{i}]: url={url!r} is not an http(s) URL")
            descrs = doc.findall("descr")
            if not descrs:
                c.bad(f"documentation[{i}]: no <descr>")
            for j, de in enumerate(descrs):
                if not (de.get("lang") or "").strip():
                    c.bad(f"documentation[{i}]/descr[{j}]: missing lang attribute")
                if not (de.text or "").strip():
                    c.bad(f"documentation[{i}]/descr[{j}]: empty")
    if a.expect_servers is not None and total != a.expect_servers:
        c.bad(f"{total} server entries, expected {a.expect_servers}")
    if kept != total:
        c.bad(f"Thunderbird would keep {kept} of {total} server entries")
    values = set()
    for el in root.iter():
        values.add(el.text or "")
        values.update(el.attrib.values())
    for t in a.expect_string:
        if t not in values:
            c.bad(f"no element text or attribute equals {t!r}")
    for p in c.problems:
        print(p)
    return 1 if c.problems else 0


if __name__ == "__main__":
    sys.exit(main())
