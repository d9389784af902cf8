#!/usr/bin/env bash
# The documentation: every relative link of README.md and docs/*.md reaches a
# file of the repository, and every #fragment a heading of its target
# (tools/doclinks.py, anchors as GitHub makes them).
. tests/lib.sh
top=$PWD
if out=$(python3 tools/doclinks.py 2>&1); then
    pass "docs: relative links and anchors resolve"
else
    fail "docs: relative links and anchors resolve" "$out"
fi
# The checker itself finds a broken file link and a broken anchor.
mkdir -p "$TMP/d/docs" && printf '# T\n' >"$TMP/d/docs/a.md"
printf '[x](docs/a.md#t) [y](docs/b.md) [z](docs/a.md#nope)\n' >"$TMP/d/README.md"
out=$(cd "$TMP/d" && python3 "$top/tools/doclinks.py" README.md 2>&1)
if [ "$(printf '%s\n' "$out" | grep -c 'docs/b.md\|#nope')" = 2 ] && ! printf '%s' "$out" | grep -q 'a.md#t'; then
    pass "docs: the link checker reports broken links and anchors"
else
    fail "docs: the link checker reports broken links and anchors" "$out"
fi
