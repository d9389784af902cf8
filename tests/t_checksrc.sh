#!/usr/bin/env bash
# tools/checksrc.py, the banned-function check of `make lint`: it reports
# each banned call at its line and column, and nothing in comments, string
# or character literals, names that merely contain a banned one, calls a
# line allows by name, or allocation inside src/util.c.
. tests/lib.sh
top=$PWD
mkdir -p "$TMP/src"
cat > "$TMP/src/x.c" <<'C'
/* sprintf(a, "%d", 1) in a comment */
static void f(char *d, const char *s)
{
	sprintf(d, "%s", s);
	const char *t = "strcpy(d, s)"; // strcat(d, s) here too
	char q = '('; (void)q; (void)t;
	snprintf(d, 4, "%s", s); my_strcpy(d, s); x.atoi(s); p->gets(d);
	int n = atoi (s); (void)n;
	char *m = malloc(4); free(m);
	strncpy(d, s, 4); /* checksrc: allow strncpy (fixed-width field, padded on purpose) */
	strtok(d, ",");
}
C
printf 'void *xmalloc(unsigned long n) { return malloc(n); }\n' > "$TMP/src/util.c"
cat > "$TMP/expected" <<'E'
src/x.c:4:2: error: 'sprintf' is banned: no bound; use snprintf or buf_printf [checksrc]
src/x.c:8:10: error: 'atoi' is banned: no error detection; use strtol and check the end [checksrc]
src/x.c:9:12: error: 'malloc' is banned: use xmalloc (util.h), which never returns NULL [checksrc]
src/x.c:11:2: error: 'strtok' is banned: hidden static state, not thread-safe; use strtok_r or scan with strcspn [checksrc]
E
(cd "$TMP" && python3 "$top/tools/checksrc.py" src/x.c src/util.c) >"$TMP/got"; rc=$?
[ "$rc" = 1 ] && pass "checksrc: exits 1 on a banned call" || fail "checksrc: exits 1 on a banned call" "exit $rc"
same "checksrc: each banned call at its line and column, nothing else" "$TMP/expected" "$TMP/got"
(cd "$TMP" && python3 "$top/tools/checksrc.py" src/util.c) >"$TMP/got2"; rc=$?
[ "$rc" = 0 ] && [ ! -s "$TMP/got2" ] && pass "checksrc: src/util.c may allocate" ||
    fail "checksrc: src/util.c may allocate" "exit $rc: $(cat "$TMP/got2")"
