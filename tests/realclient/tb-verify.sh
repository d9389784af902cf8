#!/usr/bin/env bash
# tests/realclient/tb-verify.sh: log in with headless Thunderbird using a
# generated mail client profile.
#
# usage: tb-verify.sh --ca CA.pem --email ADDR --password PW
#                     (--autoconfig config-v1.1.xml | --userjs user.js)
#                     [--dovecot-log FILE] [--timeout SECS] [--entry-timeout SECS]
#                     [--keep DIR]
#
#   --autoconfig FILE  each <incomingServer>/<outgoingServer> of the file gets
#                      a fresh Thunderbird profile: Thunderbird's own
#                      readFromXML reads the file, the number of entries it
#                      returns is compared with the number in the file,
#                      %EMAILADDRESS% etc. are replaced, createAccountInBackend
#                      creates the account, and the entry's server is logged in
#                      to (incoming: the server's verifyLogon; outgoing:
#                      SmtpClient, authenticated = onidle after AUTH).
#   --userjs FILE      FILE is copied as user.js into one fresh profile;
#                      every mail.server.KEY (by its .type) and
#                      mail.smtpserver.KEY (by its .hostname) it defines must
#                      be loaded by Thunderbird and log in.
#   --ca CA.pem        trusted in each profile (certutil), nothing else is.
#   --dovecot-log FILE also require, for each entry that logged in, a new
#                      "Login: ... lport=PORT ... TLS" line in FILE (the log of
#                      servers.sh), i.e. the server saw a TLS login on that port.
#   --timeout SECS     bound for the whole run (default 120).
#   --entry-timeout S  bound for one login (default 20).
#   --keep DIR         keep the profiles and Thunderbird's output in DIR.
#
# Output: one line per server entry, e.g.
#   ok incoming imap 127.0.0.1:10993 SSL
#   FAIL outgoing smtp 127.0.0.1:10587 STARTTLS: <reason>
# plus "FAIL count ..." / "FAIL file: ..." / "FAIL user.js: ..." lines for
# problems not tied to one entry.  Exit status 0 only if every entry logged
# in; 1 if any did not; 2 on usage or environment errors.
#
# The hook needs files in Thunderbird's install directory
# ($TB_DIR/defaults/pref/mailguide-tbverify.js and $TB_DIR/mailguide-tbverify.cfg);
# they exist only while this script runs (removed by an EXIT trap, also on
# failure or interruption), and runs are serialized with flock.  The hook is
# inert in profiles without a mailguide-job.json.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PROG=tb-verify.sh
TB_DIR=${TB_DIR:-/usr/lib/thunderbird}
TB_BIN=${TB_BIN:-$TB_DIR/thunderbird}
LOCK=${TB_VERIFY_LOCK:-/tmp/mailguide-tb-verify.lock}
HOOK_PREF=$TB_DIR/defaults/pref/mailguide-tbverify.js
HOOK_CFG=$TB_DIR/mailguide-tbverify.cfg

die() { printf '%s: %s\n' "$PROG" "$*" >&2; exit 2; }
usage() {
    sed -n '5,8p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

CA="" EMAIL="" PASSWORD="" AUTOCONFIG="" USERJS="" DOVECOT_LOG="" KEEP=""
TOTAL=120 ENTRY=20
while [ $# -gt 0 ]; do
    case $1 in
        --ca) CA=${2:-}; shift 2 ;;
        --email) EMAIL=${2:-}; shift 2 ;;
        --password) PASSWORD=${2:-}; shift 2 ;;
        --autoconfig) AUTOCONFIG=${2:-}; shift 2 ;;
        --userjs) USERJS=${2:-}; shift 2 ;;
        --dovecot-log) DOVECOT_LOG=${2:-}; shift 2 ;;
        --timeout) TOTAL=${2:-}; shift 2 ;;
        --entry-timeout) ENTRY=${2:-}; shift 2 ;;
        --keep) KEEP=${2:-}; shift 2 ;;
        -h|--help) usage ;;
        *) printf '%s: unknown argument %s\n' "$PROG" "$1" >&2; usage ;;
    esac
done
[ -n "$CA" ] && [ -n "$EMAIL" ] && [ -n "$PASSWORD" ] || usage
if [ -n "$AUTOCONFIG" ] && [ -n "$USERJS" ] || [ -z "$AUTOCONFIG$USERJS" ]; then usage; fi
[ -r "$CA" ] || die "cannot read CA file $CA"
[ -z "$AUTOCONFIG" ] || [ -r "$AUTOCONFIG" ] || die "cannot read $AUTOCONFIG"
[ -z "$USERJS" ] || [ -r "$USERJS" ] || die "cannot read $USERJS"
[ -z "$DOVECOT_LOG" ] || [ -r "$DOVECOT_LOG" ] || die "cannot read $DOVECOT_LOG"
case $TOTAL$ENTRY in *[!0-9]*) die "--timeout and --entry-timeout take whole seconds" ;; esac
[ -x "$TB_BIN" ] || die "Thunderbird not found at $TB_BIN (apt-get install thunderbird)"
command -v certutil >/dev/null || die "certutil not found (apt-get install libnss3-tools)"
command -v python3 >/dev/null || die "python3 not found"
[ -w "$TB_DIR" ] && [ -w "$TB_DIR/defaults/pref" ] || die "$TB_DIR is not writable (the AutoConfig hook needs root)"

START=$(date +%s)
DEADLINE=$((START + TOTAL))
remaining() { echo $((DEADLINE - $(date +%s))); }

WORK=$(mktemp -d /tmp/tb-verify.XXXXXX) || die "mktemp failed"
TBPID=""
HOOK_INSTALLED=""

cleanup() {
    local rc=$?
    trap - EXIT INT TERM HUP
    if [ -n "$TBPID" ] && kill -0 "$TBPID" 2>/dev/null; then
        kill -TERM "$TBPID" 2>/dev/null
        sleep 1
        kill -KILL "$TBPID" 2>/dev/null
    fi
    if [ -n "$HOOK_INSTALLED" ]; then
        rm -f "$HOOK_PREF" "$HOOK_CFG"
    fi
    if [ -n "$KEEP" ]; then
        mkdir -p "$KEEP" && cp -a "$WORK/." "$KEEP/" 2>/dev/null
        rm -f "$KEEP"/*/mailguide-job.json
    fi
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# ---------------------------------------------------------------- lock + hook
exec 9>"$LOCK" || die "cannot open lock $LOCK"
if ! flock -w "$(( $(remaining) > 1 ? $(remaining) - 1 : 1 ))" 9; then
    die "another tb-verify run holds $LOCK"
fi
for f in "$TB_DIR"/defaults/pref/*.js; do
    [ "$f" = "$HOOK_PREF" ] && continue
    if grep -q 'general\.config\.filename' "$f" 2>/dev/null; then
        die "$f already sets general.config.filename; refusing to override another AutoConfig"
    fi
done
HOOK_INSTALLED=1
cat >"$HOOK_PREF" <<'EOF'
// mailguide tests/realclient/tb-verify.sh: temporary, removed when the run ends
pref("general.config.filename", "mailguide-tbverify.cfg");
pref("general.config.obscure_value", 0);
pref("general.config.sandbox_enabled", false);
EOF
{ echo "// mailguide tests/realclient/tb-verify.sh hook (this first line is ignored)"; cat "$HERE/tb-hook.js"; } >"$HOOK_CFG"
chmod 0644 "$HOOK_PREF" "$HOOK_CFG"

# ---------------------------------------------------------------- helpers
mkdir -p "$WORK/home" "$WORK/tmp"

# new_profile DIR: empty profile trusting only CA, with quiet defaults.
new_profile() {
    mkdir -p "$1" || return 1
    timeout 20 certutil -N -d "sql:$1" --empty-password >/dev/null 2>&1 &&
        timeout 20 certutil -A -n "mailguide test CA" -t "C,," -i "$CA" -d "sql:$1" >/dev/null 2>&1 ||
        { echo "certutil failed for $1" >&2; return 1; }
    # prefs.js: a user.js under test overrides any of these it sets.
    cat >"$1/prefs.js" <<'EOF'
user_pref("app.update.auto", false);
user_pref("app.update.enabled", false);
user_pref("browser.dom.window.dump.enabled", true);
user_pref("datareporting.healthreport.uploadEnabled", false);
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("extensions.update.enabled", false);
user_pref("mail.biff.show_alert", false);
user_pref("mail.rights.version", 1);
user_pref("mail.shell.checkDefaultClient", false);
user_pref("mail.spotlight.firstRunDone", true);
user_pref("mail.winsearch.firstRunDone", true);
user_pref("mailnews.start_page.enabled", false);
user_pref("network.captive-portal-service.enabled", false);
user_pref("network.connectivity-service.enabled", false);
user_pref("toolkit.telemetry.enabled", false);
user_pref("toolkit.startup.max_resumed_crashes", -1);
EOF
}

# write_job PROFILE key=value... (values JSON-encoded by python)
write_job() {
    local prof=$1; shift
    python3 - "$prof/mailguide-job.json" "$@" <<'EOF'
import json, sys
out, pairs = sys.argv[1], sys.argv[2:]
job = {}
for p in pairs:
    k, v = p.split("=", 1)
    if k.startswith("int:"):
        job[k[4:]] = int(v)
    elif k.startswith("bool:"):
        job[k[5:]] = v == "1"
    else:
        job[k] = v
with open(out, "w") as f:
    json.dump(job, f)
EOF
}

# run_tb PROFILE LOG: run Thunderbird headless until the hook quits it.
# Returns 0 when the hook finished (results end with #done).
run_tb() {
    local prof=$1 log=$2 left limit
    left=$(remaining)
    limit=$(( ENTRY * 2 + 30 ))
    [ "$limit" -le "$left" ] || limit=$left
    if [ "$limit" -lt 5 ]; then
        echo "no time left" >"$log"
        return 1
    fi
    HOME=$WORK/home TMPDIR=$WORK/tmp XDG_CACHE_HOME=$WORK/home/.cache \
    XDG_CONFIG_HOME=$WORK/home/.config XDG_DATA_HOME=$WORK/home/.local/share \
    MOZ_HEADLESS=1 MOZ_CRASHREPORTER_DISABLE=1 MOZ_DISABLE_AUTO_SAFE_MODE=1 \
        timeout -k 5 "$limit" "$TB_BIN" --headless --no-remote --profile "$prof" \
        </dev/null >"$log" 2>&1 &
    TBPID=$!
    wait "$TBPID"
    local rc=$?
    TBPID=""
    echo "exit status $rc (limit ${limit}s)" >>"$log"
    [ -f "$prof/mailguide-results.txt" ] && grep -qx '#done' "$prof/mailguide-results.txt"
}

RESULTS=$WORK/results.txt
: >"$RESULTS"
EXPECTED=0

# collect PROFILE LOG FALLBACK_LABEL...: append the hook's lines; when the
# run did not finish, every label without a line gets a FAIL line.
collect() {
    local prof=$1 log=$2 finished=$3; shift 3
    local why lbl
    if [ -f "$prof/mailguide-results.txt" ]; then
        grep -v '^#done$' "$prof/mailguide-results.txt" >>"$RESULTS"
    fi
    if [ "$finished" != 1 ]; then
        why="Thunderbird did not finish the check ($(tail -n1 "$log"))"
        for lbl in "$@"; do
            grep -qF " $lbl" "$prof/mailguide-results.txt" 2>/dev/null ||
                printf 'FAIL %s: %s\n' "$lbl" "$why" >>"$RESULTS"
        done
    fi
}

LOG_OFFSET=0
[ -n "$DOVECOT_LOG" ] && LOG_OFFSET=$(stat -c %s "$DOVECOT_LOG")

# ---------------------------------------------------------------- autoconfig
if [ -n "$AUTOCONFIG" ]; then
    XML=$(cd "$(dirname "$AUTOCONFIG")" && pwd)/$(basename "$AUTOCONFIG")
    # Entries as the file states them (independent of Thunderbird's parser).
    if ! ENTRIES=$(python3 - "$XML" 2>"$WORK/parse.err" <<'EOF'
import sys
import xml.etree.ElementTree as ET
try:
    root = ET.parse(sys.argv[1]).getroot()
except ET.ParseError as e:
    sys.exit("not well-formed XML: %s" % e)
def local(t): return t.rsplit("}", 1)[-1]
prov = [e for e in root.iter() if local(e.tag) == "emailProvider"]
if not prov:
    sys.exit("no <emailProvider>")
def text(e, name):
    for c in e:
        if local(c.tag) == name:
            return (c.text or "").strip() or "?"
    return "?"
n = {"incomingServer": 0, "outgoingServer": 0}
for e in prov[0]:
    k = local(e.tag)
    if k in n:
        kind = "incoming" if k == "incomingServer" else "outgoing"
        print("%s\t%d\t%s %s %s:%s %s" % (kind, n[k], kind, e.get("type", "?"),
              text(e, "hostname"), text(e, "port"), text(e, "socketType")))
        n[k] += 1
EOF
    ); then
        echo "FAIL file: $AUTOCONFIG: $(tail -n1 "$WORK/parse.err")"
        exit 1
    fi
    while IFS=$'\t' read -r kind idx lbl; do
        [ -n "$kind" ] || continue
        EXPECTED=$((EXPECTED + 1))
        prof=$WORK/$kind-$idx
        if ! new_profile "$prof"; then
            printf 'FAIL %s: could not create a profile\n' "$lbl" >>"$RESULTS"
            continue
        fi
        if [ "$kind" = incoming ]; then in=$idx out=-1; else in=-1 out=$idx; fi
        write_job "$prof" mode=autoconfig xml="$XML" email="$EMAIL" password="$PASSWORD" \
            int:incoming="$in" int:outgoing="$out" bool:reportCounts=1 \
            int:entryTimeoutMs="$((ENTRY * 1000))"
        if run_tb "$prof" "$WORK/$kind-$idx.console.log"; then
            collect "$prof" "$WORK/$kind-$idx.console.log" 1 "$lbl"
        else
            collect "$prof" "$WORK/$kind-$idx.console.log" 0 "$lbl"
        fi
    done <<<"$ENTRIES"
    if [ "$EXPECTED" -eq 0 ]; then
        echo "FAIL file: no <incomingServer> or <outgoingServer> in $AUTOCONFIG" >>"$RESULTS"
    fi
fi

# ---------------------------------------------------------------- user.js
if [ -n "$USERJS" ]; then
    prof=$WORK/userjs
    LABELS=$(python3 - "$USERJS" <<'EOF'
import re, sys
src = open(sys.argv[1], encoding="utf-8", errors="replace").read()
prefs = {}
for m in re.finditer(r"""user_pref\(\s*(["'])(.+?)\1\s*,\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^)\s]+)\s*\)""", src):
    v = m.group(3)
    prefs[m.group(2)] = v[1:-1] if v[:1] in "\"'" else v
names = {"0": "plain", "1": "trySTARTTLS", "2": "STARTTLS", "3": "SSL"}
seen = []
for k in prefs:
    m = re.match(r"mail\.server\.([^.]+)\.type$", k)
    if m and m.group(1) != "default" and ("in", m.group(1)) not in seen:
        seen.append(("in", m.group(1)))
    m = re.match(r"mail\.smtpserver\.([^.]+)\.hostname$", k)
    if m and m.group(1) != "default" and ("out", m.group(1)) not in seen:
        seen.append(("out", m.group(1)))
for kind, key in seen:
    if kind == "in":
        p = "mail.server.%s." % key
        print("incoming %s %s:%s %s" % (prefs.get(p + "type", "?"), prefs.get(p + "hostname", "?"),
              prefs.get(p + "port", "?"), names.get(prefs.get(p + "socketType", "0"), "?")))
    else:
        p = "mail.smtpserver.%s." % key
        print("outgoing smtp %s:%s %s" % (prefs.get(p + "hostname", "?"), prefs.get(p + "port", "?"),
              names.get(prefs.get(p + "try_ssl", "0"), "?")))
EOF
    )
    mapfile -t LBLS < <(printf '%s\n' "$LABELS" | sed '/^$/d')
    EXPECTED=${#LBLS[@]}
    if [ "$EXPECTED" -eq 0 ]; then
        echo "FAIL user.js: defines no mail.server.KEY.type or mail.smtpserver.KEY.hostname" >>"$RESULTS"
    elif new_profile "$prof"; then
        cp "$USERJS" "$prof/user.js"
        write_job "$prof" mode=userjs email="$EMAIL" password="$PASSWORD" \
            int:entryTimeoutMs="$((ENTRY * 1000))"
        if run_tb "$prof" "$WORK/userjs.console.log"; then
            collect "$prof" "$WORK/userjs.console.log" 1 "${LBLS[@]}"
        else
            collect "$prof" "$WORK/userjs.console.log" 0 "${LBLS[@]}"
        fi
    else
        for l in "${LBLS[@]}"; do printf 'FAIL %s: could not create a profile\n' "$l" >>"$RESULTS"; done
    fi
fi

# ---------------------------------------------------------------- server log
if [ -n "$DOVECOT_LOG" ]; then
    tail -c +"$((LOG_OFFSET + 1))" "$DOVECOT_LOG" | grep -E ': Login: ' >"$WORK/logins.txt" || true
    python3 - "$RESULTS" "$WORK/logins.txt" <<'EOF'
import re, sys
res, logins = sys.argv[1], open(sys.argv[2]).read().splitlines()
out = []
for line in open(res).read().splitlines():
    m = re.match(r"ok (incoming|outgoing) (\S+) (\S+):(\d+) (\S+)$", line)
    if m:
        kind, typ, host, port, sock = m.groups()
        svc = {"imap": "imap-login", "pop3": "pop3-login", "smtp": "submission-login"}.get(typ, typ)
        hits = [l for l in logins if re.search(re.escape(svc) + r": (Info: )?Login: ", l) and re.search(r"\blport=%s\b" % port, l)]
        tls = [l for l in hits if ", TLS," in l]
        if sock in ("SSL", "STARTTLS") and not tls:
            why = "no TLS login on port %s in the server log" % port if not hits else \
                  "the server log shows a login on port %s without TLS" % port
            line = "FAIL %s %s %s:%s %s: %s" % (kind, typ, host, port, sock, why)
        elif not hits:
            line = "FAIL %s %s %s:%s %s: no login on port %s in the server log" % (kind, typ, host, port, sock, port)
    out.append(line)
open(res, "w").write("".join(l + "\n" for l in out))
EOF
fi

# ---------------------------------------------------------------- verdict
# Every profile reports file-level problems (so a crashed first run loses
# nothing); print each once.
awk '!(/^FAIL (count|file:)/ && seen[$0]++)' "$RESULTS" >"$RESULTS.tmp" && mv "$RESULTS.tmp" "$RESULTS"
cat "$RESULTS"
OKS=$(grep -c '^ok ' "$RESULTS")
FAILS=$(grep -c '^FAIL' "$RESULTS")
printf '# %d ok, %d failed, %d expected, %ss\n' "$OKS" "$FAILS" "$EXPECTED" "$(( $(date +%s) - START ))" >&2
if [ "$FAILS" -eq 0 ] && [ "$OKS" -eq "$EXPECTED" ] && [ "$EXPECTED" -gt 0 ]; then
    exit 0
fi
exit 1
