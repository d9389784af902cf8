#!/bin/sh
# web/serve.sh DIR [PORT]: previews a built output/ directory with Debian's
# nginx on 127.0.0.1, using the same settings as a real host
# (web/nginx-mailguide.conf). Runs in the foreground; Ctrl-C stops it.
set -eu
root=$(cd "${1:?usage: web/serve.sh DIR [PORT]}" && pwd)
port=${2:-8080}
here=$(cd "$(dirname "$0")" && pwd)
run=$(mktemp -d "${TMPDIR:-/tmp}/mailguide-serve.XXXXXX")
cat >"$run/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $run/nginx.pid;
error_log stderr warn;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path $run/body;
    proxy_temp_path $run/proxy;
    fastcgi_temp_path $run/fastcgi;
    uwsgi_temp_path $run/uwsgi;
    scgi_temp_path $run/scgi;
    server {
        listen 127.0.0.1:$port;
        root $root;
        include $here/nginx-mailguide.conf;
    }
}
CONF
echo "serving $root at http://127.0.0.1:$port/ (Ctrl-C stops)"
# nginx runs as a child the shell waits for, so a signal to this script
# (Ctrl-C, kill) stops nginx too and removes the temporary folder.
nginx -c "$run/nginx.conf" -p "$run" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$run"' EXIT
trap 'exit 130' INT TERM
wait $pid
