/* serve.c: `mailguide serve`, the author's preview.
 *
 * Builds the site, serves the output directory on 127.0.0.1 with
 * libmicrohttpd, watches the content and templates folders with inotify and
 * builds again after every save (the build is incremental: build_run, as
 * `mailguide build` runs it). A build swaps its output in atomically or
 * leaves it alone, so a failed build never touches what is served: the last
 * good site stays.
 *
 * Open pages learn of each build through Server-Sent Events: HTML responses
 * get one <script> (live.js below) added before </body> as they are sent
 * (the files on disk are not changed). It reloads the page after a good
 * build, and shows a failed build's diagnostics over the page, as the
 * terminal does.
 *
 * Threads: the main thread watches and builds; libmicrohttpd answers each
 * connection on a thread of its own (an event stream waits on `cond`).
 * What they share is `struct serve` under its mutex. */
#define _GNU_SOURCE
#include "serve.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

/* The page's script's and event stream's paths: no output path starts with
 * "__" (a slug or locale cannot). */
#define S_PREFIX "/__mailguide/"
#define S_EVENTS S_PREFIX "events"
#define S_LIVE_JS S_PREFIX "live.js"

/* A failed build's diagnostics shown in the page are cut here. */
#define S_MAX_DIAG (64u << 10)
/* A file is sent from memory (to add the script) up to this size. */
#define S_MAX_HTML ((size_t)64 << 20)
/* An event stream sends a comment this often, so idle proxies and the
 * browser keep it open. */
#define S_PING_SECONDS 15

static const char S_live_js[] =
	"/* mailguide serve: reloads the page after a good build, shows a failed\n"
	" * build's diagnostics over it. Only the preview server adds this. */\n"
	"(function () {\n"
	"  \"use strict\";\n"
	"  var me = document.currentScript;\n"
	"  var site = me ? me.getAttribute(\"data-site\") : null;\n"
	"  var box = null;\n"
	"  function show(text) {\n"
	"    if (text === null) {\n"
	"      if (box) { box.remove(); box = null; }\n"
	"      return;\n"
	"    }\n"
	"    if (!box) {\n"
	"      box = document.createElement(\"div\");\n"
	"      box.id = \"mailguide-serve-error\";\n"
	"      box.setAttribute(\"role\", \"alert\");\n"
	"      box.style.cssText = "
	"\"position:fixed;top:0;left:0;right:0;bottom:0;z-index:2147483647;\" +\n"
	"        "
	"\"overflow:auto;margin:0;padding:1.5em;background:rgba(25,25,25,.95);color:#fff;\" +\n"
	"        \"font:14px/1.45 monospace;\";\n"
	"      var h = document.createElement(\"strong\");\n"
	"      h.textContent = \"mailguide: the build failed; this page is from the last good "
	"build.\";\n"
	"      var pre = document.createElement(\"pre\");\n"
	"      pre.style.whiteSpace = \"pre-wrap\";\n"
	"      box.appendChild(h);\n"
	"      box.appendChild(pre);\n"
	"      document.body.appendChild(box);\n"
	"    }\n"
	"    box.lastChild.textContent = text;\n"
	"  }\n"
	"  var events = new EventSource(\"" S_EVENTS "\");\n"
	"  events.addEventListener(\"build\", function (e) {\n"
	"    var lines = e.data.split(\"\\n\"), head = lines[0].split(\" \");\n"
	"    if (head[1] === \"ok\") {\n"
	"      if (head[0] !== site) location.reload(); else show(null);\n"
	"    } else {\n"
	"      show(lines.slice(1).join(\"\\n\") || \"the build failed\");\n"
	"    }\n"
	"  });\n"
	"})();\n";

struct serve {
	const struct build_opts *opts;
	struct diag *d; /* the command's: its switches apply to every build */
	pthread_mutex_t lock;
	pthread_cond_t cond; /* a build finished, or the server stops */
	/* Under `lock`: */
	unsigned long builds; /* finished, good or not */
	unsigned long site;   /* the good build whose output is served */
	bool ok;              /* the last build succeeded */
	char *messages;       /* its diagnostics, when it failed */
	bool stopping;
};

/* ---- building ------------------------------------------------------------- */

static double S_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* One build, as `mailguide build` runs it. Its diagnostics are printed on
 * the terminal and kept for the pages. */
static void S_build(struct serve *s)
{
	double t0 = S_now();
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	struct diag bd;
	diag_init_like(&bd, s->d);
	bd.out = mem ? mem : stderr;
	int rc = build_run(s->opts, &bd);
	diag_free(&bd);
	if (mem)
		fclose(mem);
	if (text)
		fwrite(text, 1, len, stderr);
	if (rc == 0)
		fprintf(stderr, "mailguide serve: built in %.0f ms\n", 1e3 * (S_now() - t0));
	else
		fprintf(stderr, "mailguide serve: the build failed; the last good site is still "
				"served\n");
	if (text && len > S_MAX_DIAG) {
		len = S_MAX_DIAG;
		text[len] = '\0';
	}
	pthread_mutex_lock(&s->lock);
	free(s->messages);
	s->messages = text;
	s->ok = rc == 0;
	s->builds++;
	if (rc == 0)
		s->site++;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

/* ---- watching ------------------------------------------------------------- */

struct S_watch {
	int fd; /* inotify */
	struct {
		int wd;
		char *path;
	} * v;
	size_t n, cap;
};

#define S_WATCH_MASK                                                                               \
	(IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB |        \
	 IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

/* Watches `dir` and every folder below it (inotify watches one folder). */
static void S_watch_tree(struct S_watch *w, const char *dir)
{
	int wd = inotify_add_watch(w->fd, dir, S_WATCH_MASK);
	if (wd < 0)
		return;
	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 16;
		w->v = xrealloc(w->v, w->cap * sizeof *w->v);
	}
	w->v[w->n].wd = wd;
	w->v[w->n].path = xstrdup(dir);
	w->n++;
	size_t n;
	char **names = dir_names(dir, false, &n);
	for (size_t i = 0; i < n; i++) {
		char *sub = path_join(dir, names[i]);
		struct stat st;
		if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
			S_watch_tree(w, sub);
		free(sub);
	}
	dir_names_free(names, n);
}

static const char *S_watched(const struct S_watch *w, int wd)
{
	for (size_t i = 0; i < w->n; i++)
		if (w->v[i].wd == wd)
			return w->v[i].path;
	return NULL;
}

static void S_watch_free(struct S_watch *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->v[i].path);
	free(w->v);
	if (w->fd >= 0)
		close(w->fd);
}

/* Editors' scratch files (vim's .swp and 4913, emacs's .# and ~) are not
 * content: saving them needs no build. */
static bool S_scratch(const char *name)
{
	size_t n = strlen(name);
	return name[0] == '.' || (n && name[n - 1] == '~') || strcmp(name, "4913") == 0;
}

/* Reads the events waiting; true when one of them asks for a build. New
 * folders are watched too. */
static bool S_drain(struct S_watch *w)
{
	char ev[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool changed = false;
	for (;;) {
		ssize_t len = read(w->fd, ev, sizeof ev);
		if (len <= 0)
			return changed;
		for (char *p = ev; p < ev + len;) {
			const struct inotify_event *e = (const struct inotify_event *)p;
			p += sizeof *e + e->len;
			if (e->mask & IN_Q_OVERFLOW) {
				changed = true;
				continue;
			}
			if (e->len == 0 || !S_scratch(e->name))
				changed = true;
			const char *dir = S_watched(w, e->wd);
			if (dir && e->len && (e->mask & IN_ISDIR) &&
			    (e->mask & (IN_CREATE | IN_MOVED_TO))) {
				char *sub = path_join(dir, e->name);
				S_watch_tree(w, sub);
				free(sub);
			}
		}
	}
}

/* ---- answering ------------------------------------------------------------ */

struct S_type {
	const char *ext;
	const char *type;
};

/* By the file name's extension; what the published site's web server
 * settings give (web/nginx-mailguide.conf): Apple devices install a
 * profile only when it comes as application/x-apple-aspen-config. */
static const struct S_type S_types[] = {
	{".html", "text/html; charset=utf-8"},
	{".css", "text/css; charset=utf-8"},
	{".js", "text/javascript; charset=utf-8"},
	{".svg", "image/svg+xml"},
	{".png", "image/png"},
	{".jpg", "image/jpeg"},
	{".jpeg", "image/jpeg"},
	{".gif", "image/gif"},
	{".webp", "image/webp"},
	{".avif", "image/avif"},
	{".ico", "image/x-icon"},
	{".xml", "application/xml; charset=utf-8"},
	{".txt", "text/plain; charset=utf-8"},
	{".json", "application/json"},
	{".zip", "application/zip"},
	{".mobileconfig", "application/x-apple-aspen-config"},
	{".ps1", "text/plain; charset=utf-8"},
	{".reg", "text/plain; charset=utf-8"},
};

const char *serve_mime_type(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash ? slash : path, '.');
	for (size_t i = 0; dot && i < sizeof S_types / sizeof S_types[0]; i++)
		if (strcasecmp(dot, S_types[i].ext) == 0)
			return S_types[i].type;
	return "application/octet-stream";
}

bool serve_path_ok(const char *url)
{
	if (url[0] != '/' || strchr(url, '\\'))
		return false;
	for (const char *p = url + 1; *p;) {
		size_t n = strcspn(p, "/");
		/* "//": an empty name would make the rest an absolute path. */
		if (n == 0)
			return false;
		/* "." and ".." never; other dot names are hidden files (the
		 * Apache settings), but for .well-known (mail autoconfig). */
		if (n > 0 && p[0] == '.' && !(n == 11 && strncmp(p, ".well-known", 11) == 0))
			return false;
		p += n;
		if (*p == '/')
			p++;
	}
	return true;
}

static enum MHD_Result S_queue(struct MHD_Connection *c, unsigned status, struct MHD_Response *r,
			       const char *type)
{
	if (r == NULL)
		return MHD_NO;
	if (type)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	enum MHD_Result ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result S_text(struct MHD_Connection *c, unsigned status, const char *text)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
	return S_queue(c, status, r, "text/plain; charset=utf-8");
}

/* Opens `rel` (checked by serve_path_ok, without its leading '/') below the
 * output directory, opened again for each request: a build swaps a new
 * directory in under the same name. RESOLVE_BENEATH and NO_SYMLINKS let
 * nothing lead out of it; where openat2 is missing (valgrind, old
 * kernels), the checked path and O_NOFOLLOW do. */
static int S_open(const char *output, const char *rel, struct stat *st)
{
	int dir = open(output, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return -1;
	const char *path = rel[0] ? rel : ".";
	struct open_how how = {.flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK,
			       .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS};
	int fd = (int)syscall(SYS_openat2, dir, path, &how, sizeof how);
	if (fd < 0 && errno == ENOSYS)
		fd = openat(dir, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
	close(dir);
	if (fd >= 0 && fstat(fd, st) != 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* An HTML page with the live script added before its last </body> (at
 * the end when it has none). */
static enum MHD_Result S_html(struct serve *s, struct MHD_Connection *c, unsigned status, int fd,
			      const struct stat *st)
{
	pthread_mutex_lock(&s->lock);
	unsigned long site = s->site;
	pthread_mutex_unlock(&s->lock);
	struct buf page = {0};
	if (fd >= 0) {
		if ((size_t)st->st_size > S_MAX_HTML) {
			close(fd);
			return S_text(c, 500, "page too large to preview\n");
		}
		buf_grow(&page, (size_t)st->st_size + 1);
		char chunk[65536];
		ssize_t n;
		while ((n = read(fd, chunk, sizeof chunk)) > 0 && page.len <= S_MAX_HTML)
			buf_put(&page, chunk, (size_t)n);
		close(fd);
	} else {
		buf_puts(&page,
			 "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
			 "<title>Not found</title></head>\n<body><h1>Not found</h1>\n<p>No page "
			 "here (yet): the site has no 404.html.</p>\n</body></html>\n");
	}
	char tag[128];
	snprintf(tag, sizeof tag, "<script src=\"%s\" data-site=\"%lu\"></script>\n", S_LIVE_JS,
		 site);
	const char *text = buf_str(&page);
	size_t at = page.len;
	for (size_t i = page.len; i >= 7; i--)
		if (strncasecmp(text + i - 7, "</body>", 7) == 0) {
			at = i - 7;
			break;
		}
	struct buf out = {0};
	buf_put(&out, text, at);
	buf_puts(&out, tag);
	buf_put(&out, text + at, page.len - at);
	buf_free(&page);
	size_t len = out.len;
	struct MHD_Response *r =
		MHD_create_response_from_buffer(len, buf_detach(&out), MHD_RESPMEM_MUST_FREE);
	return S_queue(c, status, r, "text/html; charset=utf-8");
}

/* ---- the event stream ----------------------------------------------------- */

struct S_stream {
	struct serve *s;
	unsigned long sent; /* the build last told of; 0: none yet */
	struct buf out;     /* an event being sent */
	size_t off;
};

/* The event of the current state: "build" with data "<site> ok" or
 * "<site> error" and then the diagnostics, a data line each. */
static void S_event(const struct serve *s, struct buf *b)
{
	buf_printf(b, "event: build\ndata: %lu %s\n", s->site, s->ok ? "ok" : "error");
	const char *p = s->ok || s->messages == NULL ? "" : s->messages;
	while (*p) {
		size_t n = strcspn(p, "\n");
		buf_puts(b, "data: ");
		buf_put(b, p, n && p[n - 1] == '\r' ? n - 1 : n);
		buf_putc(b, '\n');
		p += n + (p[n] == '\n');
	}
	buf_putc(b, '\n');
}

/* libmicrohttpd asks for the stream's next bytes on the connection's own
 * thread: it waits here for the next build (or a ping's time). */
static ssize_t S_stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)pos;
	struct S_stream *st = cls;
	struct serve *s = st->s;
	if (st->off == st->out.len) {
		buf_clear(&st->out);
		st->off = 0;
		pthread_mutex_lock(&s->lock);
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += S_PING_SECONDS;
		int rc = 0;
		while (!s->stopping && st->sent == s->builds && rc != ETIMEDOUT)
			rc = pthread_cond_timedwait(&s->cond, &s->lock, &until);
		if (s->stopping) {
			pthread_mutex_unlock(&s->lock);
			return MHD_CONTENT_READER_END_OF_STREAM;
		}
		if (st->sent != s->builds) {
			S_event(s, &st->out);
			st->sent = s->builds;
		} else {
			buf_puts(&st->out, ": ping\n\n");
		}
		pthread_mutex_unlock(&s->lock);
	}
	size_t n = st->out.len - st->off < max ? st->out.len - st->off : max;
	memcpy(buf, st->out.data + st->off, n);
	st->off += n;
	return (ssize_t)n;
}

static void S_stream_free(void *cls)
{
	struct S_stream *st = cls;
	buf_free(&st->out);
	free(st);
}

static enum MHD_Result S_events(struct serve *s, struct MHD_Connection *c)
{
	struct S_stream *st = xcalloc(1, sizeof *st);
	st->s = s;
	struct MHD_Response *r = MHD_create_response_from_callback(
		MHD_SIZE_UNKNOWN, 4096, S_stream_read, st, S_stream_free);
	if (r == NULL) {
		S_stream_free(st);
		return MHD_NO;
	}
	return S_queue(c, 200, r, "text/event-stream; charset=utf-8");
}

/* Percent-encodes what is not a plain path character, for a Location. */
static void S_url_path(struct buf *b, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("/-._~", *p)) {
			buf_putc(b, (char)*p);
		} else {
			buf_putc(b, '%');
			buf_putc(b, hex[*p >> 4]);
			buf_putc(b, hex[*p & 15]);
		}
	}
}

/* Answers one request: the live script, the event stream, or a file of
 * the output (a folder's index.html; 404.html, with status 404, when there
 * is none). libmicrohttpd gives the path percent-decoded. */
static enum MHD_Result S_answer(void *cls, struct MHD_Connection *c, const char *url,
				const char *method, const char *version, const char *upload,
				size_t *upload_size, void **req)
{
	(void)version, (void)upload, (void)req;
	struct serve *s = cls;
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return S_text(c, 405, "only GET and HEAD\n");
	if (*upload_size != 0)
		return S_text(c, 400, "no body expected\n");
	if (strcmp(url, S_LIVE_JS) == 0) {
		struct MHD_Response *r = MHD_create_response_from_buffer(
			sizeof S_live_js - 1, (void *)S_live_js, MHD_RESPMEM_PERSISTENT);
		return S_queue(c, 200, r, "text/javascript; charset=utf-8");
	}
	if (strcmp(url, S_EVENTS) == 0)
		return S_events(s, c);
	if (!serve_path_ok(url))
		return S_text(c, 403, "forbidden\n");
	struct stat st;
	int fd = S_open(s->opts->output, url + 1, &st);
	if (fd >= 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		size_t n = strlen(url);
		if (url[n - 1] != '/') {
			struct buf loc = {0};
			S_url_path(&loc, url);
			buf_putc(&loc, '/');
			struct MHD_Response *r =
				MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
			if (r)
				MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, buf_str(&loc));
			buf_free(&loc);
			return S_queue(c, 301, r, NULL);
		}
		struct buf index = {0};
		buf_printf(&index, "%sindex.html", url + 1);
		fd = S_open(s->opts->output, buf_str(&index), &st);
		buf_free(&index);
	}
	if (fd < 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		fd = S_open(s->opts->output, "404.html", &st);
		if (fd >= 0 && !S_ISREG(st.st_mode)) {
			close(fd);
			fd = -1;
		}
		return S_html(s, c, 404, fd, &st);
	}
	const char *type = serve_mime_type(url[strlen(url) - 1] == '/' ? "index.html" : url);
	if (strncmp(type, "text/html", 9) == 0)
		return S_html(s, c, 200, fd, &st);
	struct MHD_Response *r = MHD_create_response_from_fd64((uint64_t)st.st_size, fd);
	if (r == NULL)
		close(fd);
	return S_queue(c, 200, r, type);
}

/* ---- the command ---------------------------------------------------------- */

/* Waits until the events stop for a moment (an editor's save is several:
 * write, rename, chmod), at most half a second. */
static void S_settle(struct S_watch *w)
{
	double until = S_now() + 0.5;
	for (;;) {
		struct pollfd p = {w->fd, POLLIN, 0};
		double left = until - S_now();
		if (left <= 0 || poll(&p, 1, left < 0.05 ? (int)(left * 1e3) : 50) <= 0)
			return;
		S_drain(w);
	}
}

int serve_run(const struct build_opts *opts, const struct serve_opts *so, struct diag *d)
{
	struct serve s = {.opts = opts, .d = d};
	pthread_mutex_init(&s.lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s.cond, &ca);
	pthread_condattr_destroy(&ca);
	int rc = 1;
	struct MHD_Daemon *daemon = NULL;
	struct S_watch w = {.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)};

	/* SIGINT and SIGTERM are read from a descriptor by the main loop,
	 * blocked in every thread (the server's threads inherit the mask). */
	sigset_t sigs, old;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, &old);
	signal(SIGPIPE, SIG_IGN);
	int sfd = signalfd(-1, &sigs, SFD_CLOEXEC);
	if (w.fd < 0 || sfd < 0) {
		fprintf(stderr, "mailguide serve: cannot watch files: %s\n", strerror(errno));
		goto done;
	}
	S_watch_tree(&w, opts->content);
	if (w.n == 0) {
		fprintf(stderr, "mailguide serve: cannot watch %s: %s\n", opts->content,
			strerror(errno));
		goto done;
	}
	size_t n_content = w.n;
	S_watch_tree(&w, opts->templates);
	if (w.n == n_content)
		fprintf(stderr, "mailguide serve: warning: cannot watch %s: %s\n", opts->templates,
			strerror(errno));

	struct sockaddr_in addr = {.sin_family = AF_INET,
				   .sin_port = htons((uint16_t)so->port),
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	daemon = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ITC, 0,
		NULL, NULL, S_answer, &s, MHD_OPTION_SOCK_ADDR, &addr, MHD_OPTION_CONNECTION_LIMIT,
		(unsigned)64, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120, MHD_OPTION_END);
	if (daemon == NULL) {
		fprintf(stderr, "mailguide serve: cannot listen on 127.0.0.1:%u: %s\n", so->port,
			strerror(errno));
		goto done;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
	fprintf(stderr,
		"mailguide serve: http://127.0.0.1:%u/ serves %s; rebuilt when %s or %s change "
		"(Ctrl-C stops)\n",
		info ? (unsigned)info->port : so->port, opts->output, opts->content,
		opts->templates);
	S_build(&s);
	for (;;) {
		struct pollfd p[2] = {{sfd, POLLIN, 0}, {w.fd, POLLIN, 0}};
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[0].revents) {
			struct signalfd_siginfo si;
			if (read(sfd, &si, sizeof si) == (ssize_t)sizeof si)
				fprintf(stderr, "mailguide serve: %s, stopping\n",
					strsignal((int)si.ssi_signo));
			break;
		}
		if (p[1].revents && S_drain(&w)) {
			S_settle(&w);
			S_build(&s);
		}
	}
	rc = 0;
done:
	/* Event streams waiting for a build end now, so that stopping the
	 * server (which joins their threads) does not wait for them. */
	pthread_mutex_lock(&s.lock);
	s.stopping = true;
	pthread_cond_broadcast(&s.cond);
	pthread_mutex_unlock(&s.lock);
	if (daemon)
		MHD_stop_daemon(daemon);
	S_watch_free(&w);
	if (sfd >= 0)
		close(sfd);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	free(s.messages);
	pthread_cond_destroy(&s.cond);
	pthread_mutex_destroy(&s.lock);
	return rc;
}
