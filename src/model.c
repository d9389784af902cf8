/* model.c: look-ups over the loaded model and the names of its enums. */
#include "model.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const S_protocols[PROTO_COUNT] = {"imap", "pop3", "smtp"};
static const char *const S_securities[SEC_COUNT] = {"ssl", "starttls", "none"};
static const char *const S_auths[AUTH_COUNT] = {"password", "encrypted-password", "ntlm", "oauth2",
						"none"};
static const char *const S_logins[LOGIN_COUNT] = {"address", "localpart", "pattern"};

void model_free(struct model *m)
{
	if (m == NULL)
		return;
	struct arena a = m->arena;
	arena_free(&a); /* the model itself lives in its arena */
}

const struct model_locale *model_locale_find(const struct model *m, const char *tag)
{
	for (size_t i = 0; i < m->site.n_locales; i++)
		if (m->site.locales[i].tag && strcasecmp(m->site.locales[i].tag, tag) == 0)
			return &m->site.locales[i];
	return NULL;
}

const struct model_product *model_product_find(const struct model *m, const char *id)
{
	for (size_t i = 0; i < m->n_providers; i++)
		for (size_t j = 0; j < m->providers[i].n_products; j++)
			if (m->providers[i].products[j].id && /* NULL while loading a bad id */
			    strcmp(m->providers[i].products[j].id, id) == 0)
				return &m->providers[i].products[j];
	return NULL;
}

const char *model_kv_get(const struct model_kv *kv, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(kv[i].key, key) == 0)
			return kv[i].value;
	return NULL;
}

const char *model_string(const struct model *m, const struct model_locale *loc, const char *key)
{
	const char *s = loc ? model_kv_get(loc->strings, loc->n_strings, key) : NULL;
	const struct model_locale *def = m->site.default_locale;
	if (s == NULL && def)
		s = model_kv_get(def->strings, def->n_strings, key);
	return s;
}

const char *model_l10n(const struct model_l10n *t, const struct model_locale *loc)
{
	for (size_t i = 0; loc && i < t->n; i++)
		if (strcasecmp(t->items[i].key, loc->tag) == 0)
			return t->items[i].value;
	return t->fallback;
}

static const struct model_server *S_find_in(const struct model_server *s, size_t n,
					    enum model_protocol protocol,
					    enum model_security security)
{
	for (size_t i = 0; i < n; i++)
		if (s[i].protocol == protocol &&
		    (security == SEC_COUNT || s[i].security == security))
			return &s[i];
	return NULL;
}

const struct model_server *model_server_find(const struct model_product *p,
					     enum model_protocol protocol,
					     enum model_security security)
{
	const struct model_server *s = S_find_in(p->incoming, p->n_incoming, protocol, security);
	return s ? s : S_find_in(p->outgoing, p->n_outgoing, protocol, security);
}

char *model_pattern_with(const char *pattern, const char *address, const char *localpart,
			 const char *domain)
{
	static const char *const ph[3] = {MODEL_PH_ADDRESS, MODEL_PH_LOCALPART, MODEL_PH_DOMAIN};
	const char *val[3] = {address, localpart, domain};
	struct buf b = {0};
	while (*pattern) {
		int k = 0;
		while (k < 3 && strncmp(pattern, ph[k], strlen(ph[k])) != 0)
			k++;
		if (k < 3) {
			buf_puts(&b, val[k]);
			pattern += strlen(ph[k]);
		} else {
			buf_putc(&b, *pattern++);
		}
	}
	return buf_detach(&b);
}

char *model_fill(const char *pattern, const char *email)
{
	const char *at = strrchr(email, '@');
	size_t n = at ? (size_t)(at - email) : strlen(email);
	char *local = xstrndup(email, n);
	char *out = model_pattern_with(pattern, email, local, at ? at + 1 : "");
	free(local);
	return out;
}

bool model_server_has_auth(const struct model_server *s, enum model_auth a)
{
	for (size_t i = 0; i < s->n_auths; i++)
		if (s->auths[i] == a)
			return true;
	return false;
}

static int S_parse(const char *const *names, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

const char *model_protocol_name(enum model_protocol p) { return S_protocols[p]; }
const char *model_security_name(enum model_security s) { return S_securities[s]; }
const char *model_auth_name(enum model_auth a) { return S_auths[a]; }
const char *model_login_name(enum model_login l) { return S_logins[l]; }
int model_protocol_parse(const char *s) { return S_parse(S_protocols, PROTO_COUNT, s); }
int model_security_parse(const char *s) { return S_parse(S_securities, SEC_COUNT, s); }
int model_auth_parse(const char *s) { return S_parse(S_auths, AUTH_COUNT, s); }
int model_login_parse(const char *s) { return S_parse(S_logins, LOGIN_COUNT, s); }
