/* main.c: the command line. One table maps subcommands to cmd_* functions,
 * as git does; options common to all are parsed once, in one place.
 *
 *   mailguide [-C DIR] [-t DIR] [-o DIR] [-q] [-v] COMMAND [ARGS]
 *
 * Exit status: 0 ok, 1 errors in the content, 2 usage errors. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "diag.h"
#include "probe.h"

#ifndef MG_DATADIR
#define MG_DATADIR "/usr/local/share/mailguide"
#endif
#ifndef MG_VERSION
#define MG_VERSION "0.1.0"
#endif

struct cmd {
	const char *name;
	const char *summary;
	const char *usage; /* the lines after "usage: " in --help */
	int (*run)(int argc, char **argv, struct build_opts *o, struct diag *d);
};

static const char S_common_help[] =
	"Options for every command:\n"
	"  -C, --content DIR     content directory (default: content)\n"
	"  -t, --templates DIR   templates directory (default: templates)\n"
	"  -o, --output DIR      output directory (default: output)\n"
	"  -q, --quiet           print errors only\n"
	"  -v, --verbose         say what is written\n"
	"  -h, --help            show this help\n";

static const struct option S_long[] = {
	{"content", required_argument, NULL, 'C'}, {"templates", required_argument, NULL, 't'},
	{"output", required_argument, NULL, 'o'},  {"quiet", no_argument, NULL, 'q'},
	{"verbose", no_argument, NULL, 'v'},       {"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},       {NULL, 0, NULL, 0}};

/* Parses the common options; returns 1 for help, 0 to go on, -1 on error.
 * `stop_at_command` stops at the first non-option (the subcommand). */
static int S_parse(int argc, char **argv, struct build_opts *o, struct diag *d,
		   bool stop_at_command, bool *version)
{
	optind = 1;
	opterr = 1;
	int c;
	const char *spec = stop_at_command ? "+C:t:o:qvh" : "C:t:o:qvh";
	while ((c = getopt_long(argc, argv, spec, S_long, NULL)) != -1) {
		switch (c) {
		case 'C': o->content = optarg; break;
		case 't': o->templates = optarg; break;
		case 'o': o->output = optarg; break;
		case 'q': d->quiet = 1; break;
		case 'v': o->verbose = 1; break;
		case 'h': return 1;
		case 'V': *version = true; break;
		default: return -1;
		}
	}
	return 0;
}

static int cmd_build(int argc, char **argv, struct build_opts *o, struct diag *d)
{
	if (argc > 0) {
		fprintf(stderr, "mailguide build: unexpected argument '%s'\n", argv[0]);
		return 2;
	}
	return build_run(o, d);
}

/* Commands whose issues have not landed yet say so and exit 2. */
static int cmd_later(const char *name)
{
	fprintf(stderr, "mailguide %s: not available in this version yet\n", name);
	return 2;
}

static int cmd_check(int argc, char **argv, struct build_opts *o, struct diag *d)
{
	(void)argc, (void)argv, (void)o, (void)d;
	return cmd_later("check");
}

static int cmd_profile(int argc, char **argv, struct build_opts *o, struct diag *d)
{
	(void)argc, (void)argv, (void)o, (void)d;
	return cmd_later("profile");
}

static const char S_probe_usage[] =
	"mailguide probe [-C DIR] [--product ID] [--timeout S] [--jobs N] [--ca FILE]\n"
	"                       [--warn-days N] [--format=text|json] [-q]";

static const char S_probe_help[] =
	"Options:\n"
	"  -C, --content DIR     content directory (default: content)\n"
	"  --product ID          probe only this product's servers\n"
	"  --timeout S           seconds allowed per entry, all steps together (default: 10)\n"
	"  --jobs N              connections at the same time (default: 8)\n"
	"  --ca FILE             also trust the CA certificates in FILE (PEM)\n"
	"  --warn-days N         warn when a certificate expires within N days (default: 21)\n"
	"  --format=json         print the results as JSON on stdout\n"
	"  -q, --quiet           print errors only\n"
	"  -h, --help            show this help\n"
	"\nExit status: 0 every entry holds (warnings allowed), 1 an entry failed or the\n"
	"content has errors, 2 usage errors.\n";

/* Reads a number in [lo, hi] from an option's argument; false if it is not one. */
static bool S_number(const char *opt, const char *arg, double lo, double hi, double *out)
{
	char *end;
	double v = strtod(arg, &end);
	if (end == arg || *end != '\0' || !(v >= lo && v <= hi)) {
		fprintf(stderr, "mailguide probe: %s wants a number from %g to %g, not '%s'\n", opt,
			lo, hi, arg);
		return false;
	}
	*out = v;
	return true;
}

/* probe has options of its own, so it parses the whole of its arguments. */
static int cmd_probe(int argc, char **argv, struct build_opts *o, struct diag *d)
{
	enum { O_PRODUCT = 256, O_TIMEOUT, O_JOBS, O_CA, O_FORMAT, O_WARN };
	static const struct option longs[] = {
		{"content", required_argument, NULL, 'C'}, {"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},          {"product", required_argument, NULL, O_PRODUCT},
		{"timeout", required_argument, NULL, O_TIMEOUT}, {"jobs", required_argument, NULL, O_JOBS},
		{"ca", required_argument, NULL, O_CA},     {"format", required_argument, NULL, O_FORMAT},
		{"warn-days", required_argument, NULL, O_WARN}, {NULL, 0, NULL, 0}};
	struct probe_opts po = {.timeout = 10, .jobs = 8, .warn_days = 21};
	double v;
	int c;
	optind = 1;
	opterr = 1;
	while ((c = getopt_long(argc, argv, "C:qh", longs, NULL)) != -1) {
		switch (c) {
		case 'C': o->content = optarg; break;
		case 'q': d->quiet = 1; break;
		case 'h': printf("usage: %s\n\n%s", S_probe_usage, S_probe_help); return 0;
		case O_PRODUCT: po.product = optarg; break;
		case O_CA: po.ca_file = optarg; break;
		case O_TIMEOUT:
			if (!S_number("--timeout", optarg, 0.1, 3600, &v))
				return 2;
			po.timeout = v;
			break;
		case O_JOBS:
			if (!S_number("--jobs", optarg, 1, 256, &v) || v != (int)v)
				return 2;
			po.jobs = (int)v;
			break;
		case O_WARN:
			if (!S_number("--warn-days", optarg, 0, 3650, &v) || v != (int)v)
				return 2;
			po.warn_days = (int)v;
			break;
		case O_FORMAT:
			if (strcmp(optarg, "json") != 0 && strcmp(optarg, "text") != 0) {
				fprintf(stderr, "mailguide probe: --format is text or json, not '%s'\n",
					optarg);
				return 2;
			}
			po.json = strcmp(optarg, "json") == 0;
			break;
		default: fprintf(stderr, "usage: %s\n", S_probe_usage); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "mailguide probe: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	po.content = o->content;
	return probe_run(&po, d);
}

static const struct cmd S_cmds[] = {
	{"build", "generate the site and profiles into the output directory", "mailguide build [options]",
	 cmd_build},
	{"check", "check links, images, drift and translations without writing",
	 "mailguide check [options]", cmd_check},
	{"profile", "write one personalized client profile",
	 "mailguide profile --product ID --client CLIENT --email ADDRESS [options]", cmd_profile},
	{"probe", "check the server table against the live servers", S_probe_usage, cmd_probe},
};

static void S_usage(FILE *f)
{
	fprintf(f, "usage: mailguide [options] COMMAND [ARGS]\n\nCommands:\n");
	for (size_t i = 0; i < sizeof S_cmds / sizeof S_cmds[0]; i++)
		fprintf(f, "  %-9s %s\n", S_cmds[i].name, S_cmds[i].summary);
	fprintf(f, "\n%s  -V, --version         print the version\n\n"
		   "Run 'mailguide COMMAND --help' for a command's own options.\n",
		S_common_help);
}

static int S_main(int argc, char **argv, struct diag *d);

int main(int argc, char **argv)
{
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
	int rc = S_parse(argc, argv, &o, d, true, &version);
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
		/* A command with options of its own parses all of its arguments. */
		if (c->run == cmd_probe)
			return c->run(sub_argc, sub_argv, &o, d);
		rc = S_parse(sub_argc, sub_argv, &o, d, false, &version);
		if (rc != 0) {
			FILE *f = rc == 1 ? stdout : stderr;
			fprintf(f, "usage: %s\n\n%s\n%s", c->usage, c->summary, S_common_help);
			return rc == 1 ? 0 : 2;
		}
		return c->run(sub_argc - optind, sub_argv + optind, &o, d);
	}
	fprintf(stderr, "mailguide: '%s' is not a command; see 'mailguide --help'\n", name);
	return 2;
}
