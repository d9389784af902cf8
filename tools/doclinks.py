#!/usr/bin/env python3
"""tools/doclinks.py [FILE.md...]: checks that every relative link of the
files named (default: the repository's README.md and docs/*.md) reaches a
file and, when it names a #fragment, a heading of that file (anchors as
GitHub makes them). Prints each broken link as file:line: message and exits
1 if there is any."""
import os
import re
import sys

LINK = re.compile(r'(?<!!)\[[^\]]*\]\(([^)\s]+)\)')


def slug(heading):
    """GitHub's anchor for a heading: lower case, punctuation dropped
    (letters, digits, '-', '_' and spaces kept), spaces as '-'."""
    text = re.sub(r'`', '', heading.strip().lower())
    text = re.sub(r'[^\w\- ]', '', text)
    return text.replace(' ', '-')


def anchors(path):
    """The anchors of a Markdown file's headings (outside code blocks),
    duplicates numbered -1, -2 as GitHub does."""
    seen, out, fence = {}, set(), False
    with open(path, encoding='utf-8') as f:
        for line in f:
            if line.startswith('```'):
                fence = not fence
            if fence:
                continue
            m = re.match(r'#{1,6} (.*)', line)
            if m:
                s = slug(m.group(1))
                n = seen.get(s, 0)
                out.add(s if n == 0 else f'{s}-{n}')
                seen[s] = n + 1
    return out


def links(path):
    fence = False
    with open(path, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            if line.startswith('```'):
                fence = not fence
            if fence or line.startswith('    '):
                continue
            for target in LINK.findall(re.sub(r'`[^`]*`', '', line)):
                yield n, target


def main(files):
    bad = 0
    for path in files:
        for n, target in links(path):
            if re.match(r'[a-z][a-z0-9+.-]*:', target):
                continue  # http:, https:, mailto:
            file, _, frag = target.partition('#')
            dest = os.path.normpath(os.path.join(os.path.dirname(path), file)) if file else path
            if not os.path.exists(dest):
                print(f'{path}:{n}: link {target!r}: no file {dest}')
                bad += 1
            elif frag and (not dest.endswith('.md') or frag not in anchors(dest)):
                print(f'{path}:{n}: link {target!r}: no heading #{frag} in {dest}')
                bad += 1
    return 1 if bad else 0


if __name__ == '__main__':
    args = sys.argv[1:]
    if not args:  # the repository's own documentation
        os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
        args = ['README.md'] + sorted(
            os.path.join('docs', f) for f in os.listdir('docs') if f.endswith('.md'))
    sys.exit(main(args))
