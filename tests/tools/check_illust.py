#!/usr/bin/env python3
"""check_illust.py CONTENT OUTPUT: checks the drawn dialogs of a built site
(OUTPUT/illustrations/<product>/<locale>/<client>-<dialog>.svg) without
mailguide's code: each file is parsed by Python's xml.etree, must be an SVG
that scales (viewBox) with real, selectable text (<text>, no pictures or
scripts), a title, a description and a dark variant in its style; and the
text it shows must be accounted for by CONTENT/servers.yaml and
CONTENT/strings/<locale>.yaml (read with PyYAML): the servers' values where
each dialog shows them, labels from the strings, a few brand names.
Prints one problem per line; exit status 1 when there was one."""
import os
import re
import sys
import xml.etree.ElementTree as ET

import yaml

SVG = "{http://www.w3.org/2000/svg}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Names of services that the clients list as they are, in every language.
BRANDS = {"iCloud", "Microsoft Exchange", "Google", "Yahoo!", "AOL.", "AOL", "Outlook.com",
          "Exchange", "Microsoft 365", "Outlook", "IMAP", "POP", "9:41", "\u2022" * 8}
ALLOWED = {"svg", "title", "desc", "style", "rect", "circle", "path", "line", "text"}

# What each dialog must show of the table: (server, field) pairs, where the
# server is "in" (the preferred incoming one), "imap" (the first IMAP one, for
# Windows 8 Mail, which has no POP) or "out" (the preferred outgoing one).
EXPECT = {
    "windows-mail-incoming": [("imap", "host"), ("imap", "port"), ("imap", "login")],
    "windows-mail-outgoing": [("out", "host"), ("out", "port")],
    "thunderbird-incoming": [("in", "host"), ("in", "port"), ("in", "security"), ("in", "auth"),
                             ("in", "protocol"), ("in", "login")],
    "thunderbird-outgoing": [("out", "host"), ("out", "port"), ("out", "security"),
                             ("out", "auth"), ("out", "login")],
    "apple-ios-incoming": [("in", "host"), ("in", "login"), ("in", "protocol")],
    "apple-ios-outgoing": [("out", "host"), ("out", "login")],
    "apple-ios-advanced": [("in", "port"), ("in", "auth")],
    "apple-ios-smtp": [("out", "host"), ("out", "port"), ("out", "auth")],
    "apple-mac-servers": [("in", "host"), ("out", "host"), ("in", "protocol")],
    "apple-mac-incoming": [("in", "host"), ("in", "port"), ("in", "auth")],
    "apple-mac-outgoing": [("out", "host"), ("out", "port"), ("out", "auth")],
    "outlook-incoming": [("in", "host"), ("in", "port"), ("in", "security")],
    "outlook-outgoing": [("out", "host"), ("out", "port"), ("out", "security")],
}


def texts(root):
    return ["".join(t.itertext()) for t in root.iter(SVG + "text")]


def server_value(server, field, strings, email):
    if field == "host":
        return server["host"]
    if field == "port":
        return str(server["port"])
    if field == "security":
        return strings["security_" + server.get("security", "ssl")]
    if field == "auth":
        return strings["auth_" + server.get("auth", "password").replace("-", "_")]
    if field == "protocol":
        return "POP" if server["protocol"] == "pop3" else "IMAP"
    if field == "login":
        return email.split("@")[0] if server.get("login") == "localpart" else email
    raise KeyError(field)


def check_file(path, product, provider, locale, strings, problems):
    name = os.path.basename(path)[:-4]
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        problems.append(f"{path}: not well-formed: {e}")
        return
    where = f"{path}"
    if root.tag != SVG + "svg":
        problems.append(f"{where}: root is {root.tag}, not svg")
    if not re.fullmatch(r"0 0 \d+ \d+", root.get("viewBox", "")):
        problems.append(f"{where}: no viewBox (it would not scale)")
    if (root.get(XML_LANG) or "").lower() != locale:
        problems.append(f"{where}: xml:lang {root.get(XML_LANG)}, not {locale}")
    for el in root.iter():
        tag = el.tag.replace(SVG, "")
        if tag not in ALLOWED:
            problems.append(f"{where}: element {tag} (only drawn shapes and text)")
        if any("href" in a for a in el.attrib):
            problems.append(f"{where}: {tag} links elsewhere")
    title = root.find(SVG + "title")
    desc = root.find(SVG + "desc")
    if title is None or not (title.text or "").strip() or desc is None or not (desc.text or "").strip():
        problems.append(f"{where}: no title or description")
    style = "".join(s.text or "" for s in root.iter(SVG + "style"))
    if "prefers-color-scheme: dark" not in style:
        problems.append(f"{where}: no dark variant in its style")
    shown = texts(root)
    if len(shown) < 3:
        problems.append(f"{where}: {len(shown)} texts: the words must be text, not outlines")

    email = strings["ill_example_address"]
    incoming, outgoing = product["incoming"], product["outgoing"]
    servers = {"in": incoming[0], "out": outgoing[0],
               "imap": next((s for s in incoming if s["protocol"] == "imap"), incoming[0])}
    client = next(c for c in ("windows-mail", "thunderbird", "apple-ios", "apple-mac", "outlook")
                  if name.startswith(c + "-"))
    expected = set()
    for which, field in EXPECT.get(name, []):
        value = server_value(servers[which], field, strings, email)
        expected.add(value)
        if value not in shown:
            problems.append(f"{where}: shows no {field} {value!r} of its {which} server "
                            f"(shows {shown})")
        if field in ("host", "port") and value not in (desc.text or ""):
            problems.append(f"{where}: its description does not say {value!r}")
    # Every text is a label of the strings file, a value of the table or an
    # example: nothing else (no stale host, no made-up port).
    used = servers["imap"] if client == "windows-mail" else servers["in"]
    allowed = set(BRANDS) | set(strings.values()) | expected
    allowed |= {server_value(s, f, strings, email) for s in (used, servers["out"])
                for f in ("host", "port", "security", "auth", "protocol", "login")}
    allowed |= {email, strings["ill_example_name"],
                f"{provider.get('names', {}).get(locale, provider['name'])} "
                f"{product.get('names', {}).get(locale, product['name'])}"}
    for t in shown:
        if t not in allowed:
            problems.append(f"{where}: text {t!r} is neither a label of strings/{locale}.yaml "
                            f"nor a value of servers.yaml")


def main():
    content, output = sys.argv[1], sys.argv[2]
    table = yaml.safe_load(open(os.path.join(content, "servers.yaml"), encoding="utf-8"))
    site = yaml.safe_load(open(os.path.join(content, "site.yaml"), encoding="utf-8"))
    problems, n = [], 0
    for provider in table["providers"]:
        for product in provider["products"]:
            for locale in site["locales"]:
                strings = yaml.safe_load(open(os.path.join(content, "strings", f"{locale}.yaml"),
                                              encoding="utf-8"))
                folder = os.path.join(output, "illustrations", product["id"], locale)
                files = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
                if not any(f.startswith(c) for c in ("windows-mail-", "thunderbird-", "apple-ios-",
                                                      "apple-mac-", "outlook-") for f in files):
                    problems.append(f"{folder}: missing or without a client's dialogs")
                for name in EXPECT:
                    if f"{name}.svg" not in files:
                        problems.append(f"{folder}: no {name}.svg")
                for f in files:
                    check_file(os.path.join(folder, f), product, provider, locale, strings,
                               problems)
                    n += 1
    for p in problems:
        print(p)
    print(f"{n} drawn dialogs checked, {len(problems)} problems")
    return 1 if problems or n == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
