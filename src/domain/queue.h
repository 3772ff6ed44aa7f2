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
	int64_t assignee_id;  /* 0: any, -1: nobody */
	int64_t company_id;   /* 0: any */
	int64_t after;	      /* keyset cursor: the last ticket id seen */
	int limit;	      /* 1..200; 0: 50 */
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

#endif
