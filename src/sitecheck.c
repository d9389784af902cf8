/* sitecheck.c: `mailguide probe --site`, the check of a published
 * deployment as clients meet it.
 *
 * Stage: after load and after a build; reads the model (what the DNS
 * should say, via dns.c) and the build's output directory (what the web
 * server should answer), asks DNS and the web servers, and prints one line
 * per step. DNS answers are parsed by libresolv (res_nquery, ns_parserr),
 * HTTP(S) is libcurl's, XML is compared after libxml2's canonicalisation
 * (C14N), so a file re-indented by a CMS still counts as the same and a
 * changed value does not.
 *
 * The steps run one after the other, each bounded by --timeout: there are
 * about twenty, and their order is the order a provider should fix them
 * in (records, then web server, then certificates). */
#define _GNU_SOURCE
#include "sitecheck.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <libxml/c14n.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "dns.h"
#include "load.h"
#include "model.h"
#include "util.h"

#define S_MAX_BODY (16 << 20) /* bytes of an answer kept; more is an error */
#define S_MAX_SRV 32
#define S_MAX_HOSTS 16
#define S_PROBE_LOCAL "mailguide-probe"

static const char S_REQUEST_NS[] =
	"http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006";
static const char S_RESPONSE_NS[] =
	"http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";

/* A certificate seen for a host name: the first request to it says. */
struct host_cert {
	char name[256];
	bool reported;
};

struct site {
	const struct sitecheck_opts *o;
	const struct model *m;
	struct dns_records rec;
	const char *base_url;
	struct __res_state res;
	struct host_cert hosts[S_MAX_HOSTS];
	size_t n_hosts;
	bool res_open;    /* res_ninit succeeded: res_nclose frees */
	size_t counts[3]; /* ok, warnings, errors */
};

/* ------------------------------------------------------------ reporting */

static void S_step(struct site *s, enum diag_level level, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void S_step(struct site *s, enum diag_level level, const char *what, const char *fmt, ...)
{
	static const char *const names[] = {"ok", "warning", "error"};
	s->counts[level]++;
	if (s->o->quiet && level != DIAG_ERROR)
		return;
	va_list ap;
	va_start(ap, fmt);
	printf("%s: %s: ", names[level], what);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
}

/* ------------------------------------------------------------------ DNS */

struct srv_answer {
	unsigned prio, weight, port;
	char target[NS_MAXDNAME];
};

/* Sets up the resolver: the system's, or only `spec` ("127.0.0.1:5353"). */
static bool S_resolver(struct site *s, const char *spec)
{
	memset(&s->res, 0, sizeof s->res);
	if (res_ninit(&s->res) != 0)
		return false;
	s->res_open = true;
	s->res.retrans = s->o->timeout < 1 ? 1 : (int)s->o->timeout;
	s->res.retry = 1;
	if (spec == NULL)
		return true;
	char host[64];
	unsigned port = 53;
	const char *colon = strchr(spec, ':');
	size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
	if (n >= sizeof host)
		return false;
	memcpy(host, spec, n);
	host[n] = '\0';
	if (colon) {
		char *end;
		unsigned long p = strtoul(colon + 1, &end, 10);
		if (*end || p == 0 || p > 65535)
			return false;
		port = (unsigned)p;
	}
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	if (inet_pton(AF_INET, host, &sin.sin_addr) != 1)
		return false;
	/* glibc asks nsaddr_list[0..nscount) unless IPv6 servers from
	 * resolv.conf sit in its extension: drop those. */
	s->res.nsaddr_list[0] = sin;
	s->res.nscount = 1;
	return true;
}

/* Asks for `type` records of `name`; returns the answer's length, or -1
 * with *why set to what went wrong in words. */
static int S_query(struct site *s, const char *name, int type, unsigned char *ans, int size,
		   const char **why)
{
	int len = res_nquery(&s->res, name, ns_c_in, type, ans, size);
	if (len >= 0)
		return len;
	switch (s->res.res_h_errno) {
	case HOST_NOT_FOUND:
		*why = "NXDOMAIN: the name does not exist";
		break;
	case NO_DATA:
		*why = "the name has no record of this type";
		break;
	case TRY_AGAIN:
		*why = "no answer from the DNS server (timeout or SERVFAIL)";
		break;
	default:
		*why = "the DNS server refused or failed the query";
		break;
	}
	return -1;
}

/* Whether the last query failed for want of an answer (no server, a
 * timeout, SERVFAIL), not because the name or record does not exist: then
 * there is nothing to add, but a resolver to reach. */
static bool S_query_failed(const struct site *s)
{
	return s->res.res_h_errno != HOST_NOT_FOUND && s->res.res_h_errno != NO_DATA;
}

/* The SRV records of `name`, ordered by priority then weight. */
static int S_srv_lookup(struct site *s, const char *name, struct srv_answer *out, size_t max,
			const char **why)
{
	unsigned char ans[NS_PACKETSZ * 8];
	int len = S_query(s, name, ns_t_srv, ans, sizeof ans, why);
	ns_msg msg;
	if (len < 0)
		return -1;
	if (ns_initparse(ans, len, &msg) != 0) {
		*why = "the answer could not be parsed";
		return -1;
	}
	size_t n = 0;
	for (int i = 0; i < ns_msg_count(msg, ns_s_an) && n < max; i++) {
		ns_rr rr;
		if (ns_parserr(&msg, ns_s_an, i, &rr) != 0 || ns_rr_type(rr) != ns_t_srv ||
		    ns_rr_rdlen(rr) < 7)
			continue;
		const unsigned char *rd = ns_rr_rdata(rr);
		struct srv_answer a = {ns_get16(rd), ns_get16(rd + 2), ns_get16(rd + 4), ""};
		if (dn_expand(ns_msg_base(msg), ns_msg_end(msg), rd + 6, a.target,
			      sizeof a.target) < 0)
			continue;
		size_t j = n++;
		for (; j > 0 && (out[j - 1].prio > a.prio ||
				 (out[j - 1].prio == a.prio && out[j - 1].weight > a.weight));
		     j--)
			out[j] = out[j - 1];
		out[j] = a;
	}
	if (n == 0) {
		*why = "the name has no SRV record";
		s->res.res_h_errno = NO_DATA;
	}
	return n ? (int)n : -1;
}

/* "ssl0.ovh.net." and "SSL0.ovh.net" are the same name; "." is "." */
static bool S_same_name(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 1 && a[la - 1] == '.')
		la--;
	if (lb > 1 && b[lb - 1] == '.')
		lb--;
	if (la == 0 && lb == 1 && b[0] == '.')
		return true; /* dn_expand spells the root "" */
	return la == lb && strncasecmp(a, b, la) == 0;
}

static void S_srv_text(struct buf *b, const struct srv_answer *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "%s%u %u %u %s.", i ? ", " : "", a[i].prio, a[i].weight, a[i].port,
			   a[i].target[0] ? a[i].target : "");
}

/* The expected records of one service, as zone lines a provider can paste. */
static void S_srv_fix(const struct site *s, const char *service, struct buf *b)
{
	char *owner = dns_owner(&s->rec, service);
	for (size_t i = 0; i < s->rec.n_srv; i++) {
		const struct dns_srv *e = &s->rec.srv[i];
		if (strcmp(e->service, service) == 0)
			buf_printf(b, "%s\"%s 3600 IN SRV %u %u %u %s\"", b->len ? " and " : "",
				   owner, e->priority, e->weight, e->port, e->target);
	}
	free(owner);
}

/* Compares the SRV records of one service with the table's; returns how
 * many DNS has (in `found`), -1 for none. */
static int S_check_srv(struct site *s, const char *service, struct srv_answer *found)
{
	const struct dns_srv *want[S_MAX_SRV];
	size_t nw = 0;
	for (size_t i = 0; i < s->rec.n_srv && nw < S_MAX_SRV; i++)
		if (strcmp(s->rec.srv[i].service, service) == 0)
			want[nw++] = &s->rec.srv[i];
	char *owner = dns_owner(&s->rec, service);
	const char *why = NULL;
	int nf = S_srv_lookup(s, owner, found, S_MAX_SRV, &why);
	bool offered = !(nw == 1 && strcmp(want[0]->target, ".") == 0);
	struct buf fix = {0}, got = {0};
	S_srv_fix(s, service, &fix);
	if (nf < 0) {
		/* A missing "not offered" record only makes clients look further. */
		S_step(s, offered ? DIAG_ERROR : DIAG_WARNING, "dns",
		       S_query_failed(s) ? "%s: cannot ask DNS (%s), it should say %s"
					 : "%s: no SRV record (%s); add %s",
		       owner, why, buf_str(&fix));
		goto out;
	}
	S_srv_text(&got, found, (size_t)nf);
	bool same = (size_t)nf == nw;
	for (size_t i = 0; same && i < nw; i++)
		same = S_same_name(found[i].target, want[i]->target) &&
		       (!offered || found[i].port == want[i]->port);
	if (same) {
		S_step(s, DIAG_NOTE, "dns", "%s: SRV %s", owner, buf_str(&got));
		goto out;
	}
	/* Say the commonest mistake in words: the right host, another port. */
	struct buf hint = {0};
	for (size_t i = 0; (size_t)nf == nw && i < nw; i++)
		if (S_same_name(found[i].target, want[i]->target) &&
		    found[i].port != want[i]->port) {
			const struct model_server *sv = want[i]->server;
			buf_printf(&hint, "; port %u for %s where the table (%s:%u:%u) says %u",
				   found[i].port, want[i]->target, sv ? sv->pos.file : "?",
				   sv ? sv->pos.line : 0, sv ? sv->pos.col : 0, want[i]->port);
		}
	S_step(s, DIAG_ERROR, "dns", "%s: SRV %s does not match the table%s; publish %s", owner,
	       buf_str(&got), buf_str(&hint), buf_str(&fix));
	buf_free(&hint);
out:
	buf_free(&fix);
	buf_free(&got);
	free(owner);
	return nf;
}

/* The A records of `name` and, in *cname, the target of a CNAME met on
 * the way (an authoritative server answers with the CNAME and, when it
 * knows it, the target's addresses). */
static int S_addrs(struct site *s, const char *name, char addrs[][INET_ADDRSTRLEN], size_t max,
		   char *cname, size_t cname_size, const char **why)
{
	unsigned char ans[NS_PACKETSZ * 8];
	int len = S_query(s, name, ns_t_a, ans, sizeof ans, why);
	ns_msg msg;
	cname[0] = '\0';
	if (len < 0)
		return -1;
	if (ns_initparse(ans, len, &msg) != 0) {
		*why = "the answer could not be parsed";
		return -1;
	}
	size_t n = 0;
	for (int i = 0; i < ns_msg_count(msg, ns_s_an); i++) {
		ns_rr rr;
		if (ns_parserr(&msg, ns_s_an, i, &rr) != 0)
			continue;
		if (ns_rr_type(rr) == ns_t_cname && cname[0] == '\0')
			dn_expand(ns_msg_base(msg), ns_msg_end(msg), ns_rr_rdata(rr), cname,
				  (int)cname_size);
		else if (ns_rr_type(rr) == ns_t_a && ns_rr_rdlen(rr) == 4 && n < max)
			inet_ntop(AF_INET, ns_rr_rdata(rr), addrs[n++], INET_ADDRSTRLEN);
	}
	if (n == 0 && cname[0] == '\0') {
		*why = "the name has no address";
		s->res.res_h_errno = NO_DATA;
		return -1;
	}
	return (int)n;
}

/* autoconfig.<domain> and autodiscover.<domain> must lead to the web host:
 * a CNAME of it, or the same addresses. */
static void S_check_name(struct site *s, const char *label)
{
	char *owner = dns_owner(&s->rec, label);
	char a[8][INET_ADDRSTRLEN], w[8][INET_ADDRSTRLEN], cname[NS_MAXDNAME], wc[NS_MAXDNAME];
	const char *why = NULL;
	int na = S_addrs(s, owner, a, 8, cname, sizeof cname, &why);
	if (na < 0) {
		S_step(s, DIAG_ERROR, "dns",
		       S_query_failed(s)
			       ? "%s: cannot ask DNS (%s), it should say \"%s 3600 IN CNAME %s\""
			       : "%s does not resolve (%s); add \"%s 3600 IN CNAME %s\"",
		       owner, why, owner, s->rec.web_host);
	} else if (cname[0] && S_same_name(cname, s->rec.web_host)) {
		S_step(s, DIAG_NOTE, "dns", "%s: CNAME %s.", owner, cname);
	} else {
		int nw = S_addrs(s, s->rec.web_host, w, 8, wc, sizeof wc, &why);
		bool shared = false;
		for (int i = 0; i < na; i++)
			for (int j = 0; j < (nw > 0 ? nw : 0); j++)
				shared |= strcmp(a[i], w[j]) == 0;
		if (shared)
			S_step(s, DIAG_NOTE, "dns", "%s: %s, an address of %s", owner, a[0],
			       s->rec.web_host);
		else
			S_step(s, DIAG_ERROR, "dns",
			       "%s leads to %s%s, not to the discovery host %s (site.yaml); make "
			       "it "
			       "\"%s 3600 IN CNAME %s\"",
			       owner, cname[0] ? "a CNAME of " : "",
			       cname[0] ? cname
			       : na     ? a[0]
					: "?",
			       s->rec.web_host, owner, s->rec.web_host);
	}
	free(owner);
}

/* ----------------------------------------------------------------- HTTP */

struct fetch {
	long code;
	char ctype[128];
	struct buf body;
	bool too_big;
	bool have_cert;
	int cert_days; /* whole days until notAfter; < 0 expired */
	char err[CURL_ERROR_SIZE];
	CURLcode rc;
};

struct fetch_ctx {
	CURL *h;
	struct fetch *f;
};

static size_t S_body(char *p, size_t size, size_t n, void *arg)
{
	struct fetch *f = arg;
	if (f->body.len + size * n > S_MAX_BODY) {
		f->too_big = true;
		return 0;
	}
	buf_put(&f->body, p, size * n);
	return size * n;
}

/* The first header of an answer arrives once TLS is up: the moment to read
 * the server's certificate from the live connection (libcurl hands out
 * OpenSSL's SSL only while it is open). */
static size_t S_header(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	struct fetch_ctx *fc = arg;
	if (!fc->f->have_cert) {
		struct curl_tlssessioninfo *ti = NULL;
		if (curl_easy_getinfo(fc->h, CURLINFO_TLS_SSL_PTR, &ti) == CURLE_OK && ti &&
		    ti->backend == CURLSSLBACKEND_OPENSSL && ti->internals) {
			X509 *x = SSL_get1_peer_certificate(ti->internals);
			int days = 0, secs = 0;
			if (x && ASN1_TIME_diff(&days, &secs, NULL, X509_get0_notAfter(x))) {
				fc->f->have_cert = true;
				fc->f->cert_days = days - (secs < 0 && days <= 0 ? 1 : 0);
			}
			X509_free(x);
		}
	}
	return size * n;
}

/* --ca adds to the system's trust store, as `probe --ca` does (libcurl's
 * CAINFO would replace it). */
static CURLcode S_ssl_ctx(CURL *h, void *ctx, void *arg)
{
	(void)h;
	const char *ca = arg;
	if (X509_STORE_load_file(SSL_CTX_get_cert_store(ctx), ca) != 1)
		return CURLE_SSL_CACERT_BADFILE;
	return CURLE_OK;
}

/* GETs `url`, or POSTs `post` (text/xml) to it. */
static void S_fetch(struct site *s, const char *url, const char *post, struct fetch *f)
{
	*f = (struct fetch){0};
	CURL *h = curl_easy_init();
	struct fetch_ctx fc = {h, f};
	struct curl_slist *to = NULL, *hdr = NULL;
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, S_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, f);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, S_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &fc);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, f->err);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)(s->o->timeout * 1000));
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "mailguide-probe");
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https,http");
	if (s->o->ca_file) {
		curl_easy_setopt(h, CURLOPT_SSL_CTX_FUNCTION, S_ssl_ctx);
		curl_easy_setopt(h, CURLOPT_SSL_CTX_DATA, (void *)s->o->ca_file);
	}
	if (s->o->connect_to) {
		to = curl_slist_append(NULL, s->o->connect_to);
		curl_easy_setopt(h, CURLOPT_CONNECT_TO, to);
	}
	if (post) {
		hdr = curl_slist_append(NULL, "Content-Type: text/xml; charset=utf-8");
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, post);
	}
	f->rc = curl_easy_perform(h);
	if (f->rc == CURLE_OK) {
		char *ct = NULL;
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &f->code);
		if (curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct)
			snprintf(f->ctype, sizeof f->ctype, "%s", ct);
	} else if (f->err[0] == '\0') {
		snprintf(f->err, sizeof f->err, "%s", curl_easy_strerror(f->rc));
	}
	curl_slist_free_all(to);
	curl_slist_free_all(hdr);
	curl_easy_cleanup(h);
}

/* The host of an https URL, for the certificate steps. */
static void S_url_host(const char *url, char *host, size_t size)
{
	host[0] = '\0';
	CURLU *u = curl_url();
	char *h = NULL;
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK)
		snprintf(host, size, "%s", h);
	curl_free(h);
	curl_url_cleanup(u);
}

/* Reports a host's certificate once, from the first request that reached
 * it (or failed on it). */
static void S_cert(struct site *s, const char *url, const struct fetch *f)
{
	char host[256];
	S_url_host(url, host, sizeof host);
	if (strncmp(url, "https:", 6) != 0 || host[0] == '\0')
		return;
	for (size_t i = 0; i < s->n_hosts; i++)
		if (strcasecmp(s->hosts[i].name, host) == 0)
			return;
	if (s->n_hosts == S_MAX_HOSTS)
		return;
	snprintf(s->hosts[s->n_hosts++].name, sizeof s->hosts[0].name, "%s", host);
	if (f->rc == CURLE_PEER_FAILED_VERIFICATION)
		S_step(s, DIAG_ERROR, "tls",
		       "%s: the certificate is refused (%s); install one whose subjectAltName "
		       "lists %s, from a CA clients trust",
		       host, f->err, host);
	else if (f->have_cert && f->cert_days < 0)
		S_step(s, DIAG_ERROR, "tls", "%s: the certificate expired %d days ago; renew it",
		       host, -f->cert_days);
	else if (f->have_cert && f->cert_days < s->o->warn_days)
		S_step(s, DIAG_WARNING, "tls",
		       "%s: the certificate expires in %d days; renew it soon", host, f->cert_days);
	else if (f->have_cert)
		S_step(s, DIAG_NOTE, "tls", "%s: certificate valid for the name, %d more days",
		       host, f->cert_days);
}

/* The common failures of a request, in words: true when it got a 200. */
static bool S_answered(struct site *s, const char *what, const char *method, const char *url,
		       const struct fetch *f)
{
	S_cert(s, url, f);
	if (f->rc != CURLE_OK) {
		S_step(s, DIAG_ERROR, what, "%s %s failed: %s", method, url,
		       f->too_big ? "the answer is larger than 16 MiB" : f->err);
		return false;
	}
	if (f->code == 405 && strcmp(method, "POST") == 0) {
		S_step(s, DIAG_ERROR, what,
		       "POST %s answered 405 Method Not Allowed: the web server refuses POST to "
		       "the "
		       "static file; make it answer POST with the file (nginx: include "
		       "web/nginx-mailguide.conf, whose error_page 405 =200 does it)",
		       url);
		return false;
	}
	if (f->code != 200) {
		S_step(s, DIAG_ERROR, what, "%s %s answered HTTP %ld, not 200%s", method, url,
		       f->code, f->code == 404 ? ": the file is not published there" : "");
		return false;
	}
	return true;
}

/* ------------------------------------------------------------------ XML */

/* The canonical form (C14N 1.0, without comments or whitespace-only text)
 * of an XML document; NULL when it is not well-formed. Caller frees. */
static xmlDocPtr S_parse(const char *data, size_t len)
{
	return xmlReadMemory(data, (int)len, NULL, NULL,
			     XML_PARSE_NOBLANKS | XML_PARSE_NONET | XML_PARSE_NOERROR |
				     XML_PARSE_NOWARNING);
}

static xmlChar *S_c14n(xmlDocPtr doc)
{
	xmlChar *out = NULL;
	if (xmlC14NDocDumpMemory(doc, NULL, XML_C14N_1_0, NULL, 0, &out) < 0)
		return NULL;
	return out;
}

/* Where two element trees first differ: the element's path and both
 * texts (or the names), for a message a provider can act on. */
static bool S_xml_diff(xmlNodePtr a, xmlNodePtr b, struct buf *path, struct buf *msg)
{
	size_t mark = path->len;
	buf_printf(path, "/%s", a ? (const char *)a->name : b ? (const char *)b->name : "?");
	if (!a || !b || !xmlStrEqual(a->name, b->name)) {
		buf_printf(msg, "at %s: served <%s>, built <%s>", buf_str(path),
			   a ? (const char *)a->name : "nothing",
			   b ? (const char *)b->name : "nothing");
		return true;
	}
	xmlNodePtr ca = a->children, cb = b->children;
	for (;;) {
		while (ca && ca->type != XML_ELEMENT_NODE && ca->type != XML_TEXT_NODE)
			ca = ca->next;
		while (cb && cb->type != XML_ELEMENT_NODE && cb->type != XML_TEXT_NODE)
			cb = cb->next;
		if (!ca && !cb)
			break;
		if (ca && cb && ca->type == XML_TEXT_NODE && cb->type == XML_TEXT_NODE) {
			if (!xmlStrEqual(ca->content, cb->content)) {
				buf_printf(msg, "at %s: served '%.60s', built '%.60s'",
					   buf_str(path), (const char *)ca->content,
					   (const char *)cb->content);
				return true;
			}
		} else if (S_xml_diff(ca && ca->type == XML_ELEMENT_NODE ? ca : NULL,
				      cb && cb->type == XML_ELEMENT_NODE ? cb : NULL, path, msg)) {
			return true;
		}
		ca = ca ? ca->next : NULL;
		cb = cb ? cb->next : NULL;
	}
	path->len = mark;
	path->data[mark] = '\0';
	return false;
}

/* Compares a served XML answer with the built file. */
static void S_same_xml(struct site *s, const char *what, const char *url, const struct fetch *f,
		       const char *built_rel)
{
	char *path = path_join(s->o->output, built_rel);
	struct buf built = {0};
	xmlDocPtr want = NULL, got = NULL;
	xmlChar *cw = NULL, *cg = NULL;
	if (file_read(path, &built) != 0 || (want = S_parse(built.data, built.len)) == NULL) {
		S_step(s, DIAG_ERROR, what, "%s cannot be read as XML: run 'mailguide build' first",
		       path);
		goto out;
	}
	if ((got = S_parse(f->body.data ? f->body.data : "", f->body.len)) == NULL) {
		S_step(s, DIAG_ERROR, what, "%s answered something that is not XML (%zu bytes, %s)",
		       url, f->body.len, f->ctype[0] ? f->ctype : "no type");
		goto out;
	}
	cw = S_c14n(want);
	cg = S_c14n(got);
	if (cw && cg && xmlStrEqual(cw, cg)) {
		S_step(s, DIAG_NOTE, what, "%s answers %s as built", url, built_rel);
		goto out;
	}
	struct buf where = {0}, msg = {0};
	if (!S_xml_diff(xmlDocGetRootElement(got), xmlDocGetRootElement(want), &where, &msg))
		buf_puts(&msg, "in its attributes or name spaces");
	S_step(s, DIAG_ERROR, what,
	       "%s answers a stale or different file, not %s as built (%s): publish the build", url,
	       path, buf_str(&msg));
	buf_free(&where);
	buf_free(&msg);
out:
	xmlFree(cw);
	xmlFree(cg);
	xmlFreeDoc(want);
	xmlFreeDoc(got);
	buf_free(&built);
	free(path);
}

/* Outlook's request (POX autodiscover, request schema 2006), written by
 * libxml2 so the address is escaped by construction. Caller frees. */
static char *S_autodiscover_request(const char *email)
{
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr root = xmlNewNode(NULL, BAD_CAST "Autodiscover");
	xmlSetNs(root, xmlNewNs(root, BAD_CAST S_REQUEST_NS, NULL));
	xmlDocSetRootElement(doc, root);
	xmlNodePtr req = xmlNewChild(root, NULL, BAD_CAST "Request", NULL);
	xmlNewTextChild(req, NULL, BAD_CAST "EMailAddress", BAD_CAST email);
	xmlNewTextChild(req, NULL, BAD_CAST "AcceptableResponseSchema", BAD_CAST S_RESPONSE_NS);
	xmlChar *mem = NULL;
	int len = 0;
	xmlDocDumpMemoryEnc(doc, &mem, &len, "UTF-8");
	char *out = xstrndup((const char *)mem, (size_t)len);
	xmlFree(mem);
	xmlFreeDoc(doc);
	return out;
}

/* --------------------------------------------------------------- steps */

static void S_thunderbird(struct site *s)
{
	const char *dom = s->rec.domain;
	struct buf url = {0}, email = {0};
	buf_printf(&email, "%s@%s", S_PROBE_LOCAL, dom);
	char *q = curl_easy_escape(NULL, buf_str(&email), 0);
	struct fetch f;
	buf_printf(&url, "https://autoconfig.%s/mail/config-v1.1.xml?emailaddress=%s", dom, q);
	S_fetch(s, buf_str(&url), NULL, &f);
	if (S_answered(s, "thunderbird", "GET", buf_str(&url), &f))
		S_same_xml(s, "thunderbird", buf_str(&url), &f, "mail/config-v1.1.xml");
	buf_free(&f.body);
	buf_clear(&url);
	buf_printf(&url, "https://%s/.well-known/autoconfig/mail/config-v1.1.xml", dom);
	S_fetch(s, buf_str(&url), NULL, &f);
	if (S_answered(s, "thunderbird", "GET", buf_str(&url), &f))
		S_same_xml(s, "thunderbird", buf_str(&url), &f,
			   ".well-known/autoconfig/mail/config-v1.1.xml");
	buf_free(&f.body);
	curl_free(q);
	buf_free(&url);
	buf_free(&email);
}

static void S_outlook_post(struct site *s, const char *url, const char *body)
{
	struct fetch f;
	S_fetch(s, url, body, &f);
	if (S_answered(s, "outlook", "POST", url, &f))
		S_same_xml(s, "outlook", url, &f, "autodiscover/autodiscover.xml");
	buf_free(&f.body);
}

/* Outlook POSTs to autodiscover.<domain>, and to the target of
 * _autodiscover._tcp (as found in DNS; else as the table would have it). */
static void S_outlook(struct site *s, const struct srv_answer *srv, bool have_srv)
{
	struct buf email = {0}, url = {0};
	buf_printf(&email, "%s@%s", S_PROBE_LOCAL, s->rec.domain);
	char *body = S_autodiscover_request(buf_str(&email));
	buf_printf(&url, "https://autodiscover.%s/autodiscover/autodiscover.xml", s->rec.domain);
	S_outlook_post(s, buf_str(&url), body);
	buf_clear(&url);
	char target[NS_MAXDNAME];
	unsigned port = have_srv ? srv->port : 443;
	snprintf(target, sizeof target, "%s", have_srv ? srv->target : s->rec.web_host);
	size_t tl = strlen(target);
	if (tl > 0 && target[tl - 1] == '.')
		target[tl - 1] = '\0';
	if (target[0] != '\0') {
		if (port == 443)
			buf_printf(&url, "https://%s/autodiscover/autodiscover.xml", target);
		else
			buf_printf(&url, "https://%s:%u/autodiscover/autodiscover.xml", target,
				   port);
		S_outlook_post(s, buf_str(&url), body);
	}
	free(body);
	buf_free(&url);
	buf_free(&email);
}

/* A published file must be byte for byte the built one. */
static bool S_same_bytes(struct site *s, const char *what, const char *url, const struct fetch *f,
			 const char *rel)
{
	char *path = path_join(s->o->output, rel);
	struct buf built = {0};
	bool ok = false;
	if (file_read(path, &built) != 0)
		S_step(s, DIAG_ERROR, what, "%s cannot be read: run 'mailguide build' first", path);
	else if (built.len != f->body.len || memcmp(built.data, f->body.data, built.len) != 0)
		S_step(s, DIAG_ERROR, what,
		       "%s is not %s as built (%zu bytes served, %zu built): publish the build",
		       url, path, f->body.len, built.len);
	else
		ok = true;
	buf_free(&built);
	free(path);
	return ok;
}

/* The Apple profile of the product in the default locale: its type, then
 * its bytes (a signed one is DER: compared as it is). */
static void S_apple(struct site *s)
{
	const char *id = s->rec.product->id;
	struct buf rel = {0}, url = {0};
	buf_printf(&rel, "profiles/%s/%s/%s.mobileconfig", id, s->m->site.default_locale->tag, id);
	buf_printf(&url, "%s%s", s->base_url, buf_str(&rel));
	struct fetch f;
	S_fetch(s, buf_str(&url), NULL, &f);
	if (S_answered(s, "apple", "GET", buf_str(&url), &f)) {
		size_t tl = strcspn(f.ctype, "; ");
		if (tl != strlen("application/x-apple-aspen-config") ||
		    strncasecmp(f.ctype, "application/x-apple-aspen-config", tl) != 0)
			S_step(s, DIAG_ERROR, "apple",
			       "%s is served as '%s', not application/x-apple-aspen-config: Apple "
			       "devices refuse to install it (Apache: the generated .htaccess; "
			       "nginx: "
			       "web/nginx-mailguide.conf)",
			       buf_str(&url), f.ctype[0] ? f.ctype : "no type");
		else if (S_same_bytes(s, "apple", buf_str(&url), &f, buf_str(&rel)))
			S_step(s, DIAG_NOTE, "apple",
			       "%s: application/x-apple-aspen-config, as built", buf_str(&url));
	}
	buf_free(&f.body);
	buf_free(&rel);
	buf_free(&url);
}

/* The help pages: the home page and the sitemap (which lists every page)
 * must be the build's. */
static void S_pages(struct site *s)
{
	static const char *const files[] = {"index.html", "sitemap.xml"};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		struct buf url = {0};
		buf_printf(&url, "%s%s", s->base_url, files[i]);
		struct fetch f;
		S_fetch(s, buf_str(&url), NULL, &f);
		if (S_answered(s, "pages", "GET", buf_str(&url), &f) &&
		    S_same_bytes(s, "pages", buf_str(&url), &f, files[i]))
			S_step(s, DIAG_NOTE, "pages", "%s is the one built", buf_str(&url));
		buf_free(&f.body);
		buf_free(&url);
	}
}

/* ----------------------------------------------------------------- run */

static void S_run(struct site *s)
{
	struct srv_answer found[S_MAX_SRV], ad[S_MAX_SRV];
	for (int i = 0; i < DNS_N_MAIL_SERVICES; i++)
		S_check_srv(s, dns_mail_services[i], found);
	bool have_ad = S_check_srv(s, DNS_AUTODISCOVER_SERVICE, ad) > 0;
	S_check_name(s, "autoconfig");
	S_check_name(s, "autodiscover");
	S_thunderbird(s);
	S_outlook(s, &ad[0], have_ad);
	S_apple(s);
	S_pages(s);
}

int sitecheck_run(const struct sitecheck_opts *o, struct diag *d)
{
	struct model *m = load_content(o->content, d);
	if (m == NULL) {
		diag_flush(d);
		return 1;
	}
	int rc = 2;
	struct site s = {.o = o, .m = m, .base_url = o->base_url ? o->base_url : m->site.base_url};
	const struct model_product *p =
		o->product ? model_product_find(m, o->product) : dns_product_for(m, o->domain);
	if (p == NULL) {
		fprintf(stderr, "mailguide probe: %s\n",
			o->product ? "no such product in the server table"
				   : "no product serves this domain");
		goto out;
	}
	if (!S_resolver(&s, o->resolver)) {
		fprintf(stderr,
			"mailguide probe: --resolver wants an IPv4 address and a port "
			"(127.0.0.1:5353), not '%s'\n",
			o->resolver ? o->resolver : "");
		goto out;
	}
	if (!dns_records_make(m, p, o->domain, &s.rec, d)) {
		diag_flush(d);
		rc = 1;
		goto out;
	}
	diag_flush(d);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	S_run(&s);
	curl_global_cleanup();
	fprintf(stderr, "mailguide probe --site %s: %zu steps: %zu ok, %zu warnings, %zu errors\n",
		s.rec.domain, s.counts[0] + s.counts[1] + s.counts[2], s.counts[0], s.counts[1],
		s.counts[2]);
	rc = s.counts[2] ? 1 : 0;
out:
	dns_records_free(&s.rec);
	if (s.res_open)
		res_nclose(&s.res);
	model_free(m);
	return rc;
}
