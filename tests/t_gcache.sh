# The guides' cache (src/incr_cache.h): a rebuild reads only the guide files
# whose stamp changed, and what it makes of the others equals what reading
# them would give. Each case compares with a clean --full build.
. tests/lib.sh
top=$PWD
export SOURCE_DATE_EPOCH=1700000000
hash_tree() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }
cd "$TMP" || exit 1

python3 "$top/bench/gen.py" corpus 100 10 >/dev/null
c=corpus/mailguide/content
mg() { "$MG" build -C $c -t "$top/templates" "$@"; }
same_as_full() { # NAME: out/ equals a clean full build of the current input
    rm -rf ref .ref.*; mg -o ref --full -q 2>/dev/null
    hash_tree out > out.sum; hash_tree ref > ref.sum
    same "$1" ref.sum out.sum
}
# read_count FILE: "R of N" from -v's line about the guide documents
read_count() { sed -n 's/^mailguide: \([0-9]* of [0-9]*\) guide documents read.*/\1/p' "$1"; }

# A file modified less than two seconds before a build began (here: later
# than it, by an hour) is never cached: a later write in the same clock
# tick could keep its stamp. The cases below wait 2.2 s after each edit, so
# that what they count does not depend on how fast the builds run.
find $c -name '*.md' -exec touch -d 'now + 1 hour' {} +
mg -o out -v 2> fresh.err
mg -o out -v 2> fresh2.err
[ "$(read_count fresh.err)" = "100 of 100" ] && [ "$(read_count fresh2.err)" = "100 of 100" ] &&
    pass "gcache: files modified after the build began are read every time" ||
    fail "gcache: files modified after the build began are read every time" "$(read_count fresh.err), $(read_count fresh2.err)"
find $c -name '*.md' -exec touch -d '2020-01-01 00:00' {} +
sleep 2.2
mg -o out -v 2> first.err
mg -o out -v 2> second.err
[ "$(read_count first.err)" = "100 of 100" ] && [ "$(read_count second.err)" = "0 of 100" ] &&
    grep -q 'out is up to date' second.err &&
    pass "gcache: once older, a rebuild reads no guide file" ||
    fail "gcache: once older, a rebuild reads no guide file" "$(read_count first.err), $(read_count second.err)"
[ -s .out.docs ] && pass "gcache: the cache is beside the output" ||
    fail "gcache: the cache is beside the output" "$(ls -a)"

# One document edited: only it is read; the other locales of its guide are
# read when the guide is rendered again, and the output is a full build's.
sed -i 's/^## Part 2: /## Part 2 (edited): /' $c/guides/guide-00003/guide.de-de.md
sleep 2.2
mg -o out -v 2> one.err
[ "$(read_count one.err)" = "1 of 100" ] &&
    grep -q '^mailguide: 1 of 10 guides read and rendered, 9 kept' one.err &&
    pass "gcache: one edited document is the one file read" ||
    fail "gcache: one edited document is the one file read" "$(grep '^mailguide' one.err)"
same_as_full "gcache: after one document changed, output equals a full build"

# A title changes: every guide is rendered again, from texts read then.
sed -i 's/^title: Guide 4 about/title: Guide four about/' $c/guides/guide-00004/guide.en-gb.md
sleep 2.2
mg -o out -v 2> title.err
[ "$(read_count title.err)" = "1 of 100" ] &&
    grep -q '^mailguide: 10 of 10 guides read and rendered, 0 kept' title.err &&
    pass "gcache: a changed title renders every guide, reading one file at load" ||
    fail "gcache: a changed title renders every guide, reading one file at load" "$(grep '^mailguide' title.err)"
same_as_full "gcache: after a title changed, output equals a full build"

# A write that keeps the inode, the size and the modification time (put
# back with touch) still moves the change time, which no program can set.
sleep 2.2
mg -o out -q
f=$c/guides/guide-00005/guide.fr-fr.md
touch -r "$f" stamp.ref
python3 - "$f" <<'PY'
import sys
p = sys.argv[1]
with open(p, "r+b") as f:
    data = f.read()
    i = data.index(b"## Part 1: ")
    f.seek(i + 11)
    f.write(b"X")  # one byte replaced in place: same inode, same size
PY
touch -r stamp.ref "$f"
mg -o out -v 2> ctime.err
[ "$(read_count ctime.err)" = "1 of 100" ] &&
    pass "gcache: an edit with its modification time put back is read" ||
    fail "gcache: an edit with its modification time put back is read" "$(read_count ctime.err)"
same_as_full "gcache: after that edit, output equals a full build"

# A document with a message is never cached: its warning comes every time.
sed -i 's/^section: /colour: blue\nsection: /' $c/guides/guide-00006/guide.en-gb.md
sleep 2.2
mg -o out 2> w1.err
mg -o out -v 2> w2.err
[ "$(grep -c "guide-00006/guide.en-gb.md:[0-9]*:[0-9]*: warning: .*colour" w1.err)" -eq 1 ] &&
    [ "$(grep -c "guide-00006/guide.en-gb.md:[0-9]*:[0-9]*: warning: .*colour" w2.err)" -eq 1 ] &&
    [ "$(read_count w2.err)" = "1 of 100" ] &&
    pass "gcache: a document with a warning is read, and warned about, every time" ||
    fail "gcache: a document with a warning is read, and warned about, every time" "$(grep -c colour w1.err w2.err) $(read_count w2.err)"

# A product the cache names is gone from the server table: every document
# naming it is read again and reported, as without a cache.
mg -o out -q
cp $c/servers.yaml servers.yaml.orig
sed -i 's/- id: mxplan$/- id: mxplan-two/' $c/servers.yaml
mg -o out 2> product.err; rc=$?
"$MG" check -C $c 2> check.err >/dev/null
n=$(grep -c "error: unknown product 'mxplan'" product.err)
[ $rc -eq 1 ] && [ "$n" -eq 100 ] &&
    [ "$n" -eq "$(grep -c "error: unknown product 'mxplan'" check.err)" ] &&
    pass "gcache: a product gone from the server table is an error in every cached document" ||
    fail "gcache: a product gone from the server table is an error in every cached document" "exit $rc, $n errors"
cp servers.yaml.orig $c/servers.yaml

# The cache is only as trusted as the folder beside the output: a record
# whose slug would climb out of the output is not used, nor is a damaged
# file; --full ignores the cache.
sleep 2.2
mg -o out -q
sed -i 's/\tguide-00007\t/\t..\t/' .out.docs
mg -o out -v 2> tamper.err; rc=$?
# guide-00007's ten documents, and guide-00006's with its warning
[ $rc -eq 0 ] && [ "$(read_count tamper.err)" = "11 of 100" ] &&
    pass "gcache: a record with a slug like '..' is not used" ||
    fail "gcache: a record with a slug like '..' is not used" "exit $rc, $(read_count tamper.err)"
same_as_full "gcache: after a tampered cache, output equals a full build"
# Records with no path ("-"), an empty path or too few fields are left out.
{ head -1 .out.docs; printf -- '-\t1\t2\n\\\t3\n\t\n'; tail -n +2 .out.docs; } > odd && mv odd .out.docs
mg -o out -v 2> odd.err; rc=$?
[ $rc -eq 0 ] && [ "$(read_count odd.err)" = "1 of 100" ] &&
    pass "gcache: records without a path are left out" ||
    fail "gcache: records without a path are left out" "exit $rc, $(read_count odd.err) $(head -3 odd.err)"
head -c 5000 .out.docs > cut && mv cut .out.docs
mg -o out -v 2> cut.err; rc=$?
[ $rc -eq 0 ] && [ "$(read_count cut.err | cut -d' ' -f1)" -gt 80 ] &&
    pass "gcache: a cache cut short is used for its whole lines" ||
    fail "gcache: a cache cut short is used for its whole lines" "exit $rc, $(read_count cut.err)"
# The first line names the record format, its version and fields
# (src/rec.h): a cache of an older version, or with a field renamed, is not
# read at all.
mg -o out -q
sed -i '1s/^mailguide-docs [0-9]* /mailguide-docs 2 /' .out.docs
mg -o out -v 2> older.err; rc=$?
grep -q '^mailguide-docs [0-9]* .* title:str ' .out.docs && sed -i '1s/ title:str / heading:str /' .out.docs
mg -o out -v 2> renamed.err; rc2=$?
[ $rc -eq 0 ] && [ "$(read_count older.err)" = "100 of 100" ] &&
    [ $rc2 -eq 0 ] && [ "$(read_count renamed.err)" = "100 of 100" ] &&
    pass "gcache: a cache of another record version or with a field renamed is not read" ||
    fail "gcache: a cache of another record version or with a field renamed is not read" "exit $rc $rc2, $(read_count older.err), $(read_count renamed.err)"
same_as_full "gcache: after a cache of another format, output equals a full build"
head -c 1000 /dev/urandom > .out.docs
mg -o out -v 2> junk.err; rc=$?
[ $rc -eq 0 ] && [ "$(read_count junk.err)" = "100 of 100" ] &&
    pass "gcache: a damaged cache is an empty one" ||
    fail "gcache: a damaged cache is an empty one" "exit $rc, $(read_count junk.err)"
same_as_full "gcache: after a damaged cache, output equals a full build"
mg -o out -v --full 2> full.err
[ "$(read_count full.err)" = "100 of 100" ] && pass "gcache: --full reads every file" ||
    fail "gcache: --full reads every file" "$(read_count full.err)"
