#!/usr/bin/env bash
# fuzz/seeds.sh HARNESS DIR: copies the seed inputs of one harness into DIR,
# from the shipped content, the test fixtures and the kept regressions.
set -u
name=$1 dir=$2
n=0
seed() { # PREFIX_BYTE FILE
    [ -f "$2" ] || return 0
    n=$((n + 1))
    { printf "\\x$1"; cat "$2"; } > "$dir/seed-$n"
}
case $name in
fuzz_load)
    for f in content/servers.yaml tests/fixtures/load/*/content/servers.yaml; do seed 00 "$f"; done
    for f in content/site.yaml tests/fixtures/load/*/content/site.yaml; do seed 01 "$f"; done ;;
*)
    for f in content/guides/*/*.md tests/fixtures/*/*.md tests/fixtures/*/*/*.md; do seed 00 "$f"; done ;;
esac
[ -d "tests/fuzz/$name" ] && cp tests/fuzz/"$name"/* "$dir/" 2>/dev/null
exit 0
