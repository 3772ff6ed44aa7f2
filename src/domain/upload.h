/* Files uploaded through the API before the message that carries them
 * (domain/upload.c). */
#ifndef AY_DOMAIN_UPLOAD_H
#define AY_DOMAIN_UPLOAD_H

#include "domain/common.h"

/* Record a stored file uploaded by user_id; *id identifies it. */
ay_rc upload_add(struct db *db, int64_t user_id, const char *filename,
		 const char *content_type, int64_t size, const char *sha256,
		 int64_t *id) AY_MUST_CHECK;
/* Attach the uploads listed in ids (a JSON array of ids, borrowed, or
 * NULL) to a message; each must be user_id's and unused. AY_EINVAL
 * otherwise. */
ay_rc upload_attach(struct db *db, int64_t user_id, int64_t ticket_id,
		    int64_t message_id, json_t *ids,
		    struct verr *err) AY_MUST_CHECK;
/* upload_attach() for the actor's uploads to message message_id (0: the
 * first message) of ticket `number`, which the actor must see. */
ay_rc upload_attach_ticket(struct db *db, const struct actor *a, int64_t number,
			   int64_t message_id, json_t *ids,
			   struct verr *err) AY_MUST_CHECK;
/* Forget uploads never attached within a day. */
ay_rc upload_expire(struct db *db, int64_t now) AY_MUST_CHECK;

#endif
