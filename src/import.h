/* import.h: `mailguide import FILE.xml...`: Thunderbird autoconfig files
 * (clientConfig 1.1, config-v1.1.xml) in, servers.yaml entries out.
 *
 * Each file becomes one provider with one product whose servers, methods,
 * logins, patterns, documentation links, webmail page, OAuth2 block and
 * POP3 defaults are the file's, so that `build` writes the same autoconfig
 * file again. What the table cannot hold (an unknown element or attribute,
 * an authentication method mailguide does not know) is reported as a
 * warning at the file's line and column, never dropped silently. Parsed with
 * libxml2: line numbers (xmlGetLineNo), no network, no entity expansion. */
#ifndef MG_IMPORT_H
#define MG_IMPORT_H

#include "diag.h"

struct import_opts {
	char *const *files;
	int n_files;
	const char *output; /* NULL: standard output */
};

/* Returns the exit status: 0 written (warnings allowed), 1 an input could
 * not be read or holds no usable provider, 2 usage. */
int import_run(const struct import_opts *o, struct diag *d);

#endif
