# Every input a fuzzer once crashed on (tests/fuzz/<harness>/), replayed
# through the command line: it must end with a clear verdict (exit 0 or 1),
# within a time bound, and never crash. Under `make asan` and `make
# valgrind` the same replay also checks memory.
. tests/lib.sh
top=$PWD
for f in tests/fuzz/fuzz_load/*; do
    [ -f "$f" ] || continue
    name=$(basename "$f")
    work=$TMP/$name
    mkdir -p "$work/content/strings"
    cp tests/fixtures/load/base/content/*.yaml "$work/content/"
    cp content/strings/en-gb.yaml "$work/content/strings/"
    # The first byte chose the file, as in fuzz/fuzz_load.c.
    first=$(head -c1 "$f" | od -An -tu1 | tr -d ' ')
    if [ $((${first:-0} & 1)) -eq 1 ]; then target=site.yaml; else target=servers.yaml; fi
    tail -c +2 "$f" > "$work/content/$target"
    (cd "$work" && timeout 20 "$MG" -q build -C content -t "$top/templates" -o out) >/dev/null 2>"$work/err"
    rc=$?
    [ "$rc" -le 1 ] && ! grep -q 'runtime error\|Sanitizer' "$work/err" &&
        pass "fuzz regression: load $name" || fail "fuzz regression: load $name" "exit $rc: $(tail -3 "$work/err")"
done
