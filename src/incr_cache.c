/* incr_cache.c: the guide loader's cache file (see incr_cache.h). One line per
 * document, fields separated by tabs (util.h's field escaping):
 *   path dev ino size mtime ctime digest-a digest-b body-offset body-line
 *   title excerpt slug section order updated legacy client flags canonical
 *   section-id product...
 * after a first line naming the format and the binary that wrote it. */
#define _GNU_SOURCE
#include "incr_cache.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strmap.h"

#define S_MAGIC "mailguide-docs 2"
#define S_FIXED 20 /* fields after the path, before the products */

struct incr_cache {
	struct buf text;       /* the file; each record's line, NUL-terminated */
	struct strmap records; /* path -> the rest of its line */
	size_t n;
};

/* The first line: the format, and the stamp of the binary running now. */
static void S_header(struct buf *b)
{
	struct stat st;
	buf_puts(b, S_MAGIC);
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

static bool S_ull(const char *s, unsigned long long *out)
{
	char *end;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return end != s && *end == '\0' && errno == 0;
}

static bool S_ll(const char *s, long long *out)
{
	char *end;
	errno = 0;
	*out = strtoll(s, &end, 10);
	return end != s && *end == '\0' && errno == 0;
}

static bool S_hex64(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	*out = strtoull(s, &end, 16);
	return strlen(s) == 16 && *end == '\0' && errno == 0;
}

/* A string field into `a`; NULL stays NULL. */
static const char *S_text(struct arena *a, char *f)
{
	const char *s = field_unescape(f);
	return s ? arena_strdup(a, s) : NULL;
}

/* The record's fields into `doc`, checked as the loader would check them:
 * the cache file is only as trusted as the folder beside the output, and
 * a slug names an output folder. */
static bool S_fill(char **f, size_t n, const struct model *m, struct arena *a,
		   struct guide_doc *doc)
{
	unsigned long long body_off, body_line, legacy, client, flags;
	struct guide_date date;
	unsigned y, mo, d;
	int end = 0;
	if (!S_hex64(f[5], &doc->digest.a) || !S_hex64(f[6], &doc->digest.b) ||
	    !S_ull(f[7], &body_off) || !S_ull(f[8], &body_line) || !S_ull(f[15], &legacy) ||
	    !S_ull(f[16], &client) || !S_ull(f[17], &flags) || body_off > doc->stamp.size ||
	    body_line == 0 || body_line > doc->stamp.size + 1 || legacy > 999999999 ||
	    client >= GUIDE_CLIENT_COUNT || flags > 3)
		return false;
	if (sscanf(f[14], "%u-%u-%u%n", &y, &mo, &d, &end) != 3 || f[14][end] != '\0')
		return false;
	date = (struct guide_date){y, mo, d};
	if (!(y == 0 && mo == 0 && d == 0) && !guide_date_ok(&date))
		return false;
	const struct model_product **p = arena_alloc(a, (n - S_FIXED + 1) * sizeof *p);
	for (size_t i = S_FIXED; i < n; i++) {
		const char *id = field_unescape(f[i]);
		if (id == NULL || (p[i - S_FIXED] = model_product_find(m, id)) == NULL)
			return false;
	}
	doc->title = S_text(a, f[9]);
	doc->excerpt = S_text(a, f[10]);
	doc->slug = S_text(a, f[11]);
	doc->section = S_text(a, f[12]);
	doc->order = S_text(a, f[13]);
	doc->canonical = S_text(a, f[18]);
	doc->section_id = S_text(a, f[19]);
	if (doc->title == NULL || doc->title[0] == '\0' || doc->excerpt == NULL ||
	    doc->slug == NULL || doc->section == NULL || doc->section[0] == '\0' ||
	    (doc->section_id && !guide_slug_ok(doc->section_id)) ||
	    (!guide_slug_ok(doc->slug) && strcmp(doc->slug, "guide") != 0))
		return false;
	doc->updated = date;
	doc->legacy = (unsigned)legacy;
	doc->client = (enum guide_client)client;
	doc->hidden = flags & 1;
	doc->deprecated = (flags & 2) != 0;
	doc->products = p;
	doc->n_products = n - S_FIXED;
	doc->body_off = (size_t)body_off;
	doc->body_line = (unsigned)body_line;
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
	struct guide_stamp st = {0};
	bool ok = n >= S_FIXED && n <= S_FIXED + INCR_CACHE_MAX_PRODUCTS && S_ull(f[0], &st.dev) &&
		  S_ull(f[1], &st.ino) && S_ull(f[2], &st.size) && S_ll(f[3], &st.mtime_ns) &&
		  S_ll(f[4], &st.ctime_ns) && guide_stamp_same(&st, stamp);
	struct guide_doc tmp = *doc;
	tmp.stamp = *stamp;
	if (ok && S_fill(f, n, m, a, &tmp)) {
		*doc = tmp;
		doc->cached = true;
	} else {
		ok = false;
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
	const struct guide_stamp *st = &doc->stamp;
	buf_printf(b, "\t%llu\t%llu\t%llu\t%lld\t%lld\t%016llx\t%016llx\t%zu\t%u\t", st->dev,
		   st->ino, st->size, st->mtime_ns, st->ctime_ns, (unsigned long long)doc->digest.a,
		   (unsigned long long)doc->digest.b, doc->body_off, doc->body_line);
	const char *text[] = {doc->title, doc->excerpt, doc->slug, doc->section, doc->order};
	for (size_t i = 0; i < sizeof text / sizeof *text; i++) {
		buf_put_field(b, text[i]);
		buf_putc(b, '\t');
	}
	buf_printf(b, "%u-%u-%u\t%u\t%d\t%d\t", doc->updated.year, doc->updated.month,
		   doc->updated.day, doc->legacy, (int)doc->client,
		   (doc->hidden ? 1 : 0) | (doc->deprecated ? 2 : 0));
	buf_put_field(b, doc->canonical);
	buf_putc(b, '\t');
	buf_put_field(b, doc->section_id);
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
