/* cfile.c: content file access for the load stage (see cfile.h). */
#define _GNU_SOURCE
#include "cfile.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

bool cfile_inside(const char *root, const char *path)
{
	char *r = realpath(root && *root ? root : ".", NULL);
	char *p = realpath(path, NULL);
	bool ok = false;
	if (r && p) {
		size_t n = strlen(r);
		/* "/" as the root contains everything; else a prefix plus '/'. */
		ok = (n == 1 && r[0] == '/') ||
		     (strncmp(p, r, n) == 0 && (p[n] == '/' || p[n] == '\0'));
	}
	free(r);
	free(p);
	return ok;
}

/* The part of `path` below `root` when `path` is written root/relative, as
 * path_join writes it ("." and "" as root: any relative path); else NULL. */
static const char *S_below(const char *root, const char *path)
{
	if (root == NULL || root[0] == '\0' || strcmp(root, ".") == 0)
		return path[0] != '/' ? path : NULL;
	size_t n = strlen(root);
	if (strncmp(path, root, n) != 0)
		return NULL;
	if (root[n - 1] == '/')
		return path + n;
	return path[n] == '/' ? path + n + 1 : NULL;
}

/* The fast path: opens `path` relative to `root` with openat2's
 * RESOLVE_BENEATH, with which the kernel fails rather than resolve a ".."
 * or symbolic link out of `root` (or an absolute link at all). Two
 * realpath() calls per file, a readlink() per component, were a sixth of a
 * build's time (every image of every page is checked). Returns -1 on any
 * failure (ENOSYS before Linux 5.6, EXDEV for an absolute link, ENOENT,
 * ...): the caller then takes the slow path, which says why, so the
 * diagnostics are the same either way. The flags are the slow path's. */
static int S_open_beneath(int rootfd, const char *root, const char *path)
{
	const char *rel = S_below(root, path);
	if (rel == NULL)
		return -1;
	int dir = rootfd >= 0 ? rootfd : cfile_root_open(root);
	if (dir < 0)
		return -1;
	struct open_how how = {.flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK,
			       .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS};
	int fd = (int)syscall(SYS_openat2, dir, rel, &how, sizeof how);
	if (dir != rootfd)
		close(dir);
	return fd;
}

int cfile_root_open(const char *root)
{
	return open(root && *root ? root : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
}

/* The slow path: resolves `path` and `root` with realpath to tell where a
 * link leads. Returns the descriptor, or -1 after reporting (or, with
 * *missing set, when there is no such file). */
static int S_open_resolved(const char *root, const char *path, struct diag *d, bool *missing)
{
	struct stat st;
	if (lstat(path, &st) != 0) {
		if (errno == ENOENT) {
			*missing = true;
			return -1;
		}
		diag_error(d, path, 0, 0, "cannot read: %s", strerror(errno));
		return -1;
	}
	if (!cfile_inside(root, path)) {
		if (S_ISLNK(st.st_mode) && stat(path, &st) != 0)
			diag_error(d, path, 0, 0, "symbolic link to a file that does not exist");
		else
			diag_error(d, path, 0, 0,
				   "symbolic link to a file outside the content directory (%s): "
				   "refused; copy the file into the content directory instead",
				   root);
		return -1;
	}
	/* O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then
	 * tells what was really opened (the path may have changed since). */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		diag_error(d, path, 0, 0, "cannot read: %s", strerror(errno));
	return fd;
}

/* Opens the checked file; returns the descriptor or -1 after reporting
 * (or, with *missing set, when there is no such file). */
static int S_open(int rootfd, const char *root, const char *path, size_t max, struct diag *d,
		  bool *missing, struct stat *st)
{
	*missing = false;
	int fd = S_open_beneath(rootfd, root, path);
	if (fd < 0)
		fd = S_open_resolved(root, path, d, missing);
	if (fd < 0)
		return -1;
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
		diag_error(d, path, 0, 0, "not a regular file");
		close(fd);
		return -1;
	}
	if ((size_t)st->st_size > max) {
		diag_error(d, path, 0, 0, "the file is %lld bytes; the limit is %zu (%zu MiB)",
			   (long long)st->st_size, max, max >> 20);
		close(fd);
		return -1;
	}
	return fd;
}

enum cfile_status cfile_check(const char *root, const char *path, size_t max, struct diag *d)
{
	return cfile_check_at(-1, root, path, max, d);
}

enum cfile_status cfile_check_at(int rootfd, const char *root, const char *path, size_t max,
				 struct diag *d)
{
	bool missing;
	struct stat st;
	int fd = S_open(rootfd, root, path, max, d, &missing, &st);
	if (fd < 0)
		return missing ? CFILE_MISSING : CFILE_ERROR;
	close(fd);
	return CFILE_OK;
}

enum cfile_status cfile_read(const char *root, const char *path, size_t max, struct buf *out,
			     struct diag *d)
{
	return cfile_read_at(-1, root, path, max, out, NULL, d);
}

enum cfile_status cfile_read_at(int rootfd, const char *root, const char *path, size_t max,
				struct buf *out, struct stat *stp, struct diag *d)
{
	bool missing;
	struct stat st0, *st = stp ? stp : &st0;
	int fd = S_open(rootfd, root, path, max, d, &missing, st);
	size_t size = fd >= 0 ? (size_t)st->st_size : 0;
	if (fd < 0)
		return missing ? CFILE_MISSING : CFILE_ERROR;
	/* The file was a regular file of `size` <= `max` bytes when opened:
	 * read into a buffer of that size plus one byte, so that a short read
	 * is the end. One growing meanwhile is read on, up to one byte past
	 * `max`, so it cannot take memory without bound either. */
	size_t total = 0, want = size + 1;
	for (;;) {
		buf_grow(out, want);
		size_t room = out->cap - out->len - 1;
		ssize_t n = read(fd, out->data + out->len, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			diag_error(d, path, 0, 0, "cannot read: %s", strerror(errno));
			close(fd);
			return CFILE_ERROR;
		}
		total += (size_t)n;
		if (total > max) {
			diag_error(d, path, 0, 0,
				   "the file is larger than the limit of %zu bytes "
				   "(%zu MiB)",
				   max, max >> 20);
			close(fd);
			return CFILE_ERROR;
		}
		out->len += (size_t)n;
		out->data[out->len] = '\0';
		if ((size_t)n < room)
			break;
		want = 65536;
	}
	close(fd);
	buf_grow(out, 0);
	return CFILE_OK;
}
