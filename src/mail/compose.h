/* Compose outgoing mail (GMime): RFC 5322 bytes with CRLF line ends. */
#ifndef AY_MAIL_COMPOSE_H
#define AY_MAIL_COMPOSE_H

#include "util/ay.h"
#include "util/buf.h"

/* A file sent with a mail (data borrowed for the call). */
struct mail_out_att {
	const char *filename;	  /* UTF-8; RFC 2231-encoded as needed */
	const char *content_type; /* type/subtype */
	const void *data;
	size_t len;
};

struct mail_out {
	const char *from;	 /* address, required */
	const char *from_name;	 /* display name or NULL */
	const char *to;		 /* address, required */
	const char *to_name;	 /* display name or NULL */
	const char *subject;	 /* UTF-8 */
	const char *message_id;	 /* without <>, caller generated, required */
	const char *in_reply_to; /* without <>, or NULL */
	const char **references; /* without <>, oldest first */
	size_t nrefs;
	const char *text; /* UTF-8 body, required */
	const char *html; /* optional: multipart/alternative text + html */
	bool automatic;	  /* adds Auto-Submitted: auto-replied */
	const char *loop_token;		/* X-Loop value, or NULL */
	const char *lang;		/* Content-Language (es, en), or NULL */
	const struct mail_out_att *att; /* files: multipart/mixed */
	size_t natt;
};

/* Append the message to out: UTF-8 quoted-printable parts, RFC 2047
 * encoded subject and names, Date now, CRLF line ends. AY_EINVAL when a
 * required field is missing or a header value holds CR/LF or an address
 * is malformed. */
ay_rc mail_compose(const struct mail_out *m, struct buf *out) AY_MUST_CHECK;

/* Whether id (without <>) can go into Message-ID, In-Reply-To or
 * References: one word with an '@', under 250 bytes. */
bool mail_msgid_ok(const char *id);

/* Returns: owned by caller (free()), a new random Message-ID without <>,
 * "<32 hex>.ayuda@domain" ("localhost" when domain is NULL or not a
 * plain host name); NULL on failure. */
char *mail_new_message_id(const char *domain);

#endif
