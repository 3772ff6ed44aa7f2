/* The supervisor's dashboard (domain/report_dash.c) and the tickets behind
 * each of its figures (domain/report_figure.c): one SQL condition per
 * figure, used both to count it and, through the queue's "report" filter,
 * to list the tickets it counts, so that a figure and its list always
 * agree. */
#ifndef AY_DOMAIN_REPORT_FIGURE_H
#define AY_DOMAIN_REPORT_FIGURE_H

#include "domain/common.h"
#include "util/buf.h"

/* A figure: the ids of the tickets it counts. sql is a SELECT of ticket ids
 * with one "$%d" per letter of params, in order: 'f' the period's start,
 * 't' its end (exclusive), 'n' now, 'w' now plus the 7 days within which a
 * development review counts as due (the queue's dev_due view). */
struct report_figure {
	const char *name;   /* "met_late", ... (docs/api-agent.md) */
	const char *sql;    /* a format: one "$%d" per parameter */
	const char *params; /* "ft", "ftn", "w" or "" */
};

/* The status changes (rows of events) that solve a ticket within [$1, $2)
 * (a format: two "$%d"): to resolved or closed from an unsolved status.
 * Migration 31's index events_solved has the same condition, so that the
 * planner reads it. */
#define REPORT_SOLVED_WHERE                                                    \
	"kind = 'ticket.status' AND created_at >= $%d AND created_at < $%d"    \
	" AND json_extract(data, '$.to') IN ('resolved', 'closed') AND"        \
	" json_extract(data, '$.from') NOT IN ('resolved', 'closed')"

/* The tickets (rows of tickets, columns unqualified) created within [$1,
 * $2) whose first answer came (a format: two "$%d"); the business
 * minutes it took are their first_response_minutes. */
#define REPORT_FIRST_WHERE                                                     \
	"first_response_minutes IS NOT NULL AND created_at >= $%d AND"         \
	" created_at < $%d"

/* The figure called name, or NULL. Borrowed: static. */
const struct report_figure *report_figure_find(const char *name);

/* The values the conditions of figures are bound to. */
struct report_when {
	int64_t from, to; /* the period [from, to) */
	int64_t now;
};

/* Numbered parameters of a statement being built. */
struct report_params {
	int n;
	int64_t v[32];
	const char *text[32]; /* non-NULL: bind this text instead of v */
};

/* Append to sql the condition "AND t.id IN (figure)" (t: the tickets
 * table), its parameters numbered after those already in p. */
ay_rc report_figure_cond(struct buf *sql, struct report_params *p,
			 const struct report_figure *fig,
			 const struct report_when *w) AY_MUST_CHECK;
/* Append "(condition)" of the outcome figure name ("met_on_time",
 * "met_late", "breached", "running") on one row of sla_targets (columns
 * unqualified), binding now as a parameter after those in p when it needs
 * it: the same condition the figure counts tickets with. AY_EINVAL for
 * another name. */
ay_rc report_outcome_cond(struct buf *sql, struct report_params *p,
			  const char *name, int64_t now) AY_MUST_CHECK;
/* Append "$N" for one more integer (text: NULL) or text parameter. */
ay_rc report_param(struct buf *sql, struct report_params *p, int64_t v,
		   const char *text) AY_MUST_CHECK;
/* Bind every parameter of p to s. */
ay_rc report_bind(struct db_stmt *s,
		  const struct report_params *p) AY_MUST_CHECK;

/* The dashboard's filter. */
struct report_filter {
	struct report_when when;
	const char *level; /* an SLA level code; NULL: any */
	int64_t agent;	   /* the assignee: 0 any, -1 nobody */
	const char *lang;  /* names in "es" or "en" */
};

/* The local midnight that starts date (YYYY-MM-DD) in the desk's calendar
 * ("lima"). AY_EINVAL for anything but a date. */
ay_rc report_local_date(struct db *db, const char *date,
			int64_t *out) AY_MUST_CHECK;

/* Every figure of the supervisor's dashboard for the filter: *out (a new
 * object owned by the caller) is described in docs/api-agent.md, section
 * 9. */
ay_rc report_dashboard(struct db *db, const struct report_filter *f,
		       json_t **out) AY_MUST_CHECK;

#endif
