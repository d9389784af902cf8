#!/usr/bin/env bash
# fuzz/seeds.sh HARNESS DIR: copies the seed inputs of one harness into DIR,
# from the shipped content, the test fixtures and the kept regressions.
set -u
name=$1 dir=$2
n=0
seed() { # PREFIX_BYTE FILE: the file after one byte (fuzz_load's selector)
    [ -f "$2" ] || return 0
    n=$((n + 1))
    { printf "\\x$1"; cat "$2"; } > "$dir/seed-$n"
}
whole() { # FILE: the file as it is
    [ -f "$1" ] || return 0
    n=$((n + 1))
    cp "$1" "$dir/seed-$n"
}
body() { # FILE: a guide's Markdown after its front matter
    [ -f "$1" ] || return 0
    n=$((n + 1))
    awk 'NR == 1 && /^---/ { fm = 1; next } fm && /^(---|\.\.\.)/ { fm = 0; next } !fm' "$1" > "$dir/seed-$n"
}
guides() { ls content/guides/*/*.md tests/fixtures/dialect/*/guide.md tests/fixtures/seed/*/*.md \
    tests/fixtures/seed/*/*/*.md tests/fixtures/seed/*/*/*/*.md 2>/dev/null; }
case $name in
fuzz_load)
    for f in content/servers.yaml tests/fixtures/load/*/content/servers.yaml; do seed 00 "$f"; done
    for f in content/site.yaml tests/fixtures/load/*/content/site.yaml; do seed 01 "$f"; done ;;
fuzz_guide)
    for f in $(guides); do whole "$f"; done ;;
fuzz_dialect | fuzz_dataref)
    for f in $(guides); do body "$f"; done ;;
fuzz_incr_cache)
    # Records of the path and stamp the harness asks for (fields: S_fields
    # in incr_cache.c, the file's first line names them).
    rec='guides/case/guide.en-gb.md\t1\t2\t300\t4\t5\t81985529216486895\t18364758544493064720\t60\t6'
    n=$((n + 1)); printf "$rec"'\tCase\t\\\tcase\tgeneral\t-\t-\t-\t0\t0\t0\t7\t0\t0\t0\tbasic\tpro\n' > "$dir/seed-$n"
    n=$((n + 1)); printf "$rec"'\tA \\t title\tAn excerpt\tguide\tEmail clients\tclients\t"06"\t/x/\t2024\t2\t29\t0\t3\t1\t1\n' > "$dir/seed-$n"
    n=$((n + 1)); printf 'other\t1\n'"$rec"'\tT\t\\\t..\tgeneral\t-\t-\t-\t2026\t2\t29\t0\t9\t0\t2\n' > "$dir/seed-$n" ;;
esac
[ -d "tests/fuzz/$name" ] && cp tests/fuzz/"$name"/* "$dir/" 2>/dev/null
exit 0
