/* out.h: the write stage. Everything a build produces goes through here into
 * a staging directory beside the output directory; out_commit swaps it in
 * atomically; out_end without a commit throws it away. A failed, interrupted or concurrent
 * build therefore never leaves a half-written or emptied output directory.
 *
 * It does four things: takes the output's lock, stages files, swaps the
 * staging directory in, removes what is swapped out. What a build may keep
 * of the previous output is not decided here: an incremental build gives a
 * reuse hook (struct out_reuse, incr_keep.h), which is asked before each
 * file is written and keeps the previous file instead; the files it kept
 * are listed as such (out_files.kept) for it to link into staging. It may
 * also name a spare (out.spare): the output before last, which staging then
 * starts from and the swapped-out output becomes, instead of being made and
 * removed file by file (incr_keep.h mends it).
 *
 * Paths given to out_write are relative to the output root and are checked
 * (paths_rel_ok): nothing can be written outside it. */
#ifndef MG_OUT_H
#define MG_OUT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "strmap.h"

/* Asked by out_write before writing `rel`: true when the previous build's
 * file there holds exactly these bytes and is kept instead. */
struct out_reuse {
	bool (*same)(void *arg, const char *rel, const void *data, size_t len);
	void *arg;
};

/* A written file as its descriptor's fstat left it when closed: what the
 * incremental manifest records (incr_save), with no stat of each path. */
struct out_stat {
	long long size, mtime_ns;
	unsigned long long ino;
};

/* The files produced, in the order produced. */
struct out_files {
	char **rel;          /* output-relative paths (owned) */
	unsigned char *kept; /* per file: 1 when kept from the previous output */
	struct out_stat *st; /* per file: its stat when written; zero when kept */
	size_t n;
	size_t fresh; /* of them, written into staging (not kept) */
};

struct out {
	char *final;      /* the output directory as given */
	char *staging;    /* "<parent>/.<name>.staging.<pid>" */
	int lockfd;       /* holds the lock on "<parent>/.<name>.lock"; -1: none */
	unsigned workers; /* threads for removing trees */
	int verbose;
	bool chmod_dirs;  /* the umask takes bits of 0755 away: chmod new folders */
	bool chmod_files; /* ... of 0644: fchmod new files */
	bool staged;      /* the staging directory exists ... */
	int staging_fd;   /* ... and is open here (O_PATH): files are made below it */
	bool own_fd;      /* this out opened staging_fd (a child may share its parent's) */
	char *spare;      /* "<parent>/.<name>.spare" (the root's own; NULL: none) */
	bool child;       /* made by out_child: writes, but its list goes to a parent */
	struct diag *diag;
	struct out_files files;
	struct strmap index;     /* path -> 1 written, 2 kept, 3 forgotten (not in children) */
	struct strmap made_dirs; /* staging folders this out created */
	struct out_reuse reuse;  /* or {NULL} */
	pthread_t remover;       /* removing what out_commit swapped out */
	bool removing;
};

/* Takes the lock (failing at once with a clear error when another build
 * holds it), removes what an interrupted build left, names the staging
 * directory (made with the first file). Returns false after reporting. */
bool out_begin(struct out *o, const char *dir, unsigned workers, struct diag *d);

/* Writes one file at `rel` (like "pl-pl/index.html"), creating folders;
 * or, when o->reuse says the previous file has these bytes, keeps it. */
bool out_write(struct out *o, const char *rel, const void *data, size_t len);

/* The same for bytes known to differ from the previous build's file (a zip
 * with a changed member): the reuse hook is not asked. */
bool out_write_new(struct out *o, const char *rel, const void *data, size_t len);

/* For a writer that streams a file too large to hold in memory (the site
 * zip) and that the previous output cannot hold (the reuse hook is not
 * asked): creates `rel` in staging, with its folders, open for reading and
 * writing; returns the descriptor, or -1 after reporting. out_close_new
 * closes it and lists `rel` as written when `ok`, else removes it;
 * it returns false when the file is not listed (a failure is reported). */
int out_open_new(struct out *o, const char *rel);
bool out_close_new(struct out *o, const char *rel, int fd, bool ok);

/* Copies an existing file (an image, an asset) to `rel`. */
bool out_copy(struct out *o, const char *rel, const char *src);

/* Puts a hard link of the file `rel` below the folder open as `from_dfd`
 * (the previous output) at `rel` in staging, making its folders: the one
 * way a kept file gets into staging. Lists nothing (out_put_kept did).
 * Children of one out may link at the same time; staging exists
 * (out_stage). Returns false with errno set, reporting nothing. */
bool out_link(struct out *o, int from_dfd, const char *rel);

/* Lists `rel` as produced by keeping the previous output's file (which the
 * caller, the reuse layer, has checked and will link into staging). */
bool out_put_kept(struct out *o, const char *rel);

/* Forgets the files listed after the first `mark` (a value of
 * o->files.n): for a caller that kept some files of a group and then
 * found it cannot keep the rest. Only for kept files, not written ones. */
void out_rewind(struct out *o, size_t mark);

/* True when `rel` was kept from the previous output (not written). */
bool out_is_kept(const struct out *o, const char *rel);

/* Makes the staging directory if no file did yet (a build that only drops
 * files still swaps). Returns false after reporting. */
bool out_stage(struct out *o);

/* The staged file behind `rel`. Caller frees. */
char *out_staged_path(const struct out *o, const char *rel);

/* Where to read the file produced at `rel`: the staged file, or for a kept
 * one (not linked yet), the output directory's. Caller frees. */
char *out_read_path(const struct out *o, const char *rel);

/* The paths produced so far, sorted (byte order). Caller frees the array,
 * not the strings, which the out owns. */
const char **out_sorted(const struct out *o);

/* The same order as indices into o->files. Caller frees. */
size_t *out_order(const struct out *o);

/* "<parent>/.<output name><suffix>": a file beside the output folder,
 * like its lock (".output.lock"). Caller frees. */
char *out_beside(const char *dir, const char *suffix);

/* ---- writing from several threads ----
 * out_child makes `child` write into `o`'s staging directory, reporting to
 * `d`, with a list of its own; out_adopt appends that list to `o`'s (in the
 * order the child wrote) and ends the child. Children of one out may write
 * at the same time; `o` itself must not be written meanwhile. */
void out_child(const struct out *o, struct out *child, struct diag *d);
void out_adopt(struct out *o, struct out *child);

/* Swaps the staging directory in for the output directory, and starts
 * removing the previous output on a thread; out_end waits for it. Every
 * kept file must be in staging by then (incr_keep_link). */
bool out_commit(struct out *o);

/* Removes the staging directory (or waits for the swapped-out output to
 * be removed) and releases the lock; safe after commit. */
void out_end(struct out *o);

/* Removes a directory tree (on `workers` threads); used for staging and
 * old output only. A symbolic link is removed, not followed. */
int out_rmtree(const char *path, unsigned workers);

/* Writes one file outside a build (a command's single result): `len`
 * bytes through a temporary file beside `path`, synced, then renamed over
 * `path` when `replace`, else linked to it, which fails rather than replace
 * a file that exists. Returns 0 or the errno of the step that failed. */
int out_write_file(const char *path, const void *data, size_t len, bool replace);

#endif
