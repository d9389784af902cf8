/* newlocale.h: `mailguide new-locale LL-CC`: writes a new locale's UI
 * strings file and guide stubs, from the default locale, to translate. */
#ifndef MG_NEWLOCALE_H
#define MG_NEWLOCALE_H

#include "diag.h"

/* Writes <content>/strings/<tag>.yaml and a stub guide.<tag>.md in every
 * guide folder (newlocale.c says what they hold), all or none: nothing is
 * written when one of them exists. Prints what was written and what to add
 * to site.yaml. Returns the exit status: 0 done, 1 errors in the content or
 * a file in the way, 2 a tag that cannot be used. */
int newlocale_run(const char *content, const char *tag, struct diag *d);

#endif
