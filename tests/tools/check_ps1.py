#!/usr/bin/env python3
"""check_ps1.py: check a generated Windows PowerShell script (.ps1) without
PowerShell: encoding, line endings, and a small tokenizer for quoting and
bracket balance.

usage: check_ps1.py FILE [--expect-string TEXT]...

  - UTF-8 with a byte order mark (Windows PowerShell 5.1 reads a BOM-less file
    as the ANSI code page and garbles non-ASCII text), valid UTF-8, no NUL;
  - CRLF line endings only (no bare LF, no bare CR);
  - every string closed. As in PowerShell's own tokenizer:
      single-quoted '...': the quote characters are ' and the typographic
        U+2018 U+2019 U+201A U+201B; inside, two quote characters in a row stand
        for one (the second is kept), any single one ends the string;
      double-quoted "...": the quote characters are " and U+201C U+201D U+201E;
        ` escapes the next character, a doubled quote stands for one, $( ... )
        is a nested subexpression (scanned recursively), ${...} a variable;
      here-strings @' ... '@ and @" ... "@ (opening at end of line, closing at
        the start of a line); comments # ... and <# ... #>;
    a string opened or closed by a typographic quote is reported: PowerShell
    accepts it, but in generated text it means a typographic apostrophe in a
    value was not doubled;
  - ( ) { } [ ] balanced and properly nested outside strings and comments.
  --expect-string TEXT: a single-quoted literal whose decoded value is TEXT
    occurs (proves the escaping of that value).
Problems print as `FILE: problem`; exit 0 valid, 1 invalid, 2 usage.
"""

import argparse
import sys

SQ = "'\u2018\u2019\u201a\u201b"
DQ = '"\u201c\u201d\u201e'
OPEN = {"(": ")", "{": "}", "[": "]"}
CLOSE = {v: k for k, v in OPEN.items()}
COMMENT_AFTER = set(" \t\r\n;(){}|&,=+")


class Unclosed(Exception):
    pass


class Scanner:
    def __init__(self, text):
        self.s = text
        self.n = len(text)
        self.problems = []   # (line, message)
        self.singles = []    # decoded single-quoted literals

    def line(self, i):
        return self.s.count("\n", 0, i) + 1

    def bad(self, i, msg):
        self.problems.append((self.line(i), msg))

    def at_line_start(self, i):
        return i == 0 or self.s[i - 1] == "\n"

    # code: until EOF (top level) or the ')' closing a $( subexpression
    def code(self, i, sub=False):
        s, n = self.s, self.n
        stack = []  # (char, index)
        while i < n:
            c = s[i]
            if c == "`":
                i += 2
                continue
            if c == "<" and s.startswith("<#", i):
                end = s.find("#>", i + 2)
                if end < 0:
                    self.bad(i, "block comment <# is never closed")
                    return n
                i = end + 2
                continue
            if c == "#" and (i == 0 or s[i - 1] in COMMENT_AFTER):
                while i < n and s[i] != "\n":
                    i += 1
                continue
            if c == "@" and i + 1 < n and (s[i + 1] in SQ or s[i + 1] in DQ):
                j = i + 2
                while j < n and s[j] in " \t":
                    j += 1
                if j < n and s[j] in "\r\n":
                    i = self.here_string(i, s[i + 1] in SQ)
                    continue
            if c == "$" and i + 1 < n and s[i + 1] == "{":
                i = self.braced_variable(i)
                continue
            if c in SQ:
                i = self.single(i)
                continue
            if c in DQ:
                i = self.double(i)
                continue
            if c in OPEN:
                stack.append((c, i))
            elif c in CLOSE:
                if not stack:
                    if sub and c == ")":
                        return i + 1
                    self.bad(i, f"'{c}' closes nothing")
                elif stack[-1][0] != CLOSE[c]:
                    o, oi = stack.pop()
                    self.bad(i, f"'{c}' closes '{o}' opened on line {self.line(oi)}")
                else:
                    stack.pop()
            i += 1
        for o, oi in stack:
            self.bad(oi, f"'{o}' is never closed")
        if sub:
            raise Unclosed()
        return i

    def braced_variable(self, i):
        s, n = self.s, self.n
        j = i + 2
        while j < n and s[j] != "}":
            j += 2 if s[j] == "`" else 1
        if j >= n:
            self.bad(i, "${ variable name is never closed")
        return j + 1

    def single(self, i):
        s, n = self.s, self.n
        opener = s[i]
        if opener != "'":
            self.bad(i, f"string opened by typographic quote {opener} (U+{ord(opener):04X}); "
                        "PowerShell treats it as ' - a value's apostrophe was not doubled?")
        j = i + 1
        out = []
        while j < n:
            c = s[j]
            if c in SQ:
                if j + 1 < n and s[j + 1] in SQ:
                    out.append(s[j + 1])
                    j += 2
                    continue
                if c != "'":
                    self.bad(j, f"single-quoted string from line {self.line(i)} is closed by typographic "
                                f"quote {c} (U+{ord(c):04X}); double it ({c}{c}) to keep it in the text")
                self.singles.append("".join(out))
                return j + 1
            out.append(c)
            j += 1
        self.bad(i, "single-quoted string is never closed")
        return n

    def double(self, i):
        s, n = self.s, self.n
        opener = s[i]
        if opener != '"':
            self.bad(i, f"string opened by typographic quote {opener} (U+{ord(opener):04X})")
        j = i + 1
        while j < n:
            c = s[j]
            if c == "`":
                j += 2
                continue
            if c in DQ:
                if j + 1 < n and s[j + 1] in DQ:
                    j += 2
                    continue
                if c != '"':
                    self.bad(j, f"double-quoted string from line {self.line(i)} is closed by typographic "
                                f"quote {c} (U+{ord(c):04X})")
                return j + 1
            if c == "$" and j + 1 < n and s[j + 1] == "(":
                try:
                    j = self.code(j + 2, sub=True)
                except Unclosed:
                    self.bad(j, "$( subexpression is never closed")
                    return n
                continue
            if c == "$" and j + 1 < n and s[j + 1] == "{":
                j = self.braced_variable(j)
                continue
            j += 1
        self.bad(i, "double-quoted string is never closed")
        return n

    def here_string(self, i, single):
        """@' or @" at i, only white space up to the end of the line; the body
        ends at a line starting with the quote and @."""
        s, n = self.s, self.n
        quotes = SQ if single else DQ
        j = s.find("\n", i) + 1 or n
        body_start = j
        while j < n:
            if self.at_line_start(j) and s[j] in quotes and j + 1 < n and s[j + 1] == "@":
                if single:
                    body = s[body_start:j]
                    if body.endswith("\r\n"):
                        body = body[:-2]
                    elif body.endswith("\n"):
                        body = body[:-1]
                    self.singles.append(body.replace("\r\n", "\n"))
                return j + 2
            if not single and s[j] == "`":
                j += 2
                continue
            if not single and s[j] == "$" and j + 1 < n and s[j + 1] == "(":
                try:
                    j = self.code(j + 2, sub=True)
                except Unclosed:
                    self.bad(j, "$( subexpression is never closed")
                    return n
                continue
            j += 1
        self.bad(i, f"here-string @{s[i + 1]} is never closed (the closing {s[i + 1]}@ must start a line)")
        return n


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file")
    ap.add_argument("--expect-string", action="append", default=[], metavar="TEXT")
    a = ap.parse_args()
    f = a.file
    try:
        raw = open(f, "rb").read()
    except OSError as e:
        print(f"{f}: cannot read: {e.strerror}")
        return 1
    problems = []
    if not raw.startswith(b"\xef\xbb\xbf"):
        problems.append("no UTF-8 byte order mark (Windows PowerShell 5.1 would read it as ANSI)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        print(f"{f}: not valid UTF-8: {e}")
        return 1
    text = text.lstrip("\ufeff") if text.startswith("\ufeff") else text
    if "\x00" in text:
        problems.append("contains NUL characters")
    lf = crlf = cr = 0
    first_bad = None
    for idx, ch in enumerate(text):
        if ch == "\n":
            if idx > 0 and text[idx - 1] == "\r":
                crlf += 1
            else:
                lf += 1
                first_bad = first_bad or text.count("\n", 0, idx) + 1
        elif ch == "\r" and (idx + 1 >= len(text) or text[idx + 1] != "\n"):
            cr += 1
            first_bad = first_bad or text.count("\n", 0, idx) + 1
    if lf or cr:
        problems.append(f"line endings must be CRLF only: {lf} bare LF, {cr} bare CR "
                        f"(first on line {first_bad})")
    sc = Scanner(text)
    sc.code(0)
    for line, msg in sorted(sc.problems):
        problems.append(f"line {line}: {msg}")
    for t in a.expect_string:
        if t not in sc.singles:
            near = [x for x in sc.singles if x[:8] == t[:8]]
            hint = f" (found {near[0]!r})" if near else ""
            problems.append(f"no single-quoted literal with the value {t!r}{hint}")
    for p in problems:
        print(f"{f}: {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
