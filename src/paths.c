/* paths.c: the output tree's layout. */
#include "paths.h"

#include <stdarg.h>
#include <string.h>

#include "util.h"

static const char *const S_clients[CLIENT_COUNT] = {"apple", "autoconfig", "thunderbird",
						    "outlook", "windows"};

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
