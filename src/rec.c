/* rec.c: records described once by a field table (see rec.h). */
#include "rec.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static const char *const S_type_names[] = {"str", "bool", "uint", "ulong", "ullong", "llong"};

void rec_hash(struct hash128 *h, const struct rec_format *f, const void *rec)
{
	const char *base = rec;
	for (size_t i = 0; i < f->n; i++) {
		const void *p = base + f->fields[i].offset;
		switch (f->fields[i].type) {
		case REC_STR:
			hash128_str(h, *(const char *const *)p);
			break;
		case REC_BOOL:
			hash128_num(h, *(const bool *)p);
			break;
		case REC_UINT:
			hash128_num(h, *(const unsigned *)p);
			break;
		case REC_ULONG:
			hash128_num(h, *(const unsigned long *)p);
			break;
		case REC_ULLONG:
			hash128_num(h, *(const unsigned long long *)p);
			break;
		case REC_LLONG:
			hash128_num(h, (uint64_t) * (const long long *)p);
			break;
		}
	}
}

void rec_header(struct buf *b, const struct rec_format *f)
{
	buf_printf(b, "%s %u", f->name, f->version);
	for (size_t i = 0; i < f->n; i++)
		buf_printf(b, " %s:%s", f->fields[i].name, S_type_names[f->fields[i].type]);
}

void rec_put(struct buf *b, const struct rec_format *f, const void *rec)
{
	const char *base = rec;
	for (size_t i = 0; i < f->n; i++) {
		const void *p = base + f->fields[i].offset;
		if (i)
			buf_putc(b, '\t');
		switch (f->fields[i].type) {
		case REC_STR:
			buf_put_field(b, *(const char *const *)p);
			break;
		case REC_BOOL:
			buf_putc(b, *(const bool *)p ? '1' : '0');
			break;
		case REC_UINT:
			buf_put_u64(b, *(const unsigned *)p);
			break;
		case REC_ULONG:
			buf_put_u64(b, *(const unsigned long *)p);
			break;
		case REC_ULLONG:
			buf_put_u64(b, *(const unsigned long long *)p);
			break;
		case REC_LLONG:
			buf_put_i64(b, *(const long long *)p);
			break;
		}
	}
}

/* A decimal number, all of `s`, at most `max`. */
static bool S_unsigned(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return end != s && *end == '\0' && *s != '-' && errno == 0 && *out <= max;
}

bool rec_get(char **cols, const struct rec_format *f, void *rec, struct arena *a)
{
	char *base = rec;
	for (size_t i = 0; i < f->n; i++) {
		void *p = base + f->fields[i].offset;
		const char *s = cols[i];
		unsigned long long u = 0;
		switch (f->fields[i].type) {
		case REC_STR: {
			const char *t = field_unescape(cols[i]);
			*(const char **)p = t && a ? arena_strdup(a, t) : t;
			break;
		}
		case REC_BOOL:
			if (!S_unsigned(s, 1, &u))
				return false;
			*(bool *)p = u;
			break;
		case REC_UINT:
			if (!S_unsigned(s, UINT_MAX, &u))
				return false;
			*(unsigned *)p = (unsigned)u;
			break;
		case REC_ULONG:
			if (!S_unsigned(s, ULONG_MAX, &u))
				return false;
			*(unsigned long *)p = (unsigned long)u;
			break;
		case REC_ULLONG:
			if (!S_unsigned(s, ULLONG_MAX, &u))
				return false;
			*(unsigned long long *)p = u;
			break;
		case REC_LLONG: {
			char *end;
			errno = 0;
			long long v = strtoll(s, &end, 10);
			if (end == s || *end || errno)
				return false;
			*(long long *)p = v;
			break;
		}
		}
	}
	return true;
}
