/* fuzz/common.h: the scratch content directory the guide, dialect and
 * data-reference harnesses share. It is tests/fixtures/dialect/base/content
 * (harnesses run from the repository root, as fuzz/run.sh does) plus the
 * guide the fuzzer drives, guides/case/guide.en-gb.md, whose front matter is
 * FUZZ_FRONT_MATTER and whose folder holds images/a.png. The regression
 * replay (tests/t_fuzz_regressions.sh) builds the same directory for the CLI. */
#ifndef MG_FUZZ_COMMON_H
#define MG_FUZZ_COMMON_H

#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guide.h"
#include "load.h"
#include "util.h"

#define FUZZ_BASE "tests/fixtures/dialect/base/content"
#define FUZZ_FRONT_MATTER "---\ntitle: Case\nlegacy_guide_number: g7\nproducts: [basic, pro]\n---\n"

static inline void fuzz_write(const char *dir, const char *name, const void *data, size_t len)
{
	char *path = path_join(dir, name);
	FILE *f = fopen(path, "wb");
	if (f == NULL) {
		fprintf(stderr, "fuzz: cannot write %s\n", path);
		abort();
	}
	fwrite(data, 1, len, f);
	fclose(f);
	free(path);
}

static inline void fuzz_copy(const char *dir, const char *name)
{
	char *from = path_join(FUZZ_BASE, name);
	struct buf b = {0};
	if (file_read(from, &b) != 0) {
		fprintf(stderr, "fuzz: cannot read %s (run from the repository root)\n", from);
		abort();
	}
	fuzz_write(dir, name, b.data, b.len);
	buf_free(&b);
	free(from);
}

/* Makes the scratch content directory (once per process) and returns it. */
static inline const char *fuzz_content(void)
{
	static char dir[] = "/tmp/mailguide-fuzz.XXXXXX";
	static int made;
	if (made)
		return dir;
	if (mkdtemp(dir) == NULL)
		abort();
	static const char *const dirs[] = {"strings", "guides", "guides/target", "guides/case",
					   "guides/case/images"};
	for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
		char *p = path_join(dir, dirs[i]);
		mkdir(p, 0700);
		free(p);
	}
	static const char *const files[] = {"site.yaml",
					    "servers.yaml",
					    "strings/en-gb.yaml",
					    "strings/pl-pl.yaml",
					    "guides/target/guide.en-gb.md",
					    "guides/target/guide.pl-pl.md"};
	for (size_t i = 0; i < sizeof files / sizeof *files; i++)
		fuzz_copy(dir, files[i]);
	fuzz_write(dir, "guides/case/guide.en-gb.md", FUZZ_FRONT_MATTER "Text.\n",
		   strlen(FUZZ_FRONT_MATTER "Text.\n"));
	fuzz_write(dir, "guides/case/images/a.png", "png", 3);
	made = 1;
	return dir;
}

/* The model and guide set of the scratch directory, loaded once. */
struct fuzz_world {
	struct model *m;
	struct guide_set *set;
	struct guide_doc *doc; /* guides/case in en-gb: the harness sets its body */
	FILE *sink;            /* diagnostics go here */
};

static inline struct fuzz_world *fuzz_world(void)
{
	static struct fuzz_world w;
	if (w.m)
		return &w;
	w.sink = fopen("/dev/null", "w");
	struct diag d;
	diag_init(&d, stderr);
	const char *dir = fuzz_content();
	w.m = load_content(dir, &d);
	w.set = w.m ? guide_set_load(dir, w.m, &d, 1, NULL) : NULL;
	diag_free(&d);
	if (w.set == NULL)
		abort();
	for (size_t i = 0; i < w.set->n; i++)
		if (strcmp(w.set->guides[i].id, "case") == 0)
			w.doc = (struct guide_doc *)w.set->guides[i].source;
	if (w.doc == NULL)
		abort();
	return &w;
}

#endif
