/* paths.h: where every generated file lives in the output tree, in one place,
 * so that a link and the file it points at can never disagree.
 *
 * All paths are relative to the output root, use '/', and are built only
 * from validated ids and locale tags (see load.c), so they are safe. Every
 * function returning char * returns memory the caller frees. */
#ifndef MG_PATHS_H
#define MG_PATHS_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

/* The kinds of client profile mailguide writes. */
enum paths_client {
	CLIENT_APPLE,       /* .mobileconfig (iPhone, iPad, Mac) */
	CLIENT_AUTOCONFIG,  /* Thunderbird autoconfig config-v1.1.xml */
	CLIENT_THUNDERBIRD, /* Thunderbird user.js */
	CLIENT_OUTLOOK,     /* Outlook autodiscover.xml (POX) */
	CLIENT_WINDOWS,     /* PowerShell helper for Outlook, Windows Mail, new Outlook */
	CLIENT_COUNT
};

/* "apple", "autoconfig", "thunderbird", "outlook", "windows"; parse: -1 if unknown. */
const char *paths_client_name(enum paths_client c);
int paths_client_parse(const char *name);

/* profiles/<product>/<locale>/<file>: every profile of a product, per locale
 * (display names, descriptions and printed instructions are localized):
 *   <product>.mobileconfig, config-v1.1.xml, user.js, autodiscover.xml,
 *   setup-<product>.ps1 */
char *paths_profile(const struct model_product *p, enum paths_client c,
		    const struct model_locale *loc);

/* profiles/<product>/<locale>/: the folder of the above, with the kit's page
 * (index.html) that says which file is for which device. */
char *paths_profile_dir(const struct model_product *p, const struct model_locale *loc);

/* profiles/<product>/personal-<locale>.js: what the guide pages' form needs
 * to make a product's profiles with the reader's address (site.h), one
 * script shared by every page of the product in the locale. Beside the
 * kit's folder, not in it: the kit's zip is for end users, not pages. */
char *paths_personal(const struct model_product *p, const struct model_locale *loc);

/* The site-wide well-known locations answer for the first product:
 * mail/config-v1.1.xml, .well-known/autoconfig/mail/config-v1.1.xml,
 * autodiscover/autodiscover.xml. */

/* <locale>/<slug>/index.html */
char *paths_guide(const struct model_locale *loc, const char *slug);
/* <locale>/index.html: the locale's home (guides by section). */
char *paths_locale_home(const struct model_locale *loc);
/* <locale>/settings/<product>/index.html */
char *paths_settings(const struct model_locale *loc, const struct model_product *p);
/* downloads/<product>-<locale>.zip: a product's profile kit in one language. */
char *paths_kit(const struct model_product *p, const struct model_locale *loc);

/* images/<guide>/<file>: an image of a guide (its folder's name), copied
 * once and shared by every locale's page. */
char *paths_image(const char *guide, const char *file);

/* The relative URL from the page at `from` to the file at `to` (both
 * output-relative), so the site works from any sub-path and from file://.
 * A trailing "index.html" is kept: file:// does not serve directories. */
char *paths_relative(const char *from, const char *to);

/* True when `rel` is a safe relative path: no "..", ".", empty or hidden-
 * by-accident parts, no backslash, no control characters, no name Windows
 * reserves (paths_name_reserved). The write stage refuses any other. */
bool paths_rel_ok(const char *rel);

/* True when the `n` bytes at `name` (one path component) are a name Windows
 * reserves for devices: CON, PRN, AUX, NUL, COM1-9, LPT1-9, in any case and
 * with any extension. Loaders refuse them in ids, slugs and locale tags. */
bool paths_name_reserved(const char *name, size_t n);

#endif
