/* serve.h: `mailguide serve`: builds, serves the output on 127.0.0.1,
 * builds again when the content or templates change, and reloads the pages
 * open in a browser (serve.c says how). */
#ifndef MG_SERVE_H
#define MG_SERVE_H

#include <stdbool.h>

#include "build.h"
#include "diag.h"

struct serve_opts {
	unsigned port; /* 0: any free port (the address is printed) */
};

/* Runs until SIGINT or SIGTERM. Every build is `opts`'s, as build_run runs
 * it, with `d`'s switches; its diagnostics go to standard error and to the
 * pages. Returns the exit status: 0 stopped by a signal, 1 when it could
 * not start (the port taken, nothing to watch). */
int serve_run(const struct build_opts *opts, const struct serve_opts *so, struct diag *d);

/* The Content-Type a file is served with, by its name's extension. */
const char *serve_mime_type(const char *path);

/* True when a request's (percent-decoded) path may name a file of the
 * output: absolute, no backslash, no empty, "." or ".." component and no
 * hidden name but .well-known. */
bool serve_path_ok(const char *url);

#endif
