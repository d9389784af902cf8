/* sitecheck.h: `mailguide probe --site DOMAIN`: checks a published
 * deployment the way mail clients meet it. For one email domain it looks
 * up the SRV records and the autoconfig/autodiscover names and compares
 * them with the table (dns.h); fetches Thunderbird's two autoconfig URLs
 * and sends Outlook's autodiscover POST (to the autodiscover name and to
 * the SRV target) and compares the answers, as XML, with the files the
 * build made; fetches the Apple profile (its type and bytes) and the help
 * pages at the base URL; and checks every host's certificate (valid for
 * the name, days left). Each step is reported ok, warning or error with
 * what to fix. */
#ifndef MG_SITECHECK_H
#define MG_SITECHECK_H

#include "diag.h"

struct sitecheck_opts {
	const char *content;  /* the content directory (the table, site.yaml) */
	const char *output;   /* the build's output directory, compared with what is served */
	const char *domain;   /* the email domain to check */
	const char *base_url; /* or NULL: site.yaml's base_url */
	const char *product;  /* or NULL: the product serving the domain */
	const char *resolver; /* "IPv4[:PORT]" to ask instead of the system's resolvers, or NULL */
	const char *connect_to; /* curl's CONNECT_TO "HOST:PORT:CHOST:CPORT" (tests, staging), or
				   NULL */
	const char *ca_file;    /* also trust these CA certificates (PEM), or NULL */
	double timeout;         /* seconds per DNS query and per HTTP request */
	int warn_days;          /* a certificate expiring sooner is a warning */
	int quiet;              /* print errors only */
};

/* Runs every step and prints one line per step on standard output, then a
 * summary on standard error. Returns the exit status: 0 no error
 * (warnings allowed), 1 an error or errors in the content, 2 a usage
 * error (unknown product, a domain no product serves, a bad --resolver). */
int sitecheck_run(const struct sitecheck_opts *o, struct diag *d);

#endif
