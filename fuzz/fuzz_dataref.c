/* fuzz_dataref.c: libFuzzer harness for the data-reference expander
 * (dataref.c) alone: the input's first line is one reference for
 * dataref_value; the whole input is also parsed as Markdown and expanded
 * with dataref_expand, as guides/case's body (front matter
 * FUZZ_FRONT_MATTER). Built and run by `make fuzz`; regressions in
 * tests/fuzz/fuzz_dataref/. */
#include "common.h"

#include "dataref.h"
#include "dialect.h"

static char *S_settings(void *arg, const struct model_product *p, const struct model_locale *loc)
{
	(void)arg;
	(void)loc;
	return xstrdup(p->id);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_world *w = fuzz_world();
	char *text = xstrndup((const char *)data, size); /* stops at a NUL, as a C string */
	const struct model_locale *loc = &w->m->site.locales[size % w->m->site.n_locales];
	struct arena a = {0};
	const char *why;
	size_t first = strcspn(text, "\n");
	char *ref = xstrndup(text, first);
	dataref_value(w->m, w->doc->products[0], loc, ref, &a, &why);
	dataref_value(w->m, NULL, loc, ref, &a, &why);
	free(ref);
	arena_free(&a);

	char *body = xmalloc(size ? size : 1);
	memcpy(body, data, size);
	w->doc->body = body;
	w->doc->body_len = size;
	struct diag d;
	diag_init(&d, w->sink);
	struct guide_ast ast;
	guide_parse(w->doc, &ast); /* text joined, as dataref_expand expects */
	struct dialect dx = {.m = w->m,
			     .guide = guide_of(w->set, w->doc),
			     .others = &w->set->view,
			     .content_fd = w->set->content_fd,
			     .content_dir = w->set->content_dir,
			     .doc = w->doc,
			     .loc = loc,
			     .page = "x",
			     .diag = &d,
			     .settings_html = S_settings};
	dataref_expand(&dx, ast.root);
	dialect_free(&dx);
	guide_ast_free(&ast);
	diag_free(&d);
	free(body);
	free(text);
	return 0;
}
