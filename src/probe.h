/* probe.h: `mailguide probe`: checks the server table against the live
 * servers. Every entry of the table (or of one product) is connected to and
 * checked against what the table promises: the port answers; ssl entries
 * complete an implicit TLS handshake, starttls entries advertise and
 * complete STARTTLS, none entries answer in the clear; the certificate
 * verifies, names the host and is not about to expire; the authentication
 * the table names is offered. No credentials are ever sent. */
#ifndef MG_PROBE_H
#define MG_PROBE_H

#include <stdbool.h>

#include "diag.h"

struct probe_opts {
	const char *content; /* the content directory; servers.yaml is read from it */
	const char *product; /* only this product's servers; NULL for all */
	double timeout;      /* seconds per entry, for all its steps together */
	const char *ca_file; /* an extra CA to trust; NULL for the system's only */
	int jobs;            /* connections at the same time, >= 1 */
	bool json;           /* results as JSON on stdout instead of diagnostics */
	int warn_days;       /* a certificate expiring sooner is a warning */
};

/* Probes and reports. Returns the exit status: 0 every entry holds
 * (warnings allowed), 1 an entry failed or the content has errors, 2 a
 * usage error (unknown product, unreadable CA file). */
int probe_run(const struct probe_opts *o, struct diag *d);

#endif
