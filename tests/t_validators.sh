. tests/lib.sh
# t_validators.sh: the independent profile validators in tests/tools/ accept
# their hand-written good samples and reject every bad one for the intended
# reason (each bad sample is paired with a fragment of the expected message).
# Cases needing ../shared (Apple's YAML schemas, the autoconfig draft schema)
# are reported SKIP when it is absent.

T=tests/tools
S=$T/samples
NAME="Tom & Jerry's \"Mail\" <x>"

have_apple() { [ -f "$SHARED/schemas/apple/TopLevel.yaml" ]; }
have_autoconfig_rng() { [ -f "$SHARED/schemas/autoconfig/autoconfig.rng" ]; }

# good NAME CMD...: passes when CMD exits 0; 77 (missing input) is a skip.
good() {
    local name=$1 out rc
    shift
    out=$("$@" 2>&1)
    rc=$?
    case $rc in
    0) pass "$name" ;;
    77) skip "$name" "$(printf '%s' "$out" | tail -n 1)" ;;
    *) fail "$name" "exit $rc: $(printf '%s' "$out" | tail -n 20)" ;;
    esac
}

# bad NAME FRAGMENT CMD...: passes when CMD exits 1 and prints FRAGMENT.
bad() {
    local name=$1 frag=$2 out rc
    shift 2
    out=$("$@" 2>&1)
    rc=$?
    if [ $rc -eq 77 ]; then
        skip "$name" "$(printf '%s' "$out" | tail -n 1)"
    elif [ $rc -ne 1 ]; then
        fail "$name" "expected exit 1, got $rc: $(printf '%s' "$out" | tail -n 10)"
    elif ! printf '%s' "$out" | grep -qF -- "$frag"; then
        fail "$name" "rejected, but not for '$frag': $(printf '%s' "$out" | tail -n 10)"
    else
        pass "$name"
    fi
}

# bad_samples TOOLNAME DIR TABLE -- CMD...: runs CMD FILE for every line
# "file|fragment" of TABLE, and fails for a bad-* file in DIR missing from TABLE.
bad_samples() {
    local tool=$1 dir=$2 table=$3 file frag f
    shift 4
    while IFS='|' read -r file frag; do
        [ -n "$file" ] || continue
        bad "$tool rejects $file" "$frag" "$@" "$dir/$file"
    done <<<"$table"
    for f in "$dir"/bad-*; do
        grep -q "^$(basename "$f")|" <<<"$table" || fail "$tool sample $(basename "$f")" "no expected message listed in t_validators.sh"
    done
}

# ---------------------------------------------------------------- mobileconfig
MC="python3 $T/check_mobileconfig.py"
D=$S/mobileconfig
if have_apple; then
    good "mobileconfig: generic profile valid" $MC "$D/good-generic.mobileconfig" \
        --expect-no-email --expect-payloads 2 --expect-string "$NAME"
    good "mobileconfig: personal profile valid" $MC "$D/good-personal.mobileconfig" \
        --expect-email jane.doe@example.com --expect-payloads 2 --expect-string "$NAME"
    bad "mobileconfig: --expect-no-email rejects a personal profile" "EmailAddress present" \
        $MC "$D/good-personal.mobileconfig" --expect-no-email
    bad "mobileconfig: --expect-email rejects a generic profile" "IncomingMailServerUsername missing" \
        $MC "$D/good-generic.mobileconfig" --expect-email jane.doe@example.com
    bad "mobileconfig: --expect-email rejects another address" "expected 'john@example.com'" \
        $MC "$D/good-personal.mobileconfig" --expect-email john@example.com
    bad "mobileconfig: --expect-payloads counts" "2 payloads, expected 3" \
        $MC "$D/good-generic.mobileconfig" --expect-payloads 3
    bad_samples mobileconfig "$D" "
bad-auth-value.mobileconfig|IncomingMailServerAuthentication: value 'EmailAuthPlain' not allowed
bad-bool-as-integer.mobileconfig|IncomingMailServerUseSSL: expected boolean, got integer
bad-escape.mobileconfig|not a parsable property list
bad-identifier-duplicate.mobileconfig|PayloadIdentifier 'com.example.mailguide.mxplan.imap' already used
bad-missing-hostname.mobileconfig|required key OutgoingMailServerHostName is missing
bad-missing-required.mobileconfig|required key IncomingMailServerAuthentication is missing
bad-missing-top-uuid.mobileconfig|required key PayloadUUID is missing
bad-payload-type.mobileconfig|PayloadType 'com.apple.mail': no Apple schema
bad-port-as-string.mobileconfig|IncomingMailServerPortNumber: expected integer, got string
bad-rangelist.mobileconfig|EmailAccountType: value 'EmailTypePOP3' not allowed
bad-ssl-port.mobileconfig|IncomingMailServerPortNumber 995 is an implicit-TLS port
bad-toplevel-type.mobileconfig|PayloadType: value 'configuration' not allowed
bad-unknown-key.mobileconfig|OutgoingMailServerUseTLS: unknown key
bad-uuid-duplicate.mobileconfig|already used by PayloadContent[0]
bad-uuid-format.mobileconfig|is not a canonical UUID
bad-version-2.mobileconfig|PayloadVersion: value 2 not allowed
bad-version-bool.mobileconfig|PayloadVersion: expected integer, got boolean" \
        -- $MC --expect-string "$NAME"

    # signed profiles: a throwaway CA signs with openssl, as the generator's
    # CMS_sign (CMS_BINARY, DER) would
    if command -v openssl >/dev/null 2>&1; then
        K=$TMP/cms
        mkdir -p "$K"
        if openssl req -x509 -newkey rsa:2048 -nodes -keyout "$K/ca.key" -out "$K/ca.pem" -days 2 \
                -subj "/CN=mailguide test CA" >/dev/null 2>&1 &&
            openssl req -newkey rsa:2048 -nodes -keyout "$K/signer.key" -out "$K/signer.csr" \
                -subj "/CN=mailguide test signer" >/dev/null 2>&1 &&
            openssl x509 -req -in "$K/signer.csr" -CA "$K/ca.pem" -CAkey "$K/ca.key" \
                -CAcreateserial -out "$K/signer.pem" -days 2 >/dev/null 2>&1 &&
            openssl req -x509 -newkey rsa:2048 -nodes -keyout "$K/other.key" -out "$K/other.pem" \
                -days 2 -subj "/CN=other CA" >/dev/null 2>&1 &&
            openssl cms -sign -binary -nodetach -outform DER -in "$D/good-generic.mobileconfig" \
                -signer "$K/signer.pem" -inkey "$K/signer.key" -out "$K/good.signed" 2>/dev/null &&
            openssl cms -sign -binary -nodetach -outform DER -in "$D/bad-unknown-key.mobileconfig" \
                -signer "$K/signer.pem" -inkey "$K/signer.key" -out "$K/bad.signed" 2>/dev/null; then
            python3 -c 'import sys; d = bytearray(open(sys.argv[1], "rb").read()); i = d.find(b"ssl0.ovh.net"); d[i] = ord("X"); open(sys.argv[2], "wb").write(d)' \
                "$K/good.signed" "$K/tampered.signed"
            good "mobileconfig: signed profile verifies" $MC "$K/good.signed" --signed "$K/ca.pem" --expect-no-email
            bad "mobileconfig: signed by another CA" "does not verify" $MC "$K/good.signed" --signed "$K/other.pem"
            bad "mobileconfig: tampered signed profile" "does not verify" $MC "$K/tampered.signed" --signed "$K/ca.pem"
            bad "mobileconfig: signed content still checked" "OutgoingMailServerUseTLS: unknown key" \
                $MC "$K/bad.signed" --signed "$K/ca.pem"
            bad "mobileconfig: unsigned file given --signed" "does not verify" \
                $MC "$D/good-generic.mobileconfig" --signed "$K/ca.pem"
            bad "mobileconfig: signed file without --signed" "pass --signed" $MC "$K/good.signed"
        else
            fail "mobileconfig: signing setup" "openssl could not make the test CA or sign"
        fi
    else
        skip "mobileconfig: signed profiles" "openssl not found"
    fi
else
    skip "mobileconfig: all cases" "Apple schemas not found in $SHARED/schemas/apple"
fi
out=$(SHARED=$TMP/no-shared python3 $T/check_mobileconfig.py "$D/good-generic.mobileconfig" 2>&1)
rc=$?
[ $rc -eq 77 ] && pass "mobileconfig: exit 77 without the schemas" ||
    fail "mobileconfig: exit 77 without the schemas" "exit $rc: $out"

# ---------------------------------------------------------------- autodiscover
AD="bash $T/check_autodiscover.sh"
D=$S/autodiscover
good "autodiscover: good response valid" $AD "$D/good.xml" --expect-string "$NAME"
good "autodiscover: minimal response (any order, STARTTLS on 143, plain SMTP) valid" $AD "$D/good-minimal.xml"
bad "autodiscover: --expect-string" "no element text equals" $AD "$D/good-minimal.xml" --expect-string "$NAME"
bad_samples autodiscover "$D" "
bad-accounttype.xml|element AccountType
bad-action.xml|element Action
bad-encryption-value.xml|Extra element Encryption
bad-escape.xml|not well-formed
bad-implicit-port-plain.xml|port 993 is implicit TLS
bad-missing-spa.xml|Expecting an element SPA
bad-namespace.xml|Did not expect element Response
bad-no-smtp.xml|no SMTP Protocol
bad-onoff-value.xml|element AuthRequired
bad-port-range.xml|element Port
bad-port-zero.xml|element Port
bad-ssl-off-encryption-ssl.xml|Encryption=SSL needs SSL=on
bad-ssl-without-encryption.xml|SSL=on without Encryption
bad-starttls-as-ssl.xml|port 587 is plain/STARTTLS but Encryption=SSL
bad-type-pop.xml|element Type
bad-usepopauth-on-imap.xml|UsePOPAuth applies only to SMTP
bad-whitespace-value.xml|surrounding white space" \
    -- $AD --expect-string "$NAME"

# ------------------------------------------------------------------ autoconfig
AC="python3 $T/check_autoconfig.py"
D=$S/autoconfig
good "autoconfig: good config valid (Thunderbird's rules)" $AC "$D/good.xml" --expect-servers 4 --expect-string "$NAME"
if have_autoconfig_rng; then
    good "autoconfig: draft schema accepts the Thunderbird v1.1 sample" $AC "$D/good.xml" --require-schema
    bad "autoconfig: draft schema rejects documentation without url" "draft schema:" \
        $AC "$D/bad-doc-no-url.xml" --require-schema
else
    skip "autoconfig: draft schema cases" "$SHARED/schemas/autoconfig/autoconfig.rng not found"
fi
bad "autoconfig: --expect-servers counts" "4 server entries, expected 3" $AC "$D/good.xml" --expect-servers 3
bad_samples autoconfig "$D" "
bad-auth-deprecated.xml|'plain' is not in Thunderbird's list
bad-auth-unknown.xml|'password' is not in Thunderbird's list
bad-doc-no-lang.xml|descr[1]: missing lang attribute
bad-doc-no-url.xml|url=None is not an http(s) URL
bad-escape.xml|not well-formed
bad-hostname-empty.xml|'' is not a legal host name
bad-hostname-syntax.xml|'ssl0_ovh.net:993' is not a legal host name
bad-incoming-auth-none.xml|no authentication Thunderbird accepts for an incoming server
bad-incoming-type.xml|type='pop', expected imap or pop3
bad-no-domain.xml|no <domain>
bad-outgoing-type.xml|type='SMTP', expected smtp
bad-port-large.xml|'65536' is not an integer in 1..65535
bad-port-zero.xml|'0' is not an integer in 1..65535
bad-sockettype-case.xml|'ssl' is not one of SSL, STARTTLS, plain
bad-sockettype-space.xml|has surrounding white space
bad-sockettype-tls.xml|'TLS' is not one of SSL, STARTTLS, plain
bad-unknown-element.xml|unknown element <sockettype>
bad-username-missing.xml|missing <username>
bad-username-placeholder.xml|placeholder %EMAIL% is not one of
bad-version.xml|version='1.0', expected '1.1'" \
    -- $AC --expect-servers 4 --expect-string "$NAME"

# --------------------------------------------------------------------- user.js
UJ="bash $T/check_userjs.sh"
D=$S/userjs
good "user.js: good prefs valid" $UJ "$D/good.js" --expect-string "$NAME"
bad_samples user.js "$D" "
bad-dangling-ref.js|refers to mail.smtpserver.smtp_mg_mxplan_typo
bad-duplicate.js|mail.smtpserver.smtp_mg_mxplan.port is set twice
bad-escape.js|SyntaxError
bad-generic-account.js|generic key id \"account1\"
bad-generic-identity.js|generic key id \"id1\"
bad-generic-server.js|generic key id \"server1\"
bad-generic-smtp.js|generic key id \"smtp1\"
bad-js-only.js|not a valid preference file: line 6
bad-missing-semicolon.js|expected ';'
bad-other-call.js|does not belong in user.js
bad-port-range.js|smtp_mg_mxplan.port = 0: port must be an integer in 1..65535
bad-port-string.js|imap.port = \"993\": port must be an integer
bad-sockettype.js|socketType = 1: must be the integer 0
bad-try-ssl.js|try_ssl = \"2\": must be the integer 0" \
    -- $UJ --expect-string "$NAME"

# ------------------------------------------------------------------ PowerShell
PS="python3 $T/check_ps1.py"
D=$S/ps1
good "ps1: good script valid" $PS "$D/good.ps1" --expect-string "$NAME" \
    --expect-string "It‘s fine, isn’t it"
bad "ps1: --expect-string wants the decoded value" "no single-quoted literal" \
    $PS "$D/good.ps1" --expect-string "Tom & Jerry''s \"Mail\" <x>"
bad_samples ps1 "$D" "
bad-escape.ps1|no single-quoted literal with the value
bad-herestring.ps1|here-string @' is never closed
bad-lf.ps1|bare LF
bad-mismatched-bracket.ps1|')' closes '{'
bad-missing-brace.ps1|'{' is never closed
bad-mixed-eol.ps1|1 bare LF
bad-no-bom.ps1|no UTF-8 byte order mark
bad-subexpression.ps1|\$( subexpression is never closed
bad-typographic-quote.ps1|closed by typographic quote ’
bad-typographic-single.ps1|closed by typographic quote ‘
bad-unclosed-double.ps1|double-quoted string is never closed" \
    -- $PS --expect-string "$NAME"
