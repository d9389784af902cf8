#!/usr/bin/env python3
"""autodiscover_consistency.py: the value checks of check_autodiscover.sh that a
RELAX NG schema cannot express, on an Outlook POX Autodiscover response.

usage: autodiscover_consistency.py FILE [--expect-string TEXT]...

Checks, per Protocol:
  - Encryption SSL or TLS needs SSL=on; Encryption None needs SSL=off;
    SSL=on without Encryption is ambiguous (Outlook reads it as implicit SSL
    for IMAP/POP3 and guesses for SMTP), so STARTTLS must be written
    SSL=on + Encryption=TLS and implicit TLS SSL=on + Encryption=SSL.
  - well-known ports agree with the mode: 993/995/465 are implicit TLS
    (Encryption=SSL), 143/110/587/25 are plain or STARTTLS (never SSL).
  - UsePOPAuth and SMTPLast appear only on SMTP; a Type appears once.
  - no value has surrounding white space.
and per Account: at least one incoming (IMAP or POP3) and one SMTP Protocol.
Problems print as `FILE: problem`; exit 0 valid, 1 invalid.
"""

import argparse
import sys
import xml.etree.ElementTree as ET

NS_A = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"
NS_R = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"
IMPLICIT = {993, 995, 465}
NOT_IMPLICIT = {143, 110, 587, 25}


def q(name):
    return f"{{{NS_R}}}{name}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--expect-string", action="append", default=[])
    a = ap.parse_args()
    f = a.file
    problems = []

    def bad(msg):
        problems.append(f"{f}: {msg}")

    raw = open(f, "rb").read()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as e:
        bad(f"not UTF-8 (Autodiscover responses must be UTF-8): {e}")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as e:
        print(f"{f}: not well-formed XML: {e}")
        return 1
    if root.tag != f"{{{NS_A}}}Autodiscover":
        bad(f"root element is {root.tag}, expected {{{NS_A}}}Autodiscover")
        for p in problems:
            print(p)
        return 1

    accounts = root.findall(f"{q('Response')}/{q('Account')}")
    if not accounts:
        bad("no Response/Account element")
    for ai, acc in enumerate(accounts):
        types = []
        for pi, pr in enumerate(acc.findall(q("Protocol"))):
            vals = {}
            for child in pr:
                name = child.tag.split("}")[-1]
                text = child.text or ""
                if text != text.strip():
                    bad(f"Account[{ai}]/Protocol[{pi}]/{name}: value {text!r} has surrounding white space")
                vals[name] = text.strip()
            t = vals.get("Type", "?")
            where = f"Account[{ai}]/Protocol[{pi}] ({t})"
            if t in types:
                bad(f"{where}: a second Protocol of Type {t}; Outlook uses only one")
            types.append(t)
            ssl, enc = vals.get("SSL"), vals.get("Encryption")
            if enc in ("SSL", "TLS") and ssl != "on":
                bad(f"{where}: Encryption={enc} needs SSL=on, found SSL={ssl}")
            if enc == "None" and ssl != "off":
                bad(f"{where}: Encryption=None contradicts SSL={ssl}")
            if ssl == "on" and enc is None:
                bad(f"{where}: SSL=on without Encryption is ambiguous; write Encryption=SSL "
                    f"(implicit TLS) or Encryption=TLS (STARTTLS)")
            mode = enc if enc else ("None" if ssl == "off" else None)
            port = vals.get("Port", "")
            if port.isdigit():
                p = int(port)
                if p in IMPLICIT and mode != "SSL" and mode != "Auto":
                    bad(f"{where}: port {p} is implicit TLS but the mode is {mode} (needs SSL=on, Encryption=SSL)")
                if p in NOT_IMPLICIT and mode == "SSL":
                    bad(f"{where}: port {p} is plain/STARTTLS but Encryption=SSL (implicit TLS); "
                        f"STARTTLS is SSL=on + Encryption=TLS")
            if t != "SMTP":
                for k in ("UsePOPAuth", "SMTPLast"):
                    if k in vals:
                        bad(f"{where}: {k} applies only to SMTP")
            if "LoginName" in vals and not vals["LoginName"]:
                bad(f"{where}: empty LoginName")
        if not any(t in ("IMAP", "POP3") for t in types):
            bad(f"Account[{ai}]: no incoming (IMAP or POP3) Protocol")
        if "SMTP" not in types:
            bad(f"Account[{ai}]: no SMTP Protocol")

    texts = {(e.text or "") for e in root.iter()}
    for t in a.expect_string:
        if t not in texts:
            bad(f"no element text equals {t!r}")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
