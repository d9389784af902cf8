/* profile_cmd.h: `mailguide profile`, one personalized profile written to
 * a file or standard output (the site's profiles are made by build.c). */
#ifndef MG_PROFILE_CMD_H
#define MG_PROFILE_CMD_H

#include "diag.h"
#include "opts.h"
#include "paths.h"

struct profile_opts {
	const char *product; /* a product id */
	enum paths_client client;
	const char *email;
	const char *name;   /* or NULL */
	const char *locale; /* or NULL: the default locale */
	const char *file;   /* or NULL / "-": standard output */
};

/* Loads the content, renders the profile and writes it (atomically when
 * to a file). Returns the exit status: 0 done, 1 errors in the content or
 * while writing, 2 a usage error (unknown product or locale, an address
 * that cannot be used, signing asked for a client other than apple). */
int profile_cmd_run(const struct build_opts *opts, const struct profile_opts *po, struct diag *d);

#endif
