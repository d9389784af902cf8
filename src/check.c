/* check.c: the checks (see check.h). Each guide document is read once,
 * its tree scanned for drift and shape before the dialect's passes and its
 * ids and links kept after them (check_facts); the checks that need the
 * whole site then run over the facts of every guide. */
#define _GNU_SOURCE
#include "check.h"

#include <cmark-gfm-core-extensions.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "dialect.h"
#include "drift.h"
#include "lists.h"
#include "pool.h"
#include "load.h"
#include "paths.h"
#include "profiles.h"
#include "rec.h"
#include "strmap.h"
#include "tree.h"
#include "util.h"

/* What a guide's page in one locale showed the checks. */
struct S_doc {
	const char **ids;
	size_t n_ids;
	struct dialect_link *links;
	size_t n_links;
	unsigned headings, steps, images, refs;
};

struct check_facts {
	struct arena a;
	struct S_doc **docs; /* [locale]: NULL where the guide is not written in it */
	size_t n_docs;
};

/* A page the site-wide checks look at: a guide's document and its facts. */
struct S_page {
	const struct guide_doc *doc;
	const struct guide *g;
	const char *path; /* the page's output path */
	const struct S_doc *f;
};

/* An output file a link may reach, and the guide page it is, if one. */
struct S_target {
	const char *path;
	const struct guide *g;
	const struct model_locale *loc;
};

struct S_check {
	const struct model *m;
	const struct guide_set *set;
	struct diag *d;
	const struct check_opts *o;
	struct arena a;
	struct S_page **pages; /* [guide * n_locales + locale], NULL: no translation */
	struct strmap targets; /* output path -> struct S_target */
	struct drift_fixes *fixes;
};

static size_t S_nl(const struct S_check *c) { return c->m->site.n_locales; }

/* ---- one guide's facts ------------------------------------------------------------------ */

struct check_facts *check_facts_new(const struct model *m)
{
	struct check_facts *f = xcalloc(1, sizeof *f);
	/* Every guide's facts are kept until the site-wide checks: a few KiB
	 * each, which blocks of 16 KiB would more than double. */
	f->a.block = 2048;
	f->n_docs = m->site.n_locales;
	f->docs = arena_alloc(&f->a, (f->n_docs + 1) * sizeof *f->docs);
	return f;
}

void check_facts_free(struct check_facts *f)
{
	if (f == NULL)
		return;
	arena_free(&f->a);
	free(f);
}

static struct S_doc *S_doc_of(struct check_facts *f, const struct model *m,
			      const struct guide_doc *doc)
{
	size_t l = guide_locale_index(m, doc->locale);
	if (f->docs[l] == NULL)
		f->docs[l] = arena_alloc(&f->a, sizeof *f->docs[l]);
	return f->docs[l];
}

static void S_shape_node(cmark_node *n, void *arg)
{
	struct S_doc *pg = arg;
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_HEADING:
		pg->headings++;
		break;
	case CMARK_NODE_IMAGE:
		pg->images++;
		break;
	case CMARK_NODE_ITEM:
		if (cmark_node_get_list_type(cmark_node_parent(n)) == CMARK_ORDERED_LIST)
			pg->steps++;
		break;
	case CMARK_NODE_TEXT:
	case CMARK_NODE_CODE:
		for (const char *s = cmark_node_get_literal(n); s && (s = strstr(s, "{{")); s += 2)
			pg->refs++;
		break;
	default:
		break;
	}
}

static void S_shape(struct S_doc *pg, cmark_node *root) { tree_each(root, S_shape_node, pg); }

void check_doc_scan(struct check_facts *f, const struct model *m, const struct guide_doc *doc,
		    cmark_node *root, struct diag *d, struct drift_fixes *fixes)
{
	S_shape(S_doc_of(f, m, doc), root);
	struct drift_fixes none = {0};
	drift_scan(m, doc, root, d, fixes ? fixes : &none);
	lists_scan(doc, root, d, fixes ? fixes : &none);
	drift_fixes_free(&none);
}

void check_doc_take(struct check_facts *f, const struct model *m, const struct guide_doc *doc,
		    const struct dialect *dx)
{
	struct S_doc *pg = S_doc_of(f, m, doc);
	pg->ids = arena_alloc(&f->a, (dx->n_ids + 1) * sizeof *pg->ids);
	for (size_t i = 0; i < dx->n_ids; i++)
		pg->ids[pg->n_ids++] = arena_strdup(&f->a, dx->ids[i]);
	pg->links = arena_alloc(&f->a, (dx->n_links + 1) * sizeof *pg->links);
	for (size_t i = 0; i < dx->n_links; i++) {
		struct dialect_link l = dx->links[i];
		l.url = arena_strdup(&f->a, l.url);
		l.href = l.href ? arena_strdup(&f->a, l.href) : NULL;
		pg->links[pg->n_links++] = l;
	}
}

/* The text form, one record per line, fields separated by tabs (rec.h):
 *   doc <locale> <S_doc_fields>
 *   id <id>
 *   link <S_link_fields>
 * check_facts_format names them, with "facts" and the version of this
 * layout. */
static const struct rec_field S_doc_fields[] = {
	REC_FIELD(struct S_doc, headings),
	REC_FIELD(struct S_doc, steps),
	REC_FIELD(struct S_doc, images),
	REC_FIELD(struct S_doc, refs),
};
static const struct rec_field S_link_fields[] = {
	REC_FIELD(struct dialect_link, line),   REC_FIELD(struct dialect_link, col),
	REC_FIELD(struct dialect_link, legacy), REC_FIELD(struct dialect_link, url),
	REC_FIELD(struct dialect_link, href),
};
static const struct rec_format S_doc_format = REC_FORMAT("doc", 1, S_doc_fields);
static const struct rec_format S_link_format = REC_FORMAT("link", 1, S_link_fields);
#define S_N_DOC (sizeof S_doc_fields / sizeof *S_doc_fields)
#define S_N_LINK (sizeof S_link_fields / sizeof *S_link_fields)

char *check_facts_format(void)
{
	struct buf b = {0};
	buf_puts(&b, "facts 1 ");
	rec_header(&b, &S_doc_format);
	buf_putc(&b, ' ');
	rec_header(&b, &S_link_format);
	return buf_detach(&b);
}

char *check_facts_save(const struct check_facts *f)
{
	struct buf b = {0};
	for (size_t l = 0; l < f->n_docs; l++) {
		const struct S_doc *pg = f->docs[l];
		if (pg == NULL)
			continue;
		buf_printf(&b, "doc\t%zu\t", l);
		rec_put(&b, &S_doc_format, pg);
		buf_putc(&b, '\n');
		for (size_t i = 0; i < pg->n_ids; i++) {
			buf_puts(&b, "id\t");
			buf_put_field(&b, pg->ids[i]);
			buf_putc(&b, '\n');
		}
		for (size_t i = 0; i < pg->n_links; i++) {
			buf_puts(&b, "link\t");
			rec_put(&b, &S_link_format, &pg->links[i]);
			buf_putc(&b, '\n');
		}
	}
	return buf_detach(&b);
}

/* A decimal number below `limit`, all of `s`; false otherwise. */
static bool S_index(const char *s, size_t limit, size_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v >= limit)
		return false;
	*out = (size_t)v;
	return true;
}

/* How many id and link records follow a doc record. */
struct S_tally {
	size_t ids, links;
};

static bool S_record_is(const char *line, size_t len, const char *name)
{
	size_t n = strlen(name);
	return len >= n && memcmp(line, name, n) == 0 && (len == n || line[n] == '\t');
}

/* The tally of each doc record of `text`, in order (*n of them): a doc's
 * arrays are then allocated whole (grown by doubling in the arena, they
 * were half the time of reading the facts back). Caller frees. */
static struct S_tally *S_tallies(const char *text, size_t *n)
{
	struct S_tally *t = NULL;
	size_t k = 0;
	for (const char *line = text; line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		if (S_record_is(line, len, "doc")) {
			t = xgrow(t, k, sizeof *t);
			t[k++] = (struct S_tally){0, 0};
		} else if (k && S_record_is(line, len, "id")) {
			t[k - 1].ids++;
		} else if (k && S_record_is(line, len, "link")) {
			t[k - 1].links++;
		}
		line = nl ? nl + 1 : NULL;
	}
	*n = k;
	return t;
}

/* Reading the facts back: the doc being read and its tally. */
struct S_reading {
	struct S_doc *doc;
	const struct S_tally *tally;
	const struct S_tally *next, *end; /* the tallies of the docs to come */
};

static bool S_parse_line(struct check_facts *f, const struct guide_set *set, char **fl, size_t n,
			 struct S_reading *r)
{
	size_t l;
	if (strcmp(fl[0], "doc") == 0 && n == 2 + S_N_DOC && S_index(fl[1], f->n_docs, &l) &&
	    r->next < r->end) {
		r->tally = r->next++;
		struct S_doc *d = r->doc = f->docs[l] = arena_alloc(&f->a, sizeof *d);
		d->ids = arena_alloc(&f->a, (r->tally->ids + 1) * sizeof *d->ids);
		d->links = arena_alloc(&f->a, (r->tally->links + 1) * sizeof *d->links);
		return rec_get(fl + 2, &S_doc_format, d, NULL);
	}
	struct S_doc *d = r->doc;
	if (d == NULL)
		return false;
	if (strcmp(fl[0], "id") == 0 && n == 2 && field_unescape(fl[1]) &&
	    d->n_ids < r->tally->ids) {
		d->ids[d->n_ids++] = arena_strdup(&f->a, fl[1]);
		return true;
	}
	struct dialect_link k;
	if (strcmp(fl[0], "link") == 0 && n == 1 + S_N_LINK && d->n_links < r->tally->links &&
	    rec_get(fl + 1, &S_link_format, &k, &f->a) && k.url && k.legacy <= set->n) {
		d->links[d->n_links++] = k;
		return true;
	}
	return false;
}

struct check_facts *check_facts_parse(const char *text, const struct model *m,
				      const struct guide_set *set)
{
	char *copy = xstrdup(text);
	struct check_facts *f = check_facts_parse_in(copy, m, set);
	free(copy);
	return f;
}

struct check_facts *check_facts_parse_in(char *text, const struct model *m,
					 const struct guide_set *set)
{
	struct check_facts *f = check_facts_new(m);
	/* What is read back is no larger than its text: blocks of that size
	 * make one or two allocations of a guide's facts, not dozens. */
	size_t len = strlen(text);
	if (len > f->a.block)
		f->a.block = len;
	size_t n_docs;
	struct S_tally *tallies = S_tallies(text, &n_docs);
	struct S_reading r = {.next = tallies, .end = tallies + n_docs};
	char *fl[2 + S_N_DOC + S_N_LINK];
	bool ok = true;
	for (char *line = text, *nl; ok && line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		ok = S_parse_line(f, set, fl, field_split(line, fl, 2 + S_N_DOC + S_N_LINK), &r);
	}
	free(tallies);
	if (!ok) {
		check_facts_free(f);
		return NULL;
	}
	return f;
}

/* ---- the site's pages ------------------------------------------------------------------ */

static void S_target_add(struct S_check *c, char *path, const struct guide *g,
			 const struct model_locale *loc)
{
	if (strmap_get(&c->targets, path) == NULL) {
		struct S_target *t = arena_alloc(&c->a, sizeof *t);
		*t = (struct S_target){arena_strdup(&c->a, path), g, loc};
		strmap_put(&c->targets, path, t);
	}
	free(path);
}

/* Every page and download a link may point at (paths.h has the layout). */
static void S_targets(struct S_check *c)
{
	const struct model *m = c->m;
	S_target_add(c, xstrdup("index.html"), NULL, NULL);
	for (size_t l = 0; l < S_nl(c); l++) {
		const struct model_locale *loc = &m->site.locales[l];
		S_target_add(c, paths_locale_home(loc), NULL, NULL);
		for (size_t i = 0; i < c->set->n; i++)
			S_target_add(c, guide_page_path(c->set->m, &c->set->guides[i], loc),
				     &c->set->guides[i], loc);
		for (size_t i = 0; i < m->n_providers; i++)
			for (size_t j = 0; j < m->providers[i].n_products; j++) {
				const struct model_product *p = &m->providers[i].products[j];
				S_target_add(c, paths_settings(loc, p), NULL, NULL);
				S_target_add(c, paths_kit(p, loc), NULL, NULL);
				char *dir = paths_profile_dir(p, loc);
				S_target_add(c, path_join(dir, "index.html"), NULL, NULL);
				free(dir);
				for (int k = 0; k < CLIENT_COUNT; k++)
					if (profiles_unserved(p, (enum paths_client)k, false) ==
					    NULL)
						S_target_add(
							c,
							paths_profile(p, (enum paths_client)k, loc),
							NULL, NULL);
			}
	}
}

static const struct S_target *S_target_find(const struct S_check *c, const char *path)
{
	return strmap_get(&c->targets, path);
}

/* `url` (no fragment) from the page at `from`, as an output path; NULL
 * when it climbs out of the site. Caller frees. */
static char *S_resolve(const char *from, const char *url)
{
	struct buf b = {0};
	const char *slash = strrchr(from, '/');
	if (slash)
		buf_put(&b, from, (size_t)(slash - from) + 1);
	buf_puts(&b, url);
	/* Normalise the segments: "." goes, ".." eats the one before. */
	char *s = buf_detach(&b);
	char **seg = xcalloc(strlen(s) + 2, sizeof *seg);
	size_t n = 0;
	bool ok = true, dir = false;
	for (char *p = s, *e; p; p = e ? e + 1 : NULL) {
		e = strchr(p, '/');
		if (e)
			*e = '\0';
		dir = e == NULL && (*p == '\0' || strcmp(p, ".") == 0 || strcmp(p, "..") == 0);
		if (*p == '\0' || strcmp(p, ".") == 0)
			continue;
		if (strcmp(p, "..") == 0) {
			if (n == 0)
				ok = false;
			else
				n--;
			dir = e == NULL;
			continue;
		}
		seg[n++] = p;
	}
	struct buf out = {0};
	for (size_t i = 0; i < n; i++)
		buf_printf(&out, "%s%s", i ? "/" : "", seg[i]);
	if (dir || n == 0)
		buf_puts(&out, n ? "/index.html" : "index.html");
	free(seg);
	free(s);
	if (!ok) {
		buf_free(&out);
		return NULL;
	}
	return buf_detach(&out);
}

/* ---- links and anchors ------------------------------------------------------------------ */

static struct S_page *S_page_of(const struct S_check *c, const struct guide *g, size_t loc)
{
	return c->pages[(size_t)(g - c->set->guides) * S_nl(c) + loc];
}

static bool S_has(const struct S_page *pg, const char *id)
{
	for (size_t i = 0; pg && i < pg->f->n_ids; i++)
		if (strcmp(pg->f->ids[i], id) == 0)
			return true;
	return false;
}

/* " it exists in fr-fr only" (or "in fr-fr, de-de only") when other
 * locales' versions of guide `g` have the id; "" otherwise. Arena. */
static const char *S_elsewhere(struct S_check *c, const struct guide *g, const char *id)
{
	struct buf b = {0};
	for (size_t l = 0; l < S_nl(c); l++) {
		const struct S_page *pg = S_page_of(c, g, l);
		if (pg && S_has(pg, id))
			buf_printf(&b, "%s%s", b.len ? ", " : "; it exists in ",
				   c->m->site.locales[l].tag);
	}
	if (b.len)
		buf_puts(&b, " only");
	const char *s = arena_strdup(&c->a, buf_str(&b));
	buf_free(&b);
	return s;
}

/* The page `pg`'s guide shows in `loc`: its translation, else the page of
 * the document shown there. */
static const struct S_page *S_shown(const struct S_check *c, const struct guide *g,
				    const struct model_locale *loc)
{
	bool fb;
	const struct guide_doc *doc = guide_page_doc(c->set->m, g, loc, &fb);
	return S_page_of(c, g, guide_locale_index(c->m, doc->locale));
}

static void S_fragment(struct S_check *c, const struct S_page *pg, const struct dialect_link *l,
		       const struct guide *g, const char *frag)
{
	const struct S_page *t = S_shown(c, g, pg->doc->locale);
	/* "#" and "#top" need no element: HTML scrolls to the top for them. */
	if (*frag == '\0' || strcasecmp(frag, "top") == 0 || t == NULL || S_has(t, frag))
		return;
	const char *where = S_elsewhere(c, g, frag);
	if (t == pg)
		diag_class(c->d, DIAG_ANCHORS, pg->doc->file, l->line, l->col,
			   (unsigned)strlen(l->url), NULL,
			   "link to '#%s', which no heading or anchor of this page has%s", frag,
			   where);
	else
		diag_class(c->d, DIAG_ANCHORS, pg->doc->file, l->line, l->col,
			   (unsigned)strlen(l->url), NULL,
			   "link to '%s': guide '%s' has no heading or anchor '%s' in %s%s", l->url,
			   g->id, frag, pg->doc->locale->tag, where);
}

/* A guide named by the last meaningful segment of a broken link (a folder
 * name, or a slug in any locale): its page's URL from `pg`, or NULL. */
static char *S_guess(struct S_check *c, const struct S_page *pg, const char *path, bool *guessed)
{
	/* The last segment but "index.html" and "guide.*.md" (repository paths). */
	char *last = NULL;
	for (const char *p = path; *p;) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n && strncmp(p, "index.html", n) != 0 && strncmp(p, "guide.", 6) != 0) {
			free(last);
			last = xstrndup(p, n);
		}
		p += n + (e != NULL);
	}
	const struct guide *hit = NULL;
	struct nearest near;
	nearest_init(&near, last ? last : "", 2);
	const struct guide *near_g = NULL;
	for (size_t i = 0; last && !hit && i < c->set->n; i++) {
		const struct guide *g = &c->set->guides[i];
		if (strcmp(g->id, last) == 0)
			hit = g;
		if (nearest_try(&near, g->id))
			near_g = g;
		for (size_t l = 0; !hit && l < S_nl(c); l++) {
			if (g->docs[l] && strcmp(g->docs[l]->slug, last) == 0)
				hit = g;
			if (g->docs[l] && nearest_try(&near, g->docs[l]->slug))
				near_g = g;
		}
	}
	/* A name two edits away is a guess: said, never applied by --fix. */
	*guessed = hit == NULL && near_g != NULL;
	if (hit == NULL)
		hit = near_g;
	char *out = NULL;
	if (hit) {
		char *to = guide_page_path(c->set->m, hit, pg->doc->locale);
		out = paths_relative(pg->path, to);
		free(to);
	}
	free(last);
	return out;
}

static void S_broken(struct S_check *c, const struct S_page *pg, const struct dialect_link *l,
		     const char *why, const char *path, const char *frag)
{
	bool guessed = false;
	char *guess = path ? S_guess(c, pg, path, &guessed) : NULL;
	char *fix = NULL;
	if (guess) {
		struct buf b = {0};
		buf_printf(&b, "%s%s%s", guess, frag ? "#" : "", frag ? frag : "");
		fix = buf_detach(&b);
	}
	diag_class(c->d, DIAG_LINKS, pg->doc->file, l->line, l->col, (unsigned)strlen(l->url),
		   guessed ? NULL : fix, "link '%s' %s%s%s%s", l->url, why,
		   fix ? "; did you mean '" : "", fix ? fix : "", fix ? "'?" : "");
	if (fix && !guessed && c->fixes && diag_enabled(c->d, DIAG_LINKS)) {
		c->fixes->v = xrealloc(c->fixes->v, (c->fixes->n + 1) * sizeof *c->fixes->v);
		c->fixes->v[c->fixes->n++] = (struct drift_fix){
			pg->doc->file, l->line, l->col, (unsigned)strlen(l->url), xstrdup(fix)};
	}
	free(fix);
	free(guess);
}

static bool S_scheme(const char *u, const char *s)
{
	size_t n = strlen(s);
	return strncasecmp(u, s, n) == 0;
}

static void S_external(struct S_check *c, const struct S_page *pg, const struct dialect_link *l,
		       const char *url)
{
	if (c->o == NULL || c->o->external == NULL)
		return;
	if (c->d->json)
		diag_at(c->d, DIAG_NOTE, pg->doc->file, l->line, l->col, (unsigned)strlen(l->url),
			NULL, "external link '%s' (not checked)", url);
	else
		fprintf(c->o->external, "%s:%u:%u: %s\n", pg->doc->file, l->line, l->col, url);
}

/* An internal path (output-relative, maybe with #fragment) must be a page
 * of the site, and its fragment an id of that page. */
static void S_internal(struct S_check *c, const struct S_page *pg, const struct dialect_link *l,
		       const char *path)
{
	const char *hash = strchr(path, '#');
	char *raw = hash ? xstrndup(path, (size_t)(hash - path)) : xstrdup(path);
	char *q = strchr(raw, '?');
	if (q)
		*q = '\0';
	char *file = S_resolve("", raw); /* "pl-pl/x/" names pl-pl/x/index.html */
	free(raw);
	if (file == NULL)
		file = xstrdup(path);
	const char *frag = hash ? hash + 1 : NULL;
	const struct S_target *t = S_target_find(c, file);
	if (t == NULL) {
		/* "../guide" without its slash: a web server redirects, file:// does not. */
		char *dir = path_join(file, "index.html");
		t = S_target_find(c, dir);
		free(dir);
	}
	if (t == NULL)
		S_broken(
			c, pg, l,
			arena_printf(&c->a, "leads to '%s', which is not a page of the site", file),
			file, frag);
	else if (frag && t->g)
		S_fragment(c, pg, l, t->g, frag);
	free(file);
}

static void S_link(struct S_check *c, const struct S_page *pg, const struct dialect_link *l)
{
	const char *u = l->url;
	if (l->href == NULL)
		return; /* the dialect reported it */
	if (u[0] == '#') {
		S_fragment(c, pg, l, pg->g, u + 1);
		return;
	}
	if (l->legacy) {
		const char *hash = strchr(u, '#');
		if (hash)
			S_fragment(c, pg, l, &c->set->guides[l->legacy - 1], hash + 1);
		return;
	}
	const char *href = l->href; /* a {placeholder} expanded */
	const char *base = c->m->site.base_url;
	if (strncmp(href, base, strlen(base)) == 0) {
		S_internal(c, pg, l, *(href + strlen(base)) ? href + strlen(base) : "index.html");
		return;
	}
	if (S_scheme(href, "http:") || S_scheme(href, "https:") || strncmp(href, "//", 2) == 0) {
		S_external(c, pg, l, href);
		return;
	}
	if (S_scheme(href, "mailto:") || S_scheme(href, "tel:") || href[0] == '\0')
		return;
	if (href[0] == '/') {
		S_broken(c, pg, l,
			 "is relative to the web server's root, which breaks when the site is "
			 "served "
			 "from a sub-path or from file://",
			 href, strchr(href, '#') ? strchr(href, '#') + 1 : NULL);
		return;
	}
	const char *hash = strchr(href, '#');
	char *rel = hash ? xstrndup(href, (size_t)(hash - href)) : xstrdup(href);
	char *path = S_resolve(pg->path, rel);
	if (path == NULL) {
		S_broken(c, pg, l, "climbs out of the site", rel, hash ? hash + 1 : NULL);
	} else {
		struct buf b = {0};
		buf_printf(&b, "%s%s", path, hash ? hash : "");
		S_internal(c, pg, l, buf_str(&b));
		buf_free(&b);
	}
	free(path);
	free(rel);
}

/* ---- translations ---------------------------------------------------------------------- */

/* Where `key:` is written in a document's front matter: its value's line
 * and column (the line of the first "---" when absent). */
static void S_front_key(const struct guide_doc *doc, const char *key, unsigned *line, unsigned *col,
			unsigned *len)
{
	*line = 1, *col = 1, *len = 0;
	struct buf b = {0};
	if (file_read(doc->file, &b) != 0) {
		buf_free(&b);
		return;
	}
	size_t kl = strlen(key);
	const char *p = buf_str(&b);
	for (unsigned l = 1; l < doc->body_line && *p; l++) {
		const char *nl = strchr(p, '\n');
		if (strncmp(p, key, kl) == 0 && p[kl] == ':') {
			const char *v = p + kl + 1;
			while (*v == ' ' || *v == '\t')
				v++;
			const char *e = v;
			while (*e && *e != '\n' && *e != '\r' && *e != ' ' && *e != '#')
				e++;
			*line = l, *col = (unsigned)(v - p) + 1, *len = (unsigned)(e - v);
			break;
		}
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	buf_free(&b);
}

static long S_days(const struct guide_date *d)
{
	return (long)d->year * 372 + (long)d->month * 31 + (long)d->day;
}

static void S_translation(struct S_check *c, const struct S_page *def, const struct S_page *t)
{
	const struct guide_doc *dd = def->doc, *td = t->doc;
	unsigned line, col, len;
	if (dd->updated.year &&
	    (td->updated.year == 0 || S_days(&td->updated) < S_days(&dd->updated))) {
		if (td->updated.year) {
			S_front_key(td, "updated", &line, &col, &len);
			diag_class(c->d, DIAG_STALE, td->file, line, col, len, NULL,
				   "updated %04u-%02u-%02u, before the %s version (%04u-%02u-%02u, "
				   "%s): "
				   "the translation may be out of date",
				   td->updated.year, td->updated.month, td->updated.day,
				   dd->locale->tag, dd->updated.year, dd->updated.month,
				   dd->updated.day, dd->file);
		} else {
			S_front_key(td, "title", &line, &col, &len);
			diag_class(c->d, DIAG_STALE, td->file, line, 1, 0, NULL,
				   "no 'updated' date, while the %s version was updated "
				   "%04u-%02u-%02u (%s): the translation may be out of date",
				   dd->locale->tag, dd->updated.year, dd->updated.month,
				   dd->updated.day, dd->file);
		}
	}
	static const char *const names[] = {"headings", "steps", "images", "data references"};
	unsigned here[] = {t->f->headings, t->f->steps, t->f->images, t->f->refs};
	unsigned there[] = {def->f->headings, def->f->steps, def->f->images, def->f->refs};
	struct buf b = {0};
	for (int i = 0; i < 4; i++)
		if (here[i] != there[i])
			buf_printf(&b, "%s%u %s where it has %u", b.len ? ", " : "", here[i],
				   names[i], there[i]);
	if (b.len) {
		S_front_key(td, "updated", &line, &col, &len);
		if (td->updated.year == 0)
			line = 1, col = 1, len = 0;
		diag_class(c->d, DIAG_STRUCTURE, td->file, line, col, len, NULL,
			   "possibly stale: shaped unlike the %s version (%s): %s", dd->locale->tag,
			   dd->file, buf_str(&b));
	}
	buf_free(&b);
}

/* ---- --fix ----------------------------------------------------------------------------- */

static int S_fix_cmp(const void *pa, const void *pb)
{
	const struct drift_fix *a = pa, *b = pb;
	int f = strcmp(a->file, b->file);
	if (f)
		return f;
	if (a->line != b->line)
		return a->line > b->line ? -1 : 1; /* from the end: offsets stay valid */
	return a->col > b->col ? -1 : a->col < b->col;
}

/* Applies the fix-its file by file, each file rewritten through a
 * temporary file and a rename. Returns how many were applied. */
static size_t S_apply(struct S_check *c)
{
	struct drift_fixes *f = c->fixes;
	if (f == NULL || f->n == 0)
		return 0;
	qsort(f->v, f->n, sizeof *f->v, S_fix_cmp);
	size_t applied = 0;
	for (size_t i = 0; i < f->n;) {
		size_t j = i;
		while (j < f->n && strcmp(f->v[j].file, f->v[i].file) == 0)
			j++;
		struct buf text = {0};
		if (file_read(f->v[i].file, &text) != 0) {
			diag_error(c->d, f->v[i].file, 0, 0, "cannot read: %s", strerror(errno));
			buf_free(&text);
			i = j;
			continue;
		}
		size_t done = 0;
		size_t prev_line = 0, prev_col = 0;
		for (size_t k = i; k < j; k++) {
			const struct drift_fix *x = &f->v[k];
			if (x->line == prev_line && x->col + x->len > prev_col)
				continue; /* overlaps the one applied after it */
			size_t off = 0;
			for (unsigned l = 1; l < x->line && off < text.len; l++) {
				const char *nl = memchr(text.data + off, '\n', text.len - off);
				off = nl ? (size_t)(nl - text.data) + 1 : text.len;
			}
			off += x->col - 1;
			if (off + x->len > text.len)
				continue;
			struct buf out = {0};
			buf_put(&out, text.data, off);
			buf_puts(&out, x->text);
			buf_put(&out, text.data + off + x->len, text.len - off - x->len);
			buf_free(&text);
			text = out;
			prev_line = x->line, prev_col = x->col;
			done++;
		}
		struct buf tmp = {0};
		buf_printf(&tmp, "%s.fix.%ld", f->v[i].file, (long)getpid());
		FILE *w = fopen(tmp.data, "wb");
		bool ok = w && fwrite(text.data, 1, text.len, w) == text.len;
		if (w && fclose(w) != 0)
			ok = false;
		if (ok && rename(tmp.data, f->v[i].file) != 0)
			ok = false;
		if (!ok) {
			diag_error(c->d, f->v[i].file, 0, 0, "cannot write the fixes: %s",
				   strerror(errno));
			unlink(tmp.data);
		} else {
			applied += done;
		}
		buf_free(&tmp);
		buf_free(&text);
		i = j;
	}
	return applied;
}

/* ---- the driver ------------------------------------------------------------------------- */

bool check_site(const struct model *m, const struct guide_set *set,
		struct check_facts *const *facts, struct diag *d, const struct check_opts *o,
		struct drift_fixes *fixes)
{
	struct S_check c = {.m = m, .set = set, .d = d, .o = o, .fixes = fixes};
	int errors = d->errors;
	size_t nl = m->site.n_locales;
	c.pages = xcalloc(set->n * nl + 1, sizeof *c.pages);
	for (size_t i = 0; i < set->n; i++)
		for (size_t l = 0; facts[i] && l < nl; l++) {
			const struct guide *g = &set->guides[i];
			if (g->docs[l] == NULL || facts[i]->docs[l] == NULL)
				continue;
			struct S_page *pg = arena_alloc(&c.a, sizeof *pg);
			char *path = guide_page_path(set->m, g, g->docs[l]->locale);
			*pg = (struct S_page){g->docs[l], g, arena_strdup(&c.a, path),
					      facts[i]->docs[l]};
			free(path);
			c.pages[i * nl + l] = pg;
		}
	S_targets(&c);
	for (size_t i = 0; i < set->n * nl; i++)
		for (size_t k = 0; c.pages[i] && k < c.pages[i]->f->n_links; k++)
			S_link(&c, c.pages[i], &c.pages[i]->f->links[k]);
	size_t def = guide_locale_index(m, m->site.default_locale);
	for (size_t i = 0; i < set->n; i++)
		for (size_t l = 0; l < nl; l++)
			if (l != def && c.pages[i * nl + def] && c.pages[i * nl + l])
				S_translation(&c, c.pages[i * nl + def], c.pages[i * nl + l]);
	if (o && o->fix) {
		size_t n = S_apply(&c);
		if (!d->quiet && !d->json)
			fprintf(stderr, "mailguide: applied %zu fix-it%s\n", n, n == 1 ? "" : "s");
	}
	strmap_free(&c.targets);
	free(c.pages);
	arena_free(&c.a);
	return d->errors == errors;
}

static char *S_no_settings(void *arg, const struct model_product *p, const struct model_locale *loc)
{
	(void)arg, (void)p, (void)loc;
	return xstrdup("");
}

/* Reading the pages (a parse, drift, the dialect) is most of a check and
 * each guide's is independent: guides are read on all CPUs, each with its
 * own reporter and fix-its, merged in guide order so messages do not
 * depend on the threads. */
struct S_reads {
	const struct model *m;
	const struct guide_set *set;
	struct check_facts **facts; /* per guide */
	struct diag *gd;            /* per guide */
	struct drift_fixes *gf;     /* per guide */
};

static void S_read_doc(struct S_reads *r, size_t i, const struct guide_doc *doc)
{
	const struct guide *g = &r->set->guides[i];
	struct guide_ast ast;
	guide_parse(doc, &ast);
	check_doc_scan(r->facts[i], r->m, doc, ast.root, &r->gd[i], &r->gf[i]);
	char *path = guide_page_path(r->set->m, g, doc->locale);
	struct dialect dx = {.m = r->m,
			     .guide = g,
			     .others = &r->set->view,
			     .content_fd = r->set->content_fd,
			     .content_dir = r->set->content_dir,
			     .doc = doc,
			     .loc = doc->locale,
			     .page = path,
			     .diag = &r->gd[i],
			     .settings_html = S_no_settings};
	dialect_run(&dx, ast.root);
	check_doc_take(r->facts[i], r->m, doc, &dx);
	dialect_free(&dx);
	guide_ast_free(&ast);
	free(path);
}

static void S_read_guide(size_t i, unsigned worker, void *arg)
{
	struct S_reads *r = arg;
	(void)worker;
	const struct guide *g = &r->set->guides[i];
	r->facts[i] = check_facts_new(r->m);
	if (!guide_read_texts(r->set, g, &r->gd[i]))
		return;
	for (size_t l = 0; l < r->m->site.n_locales; l++)
		if (g->docs[l])
			S_read_doc(r, i, g->docs[l]);
	guide_drop_texts(r->set, g);
}

bool check_guides(const struct model *m, const struct guide_set *set, struct diag *d,
		  const struct check_opts *o)
{
	int errors = d->errors;
	/* cmark-gfm's extension registry is process-wide: filled before the
	 * threads parse. */
	cmark_gfm_core_extensions_ensure_registered();
	struct S_reads r = {.m = m,
			    .set = set,
			    .facts = xcalloc(set->n + 1, sizeof *r.facts),
			    .gd = xcalloc(set->n + 1, sizeof *r.gd),
			    .gf = xcalloc(set->n + 1, sizeof *r.gf)};
	for (size_t i = 0; i < set->n; i++)
		diag_init_like(&r.gd[i], d);
	pool_run(set->n, pool_cpus(), S_read_guide, &r);
	/* In guide order, as if read one after another. */
	struct drift_fixes fixes = {0};
	for (size_t i = 0; i < set->n; i++) {
		diag_move(d, &r.gd[i]);
		diag_discard(&r.gd[i]);
		fixes.v = xrealloc(fixes.v, (fixes.n + r.gf[i].n + 1) * sizeof *fixes.v);
		if (r.gf[i].n)
			memcpy(fixes.v + fixes.n, r.gf[i].v, r.gf[i].n * sizeof *fixes.v);
		fixes.n += r.gf[i].n;
		free(r.gf[i].v);
	}
	check_site(m, set, r.facts, d, o, &fixes);
	drift_fixes_free(&fixes);
	for (size_t i = 0; i < set->n; i++)
		check_facts_free(r.facts[i]);
	free(r.facts);
	free(r.gd);
	free(r.gf);
	return d->errors == errors;
}

int check_run(const struct build_opts *b, const struct check_opts *o, struct diag *d)
{
	struct model *m = load_content(b->content, d);
	if (m == NULL)
		return 1;
	struct guide_set *set = guide_set_load(b->content, m, d, pool_cpus(), NULL);
	if (set == NULL) {
		model_free(m);
		return 1;
	}
	check_guides(m, set, d, o);
	diag_flush(d);
	if (!d->quiet && !d->json) {
		/* Notes (translations behind their original) only when there are. */
		char notes[48] = "";
		if (d->notes)
			snprintf(notes, sizeof notes, ", %d note%s", d->notes,
				 d->notes == 1 ? "" : "s");
		fprintf(stderr, "mailguide: checked %zu guide%s: %d error%s, %d warning%s%s\n",
			set->n, set->n == 1 ? "" : "s", d->errors, d->errors == 1 ? "" : "s",
			d->warnings, d->warnings == 1 ? "" : "s", notes);
	}
	guide_set_free(set);
	model_free(m);
	return d->errors ? 1 : 0;
}
