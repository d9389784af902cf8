#!/usr/bin/env python3
"""check_mobileconfig.py: validate an Apple configuration profile (.mobileconfig)
against Apple's device-management payload key schemas (YAML, from the public
apple/device-management repository, in $SHARED/schemas/apple/).

Independent of mailguide: parses with plistlib, reads the schemas with PyYAML.

usage: check_mobileconfig.py FILE [--signed CAFILE] [--expect-no-email]
                             [--expect-email ADDR] [--expect-payloads N]
                             [--expect-string TEXT] [--schemas DIR]

  --signed CAFILE     FILE is CMS/DER signed: verify it with
                      `openssl cms -verify -inform DER -CAfile CAFILE` first
                      (failure to verify is a problem), then check the content.
  --expect-no-email   no mail payload has EmailAddress, IncomingMailServerUsername
                      or OutgoingMailServerUsername (a generic profile).
  --expect-email ADDR every mail payload has those three keys, equal to ADDR.
  --expect-payloads N exactly N items in PayloadContent.
  --expect-string T   some string value anywhere in the profile equals T
                      (checks that escaping round-trips).
  --schemas DIR       schema directory (default $SHARED/schemas/apple, SHARED
                      defaulting to ../shared relative to the repository root).

Problems print as `FILE: problem`. Exit 0 valid, 1 invalid, 2 usage,
77 when a required input (schemas, CA file, openssl) is missing.
"""

import argparse
import datetime
import os
import plistlib
import re
import subprocess
import sys

try:
    import yaml
except ImportError:  # pragma: no cover
    print("check_mobileconfig: PyYAML is not installed", file=sys.stderr)
    sys.exit(77)

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
UUID_RE = re.compile(r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$")
MAIL_TYPE = "com.apple.mail.managed"
IDENTITY_KEYS = ("EmailAddress", "IncomingMailServerUsername", "OutgoingMailServerUsername")
IMPLICIT_TLS_PORTS = {993, 995, 465}


def shared_dir():
    return os.environ.get("SHARED") or os.path.join(os.path.dirname(REPO), "shared")


def type_name(v):
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "real"
    if isinstance(v, str):
        return "string"
    if isinstance(v, bytes):
        return "data"
    if isinstance(v, datetime.datetime):
        return "date"
    if isinstance(v, list):
        return "array"
    if isinstance(v, dict):
        return "dictionary"
    return type(v).__name__


def type_ok(schema_type, v):
    """schema_type is the YAML's `type`, e.g. '<string>'. bool is not an int."""
    t = schema_type.strip("<>")
    if t == "any":
        return True
    if t == "integer":
        return isinstance(v, int) and not isinstance(v, bool)
    if t == "real":  # a plist <integer> is also a number; Apple's parser takes NSNumber
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    if t == "boolean":
        return isinstance(v, bool)
    if t == "string":
        return isinstance(v, str)
    if t == "data":
        return isinstance(v, bytes)
    if t == "date":
        return isinstance(v, datetime.datetime)
    if t == "array":
        return isinstance(v, list)
    if t == "dictionary":
        return isinstance(v, dict)
    return False


class Checker:
    def __init__(self, fname, schemas):
        self.fname = fname
        self.schemas = schemas  # payloadtype -> payload schema dict
        self.problems = []

    def bad(self, where, msg):
        self.problems.append(f"{self.fname}: {where + ': ' if where else ''}{msg}")

    # --- generic key-by-key check against a list of key specs ---------------
    def check_dict(self, d, specs, where):
        named = {s["key"]: s for s in specs if s.get("key") != "ANY"}
        any_spec = next((s for s in specs if s.get("key") == "ANY"), None)
        for s in named.values():
            if s.get("presence") == "required" and s["key"] not in d:
                self.bad(where, f"required key {s['key']} is missing")
        if any_spec and any_spec.get("presence") == "required" and not d:
            self.bad(where, "dictionary must not be empty")
        for k, v in d.items():
            spec = named.get(k, any_spec)
            sub = f"{where}.{k}" if where else k
            if not isinstance(k, str):
                self.bad(where, f"key {k!r} is not a string")
                continue
            if spec is None:
                self.bad(sub, "unknown key (not in Apple's schema for this payload)")
                continue
            self.check_value(v, spec, sub)

    def check_value(self, v, spec, where):
        st = spec.get("type", "<any>")
        if not type_ok(st, v):
            self.bad(where, f"expected {st.strip('<>')}, got {type_name(v)} {v!r:.60}")
            return
        if "rangelist" in spec:
            allowed = spec["rangelist"]
            # bool is not int: True must not match a rangelist of [1]
            if not any(type(v) is type(a) and v == a for a in allowed):
                self.bad(where, f"value {v!r} not allowed; allowed: {', '.join(map(str, allowed))}")
        rng = spec.get("range")
        if isinstance(rng, dict) and isinstance(v, (int, float)):
            if "min" in rng and v < rng["min"]:
                self.bad(where, f"value {v} below minimum {rng['min']}")
            if "max" in rng and v > rng["max"]:
                self.bad(where, f"value {v} above maximum {rng['max']}")
        if "format" in spec and isinstance(v, str):
            if not re.search(spec["format"], v):
                self.bad(where, f"value {v!r} does not match format {spec['format']}")
        subkeys = spec.get("subkeys")
        if isinstance(v, list):
            rep = spec.get("repetition") or {}
            if "min" in rep and len(v) < rep["min"]:
                self.bad(where, f"array needs at least {rep['min']} items")
            if "max" in rep and len(v) > rep["max"]:
                self.bad(where, f"array allows at most {rep['max']} items")
            if subkeys:
                for i, item in enumerate(v):
                    self.check_value(item, subkeys[0], f"{where}[{i}]")
        elif isinstance(v, dict) and subkeys:
            # A dictionary of free-form keys is written as one "...Item"
            # dictionary entry whose subkeys describe the real content
            # (TopLevel ConsentText: {"en": "...", "default": "..."}).
            if (len(subkeys) == 1 and str(subkeys[0].get("key", "")).endswith("Item")
                    and subkeys[0].get("type") == "<dictionary>" and subkeys[0].get("subkeys")):
                subkeys = subkeys[0]["subkeys"]
            self.check_dict(v, subkeys, where)

    # --- the profile ---------------------------------------------------------
    def check_profile(self, top, common, toplevel):
        if not isinstance(top, dict):
            self.bad("", f"top level is a {type_name(top)}, expected dictionary")
            return
        specs = [dict(s) for s in toplevel["payloadkeys"]]
        encrypted = top.get("IsEncrypted") is True
        for s in specs:
            if s["key"] == "PayloadContent":
                # items are checked against their own payload schema below
                s.pop("subkeys", None)
                if encrypted:
                    s["presence"] = "optional"
        self.check_dict(top, specs, "")
        uuids, idents = {}, {}
        self.note_ids(top, "top level", uuids, idents)
        content = top.get("PayloadContent")
        if not isinstance(content, list):
            return
        if not content and not encrypted:
            self.bad("PayloadContent", "empty: the profile installs nothing")
        for i, item in enumerate(content):
            where = f"PayloadContent[{i}]"
            if not isinstance(item, dict):
                self.bad(where, f"expected dictionary, got {type_name(item)}")
                continue
            ptype = item.get("PayloadType")
            schema = self.schemas.get(ptype) if isinstance(ptype, str) else None
            if schema is None:
                self.bad(where, f"PayloadType {ptype!r}: no Apple schema for this payload type "
                         f"(known: {', '.join(sorted(self.schemas))})")
                self.check_dict(item, common["payloadkeys"] + [{"key": "ANY", "type": "<any>"}], where)
            else:
                where = f"{where} ({ptype})"
                self.check_dict(item, common["payloadkeys"] + schema["payloadkeys"], where)
                if ptype == MAIL_TYPE:
                    self.check_mail(item, where)
            self.note_ids(item, where, uuids, idents)

    def note_ids(self, d, where, uuids, idents):
        u = d.get("PayloadUUID")
        if isinstance(u, str):
            if not UUID_RE.match(u):
                self.bad(where, f"PayloadUUID {u!r} is not a canonical UUID (8-4-4-4-12 hex digits)")
            key = u.upper()
            if key in uuids:
                self.bad(where, f"PayloadUUID {u} already used by {uuids[key]}")
            else:
                uuids[key] = where
        i = d.get("PayloadIdentifier")
        if isinstance(i, str):
            if not i.strip():
                self.bad(where, "PayloadIdentifier is empty")
            if i in idents:
                self.bad(where, f"PayloadIdentifier {i!r} already used by {idents[i]}")
            else:
                idents[i] = where

    def check_mail(self, item, where):
        """Sanity beyond the schema: hosts non-empty, ports in range, and a
        port that only speaks implicit TLS is not configured without SSL."""
        for side in ("Incoming", "Outgoing"):
            host = item.get(f"{side}MailServerHostName")
            if isinstance(host, str) and (not host.strip() or host != host.strip() or " " in host):
                self.bad(where, f"{side}MailServerHostName {host!r} is not a host name")
            port = item.get(f"{side}MailServerPortNumber")
            if isinstance(port, int) and not isinstance(port, bool):
                if not 1 <= port <= 65535:
                    self.bad(where, f"{side}MailServerPortNumber {port} outside 1..65535")
                elif port in IMPLICIT_TLS_PORTS and item.get(f"{side}MailServerUseSSL") is not True:
                    self.bad(where, f"{side}MailServerPortNumber {port} is an implicit-TLS port "
                             f"but {side}MailServerUseSSL is not true")


def load_schemas(d):
    need = ["TopLevel.yaml", "CommonPayloadKeys.yaml", f"{MAIL_TYPE}.yaml"]
    missing = [n for n in need if not os.path.isfile(os.path.join(d, n))]
    if missing:
        return None, f"schema files missing in {d}: {', '.join(missing)}"
    payloads = {}
    toplevel = common = None
    for n in sorted(os.listdir(d)):
        if not n.endswith(".yaml"):
            continue
        with open(os.path.join(d, n), encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        ptype = doc.get("payload", {}).get("payloadtype")
        if ptype == "TopLevel":
            toplevel = doc
        elif ptype == "CommonPayloadKeys":
            common = doc
        elif ptype:
            payloads[ptype] = doc
    return (toplevel, common, payloads), None


def all_strings(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, dict):
        for k, x in v.items():
            yield k
            yield from all_strings(x)
    elif isinstance(v, list):
        for x in v:
            yield from all_strings(x)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file")
    ap.add_argument("--signed", metavar="CAFILE")
    ap.add_argument("--expect-no-email", action="store_true")
    ap.add_argument("--expect-email", metavar="ADDR")
    ap.add_argument("--expect-payloads", type=int, metavar="N")
    ap.add_argument("--expect-string", action="append", default=[], metavar="TEXT")
    ap.add_argument("--schemas", metavar="DIR")
    a = ap.parse_args()
    fname = a.file

    sdir = a.schemas or os.path.join(shared_dir(), "schemas", "apple")
    loaded, err = load_schemas(sdir)
    if loaded is None:
        print(f"{fname}: cannot check: {err}", file=sys.stderr)
        return 77
    toplevel, common, payloads = loaded

    if not os.path.isfile(fname):
        print(f"{fname}: no such file")
        return 1
    with open(fname, "rb") as f:
        raw = f.read()

    if a.signed:
        if not os.path.isfile(a.signed):
            print(f"{fname}: cannot check: CA file {a.signed} missing", file=sys.stderr)
            return 77
        try:
            r = subprocess.run(["openssl", "cms", "-verify", "-inform", "DER", "-in", fname,
                                "-CAfile", a.signed], capture_output=True)
        except FileNotFoundError:
            print(f"{fname}: cannot check: openssl not found", file=sys.stderr)
            return 77
        if r.returncode != 0:
            why = r.stderr.decode("utf-8", "replace").strip().splitlines()
            print(f"{fname}: CMS signature does not verify against {a.signed}: "
                  f"{' | '.join(why[:3]) or 'openssl cms -verify failed'}")
            return 1
        raw = r.stdout
    elif raw[:1] == b"\x30":  # DER SEQUENCE: no XML or bplist starts so
        print(f"{fname}: looks like a signed (DER) profile; pass --signed CAFILE")
        return 1

    try:
        top = plistlib.loads(raw)
    except Exception as e:  # plistlib raises several exception types
        print(f"{fname}: not a parsable property list: {type(e).__name__}: {e}")
        return 1

    c = Checker(fname, payloads)
    c.check_profile(top, common, toplevel)

    mails = [p for p in (top.get("PayloadContent") or []) if isinstance(p, dict)
             and p.get("PayloadType") == MAIL_TYPE] if isinstance(top, dict) else []
    if a.expect_no_email:
        for i, p in enumerate(mails):
            for k in IDENTITY_KEYS:
                if k in p:
                    c.bad(f"mail payload {i}", f"{k} present ({p[k]!r}) but a generic profile must leave it out")
    if a.expect_email is not None:
        if not mails:
            c.bad("", "no com.apple.mail.managed payload")
        for i, p in enumerate(mails):
            for k in IDENTITY_KEYS:
                if k not in p:
                    c.bad(f"mail payload {i}", f"{k} missing (expected {a.expect_email!r})")
                elif p[k] != a.expect_email:
                    c.bad(f"mail payload {i}", f"{k} is {p[k]!r}, expected {a.expect_email!r}")
    if a.expect_payloads is not None and isinstance(top, dict):
        n = len(top.get("PayloadContent") or [])
        if n != a.expect_payloads:
            c.bad("PayloadContent", f"{n} payloads, expected {a.expect_payloads}")
    strings = set(all_strings(top))
    for t in a.expect_string:
        if t not in strings:
            c.bad("", f"no string value equals {t!r}")

    for p in c.problems:
        print(p)
    return 1 if c.problems else 0


if __name__ == "__main__":
    sys.exit(main())
