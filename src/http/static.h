/* The web UI's static files: embedded at build time (scripts/webembed.py
 * writes build/web_embed.c from web/), or read from a directory while
 * working on them (`ayuda serve --web-dir DIR`). */
#ifndef AY_HTTP_STATIC_H
#define AY_HTTP_STATIC_H

#include <stdbool.h>
#include <stddef.h>

/* One embedded file; gz and br are NULL when compression did not pay. */
struct web_file {
	const char *path;  /* "/app.js" */
	const char *ctype; /* Content-Type */
	const char *etag;  /* strong, quoted: "\"0a1b...\"" */
	const unsigned char *data;
	size_t len;
	const unsigned char *gz;
	size_t gz_len;
	const unsigned char *br;
	size_t br_len;
};

extern const struct web_file web_files[];
extern const size_t web_nfiles;
/* The hash of the whole tree: references between files carry ?v=BUILD. */
extern const char web_build[];

struct http_req;

/* Answer a GET or HEAD that matched no API route with a file of the web
 * UI, or with the HTML shell for a page of the application. Returns false
 * when the path is neither (the caller answers 404/405). */
bool static_serve(struct http_req *r);
/* Whether an If-None-Match value (NULL: none) names etag. */
bool http_etag_matches(const char *inm, const char *etag);

#endif
