#!/bin/sh
# tools/screenshots.sh DIR OUT PAGE...: serves the built site DIR on
# 127.0.0.1 (tests/tools/static_server.py, stopped when this script ends)
# and takes the first screen of each PAGE at 1366x900 and 390x844 with
# Debian's chromium (tools/screenshots.mjs) into OUT. A PAGE may end in
# #id: the shot then starts at that element. `make screenshots` runs it.
set -eu
dir=$1 out=$2
shift 2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mailguide-shots.XXXXXX")
python3 tests/tools/static_server.py "$dir" "$tmp/port" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true; rm -rf "$tmp"' EXIT
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
mkdir -p "$out"
node tools/screenshots.mjs "$out" "http://127.0.0.1:$(cat "$tmp/port")/" "$@"
