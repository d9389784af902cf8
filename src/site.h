/* site.h: the help site's pages, from the model and the guide set, through
 * templates/page.html.tpl (and sitemap.xml.tpl, robots.txt.tpl):
 *
 *   index.html                         the language picker
 *   404.html                           for web servers (absolute links)
 *   <locale>/index.html                guides by section and order; settings
 *   <locale>/<slug>/index.html         a guide (or its untranslated fallback)
 *   <locale>/settings/<product>/index.html   a product's server settings
 *   images/<guide>/<file>              a guide's images, copied from content/
 *   sitemap.xml, robots.txt
 *   profiles/<product>/personal-<locale>.js   what the download box's form
 *                                      of the product's guide pages fills in
 *
 * Every link between pages is relative (paths_relative), so the site works
 * from any sub-path and from file://; only hreflang alternates, canonical
 * links, the sitemap and 404.html use site.base_url. */
#ifndef MG_SITE_H
#define MG_SITE_H

#include <stdbool.h>

#include "check.h"
#include "guide.h"
#include "render.h"

/* The site in parts, for a driver that renders guides on several threads
 * or keeps unchanged ones (build.c): begin writes index.html, 404.html,
 * the locales' homes and settings pages; guide writes every page of guide
 * `g` (one per locale) and the images they show; end writes sitemap.xml
 * and robots.txt. Each returns false when writing failed; content problems
 * are only reported. Guides may be rendered at the same time from several
 * threads, each with its own render (own template engine, diagnostics and
 * out_child).
 *
 * A guide's pages are where its documents are read: each page in a locale
 * the guide is written in is checked as it is rendered (check_doc_scan,
 * check_doc_take into `facts`, unless NULL) and reports its problems to
 * r->diag. An untranslated locale's page repeats its source's content, so
 * its problems go to `quiet`. The pages keep what they share in r->memo,
 * which must be set.
 *
 * Other guides are seen through `guides` (or set->view) only: what a page
 * shows of them is what the incremental keys hash (guide.h). */
bool site_render_begin(struct render *r, const struct guide_view *guides);
bool site_render_guide(struct render *r, const struct guide_set *set, const struct guide *g,
		       struct diag *quiet, struct check_facts *facts);
bool site_render_end(struct render *r, const struct guide_view *guides);

/* Writes the script of stencils of every product in every locale that the
 * guide pages' forms load (paths_personal, templates/personal.js.tpl): the
 * profiles they offer with the reader's address, rendered for a stand-in
 * reader. It reads no guide: build.c runs it in the job of the profiles.
 * Returns false after reporting. */
bool site_render_personal(struct render *r);

/* A date in `loc`'s words ("20 listopada 2026"), from its UI strings
 * date_format ("{d} {month} {y}") and month_1..month_12. Caller frees. */
char *site_format_date(struct render *r, const struct model_locale *loc,
		       const struct guide_date *d);

#endif
