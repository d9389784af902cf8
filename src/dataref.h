/* dataref.h: data references, the way guides state server facts. Prose never
 * types a host or a port; it names them in the server table:
 *
 *   {{[product:]protocol[.security].field}}   field: host port security auth login
 *   {{[product:]product}}  {{[product:]provider}}   display names
 *   {{[product:]settings}}  alone in a paragraph: the whole settings table
 *
 * protocol is imap, pop3 or smtp; security ssl, starttls or none (without
 * it: the preferred server of that protocol). The product is the guide's
 * first one unless named. See docs/content.md, "Data references in guides". */
#ifndef MG_DATAREF_H
#define MG_DATAREF_H

#include <cmark-gfm.h>

#include "dialect.h"

/* Expands every reference in the text and inline code of the tree; a
 * {{settings}} paragraph becomes an HTML block from dx->settings_html.
 * Unknown references are errors at their file:line:col. */
void dataref_expand(struct dialect *dx, cmark_node *root);

/* The value of one reference (the text between the braces) for `p` in
 * `loc`; NULL when it does not name a value (then *why says what is wrong).
 * Returns arena memory. Exposed for unit tests. */
const char *dataref_value(const struct model *m, const struct model_product *p,
			  const struct model_locale *loc, const char *ref, struct arena *a,
			  const char **why);

/* The reference nearest to `ref` (a typo: "imap.hots", "mxplna:imap.host")
 * among those that give a value for `p` (or the product `ref` names), as
 * "{{...}}"; NULL when none is within two edits. Arena memory. */
const char *dataref_nearest(const struct model *m, const struct model_product *p, const char *ref,
			    struct arena *a);

#endif
