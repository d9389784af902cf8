#!/usr/bin/env python3
"""check_zips.py OUTPUT_DIR EPOCH: checks every zip under OUTPUT_DIR/downloads
with Python's zipfile, independently of the generator.

- the archive tests clean (CRCs) and has no absolute names, no '..', no
  backslashes, no duplicates; entries are sorted and are regular files 0644;
- every entry carries the DOS time of EPOCH (UTC);
- site.zip holds every file of the web root but itself, byte for byte;
- a kit <product>-<locale>.zip holds exactly the files of
  profiles/<product>/<locale>/ under the folder <product>-<locale>/;
- files compressed already (images, archives) are stored, the rest deflated;
- XML and plist members parse."""
import os
import plistlib
import stat
import sys
import time
import zipfile
import xml.etree.ElementTree as ET

STORED = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".zip", ".gz", ".woff", ".woff2")


def tree(root):
    out = {}
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            out[os.path.relpath(p, root)] = open(p, "rb").read()
    return out


def check(path, expected, epoch, problems):
    with zipfile.ZipFile(path) as z:
        bad = z.testzip()
        if bad:
            problems.append(f"{path}: bad CRC in {bad}")
        names = z.namelist()
        if names != sorted(names):
            problems.append(f"{path}: entries are not sorted")
        if len(set(names)) != len(names):
            problems.append(f"{path}: duplicate entries")
        want_time = time.gmtime(max(epoch, 315532800))[:6]
        want_time = want_time[:5] + (want_time[5] // 2 * 2,)
        for info in z.infolist():
            n = info.filename
            if n.startswith("/") or "\\" in n or ".." in n.split("/"):
                problems.append(f"{path}: unsafe name {n!r}")
            mode = info.external_attr >> 16
            if not stat.S_ISREG(mode) or stat.S_IMODE(mode) != 0o644:
                problems.append(f"{path}: {n} has mode {oct(mode)}")
            want_method = zipfile.ZIP_STORED if n.lower().endswith(STORED) else zipfile.ZIP_DEFLATED
            if info.compress_type != want_method:
                problems.append(f"{path}: {n} has compression method {info.compress_type}, not {want_method}")
            if info.date_time != want_time:
                problems.append(f"{path}: {n} dated {info.date_time}, not {want_time}")
            data = z.read(n)
            if n in expected and expected[n] != data:
                problems.append(f"{path}: {n} differs from the published file")
            if n.endswith(".xml"):
                try:
                    ET.fromstring(data)
                except ET.ParseError as e:
                    problems.append(f"{path}: {n} is not well-formed XML: {e}")
            if n.endswith(".mobileconfig") and data[:1] == b"<":
                try:
                    plistlib.loads(data)
                except Exception as e:  # noqa: BLE001 - report any parse failure
                    problems.append(f"{path}: {n} is not a plist: {e}")
        if set(names) != set(expected):
            problems.append(f"{path}: entries {sorted(set(names) ^ set(expected))} differ from the expected set")


def main():
    root, epoch = sys.argv[1], int(sys.argv[2])
    files = tree(root)
    problems = []
    zips = sorted(p for p in files if p.startswith("downloads/") and p.endswith(".zip"))
    if "downloads/site.zip" not in zips:
        problems.append("no downloads/site.zip")
    for z in zips:
        if z == "downloads/site.zip":
            expected = {p: d for p, d in files.items() if p != z}
        else:
            kit = z[len("downloads/"):-len(".zip")]
            product, locale = kit.split("-", 1)
            prefix = f"profiles/{product}/{locale}/"
            expected = {kit + "/" + p[len(prefix):]: d for p, d in files.items() if p.startswith(prefix)}
            if not expected:
                problems.append(f"{z}: no profiles/{product}/{locale}/ folder to compare with")
        check(os.path.join(root, z), expected, epoch, problems)
    for p in problems:
        print(p)
    print(f"checked {len(zips)} zips")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
