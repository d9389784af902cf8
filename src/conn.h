/* conn.h: one client connection to a mail server, for `mailguide probe`.
 *
 * Every step that waits (connect, TLS handshake, each read and each write)
 * waits in poll() for at most the time left before the connection's
 * deadline, an absolute time on the monotonic clock (conn_now()). The name
 * look-up is the one exception: getaddrinfo() cannot be bounded portably.
 *
 * Functions return true on success; on failure they leave a short English
 * description in c->err (e.g. "timed out after 2.0 s waiting for the
 * greeting") and set c->timed_out or c->eof when that is the cause, in the
 * manner of libyaml's objects that keep their error's details.
 *
 * Lines are bounded: a line longer than CONN_LINE_MAX is an error, so a
 * server that sends endless bytes without a newline cannot make us buffer
 * without limit. A connection is used by one thread at a time. */
#ifndef MG_CONN_H
#define MG_CONN_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/ssl.h>

#define CONN_LINE_MAX 4096 /* RFC 5321 allows 512; IMAP capability lines run longer */
#define CONN_VERIFY_MAX 8

/* One problem the certificate verification found (OpenSSL's X509_V_ERR_*). */
struct conn_verify_err {
	int code;
	int depth; /* 0 is the server's own certificate */
};

struct conn {
	int fd;
	SSL *ssl;        /* non-NULL once a TLS handshake has started */
	double start;    /* conn_now() when conn_init ran */
	double deadline; /* conn_now() time after which every wait fails */
	char addr[64];   /* the address connected to, "127.0.0.1" or "::1" */
	char local[64];  /* our own address on this connection */
	char rbuf[CONN_LINE_MAX + 2];
	size_t rlen; /* bytes in rbuf not yet returned */
	bool timed_out;
	bool eof; /* the peer closed the connection */
	struct conn_verify_err verify[CONN_VERIFY_MAX];
	size_t n_verify;
	char err[256];
};

/* Seconds on the monotonic clock. */
double conn_now(void);

/* Prepares `c` with a deadline `timeout` seconds from now. */
void conn_init(struct conn *c, double timeout);

/* Resolves `host` and connects to the first of its addresses that accepts,
 * trying each in getaddrinfo's order (IPv6 and IPv4). */
bool conn_connect(struct conn *c, const char *host, unsigned port);

/* The SSL_CTX every probe shares: verification against the system's trust
 * store plus `ca_file` (may be NULL). The handshake does not stop at a bad
 * certificate: every verification problem is recorded in c->verify, so that
 * all of them can be reported (no credentials are ever sent, so going on
 * over an unverified channel reveals nothing). Returns NULL with a message
 * in err on failure; free with SSL_CTX_free. */
SSL_CTX *conn_tls_ctx(const char *ca_file, char *err, size_t errsize);

/* Runs a TLS handshake on the connection, sending `host` as SNI (unless it
 * is an IP address) and checking the certificate names it. */
bool conn_tls(struct conn *c, SSL_CTX *ctx, const char *host);

/* Reads one line, without its CRLF (or bare LF), into `line` (which has
 * room for CONN_LINE_MAX + 1 bytes). `what` names what is awaited, for the
 * timeout message. NUL bytes are replaced by '?'. */
bool conn_read_line(struct conn *c, char *line, const char *what);

/* Sends all of `s`. */
bool conn_write(struct conn *c, const char *s);

/* Waits for the first byte, up to `until` (earlier than the deadline):
 * returns 1 when data arrived, 0 on the early timeout (no error set), -1 on
 * an error. Used to tell a silent implicit-TLS port from a slow greeting. */
int conn_wait_data(struct conn *c, double until);

/* Closes the connection (a best-effort TLS close_notify first). */
void conn_close(struct conn *c);

/* Copies at most `max` bytes of `s` into out (size max + 4), replacing
 * control and non-ASCII bytes by '?' and appending "..." when cut: safe to
 * quote a server's words in a one-line message. */
void conn_quote(const char *s, char *out, size_t max);

#endif
