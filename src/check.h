/* check.h: the checks of the content, between loading and rendering.
 *
 * check_guides reads every guide in every locale it is written in, runs the
 * dialect's passes over it as its page will (so ids, links and images are
 * exactly the page's) and then checks what needs the whole site:
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

#include "build.h"
#include "diag.h"
#include "guide.h"
#include "model.h"

struct check_opts {
	FILE *external; /* --list-external: where to list external links (text), or NULL */
	bool fix;	/* --fix: apply the fix-its of what was reported, in place */
};

/* Runs every check; returns true when nothing was reported as an error.
 * Writes nothing unless o->fix. `o` may be NULL. */
bool check_guides(const struct model *m, const struct guide_set *set, struct diag *d,
		  const struct check_opts *o);

/* `mailguide check`: loads the content and checks it. Returns the exit
 * status: 0 no errors, 1 errors (warnings alone do not fail). */
int check_run(const struct build_opts *b, const struct check_opts *o, struct diag *d);

#endif
