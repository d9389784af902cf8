/* bundle.h: the zip stage. Runs after every other file is staged and packs
 * what was written into deterministic zips with libzip:
 *   downloads/<product>-<locale>.zip  one product's profile kit in one language
 *                                     (the folder profiles/<product>/<locale>/)
 *   downloads/site.zip                the whole web root, for uploading anywhere
 * Entries are sorted, stamped with one fixed time and fixed permissions, so
 * the same input gives the same bytes on any machine, at any time. */
#ifndef MG_BUNDLE_H
#define MG_BUNDLE_H

#include <stdbool.h>
#include <time.h>

#include "model.h"
#include "out.h"

/* `epoch` is the time every entry carries (SOURCE_DATE_EPOCH or the newest
 * input's mtime, chosen by the driver). */
bool bundle_all(struct out *o, const struct model *m, time_t epoch);

/* The path of the site zip in the output. */
#define BUNDLE_SITE_ZIP "downloads/site.zip"

#endif
