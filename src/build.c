/* build.c: the one driver of the data flow, in the order it runs:
 *   load (content/ YAML -> model; guides -> guide set)
 *   -> render (site pages, profiles, kit pages through templates/)
 *   -> write (staging) -> bundle (zips of what was staged) -> swap.
 * Any error stops before the swap, so output/ keeps its last good state. */
#define _GNU_SOURCE
#include "build.h"

#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmark-gfm-core-extensions.h>

#include "bundle.h"
#include "check.h"
#include "guide.h"
#include "incr_cache.h"
#include "incr.h"
#include "illust.h"
#include "kit.h"
#include "load.h"
#include "out.h"
#include "pool.h"
#include "profiles.h"
#include "render.h"
#include "site.h"
#include "tpl.h"
#include "util.h"

/* Copies the regular files below `src` to `dst` in the output (""
 * for the web root), in sorted order so builds are reproducible. Symbolic
 * links are not followed: nothing outside the templates is published. */
static bool S_copy_tree(const char *src, const char *dst, struct out *o)
{
	size_t n;
	char **names = dir_names(src, true, &n);
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
		dir_names_free(names, n);
	return ok;
}

/* The newest modification time of the files below `dir`. */
static time_t S_newest(const char *dir, int depth)
{
	size_t n;
	char **names = depth < 16 ? dir_names(dir, true, &n) : NULL;
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
		dir_names_free(names, n);
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
			diag_error(d, NULL, 0, 0,
				   "SOURCE_DATE_EPOCH must be a number of seconds, not '%s'", env);
			return false;
		}
		*out = (time_t)v;
		return true;
	}
	time_t c = S_newest(opts->content, 0), t = S_newest(opts->templates, 0);
	*out = c > t ? c : t;
	return true;
}

static double S_seconds(const struct timespec *t)
{
	return (double)t->tv_sec + (double)t->tv_nsec / 1e9;
}

/* With MAILGUIDE_TIMING set, how long each stage took (for bench/ and
 * profiling), on standard error: wall time and the CPU time of all
 * threads, whose ratio says how busy the cores were, and the process's
 * peak memory (resident set) so far, which tells the stage that set it. */
static void S_lap(const char *stage)
{
	static struct timespec last, last_cpu;
	if (getenv("MAILGUIDE_TIMING") == NULL)
		return;
	struct timespec now, cpu;
	clock_gettime(CLOCK_MONOTONIC, &now);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
	struct rusage ru;
	if (stage && getrusage(RUSAGE_SELF, &ru) == 0)
		fprintf(stderr, "mailguide: %-10s %9.2f ms wall %9.2f ms CPU %7.1f MB peak\n",
			stage, 1e3 * (S_seconds(&now) - S_seconds(&last)),
			1e3 * (S_seconds(&cpu) - S_seconds(&last_cpu)),
			(double)ru.ru_maxrss / 1024);
	last = now;
	last_cpu = cpu;
}

/* ---- the site's jobs, on several threads ------------------------------------------ */

/* One job of incr.h's numbering: site-begin, a guide, or site-end. Each
 * renders into its own out_child and diagnostics, merged in job order
 * afterwards, so the output and the messages do not depend on --jobs. A
 * guide's job also gives the check facts of its documents (check.h). */
struct S_job {
	struct out out;
	struct diag diag;
	struct check_facts *facts;
	bool ok;
	bool kept; /* from the previous build, not rendered */
};

struct S_jobs {
	const struct model *m;
	const struct guide_set *set;
	struct incr *inc;
	struct S_job *job;
	struct incr_keep *keep;
	tpl_engine **tpl;          /* one per worker: each keeps its own template cache */
	struct diag *quiet;        /* one per worker, for fallback pages */
	struct render_memo **memo; /* one per worker */
	size_t first, last;        /* the jobs of this pool_run */
	bool need_facts;           /* the site's checks run: every guide's facts */
};

static void S_run_job(size_t i, unsigned worker, void *arg)
{
	struct S_jobs *js = arg;
	size_t k = js->first + i;
	struct S_job *j = &js->job[k];
	/* A kept guide's check facts, when the site's checks need them, are
	 * read back from its record by those checks (S_checks). */
	if (incr_keep(js->inc, k, &j->out, &j->diag)) {
		j->ok = j->kept = true;
		return;
	}
	struct render r = {.m = js->m,
			   .tpl = js->tpl[worker],
			   .out = &j->out,
			   .diag = &j->diag,
			   .memo = js->memo[worker]};
	size_t n = js->set->n;
	if (k == 0) {
		j->ok = site_render_begin(&r, &js->set->view);
	} else if (k == n + 1) {
		j->ok = site_render_end(&r, &js->set->view);
	} else {
		j->facts = check_facts_new(js->m);
		j->ok = site_render_guide(&r, js->set, &js->set->guides[k - 1], &js->quiet[worker],
					  j->facts);
	}
}

static void S_move_diag(void *arg, const struct diag_record *rec) { diag_add(arg, rec); }

/* Moves a job's messages to `d`, which (with -q) keeps only errors. */
static void S_move(struct diag *d, struct diag *jd)
{
	if (!d->quiet || d->json) {
		diag_move(d, jd);
		return;
	}
	diag_each(jd, S_move_diag, d);
	diag_discard(jd);
}

/* Runs jobs first..last on `workers` threads (the guides) or this one, then
 * merges their files and messages into `o` and `d` in job order. */
static bool S_run_jobs(struct S_jobs *js, size_t first, size_t last, unsigned workers,
		       struct out *o, struct diag *d)
{
	js->first = first;
	js->last = last;
	for (size_t k = first; k <= last; k++) {
		diag_init_like(&js->job[k].diag, d);
		js->job[k].diag.quiet = 0; /* all kept for the manifest; `d` filters */
		out_child(o, &js->job[k].out, &js->job[k].diag);
	}
	pool_run(last - first + 1, workers, S_run_job, js);
	bool ok = true;
	for (size_t k = first; k <= last; k++) {
		struct S_job *j = &js->job[k];
		char *facts = j->facts && !j->kept ? check_facts_save(j->facts) : NULL;
		incr_record(js->inc, k, &j->out, &j->diag, facts);
		free(facts);
		S_move(d, &j->diag);
		out_adopt(o, &j->out);
		ok = ok && j->ok;
	}
	return ok;
}

/* The checks that need every page (links between pages, anchors,
 * translations), over the guides' facts: incr's job "site-checks", whose
 * messages are kept while every guide's key is unchanged. Otherwise they
 * run on a thread of their own, reading back the kept guides' facts, while
 * the site's last pages, the profiles and the zips are made: a tenth of a
 * one-guide rebuild, off its critical path. */
struct S_checks {
	const struct model *m;
	const struct guide_set *set;
	struct incr *inc;
	struct check_facts **facts; /* per guide, owned; NULL: kept, read back */
	struct out child;
	struct diag jd;
	bool kept, ok;
	bool unreadable; /* a kept guide's facts could not be read back */
	pthread_t thread;
	bool started;
};

static void *S_checks_run(void *arg)
{
	struct S_checks *c = arg;
	for (size_t i = 0; i < c->set->n && !c->unreadable; i++) {
		if (c->facts[i])
			continue;
		char *data = incr_record_data(c->inc, i + 1);
		c->facts[i] = data ? check_facts_parse_in(data, c->m, c->set)
				   : check_facts_parse("", c->m, c->set);
		c->unreadable = c->facts[i] == NULL;
		free(data);
	}
	c->ok = !c->unreadable && check_site(c->m, c->set, c->facts, &c->jd, NULL, NULL);
	/* Freed now, not when the zips are done: their peak is the build's. */
	for (size_t i = 0; i < c->set->n; i++)
		check_facts_free(c->facts[i]);
	free(c->facts);
	c->facts = NULL;
	return NULL;
}

/* Begins the checks with the guides' facts of `js` (taken). */
static void S_checks_begin(struct S_checks *c, struct S_jobs *js, struct out *o,
			   const struct diag *d)
{
	size_t n = js->set->n;
	*c = (struct S_checks){.m = js->m, .set = js->set, .inc = js->inc, .ok = true};
	diag_init_like(&c->jd, d);
	c->jd.quiet = 0; /* all kept for the manifest; `d` filters */
	out_child(o, &c->child, &c->jd);
	c->kept = !js->need_facts && incr_keep(js->inc, n + 3, &c->child, &c->jd);
	c->facts = xcalloc(n + 1, sizeof *c->facts);
	for (size_t i = 0; i < n; i++) {
		c->facts[i] = js->job[i + 1].facts;
		js->job[i + 1].facts = NULL;
	}
	if (c->kept)
		return;
	assert(js->need_facts);
	c->started = pthread_create(&c->thread, NULL, S_checks_run, c) == 0;
	if (!c->started)
		S_checks_run(c); /* no thread to be had: checked now */
}

/* Waits for the checks and merges their messages into `d`; false when they
 * found errors or, with *unreadable, when a kept guide's facts could not be
 * read back (a damaged manifest). */
static bool S_checks_end(struct S_checks *c, struct out *o, struct diag *d, bool *unreadable)
{
	*unreadable = false;
	if (c->set == NULL)
		return true; /* not begun */
	if (c->started)
		pthread_join(c->thread, NULL);
	for (size_t i = 0; c->facts && i < c->set->n; i++) /* kept: never checked */
		check_facts_free(c->facts[i]);
	free(c->facts);
	*unreadable = c->unreadable;
	incr_record(c->inc, c->set->n + 3, &c->child, &c->jd, NULL);
	c->set = NULL;
	bool ok = c->ok && c->jd.errors == 0;
	S_move(d, &c->jd);
	out_adopt(o, &c->child);
	return ok;
}

/* Renders the site's pages: site-begin, every guide on all workers (which
 * reads and checks it), the checks that need every guide, then site-end;
 * keeping what incr says is unchanged. */
static bool S_site(const struct model *m, const struct guide_set *set, struct incr *inc,
		   struct incr_keep *keep, struct out *o, struct diag *d, tpl_engine **tpl,
		   unsigned workers, struct S_checks *checks)
{
	FILE *null = fopen("/dev/null", "w");
	struct diag *quiet = xcalloc(workers, sizeof *quiet);
	struct render_memo **memo = xcalloc(workers, sizeof *memo);
	for (unsigned w = 0; w < workers; w++) {
		diag_init(&quiet[w], null);
		memo[w] = render_memo_new();
	}
	struct S_jobs js = {.m = m,
			    .set = set,
			    .inc = inc,
			    .tpl = tpl,
			    .quiet = quiet,
			    .memo = memo,
			    .job = xcalloc(set->n + 2, sizeof *js.job)};
	/* Unchanged guides make the same facts: their checks' messages are
	 * kept, and no guide's facts are read back. */
	js.need_facts = incr_data(inc, set->n + 3) == NULL;
	bool ok = S_run_jobs(&js, 0, 0, 1, o, d);
	ok = S_run_jobs(&js, 1, set->n, workers, o, d) && ok;
	/* A guide was written: staging will be swapped in, so the kept files
	 * so far are linked into it from now on (without a spare), while the
	 * rest is rendered and zipped. */
	if (ok && incr_keep_count(keep) && o->files.fresh)
		incr_keep_link_begin(keep, o);
	S_checks_begin(checks, &js, o, d);
	size_t kept = 0;
	for (size_t i = 0; i < set->n; i++)
		kept += js.job[i + 1].kept;
	if (o->verbose)
		fprintf(stderr, "mailguide: %zu of %zu guides read and rendered, %zu kept\n",
			set->n - kept, set->n, kept);
	ok = ok && S_run_jobs(&js, set->n + 1, set->n + 1, 1, o, d);
	for (size_t i = 0; i < set->n; i++)
		check_facts_free(js.job[i + 1].facts);
	for (unsigned w = 0; w < workers; w++) {
		diag_free(&quiet[w]);
		render_memo_free(memo[w]);
	}
	free(quiet);
	free(memo);
	free(js.job);
	if (null)
		fclose(null);
	return ok && d->errors == 0;
}

/* The files that read no guide (profiles, the pages' scripts of stencils,
 * kit pages, assets, the web root): one job of incr.h's, kept whole when
 * its key is unchanged, but for signed profiles (a signature is not to be
 * reused blindly). */
static bool S_site_files(const struct build_opts *opts, const struct model *m, struct incr *inc,
			 size_t job, struct signer *signer, tpl_engine *tpl, struct out *o,
			 struct diag *d)
{
	struct out child;
	struct diag jd;
	diag_init_like(&jd, d);
	jd.quiet = 0; /* all kept for the manifest; `d` filters */
	out_child(o, &child, &jd);
	bool ok = signer == NULL && incr_keep(inc, job, &child, &jd);
	if (o->verbose)
		fprintf(stderr, "mailguide: profiles, kits and assets %s\n",
			ok ? "kept" : "rendered");
	if (!ok) {
		struct render r = {.m = m, .tpl = tpl, .out = &child, .diag = &jd};
		char *assets = path_join(opts->templates, "assets");
		char *webroot = path_join(opts->templates, "webroot");
		ok = profiles_write_all(&r, signer) && site_render_personal(&r) && kit_render(&r) &&
		     illust_render_all(&r) && S_copy_tree(assets, "assets", &child) &&
		     S_copy_tree(webroot, "", &child) && jd.errors == 0;
		free(webroot);
		free(assets);
	}
	incr_record(inc, job, &child, &jd, NULL);
	S_move(d, &jd); /* leaves jd empty, as the site's jobs' */
	out_adopt(o, &child);
	return ok;
}

/* One build; sets *again when it stopped to be made again from scratch. */
static int S_build(const struct build_opts *opts, struct diag *d, bool *again)
{
	S_lap(NULL);
	struct model *m = load_content(opts->content, d);
	if (m == NULL)
		return 1;
	unsigned workers = opts->jobs > 0 ? (unsigned)opts->jobs : pool_cpus();
	char *cache_path = out_beside(opts->output, ".docs");
	struct incr_cache *cache = incr_cache_open(opts->full ? NULL : cache_path);
	struct guide_set *guides = guide_set_load(opts->content, m, d, workers, cache);
	if (guides == NULL) {
		diag_flush(d);
		incr_cache_free(cache);
		free(cache_path);
		model_free(m);
		return 1;
	}
	if (opts->verbose) {
		size_t docs, cached;
		guide_set_counts(guides, &docs, &cached);
		fprintf(stderr, "mailguide: %zu of %zu guide documents read, %zu from the cache\n",
			docs - cached, docs, cached);
	}
	S_lap("load");
	/* cmark-gfm's extension registry is process-wide: filled here, once,
	 * before any thread parses. */
	cmark_gfm_core_extensions_ensure_registered();

	struct out o = {.lockfd = -1};
	struct incr_keep *keep = NULL;
	tpl_engine **tpl = xcalloc(workers, sizeof *tpl);
	struct signer *signer = NULL;
	struct incr *inc = NULL;
	bool unchanged = false, unreadable = false;
	struct S_checks checks = {0};
	bool ok = sign_choose(&opts->sign, &m->site.signing, &signer, d) &&
		  out_begin(&o, opts->output, workers, d);
	if (ok) {
		o.verbose = opts->verbose;
		/* The spare (out.h) of an incremental build; a full build's
		 * files are all new, so the output it replaces is no spare, and
		 * an older one is removed. */
		o.spare = out_beside(opts->output, ".spare");
		if (opts->full) {
			out_rmtree(o.spare, workers);
			free(o.spare);
			o.spare = NULL;
		}
		for (unsigned w = 0; w < workers; w++)
			tpl[w] = tpl_engine_new(opts->templates);
		keep = incr_keep_new(opts->output, workers);
		char *facts = check_facts_format();
		inc = incr_open(opts->content, opts->templates, m, guides, d, opts->output, facts,
				keep, opts->full, workers);
		free(facts);
		o.reuse = incr_keep_reuse(keep);
		S_lap("keys");
		time_t epoch = 0;
		/* The checks of `mailguide check`, all of them, run as the
		 * pages are read: errors stop the build before the swap,
		 * warnings are printed. */
		ok = S_epoch(opts, d, &epoch) &&
		     S_site(m, guides, inc, keep, &o, d, tpl, workers, &checks);
		S_lap("pages");
		ok = ok && S_site_files(opts, m, inc, guides->n + 2, signer, tpl[0], &o, d) &&
		     d->errors == 0;
		S_lap("profiles");
		/* Kept files are linked into staging while the zips are made
		 * (they read them; the linking only adds names) once anything
		 * was written, so staging will be swapped in. */
		if (ok && incr_keep_count(keep) && o.files.fresh)
			incr_keep_link_begin(keep, &o);
		/* Every job is recorded: the manifest is begun meanwhile too,
		 * unless every key is as recorded (it is then not written). */
		if (ok && !incr_current(inc))
			incr_save_begin(inc, guides->n + 3); /* all but the checks' */
		ok = ok &&
		     bundle_all(&o, keep, m, epoch, incr_zips_reusable(inc, epoch), workers) &&
		     d->errors == 0;
		ok = S_checks_end(&checks, &o, d, &unreadable) && ok && d->errors == 0;
		S_lap("zips");
		/* Nothing to write: the output folder is left as it is, not even
		 * swapped (incr.h); only a manifest with other keys is renewed. */
		unchanged = ok && incr_keep_unchanged(keep, &o);
		if (ok && unchanged)
			ok = incr_current(inc) || incr_save(inc, &o, epoch, true, d);
		else if (ok)
			ok = incr_keep_stage(keep, &o) && incr_save(inc, &o, epoch, false, d) &&
			     out_commit(&o);
		S_lap("commit");
	}
	/* The cache is written whatever became of the build (it only says
	 * what the loader made of each file), by the build holding the lock. */
	if (o.lockfd >= 0)
		incr_cache_save(cache, cache_path, guides, d);
	incr_cache_free(cache);
	free(cache_path);
	/* A kept guide's check facts could not be read back from the manifest
	 * (a damaged one): this build stopped before its swap, and is made
	 * again without the manifest, its messages with it. */
	*again = unreadable;
	if (*again) {
		diag_discard(d);
		d->errors = d->warnings = d->notes = 0;
	}
	diag_flush(d);
	if (ok && !d->quiet && unchanged)
		fprintf(stderr, "mailguide: %s is up to date (%zu files)\n", opts->output,
			o.files.n);
	else if (ok && !d->quiet && o.files.fresh == o.files.n)
		fprintf(stderr, "mailguide: wrote %zu files to %s\n", o.files.n, opts->output);
	else if (ok && !d->quiet)
		fprintf(stderr, "mailguide: wrote %zu files to %s, kept %zu unchanged\n",
			o.files.fresh, opts->output, o.files.n - o.files.fresh);
	/* The swapped-out output is being removed (out_commit started it):
	 * the rest is freed meanwhile, and out_end waits for it last. */
	incr_free(inc);
	incr_keep_free(keep);
	for (unsigned w = 0; w < workers; w++)
		tpl_engine_free(tpl[w]);
	free(tpl);
	sign_free(signer);
	guide_set_free(guides);
	model_free(m);
	out_end(&o);
	S_lap("cleanup");
	return ok ? 0 : 1;
}

int build_run(const struct build_opts *opts, struct diag *d)
{
	bool again = false;
	int rc = S_build(opts, d, &again);
	if (again) {
		if (opts->verbose)
			fprintf(stderr, "mailguide: a kept guide's check facts in the manifest "
					"cannot be read back: building again in full\n");
		struct build_opts full = *opts;
		full.full = true;
		rc = S_build(&full, d, &again);
	}
	return rc;
}
