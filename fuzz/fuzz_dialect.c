/* fuzz_dialect.c: libFuzzer harness for the dialect passes (dialect.c, and
 * dataref.c through them): the input is the Markdown body of guides/case in
 * en-gb (front matter FUZZ_FRONT_MATTER), parsed with cmark-gfm, run through
 * every pass for its page and rendered to HTML as site.c does. Built and run
 * by `make fuzz`; regressions in tests/fuzz/fuzz_dialect/. */
#include "common.h"

#include <cmark-gfm-extension_api.h>

#include "dialect.h"

static char *S_settings(void *arg, const struct model_product *p, const struct model_locale *loc)
{
	(void)arg;
	(void)loc;
	struct buf b = {0};
	buf_printf(&b, "<table><caption>%s</caption></table>\n", p->id);
	return buf_detach(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_world *w = fuzz_world();
	/* The body is not NUL-terminated in the loader either (it points into
	 * the whole file), so give it exactly the input's bytes. */
	char *body = xmalloc(size ? size : 1);
	memcpy(body, data, size);
	w->doc->body = body;
	w->doc->body_len = size;
	const struct model_locale *loc = &w->m->site.locales[0];
	char *page = guide_page_path(w->m, guide_of(w->set, w->doc), loc);
	struct diag d;
	diag_init(&d, w->sink);
	struct guide_ast ast;
	guide_parse(w->doc, &ast);
	struct dialect dx = {.m = w->m,
			     .guide = guide_of(w->set, w->doc),
			     .others = &w->set->view,
			     .content_fd = w->set->content_fd,
			     .content_dir = w->set->content_dir,
			     .doc = w->doc,
			     .loc = loc,
			     .page = page,
			     .diag = &d,
			     .settings_html = S_settings};
	dialect_run(&dx, ast.root);
	(void)guide_ast_html(&ast, CMARK_OPT_UNSAFE);
	dialect_free(&dx);
	guide_ast_free(&ast);
	diag_free(&d);
	free(page);
	free(body);
	return 0;
}
