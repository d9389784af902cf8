/* build.c: the one driver of the data flow, in the order it runs:
 *   load (content/ YAML -> model; guides -> guide set)
 *   -> render (site pages, profiles, kit pages through templates/)
 *   -> write (staging) -> bundle (zips of what was staged) -> swap.
 * Any error stops before the swap, so output/ keeps its last good state. */
#define _GNU_SOURCE
#include "build.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bundle.h"
#include "check.h"
#include "guide.h"
#include "kit.h"
#include "load.h"
#include "out.h"
#include "profiles.h"
#include "render.h"
#include "site.h"
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

bool build_signer(const struct sign_opts *cli, const struct model *m, struct signer **signer,
		  struct diag *d)
{
	const struct model_signing *site = &m->site.signing;
	struct sign_opts s = {site->certificate, site->key, site->chain};
	if (sign_wanted(cli))
		s = *cli;
	*signer = NULL;
	if (!sign_wanted(&s))
		return true;
	*signer = sign_load(&s, d);
	return *signer != NULL;
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
	struct guide_set *guides = guide_set_load(opts->content, m, d);
	/* The checks of `mailguide check`, all of them: errors stop the build
	 * before anything is written, warnings are printed. */
	if (guides == NULL || !check_guides(m, guides, d, NULL)) {
		diag_flush(d);
		guide_set_free(guides);
		model_free(m);
		return 1;
	}

	struct out o = {.lockfd = -1};
	tpl_engine *tpl = NULL;
	struct signer *signer = NULL;
	bool ok = build_signer(&opts->sign, m, &signer, d) && out_begin(&o, opts->output, d);
	if (ok) {
		o.verbose = opts->verbose;
		tpl = tpl_engine_new(opts->templates);
		struct render r = {.m = m, .tpl = tpl, .out = &o, .diag = d, .checked = true};
		char *assets = path_join(opts->templates, "assets");
		char *webroot = path_join(opts->templates, "webroot");
		time_t epoch;
		ok = S_epoch(opts, d, &epoch) && site_render(&r, guides) &&
		     profiles_write_all(&r, signer) && kit_render(&r) &&
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
	sign_free(signer);
	guide_set_free(guides);
	model_free(m);
	return ok ? 0 : 1;
}

/* Writes `b` to `file` through a temporary file beside it and a rename, so
 * a reader never sees half a profile; "-" or NULL is standard output. */
static bool S_write_file(const char *file, const struct buf *b, struct diag *d)
{
	if (file == NULL || strcmp(file, "-") == 0) {
		bool ok = fwrite(b->data, 1, b->len, stdout) == b->len && fflush(stdout) == 0;
		if (!ok)
			diag_error(d, "<stdout>", 0, 0, "cannot write: %s", strerror(errno));
		return ok;
	}
	struct buf tmp = {0};
	buf_printf(&tmp, "%s.tmp.%ld", file, (long)getpid());
	int fd = open(tmp.data, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	bool ok = fd >= 0;
	for (size_t done = 0; ok && done < b->len;) {
		ssize_t n = write(fd, b->data + done, b->len - done);
		ok = n > 0;
		done += ok ? (size_t)n : 0;
	}
	ok = ok && fsync(fd) == 0;
	int err = errno;
	if (fd >= 0 && close(fd) != 0 && ok)
		ok = false, err = errno;
	if (ok && rename(tmp.data, file) != 0)
		ok = false, err = errno;
	if (!ok) {
		diag_error(d, file, 0, 0, "cannot write: %s", strerror(err));
		unlink(tmp.data);
	}
	buf_free(&tmp);
	return ok;
}

int build_profile(const struct build_opts *opts, const struct profile_opts *po,
		  struct diag *d)
{
	if (sign_wanted(&opts->sign) && po->client != CLIENT_APPLE) {
		fprintf(stderr, "mailguide profile: --sign-* apply to --client apple only\n");
		return 2;
	}
	struct model *m = load_content(opts->content, d);
	if (m == NULL) {
		diag_flush(d);
		return 1;
	}
	int rc = 2;
	struct signer *signer = NULL;
	tpl_engine *tpl = NULL;
	struct buf b = {0};
	const struct model_product *p = model_product_find(m, po->product);
	const struct model_locale *loc =
		po->locale ? model_locale_find(m, po->locale) : m->site.default_locale;
	const char *why = p ? profiles_email_check(p, po->email) : NULL;
	if (p == NULL) {
		fprintf(stderr, "mailguide profile: no product '%s' in the server table; products:",
			po->product);
		for (size_t i = 0; i < m->n_providers; i++)
			for (size_t j = 0; j < m->providers[i].n_products; j++)
				fprintf(stderr, " %s", m->providers[i].products[j].id);
		fputc('\n', stderr);
	} else if (loc == NULL) {
		fprintf(stderr, "mailguide profile: '%s' is not one of the site's locales\n",
			po->locale);
	} else if (why != NULL) {
		fprintf(stderr, "mailguide profile: '%s' cannot be used as an address: %s", po->email,
			why);
		for (size_t i = 0; !p->any_domain && i < p->n_domains; i++)
			fprintf(stderr, "%s%s", i ? ", " : " (it serves ", p->domains[i]);
		fprintf(stderr, "%s\n", p->any_domain ? "" : ")");
	} else {
		rc = 1;
		tpl = tpl_engine_new(opts->templates);
		struct render r = {.m = m, .tpl = tpl, .out = NULL, .diag = d};
		struct profile_req q = {.product = p, .client = po->client, .locale = loc,
					.email = po->email, .name = po->name};
		bool ok = (po->client != CLIENT_APPLE || build_signer(&opts->sign, m, &signer, d)) &&
			  profiles_render(&r, &q, &b);
		if (ok && signer != NULL) {
			struct buf s = {0};
			ok = sign_cms(signer, b.data, b.len, &s, d);
			buf_free(&b);
			b = s;
		}
		if (ok && d->errors == 0 && S_write_file(po->file, &b, d))
			rc = 0;
	}
	diag_flush(d);
	buf_free(&b);
	sign_free(signer);
	tpl_engine_free(tpl);
	model_free(m);
	return rc;
}
