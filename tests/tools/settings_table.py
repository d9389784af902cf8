#!/usr/bin/env python3
"""settings_table.py SERVERS_YAML PAGE_HTML [PRODUCT_ID]: checks a generated
settings page against the server table, read independently with PyYAML and
html.parser. With PRODUCT_ID, the page shows that product alone.

Every server of every product must appear as a table row, in the table's
order, with its host and port; every table needs a caption and column headers."""
import sys
from html.parser import HTMLParser

import yaml


class Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables, self.cell, self.row = [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.tables.append({"caption": "", "rows": [], "col_headers": 0})
        elif tag == "tr" and self.tables:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ""
            if tag == "th" and a.get("scope") == "col":
                self.tables[-1]["col_headers"] += 1
        elif tag == "caption":
            self.cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(self.cell.strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.tables[-1]["rows"].append(self.row)
            self.row = None
        elif tag == "caption" and self.cell is not None:
            self.tables[-1]["caption"] = self.cell.strip()
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def main():
    table = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
    parser = Tables()
    parser.feed(open(sys.argv[2], encoding="utf-8").read())
    products = [p for prov in table["providers"] for p in prov["products"]]
    if len(sys.argv) > 3:
        products = [p for p in products if p["id"] == sys.argv[3]]
    problems = []
    if len(parser.tables) != len(products):
        problems.append(f"{len(parser.tables)} tables for {len(products)} products")
    for product, t in zip(products, parser.tables):
        servers = product["incoming"] + product["outgoing"]
        body = [r for r in t["rows"] if len(r) == 7 and r[3].isdigit()]
        if not t["caption"] or t["col_headers"] != 7:
            problems.append(f"{product['id']}: table lacks a caption or column headers")
        if len(body) != len(servers):
            problems.append(f"{product['id']}: {len(body)} rows for {len(servers)} servers")
        for s, r in zip(servers, body):
            if r[2] != s["host"] or int(r[3]) != s["port"] or r[1].lower() != s["protocol"]:
                problems.append(f"{product['id']}: row {r} does not match {s}")
    for p in problems:
        print(f"{sys.argv[2]}: {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
