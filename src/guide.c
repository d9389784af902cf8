/* guide.c: the guide loader. Finds content/guides/<guide>/guide.<locale>.md,
 * splits each file into YAML front matter (checked with ydoc's getters) and
 * a Markdown body, and builds the guide set; parses bodies with cmark-gfm. */
#define _GNU_SOURCE
#include "guide.h"

#include <assert.h>
#include <cmark-gfm-core-extensions.h>
#include <ctype.h>
#include <dlfcn.h>
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cfile.h"
#include "incr_cache.h"
#include "mdarena.h"
#include "paths.h"
#include "pool.h"
#include "strmap.h"
#include "tree.h"
#include "ydoc.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const S_clients[GUIDE_CLIENT_COUNT] = {"other", "windows-mail", "apple",
							  "thunderbird", "outlook"};

const char *guide_client_name(enum guide_client c) { return S_clients[c]; }

int guide_client_parse(const char *s)
{
	for (int i = 0; i < GUIDE_CLIENT_COUNT; i++)
		if (strcmp(S_clients[i], s) == 0)
			return i;
	return -1;
}

struct loader {
	struct guide_set *set;
	const struct model *m;
	struct diag *d;
	struct arena *a;
	struct buf *scratch;            /* a file's bytes until copied into `a`: kept per worker */
	const struct incr_cache *cache; /* NULL: every file is read */
	long long start_ns;             /* when loading began (CLOCK_REALTIME) */
};

/* ---- front matter ---------------------------------------------------------- */

/* Length of the line at p (without its end), and where the next one starts. */
static size_t S_line(const char *p, const char *end, const char **next)
{
	const char *e = memchr(p, '\n', (size_t)(end - p));
	*next = e ? e + 1 : end;
	size_t len = (size_t)((e ? e : end) - p);
	if (len && p[len - 1] == '\r')
		len--;
	return len;
}

static bool S_is_fence(const char *p, size_t len, bool closing)
{
	while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
		len--;
	return (len == 3 && memcmp(p, "---", 3) == 0) ||
	       (closing && len == 3 && memcmp(p, "...", 3) == 0);
}

/* A slug names a folder of the output: lower-case letters, digits, '-' and
 * '_' (the seed's slugs have underscores), so it can never climb out. */
bool guide_slug_ok(const char *s)
{
	if (*s == '\0' || strlen(s) > 120)
		return false;
	for (const char *p = s; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '-' &&
		    *p != '_')
			return false;
	return strcmp(s, "settings") != 0 && s[0] != '-' && s[0] != '_' &&
	       !paths_name_reserved(s, strlen(s));
}

/* A guide's folder name is its id: it names images/<guide>/ in the output
 * and appears in URLs, so it is held to the rule of slugs (and '.' inside),
 * which keeps "..", backslashes, control characters, device names and
 * names differing only in case (one folder on Windows or macOS) out. */
static bool S_folder_ok(const char *s)
{
	if (!isalnum((unsigned char)s[0]) || strlen(s) > 120 || paths_name_reserved(s, strlen(s)))
		return false;
	for (const char *p = s; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '-' &&
		    *p != '_' && *p != '.')
			return false;
	return true;
}

bool guide_date_ok(const struct guide_date *date)
{
	static const unsigned days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	unsigned y = date->year, m = date->month, d = date->day;
	if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return false;
	return !(m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)));
}

static bool S_date(const char *s, struct guide_date *out)
{
	struct guide_date date;
	int n = 0;
	if (sscanf(s, "%4u-%2u-%2u%n", &date.year, &date.month, &date.day, &n) != 3 ||
	    s[n] != '\0' || strlen(s) != 10 || !guide_date_ok(&date))
		return false;
	*out = date;
	return true;
}

const char *guide_section_key(const struct guide_doc *doc)
{
	return doc->section_id ? doc->section_id : doc->section;
}

/* Real guides write `section` as a label in their language ("Konfiguracja
 * na komputerze"); the shipped ones as a name of a UI string ("clients"). A
 * label is shown as written; a name (a slug) by its UI string when there is
 * one. */
const char *guide_section_title(const char *section, const struct model *m,
				const struct model_locale *loc)
{
	const char *name = section;
	if (!guide_slug_ok(name))
		return name;
	char key[160];
	snprintf(key, sizeof key, "section_%s", name);
	for (char *p = key; *p; p++)
		if (*p == '-')
			*p = '_';
	const char *s = model_string(m, loc, key);
	return s ? s : name;
}

/* legacy_guide_number: "g1281" or 1281, the same guide. */
static bool S_legacy(const char *s, unsigned *out)
{
	if (*s == 'g' || *s == 'G')
		s++;
	if (!isdigit((unsigned char)*s) || strlen(s) > 9)
		return false;
	for (const char *p = s; *p; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	*out = (unsigned)strtoul(s, NULL, 10);
	return *out > 0;
}

static const char *S_str(struct loader *l, struct ydoc *y, yaml_node_t *n, const char *key)
{
	const char *s = ydoc_text(y, n, key);
	return s ? arena_strdup(l->a, s) : NULL;
}

static void S_unknown_product(struct loader *l, struct ydoc *y, yaml_node_t *item, const char *id)
{
	struct nearest near;
	nearest_init(&near, id, 2);
	for (size_t i = 0; i < l->m->n_providers; i++)
		for (size_t j = 0; j < l->m->providers[i].n_products; j++)
			nearest_try(&near, l->m->providers[i].products[j].id);
	if (near.best)
		ydoc_error(y, item,
			   "unknown product '%s' (not in servers.yaml); did you mean '%s'?", id,
			   near.best);
	else
		ydoc_error(y, item, "unknown product '%s' (not in servers.yaml)", id);
}

static void S_products(struct loader *l, struct ydoc *y, yaml_node_t *n, struct guide_doc *doc)
{
	if (!ydoc_is(y, n, YAML_SEQUENCE_NODE, "products"))
		return;
	size_t len = ydoc_len(n);
	const struct model_product **p = arena_alloc(l->a, (len ? len : 1) * sizeof *p);
	for (size_t i = 0; i < len; i++) {
		yaml_node_t *item = ydoc_item(y, n, i);
		const char *id = ydoc_string(y, item, "products");
		if (id == NULL)
			continue;
		const struct model_product *prod = model_product_find(l->m, id);
		if (prod == NULL)
			S_unknown_product(l, y, item, id);
		else
			p[doc->n_products++] = prod;
	}
	doc->products = p;
}

static void S_routes(struct loader *l, struct ydoc *y, yaml_node_t *n, struct guide_doc *doc)
{
	static const struct ykey keys[] = {{"canonical", false}};
	yaml_node_t *v[COUNT(keys)];
	ydoc_mapping(y, n, "routes", keys, COUNT(keys), v, DIAG_WARNING);
	if (v[0])
		doc->canonical = S_str(l, y, v[0], "canonical");
}

/* The front matter's keys: the ones the issue names, what the client and
 * products add, and what real guides of the seed's repository also carry
 * (hidden, deprecated, routes). Anything else is a warning. */
static void S_front_matter(struct loader *l, struct ydoc *y, yaml_node_t *root,
			   struct guide_doc *doc, const char *folder)
{
	static const struct ykey keys[] = {{"title", true},
					   {"excerpt", false},
					   {"slug", false},
					   {"section", false},
					   {"order", false},
					   {"updated", false},
					   {"legacy_guide_number", false},
					   {"client", false},
					   {"products", false},
					   {"hidden", false},
					   {"deprecated", false},
					   {"routes", false},
					   {"untranslated", false},
					   {"section_id", false}};
	yaml_node_t *v[COUNT(keys)];
	ydoc_mapping(y, root, "front matter", keys, COUNT(keys), v, DIAG_WARNING);
	if (v[0]) {
		doc->title = S_str(l, y, v[0], "title");
		if (doc->title && doc->title[0] == '\0')
			ydoc_error(y, v[0], "'title' is empty");
	}
	if (v[1])
		doc->excerpt = S_str(l, y, v[1], "excerpt");
	if (v[2]) {
		doc->slug = S_str(l, y, v[2], "slug");
		if (doc->slug && !guide_slug_ok(doc->slug)) {
			ydoc_error(
				y, v[2],
				"'slug' must be lower-case letters, digits, '-' and '_' (and not "
				"'settings' or a device name like 'con'), not '%s'",
				doc->slug);
			doc->slug = NULL;
		}
	}
	if (v[3]) {
		doc->section = S_str(l, y, v[3], "section");
		if (doc->section && doc->section[0] == '\0')
			doc->section = NULL;
	}
	if (v[13]) {
		doc->section_id = S_str(l, y, v[13], "section_id");
		if (doc->section_id && !guide_slug_ok(doc->section_id)) {
			ydoc_error(y, v[13], "'section_id' must be a name like 'clients', not '%s'",
				   doc->section_id);
			doc->section_id = NULL;
		}
	}
	if (v[4])
		doc->order = S_str(l, y, v[4], "order");
	if (v[5]) {
		const char *s = ydoc_string(y, v[5], "updated");
		if (s && !S_date(s, &doc->updated))
			ydoc_error(y, v[5], "'updated' must be a date written YYYY-MM-DD, not '%s'",
				   s);
	}
	if (v[6]) {
		const char *s = ydoc_string(y, v[6], "legacy_guide_number");
		if (s && !S_legacy(s, &doc->legacy))
			ydoc_error(y, v[6],
				   "'legacy_guide_number' must be a number like g1281 or 1281, not "
				   "'%s'",
				   s);
	}
	if (v[7]) {
		const char *s = ydoc_string(y, v[7], "client");
		int c = s ? guide_client_parse(s) : 0;
		if (c < 0)
			ydoc_error(y, v[7],
				   "unknown client '%s' (windows-mail, apple, thunderbird, "
				   "outlook, other)",
				   s);
		doc->client = c > 0 ? (enum guide_client)c : GUIDE_CLIENT_OTHER;
	}
	if (v[8])
		S_products(l, y, v[8], doc);
	if (v[9])
		ydoc_bool(y, v[9], "hidden", &doc->hidden);
	if (v[10])
		ydoc_bool(y, v[10], "deprecated", &doc->deprecated);
	if (v[11])
		S_routes(l, y, v[11], doc);
	if (v[12])
		ydoc_bool(y, v[12], "untranslated", &doc->untranslated);
	if (doc->slug == NULL)
		doc->slug = guide_slug_ok(folder) ? arena_strdup(l->a, folder) : "guide";
	if (doc->section == NULL)
		doc->section = doc->section_id ? doc->section_id : "general";
	if (doc->excerpt == NULL)
		doc->excerpt = "";
	if (doc->products == NULL)
		doc->products = arena_alloc(l->a, sizeof *doc->products);
}

/* The offset of the first byte of `s` that is not part of well-formed
 * UTF-8 (RFC 3629: no overlong forms, surrogates or code points past
 * U+10FFFF); `n` when there is none. */
static size_t S_invalid_utf8(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		/* Guides are mostly ASCII: eight bytes at a time while they are. */
		uint64_t w = 0x80;
		if (n - i >= 8)
			memcpy(&w, p + i, 8);
		if ((w & 0x8080808080808080ull) == 0) {
			i += 8;
			continue;
		}
		unsigned c = p[i];
		size_t len;
		unsigned min, cp;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			len = 2, min = 0x80, cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			len = 3, min = 0x800, cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			len = 4, min = 0x10000, cp = c & 0x07;
		} else {
			return i;
		}
		if (n - i < len)
			return i;
		for (size_t k = 1; k < len; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (p[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += len;
	}
	return n;
}

static long long S_ns(struct timespec t) { return (long long)t.tv_sec * 1000000000LL + t.tv_nsec; }

static struct guide_stamp S_stamp(const struct stat *st)
{
	return (struct guide_stamp){(unsigned long long)st->st_dev, (unsigned long long)st->st_ino,
				    (unsigned long long)st->st_size, S_ns(st->st_mtim),
				    S_ns(st->st_ctim)};
}

/* The document from the cache, when its file's stamp is the one recorded
 * (incr_cache.h); else NULL. `rel` is the file's path below the content folder. */
static struct guide_doc *S_cached(struct loader *l, const char *file, const char *rel,
				  const char *dir, const struct model_locale *loc)
{
	struct stat st;
	int fd = l->set->content_fd;
	if (l->cache == NULL || (fd >= 0 ? fstatat(fd, rel, &st, 0) : stat(file, &st)) != 0 ||
	    !S_ISREG(st.st_mode))
		return NULL;
	struct guide_doc doc = {.file = file, .dir = dir, .locale = loc};
	struct guide_stamp stamp = S_stamp(&st);
	if (!incr_cache_take(l->cache, rel, &stamp, l->m, l->a, &doc))
		return NULL;
	doc.seen = stamp;
	struct guide_doc *kept = arena_alloc(l->a, sizeof *kept);
	*kept = doc;
	return kept;
}

/* Reads one guide file. Returns the document, or NULL after reporting why. */
static struct guide_doc *S_doc(struct loader *l, const char *file, const char *rel, const char *dir,
			       const char *folder, const struct model_locale *loc)
{
	struct guide_doc *doc = S_cached(l, file, rel, dir, loc);
	if (doc)
		return doc;
	struct buf *text = l->scratch;
	struct stat fst;
	buf_clear(text);
	enum cfile_status st = cfile_read_at(l->set->content_fd, l->set->content_dir, file,
					     CFILE_MAX_TEXT, text, &fst, l->d);
	if (st != CFILE_OK) {
		if (st == CFILE_MISSING)
			diag_error(l->d, file, 0, 0, "cannot read: %s", strerror(ENOENT));
		return NULL;
	}
	doc = arena_alloc(l->a, sizeof *doc);
	doc->file = file;
	doc->dir = dir;
	doc->locale = loc;
	doc->seen = S_stamp(&fst);
	/* The text is looked at here, in the scratch buffer, and not kept:
	 * guide_read_texts reads it again for the job that renders it. */
	const char *kept = buf_str(text);
	const char *end = kept + text->len;
	doc->text = kept;
	doc->text_len = text->len;
	/* Hashed now, while the text is still in the processor's cache. */
	struct hash128 h = hash128_init();
	hash128_bytes(&h, kept, text->len);
	doc->digest = hash128_final(&h);
	/* A UTF-8 byte order mark is not part of the front matter's fence. */
	const char *p = kept;
	if (end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	const char *next;
	size_t len = S_line(p, end, &next);
	if (!S_is_fence(p, len, false)) {
		diag_error(l->d, file, 1, 1,
			   "a guide starts with its front matter between '---' lines (title, ...)");
		return NULL;
	}
	const char *yaml = next;
	unsigned line = 2;
	const char *q = next;
	while (q < end) {
		len = S_line(q, end, &next);
		if (S_is_fence(q, len, true))
			break;
		q = next;
		line++;
	}
	if (q >= end) {
		diag_error(l->d, file, 1, 1, "the front matter's closing '---' line is missing");
		return NULL;
	}
	doc->body = next;
	doc->body_len = (size_t)(end - next);
	doc->body_off = (size_t)(next - kept);
	doc->body_line = line + 1;
	/* The front matter's UTF-8 is libyaml's to check; the body's is ours:
	 * cmark-gfm passes invalid bytes through to the page. */
	size_t bad = S_invalid_utf8(doc->body, doc->body_len);
	if (bad < doc->body_len) {
		unsigned bl = doc->body_line, bc = 1;
		for (size_t i = 0; i < bad; i++) {
			if (doc->body[i] == '\n') {
				bl++;
				bc = 1;
			} else if (((unsigned char)doc->body[i] & 0xC0) != 0x80) {
				bc++;
			}
		}
		diag_error(l->d, file, bl, bc,
			   "invalid UTF-8 (byte 0x%02X); save the file as UTF-8",
			   (unsigned char)doc->body[bad]);
		return NULL;
	}

	int errors = l->d->errors, warnings = l->d->warnings;
	struct ydoc y;
	if (ydoc_load(&y, file, yaml, (size_t)(q - yaml), 1, l->d)) {
		yaml_node_t *root = ydoc_root(&y);
		if (root == NULL)
			diag_error(l->d, file, 1, 1,
				   "missing required key 'title' in front matter");
		else
			S_front_matter(l, &y, root, doc, folder);
	}
	ydoc_free(&y);
	/* Cached only without a message, and not when written so recently
	 * that a later write could keep the stamp (incr_cache.h). */
	if (l->cache && !doc->untranslated && l->d->errors == errors &&
	    l->d->warnings == warnings && doc->n_products <= INCR_CACHE_MAX_PRODUCTS &&
	    S_ns(fst.st_mtim) + INCR_CACHE_RACY_NS < l->start_ns &&
	    S_ns(fst.st_ctim) + INCR_CACHE_RACY_NS < l->start_ns)
		doc->stamp = S_stamp(&fst);
	doc->text = doc->body = NULL;
	return l->d->errors == errors ? doc : NULL;
}

/* ---- discovery ------------------------------------------------------------- */

size_t guide_locale_index(const struct model *m, const struct model_locale *loc)
{
	return (size_t)(loc - m->site.locales);
}

/* The site's locales, "pl-pl, en-gb" (arena). */
static const char *S_locale_list(struct loader *l)
{
	struct buf b = {0};
	for (size_t i = 0; i < l->m->site.n_locales; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", l->m->site.locales[i].tag);
	const char *s = arena_strdup(l->a, buf_str(&b));
	buf_free(&b);
	return s;
}

/* guide.<tag>.md where the site has no locale `tag`: not built, which an
 * author adding a language must hear of (make builds with -Werror). */
static void S_foreign(struct loader *l, const char *file, const char *tag)
{
	struct nearest near;
	nearest_init(&near, tag, 1); /* en-us is not a typo of en-gb */
	for (size_t i = 0; i < l->m->site.n_locales; i++)
		nearest_try(&near, l->m->site.locales[i].tag);
	if (near.best)
		diag_class(l->d, DIAG_FILES, file, 0, 0, 0, NULL,
			   "'%s' is not one of the site's locales (%s), so this file is not "
			   "built; did you mean '%s' (rename it guide.%s.md)? Or add '%s' under "
			   "`locales:` in site.yaml",
			   tag, S_locale_list(l), near.best, near.best, tag);
	else
		diag_class(l->d, DIAG_FILES, file, 0, 0, 0, NULL,
			   "'%s' is not one of the site's locales (%s), so this file is not "
			   "built: add it under `locales:` in site.yaml (with its name, title and "
			   "placeholders) and write strings/%s.yaml",
			   tag, S_locale_list(l), tag);
}

/* A Markdown file of a guide folder not named guide.<locale>.md
 * ("guide-en-gb.md", "guide.md"): not built. The locale it seems to be
 * for, when its name holds one of the site's ("en-gb", "en_gb"). */
static void S_misnamed(struct loader *l, const char *file, const char *name)
{
	const char *tag = NULL;
	for (size_t i = 0; tag == NULL && i < l->m->site.n_locales; i++) {
		const char *t = l->m->site.locales[i].tag;
		size_t tl = strlen(t);
		for (const char *p = name; tag == NULL && *p; p++) {
			size_t k = 0;
			while (k < tl && p[k] &&
			       (tolower((unsigned char)p[k]) == tolower((unsigned char)t[k]) ||
				(t[k] == '-' && p[k] == '_')))
				k++;
			if (k == tl)
				tag = t;
		}
	}
	if (tag)
		diag_class(l->d, DIAG_FILES, file, 0, 0, 0, NULL,
			   "'%s' is not built: a guide's files are named guide.<locale>.md; rename "
			   "it guide.%s.md",
			   name, tag);
	else
		diag_class(
			l->d, DIAG_FILES, file, 0, 0, 0, NULL,
			"'%s' is not built: a guide's files are named guide.<locale>.md, one per "
			"locale of site.yaml (%s)",
			name, S_locale_list(l));
}

/* Loads guides/<folder>/guide.<locale>.md for each file there. */
static void S_folder(struct loader *l, const char *guides_dir, const char *folder, struct guide *g)
{
	const struct model *m = l->m;
	char *dir = path_join(guides_dir, folder);
	g->id = arena_strdup(l->a, folder);
	g->docs = arena_alloc(l->a, m->site.n_locales * sizeof *g->docs);
	size_t n;
	char **names = dir_names(dir, false, &n);
	const char *kept_dir = arena_strdup(l->a, dir);
	size_t n_md = 0;
	for (size_t i = 0; i < n; i++) {
		const char *name = names[i];
		size_t len = strlen(name);
		if (len < 4 || strcasecmp(name + len - 3, ".md") != 0)
			continue;
		n_md++;
		char *path = path_join(dir, name);
		const char *file = arena_strdup(l->a, path);
		free(path);
		if (len < 10 || strncmp(name, "guide.", 6) != 0 ||
		    strcmp(name + len - 3, ".md") != 0) {
			S_misnamed(l, file, name);
			continue;
		}
		char tag[64];
		snprintf(tag, sizeof tag, "%.*s", (int)(len - 9), name + 6);
		const struct model_locale *loc = model_locale_find(m, tag);
		if (loc == NULL) {
			S_foreign(l, file, tag);
			continue;
		}
		/* Its path below the content folder, as the cache names it. */
		char *rel = arena_printf(l->a, "guides/%s/%s", folder, name);
		const struct guide_doc *doc = S_doc(l, file, rel, kept_dir, folder, loc);
		/* A stub still marked untranslated stands for no translation:
		 * the locale shows the source's text with its banner. */
		if (doc && !doc->untranslated)
			g->docs[guide_locale_index(m, loc)] = doc;
	}
	/* The source repository nests guides in topic folders (pages/web/
	 * emails/<guide>/): copied over as they are, they would be skipped
	 * without a word. */
	if (n_md == 0)
		diag_class(l->d, DIAG_FILES, kept_dir, 0, 0, 0, NULL,
			   "no guide.<locale>.md in this folder, so it is no guide: guides are the "
			   "folders right under guides/ (a folder inside one is not read)");
	dir_names_free(names, n);
	free(dir);
	const struct guide_doc *def = g->docs[guide_locale_index(m, m->site.default_locale)];
	for (size_t i = 0; def == NULL && i < m->site.n_locales; i++)
		def = g->docs[i];
	g->source = def;
}

/* Orders of struct guide_key. Ties are broken by guide index, so that the
 * first of equals in set order comes first. */
static int S_slug_cmp(const void *pa, const void *pb)
{
	const struct guide_key *a = pa, *b = pb;
	int c = strcmp(a->slug, b->slug);
	return c ? c : (a->guide > b->guide) - (a->guide < b->guide);
}

static int S_legacy_cmp(const void *pa, const void *pb)
{
	const struct guide_key *a = pa, *b = pb;
	if (a->legacy != b->legacy)
		return a->legacy < b->legacy ? -1 : 1;
	return (a->guide > b->guide) - (a->guide < b->guide);
}

/* Slugs name folders: two pages of one locale must not share one (an
 * untranslated guide takes its source's slug). Legacy numbers name guides:
 * two folders must not share one, and translations must agree. Sorting
 * keeps this O(n log n) per locale: with GUIDE_MAX_GUIDES guides, comparing
 * every pair took minutes. */
static void S_check_set(struct loader *l)
{
	const struct guide_set *s = l->set;
	const struct model *m = l->m;
	struct guide_key *keys = xcalloc(s->n + 1, sizeof *keys);
	for (size_t k = 0; k < m->site.n_locales; k++) {
		const struct model_locale *loc = &m->site.locales[k];
		for (size_t i = 0; i < s->n; i++) {
			bool fb;
			keys[i] = (struct guide_key){
				guide_page_doc(s->m, &s->guides[i], loc, &fb)->slug, 0, i};
		}
		qsort(keys, s->n, sizeof *keys, S_slug_cmp);
		for (size_t a = 0; a < s->n;) {
			size_t b = a + 1;
			while (b < s->n && strcmp(keys[b].slug, keys[a].slug) == 0)
				b++;
			/* Each page after the first of a run names every earlier one;
			 * a pair of untranslated pages was reported in its own locale. */
			for (size_t i = a + 1; i < b; i++)
				for (size_t j = a; j < i; j++) {
					const struct guide *g = &s->guides[keys[i].guide];
					const struct guide *h = &s->guides[keys[j].guide];
					if (g->docs[k] == NULL && h->docs[k] == NULL)
						continue;
					bool fb;
					const struct guide_doc *e =
						guide_page_doc(s->m, h, loc, &fb);
					const struct guide_doc *d =
						g->docs[k] ? g->docs[k] : g->source;
					diag_error(l->d, d->file, 0, 0,
						   "slug '%s' is also the slug of %s in %s",
						   d->slug, e->file, loc->tag);
				}
			a = b;
		}
	}
	size_t n = 0;
	for (size_t i = 0; i < s->n; i++) {
		const struct guide *g = &s->guides[i];
		for (size_t k = 0; k < m->site.n_locales; k++) {
			const struct guide_doc *d = g->docs[k];
			if (d && d->legacy != g->source->legacy)
				diag_warning(l->d, d->file, 0, 0,
					     "legacy_guide_number differs from %s's",
					     g->source->file);
		}
		if (g->source->legacy)
			keys[n++] = (struct guide_key){NULL, g->source->legacy, i};
	}
	qsort(keys, n, sizeof *keys, S_legacy_cmp);
	for (size_t a = 0; a < n;) {
		size_t b = a + 1;
		while (b < n && keys[b].legacy == keys[a].legacy)
			b++;
		for (size_t i = a + 1; i < b; i++)
			for (size_t j = a; j < i; j++)
				diag_error(l->d, s->guides[keys[i].guide].source->file, 0, 0,
					   "legacy_guide_number g%u is also the one of %s",
					   keys[i].legacy, s->guides[keys[j].guide].source->file);
		a = b;
	}
	free(keys);
}

/* Reading a guide's folder (its files, their front matter) is independent
 * of the others': folders are read on all workers, each into its own
 * reporter, taken over in name order afterwards so the set and the
 * messages do not depend on the threads. What they keep goes into their
 * worker's arena (an arena per folder took a block of 16 KiB for the
 * 2 KiB or so a guide's front matter needs). */
struct S_folders {
	const struct loader *l;
	const char *guides_dir;
	char **names;
	struct guide *g;     /* per folder */
	struct diag *d;      /* per folder */
	struct arena *a;     /* per worker */
	struct buf *scratch; /* per worker */
};

static void S_folder_job(size_t i, unsigned worker, void *arg)
{
	struct S_folders *f = arg;
	struct loader l = {.set = f->l->set,
			   .m = f->l->m,
			   .d = &f->d[i],
			   .a = &f->a[worker],
			   .scratch = &f->scratch[worker],
			   .cache = f->l->cache,
			   .start_ns = f->l->start_ns};
	char *dir = path_join(f->guides_dir, f->names[i]);
	struct stat st;
	if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (!S_folder_ok(f->names[i]))
			diag_error(l.d, dir, 0, 0,
				   "a guide's folder name is its id in the output: lower-case "
				   "letters, digits, '-', '_' and '.', starting with a letter or "
				   "digit, not a device name like 'con'");
		else
			S_folder(&l, f->guides_dir, f->names[i], &f->g[i]);
	}
	free(dir);
}

/* ---- the views of other guides (guide.h) ---- */

#define S_LINK_FIELD(type, name) REC_FIELD(struct guide_link, name),
#define S_CARD_FIELD(type, name) REC_FIELD(struct guide_card, name),
static const struct rec_field S_link_fields[] = {GUIDE_LINK_FIELDS(S_LINK_FIELD)};
static const struct rec_field S_card_fields[] = {GUIDE_CARD_FIELDS(S_CARD_FIELD)};
const struct rec_format guide_link_format = REC_FORMAT("guide-link", 1, S_link_fields);
const struct rec_format guide_card_format = REC_FORMAT("guide-card", 1, S_card_fields);

/* Fills the set's views: the one place that reads what other guides'
 * pages may show (whatever is read here is in the keys). */
/* The look-up orders of the views (struct guide_view). */
static void S_view_orders(struct guide_set *s)
{
	struct guide_view *v = &s->view;
	struct guide_key *legacy = arena_alloc(&s->arena, (v->n + 1) * sizeof *legacy);
	struct guide_key *slugs = arena_alloc(&s->arena, (v->n * v->n_locales + 1) * sizeof *slugs);
	size_t nl = 0, ns = 0;
	for (size_t i = 0; i < v->n; i++) {
		/* guide_view_named's search by id relies on the set's order. */
		assert(i == 0 || strcmp(v->links[(i - 1) * v->n_locales].id,
					v->links[i * v->n_locales].id) < 0);
		if (v->links[i * v->n_locales].legacy)
			legacy[nl++] = (struct guide_key){
				.legacy = v->links[i * v->n_locales].legacy, .guide = i};
		for (size_t l = 0; l < v->n_locales; l++) {
			const struct guide_link *k = &v->links[i * v->n_locales + l];
			if (k->translated)
				slugs[ns++] = (struct guide_key){.slug = k->slug, .guide = i};
		}
	}
	qsort(legacy, nl, sizeof *legacy, S_legacy_cmp);
	qsort(slugs, ns, sizeof *slugs, S_slug_cmp);
	v->by_legacy = legacy, v->n_legacy = nl;
	v->by_slug = slugs, v->n_slugs = ns;
}

static void S_view(struct guide_set *s)
{
	size_t nl = s->m->site.n_locales;
	struct guide_link *links = arena_alloc(&s->arena, (s->n * nl + 1) * sizeof *links);
	struct guide_card *cards = arena_alloc(&s->arena, (s->n * nl + 1) * sizeof *cards);
	for (size_t i = 0; i < s->n; i++) {
		const struct guide *g = &s->guides[i];
		for (size_t l = 0; l < nl; l++) {
			const struct guide_doc *d = g->docs[l] ? g->docs[l] : g->source;
			links[i * nl + l] = (struct guide_link){.id = g->id,
								.slug = d->slug,
								.title = d->title,
								.legacy = g->source->legacy,
								.translated = g->docs[l] != NULL};
			cards[i * nl + l] = (struct guide_card){
				.id = g->id,
				.slug = d->slug,
				.title = d->title,
				.lang = d->locale->bcp47,
				.excerpt = d->excerpt,
				.section = d->section,
				.section_key = guide_section_key(d),
				.order = d->order,
				.hidden = d->hidden,
				.translated = g->docs[l] != NULL,
				.source = (unsigned)guide_locale_index(s->m, g->source->locale)};
		}
	}
	s->view = (struct guide_view){.n = s->n, .n_locales = nl, .links = links, .cards = cards};
	S_view_orders(s);
}

const struct guide_link *guide_view_link(const struct guide_view *v, size_t i, size_t l)
{
	assert(i < v->n && l < v->n_locales);
	return &v->links[i * v->n_locales + l];
}

const struct guide_card *guide_view_card(const struct guide_view *v, size_t i, size_t l)
{
	assert(i < v->n && l < v->n_locales);
	return &v->cards[i * v->n_locales + l];
}

size_t guide_view_legacy(const struct guide_view *v, unsigned n)
{
	/* The first entry whose number is not below n. */
	size_t lo = 0, hi = v->n_legacy;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v->by_legacy[mid].legacy < n)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (n && lo < v->n_legacy && v->by_legacy[lo].legacy == n)
		return v->by_legacy[lo].guide;
	return GUIDE_NONE;
}

size_t guide_view_named(const struct guide_view *v, const char *name)
{
	size_t lo = 0, hi = v->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(v->links[mid * v->n_locales].id, name);
		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* The first pair whose slug is not below name. */
	lo = 0, hi = v->n_slugs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(v->by_slug[mid].slug, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < v->n_slugs && strcmp(v->by_slug[lo].slug, name) == 0)
		return v->by_slug[lo].guide;
	return GUIDE_NONE;
}

char *guide_path(const struct model_locale *loc, const char *slug)
{
	size_t len = strlen(loc->tag) + strlen(slug) + 13;
	char *p = xmalloc(len);
	snprintf(p, len, "%s/%s/index.html", loc->tag, slug);
	return p;
}

struct guide_set *guide_set_load(const char *content_dir, const struct model *m, struct diag *d,
				 unsigned workers, const struct incr_cache *cache)
{
	struct arena a = {0};
	struct guide_set *s = arena_alloc(&a, sizeof *s);
	s->arena = a;
	s->m = m;
	s->content_dir = arena_strdup(&s->arena, content_dir);
	s->content_fd = cfile_root_open(content_dir);
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	struct loader l = {
		.set = s, .m = m, .d = d, .a = &s->arena, .cache = cache, .start_ns = S_ns(now)};
	int errors = d->errors;
	char *guides_dir = path_join(content_dir, "guides");
	size_t n;
	char **names = dir_names(guides_dir, false, &n);
	struct guide *g = arena_alloc(&s->arena, (n ? n : 1) * sizeof *g);
	size_t n_load = n;
	if (n > GUIDE_MAX_GUIDES) {
		diag_error(d, guides_dir, 0, 0, "%zu entries; the limit is %d guides", n,
			   GUIDE_MAX_GUIDES);
		n_load = 0;
	}
	struct S_folders f = {.l = &l,
			      .guides_dir = guides_dir,
			      .names = names,
			      .g = xcalloc(n_load + 1, sizeof *f.g),
			      .d = xcalloc(n_load + 1, sizeof *f.d)};
	for (size_t i = 0; i < n_load; i++)
		diag_init_like(&f.d[i], d);
	workers = workers ? workers : 1;
	f.scratch = xcalloc(workers, sizeof *f.scratch);
	f.a = xcalloc(workers, sizeof *f.a);
	pool_run(n_load, workers, S_folder_job, &f);
	for (unsigned w = 0; w < workers; w++) {
		buf_free(&f.scratch[w]);
		arena_adopt(&s->arena, &f.a[w]);
	}
	free(f.scratch);
	for (size_t i = 0; i < n_load; i++) {
		diag_move(d, &f.d[i]);
		diag_discard(&f.d[i]);
		if (f.g[i].source)
			g[s->n++] = f.g[i];
	}
	free(f.g);
	free(f.a);
	free(f.d);
	s->guides = g;
	dir_names_free(names, n);
	free(guides_dir);
	if (d->errors == errors)
		S_check_set(&l);
	if (d->errors != errors) {
		guide_set_free(s);
		return NULL;
	}
	S_view(s);
	return s;
}

void guide_set_free(struct guide_set *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->n; i++)
		for (size_t k = 0; k < s->m->site.n_locales; k++)
			if (s->guides[i].docs[k] && s->guides[i].docs[k]->text_owned)
				free((char *)s->guides[i].docs[k]->text);
	if (s->content_fd >= 0)
		close(s->content_fd);
	struct arena a = s->arena;
	arena_free(&a);
}

bool guide_stamp_same(const struct guide_stamp *a, const struct guide_stamp *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       a->mtime_ns == b->mtime_ns && a->ctime_ns == b->ctime_ns;
}

bool guide_read_texts(const struct guide_set *s, const struct guide *g, struct diag *d)
{
	bool ok = true;
	for (size_t k = 0; k < s->m->site.n_locales; k++) {
		/* The loader's document, filled in by the one job that renders
		 * g: no other job reads a body of g's. */
		struct guide_doc *doc = (struct guide_doc *)g->docs[k];
		if (doc == NULL || doc->text != NULL)
			continue;
		struct buf b = {0};
		struct stat st;
		enum cfile_status rc = cfile_read_at(s->content_fd, s->content_dir, doc->file,
						     CFILE_MAX_TEXT, &b, &st, d);
		struct guide_stamp now = rc == CFILE_OK ? S_stamp(&st) : (struct guide_stamp){0};
		if (rc == CFILE_OK && guide_stamp_same(&now, &doc->seen) &&
		    b.len == doc->text_len) {
			doc->text = buf_detach(&b);
			doc->text_owned = true;
			doc->body = doc->text + doc->body_off;
			continue;
		}
		if (rc != CFILE_ERROR)
			diag_error(d, doc->file, 0, 0,
				   "changed or removed while mailguide was building; build again");
		buf_free(&b);
		ok = false;
	}
	return ok;
}

void guide_drop_texts(const struct guide_set *s, const struct guide *g)
{
	for (size_t k = 0; k < s->m->site.n_locales; k++) {
		struct guide_doc *doc = (struct guide_doc *)g->docs[k];
		if (doc == NULL || !doc->text_owned)
			continue;
		free((char *)doc->text);
		doc->text = doc->body = NULL;
		doc->text_owned = false;
	}
}

void guide_set_counts(const struct guide_set *s, size_t *docs, size_t *cached)
{
	*docs = *cached = 0;
	for (size_t i = 0; i < s->n; i++)
		for (size_t k = 0; k < s->m->site.n_locales; k++) {
			*docs += s->guides[i].docs[k] != NULL;
			*cached += s->guides[i].docs[k] && s->guides[i].docs[k]->cached;
		}
}

const struct guide_doc *guide_page_doc(const struct model *m, const struct guide *g,
				       const struct model_locale *loc, bool *fallback)
{
	const struct guide_doc *d = g->docs[guide_locale_index(m, loc)];
	*fallback = d == NULL;
	return d ? d : g->source;
}

char *guide_page_path(const struct model *m, const struct guide *g, const struct model_locale *loc)
{
	bool fb;
	return guide_path(loc, guide_page_doc(m, g, loc, &fb)->slug);
}

const struct guide *guide_of(const struct guide_set *s, const struct guide_doc *doc)
{
	/* Guides are sorted by folder name, the last part of doc->dir: a
	 * binary search, as pages ask once per image. */
	const char *slash = strrchr(doc->dir, '/');
	const char *name = slash ? slash + 1 : doc->dir;
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(s->guides[mid].id, name);
		if (c == 0) {
			for (size_t k = 0; k < s->m->site.n_locales; k++)
				if (s->guides[mid].docs[k] == doc)
					return &s->guides[mid];
			break;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = 0; i < s->n; i++)
		for (size_t k = 0; k < s->m->site.n_locales; k++)
			if (s->guides[i].docs[k] == doc)
				return &s->guides[i];
	return NULL;
}

/* ---- Markdown -------------------------------------------------------------- */

/* cmark-gfm 0.29 leaves some strings of a fresh tree as views into the
 * buffer of the block they were parsed from (an autolink's URL points into
 * its heading's or paragraph's text) and copies them only when first read
 * (cmark_chunk_to_cstr). The dialect passes free blocks they rebuild
 * (headings, tab titles, repaired tables), which left such a URL dangling:
 * found by fuzz_dialect as a use after free on a heading holding a bare URL
 * (tests/fuzz/fuzz_dialect/autolink-in-heading). Reading every string once
 * here makes the tree own them all. The walk is cmark's iterator: no
 * recursion, whatever the nesting. */
static void S_own_node(cmark_node *n, void *arg)
{
	(void)arg;
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_LINK:
	case CMARK_NODE_IMAGE:
		(void)cmark_node_get_url(n);
		(void)cmark_node_get_title(n);
		break;
	case CMARK_NODE_CODE_BLOCK:
		(void)cmark_node_get_fence_info(n);
		(void)cmark_node_get_literal(n);
		break;
	case CMARK_NODE_TEXT:
	case CMARK_NODE_CODE:
	case CMARK_NODE_HTML_INLINE:
	case CMARK_NODE_HTML_BLOCK:
		(void)cmark_node_get_literal(n);
		break;
	default:
		break;
	}
}

static void S_own_strings(cmark_node *root) { tree_each(root, S_own_node, NULL); }

/* cmark-gfm 0.29 keeps one table, for the whole process, of the characters
 * that can start inline markup, and cmark_parser_finish adds its
 * extensions' characters (':' and 'w' of autolinks, '~', '|') to it at
 * its start and takes them out at its end: a document finishing on one
 * thread took them from another's halfway through its inlines, and
 * autolinks came and went between runs (github/cmark-gfm#221). Every
 * parser here has the same three extensions, so their characters may as
 * well stay: this definition takes the library's place (the library calls
 * it through its PLT; tests/t_incremental.sh checks the binding), adds them
 * through the library's own and never takes them out. */
typedef void S_manage_fn(cmark_parser *, int);
static S_manage_fn *S_manage_real;
static pthread_once_t S_manage_once = PTHREAD_ONCE_INIT;

static void S_manage_find(void)
{
	S_manage_real =
		(S_manage_fn *)dlsym(RTLD_NEXT, "cmark_manage_extensions_special_characters");
}

void cmark_manage_extensions_special_characters(cmark_parser *parser, int add)
{
	pthread_once(&S_manage_once, S_manage_find);
	if (add && S_manage_real)
		S_manage_real(parser, 1);
}

void guide_parse(const struct guide_doc *doc, struct guide_ast *out)
{
	/* Registering is idempotent and cheap after the first call. */
	cmark_gfm_core_extensions_ensure_registered();
	cmark_mem *mem;
	out->arena = mdarena_enter(&mem);
	cmark_parser *p = cmark_parser_new_with_mem(CMARK_OPT_DEFAULT, mem);
	static const char *const exts[] = {"table", "autolink", "strikethrough"};
	for (size_t i = 0; i < COUNT(exts); i++)
		cmark_parser_attach_syntax_extension(p, cmark_find_syntax_extension(exts[i]));
	cmark_parser_feed(p, doc->body, doc->body_len);
	out->doc = doc;
	out->parser = p;
	out->root = cmark_parser_finish(p);
	cmark_consolidate_text_nodes(out->root);
	S_own_strings(out->root);
}

const char *guide_ast_html(struct guide_ast *a, int options)
{
	return cmark_render_html(a->root, options, cmark_parser_get_syntax_extensions(a->parser));
}

void guide_ast_free(struct guide_ast *a)
{
	/* Everything here is in the arena (the passes make their nodes with
	 * mdarena_mem), so the frees cost little; they stay, so that nothing
	 * the library allocates elsewhere could leak. */
	if (a->root)
		cmark_node_free(a->root);
	if (a->parser)
		cmark_parser_free(a->parser);
	if (a->arena)
		mdarena_leave(a->arena);
	*a = (struct guide_ast){0};
}
