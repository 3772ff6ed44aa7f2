/* `ayuda serve` takes inbound mail on DATA_DIR/mail-in.sock (protocol:
 * util/mailsock_wire.h), so that `ayuda-mail-in` need not start the whole
 * program for every message. */
#ifndef AY_JOBS_MAILSOCK_H
#define AY_JOBS_MAILSOCK_H

#include "store/db.h"
#include "util/config.h"

struct mailsock;

/* Listen on cfg->data_dir's socket. A socket some other server answers
 * on is left alone (*out is NULL, AY_OK); a stale one is replaced. *out:
 * owned by the caller, mailsock_stop(). */
ay_rc mailsock_start(const struct ay_config *cfg, struct store *st,
		     struct mailsock **out) AY_MUST_CHECK;
/* Stop listening, wait for the deliveries under way, remove the socket.
 * NULL-safe. */
void mailsock_stop(struct mailsock *m);

#endif
