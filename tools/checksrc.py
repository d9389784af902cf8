#!/usr/bin/env python3
"""tools/checksrc.py FILE...: reports calls of functions mailguide's C does
not use, as file:line:col: error: message [checksrc], and exits 1 if there is
any. Comments, string and character literals are skipped. A line may allow
one name with a comment naming it: /* checksrc: allow NAME (why) */.

The list, and why each is banned (the fix is in each message):
  gets                   no bound at all; removed from C11.
  sprintf, vsprintf      no bound on the destination.
  strcat, strncat        unbounded, or bounded by what is left, which is
                         easy to get wrong; and quadratic when repeated.
  strcpy, stpcpy         no bound on the destination.
  strncpy, stpncpy       leave the destination unterminated when the source
                         is as long as the bound, and pad with NULs.
  strtok                 keeps its position in hidden static state: wrong on
                         the build's worker threads and in nested loops.
  atoi, atol, atoll, atof  no way to tell "0" from garbage or overflow.
  tmpnam, tempnam, mktemp  the name can be taken between choosing and opening.
  localtime, gmtime, ctime, asctime  return a static buffer shared by all
                         threads.
  system, popen          run a shell on a string: mailguide runs no programs.
  alloca                 unbounded stack use, no failure report.
  malloc, calloc, realloc, strdup, strndup  (outside src/util.c) every
                         allocation goes through x*alloc, which aborts on
                         out-of-memory, so no caller checks for NULL.
  exit, _exit            (outside src/main.c and tests/unit.c) errors are
                         returned up to main; nothing below it ends the
                         process.
Not banned: snprintf/vsnprintf (bounded; prefer buf_printf), sscanf (used
with widths), strerror (glibc's is safe for the errno values we print).
"""
import os
import re
import sys

BANNED = {
    'gets': 'no bound; read with getline or fread',
    'sprintf': 'no bound; use snprintf or buf_printf',
    'vsprintf': 'no bound; use vsnprintf or buf_vprintf',
    'strcat': 'no bound; use buf_puts or path_join',
    'strncat': 'easy to misuse; use buf_puts or buf_put',
    'strcpy': 'no bound; use xstrdup, or memcpy with a known length',
    'stpcpy': 'no bound; use memcpy with a known length',
    'strncpy': 'may leave the destination unterminated; use xstrndup or memcpy',
    'stpncpy': 'may leave the destination unterminated; use memcpy',
    'strtok': 'hidden static state, not thread-safe; use strtok_r or scan with strcspn',
    'atoi': 'no error detection; use strtol and check the end',
    'atol': 'no error detection; use strtol and check the end',
    'atoll': 'no error detection; use strtoll and check the end',
    'atof': 'no error detection; use strtod and check the end',
    'tmpnam': 'racy; use mkstemp or O_TMPFILE',
    'tempnam': 'racy; use mkstemp or O_TMPFILE',
    'mktemp': 'racy; use mkstemp or O_TMPFILE',
    'localtime': 'static buffer shared by threads; use localtime_r',
    'gmtime': 'static buffer shared by threads; use gmtime_r',
    'ctime': 'static buffer shared by threads; use strftime with localtime_r',
    'asctime': 'static buffer shared by threads; use strftime',
    'system': 'runs a shell on a string; mailguide runs no programs',
    'popen': 'runs a shell on a string; mailguide runs no programs',
    'alloca': 'unbounded stack use; use xmalloc or an arena',
}
# name -> (files where it is fine, message)
RESTRICTED = {
    'malloc': ({'src/util.c'}, 'use xmalloc (util.h), which never returns NULL'),
    'calloc': ({'src/util.c'}, 'use xcalloc (util.h), which never returns NULL'),
    'realloc': ({'src/util.c'}, 'use xrealloc (util.h), which never returns NULL'),
    'strdup': ({'src/util.c'}, 'use xstrdup (util.h), which never returns NULL'),
    'strndup': ({'src/util.c'}, 'use xstrndup (util.h), which never returns NULL'),
    'exit': ({'src/main.c', 'tests/unit.c'}, 'return an error up to main instead'),
    '_exit': ({'src/main.c', 'tests/unit.c'}, 'return an error up to main instead'),
}
CALL = re.compile(r'(?<![\w.>$])([A-Za-z_]\w*)\s*\(')
ALLOW = re.compile(r'checksrc:\s*allow\s+(\w+)')


def blank_comments_and_literals(text):
    """The text with comments, string and character literals replaced by
    spaces (line breaks kept), so positions stay those of the file."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith('/*', i):
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
        elif text.startswith('//', i):
            j = text.find('\n', i)
            j = n if j < 0 else j
        elif c in '"\'':
            j = i + 1
            while j < n and text[j] != c and text[j] != '\n':
                j += 2 if text[j] == '\\' else 1
            j = min(j + 1, n)
        else:
            out.append(c)
            i += 1
            continue
        out.append(re.sub(r'[^\n]', ' ', text[i:j]))
        i = j
    return ''.join(out)


def check(path):
    text = open(path, encoding='utf-8', errors='replace').read()
    lines = text.split('\n')
    code = blank_comments_and_literals(text).split('\n')
    norm = os.path.normpath(path)
    problems = 0
    for ln, line in enumerate(code, 1):
        allowed = set(ALLOW.findall(lines[ln - 1]))
        for m in CALL.finditer(line):
            name = m.group(1)
            if name in allowed:
                continue
            why = BANNED.get(name)
            if why is None and name in RESTRICTED:
                fine, msg = RESTRICTED[name]
                if norm in fine:
                    continue
                why = msg
            if why is None:
                continue
            print(f"{path}:{ln}:{m.start(1) + 1}: error: '{name}' is banned: {why} [checksrc]")
            problems += 1
    return problems


def main(paths):
    total = sum(check(p) for p in paths)
    return 1 if total else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
