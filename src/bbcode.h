/* bbcode.h: BBCode left in real guides by the editor they were once written
 * in: "[url=https://…]text[/url]", colour tags ("[blue]…[/blue]") and
 * closing tags that lost their bracket ("/green]"). Shown as text they
 * confuse readers, so a link becomes a link and formatting tags go, each
 * with a warning (-Wleftovers) that says what to write instead. */
#ifndef MG_BBCODE_H
#define MG_BBCODE_H

#include <cmark-gfm.h>

#include "dialect.h"

/* Rewrites the text nodes of `root` (a dialect pass, run before links are
 * resolved: a [url] it makes is checked like any link). */
void bbcode_pass(struct dialect *dx, cmark_node *root);

#endif
