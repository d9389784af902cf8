#!/usr/bin/env python3
"""seed_whole.py GUIDE_MD PAGE_HTML: checks that a guide page renders every
part of its Markdown source: each heading as a heading, each line of prose
as text, each image as an <img>, each pipe-table row as a table row, each
list item as a list item. Reads the source line by line, independently of
mailguide's parser (so it stays a check, not a copy)."""
import re
import sys
from html.parser import HTMLParser


class Body(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inside = 0
        self.text = []
        self.headings, self.images, self.rows, self.items = [], [], [], 0
        self.cur_heading = None
        self.row = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "div" and a.get("class") == "guide-body":
            self.inside = 1
            return
        if not self.inside:
            return
        if tag == "div":
            self.inside += 1
        if tag in ("h2", "h3", "h4"):
            self.cur_heading = ""
        elif tag == "img":
            self.images.append(a.get("src", ""))
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.row.append("")
        elif tag == "li":
            self.items += 1

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "div":
            self.inside -= 1
        elif tag in ("h2", "h3", "h4") and self.cur_heading is not None:
            self.headings.append(" ".join(self.cur_heading.split()))
            self.cur_heading = None
        elif tag == "tr" and self.row is not None:
            self.rows.append(self.row)
            self.row = None

    def handle_data(self, data):
        if not self.inside:
            return
        self.text.append(data)
        if self.cur_heading is not None:
            self.cur_heading += data
        if self.row:
            self.row[-1] += data.strip()


def plain(line):
    line = re.sub(r"!\[[^\]]*\]\([^)]*\)(\{[^}]*\})?", "", line)
    line = re.sub(r"\[([^\]]*)\]\([^)]*\)(\{[^}]*\})?", r"\1", line)
    # BBCode an older editor left: a [url] shows its text, colour tags go.
    line = re.sub(r"\[url=[^\]]*\](.*?)\[/url\]", r"\1", line, flags=re.I)
    line = re.sub(r"\[?/?(?:b|i|u|red|green|blue|orange|black|white|grey|gray|yellow|purple)\]", "", line,
                  flags=re.I)
    return " ".join(line.replace("**", "").split())


def main():
    src = open(sys.argv[1], encoding="utf-8").read().split("\n")
    body = Body()
    body.feed(open(sys.argv[2], encoding="utf-8").read())
    text = " ".join("".join(body.text).split())
    problems = []
    # Skip the front matter.
    if src and src[0].strip() == "---":
        end = src.index("---", 1) if "---" in src[1:] else 0
        src = src[end + 1:]
    items = 0
    for line in src:
        s = line.strip()
        if not s:
            continue
        if s.startswith("#"):
            h = plain(s.lstrip("#").strip())
            if h not in body.headings:
                problems.append(f"heading not rendered: {h}")
            continue
        for img in re.findall(r"!\[[^\]]*\]\(([^)\s]*)\)", s):
            if not any(i.endswith(img) for i in body.images):
                problems.append(f"image not rendered: {img}")
        if s.startswith("|"):
            cells = [c.strip() for c in s.strip("|").split("|")]
            if cells not in body.rows:
                problems.append(f"table row not rendered: {cells}")
            continue
        if s.startswith(("- ", "* ")):
            items += 1
            s = s[2:]
        p = plain(s)
        if p and p not in text:
            problems.append(f"text not rendered: {p}")
    if body.items < items:
        problems.append(f"{items} list items in the source, {body.items} rendered")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
