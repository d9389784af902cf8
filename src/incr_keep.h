/* incr_keep.h: the incremental layer's reuse of the previous output. It
 * holds what the previous build wrote (per file: size, modification time,
 * inode, from the manifest, incr.h) and keeps a file of it instead of
 * writing the same bytes again, in one way: the file is listed as kept
 * (out_put_kept) and later hard-linked into staging (out_link), so the
 * swap stays atomic and the next build still finds the same inode.
 * Staging starts from the spare when there is one (out.h): then only the
 * files that differ between it and the output are linked.
 *
 * A previous file counts only while it is exactly as that build left it
 * (same size, modification time and inode): anything done to the output
 * by hand makes it be written again. */
#ifndef MG_INCR_KEEP_H
#define MG_INCR_KEEP_H

#include <stdbool.h>
#include <stddef.h>

#include "out.h"

/* What the previous build wrote at a path, as it left it. */
struct incr_keep_file {
	long long size, mtime_ns;
	unsigned long long ino;
};

struct incr_keep;

/* For the output directory `dir` (as out_begin was given it); the table is
 * empty until incr_keep_add. Free with incr_keep_free. */
struct incr_keep *incr_keep_new(const char *dir, unsigned workers);
void incr_keep_free(struct incr_keep *k);

/* Records that the previous build wrote `rel` as `f`; incr_keep_forget
 * empties the table again (a manifest found unusable). Before any file is
 * written. */
void incr_keep_add(struct incr_keep *k, const char *rel, struct incr_keep_file f);
void incr_keep_forget(struct incr_keep *k);

/* Records when the previous build wrote its manifest (nanoseconds since the
 * epoch): after the last change it made to the output. */
void incr_keep_written(struct incr_keep *k, long long mtime_ns);
size_t incr_keep_count(const struct incr_keep *k);

/* The hook for out_write (o->reuse): compares what is to be written with
 * the previous file; the same bytes are kept. */
struct out_reuse incr_keep_reuse(struct incr_keep *k);

/* True when the output directory still holds the previous build's `rel`
 * as it left it; incr_keep_path is where it is (caller frees). */
bool incr_keep_valid(const struct incr_keep *k, const char *rel);
char *incr_keep_path(const struct incr_keep *k, const char *rel);

/* Keeps the previous build's `rel` in `o` without rendering it again;
 * false (and nothing listed) unless incr_keep_valid. */
bool incr_keep_file(const struct incr_keep *k, struct out *o, const char *rel);

/* The previous build's record of `rel`, or NULL. */
const struct incr_keep_file *incr_keep_record(const struct incr_keep *k, const char *rel);

/* True when `o` wrote nothing, kept exactly the previous build's files,
 * and nothing else is in the output directory (a file put there by hand
 * goes with the next build that writes): it need not be swapped. Told by
 * the folders' modification times when every one is older than the
 * previous manifest (a stat each), else by reading every folder. */
bool incr_keep_unchanged(const struct incr_keep *k, const struct out *o);

/* Without a spare, starts hard-linking the files `o` kept so far into a
 * new staging, on threads of their own, so that the caller's next stage
 * (the zips, which only read them) runs meanwhile. `o` must not be written
 * from other threads meanwhile. Once begun, or with a spare, does nothing. */
void incr_keep_link_begin(struct incr_keep *k, struct out *o);

/* Makes staging hold exactly the files `o` produced, once every one is:
 * those it wrote are there; each kept file is hard-linked from the output
 * unless staging has it already, as when staging is the spare (out.h), the
 * output before last, whose files are mostly the same inodes. The spare's
 * other files and folders are removed. Returns false after reporting. */
bool incr_keep_stage(struct incr_keep *k, struct out *o);

#endif
