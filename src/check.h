/* check.h: the checks of the content, made as the guides are read.
 *
 * Every guide is read in every locale it is written in, with the dialect's
 * passes its page gets (so ids, links and images are exactly the page's),
 * and then what needs the whole site is checked:
 *   links and anchors: every internal link reaches a page of the site
 *     (another guide by a relative path or the site's absolute URL, a
 *     {legacy}N link, a settings page...), every #fragment an id of the page
 *     it points at; a fragment only another locale's version of the guide
 *     has is named as such ("exists in fr-fr only");
 *   images (through the dialect): each exists inside the guide's folder;
 *   drift and literals (drift.h): hosts, ports and security statements
 *     typed in the prose, against the server table;
 *   translations: structure (headings, steps, images, data references)
 *     and `updated` against the default locale's version.
 * Everything is reported through the one reporter under its class (diag.h),
 * so `mailguide check` and `mailguide build` say the same things. */
#ifndef MG_CHECK_H
#define MG_CHECK_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"
#include "dialect.h"
#include "drift.h"
#include "guide.h"
#include "model.h"
#include "opts.h"

struct check_opts {
	FILE *external; /* --list-external: where to list external links (text), or NULL */
	bool fix;       /* --fix: apply the fix-its of what was reported, in place */
};

/* What the checks that need the whole site take from one guide: per locale
 * it is written in, its page's ids and links and its shape. A guide's
 * documents are read once per build: `mailguide build` reads them as it
 * renders their pages (site.c), `mailguide check` on its own; either way
 * with check_doc_scan on the tree as parsed, then the dialect's passes,
 * then check_doc_take. An unchanged guide's facts come back from the
 * build manifest (check_facts_save, check_facts_parse), so an incremental
 * build neither parses nor renders it. Free with check_facts_free. */
struct check_facts;

struct check_facts *check_facts_new(const struct model *m);
void check_facts_free(struct check_facts *f);

/* Reads `doc` before the dialect: its shape, and drift (drift.h), reported
 * through `d`; fix-its appended to `fixes` unless it is NULL. */
void check_doc_scan(struct check_facts *f, const struct model *m, const struct guide_doc *doc,
		    cmark_node *root, struct diag *d, struct drift_fixes *fixes);

/* Keeps what the dialect's passes found in `doc`'s page: its ids and links. */
void check_doc_take(struct check_facts *f, const struct model *m, const struct guide_doc *doc,
		    const struct dialect *dx);

/* The facts as one text for the manifest (caller frees), and back: NULL
 * when `text` does not fit this guide set. The text's format, named in one
 * line (caller frees), is check_facts_format's: the manifest keeps facts
 * of that format only. */
char *check_facts_format(void);
char *check_facts_save(const struct check_facts *f);
struct check_facts *check_facts_parse(const char *text, const struct model *m,
				      const struct guide_set *set);
/* The same, reading `text` in place (it is changed; the facts do not keep
 * it). */
struct check_facts *check_facts_parse_in(char *text, const struct model *m,
					 const struct guide_set *set);

/* The checks that need every page (links, anchors, translations), over
 * facts[i] of set->guides[i] (NULL: none taken). Returns true when they
 * reported no error. `fixes` (or NULL) gets their fix-its; with o->fix,
 * every fix-it there is applied. */
bool check_site(const struct model *m, const struct guide_set *set,
		struct check_facts *const *facts, struct diag *d, const struct check_opts *o,
		struct drift_fixes *fixes);

/* Reads every guide (on all CPUs) and runs every check; returns true when
 * nothing was reported as an error. Writes nothing unless o->fix. `o` may
 * be NULL. */
bool check_guides(const struct model *m, const struct guide_set *set, struct diag *d,
		  const struct check_opts *o);

/* `mailguide check`: loads the content and checks it. Returns the exit
 * status: 0 no errors, 1 errors (warnings alone do not fail). */
int check_run(const struct build_opts *b, const struct check_opts *o, struct diag *d);

#endif
