/* build.c: the one driver of the data flow, in the order it runs:
 *   load (content/ YAML) -> render (templates/) -> write (staging)
 *   -> bundle (zips of what was staged) -> swap.
 * Any error stops before the swap, so output/ keeps its last good state. */
#define _GNU_SOURCE
#include "build.h"

#include <dirent.h>
#include <errno.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bundle.h"
#include "kit.h"
#include "load.h"
#include "out.h"
#include "render.h"
#include "tpl.h"
#include "util.h"

static int S_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted names in a directory, without "." and ".."; NULL if it cannot
 * be read. Free with S_names_free. */
static char **S_names(const char *dir, size_t *n)
{
	DIR *dp = opendir(dir);
	if (dp == NULL)
		return NULL;
	char **names = NULL;
	struct dirent *e;
	*n = 0;
	while ((e = readdir(dp)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		names = xrealloc(names, (*n + 1) * sizeof *names);
		names[(*n)++] = xstrdup(e->d_name);
	}
	closedir(dp);
	qsort(names, *n, sizeof *names, S_name_cmp);
	return names;
}

static void S_names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* Copies the regular files below `src` to `dst` in the output (""
 * for the web root), in sorted order so builds are reproducible. Symbolic
 * links are not followed: nothing outside the templates is published. */
static bool S_copy_tree(const char *src, const char *dst, struct out *o)
{
	size_t n;
	char **names = S_names(src, &n);
	bool ok = true;
	for (size_t i = 0; ok && names && i < n; i++) {
		char *from = path_join(src, names[i]);
		char *to = dst[0] ? path_join(dst, names[i]) : xstrdup(names[i]);
		struct stat st;
		if (lstat(from, &st) == 0 && S_ISREG(st.st_mode))
			ok = out_copy(o, to, from);
		else if (lstat(from, &st) == 0 && S_ISDIR(st.st_mode))
			ok = S_copy_tree(from, to, o);
		free(to);
		free(from);
	}
	if (names)
		S_names_free(names, n);
	return ok;
}

/* The newest modification time of the files below `dir`. */
static time_t S_newest(const char *dir, int depth)
{
	size_t n;
	char **names = depth < 16 ? S_names(dir, &n) : NULL;
	time_t newest = 0;
	for (size_t i = 0; names && i < n; i++) {
		char *p = path_join(dir, names[i]);
		struct stat st;
		if (lstat(p, &st) == 0) {
			time_t t = S_ISDIR(st.st_mode) ? S_newest(p, depth + 1) : st.st_mtime;
			if (t > newest)
				newest = t;
		}
		free(p);
	}
	if (names)
		S_names_free(names, n);
	return newest;
}

/* The one time stamp the output may carry (in zip entries): the standard
 * SOURCE_DATE_EPOCH when set, else the newest input's mtime, so two builds
 * of the same input agree whenever they run. */
static bool S_epoch(const struct build_opts *opts, struct diag *d, time_t *out)
{
	const char *env = getenv("SOURCE_DATE_EPOCH");
	if (env && *env) {
		char *end;
		errno = 0;
		long long v = strtoll(env, &end, 10);
		if (errno || *end || v < 0) {
			diag_error(d, NULL, 0, 0, "SOURCE_DATE_EPOCH must be a number of seconds, not '%s'",
				   env);
			return false;
		}
		*out = (time_t)v;
		return true;
	}
	time_t c = S_newest(opts->content, 0), t = S_newest(opts->templates, 0);
	*out = c > t ? c : t;
	return true;
}

int build_run(const struct build_opts *opts, struct diag *d)
{
	struct model *m = load_content(opts->content, d);
	if (m == NULL)
		return 1;

	struct out o;
	tpl_engine *tpl = NULL;
	bool ok = out_begin(&o, opts->output, d);
	if (ok) {
		o.verbose = opts->verbose;
		tpl = tpl_engine_new(opts->templates);
		struct render r = {.m = m, .tpl = tpl, .out = &o, .diag = d};
		char *assets = path_join(opts->templates, "assets");
		char *webroot = path_join(opts->templates, "webroot");
		time_t epoch;
		ok = S_epoch(opts, d, &epoch) && render_site(&r) && kit_render(&r) &&
		     S_copy_tree(assets, "assets", &o) && S_copy_tree(webroot, "", &o) &&
		     d->errors == 0 && bundle_all(&o, m, epoch) && d->errors == 0 && out_commit(&o);
		free(webroot);
		free(assets);
	}
	diag_flush(d);
	if (ok && !d->quiet)
		fprintf(stderr, "mailguide: wrote %zu files to %s\n", o.files, opts->output);
	out_end(&o);
	tpl_engine_free(tpl);
	model_free(m);
	return ok ? 0 : 1;
}
