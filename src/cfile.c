/* cfile.c: content file access for the load stage (see cfile.h). */
#define _GNU_SOURCE
#include "cfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* Opens the checked file; returns the descriptor or -1 after reporting
 * (or, with *missing set, when there is no such file). */
static int S_open(const char *root, const char *path, size_t max, struct diag *d, bool *missing)
{
	*missing = false;
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
	if (fd < 0) {
		diag_error(d, path, 0, 0, "cannot read: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		diag_error(d, path, 0, 0, "not a regular file");
		close(fd);
		return -1;
	}
	if ((size_t)st.st_size > max) {
		diag_error(d, path, 0, 0, "the file is %lld bytes; the limit is %zu (%zu MiB)",
			   (long long)st.st_size, max, max >> 20);
		close(fd);
		return -1;
	}
	return fd;
}

enum cfile_status cfile_check(const char *root, const char *path, size_t max, struct diag *d)
{
	bool missing;
	int fd = S_open(root, path, max, d, &missing);
	if (fd < 0)
		return missing ? CFILE_MISSING : CFILE_ERROR;
	close(fd);
	return CFILE_OK;
}

enum cfile_status cfile_read(const char *root, const char *path, size_t max, struct buf *out,
			     struct diag *d)
{
	bool missing;
	int fd = S_open(root, path, max, d, &missing);
	if (fd < 0)
		return missing ? CFILE_MISSING : CFILE_ERROR;
	/* The file was a regular file of at most `max` bytes when opened; read
	 * at most one byte more, so one growing meanwhile cannot take memory
	 * without bound either. */
	char chunk[65536];
	size_t total = 0;
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			diag_error(d, path, 0, 0, "cannot read: %s", strerror(errno));
			close(fd);
			return CFILE_ERROR;
		}
		if (n == 0)
			break;
		total += (size_t)n;
		if (total > max) {
			diag_error(d, path, 0, 0, "the file is larger than the limit of %zu bytes "
				   "(%zu MiB)", max, max >> 20);
			close(fd);
			return CFILE_ERROR;
		}
		buf_put(out, chunk, (size_t)n);
	}
	close(fd);
	buf_grow(out, 0);
	return CFILE_OK;
}
