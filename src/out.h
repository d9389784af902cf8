/* out.h: the write stage. Everything a build produces goes through here into
 * a staging directory beside the output directory; out_commit swaps it in
 * atomically, out_abort throws it away. A failed, interrupted or concurrent
 * build therefore never leaves a half-written or emptied output directory.
 *
 * Paths given to out_write are relative to the output root and are checked:
 * nothing can be written outside it. */
#ifndef MG_OUT_H
#define MG_OUT_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

struct out {
	char *final;    /* the output directory as given */
	char *staging;  /* "<parent>/.<name>.staging.<pid>" while building */
	char *lockfile; /* "<parent>/.<name>.lock" */
	int lockfd;
	int verbose;
	size_t files;   /* files written so far */
	char **written; /* their output-relative paths, in the order written */
	size_t written_cap;
	struct diag *diag;
};

/* Takes the lock (failing at once with a clear error when another build
 * holds it), removes what an interrupted build left, creates the staging
 * directory. Returns false after reporting an error. */
bool out_begin(struct out *o, const char *dir, struct diag *d);

/* Writes one file at `rel` (like "pl-pl/index.html"), creating folders. */
bool out_write(struct out *o, const char *rel, const void *data, size_t len);

/* Copies an existing file (an image, an asset) to `rel`. */
bool out_copy(struct out *o, const char *rel, const char *src);

/* The staged file behind `rel`, for a later stage that reads what was
 * written (the zip bundles). Caller frees. */
char *out_staged_path(const struct out *o, const char *rel);

/* The paths written so far, sorted (byte order). Caller frees the array,
 * not the strings, which the out owns. */
const char **out_sorted(const struct out *o);

/* True when `rel` is a safe relative path: no "..", ".", empty or hidden-
 * by-accident parts, no backslash, no control characters, no name Windows
 * reserves (out_name_reserved). */
bool out_path_ok(const char *rel);

/* True when the `n` bytes at `name` (one path component) are a name Windows
 * reserves for devices: CON, PRN, AUX, NUL, COM1-9, LPT1-9, in any case and
 * with any extension. Loaders refuse them in ids, slugs and locale tags. */
bool out_name_reserved(const char *name, size_t n);

/* Swaps the staging directory in for the output directory. */
bool out_commit(struct out *o);

/* Removes the staging directory and releases the lock; safe after commit. */
void out_end(struct out *o);

/* Removes a directory tree; used for staging and old output only. */
int out_rmtree(const char *path);

#endif
