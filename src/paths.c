/* paths.c: the output tree's layout. */
#include "paths.h"

#include <stdarg.h>
#include <string.h>
#include <strings.h>

#include "util.h"

static const char *const S_clients[CLIENT_COUNT] = {"apple", "autoconfig", "thunderbird", "outlook",
						    "windows"};

const char *paths_client_name(enum paths_client c) { return S_clients[c]; }

int paths_client_parse(const char *name)
{
	for (int i = 0; i < CLIENT_COUNT; i++)
		if (strcmp(S_clients[i], name) == 0)
			return i;
	return -1;
}

static char *S_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *S_printf(const char *fmt, ...)
{
	struct buf out = {0};
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&out, fmt, ap);
	va_end(ap);
	return buf_detach(&out);
}

char *paths_profile(const struct model_product *p, enum paths_client c,
		    const struct model_locale *loc)
{
	switch (c) {
	case CLIENT_APPLE:
		return S_printf("profiles/%s/%s/%s.mobileconfig", p->id, loc->tag, p->id);
	case CLIENT_AUTOCONFIG:
		return S_printf("profiles/%s/%s/config-v1.1.xml", p->id, loc->tag);
	case CLIENT_THUNDERBIRD:
		return S_printf("profiles/%s/%s/user.js", p->id, loc->tag);
	case CLIENT_OUTLOOK:
		return S_printf("profiles/%s/%s/autodiscover.xml", p->id, loc->tag);
	case CLIENT_WINDOWS:
	default:
		return S_printf("profiles/%s/%s/setup-%s.ps1", p->id, loc->tag, p->id);
	}
}

char *paths_profile_dir(const struct model_product *p, const struct model_locale *loc)
{
	return S_printf("profiles/%s/%s/", p->id, loc->tag);
}

char *paths_personal(const struct model_product *p, const struct model_locale *loc)
{
	return S_printf("profiles/%s/personal-%s.js", p->id, loc->tag);
}

char *paths_guide(const struct model_locale *loc, const char *slug)
{
	return S_printf("%s/%s/index.html", loc->tag, slug);
}

char *paths_locale_home(const struct model_locale *loc)
{
	return S_printf("%s/index.html", loc->tag);
}

char *paths_settings(const struct model_locale *loc, const struct model_product *p)
{
	return S_printf("%s/settings/%s/index.html", loc->tag, p->id);
}

char *paths_kit(const struct model_product *p, const struct model_locale *loc)
{
	return S_printf("downloads/%s-%s.zip", p->id, loc->tag);
}

char *paths_image(const char *guide, const char *file)
{
	return S_printf("images/%s/%s", guide, file);
}

char *paths_relative(const char *from, const char *to)
{
	/* Skip the folders both share, then climb out of the rest of `from`. */
	size_t common = 0;
	for (size_t i = 0; from[i] && from[i] == to[i]; i++)
		if (from[i] == '/')
			common = i + 1;
	struct buf out = {0};
	for (const char *p = from + common; *p; p++)
		if (*p == '/')
			buf_puts(&out, "../");
	buf_puts(&out, to + common);
	return buf_detach(&out);
}

bool paths_name_reserved(const char *name, size_t n)
{
	/* Windows refuses these as file or folder names, with any extension
	 * ("con.png" too) and in any case: a site.zip or kit holding one
	 * cannot be extracted there. */
	static const char *const reserved[] = {"con", "prn", "aux", "nul", NULL};
	size_t base = 0;
	while (base < n && name[base] != '.')
		base++;
	for (size_t i = 0; reserved[i]; i++)
		if (base == 3 && strncasecmp(name, reserved[i], 3) == 0)
			return true;
	/* COM1-COM9, LPT1-LPT9 (and the superscript digits Windows also
	 * reserves are not ASCII, so no id or slug can spell them). */
	return base == 4 &&
	       (strncasecmp(name, "com", 3) == 0 || strncasecmp(name, "lpt", 3) == 0) &&
	       name[3] >= '1' && name[3] <= '9';
}

bool paths_rel_ok(const char *rel)
{
	if (rel[0] == '\0' || rel[0] == '/')
		return false;
	const char *p = rel;
	while (*p) {
		size_t n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)p[i] < 0x20 || p[i] == '\\' || p[i] == 0x7f)
				return false;
		if (paths_name_reserved(p, n))
			return false;
		p += n;
		if (*p == '/')
			p++;
		else
			break;
	}
	return rel[strlen(rel) - 1] != '/';
}
