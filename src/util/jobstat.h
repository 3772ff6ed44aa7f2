/* What this process's background work did, for /metrics: counters and
 * gauges that jobs/ (and the store's driver) raise and http/metrics.c
 * prints. Each server counts
 * its own: an operator of several reads every server's /metrics. */
#ifndef AY_JOBSTAT_H
#define AY_JOBSTAT_H

#include <stdint.h>

enum jobstat {
	JOBSTAT_OUTBOX_SENDING, /* gauge: mails handed to SMTP right now */
	JOBSTAT_OUTBOX_SENT,	/* mails sent */
	JOBSTAT_OUTBOX_LOST,	/* rows found claimed by another server */
	JOBSTAT_SLA_RAN,	/* SLA job runs under this server's lease */
	JOBSTAT_SLA_SKIPPED,	/* runs left to the server holding it */
	JOBSTAT_IMAP_RAN,
	JOBSTAT_IMAP_SKIPPED,
	/* PostgreSQL: waits for the database's answer, and the statements
	 * they carried (several when sent together, store/pg.c). */
	JOBSTAT_DB_ROUND_TRIPS,
	JOBSTAT_DB_STATEMENTS,
	JOBSTAT_N
};

/* Add d (may be negative) to one figure. Any thread. */
void jobstat_add(enum jobstat k, int64_t d);
/* Read one figure. Any thread. */
int64_t jobstat_get(enum jobstat k);

#endif
