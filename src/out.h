/* out.h: the write stage. Everything a build produces goes through here into
 * a staging directory beside the output directory; out_commit swaps it in
 * atomically, out_abort throws it away. A failed, interrupted or concurrent
 * build therefore never leaves a half-written or emptied output directory.
 *
 * Paths given to out_write are relative to the output root and are checked:
 * nothing can be written outside it. */
#ifndef MG_OUT_H
#define MG_OUT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "strmap.h"

struct out_linker;

/* What the previous build wrote at a path, as it left it (incremental
 * builds: a file still matching its record is the previous build's). */
struct out_prev_file {
	long long size, mtime_ns;
	unsigned long long ino;
};

/* A folder as a build left it: a file added, removed or renamed in it
 * since changes its modification time (and replacing it, its inode). */
struct out_dir {
	char *rel; /* "." for the root */
	unsigned long long ino;
	long long mtime_ns;
};

struct out_dirs {
	struct out_dir *v;
	size_t n, cap;
};

struct out {
	char *final;    /* the output directory as given */
	char *staging;  /* "<parent>/.<name>.staging.<pid>" while building */
	char *lockfile; /* "<parent>/.<name>.lock" */
	int lockfd;
	int final_fd;   /* the output directory as it was at out_begin (O_PATH); -1: none */
	int verbose;
	unsigned workers; /* threads for linking and removing trees */
	bool chmod_dirs;  /* the umask takes bits of 0755 away: chmod new folders */
	size_t files;   /* files written so far */
	char **written; /* their output-relative paths, in the order written */
	unsigned char *kept; /* per written[i]: 1 when kept from the previous output */
	size_t written_cap;
	size_t fresh;   /* of them, written into staging (not kept) */
	struct diag *diag;
	bool staged;    /* the staging directory exists */
	bool child;     /* made by out_child: writes, but its list goes to a parent */
	struct strmap index;  /* written path -> 1 fresh, 2 kept (not in children) */
	/* Incremental builds: the previous output's files (out_prev_add). */
	struct out_prev_file *prev;
	char **prev_rel;          /* their paths */
	size_t n_prev, prev_cap;
	bool swapped;             /* out_commit swapped: staging holds the previous output */
	bool spared;              /* ... which it then made the spare */
	bool removing;            /* ... which `remover` is removing */
	pthread_t remover;
	struct strmap prev_index; /* path -> index + 1 into prev */
	struct strmap made_dirs;  /* staging folders this out created */
	struct out_linker *linker; /* out_link_begin's, until out_link_kept */
	size_t linker_upto;        /* it links the kept files of written[0..upto) */
	/* The spare: the output before the previous one, which the swap left
	 * beside it. Mostly hard links of the output's files, it becomes the
	 * next staging once the few files that differ are replaced. */
	char *spare;                /* "<parent>/.<name>.spare" */
	struct out_dirs prev_dirs;  /* the output's folders as last built */
	struct out_dirs spare_dirs; /* the spare's, as built when it was the output */
	char **spare_diff;          /* the files where spare and output may differ */
	size_t n_spare_diff;
	struct strmap spare_diff_index;
	struct out_dirs dirs;       /* staging's folders, as swapped in */
	bool spare_decided;         /* out_spare_begin or out_link_begin ran */
	bool use_spare;             /* staging is to be made from `base` */
	char *base;                 /* "<staging>.base": the spare being made staging */
	bool base_made;             /* `base` is a copy of the output made here */
	pthread_t maker;            /* ... by this thread, until joined */
	bool making;
	bool made_ok;               /* the thread's outcome */
	char **unlinked;            /* the files it could not link */
	size_t n_unlinked;
	const char **copy_rel;      /* what it links: these files, */
	unsigned char *copy_fresh;  /* ... from staging where 1, else the output */
	size_t n_copy;
	bool mirror;                /* base is to be a copy of staging (out_mirror_begin) */
	bool mirrored;              /* ... and is: the spare, as spare_dirs and spare_diff say */
	char *trash;                /* an unusable spare, removed after the swap */
};

/* Takes the lock (failing at once with a clear error when another build
 * holds it), removes what an interrupted build left, creates the staging
 * directory. Returns false after reporting an error. */
bool out_begin(struct out *o, const char *dir, unsigned workers, struct diag *d);

/* Writes one file at `rel` (like "pl-pl/index.html"), creating folders. */
bool out_write(struct out *o, const char *rel, const void *data, size_t len);

/* The same for bytes known to differ from the previous build's file (a zip
 * with a changed member): not compared with it first. */
bool out_write_new(struct out *o, const char *rel, const void *data, size_t len);

/* Copies an existing file (an image, an asset) to `rel`. */
bool out_copy(struct out *o, const char *rel, const char *src);

/* The staged file behind `rel`, for a later stage that reads what was
 * written (the zip bundles). Caller frees. */
char *out_staged_path(const struct out *o, const char *rel);

/* The paths written so far, sorted (byte order). Caller frees the array,
 * not the strings, which the out owns. */
const char **out_sorted(const struct out *o);

/* ---- incremental builds (see incr.h) ----
 * With a previous build's file table given (out_prev_add), out_write
 * compares what it is given with the file the previous build left at that
 * path: identical bytes are not written but "kept", and out_link_kept later
 * hard-links every kept file into staging (so the swap stays atomic). When
 * nothing was written and the same files were produced, out_unchanged is
 * true and the output directory is left alone altogether. */

/* Records that the previous build wrote `rel` with this size, mtime and
 * inode. Call before writing anything. */
void out_prev_add(struct out *o, const char *rel, long long size, long long mtime_ns,
		  unsigned long long ino);

/* Forgets the previous build's file table (a manifest found unusable). */
void out_prev_forget(struct out *o);

/* True when the output directory still holds the previous build's `rel`,
 * unchanged since (by size, mtime and inode). */
bool out_prev_valid(const struct out *o, const char *rel);

/* Keeps the previous build's `rel` without rendering it again; false (and
 * nothing recorded) when out_prev_valid is not true. */
bool out_keep(struct out *o, const char *rel);

/* The previous build's record of `rel`, or NULL. */
const struct out_prev_file *out_prev_record(const struct out *o, const char *rel);

/* Forgets the files recorded after the first `mark` (a value of o->files):
 * for a caller that kept some files of a group and then found it cannot
 * keep the rest. Only for files kept, not written. */
void out_rewind(struct out *o, size_t mark);

/* True when `rel` was kept from the previous output (not written). */
bool out_is_kept(const struct out *o, const char *rel);

/* Where to read the file produced at `rel`: the staged file, or for a kept
 * one, the output directory's. Caller frees. */
char *out_read_path(const struct out *o, const char *rel);

/* The path of `rel` in the current (previous build's) output directory.
 * Caller frees. */
char *out_final_path(const struct out *o, const char *rel);

/* "<parent>/.<output name><suffix>": a file beside the output folder,
 * like its lock (".output.lock"). Caller frees. */
char *out_beside(const struct out *o, const char *suffix);
/* The same for the output folder `dir`, before out_begin. */
char *out_beside_dir(const char *dir, const char *suffix);

/* Nothing was written and exactly the previous build's files were kept. */
bool out_unchanged(const struct out *o);

/* Hard-links (or, across file systems, copies) every kept file into
 * staging; call once everything is written, before out_commit. With a
 * spare as described (out_spare_*), moves the written files into it
 * instead, links only the kept files it lacks, and makes it the staging
 * folder. Either way then stamps staging's folders (o->dirs). */
bool out_link_kept(struct out *o);

/* ---- the spare ----
 * out_commit keeps the swapped-out output as the spare instead of removing
 * it. The manifest describes it: its folders as stamped when it was built
 * (out_dir_add to spare_dirs) and the files where it may differ from the
 * output (out_spare_diff_add); every other file of it is a hard link of
 * the output's. Any folder whose stamp differs (a file put in by hand)
 * makes it unusable: it is removed and staging is built by linking. */
/* Decides early how staging will be made, once the previous build's file
 * table is known and the build is likely to write `few` files: from the
 * spare when it is as described; else from a copy of the output by hard
 * links (it becomes the spare of a build that ends up writing nothing).
 * A thread of its own checks the spare's folders and makes the copy while
 * the pages render; out_link_kept waits for it. Otherwise (or with many
 * files to write) out_link_begin links the kept files into a new staging
 * folder and sets the spare aside. */
void out_spare_begin(struct out *o, bool few);

/* For a build that writes nothing: a copy made by out_spare_begin becomes
 * the spare, described by spare_dirs and spare_diff for the manifest
 * (incr_save in place). True when it did. */
bool out_spare_keep(struct out *o);

/* A build that wrote most of its files would leave a spare that differs
 * from the output in most of them, and the next build would link nearly
 * every file again. Such a build makes a copy of staging by hard links
 * instead, on a thread of its own while the zips are made; out_link_kept
 * completes it and out_commit makes it the spare (the swapped-out output
 * is removed). The next build's staging is then ready but for the files it
 * writes. Call once the pages and profiles are written; does nothing for
 * a build that wrote few. */
void out_mirror_begin(struct out *o);

void out_dir_add(struct out_dirs *d, const char *rel, unsigned long long ino, long long mtime_ns);
void out_dirs_free(struct out_dirs *d);
void out_spare_diff_add(struct out *o, const char *rel);

/* The files where the spare-to-be (the current output) and staging
 * differ: those written, and the output's that are not produced again.
 * Sorted; the caller frees the array, not the strings. */
const char **out_spare_diff_next(const struct out *o, size_t *n);

/* Starts linking the files kept so far on threads of their own, so that
 * the caller's next stage (the zips, which only read them) runs at the
 * same time; out_link_kept waits for them, reports what failed and links
 * what was kept since. `o` must not be written from other threads
 * meanwhile (out_child). Creates staging; once begun, does nothing. */
bool out_link_begin(struct out *o);

/* ---- writing from several threads ----
 * out_child makes `child` write into `o`'s staging directory, reporting to
 * `d`, with a list of its own; out_adopt appends that list to `o`'s (in the
 * order the child wrote) and ends the child. Children of one out may write
 * at the same time; `o` itself must not be written meanwhile. */
void out_child(const struct out *o, struct out *child, struct diag *d);
void out_adopt(struct out *o, struct out *child);

/* Swaps the staging directory in for the output directory, and starts
 * removing the previous output on a thread; out_end waits for it. */
bool out_commit(struct out *o);

/* Removes the staging directory and releases the lock; safe after commit. */
void out_end(struct out *o);

/* Removes a directory tree (on `workers` threads); used for staging and
 * old output only. A symbolic link is removed, not followed. */
int out_rmtree(const char *path, unsigned workers);

#endif
