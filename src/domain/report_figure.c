/* The figures of the supervisor's dashboard as conditions on tickets: each
 * is counted by report_dash.c and listed by the queue's "report" filter
 * (queue.c) from the same SQL. */
#include <stdio.h>
#include <string.h>

#include "domain/report_figure.h"
#include "domain/sla.h"
#include "store/db.h"

/* Response targets started in the period. */
#define STARTED                                                                \
	"SELECT ticket_id FROM sla_targets WHERE kind = 'response' AND"        \
	" started_at >= $%d AND started_at < $%d"
/* The outcome of one response target (a row of sla_targets), each
 * figure's condition on it: met on time, met late, past due and not met
 * (one paused after its due time stays breached: the queue's breached
 * view), running. "$%d" is now. */
#define MET_ON_TIME "met_at IS NOT NULL AND met_at <= due_at"
#define MET_LATE    "met_at > due_at"
#define PAST_DUE                                                               \
	"met_at IS NULL AND due_at <= $%d AND (paused_at IS NULL OR"           \
	" paused_at > due_at)"
#define RUNNING                                                                \
	"met_at IS NULL AND (due_at > $%d OR (paused_at IS NOT NULL AND"       \
	" paused_at <= due_at))"
#define SURVEYS                                                                \
	"SELECT ticket_id FROM surveys WHERE answered_at >= $%d AND"           \
	" answered_at < $%d AND rating = "

/* The four outcomes as conditions on a target (report_outcome_cond()). */
static const struct {
	const char *name, *cond;
} outcomes[] = {
	{"met_on_time", MET_ON_TIME},
	{"met_late", MET_LATE},
	{"breached", PAST_DUE},
	{"running", RUNNING},
};

static const struct report_figure figures[] = {
	{"created",
	 "SELECT id FROM tickets WHERE created_at >= $%d AND created_at < $%d",
	 "ft"},
	/* Solved: moved to resolved, or to closed from an unsolved status. */
	{"solved", "SELECT ticket_id FROM events WHERE " REPORT_SOLVED_WHERE,
	 "ft"},
	{"targets", STARTED, "ft"},
	{"met_on_time", STARTED " AND " MET_ON_TIME, "ft"},
	{"met_late", STARTED " AND " MET_LATE, "ft"},
	{"breached", STARTED " AND " PAST_DUE, "ftn"},
	{"running", STARTED " AND " RUNNING, "ftn"},
	/* Tickets created in the period whose first answer came. */
	/* (first_response_minutes: its first response target's business
	 * minutes once met, kept by triggers, migration 23.) */
	{"first_response", "SELECT id FROM tickets WHERE " REPORT_FIRST_WHERE,
	 "ft"},
	{"rating_1", SURVEYS "1", "ft"},
	{"rating_2", SURVEYS "2", "ft"},
	{"rating_3", SURVEYS "3", "ft"},
	{"rating_4", SURVEYS "4", "ft"},
	{"rating_5", SURVEYS "5", "ft"},
	{"review_requested",
	 "SELECT ticket_id FROM supervisor_reviews WHERE requested_at >= $%d"
	 " AND requested_at < $%d",
	 "ft"},
	{"review_answered",
	 "SELECT ticket_id FROM supervisor_reviews WHERE answered_at >= $%d"
	 " AND answered_at < $%d",
	 "ft"},
	{"review_open",
	 "SELECT ticket_id FROM supervisor_reviews WHERE answered_at IS NULL",
	 ""},
	/* The queue's dev_due view: unsolved development tickets whose
	 * review is due within 7 days or overdue. */
	{"dev_due",
	 "SELECT x.id FROM tickets x JOIN sla_targets s ON s.ticket_id = x.id"
	 " WHERE x.category = 'development' AND " AY_UNSOLVED_SQL(
		 "x.status") " AND s.kind = 'review' AND s.met_at IS NULL AND "
			     "s.due_at <= $%d",
	 "w"},
};

const struct report_figure *report_figure_find(const char *name)
{
	for (size_t i = 0; name && i < AY_ARRAY_LEN(figures); i++)
		if (!strcmp(figures[i].name, name))
			return &figures[i];
	return NULL;
}

ay_rc report_outcome_cond(struct buf *sql, struct report_params *p,
			  const char *name, int64_t now)
{
	for (size_t i = 0; i < AY_ARRAY_LEN(outcomes); i++) {
		if (strcmp(outcomes[i].name, name))
			continue;
		if (p->n >= (int)AY_ARRAY_LEN(p->v))
			return AY_ETOOBIG;
		p->v[p->n] = now;
		p->text[p->n] = NULL;
		/* Only the last two use "$%d"; the format ignores the rest. */
		if (buf_adds(sql, "(") ||
		    buf_addf(sql, outcomes[i].cond, p->n + 1) ||
		    buf_adds(sql, ")"))
			return AY_ENOMEM;
		if (strstr(outcomes[i].cond, "$%d"))
			p->n++;
		return AY_OK;
	}
	return AY_EINVAL;
}

ay_rc report_param(struct buf *sql, struct report_params *p, int64_t v,
		   const char *text)
{
	if (p->n >= (int)AY_ARRAY_LEN(p->v))
		return AY_ETOOBIG;
	p->v[p->n] = v;
	p->text[p->n] = text;
	p->n++;
	return buf_addf(sql, "$%d", p->n);
}

ay_rc report_figure_cond(struct buf *sql, struct report_params *p,
			 const struct report_figure *fig,
			 const struct report_when *w)
{
	int k[3] = {0, 0, 0};
	size_t np = strlen(fig->params);

	if (np > AY_ARRAY_LEN(k) || p->n + (int)np > (int)AY_ARRAY_LEN(p->v))
		return AY_ETOOBIG;
	for (size_t i = 0; i < np; i++) {
		char c = fig->params[i];

		p->v[p->n] = c == 'f'	? w->from
			     : c == 't' ? w->to
			     : c == 'n' ? w->now
					: w->now + 7 * 86400;
		p->text[p->n] = NULL;
		k[i] = ++p->n;
	}
	if (buf_addf(sql, " AND t.id IN (") ||
	    buf_addf(sql, fig->sql, k[0], k[1], k[2]))
		return AY_ENOMEM;
	return buf_addf(sql, ")");
}

ay_rc report_bind(struct db_stmt *s, const struct report_params *p)
{
	ay_rc rc = AY_OK;

	for (int i = 0; !rc && i < p->n; i++)
		rc = p->text[i] ? db_bind_text(s, i + 1, p->text[i], -1)
				: db_bind_int(s, i + 1, p->v[i]);
	return rc;
}

ay_rc report_local_date(struct db *db, const char *date, int64_t *out)
{
	const struct sla_calendar *cal = NULL;
	char iso[32];
	int64_t utc;
	ay_rc rc;

	if (strlen(date) != 10)
		return AY_EINVAL;
	snprintf(iso, sizeof(iso), "%sT00:00:00Z", date);
	rc = sla_parse_iso8601(iso, &utc);
	if (rc)
		return rc;
	rc = sla_calendar_get(db, "lima", &cal);
	if (rc)
		return rc;
	/* The offset at the UTC midnight, then again at the local one (a
	 * zone whose offset changed in between). */
	*out = utc - sla_calendar_offset(cal, utc);
	*out = utc - sla_calendar_offset(cal, *out);
	sla_calendar_release(cal);
	return AY_OK;
}
