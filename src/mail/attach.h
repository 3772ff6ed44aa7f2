/* Attachment policy: allowed types by content (libmagic), size limits. */
#ifndef AY_MAIL_ATTACH_H
#define AY_MAIL_ATTACH_H

#include "util/ay.h"
#include "mail/parse.h"

#define MAIL_ATTACH_MAX_TYPES	  32
#define MAIL_ATTACH_DEFAULT_LIMIT ((size_t)20 << 20)

struct mail_attach_policy {
	char types[MAIL_ATTACH_MAX_TYPES][64]; /* allowed sniffed types */
	size_t ntypes;
	size_t max_file;    /* bytes per attachment, 0 = no limit */
	size_t max_message; /* bytes for all attachments of a message */
};

/* Fill p with the defaults: image/png, image/gif, image/jpeg,
 * application/zip, application/x-rar, application/vnd.rar,
 * application/pdf, text/plain; 20 MiB per file and per message. */
void mail_attach_policy_default(struct mail_attach_policy *p);

/* Replace p's allowed types with a comma-separated list ("image/png,
 * application/pdf"); blanks ignored, lowercased. AY_EINVAL on an entry
 * that is not type/subtype, AY_ETOOBIG when there are too many. */
ay_rc mail_attach_policy_parse(struct mail_attach_policy *p,
			       const char *list) AY_MUST_CHECK;

/* Check one attachment by its content type (a->sniffed_type, or sniffed
 * now from a->data when NULL) and size. AY_OK, or AY_EPERM / AY_ETOOBIG
 * with a Spanish explanation for the customer in why. */
ay_rc mail_attachment_check(const struct mail_attach_policy *p,
			    const struct mail_attachment *a, char *why,
			    size_t whylen) AY_MUST_CHECK;

/* Check all attachments of a message, including the total size; stops
 * at the first refused one (its explanation in why). */
ay_rc mail_attachments_check(const struct mail_attach_policy *p,
			     const struct mail_attachment *att, size_t n,
			     char *why, size_t whylen) AY_MUST_CHECK;

/* Sniff the MIME type of data (libmagic's MAGIC_MIME_TYPE names: the
 * common types from their first bytes, mail_sniff_fast(), the rest by
 * libmagic) into out, "application/octet-stream" when unknown.
 * Thread-safe (one magic_t per thread). */
void mail_sniff_type(const void *data, size_t len, char *out, size_t outlen);

/* The same for a file called name (may be NULL): a name that says text
 * (.txt, .log) lets plain UTF-8 text be told without libmagic. */
void mail_sniff_type_named(const void *data, size_t len, const char *name,
			   char *out, size_t outlen);

#endif
