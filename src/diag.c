/* diag.c: formats, counts, holds and sorts diagnostics. */
#include "diag.h"

#include <stdarg.h>
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
};

void diag_init(struct diag *d, FILE *out)
{
	*d = (struct diag){.out = out ? out : stderr};
}

static const char *const S_level_names[] = {"note", "warning", "error"};

static size_t S_file_rank(const struct diag *d, const char *file)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->entries[i].file && file && strcmp(d->entries[i].file, file) == 0)
			return d->entries[i].file_rank;
	return d->n;
}

void diag_report(struct diag *d, enum diag_level level, const char *file,
		 unsigned line, unsigned col, const char *fmt, ...)
{
	if (level == DIAG_ERROR)
		d->errors++;
	else if (level == DIAG_WARNING)
		d->warnings++;
	if (d->quiet && level != DIAG_ERROR)
		return;
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->entries = xrealloc(d->entries, d->cap * sizeof *d->entries);
	}
	struct buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	d->entries[d->n] = (struct diag_entry){
		.file = file ? xstrdup(file) : NULL,
		.line = line,
		.col = col,
		.file_rank = S_file_rank(d, file),
		.seq = d->n,
		.level = level,
		.text = buf_detach(&b),
	};
	d->n++;
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

void diag_flush(struct diag *d)
{
	if (d->n == 0)
		return;
	qsort(d->entries, d->n, sizeof *d->entries, S_cmp);
	for (size_t i = 0; i < d->n; i++) {
		struct diag_entry *e = &d->entries[i];
		if (e->file && e->line && e->col)
			fprintf(d->out, "%s:%u:%u: ", e->file, e->line, e->col);
		else if (e->file && e->line)
			fprintf(d->out, "%s:%u: ", e->file, e->line);
		else if (e->file)
			fprintf(d->out, "%s: ", e->file);
		else
			fputs("mailguide: ", d->out);
		fprintf(d->out, "%s: %s\n", S_level_names[e->level], e->text);
		free(e->file);
		free(e->text);
	}
	fflush(d->out);
	d->n = 0;
}

void diag_free(struct diag *d)
{
	diag_flush(d);
	free(d->entries);
	d->entries = NULL;
	d->cap = 0;
}

void diag_each(const struct diag *d,
	       void (*fn)(void *arg, enum diag_level level, const char *file, unsigned line,
			  unsigned col, const char *text),
	       void *arg)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct diag_entry *e = &d->entries[i];
		fn(arg, e->level, e->file, e->line, e->col, e->text);
	}
}

void diag_discard(struct diag *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->entries[i].file);
		free(d->entries[i].text);
	}
	free(d->entries);
	d->entries = NULL;
	d->n = d->cap = 0;
}
