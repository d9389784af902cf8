# The loader's diagnostics: one fixture per kind of mistake in the server
# table or site settings, each asserting the exact lines printed and exit 1.
# A fixture folder holds content/ files laid over tests/fixtures/load/base
# (plus the shipped en-gb UI strings) and `expected`: the exact stderr, then
# the exit status.
. tests/lib.sh
base=tests/fixtures/load/base
for dir in tests/fixtures/load/*/; do
    name=$(basename "$dir")
    [ "$name" = base ] && continue
    work=$TMP/$name
    mkdir -p "$work"
    cp -R "$base/content" "$work/"
    mkdir -p "$work/content/strings" && cp content/strings/en-gb.yaml "$work/content/strings/"
    cp -R "$dir/content" "$work/"
    (cd "$work" && "$MG" build -C content -o out; echo "exit=$?") >"$work/actual" 2>&1
    same "load error: $name" "$dir/expected" "$work/actual"
    if [ -e "$work/out" ]; then fail "load error: $name writes nothing" "out/ was created"; fi
done

# The base fixture itself is valid: the errors above come from each change.
(top=$PWD; cd "$TMP" && mkdir ok && cp -R "$top/$base/content" ok/ && mkdir -p ok/content/strings &&
    cp "$top/content/strings/en-gb.yaml" ok/content/strings/ && cd ok &&
    "$MG" -q build -C content -t "$top/templates" -o out) && pass "load: base fixture builds" ||
    fail "load: base fixture builds"
