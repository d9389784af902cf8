/* cfile.h: the one way the load stage opens a file of the content directory
 * (site.yaml, servers.yaml, strings/, guides, their images), so that every
 * reader applies the same rules:
 *
 *   - the file, once every symbolic link is resolved, must lie inside the
 *     content directory (resolved too): a link to /etc/passwd or to ../x is
 *     refused, a link to another file of content/ is fine;
 *   - it must be a regular file (not a FIFO or device, which would hang
 *     or never end);
 *   - it must not be larger than its limit (CFILE_MAX_TEXT for YAML and
 *     Markdown, CFILE_MAX_IMAGE for images).
 *
 * Errors are reported as "<path>: error: ..." through the diag. */
#ifndef MG_CFILE_H
#define MG_CFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "diag.h"
#include "util.h"

#define CFILE_MAX_TEXT ((size_t)8 << 20)   /* 8 MiB: a YAML or Markdown file */
#define CFILE_MAX_IMAGE ((size_t)32 << 20) /* 32 MiB: an image of a guide */

enum cfile_status {
	CFILE_OK,
	CFILE_MISSING, /* no such file (not reported: the caller decides) */
	CFILE_ERROR    /* reported */
};

/* Checks `path` (a path below `root`, as diagnostics should name it) against
 * the rules above, with `max` bytes as its size limit. */
enum cfile_status cfile_check(const char *root, const char *path, size_t max, struct diag *d);

/* Checks, then reads the whole file into *out (NUL-terminated, appended). */
enum cfile_status cfile_read(const char *root, const char *path, size_t max, struct buf *out,
			     struct diag *d);

/* The same for a caller that reads many files: `rootfd` is `root` opened
 * with cfile_root_open (or -1), so each file takes one open beneath it. */
enum cfile_status cfile_check_at(int rootfd, const char *root, const char *path, size_t max,
				 struct diag *d);
/* With `st` not NULL, cfile_read_at also gives the file's status as opened. */
enum cfile_status cfile_read_at(int rootfd, const char *root, const char *path, size_t max,
				struct buf *out, struct stat *st, struct diag *d);
/* `root` opened for cfile_*_at (O_PATH: it reads nothing); -1 when it
 * cannot be (the readers then open it each time). The caller closes it. */
int cfile_root_open(const char *root);

/* True when `path` resolves inside `root` (both resolved with realpath);
 * false when not, or when either cannot be resolved. */
bool cfile_inside(const char *root, const char *path);

#endif
