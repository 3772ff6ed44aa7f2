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

/* Called once a submitted delivery is durable or failed: rc and res as
 * mailin_deliver returns them (res is borrowed for the call). */
typedef void (*mailin_done_fn)(void *arg, ay_rc rc,
			       const struct mailin_result *res);
/* mailin_deliver without waiting for the commit, so that many deliveries
 * share one (a maildir's import): the mail is parsed and its large files
 * stored in the calling thread, then ready(arg) (when not NULL) is called
 * right before the delivery is queued for the writer (a caller keeps an
 * order there), and done(arg, ...) runs in the store's writer thread after
 * the commit (in the calling thread when the mail never reached the
 * store). raw must stay valid until done runs. */
void mailin_submit(struct store *st, const struct ay_config *cfg,
		   const char *raw, size_t len, void (*ready)(void *arg),
		   mailin_done_fn done, void *arg);

/* What `mail-in` tells the MTA, and so the sender, when it should retry:
 * the details go to the log, never into a bounce. */
#define MAILIN_MSG_TEMPFAIL                                                    \
	"no se pudo guardar el mensaje ahora; se reintentará "                \
	"(temporary failure, will retry)"

/* The answer of `ayuda mail-in` for a delivery that returned rc: its exit
 * status (sysexits: 0, 65 EX_DATAERR, 75 EX_TEMPFAIL) and in *text the
 * line it prints, the JSON of res on stdout for 0, else the reason for
 * stderr. *text: owned by the caller, free(); NULL when out of memory. */
int mailin_answer(ay_rc rc, const struct mailin_result *res, char **text);

/* The loop token we put in X-Loop and recognise on the way in. Returns:
 * borrowed from cfg. */
const char *mailin_loop_token(const struct ay_config *cfg);

#endif
