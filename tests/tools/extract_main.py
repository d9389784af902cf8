#!/usr/bin/env python3
"""extract_main.py PAGE_HTML: prints the page's <main> element, the part a
golden test of the dialect compares (the rest is the shared page frame)."""
import sys

text = open(sys.argv[1], encoding="utf-8").read()
start = text.find("<main")
end = text.rfind("</main>")
if start < 0 or end < 0:
    sys.exit(f"{sys.argv[1]}: no <main> element")
print(text[start:end + len("</main>")])
