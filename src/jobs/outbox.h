/* The outbox worker: sends notification rows (rendered by
 * domain/notice.h in the recipient's language) by SMTP, with retries. The IMAP
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
/* At a server's start: put rows it left in "sending" (a crash; claimed
 * under its jobs_holder name) and rows whose lease ended back to
 * "pending"; another live server's claims are left alone. */
ay_rc outbox_recover(struct store *st,
		     const struct ay_config *cfg) AY_MUST_CHECK;

/* Scheduler tasks. */
struct scheduler;
void sched_outbox_task(struct store *st, const struct ay_config *cfg,
		       void *arg);

#endif
