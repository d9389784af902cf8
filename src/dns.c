/* dns.c: the records that let mail clients find a product's servers, and
 * `mailguide dns`. Stage: after load; reads the immutable model and writes
 * zone-file text (RFC 1035 master file syntax) to standard output.
 *
 * Why a command and not a file in output/: the records go into the
 * provider's DNS, not onto the web server, and the zone they go into is
 * chosen per email domain (--domain), which a site build does not know.
 *
 * Priorities follow the table's order of preference: incoming entries are
 * numbered across IMAP and POP3 together, so a client that speaks both
 * compares _imaps and _pop3s priorities as RFC 6186 section 3.4 says;
 * outgoing entries are numbered across _submissions and _submission
 * (RFC 8314 section 5.1). Weights are 0: the table says nothing about load
 * sharing (RFC 2782: 0 when there is no server selection to do). */
#include "dns.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "load.h"
#include "util.h"

#define S_TEMPLATE "%EMAILDOMAIN%"

const char *const dns_mail_services[DNS_N_MAIL_SERVICES] = {
	"_imaps._tcp", "_imap._tcp",        "_pop3s._tcp",
	"_pop3._tcp",  "_submissions._tcp", "_submission._tcp"};

/* The label of a server entry: implicit TLS has its own ("s") label; a
 * starttls entry and a plain one share the other (clients try STARTTLS on
 * it, RFC 8314 section 5.1). */
static int S_service(const struct model_server *s)
{
	int base = s->protocol == PROTO_IMAP ? 0 : s->protocol == PROTO_POP3 ? 2 : 4;
	return base + (s->security == SEC_SSL ? 0 : 1);
}

static char *S_lower(const char *s)
{
	char *c = xstrdup(s);
	for (char *p = c; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return c;
}

const struct model_product *dns_product_for(const struct model *m, const char *domain)
{
	const struct model_product *any = NULL;
	for (size_t i = 0; i < m->n_providers; i++)
		for (size_t j = 0; j < m->providers[i].n_products; j++) {
			const struct model_product *p = &m->providers[i].products[j];
			for (size_t k = 0; k < p->n_domains; k++)
				if (strcasecmp(p->domains[k], domain) == 0)
					return p;
			if (p->any_domain && any == NULL)
				any = p;
		}
	return any;
}

/* The SRV target for `host` in `domain` (NULL: relative names). A host
 * templated on the address's domain ("mail.%EMAILDOMAIN%") is filled in,
 * or in a fragment for any domain written relative to the zone's origin
 * ("mail"; "@" for the domain itself). Returns NULL, with *why set, when
 * DNS cannot say it: another template (the local part differs per user),
 * or the domain in another place with no domain given. */
static char *S_target(const char *host, const char *domain, const char **why)
{
	const char *t = strstr(host, S_TEMPLATE);
	size_t tl = strlen(S_TEMPLATE);
	if (t != NULL && strchr(t + tl, '%') == NULL &&
	    memchr(host, '%', (size_t)(t - host)) == NULL) {
		struct buf b = {0};
		if (domain != NULL) {
			buf_printf(&b, "%.*s%s%s.", (int)(t - host), host, domain, t + tl);
		} else if (t[tl] != '\0') {
			*why = "names the address's domain other than at its end; give --domain";
			return NULL;
		} else if (t == host) {
			buf_puts(&b, "@");
		} else if (t[-1] == '.') {
			buf_printf(&b, "%.*s", (int)(t - host - 1), host);
		} else {
			*why = "names the address's domain inside a label; give --domain";
			return NULL;
		}
		char *low = S_lower(buf_str(&b));
		buf_free(&b);
		return low;
	}
	if (strchr(host, '%') != NULL) {
		*why = "depends on each user's address, which DNS cannot say";
		return NULL;
	}
	struct buf b = {0};
	buf_printf(&b, "%s.", host);
	char *low = S_lower(buf_str(&b));
	buf_free(&b);
	return low;
}

static void S_add(struct dns_records *r, const char *service, unsigned prio, unsigned port,
		  char *target, const struct model_server *s)
{
	r->srv = xrealloc(r->srv, (r->n_srv + 1) * sizeof *r->srv);
	r->srv[r->n_srv++] = (struct dns_srv){service, prio, 0, port, target, s};
}

/* Adds the entries of one list (incoming or outgoing) for `service`. */
static bool S_list(struct dns_records *r, const struct model_server *list, size_t n, int service,
		   struct diag *d)
{
	bool ok = true;
	for (size_t i = 0; i < n; i++) {
		const struct model_server *s = &list[i];
		if (S_service(s) != service)
			continue;
		const char *why = NULL;
		char *target = S_target(s->host, r->domain, &why);
		if (target == NULL) {
			/* A per-user host is no error: the profiles still carry it. */
			bool user = strstr(why, "each user") != NULL;
			diag_report(d, user ? DIAG_WARNING : DIAG_ERROR, s->pos.file, s->pos.line,
				    s->pos.col, "no %s record for host '%s': it %s",
				    dns_mail_services[service], s->host, why);
			ok &= user;
			continue;
		}
		S_add(r, dns_mail_services[service], (unsigned)i, s->port, target, s);
	}
	return ok;
}

bool dns_records_make(const struct model *m, const struct model_product *p, const char *domain,
		      struct dns_records *r, struct diag *d)
{
	*r = (struct dns_records){.product = p, .domain = domain ? S_lower(domain) : NULL};
	if (m->site.discovery_host == NULL) {
		/* The loaded model always has its default locale, read from
		 * site.yaml: its position names that file. */
		diag_error(
			d, m->site.default_locale->pos.file, 1, 1,
			"'discovery_host' is not set: name the web host that serves the output's "
			"discovery files at its root (autoconfig and autodiscover point at it)");
		return false;
	}
	bool ok = true;
	for (int sv = 0; sv < DNS_N_MAIL_SERVICES; sv++) {
		size_t before = r->n_srv;
		if (sv < 4)
			ok &= S_list(r, p->incoming, p->n_incoming, sv, d);
		else
			ok &= S_list(r, p->outgoing, p->n_outgoing, sv, d);
		if (r->n_srv == before) /* RFC 6186 section 3.4: "." says "not offered" */
			S_add(r, dns_mail_services[sv], 0, 0, xstrdup("."), NULL);
	}
	struct buf b = {0};
	buf_printf(&b, "%s.", m->site.discovery_host);
	r->web_host = S_lower(buf_str(&b));
	buf_free(&b);
	S_add(r, DNS_AUTODISCOVER_SERVICE, 0, 443, xstrdup(r->web_host), NULL);
	return ok;
}

void dns_records_free(struct dns_records *r)
{
	for (size_t i = 0; i < r->n_srv; i++)
		free(r->srv[i].target);
	free(r->srv);
	free(r->domain);
	free(r->web_host);
	*r = (struct dns_records){0};
}

char *dns_owner(const struct dns_records *r, const char *service)
{
	struct buf b = {0};
	if (r->domain)
		buf_printf(&b, "%s.%s.", service, r->domain);
	else
		buf_puts(&b, service);
	return buf_detach(&b);
}

static void S_line(struct buf *out, const struct dns_records *r, const char *owner_label,
		   unsigned ttl, const char *rdata)
{
	char *owner = dns_owner(r, owner_label);
	buf_printf(out, "%-*s %u IN %s\n", r->domain ? 40 : 20, owner, ttl, rdata);
	free(owner);
}

void dns_records_zone(const struct dns_records *r, unsigned ttl, struct buf *out)
{
	const struct model_product *p = r->product;
	buf_printf(out, "; %s (%s) of %s: ", p->name.fallback, p->id, p->provider->name.fallback);
	if (r->domain)
		buf_printf(out, "records of %s\n", r->domain);
	else
		buf_puts(out, "names relative to the zone's origin; put them in the zone of\n"
			      "; every domain whose mail this product serves\n");
	char rdata[600];
	for (size_t i = 0; i < r->n_srv; i++) {
		const struct dns_srv *s = &r->srv[i];
		snprintf(rdata, sizeof rdata, "SRV %u %u %u %s", s->priority, s->weight, s->port,
			 s->target);
		S_line(out, r, s->service, ttl, rdata);
	}
	snprintf(rdata, sizeof rdata, "CNAME %s", r->web_host);
	S_line(out, r, "autoconfig", ttl, rdata);
	S_line(out, r, "autodiscover", ttl, rdata);
}

/* ------------------------------------------------------- the command */

static bool S_serves(const struct model_product *p, const char *domain)
{
	for (size_t k = 0; k < p->n_domains; k++)
		if (strcasecmp(p->domains[k], domain) == 0)
			return true;
	return p->any_domain;
}

/* Appends the fragments of `p`: for `domain`, or for each domain it lists
 * and once with relative names when it serves any domain. */
static bool S_product(const struct model *m, const struct model_product *p, const char *domain,
		      unsigned ttl, struct buf *out, struct diag *d)
{
	bool ok = true;
	size_t n = domain ? 1 : p->n_domains + (p->any_domain ? 1 : 0);
	for (size_t i = 0; i < n; i++) {
		const char *dom = domain ? domain : i < p->n_domains ? p->domains[i] : NULL;
		struct dns_records r;
		if (dns_records_make(m, p, dom, &r, d)) {
			if (out->len)
				buf_putc(out, '\n');
			dns_records_zone(&r, ttl, out);
		} else {
			ok = false;
		}
		dns_records_free(&r);
	}
	return ok;
}

bool dns_name_ok(const char *s)
{
	size_t len = strlen(s), label = 0;
	if (len == 0 || len > 253)
		return false;
	for (const char *p = s; *p; p++)
		if (*p == '.') {
			if (label == 0)
				return false;
			label = 0;
		} else if ((isalnum((unsigned char)*p) || *p == '-') && ++label <= 63) {
			continue;
		} else {
			return false;
		}
	return label > 0;
}

int dns_run(const struct dns_opts *o, struct diag *d)
{
	if (o->domain && !dns_name_ok(o->domain)) {
		fprintf(stderr, "mailguide dns: '%s' is not a domain name\n", o->domain);
		return 2;
	}
	struct model *m = load_content(o->content, d);
	if (m == NULL) {
		diag_flush(d);
		return 1;
	}
	int rc = 0;
	const struct model_product *only = NULL;
	if (o->product && (only = model_product_find(m, o->product)) == NULL) {
		fprintf(stderr, "mailguide dns: no product '%s' in the server table\n", o->product);
		rc = 2;
	} else if (o->domain && only && !S_serves(only, o->domain)) {
		fprintf(stderr,
			"mailguide dns: product '%s' does not serve '%s' (see its domains)\n",
			o->product, o->domain);
		rc = 2;
	} else if (o->domain && !only && (only = dns_product_for(m, o->domain)) == NULL) {
		fprintf(stderr, "mailguide dns: no product serves '%s'\n", o->domain);
		rc = 2;
	}
	if (rc != 0)
		goto out;
	struct buf text = {0};
	bool ok = true;
	for (size_t i = 0; i < m->n_providers; i++)
		for (size_t j = 0; j < m->providers[i].n_products; j++) {
			const struct model_product *p = &m->providers[i].products[j];
			if (only == NULL || only == p)
				ok &= S_product(m, p, o->domain, o->ttl, &text, d);
		}
	diag_flush(d);
	if (ok)
		fputs(buf_str(&text), stdout);
	buf_free(&text);
	rc = ok ? 0 : 1;
out:
	model_free(m);
	return rc;
}
