/* incr_keep.c: keeping the previous output's unchanged files (see
 * incr_keep.h). */
#define _GNU_SOURCE
#include "incr_keep.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"
#include "pool.h"
#include "strmap.h"
#include "util.h"

struct incr_keep {
	char *final;
	int final_fd; /* the output folder (O_PATH), -1: none */
	unsigned workers;
	struct incr_keep_file *prev;
	char **prev_rel;
	size_t n_prev;
	struct strmap index;     /* path -> index + 1 into prev */
	bool spare;              /* a spare was there when the build began (out.h) */
	long long written_ns;    /* when the previous manifest was written, or 0 */
	struct S_linker *linker; /* incr_keep_link_begin's */
	size_t linked_upto;      /* it links the kept files of o->files[0..upto) */
};

struct incr_keep *incr_keep_new(const char *dir, unsigned workers)
{
	struct incr_keep *k = xcalloc(1, sizeof *k);
	k->final = xstrdup(dir);
	k->workers = workers ? workers : 1;
	/* For reading the previous files by their relative paths (thousands
	 * per rebuild: a path walk from here is half as long). */
	k->final_fd = open(dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	char *spare = out_beside(dir, ".spare");
	struct stat st;
	k->spare = lstat(spare, &st) == 0 && S_ISDIR(st.st_mode);
	free(spare);
	return k;
}

void incr_keep_forget(struct incr_keep *k)
{
	strmap_free(&k->index);
	for (size_t i = 0; i < k->n_prev; i++)
		free(k->prev_rel[i]);
	free(k->prev_rel);
	free(k->prev);
	k->prev_rel = NULL;
	k->prev = NULL;
	k->n_prev = 0;
	k->written_ns = 0;
}

void incr_keep_written(struct incr_keep *k, long long mtime_ns) { k->written_ns = mtime_ns; }

void incr_keep_add(struct incr_keep *k, const char *rel, struct incr_keep_file f)
{
	if (rel == NULL || !paths_rel_ok(rel))
		return;
	k->prev = xgrow(k->prev, k->n_prev, sizeof *k->prev);
	k->prev_rel = xgrow(k->prev_rel, k->n_prev, sizeof *k->prev_rel);
	k->prev_rel[k->n_prev] = xstrdup(rel);
	k->prev[k->n_prev++] = f;
	k->index.borrowed = true; /* its keys are prev_rel's */
	strmap_put(&k->index, k->prev_rel[k->n_prev - 1], (void *)(uintptr_t)k->n_prev);
}

size_t incr_keep_count(const struct incr_keep *k) { return k->n_prev; }

const struct incr_keep_file *incr_keep_record(const struct incr_keep *k, const char *rel)
{
	size_t i = (size_t)(uintptr_t)strmap_get(&k->index, rel);
	assert(i <= k->n_prev);
	return i ? &k->prev[i - 1] : NULL;
}

static bool S_matches(const struct incr_keep_file *f, const struct stat *st)
{
	return S_ISREG(st->st_mode) && (long long)st->st_size == f->size &&
	       (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec == f->mtime_ns &&
	       (unsigned long long)st->st_ino == f->ino;
}

bool incr_keep_valid(const struct incr_keep *k, const char *rel)
{
	const struct incr_keep_file *f = incr_keep_record(k, rel);
	struct stat st;
	return f && fstatat(k->final_fd, rel, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_matches(f, &st);
}

char *incr_keep_path(const struct incr_keep *k, const char *rel)
{
	return path_join(k->final, rel);
}

bool incr_keep_file(const struct incr_keep *k, struct out *o, const char *rel)
{
	return incr_keep_valid(k, rel) && out_put_kept(o, rel);
}

/* True when the previous build left exactly `data` at `rel`. Called from
 * the threads that render: reads only. */
static bool S_same(void *arg, const char *rel, const void *data, size_t len)
{
	const struct incr_keep *k = arg;
	const struct incr_keep_file *f = incr_keep_record(k, rel);
	if (f == NULL || f->size != (long long)len)
		return false;
	int fd = openat(k->final_fd, rel, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	bool same = fd >= 0 && fstat(fd, &st) == 0 && S_matches(f, &st);
	char chunk[65536];
	for (size_t at = 0; same && at < len;) {
		ssize_t n = read(fd, chunk, len - at < sizeof chunk ? len - at : sizeof chunk);
		same = n > 0 && memcmp(chunk, (const char *)data + at, (size_t)n) == 0;
		at += same ? (size_t)n : 0;
	}
	if (fd >= 0)
		close(fd);
	return same;
}

struct out_reuse incr_keep_reuse(struct incr_keep *k)
{
	return (struct out_reuse){k->n_prev ? S_same : NULL, k};
}

/* Counts the files and folders in the folder open as `dfd` (closed here)
 * and below it, itself included, without following symbolic links; each
 * folder is opened relative to its parent (no path walk). False when a
 * folder cannot be read or an entry's type is unknown (cannot tell
 * cheaply: treated as changed). */
static bool S_count_fd(int dfd, size_t *files, size_t *dirs, int depth)
{
	if (dfd < 0 || depth >= 64) {
		if (dfd >= 0)
			close(dfd);
		return false;
	}
	(*dirs)++;
	bool ok = true;
	struct dir_iter *it = xmalloc(sizeof *it);
	struct dir_entry e;
	dir_iter_start(it, dfd);
	while (ok && dir_iter_next(it, &e)) {
		if (e.type == DT_DIR)
			ok = S_count_fd(openat(dfd, e.name,
					       O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC),
					files, dirs, depth + 1);
		else if (e.type == DT_UNKNOWN)
			ok = false;
		else
			(*files)++;
	}
	ok = ok && it->err == 0;
	free(it);
	close(dfd);
	return ok;
}

/* The output's top-level folders, counted on all workers (the locales'
 * and the images' folders are thousands each). */
struct S_counting {
	int root;
	char **names;
	size_t *files, *dirs;
	bool *ok;
};

static void S_count_job(size_t i, unsigned worker, void *arg)
{
	struct S_counting *c = arg;
	(void)worker;
	c->ok[i] = S_count_fd(
		openat(c->root, c->names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC),
		&c->files[i], &c->dirs[i], 1);
}

/* The same for the output folder, its top level read here. */
static bool S_count(const struct incr_keep *k, size_t *files, size_t *dirs)
{
	int fd = k->final_fd >= 0 ? openat(k->final_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
				  : -1;
	DIR *dp = fd >= 0 ? fdopendir(fd) : NULL;
	if (dp == NULL) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	struct S_counting c = {.root = dirfd(dp)};
	size_t n = 0;
	bool ok = true;
	struct dirent *e;
	while (ok && (e = readdir(dp)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (e->d_type == DT_DIR) {
			c.names = xgrow(c.names, n, sizeof *c.names);
			c.names[n++] = xstrdup(e->d_name);
		} else {
			ok = e->d_type != DT_UNKNOWN;
			(*files)++;
		}
	}
	(*dirs)++;
	c.files = xcalloc(n + 1, sizeof *c.files);
	c.dirs = xcalloc(n + 1, sizeof *c.dirs);
	c.ok = xcalloc(n + 1, sizeof *c.ok);
	if (ok)
		pool_run(n, k->workers, S_count_job, &c);
	for (size_t i = 0; i < n; i++) {
		ok = ok && c.ok[i];
		*files += c.files[i];
		*dirs += c.dirs[i];
		free(c.names[i]);
	}
	free(c.names);
	free(c.files);
	free(c.dirs);
	free(c.ok);
	closedir(dp);
	return ok;
}

/* Adds the folders above `rel` to `dirs`. */
static void S_folders(struct strmap *dirs, const char *rel)
{
	char *d = xstrdup(rel);
	for (char *slash = strrchr(d, '/'); slash; slash = strrchr(d, '/')) {
		*slash = '\0';
		if (!strmap_put(dirs, d, (void *)1))
			break; /* and the folders above it, seen before */
	}
	free(d);
}

/* Tells the folders changed since a time, thousands of them, on all
 * workers. */
struct S_aging {
	int dfd;
	long long since_ns;
	const char **rel;
	bool *older;
};

static void S_age(size_t i, unsigned worker, void *arg)
{
	struct S_aging *a = arg;
	struct stat st;
	(void)worker;
	a->older[i] =
		fstatat(a->dfd, a->rel[i], &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode) &&
		(long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec < a->since_ns;
}

/* True when the output's folders rel[0..n) were last changed before the
 * previous manifest was written: a file put in one, or taken out, since
 * makes its time that of the change, later (or the same, within the
 * clock's step). */
static bool S_older(const struct incr_keep *k, const char **rel, size_t n)
{
	if (k->written_ns == 0 || k->final_fd < 0)
		return false;
	struct S_aging a = {k->final_fd, k->written_ns, rel, xcalloc(n + 1, sizeof *a.older)};
	pool_run(n, k->workers, S_age, &a);
	bool older = true;
	for (size_t i = 0; older && i < n; i++)
		older = a.older[i];
	free(a.older);
	return older;
}

bool incr_keep_unchanged(const struct incr_keep *k, const struct out *o)
{
	if (k->n_prev == 0 || o->files.fresh != 0 || o->files.n != k->n_prev)
		return false;
	/* Every file was kept (so is as built); nothing else may be there: no
	 * folder changed since that build (a stat each), or else, reading
	 * them all, as many files as built and as many folders as they need. */
	struct strmap dirs = {0};
	for (size_t i = 0; i < o->files.n; i++)
		S_folders(&dirs, o->files.rel[i]);
	size_t want_dirs = dirs.n + 1;
	const char **rel = xcalloc(want_dirs, sizeof *rel);
	size_t n = 0;
	rel[n++] = ".";
	strmap_keys(&dirs, rel + 1);
	n += dirs.n;
	bool older = S_older(k, rel, n);
	free(rel);
	strmap_free(&dirs);
	if (older)
		return true;
	size_t files = 0, n_dirs = 0;
	return S_count(k, &files, &n_dirs) && files == o->files.n && n_dirs == want_dirs;
}

/* ---- staging: the spare mended, the kept files linked ------------------------------ */

/* What staging should hold once every file is produced: each file's index
 * in o->files (+ 1) by path, and every folder above one. */
struct S_plan {
	const struct incr_keep *k;
	const struct out *o;
	struct strmap files, dirs;
	unsigned char *present; /* per file of o: already in staging as it should be */
	int staging;            /* staging, open */
	char **top;             /* its top-level folders, mended on all workers */
	int *failed;            /* per top-level folder: an errno, or 0 */
};

/* Mends the entry `name` (of `rel`'s folder, open as `dfd`) and what is
 * below it; returns 0 or an errno. A folder staging needs is walked, any
 * other folder removed; a file is left when the build wrote it or when it
 * is the kept file itself (the same inode as the output's), else removed
 * (a kept file is linked afterwards). */
static int S_mend(struct S_plan *p, int dfd, const char *rel, const char *name, unsigned char type,
		  unsigned long long ino, int depth)
{
	if (type == DT_UNKNOWN) {
		struct stat st;
		if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			return errno;
		type = S_ISDIR(st.st_mode) ? DT_DIR : DT_REG;
		ino = (unsigned long long)st.st_ino;
	}
	size_t i = (size_t)(uintptr_t)strmap_get(&p->files, rel);
	if (type != DT_DIR) {
		const struct incr_keep_file *f = i ? incr_keep_record(p->k, rel) : NULL;
		bool keep = i && (!p->o->files.kept[i - 1] || (f && f->ino == ino));
		if (keep)
			p->present[i - 1] = 1;
		return keep || unlinkat(dfd, name, 0) == 0 ? 0 : errno;
	}
	int sub = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sub < 0)
		return errno;
	if (i || strmap_get(&p->dirs, rel) == NULL || depth > 64) {
		close(sub);
		char *path = path_join(p->o->staging, rel);
		int rc = out_rmtree(path, 1) == 0 ? 0 : errno;
		free(path);
		return rc;
	}
	int rc = 0;
	struct buf r = {0};
	struct dir_iter *it = xmalloc(sizeof *it);
	struct dir_entry e;
	dir_iter_start(it, sub);
	while (rc == 0 && dir_iter_next(it, &e)) {
		buf_clear(&r);
		buf_puts(&r, rel);
		buf_putc(&r, '/');
		buf_puts(&r, e.name);
		rc = S_mend(p, sub, buf_str(&r), e.name, e.type, e.ino, depth + 1);
	}
	if (rc == 0)
		rc = it->err;
	free(it);
	buf_free(&r);
	close(sub);
	return rc;
}

static void S_mend_top(size_t i, unsigned worker, void *arg)
{
	struct S_plan *p = arg;
	(void)worker;
	p->failed[i] = S_mend(p, p->staging, p->top[i], p->top[i], DT_DIR, 0, 1);
}

/* Mends staging's top level here, its folders on all workers. */
static int S_mend_all(struct S_plan *p, unsigned workers)
{
	int fd = openat(AT_FDCWD, p->o->staging, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *dp = fd >= 0 ? fdopendir(fd) : NULL;
	if (dp == NULL) {
		if (fd >= 0)
			close(fd);
		return errno;
	}
	p->staging = dirfd(dp);
	size_t n = 0;
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(dp)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (e->d_type == DT_DIR && strmap_get(&p->dirs, e->d_name)) {
			p->top = xgrow(p->top, n, sizeof *p->top);
			p->top[n++] = xstrdup(e->d_name);
		} else {
			rc = S_mend(p, p->staging, e->d_name, e->d_name, e->d_type,
				    (unsigned long long)e->d_ino, 0);
		}
	}
	p->failed = xcalloc(n + 1, sizeof *p->failed);
	if (rc == 0)
		pool_run(n, workers, S_mend_top, p);
	for (size_t i = 0; i < n; i++) {
		rc = rc ? rc : p->failed[i];
		free(p->top[i]);
	}
	free(p->top);
	free(p->failed);
	closedir(dp);
	return rc;
}

/* Linking kept files into staging, in chunks on all workers, each worker
 * through a child of the out (its own folders made). */
#define S_LINK_CHUNK 512

struct S_linker {
	struct out *o;
	int from;         /* the output folder (incr_keep's) */
	const char **rel; /* the files to link (pointers copied: o's list grows) */
	size_t n;
	struct out *kids; /* per worker */
	size_t *failed;   /* per chunk: the first failing file + 1, or 0 */
	int *err;         /* per chunk: its errno */
	pthread_t thread;
	bool started;
};

static void S_link_chunk(size_t c, unsigned worker, void *arg)
{
	struct S_linker *l = arg;
	size_t end = (c + 1) * S_LINK_CHUNK < l->n ? (c + 1) * S_LINK_CHUNK : l->n;
	for (size_t i = c * S_LINK_CHUNK; i < end; i++)
		if (!out_link(&l->kids[worker], l->from, l->rel[i])) {
			l->failed[c] = i + 1;
			l->err[c] = errno;
			break;
		}
}

static void *S_link_all(void *arg)
{
	struct S_linker *l = arg;
	if (l->n && l->from >= 0)
		pool_run((l->n + S_LINK_CHUNK - 1) / S_LINK_CHUNK,
			 l->o->workers ? l->o->workers : 1, S_link_chunk, l);
	return NULL;
}

/* A linker for the kept files of o->files[first..] not `present` (NULL:
 * none is); staging exists. */
static struct S_linker *S_linker(struct incr_keep *k, struct out *o, size_t first,
				 const unsigned char *present)
{
	struct S_linker *l = xcalloc(1, sizeof *l);
	unsigned workers = o->workers ? o->workers : 1;
	l->o = o;
	l->from = k->final_fd;
	l->rel = xcalloc(o->files.n + 1, sizeof *l->rel);
	for (size_t i = first; i < o->files.n; i++)
		if (o->files.kept[i] && !(present && present[i]))
			l->rel[l->n++] = o->files.rel[i];
	size_t chunks = (l->n + S_LINK_CHUNK - 1) / S_LINK_CHUNK;
	l->failed = xcalloc(chunks + 1, sizeof *l->failed);
	l->err = xcalloc(chunks + 1, sizeof *l->err);
	l->kids = xcalloc(workers, sizeof *l->kids);
	for (unsigned w = 0; w < workers; w++)
		out_child(o, &l->kids[w], NULL);
	return l;
}

/* Waits for the linker, reports what failed and frees it. */
static bool S_linker_end(struct S_linker *l)
{
	struct out *o = l->o;
	if (l->started)
		pthread_join(l->thread, NULL);
	bool ok = l->n == 0 || l->from >= 0;
	if (!ok)
		diag_error(o->diag, o->final, 0, 0,
			   "cannot keep the previous output's files: the folder cannot be opened");
	for (size_t c = 0; ok && c * S_LINK_CHUNK < l->n; c++)
		if (l->failed[c]) {
			diag_error(o->diag, l->rel[l->failed[c] - 1], 0, 0,
				   "cannot keep the previous output's file: %s",
				   strerror(l->err[c]));
			ok = false;
		}
	for (unsigned w = 0; w < (o->workers ? o->workers : 1); w++)
		out_adopt(o, &l->kids[w]);
	free(l->kids);
	free(l->failed);
	free(l->err);
	free(l->rel);
	free(l);
	return ok;
}

void incr_keep_link_begin(struct incr_keep *k, struct out *o)
{
	if (k->spare || k->linker || !out_stage(o))
		return;
	k->linker = S_linker(k, o, 0, NULL);
	k->linked_upto = o->files.n;
	k->linker->started = pthread_create(&k->linker->thread, NULL, S_link_all, k->linker) == 0;
	if (!k->linker->started)
		S_link_all(k->linker); /* no thread to be had: link now */
}

bool incr_keep_stage(struct incr_keep *k, struct out *o)
{
	if (!out_stage(o))
		return false;
	struct S_plan p = {.k = k, .o = o, .present = xcalloc(o->files.n + 1, 1)};
	bool ok = true;
	if (k->linker) {
		assert(k->linker->o == o && k->linked_upto <= o->files.n);
		ok = S_linker_end(k->linker);
		k->linker = NULL;
		for (size_t i = 0; i < k->linked_upto; i++)
			p.present[i] = o->files.kept[i];
	}
	if (ok && k->spare) {
		p.files.borrowed = true; /* o's paths, unchanged until the plan goes */
		for (size_t i = 0; i < o->files.n; i++) {
			strmap_put(&p.files, o->files.rel[i], (void *)(uintptr_t)(i + 1));
			S_folders(&p.dirs, o->files.rel[i]);
		}
		int rc = S_mend_all(&p, o->workers ? o->workers : 1);
		if (rc != 0)
			diag_error(o->diag, o->staging, 0, 0, "cannot mend the staged output: %s",
				   strerror(rc));
		ok = rc == 0;
	}
	if (ok) {
		struct S_linker *l = S_linker(k, o, 0, p.present);
		S_link_all(l);
		ok = S_linker_end(l);
	}
	strmap_free(&p.files);
	strmap_free(&p.dirs);
	free(p.present);
	return ok;
}

void incr_keep_free(struct incr_keep *k)
{
	if (k == NULL)
		return;
	if (k->linker)
		S_linker_end(k->linker);
	incr_keep_forget(k);
	if (k->final_fd >= 0)
		close(k->final_fd);
	free(k->final);
	free(k);
}
