/* drift.h: the check that guides agree with the server table (check stage).
 *
 * Prose should name hosts and ports with data references ({{imap.host}});
 * drift_scan reads what a guide types literally instead, in its paragraphs,
 * headings and tables (code blocks, link targets, URLs, e-mail addresses
 * and {{...}} are left alone), and reports:
 *   -Wdrift    a host that is not in the table (or is spelled with other
 *              letter cases), a port the table does not list for the
 *              protocol the text is about, a security statement ("SSL",
 *              "SSL ... off", "STARTTLS") beside a port the table lists
 *              with another security;
 *   -Wliteral  a host or port that agrees with the table but is typed, so
 *              it will not follow the table when that changes.
 * Which protocol a value is about comes from the words around it: on its
 * line (or, in a table, its row's and column's headers), then the lines
 * above it in its paragraph, then its section's heading; "IMAP", "POP3",
 * "SMTP", and incoming/outgoing in the languages of the guides. When that
 * leaves exactly one server the message carries a fix-it: the data
 * reference that gives the same value. */
#ifndef MG_DRIFT_H
#define MG_DRIFT_H

#include <cmark-gfm.h>

#include "diag.h"
#include "guide.h"
#include "model.h"

/* A replacement mailguide check --fix may apply: `len` bytes at line:col. */
struct drift_fix {
	const char *file;
	unsigned line, col, len;
	char *text;
};

struct drift_fixes {
	struct drift_fix *v;
	size_t n;
};

/* Scans `doc`, whose tree as parsed (before the dialect's passes) is
 * `root`; reports through `d` and appends the fix-its of what it reported
 * to `fixes`. */
void drift_scan(const struct model *m, const struct guide_doc *doc, cmark_node *root,
		struct diag *d, struct drift_fixes *fixes);

void drift_fixes_free(struct drift_fixes *f);

#endif
