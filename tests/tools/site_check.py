#!/usr/bin/env python3
"""site_check.py OUTPUT_DIR BASE_URL [--allow-missing-anchors]: checks a
generated site the way a reader and a crawler meet it, independently of
mailguide's code (html.parser and xml.etree only).

- every page has <html lang>, a <title>, a meta description;
- every relative link, image and stylesheet resolves to a file of the output
  (profiles/ and downloads/ are written by other stages: listed, not checked),
  and every #fragment to an id of its target page;
- pages load nothing from outside the site (404.html may use BASE_URL);
- every language switcher link reaches a page, and on a guide page the
  switcher lists every locale and each target's switcher points back;
- hreflang alternates and sitemap.xml entries name existing, indexable pages
  whose <html lang> is the hreflang; every page's alternates list itself.
Prints one line per problem; exits 1 if there is any."""
import os
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import urldefrag, unquote


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.lang = None
        self.title = ""
        self.in_title = False
        self.description = None
        self.noindex = False
        self.ids = set()
        self.links = []  # (kind, url)
        self.alternates = []  # (hreflang, href)
        self.switcher = []
        self.nav_stack = []
        self.guide = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "name" in a:
            self.ids.add(a["name"])
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "title":
            self.in_title = True
        elif tag == "meta" and a.get("name") == "description":
            self.description = a.get("content")
        elif tag == "meta" and a.get("name") == "robots" and "noindex" in (a.get("content") or ""):
            self.noindex = True
        elif tag == "link" and a.get("rel") == "alternate" and "hreflang" in a:
            self.alternates.append((a["hreflang"], a.get("href", "")))
        elif tag == "link" and a.get("rel") == "stylesheet":
            self.links.append(("stylesheet", a.get("href", "")))
        elif tag == "img":
            self.links.append(("image", a.get("src", "")))
        elif tag == "script" and "src" in a:
            self.links.append(("script", a["src"]))
        elif tag == "a" and "href" in a:
            self.links.append(("link", a["href"]))
            if self.nav_stack and self.nav_stack[-1] == "languages":
                self.switcher.append((a.get("hreflang"), a["href"]))
        elif tag == "div" and a.get("class") == "guide-body":
            self.guide = True
        if tag == "nav":
            self.nav_stack.append(a.get("class", ""))

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        elif tag == "nav" and self.nav_stack:
            self.nav_stack.pop()

    def handle_data(self, data):
        if self.in_title:
            self.title += data


def main():
    out, base = sys.argv[1].rstrip("/") + "/", sys.argv[2]
    allow_missing_anchors = "--allow-missing-anchors" in sys.argv
    problems = []
    pages = {}
    for root, _, files in os.walk(out):
        for f in files:
            if f.endswith(".html"):
                path = os.path.join(root, f)[len(out):]
                p = Page()
                p.feed(open(out + path, encoding="utf-8").read())
                pages[path] = p

    def from_url(url):
        """The output file an absolute URL of the site names, or None."""
        if not url.startswith(base):
            return None
        rel = unquote(urldefrag(url)[0][len(base):])
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        return rel

    locales = set()
    for path, p in pages.items():
        if not p.lang:
            problems.append(f"{path}: no <html lang>")
        if not p.title.strip():
            problems.append(f"{path}: empty <title>")
        if p.description is None:
            problems.append(f"{path}: no meta description")
        here = os.path.dirname(path)
        for kind, url in p.links:
            if url.startswith(("http://", "https://", "//")):
                if kind != "link" and not (path == "404.html" and url.startswith(base)):
                    problems.append(f"{path}: {kind} loaded from outside the site: {url}")
                continue
            if url.startswith(("mailto:", "tel:")):
                continue
            target, frag = urldefrag(url)
            rel = os.path.normpath(os.path.join(here, unquote(target))) if target else path
            if rel.startswith(".."):
                problems.append(f"{path}: {kind} leaves the output: {url}")
            elif not os.path.isfile(out + rel):
                problems.append(f"{path}: {kind} to a missing file: {url}")
            elif frag and rel in pages and frag not in pages[rel].ids and not allow_missing_anchors:
                problems.append(f"{path}: link to a missing anchor: {url}")
        for hreflang, href in p.switcher:
            locales.add(hreflang)
        for hreflang, href in p.alternates:
            rel = from_url(href)
            if rel is None or rel not in pages:
                problems.append(f"{path}: hreflang {hreflang} names no page: {href}")
                continue
            if pages[rel].noindex:
                problems.append(f"{path}: hreflang {hreflang} names a noindex page: {href}")
            if hreflang != "x-default" and pages[rel].lang != hreflang:
                problems.append(f"{path}: hreflang {hreflang} names a page in {pages[rel].lang}")
        if p.alternates and not p.noindex and path != "404.html":
            if not any(from_url(h) == path for _, h in p.alternates):
                problems.append(f"{path}: its alternates do not list the page itself")

    for path, p in pages.items():
        if not p.guide:
            continue
        if {h for h, _ in p.switcher} != locales:
            problems.append(f"{path}: the language switcher lists {sorted(h for h, _ in p.switcher)}")
        here = os.path.dirname(path)
        for hreflang, href in p.switcher:
            rel = os.path.normpath(os.path.join(here, href))
            if rel not in pages:
                problems.append(f"{path}: switcher link {href} reaches no page")
            elif not any(os.path.normpath(os.path.join(os.path.dirname(rel), h)) == path
                         for _, h in pages[rel].switcher):
                problems.append(f"{path}: {rel}'s switcher does not lead back")

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    tree = ET.parse(out + "sitemap.xml")
    for url in tree.getroot().findall("s:url", ns):
        loc = url.find("s:loc", ns).text
        rel = from_url(loc)
        if rel not in pages:
            problems.append(f"sitemap.xml: <loc> names no page: {loc}")
            continue
        if pages[rel].noindex:
            problems.append(f"sitemap.xml: lists a noindex page: {loc}")
        alts = [(l.get("hreflang"), l.get("href")) for l in url.findall("x:link", ns)]
        if alts and not any(from_url(h) == rel for _, h in alts):
            problems.append(f"sitemap.xml: {loc}'s alternates do not list it")
        if alts and sorted(alts) != sorted(pages[rel].alternates):
            problems.append(f"sitemap.xml: {loc}'s alternates differ from the page's hreflang links")
        for hreflang, href in alts:
            r = from_url(href)
            if r not in pages or pages[r].noindex:
                problems.append(f"sitemap.xml: alternate {hreflang} is not an indexable page: {href}")
            elif hreflang != "x-default" and pages[r].lang != hreflang:
                problems.append(f"sitemap.xml: alternate {hreflang} is a page in {pages[r].lang}")

    for p in problems:
        print(p)
    print(f"{len(pages)} pages checked, {len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
