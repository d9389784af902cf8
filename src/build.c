/* build.c: the one driver of the data flow, in the order it runs:
 *   load (content/ YAML -> model; guides -> guide set)
 *   -> render (site pages through templates/) -> write (staging) -> swap.
 * Any error stops before the swap, so output/ keeps its last good state. */
#define _GNU_SOURCE
#include "build.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "guide.h"
#include "load.h"
#include "out.h"
#include "render.h"
#include "site.h"
#include "tpl.h"
#include "util.h"

static int S_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Copies templates/assets/ (stylesheet, icons) to assets/ in the output,
 * in sorted order so builds are reproducible. Regular files only. */
static bool S_copy_assets(const char *templates, struct out *o)
{
	char *dir = path_join(templates, "assets");
	DIR *dp = opendir(dir);
	bool ok = true;
	if (dp == NULL) {
		free(dir);
		return true;
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(dp)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		names = xrealloc(names, (n + 1) * sizeof *names);
		names[n++] = xstrdup(e->d_name);
	}
	closedir(dp);
	qsort(names, n, sizeof *names, S_name_cmp);
	for (size_t i = 0; i < n; i++) {
		char *src = path_join(dir, names[i]);
		struct stat st;
		if (ok && lstat(src, &st) == 0 && S_ISREG(st.st_mode)) {
			char *rel = path_join("assets", names[i]);
			ok = out_copy(o, rel, src);
			free(rel);
		}
		free(src);
		free(names[i]);
	}
	free(names);
	free(dir);
	return ok;
}

int build_run(const struct build_opts *opts, struct diag *d)
{
	struct model *m = load_content(opts->content, d);
	if (m == NULL)
		return 1;
	struct guide_set *guides = guide_set_load(opts->content, m, d);
	if (guides == NULL) {
		diag_flush(d);
		model_free(m);
		return 1;
	}

	struct out o;
	tpl_engine *tpl = NULL;
	bool ok = out_begin(&o, opts->output, d);
	if (ok) {
		o.verbose = opts->verbose;
		tpl = tpl_engine_new(opts->templates);
		struct render r = {.m = m, .tpl = tpl, .out = &o, .diag = d};
		ok = site_render(&r, guides) && S_copy_assets(opts->templates, &o) && d->errors == 0 &&
		     out_commit(&o);
	}
	diag_flush(d);
	if (ok && !d->quiet)
		fprintf(stderr, "mailguide: wrote %zu files to %s\n", o.files, opts->output);
	out_end(&o);
	tpl_engine_free(tpl);
	guide_set_free(guides);
	model_free(m);
	return ok ? 0 : 1;
}
