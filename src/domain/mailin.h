/* Inbound mail: one RFC 5322 message becomes a new ticket or a message on
 * an existing one, with its attachments, or is ignored (duplicate, our own
 * loop, bounce of unknown mail). Used by `ayuda mail-in`, the maildir
 * import and the IMAP poller. */
#ifndef AY_MAILIN_H
#define AY_MAILIN_H

#include "store/db.h"
#include "util/config.h"

struct mailin_result {
	int64_t ticket;	 /* 0 when none */
	char action[16]; /* created, appended, ignored */
	char reason[256];
};

/* Deliver raw (len bytes). Returns AY_OK only after the commit. Errors:
 * AY_EINVAL/AY_ETOOBIG for a message that can never be accepted (reason
 * in res->reason), AY_EBUSY/AY_EDB/AY_EIO when it should be retried. */
ay_rc mailin_deliver(struct store *st, const struct ay_config *cfg,
		     const char *raw, size_t len,
		     struct mailin_result *res) AY_MUST_CHECK;

/* The loop token we put in X-Loop and recognise on the way in. Returns:
 * borrowed from cfg. */
const char *mailin_loop_token(const struct ay_config *cfg);

#endif
