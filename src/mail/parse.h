/* Parse one RFC 5322/MIME message (GMime 3) into a plain C struct. */
#ifndef AY_MAIL_PARSE_H
#define AY_MAIL_PARSE_H

#include "util/ay.h"

/* Largest raw message mail_parse() accepts. */
#define MAIL_MAX_RAW ((size_t)50 << 20)

struct mail_attachment {
	char *filename;	     /* decoded (RFC 2231/2047), UTF-8; made up
				("adjunto.bin", "<subject>.eml") if missing */
	char *declared_type; /* declared Content-Type, lowercase type/subtype */
	char *sniffed_type;  /* from the content (libmagic MIME type) */
	char *content_id;    /* without <>, or NULL */
	bool is_inline;	     /* referenced by cid: from the HTML, or an inline
				image */
	bool oversize;	     /* larger than max_attachment: data is NULL and
				len the decoded size */
	unsigned char *data; /* decoded content; NUL-terminated (not counted) */
	size_t len;	     /* bytes in data */
};

struct mail_msg {
	char *message_id;  /* without <>; NULL if none */
	char *in_reply_to; /* without <>; NULL if none */
	char **references; /* without <>, in order */
	size_t nrefs;
	char *from_addr; /* domain lowercased; NULL if none (falls back to
			    Reply-To, then Sender) */
	char *from_name; /* decoded display name or "" */
	char *reply_to;	 /* first Reply-To address or NULL */
	char **to;	 /* To addresses */
	size_t nto;
	char **cc; /* Cc addresses */
	size_t ncc;
	char *to_header; /* decoded To text, "" if none */
	char *cc_header; /* decoded Cc text, "" if none */
	char *subject;	 /* decoded, "" if none */
	int64_t date;	 /* Unix seconds, 0 if none or unparsable */
	char *text;	 /* whole body as text (HTML-only converted); "" if
			    none */
	char *text_new;	 /* text without quoted history and signature; may
			    be "" when the message only quotes or forwards */
	char *html;	 /* original HTML body part(s), or NULL */
	struct mail_attachment *att;
	size_t natt;
	bool auto_submitted; /* Auto-Submitted (not "no"), Precedence
				bulk/junk/list, X-Autoreply, X-Autorespond,
				X-Auto-Response-Suppress, List-Id, or from
				mailer-daemon/postmaster */
	bool is_bounce;	     /* multipart/report delivery-status, or a
				plain-text bounce from mailer-daemon */
	char *bounce_of;     /* Message-ID (no <>) of the returned message */
	bool has_our_loop;   /* an X-Loop header equals opts->loop_token */
	bool null_sender;    /* Return-Path: <> (RFC 3834: never answer) */
	char *delivered_to;  /* Delivered-To, X-Original-To, Envelope-To and
				X-Envelope-To values (the envelope recipient
				as MTAs record it), one a line; "" if none */
};

struct mail_parse_opts {
	const char *loop_token; /* X-Loop value we add to our mail, or NULL */
	size_t max_attachment;	/* bigger parts keep no data; 0 = no limit */
};

/* Parse raw (len bytes) into *out. Every string stored is valid UTF-8.
 * o may be NULL. Errors: AY_ETOOBIG (over MAIL_MAX_RAW), AY_EINVAL (not
 * a message at all), AY_ENOMEM; err (may be NULL) gets a reason.
 * Thread-safe. Returns: *out owned by caller, free with mail_msg_free(). */
ay_rc mail_parse(const char *raw, size_t len, const struct mail_parse_opts *o,
		 struct mail_msg **out, char *err, size_t errlen) AY_MUST_CHECK;

/* Free a parsed message and everything in it. NULL-safe. */
void mail_msg_free(struct mail_msg *m);

/* Initialise GMime once (thread-safe; mail_parse and mail_compose call
 * it themselves). */
void mail_gmime_init(void);

#endif
