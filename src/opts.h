/* opts.h: the options every command takes (main.c parses them once), as
 * the stages that need them see them. Only data: no stage's header has to
 * include another command's to get them. */
#ifndef MG_OPTS_H
#define MG_OPTS_H

#include <stdbool.h>

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

#endif
