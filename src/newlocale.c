/* newlocale.c: `mailguide new-locale LL-CC`, a translator's starting point.
 *
 * Writes, from the site's default locale:
 *   - content/strings/<tag>.yaml: the default's strings file, each entry
 *     preceded by a "# translate" line (the values are the default's text);
 *   - content/guides/<guide>/guide.<tag>.md for every guide: its source's
 *     file with `untranslated: true` added to the front matter. The loader
 *     leaves such a stub out (guide.c), so until a translator removes that
 *     line the locale shows the source's text with the untranslated banner,
 *     exactly as for a guide that has no file in the locale.
 * Then it says what to add to site.yaml (the file is the user's: its
 * comments and layout are not rewritten here). Nothing is ever overwritten:
 * when one of the files exists, nothing at all is written. */
#define _GNU_SOURCE
#include "newlocale.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "cfile.h"
#include "guide.h"
#include "load.h"
#include "out.h"
#include "paths.h"

/* One file to write. */
struct S_file {
	char *path;
	struct buf text;
};

struct S_plan {
	struct S_file *v;
	size_t n, cap;
};

static struct buf *S_add(struct S_plan *p, char *path)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 8;
		p->v = xrealloc(p->v, p->cap * sizeof *p->v);
	}
	p->v[p->n] = (struct S_file){.path = path};
	return &p->v[p->n++].text;
}

static void S_plan_free(struct S_plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].path);
		buf_free(&p->v[i].text);
	}
	free(p->v);
}

/* The default strings file with a "# translate" line before each entry.
 * Entries start on the lines the loader recorded for their keys; comment
 * lines are valid between any two lines of a mapping, block or flow. */
static bool S_strings(const struct model *m, const char *content, const char *tag,
		      struct S_plan *plan, struct diag *d)
{
	const struct model_locale *def = m->site.default_locale;
	char rel[96];
	snprintf(rel, sizeof rel, "strings/%s.yaml", def->tag);
	char *src = path_join(content, rel);
	struct buf text = {0};
	bool ok = cfile_read(content, src, CFILE_MAX_TEXT, &text, d) == CFILE_OK;
	free(src);
	if (!ok) {
		buf_free(&text);
		return false;
	}
	snprintf(rel, sizeof rel, "strings/%s.yaml", tag);
	struct buf *b = S_add(plan, path_join(content, rel));
	buf_printf(b,
		   "# UI strings of %s, copied from %s.yaml by 'mailguide new-locale': translate\n"
		   "# each value, and remove its '# translate' line when done. Keep the names.\n",
		   tag, def->tag);
	const char *p = buf_str(&text), *end = p + text.len;
	/* A byte order mark may only start a YAML stream: the header does. */
	if (text.len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	unsigned line = 1;
	size_t next = 0; /* the first entry not yet marked, in file order */
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl + 1 : end;
		bool starts = false;
		for (; next < def->n_strings && def->strings[next].pos.line <= line; next++)
			starts = true;
		if (starts)
			buf_puts(b, "# translate\n");
		buf_put(b, p, (size_t)(stop - p));
		p = stop;
		line++;
	}
	if (text.len && buf_str(&text)[text.len - 1] != '\n')
		buf_putc(b, '\n');
	buf_free(&text);
	return true;
}

/* A stub of `doc` (its whole file) with "untranslated: true" as the front
 * matter's last line, in the file's own line ending. */
static void S_stub(const struct guide_doc *doc, const char *tag, struct buf *b)
{
	const char *t = doc->text;
	/* The closing fence is the line that ends where the body starts. */
	size_t k = doc->body_off;
	if (k > 0 && t[k - 1] == '\n')
		k--;
	bool crlf = k > 0 && t[k - 1] == '\r';
	size_t fence = k;
	while (fence > 0 && t[fence - 1] != '\n')
		fence--;
	buf_put(b, t, fence);
	buf_printf(b,
		   "untranslated: true  # until this line is removed, %s shows the %s text, "
		   "marked untranslated%s",
		   tag, doc->locale->tag, crlf ? "\r\n" : "\n");
	buf_put(b, t + fence, doc->text_len - fence);
}

/* Writes `b` as a new file `path`, never replacing one that appeared
 * meanwhile. */
static bool S_write_new(const char *path, const struct buf *b, struct diag *d)
{
	int err = out_write_file(path, b->data, b->len, false);
	if (err)
		diag_error(d, path, 0, 0, "cannot write: %s", strerror(err));
	return err == 0;
}

static int S_yaml_out(void *data, unsigned char *s, size_t n)
{
	buf_put(data, s, n);
	return 1;
}

static void S_scalar(yaml_emitter_t *e, const char *s)
{
	yaml_event_t ev;
	yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 1,
				     YAML_ANY_SCALAR_STYLE);
	yaml_emitter_emit(e, &ev);
}

static void S_map(yaml_emitter_t *e, bool start)
{
	yaml_event_t ev;
	if (start)
		yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
	else
		yaml_mapping_end_event_initialize(&ev);
	yaml_emitter_emit(e, &ev);
}

/* The entry to add under site.yaml's `locales:`, written by libyaml's
 * emitter (which quotes what needs it): the default locale's name, title
 * and placeholders, to be translated or changed. */
static void S_site_entry(const struct model_locale *def, const char *tag, struct buf *b)
{
	yaml_emitter_t e;
	yaml_event_t ev;
	yaml_emitter_initialize(&e);
	yaml_emitter_set_output(&e, S_yaml_out, b);
	yaml_emitter_set_unicode(&e, 1);
	yaml_emitter_set_width(&e, -1);
	yaml_emitter_set_indent(&e, 2);
	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	yaml_emitter_emit(&e, &ev);
	yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
	yaml_emitter_emit(&e, &ev);
	S_map(&e, true);
	S_scalar(&e, tag);
	S_map(&e, true);
	S_scalar(&e, "name");
	S_scalar(&e, def->name);
	S_scalar(&e, "title");
	S_scalar(&e, def->title);
	if (def->n_placeholders) {
		S_scalar(&e, "placeholders");
		S_map(&e, true);
		for (size_t i = 0; i < def->n_placeholders; i++) {
			S_scalar(&e, def->placeholders[i].key);
			S_scalar(&e, def->placeholders[i].value);
		}
		S_map(&e, false);
	}
	S_map(&e, false);
	S_map(&e, false);
	yaml_document_end_event_initialize(&ev, 1);
	yaml_emitter_emit(&e, &ev);
	yaml_stream_end_event_initialize(&ev);
	yaml_emitter_emit(&e, &ev);
	yaml_emitter_delete(&e);
}

/* Prints `text` with every line indented, as a snippet to paste. */
static void S_print_indented(FILE *f, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		fprintf(f, "  %.*s\n", (int)(stop - p), p);
		p = nl ? nl + 1 : end;
	}
}

/* The tag as files name it (lower case), or NULL after saying why not. */
static char *S_tag(const char *arg)
{
	char canon[40];
	if (!load_bcp47(arg, canon, sizeof canon)) {
		fprintf(stderr,
			"mailguide new-locale: '%s' is not a BCP 47 language tag (like it-it or "
			"pt-br)\n",
			arg);
		return NULL;
	}
	if (paths_name_reserved(arg, strlen(arg))) {
		fprintf(stderr,
			"mailguide new-locale: '%s' is a name Windows reserves for devices\n", arg);
		return NULL;
	}
	char *tag = xstrdup(arg);
	for (char *p = tag; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return tag;
}

/* Fills the plan; false after reporting why it cannot be made. */
static bool S_plan(const struct model *m, const struct guide_set *set, const char *content,
		   const char *tag, struct S_plan *plan, struct diag *d)
{
	if (!S_strings(m, content, tag, plan, d))
		return false;
	for (size_t i = 0; i < set->n; i++) {
		const struct guide *g = &set->guides[i];
		if (g->source == NULL)
			continue;
		char name[96];
		snprintf(name, sizeof name, "guide.%s.md", tag);
		if (!guide_read_texts(set, g, d))
			return false;
		S_stub(g->source, tag, S_add(plan, path_join(g->source->dir, name)));
		guide_drop_texts(set, g);
	}
	bool clear = true;
	for (size_t i = 0; i < plan->n; i++) {
		struct stat st;
		if (lstat(plan->v[i].path, &st) == 0) {
			diag_error(d, plan->v[i].path, 0, 0,
				   "exists already; new-locale never overwrites a file (nothing "
				   "was written)");
			clear = false;
		}
	}
	return clear;
}

int newlocale_run(const char *content, const char *arg, struct diag *d)
{
	char *tag = S_tag(arg);
	if (tag == NULL)
		return 2;
	int rc = 1;
	struct S_plan plan = {0};
	struct guide_set *set = NULL;
	struct model *m = load_content_adding(content, tag, d);
	if (m == NULL)
		goto done;
	const struct model_locale *def = m->site.default_locale;
	if (strcmp(def->tag, tag) == 0) {
		fprintf(stderr, "mailguide new-locale: '%s' is the default locale already\n", tag);
		rc = 2;
		goto done;
	}
	/* The guides as their files are: no cache, one thread. */
	set = guide_set_load(content, m, d, 1, NULL);
	if (set == NULL || !S_plan(m, set, content, tag, &plan, d))
		goto done;
	for (size_t i = 0; i < plan.n; i++)
		if (!S_write_new(plan.v[i].path, &plan.v[i].text, d))
			goto done;
	rc = 0;
	printf("wrote %s: the %zu UI strings of %s.yaml, each to translate\n", plan.v[0].path,
	       def->n_strings, def->tag);
	printf("wrote %zu guide stubs guide.%s.md, marked 'untranslated: true': the site shows "
	       "their source's text with the untranslated banner until you translate a file and "
	       "remove that line\n",
	       plan.n - 1, tag);
	if (model_locale_find(m, tag) != NULL) {
		printf("'%s' is in site.yaml's locales already\n", tag);
	} else {
		char *site = path_join(content, "site.yaml");
		struct buf entry = {0};
		S_site_entry(def, tag, &entry);
		printf("next: add this under 'locales:' in %s, with the language's own name and "
		       "the site's title in it:\n\n",
		       site);
		S_print_indented(stdout, buf_str(&entry), entry.len);
		buf_free(&entry);
		free(site);
	}
done:
	diag_flush(d);
	S_plan_free(&plan);
	if (set)
		guide_set_free(set);
	if (m)
		model_free(m);
	free(tag);
	return rc;
}
