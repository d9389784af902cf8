# Every input a fuzzer once crashed on (tests/fuzz/<harness>/), replayed
# through the command line: it must end with a clear verdict (exit 0 or 1),
# within a time bound, and never crash. Under `make asan` and `make
# valgrind` the same replay also checks memory.
#   fuzz_load     the input after its first byte is site.yaml (first byte odd)
#                 or servers.yaml, beside tests/fixtures/load/base
#   fuzz_guide    the input is guides/case/guide.en-gb.md
#   fuzz_dialect, fuzz_dataref
#                 the input is that guide's body after the front matter the
#                 harnesses give it (FUZZ_FRONT_MATTER in fuzz/common.h)
#   (the guide harnesses' content is tests/fixtures/dialect/base, with
#   guides/case/images/a.png)
. tests/lib.sh
top=$PWD
# valgrind runs each mailguide many times slower.
limit=20
case "$MG" in *valgrind*) limit=120 ;; esac

replay() { # NAME WORKDIR
    (cd "$2" && timeout "$limit" "$MG" -q build -C content -t "$top/templates" -o out) >/dev/null 2>"$2/err"
    local rc=$?
    [ "$rc" -le 1 ] && ! grep -q 'runtime error\|Sanitizer' "$2/err" &&
        pass "fuzz regression: $1" || fail "fuzz regression: $1" "exit $rc: $(tail -3 "$2/err")"
}

for f in tests/fuzz/fuzz_load/*; do
    [ -f "$f" ] || continue
    name=$(basename "$f")
    work=$TMP/load-$name
    mkdir -p "$work/content/strings"
    cp tests/fixtures/load/base/content/*.yaml "$work/content/"
    cp content/strings/en-gb.yaml "$work/content/strings/"
    # The first byte chose the file, as in fuzz/fuzz_load.c.
    first=$(head -c1 "$f" | od -An -tu1 | tr -d ' ')
    if [ $((${first:-0} & 1)) -eq 1 ]; then target=site.yaml; else target=servers.yaml; fi
    tail -c +2 "$f" > "$work/content/$target"
    replay "load $name" "$work"
done

front=$(sed -n 's/^#define FUZZ_FRONT_MATTER "\(.*\)"$/\1/p' fuzz/common.h)
[ -n "$front" ] || fail "fuzz regression: FUZZ_FRONT_MATTER found in fuzz/common.h"
for harness in fuzz_guide fuzz_dialect fuzz_dataref; do
    for f in tests/fuzz/$harness/*; do
        [ -f "$f" ] || continue
        name=$(basename "$f")
        work=$TMP/$harness-$name
        mkdir -p "$work"
        cp -R tests/fixtures/dialect/base/content "$work/"
        cp content/strings/en-gb.yaml content/strings/pl-pl.yaml "$work/content/strings/"
        g=$work/content/guides/case
        mkdir -p "$g/images" && printf png > "$g/images/a.png"
        if [ "$harness" = fuzz_guide ]; then
            cp "$f" "$g/guide.en-gb.md"
        else
            { printf '%b' "$front"; cat "$f"; } > "$g/guide.en-gb.md"
        fi
        replay "${harness#fuzz_} $name" "$work"
    done
done
