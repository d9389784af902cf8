/* incr_cache.h: the guide loader's cache. A rebuild renders only the guides
 * that changed, but to know which did, and to list every guide on the home
 * pages, it needs every document's front matter and a digest of its text:
 * reading and parsing 10,000 files was a third of a one-guide rebuild.
 *
 * The cache (".<output>.docs" beside the output folder) keeps, per
 * document, what the loader made of it (front matter, the text's digest,
 * where the body starts) under the file's stamp: device, inode, size,
 * modification and change times. A document whose file has the same stamp
 * is not read at load; its body is read when its guide is rendered
 * (guide_read_texts). What is cached is exact, or nothing is:
 *   - only a document that loaded without any message is kept (its
 *     messages would be lost otherwise);
 *   - a file modified less than INCR_CACHE_RACY_NS before the load began is
 *     not: a write just after the read could fall in the same tick of the
 *     file system's clock and leave the stamp as it was (FAT keeps times
 *     to 2 s);
 *   - any write moves the change time, which no program can set back
 *     (touch -d sets the modification time);
 *   - products are kept by id and looked up again: one no longer in
 *     servers.yaml makes the document be read (and reported);
 *   - the cache names the mailguide binary that wrote it (its stamp) and
 *     its record format (rec.h): another binary or format starts afresh.
 * A cache that cannot be read is an empty one. It is a cache: the output
 * never depends on it, and `--full` ignores it. */
#ifndef MG_INCR_CACHE_H
#define MG_INCR_CACHE_H

#include <stdbool.h>

#include "guide.h"
#include "util.h"

#define INCR_CACHE_RACY_NS 2000000000LL
#define INCR_CACHE_MAX_PRODUCTS 64 /* a document naming more is not cached */

struct incr_cache;

/* Reads the cache at `path` (NULL: an empty cache); never NULL. Free with
 * incr_cache_free. */
struct incr_cache *incr_cache_open(const char *path);
void incr_cache_free(struct incr_cache *c);
/* The records alone, without the first line (for the fuzzer). */
struct incr_cache *incr_cache_parse(const void *records, size_t len);

/* Fills `doc`'s front matter, digest and body position (strings in `a`)
 * from the record of `rel` (the file's path below the content folder) when
 * it was recorded with `stamp` and every product it names is in `m`; sets
 * doc->cached and returns true. Else changes nothing and returns false.
 * Thread-safe. */
bool incr_cache_take(const struct incr_cache *c, const char *rel, const struct guide_stamp *stamp,
		     const struct model *m, struct arena *a, struct guide_doc *doc);

/* Writes the cache for the documents of `s` (those with a stamp) when it
 * has anything that `c` lacks, or much that is gone. Returns false after
 * reporting a failure to write. */
bool incr_cache_save(const struct incr_cache *c, const char *path, const struct guide_set *s,
		     struct diag *d);

#endif
