/* diag.h: the one reporter for every diagnostic mailguide prints.
 *
 * Messages take the GCC form "file:line:col: error: message" (line and
 * column 1-based; 0 leaves them out), so editors and CI can jump to them.
 * The reporter counts as it goes and holds the messages until diag_flush,
 * which prints them sorted by file (in the order files were first named),
 * line and column: all errors at once, in reading order. */
#ifndef MG_DIAG_H
#define MG_DIAG_H

#include <stddef.h>
#include <stdio.h>

enum diag_level { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR };

struct diag_entry;

struct diag {
	FILE *out;     /* where messages go; stderr unless a test redirects */
	int quiet;     /* -q: warnings and notes are counted, not printed */
	int errors;
	int warnings;
	struct diag_entry *entries; /* held until diag_flush */
	size_t n, cap;
};

void diag_init(struct diag *d, FILE *out);

void diag_report(struct diag *d, enum diag_level level, const char *file,
		 unsigned line, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Prints the held messages in order and forgets them (counts stay). */
void diag_flush(struct diag *d);

/* Calls fn for each held message in the order reported (before
 * diag_flush), for a caller that moves or saves them (build.c, incr.c). */
void diag_each(const struct diag *d,
	       void (*fn)(void *arg, enum diag_level level, const char *file, unsigned line,
			  unsigned col, const char *text),
	       void *arg);

/* Frees without printing what is held (counts stay): for a reporter
 * whose messages were moved elsewhere with diag_each. */
void diag_discard(struct diag *d);

/* Flushes and frees. */
void diag_free(struct diag *d);

#define diag_error(d, file, line, col, ...) \
	diag_report((d), DIAG_ERROR, (file), (line), (col), __VA_ARGS__)
#define diag_warning(d, file, line, col, ...) \
	diag_report((d), DIAG_WARNING, (file), (line), (col), __VA_ARGS__)

#endif
