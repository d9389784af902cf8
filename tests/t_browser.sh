# The site in a real browser (issue 8): Debian's chromium driven headless by
# playwright-core (npm, pinned in package-lock.json; no browser download),
# against the built web root served on 127.0.0.1 by tests/tools/static_server.py.
# tests/browser/site.mjs checks every page (console, requests, axe-core, the
# language switcher, the table of contents, the phone layout), writes
# screenshots to tests/artifacts/browser/, and downloads a personalized
# profile of each kind, compared with `mailguide profile` and checked by the
# validators of tests/tools/. Without chromium every case is SKIP.
. tests/lib.sh
ART=${ARTIFACTS:-$PWD/tests/artifacts/browser}

if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" -eq 0 ]; then
    tools/deps.sh chromium >"$TMP/apt.log" 2>&1
fi
if [ ! -x /usr/bin/chromium ]; then
    skip "browser: the site in chromium" "/usr/bin/chromium is missing and could not be installed (apt-get install chromium): $(tail -n 1 "$TMP/apt.log" 2>/dev/null)"
    exit 0
fi
if [ ! -f node_modules/playwright-core/package.json ] || [ ! -f node_modules/axe-core/axe.min.js ]; then
    timeout 600 npm ci --no-audit --no-fund >"$TMP/npm.log" 2>&1 ||
        { fail "browser: npm ci installs playwright-core and axe-core" "$(tail -n 5 "$TMP/npm.log")"; exit 0; }
fi

"$MG" -q build -C content -o "$TMP/out" || { fail "browser: the site builds"; exit 0; }
base_url=$(python3 -c 'import yaml; print(yaml.safe_load(open("content/site.yaml"))["base_url"])')

# The server lives as long as this script: stopped by the trap, whatever happens.
timeout 1500 python3 tests/tools/static_server.py "$TMP/out" "$TMP/port" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null' EXIT
for _ in $(seq 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
[ -s "$TMP/port" ] || { fail "browser: static server starts on 127.0.0.1"; exit 0; }

rm -rf "$ART" && mkdir -p "$ART"
BASE="http://127.0.0.1:$(cat "$TMP/port")/" ROOT="$TMP/out" BASE_URL="$base_url" ARTIFACTS="$ART" \
    SCRATCH="$TMP" CONTENT="$PWD/content" MG="$MG" \
    timeout 1200 node tests/browser/site.mjs >"$TMP/browser.log" 2>&1
rc=$?
cat "$TMP/browser.log"
if [ "$rc" -ne 0 ]; then
    fail "browser: tests/browser/site.mjs ran to its end" "exit $rc$([ "$rc" -eq 124 ] && echo ' (timed out after 1200 s)')"
fi
