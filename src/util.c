/* util.c: allocation, buffers, arenas, small string and path helpers. */
#define _GNU_SOURCE /* fdopendir, F_DUPFD_CLOEXEC */
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static void *S_checked(void *p, size_t n)
{
	if (p == NULL && n != 0) {
		fprintf(stderr, "mailguide: fatal: out of memory (%zu bytes)\n", n);
		abort();
	}
	return p;
}

void *xmalloc(size_t n) { return S_checked(malloc(n ? n : 1), n ? n : 1); }

void *xcalloc(size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		S_checked(NULL, SIZE_MAX);
	return S_checked(calloc(count ? count : 1, size ? size : 1), 1);
}

void *xrealloc(void *p, size_t n) { return S_checked(realloc(p, n ? n : 1), n ? n : 1); }

char *xstrndup(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

void *xgrow(void *p, size_t n, size_t size)
{
	if (n & (n - 1))
		return p; /* not a power of two: there is room */
	if (n > SIZE_MAX / 2 / (size ? size : 1))
		S_checked(NULL, SIZE_MAX);
	return xrealloc(p, (n ? 2 * n : 1) * size);
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

void buf_grow(struct buf *b, size_t extra)
{
	if (extra > SIZE_MAX - b->len - 1)
		S_checked(NULL, SIZE_MAX);
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

void buf_put(struct buf *b, const void *p, size_t n)
{
	buf_grow(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s) { buf_put(b, s, strlen(s)); }
void buf_putc(struct buf *b, char c) { buf_put(b, &c, 1); }

void buf_put_u64(struct buf *b, unsigned long long v)
{
	char d[24], *p = d + sizeof d;
	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	buf_put(b, p, (size_t)(d + sizeof d - p));
}

void buf_put_i64(struct buf *b, long long v)
{
	if (v < 0)
		buf_putc(b, '-');
	buf_put_u64(b, v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v);
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list again;
	va_copy(again, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	if (n < 0) {
		va_end(again);
		return;
	}
	buf_grow(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
	va_end(again);
	b->len += (size_t)n;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void buf_clear(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

char *buf_detach(struct buf *b)
{
	char *p = b->data ? b->data : xstrdup("");
	*b = (struct buf){0};
	return p;
}

void buf_free(struct buf *b)
{
	free(b->data);
	*b = (struct buf){0};
}

const char *buf_str(const struct buf *b) { return b->data ? b->data : ""; }

/* Arena blocks hold many allocations; an allocation larger than a block
 * gets a block of its own. */
struct arena_block {
	struct arena_block *next;
	size_t used, size;
	max_align_t data[];
};

enum { ARENA_BLOCK = 16384 };

/* `n` bytes of the arena, not cleared. */
static void *S_arena_take(struct arena *a, size_t n)
{
	const size_t align = sizeof(max_align_t);
	n = (n + align - 1) / align * align;
	struct arena_block *b = a->head;
	const size_t block = a->block ? a->block : ARENA_BLOCK;
	if (b == NULL || b->size - b->used < n) {
		size_t size = n > block ? n : block;
		b = xmalloc(sizeof *b + size);
		b->used = n;
		b->size = size;
		/* A block for one large item goes behind the current one, which
		 * keeps its room for the small items to come. */
		if (size > block && a->head) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
		return b->data;
	}
	void *p = (char *)b->data + b->used;
	b->used += n;
	return p;
}

void *arena_alloc(struct arena *a, size_t n)
{
	void *p = S_arena_take(a, n);
	memset(p, 0, n);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *d = S_arena_take(a, n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

void arena_adopt(struct arena *to, struct arena *from)
{
	struct arena_block *last = from->head;
	if (last == NULL)
		return;
	while (last->next)
		last = last->next;
	if (to->head == NULL) {
		to->head = from->head;
	} else {
		last->next = to->head->next;
		to->head->next = from->head;
	}
	from->head = NULL;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	struct buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	char *s = arena_strndup(a, buf_str(&b), b.len);
	buf_free(&b);
	return s;
}

void arena_free(struct arena *a)
{
	struct arena_block *b = a->head;
	while (b) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
}

char *path_join(const char *dir, const char *name)
{
	if (dir == NULL || strcmp(dir, ".") == 0 || dir[0] == '\0')
		return xstrdup(name);
	struct buf b = {0};
	buf_puts(&b, dir);
	if (b.len && b.data[b.len - 1] != '/')
		buf_putc(&b, '/');
	buf_puts(&b, name);
	return buf_detach(&b);
}

int file_read(const char *path, struct buf *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	/* Read straight into the buffer, sized once from the file (a manifest
	 * is megabytes: no copy through a chunk, no growing). */
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
		buf_grow(out, (size_t)st.st_size);
	bool failed = false;
	for (;;) {
		if (out->cap - out->len <= 1)
			buf_grow(out, 65536);
		ssize_t n = read(fd, out->data + out->len, out->cap - out->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			failed = n < 0;
			break;
		}
		out->len += (size_t)n;
	}
	close(fd);
	out->data[out->len] = '\0';
	if (failed) {
		errno = EIO;
		return -1;
	}
	return 0;
}

/* Optimal string alignment distance: insertions, deletions, substitutions
 * and swaps of two neighbours ("hots" for "host") each count as one. */
size_t edit_distance(const char *a, const char *b, size_t cap)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return cap + 1;
	size_t d[65][65];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb] > cap ? cap + 1 : d[la][lb];
}

void nearest_init(struct nearest *n, const char *word, size_t cap)
{
	*n = (struct nearest){.word = word, .cap = cap, .dist = cap + 1};
}

bool nearest_try(struct nearest *n, const char *candidate)
{
	if (candidate == NULL || strcasecmp(candidate, n->word) == 0)
		return false;
	size_t la = strlen(n->word), lb = strlen(candidate);
	if ((la > lb ? la - lb : lb - la) > n->cap)
		return false; /* more edits than allowed, whatever they are */
	size_t d = edit_distance(n->word, candidate, n->cap);
	if (d >= n->dist)
		return false;
	n->dist = d;
	n->best = candidate;
	return true;
}

static int S_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void dir_iter_start(struct dir_iter *it, int fd)
{
	it->fd = fd;
	it->pos = it->len = 0;
	it->err = fd < 0 ? EBADF : lseek(fd, 0, SEEK_SET) != 0 ? errno : 0;
}

bool dir_iter_next(struct dir_iter *it, struct dir_entry *out)
{
	while (it->err == 0) {
		if (it->pos >= it->len) {
			ssize_t got = getdents64(it->fd, it->buf, sizeof it->buf);
			if (got <= 0) {
				it->err = got < 0 ? errno : 0;
				return false;
			}
			it->pos = 0;
			it->len = (size_t)got;
		}
		const struct dirent64 *e = (const struct dirent64 *)((char *)it->buf + it->pos);
		it->pos += e->d_reclen;
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
			*out = (struct dir_entry){e->d_name, e->d_type,
						  (unsigned long long)e->d_ino};
			return true;
		}
	}
	return false;
}

/* The names of the folder open as `fd`, which stays open. */
static char **S_dir_names(int fd, bool dotfiles, size_t *n)
{
	char **names = NULL;
	size_t cap = 0;
	struct dir_iter *it = xmalloc(sizeof *it);
	dir_iter_start(it, fd);
	struct dir_entry e;
	while (dir_iter_next(it, &e)) {
		const char *s = e.name;
		if (!dotfiles && s[0] == '.')
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			names = xrealloc(names, cap * sizeof *names);
		}
		names[(*n)++] = xstrdup(s);
	}
	bool failed = it->err != 0;
	free(it);
	if (failed) {
		dir_names_free(names, *n);
		*n = 0;
		return NULL;
	}
	if (*n)
		qsort(names, *n, sizeof *names, S_name_cmp);
	return names ? names : xcalloc(1, sizeof *names);
}

char **dir_names(const char *dir, bool dotfiles, size_t *n)
{
	*n = 0;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char **names = fd >= 0 ? S_dir_names(fd, dotfiles, n) : NULL;
	if (fd >= 0)
		close(fd);
	return names;
}

char **dir_names_at(int dfd, bool dotfiles, size_t *n)
{
	*n = 0;
	return dfd >= 0 ? S_dir_names(dfd, dotfiles, n) : NULL;
}

void dir_names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

void buf_put_field(struct buf *b, const char *s)
{
	if (s == NULL) {
		buf_putc(b, '-');
		return;
	}
	if (*s == '-' || *s == '\0')
		buf_putc(b, '\\');
	/* Runs without a character to escape are copied whole. */
	for (;;) {
		size_t n = strcspn(s, "\\\t\n");
		buf_put(b, s, n);
		s += n;
		if (*s == '\0')
			break;
		buf_puts(b, *s == '\\' ? "\\\\" : *s == '\t' ? "\\t" : "\\n");
		s++;
	}
}

char *field_unescape(char *s)
{
	if (strcmp(s, "-") == 0)
		return NULL;
	char *r = s;
	if (*r == '\\' && (r[1] == '-' || r[1] == '\0'))
		r++;
	char *bs = strchr(r, '\\');
	if (bs == NULL) { /* the usual case */
		if (r != s)
			memmove(s, r, strlen(r) + 1);
		return s;
	}
	/* One pass from the first escape on: a manifest's check facts have
	 * one every few bytes. */
	char *o = s;
	memmove(o, r, (size_t)(bs - r));
	o += bs - r;
	for (r = bs; *r;) {
		if (*r == '\\' && r[1]) {
			*o++ = r[1] == 't' ? '\t' : r[1] == 'n' ? '\n' : r[1];
			r += 2;
		} else {
			*o++ = *r++;
		}
	}
	*o = '\0';
	return s;
}

size_t field_split(char *line, char **f, size_t max)
{
	size_t n = 0;
	for (char *p = line; p; n++) {
		if (n == max)
			return max + 1;
		f[n] = p;
		p = strchr(p, '\t');
		if (p)
			*p++ = '\0';
	}
	return n;
}
