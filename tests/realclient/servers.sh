#!/usr/bin/env bash
# tests/realclient/servers.sh: throwaway TLS mail servers on 127.0.0.1.
#
#   servers.sh start DIR    create CA + server cert, start a private Dovecot
#                           (IMAP, POP3, submission; implicit TLS and STARTTLS
#                           each) and an SMTP sink as submission relay.
#   servers.sh stop DIR     stop everything `start DIR` started (idempotent).
#   servers.sh status DIR   exit 0 when Dovecot and the sink are running.
#
# Everything lives in DIR (created if missing):
#   DIR/ports.env        shell-sourceable: IMAPS_PORT IMAP_STARTTLS_PORT
#                        POP3S_PORT POP3_STARTTLS_PORT SUBMISSIONS_PORT
#                        SUBMISSION_STARTTLS_PORT SINK_PORT MAIL_USER
#                        MAIL_PASSWORD CA_PEM DOVECOT_LOG
#   DIR/ca.pem           the throwaway CA to trust (ca.key beside it)
#   DIR/server.pem/.key  server certificate signed by it
#   DIR/dovecot.log      Dovecot log; each login line carries lport=PORT and
#                        "TLS" (e.g. `imap-login: Login: user=<...>,
#                        method=PLAIN, ... lport=21993, ..., TLS, TLSv1.3 ...`)
#   DIR/smtp-sink.log    what the relay sink received
#   DIR/dovecot.conf     the generated configuration
#
# Knobs (environment), so variants can be added without changing callers:
#   MAIL_USER (user@example.test)  MAIL_PASSWORD (secret)
#   CERT_DAYS (7)                  validity of CA and server certificate
#   CERT_HOST (DNS:localhost,IP:127.0.0.1)  the server certificate's SAN
#   CERT_CN (localhost)            the server certificate's subject CN
#   CERT_KEY (rsa:2048)            key type, e.g. ec (P-256)
#   CERT_EXPIRED (unset)           N: the server certificate expired N days ago
#                                  (valid from N+30 days ago); the CA stays valid
#   AUTH_MECHS (plain login)       Dovecot's auth_mechanisms, e.g. cram-md5
#   PORT_MIN/PORT_MAX (20000/32000) range ports are picked from (free ones)
#   START_TIMEOUT (20)             seconds to wait for the listeners
#   AUTH_FAILURE_DELAY (0)         Dovecot's delay before a failed login reply
#   VERBOSE_SSL (no)               yes: log every TLS handshake step
#
# Security model: only loopback listeners; PLAIN/LOGIN only, and only over TLS.
# Dovecot itself counts a connection whose remote IP equals its local IP as
# "secured" and would allow cleartext logins on loopback, so the passdb key
# includes Dovecot's %{secured} variable: a password is found only when it is
# "TLS" (a session without TLS looks up "user/secured" and fails).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PROG=servers.sh

die() { printf '%s: %s\n' "$PROG" "$*" >&2; exit 1; }
usage() { die "usage: $PROG start|stop|status DIR"; }

[ $# -eq 2 ] || usage
ACTION=$1
DIR=$2

: "${MAIL_USER:=user@example.test}"
: "${MAIL_PASSWORD:=secret}"
: "${CERT_DAYS:=7}"
: "${CERT_EXPIRED:=}"
: "${AUTH_MECHS:=plain login}"
: "${CERT_HOST:=DNS:localhost,IP:127.0.0.1}"
: "${CERT_CN:=localhost}"
: "${CERT_KEY:=rsa:2048}"
: "${PORT_MIN:=20000}"
: "${PORT_MAX:=32000}"
: "${START_TIMEOUT:=20}"
: "${AUTH_FAILURE_DELAY:=0}"
: "${VERBOSE_SSL:=no}"

pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
read_pid() { [ -s "$1" ] && head -n1 "$1" | tr -dc 0-9 || true; }

# ---------------------------------------------------------------- stop
do_stop() {
    local conf=$DIR/dovecot.conf mpid spid
    [ -d "$DIR" ] || return 0
    mpid=$(read_pid "$DIR/run/master.pid")
    if pid_alive "$mpid"; then
        timeout 10 dovecot -c "$conf" stop >/dev/null 2>&1 || kill -TERM "$mpid" 2>/dev/null || true
        for _ in $(seq 1 50); do pid_alive "$mpid" || break; sleep 0.1; done
        if pid_alive "$mpid"; then
            kill -KILL "$mpid" 2>/dev/null || true
        fi
    fi
    # Dovecot's children exit with the master; make sure none listen on.
    if [ -s "$DIR/ports.env" ]; then
        local p
        for p in $(sed -n 's/^[A-Z0-9_]*_PORT=\([0-9]*\)$/\1/p' "$DIR/ports.env"); do
            for _ in $(seq 1 20); do
                ss -Hltn "sport = :$p" 2>/dev/null | grep -q . || break
                sleep 0.1
            done
        done
    fi
    spid=$(read_pid "$DIR/smtp-sink.pid")
    if pid_alive "$spid"; then
        kill -TERM "$spid" 2>/dev/null || true
        for _ in $(seq 1 30); do pid_alive "$spid" || break; sleep 0.1; done
        pid_alive "$spid" && kill -KILL "$spid" 2>/dev/null || true
    fi
    rm -f "$DIR/run/master.pid" "$DIR/smtp-sink.pid"
    return 0
}

# ---------------------------------------------------------------- status
do_status() {
    local mpid spid
    mpid=$(read_pid "$DIR/run/master.pid")
    spid=$(read_pid "$DIR/smtp-sink.pid")
    if pid_alive "$mpid" && pid_alive "$spid"; then
        echo "running: dovecot master $mpid, smtp sink $spid"
        return 0
    fi
    echo "not running"
    return 1
}

# ---------------------------------------------------------------- start
make_certs() {
    local days=$CERT_DAYS keyopt
    case $CERT_KEY in
        ec) keyopt=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1) ;;
        *) keyopt=(-newkey "$CERT_KEY") ;;
    esac
    (
        cd "$DIR"
        umask 077
        timeout 60 openssl req -x509 "${keyopt[@]}" -nodes -sha256 -days "$days" \
            -keyout ca.key -out ca.pem -subj "/O=mailguide tests/CN=mailguide throwaway CA $$" \
            -addext "basicConstraints=critical,CA:TRUE" \
            -addext "keyUsage=critical,keyCertSign,cRLSign" \
            -addext "subjectKeyIdentifier=hash" 2>openssl.err
        timeout 60 openssl req "${keyopt[@]}" -nodes -sha256 -keyout server.key -out server.csr \
            -subj "/O=mailguide tests/CN=$CERT_CN" 2>>openssl.err
        cat >server.ext <<EOF
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=$CERT_HOST
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
EOF
        if [ -n "$CERT_EXPIRED" ]; then
            # `openssl x509 -req` cannot backdate; `openssl ca` takes both dates.
            : >index.txt
            echo 01 >serial
            printf '%s\n' '[ca]' 'default_ca = tca' '[tca]' 'database = index.txt' \
                'new_certs_dir = .' 'serial = serial' 'default_md = sha256' 'policy = any' \
                'unique_subject = no' '[any]' 'commonName = supplied' \
                'organizationName = optional' >ca.cnf
            timeout 60 openssl ca -batch -notext -config ca.cnf -cert ca.pem -keyfile ca.key \
                -in server.csr -out server.pem -extfile server.ext \
                -startdate "$(date -u -d "-$((CERT_EXPIRED + 30)) days" +%Y%m%d%H%M%SZ)" \
                -enddate "$(date -u -d "-$CERT_EXPIRED days" +%Y%m%d%H%M%SZ)" 2>>openssl.err
            rm -f index.txt* serial* ca.cnf ./*.pem.old 01.pem
        else
            timeout 60 openssl x509 -req -sha256 -in server.csr -CA ca.pem -CAkey ca.key \
                -CAcreateserial -days "$days" -extfile server.ext -out server.pem 2>>openssl.err
        fi
        chmod 0644 ca.pem server.pem
        rm -f server.csr
    ) || { cat "$DIR/openssl.err" >&2; die "certificate generation failed"; }
}

# pick_ports N: print N distinct free TCP ports on 127.0.0.1
pick_ports() {
    timeout 20 python3 - "$1" "$PORT_MIN" "$PORT_MAX" <<'EOF'
import random, socket, sys
n, lo, hi = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
socks, ports = [], []
tries = 0
while len(ports) < n and tries < 5000:
    tries += 1
    p = random.randint(lo, hi)
    if p in ports:
        continue
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", p))
    except OSError:
        s.close()
        continue
    socks.append(s)
    ports.append(p)
for s in socks:
    s.close()
if len(ports) < n:
    sys.exit("could not find enough free ports")
print(" ".join(map(str, ports)))
EOF
}

wait_port() { # wait_port PORT DEADLINE_EPOCH
    while :; do
        if timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; then return 0; fi
        [ "$(date +%s)" -lt "$2" ] || return 1
        sleep 0.1
    done
}

do_start() {
    command -v dovecot >/dev/null || die "dovecot is not installed (apt-get install dovecot-imapd dovecot-pop3d dovecot-submissiond)"
    [ -x /usr/lib/dovecot/imap ] || die "dovecot-imapd is not installed"
    [ -x /usr/lib/dovecot/pop3 ] || die "dovecot-pop3d is not installed"
    [ -x /usr/lib/dovecot/submission ] || die "dovecot-submissiond is not installed"
    mkdir -p "$DIR"
    DIR=$(cd "$DIR" && pwd)
    if pid_alive "$(read_pid "$DIR/run/master.pid")"; then
        die "already running in $DIR (stop it first)"
    fi
    rm -rf "$DIR/run" "$DIR/state" "$DIR/mail"
    rm -f "$DIR/dovecot.log" "$DIR/smtp-sink.log" "$DIR/ports.env"
    mkdir -p "$DIR/run" "$DIR/state" "$DIR/mail"

    # Users: as root, mail is accessed as nobody; otherwise as ourselves.
    local login_user internal_user mail_uid mail_gid
    if [ "$(id -u)" -eq 0 ]; then
        login_user=dovenull; internal_user=dovecot
        id dovenull >/dev/null 2>&1 || login_user=nobody
        id dovecot >/dev/null 2>&1 || internal_user=nobody
        mail_uid=$(id -u nobody); mail_gid=$(id -g nobody)
        chown "$mail_uid:$mail_gid" "$DIR/mail"
        chmod 0711 "$DIR"
        if ! setpriv --reuid="$mail_uid" --regid="$mail_gid" --clear-groups test -w "$DIR/mail"; then
            die "user nobody cannot write $DIR/mail: a parent directory of DIR is not searchable by others (chmod o+x it, or use a DIR directly under /tmp)"
        fi
    else
        login_user=$(id -un); internal_user=$login_user
        mail_uid=$(id -u); mail_gid=$(id -g)
    fi

    make_certs

    local ports
    ports=$(pick_ports 7) || die "no free ports"
    # shellcheck disable=SC2086
    set -- $ports
    IMAPS_PORT=$1 IMAP_STARTTLS_PORT=$2 POP3S_PORT=$3 POP3_STARTTLS_PORT=$4
    SUBMISSIONS_PORT=$5 SUBMISSION_STARTTLS_PORT=$6 SINK_PORT=$7

    # passdb key is "user/%{secured}"; only "TLS" sessions find a password.
    printf '%s/TLS:{PLAIN}%s\n' "$MAIL_USER" "$MAIL_PASSWORD" >"$DIR/passdb"
    printf '%s:x:%s:%s::%s/mail/%s::\n' "$MAIL_USER" "$mail_uid" "$mail_gid" "$DIR" "$MAIL_USER" >"$DIR/userdb"
    chmod 0644 "$DIR/passdb" "$DIR/userdb"

    local dh=""
    [ -r /usr/share/dovecot/dh.pem ] && dh="ssl_dh = </usr/share/dovecot/dh.pem"

    cat >"$DIR/dovecot.conf" <<EOF
# generated by tests/realclient/servers.sh; private instance, loopback only
instance_name = mailguide-test-$$
base_dir = $DIR/run
state_dir = $DIR/state
log_path = $DIR/dovecot.log
log_timestamp = "%Y-%m-%dT%H:%M:%S "
protocols = imap pop3 submission
listen = 127.0.0.1
hostname = localhost
postmaster_address = postmaster@example.test
default_login_user = $login_user
default_internal_user = $internal_user
first_valid_uid = 1
first_valid_gid = 1
shutdown_clients = yes

ssl = required
ssl_cert = <$DIR/server.pem
ssl_key = <$DIR/server.key
$dh
disable_plaintext_auth = yes
auth_mechanisms = $AUTH_MECHS
auth_verbose = yes
auth_verbose_passwords = no
verbose_ssl = $VERBOSE_SSL
# Fast, repeatable failures: no 2 s failure delay, and no per-IP auth
# penalty (after failed logins Dovecot delays *every* login from that IP by
# up to 15 s); the penalty is off when auth cannot reach this socket.
auth_failure_delay = $AUTH_FAILURE_DELAY
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
login_log_format_elements = user=<%u> method=%m rip=%r lip=%l lport=%{lport} mpid=%e %c %k session=<%{session}>

passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u/%{secured} $DIR/passdb
}
userdb {
  driver = passwd-file
  args = username_format=%u $DIR/userdb
}
mail_location = maildir:~/Maildir

submission_relay_host = 127.0.0.1
submission_relay_port = $SINK_PORT
submission_relay_trusted = yes
submission_relay_ssl = no

service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_STARTTLS_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $IMAPS_PORT
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    address = 127.0.0.1
    port = $POP3_STARTTLS_PORT
  }
  inet_listener pop3s {
    address = 127.0.0.1
    port = $POP3S_PORT
    ssl = yes
  }
}
service submission-login {
  inet_listener submission {
    address = 127.0.0.1
    port = $SUBMISSION_STARTTLS_PORT
  }
  inet_listener submissions {
    address = 127.0.0.1
    port = $SUBMISSIONS_PORT
    ssl = yes
  }
}
service imap-urlauth-login {
  inet_listener imap-urlauth {
    port = 0
  }
}
service lmtp {
  unix_listener lmtp {
    mode = 0600
  }
}
service doveadm {
  inet_listener {
    port = 0
  }
}
service stats {
  inet_listener http {
    port = 0
  }
}
EOF

    # SMTP sink first (Dovecot's submission relays to it).
    setsid timeout 86400 python3 "$HERE/smtp-sink.py" "$SINK_PORT" "$DIR/smtp-sink.log" "$DIR/smtp-sink.pid" \
        </dev/null >"$DIR/smtp-sink.err" 2>&1 &
    local deadline=$(( $(date +%s) + START_TIMEOUT ))
    if ! wait_port "$SINK_PORT" "$deadline"; then
        cat "$DIR/smtp-sink.err" >&2 || true
        do_stop
        die "SMTP sink did not start"
    fi

    if ! timeout 30 dovecot -c "$DIR/dovecot.conf" >"$DIR/dovecot-start.err" 2>&1; then
        cat "$DIR/dovecot-start.err" >&2
        tail -n 20 "$DIR/dovecot.log" >&2 2>/dev/null || true
        do_stop
        die "dovecot failed to start"
    fi
    local p
    for p in "$IMAPS_PORT" "$IMAP_STARTTLS_PORT" "$POP3S_PORT" "$POP3_STARTTLS_PORT" \
             "$SUBMISSIONS_PORT" "$SUBMISSION_STARTTLS_PORT"; do
        if ! wait_port "$p" "$deadline"; then
            tail -n 20 "$DIR/dovecot.log" >&2 2>/dev/null || true
            do_stop
            die "dovecot did not listen on 127.0.0.1:$p"
        fi
    done

    cat >"$DIR/ports.env.tmp" <<EOF
IMAPS_PORT=$IMAPS_PORT
IMAP_STARTTLS_PORT=$IMAP_STARTTLS_PORT
POP3S_PORT=$POP3S_PORT
POP3_STARTTLS_PORT=$POP3_STARTTLS_PORT
SUBMISSIONS_PORT=$SUBMISSIONS_PORT
SUBMISSION_STARTTLS_PORT=$SUBMISSION_STARTTLS_PORT
SINK_PORT=$SINK_PORT
MAIL_USER='$MAIL_USER'
MAIL_PASSWORD='$MAIL_PASSWORD'
CA_PEM='$DIR/ca.pem'
DOVECOT_LOG='$DIR/dovecot.log'
EOF
    mv "$DIR/ports.env.tmp" "$DIR/ports.env"
    echo "servers up in $DIR:"
    sed 's/^/  /' "$DIR/ports.env"
}

case $ACTION in
    start) do_start ;;
    stop) do_stop ;;
    status) do_status ;;
    *) usage ;;
esac
