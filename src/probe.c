/* probe.c: `mailguide probe`, the live check of the server table.
 *
 * Stage: after load; reads the immutable model, talks to the servers, and
 * reports through the diagnostics reporter (or as JSON). It owns the
 * protocol dialogues (IMAP, POP3, SMTP greeting, capabilities, STARTTLS),
 * the certificate findings and the verdict per entry; conn.c owns the
 * sockets, TLS and deadlines.
 *
 * Concurrency: a fixed pool of --jobs POSIX threads (the calling thread is
 * one of them) takes entries from a shared index under a mutex; each entry
 * is probed start to end by one thread with blocking-style code over
 * poll()-bounded non-blocking sockets. Threads keep each dialogue a plain
 * sequence of steps, which a poll-driven state machine over three
 * protocols would not; the pool bounds the open connections to --jobs.
 * Results land in an array in table order and are printed after all
 * threads are joined, so the output does not depend on timing.
 *
 * What is never done: sending credentials, AUTH commands, MAIL FROM. */
#define _GNU_SOURCE
#include "probe.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "conn.h"
#include "load.h"
#include "model.h"
#include "util.h"

#define S_MAX_LINES 200 /* lines in one reply before we call it garbage */

struct problem {
	enum diag_level level;
	char *text;
};

/* What one entry of the table turned out to be. */
struct result {
	const struct model_product *product;
	const struct model_server *server;
	struct problem *problems;
	size_t n_problems;
	char addr[64];
	char tls[24]; /* protocol version once TLS is up */
	bool have_cert;
	long cert_days;  /* whole days until the certificate expires; < 0 expired */
	char mechs[256]; /* " PLAIN LOGIN ": the mechanisms offered where checked */
	int smtp_auth;   /* SMTP: 1 AUTH advertised, 0 not, -1 not known */
	bool done;       /* got as far as the authentication check */
};

/* Capabilities as last announced by the server. */
struct caps {
	bool starttls;      /* IMAP/SMTP STARTTLS, POP3 STLS */
	bool logindisabled; /* IMAP: the LOGIN command is refused */
	bool user;          /* POP3 USER/PASS */
	bool apop;          /* POP3: the greeting carries an APOP timestamp */
	bool auth_line;     /* SMTP: an AUTH keyword was advertised; POP3: SASL */
	char mechs[256];    /* " PLAIN LOGIN " */
};

struct session {
	struct conn c;
	const struct model_server *s;
	struct result *r;
	SSL_CTX *ctx;
	int warn_days;
	int tag;
	struct caps caps;
	char line[CONN_LINE_MAX + 1];
};

static void S_problem(struct result *r, enum diag_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void S_problem(struct result *r, enum diag_level level, const char *fmt, ...)
{
	struct buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	r->problems = xrealloc(r->problems, (r->n_problems + 1) * sizeof *r->problems);
	r->problems[r->n_problems++] = (struct problem){level, buf_detach(&b)};
}

/* The connection's own error, as an entry's problem. */
static bool S_conn_failed(struct session *ss)
{
	S_problem(ss->r, DIAG_ERROR, "%s", ss->c.err);
	return false;
}

/* A server line, made safe to quote. */
static const char *S_quote(const char *s, char out[84])
{
	conn_quote(s, out, 80);
	return out;
}

/* ------------------------------------------------------- capabilities */

static void S_mech_add(struct caps *k, const char *m, size_t n)
{
	size_t len = strlen(k->mechs);
	if (len == 0)
		k->mechs[len++] = ' ';
	if (len + n + 2 > sizeof k->mechs)
		return;
	for (size_t i = 0; i < n; i++)
		k->mechs[len++] = (char)toupper((unsigned char)m[i]);
	k->mechs[len++] = ' ';
	k->mechs[len] = '\0';
}

static bool S_has_mech(const struct caps *k, const char *m)
{
	char pat[40];
	snprintf(pat, sizeof pat, " %s ", m);
	return strstr(k->mechs, pat) != NULL;
}

static bool S_word_is(const char *w, size_t n, const char *name)
{
	return strlen(name) == n && strncasecmp(w, name, n) == 0;
}

/* The next space-separated word of *s: its length, *s moved past it. */
static size_t S_word(const char **s, const char **w)
{
	while (**s == ' ')
		(*s)++;
	*w = *s;
	size_t n = strcspn(*s, " ");
	*s += n;
	return n;
}

/* IMAP CAPABILITY words (RFC 9051): STARTTLS, LOGINDISABLED, AUTH=X. */
static void S_imap_caps(struct caps *k, const char *s)
{
	const char *w;
	size_t n;
	while ((n = S_word(&s, &w)) > 0) {
		if (S_word_is(w, n, "STARTTLS"))
			k->starttls = true;
		else if (S_word_is(w, n, "LOGINDISABLED"))
			k->logindisabled = true;
		else if (n > 5 && strncasecmp(w, "AUTH=", 5) == 0)
			S_mech_add(k, w + 5, n - 5);
	}
}

/* One POP3 CAPA line (RFC 2449): "STLS", "USER", "SASL PLAIN LOGIN". */
static void S_pop3_caps(struct caps *k, const char *s)
{
	const char *w;
	size_t n = S_word(&s, &w);
	if (S_word_is(w, n, "STLS"))
		k->starttls = true;
	else if (S_word_is(w, n, "USER"))
		k->user = true;
	else if (S_word_is(w, n, "SASL"))
		for (k->auth_line = true; (n = S_word(&s, &w)) > 0;)
			S_mech_add(k, w, n);
}

/* One SMTP EHLO keyword line (RFC 5321, RFC 4954); "AUTH=PLAIN" is the
 * pre-standard form some old servers still send. */
static void S_smtp_caps(struct caps *k, const char *s)
{
	const char *w;
	size_t n = S_word(&s, &w);
	if (S_word_is(w, n, "STARTTLS")) {
		k->starttls = true;
		return;
	}
	if (S_word_is(w, n, "AUTH")) {
		k->auth_line = true;
	} else if (n > 5 && strncasecmp(w, "AUTH=", 5) == 0) {
		k->auth_line = true;
		S_mech_add(k, w + 5, n - 5);
	} else {
		return;
	}
	while ((n = S_word(&s, &w)) > 0)
		S_mech_add(k, w, n);
}

/* ------------------------------------------------------------- IMAP */

/* Sends "aN CMD" and reads up to the tagged reply; untagged CAPABILITY
 * lines update the capabilities. True when the reply is OK. */
static bool S_imap_cmd(struct session *ss, const char *cmd)
{
	char tag[16], out[84], what[64];
	snprintf(tag, sizeof tag, "a%d", ++ss->tag);
	snprintf(what, sizeof what, "waiting for the reply to %s", cmd);
	struct buf b = {0};
	buf_printf(&b, "%s %s\r\n", tag, cmd);
	bool ok = conn_write(&ss->c, buf_str(&b));
	buf_free(&b);
	if (!ok)
		return S_conn_failed(ss);
	size_t tlen = strlen(tag);
	for (int i = 0; i < S_MAX_LINES; i++) {
		if (!conn_read_line(&ss->c, ss->line, what))
			return S_conn_failed(ss);
		const char *l = ss->line;
		if (strncasecmp(l, "* CAPABILITY ", 13) == 0) {
			ss->caps = (struct caps){0};
			S_imap_caps(&ss->caps, l + 13);
		} else if (strncmp(l, tag, tlen) == 0 && l[tlen] == ' ') {
			if (strncasecmp(l + tlen + 1, "OK", 2) == 0)
				return true;
			S_problem(ss->r, DIAG_ERROR, "%s failed: '%s'", cmd, S_quote(l, out));
			return false;
		} else if (l[0] != '*' && l[0] != '+') {
			S_problem(ss->r, DIAG_ERROR, "unexpected reply to %s: '%s'", cmd,
				  S_quote(l, out));
			return false;
		}
	}
	S_problem(ss->r, DIAG_ERROR, "no end to the reply to %s after %d lines", cmd, S_MAX_LINES);
	return false;
}

static bool S_imap_greeting(struct session *ss)
{
	char out[84];
	if (!conn_read_line(&ss->c, ss->line, "waiting for the greeting"))
		return S_conn_failed(ss);
	if (strncasecmp(ss->line, "* OK", 4) == 0)
		return true;
	if (strncasecmp(ss->line, "* BYE", 5) == 0)
		S_problem(ss->r, DIAG_ERROR, "refuses the connection: '%s'",
			  S_quote(ss->line, out));
	else if (strncasecmp(ss->line, "* PREAUTH", 9) == 0)
		S_problem(ss->r, DIAG_ERROR, "greets with PREAUTH (logged in without credentials)");
	else
		S_problem(ss->r, DIAG_ERROR, "not an IMAP greeting: '%s'", S_quote(ss->line, out));
	return false;
}

/* ------------------------------------------------------------- POP3 */

/* Sends CMD and reads the status line: 1 +OK, 0 -ERR (a problem unless
 * quiet_err), -1 failed (a problem). */
static int S_pop3_cmd(struct session *ss, const char *cmd, bool quiet_err)
{
	char out[84], what[64];
	snprintf(what, sizeof what, "waiting for the reply to %s", cmd);
	struct buf b = {0};
	buf_printf(&b, "%s\r\n", cmd);
	bool ok = conn_write(&ss->c, buf_str(&b));
	buf_free(&b);
	if (!ok || !conn_read_line(&ss->c, ss->line, what)) {
		S_conn_failed(ss);
		return -1;
	}
	if (strncmp(ss->line, "+OK", 3) == 0)
		return 1;
	bool err = strncmp(ss->line, "-ERR", 4) == 0;
	if (!quiet_err || !err)
		S_problem(ss->r, DIAG_ERROR, "%s failed: '%s'", cmd, S_quote(ss->line, out));
	return err && quiet_err ? 0 : -1;
}

static bool S_pop3_greeting(struct session *ss)
{
	char out[84];
	if (!conn_read_line(&ss->c, ss->line, "waiting for the greeting"))
		return S_conn_failed(ss);
	if (strncmp(ss->line, "+OK", 3) != 0) {
		S_problem(ss->r, DIAG_ERROR, "not a POP3 greeting: '%s'", S_quote(ss->line, out));
		return false;
	}
	/* RFC 1939: a timestamp <...@...> in the greeting means APOP works. */
	const char *lt = strchr(ss->line, '<');
	ss->caps.apop = lt && strchr(lt, '@') && strchr(lt, '>');
	return true;
}

static bool S_pop3_capa(struct session *ss)
{
	bool apop = ss->caps.apop;
	ss->caps = (struct caps){.apop = apop};
	int r = S_pop3_cmd(ss, "CAPA", true);
	if (r <= 0)
		return r == 0; /* -ERR: an old server without CAPA */
	for (int i = 0; i < S_MAX_LINES; i++) {
		if (!conn_read_line(&ss->c, ss->line, "reading the CAPA list"))
			return S_conn_failed(ss);
		if (strcmp(ss->line, ".") == 0)
			return true;
		S_pop3_caps(&ss->caps, ss->line);
	}
	S_problem(ss->r, DIAG_ERROR, "no end to the CAPA list after %d lines", S_MAX_LINES);
	return false;
}

/* ------------------------------------------------------------- SMTP */

/* Reads one reply (RFC 5321 4.2: "NNN-text" lines, then "NNN text").
 * With `k`, each line after the first is parsed as an EHLO keyword. */
static bool S_smtp_reply(struct session *ss, const char *what, int *code, struct caps *k)
{
	char out[84];
	for (int i = 0; i < S_MAX_LINES; i++) {
		if (!conn_read_line(&ss->c, ss->line, what))
			return S_conn_failed(ss);
		const char *l = ss->line;
		bool digits = l[0] >= '2' && l[0] <= '5' && l[1] >= '0' && l[1] <= '9' &&
			      l[2] >= '0' && l[2] <= '9';
		if (!digits || (l[3] != ' ' && l[3] != '-' && l[3] != '\0')) {
			S_problem(ss->r, DIAG_ERROR, "not an SMTP reply (%s): '%s'", what,
				  S_quote(l, out));
			return false;
		}
		*code = (l[0] - '0') * 100 + (l[1] - '0') * 10 + (l[2] - '0');
		if (k && i > 0)
			S_smtp_caps(k, l + 4);
		if (l[3] != '-')
			return true;
	}
	S_problem(ss->r, DIAG_ERROR, "no end to the reply after %d lines", S_MAX_LINES);
	return false;
}

static bool S_smtp_greeting(struct session *ss)
{
	int code;
	if (!S_smtp_reply(ss, "waiting for the greeting", &code, NULL))
		return false;
	if (code != 220) {
		char out[84];
		S_problem(ss->r, DIAG_ERROR, "greets with %d, not 220: '%s'", code,
			  S_quote(ss->line, out));
		return false;
	}
	return true;
}

static bool S_smtp_ehlo(struct session *ss)
{
	/* RFC 5321 4.1.4: our name, or an address literal when we have none. */
	struct buf b = {0};
	buf_printf(&b, "EHLO [%s%s]\r\n", strchr(ss->c.local, ':') ? "IPv6:" : "", ss->c.local);
	bool ok = conn_write(&ss->c, buf_str(&b));
	buf_free(&b);
	if (!ok)
		return S_conn_failed(ss);
	ss->caps = (struct caps){0};
	int code;
	if (!S_smtp_reply(ss, "waiting for the reply to EHLO", &code, &ss->caps))
		return false;
	if (code != 250) {
		char out[84];
		S_problem(ss->r, DIAG_ERROR, "EHLO failed: '%s'", S_quote(ss->line, out));
		return false;
	}
	return true;
}

/* -------------------------------------------------- per protocol steps */

static bool S_greeting(struct session *ss)
{
	switch (ss->s->protocol) {
	case PROTO_IMAP:
		return S_imap_greeting(ss);
	case PROTO_POP3:
		return S_pop3_greeting(ss);
	default:
		return S_smtp_greeting(ss);
	}
}

static bool S_query_caps(struct session *ss)
{
	switch (ss->s->protocol) {
	case PROTO_IMAP:
		ss->caps = (struct caps){0};
		return S_imap_cmd(ss, "CAPABILITY");
	case PROTO_POP3:
		return S_pop3_capa(ss);
	default:
		return S_smtp_ehlo(ss);
	}
}

static bool S_starttls_cmd(struct session *ss)
{
	switch (ss->s->protocol) {
	case PROTO_IMAP:
		return S_imap_cmd(ss, "STARTTLS");
	case PROTO_POP3:
		return S_pop3_cmd(ss, "STLS", false) == 1;
	default:
		break;
	}
	int code;
	if (!conn_write(&ss->c, "STARTTLS\r\n"))
		return S_conn_failed(ss);
	if (!S_smtp_reply(ss, "waiting for the reply to STARTTLS", &code, NULL))
		return false;
	if (code != 220) {
		char out[84];
		S_problem(ss->r, DIAG_ERROR, "STARTTLS failed: '%s'", S_quote(ss->line, out));
		return false;
	}
	return true;
}

/* Says goodbye without waiting for the answer. */
static void S_logout(struct session *ss)
{
	static const char *const bye[PROTO_COUNT] = {"z LOGOUT\r\n", "QUIT\r\n", "QUIT\r\n"};
	conn_write(&ss->c, bye[ss->s->protocol]);
}

/* -------------------------------------------------------- certificate */

static void S_time_str(const ASN1_TIME *t, char *out, size_t size)
{
	struct tm tm;
	if (ASN1_TIME_to_tm(t, &tm) != 1 || strftime(out, size, "%Y-%m-%d %H:%M UTC", &tm) == 0)
		snprintf(out, size, "?");
}

/* The names a certificate is valid for: its DNS and IP subjectAltNames, or
 * its subject CN when it has none. */
static void S_cert_names(X509 *x, struct buf *out)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	int n = gens ? sk_GENERAL_NAME_num(gens) : 0;
	for (int i = 0; i < n && i < 8; i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		char q[84];
		if (g->type == GEN_DNS) {
			const char *s = (const char *)ASN1_STRING_get0_data(g->d.dNSName);
			buf_printf(out, "%s%s", out->len ? ", " : "", S_quote(s, q));
		} else if (g->type == GEN_IPADD &&
			   (g->d.iPAddress->length == 4 || g->d.iPAddress->length == 16)) {
			const unsigned char *a = ASN1_STRING_get0_data(g->d.iPAddress);
			char ip[64];
			if (inet_ntop(g->d.iPAddress->length == 4 ? AF_INET : AF_INET6, a, ip,
				      sizeof ip))
				buf_printf(out, "%s%s", out->len ? ", " : "", ip);
		}
	}
	GENERAL_NAMES_free(gens);
	if (n == 0) {
		char cn[256];
		if (X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, cn,
					      sizeof cn) > 0) {
			char q[84];
			buf_printf(out, "%s (subject CN, no subjectAltName)", S_quote(cn, q));
		}
	}
	if (out->len == 0)
		buf_puts(out, "no host name");
}

/* Reports what the handshake learnt: version, expiry, verification. */
static void S_tls_findings(struct session *ss)
{
	struct result *r = ss->r;
	snprintf(r->tls, sizeof r->tls, "%s", SSL_get_version(ss->c.ssl));
	X509 *leaf = SSL_get0_peer_certificate(ss->c.ssl);
	if (leaf == NULL) {
		S_problem(r, DIAG_ERROR, "the server sent no certificate");
		return;
	}
	int day = 0, sec = 0;
	char when[40];
	/* Expiry is checked here, apart from the chain's verification, so an
	 * expired certificate is named as such whatever else is wrong with it
	 * (OpenSSL reports a host name mismatch before the validity period). */
	if (ASN1_TIME_diff(&day, &sec, NULL, X509_get0_notAfter(leaf)) == 1) {
		S_time_str(X509_get0_notAfter(leaf), when, sizeof when);
		r->have_cert = true;
		r->cert_days = day;
		if (day < 0 || (day == 0 && sec < 0)) {
			r->cert_days = day < 0 ? day : -1;
			if (day == 0)
				S_problem(r, DIAG_ERROR, "certificate expired today (%s)", when);
			else
				S_problem(r, DIAG_ERROR, "certificate expired %d day%s ago (%s)",
					  -day, day == -1 ? "" : "s", when);
		} else if (day < ss->warn_days) {
			S_problem(r, DIAG_WARNING, "certificate expires in %d day%s (%s)", day,
				  day == 1 ? "" : "s", when);
		}
	}
	if (ASN1_TIME_diff(&day, &sec, NULL, X509_get0_notBefore(leaf)) == 1 &&
	    (day > 0 || sec > 0)) {
		S_time_str(X509_get0_notBefore(leaf), when, sizeof when);
		S_problem(r, DIAG_ERROR, "certificate not valid before %s", when);
	}
	bool chain_said = false;
	for (size_t i = 0; i < ss->c.n_verify; i++) {
		int code = ss->c.verify[i].code, depth = ss->c.verify[i].depth;
		switch (code) {
		case X509_V_ERR_CERT_HAS_EXPIRED:
		case X509_V_ERR_CERT_NOT_YET_VALID:
			if (depth == 0)
				break; /* reported above, with the date */
			S_problem(r, DIAG_ERROR, "certificate chain: the issuer at depth %d %s",
				  depth,
				  code == X509_V_ERR_CERT_HAS_EXPIRED ? "has expired"
								      : "is not valid yet");
			break;
		case X509_V_ERR_HOSTNAME_MISMATCH:
		case X509_V_ERR_IP_ADDRESS_MISMATCH: {
			struct buf names = {0};
			S_cert_names(leaf, &names);
			S_problem(r, DIAG_ERROR,
				  "certificate does not match host '%s' (it names %s)", ss->s->host,
				  buf_str(&names));
			buf_free(&names);
			break;
		}
		case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
		case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
		case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
		case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
		case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
			/* One chain, one message: OpenSSL often reports two of these. */
			if (!chain_said)
				S_problem(r, DIAG_ERROR,
					  "certificate does not verify: %s (not issued by a "
					  "trusted CA, "
					  "or the server does not send its intermediate "
					  "certificates)",
					  X509_verify_cert_error_string(code));
			chain_said = true;
			break;
		default:
			S_problem(r, DIAG_ERROR, "certificate does not verify: %s%s",
				  X509_verify_cert_error_string(code),
				  depth > 0 ? " (in the chain)" : "");
		}
	}
}

/* A handshake that failed, with a hint for the commonest cause. */
static void S_tls_failed(struct session *ss)
{
	const char *e = ss->c.err;
	bool plain = strstr(e, "wrong version number") || strstr(e, "packet length too long") ||
		     strstr(e, "record layer failure");
	S_problem(ss->r, DIAG_ERROR, "%s%s", e,
		  plain && ss->s->security == SEC_SSL
			  ? " (the port seems to answer in plain text: is it a STARTTLS port?)"
			  : "");
}

/* -------------------------------------------------------- the checks */

/* Waits for the plain-text greeting of a starttls or none entry. A port
 * that stays silent for half the time limit gets a TLS handshake on the same
 * connection: if that succeeds, the port is an implicit-TLS port listed as
 * something else, which is worth saying precisely. */
static bool S_plain_greeting(struct session *ss)
{
	struct conn *c = &ss->c;
	double half = c->start + (c->deadline - c->start) / 2;
	int w = conn_wait_data(c, half);
	if (w < 0)
		return S_conn_failed(ss);
	if (w > 0)
		return S_greeting(ss);
	if (conn_tls(c, ss->ctx, ss->s->host)) {
		S_problem(ss->r, DIAG_ERROR,
			  "no greeting in the clear, but a TLS handshake succeeds: the port "
			  "speaks implicit TLS (security: ssl), not %s",
			  model_security_name(ss->s->security));
		return false;
	}
	if (c->timed_out)
		S_problem(ss->r, DIAG_ERROR, "timed out after %.1f s waiting for the greeting",
			  c->deadline - c->start);
	else
		S_problem(ss->r, DIAG_ERROR, "no greeting within %.1f s (and no TLS either: %s)",
			  half - c->start, c->err);
	return false;
}

/* The words for a missing mechanism: "it offers PLAIN LOGIN". */
static void S_offers(const struct session *ss, struct buf *b)
{
	const char *m = ss->caps.mechs;
	while (*m == ' ')
		m++;
	size_t n = strlen(m);
	while (n && m[n - 1] == ' ')
		n--;
	if (n)
		buf_printf(b, "it offers %.*s", (int)n, m);
	else
		buf_puts(b, "it offers no SASL mechanism");
	if (ss->s->protocol == PROTO_IMAP && ss->caps.logindisabled)
		buf_puts(b, " and refuses LOGIN (LOGINDISABLED)");
	if (ss->s->protocol == PROTO_POP3 && ss->caps.user)
		buf_puts(b, " and USER/PASS");
}

/* Whether the server offers method `a`; `want` says what it would take. */
static bool S_auth_offered(const struct session *ss, enum model_auth a, const char **want)
{
	const struct model_server *s = ss->s;
	const struct caps *k = &ss->caps;
	switch (a) {
	case AUTH_PASSWORD:
		*want = s->protocol == PROTO_IMAP   ? "AUTH=PLAIN, AUTH=LOGIN or the LOGIN command"
			: s->protocol == PROTO_POP3 ? "SASL PLAIN, LOGIN or USER/PASS"
						    : "AUTH PLAIN or LOGIN";
		return S_has_mech(k, "PLAIN") || S_has_mech(k, "LOGIN") ||
		       (s->protocol == PROTO_IMAP && !k->logindisabled) ||
		       (s->protocol == PROTO_POP3 && k->user);
	case AUTH_ENCRYPTED:
		*want = s->protocol == PROTO_POP3 ? "CRAM-MD5 or APOP" : "CRAM-MD5";
		return S_has_mech(k, "CRAM-MD5") || (s->protocol == PROTO_POP3 && k->apop);
	case AUTH_NTLM:
		*want = "NTLM";
		return S_has_mech(k, "NTLM");
	case AUTH_OAUTH2:
		*want = "XOAUTH2 or OAUTHBEARER";
		return S_has_mech(k, "XOAUTH2") || S_has_mech(k, "OAUTHBEARER");
	default:
		*want = "";
		return true; /* auth: none on IMAP/POP3: nothing to check */
	}
}

/* Every method the table lists must be offered: a client falls back down
 * the list, so a missing one is a login that fails. */
static void S_check_auth(struct session *ss)
{
	const struct model_server *s = ss->s;
	const struct caps *k = &ss->caps;
	struct result *r = ss->r;
	snprintf(r->mechs, sizeof r->mechs, "%s", k->mechs);
	r->done = true;
	if (s->protocol == PROTO_SMTP) {
		r->smtp_auth = k->auth_line;
		/* Whether authentication is required can only be learnt by trying
		 * to send mail; we report what the server advertises. */
		if (s->auths[0] == AUTH_NONE) {
			if (k->auth_line)
				S_problem(
					r, DIAG_WARNING,
					"advertises AUTH although the table says no authentication "
					"(auth: none); the server may require it");
			return;
		}
		if (!k->auth_line) {
			S_problem(r, DIAG_ERROR,
				  "advertises no AUTH, but the table says authentication is "
				  "required (auth: %s)",
				  model_auth_name(s->auths[0]));
			return;
		}
	}
	for (size_t i = 0; i < s->n_auths; i++) {
		enum model_auth a = s->auths[i];
		const char *want;
		bool ok = S_auth_offered(ss, a, &want);
		if (ok && a == AUTH_PASSWORD && s->protocol == PROTO_POP3 && k->auth_line &&
		    !S_has_mech(k, "PLAIN") && !S_has_mech(k, "LOGIN")) {
			/* USER is listed, but SASL without PLAIN or LOGIN: Dovecot, for one,
			 * runs USER/PASS through its PLAIN mechanism and then refuses it
			 * ("Unsupported authentication mechanism"). Only a login would tell. */
			struct buf b = {0};
			S_offers(ss, &b);
			S_problem(r, DIAG_WARNING,
				  "password login rests on USER/PASS alone (no SASL PLAIN or "
				  "LOGIN; %s), "
				  "which some servers then refuse",
				  buf_str(&b));
			buf_free(&b);
			continue;
		}
		if (ok)
			continue;
		struct buf b = {0};
		S_offers(ss, &b);
		S_problem(r, DIAG_ERROR, "the table's auth '%s' needs %s%s; %s", model_auth_name(a),
			  want, s->security == SEC_NONE ? "" : " after TLS", buf_str(&b));
		buf_free(&b);
	}
}

static void S_probe_one(SSL_CTX *ctx, double timeout, int warn_days, struct result *r)
{
	struct session *ss = xcalloc(1, sizeof *ss);
	ss->s = r->server;
	ss->r = r;
	ss->ctx = ctx;
	ss->warn_days = warn_days;
	r->smtp_auth = -1;
	struct conn *c = &ss->c;
	conn_init(c, timeout);
	const struct model_server *s = r->server;
	if (s->host_is_pattern) {
		/* mail.%EMAILDOMAIN%: a host per customer domain, none to dial. */
		S_problem(r, DIAG_WARNING, "not probed: the host depends on the address");
		goto done;
	}
	if (!conn_connect(c, s->host, s->port)) {
		S_conn_failed(ss);
		goto done;
	}
	snprintf(r->addr, sizeof r->addr, "%s", c->addr);
	if (s->security == SEC_SSL) {
		if (!conn_tls(c, ctx, s->host)) {
			S_tls_failed(ss);
			goto done;
		}
		S_tls_findings(ss);
		if (!S_greeting(ss))
			goto done;
	} else if (!S_plain_greeting(ss)) {
		goto done;
	}
	if (!S_query_caps(ss))
		goto done;
	if (s->security == SEC_STARTTLS) {
		if (!ss->caps.starttls) {
			S_problem(r, DIAG_ERROR, "does not offer %s",
				  s->protocol == PROTO_POP3 ? "STLS (STARTTLS)" : "STARTTLS");
			goto done;
		}
		if (!S_starttls_cmd(ss))
			goto done;
		/* Bytes that arrived before TLS began would be taken as if they came
		 * through TLS by a careless client (the STARTTLS injection of
		 * CVE-2011-0411 and its many successors). */
		if (c->rlen > 0) {
			S_problem(r, DIAG_ERROR, "sent data after its STARTTLS reply, before TLS");
			goto done;
		}
		if (!conn_tls(c, ctx, s->host)) {
			S_tls_failed(ss);
			goto done;
		}
		S_tls_findings(ss);
		if (!S_query_caps(ss))
			goto done;
	} else if (s->security == SEC_NONE) {
		S_problem(r, DIAG_WARNING,
			  "the table publishes a plaintext option: passwords and mail cross the "
			  "network unencrypted%s",
			  ss->caps.starttls ? " (the server offers STARTTLS)" : "");
	}
	S_check_auth(ss);
	S_logout(ss);
done:
	conn_close(c);
	ERR_clear_error();
	free(ss);
}

/* ------------------------------------------------------------ the pool */

struct pool {
	struct result *results;
	size_t n, next;
	pthread_mutex_t mu;
	SSL_CTX *ctx;
	const struct probe_opts *o;
};

static void *S_worker(void *arg)
{
	struct pool *p = arg;
	for (;;) {
		pthread_mutex_lock(&p->mu);
		size_t i = p->next++;
		pthread_mutex_unlock(&p->mu);
		if (i >= p->n)
			break;
		S_probe_one(p->ctx, p->o->timeout, p->o->warn_days, &p->results[i]);
	}
	return NULL;
}

static void S_run_pool(struct pool *p, int jobs)
{
	size_t want = (size_t)(jobs > 0 ? jobs : 1);
	if (want > p->n)
		want = p->n;
	pthread_t *t = xcalloc(want ? want : 1, sizeof *t);
	size_t started = 0;
	/* The calling thread is one of the workers; the rest are started here. */
	for (size_t i = 1; i < want; i++) {
		if (pthread_create(&t[started], NULL, S_worker, p) != 0)
			break;
		started++;
	}
	S_worker(p);
	for (size_t i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	free(t);
}

/* ------------------------------------------------------------ reporting */

static enum diag_level S_worst(const struct result *r, bool *any)
{
	enum diag_level w = DIAG_NOTE;
	*any = r->n_problems > 0;
	for (size_t i = 0; i < r->n_problems; i++)
		if (r->problems[i].level > w)
			w = r->problems[i].level;
	return w;
}

static void S_json_str(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			buf_printf(b, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			buf_printf(b, "\\u%04x", *p); /* messages are ASCII (conn_quote) */
		else
			buf_putc(b, (char)*p);
	}
	buf_putc(b, '"');
}

static void S_json_mechs(struct buf *b, const char *mechs)
{
	buf_putc(b, '[');
	bool first = true;
	for (const char *m = mechs; *m;) {
		while (*m == ' ')
			m++;
		size_t n = strcspn(m, " ");
		if (n) {
			char w[64];
			snprintf(w, sizeof w, "%.*s", (int)(n < 63 ? n : 63), m);
			buf_puts(b, first ? "" : ", ");
			S_json_str(b, w);
			first = false;
		}
		m += n;
	}
	buf_putc(b, ']');
}

static const char *const S_status[] = {"ok", "warning", "error"};

static void S_json(const struct result *rs, size_t n, const size_t counts[3])
{
	struct buf b = {0};
	buf_puts(&b, "{\"entries\": [");
	for (size_t i = 0; i < n; i++) {
		const struct result *r = &rs[i];
		const struct model_server *s = r->server;
		bool any;
		enum diag_level w = S_worst(r, &any);
		buf_puts(&b, i ? ",\n  {" : "\n  {");
		buf_puts(&b, "\"file\": ");
		S_json_str(&b, s->pos.file ? s->pos.file : "");
		buf_printf(&b, ", \"line\": %u, \"col\": %u, \"product\": ", s->pos.line,
			   s->pos.col);
		S_json_str(&b, r->product->id);
		buf_printf(&b,
			   ", \"protocol\": \"%s\", \"host\": ", model_protocol_name(s->protocol));
		S_json_str(&b, s->host);
		buf_printf(&b, ", \"port\": %u, \"security\": \"%s\", \"auth\": \"%s\"", s->port,
			   model_security_name(s->security), model_auth_name(s->auths[0]));
		buf_printf(&b, ", \"status\": \"%s\"", any ? S_status[w] : "ok");
		buf_puts(&b, ", \"address\": ");
		if (r->addr[0])
			S_json_str(&b, r->addr);
		else
			buf_puts(&b, "null");
		buf_puts(&b, ", \"tls\": ");
		if (r->tls[0])
			S_json_str(&b, r->tls);
		else
			buf_puts(&b, "null");
		if (r->have_cert)
			buf_printf(&b, ", \"certificate_days_left\": %ld", r->cert_days);
		else
			buf_puts(&b, ", \"certificate_days_left\": null");
		buf_puts(&b, ", \"mechanisms\": ");
		if (r->done)
			S_json_mechs(&b, r->mechs);
		else
			buf_puts(&b, "null");
		buf_printf(&b, ", \"smtp_auth_advertised\": %s",
			   r->smtp_auth < 0 ? "null"
			   : r->smtp_auth   ? "true"
					    : "false");
		buf_puts(&b, ", \"problems\": [");
		for (size_t j = 0; j < r->n_problems; j++) {
			buf_printf(&b, "%s{\"level\": \"%s\", \"message\": ", j ? ", " : "",
				   S_status[r->problems[j].level]);
			S_json_str(&b, r->problems[j].text);
			buf_putc(&b, '}');
		}
		buf_puts(&b, "]}");
	}
	buf_printf(&b,
		   "\n],\n\"summary\": {\"entries\": %zu, \"ok\": %zu, \"warnings\": %zu, "
		   "\"failed\": %zu}}\n",
		   n, counts[0], counts[1], counts[2]);
	fputs(buf_str(&b), stdout);
	fflush(stdout);
	buf_free(&b);
}

/* The one line of an entry that holds: what was seen. */
static void S_ok_text(const struct result *r, struct buf *b)
{
	buf_puts(b, "ok");
	const char *sep = ": ";
	if (r->tls[0]) {
		buf_printf(b, "%s%s", sep, r->tls);
		sep = ", ";
	}
	if (r->have_cert) {
		buf_printf(b, "%scertificate valid %ld more day%s", sep, r->cert_days,
			   r->cert_days == 1 ? "" : "s");
		sep = ", ";
	}
	const char *m = r->mechs;
	while (*m == ' ')
		m++;
	size_t n = strlen(m);
	while (n && m[n - 1] == ' ')
		n--;
	if (n)
		buf_printf(b, "%s%s %.*s", sep,
			   r->server->protocol == PROTO_SMTP ? "AUTH" : "offers", (int)n, m);
}

static void S_report(struct diag *d, const struct result *r)
{
	const struct model_server *s = r->server;
	bool any;
	enum diag_level w = S_worst(r, &any);
	struct buf b = {0};
	buf_printf(&b, "%s %s:%u (%s): ", model_protocol_name(s->protocol), s->host, s->port,
		   model_security_name(s->security));
	if (!any) {
		S_ok_text(r, &b);
	} else {
		/* One line per entry: its problems, the worst first. */
		const char *sep = "";
		for (int lv = DIAG_ERROR; lv >= DIAG_NOTE; lv--)
			for (size_t i = 0; i < r->n_problems; i++)
				if ((int)r->problems[i].level == lv) {
					buf_printf(&b, "%s%s", sep, r->problems[i].text);
					sep = "; ";
				}
	}
	diag_report(d, any ? w : DIAG_NOTE, s->pos.file, s->pos.line, s->pos.col, "%s",
		    buf_str(&b));
	buf_free(&b);
}

static void S_collect(const struct model_product *p, struct result **rs, size_t *n)
{
	const struct model_server *lists[2] = {p->incoming, p->outgoing};
	size_t counts[2] = {p->n_incoming, p->n_outgoing};
	for (int l = 0; l < 2; l++)
		for (size_t i = 0; i < counts[l]; i++) {
			*rs = xrealloc(*rs, (*n + 1) * sizeof **rs);
			(*rs)[(*n)++] = (struct result){.product = p, .server = &lists[l][i]};
		}
}

int probe_run(const struct probe_opts *o, struct diag *d)
{
	struct model *m = load_content(o->content, d);
	if (m == NULL) {
		diag_flush(d);
		return 1;
	}
	int rc = 0;
	struct result *rs = NULL;
	size_t n = 0;
	SSL_CTX *ctx = NULL;
	if (o->product) {
		const struct model_product *p = model_product_find(m, o->product);
		if (p == NULL) {
			fprintf(stderr, "mailguide probe: no product '%s' in the server table\n",
				o->product);
			rc = 2;
			goto out;
		}
		S_collect(p, &rs, &n);
	} else {
		for (size_t i = 0; i < m->n_providers; i++)
			for (size_t j = 0; j < m->providers[i].n_products; j++)
				S_collect(&m->providers[i].products[j], &rs, &n);
	}
	char err[512];
	ctx = conn_tls_ctx(o->ca_file, err, sizeof err);
	if (ctx == NULL) {
		fprintf(stderr, "mailguide probe: %s\n", err);
		rc = 2;
		goto out;
	}
	/* OpenSSL writes to the socket with write(): a server that closes early
	 * must give an error, not kill the process with SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);

	struct pool pool = {.results = rs, .n = n, .ctx = ctx, .o = o};
	pthread_mutex_init(&pool.mu, NULL);
	S_run_pool(&pool, o->jobs);
	pthread_mutex_destroy(&pool.mu);

	size_t counts[3] = {0, 0, 0};
	for (size_t i = 0; i < n; i++) {
		bool any;
		enum diag_level w = S_worst(&rs[i], &any);
		counts[any ? w : DIAG_NOTE]++;
	}
	if (o->json) {
		S_json(rs, n, counts);
	} else {
		for (size_t i = 0; i < n; i++)
			S_report(d, &rs[i]);
		diag_flush(d);
		if (!d->quiet || counts[2])
			fprintf(stderr,
				"mailguide probe: %zu entr%s: %zu ok, %zu with warnings, %zu "
				"failed\n",
				n, n == 1 ? "y" : "ies", counts[0], counts[1], counts[2]);
	}
	rc = counts[2] ? 1 : 0;
out:
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < rs[i].n_problems; j++)
			free(rs[i].problems[j].text);
		free(rs[i].problems);
	}
	free(rs);
	SSL_CTX_free(ctx);
	model_free(m);
	return rc;
}
