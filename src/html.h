/* html.h: the one HTML escaping helper. Every piece of markup mailguide builds
 * outside templates (the dialect's elements, attributes, notes) escapes its
 * text and attribute values here; templates escape through ctemplate's
 * AUTOESCAPE instead. */
#ifndef MG_HTML_H
#define MG_HTML_H

#include <stddef.h>

#include "util.h"

/* Appends `s` (`n` bytes) to `b` with & < > " ' escaped, which is safe both
 * as element text and inside a double- or single-quoted attribute value. */
void html_escape(struct buf *b, const char *s, size_t n);
void html_escape_str(struct buf *b, const char *s);

#endif
