/* bundle.h: the zip stage. Runs after every other file is staged and packs
 * what was written into deterministic zips with libzip:
 *   downloads/<product>-<locale>.zip  one product's profile kit in one language
 *                                     (the folder profiles/<product>/<locale>/)
 *   downloads/site.zip                the whole web root, for uploading anywhere
 * Entries are sorted, stamped with one fixed time and fixed permissions, so
 * the same input gives the same bytes on any machine, at any time. They are
 * deflated at level 3, but for files compressed already (images, archives),
 * which are stored. */
#ifndef MG_BUNDLE_H
#define MG_BUNDLE_H

#include <stdbool.h>
#include <time.h>

#include "incr_keep.h"
#include "model.h"
#include "out.h"

/* `epoch` is the time every entry carries (SOURCE_DATE_EPOCH or the newest
 * input's mtime, chosen by the driver). In an incremental build (`keep`
 * not NULL), entries of members kept from the previous output are copied
 * from the previous zips
 * without deflating them again; with `reuse` (the previous zips carry the
 * same epoch) a zip whose members were all kept is kept whole. `workers`
 * threads deflate a large zip's new members at the same time. */
bool bundle_all(struct out *o, const struct incr_keep *keep, const struct model *m, time_t epoch,
		bool reuse, unsigned workers);

/* The path of the site zip in the output. */
#define BUNDLE_SITE_ZIP "downloads/site.zip"

#endif
