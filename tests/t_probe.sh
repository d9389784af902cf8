# mailguide probe against real servers on 127.0.0.1: private Dovecot instances
# with a throwaway CA (tests/realclient/servers.sh; an accurate table, a wrong
# host name, an expired certificate, a missing AUTH mechanism) and misbehaving
# fakes (tests/tools/fake_mail_server.py: hangs, garbage, endless lines).
# Every probe runs under `timeout`; every server is stopped on exit.
. tests/lib.sh
SERVERS=$PWD/tests/realclient/servers.sh
FAKE=$PWD/tests/tools/fake_mail_server.py
FAKE_PIDS=()
INSTANCES=()
cleanup() {
    local d p
    for d in "${INSTANCES[@]}"; do timeout 30 bash "$SERVERS" stop "$d" >/dev/null 2>&1; done
    for p in "${FAKE_PIDS[@]}"; do kill "$p" 2>/dev/null; done
}
trap cleanup EXIT

# content DIR: a content directory whose servers.yaml is stdin.
content() {
    mkdir -p "$1/strings"
    printf 'base_url: https://help.example.test/\ndefault_locale: en-gb\nlocales:\n  en-gb: {name: English, title: Help}\n' >"$1/site.yaml"
    printf 'title: Help\n' >"$1/strings/en-gb.yaml"
    cat >"$1/servers.yaml"
}
header='providers:
  - id: test
    name: Test
    domain: example.test
    products:'
# probe NAME WANT_STATUS ARGS...: runs mailguide probe, output in $TMP/out.
probe() {
    local name=$1 want=$2; shift 2
    timeout 60 "$MG" probe "$@" >"$TMP/out" 2>&1; local rc=$?
    if grep -q 'Sanitizer\|runtime error' "$TMP/out"; then
        fail "$name: exit $want" "sanitizer: $(grep -m 5 'Sanitizer\|runtime error\|#[0-9]' "$TMP/out")"
    elif [ "$rc" -eq "$want" ]; then pass "$name: exit $want"
    else fail "$name: exit $want" "exit $rc: $(head -c 2000 "$TMP/out")"; fi
}
# has NAME TEXT: the last probe printed TEXT (fixed string) on a diagnostic line.
has() {
    if grep -F -- "$2" "$TMP/out" | grep -Eq '^[^:]+servers\.yaml:[0-9]+:[0-9]+: (error|warning|note): '; then
        pass "$1"
    else
        fail "$1" "no line with '$2' in: $(head -c 2000 "$TMP/out")"
    fi
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now_ms() { date +%s%3N; }
# Wall-clock bounds mean nothing when mailguide runs under valgrind (make valgrind).
slow=""
grep -qs valgrind "$MG" && slow="mailguide runs under valgrind: wall-clock bounds not measured"
# timed NAME OK: PASS when OK is true, SKIP when wall clocks are not measured.
timed() {
    if [ -n "$slow" ]; then skip "$1" "$slow"; elif [ "$2" = yes ]; then pass "$1"; else fail "$1" "$3"; fi
}

# ------------------------------------------------------------ fakes (no Dovecot needed)
for m in hang midline garbage endless close silent inject; do
    python3 "$FAKE" "$m" "$TMP/fake-$m.port" </dev/null >/dev/null 2>&1 &
    FAKE_PIDS+=($!)
done
for m in hang midline garbage endless close silent inject; do
    for _ in $(seq 1 50); do [ -s "$TMP/fake-$m.port" ] && break; sleep 0.1; done
    printf -v "P_$m" '%s' "$(cat "$TMP/fake-$m.port" 2>/dev/null)"
done
if [ -z "$P_hang" ] || [ -z "$P_inject" ]; then
    fail "probe: fake servers start" "no port file"
else
    content "$TMP/fake" <<EOF
$header
      - id: fake
        name: Fake
        domains: ["*"]
        incoming:
          - {protocol: imap, host: 127.0.0.1, port: $P_hang, security: starttls}
          - {protocol: imap, host: 127.0.0.1, port: $P_midline, security: starttls}
          - {protocol: imap, host: 127.0.0.1, port: $P_garbage, security: starttls}
          - {protocol: imap, host: 127.0.0.1, port: $P_endless, security: starttls}
          - {protocol: imap, host: 127.0.0.1, port: $P_close, security: starttls}
          - {protocol: imap, host: 127.0.0.1, port: $P_silent, security: starttls}
          - {protocol: imap, host: 127.0.0.1, port: $P_inject, security: starttls}
        outgoing:
          - {protocol: smtp, host: 127.0.0.1, port: $P_hang, security: ssl}
EOF
    t0=$(now_ms)
    probe "probe fake: misbehaving servers fail" 1 -C "$TMP/fake" --timeout 2
    ms=$(( $(now_ms) - t0 ))
    has "probe fake: hang after the greeting is a timeout" "imap 127.0.0.1:$P_hang (starttls): timed out after 2.0 s waiting for the reply to CAPABILITY"
    has "probe fake: hang mid-line is a timeout" "imap 127.0.0.1:$P_midline (starttls): timed out after 2.0 s waiting for the greeting"
    has "probe fake: garbage is no greeting" "imap 127.0.0.1:$P_garbage (starttls): not an IMAP greeting: '"
    has "probe fake: an endless line is bounded" "imap 127.0.0.1:$P_endless (starttls): a line longer than 4096 bytes (waiting for the greeting)"
    has "probe fake: early close" "imap 127.0.0.1:$P_close (starttls): connection closed waiting for the reply to CAPABILITY"
    has "probe fake: a silent port is a timeout" "imap 127.0.0.1:$P_silent (starttls): timed out after 2.0 s waiting for the greeting"
    has "probe fake: data after the STARTTLS reply" "imap 127.0.0.1:$P_inject (starttls): sent data after its STARTTLS reply, before TLS"
    has "probe fake: ssl to a plain-text port" "smtp 127.0.0.1:$P_hang (ssl): TLS handshake failed"
    # 8 entries, 8 jobs by default, 2 s each: all at once, within the limit.
    [ "$ms" -ge 1900 ] && [ "$ms" -lt 3500 ] && ok=yes || ok=no
    timed "probe fake: timeouts hold within the limit (${ms} ms for --timeout 2)" $ok "took $ms ms for --timeout 2"
    grep -q '^mailguide probe: 8 entries: 0 ok, 0 with warnings, 8 failed$' "$TMP/out" &&
        pass "probe fake: summary line" || fail "probe fake: summary line" "$(tail -n 2 "$TMP/out")"

    # Bounded parallelism: six entries that hang mid-greeting, each cut at 1.5 s.
    content "$TMP/hang6" <<EOF
$header
      - id: hang
        name: Hang
        domains: ["*"]
        incoming:
          - {protocol: imap, host: 127.0.0.1, port: $P_midline, security: starttls}
          - {protocol: imap, host: localhost, port: $P_midline, security: starttls}
          - {protocol: pop3, host: 127.0.0.1, port: $P_midline, security: starttls}
          - {protocol: pop3, host: localhost, port: $P_midline, security: starttls}
        outgoing:
          - {protocol: smtp, host: 127.0.0.1, port: $P_midline, security: starttls}
          - {protocol: smtp, host: localhost, port: $P_midline, security: starttls}
EOF
    t0=$(now_ms); timeout 60 "$MG" probe -C "$TMP/hang6" --timeout 1.5 --jobs 6 >"$TMP/j6" 2>&1; ms6=$(( $(now_ms) - t0 ))
    t0=$(now_ms); timeout 60 "$MG" probe -C "$TMP/hang6" --timeout 1.5 --jobs 2 >"$TMP/j2" 2>&1; ms2=$(( $(now_ms) - t0 ))
    [ "$ms6" -lt 2900 ] && ok=yes || ok=no
    timed "probe: --jobs 6 probes six entries at once (${ms6} ms)" $ok "$ms6 ms"
    [ "$ms2" -ge 4400 ] && [ "$ms2" -lt 7000 ] && ok=yes || ok=no
    timed "probe: --jobs 2 bounds the connections (${ms2} ms)" $ok "$ms2 ms"
    same "probe: output order does not depend on timing" "$TMP/j6" "$TMP/j2"
fi

# ------------------------------------------------------------ usage
probe "probe: unknown product is a usage error" 2 -C content --product nosuch
probe "probe: bad --timeout is a usage error" 2 -C content --timeout 0
probe "probe: bad --format is a usage error" 2 -C content --format=xml
probe "probe: unreadable --ca is a usage error" 2 -C content --ca "$TMP/none.pem"
probe "probe: broken content is a content error" 1 -C "$TMP/nocontent"
timeout 10 "$MG" probe --help >"$TMP/out" 2>&1 && grep -q '^usage: mailguide probe' "$TMP/out" &&
    pass "probe: --help" || fail "probe: --help" "$(cat "$TMP/out")"

# ------------------------------------------------------------ real Dovecot
why=""
if [ ! -f "$SERVERS" ]; then
    why="tests/realclient/servers.sh is missing"
elif ! command -v dovecot >/dev/null || [ ! -x /usr/lib/dovecot/imap ] || [ ! -x /usr/lib/dovecot/pop3 ] ||
    [ ! -x /usr/lib/dovecot/submission ]; then
    why="Dovecot is not installed (apt-get install dovecot-imapd dovecot-pop3d dovecot-submissiond)"
fi
if [ -n "$why" ]; then
    for c in "accurate table" "implicit-TLS port as starttls" "closed port" "wrong host name" \
        "expired certificate" "missing AUTH mechanism"; do
        skip "probe dovecot: $c" "$why"
    done
    exit 0
fi

# start NAME [VAR=VALUE...]: a Dovecot instance in $TMP/NAME; its ports in P_* vars.
start() {
    local name=$1 dir
    shift
    dir=$(mktemp -d /tmp/mgprobe.XXXXXX)
    INSTANCES+=("$dir")
    if ! env CERT_KEY=ec "$@" timeout 90 bash "$SERVERS" start "$dir" >"$TMP/start-$name.log" 2>&1; then
        fail "probe dovecot: $name servers start" "$(tail -n 20 "$TMP/start-$name.log")"
        return 1
    fi
    # shellcheck disable=SC1091
    . "$dir/ports.env"
    CA=$CA_PEM
}
# good_table DIR: the instance's six entries, as they really are.
good_entries() {
    cat <<EOF
        incoming:
          - {protocol: imap, host: localhost, port: $IMAPS_PORT, security: ssl}
          - {protocol: imap, host: localhost, port: $IMAP_STARTTLS_PORT, security: starttls}
          - {protocol: pop3, host: localhost, port: $POP3S_PORT, security: ssl}
          - {protocol: pop3, host: localhost, port: $POP3_STARTTLS_PORT, security: starttls}
        outgoing:
          - {protocol: smtp, host: localhost, port: $SUBMISSIONS_PORT, security: ssl}
          - {protocol: smtp, host: localhost, port: $SUBMISSION_STARTTLS_PORT, security: starttls}
EOF
}

if start good CERT_DAYS=90; then
    closed=$(free_port)
    content "$TMP/good" <<EOF
$header
      - id: good
        name: Good
        domains: ["*"]
$(good_entries)
      - id: wrongtls
        name: Implicit TLS listed as STARTTLS
        domains: ["*"]
        incoming:
          - {protocol: imap, host: localhost, port: $IMAPS_PORT, security: starttls}
          - {protocol: pop3, host: localhost, port: $POP3_STARTTLS_PORT, security: ssl}
        outgoing:
          - {protocol: smtp, host: localhost, port: $SUBMISSIONS_PORT, security: starttls}
      - id: closed
        name: Closed port
        domains: ["*"]
        incoming:
          - {protocol: imap, host: 127.0.0.1, port: $closed, security: ssl}
        outgoing:
          - {protocol: smtp, host: localhost, port: $SUBMISSIONS_PORT, security: ssl}
      - id: authtable
        name: The table names a mechanism the server lacks
        domains: ["*"]
        incoming:
          - {protocol: imap, host: localhost, port: $IMAPS_PORT, security: ssl, auth: encrypted-password}
        outgoing:
          - {protocol: smtp, host: localhost, port: $SUBMISSION_STARTTLS_PORT, security: starttls, auth: oauth2}
      - id: plain
        name: Plaintext
        domains: ["*"]
        incoming:
          - {protocol: pop3, host: 127.0.0.1, port: $POP3_STARTTLS_PORT, security: none}
        outgoing:
          - {protocol: smtp, host: localhost, port: $SUBMISSIONS_PORT, security: ssl}
EOF
    probe "probe dovecot: accurate table" 0 -C "$TMP/good" --product good --ca "$CA" --timeout 10
    n=$(grep -Ec ': note: .*: ok: TLSv1\.[23], certificate valid (89|90) more days' "$TMP/out")
    [ "$n" -eq 6 ] && pass "probe dovecot: accurate table: six ok lines" || fail "probe dovecot: accurate table: six ok lines" "$n: $(cat "$TMP/out")"
    has "probe dovecot: accurate table: IMAP offers its mechanisms" "imap localhost:$IMAP_STARTTLS_PORT (starttls): ok: "
    has "probe dovecot: accurate table: SMTP advertises AUTH" "smtp localhost:$SUBMISSION_STARTTLS_PORT (starttls): ok: TLSv1.3, certificate valid"
    grep -q '^mailguide probe: 6 entries: 6 ok, 0 with warnings, 0 failed$' "$TMP/out" &&
        pass "probe dovecot: accurate table: summary" || fail "probe dovecot: accurate table: summary" "$(tail -n 1 "$TMP/out")"

    probe "probe dovecot: untrusted CA fails" 1 -C "$TMP/good" --product good --timeout 10
    has "probe dovecot: untrusted CA is named" "imap localhost:$IMAPS_PORT (ssl): certificate does not verify: unable to get local issuer certificate"

    probe "probe dovecot: expiry warning" 0 -C "$TMP/good" --product good --ca "$CA" --warn-days 100
    has "probe dovecot: expiry warning is named" "warning: pop3 localhost:$POP3S_PORT (ssl): certificate expires in "

    timeout 60 "$MG" probe -C "$TMP/good" --product good --ca "$CA" --format=json >"$TMP/json" 2>"$TMP/err"
    rc=$?
    if [ "$rc" -eq 0 ] && python3 - "$TMP/json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
e = d["entries"]
assert len(e) == 6, e
assert d["summary"] == {"entries": 6, "ok": 6, "warnings": 0, "failed": 0}, d["summary"]
for x in e:
    assert x["status"] == "ok" and x["problems"] == [], x
    assert x["tls"].startswith("TLSv1."), x
    assert x["address"] == "127.0.0.1", x
    assert x["certificate_days_left"] in (89, 90), x
    assert "PLAIN" in x["mechanisms"], x
    assert (x["smtp_auth_advertised"] is True) == (x["protocol"] == "smtp"), x
EOF
    then pass "probe dovecot: --format=json"; else fail "probe dovecot: --format=json" "exit $rc: $(head -c 1500 "$TMP/json") $(cat "$TMP/err")"; fi

    probe "probe dovecot: implicit-TLS port as starttls" 1 -C "$TMP/good" --product wrongtls --ca "$CA" --timeout 4
    has "probe dovecot: implicit-TLS port as starttls: IMAP" "error: imap localhost:$IMAPS_PORT (starttls): no greeting in the clear, but a TLS handshake succeeds: the port speaks implicit TLS (security: ssl), not starttls"
    has "probe dovecot: implicit-TLS port as starttls: SMTP" "error: smtp localhost:$SUBMISSIONS_PORT (starttls): no greeting in the clear, but a TLS handshake succeeds: the port speaks implicit TLS (security: ssl), not starttls"
    has "probe dovecot: STARTTLS port as ssl" "error: pop3 localhost:$POP3_STARTTLS_PORT (ssl): TLS handshake failed: wrong version number (the port seems to answer in plain text: is it a STARTTLS port?)"

    probe "probe dovecot: closed port" 1 -C "$TMP/good" --product closed --ca "$CA"
    has "probe dovecot: closed port is named" "error: imap 127.0.0.1:$closed (ssl): cannot connect (127.0.0.1: Connection refused)"
    grep -q "note: smtp localhost:$SUBMISSIONS_PORT (ssl): ok" "$TMP/out" &&
        pass "probe dovecot: closed port: the other entry still holds" || fail "probe dovecot: closed port: the other entry still holds" "$(cat "$TMP/out")"

    probe "probe dovecot: table names a mechanism the server lacks" 1 -C "$TMP/good" --product authtable --ca "$CA"
    has "probe dovecot: CRAM-MD5 not offered" "error: imap localhost:$IMAPS_PORT (ssl): the table's auth 'encrypted-password' needs CRAM-MD5 after TLS; it offers PLAIN LOGIN"
    has "probe dovecot: OAuth not offered" "error: smtp localhost:$SUBMISSION_STARTTLS_PORT (starttls): the table's auth 'oauth2' needs XOAUTH2 or OAUTHBEARER after TLS; it offers PLAIN LOGIN"

    probe "probe dovecot: plaintext entry holds with a warning" 0 -C "$TMP/good" --product plain --ca "$CA"
    has "probe dovecot: plaintext entry is warned about" "warning: pop3 127.0.0.1:$POP3_STARTTLS_PORT (none): the table publishes a plaintext option"
fi

if start wronghost CERT_DAYS=90 CERT_HOST=DNS:mail.example.test CERT_CN=mail.example.test; then
    content "$TMP/wronghost" <<EOF
$header
      - id: good
        name: Good
        domains: ["*"]
$(good_entries)
EOF
    probe "probe dovecot: wrong host name" 1 -C "$TMP/wronghost" --ca "$CA"
    has "probe dovecot: wrong host name: ssl" "error: imap localhost:$IMAPS_PORT (ssl): certificate does not match host 'localhost' (it names mail.example.test)"
    has "probe dovecot: wrong host name: starttls" "error: smtp localhost:$SUBMISSION_STARTTLS_PORT (starttls): certificate does not match host 'localhost' (it names mail.example.test)"
    n=$(grep -c 'certificate does not match host' "$TMP/out")
    [ "$n" -eq 6 ] && pass "probe dovecot: wrong host name on every entry" || fail "probe dovecot: wrong host name on every entry" "$n"
fi

if start expired CERT_EXPIRED=3; then
    content "$TMP/expired" <<EOF
$header
      - id: good
        name: Good
        domains: ["*"]
$(good_entries)
EOF
    probe "probe dovecot: expired certificate" 1 -C "$TMP/expired" --ca "$CA"
    has "probe dovecot: expired certificate is named" "error: imap localhost:$IMAPS_PORT (ssl): certificate expired 3 days ago ("
    has "probe dovecot: expired certificate after STARTTLS" "error: smtp localhost:$SUBMISSION_STARTTLS_PORT (starttls): certificate expired 3 days ago ("
    grep -q 'does not verify' "$TMP/out" && fail "probe dovecot: expired is not a generic verify failure" "$(cat "$TMP/out")" ||
        pass "probe dovecot: expired is not a generic verify failure"
fi

if start nomech CERT_DAYS=90 AUTH_MECHS=cram-md5; then
    content "$TMP/nomech" <<EOF
$header
      - id: good
        name: Good
        domains: ["*"]
$(good_entries)
EOF
    probe "probe dovecot: missing AUTH mechanism" 1 -C "$TMP/nomech" --ca "$CA"
    has "probe dovecot: missing AUTH mechanism: SMTP" "error: smtp localhost:$SUBMISSIONS_PORT (ssl): the table's auth 'password' needs AUTH PLAIN or LOGIN after TLS; it offers CRAM-MD5"
    has "probe dovecot: missing AUTH mechanism: IMAP" "error: imap localhost:$IMAPS_PORT (ssl): the table's auth 'password' needs AUTH=PLAIN, AUTH=LOGIN or the LOGIN command after TLS; it offers CRAM-MD5 and refuses LOGIN (LOGINDISABLED)"
    # Dovecot still lists USER, but refuses it without the PLAIN mechanism.
    has "probe dovecot: missing AUTH mechanism: POP3 warns" "warning: pop3 localhost:$POP3S_PORT (ssl): password login rests on USER/PASS alone (no SASL PLAIN or LOGIN; it offers CRAM-MD5 and USER/PASS)"
fi
exit 0
