/* dataref.c: expands {{...}} data references over a guide's tree, whose
 * adjacent text nodes are joined (guide_parse, and dialect_run after the
 * passes before this one). */
#include "dataref.h"

#include <stdlib.h>
#include <string.h>

#include "mdarena.h"
#include "tree.h"
#include "util.h"

static const char *S_label(const struct model *m, const struct model_locale *loc,
			   const char *prefix, const char *word, struct arena *a)
{
	char *key = arena_printf(a, "%s_%s", prefix, word);
	for (char *p = key; *p; p++)
		if (*p == '-')
			*p = '_';
	const char *s = model_string(m, loc, key);
	return s ? s : word;
}

/* A host or login pattern as the reader reads it, "mail.<your domain>",
 * as the settings table shows it (render_pattern). */
static const char *S_readable(const struct model *m, const struct model_locale *loc,
			      const char *pattern, struct arena *a)
{
	const char *keys[3] = {"pattern_address", "pattern_localpart", "pattern_domain"};
	const char *v[3];
	for (int k = 0; k < 3; k++) {
		const char *t = model_string(m, loc, keys[k]);
		v[k] = arena_printf(a, "<%s>", t ? t : keys[k] + 8);
	}
	char *out = model_pattern_with(pattern, v[0], v[1], v[2]);
	const char *kept = arena_strdup(a, out);
	free(out);
	return kept;
}

/* A server's methods in order of preference, "OAuth2 or Normal password"
 * (the joining word is the UI string auth_or), as the settings table shows
 * them. */
static const char *S_auths(const struct model *m, const struct model_locale *loc,
			   const struct model_server *s, struct arena *a)
{
	const char * or = model_string(m, loc, "auth_or");
	const char *out = S_label(m, loc, "auth", model_auth_name(s->auths[0]), a);
	for (size_t i = 1; i < s->n_auths; i++)
		out = arena_printf(a, "%s%s%s", out, or ? or : ", ",
				   S_label(m, loc, "auth", model_auth_name(s->auths[i]), a));
	return out;
}

const char *dataref_value(const struct model *m, const struct model_product *p,
			  const struct model_locale *loc, const char *ref, struct arena *a,
			  const char **why)
{
	*why = NULL;
	const char *colon = strchr(ref, ':');
	if (colon) {
		char *id = arena_strndup(a, ref, (size_t)(colon - ref));
		p = model_product_find(m, id);
		if (p == NULL) {
			*why = arena_printf(a, "unknown product '%s'", id);
			return NULL;
		}
		ref = colon + 1;
	}
	if (p == NULL) {
		*why = "the guide names no product (front matter 'products'), so it has no "
		       "server to refer to";
		return NULL;
	}
	if (strcmp(ref, "product") == 0)
		return model_l10n(&p->name, loc);
	if (strcmp(ref, "provider") == 0)
		return model_l10n(&p->provider->name, loc);
	if (strcmp(ref, "settings") == 0) {
		*why = "{{settings}} must stand alone in its paragraph";
		return NULL;
	}
	/* protocol[.security].field */
	char *parts[4] = {0};
	size_t n = 0;
	char *copy = arena_strdup(a, ref);
	for (char *s = copy; n < 4;) {
		parts[n++] = s;
		char *dot = strchr(s, '.');
		if (dot == NULL)
			break;
		*dot = '\0';
		s = dot + 1;
	}
	int proto = n >= 2 && n <= 3 ? model_protocol_parse(parts[0]) : -1;
	int sec = n == 3 ? model_security_parse(parts[1]) : SEC_COUNT;
	const char *field = parts[n - 1];
	static const char *const fields[] = {"host", "port", "security", "auth", "login", NULL};
	size_t f = 0;
	while (fields[f] && strcmp(fields[f], field) != 0)
		f++;
	if (proto < 0 || sec < 0 || fields[f] == NULL || n < 2 || n > 3) {
		*why = "not a data reference; write protocol[.security].field (imap, pop3, smtp; "
		       "ssl, starttls, none; host, port, security, auth, login), product, "
		       "provider or settings, optionally after 'product-id:'";
		return NULL;
	}
	const struct model_server *s =
		model_server_find(p, (enum model_protocol)proto, (enum model_security)sec);
	if (s == NULL) {
		if (sec == SEC_COUNT)
			*why = arena_printf(a, "product '%s' has no %s server", p->id, parts[0]);
		else
			*why = arena_printf(a, "product '%s' has no %s server with security %s",
					    p->id, parts[0], parts[1]);
		return NULL;
	}
	switch (f) {
	case 0:
		return s->host_is_pattern ? S_readable(m, loc, s->host, a) : s->host;
	case 1:
		return arena_printf(a, "%u", s->port);
	case 2:
		return S_label(m, loc, "security", model_security_name(s->security), a);
	case 3:
		return S_auths(m, loc, s, a);
	default:
		return s->login == LOGIN_PATTERN
			       ? S_readable(m, loc, s->login_pattern, a)
			       : S_label(m, loc, "login", model_login_name(s->login), a);
	}
}

/* Offers `cand` to `near`, keeping a copy when it is the best so far. */
static void S_try(struct nearest *near, const char *cand, struct arena *a)
{
	if (nearest_try(near, cand))
		near->best = arena_strdup(a, cand);
}

/* Every reference that gives a value for `p`, with the prefix `pre`
 * ("" or "mxplan:"), offered to `near`. */
static void S_offer(struct nearest *near, const struct model_product *p, const char *pre,
		    struct arena *a)
{
	static const char *const fields[] = {"host", "port", "security", "auth", "login"};
	char c[200];
	snprintf(c, sizeof c, "%sproduct", pre);
	S_try(near, c, a);
	snprintf(c, sizeof c, "%sprovider", pre);
	S_try(near, c, a);
	for (int pr = 0; pr < PROTO_COUNT; pr++)
		for (int sec = 0; sec <= SEC_COUNT; sec++) {
			if (model_server_find(p, (enum model_protocol)pr,
					      (enum model_security)sec) == NULL)
				continue;
			for (size_t f = 0; f < sizeof fields / sizeof *fields; f++) {
				if (sec == SEC_COUNT)
					snprintf(c, sizeof c, "%s%s.%s", pre,
						 model_protocol_name(pr), fields[f]);
				else
					snprintf(c, sizeof c, "%s%s.%s.%s", pre,
						 model_protocol_name(pr), model_security_name(sec),
						 fields[f]);
				S_try(near, c, a);
			}
		}
}

const char *dataref_nearest(const struct model *m, const struct model_product *p, const char *ref,
			    struct arena *a)
{
	struct nearest near;
	nearest_init(&near, ref, 2);
	const char *colon = strchr(ref, ':');
	if (colon == NULL && p)
		S_offer(&near, p, "", a);
	for (size_t i = 0; colon && i < m->n_providers; i++)
		for (size_t j = 0; j < m->providers[i].n_products; j++) {
			const struct model_product *q = &m->providers[i].products[j];
			char pre[140];
			snprintf(pre, sizeof pre, "%.130s:", q->id);
			S_offer(&near, q, pre, a);
		}
	return near.best ? arena_printf(a, "{{%s}}", near.best) : NULL;
}

/* `{{settings}}` or `{{product:settings}}` alone in a paragraph: the product. */
static bool S_settings_para(struct dialect *dx, cmark_node *text, const struct model_product **out)
{
	cmark_node *para = cmark_node_parent(text);
	if (cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH || cmark_node_previous(text) ||
	    cmark_node_next(text))
		return false;
	const char *s = cmark_node_get_literal(text);
	while (*s == ' ')
		s++;
	size_t len = strlen(s);
	while (len && s[len - 1] == ' ')
		len--;
	/* "{{" + [id ":"] + "settings}}" */
	if (len < 12 || strncmp(s, "{{", 2) != 0 || strncmp(s + len - 10, "settings}}", 10) != 0 ||
	    memchr(s + 2, '{', len - 2) != NULL)
		return false;
	if (len == 12 && strncmp(s, "{{settings}}", 12) == 0) {
		*out = dx->doc->n_products ? dx->doc->products[0] : NULL;
		return true;
	}
	if (len < 14 || s[len - 11] != ':')
		return false;
	char *id = arena_strndup(&dx->arena, s + 2, len - 13);
	*out = model_product_find(dx->m, id);
	return true;
}

/* The text and code nodes that hold a reference, collected before any is
 * replaced. */
struct S_refs {
	cmark_node **v;
	size_t n;
};

static void S_ref_node(cmark_node *c, void *arg)
{
	struct S_refs *r = arg;
	cmark_node_type t = cmark_node_get_type(c);
	const char *lit =
		t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE ? cmark_node_get_literal(c) : NULL;
	if (lit && strstr(lit, "{{")) {
		r->v = xgrow(r->v, r->n, sizeof *r->v);
		r->v[r->n++] = c;
	}
}

void dataref_expand(struct dialect *dx, cmark_node *root)
{
	struct S_refs r = {0};
	tree_each(root, S_ref_node, &r);
	cmark_node **nodes = r.v;
	size_t n = r.n;

	const struct model_product *first = dx->doc->n_products ? dx->doc->products[0] : NULL;
	for (size_t i = 0; i < n; i++) {
		cmark_node *c = nodes[i];
		const struct model_product *prod;
		if (cmark_node_get_type(c) == CMARK_NODE_TEXT && S_settings_para(dx, c, &prod)) {
			unsigned line, col;
			dialect_where(dx, c, "{{", &line, &col);
			if (prod == NULL) {
				diag_at(dx->diag, DIAG_ERROR, dx->doc->file, line, col, 0, NULL,
					"%s: no such product, or the guide names no product",
					cmark_node_get_literal(c));
				continue;
			}
			char *html = dx->settings_html(dx->settings_arg, prod, dx->doc->locale);
			cmark_node *block =
				cmark_node_new_with_mem(CMARK_NODE_HTML_BLOCK, mdarena_mem());
			cmark_node_set_literal(block, html);
			free(html);
			cmark_node *para = cmark_node_parent(c);
			cmark_node_insert_before(para, block);
			cmark_node_unlink(para);
			cmark_node_free(para);
			continue;
		}
		const char *s = cmark_node_get_literal(c);
		struct buf out = {0};
		const char *p = s;
		const char *open;
		while ((open = strstr(p, "{{")) != NULL) {
			buf_put(&out, p, (size_t)(open - p));
			const char *close = strstr(open + 2, "}}");
			char *ref = close ? xstrndup(open + 2, (size_t)(close - open - 2)) : NULL;
			char *needle =
				close ? xstrndup(open, (size_t)(close + 2 - open)) : xstrdup("{{");
			const char *why = NULL;
			const char *v = ref ? dataref_value(dx->m, first, dx->doc->locale, ref,
							    &dx->arena, &why)
					    : NULL;
			if (v == NULL) {
				unsigned line, col;
				dialect_where(dx, c, needle, &line, &col);
				const char *near =
					ref ? dataref_nearest(dx->m, first, ref, &dx->arena) : NULL;
				if (ref)
					diag_at(dx->diag, DIAG_ERROR, dx->doc->file, line, col,
						(unsigned)strlen(needle), NULL,
						"unknown data reference '%s': %s%s%s%s", needle,
						why, near ? "; did you mean '" : "",
						near ? near : "", near ? "'?" : "");
				else
					diag_at(dx->diag, DIAG_ERROR, dx->doc->file, line, col, 2,
						NULL, "'{{' without its closing '}}'");
				buf_puts(&out, needle);
			} else {
				buf_puts(&out, v);
			}
			p = close ? close + 2 : open + 2;
			free(ref);
			free(needle);
		}
		buf_puts(&out, p);
		cmark_node_set_literal(c, buf_str(&out));
		buf_free(&out);
	}
	free(nodes);
}
