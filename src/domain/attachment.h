/* The files of a ticket as the channels serve them: attachments, and the
 * HTML and raw mail of a message, each after the access check
 * (domain/attachment.c). The bytes live in blobs (util/blob.h); the domain
 * says which blob, and whether the actor may have it. */
#ifndef AY_DOMAIN_ATTACHMENT_H
#define AY_DOMAIN_ATTACHMENT_H

#include "domain/common.h"

/* One attachment's blob and how to serve it. */
struct attachment_file {
	char sha256[65];
	char content_type[128];
	char *filename; /* owned: free() (attachment_file_release()) */
};
void attachment_file_release(struct attachment_file *f);

/* Attachment `id` of ticket `number` when the actor may see it (internal
 * notes' attachments: staff only); AY_ENOTFOUND otherwise. Fills *out
 * (release with attachment_file_release(), also on failure). */
ay_rc attachment_get(struct db *db, const struct actor *a, int64_t number,
		     int64_t id, struct attachment_file *out) AY_MUST_CHECK;

enum message_file {
	MESSAGE_FILE_HTML, /* the mail's HTML part (blob dir "attachments") */
	MESSAGE_FILE_RAW,  /* the mail as received (blob dir "raw"): staff */
};
/* The blob of message `id` of ticket `number` into sha256[65];
 * AY_ENOTFOUND when the actor may not see it or there is none. */
ay_rc attachment_message_file(struct db *db, const struct actor *a,
			      int64_t number, int64_t id, enum message_file f,
			      char sha256[65]) AY_MUST_CHECK;

/* Called for each inline image of a message; the strings are borrowed for
 * the call. A non-zero return stops the walk and is returned. */
typedef ay_rc (*attachment_inline_fn)(void *arg, const char *content_id,
				      const char *content_type,
				      const char *sha256);
/* Walk the inline images (cid: references) of message `id` of at most
 * max_size bytes each. The caller has checked access to the message. */
ay_rc attachment_inline_images(struct db *db, int64_t id, int64_t max_size,
			       attachment_inline_fn fn,
			       void *arg) AY_MUST_CHECK;

#endif
