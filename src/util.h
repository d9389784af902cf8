/* util.h: allocation that never returns NULL, a growable byte buffer, an arena.
 *
 * Every allocation in mailguide goes through x*alloc: on out-of-memory they
 * print one line and abort, so callers never check for NULL (as cmark does). */
#ifndef MG_UTIL_H
#define MG_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* `p`, an array of n items of `size` bytes, with room for item n: doubled
 * when n is 0 or a power of two, so appending one at a time stays linear
 * whatever realloc does (ASan's always copies). */
void *xgrow(void *p, size_t n, size_t size);
char *xstrndup(const char *s, size_t n);

/* A growable, always NUL-terminated byte buffer. Zero-initialised is empty;
 * buf_free releases it; buf_detach hands the bytes to the caller (free()). */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};

void buf_grow(struct buf *b, size_t extra);
void buf_put(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
/* A number in decimal (buf_printf's "%lld"/"%llu" without its cost, for
 * files of thousands of numbers). */
void buf_put_i64(struct buf *b, long long v);
void buf_put_u64(struct buf *b, unsigned long long v);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
void buf_clear(struct buf *b);
char *buf_detach(struct buf *b);
void buf_free(struct buf *b);
/* Returns a pointer that is never NULL (an empty buffer yields ""). */
const char *buf_str(const struct buf *b);

/* An arena: many small allocations freed together by arena_free. Used for
 * data that lives as long as one loaded model or one build. */
struct arena_block;
struct arena {
	struct arena_block *head;
	/* Bytes of a block; 0: 16 KiB. Smaller for arenas kept by the
	 * thousand that each hold a few KiB (a guide's check facts). */
	size_t block;
};

void *arena_alloc(struct arena *a, size_t n); /* zeroed, aligned for any type */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void arena_free(struct arena *a);
/* Moves every allocation of `from` into `to` (which then frees them);
 * `from` is left empty. For arenas filled on several threads. */
void arena_adopt(struct arena *to, struct arena *from);

/* Joins a directory and a relative name; "." as dir yields the name alone,
 * so diagnostics show paths as the user typed them. Caller frees. */
char *path_join(const char *dir, const char *name);

/* Reads a whole file into *out (NUL-terminated). Returns 0, or -1 with errno. */
int file_read(const char *path, struct buf *out);

/* A folder's entries read with getdents64 from a descriptor: opendir
 * and readdir add an fstat, two fcntls and a lseek per folder, and a
 * rebuild without change reads 20,000 folders (content and output). */
struct dir_iter {
	int fd;
	size_t pos, len;
	int err;                      /* 0, or the errno that ended the reading */
	unsigned long long buf[1024]; /* 8 KiB, aligned for struct dirent64 */
};
/* Starts reading the folder open as `fd` (not closed here) from its first
 * entry. */
void dir_iter_start(struct dir_iter *it, int fd);
/* An entry as the folder lists it. */
struct dir_entry {
	const char *name;   /* valid until the next call */
	unsigned char type; /* DT_DIR, DT_REG...; DT_UNKNOWN when the file system does not say */
	unsigned long long ino;
};
/* The next entry but "." and ".."; false at the end. */
bool dir_iter_next(struct dir_iter *it, struct dir_entry *e);

/* The names in directory `dir`, sorted by strcmp, without "." and ".."
 * and, unless `dotfiles`, without any starting with '.'. NULL (and *n 0)
 * when it cannot be read. Free with dir_names_free. */
char **dir_names(const char *dir, bool dotfiles, size_t *n);
/* The same for the folder open as `dfd` (which stays open). */
char **dir_names_at(int dfd, bool dotfiles, size_t *n);
void dir_names_free(char **names, size_t n);

/* A free-text field of a line-based file (the build manifest): "\\", "\t"
 * and "\n" stand for themselves, NULL is written "-" and a text that is
 * "-" or empty gets a leading backslash. field_unescape undoes it in place
 * and returns NULL for "-". */
void buf_put_field(struct buf *b, const char *s);
char *field_unescape(char *s);
/* Splits `line` in place at tabs into at most `max` fields; returns their
 * number, or max + 1 when there are more. */
size_t field_split(char *line, char **f, size_t max);

/* Levenshtein distance, capped: returns at most cap + 1. For "did you mean". */
size_t edit_distance(const char *a, const char *b, size_t cap);

/* The closest of the candidates offered to `word`, for "did you mean":
 * nearest_try each one; `best` is then the first closest within `cap` edits
 * (not `word` itself, compared without case), or NULL. nearest_try returns
 * true when `candidate` became the best: a caller offering a temporary
 * string keeps a copy then and points `best` at it. */
struct nearest {
	const char *word;
	size_t cap, dist;
	const char *best;
};
void nearest_init(struct nearest *n, const char *word, size_t cap);
bool nearest_try(struct nearest *n, const char *candidate);

#endif
