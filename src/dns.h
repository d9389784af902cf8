/* dns.h: the DNS records that make the server table discoverable, and
 * `mailguide dns`, which prints them as a zone-file fragment (RFC 1035).
 *
 * Per product and email domain: one SRV record per server entry under the
 * RFC 6186 / RFC 8314 labels (_imaps, _imap, _pop3s, _pop3, _submissions,
 * _submission), "." for a label the product does not offer, Outlook's
 * _autodiscover._tcp SRV, and the autoconfig and autodiscover names as
 * CNAMEs of site.yaml's discovery_host. sitecheck.c compares what DNS
 * answers with the same records. */
#ifndef MG_DNS_H
#define MG_DNS_H

#include <stdbool.h>

#include "diag.h"
#include "model.h"

enum { DNS_N_MAIL_SERVICES = 6 };

/* The mail service labels in the order the records are printed, and the
 * label of Outlook's SRV record. */
extern const char *const dns_mail_services[DNS_N_MAIL_SERVICES];
#define DNS_AUTODISCOVER_SERVICE "_autodiscover._tcp"

struct dns_srv {
	const char *service; /* "_imaps._tcp", static */
	unsigned priority, weight, port;
	char *target; /* "ssl0.example.net." (absolute), "mail" (relative), "." */
	const struct model_server *server; /* the table's entry; NULL for "." and autodiscover */
};

/* The records of one product for one domain (or for any domain, with
 * owner names relative to the zone's origin). */
struct dns_records {
	const struct model_product *product;
	char *domain;        /* lower case, no final dot; NULL: relative names */
	struct dns_srv *srv; /* mail services in dns_mail_services order, then autodiscover */
	size_t n_srv;
	char *web_host; /* "web.example.net.", what autoconfig/autodiscover point at */
};

/* The product that serves `domain`: the first listing it, else the first
 * serving any domain; NULL when none does. */
const struct model_product *dns_product_for(const struct model *m, const char *domain);

/* Makes the records of product `p` for `domain` (NULL: any domain).
 * Reports through `d`, at the table's positions, what DNS cannot say (a
 * host made of the address's local part) and errors (no discovery_host, a
 * host that needs the domain when none is given); returns false on an
 * error. Free with dns_records_free (also after a failure). */
bool dns_records_make(const struct model *m, const struct model_product *p, const char *domain,
		      struct dns_records *r, struct diag *d);
void dns_records_free(struct dns_records *r);

/* The owner name of `service` ("_imaps._tcp", "autoconfig") in r's
 * domain: absolute with a final dot, or relative. Caller frees. */
char *dns_owner(const struct dns_records *r, const char *service);

/* Appends the records to `out` as zone-file lines with this TTL. */
void dns_records_zone(const struct dns_records *r, unsigned ttl, struct buf *out);

/* True when `s` is a host name (letters, digits, hyphens; dot-separated
 * labels of 1-63 bytes; 253 bytes at most). */
bool dns_name_ok(const char *s);

struct dns_opts {
	const char *content; /* the content directory */
	const char *product; /* or NULL: every product (the one serving `domain`) */
	const char *domain;  /* or NULL: every listed domain, relative names for "*" */
	unsigned ttl;
};

/* `mailguide dns`: prints the records on standard output. Returns the exit
 * status: 0 done, 1 errors in the content, 2 usage errors. */
int dns_run(const struct dns_opts *o, struct diag *d);

#endif
