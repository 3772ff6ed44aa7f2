/* The IMAP poller (jobs/imap_poll.c). */
#ifndef AY_IMAP_POLL_H
#define AY_IMAP_POLL_H

#include "store/db.h"
#include "util/config.h"

/* Fetch unseen mail from [mail] imap_url into tickets; a message is
 * marked seen only after its commit. err[errlen] gets the reason of a
 * failure. */
ay_rc imap_poll_fetch(struct store *st, const struct ay_config *cfg, char *err,
		      size_t errlen) AY_MUST_CHECK;

/* Scheduler task: imap_poll_fetch() every [mail] imap_interval seconds;
 * arg is an int64_t * holding the time of the last fetch. */
void sched_imap_task(struct store *st, const struct ay_config *cfg, void *arg);

#endif
