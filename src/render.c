/* render.c: what every renderer shares: UI strings and the server table's
 * localized labels and rows. The pages themselves are site.c's. */
#include "render.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strmap.h"

const char *render_string(struct render *r, const struct model_locale *loc, const char *key)
{
	const char *s = model_string(r->m, loc, key);
	if (s == NULL) {
		char file[64];
		snprintf(file, sizeof file, "strings/%s.yaml", r->m->site.default_locale->tag);
		diag_error(r->diag, file, 0, 0, "missing UI string '%s'", key);
		return "";
	}
	return s;
}

struct S_kept {
	char *text;
	long n;
};

struct render_memo {
	struct strmap texts; /* key -> struct S_kept in `kept` */
	struct S_kept **kept;
	size_t n_kept;
	/* Each locale's UI strings by model_locale, in the order looked up */
	const struct model_locale **strings_of;
	tpl_vars **strings;
	size_t n_strings;
};

struct render_memo *render_memo_new(void) { return xcalloc(1, sizeof(struct render_memo)); }

void render_memo_free(struct render_memo *memo)
{
	if (memo == NULL)
		return;
	for (size_t i = 0; i < memo->n_kept; i++) {
		free(memo->kept[i]->text);
		free(memo->kept[i]);
	}
	free(memo->kept);
	strmap_free(&memo->texts);
	for (size_t i = 0; i < memo->n_strings; i++)
		tpl_vars_free(memo->strings[i]);
	free(memo->strings);
	free(memo->strings_of);
	free(memo);
}

bool render_memo_get(const struct render *r, const char *key, const char **text, long *n)
{
	const struct S_kept *k = r->memo ? strmap_get(&r->memo->texts, key) : NULL;
	if (k == NULL)
		return false;
	*text = k->text;
	*n = k->n;
	return true;
}

const char *render_memo_keep(struct render *r, const char *key, char *text, long n)
{
	assert(r->memo != NULL);
	struct S_kept *k = xcalloc(1, sizeof *k);
	k->text = text;
	k->n = n;
	bool fresh = strmap_put(&r->memo->texts, key, k);
	assert(fresh); /* callers keep what render_memo_get did not find */
	(void)fresh;
	struct render_memo *memo = r->memo;
	memo->kept = xgrow(memo->kept, memo->n_kept, sizeof *memo->kept);
	memo->kept[memo->n_kept++] = k;
	return text;
}

static void S_put_strings(tpl_vars *v, const struct model_locale *loc)
{
	char name[96];
	for (size_t i = 0; i < loc->n_strings; i++) {
		snprintf(name, sizeof name, "S_%s", loc->strings[i].key);
		tpl_vars_put(v, name, loc->strings[i].value);
	}
}

/* The UI strings of `loc` over the default locale's. */
static tpl_vars *S_strings(const struct model *m, const struct model_locale *loc)
{
	tpl_vars *v = tpl_vars_new();
	S_put_strings(v, m->site.default_locale);
	if (loc != m->site.default_locale)
		S_put_strings(v, loc);
	return v;
}

void render_strings(struct render *r, tpl_dict *d, const struct model_locale *loc)
{
	struct render_memo *memo = r->memo;
	if (memo == NULL) {
		tpl_vars *v = S_strings(r->m, loc);
		tpl_set_vars(d, v); /* the values are the model's, which outlives d */
		tpl_vars_free(v);
		return;
	}
	size_t i = 0;
	while (i < memo->n_strings && memo->strings_of[i] != loc)
		i++;
	if (i == memo->n_strings) {
		memo->strings_of =
			xgrow(memo->strings_of, memo->n_strings, sizeof *memo->strings_of);
		memo->strings = xgrow(memo->strings, memo->n_strings, sizeof *memo->strings);
		memo->strings_of[i] = loc;
		memo->strings[i] = S_strings(r->m, loc);
		memo->n_strings++;
	}
	tpl_set_vars(d, memo->strings[i]);
}

/* Labels are UI strings named after the table's words, "security_ssl",
 * "auth_encrypted_password": translators see them all in one file. */
static const char *S_label(struct render *r, const struct model_locale *loc, const char *prefix,
			   const char *word)
{
	char key[64];
	snprintf(key, sizeof key, "%s_%s", prefix, word);
	for (char *p = key; *p; p++)
		if (*p == '-')
			*p = '_';
	return render_string(r, loc, key);
}

const char *render_security(struct render *r, const struct model_locale *loc, enum model_security s)
{
	return S_label(r, loc, "security", model_security_name(s));
}

const char *render_auth(struct render *r, const struct model_locale *loc, enum model_auth a)
{
	return S_label(r, loc, "auth", model_auth_name(a));
}

char *render_auths(struct render *r, const struct model_locale *loc, const struct model_server *s)
{
	struct buf b = {0};
	for (size_t i = 0; i < s->n_auths; i++) {
		if (i > 0)
			buf_puts(&b, render_string(r, loc, "auth_or"));
		buf_puts(&b, render_auth(r, loc, s->auths[i]));
	}
	return buf_detach(&b);
}

const char *render_login(struct render *r, const struct model_locale *loc, enum model_login l)
{
	return S_label(r, loc, "login", model_login_name(l));
}

char *render_pattern(struct render *r, const struct model_locale *loc, const char *pattern)
{
	char *v[3];
	const char *keys[3] = {"pattern_address", "pattern_localpart", "pattern_domain"};
	for (int k = 0; k < 3; k++) {
		struct buf b = {0};
		buf_printf(&b, "<%s>", render_string(r, loc, keys[k]));
		v[k] = buf_detach(&b);
	}
	char *out = model_pattern_with(pattern, v[0], v[1], v[2]);
	for (int k = 0; k < 3; k++)
		free(v[k]);
	return out;
}

char *render_host(struct render *r, const struct model_locale *loc, const struct model_server *s)
{
	return s->host_is_pattern ? render_pattern(r, loc, s->host) : xstrdup(s->host);
}

char *render_login_of(struct render *r, const struct model_locale *loc,
		      const struct model_server *s)
{
	return s->login == LOGIN_PATTERN ? render_pattern(r, loc, s->login_pattern)
					 : xstrdup(render_login(r, loc, s->login));
}

const char *render_protocol(struct render *r, const struct model_locale *loc, enum model_protocol p)
{
	return S_label(r, loc, "protocol", model_protocol_name(p));
}

static void S_rows(struct render *r, tpl_dict *d, const char *section, const struct model_server *s,
		   size_t n, const char *direction, const struct model_locale *loc)
{
	for (size_t i = 0; i < n; i++) {
		tpl_dict *row = tpl_section(d, section);
		tpl_set(row, "DIRECTION", render_string(r, loc, direction));
		tpl_set(row, "PROTOCOL", render_protocol(r, loc, s[i].protocol));
		char *host = render_host(r, loc, &s[i]), *login = render_login_of(r, loc, &s[i]);
		tpl_set(row, "HOST", host);
		tpl_set(row, "LOGIN", login);
		free(host);
		free(login);
		tpl_set_int(row, "PORT", (long)s[i].port);
		tpl_set(row, "SECURITY", render_security(r, loc, s[i].security));
		char *auths = render_auths(r, loc, &s[i]);
		tpl_set(row, "AUTH", auths);
		free(auths);
		/* The first server of each protocol is the one to recommend. */
		bool first = true;
		for (size_t j = 0; j < i; j++)
			first &= s[j].protocol != s[i].protocol;
		if (first)
			tpl_show(row, "PREFERRED");
	}
}

void render_server_rows(struct render *r, tpl_dict *d, const char *section,
			const struct model_product *p, const struct model_locale *loc)
{
	S_rows(r, d, section, p->incoming, p->n_incoming, "incoming", loc);
	S_rows(r, d, section, p->outgoing, p->n_outgoing, "outgoing", loc);
}
