/* main.c: the command line. One table maps subcommands to cmd_* functions,
 * as git does; options common to all are parsed once, in one place.
 *
 *   mailguide [-C DIR] [-t DIR] [-o DIR] [-q] [-v] COMMAND [ARGS]
 *
 * Each command may have options of its own (struct cmd_opt), parsed after
 * its name together with the common ones.
 *
 * Exit status: 0 ok, 1 errors in the content, 2 usage errors. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <stdio.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "check.h"
#include "paths.h"
#include "diag.h"
#include "dns.h"
#include "newlocale.h"
#include "import.h"
#include "probe.h"
#include "profile_cmd.h"
#include "serve.h"
#include "sitecheck.h"
#include "util.h"

#ifndef MG_DATADIR
#define MG_DATADIR "/usr/local/share/mailguide"
#endif
#ifndef MG_VERSION
#define MG_VERSION "0.1.0"
#endif

/* A command's own option, parsed after the command name beside the common
 * ones (an own option wins over a common one of the same name: `profile`
 * takes -o as the file to write). */
struct cmd_opt {
	const char *name; /* long name */
	int letter;       /* short option, or 0 */
	const char *arg;  /* the argument's name in --help, NULL for a flag */
	const char *help;
};

#define CMD_MAX_OPTS 12

/* What a command runs with: the common options, the values of its own
 * options (vals[i] for opts[i]; NULL when absent, "" for a flag given) and
 * the operands left. */
struct cmd_ctx {
	struct build_opts *o;
	struct diag *d;
	const char *vals[CMD_MAX_OPTS];
	int argc;
	char **argv;
};

struct cmd {
	const char *name;
	const char *summary;
	const char *usage;          /* the lines after "usage: " in --help */
	const struct cmd_opt *opts; /* ends with {NULL} */
	int (*run)(struct cmd_ctx *c);
};

/* Help lines of the common options, in S_long's order. */
static const char *const S_common_help[] = {
	"  -C, --content DIR     content directory (default: content)\n",
	"  -t, --templates DIR   templates directory (default: templates)\n",
	"  -o, --output DIR      output directory (default: output)\n",
	"  -q, --quiet           print errors only\n",
	"  -v, --verbose         say what is written\n",
	"  -W CLASS              -Wdrift, -Wno-images, -Werror=drift, -Werror: switch checks\n",
	"  -h, --help            show this help\n",
	"  -V, --version         print the version\n"};

static const struct option S_long[] = {{"content", required_argument, NULL, 'C'},
				       {"templates", required_argument, NULL, 't'},
				       {"output", required_argument, NULL, 'o'},
				       {"quiet", no_argument, NULL, 'q'},
				       {"verbose", no_argument, NULL, 'v'},
				       {"warning", required_argument, NULL, 'W'},
				       {"help", no_argument, NULL, 'h'},
				       {"version", no_argument, NULL, 'V'},
				       {NULL, 0, NULL, 0}};
static const char S_short[] = "C:t:o:qvW:h";

/* getopt_long's value for a command's option i. */
#define S_OWN(i) (0x100 + (i))

static size_t S_nopts(const struct cmd *cmd)
{
	size_t n = 0;
	while (cmd != NULL && cmd->opts != NULL && cmd->opts[n].name != NULL)
		n++;
	return n;
}

static bool S_own_has(const struct cmd *cmd, const char *name, int letter)
{
	for (size_t i = 0; i < S_nopts(cmd); i++)
		if (strcmp(cmd->opts[i].name, name) == 0 ||
		    (letter && cmd->opts[i].letter == letter))
			return true;
	return false;
}

/* Parses the common options and, with `cmd`, that command's own; returns 1
 * for help, 0 to go on, -1 on error. Without `cmd` it stops at the first
 * non-option (the command's name). */
static int S_parse(int argc, char **argv, struct build_opts *o, struct diag *d,
		   const struct cmd *cmd, const char **vals, bool *version)
{
	struct option longs[CMD_MAX_OPTS + 8];
	char shorts[64];
	size_t nl = 0, ns = 0;
	size_t nown = S_nopts(cmd);
	if (cmd == NULL)
		shorts[ns++] = '+';
	for (size_t i = 0; i < nown; i++) {
		const struct cmd_opt *co = &cmd->opts[i];
		longs[nl++] = (struct option){co->name, co->arg ? required_argument : no_argument,
					      NULL, S_OWN((int)i)};
		if (co->letter) {
			shorts[ns++] = (char)co->letter;
			if (co->arg)
				shorts[ns++] = ':';
		}
	}
	for (const struct option *l = S_long; l->name; l++)
		if (!S_own_has(cmd, l->name, l->val))
			longs[nl++] = *l;
	longs[nl] = (struct option){NULL, 0, NULL, 0};
	for (const char *p = S_short; *p; p++)
		if (*p != ':') {
			bool arg = p[1] == ':';
			if (!S_own_has(cmd, "", *p)) {
				shorts[ns++] = *p;
				if (arg)
					shorts[ns++] = ':';
			}
		}
	shorts[ns] = '\0';

	optind = 1;
	opterr = 1;
	int c;
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		for (size_t i = 0; i < nown; i++)
			if (c == cmd->opts[i].letter && c != 0)
				c = S_OWN((int)i);
		if (c >= S_OWN(0) && c < S_OWN((int)nown)) {
			vals[c - S_OWN(0)] = optarg ? optarg : "";
			continue;
		}
		switch (c) {
		case 'C':
			o->content = optarg;
			break;
		case 't':
			o->templates = optarg;
			break;
		case 'o':
			o->output = optarg;
			break;
		case 'q':
			d->quiet = 1;
			break;
		case 'v':
			o->verbose = 1;
			break;
		case 'W':
			if (!diag_option(d, optarg)) {
				fprintf(stderr,
					"mailguide: unknown check class in -W%s; see 'mailguide "
					"check --help'\n",
					optarg);
				return -1;
			}
			break;
		case 'h':
			return 1;
		case 'V':
			*version = true;
			break;
		default:
			return -1;
		}
	}
	return 0;
}

static void S_cmd_help(FILE *f, const struct cmd *cmd)
{
	fprintf(f, "usage: %s\n\n%s\n", cmd->usage, cmd->summary);
	if (S_nopts(cmd) > 0)
		fprintf(f, "\nOptions of '%s':\n", cmd->name);
	for (size_t i = 0; i < S_nopts(cmd); i++) {
		const struct cmd_opt *co = &cmd->opts[i];
		char left[48];
		snprintf(left, sizeof left, "%c%c%c --%s%s%s", co->letter ? '-' : ' ',
			 co->letter ? co->letter : ' ', co->letter ? ',' : ' ', co->name,
			 co->arg ? " " : "", co->arg ? co->arg : "");
		fprintf(f, "  %-28s%s\n", left, co->help);
	}
	fprintf(f, "\nOptions for every command:\n");
	for (size_t i = 0; i + 1 < sizeof S_common_help / sizeof S_common_help[0]; i++)
		if (!S_own_has(cmd, S_long[i].name, S_long[i].val))
			fputs(S_common_help[i], f);
}

/* --sign-*, shared by build and profile, first in both tables. */
#define S_SIGN_OPTS                                                                                \
	{"sign-cert", 0, "FILE", "sign Apple profiles with this PEM certificate"},                 \
		{"sign-key", 0, "FILE", "... and its PEM private key (unencrypted)"},              \
	{                                                                                          \
		"sign-chain", 0, "FILE", "... embedding these intermediate certificates"           \
	}
enum { OPT_SIGN_CERT, OPT_SIGN_KEY, OPT_SIGN_CHAIN };

static void S_sign_opts(struct cmd_ctx *c)
{
	c->o->sign = (struct sign_opts){c->vals[OPT_SIGN_CERT], c->vals[OPT_SIGN_KEY],
					c->vals[OPT_SIGN_CHAIN]};
}

static const struct cmd_opt S_build_opts[] = {
	S_SIGN_OPTS,
	{"jobs", 'j', "N", "render on N threads (default: one per online CPU)"},
	{"full", 0, NULL, "render everything again (default: keep what did not change)"},
	{NULL, 0, NULL, NULL}};
enum { BUILD_JOBS = OPT_SIGN_CHAIN + 1, BUILD_FULL };

static int cmd_build(struct cmd_ctx *c)
{
	if (c->argc > 0) {
		fprintf(stderr, "mailguide build: unexpected argument '%s'\n", c->argv[0]);
		return 2;
	}
	const char *jobs = c->vals[BUILD_JOBS];
	if (jobs) {
		char *end;
		long n = strtol(jobs, &end, 10);
		if (end == jobs || *end || n < 1 || n > 256) {
			fprintf(stderr,
				"mailguide build: --jobs wants a whole number from 1 to 256, "
				"not '%s'\n",
				jobs);
			return 2;
		}
		c->o->jobs = (int)n;
	}
	c->o->full = c->vals[BUILD_FULL] != NULL;
	S_sign_opts(c);
	return build_run(c->o, c->d);
}

static const struct cmd_opt S_check_opts[] = {
	{"format", 0, "FORMAT", "text (default) or json (one array on standard output)"},
	{"list-external", 0, NULL, "list external links (not checked) on standard output"},
	{"fix", 0, NULL, "apply the fix-its of what was reported to the guides, in place"},
	{NULL, 0, NULL, NULL}};
enum { CHECK_FORMAT, CHECK_EXTERNAL, CHECK_FIX };

static int cmd_check(struct cmd_ctx *c)
{
	if (c->argc > 0) {
		fprintf(stderr, "mailguide check: unexpected argument '%s'\n", c->argv[0]);
		return 2;
	}
	const char *format = c->vals[CHECK_FORMAT] ? c->vals[CHECK_FORMAT] : "text";
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
		fprintf(stderr, "mailguide check: --format is text or json, not '%s'\n", format);
		return 2;
	}
	if (strcmp(format, "json") == 0) {
		c->d->json = 1;
		c->d->out = stdout;
	}
	struct check_opts co = {.external = c->vals[CHECK_EXTERNAL] ? stdout : NULL,
				.fix = c->vals[CHECK_FIX] != NULL};
	return check_run(c->o, &co, c->d);
}

static const struct cmd_opt S_profile_opts[] = {
	S_SIGN_OPTS,
	{"product", 'p', "ID", "the product, as its id in servers.yaml (required)"},
	{"client", 'c', "CLIENT", "apple, autoconfig, thunderbird, outlook or windows (required)"},
	{"email", 'e', "ADDRESS", "the user's address (required)"},
	{"name", 'n', "NAME", "the user's name, shown to recipients"},
	{"locale", 'l', "LL-CC", "language of the texts (default: the site's default)"},
	{"output", 'o', "FILE", "write here (default: standard output)"},
	{NULL, 0, NULL, NULL}};
enum { OPT_PRODUCT = OPT_SIGN_CHAIN + 1, OPT_CLIENT, OPT_EMAIL, OPT_NAME, OPT_LOCALE, OPT_OUT };

static int cmd_profile(struct cmd_ctx *c)
{
	const char *const *v = c->vals;
	if (c->argc > 0) {
		fprintf(stderr, "mailguide profile: unexpected argument '%s'\n", c->argv[0]);
		return 2;
	}
	static const char *const need[] = {"--product", "--client", "--email"};
	for (int i = 0; i < 3; i++)
		if (v[OPT_PRODUCT + i] == NULL || v[OPT_PRODUCT + i][0] == '\0') {
			fprintf(stderr,
				"mailguide profile: %s is required; see 'mailguide profile "
				"--help'\n",
				need[i]);
			return 2;
		}
	int client = paths_client_parse(v[OPT_CLIENT]);
	if (client < 0) {
		fprintf(stderr,
			"mailguide profile: unknown client '%s'; choose apple, autoconfig, "
			"thunderbird, "
			"outlook or windows\n",
			v[OPT_CLIENT]);
		return 2;
	}
	S_sign_opts(c);
	struct profile_opts po = {.product = v[OPT_PRODUCT],
				  .client = (enum paths_client)client,
				  .email = v[OPT_EMAIL],
				  .name = v[OPT_NAME],
				  .locale = v[OPT_LOCALE],
				  .file = v[OPT_OUT]};
	return profile_cmd_run(c->o, &po, c->d);
}

static const struct cmd_opt S_probe_opts[] = {
	{"product", 'p', "ID", "probe only this product's servers"},
	{"timeout", 0, "S", "seconds allowed per entry, all steps together (default: 10)"},
	{"jobs", 'j', "N", "entries probed at the same time (default: 8)"},
	{"ca", 0, "FILE", "also trust the CA certificates in FILE (PEM)"},
	{"warn-days", 0, "N", "warn when a certificate expires within N days (default: 21)"},
	{"format", 0, "FORMAT", "text (default) or json (on standard output)"},
	{"site", 0, "DOMAIN", "check the published deployment for this email domain instead"},
	{"base-url", 0, "URL", "--site: where the help is published (default: site.yaml's)"},
	{"resolver", 0, "IP:PORT", "--site: ask this DNS server (tests, staging)"},
	{"connect-to", 0, "H:P:H2:P2", "--site: connect there instead, as curl --connect-to"},
	{NULL, 0, NULL, NULL}};
enum {
	PROBE_PRODUCT,
	PROBE_TIMEOUT,
	PROBE_JOBS,
	PROBE_CA,
	PROBE_WARN,
	PROBE_FORMAT,
	PROBE_SITE,
	PROBE_BASE_URL,
	PROBE_RESOLVER,
	PROBE_CONNECT_TO
};

/* Reads a number in [lo, hi] (an integer when `whole`) from an option's
 * value, if given; false, having said why, when it is not one. */
static bool S_number(const char *opt, const char *arg, double lo, double hi, bool whole,
		     double *out)
{
	if (arg == NULL)
		return true;
	char *end;
	double v = strtod(arg, &end);
	if (end == arg || *end != '\0' || !(v >= lo && v <= hi) || (whole && v != (long)v)) {
		fprintf(stderr, "mailguide probe: --%s wants a%s number from %g to %g, not '%s'\n",
			opt, whole ? " whole" : "", lo, hi, arg);
		return false;
	}
	*out = v;
	return true;
}

/* probe --site: the published deployment of one email domain. */
static int S_probe_site(struct cmd_ctx *c, double timeout, int warn)
{
	const char *const *v = c->vals;
	if (!dns_name_ok(v[PROBE_SITE])) {
		fprintf(stderr, "mailguide probe: --site wants an email domain, not '%s'\n",
			v[PROBE_SITE]);
		return 2;
	}
	if (v[PROBE_FORMAT] && strcmp(v[PROBE_FORMAT], "text") != 0) {
		fprintf(stderr, "mailguide probe: --site reports as text only\n");
		return 2;
	}
	const char *base = v[PROBE_BASE_URL];
	if (base && (strncmp(base, "https://", 8) != 0 && strncmp(base, "http://", 7) != 0)) {
		fprintf(stderr, "mailguide probe: --base-url wants an http(s) URL, not '%s'\n",
			base);
		return 2;
	}
	struct buf slash = {0}; /* page URLs are made by appending to it */
	if (base && base[strlen(base) - 1] != '/') {
		buf_printf(&slash, "%s/", base);
		base = buf_str(&slash);
	}
	struct sitecheck_opts so = {.content = c->o->content,
				    .output = c->o->output,
				    .domain = v[PROBE_SITE],
				    .base_url = base,
				    .product = v[PROBE_PRODUCT],
				    .resolver = v[PROBE_RESOLVER],
				    .connect_to = v[PROBE_CONNECT_TO],
				    .ca_file = v[PROBE_CA],
				    .timeout = timeout,
				    .warn_days = warn,
				    .quiet = c->d->quiet};
	int rc = sitecheck_run(&so, c->d);
	buf_free(&slash);
	return rc;
}

static int cmd_probe(struct cmd_ctx *c)
{
	const char *const *v = c->vals;
	if (c->argc > 0) {
		fprintf(stderr, "mailguide probe: unexpected argument '%s'\n", c->argv[0]);
		return 2;
	}
	double timeout = 10, jobs = 8, warn = 21;
	if (!S_number("timeout", v[PROBE_TIMEOUT], 0.1, 3600, false, &timeout) ||
	    !S_number("jobs", v[PROBE_JOBS], 1, 256, true, &jobs) ||
	    !S_number("warn-days", v[PROBE_WARN], 0, 3650, true, &warn))
		return 2;
	const char *format = v[PROBE_FORMAT] ? v[PROBE_FORMAT] : "text";
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
		fprintf(stderr, "mailguide probe: --format is text or json, not '%s'\n", format);
		return 2;
	}
	if (v[PROBE_SITE])
		return S_probe_site(c, timeout, (int)warn);
	struct probe_opts po = {.content = c->o->content,
				.product = v[PROBE_PRODUCT],
				.timeout = timeout,
				.ca_file = v[PROBE_CA],
				.jobs = (int)jobs,
				.json = strcmp(format, "json") == 0,
				.warn_days = (int)warn};
	return probe_run(&po, c->d);
}

static const struct cmd_opt S_dns_opts[] = {
	{"product", 'p', "ID", "only this product's records"},
	{"domain", 'd', "DOMAIN", "the records of this email domain (absolute names)"},
	{"ttl", 0, "SECONDS", "the records' TTL (default: 3600)"},
	{NULL, 0, NULL, NULL}};
enum { DNS_PRODUCT, DNS_DOMAIN, DNS_TTL };

static int cmd_dns(struct cmd_ctx *c)
{
	if (c->argc > 0) {
		fprintf(stderr, "mailguide dns: unexpected argument '%s'\n", c->argv[0]);
		return 2;
	}
	char *end;
	const char *ttl = c->vals[DNS_TTL];
	long n = ttl ? strtol(ttl, &end, 10) : 3600;
	if (ttl && (end == ttl || *end || n < 0 || n > 2147483647L)) {
		fprintf(stderr, "mailguide dns: --ttl wants a whole number of seconds, not '%s'\n",
			ttl);
		return 2;
	}
	struct dns_opts o = {.content = c->o->content,
			     .product = c->vals[DNS_PRODUCT],
			     .domain = c->vals[DNS_DOMAIN],
			     .ttl = (unsigned)n};
	return dns_run(&o, c->d);
}

static int cmd_new_locale(struct cmd_ctx *c)
{
	if (c->argc != 1) {
		fprintf(stderr, "usage: mailguide new-locale LL-CC\n");
		return 2;
	}
	return newlocale_run(c->o->content, c->argv[0], c->d);
}

static const struct cmd_opt S_serve_opts[] = {
	{"port", 'p', "N", "listen on 127.0.0.1:N (default: 8080; 0: any free port)"},
	{NULL, 0, NULL, NULL}};
enum { SERVE_PORT };

static int cmd_serve(struct cmd_ctx *c)
{
	if (c->argc > 0) {
		fprintf(stderr, "mailguide serve: unexpected argument '%s'\n", c->argv[0]);
		return 2;
	}
	struct serve_opts so = {.port = 8080};
	const char *port = c->vals[SERVE_PORT];
	if (port) {
		char *end;
		long n = strtol(port, &end, 10);
		if (end == port || *end || n < 0 || n > 65535) {
			fprintf(stderr,
				"mailguide serve: --port wants a number from 0 to 65535, "
				"not '%s'\n",
				port);
			return 2;
		}
		so.port = (unsigned)n;
	}
	return serve_run(c->o, &so, c->d);
}

static int cmd_import(struct cmd_ctx *c)
{
	if (c->argc == 0) {
		fprintf(stderr,
			"mailguide import: name one or more autoconfig files (config-v1.1.xml)\n");
		return 2;
	}
	struct import_opts o = {.files = c->argv, .n_files = c->argc};
	return import_run(&o, c->d);
}

static const struct cmd S_cmds[] = {
	{"build", "generate the site and profiles into the output directory",
	 "mailguide build [options]", S_build_opts, cmd_build},
	{"check", "check links, images, drift and translations without writing",
	 "mailguide check [--format=json] [--list-external] [--fix] [-W...] [options]\n\n"
	 "Classes for -WCLASS, -Wno-CLASS, -Werror=CLASS, -Wno-error=CLASS (also -Werror,\n"
	 "-Wall, -Wnone): links, anchors, images (errors by default); drift, literal,\n"
	 "tables, raw-html, notes, ids, files, lists, leftovers (warnings); stale,\n"
	 "structure (notes: information -Werror leaves alone).",
	 S_check_opts, cmd_check},
	{"profile", "write one personalized client profile",
	 "mailguide profile --product ID --client CLIENT --email ADDRESS [--name NAME]\n"
	 "                         [--locale LL-CC] [-o FILE] [options]",
	 S_profile_opts, cmd_profile},
	{"probe", "check the server table against the live servers",
	 "mailguide probe [--product ID] [--timeout S] [--jobs N] [--ca FILE] [--warn-days N]\n"
	 "                       [--format=json] [options]\n"
	 "       mailguide probe --site DOMAIN [--base-url URL] [--product ID] [--timeout S]\n"
	 "                       [--ca FILE] [--warn-days N] [--resolver IP:PORT]\n"
	 "                       [--connect-to HOST:PORT:HOST2:PORT2] [-o DIR] [options]",
	 S_probe_opts, cmd_probe},
	{"dns", "print the DNS records that let mail clients find the servers",
	 "mailguide dns [--product ID] [--domain DOMAIN] [--ttl SECONDS] [options]", S_dns_opts,
	 cmd_dns},
	{"serve", "preview: build, serve on 127.0.0.1, rebuild and reload on every save",
	 "mailguide serve [--port N] [-W...] [options]", S_serve_opts, cmd_serve},
	{"new-locale", "write a new locale's UI strings and guide stubs to translate",
	 "mailguide new-locale LL-CC [options]", NULL, cmd_new_locale},
	{"import", "turn Thunderbird autoconfig files into servers.yaml entries",
	 "mailguide import FILE.xml... > servers.yaml", NULL, cmd_import},
};

static void S_usage(FILE *f)
{
	fprintf(f, "usage: mailguide [options] COMMAND [ARGS]\n\nCommands:\n");
	for (size_t i = 0; i < sizeof S_cmds / sizeof S_cmds[0]; i++)
		fprintf(f, "  %-10s %s\n", S_cmds[i].name, S_cmds[i].summary);
	fprintf(f, "\nOptions for every command:\n");
	for (size_t i = 0; i < sizeof S_common_help / sizeof S_common_help[0]; i++)
		fputs(S_common_help[i], f);
	fprintf(f, "\nRun 'mailguide COMMAND --help' for a command's own options.\n");
}

static int S_main(int argc, char **argv, struct diag *d);

int main(int argc, char **argv)
{
	/* Without TZ, glibc's mktime stats /etc/localtime on every call, and
	 * libzip calls it for every entry of a zip it opens (16,000 for a big
	 * site's previous site.zip). The same zone, named once, is read once.
	 * Set before any thread starts; mailguide's own dates use UTC. */
	if (getenv("TZ") == NULL)
		setenv("TZ", ":/etc/localtime", 0);
	/* glibc gives a freed block above 128 KiB back to the kernel (its
	 * mmap threshold) and trims the heap as readily; it raises both only
	 * after such a block was freed. A build renders thousands of pages
	 * through buffers that size: without a big block freed early (as
	 * reading the binary once did), a full build took 4,000 more page
	 * faults and 6 % more CPU. Blocks up to 4 MiB come from the heap, and
	 * 16 MiB of free heap stay for the next page. */
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
	mallopt(M_TRIM_THRESHOLD, 16 << 20);
	struct diag d;
	diag_init(&d, stderr);
	int rc = S_main(argc, argv, &d);
	diag_free(&d);
	return rc;
}

static int S_main(int argc, char **argv, struct diag *d)
{
	struct build_opts o = {.content = "content", .templates = "templates", .output = "output"};
	bool version = false;
	const char *vals[CMD_MAX_OPTS] = {0};
	int rc = S_parse(argc, argv, &o, d, NULL, vals, &version);
	if (rc != 0 || (optind >= argc && !version)) {
		S_usage(rc == 1 ? stdout : stderr);
		return rc == 1 ? 0 : 2;
	}
	if (version) {
		printf("mailguide %s\n", MG_VERSION);
		return 0;
	}
	/* An installed mailguide finds its shipped templates when the current
	 * directory has none. */
	struct stat st;
	if (strcmp(o.templates, "templates") == 0 && stat("templates", &st) != 0)
		o.templates = MG_DATADIR "/templates";
	const char *name = argv[optind];
	for (size_t i = 0; i < sizeof S_cmds / sizeof S_cmds[0]; i++) {
		const struct cmd *c = &S_cmds[i];
		if (strcmp(c->name, name) != 0)
			continue;
		/* Common options may also follow the command. */
		int sub_argc = argc - optind;
		char **sub_argv = argv + optind;
		struct cmd_ctx ctx = {.o = &o, .d = d};
		rc = S_parse(sub_argc, sub_argv, &o, d, c, ctx.vals, &version);
		if (rc != 0) {
			S_cmd_help(rc == 1 ? stdout : stderr, c);
			return rc == 1 ? 0 : 2;
		}
		ctx.argc = sub_argc - optind;
		ctx.argv = sub_argv + optind;
		return c->run(&ctx);
	}
	fprintf(stderr, "mailguide: '%s' is not a command; see 'mailguide --help'\n", name);
	return 2;
}
