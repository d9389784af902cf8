# Parallel and incremental builds: --jobs 1 and --jobs 2 write the same bytes
# and messages; a rebuild after a change equals a clean full build of the
# same input, renders only what depends on the change, and a rebuild without
# change writes nothing (not even the swap).
. tests/lib.sh
top=$PWD
export SOURCE_DATE_EPOCH=1700000000
hash_tree() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }
# inode, mtime and name of everything in DIR, and DIR's own inode
stat_tree() { stat -c '%i' "$1"; (cd "$1" && find . -printf '%i %T@ %p\n' | sort -k3); }
# inode and name of every file in DIR
inodes() { (cd "$1" && find . -type f -printf '%i %p\n' | sort -k2); }
cd "$TMP" || exit 1

# A corpus of 30 guides x 10 locales (bench/gen.py), plus the shipped guides
# (download boxes, fallbacks) and three tables without a delimiter row, so
# that there are warnings to replay.
python3 "$top/bench/gen.py" corpus 300 10 >/dev/null
c=corpus/mailguide/content
cp -R "$top/templates" tpl
for g in 00003 00011 00027; do
    printf '\n|a|b|\n|c|d|\n' >> $c/guides/guide-$g/guide.en-gb.md
done
mg() { "$MG" build -C $c -t tpl "$@"; }
full() { # DIR: a clean full build of the current input, its messages in DIR.err
    rm -rf "$1" ".$1.manifest"; mg -o "$1" --jobs 1 --full 2> "$1.err"
}
# same_as_full NAME: out/ equals a clean full build of the current input
same_as_full() {
    full ref; hash_tree out > out.sum; hash_tree ref > ref.sum
    same "$1" ref.sum out.sum
}

# ---- parallel ----
mg -o one --jobs 1 --full 2> one.err; rc1=$?
mg -o two --jobs 2 --full 2> two.err; rc2=$?
mg -o three --jobs 3 --full 2> three.err
[ $rc1 -eq 0 ] && [ $rc2 -eq 0 ] && [ "$(grep -c warning one.err)" -eq 3 ] &&
    pass "parallel: builds with 3 warnings" || fail "parallel: builds with 3 warnings" "$rc1 $rc2 $(cat one.err)"
hash_tree one > one.sum; hash_tree two > two.sum; hash_tree three > three.sum
same "parallel: --jobs 2 output is byte-identical to --jobs 1" one.sum two.sum
same "parallel: --jobs 3 output is byte-identical to --jobs 1" one.sum three.sum
sed -i 's/ to one$/ to DIR/' one.err; sed -i 's/ to two$/ to DIR/' two.err
same "parallel: --jobs 2 messages are those of --jobs 1" one.err two.err
[ "$(unzip -l one/downloads/site.zip | tail -1 | awk '{print $2}')" -gt 256 ] &&
    pass "parallel: the site zip is big enough to be deflated in parts" ||
    fail "parallel: the site zip is big enough to be deflated in parts"
"$MG" build --jobs 0 >/dev/null 2>&1; [ $? -eq 2 ] && pass "parallel: --jobs 0 is a usage error" ||
    fail "parallel: --jobs 0 is a usage error"

# cmark-gfm marks its extensions' characters in one table for the whole
# process and clears it as each parse ends (github/cmark-gfm#221): with two
# threads, autolinks came and went from run to run. mailguide keeps them
# marked by standing in for the library's function; check that the library
# binds to it, and that a corpus full of autolinks builds the same bytes
# with --jobs 2 as with --jobs 1, several times over.
LD_BIND_NOW=1 LD_DEBUG=bindings "$MG" --version 2>&1 |
    grep -q "to [^ ]*mailguide \[0\]: normal symbol .cmark_manage_extensions_special_characters" &&
    pass "parallel: cmark-gfm's special-character table is mailguide's to manage" ||
    fail "parallel: cmark-gfm's special-character table is mailguide's to manage"
if grep -qs valgrind "$MG"; then
    # valgrind runs one thread at a time: no race to see, and slowly.
    echo "SKIP parallel: autolinks with --jobs 2 (valgrind runs one thread at a time)"
else
    mkdir -p links && cp -R $c/site.yaml $c/servers.yaml $c/strings links/
python3 - <<'PY'
import os
for g in range(120):
    d = f"links/guides/g{g:03d}"
    os.makedirs(d)
    body = "".join(f"Line {i}: see https://example.org/p{g}/{i} or www.example.com/q{i}, "
                   f"~~old {i}~~ and mail{i}@example.net.\n\n" for i in range(300))
    with open(f"{d}/guide.en-gb.md", "w") as f:
        f.write(f"---\ntitle: Guide {g}\nslug: g{g:03d}\n---\n\n{body}")
PY
    "$MG" -q build -C links -t tpl -o links1 --jobs 1 2>/dev/null; hash_tree links1 > links1.sum
    same_runs=0
    for k in 1 2 3 4; do
        rm -rf links2 .links2.*
        "$MG" -q build -C links -t tpl -o links2 --jobs 2 2>/dev/null; hash_tree links2 > links2.sum
        cmp -s links1.sum links2.sum && same_runs=$((same_runs + 1))
    done
    [ -s links1.sum ] && [ $same_runs -eq 4 ] &&
        pass "parallel: autolinks are the same with --jobs 2, four builds out of four" ||
        fail "parallel: autolinks are the same with --jobs 2, four builds out of four" "$same_runs of 4"
fi

# ---- incremental ----
mg -o out 2> first.err
stat_tree out > before.stat
mg -o out 2> again.err; rc=$?
stat_tree out > after.stat
[ $rc -eq 0 ] && grep -q 'out is up to date' again.err &&
    pass "incremental: a rebuild without change says the output is up to date" ||
    fail "incremental: a rebuild without change says the output is up to date" "$(cat again.err)"
same "incremental: a rebuild without change writes nothing (inodes, mtimes, no swap)" before.stat after.stat
ls -a | grep -q staging && fail "incremental: no staging left" "$(ls -a)" || pass "incremental: no staging left"
grep -v '^mailguide: ' first.err > first.w; grep -v '^mailguide: ' again.err > again.w
same "incremental: warnings of kept pages are reported again" first.w again.w

# A template change that renders the same bytes writes nothing, but the
# manifest takes the new keys: the next rebuild is incremental again.
printf '{{! a comment renders nothing }}' >> tpl/page.html.tpl
mg -o out 2> same.err
sed -i 's/^## Part 3: /## Part 3 (edited): /' $c/guides/guide-00004/guide.fr-fr.md
mg -o out -v 2> after.err
grep -q 'out is up to date' same.err &&
    grep -q '^mailguide: 1 of 30 guides read and rendered, 29 kept' after.err &&
    pass "incremental: after a change that renders the same bytes, rebuilds stay incremental" ||
    fail "incremental: after a change that renders the same bytes, rebuilds stay incremental" "$(grep '^mailguide' same.err after.err)"

# One guide's text changes: only its pages (and the zip holding them) are
# written; every other file is the previous output's, kept by a hard link
# (the same inode).
inodes out | grep -v -e ' ./fr-fr/guide-00005/' -e ' ./downloads/site.zip$' > kept-before.ino
sed -i 's/^## Part 2: /## Part 2 (changed): /' $c/guides/guide-00005/guide.fr-fr.md
mg -o out -v 2> one.err
inodes out | grep -v -e ' ./fr-fr/guide-00005/' -e ' ./downloads/site.zip$' > kept-after.ino
[ "$(wc -l < kept-before.ino)" -gt 300 ] &&
    same "incremental: the files one changed guide does not touch keep their inodes" kept-before.ino kept-after.ino
grep '^  wrote ' one.err | sed 's/^  wrote //' | sort > written.txt
if grep -q 'fr-fr/guide-00005/index.html' written.txt &&
    ! grep -v -e '^fr-fr/guide-00005/' -e '^downloads/site.zip$' written.txt | grep -q .; then
    pass "incremental: one changed guide writes its page and the site zip only"
else
    fail "incremental: one changed guide writes its page and the site zip only" "$(head -20 written.txt)"
fi
same_as_full "incremental: after one guide changed, output equals a full build"
grep -v '^mailguide: ' one.err | grep -v '^  wrote ' > one.w; grep -v '^mailguide: ' ref.err > ref.w
same "incremental: messages equal a full build's" ref.w one.w
# A full build over the output: the swapped-out output is removed, so is
# the spare, and beside the output are only its lock, manifest and guides'
# cache.
mg -o out --full -v 2> full.err
ls -a | grep '^\.out\.' > beside.txt
printf '%s\n' .out.docs .out.lock .out.manifest > beside.want
same "incremental: nothing else is left beside the output" beside.want beside.txt

# A title changes: pages linking to it and the homes follow.
sed -i 's/^title: Guide 7 about/title: Guide seven about/' $c/guides/guide-00007/guide.en-gb.md
mg -o out 2>/dev/null; same_as_full "incremental: after a title changed, output equals a full build"
# What pages show of other guides (guide.h's views): one locale's title of
# a guide that another links to with an empty {legacy} link, and a section
# label that the home lists show. The linking page and the home follow, as
# a full build shows them.
sed -i 's/^title: Guide 12 about the program (de-de)$/title: Zwölfte Anleitung/' $c/guides/guide-00012/guide.de-de.md
mg -o out 2>/dev/null
grep -q '>Zwölfte Anleitung</a>' out/de-de/guide-00011/index.html &&
    ! grep -q 'Zwölfte' out/fr-fr/guide-00011/index.html &&
    pass "incremental: a linked guide's title in one locale shows on the linking page" ||
    fail "incremental: a linked guide's title in one locale shows on the linking page" "$(grep -o 'See also.*' out/de-de/guide-00011/index.html)"
same_as_full "incremental: after a linked guide's title changed in one locale, output equals a full build"
sed -i 's/^section: clients$/section: Meine Programme/' $c/guides/guide-00013/guide.de-de.md
mg -o out 2>/dev/null
python3 - out/de-de/index.html out/fr-fr/index.html <<'PY' &&
import sys
from html.parser import HTMLParser
class Texts(HTMLParser):
    def __init__(self):
        super().__init__(); self.texts = []
    def handle_data(self, data):
        self.texts.append(data.strip())
def texts(path):
    p = Texts(); p.feed(open(path, encoding="utf-8").read()); return p.texts
sys.exit(0 if "Meine Programme" in texts(sys.argv[1]) and
         "Meine Programme" not in texts(sys.argv[2]) else 1)
PY
    pass "incremental: a section label changed in one locale shows on that locale's home" ||
    fail "incremental: a section label changed in one locale shows on that locale's home"
same_as_full "incremental: after a section label changed, output equals a full build"
# The manifest's first line names its record formats (src/rec.h): one of
# another version (here the messages' records) is not read, and the build
# is a full one.
sed -i '1s/\tdiag [0-9]* /\tdiag 0 /' .out.manifest
mg -o out -v 2> older.err
grep -q '^mailguide: 30 of 30 guides read and rendered, 0 kept' older.err &&
    pass "incremental: a manifest of another record version makes a full build" ||
    fail "incremental: a manifest of another record version makes a full build" "$(grep '^mailguide' older.err)"
same_as_full "incremental: after a manifest of another version, output equals a full build"
# A guide is added, another removed.
cp -R $c/guides/guide-00001 $c/guides/guide-00100
sed -i 's/^slug: guide-00001/slug: guide-00100/; s/^legacy_guide_number: g5001/legacy_guide_number: g5100/' $c/guides/guide-00100/*.md
rm -r $c/guides/guide-00029
sed -i 's/{legacy}5029/{legacy}5001/' $c/guides/guide-00028/*.md
mg -o out 2>/dev/null; same_as_full "incremental: after a guide was added and one removed, output equals a full build"
# A template, a UI string, the server table.
echo '<!-- changed -->' >> tpl/page.html.tpl
mg -o out 2>/dev/null; same_as_full "incremental: after a template changed, output equals a full build"
# The profiles, kits and assets are one job: kept whole, or rendered again
# when what they read changes (here a profile template).
sed -i 's/^## Part 3: /## Part 3 (again): /' $c/guides/guide-00005/guide.fr-fr.md
mg -o out -v 2> sitefiles.err
grep -q '^mailguide: profiles, kits and assets kept$' sitefiles.err &&
    pass "incremental: profiles are kept while no template or table changes" ||
    fail "incremental: profiles are kept while no template or table changes" "$(grep '^mailguide' sitefiles.err)"
printf '// changed\n' >> tpl/profiles/user.js.tpl
mg -o out -v 2> userjs.err
grep -q '^mailguide: profiles, kits and assets rendered$' userjs.err &&
    grep -q '^  wrote .*user\.js$' userjs.err &&
    pass "incremental: a changed profile template writes the profiles again" ||
    fail "incremental: a changed profile template writes the profiles again" "$(grep '^  wrote ' userjs.err | head)"
same_as_full "incremental: after a profile template changed, output equals a full build"
sed -i 's/^home: .*/home: Start/' $c/strings/en-gb.yaml
mg -o out 2>/dev/null; same_as_full "incremental: after a UI string changed, output equals a full build"
sed -i '0,/port: 993/s//port: 994/' $c/servers.yaml
mg -o out 2>/dev/null; same_as_full "incremental: after the server table changed, output equals a full build"
# An image changes; then one goes missing: an error, not a kept page.
printf 'not really a png' > $c/guides/guide-00002/images/step-3.png
mg -o out 2>/dev/null; same_as_full "incremental: after an image changed, output equals a full build"
mv $c/guides/guide-00002/images/step-3.png step-3.png
mg -o out 2> missing.err; rc=$?
[ $rc -eq 1 ] && grep -q "guide-00002/guide.*error: missing image" missing.err &&
    pass "incremental: a missing image is an error again" ||
    fail "incremental: a missing image is an error again" "exit $rc: $(head -3 missing.err)"
mv step-3.png $c/guides/guide-00002/images/step-3.png
# The checks are incremental too: an unchanged guide is not read again, but
# its links still meet the changed guides. guide-00008 links to a heading of
# guide-00009; renaming that heading is an error in the kept guide's file.
printf '\nSee [part 2 there](../guide-00009/#part-2).\n' >> $c/guides/guide-00008/guide.en-gb.md
mg -o out 2>/dev/null
sed -i 's/{#part-2}/{#part-two}/' $c/guides/guide-00009/guide.en-gb.md
mg -o out -v 2> anchor.err; rc=$?
[ $rc -eq 1 ] && grep -q "guide-00008/guide.en-gb.md:[0-9]*:[0-9]*: error: link to '../guide-00009/#part-2'" anchor.err &&
    ! grep -q '^  wrote en-gb/guide-00008/' anchor.err &&
    pass "incremental: a kept guide's link to a changed heading is an error" ||
    fail "incremental: a kept guide's link to a changed heading is an error" "exit $rc: $(grep -v '^  ' anchor.err | head -5)"
"$MG" check -C $c > /dev/null 2> check.err
grep -v '^mailguide: ' check.err | sort > check.w
grep -v '^mailguide: ' anchor.err | grep -v '^  wrote \|^  kept ' | sort > anchor.w
same "incremental: its messages are those of mailguide check" check.w anchor.w
sed -i 's/{#part-two}/{#part-2}/' $c/guides/guide-00009/guide.en-gb.md
mg -o out 2> fixed.err; rc=$?
[ $rc -eq 0 ] && ! grep -q 'guide-00008' fixed.err &&
    pass "incremental: the heading back, the kept guide's link is fine again" ||
    fail "incremental: the heading back, the kept guide's link is fine again" "exit $rc: $(head -3 fixed.err)"
# The checks that need every page keep their messages while every guide is
# unchanged (no guide's facts are read back then): a translation shaped
# unlike its original is noted again on a rebuild without change, and no
# longer once the original is as before.
cp $c/guides/guide-00005/guide.en-gb.md part.orig
printf '\n## One more part\n\nText.\n' >> $c/guides/guide-00005/guide.en-gb.md
mg -o out 2> shaped.err; rc1=$?
mg -o out 2> shaped2.err; rc2=$?
grep -v '^mailguide: ' shaped.err > shaped.w; grep -v '^mailguide: ' shaped2.err > shaped2.w
[ $rc1 -eq 0 ] && [ $rc2 -eq 0 ] && grep -q 'out is up to date' shaped2.err &&
    grep -q 'guide-00005/guide\.[a-z-]*\.md:[0-9:]* note: possibly stale: shaped unlike' shaped.w &&
    pass "incremental: the site's checks note a translation shaped unlike its original" ||
    fail "incremental: the site's checks note a translation shaped unlike its original" "$rc1 $rc2 $(head -5 shaped.err shaped2.err)"
same "incremental: a rebuild without change reports the site's checks' messages again" shaped.w shaped2.w
cp part.orig $c/guides/guide-00005/guide.en-gb.md
mg -o out 2> shaped3.err
! grep -q 'shaped unlike' shaped3.err &&
    pass "incremental: the original as before, the site's checks say nothing of it" ||
    fail "incremental: the original as before, the site's checks say nothing of it" "$(head -5 shaped3.err)"
# Messages kept with a guide were filtered by the -W options of their build:
# other options read the guides again.
mg -o out -Wno-tables 2> notables.err
mg -o out 2> tables.err
[ "$(grep -c 'warning: table without' notables.err)" -eq 0 ] &&
    [ "$(grep -c 'warning: table without' tables.err)" -eq 3 ] &&
    pass "incremental: -W options apply to kept guides' messages" ||
    fail "incremental: -W options apply to kept guides' messages" "$(grep -c 'table without' notables.err tables.err)"
same_as_full "incremental: after the checks' changes, output equals a full build"
# -q: an error found while rendering keeps its source line and caret.
printf '\n![gone](images/gone.png)\n' >> $c/guides/guide-00010/guide.en-gb.md
mg -o out -q 2>/dev/null
mg -o out -q 2> q.err
grep -q 'error: missing image' q.err && grep -q '^ *| *\^' q.err &&
    pass "incremental: under -q an error keeps its caret line" ||
    fail "incremental: under -q an error keeps its caret line" "$(head -5 q.err)"
sed -i '$d' $c/guides/guide-00010/guide.en-gb.md
# Another time stamp for the zips.
SOURCE_DATE_EPOCH=1800000000 mg -o out 2>/dev/null
SOURCE_DATE_EPOCH=1800000000 same_as_full "incremental: after SOURCE_DATE_EPOCH changed, zips equal a full build's"
# The output edited by hand, or replaced by a copy: the next build repairs it.
echo tampered >> out/en-gb/guide-00004/index.html
echo stray > out/stray.txt
mkdir -p out/en-gb/guide-00004/extra && echo stray > out/en-gb/guide-00004/extra/x.txt
mg -o out 2>/dev/null; same_as_full "incremental: a page edited by hand is rendered again"
# The swapped-out output, with what was put in it by hand, is the spare
# (mended by the next build that writes); no staging folder is left.
ls -a | grep -e staging -e '^\.out\.' |
    grep -qv -e '^\.out\.docs$' -e '^\.out\.lock$' -e '^\.out\.manifest$' -e '^\.out\.spare$' &&
    fail "incremental: nothing but the output is left after a repair" "$(ls -a)" ||
    pass "incremental: nothing but the output is left after a repair"
[ ! -e out/stray.txt ] && [ ! -e out/en-gb/guide-00004/extra ] &&
    pass "incremental: files put in the output by hand are gone" ||
    fail "incremental: files put in the output by hand are gone" "$(ls out | head)"
# A change that renders the same bytes while a file put in the output by
# hand must go: nothing is written, yet staging is made and swapped in.
printf '\n' >> $c/guides/guide-00013/guide.en-gb.md
mg -o out 2>/dev/null
printf '\n' >> $c/guides/guide-00013/guide.en-gb.md
echo stray > out/en-gb/stray.html
grep '^data' .out.manifest > facts.before
mg -o out -v 2> samebytes.err; rc=$?
[ $rc -eq 0 ] && grep -q '^mailguide: wrote 0 files' samebytes.err && [ ! -e out/en-gb/stray.html ] &&
    pass "incremental: nothing written but a stray to drop: the build succeeds" ||
    fail "incremental: nothing written but a stray to drop: the build succeeds" "exit $rc: $(grep -v '^  ' samebytes.err | head -5)"
same_as_full "incremental: after a stray was dropped, output equals a full build"
# Without any change at all, files put in the output by hand, at the top or
# deep in a folder of their own, go too: a build tells them by the folders'
# times (changed since the last manifest), then reads every folder.
mg -o out 2>/dev/null
mkdir -p out/de-de/guide-00005/deep/er && echo stray > out/de-de/guide-00005/deep/er/x.txt
echo stray > out/top-stray.txt
mg -o out -v 2> nochange-stray.err; rc=$?
[ $rc -eq 0 ] && [ ! -e out/de-de/guide-00005/deep ] && [ ! -e out/top-stray.txt ] &&
    grep -q '^mailguide: wrote 0 files' nochange-stray.err &&
    pass "incremental: without a change, files put in the output by hand go" ||
    fail "incremental: without a change, files put in the output by hand go" "exit $rc: $(grep -v '^  ' nochange-stray.err | head -3)"
mg -o out -v 2> nochange.err
grep -q '^mailguide: out is up to date' nochange.err &&
    pass "incremental: after that, a build without change finds the output up to date" ||
    fail "incremental: after that, a build without change finds the output up to date" "$(grep -v '^  ' nochange.err | head -3)"
# That build read no guide's check facts back: the manifest carries them on
# as they were, and the next rebuild reads them (it keeps the other guides).
grep '^data' .out.manifest > facts.after
same "incremental: the check facts of guides not read are carried on unchanged" facts.before facts.after
printf '\nOnce more.\n' >> $c/guides/guide-00013/guide.en-gb.md
mg -o out -v 2> facts.err
grep -q '^mailguide: 1 of 30 guides read and rendered, 29 kept' facts.err &&
    pass "incremental: after that, a one-guide rebuild keeps the others with their facts" ||
    fail "incremental: after that, a one-guide rebuild keeps the others with their facts" "$(grep '^mailguide' facts.err)"
# A kept guide's facts are read back while the zips are made; when the
# manifest's record of them is damaged, the build is made again in full
# (quietly: its messages are those of a full build) and succeeds.
awk '/^job\tguide guide-00020\t/ {g=1} g && /^data\t/ {print "data\tno such record"; g=0; next} {print}' \
    .out.manifest > damaged.manifest && mv damaged.manifest .out.manifest
grep -q '^data.no such record$' .out.manifest || fail "incremental: a damaged record of facts is made for the test"
printf '\nAnd again.\n' >> $c/guides/guide-00013/guide.en-gb.md
mg -o out -v 2> damaged.err; rc=$?
full ref
grep -v '^  \|^mailguide' damaged.err > damaged.msgs; grep -v '^  \|^mailguide' ref.err > ref.msgs
[ $rc -eq 0 ] && grep -q '^mailguide: 30 of 30 guides read and rendered, 0 kept' damaged.err &&
    grep -q "^mailguide: .* check facts .* cannot be read back: building again in full" damaged.err &&
    cmp -s damaged.msgs ref.msgs &&
    [ "$(grep -c warning damaged.msgs)" -eq 3 ] &&
    pass "incremental: damaged check facts in the manifest: built again in full, same messages" ||
    fail "incremental: damaged check facts in the manifest: built again in full, same messages" \
        "exit $rc: $(grep '^mailguide' damaged.err | head -5); $(diff damaged.msgs ref.msgs | head -5)"
same_as_full "incremental: after damaged check facts, output equals a full build"
! grep -q '^data.no such record$' .out.manifest &&
    pass "incremental: the damaged record is not carried on" ||
    fail "incremental: the damaged record is not carried on"
sed -i '$d' $c/guides/guide-00013/guide.en-gb.md; sed -i '$d' $c/guides/guide-00013/guide.en-gb.md
sed -i '$d' $c/guides/guide-00013/guide.en-gb.md; sed -i '$d' $c/guides/guide-00013/guide.en-gb.md
mg -o out 2>/dev/null # incremental again: the output before last is the spare
# The spare (src/out.h): the output before last, hard links mostly, which
# staging starts from. What was done to it by hand is mended; a page
# written again is a new file, never written into (until the swap, the
# output links to the same file).
[ -d .out.spare ] && [ -f .out.spare/index.html ] &&
    pass "spare: an incremental build leaves the output it replaced as .out.spare" ||
    fail "spare: an incremental build leaves the output it replaced as .out.spare" "$(ls -a)"
echo stray > .out.spare/stray.txt
mkdir -p .out.spare/en-gb/guide-00006/extra && echo stray > .out.spare/en-gb/guide-00006/extra/x.txt
rm .out.spare/en-gb/guide-00007/index.html && mkdir .out.spare/en-gb/guide-00007/index.html
rm .out.spare/en-gb/guide-00008/index.html && ln -s /etc/hostname .out.spare/en-gb/guide-00008/index.html
rm .out.spare/sitemap.xml && echo '<urlset/>' > .out.spare/sitemap.xml
rm -r .out.spare/images
ln out/en-gb/guide-00003/index.html held.html && cp out/en-gb/guide-00003/index.html held.orig
printf '\nChanged once more.\n' >> $c/guides/guide-00003/guide.en-gb.md
mg -o out 2> spare.err; rc=$?
[ $rc -eq 0 ] && cmp -s held.html held.orig && ! cmp -s held.html out/en-gb/guide-00003/index.html &&
    pass "spare: a page written again is a new file, the previous one unchanged" ||
    fail "spare: a page written again is a new file, the previous one unchanged" "exit $rc: $(head -3 spare.err)"
same_as_full "spare: after a spare changed by hand, output equals a full build"
[ -z "$(find out -type l)" ] && pass "spare: no symbolic link of the spare reaches the output" ||
    fail "spare: no symbolic link of the spare reaches the output" "$(find out -type l)"
rm -f held.html held.orig
# A guide removed, then added back: its pages leave the output, then return.
mv $c/guides/guide-00012 guide-00012
sed -i 's/{legacy}5012/{legacy}5001/' $c/guides/*/*.md
mg -o out 2>/dev/null; same_as_full "incremental: a guide removed, output equals a full build"
[ ! -e out/en-gb/guide-00012 ] && pass "incremental: a removed guide's pages leave the output" ||
    fail "incremental: a removed guide's pages leave the output" "$(ls out/en-gb/guide-00012)"
mv guide-00012 $c/guides/guide-00012
mg -o out 2>/dev/null; same_as_full "incremental: the guide back, output equals a full build"
cp -a out copy && rm -rf out && mv copy out
sed -i 's/^## Part 3: /## Part 3 (changed): /' $c/guides/guide-00006/guide.de-de.md
mg -o out 2>/dev/null; same_as_full "incremental: an output folder replaced by a copy gets a full build"
