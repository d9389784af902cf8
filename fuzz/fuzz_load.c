/* fuzz_load.c: libFuzzer harness for the load stage (libyaml + ydoc +
 * load.c). The first byte picks the file the input becomes (site.yaml or
 * servers.yaml); the other file is a valid one, so the fuzzer reaches past
 * the first file's checks. Built and run by `make fuzz`. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load.h"

static const char S_site[] = "base_url: https://help.example.test/\n"
			     "default_locale: en-gb\n"
			     "locales:\n  en-gb: {name: English, title: Help}\n"
			     "  pl-pl: {name: Polski, title: Pomoc}\n";
static const char S_servers[] =
	"providers:\n  - id: acme\n    name: Acme\n    domain: acme.example\n    products:\n"
	"      - id: basic\n        name: Basic\n        domains: ['*']\n"
	"        incoming: [{protocol: imap, host: imap.acme.example, port: 993, security: ssl}]\n"
	"        outgoing: [{protocol: smtp, host: smtp.acme.example, port: 465, security: ssl}]\n";

static void S_write(const char *dir, const char *name, const void *data, size_t len)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (f == NULL)
		abort();
	fwrite(data, 1, len, f);
	fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* One scratch folder per fuzzing process, made on the first call. */
	static char dir[] = "/tmp/mailguide-fuzz-load.XXXXXX";
	static FILE *sink;
	if (sink == NULL) {
		if (mkdtemp(dir) == NULL)
			abort();
		char strings[600];
		snprintf(strings, sizeof strings, "%s/strings", dir);
		mkdir(strings, 0700);
		S_write(dir, "strings/en-gb.yaml", "incoming: In\n", 13);
		S_write(dir, "strings/pl-pl.yaml", "incoming: Przych\n", 17);
		sink = fopen("/dev/null", "w");
	}
	if (size == 0)
		return 0;
	int site = data[0] & 1;
	S_write(dir, "site.yaml", site ? (const char *)data + 1 : S_site,
		site ? size - 1 : strlen(S_site));
	S_write(dir, "servers.yaml", site ? S_servers : (const char *)data + 1,
		site ? strlen(S_servers) : size - 1);
	struct diag d;
	diag_init(&d, sink);
	model_free(load_content(dir, &d));
	diag_free(&d);
	return 0;
}
