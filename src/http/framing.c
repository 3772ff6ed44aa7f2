/* Checks on how a request is framed, made before any handler sees it:
 * request smuggling (RFC 9112 section 6.3), oversized request lines, NUL
 * bytes that libmicrohttpd would silently truncate. libmicrohttpd 0.9.75
 * answers an oversized header block (431) and request line (414) itself,
 * but not what is below. */
#include <string.h>
#include <strings.h>

#include "http/http.h"
#include "http/framing.h"

/* Most query parameters a request may carry. libmicrohttpd 0.9.75 keeps
 * one record per parameter in the connection's 64 KiB memory pool and,
 * when it runs out (about 800 parameters), neither answers nor closes: the
 * client waits for the connection timeout. */
#define HTTP_MAX_ARGS 200
/* Longest request target, as nginx's default large_client_header_buffers. */
#define HTTP_MAX_URI 8192

void http_frame_uri(struct http_frame *f, const char *uri)
{
	const char *q = strchr(uri, '?');
	size_t args = 0;

	f->raw_len = strlen(uri);
	for (const char *p = uri; *p; p++) {
		if (p[0] == '%' && p[1] == '0' && p[2] == '0') {
			f->status = 400;
			f->why = "la dirección contiene un byte nulo (%00)";
			break;
		}
		if (q && p > q && *p == '&')
			args++;
	}
	if (!f->status &&
	    (args >= HTTP_MAX_ARGS || f->raw_len > HTTP_MAX_URI)) {
		f->status = 414;
		f->why = "la dirección es demasiado larga o tiene demasiados "
			 "parámetros";
	}
	/* Keep libmicrohttpd from parsing parameters that will never be
	 * read: it splits them after this callback, in the same buffer. */
	if (f->status && q)
		((char *)q)[1] = '\0';
}

struct hdr_scan {
	const char *lo, *hi;  /* the header block in libmicrohttpd's buffer */
	const char *prev_end; /* the byte after the previous value, or NULL */
	int content_length, transfer_encoding;
	const char *cl, *te;
	bool nul;
};

/* Where the text after a value (its end of line turned into NULs) leads:
 * the next field's name or the end of the block. */
static const char *skip_nuls(const struct hdr_scan *h, const char *p)
{
	while (p < h->hi && !*p)
		p++;
	return p;
}

/* libmicrohttpd 0.9.75 parses the request in place and hands a value out
 * as a C string: "a\0b" arrives as "a". The bytes after the value's
 * terminator must lead to the next field (or the end); anything else was
 * hidden behind a NUL. Checked only while the fields lie in the block, in
 * order, as that version lays them out; other layouts are not judged. */
static void check_nul(struct hdr_scan *h, const char *key, const char *value,
		      size_t value_size)
{
	if (!h->lo || key < h->lo || key >= h->hi || !value || value < key ||
	    value + value_size >= h->hi) {
		h->lo = NULL;
		return;
	}
	if (h->prev_end && skip_nuls(h, h->prev_end) != key)
		h->nul = true;
	h->prev_end = value + value_size;
}

static enum MHD_Result scan_header(void *cls, enum MHD_ValueKind kind,
				   const char *key, size_t key_size,
				   const char *value, size_t value_size)
{
	struct hdr_scan *h = cls;

	(void)kind;
	if (value && memchr(value, '\0', value_size))
		h->nul = true;
	check_nul(h, key, value, value_size);
	if (key_size == 14 && !strcasecmp(key, "Content-Length")) {
		h->content_length++;
		h->cl = value;
	} else if (key_size == 17 && !strcasecmp(key, "Transfer-Encoding")) {
		h->transfer_encoding++;
		h->te = value;
	}
	return MHD_YES;
}

static enum MHD_Result scan_arg(void *cls, enum MHD_ValueKind kind,
				const char *key, size_t key_size,
				const char *value, size_t value_size)
{
	struct hdr_scan *h = cls;

	(void)kind;
	if (strlen(key) != key_size ||
	    (value && memchr(value, '\0', value_size)))
		h->nul = true;
	return MHD_YES;
}

/* Whether s is exactly "chunked", ignoring case and surrounding spaces. */
static bool only_chunked(const char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n == 7 && !strncasecmp(s, "chunked", 7);
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

int http_frame_check(struct http_frame *f, struct MHD_Connection *conn,
		     const char *method, const char *url, const char *version)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
		conn, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
	struct hdr_scan h = {0};

	if (f->status)
		return f->status;
	if (ci && ci->header_size && url > method && version > url &&
	    version < method + ci->header_size) {
		h.lo = method;
		h.hi = method + ci->header_size;
		/* The target runs from url to the NUL before version. */
		if (f->raw_len + 1 != (size_t)(version - url)) {
			f->why = "la dirección contiene un byte nulo";
			return f->status = 400;
		}
		h.prev_end = version + strlen(version);
	}
	MHD_get_connection_values_n(conn, MHD_HEADER_KIND, scan_header, &h);
	/* After the last field only line ends remain. */
	if (h.lo && h.prev_end && skip_nuls(&h, h.prev_end) < h.hi)
		h.nul = true;
	if (!h.nul)
		MHD_get_connection_values_n(conn, MHD_GET_ARGUMENT_KIND,
					    scan_arg, &h);
	if (h.nul) {
		f->why = "una cabecera o parámetro contiene un byte nulo";
		f->status = 400;
	} else if (h.transfer_encoding && h.content_length) {
		f->why = "Content-Length y Transfer-Encoding a la vez";
		f->status = 400;
	} else if (h.transfer_encoding > 1 ||
		   (h.transfer_encoding && !only_chunked(h.te))) {
		f->why = "codificación de transferencia no admitida (solo "
			 "chunked)";
		f->status = 400;
	} else if (h.content_length > 1) {
		f->why = "más de una cabecera Content-Length";
		f->status = 400;
	} else if (h.content_length && !all_digits(h.cl)) {
		f->why = "Content-Length no válido";
		f->status = 400;
	}
	return f->status;
}
