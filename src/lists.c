/* lists.c: the -Wlists check (see lists.h). It reads the tree as parsed
 * (before the dialect's passes), and the document's lines for the quote
 * markers a fix-it must repeat. */
#include "lists.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "tree.h"
#include "util.h"

/* The document's body split into lines, made when the first finding needs
 * one (most documents have none). */
struct S_lines {
	const struct guide_doc *doc;
	size_t *off; /* start of each line in doc->body; [0] is line 1 */
	size_t n;
};

static const char *S_line(struct S_lines *l, unsigned line, size_t *len)
{
	const struct guide_doc *doc = l->doc;
	if (l->off == NULL) {
		const char *end = doc->body + doc->body_len;
		l->n = 1;
		for (const char *p = doc->body; (p = memchr(p, '\n', (size_t)(end - p))); p++)
			l->n++;
		l->off = xcalloc(l->n, sizeof *l->off);
		size_t k = 1;
		for (size_t i = 0; i < doc->body_len; i++)
			if (doc->body[i] == '\n')
				l->off[k++] = i + 1;
	}
	if (line == 0 || line > l->n)
		return NULL;
	size_t start = l->off[line - 1];
	size_t end = line < l->n ? l->off[line] - 1 : doc->body_len;
	if (end > start && doc->body[end - 1] == '\r')
		end--;
	*len = end - start;
	return doc->body + start;
}

/* The length of a line's block quote markers and indentation ("> > "),
 * and in *quote the markers alone, trimmed (">", "> >"; caller frees). */
static size_t S_prefix(const char *s, size_t len, char **quote)
{
	size_t i = 0, q_end = 0;
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '>')) {
		if (s[i] == '>')
			q_end = i + 1;
		i++;
	}
	*quote = xstrndup(s, q_end);
	return i;
}

/* Reports the line `line` (of the body) and offers the fix-it: an empty
 * line before it (">" inside a note, so that the note goes on). */
static void S_report(struct S_lines *l, unsigned line, struct diag *d, struct drift_fixes *fixes,
		     const char *what)
{
	size_t len;
	const char *s = S_line(l, line, &len);
	if (s == NULL)
		return;
	char *quote;
	S_prefix(s, len, &quote);
	struct buf fix = {0};
	buf_printf(&fix, "%s\n", quote);
	unsigned file_line = l->doc->body_line + line - 1;
	diag_class(d, DIAG_LISTS, l->doc->file, file_line, 1, 0, buf_str(&fix),
		   "%s; put an empty line%s before it to start a list", what,
		   *quote ? " (a bare '>' in a note)" : "");
	if (fixes && diag_enabled(d, DIAG_LISTS)) {
		fixes->v = xrealloc(fixes->v, (fixes->n + 1) * sizeof *fixes->v);
		fixes->v[fixes->n++] =
			(struct drift_fix){l->doc->file, file_line, 1, 0, buf_detach(&fix)};
	}
	buf_free(&fix);
	free(quote);
}

/* A setext heading whose underline is a lone '-': an empty list item
 * meant, a heading made of the paragraph above (and of a note's [!kind]
 * marker when the paragraph is a note's first). */
static void S_setext(struct S_lines *l, cmark_node *h, struct diag *d, struct drift_fixes *fixes)
{
	/* cmark-gfm's end line of a setext heading is the line after its
	 * underline: the underline is counted from the text's lines instead. */
	unsigned first = (unsigned)cmark_node_get_start_line(h), under = first + 1;
	for (cmark_node *n = cmark_node_first_child(h); n; n = cmark_node_next(n))
		if (cmark_node_get_type(n) == CMARK_NODE_SOFTBREAK ||
		    cmark_node_get_type(n) == CMARK_NODE_LINEBREAK)
			under++;
	size_t len, flen;
	const char *f = S_line(l, first, &flen);
	const char *s = S_line(l, under, &len);
	if (s == NULL || f == NULL)
		return;
	char *quote;
	size_t at = S_prefix(f, flen, &quote);
	free(quote);
	if (at < flen && f[at] == '#')
		return; /* an ATX heading: "## Title" */
	at = S_prefix(s, len, &quote);
	free(quote);
	size_t end = len;
	while (end > at && (s[end - 1] == ' ' || s[end - 1] == '\t'))
		end--;
	if (end != at + 1 || s[at] != '-')
		return;
	S_report(l, under, d, fixes,
		 "this '-' line right after a paragraph's line makes that paragraph a heading "
		 "(CommonMark's setext underline)");
}

/* "2. Step" right after a paragraph's line stays in the paragraph: only a
 * list starting at 1 may interrupt one (CommonMark). */
static void S_numbered(struct S_lines *l, cmark_node *para, struct diag *d,
		       struct drift_fixes *fixes)
{
	unsigned line = (unsigned)cmark_node_get_start_line(para);
	for (cmark_node *n = cmark_node_first_child(para); n; n = cmark_node_next(n)) {
		if (cmark_node_get_type(n) != CMARK_NODE_SOFTBREAK &&
		    cmark_node_get_type(n) != CMARK_NODE_LINEBREAK)
			continue;
		line++;
		cmark_node *t = cmark_node_next(n);
		const char *s = t && cmark_node_get_type(t) == CMARK_NODE_TEXT
					? cmark_node_get_literal(t)
					: NULL;
		if (s == NULL || !isdigit((unsigned char)s[0]))
			continue;
		char *e;
		unsigned long num = strtoul(s, &e, 10);
		if (num != 1 && e - s <= 9 && (*e == '.' || *e == ')') && e[1] == ' ') {
			/* The first one only: the fix makes the rest its list. */
			S_report(
				l, line, d, fixes,
				"this numbered step right after a paragraph's line is read as part "
				"of the paragraph (only a list starting at 1 may follow a line of "
				"text)");
			return;
		}
	}
}

struct S_scan {
	struct S_lines lines;
	struct diag *d;
	struct drift_fixes *fixes;
};

static void S_node(cmark_node *n, void *arg)
{
	struct S_scan *sc = arg;
	if (cmark_node_get_type(n) == CMARK_NODE_HEADING && cmark_node_get_heading_level(n) == 2)
		S_setext(&sc->lines, n, sc->d, sc->fixes);
	else if (cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH)
		S_numbered(&sc->lines, n, sc->d, sc->fixes);
}

void lists_scan(const struct guide_doc *doc, cmark_node *root, struct diag *d,
		struct drift_fixes *fixes)
{
	if (!diag_enabled(d, DIAG_LISTS) || doc->body == NULL)
		return;
	struct S_scan sc = {.lines = {.doc = doc}, .d = d, .fixes = fixes};
	tree_each(root, S_node, &sc);
	free(sc.lines.off);
}
