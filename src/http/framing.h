/* Checks on how a request is framed (framing.c), made before routing. */
#ifndef AY_HTTP_FRAMING_H
#define AY_HTTP_FRAMING_H

#include <stddef.h>

struct MHD_Connection;

/* What the checks found about one request. */
struct http_frame {
	size_t raw_len;	 /* strlen of the request target as received */
	int status;	 /* 0, or the answer: 400 or 414 */
	const char *why; /* the reason, in Spanish (static) */
};

/* Look at the request target as received, before libmicrohttpd decodes it
 * (its URI log callback): "%00", too long, too many parameters. When the
 * request is refused, the parameters are cut off so that libmicrohttpd does
 * not parse them. */
void http_frame_uri(struct http_frame *f, const char *uri);

/* On the first call of the access handler, with the headers: a NUL byte in
 * the target, a field or a parameter; Content-Length beside
 * Transfer-Encoding, several or invalid Content-Length values, a transfer
 * coding other than chunked. Returns f->status (0 when the request may
 * go on); the connection must then be closed. */
int http_frame_check(struct http_frame *f, struct MHD_Connection *conn,
		     const char *method, const char *url, const char *version);

#endif
