/* dialect.c: the guide dialect's passes over a cmark-gfm tree (see dialect.h
 * for the order and why). Each pass first collects the nodes it changes,
 * then changes them, so no iterator ever walks a tree being edited. */
#define _GNU_SOURCE
#include "dialect.h"

#include <cmark-gfm-core-extensions.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cfile.h"
#include "bbcode.h"
#include "dataref.h"
#include "html.h"
#include "illust.h"
#include "mdarena.h"
#include "paths.h"
#include "tree.h"

const char *const dialect_reserved_ids[] = {"mg-main", "mg-toc", "mg-ready", "mg-downloads", NULL};

struct dialect_repaired {
	cmark_node *table;
	unsigned first, last; /* body lines the paragraph spanned */
	unsigned col;
};

/* A heading's id given by an `<a name="x"></a>` anchor inside it. */
struct S_anchor {
	cmark_node *heading;
	const char *id;
};

/* ---- small helpers ----------------------------------------------------------- */

struct S_nodes {
	cmark_node **v;
	size_t n, cap;
};

static void S_push(struct S_nodes *l, cmark_node *n)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n++] = n;
}

struct S_collecting {
	const cmark_node_type *types;
	size_t ntypes;
	struct S_nodes l;
};

static void S_collect_node(cmark_node *n, void *arg)
{
	struct S_collecting *c = arg;
	for (size_t i = 0; i < c->ntypes; i++)
		if (cmark_node_get_type(n) == c->types[i])
			S_push(&c->l, n);
}

/* Every node of the given types under root, in document order. */
static struct S_nodes S_collect(cmark_node *root, const cmark_node_type *types, size_t ntypes)
{
	struct S_collecting c = {.types = types, .ntypes = ntypes};
	tree_each(root, S_collect_node, &c);
	return c.l;
}

static cmark_node *S_html_inline(const char *s)
{
	cmark_node *n = cmark_node_new_with_mem(CMARK_NODE_HTML_INLINE, mdarena_mem());
	cmark_node_set_literal(n, s);
	return n;
}

static cmark_node *S_text(const char *s)
{
	cmark_node *n = cmark_node_new_with_mem(CMARK_NODE_TEXT, mdarena_mem());
	cmark_node_set_literal(n, s);
	return n;
}

/* Puts `repl` where `old` is and frees `old` (children and all). */
static void S_replace(cmark_node *old, cmark_node *repl)
{
	cmark_node_insert_before(old, repl);
	cmark_node_unlink(old);
	cmark_node_free(old);
}

static void S_move_children(cmark_node *from, cmark_node *to)
{
	cmark_node *c;
	while ((c = cmark_node_first_child(from)) != NULL) {
		cmark_node_unlink(c);
		cmark_node_append_child(to, c);
	}
}

static cmark_node *S_custom_block(const char *enter, const char *exit)
{
	cmark_node *n = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, mdarena_mem());
	cmark_node_set_on_enter(n, enter);
	cmark_node_set_on_exit(n, exit);
	return n;
}

static bool S_is(cmark_node *n, cmark_node_type t) { return n && cmark_node_get_type(n) == t; }

static const char *S_literal(cmark_node *n)
{
	const char *s = cmark_node_get_literal(n);
	return s ? s : "";
}

static void S_plain_node(cmark_node *c, void *out)
{
	switch (cmark_node_get_type(c)) {
	case CMARK_NODE_TEXT:
	case CMARK_NODE_CODE:
		buf_puts(out, S_literal(c));
		break;
	case CMARK_NODE_SOFTBREAK:
	case CMARK_NODE_LINEBREAK:
		buf_putc(out, ' ');
		break;
	default:
		break;
	}
}

void dialect_plain_text(cmark_node *n, struct buf *out) { tree_each(n, S_plain_node, out); }

/* ---- string sets ------------------------------------------------------------ */

/* A set of strings (owned elsewhere) with an optional value per key: open
 * addressing with linear probing, power-of-two capacity, at most half full.
 * Pages with tens of thousands of headings, ids or images made the linear
 * lists this replaces quadratic (and heading ids cubic: 5,000 equal
 * headings took minutes). */
static size_t S_hash(const char *s)
{
	size_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* The slot of `key`, or of the empty slot where it would go. */
static size_t S_set_slot(const char *const *keys, size_t cap, const char *key)
{
	size_t i = S_hash(key) & (cap - 1);
	while (keys[i] && strcmp(keys[i], key) != 0)
		i = (i + 1) & (cap - 1);
	return i;
}

static bool S_set_has(const char *const *keys, size_t cap, const char *key)
{
	return cap && keys[S_set_slot(keys, cap, key)] != NULL;
}

/* Adds `key` (kept as given) if absent; returns its slot. `vals`, when
 * not NULL, moves along with the keys. */
static size_t S_set_put(const char ***keys, size_t **vals, size_t *n, size_t *cap, const char *key)
{
	if ((*n + 1) * 2 > *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		const char **nk = xcalloc(ncap, sizeof *nk);
		size_t *nv = vals ? xcalloc(ncap, sizeof *nv) : NULL;
		for (size_t i = 0; i < *cap; i++) {
			if ((*keys)[i] == NULL)
				continue;
			size_t j = S_set_slot(nk, ncap, (*keys)[i]);
			nk[j] = (*keys)[i];
			if (vals)
				nv[j] = (*vals)[i];
		}
		free(*keys);
		*keys = nk;
		if (vals) {
			free(*vals);
			*vals = nv;
		}
		*cap = ncap;
	}
	size_t i = S_set_slot(*keys, *cap, key);
	if ((*keys)[i] == NULL) {
		(*keys)[i] = key;
		(*n)++;
	}
	return i;
}

static bool S_id_taken(const struct dialect *dx, const char *id)
{
	return S_set_has(dx->id_set, dx->id_set_cap, id);
}

bool dialect_has_id(const struct dialect *dx, const char *id) { return S_id_taken(dx, id); }

/* Adds `id` to the page's ids (dx->ids, in order, and the set behind
 * S_id_taken); returns the page's copy of it. */
static const char *S_id_add(struct dialect *dx, const char *id)
{
	const char *kept = arena_strdup(&dx->arena, id);
	size_t n_set = dx->n_id_set;
	size_t i = S_set_put(&dx->id_set, NULL, &dx->n_id_set, &dx->id_set_cap, kept);
	if (dx->n_id_set == n_set)
		return dx->id_set[i]; /* already there */
	if (dx->n_ids == dx->ids_cap) {
		dx->ids_cap = dx->ids_cap ? dx->ids_cap * 2 : 32;
		dx->ids = xrealloc(dx->ids, dx->ids_cap * sizeof *dx->ids);
	}
	dx->ids[dx->n_ids++] = kept;
	return kept;
}

/* An id a guide may give: printable, no spaces or quotes (HTML5 allows more,
 * but these also survive in URLs and CSS selectors). */
static bool S_id_ok(const char *s, size_t n)
{
	if (n == 0 || n > 100)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!(isalnum(c) || c == '-' || c == '_' || c == '.' || c == ':' || c >= 0x80))
			return false;
	}
	return true;
}

/* ---- positions ----------------------------------------------------------------- */

static void S_index_lines(struct dialect *dx)
{
	const char *p = dx->doc->body, *end = p + dx->doc->body_len;
	size_t cap = 64;
	dx->lines = xmalloc(cap * sizeof *dx->lines);
	dx->line_len = xmalloc(cap * sizeof *dx->line_len);
	dx->n_lines = 0;
	dx->lines[0] = NULL; /* lines are 1-based */
	dx->line_len[0] = 0;
	while (p < end) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((e ? e : end) - p);
		if (len && p[len - 1] == '\r')
			len--;
		if (dx->n_lines + 2 > cap) {
			cap *= 2;
			dx->lines = xrealloc(dx->lines, cap * sizeof *dx->lines);
			dx->line_len = xrealloc(dx->line_len, cap * sizeof *dx->line_len);
		}
		dx->n_lines++;
		dx->lines[dx->n_lines] = p;
		dx->line_len[dx->n_lines] = len;
		p = e ? e + 1 : end;
	}
}

static const char *S_memmem(const char *h, size_t hn, const char *n, size_t nn)
{
	if (nn == 0 || nn > hn)
		return NULL;
	for (size_t i = 0; i + nn <= hn; i++)
		if (memcmp(h + i, n, nn) == 0)
			return h + i;
	return NULL;
}

void dialect_where(struct dialect *dx, cmark_node *n, const char *needle, unsigned *line,
		   unsigned *col)
{
	unsigned first = 0, last = 0, hl = 0, hc = 1;
	for (cmark_node *a = n; a; a = cmark_node_parent(a)) {
		for (size_t i = 0; i < dx->n_repaired; i++)
			if (dx->repaired[i].table == a) {
				first = hl = dx->repaired[i].first;
				last = dx->repaired[i].last;
				hc = dx->repaired[i].col;
				goto found;
			}
	}
	/* The node's own line when cmark knows it, the range of its block. */
	for (cmark_node *a = n; a; a = cmark_node_parent(a)) {
		int sl = cmark_node_get_start_line(a), el = cmark_node_get_end_line(a);
		if (sl <= 0)
			continue;
		if (hl == 0) {
			int c = cmark_node_get_start_column(a);
			hl = (unsigned)sl;
			hc = c > 0 ? (unsigned)c : 1;
		}
		if ((cmark_node_get_type(a) & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK) {
			first = (unsigned)sl;
			last = el >= sl ? (unsigned)el : (unsigned)sl;
			break;
		}
	}
found:
	if (hl == 0 || first == 0)
		hl = first = last = hl ? hl : 1;
	if (hl < first || hl > last)
		hl = first;
	*line = dx->doc->body_line + hl - 1;
	*col = hc;
	/* Each search may scan the whole block: thousands of problems in one
	 * long line or paragraph (20,000 unknown references took 13 s) made
	 * it quadratic, so a page gets a budget of bytes to scan. */
	if (needle == NULL || *needle == '\0' || dx->searched > DIALECT_SEARCH_BUDGET)
		return;
	size_t nn = strlen(needle);
	/* The first occurrence at or after the node's own line, else any in the block. */
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned l = pass ? first : hl; l <= last && l <= dx->n_lines; l++) {
			dx->searched += dx->line_len[l];
			const char *hit = S_memmem(dx->lines[l], dx->line_len[l], needle, nn);
			if (hit) {
				*line = dx->doc->body_line + l - 1;
				*col = (unsigned)(hit - dx->lines[l]) + 1;
				return;
			}
		}
	}
}

/* A problem of a check class at `node` (at `needle` in it, underlined). */
#define S_report(dx, cls, node, needle, ...)                                                       \
	do {                                                                                       \
		unsigned l_, c_;                                                                   \
		const char *n_ = (needle);                                                         \
		dialect_where((dx), (node), n_, &l_, &c_);                                         \
		diag_class((dx)->diag, (cls), (dx)->doc->file, l_, c_,                             \
			   n_ ? (unsigned)strlen(n_) : 0, NULL, __VA_ARGS__);                      \
	} while (0)

/* ---- 1. tables without a delimiter row ------------------------------------------ */

/* The row's text from its first '|' to its last non-blank byte, or NULL when
 * the line is not a pipe row; counts its cells (unescaped pipes minus one). */
static const char *S_pipe_row(const char *s, size_t len, bool loose, size_t *out_len, size_t *cells)
{
	size_t i = 0;
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '>'))
		i++;
	while (len > i && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (i >= len || len - i < 2)
		return NULL;
	/* Old guides leave out a row's outer pipes now and then; the first
	 * row must have both, so that prose with a '|' is never a table. */
	size_t outer = (s[i] == '|') + (s[len - 1] == '|' && s[len - 2] != '\\');
	if (outer < 2 && !loose)
		return NULL;
	size_t pipes = 0;
	bool dashes_only = true;
	for (size_t k = i; k < len; k++) {
		if (s[k] == '|' && (k == i || s[k - 1] != '\\'))
			pipes++;
		else if (s[k] != '-' && s[k] != ':' && s[k] != ' ')
			dashes_only = false;
	}
	if (dashes_only || pipes == 0)
		return NULL; /* a delimiter row: cmark would have made a table */
	*out_len = len - i;
	*cells = pipes + 1 - outer;
	return s + i;
}

static void S_repair_tables(struct dialect *dx, cmark_node *root)
{
	static const cmark_node_type types[] = {CMARK_NODE_PARAGRAPH};
	struct S_nodes paras = S_collect(root, types, 1);
	for (size_t i = 0; i < paras.n; i++) {
		cmark_node *p = paras.v[i];
		int sl = cmark_node_get_start_line(p), el = cmark_node_get_end_line(p);
		if (sl <= 0 || el <= sl || (size_t)el > dx->n_lines)
			continue;
		struct buf md = {0};
		size_t cells = 0;
		bool ok = true;
		for (int l = sl; ok && l <= el; l++) {
			size_t len, c;
			const char *row =
				S_pipe_row(dx->lines[l], dx->line_len[l], l > sl, &len, &c);
			if (row == NULL || c == 0 || (cells && c != cells)) {
				ok = false;
				break;
			}
			cells = c;
			buf_put(&md, row, len);
			buf_putc(&md, '\n');
			if (l == sl) {
				buf_putc(&md, '|');
				for (size_t k = 0; k < cells; k++)
					buf_puts(&md, "---|");
				buf_putc(&md, '\n');
			}
		}
		if (ok) {
			/* Let cmark-gfm parse the rows as the table they were meant to
			 * be, and graft its table in place of the paragraph. */
			cmark_parser *sub =
				cmark_parser_new_with_mem(CMARK_OPT_DEFAULT, mdarena_mem());
			cmark_parser_attach_syntax_extension(sub,
							     cmark_find_syntax_extension("table"));
			cmark_parser_attach_syntax_extension(
				sub, cmark_find_syntax_extension("autolink"));
			cmark_parser_attach_syntax_extension(
				sub, cmark_find_syntax_extension("strikethrough"));
			cmark_parser_feed(sub, md.data, md.len);
			cmark_node *doc = cmark_parser_finish(sub);
			cmark_node *table = cmark_node_first_child(doc);
			if (table && cmark_node_next(table) == NULL &&
			    strcmp(cmark_node_get_type_string(table), "table") == 0) {
				unsigned line = dx->doc->body_line + (unsigned)sl - 1;
				unsigned col = (unsigned)cmark_node_get_start_column(p);
				diag_class(dx->diag, DIAG_TABLES, dx->doc->file, line,
					   col ? col : 1, 0, NULL,
					   "table without a delimiter row (repaired): add a line "
					   "like |---|---| after its first row");
				cmark_node_unlink(table);
				cmark_node_insert_before(p, table);
				cmark_node_unlink(p);
				cmark_node_free(p);
				dx->repaired = xrealloc(dx->repaired, (dx->n_repaired + 1) *
									      sizeof *dx->repaired);
				dx->repaired[dx->n_repaired++] = (struct dialect_repaired){
					table, (unsigned)sl, (unsigned)el, col ? col : 1};
			}
			cmark_node_free(doc);
			cmark_parser_free(sub);
		}
		buf_free(&md);
	}
	free(paras.v);
}

/* ---- 2. raw HTML ------------------------------------------------------------------ */

/* `<a name="x">` or `<a id='x'>`: returns the id (arena) or NULL. */
static const char *S_anchor_id(struct dialect *dx, const char *s)
{
	if (strncasecmp(s, "<a", 2) != 0 || !isspace((unsigned char)s[2]))
		return NULL;
	s += 3;
	while (isspace((unsigned char)*s))
		s++;
	size_t kl = strncasecmp(s, "name", 4) == 0 ? 4 : strncasecmp(s, "id", 2) == 0 ? 2 : 0;
	if (kl == 0)
		return NULL;
	s += kl;
	while (isspace((unsigned char)*s))
		s++;
	if (*s++ != '=')
		return NULL;
	while (isspace((unsigned char)*s))
		s++;
	char q = *s++;
	if (q != '"' && q != '\'')
		return NULL;
	const char *e = strchr(s, q);
	if (e == NULL || !S_id_ok(s, (size_t)(e - s)))
		return NULL;
	const char *rest = e + 1;
	while (isspace((unsigned char)*rest))
		rest++;
	if (strcmp(rest, ">") != 0)
		return NULL;
	return arena_strndup(&dx->arena, s, (size_t)(e - s));
}

static bool S_is_br(const char *s)
{
	return strcasecmp(s, "<br>") == 0 || strcasecmp(s, "<br/>") == 0 ||
	       strcasecmp(s, "<br />") == 0;
}

/* A raw HTML block (a <style> sheet, a <div>, a comment) is left out of
 * the page: shown as text it would print its markup, or its CSS, to readers. */
static void S_drop_html_block(struct dialect *dx, cmark_node *n)
{
	const char *lit = S_literal(n);
	/* A comment shows nothing either way: left out without a word. */
	bool comment = strncmp(lit, "<!--", 4) == 0;
	size_t len = strcspn(lit, " \t\r\n>");
	if (len > 40)
		len = 40;
	char *tag = xstrndup(lit, len);
	if (!comment)
		S_report(dx, DIAG_RAW_HTML, n, NULL,
			 "raw HTML block '%s%s' is left out of the page (site.yaml: "
			 "allow_raw_html is false)",
			 tag, lit[len] == '>' ? ">" : "");
	free(tag);
	cmark_node_unlink(n);
	cmark_node_free(n);
}

static void S_raw_html(struct dialect *dx, cmark_node *root, struct S_anchor **anchors,
		       size_t *n_anchors)
{
	static const cmark_node_type types[] = {CMARK_NODE_HTML_INLINE, CMARK_NODE_HTML_BLOCK};
	struct S_nodes l = S_collect(root, types, 2);
	bool allow = dx->m->site.allow_raw_html;
	for (size_t i = 0; i < l.n; i++) {
		cmark_node *n = l.v[i];
		const char *lit = S_literal(n);
		if (cmark_node_get_type(n) == CMARK_NODE_HTML_INLINE) {
			if (*lit == '\0')
				continue; /* an anchor's closing tag, emptied below */
			if (S_is_br(lit)) {
				cmark_node_set_literal(n, "<br>");
				continue;
			}
			const char *id = S_anchor_id(dx, lit);
			if (id) {
				cmark_node *next = cmark_node_next(n);
				if (S_is(next, CMARK_NODE_HTML_INLINE) &&
				    strcasecmp(S_literal(next), "</a>") == 0)
					cmark_node_set_literal(next, "");
				cmark_node *parent = cmark_node_parent(n);
				if (S_is(parent, CMARK_NODE_HEADING)) {
					*anchors = xgrow(*anchors, *n_anchors, sizeof **anchors);
					(*anchors)[(*n_anchors)++] = (struct S_anchor){parent, id};
					cmark_node_set_literal(n, "");
				} else if (S_id_taken(dx, id)) {
					S_report(dx, DIAG_IDS, n, lit, "duplicate anchor '%s'", id);
					cmark_node_set_literal(n, "");
				} else {
					struct buf b = {0};
					buf_puts(&b, "<span id=\"");
					html_escape_str(&b, id);
					buf_puts(&b, "\"></span>");
					cmark_node_set_literal(n, buf_str(&b));
					buf_free(&b);
					S_id_add(dx, id);
				}
				continue;
			}
			if (allow)
				continue;
			S_report(dx, DIAG_RAW_HTML, n, lit,
				 "raw HTML '%s' is shown as text (site.yaml: allow_raw_html is "
				 "false)",
				 lit);
			S_replace(n, S_text(lit));
		} else if (!allow) {
			S_drop_html_block(dx, n);
		}
	}
	free(l.v);
}

/* ---- 4. headings ----------------------------------------------------------------- */

/* ASCII spellings of the Latin letters of U+00C0-U+017F, so that ids stay
 * readable in URLs ("czesc-1" for "Część 1"). Capitals mark two letters:
 * A=ae T=th S=ss I=ij O=oe; '-' separates. */
static const char S_latin1[] = "aaaaaaAceeeeiiiidnooooo-ouuuuyTSaaaaaaAceeeeiiiidnooooo-ouuuuyTy";
static const char S_latin_a[] =
	"aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiIIjjkkkllllllllll"
	"nnnnnnnnnooooooOOrrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

static void S_slug_letter(struct buf *b, char c)
{
	switch (c) {
	case 'A':
		buf_puts(b, "ae");
		break;
	case 'T':
		buf_puts(b, "th");
		break;
	case 'S':
		buf_puts(b, "ss");
		break;
	case 'I':
		buf_puts(b, "ij");
		break;
	case 'O':
		buf_puts(b, "oe");
		break;
	default:
		buf_putc(b, c);
	}
}

/* A stable id from heading text: lower-case ASCII letters and digits,
 * accented Latin letters spelled without accents, runs of anything else one
 * '-'; letters of other scripts are kept as they are (HTML allows them). */
static void S_slugify(const char *s, struct buf *out)
{
	bool sep = false;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned cp = 0;
		size_t n = 1;
		if (*p < 0x80) {
			cp = *p;
		} else if ((*p & 0xE0) == 0xC0 && (p[1] & 0xC0) == 0x80) {
			cp = ((unsigned)(*p & 0x1F) << 6) | (p[1] & 0x3F);
			n = 2;
		} else {
			n = (*p & 0xF0) == 0xE0 ? 3 : (*p & 0xF8) == 0xF0 ? 4 : 1;
			for (size_t k = 1; k < n; k++)
				if ((p[k] & 0xC0) != 0x80)
					n = 1;
			cp = n == 3 ? (((unsigned)(*p & 0x0F) << 12) |
				       ((unsigned)(p[1] & 0x3F) << 6) | (p[2] & 0x3F))
				    : 0x10000;
		}
		char mapped = 0;
		bool keep = false;
		if (cp < 0x80 && isalnum((int)cp))
			mapped = (char)tolower((int)cp);
		else if (cp >= 0xC0 && cp <= 0xFF)
			mapped = S_latin1[cp - 0xC0];
		else if (cp >= 0x100 && cp <= 0x17F)
			mapped = S_latin_a[cp - 0x100];
		else if (cp >= 0x180 && !(cp >= 0x2000 && cp <= 0x2BFF) &&
			 !(cp >= 0x3000 && cp <= 0x303F))
			keep = true; /* a letter of another script, most likely */
		if (mapped == '-' || (!mapped && !keep)) {
			sep = out->len > 0;
		} else {
			if (sep)
				buf_putc(out, '-');
			sep = false;
			if (keep)
				buf_put(out, p, n);
			else
				S_slug_letter(out, mapped);
		}
		p += n;
	}
	if (out->len == 0)
		buf_puts(out, "section");
}

void dialect_slugify(const char *s, struct buf *out) { S_slugify(s, out); }

/* `{#id}` (or `{#id .class}`) at the end of the heading's last text. */
static const char *S_heading_explicit_id(struct dialect *dx, cmark_node *h)
{
	cmark_node *last = cmark_node_last_child(h);
	if (!S_is(last, CMARK_NODE_TEXT))
		return NULL;
	const char *s = S_literal(last);
	size_t len = strlen(s);
	while (len && s[len - 1] == ' ')
		len--;
	if (len < 3 || s[len - 1] != '}')
		return NULL;
	const char *open = NULL;
	for (size_t i = len; i-- > 0;)
		if (s[i] == '{') {
			open = s + i;
			break;
		}
	if (open == NULL || open[1] != '#')
		return NULL;
	const char *id = open + 2, *e = id;
	while (e < s + len - 1 && *e != ' ' && *e != '}')
		e++;
	if (!S_id_ok(id, (size_t)(e - id)))
		return NULL;
	const char *kept = arena_strndup(&dx->arena, id, (size_t)(e - id));
	size_t keep = (size_t)(open - s);
	while (keep && s[keep - 1] == ' ')
		keep--;
	if (keep == 0) {
		cmark_node_unlink(last);
		cmark_node_free(last);
	} else {
		char *t = xstrndup(s, keep);
		cmark_node_set_literal(last, t);
		free(t);
	}
	return kept;
}

static void S_trim_heading(cmark_node *h)
{
	cmark_node *last = cmark_node_last_child(h);
	while (S_is(last, CMARK_NODE_HTML_INLINE) && *S_literal(last) == '\0') {
		cmark_node *prev = cmark_node_previous(last);
		cmark_node_unlink(last);
		cmark_node_free(last);
		last = prev;
	}
	if (S_is(last, CMARK_NODE_TEXT)) {
		const char *s = S_literal(last);
		size_t len = strlen(s);
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		char *t = xstrndup(s, len);
		cmark_node_set_literal(last, t);
		free(t);
	}
}

/* The lower case of the capitals of Latin-1, Latin Extended-A, Greek and
 * Cyrillic (what headings of the guides' languages use); others as is. */
static unsigned S_lower(unsigned c)
{
	if ((c >= 0xC0 && c <= 0xDE && c != 0xD7) || (c >= 0x391 && c <= 0x3AB && c != 0x3A2) ||
	    (c >= 0x410 && c <= 0x42F))
		return c + 0x20;
	if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177))
		return c | 1;
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
		return c + (c & 1);
	if (c >= 0x400 && c <= 0x40F)
		return c + 0x50;
	return c == 0x178 ? 0xFF : c;
}

/* The id GitHub and Hugo give a heading (github-slugger): lower case,
 * punctuation and symbols dropped, each space a '-', letters of every
 * script kept ("Teil 3 und der Wachmücktalt" -> teil-3-und-der-wachmücktalt).
 * Links written against the guides' published site use these. */
static void S_github_id(const char *s, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned c = *p;
		size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
		for (size_t k = 1; k < n; k++)
			if ((p[k] & 0xC0) != 0x80)
				n = 1;
		if (n == 1 && c >= 0x80) {
			p++;
			continue;
		}
		if (n > 1) {
			c &= 0x3Fu >> (n - 1);
			for (size_t k = 1; k < n; k++)
				c = (c << 6) | (p[k] & 0x3F);
		}
		p += n;
		if (c < 0x80) {
			if (isalnum((int)c) || c == '-' || c == '_')
				buf_putc(out, (char)tolower((int)c));
			else if (c == ' ')
				buf_putc(out, '-');
			continue;
		}
		if (c < 0xC0 || c == 0xD7 || c == 0xF7 || (c >= 0x2000 && c <= 0x2BFF) ||
		    (c >= 0x3000 && c <= 0x303F) || (c >= 0xFE00 && c <= 0xFE0F) || c >= 0x1F000)
			continue;
		c = S_lower(c);
		char u[4];
		size_t len = c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
		for (size_t k = len; k-- > 1; c >>= 6)
			u[k] = (char)(0x80 | (c & 0x3F));
		u[0] = (char)(len == 2 ? 0xC0 | c : len == 3 ? 0xE0 | c : 0xF0 | c);
		buf_put(out, u, len);
	}
}

/* The second id of a heading whose GitHub-style id (S_github_id, with
 * github-slugger's -1, -2 for repeats counted in `seen`) differs from the
 * one it got: a link written either way then reaches it. NULL when none. */
static const char *S_heading_alias(struct dialect *dx, const char *text, const char *id,
				   const char ***seen, size_t **count, size_t *n, size_t *cap)
{
	struct buf b = {0};
	S_github_id(text, &b);
	size_t base = b.len;
	size_t slot = S_set_put(seen, count, n, cap, arena_strdup(&dx->arena, buf_str(&b)));
	if ((*count)[slot]++)
		buf_printf(&b, "-%zu", (*count)[slot] - 1);
	const char *alias = NULL;
	if (base && strcmp(buf_str(&b), id) != 0 && S_id_ok(buf_str(&b), b.len) &&
	    !S_id_taken(dx, buf_str(&b)))
		alias = S_id_add(dx, buf_str(&b));
	buf_free(&b);
	return alias;
}

static void S_headings(struct dialect *dx, cmark_node *root, const struct S_anchor *anchors,
		       size_t n_anchors)
{
	static const cmark_node_type types[] = {CMARK_NODE_HEADING};
	struct S_nodes l = S_collect(root, types, 1);
	const char **ids = xcalloc(l.n + 1, sizeof *ids);
	bool *braced = xcalloc(l.n + 1, sizeof *braced); /* ids given as {#id} */
	size_t next_anchor = 0;
	/* Explicit ids first, so generated ones step aside for them. */
	for (size_t i = 0; i < l.n; i++) {
		cmark_node *h = l.v[i];
		const char *id = S_heading_explicit_id(dx, h);
		braced[i] = id != NULL;
		/* Anchors were collected in document order, as the headings: the
		 * ones of this heading are next (the first one counts). */
		for (; next_anchor < n_anchors && anchors[next_anchor].heading == h; next_anchor++)
			if (id == NULL)
				id = anchors[next_anchor].id;
		S_trim_heading(h);
		if (id && S_id_taken(dx, id)) {
			S_report(dx, DIAG_IDS, h, id,
				 "duplicate id '%s'; this heading gets another", id);
			id = NULL;
		}
		if (id)
			ids[i] = S_id_add(dx, id);
	}
	/* The next number to try after each generated id's base ("part-1"
	 * is tried from 2 on the first time, from where it stopped after). */
	const char **bases = NULL;
	size_t *tried = NULL, n_bases = 0, bases_cap = 0;
	cmark_node **blocks = xcalloc(l.n + 1, sizeof *blocks);
	const char **texts = xcalloc(l.n + 1, sizeof *texts);
	dx->toc = xcalloc(l.n + 1, sizeof *dx->toc);
	for (size_t i = 0; i < l.n; i++) {
		cmark_node *h = l.v[i];
		struct buf text = {0}, slug = {0};
		dialect_plain_text(h, &text);
		if (ids[i] == NULL) {
			S_slugify(buf_str(&text), &slug);
			size_t base = slug.len;
			size_t b = S_set_put(&bases, &tried, &n_bases, &bases_cap,
					     arena_strdup(&dx->arena, buf_str(&slug)));
			size_t k = tried[b] ? tried[b] : 2;
			for (; S_id_taken(dx, buf_str(&slug)); k++) {
				slug.len = base;
				buf_printf(&slug, "-%zu", k);
			}
			tried[b] = k;
			ids[i] = S_id_add(dx, buf_str(&slug));
		}
		int level = cmark_node_get_heading_level(h);
		if ((level == 2 || level == 3) && cmark_node_parent(h) == root)
			dx->toc[dx->n_toc++] = (struct dialect_heading){
				(unsigned)level, ids[i], arena_strdup(&dx->arena, buf_str(&text))};
		struct buf open = {0};
		buf_printf(&open, "<h%d id=\"", level);
		html_escape_str(&open, ids[i]);
		buf_puts(&open, "\">");

		char close[8];
		snprintf(close, sizeof close, "</h%d>", level);
		cmark_node *cb = S_custom_block(buf_str(&open), close);
		cmark_node_insert_before(h, cb);
		S_move_children(h, cb);
		cmark_node_unlink(h);
		cmark_node_free(h);
		blocks[i] = cb;
		texts[i] = arena_strdup(&dx->arena, buf_str(&text));
		buf_free(&open);
		buf_free(&text);
		buf_free(&slug);
	}
	/* Last, so that generated ids never step aside for a second one. */
	const char **gh = NULL;
	size_t *gh_count = NULL, n_gh = 0, gh_cap = 0;
	for (size_t i = 0; i < l.n; i++) {
		/* Hugo gives a {#id} heading that id alone (GitHub shows the braces). */
		const char *alias = braced[i] ? NULL
					      : S_heading_alias(dx, texts[i], ids[i], &gh,
								&gh_count, &n_gh, &gh_cap);
		if (alias == NULL)
			continue;
		struct buf span = {0};
		buf_puts(&span, "<span id=\"");
		html_escape_str(&span, alias);
		buf_puts(&span, "\"></span>");
		cmark_node_prepend_child(blocks[i], S_html_inline(buf_str(&span)));
		buf_free(&span);
	}
	free(gh);
	free(gh_count);
	free(blocks);
	free(texts);
	free(braced);
	free(bases);
	free(tried);
	free(ids);
	free(l.v);
}

/* ---- 5. attributes, links, images -------------------------------------------------- */

struct S_attrs {
	struct buf classes; /* "a b" */
	const char *id;
};

/* Parses `{.a .b #id}` at the start of the text node after `n` and removes
 * it from there. Returns false (and changes nothing) when there is none. */
static bool S_take_attrs(struct dialect *dx, cmark_node *n, struct S_attrs *a)
{
	cmark_node *t = cmark_node_next(n);
	if (!S_is(t, CMARK_NODE_TEXT))
		return false;
	const char *s = S_literal(t);
	if (s[0] != '{')
		return false;
	struct S_attrs got = {0};
	const char *p = s + 1;
	int tokens = 0;
	for (;;) {
		while (*p == ' ')
			p++;
		if (*p == '}')
			break;
		if (*p != '.' && *p != '#')
			goto none;
		char kind = *p++;
		const char *w = p;
		while (isalnum((unsigned char)*p) || *p == '-' || *p == '_' ||
		       (kind == '#' && (*p == ':' || *p == '.')))
			p++;
		if (p == w || (*p != ' ' && *p != '}'))
			goto none;
		if (kind == '.') {
			if (got.classes.len)
				buf_putc(&got.classes, ' ');
			buf_put(&got.classes, w, (size_t)(p - w));
		} else {
			got.id = arena_strndup(&dx->arena, w, (size_t)(p - w));
		}
		tokens++;
	}
	if (tokens == 0)
		goto none;
	*a = got;
	p++;
	if (*p == '\0') {
		cmark_node_unlink(t);
		cmark_node_free(t);
	} else {
		char *rest = xstrdup(p);
		cmark_node_set_literal(t, rest);
		free(rest);
	}
	return true;
none:
	buf_free(&got.classes);
	return false;
}

static void S_put_attrs(struct dialect *dx, cmark_node *n, struct buf *b, const struct S_attrs *a)
{
	if (a->classes.len) {
		buf_puts(b, " class=\"");
		html_escape(b, a->classes.data, a->classes.len);
		buf_putc(b, '"');
	}
	if (a->id) {
		if (S_id_taken(dx, a->id)) {
			S_report(dx, DIAG_IDS, n, a->id, "duplicate id '%s' left out", a->id);
		} else {
			S_id_add(dx, a->id);
			buf_puts(b, " id=\"");
			html_escape_str(b, a->id);
			buf_putc(b, '"');
		}
	}
}

/* "http:", "mailto:" ...: the scheme's length, 0 when the URL has none. */
static size_t S_scheme(const char *u)
{
	if (!isalpha((unsigned char)u[0]))
		return 0;
	size_t i = 1;
	while (isalnum((unsigned char)u[i]) || u[i] == '+' || u[i] == '-' || u[i] == '.')
		i++;
	return u[i] == ':' ? i : 0;
}

static bool S_scheme_ok(const char *u)
{
	static const char *const ok[] = {"http", "https", "mailto", "tel", NULL};
	size_t n = S_scheme(u);
	if (n == 0)
		return true;
	for (size_t i = 0; ok[i]; i++)
		if (strlen(ok[i]) == n && strncasecmp(u, ok[i], n) == 0)
			return true;
	return false;
}

/* The guide folder a link of the guides' source repository names:
 * "/pages/web/emails/<folder>/" or ".../<folder>/guide.pl-pl.md", maybe
 * with a #fragment (returned in *frag, "" when none). Caller frees. */
static char *S_repo_folder(const char *url, const char **frag)
{
	const char *hash = strchr(url, '#');
	*frag = hash ? hash : "";
	size_t end = strcspn(url, "#?");
	const char *last = NULL;
	size_t last_len = 0;
	for (size_t i = 0; i < end;) {
		size_t n = strcspn(url + i, "/#?");
		if (n > end - i)
			n = end - i;
		if (n && strncmp(url + i, "guide.", 6) != 0 &&
		    !(n == 10 && memcmp(url + i, "index.html", 10) == 0))
			last = url + i, last_len = n;
		i += n + 1;
	}
	return last && last != url + 1 ? xstrndup(last, last_len) : NULL;
}

/* The relative URL of guide `g`'s page in the reader's locale. */
static char *S_guide_href(struct dialect *dx, size_t g)
{
	const struct guide_link *l =
		guide_view_link(dx->others, g, guide_locale_index(dx->m, dx->loc));
	char *to = guide_path(dx->loc, l->slug);
	char *rel = paths_relative(dx->page, to);
	free(to);
	return rel;
}

/* A root-relative link to a guide of the source repository resolves to
 * that guide's page in the reader's locale, as a {legacy} link would. */
static char *S_repo_link(struct dialect *dx, cmark_node *n, const char *url, size_t *target)
{
	const char *frag;
	char *folder = S_repo_folder(url, &frag);
	size_t g = folder ? guide_view_named(dx->others, folder) : GUIDE_NONE;
	if (g == GUIDE_NONE) {
		S_report(dx, DIAG_LINKS, n, url,
			 "link '%s' names guide '%s' of the source repository, which is not in "
			 "the content (add its folder as guides/%s/, or link elsewhere)",
			 url, folder ? folder : "", folder ? folder : "…");
		free(folder);
		return NULL;
	}
	free(folder);
	*target = g;
	char *rel = S_guide_href(dx, g);
	struct buf b = {0};
	buf_printf(&b, "%s%s", rel, frag);
	free(rel);
	return buf_detach(&b);
}

/* A link target in the dialect: {legacy}N[#x], {placeholder}rest, or as is.
 * Returns the URL to write (caller frees) or NULL after an error; sets
 * *target to the guide a {legacy} link names. */
static char *S_link_url(struct dialect *dx, cmark_node *n, const char *url, size_t *target)
{
	*target = GUIDE_NONE;
	if (strncmp(url, "{legacy}", 8) == 0) {
		const char *p = url + 8;
		if (*p == 'g' || *p == 'G')
			p++;
		char *end = (char *)p;
		unsigned long num = isdigit((unsigned char)*p) ? strtoul(p, &end, 10) : 0;
		/* Legacy numbers have at most 9 digits (guide.c): a longer one
		 * would wrap when narrowed to unsigned and link another guide. */
		if (end - p > 9)
			num = 0;
		if (num == 0 || (*end != '\0' && *end != '#')) {
			S_report(dx, DIAG_LINKS, n, url,
				 "'%s' is not a legacy link; write {legacy}N with the guide's "
				 "number",
				 url);
			return NULL;
		}
		size_t g = guide_view_legacy(dx->others, (unsigned)num);
		if (g == GUIDE_NONE) {
			S_report(dx, DIAG_LINKS, n, url,
				 "no guide has legacy_guide_number g%lu (link '%s')", num, url);
			return NULL;
		}
		*target = g;
		char *rel = S_guide_href(dx, g);
		struct buf b = {0};
		buf_puts(&b, rel);
		buf_puts(&b, end);
		free(rel);
		return buf_detach(&b);
	}
	if (strncmp(url, "/pages/", 7) == 0)
		return S_repo_link(dx, n, url, target);
	if (url[0] == '{') {
		const char *e = strchr(url, '}');
		size_t len = e ? (size_t)(e - url - 1) : 0;
		char name[64];
		const char *value = NULL;
		if (e && len > 0 && len < sizeof name) {
			memcpy(name, url + 1, len);
			name[len] = '\0';
			value = model_kv_get(dx->loc->placeholders, dx->loc->n_placeholders, name);
			if (value == NULL)
				value = model_kv_get(dx->doc->locale->placeholders,
						     dx->doc->locale->n_placeholders, name);
		}
		if (value == NULL) {
			S_report(dx, DIAG_LINKS, n, url,
				 "unknown placeholder in link target '%s' (site.yaml: locales: %s: "
				 "placeholders:)",
				 url, dx->doc->locale->tag);
			return NULL;
		}
		struct buf b = {0};
		buf_puts(&b, value);
		buf_puts(&b, e + 1);
		return buf_detach(&b);
	}
	if (!S_scheme_ok(url)) {
		/* Not a check class: a page must never link there. */
		unsigned line, col;
		dialect_where(dx, n, url, &line, &col);
		diag_at(dx->diag, DIAG_ERROR, dx->doc->file, line, col, (unsigned)strlen(url), NULL,
			"link '%s' uses a scheme pages may not link to", url);
		return NULL;
	}
	return xstrdup(url);
}

static void S_image_add(struct dialect *dx, const char *src, const char *dest)
{
	if (S_set_has(dx->image_set, dx->image_set_cap, dest))
		return;
	const char *kept = arena_strdup(&dx->arena, dest);
	S_set_put(&dx->image_set, NULL, &dx->n_image_set, &dx->image_set_cap, kept);
	dx->images = xgrow(dx->images, dx->n_images, sizeof *dx->images);
	dx->images[dx->n_images++] = (struct dialect_image){arena_strdup(&dx->arena, src), kept};
}

/* An image must be a file in the guide's folder: pages load nothing from
 * elsewhere. Returns its URL from the page (caller frees), or NULL. */
static char *S_image_url(struct dialect *dx, cmark_node *n, const char *url)
{
	const char *rel = url;
	while (strncmp(rel, "./", 2) == 0)
		rel += 2;
	if (S_scheme(url) || strncmp(url, "//", 2) == 0) {
		S_report(dx, DIAG_IMAGES, n, url,
			 "image '%s' is not a file beside the guide (pages load nothing from "
			 "outside the site)",
			 url);
		return NULL;
	}
	if (!paths_rel_ok(rel)) {
		S_report(dx, DIAG_IMAGES, n, url,
			 "image path '%s' must be a plain path inside the guide's folder (no '..', "
			 "'\\', device names like 'con')",
			 url);
		return NULL;
	}
	char *src = path_join(dx->doc->dir, rel);
	/* The load stage's rules for content files (cfile.h): a symbolic link
	 * out of the content directory, a FIFO or an oversized file is refused
	 * (reported at the file), so nothing outside content/ is published. */
	bool known = dx->images_ok && strmap_get(dx->images_ok, src);
	enum cfile_status cs = known ? CFILE_OK
				     : cfile_check_at(dx->content_fd, dx->content_dir, src,
						      CFILE_MAX_IMAGE, dx->diag);
	if (cs == CFILE_OK && !known && dx->images_ok)
		strmap_put(dx->images_ok, src, (void *)1);
	if (cs != CFILE_OK) {
		if (cs == CFILE_MISSING)
			S_report(dx, DIAG_IMAGES, n, url, "missing image '%s' (looked for %s)", url,
				 src);
		else
			S_report(dx, DIAG_IMAGES, n, url,
				 "image '%s' cannot be used: see the error reported for %s", url,
				 src);
		free(src);
		return NULL;
	}
	char *dest = paths_image(dx->guide->id, rel);
	char *out = paths_relative(dx->page, dest);
	S_image_add(dx, src, dest);
	free(dest);
	free(src);
	return out;
}

/* A drawn dialog, ![alt](mailguide:[product:]client/dialog) (illust.h):
 * the picture the build draws for the page's locale, its alt text the
 * author's (if any) then the dialog's values in words. An unknown name is
 * an error at the target. Returns the picture's URL (caller frees), or NULL. */
static char *S_illust_url(struct dialect *dx, cmark_node *n, const char *url)
{
	const struct model_product *deflt = dx->doc->n_products ? dx->doc->products[0] : NULL;
	struct illust_ref ref;
	char *why;
	if (!illust_parse(dx->m, deflt, url, &ref, &why)) {
		unsigned line, col;
		dialect_where(dx, n, url, &line, &col);
		diag_at(dx->diag, DIAG_ERROR, dx->doc->file, line, col, (unsigned)strlen(url), NULL,
			"%s", why);
		free(why);
		return NULL;
	}
	struct buf alt = {0};
	dialect_plain_text(n, &alt);
	if (alt.len)
		buf_puts(&alt, ": ");
	char *words = illust_alt(dx->m, &ref, dx->loc);
	buf_puts(&alt, words);
	free(words);
	cmark_node *c;
	while ((c = cmark_node_first_child(n)) != NULL)
		cmark_node_free(c);
	cmark_node_append_child(n, S_text(buf_str(&alt)));
	buf_free(&alt);
	char *path = illust_path(&ref, dx->loc);
	char *out = paths_relative(dx->page, path);
	free(path);
	return out;
}

/* Every link of the page, for the checks that need the whole site (check.h). */
static void S_link_add(struct dialect *dx, cmark_node *n, const char *url, const char *href,
		       size_t legacy)
{
	if (dx->n_links % 16 == 0)
		dx->links = xrealloc(dx->links, (dx->n_links + 16) * sizeof *dx->links);
	struct dialect_link *l = &dx->links[dx->n_links++];
	*l = (struct dialect_link){.url = arena_strdup(&dx->arena, url),
				   .href = href ? arena_strdup(&dx->arena, href) : NULL,
				   .legacy = legacy == GUIDE_NONE ? 0 : legacy + 1};
	dialect_where(dx, n, url, &l->line, &l->col);
}

static void S_inlines(struct dialect *dx, cmark_node *root)
{
	static const cmark_node_type types[] = {CMARK_NODE_LINK, CMARK_NODE_IMAGE, CMARK_NODE_CODE};
	struct S_nodes l = S_collect(root, types, 3);
	/* An image is replaced (and freed) with everything in its alt text, so
	 * a link or code span inside an image (`![`x`{.a}](i.png)`) must not
	 * be visited after it: found by fuzz_dialect as a use after free
	 * (tests/fuzz/fuzz_dialect/image-with-code). Alt text is plain text
	 * anyway (dialect_plain_text). */
	size_t kept = 0;
	for (size_t i = 0; i < l.n; i++) {
		bool in_image = false;
		for (cmark_node *a = cmark_node_parent(l.v[i]); a && !in_image;
		     a = cmark_node_parent(a))
			in_image = S_is(a, CMARK_NODE_IMAGE);
		if (!in_image)
			l.v[kept++] = l.v[i];
	}
	l.n = kept;
	for (size_t i = 0; i < l.n; i++) {
		cmark_node *n = l.v[i];
		struct S_attrs a = {0};
		bool has_attrs = S_take_attrs(dx, n, &a);
		cmark_node_type t = cmark_node_get_type(n);
		if (t == CMARK_NODE_CODE) {
			if (has_attrs) {
				struct buf b = {0};
				buf_puts(&b, "<code");
				S_put_attrs(dx, n, &b, &a);
				buf_putc(&b, '>');
				html_escape_str(&b, S_literal(n));
				buf_puts(&b, "</code>");
				S_replace(n, S_html_inline(buf_str(&b)));
				buf_free(&b);
			}
			buf_free(&a.classes);
			continue;
		}
		const char *url = cmark_node_get_url(n);
		url = url ? url : "";
		size_t target = GUIDE_NONE;
		char *href = t == CMARK_NODE_LINK    ? S_link_url(dx, n, url, &target)
			     : illust_is_target(url) ? S_illust_url(dx, n, url)
						     : S_image_url(dx, n, url);
		if (t == CMARK_NODE_LINK)
			S_link_add(dx, n, url, href, target);
		if (href == NULL)
			href = xstrdup("#");
		if (target != GUIDE_NONE && cmark_node_first_child(n) == NULL) {
			/* An empty {legacy} link shows its target's title. */
			size_t l = guide_locale_index(dx->m, dx->loc);
			cmark_node_append_child(
				n, S_text(guide_view_link(dx->others, target, l)->title));
		}
		if (!has_attrs) {
			cmark_node_set_url(n, href);
			free(href);
			continue;
		}
		struct buf b = {0};
		const char *title = cmark_node_get_title(n);
		if (t == CMARK_NODE_LINK) {
			buf_puts(&b, "<a href=\"");
			html_escape_str(&b, href);
			buf_putc(&b, '"');
			if (title && *title) {
				buf_puts(&b, " title=\"");
				html_escape_str(&b, title);
				buf_putc(&b, '"');
			}
			S_put_attrs(dx, n, &b, &a);
			buf_putc(&b, '>');
			cmark_node *open = S_html_inline(buf_str(&b));
			cmark_node_insert_before(n, open);
			cmark_node *c;
			while ((c = cmark_node_last_child(n)) != NULL) {
				cmark_node_unlink(c);
				cmark_node_insert_after(open, c);
			}
			S_replace(n, S_html_inline("</a>"));
		} else {
			struct buf alt = {0};
			dialect_plain_text(n, &alt);
			buf_puts(&b, "<img src=\"");
			html_escape_str(&b, href);
			buf_puts(&b, "\" alt=\"");
			html_escape(&b, alt.data ? alt.data : "", alt.len);
			buf_putc(&b, '"');
			if (title && *title) {
				buf_puts(&b, " title=\"");
				html_escape_str(&b, title);
				buf_putc(&b, '"');
			}
			S_put_attrs(dx, n, &b, &a);
			buf_putc(&b, '>');
			S_replace(n, S_html_inline(buf_str(&b)));
			buf_free(&alt);
		}
		buf_free(&b);
		buf_free(&a.classes);
		free(href);
	}
	free(l.v);
}

/* ---- 6. notes ------------------------------------------------------------------- */

static const char *const S_note_kinds[] = {"primary", "secondary", "info",  "note", "hint",
					   "success", "warning",   "alert", "faq",  NULL};

/* Removes `[!kind]` from the start of the block quote's first paragraph;
 * returns the kind (arena) or NULL when the quote has no marker. */
static const char *S_take_marker(struct dialect *dx, cmark_node *q)
{
	cmark_node *p = cmark_node_first_child(q);
	if (!S_is(p, CMARK_NODE_PARAGRAPH))
		return NULL;
	cmark_node *t = cmark_node_first_child(p);
	if (!S_is(t, CMARK_NODE_TEXT))
		return NULL;
	const char *s = S_literal(t);
	if (strncmp(s, "[!", 2) != 0)
		return NULL;
	const char *k = s + 2, *e = k;
	while (isalpha((unsigned char)*e))
		e++;
	if (e == k || *e != ']' || e - k > 20)
		return NULL;
	char *kind = arena_strndup(&dx->arena, k, (size_t)(e - k));
	for (char *c = kind; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	const char *rest = e + 1;
	while (*rest == ' ')
		rest++;
	if (*rest) {
		char *r = xstrdup(rest);
		cmark_node_set_literal(t, r);
		free(r);
	} else {
		cmark_node *next = cmark_node_next(t);
		cmark_node_unlink(t);
		cmark_node_free(t);
		if (S_is(next, CMARK_NODE_SOFTBREAK) || S_is(next, CMARK_NODE_LINEBREAK)) {
			cmark_node_unlink(next);
			cmark_node_free(next);
		}
		if (cmark_node_first_child(p) == NULL) {
			cmark_node_unlink(p);
			cmark_node_free(p);
		}
	}
	return kind;
}

/* [!tabs]: `**Title**` paragraphs name the panels that follow as nested
 * quotes. Without script every panel shows, one after the other. */
static cmark_node *S_tabs(cmark_node *q)
{
	cmark_node *tabs = S_custom_block("<div class=\"tabs\">", "</div>");
	cmark_node *c;
	while ((c = cmark_node_first_child(q)) != NULL) {
		cmark_node_unlink(c);
		cmark_node *only = cmark_node_first_child(c);
		if (S_is(c, CMARK_NODE_PARAGRAPH) && S_is(only, CMARK_NODE_STRONG) &&
		    cmark_node_next(only) == NULL) {
			cmark_node *title =
				S_custom_block("<p class=\"tab-title\"><strong>", "</strong></p>");
			S_move_children(only, title);
			cmark_node_free(c);
			cmark_node_append_child(tabs, title);
		} else if (S_is(c, CMARK_NODE_BLOCK_QUOTE)) {
			cmark_node *panel = S_custom_block("<div class=\"tab-panel\">", "</div>");
			S_move_children(c, panel);
			cmark_node_free(c);
			cmark_node_append_child(tabs, panel);
		} else {
			cmark_node_append_child(tabs, c);
		}
	}
	return tabs;
}

static void S_notes(struct dialect *dx, cmark_node *root)
{
	static const cmark_node_type types[] = {CMARK_NODE_BLOCK_QUOTE};
	struct S_nodes l = S_collect(root, types, 1);
	/* Innermost first: a note inside a tab panel is done before its tabs. */
	for (size_t i = l.n; i-- > 0;) {
		cmark_node *q = l.v[i];
		/* Where the marker is, before taking it; only for quotes that may
		 * have one: dialect_where scans the quote's lines, and thousands
		 * of nested quotes each spanning them all took quadratic time. */
		cmark_node *first = cmark_node_first_child(cmark_node_first_child(q));
		if (!S_is(first, CMARK_NODE_TEXT) || strncmp(S_literal(first), "[!", 2) != 0)
			continue;
		unsigned line, col;
		dialect_where(dx, q, "[!", &line, &col);
		const char *kind = S_take_marker(dx, q);
		if (kind == NULL)
			continue;
		if (strcmp(kind, "tabs") == 0) {
			cmark_node *tabs = S_tabs(q);
			cmark_node_insert_before(q, tabs);
			cmark_node_unlink(q);
			cmark_node_free(q);
			continue;
		}
		size_t k = 0;
		while (S_note_kinds[k] && strcmp(S_note_kinds[k], kind) != 0)
			k++;
		if (S_note_kinds[k] == NULL) {
			diag_class(dx->diag, DIAG_NOTES, dx->doc->file, line, col,
				   (unsigned)strlen(kind) + 3, NULL,
				   "unknown note kind '[!%s]', shown as [!info]", kind);
			kind = "info";
		}
		char key[48];
		snprintf(key, sizeof key, "note_%s", kind);
		/* The note speaks the language of the text around it. */
		const char *label = model_string(dx->m, dx->doc->locale, key);
		struct buf open = {0};
		buf_puts(&open, "<div class=\"note note-");
		html_escape_str(&open, kind);
		buf_puts(&open, "\" role=\"note\">");
		if (label && *label) {
			buf_puts(&open, "<p class=\"note-label\">");
			html_escape_str(&open, label);
			buf_puts(&open, "</p>");
		}
		cmark_node *note = S_custom_block(buf_str(&open), "</div>");
		buf_free(&open);
		cmark_node_insert_before(q, note);
		S_move_children(q, note);
		cmark_node_unlink(q);
		cmark_node_free(q);
	}
	free(l.v);
}

/* ---- the passes, in order ------------------------------------------------------- */

/* ---- 0. nesting depth ------------------------------------------------------------ */

/* Block quotes and lists nested deeper than GUIDE_MAX_DEPTH are an error:
 * cmark and every pass here walk the tree without recursion, but browsers
 * do not keep such a tree (Blink's and WebKit's HTML parsers flatten
 * elements nested deeper than 512, page template included), and no guide
 * needs it. Returns false after reporting the first block too deep. */
static bool S_depth_ok(struct dialect *dx, cmark_node *root)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	unsigned depth = 0;
	bool ok = true;
	while (ok && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		if (t != CMARK_NODE_BLOCK_QUOTE && t != CMARK_NODE_LIST)
			continue;
		if (ev == CMARK_EVENT_EXIT) {
			depth--;
		} else if (++depth > GUIDE_MAX_DEPTH) {
			/* Not a check class: a limit, never switched off. */
			unsigned line, col;
			dialect_where(dx, n, NULL, &line, &col);
			diag_at(dx->diag, DIAG_ERROR, dx->doc->file, line, col, 0, NULL,
				"block quotes and lists nested more than %d deep; the limit is %d",
				GUIDE_MAX_DEPTH, GUIDE_MAX_DEPTH);
			ok = false;
		}
	}
	cmark_iter_free(it);
	return ok;
}

void dialect_run(struct dialect *dx, cmark_node *root)
{
	S_index_lines(dx);
	if (!S_depth_ok(dx, root)) {
		/* Nothing of it is published; render nothing of it either. */
		cmark_node *c;
		while ((c = cmark_node_first_child(root)) != NULL) {
			cmark_node_unlink(c);
			cmark_node_free(c);
		}
		return;
	}
	for (size_t i = 0; dialect_reserved_ids[i]; i++)
		S_id_add(dx, dialect_reserved_ids[i]);
	/* The text is joined (guide_parse), so markers and references are
	 * whole; the passes that split or replace nodes join it again. */
	S_repair_tables(dx, root);
	struct S_anchor *anchors = NULL;
	size_t n_anchors = 0;
	S_raw_html(dx, root, &anchors, &n_anchors);
	cmark_consolidate_text_nodes(root);
	dataref_expand(dx, root);
	cmark_consolidate_text_nodes(root);
	bbcode_pass(dx, root);
	S_headings(dx, root, anchors, n_anchors);
	S_inlines(dx, root);
	S_notes(dx, root);
	/* In-page links are checked by check.c, which knows every page's ids
	 * in every locale (old translations point at anchors only the
	 * original has). */
	free(anchors);
}

void dialect_free(struct dialect *dx)
{
	free(dx->toc);
	free(dx->images);
	free(dx->lines);
	free(dx->line_len);
	free(dx->repaired);
	free(dx->ids);
	free(dx->id_set);
	free(dx->image_set);
	free(dx->links);
	arena_free(&dx->arena);
	dx->toc = NULL;
	dx->images = NULL;
	dx->lines = NULL;
	dx->line_len = NULL;
	dx->repaired = NULL;
	dx->ids = NULL;
	dx->id_set = NULL;
	dx->image_set = NULL;
	dx->n_id_set = dx->id_set_cap = dx->n_image_set = dx->image_set_cap = dx->ids_cap = 0;
	dx->links = NULL;
	dx->n_links = 0;
	dx->n_toc = dx->n_images = dx->n_lines = dx->n_repaired = dx->n_ids = 0;
}
