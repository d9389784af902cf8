#!/usr/bin/env bash
# check_userjs.sh FILE [--expect-string TEXT]...
#
# Validates a Thunderbird user.js that adds mail accounts: `node --check` for the
# syntax, then tests/tools/userjs_check.js, which reads the file both with a
# strict preference-file grammar and as JavaScript with a stub
# user_pref(name, value), and checks the preferences: specific key ids under
# mail.account./mail.server./mail.identity./mail.smtpserver. (never the generic
# account1/server1/id1/smtp1 that would overwrite existing accounts), no name
# set twice, socketType and try_ssl in {0,2,3}, integer ports in 1..65535,
# references between accounts, servers, identities and SMTP servers resolving.
# --expect-string TEXT: some string value equals TEXT (escaping round-trips).
#
# Prints `FILE: problem`; exits 0 valid, 1 invalid, 2 usage, 77 when node is missing.
set -u
here=$(cd "$(dirname "$0")" && pwd)
# options may come before or after FILE
file= opts=()
while [ $# -gt 0 ]; do
    case $1 in
    --expect-string)
        [ $# -ge 2 ] || { echo "$0: --expect-string needs TEXT" >&2; exit 2; }
        opts+=("$1" "$2"); shift 2 ;;
    -*) echo "$0: unknown option $1" >&2; exit 2 ;;
    *) [ -z "$file" ] || { echo "$0: one FILE only" >&2; exit 2; }
       file=$1; shift ;;
    esac
done
if [ -z "$file" ]; then
    echo "usage: $0 FILE [--expect-string TEXT]..." >&2
    exit 2
fi
command -v node >/dev/null 2>&1 || { echo "$file: cannot check: node not found" >&2; exit 77; }
[ -f "$file" ] || { echo "$file: no such file"; exit 1; }
if ! out=$(node --check "$file" 2>&1); then
    printf '%s\n' "$out" | grep -v -e '^    at ' -e '^Node\.js v' -e '^$' | sed "s|^|$file: syntax: |"
    exit 1
fi
node "$here/userjs_check.js" "$file" "${opts[@]}"
