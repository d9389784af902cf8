# Hostile input: every case states its outcome, either the exact error (and
# then the previous output/ is byte for byte as it was), or "builds, and the
# output is safe". Every case is bounded in time, and none may write
# anything outside the output directory (checked against a snapshot of the
# work folder and of a folder outside it that symbolic links point into).
# Content: tests/fixtures/dialect/base plus the shipped UI strings and one
# guide, guides/case/guide.en-gb.md, that each case changes.
. tests/lib.sh
top=$PWD
limit=30
case "$MG" in *valgrind*) limit=600 ;; esac # valgrind runs mailguide 20-50 times slower
FM='---\ntitle: Case\nproducts: [basic]\n---\n'

hash_tree() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }
base=$TMP/base
mkdir -p "$base" "$TMP/outside/guide"
cp -R tests/fixtures/dialect/base/content "$base/"
cp content/strings/en-gb.yaml content/strings/pl-pl.yaml "$base/content/strings/"
mkdir -p "$base/content/guides/case/images"
printf png > "$base/content/guides/case/images/a.png"
printf -- "${FM}Text.\n" > "$base/content/guides/case/guide.en-gb.md"
printf -- '---\ntitle: Secret\n---\nsecret\n' > "$TMP/outside/secret.md"
cp "$TMP/outside/secret.md" "$TMP/outside/guide/guide.en-gb.md"
printf 'secret: x\n' > "$TMP/outside/secret.yaml"
printf secretpng > "$TMP/outside/secret.png"
(cd "$base" && "$MG" -q build -C content -t "$top/templates" -o out) &&
    pass "hostile: the base content builds" || fail "hostile: the base content builds"
hash_tree "$base/out" > "$TMP/prev.sum"

# new NAME: a fresh copy of the base (content and its previous output) in $w.
new() {
    name=$1 w=$TMP/c-$1
    cp -a "$base" "$w"
}
guide() { printf '%b' "$FM" > "$w/content/guides/case/guide.en-gb.md"; cat >> "$w/content/guides/case/guide.en-gb.md"; }
snapshot() { # every name outside out/, and the hash of every regular file
    # (but the files a build keeps beside its output by design: the lock,
    # the incremental manifest, the guides' cache and the spare output,
    # docs/publishing.md "Atomic output")
    { find "$w" "$TMP/outside" -path "$w/out" -prune -o ! -type f -print
      find "$w" "$TMP/outside" -path "$w/out" -prune -o -type f -print0 | xargs -0 sha256sum
    } | grep -v -e '/\.out\.lock$' -e '/\.out\.manifest$' -e '/\.out\.docs$' \
          -e '/\.out\.spare\($\|/\)' | sort
}
# build: runs the case's build, bounded; sets rc.
# The case's own records live beside $w, in $w.*.
build() {
    snapshot > "$w.before"
    (cd "$w" && timeout "$limit" "$MG" -q build -C content -t "$top/templates" -o out) >/dev/null 2>"$w.err"
    rc=$?
    snapshot > "$w.after"
}
common() { # the checks every case makes; returns 1 after reporting a failure
    if [ "$rc" -eq 124 ]; then fail "hostile: $name" "timed out after ${limit}s"; return 1; fi
    if grep -q 'runtime error\|Sanitizer\|valgrind\|==[0-9]*==' "$w.err"; then fail "hostile: $name" "$(head -5 "$w.err")"; return 1; fi
    if ! diff -q "$w.before" "$w.after" >/dev/null; then
        fail "hostile: $name writes nothing outside the output" "$(diff "$w.before" "$w.after" | head -5)"; return 1
    fi
    return 0
}
# error NAME LINE...: exit 1, each LINE exactly among the messages, and
# the previous output untouched.
error() {
    local lines=("$@") l missing=
    build
    common || return
    for l in "${lines[@]}"; do grep -Fxq -- "$l" "$w.err" || missing="$missing[$l] "; done
    if [ "$rc" -ne 1 ] || [ -n "$missing" ]; then
        fail "hostile: $name" "exit $rc; missing: $missing; got: $(head -5 "$w.err")"; return
    fi
    hash_tree "$w/out" > "$w.out.sum"
    diff -q "$TMP/prev.sum" "$w.out.sum" >/dev/null &&
        pass "hostile: $name: error, previous output untouched" ||
        fail "hostile: $name: previous output untouched" "$(diff "$TMP/prev.sum" "$w.out.sum" | head -5)"
}
# builds NAME [CHECK...]: exit 0; the output holds only regular files and
# folders (no links), every HTML file is valid UTF-8 without NUL or other
# forbidden control characters; then each CHECK command (run in $w) holds.
# A CHECK that exits 77 could not run here (a validator whose schemas live
# in ../shared, absent from a fresh clone): it is reported SKIP on its own
# line, and the case passes on the checks that did run.
builds() {
    build
    common || return
    if [ "$rc" -ne 0 ]; then fail "hostile: $name" "exit $rc: $(head -5 "$w.err")"; return; fi
    local bad
    bad=$(find "$w/out" ! -type f ! -type d)
    [ -z "$bad" ] || { fail "hostile: $name" "not a regular file in the output: $bad"; return; }
    bad=$(python3 - "$w/out" <<'PY'
import os, re, sys
for d, _, fs in os.walk(sys.argv[1]):
    for f in fs:
        if f.endswith(('.html', '.xml', '.js', '.ps1', '.mobileconfig', '.txt')):
            b = open(os.path.join(d, f), 'rb').read()
            try:
                t = b.decode('utf-8')
            except UnicodeDecodeError as e:
                print(f, 'not UTF-8:', e); continue
            if re.search('[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]', t):
                print(f, 'has a control character')
PY
)
    [ -z "$bad" ] || { fail "hostile: $name" "$bad"; return; }
    local c
    for c in "$@"; do
        (cd "$w" && eval "$c") >"$w.check" 2>&1
        case $? in
        0) ;;
        77) skip "hostile: $name: $c" "$(tail -n 1 "$w.check")" ;;
        *) fail "hostile: $name" "check failed: $c: $(tail -5 "$w.check")"; return ;;
        esac
    done
    pass "hostile: $name: builds, output safe"
}
page=out/en-gb/case/index.html

# ---- bytes ---------------------------------------------------------------------
new utf8-body; printf 'Fine.\n\nCaf\xe9 \xff\xfe and \xed\xa0\x80 half a surrogate.\n' | guide
error "content/guides/case/guide.en-gb.md:7:4: error: invalid UTF-8 (byte 0xE9); save the file as UTF-8"
new utf8-surrogate; printf 'Half a surrogate: \xed\xa0\x80.\n' | guide
error "content/guides/case/guide.en-gb.md:5:19: error: invalid UTF-8 (byte 0xED); save the file as UTF-8"
new utf8-front-matter; printf -- '---\ntitle: Caf\xe9\n---\nText.\n' > "$w/content/guides/case/guide.en-gb.md"
error "content/guides/case/guide.en-gb.md:2:11: error: YAML syntax error: incomplete UTF-8 octet sequence"
new nul-body; printf 'Before\0after.\n' | guide
builds "grep -q 'Before.after' $page"
new nul-front-matter; printf -- '---\ntitle: A\0B\n---\nText.\n' > "$w/content/guides/case/guide.en-gb.md"
error "content/guides/case/guide.en-gb.md:2:9: error: YAML syntax error: control characters are not allowed"
new nul-escape; printf -- '---\ntitle: "A\\0B"\n---\nText.\n' > "$w/content/guides/case/guide.en-gb.md"
error "content/guides/case/guide.en-gb.md:2:8: error: 'title' has a NUL character"
new line-10mb; python3 -c "print('x' * 10485760)" | guide
error "content/guides/case/guide.en-gb.md: error: the file is 10485799 bytes; the limit is 8388608 (8 MiB)"
new line-7mb; python3 -c "print('word ' * 1400000)" | guide
builds "test \$(wc -c < $page) -gt 7000000"
new many-references; python3 -c "print(' '.join('{{x%d}}' % i for i in range(20000)))" | guide
error "content/guides/case/guide.en-gb.md:5:1: error: unknown data reference '{{x0}}': not a data reference; write protocol[.security].field (imap, pop3, smtp; ssl, starttls, none; host, port, security, auth, login), product, provider or settings, optionally after 'product-id:'" \
    "    5 | {{x0}} {{x1}} {{x2}} {{x3}} {{x4}} {{x5}} {{x6}} {{x7}} {{x8}} {{x9}} {{x10}} {{x11}} {{x12}} {{x13}} {{x14}} {{x15}} {{x16}} {{x17}} {{x18}} {{x19}} {{x20}} {{x21}} {{x22}} {{x23}} {{x24}} {{x25}} {{x26}} {{x27}} {{x28}} {{x29}} {{x30}} {{..."
new many-headings; python3 -c "print('## Part\n' * 20000)" | guide
builds "grep -q 'id=\"part-20000\"' $page"

# ---- long text for the drift check ------------------------------------------------------
# A port or host is read against the words around it: its line, the lines
# above it in its paragraph, its table column, its section's heading
# (src/drift.c). Each is read once per block or segment; reading them again
# for every line or value ran past the time limit on each of these.
new drift-paragraph; python3 -c "print('The server port is 12 here.\n' * 30000, end='')" | guide
builds "grep -q 'The server port is 12 here' $page"
new drift-table; { printf '| Server | Port |\n|---|---|\n'; python3 -c "print('| host | 12 |\n' * 20000, end='')"; } | guide
builds "test \$(grep -o '<tr>' $page | wc -l) -gt 20000"
new drift-section; { python3 -c "print('# ' + 'IMAP ' * 100000)"; python3 -c "print('\nThe server port is 12.\n' * 50000, end='')"; } | guide
builds "test \$(grep -c 'The server port is 12' $page) -eq 50000"
new drift-line; python3 -c "print('port 993 ' * 128 + 'xa ' * 2300000)" | guide
builds "grep -q 'port 993 port' $page"

# ---- nesting ---------------------------------------------------------------------
new deep-quotes; python3 -c "print('>' * 10000 + ' deep')" | guide
error "content/guides/case/guide.en-gb.md:5:33: error: block quotes and lists nested more than 32 deep; the limit is 32"
new deep-lists; python3 -c "print('- ' * 10000 + 'deep')" | guide
error "content/guides/case/guide.en-gb.md:5:65: error: block quotes and lists nested more than 32 deep; the limit is 32"
new deep-notes; python3 -c "
for i in range(100): print('> ' * i + '> [!warning] note')" | guide
error "content/guides/case/guide.en-gb.md:37:65: error: block quotes and lists nested more than 32 deep; the limit is 32"
new depth-32; python3 -c "print('> ' * 16 + '- ' * 16 + 'deep')" | guide
# The HTML stays a tree: every element of the body closes, in order.
builds "python3 - $page <<'PY'
import sys
from html.parser import HTMLParser
VOID = {'meta', 'link', 'img', 'br', 'hr', 'input'}
class P(HTMLParser):
    stack, depth, bad = [], 0, []
    def handle_starttag(self, t, a):
        if t not in VOID:
            self.stack.append(t); self.depth = max(self.depth, len(self.stack))
    def handle_endtag(self, t):
        if t in VOID: return
        if not self.stack or self.stack.pop() != t: self.bad.append(t)
p = P(); p.feed(open(sys.argv[1], encoding='utf-8').read())
html = open(sys.argv[1]).read()
assert not p.bad and not p.stack, (p.bad, p.stack)
assert html.count('<blockquote>') == 16 and html.count('<li>\n<ul>') == 15 and p.depth > 48, 'nesting lost'
PY"

# ---- YAML ---------------------------------------------------------------------------
new alias-bomb; p=a; { printf -- '---\ntitle: Case\na: &a ["x","x","x","x","x","x","x","x","x"]\n'
    for i in b c d e f g h i; do printf '%s: &%s [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]\n' $i $i $p $p $p $p $p $p $p $p $p; p=$i; done
    printf -- '---\nText.\n'; } > "$w/content/guides/case/guide.en-gb.md"
error "content/guides/case/guide.en-gb.md:10:4: error: YAML aliases are not supported; write the value again"
new duplicate-keys; printf -- '---\ntitle: One\ntitle: Two\n---\nText.\n' > "$w/content/guides/case/guide.en-gb.md"
error "content/guides/case/guide.en-gb.md:3:1: error: duplicate key 'title' in front matter"
new deep-yaml; { printf -- '---\ntitle: Case\nx: '; python3 -c "print('[' * 100000 + ']' * 100000)"; printf -- '---\nText.\n'; } > "$w/content/guides/case/guide.en-gb.md"
error "content/guides/case/guide.en-gb.md:3:67: error: YAML nested more than 64 deep; the limit is 64"

# ---- numbers -----------------------------------------------------------------------
new big-port; sed -i '0,/port: 993/s//port: 99999999999999999999999999999999/' "$w/content/servers.yaml"
error "content/servers.yaml:10:61: error: 'port' is 99999999999999999999999999999999, outside 1-65535"
new big-legacy; printf -- '---\ntitle: Case\nlegacy_guide_number: 99999999999999999999\n---\nText.\n' > "$w/content/guides/case/guide.en-gb.md"
error "content/guides/case/guide.en-gb.md:3:22: error: 'legacy_guide_number' must be a number like g1281 or 1281, not '99999999999999999999'"
new big-legacy-link; printf '[x]({legacy}4294967338)\n' | guide
error "content/guides/case/guide.en-gb.md:5:5: error: '{legacy}4294967338' is not a legacy link; write {legacy}N with the guide's number [-Wlinks]"
new big-order; printf -- "---\ntitle: Case\norder: \"$(python3 -c "print('9' * 5000)")\"\nupdated: 99999-01-01\n---\nText.\n" > "$w/content/guides/case/guide.en-gb.md"
error "content/guides/case/guide.en-gb.md:4:10: error: 'updated' must be a date written YYYY-MM-DD, not '99999-01-01'"

# ---- empty files ---------------------------------------------------------------------
new empty-guide; : > "$w/content/guides/case/guide.en-gb.md"
error "content/guides/case/guide.en-gb.md:1:1: error: a guide starts with its front matter between '---' lines (title, ...)"
new empty-front-matter; printf -- '---\n---\n' > "$w/content/guides/case/guide.en-gb.md"
error "content/guides/case/guide.en-gb.md:1:1: error: missing required key 'title' in front matter"
new empty-body; printf -- '---\ntitle: Case\n---\n' > "$w/content/guides/case/guide.en-gb.md"
builds "grep -q '<h1' $page"
new empty-servers; : > "$w/content/servers.yaml"
error "content/servers.yaml:1:1: error: the file is empty"
new empty-strings; : > "$w/content/strings/pl-pl.yaml"
error "content/strings/pl-pl.yaml:1:1: error: the file is empty"

# ---- symbolic links and special files ------------------------------------------------
# The rule (src/cfile.c, for every reader of content files): a link whose
# target resolves outside the content directory is refused; one to another
# file of content/ is fine.
new link-guide; ln -sf "$TMP/outside/secret.md" "$w/content/guides/case/guide.en-gb.md"
error "content/guides/case/guide.en-gb.md: error: symbolic link to a file outside the content directory (content): refused; copy the file into the content directory instead"
new link-guide-folder; ln -s "$TMP/outside/guide" "$w/content/guides/leak"
error "content/guides/leak/guide.en-gb.md: error: symbolic link to a file outside the content directory (content): refused; copy the file into the content directory instead"
new link-image; ln -s "$TMP/outside/secret.png" "$w/content/guides/case/images/leak.png"; printf '![](images/leak.png)\n' | guide
error "content/guides/case/images/leak.png: error: symbolic link to a file outside the content directory (content): refused; copy the file into the content directory instead" \
    "content/guides/case/guide.en-gb.md:5:5: error: image 'images/leak.png' cannot be used: see the error reported for content/guides/case/images/leak.png [-Wimages]"
new link-strings; ln -sf "$TMP/outside/secret.yaml" "$w/content/strings/pl-pl.yaml"
error "content/strings/pl-pl.yaml: error: symbolic link to a file outside the content directory (content): refused; copy the file into the content directory instead"
new link-servers; ln -sf /etc/passwd "$w/content/servers.yaml"
error "content/servers.yaml: error: symbolic link to a file outside the content directory (content): refused; copy the file into the content directory instead"
new link-dangling; ln -sf "$TMP/outside/none.yaml" "$w/content/servers.yaml"
error "content/servers.yaml: error: symbolic link to a file that does not exist"
new link-inside; mv "$w/content/guides/case/images/a.png" "$w/content/a.png"; ln -s ../../../a.png "$w/content/guides/case/images/a.png"; printf '![](images/a.png)\n' | guide
builds "cmp out/images/case/images/a.png content/a.png"
# An absolute link into content/ is fine too: the kernel's RESOLVE_BENEATH
# refuses it (src/cfile.c), and the realpath check that follows accepts it.
new link-inside-absolute; mv "$w/content/guides/case/images/a.png" "$w/content/a.png"; ln -s "$w/content/a.png" "$w/content/guides/case/images/a.png"; printf '![](images/a.png)\n' | guide
builds "cmp out/images/case/images/a.png content/a.png"
new fifo; rm "$w/content/servers.yaml"; mkfifo "$w/content/servers.yaml"
error "content/servers.yaml: error: not a regular file"

# ---- names that would climb out of the output or that Windows reserves -----------------
new slug-dotdot; printf -- '---\ntitle: Case\nslug: ../../x\n---\nText.\n' > "$w/content/guides/case/guide.en-gb.md"
error "content/guides/case/guide.en-gb.md:3:7: error: 'slug' must be lower-case letters, digits, '-' and '_' (and not 'settings' or a device name like 'con'), not '../../x'"
new slug-backslash; printf -- '---\ntitle: Case\nslug: a\\\\b\n---\nText.\n' > "$w/content/guides/case/guide.en-gb.md"
error "content/guides/case/guide.en-gb.md:3:7: error: 'slug' must be lower-case letters, digits, '-' and '_' (and not 'settings' or a device name like 'con'), not 'a\\\\b'"
new slug-nul; printf -- '---\ntitle: Case\nslug: "a\\0b"\n---\nText.\n' > "$w/content/guides/case/guide.en-gb.md"
error "content/guides/case/guide.en-gb.md:3:7: error: 'slug' has a NUL character"
new slug-con; printf -- '---\ntitle: Case\nslug: con\n---\nText.\n' > "$w/content/guides/case/guide.en-gb.md"
error "content/guides/case/guide.en-gb.md:3:7: error: 'slug' must be lower-case letters, digits, '-' and '_' (and not 'settings' or a device name like 'con'), not 'con'"
new slug-settings; printf -- '---\ntitle: Case\nslug: settings\n---\nText.\n' > "$w/content/guides/case/guide.en-gb.md"
error "content/guides/case/guide.en-gb.md:3:7: error: 'slug' must be lower-case letters, digits, '-' and '_' (and not 'settings' or a device name like 'con'), not 'settings'"
new locale-nul; sed -i 's/^  pl-pl:$/  nul:/' "$w/content/site.yaml"
error "content/site.yaml:13:3: error: locale 'nul' is a name Windows reserves for devices"
new locale-dotdot; sed -i 's/^  pl-pl:$/  "..\/x":/' "$w/content/site.yaml"
error "content/site.yaml:13:3: error: '../x' is not a BCP 47 language tag (like en-gb or pt-br)"
new locale-slash-file; cp "$w/content/guides/case/guide.en-gb.md" "$w/content/guides/case/guide.en-gb\\x.md"
build; common && [ "$rc" -eq 0 ] && [ ! -e "$w/out/en-gb\\x" ] && pass "hostile: $name: skipped, output safe" || fail "hostile: $name" "exit $rc: $(head -3 "$w.err")"
new product-id-aux; sed -i 's/- id: pro$/- id: aux/' "$w/content/servers.yaml"
error "content/servers.yaml:18:13: error: 'id' may not be 'aux', a name Windows reserves for devices"
new product-id-dotdot; sed -i 's/- id: pro$/- id: "..\/x"/' "$w/content/servers.yaml"
error "content/servers.yaml:18:13: error: 'id' must be 1-64 lower-case letters, digits and hyphens, not '../x'"
new guide-id-con; mv "$w/content/guides/case" "$w/content/guides/con"
error "content/guides/con: error: a guide's folder name is its id in the output: lower-case letters, digits, '-', '_' and '.', starting with a letter or digit, not a device name like 'con'"
new guide-id-backslash; mv "$w/content/guides/case" "$w/content/guides/a\\b"
error "content/guides/a\\b: error: a guide's folder name is its id in the output: lower-case letters, digits, '-', '_' and '.', starting with a letter or digit, not a device name like 'con'"
new guide-id-dots; mv "$w/content/guides/case" "$w/content/guides/a..b"
builds "test -f out/en-gb/guide/index.html"

# ---- images that would climb out of content/ -----------------------------------------------
for img in ../../site.yaml /etc/passwd 'images/../../target/x.png' 'images\x.png' images/con.png; do
    new "image-$(printf %s "$img" | tr -c 'a-z0-9' '_')"; printf '![](%s)\n' "$img" | guide
    error "content/guides/case/guide.en-gb.md:5:5: error: image path '$img' must be a plain path inside the guide's folder (no '..', '\\', device names like 'con') [-Wimages]"
done
new image-url; printf '![](file:///etc/passwd)\n' | guide
error "content/guides/case/guide.en-gb.md:5:5: error: image 'file:///etc/passwd' is not a file beside the guide (pages load nothing from outside the site) [-Wimages]"

# ---- ids and slugs named like the output's own folders --------------------------------------
# Guide pages live in <locale>/<slug>/, images in images/<guide>/: a slug or
# guide id can never reach the top level, so these build, and the files of
# the top level stay what they are.
for slug in mail autodiscover profiles downloads assets images en-gb pl-pl well-known; do
    new "slug-$slug"; printf -- "---\ntitle: Case\nslug: $slug\n---\nText.\n" > "$w/content/guides/case/guide.en-gb.md"
    builds "test -f out/en-gb/$slug/index.html" \
        "xmllint --noout out/mail/config-v1.1.xml out/.well-known/autoconfig/mail/config-v1.1.xml out/autodiscover/autodiscover.xml" \
        "test -f out/profiles/basic/en-gb/config-v1.1.xml" "test -f out/assets/style.css"
done
new guide-id-mail; mv "$w/content/guides/case" "$w/content/guides/mail"
builds "test -f out/en-gb/mail/index.html" "xmllint --noout out/mail/config-v1.1.xml"
new guide-id-hidden; mv "$w/content/guides/case" "$w/content/guides/.well-known"
builds "test ! -e out/images/.well-known" "xmllint --noout out/.well-known/autoconfig/mail/config-v1.1.xml" "! grep -rq 'Case' out/en-gb/index.html"

# ---- display names with every metacharacter ------------------------------------------------
# XML, JavaScript, PowerShell, shell and HTML metacharacters, typographic
# quotes (PowerShell's single quotes too), U+2028/U+2029 (line ends in old
# JavaScript), a line break and a tab: every generated file stays valid, as
# the independent validators in tests/tools/ read it.
evil='"Evil <b>&amp; \"q\" '"'"'s` ; $(rm -rf /) | \\\\ \\t ${x} @(1) %PATH% ‘x’ ’y‛ “z” \\u2028 \\u2029 </script> ]]> --> @'"'"'\\n'"'"'@ end"'
new names-metachars
sed -i "0,/^    name: .*/s//    name: $(printf '%s' "$evil" | sed 's/[\/&]/\\&/g')/" "$w/content/servers.yaml"
sed -i "0,/^        name: Basic$/s//        name: $(printf '%s' "$evil" | sed 's/[\/&]/\\&/g')/" "$w/content/servers.yaml"
printf 'Provider {{provider}}, product {{product}}.\n' | guide
T=$top/tests/tools P=out/profiles/basic/en-gb
builds "grep -q 'Evil' $P/config-v1.1.xml" \
    "python3 -c 'import plistlib, sys; plistlib.load(open(sys.argv[1], \"rb\"))' $P/basic.mobileconfig" \
    "python3 $T/check_mobileconfig.py $P/basic.mobileconfig" \
    "python3 $T/check_autoconfig.py $P/config-v1.1.xml" \
    "bash $T/check_userjs.sh $P/user.js" \
    "bash $T/check_autodiscover.sh $P/autodiscover.xml" \
    "python3 $T/check_ps1.py $P/setup-basic.ps1" \
    "xmllint --noout out/sitemap.xml out/mail/config-v1.1.xml" \
    "python3 $T/site_check.py out https://help.example.test/mail/"
if need_vnu; then
    java -jar "$top/$VNU_JAR" --errors-only --skip-non-html "$w/out" >"$w.vnu" 2>&1 &&
        pass "hostile: names-metachars: Nu HTML Checker: 0 errors" ||
        fail "hostile: names-metachars: Nu HTML Checker: 0 errors" "$(head -5 "$w.vnu")"
else
    skip "hostile: names-metachars: Nu HTML Checker" "vnu-jar not installed (npm ci failed)"
fi
new names-control; sed -i '0,/^        name: Basic$/s//        name: "Basic\\x01\\x1b"/' "$w/content/servers.yaml"
error "content/servers.yaml:7:15: error: 'name' has the control character U+0001; write printable text"
new names-c1; sed -i '0,/^        name: Basic$/s//        name: "Basic\\u0085"/' "$w/content/servers.yaml"
error "content/servers.yaml:7:15: error: 'name' has the control character U+0085; write printable text"

# ---- limits -------------------------------------------------------------------------------
new too-many-servers; python3 - "$w/content/servers.yaml" <<'PY'
import sys
p = sys.argv[1]; s = open(p).read()
extra = ''.join('          - {protocol: imap, host: imap%d.example.test, port: 993, security: ssl}\n' % i for i in range(33))
s = s.replace('        incoming:\n', '        incoming:\n' + extra, 1)
open(p, 'w').write(s)
PY
error "content/servers.yaml:10:11: error: product 'basic' has 37 incoming servers; the limit is 32"
new too-many-locales; python3 - "$w/content/site.yaml" <<'PY'
import sys
p = sys.argv[1]; s = open(p).read()
s += ''.join('  x%s:\n    name: X\n    title: X\n' % (chr(97 + i // 26) + chr(97 + i % 26)) for i in range(70))
open(p, 'w').write(s)
PY
error "content/site.yaml:7:3: error: 72 locales; the limit is 64"
new too-many-guides; (cd "$w/content/guides" && seq -f 'g%05g' 1 10001 | xargs mkdir)
error "content/guides: error: 10003 entries; the limit is 10000 guides"
