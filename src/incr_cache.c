/* incr_cache.c: the guide loader's cache file (see incr_cache.h). One line per
 * document: its path, the fields of S_fields (rec.h) and its products'
 * ids, separated by tabs, after a first line naming the format (its name,
 * version and fields: rec_header) and the binary that wrote it. */
#define _GNU_SOURCE
#include "incr_cache.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rec.h"
#include "strmap.h"

/* What a record keeps of a document, as the loader made it. */
static const struct rec_field S_fields[] = {
	REC_FIELD(struct guide_doc, stamp.dev),      REC_FIELD(struct guide_doc, stamp.ino),
	REC_FIELD(struct guide_doc, stamp.size),     REC_FIELD(struct guide_doc, stamp.mtime_ns),
	REC_FIELD(struct guide_doc, stamp.ctime_ns), REC_FIELD(struct guide_doc, digest.a),
	REC_FIELD(struct guide_doc, digest.b),       REC_FIELD(struct guide_doc, body_off),
	REC_FIELD(struct guide_doc, body_line),      REC_FIELD(struct guide_doc, title),
	REC_FIELD(struct guide_doc, excerpt),        REC_FIELD(struct guide_doc, slug),
	REC_FIELD(struct guide_doc, section),        REC_FIELD(struct guide_doc, section_id),
	REC_FIELD(struct guide_doc, order),          REC_FIELD(struct guide_doc, canonical),
	REC_FIELD(struct guide_doc, updated.year),   REC_FIELD(struct guide_doc, updated.month),
	REC_FIELD(struct guide_doc, updated.day),    REC_FIELD(struct guide_doc, legacy),
	REC_FIELD(struct guide_doc, client),         REC_FIELD(struct guide_doc, hidden),
	REC_FIELD(struct guide_doc, deprecated),
};
static const struct rec_format S_format = REC_FORMAT("mailguide-docs", 3, S_fields);
#define S_FIXED (sizeof S_fields / sizeof *S_fields) /* fields after the path */

struct incr_cache {
	struct buf text;       /* the file; each record's line, NUL-terminated */
	struct strmap records; /* path -> the rest of its line */
	size_t n;
};

/* The first line: the format, and the stamp of the binary running now. */
static void S_header(struct buf *b)
{
	struct stat st;
	rec_header(b, &S_format);
	if (stat("/proc/self/exe", &st) == 0)
		buf_printf(b, "\t%llu\t%llu\t%lld\t%lld", (unsigned long long)st.st_dev,
			   (unsigned long long)st.st_ino, (long long)st.st_size,
			   (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec);
	buf_putc(b, '\n');
}

/* Indexes the records of c->text from byte `from` on. */
static void S_index(struct incr_cache *c, size_t from)
{
	for (char *line = c->text.data ? c->text.data + from : ""; *line;) {
		char *nl = strchr(line, '\n');
		if (nl == NULL)
			break; /* a last line without its end: cut short, left out */
		*nl = '\0';
		char *tab = strchr(line, '\t');
		const char *rel = tab ? (*tab = '\0', field_unescape(line)) : NULL;
		if (rel) {
			strmap_put(&c->records, rel, tab + 1);
			c->n++;
		}
		line = nl + 1;
	}
}

struct incr_cache *incr_cache_open(const char *path)
{
	struct incr_cache *c = xcalloc(1, sizeof *c);
	struct buf head = {0};
	S_header(&head);
	if (path != NULL && file_read(path, &c->text) == 0 && c->text.len >= head.len &&
	    memcmp(c->text.data, head.data, head.len) == 0)
		S_index(c, head.len);
	buf_free(&head);
	return c;
}

struct incr_cache *incr_cache_parse(const void *records, size_t len)
{
	struct incr_cache *c = xcalloc(1, sizeof *c);
	buf_put(&c->text, records, len);
	S_index(c, 0);
	return c;
}

void incr_cache_free(struct incr_cache *c)
{
	if (c == NULL)
		return;
	buf_free(&c->text);
	strmap_free(&c->records);
	free(c);
}

/* The record's fields into `doc`, checked as the loader would check them:
 * the cache file is only as trusted as the folder beside the output, and
 * a slug names an output folder. */
static bool S_fill(char **f, size_t n, const struct model *m, struct arena *a,
		   struct guide_doc *doc)
{
	if (!rec_get(f, &S_format, doc, a))
		return false;
	if (doc->body_off > doc->stamp.size || doc->body_line == 0 ||
	    doc->body_line > doc->stamp.size + 1 || doc->legacy > 999999999 ||
	    doc->client >= GUIDE_CLIENT_COUNT)
		return false;
	const struct guide_date *date = &doc->updated;
	if (!(date->year == 0 && date->month == 0 && date->day == 0) && !guide_date_ok(date))
		return false;
	if (doc->title == NULL || doc->title[0] == '\0' || doc->excerpt == NULL ||
	    doc->slug == NULL || doc->section == NULL || doc->section[0] == '\0' ||
	    (doc->section_id && !guide_slug_ok(doc->section_id)) ||
	    (!guide_slug_ok(doc->slug) && strcmp(doc->slug, "guide") != 0))
		return false;
	const struct model_product **p = arena_alloc(a, (n - S_FIXED + 1) * sizeof *p);
	for (size_t i = S_FIXED; i < n; i++) {
		const char *id = field_unescape(f[i]);
		if (id == NULL || (p[i - S_FIXED] = model_product_find(m, id)) == NULL)
			return false;
	}
	doc->products = p;
	doc->n_products = n - S_FIXED;
	doc->text_len = (size_t)doc->stamp.size;
	doc->body_len = doc->text_len - doc->body_off;
	return true;
}

bool incr_cache_take(const struct incr_cache *c, const char *rel, const struct guide_stamp *stamp,
		     const struct model *m, struct arena *a, struct guide_doc *doc)
{
	const char *rec = strmap_get(&c->records, rel);
	if (rec == NULL)
		return false;
	/* The record is split in a copy: the cache stays as read, for other
	 * threads and for another take. */
	char *line = xstrdup(rec), *f[S_FIXED + INCR_CACHE_MAX_PRODUCTS];
	size_t n = field_split(line, f, S_FIXED + INCR_CACHE_MAX_PRODUCTS);
	struct guide_doc tmp = *doc;
	bool ok = n >= S_FIXED && n <= S_FIXED + INCR_CACHE_MAX_PRODUCTS &&
		  S_fill(f, n, m, a, &tmp) && guide_stamp_same(&tmp.stamp, stamp);
	if (ok) {
		*doc = tmp;
		doc->cached = true;
	}
	free(line);
	return ok;
}

/* One document's line. */
static void S_record(struct buf *b, const struct guide *g, const struct guide_doc *doc)
{
	const char *slash = strrchr(doc->file, '/');
	struct buf rel = {0};
	buf_printf(&rel, "guides/%s/%s", g->id, slash ? slash + 1 : doc->file);
	buf_put_field(b, rel.data);
	buf_free(&rel);
	buf_putc(b, '\t');
	rec_put(b, &S_format, doc);
	for (size_t i = 0; i < doc->n_products; i++) {
		buf_putc(b, '\t');
		buf_put_field(b, doc->products[i]->id);
	}
	buf_putc(b, '\n');
}

bool incr_cache_save(const struct incr_cache *c, const char *path, const struct guide_set *s,
		     struct diag *d)
{
	size_t fresh = 0, kept = 0;
	for (size_t i = 0; i < s->n; i++)
		for (size_t k = 0; k < s->m->site.n_locales; k++) {
			const struct guide_doc *doc = s->guides[i].docs[k];
			fresh += doc && doc->stamp.ino && !doc->cached;
			kept += doc && doc->cached;
		}
	/* Records of files that changed or went are only dead weight: the
	 * file is written again once they are a quarter of it. */
	if (fresh == 0 && (c->n - kept) * 4 <= c->n)
		return true;
	struct buf b = {0};
	S_header(&b);
	for (size_t i = 0; i < s->n; i++)
		for (size_t k = 0; k < s->m->site.n_locales; k++) {
			const struct guide_doc *doc = s->guides[i].docs[k];
			if (doc && doc->stamp.ino)
				S_record(&b, &s->guides[i], doc);
		}
	struct buf tmp = {0};
	buf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	FILE *f = fopen(tmp.data, "w");
	bool ok = f && fwrite(b.data, 1, b.len, f) == b.len;
	if (f && fclose(f) != 0)
		ok = false;
	if (ok && rename(tmp.data, path) != 0)
		ok = false;
	if (!ok) {
		diag_warning(d, path, 0, 0, "cannot write the guides' cache: %s", strerror(errno));
		unlink(tmp.data);
	}
	buf_free(&tmp);
	buf_free(&b);
	return ok;
}
