/* load.c: the load stage. YAML in, model out; nothing else reads these files.
 *
 * Each loader walks one document with ydoc's typed getters, which report a
 * mistake and let the walk go on, so one run shows every error. Values live
 * in the model's arena. */
#include "load.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cfile.h"
#include "paths.h"
#include "ydoc.h"

struct loader {
	struct model *m;
	struct diag *d;
	const char *dir;
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *S_path(struct loader *l, const char *name)
{
	char *p = path_join(l->dir, name);
	char *kept = arena_strdup(&l->m->arena, p);
	free(p);
	return kept;
}

static char *S_dup(struct loader *l, const char *s) { return arena_strdup(&l->m->arena, s); }

static const char *S_or(const char *s, const char *fallback) { return s ? s : fallback; }

static struct model_pos S_pos(struct ydoc *y, yaml_node_t *n)
{
	return (struct model_pos){y->file, ydoc_line(y, n), ydoc_col(n)};
}

/* Opens and parses one YAML file. A missing optional file is not an error. */
static bool S_open(struct loader *l, struct ydoc *y, const char *file, bool required)
{
	struct buf text = {0};
	enum cfile_status st = cfile_read(l->dir, file, CFILE_MAX_TEXT, &text, l->d);
	if (st != CFILE_OK) {
		if (st == CFILE_MISSING && required)
			diag_error(l->d, file, 0, 0, "cannot read: %s", strerror(ENOENT));
		buf_free(&text);
		*y = (struct ydoc){0};
		return false;
	}
	bool ok = ydoc_load(y, file, buf_str(&text), text.len, 0, l->d);
	buf_free(&text);
	if (ok && ydoc_root(y) == NULL) {
		diag_error(l->d, file, 1, 1, "the file is empty");
		ok = false;
	}
	return ok;
}

/* ---- small validators ---------------------------------------------------- */

static bool S_id_ok(const char *s)
{
	if (!islower((unsigned char)s[0]) && !isdigit((unsigned char)s[0]))
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '-')
			return false;
	return true;
}

/* An id names output paths and data references: lower-case letters, digits
 * and hyphens only, so it can never spell "..", "/" or a reserved name. */
static const char *S_id(struct loader *l, struct ydoc *y, yaml_node_t *n, const char *key)
{
	const char *s = ydoc_string(y, n, key);
	if (s == NULL)
		return NULL;
	if (strlen(s) > 64 || !S_id_ok(s)) {
		ydoc_error(y, n,
			   "'%s' must be 1-64 lower-case letters, digits and hyphens, not '%s'",
			   key, s);
		return NULL;
	}
	if (paths_name_reserved(s, strlen(s))) {
		ydoc_error(y, n, "'%s' may not be '%s', a name Windows reserves for devices", key,
			   s);
		return NULL;
	}
	return S_dup(l, s);
}

static bool S_host_ok(const char *s)
{
	size_t len = strlen(s), label = 0;
	if (len == 0 || len > 253)
		return false;
	for (const char *p = s; *p; p++) {
		if (*p == '.') {
			if (label == 0)
				return false;
			label = 0;
		} else if (isalnum((unsigned char)*p) || *p == '-') {
			if (++label > 63)
				return false;
		} else {
			return false;
		}
	}
	return label > 0;
}

static const char *S_host(struct loader *l, struct ydoc *y, yaml_node_t *n, const char *key)
{
	const char *s = ydoc_string(y, n, key);
	if (s && !S_host_ok(s)) {
		ydoc_error(y, n, "'%s' is not a valid host name: '%s'", key, s);
		return NULL;
	}
	return s ? S_dup(l, s) : NULL;
}

static const char *S_url(struct loader *l, struct ydoc *y, yaml_node_t *n, const char *key)
{
	const char *s = ydoc_string(y, n, key);
	if (s == NULL)
		return NULL;
	if (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0) {
		ydoc_error(y, n, "'%s' must be an absolute http(s) URL, not '%s'", key, s);
		return NULL;
	}
	for (const char *p = s; *p; p++) {
		if ((unsigned char)*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\\') {
			ydoc_error(y, n, "'%s' has a character that must be percent-encoded", key);
			return NULL;
		}
	}
	return S_dup(l, s);
}

/* An enum value by its name in the table, or an error listing the names. */
static int S_enum(struct ydoc *y, yaml_node_t *n, const char *key, int (*parse)(const char *),
		  const char *choices)
{
	const char *s = ydoc_string(y, n, key);
	if (s == NULL)
		return -1;
	int v = parse(s);
	if (v < 0)
		ydoc_error(y, n, "unknown %s '%s'; expected one of: %s", key, s, choices);
	return v;
}

/* ---- BCP 47 ---------------------------------------------------------------- */

static bool S_all(const char *s, size_t n, int (*pred)(int))
{
	for (size_t i = 0; i < n; i++)
		if (!pred((unsigned char)s[i]))
			return false;
	return true;
}

bool load_bcp47(const char *tag, char *out, size_t outsize)
{
	size_t len = strlen(tag);
	if (len == 0 || len >= outsize || len > 35)
		return false;
	size_t pos = 0, part = 0;
	int stage = 0; /* 0 language, 1 script, 2 region, 3 variants */
	while (pos <= len) {
		size_t n = strcspn(tag + pos, "-");
		const char *s = tag + pos;
		char *o = out + pos;
		if (n == 0)
			return false;
		for (size_t i = 0; i < n; i++)
			o[i] = (char)tolower((unsigned char)s[i]);
		if (part == 0) {
			if (n < 2 || n > 3 || !S_all(s, n, isalpha))
				return false;
			stage = 1;
		} else if (stage <= 1 && n == 4 && S_all(s, n, isalpha)) {
			o[0] = (char)toupper((unsigned char)s[0]);
			stage = 2;
		} else if (stage <= 2 &&
			   ((n == 2 && S_all(s, n, isalpha)) || (n == 3 && S_all(s, n, isdigit)))) {
			for (size_t i = 0; i < n; i++)
				o[i] = (char)toupper((unsigned char)s[i]);
			stage = 3;
		} else if ((n >= 5 && n <= 8 && S_all(s, n, isalnum)) ||
			   (n == 4 && isdigit((unsigned char)s[0]) && S_all(s, n, isalnum))) {
			stage = 3;
		} else {
			return false;
		}
		pos += n;
		if (pos < len)
			out[pos] = '-';
		pos++;
		part++;
	}
	out[len] = '\0';
	return true;
}

/* ---- site.yaml ------------------------------------------------------------- */

static const struct model_kv *S_string_map(struct loader *l, struct ydoc *y, yaml_node_t *map,
					   const char *what, size_t *n_out)
{
	*n_out = 0;
	if (!ydoc_is(y, map, YAML_MAPPING_NODE, what))
		return NULL;
	size_t n = ydoc_len(map);
	struct model_kv *kv = arena_alloc(&l->m->arena, (n ? n : 1) * sizeof *kv);
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *k = ydoc_key(y, map, i), *v = ydoc_value(y, map, i);
		const char *key = ydoc_string(y, k, what);
		const char *val = ydoc_text(y, v, key ? key : what);
		if (!key || !val)
			continue;
		bool dup = false;
		for (size_t j = 0; j < *n_out; j++)
			dup |= strcmp(kv[j].key, key) == 0;
		if (dup) {
			ydoc_error(y, k, "duplicate key '%s' in %s", key, what);
			continue;
		}
		kv[*n_out] = (struct model_kv){S_dup(l, key), S_dup(l, val), S_pos(y, k)};
		(*n_out)++;
	}
	return kv;
}

static void S_locale(struct loader *l, struct ydoc *y, yaml_node_t *k, yaml_node_t *v,
		     struct model_locale *loc)
{
	static const struct ykey keys[] = {
		{"name", true}, {"title", true}, {"placeholders", false}};
	yaml_node_t *vals[COUNT(keys)];
	const char *tag = ydoc_string(y, k, "locale");
	char canon[40];
	if (tag == NULL)
		return;
	if (!load_bcp47(tag, canon, sizeof canon)) {
		ydoc_error(y, k, "'%s' is not a BCP 47 language tag (like en-gb or pt-br)", tag);
		return;
	}
	/* "nul", "con", "aux" and "prn" are well-formed (ISO 639-3 shaped)
	 * but would name an output folder Windows cannot create. */
	if (paths_name_reserved(tag, strlen(tag))) {
		ydoc_error(y, k, "locale '%s' is a name Windows reserves for devices", tag);
		return;
	}
	loc->pos = S_pos(y, k);
	loc->tag = S_dup(l, tag);
	for (char *p = (char *)loc->tag; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	loc->bcp47 = S_dup(l, canon);
	ydoc_mapping(y, v, "locale", keys, COUNT(keys), vals, DIAG_ERROR);
	if (vals[0])
		loc->name = S_dup(l, S_or(ydoc_text(y, vals[0], "name"), ""));
	if (vals[1])
		loc->title = S_dup(l, S_or(ydoc_text(y, vals[1], "title"), ""));
	if (vals[2])
		loc->placeholders =
			S_string_map(l, y, vals[2], "placeholders", &loc->n_placeholders);
}

/* signing: {certificate: FILE, key: FILE, chain: FILE}, relative to the
 * content directory; read when the profiles are signed, not here. */
static void S_signing(struct loader *l, struct ydoc *y, yaml_node_t *n, struct model_signing *s)
{
	static const struct ykey keys[] = {{"certificate", true}, {"key", true}, {"chain", false}};
	yaml_node_t *vals[COUNT(keys)];
	if (!ydoc_mapping(y, n, "signing", keys, COUNT(keys), vals, DIAG_ERROR))
		return;
	const char **out[] = {&s->certificate, &s->key, &s->chain};
	for (size_t i = 0; i < COUNT(keys); i++) {
		const char *v = vals[i] ? ydoc_string(y, vals[i], keys[i].name) : NULL;
		if (v != NULL) {
			char *p = path_join(l->dir, v);
			*out[i] = S_dup(l, p);
			free(p);
		}
	}
	s->pos = S_pos(y, n);
}

static void S_site(struct loader *l, struct ydoc *y)
{
	static const struct ykey keys[] = {{"base_url", true},        {"default_locale", true},
					   {"allow_raw_html", false}, {"locales", true},
					   {"signing", false},        {"discovery_host", false}};
	yaml_node_t *vals[COUNT(keys)];
	struct model_site *site = &l->m->site;
	ydoc_mapping(y, ydoc_root(y), "site settings", keys, COUNT(keys), vals, DIAG_ERROR);
	if (vals[0] && (site->base_url = S_url(l, y, vals[0], "base_url")) != NULL) {
		size_t n = strlen(site->base_url);
		if (site->base_url[n - 1] != '/')
			site->base_url = arena_printf(&l->m->arena, "%s/", site->base_url);
	}
	if (vals[2])
		ydoc_bool(y, vals[2], "allow_raw_html", &site->allow_raw_html);
	if (vals[4])
		S_signing(l, y, vals[4], &site->signing);
	if (vals[5]) {
		site->discovery_host = S_host(l, y, vals[5], "discovery_host");
		site->discovery_pos = S_pos(y, vals[5]);
	}
	if (vals[3] && ydoc_is(y, vals[3], YAML_MAPPING_NODE, "locales")) {
		size_t n = ydoc_len(vals[3]);
		if (n > MODEL_MAX_LOCALES) {
			ydoc_error(y, vals[3], "%zu locales; the limit is %d", n,
				   MODEL_MAX_LOCALES);
			n = MODEL_MAX_LOCALES;
		}
		struct model_locale *locs = arena_alloc(&l->m->arena, (n ? n : 1) * sizeof *locs);
		for (size_t i = 0; i < n; i++) {
			yaml_node_t *k = ydoc_key(y, vals[3], i);
			S_locale(l, y, k, ydoc_value(y, vals[3], i), &locs[i]);
			for (size_t j = 0; locs[i].tag && j < i; j++)
				if (locs[j].tag && strcmp(locs[j].tag, locs[i].tag) == 0)
					ydoc_error(y, k, "duplicate locale '%s'", locs[i].tag);
		}
		if (n == 0)
			ydoc_error(y, vals[3], "'locales' must list at least one locale");
		site->locales = locs;
		site->n_locales = n;
	}
	if (vals[1] && site->locales) {
		const char *tag = ydoc_string(y, vals[1], "default_locale");
		if (tag && (site->default_locale = model_locale_find(l->m, tag)) == NULL)
			ydoc_error(y, vals[1], "default locale '%s' is not in 'locales'", tag);
	}
}

/* ---- strings/<locale>.yaml -------------------------------------------------- */

/* The default locale's names, all of them, as one list for a message. */
static char *S_key_list(const struct model_locale *def)
{
	struct buf b = {0};
	for (size_t i = 0; i < def->n_strings; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", def->strings[i].key);
	return buf_detach(&b);
}

/* Every name of the default locale must be in each translation's file: a
 * missing one would silently show the default's text, and a locale without
 * a file would show the default's whole interface. A name only a
 * translation has is a typo (warning). `adding` names a locale being set
 * up by `mailguide new-locale`, whose file may not exist yet. */
static void S_strings_match(struct loader *l, const struct model_locale *loc, const char *file,
			    bool found)
{
	const struct model_locale *def = l->m->site.default_locale;
	if (!found) {
		char *keys = S_key_list(def);
		diag_error(
			l->d, loc->pos.file, loc->pos.line, loc->pos.col,
			"locale '%s' has no UI strings file %s; it needs the %zu names of %s.yaml: "
			"%s ('mailguide new-locale %s' writes one to translate)",
			loc->tag, file, def->n_strings, def->tag, keys, loc->tag);
		free(keys);
		return;
	}
	for (size_t i = 0; i < def->n_strings; i++) {
		const struct model_kv *kv = &def->strings[i];
		if (model_kv_get(loc->strings, loc->n_strings, kv->key) == NULL)
			diag_error(
				l->d, file, 0, 0,
				"UI string '%s' is missing (%s:%u defines it); add it, translated",
				kv->key, kv->pos.file, kv->pos.line);
	}
	for (size_t i = 0; i < loc->n_strings; i++) {
		const struct model_kv *kv = &loc->strings[i];
		if (model_kv_get(def->strings, def->n_strings, kv->key) == NULL)
			diag_warning(l->d, kv->pos.file, kv->pos.line, kv->pos.col,
				     "UI string '%s' is not in the default locale's %s.yaml",
				     kv->key, def->tag);
	}
}

static void S_strings(struct loader *l, struct model_locale *loc, const char *adding)
{
	char name[64];
	snprintf(name, sizeof name, "strings/%s.yaml", loc->tag);
	const char *file = S_path(l, name);
	struct ydoc y;
	bool is_default = loc == l->m->site.default_locale;
	bool is_new = adding && strcmp(adding, loc->tag) == 0;
	int errors = l->d->errors;
	bool found = S_open(l, &y, file, is_default);
	if (found)
		loc->strings = S_string_map(l, &y, ydoc_root(&y), "UI strings", &loc->n_strings);
	ydoc_free(&y);
	/* A file that could not be read or parsed was reported already. */
	if (is_default || l->d->errors != errors || (is_new && !found))
		return;
	S_strings_match(l, loc, file, found);
}
/* ---- servers.yaml ------------------------------------------------------------ */

static void S_l10n(struct loader *l, struct ydoc *y, yaml_node_t *name, yaml_node_t *names,
		   struct model_l10n *out)
{
	out->fallback = name ? S_dup(l, S_or(ydoc_text(y, name, "name"), "")) : "";
	if (names == NULL)
		return;
	out->items = S_string_map(l, y, names, "names", &out->n);
	for (size_t i = 0; i < out->n; i++) {
		const struct model_kv *kv = &out->items[i];
		if (model_locale_find(l->m, kv->key) == NULL)
			diag_error(l->d, kv->pos.file, kv->pos.line, kv->pos.col,
				   "'%s' is not one of the site's locales", kv->key);
	}
}

/* The length of the placeholder at `s` (MODEL_PH_*) that `allowed` lists
 * by its bit (1 address, 2 local part, 4 domain), or 0. */
static size_t S_placeholder(const char *s, unsigned allowed)
{
	static const char *const ph[3] = {MODEL_PH_ADDRESS, MODEL_PH_LOCALPART, MODEL_PH_DOMAIN};
	for (int k = 0; k < 3; k++)
		if ((allowed & (1u << k)) && strncmp(s, ph[k], strlen(ph[k])) == 0)
			return strlen(ph[k]);
	return 0;
}

/* Checks a pattern: every '%' opens a placeholder `allowed` lists; other
 * characters pass `ok`. Writes into `probe` the pattern with each
 * placeholder as "x" (what the rest must be valid with), and returns the
 * number of placeholders, or -1 after reporting. */
static int S_pattern(struct ydoc *y, yaml_node_t *n, const char *key, const char *s,
		     unsigned allowed, int (*ok)(int), struct buf *probe)
{
	int count = 0;
	for (const char *p = s; *p;) {
		size_t len = *p == '%' ? S_placeholder(p, allowed) : 0;
		if (len > 0) {
			buf_putc(probe, 'x');
			p += len;
			count++;
		} else if (*p == '%' || !ok((unsigned char)*p)) {
			ydoc_error(y, n, "'%s' has '%c' where only %s may stand: '%s'", key, *p,
				   *p == '%' ? (allowed & 1 ? "%EMAILADDRESS%, %EMAILLOCALPART% or "
							      "%EMAILDOMAIN%"
							    : "%EMAILLOCALPART% or %EMAILDOMAIN%")
					     : "letters, digits and . _ + = @ - or a placeholder",
				   s);
			return -1;
		} else {
			buf_putc(probe, *p++);
		}
	}
	return count;
}

static int S_login_char(int c) { return isalnum(c) || (c && strchr("._+=@-", c) != NULL); }
static int S_host_char(int c) { return isalnum(c) || c == '.' || c == '-'; }

/* host: a host name, or a pattern with %EMAILLOCALPART% or %EMAILDOMAIN%
 * ("mail.%EMAILDOMAIN%") that is a host name once they are filled in. */
static void S_server_host(struct loader *l, struct ydoc *y, yaml_node_t *n, struct model_server *s)
{
	const char *h = ydoc_string(y, n, "host");
	if (h == NULL)
		return;
	if (strchr(h, '%') == NULL) {
		s->host = S_host(l, y, n, "host");
		return;
	}
	struct buf probe = {0};
	int count = S_pattern(y, n, "host", h, 6, S_host_char, &probe);
	/* Two placeholders are plenty (real tables use one); the bound keeps
	 * matching a pattern against a guide's text (drift.c) cheap. */
	if (count > MODEL_MAX_HOST_PLACEHOLDERS)
		ydoc_error(y, n, "'host' has %d placeholders; the limit is %d", count,
			   MODEL_MAX_HOST_PLACEHOLDERS);
	else if (count > 0 && (!S_host_ok(buf_str(&probe)) || strlen(h) > 253))
		ydoc_error(y, n, "'host' is not a valid host name pattern: '%s'", h);
	else if (count > 0) {
		s->host = S_dup(l, h);
		s->host_is_pattern = true;
	}
	buf_free(&probe);
}

/* login: address, localpart, or a pattern of Thunderbird's placeholders
 * ("%EMAILLOCALPART%.%EMAILDOMAIN%"); "%EMAILADDRESS%" and
 * "%EMAILLOCALPART%" alone are the first two. A word without a placeholder
 * is an unknown value (a typo of "address" must not become a login). */
static void S_login(struct loader *l, struct ydoc *y, yaml_node_t *n, struct model_server *s)
{
	const char *v = ydoc_string(y, n, "login");
	if (v == NULL)
		return;
	if (strcmp(v, "address") == 0 || strcmp(v, MODEL_PH_ADDRESS) == 0)
		return;
	if (strcmp(v, "localpart") == 0 || strcmp(v, MODEL_PH_LOCALPART) == 0) {
		s->login = LOGIN_LOCALPART;
		s->login_pattern = MODEL_PH_LOCALPART;
		return;
	}
	if (strchr(v, '%') == NULL) {
		ydoc_error(y, n,
			   "unknown login '%s'; expected one of: address, localpart, or a "
			   "pattern such as %%EMAILLOCALPART%%.%%EMAILDOMAIN%%",
			   v);
		return;
	}
	struct buf probe = {0};
	int count = S_pattern(y, n, "login", v, 7, S_login_char, &probe);
	buf_free(&probe);
	if (count > 0 && strlen(v) > 255)
		ydoc_error(y, n, "'login' is longer than 255 characters");
	else if (count > 0) {
		s->login = LOGIN_PATTERN;
		s->login_pattern = S_dup(l, v);
	}
}

/* pop3: {leave_on_server: BOOL, days_on_server: N, download_on_biff: BOOL}. */
static void S_pop3(struct ydoc *y, yaml_node_t *n, struct model_pop3 *out)
{
	static const struct ykey keys[] = {
		{"leave_on_server", false}, {"days_on_server", false}, {"download_on_biff", false}};
	yaml_node_t *v[COUNT(keys)];
	if (!ydoc_mapping(y, n, "pop3", keys, COUNT(keys), v, DIAG_ERROR))
		return;
	bool b;
	unsigned long days;
	if (v[0] && ydoc_bool(y, v[0], "leave_on_server", &b))
		out->leave_on_server = b;
	if (v[1] && ydoc_uint(y, v[1], "days_on_server", 1, 36500, &days))
		out->days_on_server = (long)days;
	if (v[2] && ydoc_bool(y, v[2], "download_on_biff", &b))
		out->download_on_biff = b;
}

/* auth: one method, or a list in order of preference; absent: password.
 * Each method once, and "none" only alone (a server that needs no login
 * has nothing to fall back from). */
static void S_auths(struct ydoc *y, yaml_node_t *n, struct model_server *s)
{
	static const char choices[] = "password, encrypted-password, ntlm, oauth2, none";
	s->auths[0] = AUTH_PASSWORD;
	s->n_auths = 1;
	if (n == NULL || n->type == YAML_SCALAR_NODE) {
		int a = n ? S_enum(y, n, "auth", model_auth_parse, choices) : AUTH_PASSWORD;
		s->auths[0] = a >= 0 ? (enum model_auth)a : AUTH_PASSWORD;
		return;
	}
	if (!ydoc_is(y, n, YAML_SEQUENCE_NODE, "auth"))
		return;
	size_t len = ydoc_len(n), k = 0;
	if (len == 0 || len > AUTH_COUNT) {
		ydoc_error(y, n, "'auth' lists %zu methods; give 1 to %d, most preferred first",
			   len, AUTH_COUNT);
		return;
	}
	for (size_t i = 0; i < len; i++) {
		yaml_node_t *item = ydoc_item(y, n, i);
		int a = S_enum(y, item, "auth", model_auth_parse, choices);
		if (a < 0)
			continue;
		s->n_auths = k;
		if (model_server_has_auth(s, (enum model_auth)a))
			ydoc_error(y, item, "'auth' lists '%s' twice",
				   model_auth_name((enum model_auth)a));
		else if (a == AUTH_NONE && len > 1)
			ydoc_error(y, item,
				   "'auth: none' must stand alone: a server without "
				   "authentication has no other method");
		else
			s->auths[k++] = (enum model_auth)a;
	}
	s->n_auths = k ? k : 1;
}

static void S_server(struct loader *l, struct ydoc *y, yaml_node_t *n, bool outgoing,
		     struct model_server *s)
{
	static const struct ykey keys[] = {{"protocol", true}, {"host", true},  {"port", true},
					   {"security", true}, {"auth", false}, {"login", false},
					   {"pop3", false}};
	yaml_node_t *v[COUNT(keys)];
	s->pos = S_pos(y, n);
	if (!ydoc_is(y, n, YAML_MAPPING_NODE, "server"))
		return;
	ydoc_mapping(y, n, "server", keys, COUNT(keys), v, DIAG_ERROR);
	int proto =
		v[0] ? S_enum(y, v[0], "protocol", model_protocol_parse, "imap, pop3, smtp") : -1;
	if (proto >= 0) {
		s->protocol = (enum model_protocol)proto;
		if (outgoing != (proto == PROTO_SMTP))
			ydoc_error(y, v[0], "an %s server cannot use protocol '%s'",
				   outgoing ? "outgoing" : "incoming",
				   model_protocol_name(s->protocol));
	}
	if (v[1])
		S_server_host(l, y, v[1], s);
	unsigned long port;
	if (v[2] && ydoc_uint(y, v[2], "port", 1, 65535, &port))
		s->port = (unsigned)port;
	int sec = v[3] ? S_enum(y, v[3], "security", model_security_parse, "ssl, starttls, none")
		       : -1;
	s->security = sec >= 0 ? (enum model_security)sec : SEC_SSL;
	S_auths(y, v[4], s);
	s->login = LOGIN_ADDRESS;
	s->login_pattern = MODEL_PH_ADDRESS;
	if (v[5])
		S_login(l, y, v[5], s);
	s->pop3 = (struct model_pop3){-1, -1, -1};
	if (v[6] && proto != PROTO_POP3)
		ydoc_error(y, v[6], "'pop3' settings belong to a POP3 server");
	else if (v[6])
		S_pop3(y, v[6], &s->pop3);
}

/* Two entries that say the same thing. Real tables list one host and port
 * twice with another login or authentication (a client tries them in
 * turn), so only an entry equal in every field is a duplicate. */
static bool S_same_server(const struct model_server *a, const struct model_server *b)
{
	if (!a->host || !b->host || a->port != b->port || a->protocol != b->protocol ||
	    strcasecmp(a->host, b->host) != 0 || a->security != b->security ||
	    strcmp(a->login_pattern, b->login_pattern) != 0 || a->n_auths != b->n_auths)
		return false;
	return memcmp(a->auths, b->auths, a->n_auths * sizeof a->auths[0]) == 0;
}

static const struct model_server *S_servers(struct loader *l, struct ydoc *y, yaml_node_t *n,
					    bool outgoing, const char *product, size_t *count,
					    yaml_node_t *where)
{
	const char *key = outgoing ? "outgoing" : "incoming";
	*count = 0;
	if (n == NULL)
		return NULL;
	if (!ydoc_is(y, n, YAML_SEQUENCE_NODE, key))
		return NULL;
	size_t len = ydoc_len(n);
	if (len == 0)
		ydoc_error(y, where, "product '%s' has no %s server", product ? product : "?", key);
	if (len > MODEL_MAX_SERVERS) {
		ydoc_error(y, n, "product '%s' has %zu %s servers; the limit is %d",
			   product ? product : "?", len, key, MODEL_MAX_SERVERS);
		len = MODEL_MAX_SERVERS;
	}
	struct model_server *s = arena_alloc(&l->m->arena, (len ? len : 1) * sizeof *s);
	for (size_t i = 0; i < len; i++) {
		yaml_node_t *item = ydoc_item(y, n, i);
		S_server(l, y, item, outgoing, &s[i]);
		for (size_t j = 0; j < i; j++)
			if (S_same_server(&s[j], &s[i]))
				ydoc_error(y, item, "duplicate server %s:%u in product '%s'",
					   s[i].host, s[i].port, product ? product : "?");
	}
	*count = len;
	return s;
}

static void S_domains(struct loader *l, struct ydoc *y, yaml_node_t *n, struct model_product *p)
{
	if (!ydoc_is(y, n, YAML_SEQUENCE_NODE, "domains"))
		return;
	size_t len = ydoc_len(n);
	if (len > MODEL_MAX_DOMAINS) {
		ydoc_error(y, n, "%zu domains; the limit is %d", len, MODEL_MAX_DOMAINS);
		len = MODEL_MAX_DOMAINS;
	}
	const char **d = arena_alloc(&l->m->arena, (len ? len : 1) * sizeof *d);
	for (size_t i = 0; i < len; i++) {
		yaml_node_t *item = ydoc_item(y, n, i);
		const char *s = ydoc_string(y, item, "domains");
		if (s && strcmp(s, "*") == 0)
			p->any_domain = true;
		else if (s && !S_host_ok(s))
			ydoc_error(y, item, "'%s' is not a valid email domain", s);
		else if (s)
			d[p->n_domains++] = S_dup(l, s);
	}
	if (len == 0)
		ydoc_error(y, n, "'domains' must list at least one domain, or \"*\" for any");
	p->domains = d;
}

/* documentation: [{url: URL, descr: {LANG: TEXT, ...}}, ...]. The
 * languages are the table's own (autoconfig's descr lang), not only the
 * site's locales. */
static void S_docs(struct loader *l, struct ydoc *y, yaml_node_t *n, struct model_product *p)
{
	static const struct ykey keys[] = {{"url", true}, {"descr", false}};
	if (!ydoc_is(y, n, YAML_SEQUENCE_NODE, "documentation"))
		return;
	size_t len = ydoc_len(n);
	if (len > MODEL_MAX_DOCS) {
		ydoc_error(y, n, "%zu documentation links; the limit is %d", len, MODEL_MAX_DOCS);
		len = MODEL_MAX_DOCS;
	}
	struct model_doc *d = arena_alloc(&l->m->arena, (len ? len : 1) * sizeof *d);
	for (size_t i = 0; i < len; i++) {
		yaml_node_t *item = ydoc_item(y, n, i), *v[COUNT(keys)];
		if (!ydoc_mapping(y, item, "documentation link", keys, COUNT(keys), v, DIAG_ERROR))
			continue;
		d[i].url = v[0] ? S_url(l, y, v[0], "url") : NULL;
		if (v[1])
			d[i].descr = S_string_map(l, y, v[1], "descr", &d[i].n_descr);
		for (size_t k = 0; k < d[i].n_descr; k++) {
			const char *lang = d[i].descr[k].key;
			bool ok = strlen(lang) <= 35;
			for (const char *c = lang; *c; c++)
				ok &= isalnum((unsigned char)*c) || *c == '-';
			if (!ok || !*lang)
				diag_error(l->d, d[i].descr[k].pos.file, d[i].descr[k].pos.line,
					   d[i].descr[k].pos.col,
					   "'%s' is not a language tag (letters, digits and '-')",
					   lang);
		}
	}
	p->docs = d;
	p->n_docs = len;
}

/* oauth2: {issuer: HOST, scope: TEXT, auth_url: URL, token_url: URL}. */
static void S_oauth2(struct loader *l, struct ydoc *y, yaml_node_t *n, struct model_product *p)
{
	static const struct ykey keys[] = {
		{"issuer", true}, {"scope", true}, {"auth_url", true}, {"token_url", true}};
	yaml_node_t *v[COUNT(keys)];
	if (!ydoc_mapping(y, n, "oauth2", keys, COUNT(keys), v, DIAG_ERROR))
		return;
	struct model_oauth2 *o = arena_alloc(&l->m->arena, sizeof *o);
	o->issuer = S_host(l, y, v[0], "issuer");
	const char *scope = ydoc_text(y, v[1], "scope");
	o->scope = scope ? S_dup(l, scope) : NULL;
	o->auth_url = S_url(l, y, v[2], "auth_url");
	o->token_url = S_url(l, y, v[3], "token_url");
	p->oauth2 = o;
}

static void S_product(struct loader *l, struct ydoc *y, yaml_node_t *n,
		      const struct model_provider *prov, struct model_product *p)
{
	static const struct ykey keys[] = {{"id", true},
					   {"name", true},
					   {"names", false},
					   {"domains", true},
					   {"incoming", true},
					   {"outgoing", true},
					   {"display_name", false},
					   {"short_name", false},
					   {"documentation", false},
					   {"oauth2", false}};
	yaml_node_t *v[COUNT(keys)];
	p->provider = prov;
	p->pos = S_pos(y, n);
	if (!ydoc_is(y, n, YAML_MAPPING_NODE, "product"))
		return;
	ydoc_mapping(y, n, "product", keys, COUNT(keys), v, DIAG_ERROR);
	if (v[0])
		p->id = S_id(l, y, v[0], "id");
	S_l10n(l, y, v[1], v[2], &p->name);
	if (v[3])
		S_domains(l, y, v[3], p);
	p->incoming = S_servers(l, y, v[4], false, p->id, &p->n_incoming, n);
	p->outgoing = S_servers(l, y, v[5], true, p->id, &p->n_outgoing, n);
	const char *text;
	if (v[6] && (text = ydoc_text(y, v[6], "display_name")) != NULL)
		p->display_name = S_dup(l, text);
	if (v[7] && (text = ydoc_text(y, v[7], "short_name")) != NULL)
		p->short_name = S_dup(l, text);
	if (v[8])
		S_docs(l, y, v[8], p);
	if (v[9])
		S_oauth2(l, y, v[9], p);
}

static void S_provider(struct loader *l, struct ydoc *y, yaml_node_t *n, struct model_provider *p)
{
	static const struct ykey keys[] = {
		{"id", true},           {"name", true},         {"names", false},  {"domain", true},
		{"support_url", false}, {"webmail_url", false}, {"products", true}};
	yaml_node_t *v[COUNT(keys)];
	p->pos = S_pos(y, n);
	if (!ydoc_is(y, n, YAML_MAPPING_NODE, "provider"))
		return;
	ydoc_mapping(y, n, "provider", keys, COUNT(keys), v, DIAG_ERROR);
	if (v[0])
		p->id = S_id(l, y, v[0], "id");
	S_l10n(l, y, v[1], v[2], &p->name);
	if (v[3])
		p->domain = S_host(l, y, v[3], "domain");
	if (v[4])
		p->support_url = S_url(l, y, v[4], "support_url");
	if (v[5])
		p->webmail_url = S_url(l, y, v[5], "webmail_url");
	if (v[6] && ydoc_is(y, v[6], YAML_SEQUENCE_NODE, "products")) {
		size_t len = ydoc_len(v[6]);
		if (len > MODEL_MAX_PRODUCTS) {
			ydoc_error(y, v[6], "provider '%s' has %zu products; the limit is %d",
				   p->id ? p->id : "?", len, MODEL_MAX_PRODUCTS);
			len = MODEL_MAX_PRODUCTS;
		}
		struct model_product *prods =
			arena_alloc(&l->m->arena, (len ? len : 1) * sizeof *prods);
		for (size_t i = 0; i < len; i++)
			S_product(l, y, ydoc_item(y, v[6], i), p, &prods[i]);
		if (len == 0)
			ydoc_error(y, v[6], "provider '%s' has no products", p->id ? p->id : "?");
		p->products = prods;
		p->n_products = len;
	}
}

/* Provider ids name output folders and product ids are used bare in guides,
 * so each must be unique across the whole table. */
static void S_unique_ids(struct loader *l)
{
	const struct model *m = l->m;
	for (size_t i = 0; i < m->n_providers; i++) {
		const struct model_provider *p = &m->providers[i];
		for (size_t j = 0; p->id && j < i; j++)
			if (m->providers[j].id && strcmp(m->providers[j].id, p->id) == 0)
				diag_error(l->d, p->pos.file, p->pos.line, p->pos.col,
					   "duplicate provider id '%s'", p->id);
		for (size_t k = 0; k < p->n_products; k++) {
			const struct model_product *a = &p->products[k];
			const struct model_product *b = a->id ? model_product_find(m, a->id) : a;
			if (b != a)
				diag_error(l->d, a->pos.file, a->pos.line, a->pos.col,
					   "duplicate product id '%s' (first at line %u)", a->id,
					   b->pos.line);
		}
	}
}

static void S_table(struct loader *l, struct ydoc *y)
{
	static const struct ykey keys[] = {{"providers", true}};
	yaml_node_t *v[1];
	ydoc_mapping(y, ydoc_root(y), "server table", keys, 1, v, DIAG_ERROR);
	if (v[0] == NULL || !ydoc_is(y, v[0], YAML_SEQUENCE_NODE, "providers"))
		return;
	size_t len = ydoc_len(v[0]);
	if (len > MODEL_MAX_PROVIDERS) {
		ydoc_error(y, v[0], "%zu providers; the limit is %d", len, MODEL_MAX_PROVIDERS);
		len = MODEL_MAX_PROVIDERS;
	}
	struct model_provider *p = arena_alloc(&l->m->arena, (len ? len : 1) * sizeof *p);
	for (size_t i = 0; i < len; i++)
		S_provider(l, y, ydoc_item(y, v[0], i), &p[i]);
	if (len == 0)
		ydoc_error(y, v[0], "the server table lists no provider");
	l->m->providers = p;
	l->m->n_providers = len;
	S_unique_ids(l);
}

struct model *load_content(const char *content_dir, struct diag *d)
{
	return load_content_adding(content_dir, NULL, d);
}

struct model *load_content_adding(const char *content_dir, const char *adding, struct diag *d)
{
	struct arena a = {0};
	struct model *m = arena_alloc(&a, sizeof *m);
	m->arena = a;
	struct loader l = {.m = m, .d = d, .dir = content_dir};
	int errors = d->errors;
	struct ydoc y;

	if (S_open(&l, &y, S_path(&l, "site.yaml"), true))
		S_site(&l, &y);
	ydoc_free(&y);
	/* Strings files are named after locales: read them once those are
	 * sound, the default locale's first (the others are checked against
	 * its names). */
	bool site_ok = d->errors == errors;
	if (site_ok)
		S_strings(&l, (struct model_locale *)m->site.default_locale, adding);
	for (size_t i = 0; site_ok && i < m->site.n_locales; i++)
		if (&m->site.locales[i] != m->site.default_locale)
			S_strings(&l, (struct model_locale *)&m->site.locales[i], adding);
	if (S_open(&l, &y, S_path(&l, "servers.yaml"), true))
		S_table(&l, &y);
	ydoc_free(&y);

	if (d->errors != errors) {
		model_free(m);
		return NULL;
	}
	return m;
}
