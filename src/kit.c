/* kit.c: renders the profile kits' pages through templates/kit.html.tpl. */
#include "kit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paths.h"
#include "profiles.h"
#include "qr.h"

/* Beside the profile for iPhone and iPad: a QR code of its absolute URL
 * (qr.h), so the page read at a desk puts the profile on the phone. */
static void S_qr(struct render *r, tpl_dict *row, const struct model_locale *loc, const char *file)
{
	struct buf url = {0};
	buf_puts(&url, r->m->site.base_url);
	buf_puts(&url, file);
	qr_include(row, "QR", buf_str(&url), render_string(r, loc, "qr_profile"));
	buf_free(&url);
}

/* One row per client: the file, then UI strings kit_<client>_device and
 * kit_<client>_how. */
static void S_rows(struct render *r, tpl_dict *d, const struct model_product *p,
		   const struct model_locale *loc, const char *page)
{
	for (int c = 0; c < CLIENT_COUNT; c++) {
		char *file = paths_profile(p, (enum paths_client)c, loc);
		char *href = paths_relative(page, file);
		char key[64];
		/* A client the product has no file for (profiles_unserved): the
		 * row says to set it up by hand. */
		bool made = profiles_unserved(p, (enum paths_client)c, false) == NULL;
		tpl_dict *row = tpl_section(d, "FILE");
		if (made) {
			tpl_dict *link = tpl_section(row, "LINK");
			tpl_set(link, "HREF", href);
			tpl_set(link, "NAME", strrchr(file, '/') + 1);
		} else {
			tpl_show(row, "MANUAL");
		}
		snprintf(key, sizeof key, "kit_%s_device", paths_client_name((enum paths_client)c));
		tpl_set(row, "DEVICE", render_string(r, loc, key));
		snprintf(key, sizeof key, "kit_%s_how", paths_client_name((enum paths_client)c));
		tpl_set(row, "HOW",
			made ? render_string(r, loc, key) : render_string(r, loc, "manual_setup"));
		if (made && c == CLIENT_APPLE)
			S_qr(r, row, loc, file);
		free(href);
		free(file);
	}
}

static bool S_page(struct render *r, const struct model_product *p, const struct model_locale *loc)
{
	char *dir = paths_profile_dir(p, loc);
	char *page = path_join(dir, "index.html");
	tpl_dict *d = tpl_dict_new();
	render_strings(r, d, loc);
	tpl_set(d, "LANG", loc->bcp47);
	tpl_set(d, "SITE_TITLE", loc->title);
	/* Absolute: the page is also read from the kit's zip, away from the site. */
	char *home = paths_locale_home(loc);
	struct buf abs = {0};
	buf_puts(&abs, r->m->site.base_url);
	buf_puts(&abs, home);
	tpl_set(d, "HOME", buf_str(&abs));
	buf_free(&abs);
	free(home);
	tpl_include(d, "STYLE", "assets/style.css");
	tpl_set(d, "PRODUCT", model_l10n(&p->name, loc));
	tpl_set(d, "PROVIDER", model_l10n(&p->provider->name, loc));
	S_rows(r, d, p, loc, page);
	struct buf b = {0};
	bool ok = r->diag->errors == 0 && tpl_expand(r->tpl, "kit.html.tpl", d, &b, r->diag) &&
		  out_write(r->out, page, b.data, b.len);
	buf_free(&b);
	tpl_dict_free(d);
	free(page);
	free(dir);
	return ok;
}

bool kit_render(struct render *r)
{
	bool ok = true;
	for (size_t i = 0; ok && i < r->m->n_providers; i++)
		for (size_t j = 0; ok && j < r->m->providers[i].n_products; j++)
			for (size_t k = 0; ok && k < r->m->site.n_locales; k++)
				ok = S_page(r, &r->m->providers[i].products[j],
					    &r->m->site.locales[k]);
	return ok;
}
