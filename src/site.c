/* site.c: the site's pages (see site.h for the layout). Each page is one
 * dictionary for templates/page.html.tpl: the values every page has (lang,
 * title, alternates, switcher, breadcrumbs) and one section for its kind. */
#include "site.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-extension_api.h>

#include "dialect.h"
#include "paths.h"
#include "profiles.h"
#include "qr.h"
#include "strmap.h"

#define PAGE_TPL "page.html.tpl"

/* The absolute URL of an output file, for hreflang, canonical and the
 * sitemap: base_url + path, without a trailing index.html. Caller frees. */
static char *S_abs(struct render *r, const char *path)
{
	struct buf b = {0};
	buf_puts(&b, r->m->site.base_url);
	size_t len = strlen(path);
	if (len >= 10 && strcmp(path + len - 10, "index.html") == 0)
		len -= 10;
	buf_put(&b, path, len);
	return buf_detach(&b);
}

static void S_set_rel(tpl_dict *d, const char *name, const char *from, const char *to)
{
	char *rel = paths_relative(from, to);
	tpl_set(d, name, rel);
	free(rel);
}

char *site_format_date(struct render *r, const struct model_locale *loc, const struct guide_date *d)
{
	struct buf b = {0};
	char key[16];
	snprintf(key, sizeof key, "month_%u", d->month);
	const char *month = render_string(r, loc, key);
	for (const char *f = render_string(r, loc, "date_format"); *f; f++) {
		if (strncmp(f, "{d}", 3) == 0) {
			buf_printf(&b, "%u", d->day);
			f += 2;
		} else if (strncmp(f, "{dd}", 4) == 0) {
			buf_printf(&b, "%02u", d->day);
			f += 3;
		} else if (strncmp(f, "{month}", 7) == 0) {
			buf_puts(&b, month);
			f += 6;
		} else if (strncmp(f, "{y}", 3) == 0) {
			buf_printf(&b, "%u", d->year);
			f += 2;
		} else {
			buf_putc(&b, *f);
		}
	}
	return buf_detach(&b);
}

/* ---- what every page has ---------------------------------------------------------- */

struct S_page {
	const struct model_locale *loc;
	const char *path; /* output path of this page */
	const char *title;
	const char *description;
	bool site_title; /* append " · site title" to <title> */
	bool noindex;
	bool inline_css;       /* 404.html: the stylesheet in the page, not linked */
	const char *canonical; /* output path, or absolute URL when absolute */
	/* The same page in each locale (indexed like site.locales), for the
	 * switcher; NULL entries are left out. */
	char **same;
	/* Which of `same` are real (for hreflang), and the x-default. */
	const bool *real;
	const char *x_default;
};

static void S_common(struct render *r, tpl_dict *d, const struct S_page *p)
{
	const struct model_site *site = &r->m->site;
	render_strings(r, d, p->loc);
	tpl_set(d, "LANG", p->loc->bcp47);
	tpl_set(d, "SITE_TITLE", p->loc->title);
	tpl_set(d, "TITLE", p->title);
	tpl_set(d, "DESCRIPTION", p->description && *p->description ? p->description : p->title);
	if (p->site_title)
		tpl_show(d, "WITH_SITE_TITLE");
	if (p->noindex)
		tpl_show(d, "NOINDEX");
	char *home = paths_locale_home(p->loc);
	S_set_rel(d, "HOME", p->path, home);
	free(home);
	if (p->inline_css) {
		/* Such a page may be served at any depth, on a host or a preview
		 * whose paths we cannot know: it brings its own style, and an
		 * empty icon as the kit pages do, and needs nothing else. */
		tpl_show(d, "CSS_INLINE");
		tpl_include(d, "STYLE", "assets/style.css");
		tpl_set(d, "ICON", "data:,");
	} else {
		S_set_rel(tpl_section(d, "CSS_LINK"), "HREF", p->path, "assets/style.css");
		/* Declared, so browsers do not ask the host's root for /favicon.ico. */
		S_set_rel(d, "ICON", p->path, "assets/icon.svg");
	}
	if (p->canonical) {
		tpl_dict *c = tpl_section(d, "CANONICAL");
		char *abs = strncmp(p->canonical, "http", 4) == 0 ? xstrdup(p->canonical)
								  : S_abs(r, p->canonical);
		tpl_set(c, "HREF", abs);
		free(abs);
	}
	if (p->same == NULL)
		return;
	tpl_dict *sw = tpl_section(d, "SWITCHER");
	for (size_t i = 0; i < site->n_locales; i++) {
		const struct model_locale *l = &site->locales[i];
		if (p->same[i] == NULL)
			continue;
		tpl_dict *item = tpl_section(sw, "LOCALE");
		S_set_rel(item, "HREF", p->path, p->same[i]);
		tpl_set(item, "NAME", l->name);
		tpl_set(item, "HREFLANG", l->bcp47);
		if (l == p->loc)
			tpl_show(item, "CURRENT");
		if (p->real && !p->real[i])
			continue;
		tpl_dict *alt = tpl_section(d, "ALTERNATE");
		char *abs = S_abs(r, p->same[i]);
		tpl_set(alt, "HREFLANG", l->bcp47);
		tpl_set(alt, "HREF", abs);
		free(abs);
	}
	if (p->x_default) {
		tpl_dict *alt = tpl_section(d, "ALTERNATE");
		char *abs = S_abs(r, p->x_default);
		tpl_set(alt, "HREFLANG", "x-default");
		tpl_set(alt, "HREF", abs);
		free(abs);
	}
}

/* Breadcrumbs: the locale's home, then any middle steps, then the page. */
static tpl_dict *S_crumbs(struct render *r, tpl_dict *d, const struct S_page *p)
{
	tpl_dict *c = tpl_section(d, "CRUMBS");
	tpl_dict *home = tpl_section(c, "CRUMB");
	tpl_set(home, "NAME", render_string(r, p->loc, "home"));
	char *path = paths_locale_home(p->loc);
	S_set_rel(tpl_section(home, "LINK"), "HREF", p->path, path);
	free(path);
	return c;
}

static void S_crumb(tpl_dict *crumbs, const char *name, const char *from, const char *to)
{
	tpl_dict *c = tpl_section(crumbs, "CRUMB");
	tpl_set(c, "NAME", name);
	if (to)
		S_set_rel(tpl_section(c, "LINK"), "HREF", from, to);
	else
		tpl_show(c, "HERE");
}

static bool S_emit(struct render *r, const char *tpl, tpl_dict *d, const char *path)
{
	struct buf b = {0};
	bool ok = tpl_expand(r->tpl, tpl, d, &b, r->diag) && out_write(r->out, path, b.data, b.len);
	buf_free(&b);
	return ok;
}

static char **S_same_new(const struct model *m)
{
	return xcalloc(m->site.n_locales, sizeof(char *));
}

static void S_same_free(const struct model *m, char **same)
{
	for (size_t i = 0; same && i < m->site.n_locales; i++)
		free(same[i]);
	free(same);
}

/* A MANUAL section saying, in the reader's language, that client `c` has no
 * file for anyone for product `p` (profiles_unserved): it is set up by hand,
 * or, when a file made for the reader's address can be, with the form. */
static void S_manual(struct render *r, tpl_dict *d, const struct model_product *p,
		     enum paths_client c, const struct model_locale *loc, bool form)
{
	char key[48];
	snprintf(key, sizeof key, "kit_%s_device", paths_client_name(c));
	tpl_dict *m = tpl_section(d, "MANUAL");
	tpl_set(m, "DEVICE", render_string(r, loc, key));
	bool personal = form && profiles_unserved(p, c, true) == NULL;
	tpl_set(m, "TEXT", render_string(r, loc, personal ? "manual_personal" : "manual_setup"));
}

/* ---- settings tables -------------------------------------------------------------- */

static void S_fill_table(struct render *r, tpl_dict *t, const struct model_product *p,
			 const struct model_locale *loc)
{
	render_strings(r, t, loc);
	tpl_set(t, "ID", p->id);
	tpl_set(t, "NAME", model_l10n(&p->name, loc));
	tpl_set(t, "PROVIDER", model_l10n(&p->provider->name, loc));
	render_server_rows(r, t, "SERVER", p, loc);
}

/* For {{settings}} in a guide: the same table as the settings page's. */
static char *S_settings_html(void *arg, const struct model_product *p,
			     const struct model_locale *loc)
{
	struct render *r = arg;
	tpl_dict *t = tpl_dict_new();
	S_fill_table(r, t, p, loc);
	struct buf b = {0};
	tpl_expand(r->tpl, "settings-table.html.tpl", t, &b, r->diag);
	tpl_dict_free(t);
	return buf_detach(&b);
}

static bool S_settings_page(struct render *r, const struct model_product *p,
			    const struct model_locale *loc)
{
	const struct model *m = r->m;
	char *path = paths_settings(loc, p);
	char **same = S_same_new(m);
	for (size_t i = 0; i < m->site.n_locales; i++)
		same[i] = paths_settings(&m->site.locales[i], p);
	struct buf t = {0};
	buf_printf(&t, "%s: %s", render_string(r, loc, "settings_title"),
		   model_l10n(&p->name, loc));
	struct S_page pg = {.loc = loc,
			    .path = path,
			    .title = buf_str(&t),
			    .description = render_string(r, loc, "settings_intro"),
			    .site_title = true,
			    .same = same,
			    .x_default = same[guide_locale_index(m, m->site.default_locale)]};
	tpl_dict *d = tpl_dict_new();
	S_common(r, d, &pg);
	tpl_dict *crumbs = S_crumbs(r, d, &pg);
	S_crumb(crumbs, buf_str(&t), path, NULL);
	tpl_dict *s = tpl_section(d, "SETTINGS");
	S_fill_table(r, tpl_include(s, "TABLE", "settings-table.html.tpl"), p, loc);
	for (int c = 0; c < CLIENT_COUNT; c++)
		if (profiles_unserved(p, (enum paths_client)c, false) != NULL)
			S_manual(r, s, p, (enum paths_client)c, loc, false);
	bool ok = S_emit(r, PAGE_TPL, d, path);
	tpl_dict_free(d);
	buf_free(&t);
	S_same_free(m, same);
	free(path);
	return ok;
}

/* ---- guide pages ------------------------------------------------------------------ */

/* Which profile files a guide's page offers, per client (paths.h kinds). */
static size_t S_client_files(enum guide_client c, enum paths_client out[2])
{
	switch (c) {
	case GUIDE_CLIENT_APPLE:
		out[0] = CLIENT_APPLE;
		return 1;
	case GUIDE_CLIENT_THUNDERBIRD:
		out[0] = CLIENT_AUTOCONFIG;
		out[1] = CLIENT_THUNDERBIRD;
		return 2;
	case GUIDE_CLIENT_OUTLOOK:
		out[0] = CLIENT_WINDOWS;
		out[1] = CLIENT_OUTLOOK;
		return 2;
	case GUIDE_CLIENT_WINDOWS_MAIL:
		out[0] = CLIENT_WINDOWS;
		return 1;
	default:
		return 0;
	}
}

/* In-page personalization of one profile kind: the MIME type of the file
 * the browser saves, whether the format carries a name, or NULL when the
 * kind is not personalized. The autoconfig file is not: Thunderbird's
 * wizard asks for the address it fills in. A signed Apple profile is not
 * either: the browser cannot sign, and an unsigned copy would lose the
 * signature the site chose. */
static const char *S_personal_type(struct render *r, enum paths_client c, bool *takes_name)
{
	*takes_name = c != CLIENT_WINDOWS;
	switch (c) {
	case CLIENT_APPLE:
		return r->m->site.signing.certificate ? NULL : "application/x-apple-aspen-config";
	case CLIENT_THUNDERBIRD:
		return "text/javascript";
	case CLIENT_OUTLOOK:
		return "application/xml";
	case CLIENT_WINDOWS:
		return "text/plain";
	default:
		return NULL;
	}
}

/* Whether a guide's page offers client `c`'s file of product `p` made with
 * the reader's address: its MIME type (S_personal_type) when it does, else
 * NULL. The page's form and the product's script of stencils
 * (site_render_personal) both ask this, so every file a form offers is in
 * the script it loads. */
static const char *S_personal(struct render *r, const struct model_product *p, enum paths_client c,
			      bool *takes_name)
{
	const char *type = S_personal_type(r, c, takes_name);
	return type && profiles_unserved(p, c, true) == NULL ? type : NULL;
}

/* The name under which the script of `p`'s stencils in `loc` registers
 * them, and by which a form asks for them (data-stencils). Caller frees. */
static char *S_stencils_key(const struct model_product *p, const struct model_locale *loc)
{
	struct buf b = {0};
	buf_printf(&b, "%s/%s", p->id, loc->tag);
	return buf_detach(&b);
}

/* The form of one product's download box that makes the files of `files`
 * (the page's, S_personal) with the reader's address
 * (templates/assets/personalize.js). What it fills in is the product's
 * script of stencils for the page's locale (site_render_personal), which
 * the page loads before personalize.js: the page itself carries no
 * profile. */
static void S_personal_form(struct render *r, tpl_dict *pd, const struct model_product *p,
			    const struct model_locale *loc, const char *path,
			    const enum paths_client *files, size_t n, size_t index)
{
	if (n == 0)
		return;
	tpl_dict *form = tpl_section(pd, "PERSONAL");
	tpl_set_int(form, "N", (long)index + 1);
	tpl_set(form, "PRODUCT_ID", p->id);
	char *key = S_stencils_key(p, loc);
	tpl_set(form, "STENCILS", key);
	free(key);
	char *script = paths_personal(p, loc);
	S_set_rel(form, "STENCILS_HREF", path, script);
	free(script);
	bool any_name = false;
	for (size_t k = 0; k < n; k++) {
		bool takes_name;
		S_personal_type(r, files[k], &takes_name);
		tpl_dict *f = tpl_section(form, "PFILE");
		tpl_set(f, "CLIENT", paths_client_name(files[k]));
		char label[48];
		snprintf(label, sizeof label, "download_%s", paths_client_name(files[k]));
		tpl_set(f, "LABEL", render_string(r, loc, label));
		any_name |= takes_name;
	}
	if (any_name)
		tpl_show(form, "NAME_FIELD");
}

/* The script of product `p`'s stencils in `loc` (templates/personal.js.tpl):
 * every file a page may offer with the reader's address, rendered for the
 * stand-in reader (profiles.h), once without a name (TEXT) and once with
 * the stand-in name (NAMED, empty for a format without one), and what the
 * form says. Written by the job of the profiles, not by each page: every
 * page of the product in the locale would carry the same bytes. Nothing
 * when no file is personalized. A stencil that cannot be rendered is an
 * error: a page offering it would have nothing to fill in. */
static bool S_personal_script(struct render *r, const struct model_product *p,
			      const struct model_locale *loc)
{
	tpl_dict *d = tpl_dict_new();
	bool ok = true, any = false;
	for (int c = 0; ok && c < CLIENT_COUNT; c++) {
		bool takes_name;
		const char *type = S_personal(r, p, (enum paths_client)c, &takes_name);
		if (type == NULL)
			continue;
		struct profile_req q = {.product = p,
					.client = (enum paths_client)c,
					.locale = loc,
					.email = PROFILES_STAND_IN_LOCAL
					"@" PROFILES_STAND_IN_DOMAIN};
		struct buf text = {0}, named = {0};
		ok = profiles_render(r, &q, &text);
		q.name = PROFILES_STAND_IN_NAME;
		ok = ok && (!takes_name || profiles_render(r, &q, &named));
		if (ok) {
			tpl_dict *f = tpl_section(d, "PFILE");
			tpl_set(f, "CLIENT", paths_client_name((enum paths_client)c));
			char *file = paths_profile(p, (enum paths_client)c, loc);
			tpl_set(f, "FILE", strrchr(file, '/') + 1);
			free(file);
			tpl_set(f, "TYPE", type);
			tpl_set(f, "TEXT", buf_str(&text));
			tpl_set(f, "NAMED", takes_name ? buf_str(&named) : "");
			any = true;
		}
		buf_free(&named);
		buf_free(&text);
	}
	if (ok && any) {
		char *key = S_stencils_key(p, loc);
		tpl_set(d, "KEY", key);
		free(key);
		tpl_set(d, "ANY_DOMAIN", p->any_domain ? "true" : "false");
		for (size_t i = 0; !p->any_domain && i < p->n_domains; i++)
			tpl_set(tpl_section(d, "DOMAIN"), "NAME", p->domains[i]);
		char *prefix = profiles_uuid_prefix(p);
		tpl_set(d, "UUID_PREFIX", prefix);
		free(prefix);
		tpl_set(d, "INVALID", render_string(r, loc, "personalize_invalid"));
		tpl_set(d, "OTHER_DOMAIN", render_string(r, loc, "personalize_other_domain"));
		tpl_set(d, "SAVED", render_string(r, loc, "personalize_saved"));
		char *path = paths_personal(p, loc);
		ok = S_emit(r, "personal.js.tpl", d, path);
		free(path);
	}
	tpl_dict_free(d);
	return ok;
}

bool site_render_personal(struct render *r)
{
	const struct model *m = r->m;
	bool ok = true;
	for (size_t i = 0; ok && i < m->n_providers; i++)
		for (size_t j = 0; ok && j < m->providers[i].n_products; j++)
			for (size_t k = 0; ok && k < m->site.n_locales; k++)
				ok = S_personal_script(r, &m->providers[i].products[j],
						       &m->site.locales[k]);
	return ok;
}

/* The one file of a guide's client a reader opens on the device to be set
 * up (the others are for administrators or a second way), or CLIENT_COUNT. */
static enum paths_client S_ready_file(enum guide_client c)
{
	switch (c) {
	case GUIDE_CLIENT_APPLE:
		return CLIENT_APPLE;
	case GUIDE_CLIENT_THUNDERBIRD:
		return CLIENT_THUNDERBIRD;
	case GUIDE_CLIENT_OUTLOOK:
	case GUIDE_CLIENT_WINDOWS_MAIL:
		return CLIENT_WINDOWS;
	default:
		return CLIENT_COUNT;
	}
}

/* Beside a profile for iPhone and iPad: a QR code of its absolute URL, so
 * a reader at a desk opens it on the phone by pointing the camera at it.
 * Every guide of the product shows it in the locale: it is drawn once and
 * kept in r->memo. */
static void S_qr(struct render *r, tpl_dict *d, const struct model_locale *loc, const char *file)
{
	char *url = S_abs(r, file);
	struct buf key = {0};
	buf_printf(&key, "qr %s", url);
	const char *path;
	long size;
	if (!render_memo_get(r, buf_str(&key), &path, &size)) {
		int n = 0;
		char *drawn = qr_svg_path(url, &n);
		size = n;
		path = render_memo_keep(r, buf_str(&key), drawn, size);
	}
	if (path)
		qr_include_svg(d, "QR", path, (int)size, render_string(r, loc, "qr_profile"));
	buf_free(&key);
	free(url);
}

/* Before the guide's steps: that file as one button per product, so a
 * reader who wants it need not scroll past the full download box, which
 * comes after the steps. */
static void S_ready(struct render *r, tpl_dict *d, const struct guide_doc *doc,
		    const struct model_locale *loc, const char *path)
{
	enum paths_client c = S_ready_file(doc->client);
	if (c == CLIENT_COUNT || doc->n_products == 0)
		return;
	tpl_dict *box = NULL;
	char key[48];
	snprintf(key, sizeof key, "ready_%s",
		 c == CLIENT_WINDOWS ? "windows" : paths_client_name(c));
	for (size_t i = 0; i < doc->n_products; i++) {
		const struct model_product *p = doc->products[i];
		if (profiles_unserved(p, c, false) != NULL)
			continue; /* set up by hand: the steps say how */
		if (box == NULL)
			box = tpl_section(d, "READY");
		tpl_dict *pd = tpl_section(box, "PRODUCT");
		tpl_set(pd, "LABEL", render_string(r, loc, key));
		if (doc->n_products > 1) {
			tpl_dict *many = tpl_section(pd, "MANY");
			tpl_set(many, "NAME", model_l10n(&p->name, loc));
			tpl_set(many, "PROVIDER", model_l10n(&p->provider->name, loc));
		}
		char *file = paths_profile(p, c, loc);
		S_set_rel(pd, "HREF", path, file);
		if (c == CLIENT_APPLE)
			S_qr(r, pd, loc, file);
		free(file);
	}
}

static void S_downloads(struct render *r, tpl_dict *d, const struct guide_doc *doc,
			const struct model_locale *loc, const char *path)
{
	enum paths_client files[2];
	size_t n = S_client_files(doc->client, files);
	if (doc->n_products == 0)
		return;
	tpl_dict *box = n ? tpl_section(d, "DOWNLOADS") : tpl_section(d, "SETTINGS_LINKS");
	for (size_t i = 0; i < doc->n_products; i++) {
		const struct model_product *p = doc->products[i];
		tpl_dict *pd = tpl_section(box, "PRODUCT");
		tpl_set(pd, "NAME", model_l10n(&p->name, loc));
		tpl_set(pd, "PROVIDER", model_l10n(&p->provider->name, loc));
		char *settings = paths_settings(loc, p);
		S_set_rel(pd, "SETTINGS_HREF", path, settings);
		free(settings);
		if (n == 0)
			continue;
		enum paths_client personal[2];
		size_t n_personal = 0;
		for (size_t k = 0; k < n; k++) {
			bool takes_name;
			if (S_personal(r, p, files[k], &takes_name) != NULL)
				personal[n_personal++] = files[k];
			if (profiles_unserved(p, files[k], false) != NULL) {
				S_manual(r, pd, p, files[k], loc,
					 n_personal > 0 && personal[n_personal - 1] == files[k]);
				continue;
			}
			tpl_dict *f = tpl_section(pd, "FILE");
			char *file = paths_profile(p, files[k], loc);
			S_set_rel(f, "HREF", path, file);
			free(file);
			char key[48];
			snprintf(key, sizeof key, "download_%s", paths_client_name(files[k]));
			tpl_set(f, "LABEL", render_string(r, loc, key));
		}
		char *kit = paths_kit(p, loc);
		S_set_rel(pd, "KIT_HREF", path, kit);
		free(kit);
		S_personal_form(r, pd, p, loc, path, personal, n_personal, i);
	}
	if (n > 0)
		S_set_rel(tpl_section(box, "PERSONALIZE_JS"), "HREF", path,
			  "assets/personalize.js");
}

static void S_toc(tpl_dict *d, const struct dialect *dx)
{
	if (dx->n_toc == 0)
		return;
	tpl_dict *toc = tpl_section(d, "TOC");
	tpl_dict *item = NULL, *subs = NULL;
	for (size_t i = 0; i < dx->n_toc; i++) {
		const struct dialect_heading *h = &dx->toc[i];
		if (h->level == 3 && item) {
			if (subs == NULL)
				subs = tpl_section(item, "SUBS");
			tpl_dict *s = tpl_section(subs, "SUB");
			tpl_set(s, "ID", h->id);
			tpl_set(s, "TEXT", h->text);
			continue;
		}
		item = tpl_section(toc, "ITEM");
		subs = NULL;
		tpl_set(item, "ID", h->id);
		tpl_set(item, "TEXT", h->text);
	}
}

/* The id of a section of a locale's home: "section-" and its key
 * (guide_section_key) made an id (a key may be a label: "Konfiguracja na
 * komputerze"). */
static void S_section_anchor(const char *key, struct buf *out)
{
	buf_puts(out, "section-");
	dialect_slugify(key, out);
}

/* What rendering one guide's pages shares: the other guides as its pages
 * may show them (never the guide set: guide.h), the content folder for its
 * images, where fallback pages' diagnostics go, the check facts taken, and
 * the images already checked and copied (pages in several locales show
 * them; a guide's images are its own, images/<guide>/...). */
struct S_guides {
	const struct guide_view *others;
	int content_fd;
	const char *content_dir;
	struct diag *quiet;
	struct check_facts *facts;
	struct strmap checked; /* dialect.h's images_ok */
	struct strmap copied;
};

static bool S_copy_image(struct render *r, struct S_guides *gs, const struct dialect_image *im)
{
	if (!strmap_put(&gs->copied, im->dest, (void *)1))
		return true;
	return out_copy(r->out, im->dest, im->src);
}

static bool S_guide_page(struct render *r, const struct guide *g, const struct model_locale *loc,
			 struct S_guides *gs)
{
	struct diag *quiet = gs->quiet;
	const struct model *m = r->m;
	bool fallback;
	const struct guide_doc *doc = guide_page_doc(m, g, loc, &fallback);
	char *path = guide_page_path(m, g, loc);

	struct guide_ast ast;
	guide_parse(doc, &ast);
	if (!fallback && gs->facts)
		check_doc_scan(gs->facts, m, doc, ast.root, r->diag, NULL);
	struct dialect dx = {.m = m,
			     .guide = g,
			     .others = gs->others,
			     .content_fd = gs->content_fd,
			     .content_dir = gs->content_dir,
			     .doc = doc,
			     .loc = loc,
			     .page = path,
			     .diag = fallback ? quiet : r->diag,
			     .settings_html = S_settings_html,
			     .settings_arg = r,
			     .images_ok = &gs->checked};
	dialect_run(&dx, ast.root);
	if (!fallback && gs->facts)
		check_doc_take(gs->facts, m, doc, &dx);
	const char *body = guide_ast_html(&ast, CMARK_OPT_UNSAFE);

	char **same = S_same_new(m);
	bool *real = xcalloc(m->site.n_locales, sizeof *real);
	const char *x_default = NULL;
	for (size_t i = 0; i < m->site.n_locales; i++) {
		same[i] = guide_page_path(m, g, &m->site.locales[i]);
		real[i] = g->docs[i] != NULL;
	}
	size_t src = guide_locale_index(m, g->source->locale);
	x_default = same[src];
	char *canonical = NULL;
	if (fallback)
		canonical = xstrdup(same[src]);
	else if (doc->canonical && strncmp(doc->canonical, "https://", 8) == 0)
		canonical = xstrdup(doc->canonical);

	struct S_page pg = {.loc = loc,
			    .path = path,
			    .title = doc->title,
			    .description = doc->excerpt,
			    .site_title = true,
			    .noindex = fallback || doc->hidden,
			    .canonical = canonical,
			    .same = same,
			    .real = real,
			    .x_default = x_default};
	tpl_dict *d = tpl_dict_new();
	S_common(r, d, &pg);
	tpl_dict *crumbs = S_crumbs(r, d, &pg);
	char *home = paths_locale_home(loc);
	struct buf anchor = {0};
	buf_puts(&anchor, home);
	if (!doc->hidden) { /* a hidden guide's section may be listed nowhere */
		buf_putc(&anchor, '#');
		S_section_anchor(guide_section_key(doc), &anchor);
	}
	S_crumb(crumbs, guide_section_title(doc->section, m, loc), path, buf_str(&anchor));
	S_crumb(crumbs, doc->title, path, NULL);
	buf_free(&anchor);
	free(home);

	tpl_dict *gd = tpl_section(d, "GUIDE");
	tpl_set(gd, "CONTENT_LANG", doc->locale->bcp47);
	if (fallback) {
		tpl_dict *u = tpl_section(gd, "UNTRANSLATED");
		tpl_set(u, "SOURCE_LANG", doc->locale->bcp47);
		tpl_set(u, "SOURCE_NAME", doc->locale->name);
	}
	if (doc->deprecated)
		tpl_show(gd, "DEPRECATED");
	if (doc->updated.year) {
		tpl_dict *u = tpl_section(gd, "UPDATED");
		char iso[16];
		snprintf(iso, sizeof iso, "%04u-%02u-%02u", doc->updated.year, doc->updated.month,
			 doc->updated.day);
		char *date = site_format_date(r, loc, &doc->updated);
		tpl_set(u, "ISO", iso);
		tpl_set(u, "DATE", date);
		free(date);
	}
	S_toc(gd, &dx);
	S_ready(r, gd, doc, loc, path);
	S_downloads(r, gd, doc, loc, path);
	tpl_set(gd, "BODY", body);
	bool ok = S_emit(r, PAGE_TPL, d, path);
	/* The images the page shows, copied once each (the writer reads them). */
	for (size_t i = 0; ok && i < dx.n_images; i++)
		ok = S_copy_image(r, gs, &dx.images[i]);

	tpl_dict_free(d);
	free(canonical);
	free(real);
	S_same_free(m, same);
	dialect_free(&dx);
	guide_ast_free(&ast);
	free(path);
	return ok;
}

/* ---- the locale's home --------------------------------------------------------------- */

/* Orders like "01" < "2" < "10" compare as numbers; others as text. */
static int S_order_cmp(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == NULL) - (b == NULL);
	char *ea, *eb;
	unsigned long na = strtoul(a, &ea, 10), nb = strtoul(b, &eb, 10);
	if (*ea == '\0' && *eb == '\0' && ea != a && eb != b && na != nb)
		return na < nb ? -1 : 1;
	return strcmp(a, b);
}

static int S_card_cmp(const void *pa, const void *pb)
{
	const struct guide_card *a = *(const struct guide_card *const *)pa;
	const struct guide_card *b = *(const struct guide_card *const *)pb;
	int c = S_order_cmp(a->order, b->order);
	if (c == 0)
		c = strcmp(a->title, b->title);
	return c ? c : strcmp(a->id, b->id);
}

static bool S_home_page(struct render *r, const struct guide_view *guides,
			const struct model_locale *loc)
{
	const struct model *m = r->m;
	char *path = paths_locale_home(loc);
	char **same = S_same_new(m);
	for (size_t i = 0; i < m->site.n_locales; i++)
		same[i] = paths_locale_home(&m->site.locales[i]);
	struct S_page pg = {.loc = loc,
			    .path = path,
			    .title = loc->title,
			    .description = render_string(r, loc, "home_intro"),
			    .same = same,
			    .x_default = "index.html"};
	tpl_dict *d = tpl_dict_new();
	S_common(r, d, &pg);
	tpl_dict *h = tpl_section(d, "HOME");

	const struct guide_card **e = xcalloc(guides->n + 1, sizeof *e);
	size_t n = 0, l = guide_locale_index(m, loc);
	for (size_t i = 0; i < guides->n; i++) {
		const struct guide_card *c = guide_view_card(guides, i, l);
		if (!c->hidden)
			e[n++] = c;
	}
	if (n)
		qsort(e, n, sizeof *e, S_card_cmp);
	/* Sections in the order of their first guide. */
	bool *done = xcalloc(n + 1, sizeof *done);
	for (size_t i = 0; i < n; i++) {
		if (done[i])
			continue;
		tpl_dict *s = tpl_section(h, "SECTION");
		const char *section = e[i]->section_key;
		struct buf id = {0};
		S_section_anchor(section, &id);
		tpl_set(s, "ID", buf_str(&id));
		buf_free(&id);
		tpl_set(s, "SECTION_TITLE", guide_section_title(e[i]->section, m, loc));
		for (size_t k = i; k < n; k++) {
			if (done[k] || strcmp(e[k]->section_key, section) != 0)
				continue;
			done[k] = true;
			tpl_dict *item = tpl_section(s, "ITEM");
			char *to = guide_path(loc, e[k]->slug);
			S_set_rel(item, "HREF", path, to);
			free(to);
			tpl_set(item, "GUIDE_TITLE", e[k]->title);
			if (*e[k]->excerpt)
				tpl_set(tpl_section(item, "HAS_EXCERPT"), "EXCERPT", e[k]->excerpt);
			if (!e[k]->translated) {
				tpl_dict *u = tpl_section(item, "UNTRANSLATED");
				tpl_set(u, "SOURCE_LANG", e[k]->lang);
			}
			tpl_set(item, "ITEM_LANG", e[k]->lang);
		}
	}
	for (size_t i = 0; i < m->n_providers; i++)
		for (size_t j = 0; j < m->providers[i].n_products; j++) {
			const struct model_product *p = &m->providers[i].products[j];
			tpl_dict *pd = tpl_section(h, "PRODUCT");
			char *to = paths_settings(loc, p);
			S_set_rel(pd, "HREF", path, to);
			free(to);
			tpl_set(pd, "NAME", model_l10n(&p->name, loc));
			tpl_set(pd, "PROVIDER", model_l10n(&p->provider->name, loc));
		}
	bool ok = S_emit(r, PAGE_TPL, d, path);
	free(done);
	free(e);
	tpl_dict_free(d);
	S_same_free(m, same);
	free(path);
	return ok;
}

/* ---- root, 404, sitemap, robots ------------------------------------------------------ */

static void S_pick(struct render *r, tpl_dict *d, const char *from, bool absolute)
{
	for (size_t i = 0; i < r->m->site.n_locales; i++) {
		const struct model_locale *l = &r->m->site.locales[i];
		tpl_dict *item = tpl_section(d, "PICK");
		char *home = paths_locale_home(l);
		if (absolute) {
			char *abs = S_abs(r, home);
			tpl_set(item, "HREF", abs);
			free(abs);
		} else {
			S_set_rel(item, "HREF", from, home);
		}
		free(home);
		tpl_set(item, "NAME", l->name);
		tpl_set(item, "SITE_TITLE", l->title);
		tpl_set(item, "HREFLANG", l->bcp47);
	}
}

static bool S_root_page(struct render *r)
{
	const struct model *m = r->m;
	const struct model_locale *def = m->site.default_locale;
	char **same = S_same_new(m);
	for (size_t i = 0; i < m->site.n_locales; i++)
		same[i] = paths_locale_home(&m->site.locales[i]);
	struct S_page pg = {.loc = def,
			    .path = "index.html",
			    .title = def->title,
			    .description = render_string(r, def, "choose_language"),
			    .same = same,
			    .x_default = "index.html"};
	tpl_dict *d = tpl_dict_new();
	S_common(r, d, &pg);
	/* The picker is the switcher here: no second list in the header. */
	tpl_dict *root = tpl_section(d, "ROOT_PAGE");
	S_pick(r, root, "index.html", false);
	bool ok = S_emit(r, PAGE_TPL, d, "index.html");
	tpl_dict_free(d);
	S_same_free(m, same);
	return ok;
}

/* 404.html is served for any missing URL, at any depth, so its links are
 * absolute (site.base_url) rather than relative, and its style is inline. */
static bool S_not_found(struct render *r)
{
	const struct model_locale *def = r->m->site.default_locale;
	struct S_page pg = {.loc = def,
			    .path = "404.html",
			    .title = render_string(r, def, "not_found_title"),
			    .site_title = true,
			    .noindex = true,
			    .inline_css = true};
	tpl_dict *d = tpl_dict_new();
	S_common(r, d, &pg);
	char *home = S_abs(r, "index.html");
	tpl_set(d, "HOME", home);
	free(home);
	S_pick(r, tpl_section(d, "NOTFOUND"), NULL, true);
	bool ok = S_emit(r, PAGE_TPL, d, "404.html");
	tpl_dict_free(d);
	return ok;
}

/* One <url> per indexable page, with its real translations as alternates. */
static void S_sitemap_url(struct render *r, tpl_dict *d, const char *path, char **same,
			  const bool *real, const char *x_default)
{
	tpl_dict *u = tpl_section(d, "URL");
	char *abs = S_abs(r, path);
	tpl_set(u, "LOC", abs);
	free(abs);
	for (size_t i = 0; same && i < r->m->site.n_locales; i++) {
		if (same[i] == NULL || (real && !real[i]))
			continue;
		tpl_dict *a = tpl_section(u, "ALT");
		tpl_set(a, "HREFLANG", r->m->site.locales[i].bcp47);
		char *h = S_abs(r, same[i]);
		tpl_set(a, "HREF", h);
		free(h);
	}
	if (x_default) {
		tpl_dict *a = tpl_section(u, "ALT");
		tpl_set(a, "HREFLANG", "x-default");
		char *h = S_abs(r, x_default);
		tpl_set(a, "HREF", h);
		free(h);
	}
}

static bool S_sitemap(struct render *r, const struct guide_view *guides)
{
	const struct model *m = r->m;
	size_t nl = m->site.n_locales;
	tpl_dict *d = tpl_dict_new();
	char **same = S_same_new(m);
	S_sitemap_url(r, d, "index.html", NULL, NULL, NULL);
	for (size_t i = 0; i < nl; i++)
		same[i] = paths_locale_home(&m->site.locales[i]);
	for (size_t i = 0; i < nl; i++)
		S_sitemap_url(r, d, same[i], same, NULL, "index.html");
	S_same_free(m, same);
	for (size_t g = 0; g < guides->n; g++) {
		size_t src = guide_view_card(guides, g, 0)->source;
		if (guide_view_card(guides, g, src)->hidden)
			continue;
		same = S_same_new(m);
		bool *real = xcalloc(nl, sizeof *real);
		for (size_t i = 0; i < nl; i++) {
			const struct guide_card *c = guide_view_card(guides, g, i);
			same[i] = guide_path(&m->site.locales[i], c->slug);
			real[i] = c->translated && !c->hidden;
		}
		const char *xd = same[src];
		for (size_t i = 0; i < nl; i++)
			if (real[i])
				S_sitemap_url(r, d, same[i], same, real, xd);
		free(real);
		S_same_free(m, same);
	}
	for (size_t i = 0; i < m->n_providers; i++)
		for (size_t j = 0; j < m->providers[i].n_products; j++) {
			same = S_same_new(m);
			for (size_t k = 0; k < nl; k++)
				same[k] = paths_settings(&m->site.locales[k],
							 &m->providers[i].products[j]);
			for (size_t k = 0; k < nl; k++)
				S_sitemap_url(r, d, same[k], same, NULL,
					      same[guide_locale_index(m, m->site.default_locale)]);
			S_same_free(m, same);
		}
	bool ok = S_emit(r, "sitemap.xml.tpl", d, "sitemap.xml");
	tpl_dict_free(d);
	d = tpl_dict_new();
	char *sm = S_abs(r, "sitemap.xml");
	tpl_set(d, "SITEMAP", sm);
	free(sm);
	ok = ok && S_emit(r, "robots.txt.tpl", d, "robots.txt");
	tpl_dict_free(d);
	return ok;
}

bool site_render_begin(struct render *r, const struct guide_view *guides)
{
	const struct model *m = r->m;
	bool ok = S_root_page(r) && S_not_found(r);
	for (size_t i = 0; ok && i < m->site.n_locales; i++) {
		const struct model_locale *loc = &m->site.locales[i];
		ok = S_home_page(r, guides, loc);
		for (size_t p = 0; ok && p < m->n_providers; p++)
			for (size_t j = 0; ok && j < m->providers[p].n_products; j++)
				ok = S_settings_page(r, &m->providers[p].products[j], loc);
	}
	return ok;
}

bool site_render_guide(struct render *r, const struct guide_set *set, const struct guide *g,
		       struct diag *quiet, struct check_facts *facts)
{
	struct S_guides gs = {.others = &set->view,
			      .content_fd = set->content_fd,
			      .content_dir = set->content_dir,
			      .quiet = quiet,
			      .facts = facts};
	bool ok = guide_read_texts(set, g, r->diag);
	for (size_t i = 0; ok && i < r->m->site.n_locales; i++)
		ok = S_guide_page(r, g, &r->m->site.locales[i], &gs);
	guide_drop_texts(set, g);
	strmap_free(&gs.checked);
	strmap_free(&gs.copied);
	return ok;
}

bool site_render_end(struct render *r, const struct guide_view *guides)
{
	return S_sitemap(r, guides);
}
