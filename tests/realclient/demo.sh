#!/usr/bin/env bash
# tests/realclient/demo.sh: end-to-end demonstration of the real-client harness.
#
# Starts the loopback servers (servers.sh), fills sample-autoconfig.xml.in and
# sample-user.js.in with their ports, runs tb-verify.sh on both (with
# --dovecot-log, so each "ok" also needs a TLS login on that port in Dovecot's
# log), checks that every port used the TLS mode it stands for, stops the
# servers, and exits 0 only if all of it held.
#
# usage: demo.sh [--keep DIR]   (--keep: leave servers' files and profiles in DIR)
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KEEP=""
[ "${1:-}" = --keep ] && KEEP=${2:?--keep needs a directory}

T0=$(date +%s)
DIR=$(mktemp -d /tmp/mailguide-realclient.XXXXXX)
chmod 0711 "$DIR" # Dovecot reads mail as nobody under $DIR/servers
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    "$HERE/servers.sh" stop "$DIR/servers" || true
    if [ -n "$KEEP" ]; then
        mkdir -p "$KEEP" && cp -a "$DIR/." "$KEEP/"
        echo "kept files in $KEEP"
    fi
    rm -rf "$DIR"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step() { printf '== %s\n' "$*"; }
FAILED=0

step "start servers in $DIR"
"$HERE/servers.sh" start "$DIR/servers" || exit 1
# shellcheck disable=SC1091
. "$DIR/servers/ports.env"

fill() {
    sed -e "s/@IMAPS_PORT@/$IMAPS_PORT/g" \
        -e "s/@IMAP_STARTTLS_PORT@/$IMAP_STARTTLS_PORT/g" \
        -e "s/@POP3S_PORT@/$POP3S_PORT/g" \
        -e "s/@POP3_STARTTLS_PORT@/$POP3_STARTTLS_PORT/g" \
        -e "s/@SUBMISSIONS_PORT@/$SUBMISSIONS_PORT/g" \
        -e "s/@SUBMISSION_STARTTLS_PORT@/$SUBMISSION_STARTTLS_PORT/g" \
        -e "s/@MAIL_USER@/$MAIL_USER/g" "$1" >"$2"
    if grep -n '@[A-Z][A-Z0-9_]*@' "$2"; then
        echo "unfilled placeholder in $2" >&2
        return 1
    fi
}
fill "$HERE/sample-autoconfig.xml.in" "$DIR/config-v1.1.xml" || exit 1
fill "$HERE/sample-user.js.in" "$DIR/user.js" || exit 1

RNG=$HERE/../../../shared/schemas/autoconfig/autoconfig.rng
if [ -r "$RNG" ] && command -v xmllint >/dev/null; then
    step "xmllint --relaxng autoconfig.rng"
    xmllint --noout --relaxng "$RNG" "$DIR/config-v1.1.xml" || FAILED=1
fi

KEEPARG=()
run_verify() { # NAME ARGS...
    local name=$1; shift
    [ -n "$KEEP" ] && KEEPARG=(--keep "$DIR/tb-$name")
    step "tb-verify --$name"
    local t rc
    t=$(date +%s)
    stat -c %s "$DOVECOT_LOG" >"$DIR/$name.logoffset"
    "$HERE/tb-verify.sh" --ca "$CA_PEM" --email "$MAIL_USER" --password "$MAIL_PASSWORD" \
        --dovecot-log "$DOVECOT_LOG" --timeout 120 "${KEEPARG[@]}" "$@" 2>&1 | tee "$DIR/$name.out"
    rc=${PIPESTATUS[0]}
    tail -c +"$(( $(cat "$DIR/$name.logoffset") + 1 ))" "$DOVECOT_LOG" >"$DIR/$name.dovecot.log"
    echo "(exit $rc, $(( $(date +%s) - t ))s)"
    [ "$rc" -eq 0 ] || FAILED=1
}
run_verify autoconfig --autoconfig "$DIR/config-v1.1.xml"
run_verify userjs --userjs "$DIR/user.js"

# Each port accepts one TLS mode only (implicit TLS, or cleartext until
# STARTTLS), so "TLS login on port P" proves the mode the entry claims.
step "server log: TLS logins per port"
mode_of_port() {
    case $1 in
        "$IMAPS_PORT"|"$POP3S_PORT"|"$SUBMISSIONS_PORT") echo SSL ;;
        "$IMAP_STARTTLS_PORT"|"$POP3_STARTTLS_PORT"|"$SUBMISSION_STARTTLS_PORT") echo STARTTLS ;;
        *) echo "?" ;;
    esac
}
for name in autoconfig userjs; do
    while read -r status kind type hostport sock; do
        [ "$status" = ok ] || continue
        port=${hostport##*:}
        want=$(mode_of_port "$port")
        line=$(grep -E "Login: user=<$MAIL_USER>.* lport=$port, .*, TLS, " "$DIR/$name.dovecot.log" | tail -n1)
        if [ "$want" != "$sock" ]; then
            echo "FAIL $name: $kind $type $hostport $sock: port $port is the server's $want port"
            FAILED=1
        elif [ -z "$line" ]; then
            echo "FAIL $name: $kind $type $hostport $sock: no TLS login on port $port in the server log"
            FAILED=1
        else
            printf '%-10s %-8s %-4s port %-5s %-8s <- %s\n' "$name" "$kind" "$type" "$port" "$sock" \
                "$(printf '%s' "$line" | sed -E 's/^([^ ]+) ([a-z0-9-]+): Info: Login: .*(lport=[0-9]+), .*, (TLS), (TLSv[0-9.]+).*/\1 \2 \3 \4 \5/')"
        fi
    done <"$DIR/$name.out"
done
if grep -E ': Login: ' "$DOVECOT_LOG" | grep -vq ', TLS, '; then
    echo "FAIL: the server log shows a login without TLS:"
    grep -E ': Login: ' "$DOVECOT_LOG" | grep -v ', TLS, '
    FAILED=1
fi

step "stop servers"
"$HERE/servers.sh" stop "$DIR/servers"
if "$HERE/servers.sh" status "$DIR/servers" >/dev/null; then
    echo "FAIL: servers still running"
    FAILED=1
fi
if ls /usr/lib/thunderbird/mailguide-tbverify.cfg /usr/lib/thunderbird/defaults/pref/mailguide-tbverify.js >/dev/null 2>&1; then
    echo "FAIL: the AutoConfig hook files were left behind"
    FAILED=1
fi

if [ "$FAILED" -eq 0 ]; then
    echo "demo: PASS ($(( $(date +%s) - T0 ))s)"
    exit 0
fi
echo "demo: FAIL ($(( $(date +%s) - T0 ))s)"
exit 1
