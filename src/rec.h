/* rec.h: records described once. A record format is a table of fields
 * (name, type, offset into the C struct) that the writer, the reader and
 * the hasher all walk: a field added to the table is written, read back
 * and hashed, and a reader never takes one field for another.
 *
 * A field's type comes from the struct member itself (REC_FIELD, through
 * _Generic): a member of a type records do not know does not compile.
 * Text is one line per record, fields separated by tabs (util.h's field
 * escaping, so a string field may be NULL). The format's name, version and
 * fields (rec_header) head the file that holds its records: a reader whose
 * header differs drops every record, and the build starts afresh. */
#ifndef MG_REC_H
#define MG_REC_H

#include <stdbool.h>
#include <stddef.h>

#include "hash.h"
#include "util.h"

enum rec_type { REC_STR, REC_BOOL, REC_UINT, REC_ULONG, REC_ULLONG, REC_LLONG };

struct rec_field {
	const char *name;
	enum rec_type type;
	size_t offset;
};

/* The type of a struct member, as a record stores it (an enum is its
 * compatible integer type). */
#define REC_TYPE(lvalue)                                                                           \
	_Generic((lvalue),                                                                        \
		const char *: REC_STR,                                                            \
		bool: REC_BOOL,                                                                   \
		unsigned: REC_UINT,                                                               \
		unsigned long: REC_ULONG,                                                         \
		unsigned long long: REC_ULLONG,                                                   \
		long long: REC_LLONG)

/* The table entry of `member` (it may name a nested member: stamp.dev). */
#define REC_FIELD(type, member)                                                                    \
	{                                                                                          \
#member, REC_TYPE(((type *)0)->member), offsetof(type, member)                     \
	}

struct rec_format {
	const char *name;
	unsigned version; /* raised when a field's meaning changes */
	const struct rec_field *fields;
	size_t n;
};

#define REC_FORMAT(name, version, table)                                                           \
	{                                                                                          \
		name, version, table, sizeof table / sizeof *table                                 \
	}

/* Hashes every field of `rec`, in table order. */
void rec_hash(struct hash128 *h, const struct rec_format *f, const void *rec);

/* Appends the format's header line without its newline:
 * "name version field:type ...". */
void rec_header(struct buf *b, const struct rec_format *f);

/* Appends `rec`'s fields in table order, separated by tabs, without a
 * newline. */
void rec_put(struct buf *b, const struct rec_format *f, const void *rec);

/* Reads f->n fields from `cols` (split and still escaped; unescaped in
 * place) into `rec`; strings are copied into `a`, or with `a` NULL point
 * into `cols`. False when a field is malformed or out of its type's range
 * (then `rec` is partly filled). */
bool rec_get(char **cols, const struct rec_format *f, void *rec, struct arena *a);

#endif
