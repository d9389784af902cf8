/* out.c: staging, atomic swap and the output lock. Linux-specific in one
 * place: renameat2(RENAME_EXCHANGE) swaps two directories in one step, so
 * readers see either the old output or the new one, never neither. */
#define _GNU_SOURCE
#include "out.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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
	int sub = errno == EISDIR ? openat(r->root, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
							     O_CLOEXEC)
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
	*o = (struct out){.final = xstrdup(dir), .lockfd = -1, .final_fd = -1, .diag = d,
			  .workers = workers};
	/* Folders are made 0755 whatever the builder's umask: fixed with a
	 * chmod only where the umask takes any of those bits away. */
	mode_t mask = umask(0);
	umask(mask);
	o->chmod_dirs = (mask & 0755) != 0;
	o->lockfile = S_sibling(dir, ".%s.lock", 0);
	o->lockfd = open(o->lockfile, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (o->lockfd < 0) {
		diag_error(d, o->lockfile, 0, 0, "cannot create the lock file: %s", strerror(errno));
		return false;
	}
	if (flock(o->lockfd, LOCK_EX | LOCK_NB) != 0) {
		diag_error(d, dir, 0, 0,
			   "another mailguide build is writing this directory (lock %s is held); "
			   "wait for it to finish",
			   o->lockfile);
		close(o->lockfd);
		o->lockfd = -1;
		return false;
	}
	S_clean_stale(o);
	/* The previous output, for reading its files by their relative paths
	 * (thousands per rebuild: a path walk from here is half as long). */
	o->final_fd = open(dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	/* Created with the first file written (S_mkdirs): a build that writes
	 * nothing (incremental, nothing changed) leaves no trace. */
	o->staging = S_sibling(dir, ".%s.staging.%ld", (long)getpid());
	o->spare = S_sibling(dir, ".%s.spare", 0);
	struct buf base = {0};
	buf_printf(&base, "%s.base", o->staging);
	o->base = buf_detach(&base);
	return true;
}

/* Creates the staging directory when it does not exist yet. */
static bool S_stage(struct out *o)
{
	if (o->staged)
		return true;
	if ((mkdir(o->staging, 0755) != 0 && errno != EEXIST) || chmod(o->staging, 0755) != 0) {
		diag_error(o->diag, o->staging, 0, 0, "cannot create the staging directory: %s",
			   strerror(errno));
		return false;
	}
	o->staged = true;
	return true;
}

/* Creates the folders of file `path` (relative to `dfd`) after its first
 * `skip` bytes, which name a folder that exists; `made` lists the folders
 * made already (by path), so each is made once. */
static bool S_dirs(int dfd, char *path, size_t skip, struct strmap *made, bool chmod_dirs)
{
	char *slash = strrchr(path, '/');
	if (slash == NULL || (size_t)(slash - path) < skip)
		return true;
	*slash = '\0';
	bool done = strmap_get(made, path) != NULL; /* the usual case: a sibling's */
	*slash = '/';
	for (char *p = path + skip; !done && p <= slash; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (strmap_get(made, path) == NULL) {
			int rc = mkdirat(dfd, path, 0755);
			if (rc == 0 && chmod_dirs)
				rc = fchmodat(dfd, path, 0755, 0);
			if (rc != 0 && errno != EEXIST) {
				*p = '/';
				return false;
			}
			strmap_put(made, path, (void *)1);
		}
		*p = '/';
	}
	return true;
}

/* Creates every folder of `path` below the staging root. */
static bool S_mkdirs(struct out *o, char *path)
{
	return S_stage(o) &&
	       S_dirs(AT_FDCWD, path, strlen(o->staging) + 1, &o->made_dirs, o->chmod_dirs);
}

/* Adds `rel` to the list of files produced; `kept` when not written. */
static bool S_register(struct out *o, const char *rel, bool kept)
{
	if (!o->child) {
		uintptr_t was = (uintptr_t)strmap_get(&o->index, rel); /* 3: rewound */
		if (was == 1 || was == 2) {
			diag_error(o->diag, rel, 0, 0, "two parts of the build produce this file");
			return false;
		}
		strmap_put(&o->index, rel, (void *)(uintptr_t)(kept ? 2 : 1));
	}
	if (o->files == o->written_cap) {
		o->written_cap = o->written_cap ? o->written_cap * 2 : 256;
		o->written = xrealloc(o->written, o->written_cap * sizeof *o->written);
		o->kept = xrealloc(o->kept, o->written_cap * sizeof *o->kept);
	}
	o->kept[o->files] = kept;
	o->written[o->files++] = xstrdup(rel);
	o->fresh += !kept;
	return true;
}

static const struct out_prev_file *S_prev(const struct out *o, const char *rel)
{
	size_t i = (size_t)(uintptr_t)strmap_get(&o->prev_index, rel);
	return i ? &o->prev[i - 1] : NULL;
}

static bool S_matches(const struct out_prev_file *f, const struct stat *st)
{
	return S_ISREG(st->st_mode) && (long long)st->st_size == f->size &&
	       (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec == f->mtime_ns &&
	       (unsigned long long)st->st_ino == f->ino;
}

/* True when the previous build left exactly `data` at `rel`. */
static bool S_same(const struct out *o, const char *rel, const void *data, size_t len)
{
	const struct out_prev_file *f = S_prev(o, rel);
	if (f == NULL || f->size != (long long)len)
		return false;
	int fd = openat(o->final_fd, rel, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
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

static bool S_write(struct out *o, const char *rel, const void *data, size_t len, bool compare)
{
	if (!paths_rel_ok(rel)) {
		diag_error(o->diag, rel, 0, 0, "refusing to write outside the output directory");
		return false;
	}
	if (compare && o->n_prev && S_same(o, rel, data, len))
		return S_register(o, rel, true);
	char *path = path_join(o->staging, rel);
	bool ok = S_mkdirs(o, path);
	/* O_EXCL: two parts of a build claiming one path is a bug to report, and
	 * a symlink planted in staging is never followed. */
	int fd = ok ? open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644) : -1;
	const char *p = data;
	size_t left = len;
	while (fd >= 0 && left > 0) {
		ssize_t n = write(fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		p += n;
		left -= (size_t)n;
	}
	if (fd < 0 || left > 0 || fchmod(fd, 0644) != 0 || close(fd) != 0) {
		diag_error(o->diag, rel, 0, 0, "cannot write to the output: %s", strerror(errno));
		if (fd >= 0 && left > 0)
			close(fd);
		free(path);
		return false;
	}
	free(path);
	if (o->verbose)
		fprintf(stderr, "  wrote %s\n", rel);
	return S_register(o, rel, false);
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

static void *S_remove_old(void *arg);

/* The copy of the new output (out_mirror_begin) becomes the spare. */
static void S_mirror_spare(struct out *o)
{
	if (o->mirrored && rename(o->base, o->spare) == 0)
		o->base_made = false;
}

bool out_commit(struct out *o)
{
	struct stat st;
	if (!S_stage(o))
		return false;
	if (lstat(o->final, &st) != 0) {
		if (errno == ENOENT && rename(o->staging, o->final) == 0) {
			if (o->trash)
				o->removing = pthread_create(&o->remover, NULL, S_remove_old, o) == 0;
			S_mirror_spare(o);
			return true;
		}
	} else if (!S_ISDIR(st.st_mode)) {
		diag_error(o->diag, o->final, 0, 0, "the output path exists and is not a directory");
		return false;
	} else if (renameat2(AT_FDCWD, o->staging, AT_FDCWD, o->final, RENAME_EXCHANGE) == 0) {
		/* staging now holds the old output: the next build's spare, or
		 * else removed on a thread of its own, which out_end waits for. */
		o->swapped = true;
		o->spared = !o->mirrored && rename(o->staging, o->spare) == 0;
		if (!o->spared || o->trash)
			o->removing = pthread_create(&o->remover, NULL, S_remove_old, o) == 0;
		S_mirror_spare(o);
		return true;
	}
	diag_error(o->diag, o->final, 0, 0, "cannot replace the output directory: %s",
		   strerror(errno));
	return false;
}

void out_prev_forget(struct out *o)
{
	for (size_t i = 0; i < o->n_prev; i++)
		free(o->prev_rel[i]);
	free(o->prev_rel);
	free(o->prev);
	strmap_free(&o->prev_index);
	o->prev_rel = NULL;
	o->prev = NULL;
	o->n_prev = o->prev_cap = 0;
}

/* ---- removing the previous output by its list ----------------------------------- */

struct S_unlinks {
	int root;
	char *const *rel;
	size_t n;
	int flags; /* 0: files, AT_REMOVEDIR: folders */
	bool *failed;
};

#define S_UNLINK_CHUNK 256

static void S_unlink_chunk(size_t c, unsigned worker, void *arg)
{
	struct S_unlinks *u = arg;
	(void)worker;
	size_t end = (c + 1) * S_UNLINK_CHUNK < u->n ? (c + 1) * S_UNLINK_CHUNK : u->n;
	for (size_t i = c * S_UNLINK_CHUNK; i < end; i++)
		if (unlinkat(u->root, u->rel[i], u->flags) != 0 && errno != ENOENT)
			u->failed[c] = true;
}

/* Unlinks rel[0..n) below `root` on all workers; false when any would
 * not go. */
static bool S_unlink_all(const struct out *o, int root, char *const *rel, size_t n, int flags)
{
	size_t chunks = (n + S_UNLINK_CHUNK - 1) / S_UNLINK_CHUNK;
	struct S_unlinks u = {root, rel, n, flags, xcalloc(chunks + 1, sizeof(bool))};
	pool_run(chunks, o->workers ? o->workers : 1, S_unlink_chunk, &u);
	bool ok = true;
	for (size_t c = 0; c < chunks; c++)
		ok = ok && !u.failed[c];
	free(u.failed);
	return ok;
}

static size_t S_depth(const char *rel)
{
	size_t n = 0;
	for (; *rel; rel++)
		n += *rel == '/';
	return n;
}

static int S_deeper_first(const void *pa, const void *pb)
{
	const char *a = *(const char *const *)pa, *b = *(const char *const *)pb;
	size_t da = S_depth(a), db = S_depth(b);
	return da != db ? (da > db ? -1 : 1) : strcmp(a, b);
}

/* Marks in `seen` every folder above `rel` (not the root); with `dirs`,
 * also lists there those not seen before. */
static void S_touch(struct strmap *seen, const char *rel, char ***dirs, size_t *n_dirs)
{
	char *d = xstrdup(rel);
	for (char *slash = strrchr(d, '/'); slash; slash = strrchr(d, '/')) {
		*slash = '\0';
		if (!strmap_put(seen, d, (void *)1))
			break;
		if (dirs) {
			*dirs = xgrow(*dirs, *n_dirs, sizeof **dirs);
			(*dirs)[(*n_dirs)++] = xstrdup(d);
		}
	}
	free(d);
}

/* Every folder of the paths rel[0..n), each once; deepest first when
 * `sorted`. */
static char **S_parents(const char *const *rel, size_t n, bool sorted, size_t *n_dirs)
{
	struct strmap seen = {0};
	char **dirs = NULL;
	*n_dirs = 0;
	for (size_t i = 0; i < n; i++)
		S_touch(&seen, rel[i], &dirs, n_dirs);
	strmap_free(&seen);
	if (sorted && *n_dirs)
		qsort(dirs, *n_dirs, sizeof *dirs, S_deeper_first);
	return dirs;
}

static void S_strings_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Removes the swapped-out previous output (in staging) by the manifest's
 * list: its files, then its folders deepest first, a level at a time.
 * A walk of the tree reads every folder; this only names what is there.
 * False when something is left (the caller then walks it). */
static bool S_rm_listed(struct out *o)
{
	int root = open(o->staging, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (root < 0)
		return false;
	bool ok = S_unlink_all(o, root, o->prev_rel, o->n_prev, 0);
	/* Every folder the files were in, each once, deepest first. */
	size_t n;
	char **dirs = S_parents((const char *const *)o->prev_rel, o->n_prev, true, &n);
	/* A level's folders go together, after the level below them. */
	for (size_t a = 0; ok && a < n;) {
		size_t b = a;
		while (b < n && S_depth(dirs[b]) == S_depth(dirs[a]))
			b++;
		ok = S_unlink_all(o, root, dirs + a, b - a, AT_REMOVEDIR);
		a = b;
	}
	S_strings_free(dirs, n);
	close(root);
	return ok && rmdir(o->staging) == 0;
}

/* Removes staging: the swapped-out output, or a build's that failed. The
 * swapped-out output is the previous build's files, which the manifest
 * lists; anything else there (a file put in by hand) is found when its
 * folder will not go, and then the tree is walked. */
static void *S_remove_old(void *arg)
{
	struct out *o = arg;
	if (o->trash)
		out_rmtree(o->trash, o->workers);
	if (o->spared)
		return NULL;
	if (!o->swapped || o->n_prev == 0 || !S_rm_listed(o))
		out_rmtree(o->staging, o->workers);
	return NULL;
}

char *out_staged_path(const struct out *o, const char *rel) { return path_join(o->staging, rel); }

char *out_final_path(const struct out *o, const char *rel) { return path_join(o->final, rel); }

void out_prev_add(struct out *o, const char *rel, long long size, long long mtime_ns,
		  unsigned long long ino)
{
	if (!paths_rel_ok(rel))
		return;
	if (o->n_prev == o->prev_cap) {
		o->prev_cap = o->prev_cap ? 2 * o->prev_cap : 256;
		o->prev = xrealloc(o->prev, o->prev_cap * sizeof *o->prev);
		o->prev_rel = xrealloc(o->prev_rel, o->prev_cap * sizeof *o->prev_rel);
	}
	o->prev_rel[o->n_prev] = xstrdup(rel);
	o->prev[o->n_prev++] = (struct out_prev_file){size, mtime_ns, ino};
	strmap_put(&o->prev_index, rel, (void *)(uintptr_t)o->n_prev);
}

bool out_prev_valid(const struct out *o, const char *rel)
{
	const struct out_prev_file *f = S_prev(o, rel);
	if (f == NULL)
		return false;
	struct stat st;
	return fstatat(o->final_fd, rel, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_matches(f, &st);
}

const struct out_prev_file *out_prev_record(const struct out *o, const char *rel)
{
	return S_prev(o, rel);
}

void out_rewind(struct out *o, size_t mark)
{
	while (o->files > mark) {
		o->files--;
		if (!o->child)
			strmap_put(&o->index, o->written[o->files], (void *)(uintptr_t)3);
		free(o->written[o->files]);
	}
}

bool out_keep(struct out *o, const char *rel)
{
	return out_prev_valid(o, rel) && S_register(o, rel, true);
}

bool out_is_kept(const struct out *o, const char *rel)
{
	return (uintptr_t)strmap_get(&o->index, rel) == 2;
}

char *out_read_path(const struct out *o, const char *rel)
{
	return out_is_kept(o, rel) ? path_join(o->final, rel) : path_join(o->staging, rel);
}

char *out_beside(const struct out *o, const char *suffix)
{
	return out_beside_dir(o->final, suffix);
}

char *out_beside_dir(const char *dir, const char *suffix)
{
	char *fmt = xmalloc(strlen(suffix) * 2 + 4);
	char *f = fmt;
	*f++ = '.', *f++ = '%', *f++ = 's';
	for (const char *s = suffix; *s; s++) {
		if (*s == '%')
			*f++ = '%';
		*f++ = *s;
	}
	*f = '\0';
	char *p = S_sibling(dir, fmt, 0);
	free(fmt);
	return p;
}

/* Counts the files and folders below `dir` (itself included), without
 * following symbolic links. False when a folder cannot be read. */
static bool S_count(const char *dir, size_t *files, size_t *dirs, int depth)
{
	DIR *dp = depth < 64 ? opendir(dir) : NULL;
	if (dp == NULL)
		return false;
	(*dirs)++;
	bool ok = true;
	struct dirent *e;
	while (ok && (e = readdir(dp)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (e->d_type == DT_DIR) {
			char *p = path_join(dir, e->d_name);
			ok = S_count(p, files, dirs, depth + 1);
			free(p);
		} else if (e->d_type == DT_UNKNOWN) {
			ok = false; /* cannot tell cheaply: treat as changed */
		} else {
			(*files)++;
		}
	}
	closedir(dp);
	return ok;
}

static bool S_dirs_match(const struct out *o, int dfd, const struct out_dirs *d);

bool out_unchanged(const struct out *o)
{
	if (o->n_prev == 0 || o->fresh != 0 || o->files != o->n_prev)
		return false;
	/* The same files, and every folder as the previous build stamped it:
	 * nothing was added, removed or renamed in any (out.h). */
	if (o->prev_dirs.n && o->final_fd >= 0)
		return S_dirs_match(o, o->final_fd, &o->prev_dirs);
	/* Nothing else may be in the output folder either (a file put there
	 * by hand goes with the next build that writes): as many files as
	 * built, and as many folders as they need. */
	struct strmap dirs = {0};
	for (size_t i = 0; i < o->files; i++)
		S_touch(&dirs, o->written[i], NULL, NULL);
	size_t want_dirs = dirs.n + 1;
	strmap_free(&dirs);
	size_t files = 0, n_dirs = 0;
	return S_count(o->final, &files, &n_dirs, 0) && files == o->files && n_dirs == want_dirs;
}

/* Hard-linking kept files, in chunks on all workers. The paths are
 * copied pointers (o->written may grow meanwhile; its strings stay). */
struct out_linker {
	const struct out *o;
	int from, to;        /* the output and staging folders */
	const char **rel;    /* the files to link */
	size_t n;
	struct strmap *made; /* per worker: folders made */
	size_t *failed;      /* per chunk: the first failing file + 1, or 0 */
	int *err;            /* per chunk: its errno */
	pthread_t thread;
	bool started;
};

#define S_LINK_CHUNK 512

/* Copies `rel` from the output to staging: for another file system, or a
 * file with too many links. */
static bool S_copy_kept(const struct out_linker *l, const char *rel)
{
	struct buf b = {0};
	int in = openat(l->from, rel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), out = -1;
	bool ok = in >= 0;
	char chunk[65536];
	for (ssize_t n; ok && (n = read(in, chunk, sizeof chunk)) != 0;) {
		ok = n > 0;
		if (ok)
			buf_put(&b, chunk, (size_t)n);
	}
	ok = ok && (out = openat(l->to, rel, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) >= 0 &&
	     write(out, b.data, b.len) == (ssize_t)b.len && fchmod(out, 0644) == 0;
	if (out >= 0 && close(out) != 0)
		ok = false;
	if (in >= 0)
		close(in);
	buf_free(&b);
	return ok;
}

static void S_link_chunk(size_t c, unsigned worker, void *arg)
{
	struct out_linker *l = arg;
	size_t end = (c + 1) * S_LINK_CHUNK < l->n ? (c + 1) * S_LINK_CHUNK : l->n;
	struct buf rel = {0};
	for (size_t k = c * S_LINK_CHUNK; k < end; k++) {
		/* A copy: S_dirs cuts the path it is given, and other threads
		 * read l->rel's strings (the zips). */
		buf_clear(&rel);
		buf_puts(&rel, l->rel[k]);
		bool ok = S_dirs(l->to, rel.data, 0, &l->made[worker], l->o->chmod_dirs) &&
			  (linkat(l->from, rel.data, l->to, rel.data, 0) == 0 ||
			   S_copy_kept(l, rel.data));
		if (!ok) {
			l->failed[c] = k + 1;
			l->err[c] = errno;
			break;
		}
	}
	buf_free(&rel);
}

static unsigned S_workers(const struct out *o) { return o->workers ? o->workers : 1; }

static void *S_link_all(void *arg)
{
	struct out_linker *l = arg;
	pool_run((l->n + S_LINK_CHUNK - 1) / S_LINK_CHUNK, S_workers(l->o), S_link_chunk, l);
	return NULL;
}

/* A linker for the kept files of o->written[first..]. */
static struct out_linker *S_linker(struct out *o, size_t first)
{
	struct out_linker *l = xcalloc(1, sizeof *l);
	l->o = o;
	l->rel = xcalloc(o->files + 1, sizeof *l->rel);
	for (size_t i = first; i < o->files; i++)
		if (o->kept[i])
			l->rel[l->n++] = o->written[i];
	size_t chunks = (l->n + S_LINK_CHUNK - 1) / S_LINK_CHUNK;
	l->made = xcalloc(S_workers(o), sizeof *l->made);
	l->failed = xcalloc(chunks + 1, sizeof *l->failed);
	l->err = xcalloc(chunks + 1, sizeof *l->err);
	l->from = l->to = -1;
	if (l->n) {
		l->from = open(o->final, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		l->to = open(o->staging, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		l->err[0] = errno;
	}
	return l;
}

/* Waits for the linker, reports what failed and frees it. */
static bool S_linker_end(struct out *o, struct out_linker *l)
{
	if (l->started)
		pthread_join(l->thread, NULL);
	bool ok = l->n == 0 || (l->from >= 0 && l->to >= 0);
	if (!ok)
		diag_error(o->diag, o->final, 0, 0, "cannot keep the previous output's files: %s",
			   strerror(l->err[0]));
	for (size_t c = 0; ok && c * S_LINK_CHUNK < l->n; c++)
		if (l->failed[c]) {
			diag_error(o->diag, l->rel[l->failed[c] - 1], 0, 0,
				   "cannot keep the previous output's file: %s", strerror(l->err[c]));
			ok = false;
		}
	for (unsigned w = 0; w < S_workers(o); w++)
		strmap_free(&l->made[w]);
	if (l->from >= 0)
		close(l->from);
	if (l->to >= 0)
		close(l->to);
	free(l->made);
	free(l->failed);
	free(l->err);
	free(l->rel);
	free(l);
	return ok;
}

static int S_strcmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ---- the spare -------------------------------------------------------------------------- */

void out_dir_add(struct out_dirs *d, const char *rel, unsigned long long ino, long long mtime_ns)
{
	if (rel == NULL || (strcmp(rel, ".") != 0 && !paths_rel_ok(rel)))
		return;
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 256;
		d->v = xrealloc(d->v, d->cap * sizeof *d->v);
	}
	d->v[d->n++] = (struct out_dir){xstrdup(rel), ino, mtime_ns};
}

void out_dirs_free(struct out_dirs *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].rel);
	free(d->v);
	*d = (struct out_dirs){0};
}

void out_spare_diff_add(struct out *o, const char *rel)
{
	if (rel == NULL || !paths_rel_ok(rel) || !strmap_put(&o->spare_diff_index, rel, (void *)1))
		return;
	o->spare_diff = xgrow(o->spare_diff, o->n_spare_diff, sizeof *o->spare_diff);
	o->spare_diff[o->n_spare_diff++] = xstrdup(rel);
}

const char **out_spare_diff_next(const struct out *o, size_t *n)
{
	const char **v = xmalloc((o->files + o->n_prev + 1) * sizeof *v);
	*n = 0;
	for (size_t i = 0; i < o->files; i++)
		if (!o->kept[i])
			v[(*n)++] = o->written[i];
	for (size_t i = 0; i < o->n_prev; i++)
		if (strmap_get(&o->index, o->prev_rel[i]) == NULL)
			v[(*n)++] = o->prev_rel[i];
	qsort(v, *n, sizeof *v, S_strcmp);
	v[*n] = NULL;
	return v;
}

/* Stats folders d->v[] below `dfd` in chunks on all workers: checks them
 * against their stamps (`take` false), or takes their stamps. */
struct S_stamps {
	int dfd;
	struct out_dirs *d;
	bool take;
	bool *failed; /* per chunk */
};

#define S_STAMP_CHUNK 256

static void S_stamp_chunk(size_t c, unsigned worker, void *arg)
{
	struct S_stamps *s = arg;
	(void)worker;
	size_t end = (c + 1) * S_STAMP_CHUNK < s->d->n ? (c + 1) * S_STAMP_CHUNK : s->d->n;
	for (size_t i = c * S_STAMP_CHUNK; i < end && !s->failed[c]; i++) {
		struct out_dir *e = &s->d->v[i];
		struct stat st;
		bool ok = fstatat(s->dfd, e->rel, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
		unsigned long long ino = (unsigned long long)st.st_ino;
		long long mtime = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
		if (ok && s->take)
			e->ino = ino, e->mtime_ns = mtime;
		s->failed[c] = !ok || (!s->take && (ino != e->ino || mtime != e->mtime_ns));
	}
}

static bool S_stamps(const struct out *o, int dfd, struct out_dirs *d, bool take)
{
	size_t chunks = (d->n + S_STAMP_CHUNK - 1) / S_STAMP_CHUNK;
	struct S_stamps s = {dfd, d, take, xcalloc(chunks + 1, sizeof(bool))};
	pool_run(chunks, S_workers(o), S_stamp_chunk, &s);
	bool ok = true;
	for (size_t c = 0; c < chunks; c++)
		ok = ok && !s.failed[c];
	free(s.failed);
	return ok;
}

/* True when every folder `d` lists is below `dfd` with its stamp. */
static bool S_dirs_match(const struct out *o, int dfd, const struct out_dirs *d)
{
	return S_stamps(o, dfd, (struct out_dirs *)d, false);
}

/* Moves the spare aside, to be removed after the swap: the swapped-out
 * output takes its name. */
static void S_spare_trash(struct out *o)
{
	if (o->trash)
		return;
	struct buf b = {0};
	buf_printf(&b, "%s.old", o->staging);
	char *trash = buf_detach(&b);
	if (rename(o->spare, trash) == 0)
		o->trash = trash;
	else
		free(trash);
}

/* Whether the spare is as the manifest describes it; one that is not (or
 * that no manifest describes) is moved aside. */
static bool S_spare_check(struct out *o)
{
	int fd = open(o->spare, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	bool ok = fd >= 0 && o->spare_dirs.n > 0 && S_dirs_match(o, fd, &o->spare_dirs);
	if (fd >= 0)
		close(fd);
	if (!ok)
		S_spare_trash(o);
	return ok;
}

/* Removes `rel` below `dfd`, a folder with all it holds; true when it is
 * gone or was not there. */
static bool S_clear(int dfd, const char *rel)
{
	if (unlinkat(dfd, rel, 0) == 0 || errno == ENOENT || errno == ENOTDIR)
		return true;
	if (errno != EISDIR)
		return false;
	int sub = openat(dfd, rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return sub >= 0 && S_empty(sub, 1) == 0 && unlinkat(dfd, rel, AT_REMOVEDIR) == 0;
}


/* Makes the spare what staging is to be: removes from it every file that
 * may differ (the manifest's list, what was written, what the previous
 * output had and this build does not), moves the written files in from
 * staging, links from the output the kept files it lacks, removes the
 * folders left empty, and renames it to staging. Every folder it changes is
 * marked in `touched`. */
static bool S_spare_merge(struct out *o, struct strmap *touched)
{
	const char *base = o->base;
	int bfd = -1, sfd = -1, ofd = -1;
	bool ok = (bfd = open(base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) >= 0 &&
		  (sfd = open(o->staging, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) >= 0 &&
		  (ofd = open(o->final, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0;
	/* The paths to clear, deepest first (a file where a folder was). */
	const char **gone = xmalloc((o->n_spare_diff + o->files + o->n_prev + 1) * sizeof *gone);
	size_t n_gone;
	const char **next = out_spare_diff_next(o, &n_gone);
	memcpy(gone, next, n_gone * sizeof *gone);
	free(next);
	for (size_t i = 0; i < o->n_spare_diff; i++)
		if (strmap_get(&o->index, o->spare_diff[i]) == NULL ||
		    out_is_kept(o, o->spare_diff[i]))
			gone[n_gone++] = o->spare_diff[i];
	qsort(gone, n_gone, sizeof *gone, S_deeper_first);
	strmap_put(touched, ".", (void *)1);
	for (size_t i = 0; ok && i < n_gone; i++) {
		S_touch(touched, gone[i], NULL, NULL);
		ok = S_clear(bfd, gone[i]);
	}
	struct strmap made = {0};
	struct out_linker l = {.o = o, .from = ofd, .to = bfd};
	struct buf rel = {0};
	for (size_t i = 0; ok && i < o->files; i++) {
		bool kept = o->kept[i];
		if (kept && strmap_get(&o->spare_diff_index, o->written[i]) == NULL)
			continue; /* in the spare already: the output's own file */
		S_touch(touched, o->written[i], NULL, NULL);
		buf_clear(&rel);
		buf_puts(&rel, o->written[i]);
		ok = S_dirs(bfd, rel.data, 0, &made, o->chmod_dirs) &&
		     (kept ? linkat(ofd, rel.data, bfd, rel.data, 0) == 0 || S_copy_kept(&l, rel.data)
			   : renameat(sfd, rel.data, bfd, rel.data) == 0);
		if (!ok)
			diag_error(o->diag, o->written[i], 0, 0,
				   "cannot move the file into the spare output: %s", strerror(errno));
	}
	buf_free(&rel);
	strmap_free(&made);
	size_t n_dirs;
	char **dirs = S_parents(gone, n_gone, true, &n_dirs);
	for (size_t i = 0; ok && i < n_dirs; i++)
		unlinkat(bfd, dirs[i], AT_REMOVEDIR); /* only where nothing is left */
	S_strings_free(dirs, n_dirs);
	free(gone);
	if (bfd >= 0)
		close(bfd);
	if (sfd >= 0)
		close(sfd);
	if (ofd >= 0)
		close(ofd);
	ok = ok && out_rmtree(o->staging, o->workers) == 0 && rename(base, o->staging) == 0;
	if (!ok) {
		diag_error(o->diag, o->spare, 0, 0, "cannot make the spare output the new one: %s",
			   strerror(errno));
		out_rmtree(base, o->workers);
	}
	o->base_made = false;
	return ok;
}

/* Takes the stamps of `into`'s folders below `dfd`: from `known` for a
 * folder there and not in `touched`, else from the folder itself. */
static bool S_stamps_known(const struct out *o, int dfd, struct out_dirs *into,
			   const struct out_dirs *known, const struct strmap *touched)
{
	struct strmap at = {0};
	for (size_t i = 0; i < known->n; i++)
		strmap_put(&at, known->v[i].rel, (void *)(uintptr_t)(i + 1));
	struct out_dirs rest = {0};
	size_t *where = xmalloc((into->n + 1) * sizeof *where);
	for (size_t i = 0; i < into->n; i++) {
		struct out_dir *e = &into->v[i];
		size_t k = strmap_get(touched, e->rel) ? 0 : (size_t)(uintptr_t)strmap_get(&at, e->rel);
		if (k) {
			e->ino = known->v[k - 1].ino;
			e->mtime_ns = known->v[k - 1].mtime_ns;
		} else {
			where[rest.n] = i;
			out_dir_add(&rest, e->rel, 0, 0);
		}
	}
	bool ok = S_stamps(o, dfd, &rest, true);
	for (size_t j = 0; j < rest.n; j++) {
		into->v[where[j]].ino = rest.v[j].ino;
		into->v[where[j]].mtime_ns = rest.v[j].mtime_ns;
	}
	out_dirs_free(&rest);
	free(where);
	strmap_free(&at);
	return ok;
}

/* Lists in `into` the folder `dir` and every folder of the files rel[0..n)
 * below it, each with its stamp; false when one cannot be read. With
 * `known`, the stamps of folders not `touched` are taken from it. */
static bool S_stamp_tree(const struct out *o, const char *dir, char *const *rel, size_t n,
			 struct out_dirs *into, const struct out_dirs *known,
			 const struct strmap *touched)
{
	size_t n_dirs;
	char **dirs = S_parents((const char *const *)rel, n, false, &n_dirs);
	out_dirs_free(into);
	out_dir_add(into, ".", 0, 0);
	for (size_t i = 0; i < n_dirs; i++)
		out_dir_add(into, dirs[i], 0, 0);
	S_strings_free(dirs, n_dirs);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	bool ok = fd >= 0 && (known ? S_stamps_known(o, fd, into, known, touched)
				    : S_stamps(o, fd, into, true));
	if (fd >= 0)
		close(fd);
	return ok;
}

/* Records the stamp of every folder of staging, for the manifest; with
 * `touched`, staging is the spare as checked (out_spare_begin) and only
 * the folders the merge changed are read again. */
static bool S_stamp(struct out *o, const struct strmap *touched)
{
	bool ok = S_stamp_tree(o, o->staging, o->written, o->files, &o->dirs,
			       touched ? &o->spare_dirs : NULL, touched);
	if (!ok)
		diag_error(o->diag, o->staging, 0, 0, "cannot read the staged output: %s",
			   strerror(errno));
	return ok;
}

/* Makes o->base a copy by hard links of the files o->copy_rel lists: from
 * the output, or from staging where o->copy_fresh says (not what else may
 * be there). A file that cannot be linked is listed (o->unlinked): the
 * merge links it, or the build renders it. Runs on its own thread; o's
 * other fields are left alone. */
static void *S_make_spare(void *arg)
{
	struct out *o = arg;
	int from = open(o->final, O_RDONLY | O_DIRECTORY | O_CLOEXEC), to = -1, fresh = -1;
	if (o->copy_fresh)
		fresh = open(o->staging, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	bool ok = (from >= 0 || o->copy_fresh) && (fresh >= 0 || !o->copy_fresh) &&
		  mkdir(o->base, 0755) == 0;
	o->base_made = ok;
	ok = ok && (!o->chmod_dirs || chmod(o->base, 0755) == 0) &&
	     (to = open(o->base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) >= 0;
	struct strmap made = {0};
	struct buf rel = {0};
	for (size_t i = 0; ok && i < o->n_copy; i++) {
		buf_clear(&rel);
		buf_puts(&rel, o->copy_rel[i]);
		ok = S_dirs(to, rel.data, 0, &made, o->chmod_dirs);
		int dfd = o->copy_fresh && o->copy_fresh[i] ? fresh : from;
		if (ok && linkat(dfd, rel.data, to, rel.data, 0) != 0) {
			o->unlinked = xgrow(o->unlinked, o->n_unlinked, sizeof *o->unlinked);
			o->unlinked[o->n_unlinked++] = xstrdup(o->copy_rel[i]);
		}
	}
	buf_free(&rel);
	strmap_free(&made);
	if (to >= 0)
		close(to);
	if (fresh >= 0)
		close(fresh);
	if (from >= 0)
		close(from);
	o->made_ok = ok;
	return NULL;
}

/* After S_make_spare: a copy that could not be made is removed, and
 * staging is made by linking; the files it lacks are the spare's diff. */
static void S_maker_done(struct out *o)
{
	if (!o->made_ok) {
		o->use_spare = false;
		if (o->base_made)
			out_rmtree(o->base, o->workers);
		o->base_made = false;
	}
	for (size_t i = 0; i < o->n_unlinked; i++)
		out_spare_diff_add(o, o->unlinked[i]);
}

static void S_join_maker(struct out *o)
{
	if (!o->making)
		return;
	pthread_join(o->maker, NULL);
	o->making = false;
	S_maker_done(o);
}

/* Forgets the files where the spare differs: a copy differs from what it
 * copies only where it could not link. */
static void S_spare_diff_clear(struct out *o)
{
	for (size_t i = 0; i < o->n_spare_diff; i++)
		free(o->spare_diff[i]);
	o->n_spare_diff = 0;
	strmap_free(&o->spare_diff_index);
}

/* Checks the spare and, when it is not as described, makes a copy of the
 * output instead (on the maker thread: its folders are read while the
 * pages render). made_ok: staging can be made from the one or the other. */
static void *S_ready_spare(void *arg)
{
	struct out *o = arg;
	if (S_spare_check(o)) {
		o->made_ok = true;
		return NULL;
	}
	if (o->n_prev == 0) {
		o->made_ok = false;
		return NULL;
	}
	S_spare_diff_clear(o);
	o->copy_rel = (const char **)o->prev_rel;
	o->n_copy = o->n_prev;
	return S_make_spare(o);
}

void out_spare_begin(struct out *o, bool few)
{
	if (o->spare_decided || !few)
		return;
	o->spare_decided = true;
	o->use_spare = true; /* unless the maker says otherwise */
	o->making = pthread_create(&o->maker, NULL, S_ready_spare, o) == 0;
	if (!o->making) { /* no thread to be had: now */
		S_ready_spare(o);
		S_maker_done(o);
	}
}

void out_mirror_begin(struct out *o)
{
	if (o->use_spare || o->making || o->mirror || 2 * o->fresh <= o->files || !S_stage(o))
		return;
	/* The spare there is of no use now: set aside like an unusable one. */
	if (!o->spare_decided)
		S_spare_trash(o);
	o->spare_decided = true;
	S_spare_diff_clear(o);
	/* What is written so far, by copied pointers: o->written grows while
	 * the thread runs (its strings stay). A kept file may not be linked
	 * into staging yet: it is linked from the output. */
	o->copy_rel = xmalloc((o->files + 1) * sizeof *o->copy_rel);
	o->copy_fresh = xmalloc(o->files + 1);
	for (size_t i = 0; i < o->files; i++) {
		o->copy_rel[i] = o->written[i];
		o->copy_fresh[i] = !o->kept[i];
	}
	o->n_copy = o->files;
	o->mirror = o->making = pthread_create(&o->maker, NULL, S_make_spare, o) == 0;
}

/* Completes the copy out_mirror_begin started with the files written
 * since (staging holds them all now) and stamps it: the spare-to-be. A copy
 * that cannot be completed is removed, and the swapped-out output becomes
 * the spare as usual. */
static void S_mirror_end(struct out *o)
{
	S_join_maker(o);
	if (!o->mirror || !o->base_made)
		return;
	int from = open(o->staging, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int to = open(o->base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	bool ok = from >= 0 && to >= 0;
	struct strmap made = {0};
	struct buf rel = {0};
	for (size_t i = o->n_copy; ok && i < o->files; i++) {
		buf_clear(&rel);
		buf_puts(&rel, o->written[i]);
		ok = S_dirs(to, rel.data, 0, &made, o->chmod_dirs);
		if (ok && linkat(from, rel.data, to, rel.data, 0) != 0)
			out_spare_diff_add(o, o->written[i]);
	}
	buf_free(&rel);
	strmap_free(&made);
	if (to >= 0)
		close(to);
	if (from >= 0)
		close(from);
	o->mirrored = ok && S_stamp_tree(o, o->base, o->written, o->files, &o->spare_dirs, NULL, NULL);
	if (o->verbose && o->mirrored)
		fprintf(stderr, "mailguide: the next spare output is a copy of this one by hard "
				"links, made while the zips were\n");
	if (!o->mirrored) {
		out_rmtree(o->base, o->workers);
		o->base_made = false;
	}
}

bool out_spare_keep(struct out *o)
{
	S_join_maker(o);
	if (!o->base_made)
		return false;
	bool ok = S_stamp_tree(o, o->base, o->prev_rel, o->n_prev, &o->spare_dirs, NULL, NULL) &&
		  rename(o->base, o->spare) == 0;
	if (!ok) {
		out_dirs_free(&o->spare_dirs); /* the manifest then describes no spare */
		out_rmtree(o->base, o->workers);
	}
	o->base_made = false;
	return true;
}

bool out_link_begin(struct out *o)
{
	/* Staging exists even when nothing was written (the spare's merge
	 * moves what is there: a build that only drops a file put in by
	 * hand writes nothing). */
	if (!S_stage(o))
		return false;
	if (o->linker || o->use_spare)
		return true;
	/* Most of the site is written again: linking the rest into staging
	 * costs less than clearing the spare. It gives way to the output
	 * being swapped out. */
	if (!o->spare_decided) {
		o->spare_decided = true;
		S_spare_trash(o);
	}
	o->linker = S_linker(o, 0);
	o->linker_upto = o->files;
	struct out_linker *l = o->linker;
	if (l->n && l->from >= 0 && l->to >= 0)
		l->started = pthread_create(&l->thread, NULL, S_link_all, l) == 0;
	if (!l->started && l->n && l->from >= 0 && l->to >= 0)
		S_link_all(l); /* no thread to be had: link now */
	return true;
}

bool out_link_kept(struct out *o)
{
	if (!out_link_begin(o))
		return false;
	S_join_maker(o);
	bool made = o->base_made; /* a copy of the output, not the spare */
	/* The spare is renamed like a staging folder first, so a build killed
	 * while it is changed leaves nothing the next one would trust. */
	if (o->use_spare && !o->base_made)
		o->use_spare = o->base_made = rename(o->spare, o->base) == 0;
	if (o->verbose)
		fprintf(stderr, "mailguide: staging %s\n",
			!o->use_spare ? "links the kept files (no spare output, or one changed since)"
			: made ? "is a copy of the output by hard links, made while the pages rendered"
			       : "is the spare output, with the files that differ replaced");
	if (o->use_spare) {
		/* The spare as checked: its folders' stamps hold but where the
		 * merge changed them. A copy made here has folders of its own. */
		struct strmap touched = {0};
		bool ok = S_spare_merge(o, &touched) && S_stamp(o, made ? NULL : &touched);
		strmap_free(&touched);
		return ok;
	}
	bool ok = true;
	size_t first = 0;
	if (o->linker) {
		ok = S_linker_end(o, o->linker);
		first = o->linker_upto;
		o->linker = NULL;
	}
	struct out_linker *l = S_linker(o, first);
	if (ok && l->n && l->from >= 0 && l->to >= 0)
		S_link_all(l);
	ok = S_linker_end(o, l) && ok && S_stamp(o, NULL);
	if (ok)
		S_mirror_end(o);
	return ok;
}

void out_child(const struct out *o, struct out *child, struct diag *d)
{
	*child = (struct out){.final = o->final, .final_fd = o->final_fd, .staging = o->staging,
			      .lockfd = -1,
			      .verbose = o->verbose, .diag = d, .staged = o->staged, .child = true,
			      .workers = o->workers, .chmod_dirs = o->chmod_dirs,
			      .prev = o->prev, .n_prev = o->n_prev, .prev_index = o->prev_index};
}

void out_adopt(struct out *o, struct out *child)
{
	for (size_t i = 0; i < child->files; i++) {
		S_register(o, child->written[i], child->kept[i]);
		free(child->written[i]);
	}
	o->staged = o->staged || child->staged;
	strmap_free(&child->made_dirs);
	free(child->written);
	free(child->kept);
	*child = (struct out){.lockfd = -1, .final_fd = -1};
}

const char **out_sorted(const struct out *o)
{
	const char **v = xmalloc((o->files + 1) * sizeof *v);
	for (size_t i = 0; i < o->files; i++)
		v[i] = o->written[i];
	qsort(v, o->files, sizeof *v, S_strcmp);
	v[o->files] = NULL;
	return v;
}

void out_end(struct out *o)
{
	if (o->linker)
		S_linker_end(o, o->linker);
	S_join_maker(o);
	if (o->base_made)
		out_rmtree(o->base, o->workers);
	for (size_t i = 0; i < o->files; i++)
		free(o->written[i]);
	free(o->written);
	free(o->kept);
	strmap_free(&o->index);
	strmap_free(&o->prev_index);
	strmap_free(&o->made_dirs);
	if (o->removing)
		pthread_join(o->remover, NULL);
	else if (o->staging)
		S_remove_old(o);
	free(o->staging);
	free(o->spare);
	free(o->base);
	free(o->trash);
	for (size_t i = 0; i < o->n_unlinked; i++)
		free(o->unlinked[i]);
	free(o->unlinked);
	if (o->copy_rel != (const char **)o->prev_rel)
		free(o->copy_rel);
	free(o->copy_fresh);
	out_dirs_free(&o->prev_dirs);
	out_dirs_free(&o->spare_dirs);
	out_dirs_free(&o->dirs);
	for (size_t i = 0; i < o->n_spare_diff; i++)
		free(o->spare_diff[i]);
	free(o->spare_diff);
	strmap_free(&o->spare_diff_index);
	out_prev_forget(o);
	if (o->lockfd >= 0)
		close(o->lockfd); /* the lock file stays: removing it would race */
	if (o->final_fd >= 0)
		close(o->final_fd);
	free(o->lockfile);
	free(o->final);
	*o = (struct out){.lockfd = -1, .final_fd = -1};
}
