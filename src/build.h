/* build.h: the driver of `mailguide build`: load, render, write, swap. */
#ifndef MG_BUILD_H
#define MG_BUILD_H

#include "diag.h"
#include "paths.h"
#include "sign.h"

struct build_opts {
	const char *content;   /* -C, default "content" */
	const char *templates; /* -t, default "templates" */
	const char *output;    /* -o, default "output" */
	int verbose;
	struct sign_opts sign; /* --sign-*: overrides site.yaml's signing */
	int jobs;              /* build --jobs: worker threads; 0: one per online CPU */
	bool full;             /* build --full: render everything, ignore the last build */
};

/* The signer for Apple profiles: the command line's if given, else the
 * site's (site.yaml signing:), else none. Sets *signer to NULL when nothing
 * signs; returns false after reporting a file that cannot be used. */
struct model;
struct signer;
bool build_signer(const struct sign_opts *cli, const struct model *m, struct signer **signer,
		  struct diag *d);

/* `mailguide profile`: one personalized profile. */
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
int build_profile(const struct build_opts *opts, const struct profile_opts *po,
		  struct diag *d);

/* Runs a whole build. Returns the exit status: 0 done, 1 errors in the
 * content or while writing (the previous output is then left untouched). */
int build_run(const struct build_opts *opts, struct diag *d);

#endif
