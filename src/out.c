/* out.c: the write stage: the output's lock, staging, the atomic swap, and
 * removing what was swapped out. Linux-specific in one place:
 * renameat2(RENAME_EXCHANGE) swaps two directories in one step, so readers
 * see either the old output or the new one, never neither. */
#define _GNU_SOURCE
#include "out.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"
#include "pool.h"
#include "util.h"

static char *S_sibling(const char *dir, const char *fmt, long n)
{
	/* Strip trailing slashes so "output/" and "output" are the same. */
	char *d = xstrdup(dir);
	size_t len = strlen(d);
	while (len > 1 && d[len - 1] == '/')
		d[--len] = '\0';
	char *slash = strrchr(d, '/');
	const char *base = slash ? slash + 1 : d;
	struct buf b = {0};
	if (slash)
		buf_put(&b, d, (size_t)(slash - d) + 1);
	buf_printf(&b, fmt, base, n);
	free(d);
	return buf_detach(&b);
}

/* Removes everything in the folder open as `dfd` (and closes it). Names
 * are relative to their folder and readdir says which are folders, so no
 * path is walked twice and nothing is stat'ed. */
static int S_empty(int dfd, int depth)
{
	DIR *dp = fdopendir(dfd);
	if (dp == NULL) {
		close(dfd);
		return -1;
	}
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(dp)) != NULL) {
		const char *name = e->d_name;
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		/* unlinkat says EISDIR for a folder whose type readdir did not
		 * know. */
		if (e->d_type != DT_DIR && unlinkat(dirfd(dp), name, 0) == 0)
			continue;
		if (e->d_type != DT_DIR && errno != EISDIR) {
			rc = -1;
			continue;
		}
		int sub = depth < 64 ? openat(dirfd(dp), name,
					      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
				     : -1;
		if (sub < 0 || S_empty(sub, depth + 1) != 0 ||
		    unlinkat(dirfd(dp), name, AT_REMOVEDIR) != 0)
			rc = -1;
	}
	closedir(dp);
	return rc;
}

/* The top-level entries of a tree being removed, one job each. */
struct S_rm_jobs {
	int root;
	char **names;
	int *rc;
};

static void S_rm_entry(size_t i, unsigned worker, void *arg)
{
	struct S_rm_jobs *r = arg;
	(void)worker;
	const char *name = r->names[i];
	if (unlinkat(r->root, name, 0) == 0)
		return;
	int sub = errno == EISDIR
			  ? openat(r->root, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
			  : -1;
	if (sub < 0 || S_empty(sub, 1) != 0 || unlinkat(r->root, name, AT_REMOVEDIR) != 0)
		r->rc[i] = -1;
}

int out_rmtree(const char *path, unsigned workers)
{
	int root = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (root < 0)
		return errno == ENOENT ? 0 : unlink(path);
	size_t n;
	char **names = dir_names(path, true, &n);
	struct S_rm_jobs r = {root, names, xcalloc(n + 1, sizeof *r.rc)};
	/* A site's folders (its locales, images...) are emptied side by side. */
	pool_run(names ? n : 0, workers ? workers : 1, S_rm_entry, &r);
	int rc = names ? 0 : -1;
	for (size_t i = 0; i < n; i++)
		rc = r.rc[i] ? -1 : rc;
	free(r.rc);
	dir_names_free(names, n);
	close(root);
	return rmdir(path) == 0 ? rc : -1;
}

/* Removes staging directories that a killed build of this output left. */
static void S_clean_stale(struct out *o)
{
	char *probe = S_sibling(o->final, ".%s.staging.%ld", 0);
	char *slash = strrchr(probe, '/');
	char *parent = slash ? xstrndup(probe, (size_t)(slash - probe)) : xstrdup(".");
	const char *name = slash ? slash + 1 : probe;
	size_t prefix = strlen(name) - 1; /* ".output.staging." without the 0 */
	DIR *dir = opendir(parent);
	struct dirent *e;
	while (dir && (e = readdir(dir)) != NULL) {
		if (strncmp(e->d_name, name, prefix) == 0) {
			char *p = path_join(parent, e->d_name);
			out_rmtree(p, o->workers);
			free(p);
		}
	}
	if (dir)
		closedir(dir);
	free(parent);
	free(probe);
}

bool out_begin(struct out *o, const char *dir, unsigned workers, struct diag *d)
{
	*o = (struct out){.final = xstrdup(dir), .lockfd = -1, .diag = d, .workers = workers};
	/* Folders are made 0755 whatever the builder's umask: fixed with a
	 * chmod only where the umask takes any of those bits away. */
	mode_t mask = umask(0);
	umask(mask);
	o->chmod_dirs = (mask & 0755) != 0;
	o->chmod_files = (mask & 0644) != 0;
	char *lockfile = S_sibling(dir, ".%s.lock", 0);
	o->lockfd = open(lockfile, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (o->lockfd < 0) {
		diag_error(d, lockfile, 0, 0, "cannot create the lock file: %s", strerror(errno));
	} else if (flock(o->lockfd, LOCK_EX | LOCK_NB) != 0) {
		diag_error(d, dir, 0, 0,
			   "another mailguide build is writing this directory (lock %s is held); "
			   "wait for it to finish",
			   lockfile);
		close(o->lockfd);
		o->lockfd = -1;
	}
	free(lockfile);
	if (o->lockfd < 0)
		return false;
	S_clean_stale(o);
	/* Created with the first file written (S_mkdirs): a build that writes
	 * nothing (incremental, nothing changed) leaves no trace. */
	o->staging = S_sibling(dir, ".%s.staging.%ld", (long)getpid());
	return true;
}

bool out_stage(struct out *o)
{
	if (o->staged)
		return true;
	/* Staging is the spare when there is one (workers racing here: the
	 * first renames it, the others find staging made). */
	if (o->spare)
		(void)rename(o->spare, o->staging);
	if ((mkdir(o->staging, 0755) != 0 && errno != EEXIST) || chmod(o->staging, 0755) != 0 ||
	    (o->staging_fd = open(o->staging, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		diag_error(o->diag, o->staging, 0, 0, "cannot create the staging directory: %s",
			   strerror(errno));
		return false;
	}
	o->staged = o->own_fd = true;
	return true;
}

/* Closes the staging folder's descriptor when this out opened it. */
static void S_unstage(struct out *o)
{
	if (o->own_fd)
		close(o->staging_fd);
	o->own_fd = false;
}

/* Creates the folders of file `rel` in staging; o->made_dirs lists those
 * made already, so each is made once. Paths are looked up from the staging
 * folder: a build makes tens of thousands of files. */
static bool S_dirs(struct out *o, const char *rel)
{
	const char *slash = strrchr(rel, '/');
	if (slash == NULL)
		return true;
	size_t len = (size_t)(slash - rel);
	char small[256]; /* "folder/" of every file made or linked */
	char *path = len + 2 <= sizeof small ? small : xmalloc(len + 2);
	memcpy(path, rel, len + 1);
	path[len + 1] = '\0';
	path[len] = '\0';
	bool ok = true, done = strmap_get(&o->made_dirs, path) != NULL; /* usually: a sibling's */
	path[len] = '/';
	for (char *p = path; ok && !done && *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (strmap_get(&o->made_dirs, path) == NULL) {
			int rc = mkdirat(o->staging_fd, path, 0755);
			if (rc == 0 && o->chmod_dirs)
				rc = fchmodat(o->staging_fd, path, 0755, 0);
			ok = rc == 0 || errno == EEXIST;
			if (ok)
				strmap_put(&o->made_dirs, path, (void *)1);
		}
		*p = '/';
	}
	if (path != small)
		free(path);
	return ok;
}

/* Makes the folders of `rel` in staging (and staging itself); false after
 * reporting. */
static bool S_prepare(struct out *o, const char *rel)
{
	if (out_stage(o) && S_dirs(o, rel))
		return true;
	diag_error(o->diag, rel, 0, 0, "cannot create a folder in the output: %s", strerror(errno));
	return false;
}

/* The values of o->index. */
enum { S_WRITTEN = 1, S_KEPT = 2, S_FORGOTTEN = 3 };

/* Adds `rel` (taken) to the files produced; `kept` when not written, else
 * with its stat `st`. */
static bool S_take(struct out *o, char *rel, bool kept, const struct out_stat *st)
{
	if (!o->child) {
		uintptr_t was = (uintptr_t)strmap_get(&o->index, rel);
		if (was == S_WRITTEN || was == S_KEPT) {
			diag_error(o->diag, rel, 0, 0, "two parts of the build produce this file");
			free(rel);
			return false;
		}
		strmap_put(&o->index, rel, (void *)(uintptr_t)(kept ? S_KEPT : S_WRITTEN));
	}
	struct out_files *f = &o->files;
	f->rel = xgrow(f->rel, f->n, sizeof *f->rel);
	f->kept = xgrow(f->kept, f->n, sizeof *f->kept);
	f->st = xgrow(f->st, f->n, sizeof *f->st);
	f->kept[f->n] = kept;
	f->st[f->n] = st && !kept ? *st : (struct out_stat){0};
	f->rel[f->n++] = rel;
	f->fresh += !kept;
	assert(f->fresh <= f->n);
	return true;
}

static bool S_register(struct out *o, const char *rel, bool kept, const struct out_stat *st)
{
	return S_take(o, xstrdup(rel), kept, st);
}

int out_open_new(struct out *o, const char *rel)
{
	if (!paths_rel_ok(rel)) {
		diag_error(o->diag, rel, 0, 0, "refusing to write outside the output directory");
		return -1;
	}
	if (!S_prepare(o, rel))
		return -1;
	/* O_EXCL: two parts of a build claiming one path is a bug to report, and
	 * a symlink planted in staging is never followed. */
	const int flags = O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC;
	int fd = openat(o->staging_fd, rel, flags, 0644);
	/* In a spare, the file of the output before last: a link to a file
	 * the output may still have, so never written into, but replaced. */
	if (fd < 0 && errno == EEXIST && o->spare && unlinkat(o->staging_fd, rel, 0) == 0)
		fd = openat(o->staging_fd, rel, flags, 0644);
	if (fd < 0)
		diag_error(o->diag, rel, 0, 0, "cannot write to the output: %s", strerror(errno));
	return fd;
}

bool out_close_new(struct out *o, const char *rel, int fd, bool ok)
{
	struct stat sb;
	bool good = ok && (!o->chmod_files || fchmod(fd, 0644) == 0) && fstat(fd, &sb) == 0;
	if (close(fd) != 0)
		good = false;
	if (ok && !good) {
		diag_error(o->diag, rel, 0, 0, "cannot write to the output: %s", strerror(errno));
		ok = false;
	}
	if (!ok) {
		/* A file in staging that no list names would be swapped in. */
		unlinkat(o->staging_fd, rel, 0);
		return false;
	}
	if (o->verbose)
		fprintf(stderr, "  wrote %s\n", rel);
	struct out_stat st = {(long long)sb.st_size,
			      (long long)sb.st_mtim.tv_sec * 1000000000LL + sb.st_mtim.tv_nsec,
			      (unsigned long long)sb.st_ino};
	return S_register(o, rel, false, &st);
}

static bool S_write(struct out *o, const char *rel, const void *data, size_t len, bool ask)
{
	if (ask && paths_rel_ok(rel) && o->reuse.same &&
	    o->reuse.same(o->reuse.arg, rel, data, len))
		return S_register(o, rel, true, NULL);
	int fd = out_open_new(o, rel);
	if (fd < 0)
		return false;
	const char *p = data;
	size_t left = len;
	while (left > 0) {
		ssize_t n = write(fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		p += n;
		left -= (size_t)n;
	}
	if (left > 0)
		diag_error(o->diag, rel, 0, 0, "cannot write to the output: %s", strerror(errno));
	return out_close_new(o, rel, fd, left == 0);
}

bool out_write(struct out *o, const char *rel, const void *data, size_t len)
{
	return S_write(o, rel, data, len, true);
}

bool out_write_new(struct out *o, const char *rel, const void *data, size_t len)
{
	return S_write(o, rel, data, len, false);
}

bool out_copy(struct out *o, const char *rel, const char *src)
{
	struct buf b = {0};
	if (file_read(src, &b) != 0) {
		diag_error(o->diag, src, 0, 0, "cannot read: %s", strerror(errno));
		buf_free(&b);
		return false;
	}
	bool ok = out_write(o, rel, b.data, b.len);
	buf_free(&b);
	return ok;
}

bool out_link(struct out *o, int from_dfd, const char *rel)
{
	assert(o->staged);
	return S_dirs(o, rel) && linkat(from_dfd, rel, o->staging_fd, rel, 0) == 0;
}

bool out_put_kept(struct out *o, const char *rel)
{
	return paths_rel_ok(rel) && S_register(o, rel, true, NULL);
}

void out_rewind(struct out *o, size_t mark)
{
	struct out_files *f = &o->files;
	assert(mark <= f->n);
	while (f->n > mark) {
		f->n--;
		assert(f->kept[f->n]); /* a written file cannot be taken back */
		if (!o->child)
			strmap_put(&o->index, f->rel[f->n], (void *)(uintptr_t)S_FORGOTTEN);
		free(f->rel[f->n]);
	}
}

bool out_is_kept(const struct out *o, const char *rel)
{
	assert(!o->child);
	return (uintptr_t)strmap_get(&o->index, rel) == S_KEPT;
}

char *out_staged_path(const struct out *o, const char *rel) { return path_join(o->staging, rel); }

char *out_read_path(const struct out *o, const char *rel)
{
	return path_join(out_is_kept(o, rel) ? o->final : o->staging, rel);
}

static int S_index_cmp(const void *a, const void *b, void *rel)
{
	char **r = rel;
	return strcmp(r[*(const size_t *)a], r[*(const size_t *)b]);
}

size_t *out_order(const struct out *o)
{
	size_t *v = xmalloc((o->files.n + 1) * sizeof *v);
	for (size_t i = 0; i < o->files.n; i++)
		v[i] = i;
	qsort_r(v, o->files.n, sizeof *v, S_index_cmp, o->files.rel);
	return v;
}

const char **out_sorted(const struct out *o)
{
	size_t *order = out_order(o);
	const char **v = xmalloc((o->files.n + 1) * sizeof *v);
	for (size_t i = 0; i < o->files.n; i++)
		v[i] = o->files.rel[order[i]];
	v[o->files.n] = NULL;
	free(order);
	return v;
}

char *out_beside(const char *dir, const char *suffix)
{
	struct buf fmt = {0};
	buf_puts(&fmt, ".%s");
	for (const char *s = suffix; *s; s++)
		buf_puts(&fmt, *s == '%' ? "%%" : (char[]){*s, '\0'});
	char *p = S_sibling(dir, buf_str(&fmt), 0);
	buf_free(&fmt);
	return p;
}

void out_child(const struct out *o, struct out *child, struct diag *d)
{
	assert(!o->child);
	*child = (struct out){.final = o->final,
			      .staging = o->staging,
			      .lockfd = -1,
			      .workers = o->workers,
			      .verbose = o->verbose,
			      .chmod_dirs = o->chmod_dirs,
			      .chmod_files = o->chmod_files,
			      .staged = o->staged,
			      .staging_fd = o->staging_fd, /* not its own */
			      .spare = o->spare,           /* not its own */
			      .child = true,
			      .diag = d,
			      .reuse = o->reuse};
}

void out_adopt(struct out *o, struct out *child)
{
	assert(child->child && !o->child && child->staging == o->staging);
	for (size_t i = 0; i < child->files.n; i++)
		S_take(o, child->files.rel[i], child->files.kept[i], &child->files.st[i]);
	if (child->own_fd && !o->own_fd) { /* staging was made by the child */
		o->staging_fd = child->staging_fd;
		o->own_fd = true;
		child->own_fd = false;
	}
	o->staged = o->staged || child->staged;
	S_unstage(child);
	strmap_free(&child->made_dirs);
	free(child->files.rel);
	free(child->files.kept);
	free(child->files.st);
	*child = (struct out){.lockfd = -1};
}

/* Removes staging: the swapped-out output, or a build's that failed. */
static void *S_remove_staging(void *arg)
{
	struct out *o = arg;
	out_rmtree(o->staging, o->workers);
	return NULL;
}

bool out_commit(struct out *o)
{
	assert(!o->child && o->lockfd >= 0 && !o->removing);
	struct stat st;
	if (!out_stage(o))
		return false;
	if (lstat(o->final, &st) != 0) {
		if (errno == ENOENT && rename(o->staging, o->final) == 0) {
			o->staged = false;
			S_unstage(o);
			return true;
		}
	} else if (!S_ISDIR(st.st_mode)) {
		diag_error(o->diag, o->final, 0, 0,
			   "the output path exists and is not a directory");
		return false;
	} else if (renameat2(AT_FDCWD, o->staging, AT_FDCWD, o->final, RENAME_EXCHANGE) == 0) {
		/* staging now holds the old output: the next spare, or removed
		 * on a thread of its own while the caller frees what it built;
		 * out_end waits. */
		if (o->spare &&
		    renameat2(AT_FDCWD, o->staging, AT_FDCWD, o->spare, RENAME_NOREPLACE) == 0) {
			o->staged = false;
			S_unstage(o);
			return true;
		}
		o->removing = pthread_create(&o->remover, NULL, S_remove_staging, o) == 0;
		return true;
	}
	diag_error(o->diag, o->final, 0, 0, "cannot replace the output directory: %s",
		   strerror(errno));
	return false;
}

void out_end(struct out *o)
{
	assert(!o->child);
	if (o->removing)
		pthread_join(o->remover, NULL);
	else if (o->staging)
		S_remove_staging(o);
	for (size_t i = 0; i < o->files.n; i++)
		free(o->files.rel[i]);
	free(o->files.rel);
	free(o->files.kept);
	free(o->files.st);
	strmap_free(&o->index);
	strmap_free(&o->made_dirs);
	S_unstage(o);
	free(o->staging);
	free(o->spare);
	if (o->lockfd >= 0)
		close(o->lockfd); /* the lock file stays: removing it would race */
	free(o->final);
	*o = (struct out){.lockfd = -1};
}

int out_write_file(const char *path, const void *data, size_t len, bool replace)
{
	struct buf tmp = {0};
	buf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	int fd = open(tmp.data, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	int err = fd < 0 ? errno : 0;
	for (size_t done = 0; !err && done < len;) {
		ssize_t n = write(fd, (const char *)data + done, len - done);
		if (n <= 0)
			err = n < 0 ? errno : EIO;
		else
			done += (size_t)n;
	}
	if (!err && fsync(fd) != 0)
		err = errno;
	if (fd >= 0 && close(fd) != 0 && !err)
		err = errno;
	if (!err && (replace ? rename(tmp.data, path) : link(tmp.data, path)) != 0)
		err = errno;
	/* After a rename the temporary name is gone; after a link, or on any
	 * failure, it is removed here. */
	if (fd >= 0 && (err || !replace))
		unlink(tmp.data);
	buf_free(&tmp);
	return err;
}
