/* lists.h: list markers CommonMark reads otherwise than their author meant
 * (-Wlists). Real guides have both, often inside notes:
 *   - a lone '-' line right after a line of text: a setext underline, which
 *     turns the text above (and a note's [!kind] line) into a heading;
 *   - "2. Step" right after a line of text: only a list starting at 1 may
 *     interrupt a paragraph, so the step is read as the paragraph's text.
 * Each finding offers a fix-it (an empty line before it, a bare '>' inside
 * a note) that mailguide check --fix applies. */
#ifndef MG_LISTS_H
#define MG_LISTS_H

#include <cmark-gfm.h>

#include "diag.h"
#include "drift.h"
#include "guide.h"

/* Scans `doc`'s tree as parsed (before the dialect's passes); reports
 * through `d` and appends its fix-its to `fixes` (NULL: none kept). */
void lists_scan(const struct guide_doc *doc, cmark_node *root, struct diag *d,
		struct drift_fixes *fixes);

#endif
