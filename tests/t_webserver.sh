# The web host settings: real nginx (web/nginx-mailguide.conf, as docs/publishing.md
# and `make serve` use it) and real Apache (the generated .htaccess) serve
# the output on 127.0.0.1 with the right types, and answer Outlook's POST.
. tests/lib.sh
top=$PWD
chmod 755 "$TMP"
"$MG" -q build -C content -o "$TMP/www" || { fail "web: build"; exit 0; }
www=$TMP/www
# Profiles of every kind, in case this build has none of its own yet.
mkdir -p "$www/autodiscover" "$www/.well-known/autoconfig/mail" "$www/t"
[ -f "$www/autodiscover/autodiscover.xml" ] || echo '<?xml version="1.0"?><Autodiscover/>' > "$www/autodiscover/autodiscover.xml"
[ -f "$www/.well-known/autoconfig/mail/config-v1.1.xml" ] || echo '<clientConfig/>' > "$www/.well-known/autoconfig/mail/config-v1.1.xml"
echo '<plist/>' > "$www/t/x.mobileconfig"; printf 'Write-Host ok\r\n' > "$www/t/setup.ps1"; echo 'user_pref("a", 1);' > "$www/t/user.js"
echo '<!DOCTYPE html><title>404</title>' > "$www/404.html.tmp"; [ -f "$www/404.html" ] || mv "$www/404.html.tmp" "$www/404.html"
chmod -R a+rX "$www"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0; sleep 0.1; done; return 1; }

# type URL_PATH WANT: the Content-Type of a GET
expect_type() {
    local got
    got=$(curl -s -o /dev/null -w '%{content_type}' "$base$2")
    [ "$got" = "$3" ] && pass "$1: $2 is $3" || fail "$1: $2 is $3" "got '$got'"
}
suite() { # NAME
    expect_type "$1" /t/x.mobileconfig application/x-apple-aspen-config
    expect_type "$1" /.well-known/autoconfig/mail/config-v1.1.xml "application/xml; charset=utf-8"
    expect_type "$1" /t/setup.ps1 "text/plain; charset=utf-8"
    curl -s -D - -o /dev/null "$base/t/x.mobileconfig" | grep -qi '^content-disposition: attachment' &&
        pass "$1: profiles download as attachments" || fail "$1: profiles download as attachments"
    local code body
    for path in /autodiscover/autodiscover.xml /Autodiscover/Autodiscover.xml; do
        code=$(curl -s -o "$TMP/ad.xml" -w '%{http_code}' -X POST -H 'Content-Type: text/xml' --data '<Autodiscover/>' "$base$path")
        [ "$code" = 200 ] && cmp -s "$TMP/ad.xml" "$www/autodiscover/autodiscover.xml" &&
            pass "$1: POST $path answers the static file" || fail "$1: POST $path answers the static file" "HTTP $code"
    done
    code=$(curl -s -o /dev/null -w '%{http_code}' "$base/pl-pl/index.html")
    [ "$code" = 200 ] && pass "$1: pages are served" || fail "$1: pages are served" "HTTP $code"
    code=$(curl -s -o /dev/null -w '%{http_code}' "$base/no/such/page")
    [ "$code" = 404 ] && pass "$1: a missing page is 404" || fail "$1: a missing page is 404" "HTTP $code"
}

if command -v nginx >/dev/null; then
    port=$(free_port); base=http://127.0.0.1:$port
    web/serve.sh "$www" "$port" >"$TMP/nginx.log" 2>&1 & pid=$!
    if wait_port "$port"; then suite nginx; else fail "nginx: starts" "$(cat "$TMP/nginx.log")"; fi
    kill $pid 2>/dev/null; wait $pid 2>/dev/null
    pkill -f "nginx -c $TMP" 2>/dev/null
else
    skip "nginx" "nginx is not installed"
fi

if command -v apache2 >/dev/null; then
    port=$(free_port); base=http://127.0.0.1:$port
    mods=/usr/lib/apache2/modules
    cat > "$TMP/apache.conf" <<CONF
ServerRoot $TMP
PidFile $TMP/apache.pid
Listen 127.0.0.1:$port
ServerName localhost
LoadModule mpm_event_module $mods/mod_mpm_event.so
LoadModule authz_core_module $mods/mod_authz_core.so
LoadModule mime_module $mods/mod_mime.so
LoadModule dir_module $mods/mod_dir.so
LoadModule headers_module $mods/mod_headers.so
LoadModule rewrite_module $mods/mod_rewrite.so
LoadModule expires_module $mods/mod_expires.so
TypesConfig /etc/mime.types
ErrorLog $TMP/apache-error.log
DocumentRoot $www
<Directory $www>
    AllowOverride All
    Require all granted
</Directory>
CONF
    timeout 60 apache2 -f "$TMP/apache.conf" -k start >"$TMP/apache.out" 2>&1
    if wait_port "$port"; then suite apache; else fail "apache: starts" "$(cat "$TMP/apache.out" "$TMP/apache-error.log" 2>/dev/null | tail -5)"; fi
    apache2 -f "$TMP/apache.conf" -k stop >/dev/null 2>&1
    sleep 0.5
else
    skip "apache" "apache2 is not installed"
fi
grep -q 'AddType application/x-apple-aspen-config .mobileconfig' "$www/.htaccess" &&
    pass "web: .htaccess is in the web root" || fail "web: .htaccess is in the web root"
