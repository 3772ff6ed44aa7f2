/* The agent console's queue (domain/queue.c): views of the tickets in
 * strict order of arrival, filtered, paged by keyset. Staff only
 * (access_queue()). */
#ifndef AY_DOMAIN_QUEUE_H
#define AY_DOMAIN_QUEUE_H

#include "domain/common.h"

enum queue_view {
	QUEUE_UNSOLVED = 0, /* new, open, pending_customer */
	QUEUE_MINE,	    /* unsolved, assigned to the actor */
	QUEUE_UNASSIGNED,   /* unsolved, assigned to nobody */
	QUEUE_PENDING,	    /* pending_customer */
	QUEUE_DEV_DUE,	    /* development review due within 7 days */
	QUEUE_AT_RISK,	    /* response target 80 % used, not breached */
	QUEUE_BREACHED,	    /* response target past due, not met */
	QUEUE_ALL,
};

struct queue_filter {
	enum queue_view view;
	const char *status;   /* NULL: any */
	const char *category; /* NULL: any */
	const char *level;    /* an SLA level code; NULL: any */
	int64_t version;      /* with level: that version of it; 0: any */
	int64_t assignee_id;  /* 0: any, -1: nobody */
	int64_t company_id;   /* 0: any */
	int64_t requester_id; /* 0: any */
	int64_t after;	      /* keyset cursor: the last ticket id seen */
	int limit;	      /* 1..200; 0: 50 */

	/* The tickets behind a figure of the dashboard (report_figure.h):
	 * its name (NULL: any) and period. */
	const char *report;
	int64_t report_from, report_to;
};

/* The view named s ("unsolved", "mine", ...): AY_EINVAL when unknown. */
ay_rc queue_view_parse(const char *s, enum queue_view *out) AY_MUST_CHECK;
const char *queue_view_name(enum queue_view v);

/* One page of a view at instant now: *out (owned by the caller) is
 * {"view":..., "tickets":[row...], "next": cursor or null}, each row the
 * ticket as GET /api/v1/tickets/N has it (without messages) plus "level"
 * and the SLA countdown. AY_ENOTFOUND for a customer. */
ay_rc queue_list(struct db *db, const struct actor *a,
		 const struct queue_filter *f, int64_t now,
		 json_t **out) AY_MUST_CHECK;

/* The statement queue_list() runs for one page (for the tests, which read
 * its query plan): q, initialised by the caller (ticket_query.h), gets its
 * text and parameters. */
struct tq;
ay_rc queue_sql(struct db *db, const struct actor *a,
		const struct queue_filter *f, int64_t now,
		struct tq *q) AY_MUST_CHECK;

/* One ticket's outcome in a bulk change. */
struct queue_bulk_result {
	int64_t number;
	ay_rc rc;	 /* AY_OK, or why this ticket was not changed */
	struct verr err; /* with AY_EINVAL, AY_EPERM, AY_ECONFLICT */
};
/* Apply change c to each of the n tickets numbers[] by the rules of
 * ticket_update(), in the caller's transaction: a ticket that fails is
 * rolled back alone (a savepoint) and res[i] says why; the others stay.
 * Returns an error only when the whole batch cannot go on (the store):
 * then nothing of it may be committed. AY_ENOTFOUND for a customer. */
struct ticket_change;
ay_rc queue_bulk_update(struct db *db, const struct actor *a,
			const int64_t *numbers, size_t n,
			const struct ticket_change *c,
			struct queue_bulk_result *res) AY_MUST_CHECK;

#endif
