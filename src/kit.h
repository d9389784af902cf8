/* kit.h: the page of each profile kit. For every product and locale it
 * renders profiles/<product>/<locale>/index.html, which says in the
 * reader's language which file is for which device and how to open it.
 * The page is part of the site and travels inside the kit's zip, so it
 * carries the site's stylesheet and links relatively only to the files
 * beside it; its way back to the guides is absolute (site.base_url). */
#ifndef MG_KIT_H
#define MG_KIT_H

#include <stdbool.h>

#include "render.h"

bool kit_render(struct render *r);

#endif
