/* incr.c: job keys, the manifest, and keeping jobs (see incr.h). */
#define _GNU_SOURCE
#include "incr.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strmap.h"
#include "util.h"

#define S_MAGIC "mailguide-manifest 1"

/* ---- a fast 128-bit hash --------------------------------------------------------------
 * Keys only detect changes between two builds on one machine, so they need
 * speed (all guides are hashed on every build) and no adversary resistance:
 * two 64-bit multiply-rotate lanes over 8-byte words. Every item is
 * length-prefixed, so ("ab","c") and ("a","bc") differ. */
struct S_hash {
	uint64_t a, b;
};

static inline uint64_t S_rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static inline void S_word(struct S_hash *h, uint64_t w)
{
	h->a = S_rotl(h->a ^ w, 29) * 0x9E3779B97F4A7C15ull;
	h->b = (S_rotl(h->b + w, 31) * 0xC2B2AE3D27D4EB4Full) ^ (h->a >> 17);
}

static void S_bytes(struct S_hash *h, const void *data, size_t n)
{
	const unsigned char *p = data;
	S_word(h, (uint64_t)n ^ 0xA5A5A5A5A5A5A5A5ull);
	for (; n >= 8; p += 8, n -= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		S_word(h, w);
	}
	uint64_t w = 0;
	memcpy(&w, p, n);
	S_word(h, w);
}

static void S_str(struct S_hash *h, const char *s) { S_bytes(h, s ? s : "\xff", s ? strlen(s) : 1); }

static void S_num(struct S_hash *h, uint64_t v) { S_word(h, v ^ 0x5bd1e9955bd1e995ull); }

static void S_hex(const struct S_hash *h, char out[33])
{
	uint64_t a = h->a ^ S_rotl(h->b, 23), b = h->b ^ S_rotl(h->a * 0xFF51AFD7ED558CCDull, 41);
	snprintf(out, 33, "%016" PRIx64 "%016" PRIx64, a, b);
}

/* Hashes a file's bytes (its absence too). */
static void S_file(struct S_hash *h, const char *path)
{
	struct buf b = {0};
	if (file_read(path, &b) == 0)
		S_bytes(h, b.data, b.len);
	else
		S_num(h, (uint64_t)errno);
	buf_free(&b);
}

static int S_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Hashes every entry below `dir` in name order: its name, and a regular
 * file's content (`by_content`) or size, modification time and inode
 * (with `md_only_size`, Markdown files by size only). `skip` is a name
 * left out at the top level (NULL: none). */
static void S_tree(struct S_hash *h, const char *dir, const char *skip, bool by_content,
		   bool md_only_size, int depth)
{
	DIR *dp = depth < 32 ? opendir(dir) : NULL;
	if (dp == NULL) {
		S_num(h, 0xD1);
		return;
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(dp)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    (skip && strcmp(e->d_name, skip) == 0))
			continue;
		names = xrealloc(names, (n + 1) * sizeof *names);
		names[n++] = xstrdup(e->d_name);
	}
	closedir(dp);
	if (n)
		qsort(names, n, sizeof *names, S_name_cmp);
	for (size_t i = 0; i < n; i++) {
		char *p = path_join(dir, names[i]);
		struct stat st;
		S_str(h, names[i]);
		if (lstat(p, &st) != 0) {
			S_num(h, 0xE0);
		} else if (S_ISDIR(st.st_mode)) {
			S_num(h, 0xD0);
			S_tree(h, p, NULL, by_content, md_only_size, depth + 1);
		} else {
			size_t len = strlen(names[i]);
			bool md = len > 3 && strcmp(names[i] + len - 3, ".md") == 0;
			S_num(h, (uint64_t)st.st_mode);
			if (by_content) {
				S_file(h, p);
			} else if (md_only_size && md) {
				/* A guide's Markdown: its content is hashed from the
				 * guide set (doc->text), read once already. */
				S_num(h, (uint64_t)st.st_size);
			} else {
				S_num(h, (uint64_t)st.st_size);
				S_num(h, (uint64_t)st.st_mtim.tv_sec * 1000000000ull +
						 (uint64_t)st.st_mtim.tv_nsec);
				S_num(h, (uint64_t)st.st_ino);
			}
		}
		free(p);
		free(names[i]);
	}
	free(names);
}

/* ---- the manifest ------------------------------------------------------------------- */

struct S_diag {
	enum diag_level level;
	unsigned line, col;
	char *file; /* NULL: no file */
	char *text;
};

/* What one job read and produced, in the previous build or this one. */
struct S_job {
	char *name;
	char key[33];
	char **outs;
	size_t n_outs;
	struct S_diag *diags;
	size_t n_diags;
};

struct incr {
	const struct guide_set *set;
	char *manifest;
	bool have_prev;
	long long prev_epoch;
	struct S_job *prev;
	size_t n_prev;
	struct strmap prev_index; /* job name -> index + 1 */
	struct S_job *jobs;       /* this build's, incr_n_jobs of them */
	size_t n_jobs;
};

static void S_job_clear(struct S_job *j)
{
	free(j->name);
	for (size_t i = 0; i < j->n_outs; i++)
		free(j->outs[i]);
	free(j->outs);
	for (size_t i = 0; i < j->n_diags; i++) {
		free(j->diags[i].file);
		free(j->diags[i].text);
	}
	free(j->diags);
	*j = (struct S_job){0};
}

/* Fields are separated by tabs; \ t n escape in free text. */
static void S_esc(struct buf *b, const char *s)
{
	if (s == NULL) {
		buf_putc(b, '-');
		return;
	}
	if (*s == '-' || *s == '\0')
		buf_putc(b, '\\');
	for (; *s; s++) {
		if (*s == '\\')
			buf_puts(b, "\\\\");
		else if (*s == '\t')
			buf_puts(b, "\\t");
		else if (*s == '\n')
			buf_puts(b, "\\n");
		else
			buf_putc(b, *s);
	}
}

/* Undoes S_esc in place; NULL for "-". */
static char *S_unesc(char *s)
{
	if (strcmp(s, "-") == 0)
		return NULL;
	char *o = s, *r = s;
	if (*r == '\\' && (r[1] == '-' || r[1] == '\0'))
		r++;
	for (; *r; r++) {
		if (*r == '\\' && r[1]) {
			r++;
			*o++ = *r == 't' ? '\t' : *r == 'n' ? '\n' : *r;
		} else {
			*o++ = *r;
		}
	}
	*o = '\0';
	return s;
}

/* Splits `line` at tabs into at most `max` fields; returns their number. */
static size_t S_fields(char *line, char **f, size_t max)
{
	size_t n = 0;
	while (n < max) {
		f[n++] = line;
		char *tab = strchr(line, '\t');
		if (tab == NULL)
			break;
		*tab = '\0';
		line = tab + 1;
	}
	return n;
}

/* Reads the manifest; on anything unexpected forgets all of it (a full
 * build follows). */
static void S_read(struct incr *inc, struct out *o)
{
	struct buf b = {0};
	struct stat st;
	if (file_read(inc->manifest, &b) != 0 || lstat(o->final, &st) != 0) {
		buf_free(&b);
		return;
	}
	bool ok = true, dir_ok = false;
	struct S_job *job = NULL;
	char *line = b.data, *f[6];
	size_t lineno = 0;
	while (ok && line && *line) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		size_t n = S_fields(line, f, 6);
		if (lineno++ == 0) {
			ok = strcmp(line, S_MAGIC) == 0;
		} else if (strcmp(f[0], "dir") == 0 && n == 3) {
			dir_ok = strtoull(f[1], NULL, 10) == (unsigned long long)st.st_dev &&
				 strtoull(f[2], NULL, 10) == (unsigned long long)st.st_ino;
			ok = dir_ok;
		} else if (strcmp(f[0], "epoch") == 0 && n == 2) {
			inc->prev_epoch = strtoll(f[1], NULL, 10);
		} else if (strcmp(f[0], "file") == 0 && n == 5) {
			out_prev_add(o, S_unesc(f[4]), strtoll(f[1], NULL, 10), strtoll(f[2], NULL, 10),
				     strtoull(f[3], NULL, 10));
		} else if (strcmp(f[0], "job") == 0 && n == 3 && strlen(f[2]) == 32) {
			inc->prev = xrealloc(inc->prev, (inc->n_prev + 1) * sizeof *inc->prev);
			job = &inc->prev[inc->n_prev++];
			*job = (struct S_job){.name = xstrdup(S_unesc(f[1]))};
			memcpy(job->key, f[2], 33);
		} else if (strcmp(f[0], "out") == 0 && n == 2 && job) {
			job->outs = xrealloc(job->outs, (job->n_outs + 1) * sizeof *job->outs);
			job->outs[job->n_outs++] = xstrdup(S_unesc(f[1]));
		} else if (strcmp(f[0], "diag") == 0 && n == 6 && job) {
			job->diags = xrealloc(job->diags, (job->n_diags + 1) * sizeof *job->diags);
			char *file = S_unesc(f[4]);
			job->diags[job->n_diags++] = (struct S_diag){
				.level = (enum diag_level)atoi(f[1]), .line = (unsigned)strtoul(f[2], NULL, 10),
				.col = (unsigned)strtoul(f[3], NULL, 10), .file = file ? xstrdup(file) : NULL,
				.text = xstrdup(S_unesc(f[5]) ? f[5] : "")};
		} else {
			ok = false;
		}
		line = nl ? nl + 1 : NULL;
	}
	buf_free(&b);
	if (ok && dir_ok) {
		inc->have_prev = true;
		for (size_t i = 0; i < inc->n_prev; i++)
			strmap_put(&inc->prev_index, inc->prev[i].name, (void *)(uintptr_t)(i + 1));
		return;
	}
	for (size_t i = 0; i < inc->n_prev; i++)
		S_job_clear(&inc->prev[i]);
	inc->n_prev = 0;
	/* The file table fed to `o` is forgotten with the rest. */
	strmap_free(&o->prev_index);
	free(o->prev);
	o->prev = NULL;
	o->n_prev = 0;
}

/* ---- keys ----------------------------------------------------------------------------- */

/* What a guide's pages show of every guide (legacy links: the target's
 * path and title in the page's locale). */
static void S_page_index(struct S_hash *h, const struct guide_set *set)
{
	size_t nl = set->m->site.n_locales;
	for (size_t i = 0; i < set->n; i++) {
		const struct guide *g = &set->guides[i];
		S_str(h, g->id);
		S_num(h, g->source->legacy);
		S_num(h, guide_locale_index(set->m, g->source->locale));
		for (size_t k = 0; k < nl; k++) {
			const struct guide_doc *d = g->docs[k];
			S_num(h, d != NULL);
			if (d) {
				S_str(h, d->slug);
				S_str(h, d->title);
			}
		}
	}
}

/* What the homes and the sitemap show of every guide. */
static void S_site_index(struct S_hash *h, const struct guide_set *set)
{
	size_t nl = set->m->site.n_locales;
	for (size_t i = 0; i < set->n; i++) {
		const struct guide *g = &set->guides[i];
		S_str(h, g->id);
		S_num(h, guide_locale_index(set->m, g->source->locale));
		for (size_t k = 0; k < nl; k++) {
			const struct guide_doc *d = g->docs[k];
			S_num(h, d != NULL);
			if (d) {
				S_str(h, d->slug);
				S_str(h, d->title);
				S_str(h, d->excerpt);
				S_str(h, d->section);
				S_str(h, d->order);
				S_num(h, d->hidden);
			}
		}
	}
}

/* The job's output of the previous build, or NULL. */
static const struct S_job *S_prev_job(const struct incr *inc, const char *name)
{
	size_t i = (size_t)(uintptr_t)strmap_get(&inc->prev_index, name);
	return i ? &inc->prev[i - 1] : NULL;
}

struct incr *incr_open(const char *content, const char *templates, const struct model *m,
		       const struct guide_set *set, struct out *o, bool full)
{
	struct incr *inc = xcalloc(1, sizeof *inc);
	inc->set = set;
	inc->manifest = out_beside(o, ".manifest");
	if (!full)
		S_read(inc, o);

	struct S_hash global = {0x6d61696c67756964ull, 0x6275696c64206b65ull};
#ifdef MG_VERSION
	S_str(&global, MG_VERSION);
#endif
	S_file(&global, "/proc/self/exe");
	S_str(&global, content);
	S_str(&global, templates);
	S_tree(&global, content, "guides", true, false, 0);
	S_tree(&global, templates, NULL, true, false, 0);

	struct S_hash pages = global, site = global;
	S_page_index(&pages, set);
	S_site_index(&site, set);

	inc->n_jobs = set->n + 2;
	inc->jobs = xcalloc(inc->n_jobs, sizeof *inc->jobs);
	struct S_hash h = site;
	S_str(&h, "site-begin");
	inc->jobs[0].name = xstrdup("site-begin");
	S_hex(&h, inc->jobs[0].key);
	h = site;
	S_str(&h, "site-end");
	inc->jobs[set->n + 1].name = xstrdup("site-end");
	S_hex(&h, inc->jobs[set->n + 1].key);
	char *guides = path_join(content, "guides");
	for (size_t i = 0; i < set->n; i++) {
		struct S_job *j = &inc->jobs[i + 1];
		struct buf name = {0};
		buf_printf(&name, "guide %s", set->guides[i].id);
		j->name = buf_detach(&name);
		h = pages;
		for (size_t k = 0; k < set->m->site.n_locales; k++) {
			const struct guide_doc *d = set->guides[i].docs[k];
			S_num(&h, d != NULL);
			if (d)
				S_bytes(&h, d->text, d->text_len);
		}
		char *dir = path_join(guides, set->guides[i].id);
		S_tree(&h, dir, NULL, false, true, 0);
		free(dir);
		S_hex(&h, j->key);
	}
	free(guides);
	(void)m;
	return inc;
}

size_t incr_n_jobs(const struct incr *inc) { return inc->n_jobs; }

bool incr_keep(struct incr *inc, size_t job, struct out *child, struct diag *jd)
{
	const struct S_job *p = S_prev_job(inc, inc->jobs[job].name);
	if (p == NULL || strcmp(p->key, inc->jobs[job].key) != 0)
		return false;
	size_t mark = child->files;
	for (size_t i = 0; i < p->n_outs; i++)
		if (!out_keep(child, p->outs[i])) {
			out_rewind(child, mark);
			return false;
		}
	for (size_t i = 0; i < p->n_diags; i++) {
		const struct S_diag *e = &p->diags[i];
		diag_report(jd, e->level, e->file, e->line, e->col, "%s", e->text);
	}
	return true;
}

static void S_save_diag(void *arg, enum diag_level level, const char *file, unsigned line,
			unsigned col, const char *text)
{
	struct S_job *j = arg;
	j->diags = xrealloc(j->diags, (j->n_diags + 1) * sizeof *j->diags);
	j->diags[j->n_diags++] = (struct S_diag){level, line, col, file ? xstrdup(file) : NULL,
						 xstrdup(text)};
}

void incr_record(struct incr *inc, size_t job, const struct out *child, const struct diag *jd)
{
	struct S_job *j = &inc->jobs[job];
	j->outs = xcalloc(child->files + 1, sizeof *j->outs);
	for (size_t i = 0; i < child->files; i++)
		j->outs[j->n_outs++] = xstrdup(child->written[i]);
	diag_each(jd, S_save_diag, j);
}

bool incr_zips_reusable(const struct incr *inc, time_t epoch)
{
	return inc->have_prev && inc->prev_epoch == (long long)epoch;
}

bool incr_save(struct incr *inc, const struct out *o, time_t epoch, struct diag *d)
{
	struct buf b = {0};
	struct stat st;
	buf_puts(&b, S_MAGIC "\n");
	if (lstat(o->staging, &st) != 0) {
		diag_error(d, o->staging, 0, 0, "cannot read the staging directory: %s",
			   strerror(errno));
		return false;
	}
	buf_printf(&b, "dir\t%llu\t%llu\n", (unsigned long long)st.st_dev,
		   (unsigned long long)st.st_ino);
	buf_printf(&b, "epoch\t%lld\n", (long long)epoch);
	const char **files = out_sorted(o);
	bool ok = true;
	for (size_t i = 0; ok && files[i]; i++) {
		/* A kept file is a hard link to the previous one: same record
		 * (were it a copy, its inode differs and the next build renders
		 * it again). */
		const struct out_prev_file *pf =
			out_is_kept(o, files[i]) ? out_prev_record(o, files[i]) : NULL;
		struct out_prev_file f;
		if (pf) {
			f = *pf;
		} else {
			char *p = out_staged_path(o, files[i]);
			ok = lstat(p, &st) == 0;
			free(p);
			if (!ok)
				break;
			f = (struct out_prev_file){(long long)st.st_size,
						   (long long)st.st_mtim.tv_sec * 1000000000LL +
							   st.st_mtim.tv_nsec,
						   (unsigned long long)st.st_ino};
		}
		buf_printf(&b, "file\t%lld\t%lld\t%llu\t", f.size, f.mtime_ns, f.ino);
		S_esc(&b, files[i]);
		buf_putc(&b, '\n');
	}
	free(files);
	for (size_t i = 0; ok && i < inc->n_jobs; i++) {
		const struct S_job *j = &inc->jobs[i];
		buf_puts(&b, "job\t");
		S_esc(&b, j->name);
		buf_printf(&b, "\t%s\n", j->key);
		for (size_t k = 0; k < j->n_outs; k++) {
			buf_puts(&b, "out\t");
			S_esc(&b, j->outs[k]);
			buf_putc(&b, '\n');
		}
		for (size_t k = 0; k < j->n_diags; k++) {
			const struct S_diag *e = &j->diags[k];
			buf_printf(&b, "diag\t%d\t%u\t%u\t", (int)e->level, e->line, e->col);
			S_esc(&b, e->file);
			buf_putc(&b, '\t');
			S_esc(&b, e->text);
			buf_putc(&b, '\n');
		}
	}
	struct buf tmp = {0};
	buf_printf(&tmp, "%s.tmp", inc->manifest);
	FILE *f = ok ? fopen(tmp.data, "w") : NULL;
	ok = f && fwrite(b.data, 1, b.len, f) == b.len;
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
	for (size_t i = 0; i < inc->n_prev; i++)
		S_job_clear(&inc->prev[i]);
	free(inc->prev);
	for (size_t i = 0; i < inc->n_jobs; i++)
		S_job_clear(&inc->jobs[i]);
	free(inc->jobs);
	strmap_free(&inc->prev_index);
	free(inc->manifest);
	free(inc);
}
