/* bundle.c: deterministic zips of staged files, through libzip.
 *
 * Speed: deflating every page again is most of a build's zip stage, so an
 * entry's compressed bytes are made once and copied raw where possible:
 *   - from the previous build's zip, when the member was kept unchanged
 *     (incremental builds; zip_source_zip of a whole entry copies it
 *     compressed, with its CRC and flags);
 *   - for a large zip with many new members (the site zip of a full build),
 *     from part zips deflated on all workers at once and then assembled.
 * Either way an entry's bytes are those a single-threaded full build
 * writes: the same zlib at the same level over the same data.
 * Files compressed already (images, archives) are stored, not deflated:
 * deflate spent a fifth of the stage on them for no gain (S_method).
 *
 * Memory: the site zip is as large as the site's compressed pages (100 MB
 * for 10,000 pages), so it is written straight into staging and the part
 * and previous zips are read from their files, each through a window of
 * 1 MiB (S_file), never held whole: the zip stage then adds little to the
 * build's peak memory. */
#define _GNU_SOURCE
#include "bundle.h"

#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "paths.h"
#include "pool.h"
#include "util.h"

/* Deflate level of every deflated entry. Level 1, zlib's fastest, deflates
 * the pages in less than half the CPU time of the default 6 (which adds
 * lazy matching) and 12 % less than level 3, for a site zip with images
 * 3 % larger than level 3's (docs/performance.md). */
#define S_LEVEL 1
/* Below this many new members a zip is deflated in one go. */
#define S_PARALLEL_MIN 256
/* Part zips per worker when deflating in parallel (S_parts_make). */
#define S_PER_WORKER 4

/* The MS-DOS date and time fields of a zip entry, from `t` in UTC. libzip's
 * zip_file_set_mtime converts with localtime(), which would make the bytes
 * depend on the builder's time zone. DOS dates start in 1980. */
static void S_dostime(time_t t, zip_uint16_t *dtime, zip_uint16_t *ddate)
{
	struct tm tm;
	if (t < 315532800) /* 1980-01-01T00:00:00Z */
		t = 315532800;
	gmtime_r(&t, &tm);
	if (tm.tm_year > 2107 - 1900) { /* the last year DOS dates can say */
		tm = (struct tm){.tm_year = 2107 - 1900,
				 .tm_mon = 11,
				 .tm_mday = 31,
				 .tm_hour = 23,
				 .tm_min = 59,
				 .tm_sec = 58};
	}
	*dtime = (zip_uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
	*ddate = (zip_uint16_t)(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
}

/* Names ending so are compressed already (images, archives, fonts):
 * deflate would spend time making them no smaller, so they are stored. */
static const char *const S_stored[] = {".png",  ".jpg", ".jpeg", ".gif",  ".webp",
				       ".avif", ".zip", ".gz",   ".woff", ".woff2"};

/* How the entry `name` is compressed: ZIP_CM_STORE or ZIP_CM_DEFLATE. */
static zip_int32_t S_method(const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < sizeof S_stored / sizeof *S_stored; i++) {
		size_t k = strlen(S_stored[i]);
		if (n > k && strcasecmp(name + n - k, S_stored[i]) == 0)
			return ZIP_CM_STORE;
	}
	return ZIP_CM_DEFLATE;
}

/* Sets the compression of entry `i`, named `name`, in `za`. */
static int S_compression(zip_t *za, zip_uint64_t i, const char *name)
{
	zip_int32_t cm = S_method(name);
	return zip_set_file_compression(za, i, cm, cm == ZIP_CM_STORE ? 0 : S_LEVEL);
}

/* One member: the file in the output and its name in the zip, and where
 * its compressed bytes come from (an archive and index), if made already. */
struct S_member {
	const char *rel;
	char *name;
	zip_t *from;
	zip_uint64_t from_index;
	int part; /* -1, or the part zip that deflates it */
};

struct zip_job {
	struct out *o;
	const char *rel; /* the zip's path in the output */
	zip_t *za;
	zip_uint16_t dtime, ddate;
};

static bool S_fail(struct zip_job *j, const char *what)
{
	diag_error(j->o->diag, j->rel, 0, 0, "cannot %s: %s", what,
		   j->za ? zip_strerror(j->za) : "libzip error");
	return false;
}

static bool S_attributes(struct zip_job *j, zip_uint64_t i, const char *name);

/* Adds a member as a regular file, mode 0644, deflated or stored. */
static bool S_add(struct zip_job *j, const struct S_member *mb)
{
	zip_source_t *zs;
	if (mb->from) {
		zs = zip_source_zip(j->za, mb->from, mb->from_index, 0, 0, -1);
	} else {
		char *path = out_read_path(j->o, mb->rel);
		zs = zip_source_file(j->za, path, 0, -1);
		free(path);
	}
	if (zs == NULL)
		return S_fail(j, "read a staged file");
	zip_int64_t idx = zip_file_add(j->za, mb->name, zs, ZIP_FL_ENC_UTF_8);
	if (idx < 0) {
		zip_source_free(zs);
		return S_fail(j, "add an entry");
	}
	return S_attributes(j, (zip_uint64_t)idx, mb->name);
}

/* Where libzip writes a small archive kept in memory (the changed members
 * of an incremental build's zip, S_fresh): one growing buffer. libzip's
 * buffer source keeps fragments that would be copied out again. */
struct S_sink {
	struct buf b; /* what libzip writes */
	size_t at;    /* write position */
	zip_error_t err;
};

static zip_int64_t S_sink_write(struct S_sink *k, const void *data, zip_uint64_t len)
{
	if (len > SIZE_MAX - k->at) {
		zip_error_set(&k->err, ZIP_ER_MEMORY, 0);
		return -1;
	}
	size_t end = k->at + (size_t)len;
	if (end > k->b.len) {
		buf_grow(&k->b, end - k->b.len);
		k->b.len = end;
	}
	memcpy(k->b.data + k->at, data, (size_t)len);
	k->at = end;
	return (zip_int64_t)len;
}

/* Moves *pos as libzip's seek arguments in `data` say, in `size` bytes. */
static zip_int64_t S_sink_seek(size_t *pos, size_t size, void *data, zip_uint64_t len,
			       zip_error_t *err)
{
	zip_int64_t at = zip_source_seek_compute_offset(*pos, size, data, len, err);
	if (at < 0)
		return -1;
	*pos = (size_t)at;
	return 0;
}

static zip_int64_t S_sink(void *arg, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct S_sink *k = arg;
	switch (cmd) {
	case ZIP_SOURCE_SUPPORTS:
		return ZIP_SOURCE_SUPPORTS_WRITABLE;
	case ZIP_SOURCE_STAT: /* libzip reads ENOENT as "make one" */
		zip_error_set(&k->err, ZIP_ER_READ, ENOENT);
		return -1;
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&k->err, data, len);
	case ZIP_SOURCE_OPEN:
	case ZIP_SOURCE_READ:
	case ZIP_SOURCE_TELL:
		return 0; /* nothing to read */
	case ZIP_SOURCE_BEGIN_WRITE:
	case ZIP_SOURCE_ROLLBACK_WRITE:
	case ZIP_SOURCE_REMOVE:
		buf_clear(&k->b);
		k->at = 0;
		return 0;
	case ZIP_SOURCE_WRITE:
		return S_sink_write(k, data, len);
	case ZIP_SOURCE_SEEK_WRITE:
		return S_sink_seek(&k->at, k->b.len, data, len, &k->err);
	case ZIP_SOURCE_TELL_WRITE:
		return (zip_int64_t)k->at;
	case ZIP_SOURCE_CLOSE:
	case ZIP_SOURCE_COMMIT_WRITE:
	case ZIP_SOURCE_FREE:
		return 0;
	default:
		zip_error_set(&k->err, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

/* A zip in a file, read or written through a window of memory. libzip
 * reads and writes an archive a few kilobytes at a time and seeks back to
 * each entry's header once its data is written; the window makes those
 * few large preads and pwrites. Unlike a mapping or a buffer, it keeps the
 * archive out of the process's resident memory: the site zip and its
 * parts are each as large as the site's compressed pages. */
#define S_WINDOW (1u << 20)

/* A window over part of a file: `len` bytes of it from `at` in `data`. */
struct S_window {
	char *data; /* S_WINDOW bytes */
	size_t at, len;
	bool dirty; /* holds bytes not yet written */
};

struct S_file {
	int rfd;      /* the archive libzip reads, or -1 (a new archive) */
	int wfd;      /* where libzip writes it (again), or -1 */
	size_t size;  /* of the archive read */
	size_t pos;   /* where libzip reads */
	size_t wsize; /* of the archive written so far */
	size_t at;    /* where libzip writes */
	struct S_window r, w;
	zip_error_t err;
};

static bool S_file_flush(struct S_file *f)
{
	struct S_window *w = &f->w;
	for (size_t done = 0; w->dirty && done < w->len;) {
		ssize_t n = pwrite(f->wfd, w->data + done, w->len - done, (off_t)(w->at + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			zip_error_set(&f->err, ZIP_ER_WRITE, errno);
			return false;
		}
		done += (size_t)n;
	}
	w->dirty = false;
	return true;
}

static zip_int64_t S_file_read(struct S_file *f, char *data, size_t len)
{
	struct S_window *r = &f->r;
	size_t got = 0;
	while (got < len && f->pos < f->size) {
		if (f->pos < r->at || f->pos >= r->at + r->len) {
			ssize_t n = pread(f->rfd, r->data, S_WINDOW, (off_t)f->pos);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				zip_error_set(&f->err, ZIP_ER_READ, n < 0 ? errno : EIO);
				return -1;
			}
			r->at = f->pos;
			r->len = (size_t)n;
		}
		size_t off = f->pos - r->at, n = r->len - off;
		if (n > len - got)
			n = len - got;
		memcpy(data + got, r->data + off, n);
		got += n;
		f->pos += n;
	}
	return (zip_int64_t)got;
}

static zip_int64_t S_file_write(struct S_file *f, const char *data, size_t len)
{
	struct S_window *w = &f->w;
	if (f->wfd < 0) {
		zip_error_set(&f->err, ZIP_ER_WRITE, EBADF);
		return -1;
	}
	/* Into the window when it holds `at` (or ends there) and has room;
	 * else the window is written out and starts again at `at`. */
	if (f->at < w->at || f->at > w->at + w->len || f->at + len > w->at + S_WINDOW) {
		if (!S_file_flush(f))
			return -1;
		w->at = f->at;
		w->len = 0;
	}
	if (len > S_WINDOW) { /* larger than the window: written as it is */
		struct S_window whole = {(char *)data, f->at, len, true}, keep = *w;
		*w = whole;
		bool ok = S_file_flush(f);
		*w = keep;
		w->at = f->at + len;
		if (!ok)
			return -1;
	} else {
		memcpy(w->data + (f->at - w->at), data, len);
		if (f->at + len > w->at + w->len)
			w->len = f->at + len - w->at;
		w->dirty = true;
	}
	f->at += len;
	if (f->at > f->wsize)
		f->wsize = f->at;
	return (zip_int64_t)len;
}

static zip_int64_t S_file_cb(void *arg, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct S_file *f = arg;
	size_t n = len < SIZE_MAX ? (size_t)len : SIZE_MAX;
	switch (cmd) {
	case ZIP_SOURCE_SUPPORTS:
		return ZIP_SOURCE_SUPPORTS_WRITABLE;
	case ZIP_SOURCE_STAT: {
		if (f->rfd < 0) { /* libzip reads ENOENT as "make one" */
			zip_error_set(&f->err, ZIP_ER_READ, ENOENT);
			return -1;
		}
		zip_stat_t *st = data;
		zip_stat_init(st);
		st->size = f->size;
		st->valid |= ZIP_STAT_SIZE;
		return sizeof *st;
	}
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&f->err, data, len);
	case ZIP_SOURCE_OPEN:
		f->pos = 0;
		return 0;
	case ZIP_SOURCE_READ:
		return S_file_read(f, data, n);
	case ZIP_SOURCE_SEEK:
		return S_sink_seek(&f->pos, f->size, data, len, &f->err);
	case ZIP_SOURCE_TELL:
		return (zip_int64_t)f->pos;
	case ZIP_SOURCE_BEGIN_WRITE:
	case ZIP_SOURCE_ROLLBACK_WRITE:
	case ZIP_SOURCE_REMOVE:
		f->w.dirty = false;
		f->wsize = f->at = f->w.at = f->w.len = 0;
		return f->wfd < 0 || ftruncate(f->wfd, 0) == 0 ? 0 : -1;
	case ZIP_SOURCE_WRITE:
		return S_file_write(f, data, n);
	case ZIP_SOURCE_SEEK_WRITE:
		return S_sink_seek(&f->at, f->wsize, data, len, &f->err);
	case ZIP_SOURCE_TELL_WRITE:
		return (zip_int64_t)f->at;
	case ZIP_SOURCE_COMMIT_WRITE:
		return S_file_flush(f) ? 0 : -1;
	case ZIP_SOURCE_CLOSE:
	case ZIP_SOURCE_FREE:
		return 0;
	default:
		zip_error_set(&f->err, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

/* A source reading the archive in `rfd` (-1: a new archive) and writing
 * it to `wfd` (-1: not yet; set before zip_close); the caller closes
 * both. Freed by S_file_free once the archive is closed. */
static struct S_file *S_file_new(int rfd, int wfd)
{
	struct S_file *f = xcalloc(1, sizeof *f);
	struct stat st;
	f->rfd = rfd;
	f->wfd = wfd;
	f->size = rfd >= 0 && fstat(rfd, &st) == 0 && st.st_size > 0 ? (size_t)st.st_size : 0;
	f->r.data = rfd >= 0 ? xmalloc(S_WINDOW) : NULL;
	f->w.data = xmalloc(S_WINDOW);
	zip_error_init(&f->err);
	return f;
}

static void S_file_free(struct S_file *f)
{
	if (f == NULL)
		return;
	zip_error_fini(&f->err);
	free(f->r.data);
	free(f->w.data);
	free(f);
}

/* An existing zip opened for its entries' compressed bytes, from its file
 * through a window (S_file): a part zip, or the previous build's zip. */
struct S_zipfile {
	zip_t *za;
	struct S_file *file;
	int fd;
};

/* Opens the zip in `fd` (taken: closed with the zip, or here on failure);
 * with `rw`, so that it can also be written again with some members
 * replaced (S_update), once its S_file has a descriptor to write to. */
static bool S_zipfile_open_fd(struct S_zipfile *zf, int fd, bool rw)
{
	*zf = (struct S_zipfile){0};
	if (fd < 0)
		return false;
	zf->fd = fd;
	zf->file = S_file_new(fd, -1);
	zip_error_t err;
	zip_error_init(&err);
	zip_source_t *src = zip_source_function_create(S_file_cb, zf->file, &err);
	if (src && (zf->za = zip_open_from_source(src, rw ? 0 : ZIP_RDONLY, &err)) == NULL)
		zip_source_free(src);
	zip_error_fini(&err);
	if (zf->za == NULL) {
		S_file_free(zf->file);
		close(fd);
		*zf = (struct S_zipfile){0};
	}
	return zf->za != NULL;
}

static bool S_zipfile_open(struct S_zipfile *zf, const char *path, bool rw)
{
	return S_zipfile_open_fd(zf, open(path, O_RDONLY | O_CLOEXEC), rw);
}

static void S_zipfile_close(struct S_zipfile *zf)
{
	if (zf->za)
		zip_discard(zf->za);
	if (zf->file)
		close(zf->fd);
	S_file_free(zf->file);
	*zf = (struct S_zipfile){0};
}

/* ---- part zips, deflated in parallel ---------------------------------------------- */

struct S_parts {
	struct out *o;
	const char *dir; /* where part zips are written (in staging) */
	struct S_member *m;
	size_t n;
	unsigned n_parts;
	size_t *first;        /* part k holds members first[k] .. first[k+1]-1 with part == k */
	struct S_zipfile *za; /* reopened for reading once written */
	char **err;           /* per part: what failed, or NULL */
};

/* Writes part k through a window (S_file), like the site zip: libzip's
 * own file writer seeks back through stdio to each entry's header, a few
 * system calls per entry. The part is read back from the same descriptor. */
static void S_part_job(size_t k, unsigned worker, void *arg)
{
	(void)worker;
	struct S_parts *p = arg;
	struct buf path = {0};
	buf_printf(&path, "%s/part-%zu.zip", p->dir, k);
	int fd = open(path.data, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	struct S_file *f = fd >= 0 ? S_file_new(-1, fd) : NULL;
	zip_error_t err;
	zip_error_init(&err);
	zip_source_t *src = f ? zip_source_function_create(S_file_cb, f, &err) : NULL;
	zip_t *za = src ? zip_open_from_source(src, ZIP_CREATE | ZIP_TRUNCATE, &err) : NULL;
	if (src && za == NULL)
		zip_source_free(src);
	zip_error_fini(&err);
	bool ok = za != NULL;
	for (size_t i = p->first[k]; ok && i < p->first[k + 1]; i++) {
		if (p->m[i].part != (int)k)
			continue;
		char *from = out_read_path(p->o, p->m[i].rel);
		zip_source_t *zs = zip_source_file(za, from, 0, -1);
		free(from);
		zip_int64_t idx = zs ? zip_file_add(za, p->m[i].name, zs, ZIP_FL_ENC_UTF_8) : -1;
		if (zs && idx < 0)
			zip_source_free(zs);
		ok = idx >= 0 && S_compression(za, (zip_uint64_t)idx, p->m[i].name) == 0;
		p->m[i].from_index = ok ? (zip_uint64_t)idx : 0;
	}
	if (za && ok)
		ok = zip_close(za) == 0;
	if (!ok) {
		p->err[k] = xstrdup(za ? zip_strerror(za) : "cannot create a part zip");
		if (za)
			zip_discard(za);
	}
	S_file_free(f);
	if (ok && !S_zipfile_open_fd(&p->za[k], fd, false))
		p->err[k] = xstrdup("cannot read a part zip back");
	else if (!ok && fd >= 0)
		close(fd);
	buf_free(&path);
}

/* What a member costs a part zip, roughly: a deflated page takes about
 * sixteen times the time of a stored image of the realistic corpus (its
 * bytes read, checksummed and copied). */
static size_t S_cost(const char *name) { return S_method(name) == ZIP_CM_STORE ? 1 : 16; }

/* Deflates the members without a source yet into part zips, S_PER_WORKER
 * per worker, at the same time; points each at its entry there. Members
 * differ in cost (a page is deflated, an image only copied), and sorted
 * by path they come in runs of one kind: parts are of equal cost
 * (S_cost), and there are more parts than workers, handed out as workers
 * become free, for what the estimate misses. */
static bool S_parts_make(struct S_parts *p, unsigned workers)
{
	size_t n_new = 0;
	for (size_t i = 0; i < p->n; i++)
		n_new += p->m[i].from == NULL;
	if (workers < 2 || n_new < S_PARALLEL_MIN)
		return true;
	unsigned parts = workers * S_PER_WORKER;
	p->n_parts = parts;
	p->first = xcalloc(parts + 1, sizeof *p->first);
	p->za = xcalloc(parts, sizeof *p->za);
	p->err = xcalloc(parts, sizeof *p->err);
	/* Parts of equal cost, not count: sorted by path, the members come in
	 * runs of one kind (thousands of images, then a locale's pages), and a
	 * page costs its deflate while an image is only copied. */
	size_t cost = 0, seen = 0;
	for (size_t i = 0; i < p->n; i++)
		cost += p->m[i].from ? 0 : S_cost(p->m[i].name);
	unsigned k = 0;
	for (size_t i = 0; i < p->n; i++) {
		if (p->m[i].from)
			continue;
		while (k + 1 < parts && seen >= cost * (k + 1) / parts)
			p->first[++k] = i;
		p->m[i].part = (int)k;
		seen += S_cost(p->m[i].name);
	}
	for (unsigned q = k + 1; q <= parts; q++)
		p->first[q] = p->n;
	if (mkdir(p->dir, 0755) != 0) {
		diag_error(p->o->diag, p->dir, 0, 0, "cannot create a folder for part zips");
		return false;
	}
	pool_run(parts, workers, S_part_job, p);
	bool ok = true;
	for (unsigned q = 0; q < parts; q++)
		if (p->err[q]) {
			diag_error(p->o->diag, p->dir, 0, 0, "cannot write a part zip: %s",
				   p->err[q]);
			ok = false;
		}
	for (size_t i = 0; ok && i < p->n; i++)
		if (p->m[i].part >= 0)
			p->m[i].from = p->za[p->m[i].part].za;
	return ok;
}

static void S_parts_free(struct S_parts *p)
{
	for (unsigned q = 0; q < p->n_parts; q++) {
		S_zipfile_close(&p->za[q]);
		free(p->err[q]);
	}
	free(p->za);
	free(p->err);
	free(p->first);
	if (p->n_parts)
		out_rmtree(p->dir, 1);
}

/* ---- one zip ---------------------------------------------------------------------- */

/* Sets what every member carries: the build's time, mode 0644, and its
 * compression (S_method). */
static bool S_attributes(struct zip_job *j, zip_uint64_t i, const char *name)
{
	if (zip_file_set_dostime(j->za, i, j->dtime, j->ddate, 0) != 0 ||
	    zip_file_set_external_attributes(j->za, i, 0, ZIP_OPSYS_UNIX,
					     (zip_uint32_t)(S_IFREG | 0644) << 16) != 0 ||
	    S_compression(j->za, i, name) != 0)
		return S_fail(j, "set an entry's attributes");
	return true;
}

/* Deflates members m[i] with m[i].from NULL into a zip of their own in
 * memory (`tmp`, its bytes in *bytes), pointing each at its entry there:
 * as new entries they get the build's deflate level (libzip resets the
 * level of an entry replaced with the same method). */
static bool S_fresh(struct zip_job *j, struct S_member *m, size_t n, struct S_zipfile *tmp,
		    struct buf *bytes)
{
	size_t n_new = 0;
	for (size_t i = 0; i < n; i++)
		n_new += m[i].from == NULL;
	if (n_new == 0)
		return true; /* all in part zips already, or nothing changed */
	struct S_sink k = {0};
	zip_error_init(&k.err);
	zip_error_t err;
	zip_error_init(&err);
	zip_source_t *src = zip_source_function_create(S_sink, &k, &err);
	struct zip_job t = {.o = j->o, .rel = j->rel, .dtime = j->dtime, .ddate = j->ddate};
	t.za = src ? zip_open_from_source(src, ZIP_CREATE | ZIP_TRUNCATE, &err) : NULL;
	bool ok = t.za != NULL;
	if (!ok && src)
		zip_source_free(src);
	for (size_t i = 0; ok && i < n; i++)
		ok = m[i].from != NULL || S_add(&t, &m[i]);
	if (t.za && ok && zip_close(t.za) != 0)
		ok = S_fail(&t, "write the zip");
	else if (t.za && !ok)
		zip_discard(t.za);
	zip_error_fini(&err);
	zip_error_fini(&k.err);
	*bytes = k.b;
	zip_source_t *mem = ok ? zip_source_buffer_create(bytes->data, bytes->len, 0, &err) : NULL;
	tmp->za = mem ? zip_open_from_source(mem, ZIP_RDONLY, &err) : NULL;
	if (mem && tmp->za == NULL)
		zip_source_free(mem);
	zip_uint64_t next = 0;
	for (size_t i = 0; tmp->za && i < n; i++)
		if (m[i].from == NULL) {
			m[i].from = tmp->za;
			m[i].from_index = next++;
		}
	return ok && tmp->za != NULL;
}

/* Writes the previous zip `mold` again with the members that changed
 * (m[i].from not the previous zip) replaced; the others are copied by
 * libzip as they are, without a source each. Only when the members are
 * the previous zip's, in its order. */
static bool S_update(struct zip_job *j, struct S_zipfile *mold, struct S_member *m, size_t n)
{
	struct S_zipfile tmp = {0};
	struct buf tmp_bytes = {0};
	bool ok = S_fresh(j, m, n, &tmp, &tmp_bytes);
	/* The previous zip, open through its S_file: written again into
	 * staging (a member changed, else the zip was kept: the bytes are
	 * new, the reuse hook is not asked). */
	zip_t *prev = mold->za;
	j->za = prev;
	ok = ok && zip_get_num_entries(prev, 0) == (zip_int64_t)n;
	int fd = ok ? out_open_new(j->o, j->rel) : -1;
	ok = ok && fd >= 0;
	mold->file->wfd = fd;
	for (size_t i = 0; ok && i < n; i++) {
		if (m[i].from == prev)
			continue;
		zip_source_t *zs = zip_source_zip(prev, m[i].from, m[i].from_index, 0, 0, -1);
		ok = zs && zip_file_replace(prev, i, zs, ZIP_FL_ENC_UTF_8) == 0;
		if (zs && !ok)
			zip_source_free(zs);
		ok = ok && zip_file_set_dostime(prev, i, j->dtime, j->ddate, 0) == 0;
		if (!ok)
			S_fail(j, "replace an entry");
	}
	if (ok) {
		if (zip_close(prev) != 0) {
			ok = S_fail(j, "write the zip");
			zip_discard(prev);
		}
		mold->za = NULL; /* closed or discarded either way */
	}
	if (fd >= 0)
		ok = out_close_new(j->o, j->rel, fd, ok);
	if (tmp.za)
		zip_discard(tmp.za);
	buf_free(&tmp_bytes);
	return ok;
}

/* Writes the zip of members m[0..n) to j->rel, straight into staging.
 * The reuse hook is not asked: the previous file can only hold the same
 * bytes when it has these members in this order and the same time stamp,
 * and S_zip keeps it then without writing. */
static bool S_build(struct zip_job *j, const struct S_member *m, size_t n)
{
	int fd = out_open_new(j->o, j->rel);
	if (fd < 0)
		return false;
	struct S_file *f = S_file_new(-1, fd);
	zip_error_t err;
	zip_error_init(&err);
	zip_source_t *src = zip_source_function_create(S_file_cb, f, &err);
	j->za = src ? zip_open_from_source(src, ZIP_CREATE | ZIP_TRUNCATE, &err) : NULL;
	bool ok = j->za != NULL;
	if (!ok) {
		diag_error(j->o->diag, j->rel, 0, 0, "cannot create the zip: %s",
			   zip_error_strerror(&err));
		if (src)
			zip_source_free(src);
	}
	for (size_t i = 0; ok && i < n; i++)
		ok = S_add(j, &m[i]);
	if (j->za && ok && zip_close(j->za) != 0)
		ok = S_fail(j, "write the zip");
	else if (j->za && !ok)
		zip_discard(j->za);
	ok = out_close_new(j->o, j->rel, fd, ok);
	S_file_free(f);
	zip_error_fini(&err);
	return ok;
}

/* True when the site zip `rel` of the previous build can be kept whole:
 * this build wrote no file (so each of its `n` members was kept), the
 * previous build wrote as many besides the zip, and the zip is still as it
 * left it: its members are the same files as then. */
static bool S_all_kept(const struct out *o, const struct incr_keep *keep, size_t n, const char *rel)
{
	return keep && o->files.fresh == 0 && incr_keep_count(keep) == n + 1 &&
	       incr_keep_valid(keep, rel);
}

/* Zips the files of `files` (sorted, NULL-ended) whose paths start with
 * `prefix` (all when ""), named in the zip with `prefix` replaced by
 * `inner`. The zip is written to staging only when whole. With `reuse`, the
 * previous build's zip at `rel` provides the entries of kept members, and
 * is kept itself when all its members were. */
static bool S_zip(struct out *o, const struct incr_keep *keep, const char **files, const char *rel,
		  const char *prefix, const char *inner, time_t epoch, bool reuse, unsigned workers)
{
	struct zip_job j = {.o = o, .rel = rel};
	S_dostime(epoch, &j.dtime, &j.ddate);
	size_t plen = strlen(prefix), n = 0;
	for (size_t i = 0; files[i]; i++)
		n += strncmp(files[i], prefix, plen) == 0 && strcmp(files[i], rel) != 0;
	/* The site zip of a build that kept every file: its members are the
	 * previous build's, in the same order, known without reading its
	 * directory (31,000 entries at 10,000 pages). */
	if (reuse && plen == 0 && S_all_kept(o, keep, n, rel))
		return incr_keep_file(keep, o, rel);
	struct S_member *m = xcalloc(n + 1, sizeof *m);
	n = 0;
	for (size_t i = 0; files[i]; i++)
		if (strncmp(files[i], prefix, plen) == 0 && strcmp(files[i], rel) != 0)
			m[n++] = (struct S_member){.rel = files[i],
						   .name = path_join(inner, files[i] + plen),
						   .part = -1};

	/* An entry's compressed bytes do not depend on its time stamp (set in
	 * the headers here): entries are reused whatever the epoch; the whole
	 * zip only when it is also the same. */
	struct S_zipfile mold = {0};
	bool prev = keep && incr_keep_valid(keep, rel);
	if (prev) {
		char *path = incr_keep_path(keep, rel);
		S_zipfile_open(&mold, path, true);
		free(path);
	}
	zip_t *old = mold.za;
	/* aligned: the previous zip has these members in this order, so it
	 * can be written again with the changed ones replaced (S_update). */
	bool aligned = reuse && old && zip_get_num_entries(old, 0) == (zip_int64_t)n;
	bool same = aligned;
	zip_int64_t n_old = old ? zip_get_num_entries(old, 0) : 0;
	for (size_t i = 0; old && i < n; i++) {
		/* Where it was in the previous zip: usually at the same place
		 * (a name compared, not hashed and looked up). */
		const char *was =
			(zip_int64_t)i < n_old ? zip_get_name(old, i, ZIP_FL_ENC_RAW) : NULL;
		zip_int64_t idx = was && strcmp(was, m[i].name) == 0
					  ? (zip_int64_t)i
					  : zip_name_locate(old, m[i].name, ZIP_FL_ENC_RAW);
		if (idx >= 0 && out_is_kept(o, m[i].rel)) {
			m[i].from = old;
			m[i].from_index = (zip_uint64_t)idx;
		}
		aligned = aligned && idx == (zip_int64_t)i;
		same = same && m[i].from && idx == (zip_int64_t)i;
	}
	/* libzip 1.7 gives a replaced entry its default method, deflate,
	 * whatever is set: a changed member that is stored (a kit in the site
	 * zip) is written by S_build. */
	for (size_t i = 0; aligned && i < n; i++)
		aligned = m[i].from || S_method(m[i].name) != ZIP_CM_STORE;

	bool ok;
	char *tmpdir = out_staged_path(o, ".mailguide-parts");
	struct S_parts parts = {.o = o, .dir = tmpdir, .m = m, .n = n};
	if (same) {
		ok = incr_keep_file(keep, o, rel);
	} else if (aligned) {
		ok = S_parts_make(&parts, workers) && S_update(&j, &mold, m, n);
	} else {
		ok = S_parts_make(&parts, workers) && S_build(&j, m, n);
	}
	S_parts_free(&parts);
	free(tmpdir);
	S_zipfile_close(&mold);
	for (size_t i = 0; i < n; i++)
		free(m[i].name);
	free(m);
	return ok;
}

static int S_path_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The files of `o` whose paths start with `prefix`, sorted, NULL-ended
 * (caller frees the array). */
static const char **S_sorted_below(const struct out *o, const char *prefix)
{
	size_t n = 0, plen = strlen(prefix);
	const char **v = xmalloc((o->files.n + 1) * sizeof *v);
	for (size_t i = 0; i < o->files.n; i++)
		if (strncmp(o->files.rel[i], prefix, plen) == 0)
			v[n++] = o->files.rel[i];
	qsort(v, n, sizeof *v, S_path_cmp);
	v[n] = NULL;
	return v;
}

bool bundle_all(struct out *o, const struct incr_keep *keep, const struct model *m, time_t epoch,
		bool reuse, unsigned workers)
{
	bool ok = true;
	/* What the kits hold is written already: the files below profiles/,
	 * a few of the site's thousands, sorted once for all of them. */
	const char **files = S_sorted_below(o, "profiles/");
	for (size_t i = 0; ok && i < m->n_providers; i++) {
		const struct model_provider *prov = &m->providers[i];
		for (size_t j = 0; ok && j < prov->n_products; j++) {
			for (size_t k = 0; ok && k < m->site.n_locales; k++) {
				const struct model_product *p = &prov->products[j];
				const struct model_locale *loc = &m->site.locales[k];
				char *zip = paths_kit(p, loc);
				char *dir = paths_profile_dir(p, loc);
				assert(strncmp(dir, "profiles/", 9) == 0); /* in `files` */
				char *inner = xstrdup(zip + strlen("downloads/"));
				inner[strlen(inner) - strlen(".zip")] = '\0';
				ok = S_zip(o, keep, files, zip, dir, inner, epoch, reuse, workers);
				free(inner);
				free(dir);
				free(zip);
			}
		}
	}
	/* The site zip holds the web root as published, kits included, but not
	 * itself. */
	free(files);
	files = ok ? out_sorted(o) : NULL;
	ok = ok && S_zip(o, keep, files, BUNDLE_SITE_ZIP, "", ".", epoch, reuse, workers);
	free(files);
	return ok;
}
