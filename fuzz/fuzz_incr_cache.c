/* fuzz_incr_cache.c: libFuzzer harness for the guides' cache (incr_cache.c): the
 * input is the cache file after its first line (the line naming the
 * record format, whose fields a record has in that order). The document asked for is
 * guides/case/guide.en-gb.md with the stamp 1 2 300 4 5, so a record of that
 * path and stamp drives the checks of every field; what a record that is
 * taken gives must be what the loader itself could have made (a section's
 * label is free text; its id, when set, is a slug). Built and run
 * by `make fuzz`; regressions in tests/fuzz/fuzz_incr_cache/. */
#include "common.h"
#include "incr_cache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct model *m = fuzz_world()->m;
	struct incr_cache *c = incr_cache_parse(data, size);
	struct arena a = {0};
	struct guide_doc doc = {.file = "case"};
	const struct guide_stamp stamp = {1, 2, 300, 4, 5};
	if (incr_cache_take(c, "guides/case/guide.en-gb.md", &stamp, m, &a, &doc)) {
		bool ok = doc.cached && doc.title && doc.title[0] && doc.excerpt && doc.slug &&
			  doc.section && doc.section[0] &&
			  (doc.section_id == NULL || guide_slug_ok(doc.section_id)) &&
			  (guide_slug_ok(doc.slug) || strcmp(doc.slug, "guide") == 0) &&
			  doc.body_off <= stamp.size && doc.body_len == stamp.size - doc.body_off &&
			  doc.client < GUIDE_CLIENT_COUNT && doc.products && doc.text == NULL &&
			  doc.body_line >= 1 && doc.legacy <= 999999999 &&
			  (guide_date_ok(&doc.updated) ||
			   (doc.updated.year == 0 && doc.updated.month == 0 &&
			    doc.updated.day == 0)) &&
			  guide_stamp_same(&doc.stamp, &stamp);
		for (size_t i = 0; ok && i < doc.n_products; i++)
			ok = doc.products[i] != NULL;
		if (!ok)
			abort();
	}
	arena_free(&a);
	incr_cache_free(c);
	return 0;
}
