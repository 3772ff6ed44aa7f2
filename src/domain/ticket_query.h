/* SQL built for the filters actually given (domain/ticket_query.c): the
 * queue's views (domain/queue.c) and the ticket list (domain/ticket.c)
 * select one page of ticket ids from the index that fits the filters,
 * instead of one statement with "($n IS NULL OR ...)" for every column.
 * Values are always bound parameters, never pasted into the text; the
 * text depends only on which filters are given, so the statements are a
 * bounded set that the store's statement cache keeps. docs/queries.md */
#ifndef AY_DOMAIN_TICKET_QUERY_H
#define AY_DOMAIN_TICKET_QUERY_H

#include "domain/common.h"
#include "util/buf.h"

#define TQ_PARAMS 40

/* A statement being built, with its parameters in order. */
struct tq {
	struct buf sql;
	int n;
	struct {
		const char *text; /* borrowed; NULL: the integer i */
		int64_t i;
	} v[TQ_PARAMS];
};

void tq_init(struct tq *q);
void tq_release(struct tq *q);
/* Append sql as it is (no parameter). */
ay_rc tq_add(struct tq *q, const char *sql) AY_MUST_CHECK;
/* Append fmt, whose one "$%d" names a new parameter bound to v. */
ay_rc tq_int(struct tq *q, const char *fmt, int64_t v) AY_MUST_CHECK;
ay_rc tq_text(struct tq *q, const char *fmt, const char *v) AY_MUST_CHECK;
/* Prepare the statement (cached by its text) and bind every parameter;
 * *out is the store's, as from db_prepare. */
ay_rc tq_prepare(struct tq *q, struct db *db,
		 struct db_stmt **out) AY_MUST_CHECK;

/* Which tickets a page holds: each member given is one more condition
 * (AND). */
struct tq_page {
	bool unsolved;	      /* status new, open or pending_customer */
	const char *status;   /* NULL: any */
	const char *status2;  /* a second status condition (a view's own) */
	const char *category; /* NULL: any */
	const char *level;    /* sla_level; NULL: any */
	int64_t version;      /* with level: that version of it; 0: any */
	int64_t assignee_id;  /* 0: any, -1: nobody */
	int64_t assignee2_id; /* a second assignee condition (a view's own) */
	int64_t company_id;   /* 0: any */
	int64_t requester_id; /* 0: any */
	/* The index is the planner's choice: the caller appends conditions
	 * that a set of other rows decides (SLA targets, a report's figure)
	 * between tq_page_where() and tq_page_end(). */
	bool planner;
};

/* Append "SELECT t.id FROM tickets t [INDEXED BY i] WHERE ..." with the
 * conditions of p, from the index that reads the fewest entries: with
 * several conditions, each index is asked how many rows its value has
 * (a bounded count) and the smallest wins. The caller may append more
 * " AND ..." conditions on t, then calls tq_page_end(). */
ay_rc tq_page_where(struct tq *q, struct db *db,
		    const struct tq_page *p) AY_MUST_CHECK;
/* Append " AND ..." for each condition of p, on t (no index chosen). */
ay_rc tq_page_terms(struct tq *q, const struct tq_page *p) AY_MUST_CHECK;
/* Append the keyset and the order: ids after `after`, in order of arrival,
 * at most limit. */
ay_rc tq_page_end(struct tq *q, int64_t after, int limit) AY_MUST_CHECK;

/* By last activity, newest first (updated_at, then id, descending):
 * append "SELECT t.id FROM tickets t INDEXED BY i WHERE ..." with the
 * conditions of p, the keyset (tickets before the cursor (before_at,
 * before_id); before_at 0: from the newest) and the order, at most limit.
 * When a condition's value has few tickets (a bounded count), its index
 * gives them and they are sorted; else the activity index (migration 43),
 * which holds the filtered columns, is read from the cursor on, where the
 * tickets of a common value come at once. */
ay_rc tq_activity_page(struct tq *q, struct db *db, const struct tq_page *p,
		       int64_t before_at, int64_t before_id,
		       int limit) AY_MUST_CHECK;

#endif
