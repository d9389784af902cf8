/* bbcode.c: the BBCode an older editor left in real guides (see bbcode.h).
 * A dialect pass over text nodes, after data references are expanded and
 * before links are resolved, so that a [url=...] becomes a link like any. */
#define _GNU_SOURCE /* strcasestr */
#include "bbcode.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mdarena.h"
#include "tree.h"
#include "util.h"

/* The formatting tags seen in the guides ("[blue]", "[/blue]", and the
 * closing tag that lost its bracket, "/green]"). */
static const char *const S_tags[] = {"b",     "i",     "u",    "red",  "green",  "blue",   "orange",
				     "black", "white", "grey", "gray", "yellow", "purple", NULL};

/* The length of a formatting tag at `s`: "[blue]", "[/blue]", or a closing
 * tag that lost its bracket, "/green]"; 0 when there is none. */
static size_t S_tag(const char *s)
{
	const char *p = s;
	if (p[0] == '[')
		p += p[1] == '/' ? 2 : 1;
	else if (p[0] == '/')
		p++;
	else
		return 0;
	for (size_t i = 0; S_tags[i]; i++) {
		size_t n = strlen(S_tags[i]);
		if (strncasecmp(p, S_tags[i], n) == 0 && p[n] == ']')
			return (size_t)(p + n + 1 - s);
	}
	return 0;
}

/* `[url=X]T[/url]` at `s`: sets the target and text spans; 0 when none. */
static size_t S_url(const char *s, const char **url, size_t *url_len, const char **text,
		    size_t *text_len)
{
	if (strncasecmp(s, "[url=", 5) != 0)
		return 0;
	const char *u = s + 5, *ue = strchr(u, ']');
	if (ue == NULL || ue == u)
		return 0;
	const char *t = ue + 1;
	const char *close = strcasestr(t, "[/url]");
	if (close == NULL)
		return 0;
	*url = u, *url_len = (size_t)(ue - u), *text = t, *text_len = (size_t)(close - t);
	return (size_t)(close + 6 - s);
}

static cmark_node *S_text_node(const char *s, size_t n)
{
	cmark_node *t = cmark_node_new_with_mem(CMARK_NODE_TEXT, mdarena_mem());
	char *c = xstrndup(s, n);
	cmark_node_set_literal(t, c);
	free(c);
	return t;
}

static void S_report(struct dialect *dx, cmark_node *n, const char *needle, size_t len,
		     const char *what)
{
	char *s = xstrndup(needle, len);
	unsigned line, col;
	dialect_where(dx, n, s, &line, &col);
	diag_class(dx->diag, DIAG_LEFTOVERS, dx->doc->file, line, col, (unsigned)len, NULL,
		   "BBCode '%s' %s", s, what);
	free(s);
}

/* Rewrites one text node: tags go, [url] becomes a link node before it. */
static void S_text(struct dialect *dx, cmark_node *n)
{
	const char *lit = cmark_node_get_literal(n);
	if (lit == NULL || (strchr(lit, '[') == NULL && strchr(lit, '/') == NULL))
		return;
	bool in_link = false; /* a link inside a link's text is no link */
	for (cmark_node *a = cmark_node_parent(n); a && !in_link; a = cmark_node_parent(a))
		in_link = cmark_node_get_type(a) == CMARK_NODE_LINK;
	char *s = xstrdup(lit);
	struct buf rest = {0};
	bool changed = false;
	for (const char *p = s; *p;) {
		const char *url, *text;
		size_t ul = 0, tl = 0, n_url = S_url(p, &url, &ul, &text, &tl), n_tag = S_tag(p);
		if (n_url && !in_link) {
			S_report(dx, n, p, n_url,
				 "(an older editor's link) is shown as a link: write [text](URL)");
			if (rest.len)
				cmark_node_insert_before(n, S_text_node(rest.data, rest.len));
			buf_clear(&rest);
			cmark_node *link = cmark_node_new_with_mem(CMARK_NODE_LINK, mdarena_mem());
			char *u = xstrndup(url, ul);
			cmark_node_set_url(link, u);
			free(u);
			cmark_node_append_child(link, S_text_node(text, tl));
			cmark_node_insert_before(n, link);
			p += n_url;
			changed = true;
		} else if (n_tag) {
			S_report(dx, n, p, n_tag, "(an older editor's formatting) is left out");
			p += n_tag;
			changed = true;
		} else {
			buf_putc(&rest, *p++);
		}
	}
	if (changed)
		cmark_node_set_literal(n, buf_str(&rest));
	buf_free(&rest);
	free(s);
}

struct S_texts {
	cmark_node **v;
	size_t n;
};

static void S_collect(cmark_node *n, void *arg)
{
	struct S_texts *t = arg;
	if (cmark_node_get_type(n) == CMARK_NODE_TEXT) {
		t->v = xgrow(t->v, t->n, sizeof *t->v);
		t->v[t->n++] = n;
	}
}

void bbcode_pass(struct dialect *dx, cmark_node *root)
{
	/* Collected first: the pass inserts nodes beside the ones it visits. */
	struct S_texts t = {0};
	tree_each(root, S_collect, &t);
	for (size_t i = 0; i < t.n; i++)
		S_text(dx, t.v[i]);
	free(t.v);
}
