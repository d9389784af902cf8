# Adding a locale: a locale without its UI strings file, or a strings file
# that lacks names, is an error naming the file and each missing name;
# `mailguide new-locale` writes the strings file and guide stubs (checked
# with Python's YAML parser, never with mailguide's loader), refuses to
# overwrite anything, and the stubs build as untranslated pages until a
# translator removes their mark.
. tests/lib.sh
top=$PWD
fresh() { rm -rf "$TMP/w" && mkdir -p "$TMP/w" && cp -R "$top/content" "$TMP/w/" && cd "$TMP/w" || exit 1; }
build() { "$MG" build -Werror -t "$top/templates" -o out "$@"; }

# -- a locale in site.yaml without its strings file -----------------------
fresh
mkdir out && echo keep >out/marker
rm content/strings/fr-fr.yaml
build >build.out 2>&1; rc=$?
line=$(grep -n '^  fr-fr:$' content/site.yaml | cut -d: -f1)
keys=$(python3 -c 'import yaml; print(", ".join(yaml.safe_load(open("content/strings/pl-pl.yaml"))))')
n=$(python3 -c 'import yaml; print(len(yaml.safe_load(open("content/strings/pl-pl.yaml"))))')
expected="content/site.yaml:$line:3: error: locale 'fr-fr' has no UI strings file content/strings/fr-fr.yaml; it needs the $n names of pl-pl.yaml: $keys ('mailguide new-locale fr-fr' writes one to translate)"
if [ "$rc" -eq 1 ] && grep -qxF "$expected" build.out && [ "$(cat out/marker)" = keep ]; then
    pass "locale: a locale without strings file is an error naming the file and every name"
else
    fail "locale: a locale without strings file is an error naming the file and every name" "exit $rc: $(head -c 600 build.out)"
fi

# -- a strings file that lacks names, with another file missing too -------
fresh
rm content/strings/fr-fr.yaml
sed -i '/^home:/d; /^month_3:/d' content/strings/de-de.yaml
build >build.out 2>&1; rc=$?
home=$(grep -n '^home:' content/strings/pl-pl.yaml | cut -d: -f1)
march=$(grep -n '^month_3:' content/strings/pl-pl.yaml | cut -d: -f1)
cat >expected <<EOF
content/strings/de-de.yaml: error: UI string 'home' is missing (content/strings/pl-pl.yaml:$home defines it); add it, translated
content/strings/de-de.yaml: error: UI string 'month_3' is missing (content/strings/pl-pl.yaml:$march defines it); add it, translated
EOF
grep -F 'de-de.yaml' build.out >actual
if [ "$rc" -eq 1 ] && grep -q "^content/site.yaml:.*'fr-fr' has no UI strings file" build.out; then
    same "locale: each missing UI string is named, with the other locale's error in the same run" expected actual
else
    fail "locale: each missing UI string is named, with the other locale's error in the same run" "exit $rc: $(head -c 600 build.out)"
fi

# -- the default locale listed last: the others are checked against it ----
fresh
python3 - <<'EOF'
import re
s = open("content/site.yaml").read()
head, locs = s.split("locales:\n")
blocks = re.split(r"(?m)^(?=  [a-z][a-z]-[a-z][a-z]:$)", locs)
blocks = [b for b in blocks if b.strip()]
open("content/site.yaml", "w").write(head + "locales:\n" + "".join(blocks[1:] + blocks[:1]))
EOF
if build >build.out 2>&1 && ! grep -q 'warning\|error' build.out; then
    pass "locale: the default locale may come last in site.yaml"
else
    fail "locale: the default locale may come last in site.yaml" "$(head -c 600 build.out)"
fi

# -- new-locale: the files it writes ---------------------------------------
fresh
"$MG" new-locale it-IT >new.out 2>new.err; rc=$?
[ "$rc" -eq 0 ] && pass "new-locale: exit 0" || fail "new-locale: exit 0" "exit $rc: $(cat new.err)"
python3 - <<'EOF' >py.out 2>&1
import glob, os, re, yaml
ok = True
def bad(msg):
    global ok
    ok = False
    print(msg)
src = yaml.safe_load(open("content/strings/pl-pl.yaml"))
new_text = open("content/strings/it-it.yaml").read()
new = yaml.safe_load(new_text)
if list(new) != list(src) or new != src:
    bad("strings: not the default's names and values in its order")
if new_text.count("\n# translate\n") != len(src):
    bad("strings: %d '# translate' marks for %d names" % (new_text.count("\n# translate\n"), len(src)))
def split(path):
    t = open(path, encoding="utf-8").read()
    m = re.match(r"---\n(.*?\n)---\n(.*)", t, re.S)
    return yaml.safe_load(m.group(1)), m.group(2)
folders = sorted(glob.glob("content/guides/*/"))
for f in folders:
    fm, body = split(f + "guide.pl-pl.md")
    sfm, sbody = split(f + "guide.it-it.md")
    if sfm.pop("untranslated", None) is not True:
        bad(f + ": no 'untranslated: true'")
    if sfm != fm or sbody != body:
        bad(f + ": front matter or body differ from the pl-pl file")
print("checked %d stubs" % len(folders))
raise SystemExit(0 if ok and folders else 1)
EOF
check_py=$?
[ "$check_py" -eq 0 ] && pass "new-locale: strings file (every name, default's values, marked) and a stub per guide (source's front matter and body, untranslated: true)" ||
    fail "new-locale: strings file (every name, default's values, marked) and a stub per guide (source's front matter and body, untranslated: true)" "$(cat py.out)"
grep -q "^next: add this under 'locales:' in content/site.yaml" new.out &&
    grep -qx '  it-it:' new.out && pass "new-locale: says what to add to site.yaml" ||
    fail "new-locale: says what to add to site.yaml" "$(cat new.out)"

# Before site.yaml lists it, the stubs are not built (the loader's warning).
# Then the printed entry, pasted under locales:, makes the locale build: the
# stubs' pages are the source's text marked untranslated.
sed -n '/^  it-it:$/,$p' new.out | sed 's/^  //' | sed 's/^/  /' >>content/site.yaml
if build >build.out 2>&1; then
    pass "new-locale: with the printed entry in site.yaml the site builds with -Werror"
else
    fail "new-locale: with the printed entry in site.yaml the site builds with -Werror" "$(head -c 600 build.out)"
fi
page=out/it-it/konfiguracja-outlook/index.html
if [ -f "$page" ] && grep -q 'class="banner untranslated"' "$page" && grep -q 'noindex' "$page" &&
    ! grep -q 'it-it/konfiguracja-outlook' out/sitemap.xml; then
    pass "new-locale: a stub's page is the untranslated fallback (banner, noindex, not in the sitemap)"
else
    fail "new-locale: a stub's page is the untranslated fallback (banner, noindex, not in the sitemap)" "$(ls out/it-it 2>&1)"
fi
# A translator translates one guide and removes the mark.
sed -i '/^untranslated: true/d; s/^title: .*/title: Configurare Outlook/; s/^slug: .*/slug: configurare-outlook/' \
    content/guides/outlook/guide.it-it.md
build >build.out 2>&1
page=out/it-it/configurare-outlook/index.html
if [ -f "$page" ] && ! grep -q 'class="banner untranslated"' "$page" && grep -q 'Configurare Outlook' "$page" &&
    grep -q 'it-it/configurare-outlook' out/sitemap.xml && [ ! -e out/it-it/konfiguracja-outlook ]; then
    pass "new-locale: without the mark the file is a translation"
else
    fail "new-locale: without the mark the file is a translation" "$(cat build.out; ls out/it-it)"
fi

# -- new-locale never overwrites, and writes nothing when a file is in the way
sum() { find content -type f | sort | xargs sha256sum; }
sum >before
"$MG" new-locale it-it >again.out 2>again.err; rc=$?
sum >after
if [ "$rc" -eq 1 ] && grep -q "^content/strings/it-it.yaml: error: exists already" again.err && cmp -s before after; then
    pass "new-locale: refuses to overwrite, changes nothing"
else
    fail "new-locale: refuses to overwrite, changes nothing" "exit $rc: $(cat again.err)"
fi
fresh
echo 'my draft' >content/guides/outlook/guide.es-es.md
"$MG" new-locale es-es >again.out 2>again.err; rc=$?
if [ "$rc" -eq 1 ] && [ "$(grep error: again.err)" = "content/guides/outlook/guide.es-es.md: error: exists already; new-locale never overwrites a file (nothing was written)" ] &&
    [ ! -e content/strings/es-es.yaml ] && [ "$(ls content/guides/*/guide.es-es.md)" = content/guides/outlook/guide.es-es.md ] &&
    [ "$(cat content/guides/outlook/guide.es-es.md)" = 'my draft' ]; then
    pass "new-locale: one file in the way: nothing is written"
else
    fail "new-locale: one file in the way: nothing is written" "exit $rc: $(cat again.err)"
fi

# -- a locale already in site.yaml (added first) is set up the same way ----
fresh
printf '  es-es:\n    name: Español\n    title: Ayuda\n    placeholders:\n      manager: https://www.ovh.com/\n      webmail: https://www.ovh.es/mail/\n' >>content/site.yaml
"$MG" new-locale es-es >new.out 2>new.err; rc=$?
if [ "$rc" -eq 0 ] && grep -q "'es-es' is in site.yaml's locales already" new.out && build >build.out 2>&1; then
    pass "new-locale: a locale listed in site.yaml before its files"
else
    fail "new-locale: a locale listed in site.yaml before its files" "exit $rc: $(cat new.err build.out 2>/dev/null | head -c 600)"
fi

# -- usage errors ------------------------------------------------------------
fresh
sum >before
for bad in 'x' 'en_GB' 'pl-pl' '../evil'; do
    "$MG" new-locale "$bad" >/dev/null 2>err; rc=$?
    sum >after
    if [ "$rc" -eq 2 ] && cmp -s before after; then
        pass "new-locale: '$bad' refused (exit 2), nothing written"
    else
        fail "new-locale: '$bad' refused (exit 2), nothing written" "exit $rc: $(cat err)"
    fi
done
cd "$top"
