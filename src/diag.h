/* diag.h: the one reporter for every diagnostic mailguide prints.
 *
 * Messages take the GCC form "file:line:col: error: message" (line and
 * column 1-based; 0 leaves them out), so editors and CI can jump to them.
 * The reporter counts as it goes and holds the messages until diag_flush,
 * which prints them sorted by file (in the order files were first named),
 * line and column: all errors at once, in reading order.
 *
 * Checks report through classes, switchable like GCC's warnings
 * (-Wno-images, -Werror=drift, -Wanchors): such a message ends with its
 * class, "[-Wdrift]", and like every message given a place with diag_at it
 * is followed by the source line, a caret line under the place and, when
 * the message carries a fix-it, the replacement under the caret:
 *
 *   guide.pl-pl.md:66:18: warning: host 'SSL0.OVH.NET' ... [-Wdrift]
 *      66 | Adres serwera to SSL0.OVH.NET
 *         |                  ^~~~~~~~~~~~
 *         |                  {{imap.host}}
 *
 * With `json` set the reporter prints one JSON array instead (see
 * diag_free). Columns count bytes, as cmark and editors' "go to" do. */
#ifndef MG_DIAG_H
#define MG_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "strmap.h"

enum diag_level { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR };

/* The check classes; docs/checks.md has one example of each. */
enum diag_class {
	DIAG_CLASS_NONE, /* a plain message: not switchable */
	DIAG_LINKS,      /* an internal link that does not resolve (error) */
	DIAG_ANCHORS,    /* a #fragment no heading or anchor of its page has (error) */
	DIAG_IMAGES,     /* a missing image, or one outside the guide (error) */
	DIAG_DRIFT,      /* a host, port or security statement contradicting the table */
	DIAG_LITERAL,    /* a host or port of the table typed instead of referenced */
	DIAG_STALE,      /* a translation older than the default locale's */
	DIAG_STRUCTURE,  /* a translation shaped differently from the default locale's */
	DIAG_TABLES,     /* a pipe table without its delimiter row (repaired) */
	DIAG_RAW_HTML,   /* raw HTML shown as text */
	DIAG_NOTES,      /* an unknown [!kind] of note */
	DIAG_IDS,        /* a duplicate id or anchor */
	DIAG_FILES,      /* a file in a guide folder that is not built */
	DIAG_LISTS,      /* a list marker CommonMark reads as something else */
	DIAG_LEFTOVERS,  /* BBCode of an older editor, rewritten */
	DIAG_CLASS_COUNT
};

/* What a class does in this run. A class reported as notes (information:
 * a translation lagging behind its original) is left alone by -Werror;
 * -Werror=CLASS still makes it an error. */
enum diag_state { DIAG_OFF, DIAG_AS_NOTE, DIAG_AS_WARNING, DIAG_AS_ERROR };

struct diag_entry;

struct diag {
	FILE *out; /* where messages go; stderr unless a test redirects */
	int quiet; /* -q: warnings and notes are counted, not printed */
	int json;  /* print one JSON array (diag_free closes it) */
	int errors;
	int warnings;
	int notes;
	struct diag_entry *entries; /* held until diag_flush */
	size_t n, cap;
	struct strmap ranks; /* file -> 1 + its rank (order first named) */
	size_t n_ranks;
	/* Per class: its state, and whether -Werror made it an error (the tag
	 * then reads [-Werror=name], as GCC's does). diag_init sets defaults. */
	enum diag_state state[DIAG_CLASS_COUNT];
	bool promoted[DIAG_CLASS_COUNT];
	size_t json_items; /* printed so far */
};

void diag_init(struct diag *d, FILE *out);

void diag_report(struct diag *d, enum diag_level level, const char *file, unsigned line,
		 unsigned col, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* A message at a place in a source file, printed with that source line and
 * a caret line. `len` bytes are underlined (0: the caret alone); `fixit`,
 * when not NULL, replaces those bytes and is printed under them. */
void diag_at(struct diag *d, enum diag_level level, const char *file, unsigned line, unsigned col,
	     unsigned len, const char *fixit, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));

/* The same for a check class: its level is the class's state in this run,
 * and nothing is reported (or counted) when the class is off. */
void diag_class(struct diag *d, enum diag_class cls, const char *file, unsigned line, unsigned col,
		unsigned len, const char *fixit, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));

bool diag_enabled(const struct diag *d, enum diag_class cls);

/* The name of a class ("drift"), its one-line description, its default
 * state; diag_class_parse returns -1 for an unknown name. */
const char *diag_class_name(enum diag_class cls);
const char *diag_class_help(enum diag_class cls);
enum diag_state diag_class_default(enum diag_class cls);
int diag_class_parse(const char *name);

/* Applies one -W option, given without its "-W": "drift", "no-images",
 * "error", "error=drift", "no-error=links", "all" (every class on), "none"
 * (every class off). Returns false for an unknown one. */
bool diag_option(struct diag *d, const char *opt);

/* Prints the held messages in order and forgets them (counts stay). */
void diag_flush(struct diag *d);

/* One held message with every detail, as diag_each hands it out and
 * diag_add takes it back (build.c moves them, incr.c saves them). */
struct diag_record {
	enum diag_level level;
	const char *file; /* or NULL */
	unsigned line, col;
	const char *text;
	enum diag_class cls;
	bool promoted; /* made an error by -Werror */
	bool caret;    /* show the source line */
	unsigned len;
	const char *fixit; /* or NULL */
};

/* Calls fn for each held message in the order reported (before
 * diag_flush). */
void diag_each(const struct diag *d, void (*fn)(void *arg, const struct diag_record *r), void *arg);

/* Holds a message as recorded: counted by its level, dropped by -q unless
 * an error, as if reported here. */
void diag_add(struct diag *d, const struct diag_record *r);

/* A reporter for one part of a run done on another thread: empty, with
 * `d`'s output, switches and modes. Its messages go back with diag_move. */
void diag_init_like(struct diag *part, const struct diag *d);

/* Appends what `from` holds to `to` (as if reported there now, in the
 * same order, with every detail) and adds its counts; `from` is left
 * empty and may be freed. */
void diag_move(struct diag *to, struct diag *from);

/* Frees without printing what is held (counts stay): for a reporter
 * whose messages were moved elsewhere with diag_each. */
void diag_discard(struct diag *d);

/* Flushes and frees; in JSON mode also closes the array (an empty one when
 * nothing was reported). */
void diag_free(struct diag *d);

#define diag_error(d, file, line, col, ...)                                                        \
	diag_report((d), DIAG_ERROR, (file), (line), (col), __VA_ARGS__)
#define diag_warning(d, file, line, col, ...)                                                      \
	diag_report((d), DIAG_WARNING, (file), (line), (col), __VA_ARGS__)

#endif
