#!/usr/bin/env bash
# check_autodiscover.sh FILE [--expect-string TEXT]...
#
# Validates an Outlook POX Autodiscover response (autodiscover.xml) as mailguide
# produces it: well-formed XML (xmllint --noout), the subset schema
# tests/schemas/autodiscover-pox.rng (xmllint --relaxng), then the value checks a
# schema cannot express (tests/tools/autodiscover_consistency.py: SSL versus
# Encryption versus Port, STARTTLS written as SSL=on + Encryption=TLS, ...).
# --expect-string TEXT: some element's text equals TEXT (escaping round-trips).
#
# Prints `FILE: problem`; exits 0 valid, 1 invalid, 2 usage, 77 when xmllint,
# python3 or the schema is missing.
set -u
here=$(cd "$(dirname "$0")" && pwd)
rng=$here/../schemas/autodiscover-pox.rng

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
for tool in xmllint python3; do
    command -v "$tool" >/dev/null 2>&1 || { echo "$file: cannot check: $tool not found" >&2; exit 77; }
done
[ -f "$rng" ] || { echo "$file: cannot check: schema $rng missing" >&2; exit 77; }
[ -f "$file" ] || { echo "$file: no such file"; exit 1; }

rc=0
if ! out=$(xmllint --noout "$file" 2>&1); then
    printf '%s\n' "$out" | sed "s|^|$file: not well-formed: |"
    exit 1
fi
if ! out=$(xmllint --noout --relaxng "$rng" "$file" 2>&1); then
    printf '%s\n' "$out" | grep -v ' validates$' | sed "s|^|$file: schema: |"
    rc=1
fi
python3 "$here/autodiscover_consistency.py" "$file" "${opts[@]}" || rc=1
exit $rc
