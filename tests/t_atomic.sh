# The write stage: a failed build, a held lock or a killed build leaves the
# previous output byte for byte as it was; a good build replaces it whole.
. tests/lib.sh
top=$PWD
cp -R content "$TMP/content"
cd "$TMP" || exit 1
hash_tree() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }
mg() { "$MG" -q build -C content -t "$top/templates" -o out "$@"; }

mg && [ -f out/index.html ] && pass "atomic: first build writes out/" || fail "atomic: first build writes out/"
echo stale > out/stale.txt
hash_tree out > before.sum

# A broken table (port 99999 and a misspelled key) fails with both errors.
cp content/servers.yaml servers.good
sed -i -e '0,/port: 993/s//port: 99999/' -e '0,/security: ssl/s//securty: ssl/' content/servers.yaml
mg 2> err.txt; rc=$?
[ "$rc" -eq 1 ] && pass "atomic: broken table exits 1" || fail "atomic: broken table exits 1" "exit $rc"
grep -q '^content/servers.yaml:[0-9]*:[0-9]*: error: .port. is 99999, outside 1-65535$' err.txt &&
    grep -q "^content/servers.yaml:[0-9]*:[0-9]*: error: unknown key 'securty' in server; did you mean 'security'?$" err.txt &&
    pass "atomic: both errors reported with file:line:col" ||
    fail "atomic: both errors reported with file:line:col" "$(cat err.txt)"
hash_tree out > after.sum
same "atomic: failed build leaves output byte-identical" before.sum after.sum
ls -a | grep -q 'staging' && fail "atomic: no staging left behind" "$(ls -a)" || pass "atomic: no staging left behind"

# A template that cannot expand fails after some files were staged.
cp content/servers.yaml servers.bad; cp servers.good content/servers.yaml
cp -R "$top/templates" tpl && echo '{{#BROKEN}' >> tpl/settings-table.html.tpl
"$MG" -q build -C content -t tpl -o out 2>/dev/null; rc=$?
hash_tree out > after2.sum
[ "$rc" -eq 1 ] && pass "atomic: template error exits 1" || fail "atomic: template error exits 1" "exit $rc"
same "atomic: template error leaves output byte-identical" before.sum after2.sum

# Another build holding the lock: a clear message, nothing touched.
flock .out.lock sleep 3 &
sleep 0.5
mg 2> lock.txt; rc=$?
wait
[ "$rc" -eq 1 ] && grep -q 'another mailguide build is writing' lock.txt &&
    pass "atomic: a held lock is reported" || fail "atomic: a held lock is reported" "exit $rc: $(cat lock.txt)"
hash_tree out > after3.sum
same "atomic: locked build leaves output byte-identical" before.sum after3.sum

# A good build replaces the whole tree (the stale file goes).
mg && [ ! -e out/stale.txt ] && [ -f out/pl-pl/index.html ] &&
    pass "atomic: good build replaces the output" || fail "atomic: good build replaces the output"

# A build killed midway (SIGKILL while writing) leaves the previous output.
hash_tree out > good.sum
for i in 1 2 3 4 5; do
    "$MG" -q build -C content -t "$top/templates" -o out & pid=$!
    sleep 0.00$i; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
done
hash_tree out > killed.sum
same "atomic: killed builds leave the previous output" good.sum killed.sum
mg && ! ls -a | grep -q staging && pass "atomic: next build cleans what a killed one left" ||
    fail "atomic: next build cleans what a killed one left" "$(ls -a)"
