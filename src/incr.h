/* incr.h: incremental builds. Decides which parts of a build can be kept
 * from the previous output instead of being rendered again, and remembers,
 * for the next build, what each part read and wrote.
 *
 * A build is a sequence of jobs: "site-begin" (index.html, 404.html, the
 * locales' homes and settings pages), one job per guide (its pages in every
 * locale and its images), "site-end" (sitemap.xml, robots.txt),
 * "site-files" (the profiles, kit pages and copied assets, which read no
 * guide; rendered again whenever profiles are signed), "site-checks"
 * (the checks that need every page: no files, only diagnostics); then
 * the zips (bundle.c). Each job has a key, a hash of everything it reads:
 *   - every job: the mailguide binary (its device, inode, size and
 *     times), the templates folder and every file of the content folder
 *     outside guides/ (site.yaml, servers.yaml, strings/, ...), the -C
 *     and -t paths as given, and what the -W options make of each check
 *     class (a kept job's diagnostics were filtered by them);
 *   - a guide's job: its folder's files (the Markdown by its digest, other
 *     files such as images by name, size and modification time), and every
 *     guide's links (guide.h: what a page can show of another guide);
 *   - the site jobs: every guide's cards (what lists and the sitemap show);
 *   - site-checks: every guide's key (they determine the check facts).
 * Rendering sees other guides through those views only (guide.h), and the
 * keys hash every field of them through the views' own field lists: a
 * page cannot show something of another guide that its key lacks.
 * The manifest (".<output>.manifest" beside the output folder) names its
 * record formats (rec.h) on its first line (a manifest of other formats is
 * not read: a full build follows) and records per job its key, the files
 * it produced, the diagnostics it reported and its own record (a guide's
 * check facts, check.h), and per output file its size, modification time
 * and inode as written. A job whose key is unchanged and whose files are
 * all still as written is kept: its files are hard-linked into staging and
 * its diagnostics are reported again, so the result and messages are those
 * of a full build. Anything rendered is still compared with the previous
 * file (incr_keep.h), so a changed input that changes no output writes
 * nothing. The manifest names the output folder it describes (device and
 * inode): an output replaced by anything but the build that wrote the
 * manifest makes a full build. */
#ifndef MG_INCR_H
#define MG_INCR_H

#include <stdbool.h>
#include <time.h>

#include "diag.h"
#include "guide.h"
#include "model.h"
#include "incr_keep.h"
#include "out.h"

struct incr;

/* Reads the previous build's manifest for the output folder `output`
 * (unless `full`) and computes every job's key (on `workers` threads);
 * feeds the previous output's file table to `k`. `data_format` names the
 * format of the jobs' own records (incr_record; one line, no tab): a
 * manifest written with another is not read. Never fails: without a
 * usable manifest, every job is rendered. Free with incr_free. */
struct incr *incr_open(const char *content, const char *templates, const struct model *m,
		       const struct guide_set *set, const struct diag *d, const char *output,
		       const char *data_format, struct incr_keep *k, bool full, unsigned workers);
void incr_free(struct incr *inc);

/* Jobs are numbered 0 (site-begin), 1..n (the guides in set order), n+1
 * (site-end), n+2 (site-files), n+3 (site-checks). */
size_t incr_n_jobs(const struct incr *inc);

/* The record job `job` left in the previous build when its key is
 * unchanged ("" if none), else NULL: what a caller checks before keeping. */
const char *incr_data(const struct incr *inc, size_t job);

/* This build's record of job `job` as incr_record took it (for a kept job,
 * the previous one), in a string of its own (caller frees), or NULL when
 * it has none. Reads only: callable while the manifest is being made. */
char *incr_record_data(const struct incr *inc, size_t job);

/* When job `job` of the previous build can be kept: keeps its files into
 * `child` (incr_keep_file), reports its diagnostics again to `jd` and returns
 * true. Otherwise changes nothing and returns false. Thread-safe for
 * distinct jobs. */
bool incr_keep(struct incr *inc, size_t job, struct out *child, struct diag *jd);

/* Remembers what job `job` produced (call before out_adopt empties
 * `child`), with its own record `data`; NULL keeps a kept job's previous
 * record (or none). Thread-safe for distinct jobs. */
void incr_record(struct incr *inc, size_t job, const struct out *child, const struct diag *jd,
		 const char *data);

/* True when the previous zips may provide entries: a previous build was
 * read and its zips carry the same time stamp `epoch`. */
bool incr_zips_reusable(const struct incr *inc, time_t epoch);

/* Writes the manifest for the output staged in `o` (every file written or
 * linked), before out_commit swaps it in; with `in_place`, for the output
 * directory itself, when nothing changed in it but keys did (a new
 * mailguide or template that renders the same bytes: without a new
 * manifest, every later build would render everything again). Returns
 * false after reporting. */
bool incr_save(struct incr *inc, const struct out *o, time_t epoch, bool in_place, struct diag *d);

/* Starts writing the part of the manifest of jobs [0, upto) (most of its
 * bytes) on a thread of its own, for incr_save to take: once those jobs are
 * recorded, while the zips are made. The others are recorded meanwhile
 * and written by incr_save. */
void incr_save_begin(struct incr *inc, size_t upto);

/* True when the manifest read has every job of this build, each with the
 * same key. */
bool incr_current(const struct incr *inc);

/* How many jobs of this build the manifest read has not with this key. */
size_t incr_changed(const struct incr *inc);

#endif
