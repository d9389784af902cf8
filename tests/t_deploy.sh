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

# ---------------------------------------------------------------------------
# probe --site against a real deployment on 127.0.0.1: NSD serves a zone made
# by `mailguide dns`, nginx serves the build under the discovery names with
# certificates from a throwaway CA. The check passes on the good deployment
# and names each planted fault.
site_tests() {
    local s=$TMP/site www=$TMP/www srv=$TMP/served
    mkdir -p "$s" "$TMP/nsd" "$TMP/ngx"
    cp -R content "$s/content"
    sed -i -e 's|^discovery_host:.*|discovery_host: web.example.net|' \
        -e 's|^base_url:.*|base_url: https://web.example.net/help/|' "$s/content/site.yaml"
    "$MG" -q build -C "$s/content" -o "$www" || { fail "site: build"; return; }
    # nginx's workers run as nobody: they must read the served copy.
    chmod 755 "$TMP"
    serve_copy() { rm -rf "$srv" && mkdir -p "$srv" && cp -R "$www" "$srv/help" && cp -R "$www"/. "$srv"/ && chmod -R a+rX "$srv"; }
    serve_copy

    # A throwaway CA and two server certificates: one for every name, one
    # for a name no client asks for.
    local ca=$s/ca.pem
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$s/ca.key" -out "$ca" \
        -days 30 -subj "/CN=mailguide test CA" >/dev/null 2>&1
    mkcert() { # NAME SAN
        openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$s/$1.key" \
            -subj "/CN=$1" -addext "subjectAltName=$2" 2>/dev/null |
        openssl x509 -req -CA "$ca" -CAkey "$s/ca.key" -CAcreateserial -days 20 -copy_extensions copy \
            -out "$s/$1.pem" >/dev/null 2>&1
    }
    mkcert good "DNS:example.org,DNS:autoconfig.example.org,DNS:autodiscover.example.org,DNS:web.example.net"
    mkcert other "DNS:other.example.com"
    [ -s "$s/good.pem" ] && [ -s "$s/other.pem" ] || { fail "site: certificates" "openssl failed"; return; }

    local dport hport
    dport=$(free_port); hport=$(free_port)
    # The zones: example.org from `mailguide dns`, example.net for the web host.
    "$MG" dns -C "$s/content" --domain example.org >"$s/records" || { fail "site: dns records"; return; }
    zone example.org "$s/records" "$TMP/nsd/example.org.good"
    printf '$ORIGIN example.net.\n$TTL 300\n@ IN SOA ns.example.net. h.example.net. 1 3600 600 86400 300\n@ IN NS ns.example.net.\nns IN A 127.0.0.1\nweb IN A 127.0.0.1\n' >"$TMP/nsd/example.net.zone"
    cat >"$TMP/nsd/nsd.conf" <<CONF
server:
    ip-address: 127.0.0.1
    port: $dport
    do-ip6: no
    username: ""
    chroot: ""
    zonesdir: "$TMP/nsd"
    pidfile: "$TMP/nsd/nsd.pid"
    logfile: "$TMP/nsd/nsd.log"
    database: ""
    zonelistfile: "$TMP/nsd/zone.list"
    xfrdfile: "$TMP/nsd/xfrd.state"
    xfrdir: "$TMP/nsd"
    server-count: 1
    verbosity: 1
remote-control:
    control-enable: no
zone:
    name: example.org
    zonefile: example.org.zone
zone:
    name: example.net
    zonefile: example.net.zone
CONF
    NSD_PID= NGX_PID=
    stop_nsd() { [ -n "$NSD_PID" ] && kill "$NSD_PID" 2>/dev/null && wait "$NSD_PID" 2>/dev/null; NSD_PID=; }
    start_nsd() { # ZONEFILE
        stop_nsd
        cp "$1" "$TMP/nsd/example.org.zone"
        nsd -d -c "$TMP/nsd/nsd.conf" >>"$TMP/nsd/out.log" 2>&1 & NSD_PID=$!
        for _ in $(seq 50); do
            dig +short +time=1 +tries=1 -p "$dport" @127.0.0.1 example.org SOA 2>/dev/null | grep -q . && return 0
            sleep 0.1
        done
        return 1
    }
    stop_nginx() { [ -n "$NGX_PID" ] && kill "$NGX_PID" 2>/dev/null && wait "$NGX_PID" 2>/dev/null; NGX_PID=; }
    start_nginx() { # SETTINGS_FILE CERT_NAME
        stop_nginx
        cat >"$TMP/ngx/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $TMP/ngx/nginx.pid;
error_log $TMP/ngx/error.log warn;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path $TMP/ngx/body;
    proxy_temp_path $TMP/ngx/proxy;
    fastcgi_temp_path $TMP/ngx/fastcgi;
    uwsgi_temp_path $TMP/ngx/uwsgi;
    scgi_temp_path $TMP/ngx/scgi;
    server {
        listen 127.0.0.1:$hport ssl;
        server_name example.org autoconfig.example.org autodiscover.example.org web.example.net;
        ssl_certificate $s/$2.pem;
        ssl_certificate_key $s/$2.key;
        root $srv;
        include $1;
    }
}
CONF
        nginx -c "$TMP/ngx/nginx.conf" -p "$TMP/ngx" >>"$TMP/ngx/out.log" 2>&1 & NGX_PID=$!
        for _ in $(seq 50); do
            curl -sk -o /dev/null "https://127.0.0.1:$hport/" && return 0
            sleep 0.1
        done
        return 1
    }
    trap 'stop_nginx; stop_nsd' EXIT
    trap 'exit 1' INT TERM

    start_nsd "$TMP/nsd/example.org.good" || { fail "site: nsd starts" "$(tail -5 "$TMP/nsd/nsd.log" "$TMP/nsd/out.log" 2>/dev/null)"; return; }
    start_nginx "$top/web/nginx-mailguide.conf" good || { fail "site: nginx starts" "$(tail -5 "$TMP/ngx/error.log" "$TMP/ngx/out.log" 2>/dev/null)"; return; }

    # check NAME: runs the site check; its report in $TMP/check.out.
    check_site() {
        "$MG" probe --site example.org -C "$s/content" -o "$www" --resolver "127.0.0.1:$dport" \
            --connect-to "::127.0.0.1:$hport" --ca "$ca" --timeout 30 >"$TMP/check.out" 2>"$TMP/check.err"
    }
    check_site; rc=$?
    if [ $rc -eq 0 ] && ! grep -q '^error' "$TMP/check.out" && [ "$(grep -c '^\(ok\|warning\): ' "$TMP/check.out")" -eq 20 ]; then
        pass "site: a correct deployment passes every step"
    else
        fail "site: a correct deployment passes every step" "rc $rc: $(cat "$TMP/check.out" "$TMP/check.err")"
    fi
    # The certificates expire in 20 days: a warning with --warn-days 21.
    grep -q '^warning: tls: web.example.net: the certificate expires in 19 days' "$TMP/check.out" ||
        grep -q '^warning: tls: web.example.net: the certificate expires in 20 days' "$TMP/check.out"
    [ $? -eq 0 ] && pass "site: a certificate expiring soon is a warning" || fail "site: a certificate expiring soon is a warning" "$(grep tls "$TMP/check.out")"

    # fault NAME PATTERN: the check fails and says PATTERN (grep -E) on an error line.
    fault() {
        check_site; rc=$?
        if [ $rc -eq 1 ] && grep -E "^error: .*$2" "$TMP/check.out" >"$TMP/fault.line"; then
            pass "site fault: $1"
            sed 's/^/    /' "$TMP/fault.line" | head -3
        else
            fail "site fault: $1" "rc $rc: $(grep -v '^ok' "$TMP/check.out"; cat "$TMP/check.err")"
        fi
    }
    grep -v '^_imaps\._tcp' "$TMP/nsd/example.org.good" >"$TMP/nsd/bad"
    start_nsd "$TMP/nsd/bad" && fault "missing SRV" "_imaps\._tcp\.example\.org\.: no SRV record .* add \"_imaps\._tcp\.example\.org\. 3600 IN SRV 0 0 993 ssl0\.ovh\.net\.\""
    sed '/^_imaps\._tcp/s/ 993 / 994 /' "$TMP/nsd/example.org.good" >"$TMP/nsd/bad"
    start_nsd "$TMP/nsd/bad" && fault "wrong port in SRV" "_imaps\._tcp\.example\.org\.: SRV 0 0 994 ssl0\.ovh\.net\. does not match the table; port 994 for ssl0\.ovh\.net\. where the table \(.*servers\.yaml:[0-9]+:[0-9]+\) says 993"
    grep -v '^autoconfig' "$TMP/nsd/example.org.good" >"$TMP/nsd/bad"
    start_nsd "$TMP/nsd/bad" && fault "autoconfig name missing" "autoconfig\.example\.org\. does not resolve .*CNAME web\.example\.net\."
    stop_nsd
    fault "DNS server not answering" "_imaps\._tcp\.example\.org\.: cannot ask DNS \(.*\), it should say \"_imaps\._tcp\.example\.org\. 3600 IN SRV 0 0 993 ssl0\.ovh\.net\.\""
    start_nsd "$TMP/nsd/example.org.good"

    sed -i 's|<port>993</port>|<port>994</port>|' "$srv/mail/config-v1.1.xml"
    fault "stale config-v1.1.xml" "https://autoconfig\.example\.org/mail/config-v1\.1\.xml\?emailaddress=mailguide-probe%40example\.org answers a stale or different file.*at /clientConfig/emailProvider/incomingServer/port: served '994', built '993'"
    serve_copy
    printf '<!-- edited -->\n' >>"$srv/help/index.html"
    fault "stale help pages" "https://web\.example\.net/help/index\.html is not .*index\.html as built"
    serve_copy

    grep -v 'error_page 405' "$top/web/nginx-mailguide.conf" >"$TMP/ngx/no405.conf"
    start_nginx "$TMP/ngx/no405.conf" good && fault "POST answered 405" "POST https://autodiscover\.example\.org/autodiscover/autodiscover\.xml answered 405"
    sed 's|default_type application/x-apple-aspen-config;|default_type application/octet-stream;|' "$top/web/nginx-mailguide.conf" >"$TMP/ngx/mime.conf"
    start_nginx "$TMP/ngx/mime.conf" good && fault "wrong MIME type" "mobileconfig is served as 'application/octet-stream', not application/x-apple-aspen-config"
    start_nginx "$top/web/nginx-mailguide.conf" other && fault "certificate for another name" "tls: autoconfig\.example\.org: the certificate is refused"
    stop_nginx; stop_nsd
    trap - EXIT
}

# Debian's nsd package starts its own service where systemd runs (port 53
# on every address, an empty configuration); the test runs its own server
# and stops that one rather than share the machine's DNS port with it.
if [ -d /run/systemd/system ] && systemctl is-active --quiet nsd 2>/dev/null; then
    systemctl disable --now nsd >/dev/null 2>&1
fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
top=$PWD
if ! command -v nsd >/dev/null; then
    skip "site: probe --site on loopback" "nsd (Debian package nsd) is not installed"
elif ! command -v nginx >/dev/null; then
    skip "site: probe --site on loopback" "nginx is not installed"
elif ! command -v named-checkzone >/dev/null || ! command -v dig >/dev/null; then
    skip "site: probe --site on loopback" "named-checkzone or dig (bind9-utils, bind9-dnsutils) is not installed"
else
    site_tests
fi

# Hosts written as patterns of the address (servers.yaml's %EMAILDOMAIN%,
# %EMAILLOCALPART%): filled in for a listed domain, relative to the zone's
# origin for any domain, and no record for a host per user.
t=$TMP/tpl
cp -R "$c" "$t"
cat >>"$t/servers.yaml" <<'YAML'
      - id: own
        name: Own servers
        domains: ["*"]
        incoming:
          - {protocol: imap, host: "imap.%EMAILDOMAIN%", port: 993, security: ssl}
          - {protocol: imap, host: "%EMAILLOCALPART%.box.example", port: 993, security: ssl}
        outgoing:
          - {protocol: smtp, host: "%EMAILDOMAIN%", port: 465, security: ssl}
YAML
line=$(grep -n '%EMAILLOCALPART%.box' "$t/servers.yaml" | cut -d: -f1)
"$MG" dns -C "$t" -p own >"$TMP/own.frag" 2>"$TMP/own.err"; rc=$?
zone example.org "$TMP/own.frag" "$TMP/own.zone"
if [ $rc -eq 0 ] && command -v named-checkzone >/dev/null && named-checkzone -q example.org "$TMP/own.zone"; then
    records example.org "$TMP/own.zone" | grep -E '_imaps|_submissions' >"$TMP/own.got"
    printf '%s\n' '_imaps._tcp.example.org. 3600 IN SRV 0 0 993 imap.example.org.' \
        '_submissions._tcp.example.org. 3600 IN SRV 0 0 465 example.org.' | sort >"$TMP/own.want"
    same "dns: a host pattern is relative to the zone of any domain" "$TMP/own.want" "$TMP/own.got"
else
    fail "dns: a host pattern is relative to the zone of any domain" "rc $rc: $(cat "$TMP/own.err" "$TMP/own.frag")"
fi
grep -q "^$t/servers.yaml:$line:[0-9]*: warning: no _imaps._tcp record for host '%EMAILLOCALPART%.box.example': it depends on each user's address" "$TMP/own.err" &&
    pass "dns: a host per user gets no record, with a warning at its place" || fail "dns: a host per user gets no record, with a warning at its place" "$(cat "$TMP/own.err")"
"$MG" dns -C "$t" -p own --domain Tenant.Example >"$TMP/own2.frag" 2>/dev/null
grep -q '^_imaps._tcp.tenant.example\. .* 993 imap.tenant.example\.$' "$TMP/own2.frag" && grep -q '^_submissions._tcp.tenant.example\. .* 465 tenant.example\.$' "$TMP/own2.frag" &&
    pass "dns: a host pattern is filled in for --domain" || fail "dns: a host pattern is filled in for --domain" "$(cat "$TMP/own2.frag")"
