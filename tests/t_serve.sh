# mailguide serve: the preview server on a free loopback port, over a copy of
# the shipped content. A saved guide shows within a bound (1 s; more for the
# sanitizer and valgrind binaries), the event stream tells of each build, a
# broken edit shows its error in the terminal and the stream while the last
# good page stays served, the fix shows; files are served with their types,
# never outside the output; SIGINT and SIGTERM stop it cleanly. Everything
# it starts is stopped by the trap.
. tests/lib.sh
top=$PWD
case $MG in
*valgrind*) bound=30000 ;;
*asan*) bound=5000 ;;
*) bound=${SERVE_BOUND_MS:-1000} ;;
esac
command -v curl >/dev/null || { skip "serve" "curl is not installed"; exit 0; }

w=$TMP/w
mkdir -p "$w" && cp -R content templates "$w/" && cd "$w" || exit 1
pids=
trap 'for p in $pids; do kill $p 2>/dev/null; done; wait 2>/dev/null' EXIT
ms() { date +%s%3N; }

# start LOG [ARGS]: starts `mailguide serve --port 0` in the background
# (pid in $srv), waits for its address (in $url) and its first build.
start() {
    local log=$1
    shift
    "$MG" serve --port 0 "$@" >"$log" 2>&1 &
    srv=$!
    pids="$pids $srv"
    local t0
    t0=$(ms)
    url=
    while [ $(($(ms) - t0)) -lt $((bound * 20)) ]; do
        url=$(sed -n 's|^mailguide serve: \(http://127\.0\.0\.1:[0-9]*/\) serves .*|\1|p' "$log")
        [ -n "$url" ] && grep -q '^mailguide serve: built in\|^mailguide serve: the build failed' "$log" && return 0
        kill -0 $srv 2>/dev/null || break
        sleep 0.05
    done
    return 1
}

# until_page PATH TEXT: polls PATH until it holds TEXT, at most $bound ms;
# prints the time taken. Fails when the bound passes.
until_page() {
    local t0 t
    t0=$(ms)
    while :; do
        curl -s "$url$1" 2>/dev/null | grep -qF "$2" && { echo $(($(ms) - t0)); return 0; }
        t=$(($(ms) - t0))
        [ $t -gt "$bound" ] && { echo $t; return 1; }
        sleep 0.02
    done
}

# until_file FILE TEXT: waits (at most $bound ms) until FILE holds TEXT.
until_file() {
    local t0
    t0=$(ms)
    until grep -qF -- "$2" "$1" 2>/dev/null; do
        [ $(($(ms) - t0)) -gt "$bound" ] && return 1
        sleep 0.02
    done
}

status() { curl -s -o /dev/null -w '%{http_code} %{content_type}' "$@"; }

if ! start serve.log; then
    fail "serve: starts and builds" "$(cat serve.log)"
    exit 0
fi
pass "serve: starts on a free loopback port and builds"
page=en-gb/configure-outlook/index.html
guide=content/guides/outlook/guide.en-gb.md

# The page, with the live script added; the file on disk as built.
curl -s -D head.txt "$url$page" >page.html
if grep -q '^HTTP/1.1 200' head.txt && grep -qi '^content-type: text/html; charset=utf-8' head.txt &&
    grep -q '<script src="/__mailguide/live.js" data-site="1"></script>' page.html &&
    [ "$(grep -c '</body>' page.html)" = 1 ] &&
    python3 -c '
import sys
page, disk = open(sys.argv[1], "rb").read(), open(sys.argv[2], "rb").read()
i = disk.rfind(b"</body>")
tag = b"<script src=\"/__mailguide/live.js\" data-site=\"1\"></script>\n"
sys.exit(0 if i > 0 and page == disk[:i] + tag + disk[i:] else 1)' page.html "output/$page" &&
    ! grep -rq __mailguide output; then
    pass "serve: an HTML page is the built file plus the live script (the file on disk unchanged)"
else
    fail "serve: an HTML page is the built file plus the live script (the file on disk unchanged)" "$(cat head.txt)"
fi
curl -s "${url}__mailguide/live.js" >live.js
if command -v node >/dev/null; then
    check "serve: the live script is JavaScript (node --check)" node --check live.js
else
    skip "serve: the live script is JavaScript" "node is not installed"
fi

# The event stream, read while the guide is edited.
curl -sN --max-time $((bound * 30 / 1000 + 10)) "${url}__mailguide/events" >events.txt 2>/dev/null &
ev=$!
pids="$pids $ev"
until_file events.txt 'data: 1 ok' && pass "serve: the event stream tells the current build at once" ||
    fail "serve: the event stream tells the current build at once" "$(cat events.txt)"

# A save: the new page within the bound.
sed -i 's/^title: .*/title: Outlook, as saved/' "$guide"
if t=$(until_page "$page" '<title>Outlook, as saved'); then
    pass "serve: a saved guide is served within ${bound} ms (${t} ms)"
else
    fail "serve: a saved guide is served within ${bound} ms" "not after ${t} ms: $(tail -5 serve.log)"
fi
until_file events.txt 'data: 2 ok' && pass "serve: the event stream tells of the new build" ||
    fail "serve: the event stream tells of the new build" "$(cat events.txt)"

# A broken save: the error in the terminal and in the stream; the old page stays.
sed -i 's/^title: .*/title: [broken/' "$guide"
if until_file events.txt 'data: 2 error' && until_file serve.log 'the last good site is still served'; then
    err=$(grep "^content/guides/outlook/guide.en-gb.md:[0-9]*:[0-9]*: error: " serve.log | head -1)
    if [ -n "$err" ] && grep -qxF "data: $err" events.txt; then
        pass "serve: a failed build's diagnostics in the terminal and the event stream"
    else
        fail "serve: a failed build's diagnostics in the terminal and the event stream" "$(cat serve.log events.txt)"
    fi
else
    fail "serve: a failed build is reported" "$(cat serve.log events.txt)"
fi
curl -s "$url$page" | grep -qF '<title>Outlook, as saved' && [ "$(status "$url$page")" = "200 text/html; charset=utf-8" ] &&
    pass "serve: after a failed build the last good page is still served" ||
    fail "serve: after a failed build the last good page is still served"

# The fix shows.
sed -i 's/^title: .*/title: Outlook, fixed/' "$guide"
if t=$(until_page "$page" '<title>Outlook, fixed') && until_file events.txt 'data: 3 ok'; then
    pass "serve: the fixed guide is served within ${bound} ms (${t} ms), the stream says ok"
else
    fail "serve: the fixed guide is served within ${bound} ms" "$(tail -5 serve.log; cat events.txt)"
fi

# A template is watched too, new folders as well.
sed -i 's|</footer>|<p>template edited</p></footer>|' templates/page.html.tpl
if grep -q 'template edited' templates/page.html.tpl; then
    t=$(until_page "$page" 'template edited') && pass "serve: a saved template is served within ${bound} ms (${t} ms)" ||
        fail "serve: a saved template is served within ${bound} ms" "$(tail -5 serve.log)"
else
    skip "serve: a saved template" "page.html.tpl has no </footer>"
fi
mkdir content/guides/zz-new
sed 's/^title: .*/title: A guide in a new folder/; s/^slug: .*/slug: new-folder-guide/; s/^legacy_guide_number: .*/legacy_guide_number: g9999/' \
    content/guides/outlook/guide.en-gb.md >content/guides/zz-new/guide.en-gb.md.part &&
    mv content/guides/zz-new/guide.en-gb.md.part content/guides/zz-new/guide.en-gb.md
t=$(until_page en-gb/new-folder-guide/index.html 'A guide in a new folder') &&
    pass "serve: a guide in a new folder is served (${t} ms)" ||
    fail "serve: a guide in a new folder is served" "$(tail -5 serve.log)"

# The page in a real browser: it reloads after a save, shows a failed
# build's diagnostics over itself, reloads after the fix.
if [ -x /usr/bin/chromium ] && [ -f "$top/node_modules/playwright-core/package.json" ]; then
    # `node` finds playwright-core beside the script, in the repository.
    URL=$url PAGE=$page GUIDE=$PWD/$guide BOUND=$bound timeout 300 node "$top/tests/browser/serve.mjs" >browser.log 2>&1
    rc=$?
    cat browser.log
    [ $rc = 0 ] || fail "serve (browser): tests/browser/serve.mjs ran to its end" "exit $rc"
else
    skip "serve (browser): the page reloads and shows diagnostics" "needs /usr/bin/chromium and node_modules/playwright-core (t_browser.sh installs them)"
fi

# Files and their types; folders; missing files.
mc=$(cd output && find profiles -name '*.mobileconfig' | head -1)
zip=$(cd output && find downloads -name '*.zip' | head -1)
[ "$(status "$url$mc")" = "200 application/x-apple-aspen-config" ] &&
    [ "$(status "${url}assets/style.css")" = "200 text/css; charset=utf-8" ] &&
    [ "$(status "$url$zip")" = "200 application/zip" ] &&
    [ "$(status "${url}sitemap.xml")" = "200 application/xml; charset=utf-8" ] &&
    curl -s "$url$mc" | cmp -s - "output/$mc" &&
    pass "serve: files byte for byte with their types (.mobileconfig as application/x-apple-aspen-config)" ||
    fail "serve: files byte for byte with their types" "$(status "$url$mc"); $(status "${url}assets/style.css"); $(status "$url$zip")"
[ "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "${url}en-gb")" = "301 ${url}en-gb/" ] &&
    curl -s "${url}en-gb/" | grep -q 'data-site=' &&
    pass "serve: a folder redirects to its slash and serves its index.html" ||
    fail "serve: a folder redirects to its slash and serves its index.html" "$(curl -s -i "${url}en-gb" | head -5)"
curl -s -D head.txt "${url}no/such/page/" >missing.html
grep -q '^HTTP/1.1 404' head.txt && grep -qF "$(grep -o '<title>[^<]*' output/404.html)" missing.html &&
    grep -q '/__mailguide/live.js' missing.html &&
    pass "serve: a missing page is a 404 with the site's 404.html" ||
    fail "serve: a missing page is a 404 with the site's 404.html" "$(cat head.txt)"
[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$url$page")" = 405 ] &&
    pass "serve: methods but GET and HEAD refused (405)" || fail "serve: methods but GET and HEAD refused (405)"

# Nothing outside the output.
ln -s /etc/passwd output/linked
ok=1
for path in '../../../../etc/passwd' '%2e%2e/%2e%2e/%2e%2e/etc/passwd' 'en-gb/..%2f..%2f..%2fetc%2fpasswd' \
    'en-gb/%2e%2e/%2e%2e/%2e%2e/etc/passwd' '..%5c..%5cetc%5cpasswd' '.htaccess' 'linked' '%2fetc%2fpasswd' '/etc/passwd' 'en-gb//etc/passwd'; do
    code=$(curl -s --path-as-is -o body.txt -w '%{http_code}' "$url$path")
    if grep -q 'root:' body.txt || { [ "$code" != 403 ] && [ "$code" != 404 ] && [ "$code" != 400 ]; }; then
        ok=0
        echo "$path: $code" >>traversal.txt
    fi
done
rm -f output/linked
[ $ok = 1 ] && pass "serve: traversal, hidden files and symbolic links refused" ||
    fail "serve: traversal, hidden files and symbolic links refused" "$(cat traversal.txt)"

# SIGINT stops it, closing the event stream, exit 0.
kill -INT $srv
t0=$(ms)
while kill -0 $srv 2>/dev/null && [ $(($(ms) - t0)) -lt $((bound * 5)) ]; do sleep 0.02; done
if kill -0 $srv 2>/dev/null; then
    fail "serve: SIGINT stops it" "still running after $((bound * 5)) ms"
else
    wait $srv; rc=$?
    t=$(($(ms) - t0))
    kill -0 $ev 2>/dev/null && sleep 1
    if [ $rc = 0 ] && ! kill -0 $ev 2>/dev/null && grep -q 'stopping' serve.log; then
        pass "serve: SIGINT stops it in ${t} ms, exit 0, the event stream closed"
    else
        fail "serve: SIGINT stops it, exit 0, the event stream closed" "exit $rc: $(tail -3 serve.log)"
    fi
fi

# SIGTERM too; a port in use is an error.
if start serve2.log; then
    port=${url#http://127.0.0.1:}
    port=${port%/}
    "$MG" serve --port "$port" >busy.log 2>&1 & busy=$!
    pids="$pids $busy"
    t0=$(ms)
    while kill -0 $busy 2>/dev/null && [ $(($(ms) - t0)) -lt $((bound * 5)) ]; do sleep 0.02; done
    if kill -0 $busy 2>/dev/null; then
        fail "serve: a port in use is an error" "still running"
    else
        wait $busy; rc=$?
        [ $rc = 1 ] && grep -q "^mailguide serve: cannot listen on 127.0.0.1:$port: " busy.log &&
            pass "serve: a port in use is an error (exit 1)" ||
            fail "serve: a port in use is an error (exit 1)" "exit $rc: $(cat busy.log)"
    fi
    kill -TERM $srv
    t0=$(ms)
    while kill -0 $srv 2>/dev/null && [ $(($(ms) - t0)) -lt $((bound * 5)) ]; do sleep 0.02; done
    wait $srv; rc=$?
    [ $rc = 0 ] && pass "serve: SIGTERM stops it, exit 0" || fail "serve: SIGTERM stops it, exit 0" "exit $rc"
else
    fail "serve: starts again" "$(cat serve2.log)"
fi
cd "$top"
