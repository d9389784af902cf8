/* out.c: staging, atomic swap and the output lock. Linux-specific in one
 * place: renameat2(RENAME_EXCHANGE) swaps two directories in one step, so
 * readers see either the old output or the new one, never neither. */
#define _GNU_SOURCE
#include "out.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

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

static int S_rm(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

int out_rmtree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : -1;
	return nftw(path, S_rm, 32, FTW_DEPTH | FTW_PHYS);
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
			out_rmtree(p);
			free(p);
		}
	}
	if (dir)
		closedir(dir);
	free(parent);
	free(probe);
}

bool out_begin(struct out *o, const char *dir, struct diag *d)
{
	*o = (struct out){.final = xstrdup(dir), .lockfd = -1, .diag = d};
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
	o->staging = S_sibling(dir, ".%s.staging.%ld", (long)getpid());
	if (mkdir(o->staging, 0755) != 0 || chmod(o->staging, 0755) != 0) {
		diag_error(d, o->staging, 0, 0, "cannot create the staging directory: %s",
			   strerror(errno));
		free(o->staging);
		o->staging = NULL;
		return false;
	}
	return true;
}

bool out_name_reserved(const char *name, size_t n)
{
	/* Windows refuses these as file or folder names, with any extension
	 * ("con.png" too) and in any case: a site.zip or kit holding one
	 * cannot be extracted there. */
	static const char *const reserved[] = {"con", "prn", "aux", "nul", NULL};
	size_t base = 0;
	while (base < n && name[base] != '.')
		base++;
	for (size_t i = 0; reserved[i]; i++)
		if (base == 3 && strncasecmp(name, reserved[i], 3) == 0)
			return true;
	/* COM1-COM9, LPT1-LPT9 (and the superscript digits Windows also
	 * reserves are not ASCII, so no id or slug can spell them). */
	return base == 4 && (strncasecmp(name, "com", 3) == 0 || strncasecmp(name, "lpt", 3) == 0) &&
	       name[3] >= '1' && name[3] <= '9';
}

bool out_path_ok(const char *rel)
{
	if (rel[0] == '\0' || rel[0] == '/')
		return false;
	const char *p = rel;
	while (*p) {
		size_t n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)p[i] < 0x20 || p[i] == '\\' || p[i] == 0x7f)
				return false;
		if (out_name_reserved(p, n))
			return false;
		p += n;
		if (*p == '/')
			p++;
		else
			break;
	}
	return rel[strlen(rel) - 1] != '/';
}

/* Creates every folder of `path` below the staging root. */
static bool S_mkdirs(struct out *o, char *path)
{
	size_t root = strlen(o->staging);
	for (char *p = path + root + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		/* chmod: the published tree is 0755 whatever the builder's umask. */
		int rc = mkdir(path, 0755);
		if (rc == 0)
			rc = chmod(path, 0755);
		*p = '/';
		if (rc != 0 && errno != EEXIST)
			return false;
	}
	return true;
}

bool out_write(struct out *o, const char *rel, const void *data, size_t len)
{
	if (!out_path_ok(rel)) {
		diag_error(o->diag, rel, 0, 0, "refusing to write outside the output directory");
		return false;
	}
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
	if (o->files == o->written_cap) {
		o->written_cap = o->written_cap ? o->written_cap * 2 : 256;
		o->written = xrealloc(o->written, o->written_cap * sizeof *o->written);
	}
	o->written[o->files++] = xstrdup(rel);
	if (o->verbose)
		fprintf(stderr, "  wrote %s\n", rel);
	return true;
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

bool out_commit(struct out *o)
{
	struct stat st;
	if (lstat(o->final, &st) != 0) {
		if (errno == ENOENT && rename(o->staging, o->final) == 0)
			return true;
	} else if (!S_ISDIR(st.st_mode)) {
		diag_error(o->diag, o->final, 0, 0, "the output path exists and is not a directory");
		return false;
	} else if (renameat2(AT_FDCWD, o->staging, AT_FDCWD, o->final, RENAME_EXCHANGE) == 0) {
		return true; /* staging now holds the old output; out_end removes it */
	}
	diag_error(o->diag, o->final, 0, 0, "cannot replace the output directory: %s",
		   strerror(errno));
	return false;
}

char *out_staged_path(const struct out *o, const char *rel) { return path_join(o->staging, rel); }

static int S_strcmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
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
	for (size_t i = 0; i < o->files; i++)
		free(o->written[i]);
	free(o->written);
	if (o->staging) {
		out_rmtree(o->staging);
		free(o->staging);
	}
	if (o->lockfd >= 0)
		close(o->lockfd); /* the lock file stays: removing it would race */
	free(o->lockfile);
	free(o->final);
	*o = (struct out){.lockfd = -1};
}
