/* The web UI's files and the HTML shell of its pages: lookup, ETag and
 * 304, gzip/brotli by Accept-Encoding, cache headers. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/stat.h>

#include "http/http.h"
#include "http/static.h"
#include "util/path.h"

#define WEB_FILE_MAX ((size_t)8 << 20)

/* The application's pages (DESIGN.md section 5): each is served the shell
 * and routed in the browser (the knowledge base's /kb pages are not: the
 * server renders them, http/kb_pages.c). A prefix matches itself and what lies
 * below it ("/tickets" and "/tickets/7", not "/ticketsx"). */
static const char *const pages[] = {
	"/entrar",     "/registro", "/salir",	"/clave",
	"/cuenta",     "/tickets",  "/sla",	"/agente",
	"/supervisor", "/admin",    "/account", "/encuesta",
};

static bool is_page(const char *path)
{
	if (!strcmp(path, "/"))
		return true;
	for (size_t i = 0; i < AY_ARRAY_LEN(pages); i++) {
		size_t n = strlen(pages[i]);

		if (!strncmp(path, pages[i], n) &&
		    (path[n] == '\0' || path[n] == '/'))
			return true;
	}
	return false;
}

/* Whether the client accepts the content coding (a token of
 * Accept-Encoding without q=0). */
static bool accepts(const char *ae, const char *coding)
{
	size_t n = strlen(coding);
	const char *p = ae;

	while (p && *p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		while (len && (*p == ' ' || *p == '\t')) {
			p++;
			len--;
		}
		if (len >= n && !strncasecmp(p, coding, n) &&
		    (len == n || p[n] == ';' || p[n] == ' ')) {
			const char *q = memchr(p, '=', len);

			/* "gzip;q=0" and "gzip;q=0.000" refuse it. */
			return !q || strtod(q + 1, NULL) > 0;
		}
		p = end ? end + 1 : NULL;
	}
	return false;
}

/* If-None-Match: "*" or a list of (possibly weak) entity tags. */
bool http_etag_matches(const char *inm, const char *etag)
{
	size_t n = strlen(etag);
	const char *p = inm;

	if (!p)
		return false;
	while (*p) {
		while (*p == ' ' || *p == ',')
			p++;
		if (*p == '*')
			return true;
		if (!strncmp(p, "W/", 2))
			p += 2;
		if (!strncmp(p, etag, n) &&
		    (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
			return true;
		while (*p && *p != ',')
			p++;
	}
	return false;
}

static const char *header(struct http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

static const struct web_file *find_file(const char *path)
{
	for (size_t i = 0; i < web_nfiles; i++)
		if (!strcmp(web_files[i].path, path))
			return &web_files[i];
	return NULL;
}

/* Answer with an embedded file. The current ?v= makes it immutable; the
 * shell and unversioned URLs are revalidated (no-cache + ETag). */
static void serve_embedded(struct http_req *r, const struct web_file *f,
			   int status)
{
	const char *ae = header(r, "Accept-Encoding");
	const char *v = http_query(r, "v");
	const char *suffix = "";

	r->body_static = f->data;
	r->body_static_len = f->len;
	r->encoding = NULL;
	if (f->br && accepts(ae, "br")) {
		r->body_static = f->br;
		r->body_static_len = f->br_len;
		r->encoding = "br";
		suffix = "-br";
	} else if (f->gz && accepts(ae, "gzip")) {
		r->body_static = f->gz;
		r->body_static_len = f->gz_len;
		r->encoding = "gzip";
		suffix = "-gz";
	}
	/* Each representation has its own strong tag. */
	snprintf(r->etag, sizeof(r->etag), "%.*s%s\"", (int)strlen(f->etag) - 1,
		 f->etag, suffix);
	r->vary_encoding = f->gz || f->br;
	r->ctype = f->ctype;
	r->cache_control = status == 200 && v && !strcmp(v, web_build)
				   ? "public, max-age=31536000, immutable"
				   : "no-cache";
	r->status = status;
	if (status == 200 &&
	    http_etag_matches(header(r, "If-None-Match"), r->etag)) {
		r->status = 304;
		r->body_static = NULL;
		r->body_static_len = 0;
	}
}

static const char *type_of(const char *path)
{
	static const char *const types[][2] = {
		{".html", "text/html; charset=utf-8"},
		{".js", "text/javascript; charset=utf-8"},
		{".css", "text/css; charset=utf-8"},
		{".json", "application/json"},
		{".svg", "image/svg+xml"},
		{".png", "image/png"},
		{".ico", "image/x-icon"},
		{".woff2", "font/woff2"},
		{".txt", "text/plain; charset=utf-8"},
	};
	const char *dot = strrchr(path, '.');

	for (size_t i = 0; dot && i < AY_ARRAY_LEN(types); i++)
		if (!strcmp(dot, types[i][0]))
			return types[i][1];
	return NULL;
}

/* A path we may look up under --web-dir: [A-Za-z0-9._/-], no "..", no
 * hidden names, no empty segment. */
static bool safe_path(const char *p)
{
	if (*p != '/' || strstr(p, "/.") || strstr(p, "//"))
		return false;
	for (; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("._/-", *p)))
			return false;
	return true;
}

/* Read DIR/path into r->out; false when it is not a readable file. */
static bool read_disk(struct http_req *r, const char *dir, const char *path)
{
	char full[2048], chunk[16384];
	struct stat sb;
	ssize_t n;
	int fd;

	if (!safe_path(path) || !type_of(path))
		return false;
	if (ay_path(full, sizeof(full), "%s%s", dir, path))
		return false;
	fd = open(full, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode) ||
	    (size_t)sb.st_size > WEB_FILE_MAX) {
		close(fd);
		return false;
	}
	buf_reset(&r->out);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		if (buf_add(&r->out, chunk, (size_t)n))
			break;
	close(fd);
	return n == 0;
}

/* Answer from --web-dir: no compression, always revalidated. */
static bool serve_disk(struct http_req *r, const char *dir, const char *path,
		       int status)
{
	uint64_t h = 1469598103934665603ULL;

	if (!read_disk(r, dir, path))
		return false;
	for (size_t i = 0; i < r->out.len; i++)
		h = (h ^ (unsigned char)r->out.ptr[i]) * 1099511628211ULL;
	snprintf(r->etag, sizeof(r->etag), "\"d%016llx\"",
		 (unsigned long long)h);
	r->ctype = type_of(path);
	r->cache_control = "no-cache";
	r->status = status;
	if (status == 200 &&
	    http_etag_matches(header(r, "If-None-Match"), r->etag)) {
		r->status = 304;
		buf_release(&r->out);
	}
	return true;
}

static bool serve(struct http_req *r, const char *path, int status)
{
	const char *dir = http_config(r)->web_dir;
	const struct web_file *f;

	if (dir[0])
		return serve_disk(r, dir, path, status);
	f = find_file(path);
	if (!f)
		return false;
	serve_embedded(r, f, status);
	return true;
}

static bool wants_html(struct http_req *r)
{
	const char *accept = header(r, "Accept");

	return accept && strstr(accept, "text/html");
}

bool static_serve(struct http_req *r)
{
	if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD"))
		return false;
	if (!strncmp(r->path, "/api/", 5))
		return false;
	if (strcmp(r->path, "/") && serve(r, r->path, 200))
		return true;
	if (is_page(r->path))
		return serve(r, "/index.html", 200);
	/* A mistyped address in a browser gets the application's own "page
	 * not found" (with status 404); other clients keep the JSON 404. */
	if (wants_html(r))
		return serve(r, "/index.html", 404);
	return false;
}
