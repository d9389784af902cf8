/* unit.c: unit tests of the small pieces every stage leans on. Prints one
 * PASS/FAIL line per case, as tests/run expects. */
#define _GNU_SOURCE /* open_memstream, mkdtemp */
#include <cmark-gfm-core-extensions.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dataref.h"
#include "diag.h"
#include "incr_cache.h"
#include "hash.h"
#include "html.h"
#include "load.h"
#include "mdarena.h"
#include "out.h"
#include "paths.h"
#include "serve.h"
#include "util.h"

static int failures;

static void expect(int ok, const char *name)
{
	printf("%s unit: %s\n", ok ? "PASS" : "FAIL", name);
	failures += !ok;
}

static void test_bcp47(void)
{
	char out[64];
	expect(load_bcp47("pl-pl", out, sizeof out) && strcmp(out, "pl-PL") == 0,
	       "bcp47 pl-pl -> pl-PL");
	expect(load_bcp47("EN-gb", out, sizeof out) && strcmp(out, "en-GB") == 0,
	       "bcp47 EN-gb -> en-GB");
	expect(load_bcp47("zh-hant-tw", out, sizeof out) && strcmp(out, "zh-Hant-TW") == 0,
	       "bcp47 script and region");
	expect(load_bcp47("es-419", out, sizeof out) && strcmp(out, "es-419") == 0,
	       "bcp47 UN M.49 region");
	expect(load_bcp47("de", out, sizeof out) && strcmp(out, "de") == 0, "bcp47 language alone");
	expect(load_bcp47("sl-rozaj", out, sizeof out), "bcp47 variant");
	const char *bad[] = {"",       "english", "e",        "en-",  "-en",
			     "en--gb", "en_gb",   "en-gb/..", "en-g", "12-ab"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char name[64];
		snprintf(name, sizeof name, "bcp47 rejects '%s'", bad[i]);
		expect(!load_bcp47(bad[i], out, sizeof out), name);
	}
}

static void test_paths(void)
{
	expect(paths_rel_ok("pl-pl/index.html"), "path: plain relative");
	const char *bad[] = {"",     "/etc/passwd", "../x", "a/../b", "a/./b",
			     "a//b", "a/",          "a\\b", "..",     "a/\nb"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char name[64];
		snprintf(name, sizeof name, "path: rejects #%zu", i);
		expect(!paths_rel_ok(bad[i]), name);
	}
}

static void test_buf_and_arena(void)
{
	struct buf b = {0};
	expect(strcmp(buf_str(&b), "") == 0, "buf: empty is \"\"");
	for (int i = 0; i < 1000; i++)
		buf_printf(&b, "%d,", i);
	expect(b.len == strlen(b.data) && strncmp(b.data, "0,1,2,", 6) == 0,
	       "buf: grows and stays terminated");
	char *s = buf_detach(&b);
	expect(b.data == NULL && b.len == 0 && s[0] == '0', "buf: detach hands over");
	free(s);
	int *v = NULL;
	for (size_t i = 0; i < 1000; i++) {
		v = xgrow(v, i, sizeof *v);
		v[i] = (int)i;
	}
	bool all = true;
	for (size_t i = 0; i < 1000; i++)
		all = all && v[i] == (int)i;
	expect(all, "xgrow: appending one at a time keeps every item");
	free(v);
	struct arena a = {0};
	char *big = arena_alloc(&a, 100000);
	char *small = arena_strdup(&a, "x");
	big[99999] = 1;
	expect(strcmp(small, "x") == 0 && strcmp(arena_printf(&a, "%s-%d", "a", 7), "a-7") == 0,
	       "arena: strings");
	arena_free(&a);
}

/* The manifest's numbers: buf_put_i64 and buf_put_u64 write what printf's
 * %lld and %llu write, at both ends of their ranges too. */
static void test_numbers(void)
{
	static const long long sv[] = {
		0,         1,         -1,           9, 10, -10, 999, 1000, 1700000000123456789LL,
		LLONG_MAX, LLONG_MIN, LLONG_MIN + 1};
	static const unsigned long long uv[] = {
		0, 1, 10, 18446744073709551615ULL, 10000000000000000000ULL, 4294967296ULL};
	bool same = true;
	for (size_t i = 0; i < sizeof sv / sizeof *sv; i++) {
		struct buf b = {0};
		char want[32];
		buf_put_i64(&b, sv[i]);
		snprintf(want, sizeof want, "%lld", sv[i]);
		same = same && strcmp(buf_str(&b), want) == 0;
		buf_free(&b);
	}
	expect(same, "buf_put_i64: as %lld, LLONG_MIN and LLONG_MAX too");
	same = true;
	for (size_t i = 0; i < sizeof uv / sizeof *uv; i++) {
		struct buf b = {0};
		char want[32];
		buf_puts(&b, "n=");
		buf_put_u64(&b, uv[i]);
		snprintf(want, sizeof want, "n=%llu", uv[i]);
		same = same && strcmp(buf_str(&b), want) == 0;
		buf_free(&b);
	}
	expect(same, "buf_put_u64: as %llu, appended, ULLONG_MAX too");
}

/* The manifest's fields: every string comes back as written, whatever
 * tabs, newlines, backslashes or leading dashes it has; NULL as NULL. */
static void test_fields(void)
{
	static const char *const cases[] = {"",    "-",          "--x", "\\",     "a\\",
					    "\\-", "a\tb\nc",    "\\t", "x\\\\n", "tab\t",
					    "\n",  "plain text", NULL};
	for (size_t i = 0; cases[i]; i++) {
		struct buf b = {0};
		buf_put_field(&b, cases[i]);
		bool clean = strchr(b.data, '\t') == NULL && strchr(b.data, '\n') == NULL;
		char *back = field_unescape(b.data);
		expect(clean && back && strcmp(back, cases[i]) == 0,
		       "fields: round trip of a string");
		buf_free(&b);
	}
	struct buf b = {0};
	buf_put_field(&b, NULL);
	expect(field_unescape(b.data) == NULL, "fields: NULL round trip");
	buf_free(&b);
	char line[] = "a\tb\t\tc", *f[4];
	expect(field_split(line, f, 4) == 4 && strcmp(f[2], "") == 0 && strcmp(f[3], "c") == 0,
	       "fields: split keeps empty fields");
	char more[] = "a\tb\tc";
	expect(field_split(more, f, 2) == 3, "fields: split says when there are too many");
}

static void test_edit_distance(void)
{
	expect(edit_distance("host", "hots", 2) == 1, "edit: swap counts one");
	expect(edit_distance("security", "securty", 2) == 1, "edit: deletion");
	expect(edit_distance("port", "protocol", 2) == 3, "edit: capped");
	expect(edit_distance("", "", 2) == 0, "edit: empty");
}

static void test_relative(void)
{
	struct {
		const char *from, *to, *want;
	} cases[] = {
		{"pl-pl/a/index.html", "pl-pl/b/index.html", "../b/index.html"},
		{"pl-pl/a/index.html", "assets/style.css", "../../assets/style.css"},
		{"index.html", "en-gb/index.html", "en-gb/index.html"},
		{"pl-pl/index.html", "pl-pl/index.html", "index.html"},
		{"pl-pl/x/index.html", "profiles/mx/pl-pl/user.js",
		 "../../profiles/mx/pl-pl/user.js"},
		{"pl-plx/index.html", "pl-pl/index.html", "../pl-pl/index.html"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = paths_relative(cases[i].from, cases[i].to);
		char name[128];
		snprintf(name, sizeof name, "relative %s -> %s", cases[i].from, cases[i].to);
		expect(strcmp(got, cases[i].want) == 0, name);
		free(got);
	}
}

/* Every protocol x security x field of the dialect fixture's table, read
 * back through dataref_value, against the server it must name. */
static void test_dataref(void)
{
	struct diag d;
	diag_init(&d, stderr);
	struct model *m = load_content("tests/fixtures/dialect/base/content", &d);
	diag_free(&d);
	if (m == NULL) {
		expect(0, "dataref: fixture loads");
		return;
	}
	const struct model_product *p = model_product_find(m, "basic");
	const struct model_locale *en = model_locale_find(m, "en-gb");
	struct arena a = {0};
	static const char *const fields[] = {"host", "port", "security", "auth", "login"};
	int checked = 0, wrong = 0;
	for (int proto = 0; proto < PROTO_COUNT; proto++)
		for (int sec = 0; sec <= SEC_COUNT; sec++)
			for (size_t f = 0; f < 5; f++) {
				char ref[64];
				if (sec == SEC_COUNT)
					snprintf(ref, sizeof ref, "%s.%s",
						 model_protocol_name(proto), fields[f]);
				else
					snprintf(ref, sizeof ref, "%s.%s.%s",
						 model_protocol_name(proto),
						 model_security_name(sec), fields[f]);
				const char *why;
				const char *v = dataref_value(m, p, en, ref, &a, &why);
				const struct model_server *s = model_server_find(p, proto, sec);
				/* The fixture has no imap/none and no pop3/starttls server: those
				 * must fail. */
				if ((s == NULL) != (v == NULL)) {
					wrong++;
					continue;
				}
				if (s == NULL)
					continue;
				char port[8];
				snprintf(port, sizeof port, "%u", s->port);
				const char *want = f == 0 ? s->host : f == 1 ? port : NULL;
				if (want && strcmp(v, want) != 0)
					wrong++;
				checked++;
			}
	expect(wrong == 0 && checked == 3 * 4 * 5 - 2 * 5,
	       "dataref: every protocol x security x field");
	const char *why;
	expect(strcmp(dataref_value(m, p, en, "imap.ssl.security", &a, &why), "SSL/TLS") == 0 &&
		       strcmp(dataref_value(m, p, en, "pop3.ssl.login", &a, &why),
			      "The part of the address before @") == 0 &&
		       strcmp(dataref_value(m, p, en, "imap.starttls.auth", &a, &why),
			      "Encrypted password (CRAM-MD5)") == 0,
	       "dataref: labels are the locale's UI strings");
	expect(strcmp(dataref_value(m, p, model_locale_find(m, "pl-pl"), "pro:product", &a, &why),
		      "Profesjonalny") == 0,
	       "dataref: product names per locale");
	const char *bad[] = {"imap",
			     "imap.hots",
			     "imap.tls.port",
			     "ftp.host",
			     "x:imap.host",
			     "imap.ssl.port.x",
			     "pop3.starttls.port",
			     "settings",
			     ""};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char name[64];
		snprintf(name, sizeof name, "dataref: rejects '%s'", bad[i]);
		expect(dataref_value(m, p, en, bad[i], &a, &why) == NULL && why != NULL, name);
	}
	arena_free(&a);
	model_free(m);
}

static void test_html_escape(void)
{
	struct buf b = {0};
	html_escape_str(&b, "a<b>&\"c\" 'd'");
	expect(strcmp(buf_str(&b), "a&lt;b&gt;&amp;&quot;c&quot; &#39;d&#39;") == 0,
	       "html: escapes & < > \" '");
	buf_free(&b);
}

/* Flushes a reporter writing to a memory stream and closes the stream. */
static void S_diag_close(struct diag *d)
{
	diag_free(d);
	fclose(d->out);
}

static void test_diag(void)
{
	struct diag d;
	diag_init(&d, stderr);
	expect(d.state[DIAG_LINKS] == DIAG_AS_ERROR && d.state[DIAG_DRIFT] == DIAG_AS_WARNING,
	       "diag: links are errors, drift warnings by default");
	expect(diag_option(&d, "no-images") && !diag_enabled(&d, DIAG_IMAGES), "diag: -Wno-images");
	expect(diag_option(&d, "images") && d.state[DIAG_IMAGES] == DIAG_AS_ERROR,
	       "diag: -Wimages restores the default");
	expect(diag_option(&d, "error=drift") && d.state[DIAG_DRIFT] == DIAG_AS_ERROR &&
		       d.promoted[DIAG_DRIFT],
	       "diag: -Werror=drift");
	expect(diag_option(&d, "no-error=drift") && d.state[DIAG_DRIFT] == DIAG_AS_WARNING,
	       "diag: -Wno-error=drift");
	expect(diag_option(&d, "no-error=links") && d.state[DIAG_LINKS] == DIAG_AS_WARNING,
	       "diag: -Wno-error=links demotes a default error");
	expect(diag_option(&d, "error") && d.state[DIAG_DRIFT] == DIAG_AS_ERROR &&
		       d.state[DIAG_LINKS] == DIAG_AS_ERROR,
	       "diag: -Werror");
	expect(d.state[DIAG_STALE] == DIAG_AS_NOTE && d.state[DIAG_STRUCTURE] == DIAG_AS_NOTE,
	       "diag: -Werror leaves the classes reported as notes (lagging translations)");
	expect(diag_option(&d, "error=stale") && d.state[DIAG_STALE] == DIAG_AS_ERROR &&
		       diag_option(&d, "no-error=stale") && d.state[DIAG_STALE] == DIAG_AS_NOTE,
	       "diag: -Werror=stale makes them errors, -Wno-error=stale notes again");
	expect(!diag_option(&d, "frobnicate") && !diag_option(&d, "error=frobnicate") &&
		       !diag_option(&d, "no-"),
	       "diag: unknown classes are refused");
	expect(diag_option(&d, "none") && !diag_enabled(&d, DIAG_ANCHORS) &&
		       diag_option(&d, "all") && diag_enabled(&d, DIAG_ANCHORS),
	       "diag: -Wnone and -Wall");
	diag_free(&d);

	/* The source line, the caret under a character after UTF-8 text, the
	 * underline and the fix-it; the old API prints as it always did. */
	const char *src = "tests-unit-diag.md";
	FILE *f = fopen(src, "w");
	if (f == NULL) {
		expect(0, "diag: scratch file");
		return;
	}
	fputs("one\nCzęść: SSL0.OVH.NET\tx\n", f);
	fclose(f);
	char *text = NULL;
	size_t len = 0;
	diag_init(&d, open_memstream(&text, &len));
	diag_class(&d, DIAG_DRIFT, src, 2, 11, 12, "{{imap.host}}", "host '%s'", "SSL0.OVH.NET");
	diag_report(&d, DIAG_ERROR, src, 1, 1, "plain");
	diag_class(&d, DIAG_STALE, NULL, 0, 0, 0, NULL, "no file");
	S_diag_close(&d);
	const char *want = "tests-unit-diag.md:1:1: error: plain\n"
			   "tests-unit-diag.md:2:11: warning: host 'SSL0.OVH.NET' [-Wdrift]\n"
			   "    2 | Część: SSL0.OVH.NET\tx\n"
			   "      |        ^~~~~~~~~~~~\n"
			   "      |        {{imap.host}}\n"
			   "mailguide: note: no file [-Wstale]\n";
	expect(text && strcmp(text, want) == 0, "diag: source line, caret, underline, fix-it");
	if (text && strcmp(text, want) != 0)
		fprintf(stderr, "got:\n%s", text);
	free(text);

	diag_init(&d, open_memstream(&text, &len));
	d.json = 1;
	diag_option(&d, "error=drift");
	diag_class(&d, DIAG_DRIFT, src, 2, 8, 3, "a\"b", "say \"%s\"\t\x01", "x");
	diag_report(&d, DIAG_WARNING, NULL, 0, 0, "bare");
	S_diag_close(&d);
	want = "[\n {\"file\": \"tests-unit-diag.md\", \"line\": 2, \"col\": 8, \"severity\": "
	       "\"error\", "
	       "\"class\": \"drift\", \"message\": \"say \\\"x\\\"\\t\\u0001\", \"fixit\": "
	       "{\"line\": 2, "
	       "\"col\": 8, \"end_col\": 11, \"replacement\": \"a\\\"b\"}},\n"
	       " {\"file\": null, \"line\": 0, \"col\": 0, \"severity\": \"warning\", \"class\": "
	       "null, "
	       "\"message\": \"bare\", \"fixit\": null}\n]\n";
	expect(text && strcmp(text, want) == 0, "diag: JSON escapes and fields");
	if (text && strcmp(text, want) != 0)
		fprintf(stderr, "got:\n%s", text);
	free(text);
	remove(src);
}

/* A digest of `n` bytes of `s`, as hex. */
static void S_digest(const char *s, size_t n, char out[33])
{
	struct hash128 h = hash128_init();
	hash128_bytes(&h, s, n);
	hash128_hex(&h, out);
}

static void test_hash(void)
{
	char a[33], b[33];
	S_digest("same text", 9, a);
	S_digest("same text", 9, b);
	expect(strcmp(a, b) == 0 && strlen(a) == 32, "hash: the same bytes, the same digest");
	/* Every single-bit change of a 100-byte text (all lanes and the tail)
	 * changes the digest. */
	char text[100], base[33];
	memset(text, 'a', sizeof text);
	S_digest(text, sizeof text, base);
	bool all = true;
	for (size_t i = 0; i < sizeof text; i++)
		for (int bit = 0; bit < 8; bit++) {
			text[i] ^= (char)(1 << bit);
			S_digest(text, sizeof text, a);
			all = all && strcmp(a, base) != 0;
			text[i] ^= (char)(1 << bit);
		}
	expect(all, "hash: any one bit changed changes the digest");
	S_digest(text, 99, a);
	expect(strcmp(a, base) != 0, "hash: one byte shorter differs");
	struct hash128 x = hash128_init(), y = hash128_init();
	hash128_str(&x, "ab");
	hash128_str(&x, "c");
	hash128_str(&y, "a");
	hash128_str(&y, "bc");
	hash128_hex(&x, a);
	hash128_hex(&y, b);
	expect(strcmp(a, b) != 0, "hash: items are length-prefixed (ab,c differs from a,bc)");
	x = hash128_init(), y = hash128_init();
	hash128_str(&x, NULL);
	hash128_str(&y, "");
	hash128_hex(&x, a);
	hash128_hex(&y, b);
	expect(strcmp(a, b) != 0, "hash: NULL differs from \"\"");
}

static void test_dir_names(void)
{
	char dir[] = "/tmp/mgunit.XXXXXX";
	if (mkdtemp(dir) == NULL) {
		expect(0, "dir_names: a scratch folder");
		return;
	}
	const char *made[] = {"b", "a", ".hidden", "c"};
	for (size_t i = 0; i < 4; i++) {
		char *p = path_join(dir, made[i]);
		FILE *f = fopen(p, "w");
		if (f)
			fclose(f);
		free(p);
	}
	size_t n1 = 0, n2 = 0, n3 = 0;
	char **by_path = dir_names(dir, false, &n1);
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	char **first = dir_names_at(fd, true, &n2);
	char **again = dir_names_at(fd, false, &n3); /* the same descriptor, listed again */
	expect(n1 == 3 && strcmp(by_path[0], "a") == 0 && strcmp(by_path[2], "c") == 0,
	       "dir_names: sorted, without dot files");
	expect(n2 == 4 && strcmp(first[0], ".hidden") == 0, "dir_names_at: with dot files");
	expect(n3 == 3 && strcmp(again[0], "a") == 0,
	       "dir_names_at: a descriptor lists again from the start");
	dir_names_free(by_path, n1);
	dir_names_free(first, n2);
	dir_names_free(again, n3);
	close(fd);
	for (size_t i = 0; i < 4; i++) {
		char *p = path_join(dir, made[i]);
		unlink(p);
		free(p);
	}
	rmdir(dir);
}

/* A cache record of "guides/g/guide.en-gb.md" with stamp 1 2 300 4 5 and
 * the given slug, flags (hidden, deprecated) and products, in the fields'
 * order (S_fields in incr_cache.c). */
static struct incr_cache *S_cache_flags(const char *slug, const char *flags, const char *products)
{
	char rec[512];
	int n = snprintf(rec, sizeof rec,
			 "guides/g/guide.en-gb.md\t1\t2\t300\t4\t5\t81985529216486895\t"
			 "18364758544493064720\t60\t6\tA title\t\\\t%s\tgeneral\t-\t-\t-\t2024\t2\t"
			 "29\t7\t3\t%s%s\n",
			 slug, flags, products);
	return incr_cache_parse(rec, (size_t)n);
}

static struct incr_cache *S_cache(const char *slug, const char *products)
{
	return S_cache_flags(slug, "1\t0", products);
}

static void test_gcache(void)
{
	struct diag d;
	diag_init(&d, stderr);
	struct model *m = load_content("content", &d);
	diag_free(&d);
	if (m == NULL) {
		expect(0, "gcache: the shipped content loads");
		return;
	}
	const struct guide_stamp stamp = {1, 2, 300, 4, 5}, other = {1, 2, 300, 4, 6};
	struct arena a = {0};
	struct guide_doc doc = {0};
	struct incr_cache *c = S_cache("a-slug", "\tmxplan");
	bool took = incr_cache_take(c, "guides/g/guide.en-gb.md", &stamp, m, &a, &doc);
	expect(took && doc.cached && strcmp(doc.title, "A title") == 0 &&
		       strcmp(doc.excerpt, "") == 0 && strcmp(doc.slug, "a-slug") == 0 &&
		       doc.order == NULL && doc.updated.year == 2024 && doc.updated.day == 29 &&
		       doc.legacy == 7 && doc.client == GUIDE_CLIENT_THUNDERBIRD && doc.hidden &&
		       !doc.deprecated && doc.n_products == 1 &&
		       strcmp(doc.products[0]->id, "mxplan") == 0 && doc.body_off == 60 &&
		       doc.body_len == 240 && doc.body_line == 6 && doc.text == NULL &&
		       doc.digest.a == 0x0123456789abcdefull,
	       "gcache: a record with its stamp gives the document's front matter");
	doc = (struct guide_doc){0};
	expect(!incr_cache_take(c, "guides/g/guide.en-gb.md", &other, m, &a, &doc) && !doc.cached,
	       "gcache: another change time, no record");
	expect(!incr_cache_take(c, "guides/g/guide.de-de.md", &stamp, m, &a, &doc),
	       "gcache: another path, no record");
	incr_cache_free(c);
	c = S_cache("..", "");
	expect(!incr_cache_take(c, "guides/g/guide.en-gb.md", &stamp, m, &a, &doc),
	       "gcache: a slug that climbs out is refused");
	incr_cache_free(c);
	c = S_cache("a-slug", "\tgone");
	expect(!incr_cache_take(c, "guides/g/guide.en-gb.md", &stamp, m, &a, &doc),
	       "gcache: a product not in the table is refused");
	incr_cache_free(c);
	c = S_cache_flags("a-slug", "2\t0", "");
	expect(!incr_cache_take(c, "guides/g/guide.en-gb.md", &stamp, m, &a, &doc),
	       "gcache: a field out of its type's range (a bool of 2) is refused");
	incr_cache_free(c);
	c = S_cache_flags("a-slug", "1", "");
	expect(!incr_cache_take(c, "guides/g/guide.en-gb.md", &stamp, m, &a, &doc),
	       "gcache: a record with a field too few is refused");
	incr_cache_free(c);
	arena_free(&a);
	model_free(m);
}

static void test_serve(void)
{
	const char *ok[] = {"/",
			    "/en-gb/",
			    "/en-gb/index.html",
			    "/.well-known/autoconfig/mail/config-v1.1.xml",
			    "/a..b/c",
			    "/images/g/x.y.png"};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		char name[96];
		snprintf(name, sizeof name, "serve: path '%s' served", ok[i]);
		expect(serve_path_ok(ok[i]), name);
	}
	const char *bad[] = {"",
			     "en-gb/",
			     "/..",
			     "/../etc/passwd",
			     "/en-gb/../../x",
			     "/./x",
			     "/a/.",
			     "/a\\..\\b",
			     "/.htaccess",
			     "/.output.manifest",
			     "/a/.git/config",
			     "/.well-knownx/",
			     "//etc/passwd",
			     "/en-gb//x"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char name[96];
		snprintf(name, sizeof name, "serve: path '%s' refused", bad[i]);
		expect(!serve_path_ok(bad[i]), name);
	}
	expect(strcmp(serve_mime_type("/profiles/p/l/p.mobileconfig"),
		      "application/x-apple-aspen-config") == 0,
	       "serve: .mobileconfig type");
	expect(strcmp(serve_mime_type("/a/INDEX.HTML"), "text/html; charset=utf-8") == 0,
	       "serve: type by extension, any case");
	expect(strcmp(serve_mime_type("/a.b/noext"), "application/octet-stream") == 0,
	       "serve: a dot in a folder is no extension");
	expect(strcmp(serve_mime_type("/setup.ps1"), "text/plain; charset=utf-8") == 0,
	       "serve: scripts as text");
}

/* The cmark arena: what cmark asks of an allocator (zeroed calloc, realloc
 * keeping the bytes whether the block grows in place or moves, free of any
 * block), and a parse through it renders as one through the system's. */
static void test_mdarena(void)
{
	cmark_mem *mem;
	struct mdarena *a = mdarena_enter(&mem);
	expect(mdarena_mem() == mem, "mdarena: the thread's current allocator");
	unsigned char *z = mem->calloc(100, 3);
	int zero = 1;
	for (size_t i = 0; i < 300; i++)
		zero &= z[i] == 0;
	expect(zero, "mdarena: calloc zeroes");
	memset(z, 0xAB, 300);
	mem->free(z); /* the last block: given back */
	unsigned char *z2 = mem->calloc(1, 300);
	expect(z2[0] == 0 && z2[299] == 0, "mdarena: a block given back is zeroed again");
	/* Growing the last block in place, then moving it past a chunk. */
	char *g = NULL;
	size_t len = 0;
	int kept = 1;
	for (size_t n = 16; n <= 4 * 1024 * 1024; n *= 2) {
		g = mem->realloc(g, n);
		for (size_t i = len; i < n; i++)
			g[i] = (char)(i * 7);
		for (size_t i = 0; i < n; i++)
			kept &= g[i] == (char)(i * 7);
		len = n;
	}
	expect(kept, "mdarena: realloc keeps the bytes up to 4 MiB");
	/* A block that is not the last one moves, keeping its bytes. */
	char *p = mem->realloc(NULL, 10);
	memcpy(p, "0123456789", 10);
	char *q = mem->calloc(1, 8);
	char *p2 = mem->realloc(p, 20000);
	expect(p2 != p && memcmp(p2, "0123456789", 10) == 0 && q[0] == 0,
	       "mdarena: realloc of an earlier block moves it");
	mem->free(q);
	/* Many small blocks over several chunks stay apart. */
	int apart = 1;
	unsigned *v[5000];
	for (unsigned i = 0; i < 5000; i++) {
		v[i] = mem->calloc(1, sizeof **v * 5);
		v[i][0] = v[i][4] = i;
	}
	for (unsigned i = 0; i < 5000; i++)
		apart &= v[i][0] == i && v[i][4] == i;
	expect(apart, "mdarena: 5,000 blocks over several chunks");
	cmark_gfm_core_extensions_ensure_registered();
	static const char md[] = "# Title *em*\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
				 "- www.example.com\n- ~~gone~~\n\n> quote\n";
	cmark_parser *pa = cmark_parser_new_with_mem(CMARK_OPT_DEFAULT, mem);
	cmark_parser_attach_syntax_extension(pa, cmark_find_syntax_extension("table"));
	cmark_parser_feed(pa, md, sizeof md - 1);
	cmark_node *ra = cmark_parser_finish(pa);
	char *ha = cmark_render_html(ra, 0, cmark_parser_get_syntax_extensions(pa));
	cmark_parser *pd = cmark_parser_new(CMARK_OPT_DEFAULT);
	cmark_parser_attach_syntax_extension(pd, cmark_find_syntax_extension("table"));
	cmark_parser_feed(pd, md, sizeof md - 1);
	cmark_node *rd = cmark_parser_finish(pd);
	char *hd = cmark_render_html(rd, 0, cmark_parser_get_syntax_extensions(pd));
	expect(strcmp(ha, hd) == 0 && strstr(ha, "<table>") != NULL,
	       "mdarena: a parse renders as with the system's allocator");
	free(hd);
	cmark_node_free(rd);
	cmark_parser_free(pd);
	mdarena_leave(a);
	struct mdarena *b = mdarena_enter(&mem);
	expect(b != NULL, "mdarena: a thread enters a new arena after leaving one");
	mdarena_leave(b);
}

int main(void)
{
	test_serve();
	test_dataref();
	test_html_escape();
	test_diag();
	test_relative();
	test_bcp47();
	test_paths();
	test_buf_and_arena();
	test_numbers();
	test_edit_distance();
	test_fields();
	test_hash();
	test_dir_names();
	test_gcache();
	test_mdarena();
	return failures ? 1 : 0;
}
