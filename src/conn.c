/* conn.c: TCP and TLS client connections bounded by a deadline (see conn.h).
 * The socket is non-blocking from the start; each operation loops on
 * poll() with the time left, so no single read, write, connect or TLS step
 * can outlive the deadline. */
#define _GNU_SOURCE
#include "conn.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

double conn_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void conn_init(struct conn *c, double timeout)
{
	memset(c, 0, sizeof *c);
	c->fd = -1;
	c->start = conn_now();
	c->deadline = c->start + timeout;
}

static bool S_fail(struct conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool S_fail(struct conn *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err, sizeof c->err, fmt, ap);
	va_end(ap);
	return false;
}

static bool S_timeout(struct conn *c, const char *what)
{
	c->timed_out = true;
	/* The limit, not the time measured: the message must not depend on how
	 * late a loaded machine woke us, or output would differ run to run. */
	return S_fail(c, "timed out after %.1f s %s", c->deadline - c->start, what);
}

/* Waits until fd is ready for `events` or `until` passes: 1 ready, 0 time
 * is up, -1 error (in c->err). */
static int S_poll(struct conn *c, short events, double until)
{
	for (;;) {
		double left = until - conn_now();
		if (left <= 0)
			return 0;
		struct pollfd p = {.fd = c->fd, .events = events};
		int ms = (int)(left * 1000.0) + 1;
		int n = poll(&p, 1, ms);
		if (n > 0)
			return 1;
		if (n == 0)
			continue; /* re-check the clock: poll may wake a little early */
		if (errno == EINTR)
			continue;
		S_fail(c, "poll: %s", strerror(errno));
		return -1;
	}
}

static void S_addr_str(const struct sockaddr *sa, char *out, size_t size)
{
	const void *a = sa->sa_family == AF_INET6
				? (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr
				: (const void *)&((const struct sockaddr_in *)sa)->sin_addr;
	if (inet_ntop(sa->sa_family, a, out, (socklen_t)size) == NULL)
		snprintf(out, size, "?");
}

/* One non-blocking connect to one address; 1 connected, 0 refused or
 * failed (reason appended to `why`), -1 deadline passed. */
static int S_connect_one(struct conn *c, const struct addrinfo *ai, char *why, size_t whysize)
{
	char addr[64];
	S_addr_str(ai->ai_addr, addr, sizeof addr);
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
			ai->ai_protocol);
	if (fd < 0) {
		snprintf(why + strlen(why), whysize - strlen(why), "%s%s: %s", *why ? ", " : "",
			 addr, strerror(errno));
		return 0;
	}
	c->fd = fd;
	int err = 0;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
		if (errno != EINPROGRESS) {
			err = errno;
		} else {
			int r = S_poll(c, POLLOUT, c->deadline);
			if (r <= 0) {
				close(fd);
				c->fd = -1;
				return r == 0 ? -1 : 0;
			}
			socklen_t len = sizeof err;
			if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
				err = errno;
		}
	}
	if (err != 0) {
		snprintf(why + strlen(why), whysize - strlen(why), "%s%s: %s", *why ? ", " : "",
			 addr, strerror(err));
		close(fd);
		c->fd = -1;
		return 0;
	}
	snprintf(c->addr, sizeof c->addr, "%s", addr);
	struct sockaddr_storage local;
	socklen_t llen = sizeof local;
	if (getsockname(fd, (struct sockaddr *)&local, &llen) == 0)
		S_addr_str((struct sockaddr *)&local, c->local, sizeof c->local);
	return 1;
}

bool conn_connect(struct conn *c, const char *host, unsigned port)
{
	char service[16];
	snprintf(service, sizeof service, "%u", port);
	struct addrinfo hints = {.ai_family = AF_UNSPEC,
				 .ai_socktype = SOCK_STREAM,
				 .ai_flags = AI_ADDRCONFIG | AI_NUMERICSERV};
	struct addrinfo *res = NULL;
	int gai = getaddrinfo(host, service, &hints, &res);
	if (gai != 0)
		return S_fail(c, "cannot resolve host '%s': %s", host,
			      gai == EAI_SYSTEM ? strerror(errno) : gai_strerror(gai));
	char why[200] = "";
	int r = 0;
	for (struct addrinfo *ai = res; ai && r == 0; ai = ai->ai_next)
		r = S_connect_one(c, ai, why, sizeof why);
	freeaddrinfo(res);
	if (r == 1)
		return true;
	if (r < 0)
		return S_timeout(c, "connecting");
	return S_fail(c, "cannot connect (%s)", why);
}

/* --------------------------------------------------------------- TLS */

static int S_ex_index = -1;

/* Records every verification problem and lets the handshake go on; see
 * conn_tls_ctx in conn.h for why that is safe here. */
static int S_verify_cb(int ok, X509_STORE_CTX *x)
{
	if (ok)
		return 1;
	SSL *ssl = X509_STORE_CTX_get_ex_data(x, SSL_get_ex_data_X509_STORE_CTX_idx());
	struct conn *c = ssl ? SSL_get_ex_data(ssl, S_ex_index) : NULL;
	if (c == NULL)
		return 0;
	int code = X509_STORE_CTX_get_error(x), depth = X509_STORE_CTX_get_error_depth(x);
	for (size_t i = 0; i < c->n_verify; i++)
		if (c->verify[i].code == code && c->verify[i].depth == depth)
			return 1;
	if (c->n_verify < CONN_VERIFY_MAX)
		c->verify[c->n_verify++] = (struct conn_verify_err){code, depth};
	return 1;
}

SSL_CTX *conn_tls_ctx(const char *ca_file, char *err, size_t errsize)
{
	/* Called once from the main thread before any worker starts. */
	if (S_ex_index < 0)
		S_ex_index = SSL_get_ex_new_index(0, "mailguide conn", NULL, NULL, NULL);
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	if (ctx == NULL) {
		snprintf(err, errsize, "cannot create a TLS context");
		return NULL;
	}
	if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
		snprintf(err, errsize, "cannot load the system's trusted certificates");
		SSL_CTX_free(ctx);
		return NULL;
	}
	if (ca_file && SSL_CTX_load_verify_locations(ctx, ca_file, NULL) != 1) {
		unsigned long e = ERR_peek_last_error();
		const char *r = ERR_reason_error_string(e);
		snprintf(err, errsize, "%s: cannot load CA certificates: %s", ca_file,
			 r ? r : "no certificate found");
		ERR_clear_error();
		SSL_CTX_free(ctx);
		return NULL;
	}
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, S_verify_cb);
	return ctx;
}

/* The reason of the last OpenSSL error, or of errno, or how the peer left. */
static bool S_ssl_fail(struct conn *c, int ret, const char *what)
{
	int e = SSL_get_error(c->ssl, ret);
	unsigned long le = ERR_peek_last_error();
	const char *reason = le ? ERR_reason_error_string(le) : NULL;
	ERR_clear_error();
	if (e == SSL_ERROR_ZERO_RETURN || (e == SSL_ERROR_SYSCALL && le == 0 && errno == 0) ||
	    (e == SSL_ERROR_SSL && reason && strstr(reason, "unexpected eof"))) {
		c->eof = true;
		return S_fail(c, "connection closed %s", what);
	}
	if (e == SSL_ERROR_SYSCALL && le == 0)
		return S_fail(c, "%s %s", strerror(errno), what);
	if (strcmp(what, "during the TLS handshake") == 0)
		return S_fail(c, "TLS handshake failed: %s", reason ? reason : "unknown error");
	return S_fail(c, "TLS error %s: %s", what, reason ? reason : "unknown");
}

bool conn_tls(struct conn *c, SSL_CTX *ctx, const char *host)
{
	c->ssl = SSL_new(ctx);
	if (c->ssl == NULL || SSL_set_fd(c->ssl, c->fd) != 1)
		return S_fail(c, "cannot set up TLS");
	SSL_set_ex_data(c->ssl, S_ex_index, c);
	unsigned char ip[16];
	bool is_ip = inet_pton(AF_INET, host, ip) == 1 || inet_pton(AF_INET6, host, ip) == 1;
	X509_VERIFY_PARAM *param = SSL_get0_param(c->ssl);
	X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	if (is_ip) {
		/* RFC 6066: no SNI for IP addresses; the certificate must name the IP. */
		X509_VERIFY_PARAM_set1_ip_asc(param, host);
	} else {
		SSL_set_tlsext_host_name(c->ssl, host);
		SSL_set1_host(c->ssl, host);
	}
	ERR_clear_error();
	for (;;) {
		errno = 0;
		int r = SSL_connect(c->ssl);
		if (r == 1)
			return true;
		int e = SSL_get_error(c->ssl, r);
		short ev;
		if (e == SSL_ERROR_WANT_READ)
			ev = POLLIN;
		else if (e == SSL_ERROR_WANT_WRITE)
			ev = POLLOUT;
		else
			return S_ssl_fail(c, r, "during the TLS handshake");
		int p = S_poll(c, ev, c->deadline);
		if (p == 0)
			return S_timeout(c, "in the TLS handshake");
		if (p < 0)
			return false;
	}
}

/* --------------------------------------------------------------- I/O */

/* Appends what the peer sends to rbuf: true when bytes arrived. */
static bool S_fill(struct conn *c, const char *what)
{
	size_t room = sizeof c->rbuf - 1 - c->rlen;
	for (;;) {
		short ev = POLLIN;
		if (c->ssl) {
			ERR_clear_error();
			errno = 0;
			int r = SSL_read(c->ssl, c->rbuf + c->rlen, (int)room);
			if (r > 0) {
				c->rlen += (size_t)r;
				return true;
			}
			int e = SSL_get_error(c->ssl, r);
			if (e == SSL_ERROR_WANT_WRITE)
				ev = POLLOUT;
			else if (e != SSL_ERROR_WANT_READ)
				return S_ssl_fail(c, r, what);
		} else {
			ssize_t r = recv(c->fd, c->rbuf + c->rlen, room, 0);
			if (r > 0) {
				c->rlen += (size_t)r;
				return true;
			}
			if (r == 0) {
				c->eof = true;
				return S_fail(c, "connection closed %s", what);
			}
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				return S_fail(c, "%s %s", strerror(errno), what);
		}
		int p = S_poll(c, ev, c->deadline);
		if (p == 0)
			return S_timeout(c, what);
		if (p < 0)
			return false;
	}
}

bool conn_read_line(struct conn *c, char *line, const char *what)
{
	for (;;) {
		char *nl = memchr(c->rbuf, '\n', c->rlen);
		if (nl) {
			size_t n = (size_t)(nl - c->rbuf), used = n + 1;
			if (n > 0 && c->rbuf[n - 1] == '\r')
				n--;
			for (size_t i = 0; i < n; i++)
				line[i] = c->rbuf[i] ? c->rbuf[i] : '?';
			line[n] = '\0';
			memmove(c->rbuf, c->rbuf + used, c->rlen - used);
			c->rlen -= used;
			return true;
		}
		if (c->rlen >= CONN_LINE_MAX + 1)
			return S_fail(c, "a line longer than %d bytes (%s)", CONN_LINE_MAX, what);
		if (!S_fill(c, what))
			return false;
	}
}

bool conn_write(struct conn *c, const char *s)
{
	size_t len = strlen(s), off = 0;
	while (off < len) {
		short ev = POLLOUT;
		if (c->ssl) {
			ERR_clear_error();
			errno = 0;
			int r = SSL_write(c->ssl, s + off, (int)(len - off));
			if (r > 0) {
				off += (size_t)r;
				continue;
			}
			int e = SSL_get_error(c->ssl, r);
			if (e == SSL_ERROR_WANT_READ)
				ev = POLLIN;
			else if (e != SSL_ERROR_WANT_WRITE)
				return S_ssl_fail(c, r, "while sending");
		} else {
			/* MSG_NOSIGNAL: a peer that closed early is an error, not SIGPIPE. */
			ssize_t r = send(c->fd, s + off, len - off, MSG_NOSIGNAL);
			if (r > 0) {
				off += (size_t)r;
				continue;
			}
			if (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				return S_fail(c, "%s while sending", strerror(errno));
		}
		int p = S_poll(c, ev, c->deadline);
		if (p == 0)
			return S_timeout(c, "while sending");
		if (p < 0)
			return false;
	}
	return true;
}

int conn_wait_data(struct conn *c, double until)
{
	if (c->rlen > 0)
		return 1;
	int p = S_poll(c, POLLIN, until < c->deadline ? until : c->deadline);
	return p;
}

void conn_close(struct conn *c)
{
	if (c->ssl) {
		/* One non-blocking attempt: we never wait for the peer's answer. */
		if (!c->eof)
			SSL_shutdown(c->ssl);
		ERR_clear_error();
		SSL_free(c->ssl);
		c->ssl = NULL;
	}
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

void conn_quote(const char *s, char *out, size_t max)
{
	size_t i = 0;
	for (; s[i] && i < max; i++) {
		unsigned char ch = (unsigned char)s[i];
		out[i] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
	}
	out[i] = '\0';
	if (s[i])
		memcpy(out + i, "...", 4);
}
