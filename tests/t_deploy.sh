# Publishing that reaches the clients: `mailguide dns` prints records a
# real zone parser (BIND's named-checkzone) accepts and reads back as the
# table says.
. tests/lib.sh

# A content directory with the discovery host set and a second product
# that serves two listed domains and offers neither POP3 nor implicit TLS
# submission.
c=$TMP/content
cp -R content "$c"
sed -i 's|^discovery_host:.*|discovery_host: Web.Example.NET|' "$c/site.yaml"
cat >>"$c/servers.yaml" <<'YAML'
      - id: corp
        name: Corp Mail
        domains: [example.com, Example.NET]
        incoming:
          - {protocol: imap, host: imap.corp.example, port: 993, security: ssl}
          - {protocol: imap, host: imap2.corp.example, port: 1993, security: ssl}
          - {protocol: imap, host: imap.corp.example, port: 143, security: starttls}
        outgoing:
          - {protocol: smtp, host: smtp.corp.example, port: 587, security: starttls}
YAML

# zone ORIGIN FRAGMENT OUT: a whole zone (SOA, NS) with the fragment in it.
zone() {
    { printf '$ORIGIN %s.\n$TTL 3600\n' "$1"
      printf '@ IN SOA ns.%s. hostmaster.%s. 1 3600 600 86400 300\n@ IN NS ns.%s.\nns IN A 127.0.0.1\n' "$1" "$1" "$1"
      cat "$2"; } >"$3"
}
# records ORIGIN ZONE: the zone's records as BIND reads them, one per line,
# fields separated by one space, without the SOA/NS/A lines added above.
records() {
    named-checkzone -q -D -o - "$1" "$2" | awk '{$1=$1; print}' | grep -v -e ' SOA ' -e ' NS ' -e '^ns\.' | sort
}

if ! command -v named-checkzone >/dev/null; then
    skip "dns: zone syntax" "named-checkzone (bind9-utils) is not installed"
else
    # Relative names, for the zone of any domain MX Plan serves.
    "$MG" dns -C "$c" -p mxplan >"$TMP/any.frag" 2>"$TMP/any.err"
    rc=$?
    zone example.org "$TMP/any.frag" "$TMP/any.zone"
    if [ $rc -eq 0 ] && named-checkzone -q example.org "$TMP/any.zone"; then
        pass "dns: a product for any domain gives a fragment BIND accepts"
    else
        fail "dns: a product for any domain gives a fragment BIND accepts" "rc $rc: $(cat "$TMP/any.err"; named-checkzone example.org "$TMP/any.zone" 2>&1 | tail -3)"
    fi
    sort >"$TMP/any.want" <<'EOF'
_imaps._tcp.example.org. 3600 IN SRV 0 0 993 ssl0.ovh.net.
_imap._tcp.example.org. 3600 IN SRV 1 0 143 ssl0.ovh.net.
_pop3s._tcp.example.org. 3600 IN SRV 2 0 995 ssl0.ovh.net.
_pop3._tcp.example.org. 3600 IN SRV 3 0 110 ssl0.ovh.net.
_submissions._tcp.example.org. 3600 IN SRV 0 0 465 ssl0.ovh.net.
_submission._tcp.example.org. 3600 IN SRV 1 0 587 ssl0.ovh.net.
_autodiscover._tcp.example.org. 3600 IN SRV 0 0 443 web.example.net.
autoconfig.example.org. 3600 IN CNAME web.example.net.
autodiscover.example.org. 3600 IN CNAME web.example.net.
EOF
    records example.org "$TMP/any.zone" >"$TMP/any.got"
    same "dns: the records are the table's, in its order of preference" "$TMP/any.want" "$TMP/any.got"

    # A product with listed domains: one block per domain, absolute names;
    # "." for the services it does not offer (RFC 6186 section 3.4).
    "$MG" dns -C "$c" -p corp --ttl 600 >"$TMP/corp.frag" 2>"$TMP/corp.err" ||
        fail "dns: listed domains" "$(cat "$TMP/corp.err")"
    n=$(grep -c '^_imaps._tcp\.' "$TMP/corp.frag")
    [ "$n" = 4 ] && grep -q '^_imaps._tcp.example.net\. ' "$TMP/corp.frag" && grep -q '^_imaps._tcp.example.com\. ' "$TMP/corp.frag" &&
        pass "dns: each listed domain has its own records" || fail "dns: each listed domain has its own records" "$(cat "$TMP/corp.frag")"
    "$MG" dns -C "$c" -p corp --ttl 600 --domain example.com >"$TMP/com.frag"
    zone example.com "$TMP/com.frag" "$TMP/com.zone"
    sort >"$TMP/com.want" <<'EOF'
_imaps._tcp.example.com. 600 IN SRV 0 0 993 imap.corp.example.
_imaps._tcp.example.com. 600 IN SRV 1 0 1993 imap2.corp.example.
_imap._tcp.example.com. 600 IN SRV 2 0 143 imap.corp.example.
_pop3s._tcp.example.com. 600 IN SRV 0 0 0 .
_pop3._tcp.example.com. 600 IN SRV 0 0 0 .
_submissions._tcp.example.com. 600 IN SRV 0 0 0 .
_submission._tcp.example.com. 600 IN SRV 0 0 587 smtp.corp.example.
_autodiscover._tcp.example.com. 600 IN SRV 0 0 443 web.example.net.
autoconfig.example.com. 600 IN CNAME web.example.net.
autodiscover.example.com. 600 IN CNAME web.example.net.
EOF
    if named-checkzone -q example.com "$TMP/com.zone"; then
        records example.com "$TMP/com.zone" >"$TMP/com.got"
        same "dns: services not offered point at '.'" "$TMP/com.want" "$TMP/com.got"
    else
        fail "dns: services not offered point at '.'" "$(named-checkzone example.com "$TMP/com.zone" 2>&1 | tail -3)"
    fi

    # --domain: the product that serves it, absolute names.
    "$MG" dns -C "$c" --domain EXAMPLE.com >"$TMP/one.frag" 2>&1
    grep -q '^_submission._tcp.example.com\. .* 587 smtp.corp.example\.$' "$TMP/one.frag" && ! grep -q ovh "$TMP/one.frag" &&
        pass "dns: --domain picks the product that lists it" || fail "dns: --domain picks the product that lists it" "$(cat "$TMP/one.frag")"
    "$MG" dns -C "$c" --domain customer.example >"$TMP/cust.frag" 2>&1
    grep -q '^_imaps._tcp.customer.example\. .* 993 ssl0.ovh.net\.$' "$TMP/cust.frag" &&
        pass "dns: --domain of no list falls to the product for any domain" || fail "dns: --domain of no list falls to the product for any domain" "$(cat "$TMP/cust.frag")"
fi

# Mistakes: usage errors exit 2; content errors name file:line:col.
"$MG" dns -C "$c" -p nosuch >/dev/null 2>"$TMP/e1"; rc=$?
[ $rc = 2 ] && grep -q "no product 'nosuch'" "$TMP/e1" && pass "dns: an unknown product is a usage error" || fail "dns: an unknown product is a usage error" "rc $rc: $(cat "$TMP/e1")"
"$MG" dns -C "$c" -p corp --domain other.example >/dev/null 2>"$TMP/e2"; rc=$?
[ $rc = 2 ] && grep -q "does not serve 'other.example'" "$TMP/e2" && pass "dns: a domain the product does not serve is a usage error" || fail "dns: a domain the product does not serve is a usage error" "rc $rc: $(cat "$TMP/e2")"
sed 's|^discovery_host:.*||' "$c/site.yaml" >"$TMP/site.yaml" && mkdir -p "$TMP/c2" && cp -R "$c"/. "$TMP/c2" && cp "$TMP/site.yaml" "$TMP/c2/site.yaml"
"$MG" dns -C "$TMP/c2" >"$TMP/o3" 2>"$TMP/e3"; rc=$?
[ $rc = 1 ] && [ ! -s "$TMP/o3" ] && grep -q "^$TMP/c2/site.yaml:1:1: error: 'discovery_host' is not set" "$TMP/e3" &&
    pass "dns: without discovery_host, an error names site.yaml" || fail "dns: without discovery_host, an error names site.yaml" "rc $rc: $(cat "$TMP/e3")"
sed -i 's|^default_locale:|discovery_host: "web host"\ndefault_locale:|' "$TMP/c2/site.yaml"
line=$(grep -n '^discovery_host' "$TMP/c2/site.yaml" | cut -d: -f1)
"$MG" dns -C "$TMP/c2" >/dev/null 2>"$TMP/e4"; rc=$?
[ $rc = 1 ] && grep -q "^$TMP/c2/site.yaml:$line:17: error: 'discovery_host' is not a valid host name: 'web host'" "$TMP/e4" &&
    pass "dns: a bad discovery_host is reported at its place" || fail "dns: a bad discovery_host is reported at its place" "rc $rc: $(cat "$TMP/e4")"
