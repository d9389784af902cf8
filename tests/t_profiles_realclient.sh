# A real client: headless Thunderbird ESR logs in with the profiles mailguide
# generates, against a private Dovecot (IMAP, POP3, submission) on 127.0.0.1
# with a throwaway CA, over implicit TLS and over STARTTLS, from the
# autoconfig file (each entry in a fresh Thunderbird profile) and from the
# user.js (one per product: TLS first, STARTTLS first). The server's log
# must show each login on its port, with TLS (tb-verify.sh --dovecot-log).
# tests/realclient/ (servers.sh, tb-verify.sh) does the client and server work.
. tests/lib.sh
RC=${REALCLIENT:-tests/realclient}
if [ ! -x "$RC/servers.sh" ] || [ ! -x "$RC/tb-verify.sh" ]; then
    skip "realclient: Thunderbird logs in" "$RC/servers.sh and tb-verify.sh are not in this tree"
    exit 0
fi
for tool in thunderbird dovecot certutil; do
    command -v $tool >/dev/null || { fail "realclient: $tool installed" "run make test as root (TEST_DEBS)"; exit 0; }
done
if [ ! -w /usr/lib/thunderbird/defaults/pref ]; then
    skip "realclient: Thunderbird logs in" "tb-verify.sh needs root for Thunderbird's AutoConfig hook"
    exit 0
fi

# Dovecot's unprivileged processes must reach the mail folder: a folder
# directly under /tmp, not inside the test's private scratch folder.
SRV=$(mktemp -d /tmp/mailguide-srv.XXXXXX)
trap 'timeout 30 "$RC/servers.sh" stop "$SRV" >/dev/null 2>&1; rm -rf "$SRV"' EXIT
if ! timeout 90 "$RC/servers.sh" start "$SRV" >"$TMP/servers.log" 2>&1; then
    fail "realclient: Dovecot starts" "$(tail -n 5 "$TMP/servers.log")"
    exit 0
fi
. "$SRV/ports.env"

# The server table of the test: the same servers in two orders of preference,
# so the single-server user.js is tried once with TLS and once with STARTTLS.
mkdir -p "$TMP/c" && cp -R content/. "$TMP/c/" && rm -rf "$TMP/c/guides"  # the table names other products
cat >"$TMP/c/servers.yaml" <<EOF
providers:
  - id: loopback
    name: Loopback & "Test" <Mail>
    domain: example.test
    products:
      - id: tls-first
        name: TLS first
        domains: ["*"]
        incoming:
          - {protocol: imap, host: 127.0.0.1, port: $IMAPS_PORT, security: ssl}
          - {protocol: imap, host: 127.0.0.1, port: $IMAP_STARTTLS_PORT, security: starttls}
          - {protocol: pop3, host: 127.0.0.1, port: $POP3S_PORT, security: ssl}
          - {protocol: pop3, host: 127.0.0.1, port: $POP3_STARTTLS_PORT, security: starttls}
        outgoing:
          - {protocol: smtp, host: 127.0.0.1, port: $SUBMISSIONS_PORT, security: ssl}
          - {protocol: smtp, host: 127.0.0.1, port: $SUBMISSION_STARTTLS_PORT, security: starttls}
      - id: starttls-first
        name: STARTTLS first
        domains: ["*"]
        incoming:
          - {protocol: imap, host: 127.0.0.1, port: $IMAP_STARTTLS_PORT, security: starttls}
        outgoing:
          - {protocol: smtp, host: 127.0.0.1, port: $SUBMISSION_STARTTLS_PORT, security: starttls}
EOF
"$MG" -q build -C "$TMP/c" -o "$TMP/out" 2>"$TMP/build.err" ||
    { fail "realclient: the loopback table builds" "$(cat "$TMP/build.err")"; exit 0; }

# verify LABEL ARGS...: runs tb-verify.sh; each of its entries becomes a case.
verify() {
    local label=$1; shift
    timeout 600 "$RC/tb-verify.sh" --ca "$CA_PEM" --email "$MAIL_USER" --password "$MAIL_PASSWORD" \
        --dovecot-log "$DOVECOT_LOG" --timeout 540 --entry-timeout 30 "$@" >"$TMP/verify.out" 2>"$TMP/verify.err"
    local rc=$?
    while IFS= read -r line; do
        case $line in
        ok\ *) pass "realclient: $label: ${line#ok }" ;;
        FAIL\ *) fail "realclient: $label: ${line#FAIL }" ;;
        esac
    done <"$TMP/verify.out"
    [ "$rc" -eq 0 ] || grep -q '^FAIL' "$TMP/verify.out" ||
        fail "realclient: $label: tb-verify.sh" "exit $rc: $(tail -n 5 "$TMP/verify.err")"
    cat "$TMP/verify.out" >>"$TMP/${label%% *}.out"
}
: >"$TMP/autoconfig.out"
: >"$TMP/user.js.out"
# The published (generic) autoconfig file: Thunderbird fills in %EMAILADDRESS%.
verify "autoconfig" --autoconfig "$TMP/out/profiles/tls-first/en-gb/config-v1.1.xml"
# user.js must carry the address: the personalized one of mailguide profile.
for p in tls-first starttls-first; do
    "$MG" -q profile -C "$TMP/c" --product $p --client thunderbird --email "$MAIL_USER" --name "Test User" -o "$TMP/$p.user.js" &&
        verify "user.js $p" --userjs "$TMP/$p.user.js"
done

# What Done-when names, explicitly: IMAP and SMTP submission, TLS and STARTTLS,
# from both kinds of file (each line above is already a case; this catches
# a combination that was never tried).
for want in "autoconfig:incoming imap 127.0.0.1:$IMAPS_PORT SSL" "autoconfig:incoming imap 127.0.0.1:$IMAP_STARTTLS_PORT STARTTLS" \
    "autoconfig:outgoing smtp 127.0.0.1:$SUBMISSIONS_PORT SSL" "autoconfig:outgoing smtp 127.0.0.1:$SUBMISSION_STARTTLS_PORT STARTTLS" \
    "user.js:incoming imap 127.0.0.1:$IMAPS_PORT SSL" "user.js:incoming imap 127.0.0.1:$IMAP_STARTTLS_PORT STARTTLS" \
    "user.js:outgoing smtp 127.0.0.1:$SUBMISSIONS_PORT SSL" "user.js:outgoing smtp 127.0.0.1:$SUBMISSION_STARTTLS_PORT STARTTLS"; do
    grep -qxF "ok ${want#*:}" "$TMP/${want%%:*}.out" && pass "realclient: logged in: $want" || fail "realclient: logged in: $want" "no such line in tb-verify.sh's output"
done
timeout 30 "$RC/servers.sh" stop "$SRV" >/dev/null 2>&1 && ! timeout 5 "$RC/servers.sh" status "$SRV" >/dev/null 2>&1 &&
    pass "realclient: servers stopped" || fail "realclient: servers stopped"
