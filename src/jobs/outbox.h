/* The outbox worker: renders notification rows into mail in the
 * recipient's language and sends them by SMTP, with retries. The IMAP
 * poller is in jobs/imap_poll.h. */
#ifndef AY_OUTBOX_H
#define AY_OUTBOX_H

#include <jansson.h>

#include "store/db.h"
#include "util/buf.h"
#include "util/config.h"

/* Send every due outbox row once. *sent counts delivered mails. */
ay_rc outbox_send_due(struct store *st, const struct ay_config *cfg,
		      int *sent) AY_MUST_CHECK;
/* Put rows left in "sending" by a crash back to "pending". */
ay_rc outbox_recover(struct store *st) AY_MUST_CHECK;

/* Render one outbox row (kind, payload) for a ticket into subject and
 * text in lang. Exposed for tests. */
struct outbox_view {
	const char *kind, *lang, *name, *subject, *level, *due, *body;
	const char *base_url, *tag;
	const char *review;	  /* payload's review_due_at, formatted */
	const char *out_of_scope; /* [tickets] out_of_scope_<lang> */
	int reopen_days;	  /* [tickets] reopen_days; 0: 30 */
	int64_t number;
	json_t *payload;
};
ay_rc outbox_render(const struct outbox_view *v, struct buf *subject,
		    struct buf *text) AY_MUST_CHECK;

/* Scheduler tasks. */
struct scheduler;
void sched_outbox_task(struct store *st, const struct ay_config *cfg,
		       void *arg);

#endif
