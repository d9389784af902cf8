#!/bin/sh
# tools/deps.sh PACKAGE...: makes sure Debian packages are installed.
# As root it installs the missing ones (running apt-get update first when apt
# does not know one of them); otherwise it prints the exact command and fails.
missing=""
for p in "$@"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q ' installed$' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    echo "mailguide: missing Debian packages:$missing" >&2
    echo "run as root:  apt-get install -y$missing" >&2
    exit 1
fi
# Several builds on one machine may install at once: take turns with apt.
apt_get() { if command -v flock >/dev/null; then flock /tmp/mailguide-apt.lock apt-get "$@"; else apt-get "$@"; fi; }
for p in $missing; do
    if ! apt-cache show "$p" >/dev/null 2>&1; then
        apt_get update -q || exit 1
        break
    fi
done
echo "installing:$missing"
DEBIAN_FRONTEND=noninteractive apt_get install -y -q $missing
