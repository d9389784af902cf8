# Golden tests of the guide dialect, data references and guide errors.
# tests/fixtures/dialect/<case>/ holds guide.md (built as
# guides/case/guide.en-gb.md over tests/fixtures/dialect/base/content), and
# optionally images/ beside it and a site.yaml replacing the base's; the UI
# strings are the shipped ones. Then:
#   expected.err   the exact diagnostics, then "exit=N"
#   expected.html  the <main> of the English page (cases that build)
# Goldens are written by hand or reviewed line by line: never regenerate them
# blindly (MG_BLESS=1 writes the missing ones only, for review).
. tests/lib.sh
top=$PWD
fix=tests/fixtures/dialect
for dir in "$fix"/*/; do
    name=$(basename "$dir")
    [ "$name" = base ] && continue
    work=$TMP/$name
    mkdir -p "$work"
    cp -R "$fix/base/content" "$work/"
    mkdir -p "$work/content/strings" && cp content/strings/en-gb.yaml content/strings/pl-pl.yaml "$work/content/strings/"
    mkdir -p "$work/content/guides/case"
    cp "$dir/guide.md" "$work/content/guides/case/guide.en-gb.md"
    [ -d "$dir/images" ] && cp -R "$dir/images" "$work/content/guides/case/"
    [ -f "$dir/site.yaml" ] && cp "$dir/site.yaml" "$work/content/site.yaml"
    (cd "$work" && "$MG" build -C content -t "$top/templates" -o out 2>&1 >/dev/null |
        grep -v '^mailguide: wrote'; echo "exit=${PIPESTATUS[0]}") >"$work/actual.err"
    if [ -n "${MG_BLESS:-}" ] && [ ! -f "$dir/expected.err" ]; then cp "$work/actual.err" "$dir/expected.err"; fi
    same "dialect: $name diagnostics" "$dir/expected.err" "$work/actual.err"
    if grep -q '^exit=0$' "$work/actual.err"; then
        slug=$(sed -n 's/^slug: *//p' "$dir/guide.md" | tr -d '\r' | head -n 1)
        python3 tests/tools/extract_main.py "$work/out/en-gb/${slug:-case}/index.html" >"$work/actual.html" 2>&1
        if [ -n "${MG_BLESS:-}" ] && [ ! -f "$dir/expected.html" ]; then cp "$work/actual.html" "$dir/expected.html"; fi
        same "dialect: $name renders as expected" "$dir/expected.html" "$work/actual.html"
    elif [ -e "$work/out" ]; then
        fail "dialect: $name writes nothing" "out/ was created"
    else
        pass "dialect: $name writes nothing"
    fi
done
