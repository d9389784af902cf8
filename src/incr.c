/* incr.c: job keys, the manifest, and keeping jobs (see incr.h). */
#define _GNU_SOURCE
#include "incr.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hash.h"
#include "pool.h"
#include "rec.h"
#include "strmap.h"
#include "util.h"

/* 5: zips store images and deflate at another level, so that a previous
 * output's zip entries, made otherwise, are not reused. */
#define S_MAGIC "mailguide-manifest 5"

/* A "diag" line's fields after its name: a kept job's messages. */
static const struct rec_field S_diag_fields[] = {
	REC_FIELD(struct diag_record, level),    REC_FIELD(struct diag_record, file),
	REC_FIELD(struct diag_record, line),     REC_FIELD(struct diag_record, col),
	REC_FIELD(struct diag_record, text),     REC_FIELD(struct diag_record, cls),
	REC_FIELD(struct diag_record, promoted), REC_FIELD(struct diag_record, caret),
	REC_FIELD(struct diag_record, len),      REC_FIELD(struct diag_record, fixit),
};
static const struct rec_format S_diag_format = REC_FORMAT("diag", 1, S_diag_fields);
#define S_N_DIAG (sizeof S_diag_fields / sizeof *S_diag_fields)

/* A "file" line's fields after its name, before the file's path: the
 * output file as written. */
static const struct rec_field S_file_fields[] = {
	REC_FIELD(struct incr_keep_file, size),
	REC_FIELD(struct incr_keep_file, mtime_ns),
	REC_FIELD(struct incr_keep_file, ino),
};
static const struct rec_format S_file_format = REC_FORMAT("file", 1, S_file_fields);
#define S_N_FILE (sizeof S_file_fields / sizeof *S_file_fields)

/* Hashes a file's bytes (its absence too). */
static void S_file(struct hash128 *h, const char *path)
{
	struct buf b = {0};
	if (file_read(path, &b) == 0)
		hash128_bytes(h, b.data, b.len);
	else
		hash128_num(h, (uint64_t)errno);
	buf_free(&b);
}

/* Hashes every entry of folder `dir` (open as `dfd`) in name order: its
 * name, and a regular file's content (`by_content`) or size, modification
 * time and inode (with `md_by_name`, top-level Markdown files by name
 * only). `skip` is a name left out at the top level (NULL: none). Entries
 * are looked up relative to their folder: a guide's images are thousands
 * of files on every build. */
static void S_tree_at(struct hash128 *h, int dfd, const char *dir, const char *skip,
		      bool by_content, bool md_by_name, int depth)
{
	size_t n = 0;
	char **names = depth < 32 ? dir_names_at(dfd, true, &n) : NULL;
	if (names == NULL) {
		hash128_num(h, 0xD1);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (skip && strcmp(names[i], skip) == 0)
			continue;
		hash128_str(h, names[i]);
		size_t len = strlen(names[i]);
		if (md_by_name && depth == 0 && len > 3 && strcmp(names[i] + len - 3, ".md") == 0) {
			/* A guide's Markdown: its content is hashed from the guide
			 * set (doc->digest); one that is not a guide's document
			 * is not read at all. */
			continue;
		}
		struct stat st;
		if (fstatat(dfd, names[i], &st, AT_SYMLINK_NOFOLLOW) != 0) {
			hash128_num(h, 0xE0);
		} else if (S_ISDIR(st.st_mode)) {
			hash128_num(h, 0xD0);
			char *p = path_join(dir, names[i]);
			int sub = openat(dfd, names[i],
					 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			S_tree_at(h, sub, p, NULL, by_content, false, depth + 1);
			if (sub >= 0)
				close(sub);
			free(p);
		} else if (by_content) {
			hash128_num(h, (uint64_t)st.st_mode);
			char *p = path_join(dir, names[i]);
			S_file(h, p);
			free(p);
		} else {
			hash128_num(h, (uint64_t)st.st_mode);
			hash128_num(h, (uint64_t)st.st_size);
			hash128_num(h, (uint64_t)st.st_mtim.tv_sec * 1000000000ull +
					       (uint64_t)st.st_mtim.tv_nsec);
			hash128_num(h, (uint64_t)st.st_ino);
		}
	}
	dir_names_free(names, n);
}

/* The same for the folder at path `dir`. */
static void S_tree(struct hash128 *h, const char *dir, const char *skip, bool by_content,
		   bool md_by_name)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	S_tree_at(h, fd, dir, skip, by_content, md_by_name, 0);
	if (fd >= 0)
		close(fd);
}

/* ---- the manifest ------------------------------------------------------------------- */

/* A diagnostic as diag_record has it, owning its strings. */
struct S_diag {
	struct diag_record r;
	char *file, *text, *fixit;
};

/* What one job read and produced, in the previous build or this one. */
struct S_job {
	char *name;
	char key[33];
	char **outs;
	size_t n_outs;
	struct S_diag *diags;
	size_t n_diags;
	char *data;         /* the job's own record (check.h's facts), or NULL */
	bool data_escaped;  /* still as in the manifest (unescaped when asked for) */
	bool data_owned;    /* else in the manifest's text (incr.text) */
	bool borrowed;      /* name and outs are in the manifest's text ... */
	bool outs_borrowed; /* ... outs only (a kept job's, as the previous) */
	struct S_job *kept; /* this build's: the previous job it keeps, or NULL */
};

struct incr {
	const struct guide_set *set;
	char *head;           /* the manifest's first line: its formats */
	struct buf jobs_text; /* the jobs' part of the manifest to write */
	pthread_t saver;      /* ... being made (incr_save_begin) */
	bool saving;
	size_t save_upto;       /* ... of jobs [0, save_upto) */
	char *output;           /* the output folder as given */
	struct incr_keep *keep; /* its files as the previous build left them */
	char *manifest;
	bool have_prev;
	long long prev_epoch;
	struct buf text; /* the manifest read, which prev's strings point into */
	struct S_job *prev;
	size_t n_prev;
	struct strmap prev_index; /* job name -> index + 1 */
	struct S_job *jobs;       /* this build's, incr_n_jobs of them */
	size_t n_jobs;
};

static void S_job_clear(struct S_job *j)
{
	if (!j->borrowed)
		free(j->name);
	for (size_t i = 0; !j->borrowed && !j->outs_borrowed && i < j->n_outs; i++)
		free(j->outs[i]);
	free(j->outs);
	for (size_t i = 0; i < j->n_diags; i++) {
		free(j->diags[i].file);
		free(j->diags[i].text);
		free(j->diags[i].fixit);
	}
	free(j->diags);
	if (j->data_owned)
		free(j->data);
	*j = (struct S_job){0};
}

/* A "diag" line's fields (S_diag_fields) into a message of `job`. */
static bool S_read_diag(struct S_job *job, char **f)
{
	struct diag_record r;
	if (!rec_get(f, &S_diag_format, &r, NULL) || r.level > DIAG_ERROR ||
	    r.cls >= DIAG_CLASS_COUNT)
		return false;
	job->diags = xgrow(job->diags, job->n_diags, sizeof *job->diags);
	struct S_diag *e = &job->diags[job->n_diags++];
	e->file = r.file ? xstrdup(r.file) : NULL;
	e->fixit = r.fixit ? xstrdup(r.fixit) : NULL;
	e->text = xstrdup(r.text ? r.text : "");
	e->r = r;
	e->r.file = e->file, e->r.text = e->text, e->r.fixit = e->fixit;
	return true;
}

/* Reads the manifest; on anything unexpected forgets all of it (a full
 * build follows). */
static void S_read(struct incr *inc, struct incr_keep *k)
{
	struct buf b = {0};
	struct stat st;
	if (file_read(inc->manifest, &b) != 0 || lstat(inc->output, &st) != 0) {
		buf_free(&b);
		return;
	}
	/* The first line names the formats: another one's is dropped. */
	size_t head = strlen(inc->head);
	bool ok = b.len > head && memcmp(b.data, inc->head, head) == 0 && b.data[head] == '\n';
	bool dir_ok = false;
	struct S_job *job = NULL;
	char *line = ok ? b.data + head + 1 : NULL, *f[1 + S_N_DIAG + 1];
	while (ok && line && *line) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		size_t n = field_split(line, f, 1 + S_N_DIAG);
		if (strcmp(f[0], "dir") == 0 && n == 3) {
			dir_ok = strtoull(f[1], NULL, 10) == (unsigned long long)st.st_dev &&
				 strtoull(f[2], NULL, 10) == (unsigned long long)st.st_ino;
			ok = dir_ok;
		} else if (strcmp(f[0], "epoch") == 0 && n == 2) {
			inc->prev_epoch = strtoll(f[1], NULL, 10);
		} else if (strcmp(f[0], "file") == 0 && n == 2 + S_N_FILE) {
			struct incr_keep_file kf;
			const char *rel = field_unescape(f[1 + S_N_FILE]);
			ok = rec_get(f + 1, &S_file_format, &kf, NULL) && rel;
			if (ok)
				incr_keep_add(k, rel, kf);
		} else if (strcmp(f[0], "job") == 0 && n == 3 && strlen(f[2]) == 32) {
			inc->prev = xgrow(inc->prev, inc->n_prev, sizeof *inc->prev);
			job = &inc->prev[inc->n_prev++];
			*job = (struct S_job){.name = field_unescape(f[1]), .borrowed = true};
			memcpy(job->key, f[2], 33);
			ok = job->name != NULL;
		} else if (strcmp(f[0], "out") == 0 && n == 2 && job) {
			job->outs = xgrow(job->outs, job->n_outs, sizeof *job->outs);
			ok = (job->outs[job->n_outs++] = field_unescape(f[1])) != NULL;
		} else if (strcmp(f[0], "diag") == 0 && n == 1 + S_N_DIAG && job) {
			ok = S_read_diag(job, f + 1);
		} else if (strcmp(f[0], "data") == 0 && n == 2 && job && job->data == NULL) {
			/* Escaped until asked for (incr_data): a build that
			 * keeps every guide never reads the facts. */
			job->data = f[1];
			job->data_escaped = true;
		} else {
			ok = false;
		}
		line = nl ? nl + 1 : NULL;
	}
	struct stat mst;
	if (ok && dir_ok && lstat(inc->manifest, &mst) == 0)
		incr_keep_written(k, (long long)mst.st_mtim.tv_sec * 1000000000LL +
					     mst.st_mtim.tv_nsec);
	if (ok && dir_ok) {
		inc->text = b; /* the jobs' strings are in it */
		inc->have_prev = true;
		for (size_t i = 0; i < inc->n_prev; i++)
			strmap_put(&inc->prev_index, inc->prev[i].name, (void *)(uintptr_t)(i + 1));
		return;
	}
	for (size_t i = 0; i < inc->n_prev; i++)
		S_job_clear(&inc->prev[i]);
	inc->n_prev = 0;
	buf_free(&b);
	/* The file table fed to `k` is forgotten with the rest. */
	incr_keep_forget(k);
}

/* ---- keys ----------------------------------------------------------------------------- */

/* What pages may show of other guides: every field of every view (guide.h)
 * of a guide's page, or with `lists` (the homes and the sitemap) of its
 * card. Rendering sees other guides through these views only, so nothing
 * a page shows of them can be missing here. */
static void S_views(struct hash128 *h, const struct guide_view *v, bool lists)
{
	size_t n = v->n * v->n_locales;
	hash128_num(h, n);
	for (size_t i = 0; i < n; i++)
		if (lists)
			rec_hash(h, &guide_card_format, &v->cards[i]);
		else
			rec_hash(h, &guide_link_format, &v->links[i]);
}

/* The job's output of the previous build, or NULL. */
static const struct S_job *S_prev_job(const struct incr *inc, const char *name)
{
	size_t i = (size_t)(uintptr_t)strmap_get(&inc->prev_index, name);
	return i ? &inc->prev[i - 1] : NULL;
}

struct S_reading {
	struct incr *inc;
	struct incr_keep *k;
};

static void *S_read_thread(void *arg)
{
	struct S_reading *rd = arg;
	S_read(rd->inc, rd->k);
	return NULL;
}

/* A guide's key: what every page reads, then its documents' text and its
 * folder's other files. Guides' keys are made on all workers. */
struct S_keys {
	struct incr *inc;
	struct hash128 pages;
	char *guides;
	int guides_fd; /* it, open */
};

static void S_guide_key(size_t i, unsigned worker, void *arg)
{
	struct S_keys *k = arg;
	const struct guide_set *set = k->inc->set;
	struct S_job *j = &k->inc->jobs[i + 1];
	(void)worker;
	struct buf name = {0};
	buf_printf(&name, "guide %s", set->guides[i].id);
	j->name = buf_detach(&name);
	struct hash128 h = k->pages;
	for (size_t l = 0; l < set->m->site.n_locales; l++) {
		const struct guide_doc *d = set->guides[i].docs[l];
		hash128_num(&h, d != NULL);
		if (d) {
			hash128_num(&h, d->digest.a);
			hash128_num(&h, d->digest.b);
		}
	}
	char *dir = path_join(k->guides, set->guides[i].id);
	int fd = openat(k->guides_fd, set->guides[i].id, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	S_tree_at(&h, fd, dir, NULL, false, true, 0);
	if (fd >= 0)
		close(fd);
	free(dir);
	hash128_hex(&h, j->key);
}

struct incr *incr_open(const char *content, const char *templates, const struct model *m,
		       const struct guide_set *set, const struct diag *d, const char *output,
		       const char *data_format, struct incr_keep *k, bool full, unsigned workers)
{
	struct incr *inc = xcalloc(1, sizeof *inc);
	inc->set = set;
	inc->output = xstrdup(output);
	inc->keep = k;
	inc->manifest = out_beside(output, ".manifest");
	struct buf head = {0};
	buf_puts(&head, S_MAGIC "\t");
	rec_header(&head, &S_file_format);
	buf_putc(&head, '\t');
	rec_header(&head, &S_diag_format);
	buf_printf(&head, "\t%s", data_format);
	inc->head = buf_detach(&head);
	/* The manifest (megabytes for a big site) is read on a thread of its
	 * own while the keys are made: neither needs the other. */
	struct S_reading rd = {inc, k};
	pthread_t reader;
	bool reading = !full && pthread_create(&reader, NULL, S_read_thread, &rd) == 0;
	if (!full && !reading)
		S_read(inc, k);

	struct hash128 global = hash128_init();
#ifdef MG_VERSION
	hash128_str(&global, MG_VERSION);
#endif
	/* The binary by its stamp, as the guides' cache names it (reading
	 * and hashing a megabyte on every build is a tenth of a small
	 * rebuild): installing or rebuilding it changes its inode or times. */
	struct stat exe;
	if (stat("/proc/self/exe", &exe) == 0) {
		hash128_num(&global, (uint64_t)exe.st_dev);
		hash128_num(&global, (uint64_t)exe.st_ino);
		hash128_num(&global, (uint64_t)exe.st_size);
		hash128_num(&global, (uint64_t)exe.st_mtim.tv_sec * 1000000000ull +
					     (uint64_t)exe.st_mtim.tv_nsec);
		hash128_num(&global, (uint64_t)exe.st_ctim.tv_sec * 1000000000ull +
					     (uint64_t)exe.st_ctim.tv_nsec);
	} else {
		hash128_num(&global, (uint64_t)errno);
	}
	hash128_str(&global, content);
	hash128_str(&global, templates);
	for (int c = 0; c < DIAG_CLASS_COUNT; c++)
		hash128_num(&global, (uint64_t)d->state[c] << 1 | d->promoted[c]);
	S_tree(&global, content, "guides", true, false);
	S_tree(&global, templates, NULL, true, false);

	struct hash128 pages = global, site = global;
	S_views(&pages, &set->view, false);
	S_views(&site, &set->view, true);

	inc->n_jobs = set->n + 4;
	inc->jobs = xcalloc(inc->n_jobs, sizeof *inc->jobs);
	struct hash128 h = site;
	hash128_str(&h, "site-begin");
	inc->jobs[0].name = xstrdup("site-begin");
	hash128_hex(&h, inc->jobs[0].key);
	h = site;
	hash128_str(&h, "site-end");
	inc->jobs[set->n + 1].name = xstrdup("site-end");
	hash128_hex(&h, inc->jobs[set->n + 1].key);
	h = global;
	hash128_str(&h, "site-files");
	inc->jobs[set->n + 2].name = xstrdup("site-files");
	hash128_hex(&h, inc->jobs[set->n + 2].key);
	struct S_keys gk = {.inc = inc, .pages = pages, .guides = path_join(content, "guides")};
	gk.guides_fd = open(gk.guides, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	pool_run(set->n, workers ? workers : 1, S_guide_key, &gk);
	if (gk.guides_fd >= 0)
		close(gk.guides_fd);
	free(gk.guides);
	/* The checks that need every page read the guides' check facts only,
	 * which the guides' keys determine (and the -W options, in every key). */
	h = global;
	hash128_str(&h, "site-checks");
	for (size_t i = 1; i <= set->n; i++)
		hash128_str(&h, inc->jobs[i].key);
	inc->jobs[set->n + 3].name = xstrdup("site-checks");
	hash128_hex(&h, inc->jobs[set->n + 3].key);
	if (reading)
		pthread_join(reader, NULL);
	for (size_t i = 0; i < inc->n_jobs; i++)
		assert(inc->jobs[i].name && strlen(inc->jobs[i].key) == 32);
	(void)m;
	return inc;
}

size_t incr_n_jobs(const struct incr *inc) { return inc->n_jobs; }

bool incr_keep(struct incr *inc, size_t job, struct out *child, struct diag *jd)
{
	assert(job < inc->n_jobs && inc->jobs[job].kept == NULL); /* kept once */
	const struct S_job *p = S_prev_job(inc, inc->jobs[job].name);
	if (p == NULL || strcmp(p->key, inc->jobs[job].key) != 0)
		return false;
	size_t mark = child->files.n;
	for (size_t i = 0; i < p->n_outs; i++)
		if (!incr_keep_file(inc->keep, child, p->outs[i])) {
			out_rewind(child, mark);
			return false;
		}
	for (size_t i = 0; i < p->n_diags; i++)
		diag_add(jd, &p->diags[i].r);
	inc->jobs[job].kept = (struct S_job *)p;
	return true;
}

static void S_save_diag(void *arg, const struct diag_record *r)
{
	struct S_job *j = arg;
	j->diags = xgrow(j->diags, j->n_diags, sizeof *j->diags);
	struct S_diag *e = &j->diags[j->n_diags++];
	e->file = r->file ? xstrdup(r->file) : NULL;
	e->text = xstrdup(r->text);
	e->fixit = r->fixit ? xstrdup(r->fixit) : NULL;
	e->r = *r;
	e->r.file = e->file, e->r.text = e->text, e->r.fixit = e->fixit;
}

const char *incr_data(const struct incr *inc, size_t job)
{
	assert(job < inc->n_jobs);
	struct S_job *p = (struct S_job *)S_prev_job(inc, inc->jobs[job].name);
	if (p == NULL || strcmp(p->key, inc->jobs[job].key) != 0)
		return NULL;
	/* Unescaped in place on the first call: each job's own record, asked
	 * for by the thread of that job only. */
	if (p->data && p->data_escaped && field_unescape(p->data) == NULL)
		p->data[0] = '\0';
	p->data_escaped = false;
	return p->data ? p->data : "";
}

void incr_record(struct incr *inc, size_t job, const struct out *child, const struct diag *jd,
		 const char *data)
{
	/* not a job whose part of the manifest is being made */
	assert(job < inc->n_jobs && (!inc->saving || job >= inc->save_upto));
	struct S_job *j = &inc->jobs[job];
	assert(j->outs == NULL && j->n_diags == 0); /* recorded once */
	j->outs = xcalloc(child->files.n + 1, sizeof *j->outs);
	/* A kept job's files are the previous job's, in its order (the
	 * previous job's strings live as long as this one). */
	bool same = j->kept && j->kept->borrowed && j->kept->n_outs == child->files.n;
	for (size_t i = 0; same && i < child->files.n; i++)
		same = strcmp(j->kept->outs[i], child->files.rel[i]) == 0;
	j->outs_borrowed = same;
	for (size_t i = 0; i < child->files.n; i++)
		j->outs[j->n_outs++] =
			j->outs_borrowed ? j->kept->outs[i] : xstrdup(child->files.rel[i]);
	diag_each(jd, S_save_diag, j);
	if (data == NULL && j->kept) {
		/* A kept job's record is the previous one: moved, not rebuilt. */
		j->data = j->kept->data;
		j->data_escaped = j->kept->data_escaped;
		j->data_owned = j->kept->data_owned;
		j->kept->data = NULL;
	} else {
		j->data = data ? xstrdup(data) : NULL;
		j->data_owned = true;
	}
}

bool incr_zips_reusable(const struct incr *inc, time_t epoch)
{
	return inc->have_prev && inc->prev_epoch == (long long)epoch;
}

size_t incr_changed(const struct incr *inc)
{
	size_t n = 0;
	for (size_t i = 0; i < inc->n_jobs; i++) {
		const struct S_job *p = S_prev_job(inc, inc->jobs[i].name);
		n += p == NULL || strcmp(p->key, inc->jobs[i].key) != 0;
	}
	return n;
}

bool incr_current(const struct incr *inc)
{
	if (!inc->have_prev || inc->n_prev != inc->n_jobs)
		return false;
	for (size_t i = 0; i < inc->n_jobs; i++) {
		const struct S_job *p = S_prev_job(inc, inc->jobs[i].name);
		if (p == NULL || strcmp(p->key, inc->jobs[i].key) != 0)
			return false;
	}
	return true;
}

char *incr_record_data(const struct incr *inc, size_t job)
{
	assert(job < inc->n_jobs);
	const struct S_job *j = &inc->jobs[job];
	if (j->data == NULL)
		return NULL;
	char *copy = xstrdup(j->data);
	if (j->data_escaped && field_unescape(copy) == NULL)
		copy[0] = '\0';
	return copy;
}

/* The part of the manifest of jobs [from, to), added to inc->jobs_text. */
static void S_save_jobs(struct incr *inc, size_t from, size_t to)
{
	struct buf *b = &inc->jobs_text;
	for (size_t i = from; i < to; i++) {
		const struct S_job *j = &inc->jobs[i];
		assert(j->name && strlen(j->key) == 32 && j->outs); /* keyed and recorded */
		buf_puts(b, "job\t");
		buf_put_field(b, j->name);
		buf_printf(b, "\t%s\n", j->key);
		for (size_t k = 0; k < j->n_outs; k++) {
			buf_puts(b, "out\t");
			buf_put_field(b, j->outs[k]);
			buf_putc(b, '\n');
		}
		for (size_t k = 0; k < j->n_diags; k++) {
			buf_puts(b, "diag\t");
			rec_put(b, &S_diag_format, &j->diags[k].r);
			buf_putc(b, '\n');
		}
		if (j->data) {
			buf_puts(b, "data\t");
			if (j->data_escaped)
				buf_puts(b, j->data);
			else
				buf_put_field(b, j->data);
			buf_putc(b, '\n');
		}
	}
}

static void *S_save_thread(void *arg)
{
	struct incr *inc = arg;
	S_save_jobs(inc, 0, inc->save_upto);
	return NULL;
}

void incr_save_begin(struct incr *inc, size_t upto)
{
	assert(upto <= inc->n_jobs);
	if (inc->saving)
		return;
	inc->save_upto = upto;
	inc->saving = pthread_create(&inc->saver, NULL, S_save_thread, inc) == 0;
	if (!inc->saving)
		inc->save_upto = 0;
}

/* The manifest's record of file i of the output: a kept file is a hard
 * link to the previous one, same record (were it a copy, its inode
 * differs and the next build renders it again); a written one has the
 * stat taken as it was closed. */
static bool S_file_record(const struct incr *inc, const struct out *o, size_t i,
			  struct incr_keep_file *f)
{
	const struct incr_keep_file *pf =
		o->files.kept[i] ? incr_keep_record(inc->keep, o->files.rel[i]) : NULL;
	const struct out_stat *st = &o->files.st[i];
	*f = pf ? *pf : (struct incr_keep_file){st->size, st->mtime_ns, st->ino};
	return pf || !o->files.kept[i];
}

bool incr_save(struct incr *inc, const struct out *o, time_t epoch, bool in_place, struct diag *d)
{
	struct buf b = {0};
	struct stat st;
	const char *dir = in_place ? inc->output : o->staging;
	buf_puts(&b, inc->head);
	buf_putc(&b, '\n');
	if (lstat(dir, &st) != 0) {
		diag_error(d, dir, 0, 0, "cannot read the output directory: %s", strerror(errno));
		return false;
	}
	buf_printf(&b, "dir\t%llu\t%llu\n", (unsigned long long)st.st_dev,
		   (unsigned long long)st.st_ino);
	buf_printf(&b, "epoch\t%lld\n", (long long)epoch);
	size_t *order = out_order(o);
	bool ok = true;
	for (size_t k = 0; ok && k < o->files.n; k++) {
		size_t i = order[k];
		struct incr_keep_file f;
		ok = S_file_record(inc, o, i, &f);
		buf_puts(&b, "file\t");
		rec_put(&b, &S_file_format, &f);
		buf_putc(&b, '\t');
		buf_put_field(&b, o->files.rel[i]);
		buf_putc(&b, '\n');
	}
	free(order);
	if (inc->saving)
		pthread_join(inc->saver, NULL);
	else
		buf_clear(&inc->jobs_text);
	if (ok)
		S_save_jobs(inc, inc->save_upto, inc->n_jobs); /* those recorded since */
	inc->saving = false;
	struct buf tmp = {0};
	buf_printf(&tmp, "%s.tmp", inc->manifest);
	FILE *f = ok ? fopen(tmp.data, "w") : NULL;
	ok = f && fwrite(b.data, 1, b.len, f) == b.len &&
	     fwrite(inc->jobs_text.data, 1, inc->jobs_text.len, f) == inc->jobs_text.len;
	if (f && fclose(f) != 0)
		ok = false;
	if (ok && rename(tmp.data, inc->manifest) != 0)
		ok = false;
	if (!ok) {
		diag_error(d, inc->manifest, 0, 0, "cannot write the build manifest: %s",
			   strerror(errno));
		unlink(tmp.data);
	}
	buf_free(&tmp);
	buf_free(&b);
	return ok;
}

void incr_free(struct incr *inc)
{
	if (inc == NULL)
		return;
	if (inc->saving)
		pthread_join(inc->saver, NULL);
	buf_free(&inc->jobs_text);
	for (size_t i = 0; i < inc->n_prev; i++)
		S_job_clear(&inc->prev[i]);
	free(inc->prev);
	for (size_t i = 0; i < inc->n_jobs; i++)
		S_job_clear(&inc->jobs[i]);
	free(inc->jobs);
	buf_free(&inc->text);
	strmap_free(&inc->prev_index);
	free(inc->manifest);
	free(inc->output);
	free(inc->head);
	free(inc);
}
