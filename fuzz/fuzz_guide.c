/* fuzz_guide.c: libFuzzer harness for the guide loader (guide.c): the input
 * is a whole guide file, guides/case/guide.en-gb.md, so the fuzzer drives
 * the front matter splitter, the front matter's YAML and its checks, and
 * the set's checks against the fixture's other guide. Built and run by
 * `make fuzz`; regressions in tests/fuzz/fuzz_guide/. */
#include "common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_world *w = fuzz_world();
	const char *dir = fuzz_content();
	fuzz_write(dir, "guides/case/guide.en-gb.md", data, size);
	struct diag d;
	diag_init(&d, w->sink);
	guide_set_free(guide_set_load(dir, w->m, &d, 1, NULL));
	diag_free(&d);
	return 0;
}
