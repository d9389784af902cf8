/* diag.c: formats, counts, holds and sorts diagnostics; the check classes
 * and their -W switches; source lines with carets; JSON. */
#include "diag.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct diag_entry {
	char *file; /* NULL for messages about no file */
	unsigned line, col;
	size_t file_rank; /* order in which the file was first named */
	size_t seq;       /* order of reporting, to keep the sort stable */
	enum diag_level level;
	char *text;
	enum diag_class cls;
	bool promoted;
	bool caret;   /* show the source line */
	unsigned len; /* bytes underlined */
	char *fixit;  /* or NULL */
};

static const struct {
	const char *name;
	enum diag_state def;
	const char *help;
} S_classes[DIAG_CLASS_COUNT] = {
	[DIAG_CLASS_NONE] = {"", DIAG_AS_ERROR, ""},
	[DIAG_LINKS] = {"links", DIAG_AS_ERROR, "internal links that do not resolve"},
	[DIAG_ANCHORS] = {"anchors", DIAG_AS_ERROR, "#fragments no heading or anchor has"},
	[DIAG_IMAGES] = {"images", DIAG_AS_ERROR, "missing images, images outside the guide"},
	[DIAG_DRIFT] = {"drift", DIAG_AS_WARNING,
			"hosts, ports, security statements contradicting the server table"},
	[DIAG_LITERAL] = {"literal", DIAG_AS_WARNING,
			  "hosts and ports of the table typed instead of {{...}}"},
	[DIAG_STALE] = {"stale", DIAG_AS_NOTE, "translations older than the default locale's"},
	[DIAG_STRUCTURE] = {"structure", DIAG_AS_NOTE,
			    "translations shaped differently from the default locale's"},
	[DIAG_TABLES] = {"tables", DIAG_AS_WARNING, "pipe tables without a delimiter row"},
	[DIAG_RAW_HTML] = {"raw-html", DIAG_AS_WARNING, "raw HTML shown as text or left out"},
	[DIAG_NOTES] = {"notes", DIAG_AS_WARNING, "unknown kinds of note"},
	[DIAG_IDS] = {"ids", DIAG_AS_WARNING, "duplicate ids and anchors"},
	[DIAG_FILES] = {"files", DIAG_AS_WARNING,
			"files in guide folders that are not built (name, locale)"},
	[DIAG_LISTS] = {"lists", DIAG_AS_WARNING,
			"list items CommonMark reads as a heading underline or as text"},
	[DIAG_LEFTOVERS] = {"leftovers", DIAG_AS_WARNING,
			    "BBCode of an older editor (rewritten as a link, or left out)"},
};

const char *diag_class_name(enum diag_class cls) { return S_classes[cls].name; }
const char *diag_class_help(enum diag_class cls) { return S_classes[cls].help; }
enum diag_state diag_class_default(enum diag_class cls) { return S_classes[cls].def; }

int diag_class_parse(const char *name)
{
	for (int i = 1; i < DIAG_CLASS_COUNT; i++)
		if (strcmp(S_classes[i].name, name) == 0)
			return i;
	return -1;
}

void diag_init(struct diag *d, FILE *out)
{
	*d = (struct diag){.out = out ? out : stderr};
	for (int i = 0; i < DIAG_CLASS_COUNT; i++)
		d->state[i] = S_classes[i].def;
}

bool diag_enabled(const struct diag *d, enum diag_class cls) { return d->state[cls] != DIAG_OFF; }

bool diag_option(struct diag *d, const char *opt)
{
	bool no = strncmp(opt, "no-", 3) == 0;
	const char *rest = no ? opt + 3 : opt;
	if (strcmp(rest, "error") == 0) {
		/* -Werror: every class that warns becomes an error; -Wno-error
		 * undoes what -Werror did. */
		for (int i = 1; i < DIAG_CLASS_COUNT; i++) {
			if (!no && d->state[i] == DIAG_AS_WARNING) {
				d->state[i] = DIAG_AS_ERROR;
				d->promoted[i] = true;
			} else if (no && d->promoted[i]) {
				d->state[i] = DIAG_AS_WARNING;
				d->promoted[i] = false;
			}
		}
		return true;
	}
	if (strncmp(rest, "error=", 6) == 0) {
		int c = diag_class_parse(rest + 6);
		if (c < 0)
			return false;
		d->state[c] =
			no ? (S_classes[c].def == DIAG_AS_NOTE ? DIAG_AS_NOTE : DIAG_AS_WARNING)
			   : DIAG_AS_ERROR;
		d->promoted[c] = !no && S_classes[c].def != DIAG_AS_ERROR;
		return true;
	}
	if (!no && (strcmp(rest, "all") == 0 || strcmp(rest, "none") == 0)) {
		for (int i = 1; i < DIAG_CLASS_COUNT; i++) {
			if (rest[0] == 'n')
				d->state[i] = DIAG_OFF;
			else if (d->state[i] == DIAG_OFF)
				d->state[i] = S_classes[i].def;
		}
		return true;
	}
	int c = diag_class_parse(rest);
	if (c < 0)
		return false;
	if (no)
		d->state[c] = DIAG_OFF;
	else if (d->state[c] == DIAG_OFF)
		d->state[c] = S_classes[c].def;
	return true;
}

/* The rank of `file` among the files the held messages name, in the order
 * each was first named; a message about no file has a rank of its own. A
 * map, not a scan of the held messages: with 20,000 of them the scan made
 * reporting quadratic. */
static size_t S_file_rank(struct diag *d, const char *file)
{
	if (file == NULL)
		return d->n_ranks++;
	void *v = strmap_get(&d->ranks, file);
	if (v != NULL)
		return (size_t)((uintptr_t)v - 1);
	strmap_put(&d->ranks, file, (void *)(uintptr_t)(d->n_ranks + 1));
	return d->n_ranks++;
}

/* Forgets the ranks, once no message is held. */
static void S_ranks_free(struct diag *d)
{
	strmap_free(&d->ranks);
	d->n_ranks = 0;
}

static struct diag_entry *S_add(struct diag *d, enum diag_level level, const char *file,
				unsigned line, unsigned col, const char *fmt, va_list ap)
{
	if (level == DIAG_ERROR)
		d->errors++;
	else if (level == DIAG_WARNING)
		d->warnings++;
	else
		d->notes++;
	if (d->quiet && level != DIAG_ERROR && !d->json)
		return NULL;
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->entries = xrealloc(d->entries, d->cap * sizeof *d->entries);
	}
	struct buf b = {0};
	buf_vprintf(&b, fmt, ap);
	d->entries[d->n] = (struct diag_entry){
		.file = file ? xstrdup(file) : NULL,
		.line = line,
		.col = col,
		.file_rank = S_file_rank(d, file),
		.seq = d->n,
		.level = level,
		.text = buf_detach(&b),
	};
	return &d->entries[d->n++];
}

void diag_report(struct diag *d, enum diag_level level, const char *file, unsigned line,
		 unsigned col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	S_add(d, level, file, line, col, fmt, ap);
	va_end(ap);
}

static void S_place(struct diag_entry *e, enum diag_class cls, bool promoted, unsigned len,
		    const char *fixit)
{
	if (e == NULL)
		return;
	e->cls = cls;
	e->promoted = promoted;
	e->caret = e->file && e->line && e->col;
	e->len = len;
	e->fixit = fixit ? xstrdup(fixit) : NULL;
}

void diag_at(struct diag *d, enum diag_level level, const char *file, unsigned line, unsigned col,
	     unsigned len, const char *fixit, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct diag_entry *e = S_add(d, level, file, line, col, fmt, ap);
	va_end(ap);
	S_place(e, DIAG_CLASS_NONE, false, len, fixit);
}

void diag_class(struct diag *d, enum diag_class cls, const char *file, unsigned line, unsigned col,
		unsigned len, const char *fixit, const char *fmt, ...)
{
	if (d->state[cls] == DIAG_OFF)
		return;
	enum diag_level level = d->state[cls] == DIAG_AS_ERROR  ? DIAG_ERROR
				: d->state[cls] == DIAG_AS_NOTE ? DIAG_NOTE
								: DIAG_WARNING;
	va_list ap;
	va_start(ap, fmt);
	struct diag_entry *e = S_add(d, level, file, line, col, fmt, ap);
	va_end(ap);
	S_place(e, cls, d->promoted[cls], len, fixit);
}

static int S_cmp(const void *pa, const void *pb)
{
	const struct diag_entry *a = pa, *b = pb;
	if (a->file_rank != b->file_rank)
		return a->file_rank < b->file_rank ? -1 : 1;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* ---- source lines and carets ----------------------------------------------------- */

/* The last file read, so that a file's messages (sorted together) read it once. */
struct S_source {
	char *file;
	struct buf text;
	bool ok;
	unsigned at_line; /* where the last line found starts: messages come */
	size_t at_off;    /* sorted by line, so the next search starts there */
};

/* Line `line` (1-based) of `file`, without its end of line; NULL when the
 * file cannot be read or is shorter. */
static const char *S_line(struct S_source *src, const char *file, unsigned line, size_t *len)
{
	if (src->file == NULL || strcmp(src->file, file) != 0) {
		free(src->file);
		buf_free(&src->text);
		src->file = xstrdup(file);
		src->ok = file_read(file, &src->text) == 0;
		src->at_line = 1;
		src->at_off = 0;
	}
	if (!src->ok)
		return NULL;
	/* From the last line found when this one is not before it: scanning
	 * from the top for each of thousands of messages in a large file was
	 * quadratic (found by tests/t_hostile.sh, many-references). */
	const char *p = buf_str(&src->text), *end = p + src->text.len;
	unsigned l = 1;
	if (line >= src->at_line) {
		l = src->at_line;
		p += src->at_off;
	}
	for (; l < line && p < end; l++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			return NULL;
		p = nl + 1;
	}
	if (p >= end && line > 1)
		return NULL;
	src->at_line = line;
	src->at_off = (size_t)(p - buf_str(&src->text));
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	size_t n = (size_t)((nl ? nl : end) - p);
	if (n && p[n - 1] == '\r')
		n--;
	*len = n;
	return p;
}

/* Pads to the display position of byte `upto` of `s`: a tab stays a tab,
 * any other character (a UTF-8 sequence counts once) is one space. */
static void S_pad(struct buf *o, const char *s, size_t upto)
{
	buf_grow(o, upto); /* written in place: a character at a time was half a message's cost */
	for (size_t i = 0; i < upto; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\t')
			o->data[o->len++] = '\t';
		else if ((c & 0xC0) != 0x80)
			o->data[o->len++] = ' ';
	}
	o->data[o->len] = '\0';
}

/* Prints `s` with control characters (other than tab) as '?', so a hostile
 * file cannot drive the terminal; the runs between them as they are. */
static void S_put_clean(struct buf *o, const char *s, size_t n)
{
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			buf_put(o, s + run, i - run);
			buf_putc(o, '?');
			run = i + 1;
		}
	}
	buf_put(o, s + run, n - run);
}

static void S_caret(struct buf *o, struct S_source *src, const struct diag_entry *e)
{
	size_t len;
	const char *s = S_line(src, e->file, e->line, &len);
	if (s == NULL)
		return;
	size_t at = e->col - 1;
	if (at > len)
		at = len;
	/* A long line shows as a window around the column, so thousands of
	 * messages on one line of megabytes print kilobytes, not gigabytes. */
	enum { LONG = 512, BEFORE = 100, WIDTH = 240 };
	size_t from = 0, to = len;
	if (len > LONG) {
		from = at > BEFORE ? at - BEFORE : 0;
		while (from > 0 && ((unsigned char)s[from] & 0xC0) == 0x80)
			from--;
		to = from + WIDTH < len ? from + WIDTH : len;
		while (to < len && ((unsigned char)s[to] & 0xC0) == 0x80)
			to++;
	}
	buf_printf(o, "%5u | %s", e->line, from ? "..." : "");
	S_put_clean(o, s + from, to - from);
	buf_puts(o, to < len ? "...\n      | " : "\n      | ");
	if (from)
		buf_puts(o, "   ");
	s += from;
	at -= from;
	len = to - from;
	S_pad(o, s, at);
	buf_putc(o, '^');
	/* The underline, in characters: one '~' per further character. */
	size_t end = at + e->len < len ? at + e->len : len;
	buf_grow(o, end > at ? end - at : 0);
	for (size_t i = at + 1; i < end; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			o->data[o->len++] = '~';
	buf_putc(o, '\n');
	/* A fix-it that inserts lines shows them one under another. */
	for (const char *p = e->fixit; p && *p;) {
		size_t n = strcspn(p, "\n");
		buf_puts(o, from ? "      |    " : "      | ");
		S_pad(o, s, at);
		S_put_clean(o, p, n);
		buf_putc(o, '\n');
		p += n + (p[n] == '\n');
	}
}

/* ---- JSON ----------------------------------------------------------------------- */

static void S_json_str(struct buf *o, const char *s)
{
	buf_putc(o, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			buf_printf(o, "\\%c", *p);
		else if (*p == '\n')
			buf_puts(o, "\\n");
		else if (*p == '\t')
			buf_puts(o, "\\t");
		else if (*p < 0x20 || *p == 0x7f)
			buf_printf(o, "\\u%04x", *p);
		else
			buf_putc(o, (char)*p);
	}
	buf_putc(o, '"');
}

static const char *const S_level_names[] = {"note", "warning", "error"};

static void S_json_entry(struct diag *d, struct buf *o, const struct diag_entry *e)
{
	buf_puts(o, d->json_items++ ? ",\n " : "[\n ");
	buf_puts(o, "{\"file\": ");
	if (e->file)
		S_json_str(o, e->file);
	else
		buf_puts(o, "null");
	buf_printf(o, ", \"line\": %u, \"col\": %u, \"severity\": \"%s\", \"class\": ", e->line,
		   e->col, S_level_names[e->level]);
	if (e->cls != DIAG_CLASS_NONE)
		S_json_str(o, S_classes[e->cls].name);
	else
		buf_puts(o, "null");
	buf_puts(o, ", \"message\": ");
	S_json_str(o, e->text);
	buf_puts(o, ", \"fixit\": ");
	if (e->fixit) {
		buf_printf(o, "{\"line\": %u, \"col\": %u, \"end_col\": %u, \"replacement\": ",
			   e->line, e->col, e->col + e->len);
		S_json_str(o, e->fixit);
		buf_putc(o, '}');
	} else {
		buf_puts(o, "null");
	}
	buf_putc(o, '}');
}

static void S_text_entry(struct buf *o, struct S_source *src, const struct diag_entry *e)
{
	/* file:line:col: level: text [-Wclass], without printf: thousands of
	 * messages are usual. */
	if (e->file) {
		buf_puts(o, e->file);
		if (e->line) {
			buf_putc(o, ':');
			buf_put_u64(o, e->line);
		}
		if (e->line && e->col) {
			buf_putc(o, ':');
			buf_put_u64(o, e->col);
		}
		buf_puts(o, ": ");
	} else {
		buf_puts(o, "mailguide: ");
	}
	buf_puts(o, S_level_names[e->level]);
	buf_puts(o, ": ");
	buf_puts(o, e->text);
	if (e->cls != DIAG_CLASS_NONE) {
		buf_puts(o, e->promoted ? " [-Werror=" : " [-W");
		buf_puts(o, S_classes[e->cls].name);
		buf_putc(o, ']');
	}
	buf_putc(o, '\n');
	if (e->caret)
		S_caret(o, src, e);
}

/* Messages are formatted into a buffer and written in large pieces: the
 * output is usually stderr, unbuffered, where every character was a
 * write(2) of its own (20,000 warnings cost four times the build). */
enum { S_OUT_CHUNK = 1 << 16 };

static void S_out(struct diag *d, struct buf *o)
{
	fwrite(o->data, 1, o->len, d->out);
	buf_clear(o);
}

void diag_flush(struct diag *d)
{
	if (d->n == 0)
		return;
	qsort(d->entries, d->n, sizeof *d->entries, S_cmp);
	struct S_source src = {0};
	struct buf o = {0};
	for (size_t i = 0; i < d->n; i++) {
		struct diag_entry *e = &d->entries[i];
		if (d->json)
			S_json_entry(d, &o, e);
		else
			S_text_entry(&o, &src, e);
		if (o.len >= S_OUT_CHUNK)
			S_out(d, &o);
		free(e->file);
		free(e->text);
		free(e->fixit);
	}
	S_out(d, &o);
	buf_free(&o);
	free(src.file);
	buf_free(&src.text);
	fflush(d->out);
	d->n = 0;
	S_ranks_free(d);
}

void diag_free(struct diag *d)
{
	diag_flush(d);
	if (d->json) {
		fputs(d->json_items ? "\n]\n" : "[]\n", d->out);
		fflush(d->out);
		d->json = 0;
	}
	free(d->entries);
	d->entries = NULL;
	d->cap = 0;
	S_ranks_free(d);
}

void diag_each(const struct diag *d, void (*fn)(void *arg, const struct diag_record *r), void *arg)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct diag_entry *e = &d->entries[i];
		struct diag_record r = {e->level, e->file,     e->line,  e->col, e->text,
					e->cls,   e->promoted, e->caret, e->len, e->fixit};
		fn(arg, &r);
	}
}

static struct diag_entry *S_addf(struct diag *d, enum diag_level level, const char *file,
				 unsigned line, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static struct diag_entry *S_addf(struct diag *d, enum diag_level level, const char *file,
				 unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct diag_entry *e = S_add(d, level, file, line, col, fmt, ap);
	va_end(ap);
	return e;
}

void diag_add(struct diag *d, const struct diag_record *r)
{
	struct diag_entry *e = S_addf(d, r->level, r->file, r->line, r->col, "%s", r->text);
	if (e == NULL)
		return;
	e->cls = r->cls;
	e->promoted = r->promoted;
	e->caret = r->caret;
	e->len = r->len;
	e->fixit = r->fixit ? xstrdup(r->fixit) : NULL;
}

void diag_discard(struct diag *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->entries[i].file);
		free(d->entries[i].text);
		free(d->entries[i].fixit);
	}
	free(d->entries);
	d->entries = NULL;
	d->n = d->cap = 0;
	S_ranks_free(d);
}

void diag_init_like(struct diag *part, const struct diag *d)
{
	diag_init(part, d->out);
	part->quiet = d->quiet;
	part->json = d->json;
	memcpy(part->state, d->state, sizeof d->state);
	memcpy(part->promoted, d->promoted, sizeof d->promoted);
}

void diag_move(struct diag *to, struct diag *from)
{
	for (size_t i = 0; i < from->n; i++) {
		if (to->n == to->cap) {
			to->cap = to->cap ? to->cap * 2 : 16;
			to->entries = xrealloc(to->entries, to->cap * sizeof *to->entries);
		}
		struct diag_entry e = from->entries[i];
		e.file_rank = S_file_rank(to, e.file);
		e.seq = to->n;
		to->entries[to->n++] = e;
	}
	to->errors += from->errors;
	to->warnings += from->warnings;
	to->notes += from->notes;
	free(from->entries);
	from->entries = NULL;
	from->n = from->cap = 0;
	from->errors = from->warnings = from->notes = 0;
	S_ranks_free(from);
}
