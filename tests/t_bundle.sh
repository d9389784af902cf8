# Bundles and reproducibility: the zips are sound and say what the site
# says; two builds in different folders at different times are identical;
# nothing of the build machine (paths, host name, clock) leaks into output.
. tests/lib.sh
top=$PWD
hash_tree() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }
build() { # DIR [ENV...]: builds a copy of the shipped content in DIR
    local dir=$1; shift
    mkdir -p "$dir" && cp -Rp content "$top/templates" "$dir/" &&
        (cd "$dir" && env "$@" "$MG" -q build -C content -t templates -o out)
}

epoch=1700000000
build "$TMP/a" SOURCE_DATE_EPOCH=$epoch || fail "bundle: build a"
check "bundle: zips are sound and match the site (zipfile)" python3 tests/tools/check_zips.py "$TMP/a/out" $epoch
for z in "$TMP"/a/out/downloads/*.zip; do
    check "bundle: unzip -t $(basename "$z")" unzip -tq "$z"
done
[ -f "$TMP/a/out/profiles/mxplan/pl-pl/index.html" ] && unzip -l "$TMP/a/out/downloads/mxplan-pl-pl.zip" | grep -q ' mxplan-pl-pl/index.html$' &&
    pass "bundle: a kit carries its page" || fail "bundle: a kit carries its page"

# Images are stored (deflate would not shrink them), pages deflated; the
# zips stay sound and reproducible with them (check_zips.py checks each
# entry's method). The images are incompressible, like real PNG and JPEG.
mkdir -p "$TMP/im" && cp -Rp content "$top/templates" "$TMP/im/" && mkdir -p "$TMP/im/content/guides/thunderbird/images"
python3 -c 'import random, sys
r = random.Random(7)
for name, head in (("screen.png", b"\x89PNG\r\n\x1a\n"), ("photo.jpg", b"\xff\xd8\xff\xe0")):
    open(sys.argv[1] + "/" + name, "wb").write(head + bytes(r.getrandbits(8) for _ in range(20000)))' "$TMP/im/content/guides/thunderbird/images"
for f in "$TMP"/im/content/guides/thunderbird/guide.*.md; do
    printf '\n![Screen](images/screen.png)\n\n![Photo](images/photo.jpg)\n' >> "$f"
done
for run in 1 2; do
    (cd "$TMP/im" && SOURCE_DATE_EPOCH=$epoch "$MG" -q build --full -C content -t templates -o out$run) || fail "bundle: build with images"
done
unzip -l "$TMP/im/out1/downloads/site.zip" | grep -q 'images/.*/screen.png$' && unzip -l "$TMP/im/out1/downloads/site.zip" | grep -q 'images/.*/photo.jpg$' &&
    pass "bundle: the site zip carries the guide's images" || fail "bundle: the site zip carries the guide's images" "$(unzip -l "$TMP/im/out1/downloads/site.zip" | grep -i images | head -3)"
check "bundle: images stored, pages deflated (zipfile)" python3 tests/tools/check_zips.py "$TMP/im/out1" $epoch
cmp -s "$TMP/im/out1/downloads/site.zip" "$TMP/im/out2/downloads/site.zip" &&
    pass "bundle: a site zip with stored images is reproducible" || fail "bundle: a site zip with stored images is reproducible"

# Another folder, another time, another time zone and umask: same bytes.
sleep 1
(umask 077; build "$TMP/b" SOURCE_DATE_EPOCH=$epoch TZ=Pacific/Kiritimati) || fail "bundle: build b"
hash_tree "$TMP/a/out" > "$TMP/a.sum"; hash_tree "$TMP/b/out" > "$TMP/b.sum"
same "bundle: two builds are byte-identical" "$TMP/a.sum" "$TMP/b.sum"
[ "$(find "$TMP/b/out" -type f ! -perm 0644 | wc -l)" -eq 0 ] && [ "$(find "$TMP/b/out" -type d ! -perm 0755 | wc -l)" -eq 0 ] &&
    pass "bundle: fixed permissions whatever the umask" || fail "bundle: fixed permissions whatever the umask" "$(find "$TMP/b/out" ! -perm 0644 ! -perm 0755 | head -3)"

# Without SOURCE_DATE_EPOCH the newest input's mtime is used: copies that
# keep their mtimes give identical output.
build "$TMP/c" SOURCE_DATE_EPOCH= && build "$TMP/d" SOURCE_DATE_EPOCH= || fail "bundle: builds c d"
hash_tree "$TMP/c/out" > "$TMP/c.sum"; hash_tree "$TMP/d/out" > "$TMP/d.sum"
same "bundle: newest input mtime stamps reproducibly" "$TMP/c.sum" "$TMP/d.sum"
newest=$(find "$TMP/c/content" "$TMP/c/templates" -type f -printf '%T@\n' | sort -n | tail -1 | cut -d. -f1)
check "bundle: zips dated from the newest input" python3 tests/tools/check_zips.py "$TMP/c/out" "$newest"

# Nothing of the machine: no build path, no host name, no clock time.
# (Zips are searched through unzip: their compressed bytes may spell anything;
# the kits inside the site zip are searched on their own.)
leak=$(for d in a b; do (cd "$TMP/$d/out" && grep -rlaF --exclude='*.zip' -e "$TMP" . ;
    grep -rlawF --exclude='*.zip' -e "$(hostname)" . ;
    for z in downloads/*.zip; do unzip -p "$z" -x '*.zip' | grep -qaF -e "$TMP" && echo "$z";
        unzip -p "$z" -x '*.zip' | grep -qawF -e "$(hostname)" && echo "$z"; done); done)
[ -z "$leak" ] && pass "bundle: no build path or host name in the output" || fail "bundle: no build path or host name in the output" "$leak"
now=$(date -u +%Y-%m-%dT%H:%M)
grep -rlaF "$now" "$TMP/a/out" >/dev/null && fail "bundle: no clock time in the output" "$now found" ||
    pass "bundle: no clock time in the output"

env SOURCE_DATE_EPOCH=yesterday "$MG" -q build -C content -o "$TMP/e" 2>"$TMP/e.err"; rc=$?
[ "$rc" -eq 1 ] && grep -q 'SOURCE_DATE_EPOCH must be a number' "$TMP/e.err" &&
    pass "bundle: a bad SOURCE_DATE_EPOCH is an error" || fail "bundle: a bad SOURCE_DATE_EPOCH is an error" "exit $rc"

# A build killed at any moment leaves the previous output or the new one,
# never a mix: kill it after ever longer delays until one completes.
build "$TMP/k" SOURCE_DATE_EPOCH=1 || fail "bundle: build k"
hash_tree "$TMP/k/out" > "$TMP/old.sum"
echo "# changed" >> "$TMP/k/content/servers.yaml"
sed -i 's/name: OVHcloud/name: OVHcloud Europe/' "$TMP/k/content/servers.yaml"
(cd "$TMP/k" && SOURCE_DATE_EPOCH=1 "$MG" -q build -C content -t templates -o new) && hash_tree "$TMP/k/new" > "$TMP/new.sum"
mixed=0 kills=0
delays="0.001 0.002 0.004 0.006 0.008 0.01 0.015 0.02 0.03 0.05 0.08 0.12 0.2 0.5 1"
# Under valgrind a whole build takes seconds: longer delays let the last one complete.
case "$MG" in *valgrind*) delays="$delays 5 30 120" ;; esac
for delay in $delays; do
    (cd "$TMP/k" && SOURCE_DATE_EPOCH=1 timeout -s KILL $delay "$MG" -q build -C content -t templates -o out)
    [ $? -eq 137 ] && kills=$((kills + 1))
    hash_tree "$TMP/k/out" > "$TMP/now.sum"
    cmp -s "$TMP/now.sum" "$TMP/old.sum" || cmp -s "$TMP/now.sum" "$TMP/new.sum" || mixed=$((mixed + 1))
done
[ "$mixed" -eq 0 ] && [ "$kills" -gt 0 ] && pass "bundle: killed builds ($kills) leave old or new output, never a mix" ||
    fail "bundle: killed builds leave old or new output" "$mixed mixed states, $kills kills"
(cd "$TMP/k" && SOURCE_DATE_EPOCH=1 "$MG" -q build -C content -t templates -o out) && hash_tree "$TMP/k/out" > "$TMP/now.sum"
same "bundle: a build after the killed ones completes the new output" "$TMP/new.sum" "$TMP/now.sum"

# make publish: rsync by checksum, stale files removed after the upload.
mkdir -p "$TMP/pub/host" && echo stale > "$TMP/pub/host/stale.html"
make -s publish DEST="$TMP/pub/host" >/dev/null 2>&1 && [ ! -e "$TMP/pub/host/stale.html" ] &&
    diff -r output "$TMP/pub/host" >/dev/null && pass "bundle: make publish mirrors output/" ||
    fail "bundle: make publish mirrors output/"
make -s publish >/dev/null 2>&1; [ $? -ne 0 ] && pass "bundle: make publish wants DEST" || fail "bundle: make publish wants DEST"
