/* bundle.c: deterministic zips of staged files, through libzip. */
#define _XOPEN_SOURCE 700
#include "bundle.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zip.h>

#include "paths.h"
#include "util.h"

/* The MS-DOS date and time fields of a zip entry, from `t` in UTC. libzip's
 * zip_file_set_mtime converts with localtime(), which would make the bytes
 * depend on the builder's time zone. DOS dates start in 1980. */
static void S_dostime(time_t t, zip_uint16_t *dtime, zip_uint16_t *ddate)
{
	struct tm tm;
	if (t < 315532800) /* 1980-01-01T00:00:00Z */
		t = 315532800;
	gmtime_r(&t, &tm);
	if (tm.tm_year > 2107 - 1900) { /* the last year DOS dates can say */
		tm = (struct tm){.tm_year = 2107 - 1900, .tm_mon = 11, .tm_mday = 31,
				 .tm_hour = 23, .tm_min = 59, .tm_sec = 58};
	}
	*dtime = (zip_uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
	*ddate = (zip_uint16_t)(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
}

struct zip_job {
	struct out *o;
	const char *rel; /* the zip's path in the output */
	zip_t *za;
	zip_uint16_t dtime, ddate;
};

static bool S_fail(struct zip_job *j, const char *what)
{
	diag_error(j->o->diag, j->rel, 0, 0, "cannot %s: %s", what,
		   j->za ? zip_strerror(j->za) : "libzip error");
	return false;
}

/* Adds the staged file `src` as entry `name`, regular file, mode 0644. */
static bool S_add(struct zip_job *j, const char *src, const char *name)
{
	char *path = out_staged_path(j->o, src);
	zip_source_t *zs = zip_source_file(j->za, path, 0, -1);
	free(path);
	if (zs == NULL)
		return S_fail(j, "read a staged file");
	zip_int64_t idx = zip_file_add(j->za, name, zs, ZIP_FL_ENC_UTF_8);
	if (idx < 0) {
		zip_source_free(zs);
		return S_fail(j, "add an entry");
	}
	zip_uint64_t i = (zip_uint64_t)idx;
	if (zip_file_set_dostime(j->za, i, j->dtime, j->ddate, 0) != 0 ||
	    zip_file_set_external_attributes(j->za, i, 0, ZIP_OPSYS_UNIX,
					     (zip_uint32_t)(S_IFREG | 0644) << 16) != 0 ||
	    zip_set_file_compression(j->za, i, ZIP_CM_DEFLATE, 6) != 0)
		return S_fail(j, "set an entry's attributes");
	return true;
}

/* Zips the staged files whose paths start with `prefix` (all when ""),
 * named in the zip with `prefix` replaced by `inner`. The
 * zip is created in staging and registered as written only when whole. */
static bool S_zip(struct out *o, const char *rel, const char *prefix, const char *inner,
		  time_t epoch)
{
	struct zip_job j = {.o = o, .rel = rel};
	S_dostime(epoch, &j.dtime, &j.ddate);
	const char **files = out_sorted(o);
	/* out_write creates the folders and registers the path; the empty file
	 * it leaves is then replaced by libzip in place. */
	bool ok = out_write(o, rel, "", 0);
	char *path = out_staged_path(o, rel);
	int err = 0;
	if (ok && (j.za = zip_open(path, ZIP_TRUNCATE, &err)) == NULL) {
		diag_error(o->diag, rel, 0, 0, "cannot create the zip (libzip error %d)", err);
		ok = false;
	}
	size_t plen = strlen(prefix);
	for (size_t i = 0; ok && files[i]; i++) {
		if (strncmp(files[i], prefix, plen) != 0 || strcmp(files[i], rel) == 0)
			continue;
		char *name = path_join(inner, files[i] + plen);
		ok = S_add(&j, files[i], name);
		free(name);
	}
	if (j.za && ok && zip_close(j.za) != 0)
		ok = S_fail(&j, "write the zip");
	else if (j.za && !ok)
		zip_discard(j.za);
	free(path);
	free(files);
	return ok;
}

bool bundle_all(struct out *o, const struct model *m, time_t epoch)
{
	bool ok = true;
	for (size_t i = 0; ok && i < m->n_providers; i++) {
		const struct model_provider *prov = &m->providers[i];
		for (size_t j = 0; ok && j < prov->n_products; j++) {
			for (size_t k = 0; ok && k < m->site.n_locales; k++) {
				const struct model_product *p = &prov->products[j];
				const struct model_locale *loc = &m->site.locales[k];
				char *zip = paths_kit(p, loc);
				char *dir = paths_profile_dir(p, loc);
				char *inner = xstrdup(zip + strlen("downloads/"));
				inner[strlen(inner) - strlen(".zip")] = '\0';
				ok = S_zip(o, zip, dir, inner, epoch);
				free(inner);
				free(dir);
				free(zip);
			}
		}
	}
	/* The site zip holds the web root as published, kits included, but not
	 * itself. */
	return ok && S_zip(o, BUNDLE_SITE_ZIP, "", ".", epoch);
}
