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
      - id: oauth-then-password
        name: OAuth2 then password
        domains: ["*"]
        incoming:
          - {protocol: imap, host: 127.0.0.1, port: $IMAPS_PORT, security: ssl, auth: [oauth2, password]}
        outgoing:
          - {protocol: smtp, host: 127.0.0.1, port: $SUBMISSIONS_PORT, security: ssl, auth: [oauth2, password]}
      - id: pop-first
        name: POP3 first
        domains: ["*"]
        incoming:
          - {protocol: pop3, host: 127.0.0.1, port: $POP3S_PORT, security: ssl}
          - {protocol: imap, host: 127.0.0.1, port: $IMAPS_PORT, security: ssl}
        outgoing:
          - {protocol: smtp, host: 127.0.0.1, port: $SUBMISSIONS_PORT, security: ssl}
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

# A server listing OAuth2 then a password: Thunderbird has no OAuth2
# settings for 127.0.0.1, so it falls back to the password, and logs in.
verify "oauth-then-password autoconfig" --autoconfig "$TMP/out/profiles/oauth-then-password/en-gb/config-v1.1.xml"
# A product that prefers POP3: its user.js sets up POP3.
"$MG" -q profile -C "$TMP/c" --product pop-first --client thunderbird --email "$MAIL_USER" -o "$TMP/pop-first.user.js" &&
    grep -q '^user_pref("mail.server.mailguide_pop_first_[0-9a-f]*.type", "pop3");$' "$TMP/pop-first.user.js" &&
    pass "realclient: a POP3-first product's user.js sets up POP3" || fail "realclient: a POP3-first product's user.js sets up POP3"
verify "pop-first user.js" --userjs "$TMP/pop-first.user.js"
grep -qxF "ok incoming pop3 127.0.0.1:$POP3S_PORT SSL" "$TMP/pop-first.out" &&
    pass "realclient: logged in over POP3 from the POP3-first user.js" ||
    fail "realclient: logged in over POP3 from the POP3-first user.js" "$(cat "$TMP/pop-first.out")"

# Logins as patterns, and CRAM-MD5: a second Dovecot whose only user is the
# local part ("user"), a third whose user is composed ("user.example.test");
# each server's log must show exactly that user logging in.
for variant in "localpart|user|%EMAILLOCALPART%|encrypted-password|cram-md5 plain login" \
    "composed|user.example.test|%EMAILLOCALPART%.%EMAILDOMAIN%|password|plain login"; do
    IFS='|' read -r name user login auth mechs <<<"$variant"
    SRV2=$(mktemp -d /tmp/mailguide-srv.XXXXXX)
    if ! MAIL_USER=$user AUTH_MECHS=$mechs timeout 90 "$RC/servers.sh" start "$SRV2" >"$TMP/servers-$name.log" 2>&1; then
        fail "realclient: Dovecot for $name starts" "$(tail -n 5 "$TMP/servers-$name.log")"
        rm -rf "$SRV2"; continue
    fi
    (
        . "$SRV2/ports.env"
        mkdir -p "$TMP/c-$name" && cp -R "$TMP/c/." "$TMP/c-$name/"
        cat >"$TMP/c-$name/servers.yaml" <<EOF
providers:
  - id: loopback
    name: Loopback
    domain: example.test
    products:
      - id: $name
        name: $name
        domains: ["*"]
        incoming:
          - {protocol: imap, host: 127.0.0.1, port: $IMAPS_PORT, security: ssl, auth: $auth, login: "$login"}
        outgoing:
          - {protocol: smtp, host: 127.0.0.1, port: $SUBMISSIONS_PORT, security: ssl, auth: $auth, login: "$login"}
EOF
        "$MG" -q build -C "$TMP/c-$name" -o "$TMP/out-$name" 2>"$TMP/build-$name.err" ||
            { fail "realclient: the $name table builds" "$(cat "$TMP/build-$name.err")"; exit 0; }
        # The address is user@example.test; the server knows only $user.
        MAIL_USER=user@example.test
        verify "$name autoconfig" --autoconfig "$TMP/out-$name/profiles/$name/en-gb/config-v1.1.xml"
        method=PLAIN; [ "$auth" = encrypted-password ] && method=CRAM-MD5
        n=$(grep -c "Login: user=<$user>, method=$method" "$DOVECOT_LOG")
        others=$(grep 'Login: user=<' "$DOVECOT_LOG" | grep -vc "user=<$user>")
        [ "$n" -ge 2 ] && [ "$others" -eq 0 ] &&
            pass "realclient: $name: the server's log shows user=<$user>, method=$method, and no other user" ||
            fail "realclient: $name: the server's log shows user=<$user>, method=$method, and no other user" "$(grep 'Login:' "$DOVECOT_LOG" | tail -3)"
    )
    timeout 30 "$RC/servers.sh" stop "$SRV2" >/dev/null 2>&1
    rm -rf "$SRV2"
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
