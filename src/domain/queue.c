/* The agent console's queue: views in strict order of arrival. The SQL is
 * built for the filters actually given (ticket_query.c), so that each one
 * reads its index (schema.c, migrations 16, 17 and 23) instead of a
 * catch-all "($n IS NULL OR ...)" on every column. */
#include <string.h>

#include "domain/access.h"
#include "domain/console.h"
#include "domain/queue.h"
#include "domain/report_figure.h"
#include "domain/ticket.h"
#include "domain/ticket_query.h"
#include "store/db.h"

static const char *const view_names[] = {
	[QUEUE_UNSOLVED] = "unsolved",	   [QUEUE_MINE] = "mine",
	[QUEUE_UNASSIGNED] = "unassigned", [QUEUE_PENDING] = "pending",
	[QUEUE_DEV_DUE] = "dev_due",	   [QUEUE_AT_RISK] = "at_risk",
	[QUEUE_BREACHED] = "breached",	   [QUEUE_ALL] = "all",
};

/* How far ahead a development review counts as due. */
#define DEV_DUE_AHEAD (7 * 86400)

ay_rc queue_view_parse(const char *s, enum queue_view *out)
{
	for (size_t i = 0; i < AY_ARRAY_LEN(view_names); i++)
		if (!strcmp(s, view_names[i])) {
			*out = (enum queue_view)i;
			return AY_OK;
		}
	return AY_EINVAL;
}

const char *queue_view_name(enum queue_view v)
{
	return (size_t)v < AY_ARRAY_LEN(view_names) ? view_names[v] : "";
}

#define TARGETS " AND t.id IN (SELECT ticket_id FROM sla_targets WHERE"

/* The equality conditions of the view and the filters. A view's own
 * condition on a column stays beside the filter's on the same column
 * (status2, assignee2_id): both must hold, as before. */
static void page_of(const struct actor *a, const struct queue_filter *f,
		    struct tq_page *p)
{
	*p = (struct tq_page){.unsolved = f->view != QUEUE_ALL,
			      .status = f->status,
			      .category = f->category,
			      .level = f->level,
			      .version = f->version,
			      .assignee_id = f->assignee_id,
			      .company_id = f->company_id,
			      .requester_id = f->requester_id};
	if (p->assignee_id < -1)
		p->assignee_id = 0;
	if (f->view == QUEUE_MINE)
		p->assignee2_id = a->user_id;
	else if (f->view == QUEUE_UNASSIGNED)
		p->assignee2_id = -1;
	else if (f->view == QUEUE_PENDING)
		p->status2 = "pending_customer";
	else if (f->view == QUEUE_DEV_DUE && !f->category)
		p->category = "development";
	p->planner = f->view == QUEUE_DEV_DUE || f->view == QUEUE_AT_RISK ||
		     f->view == QUEUE_BREACHED || f->report;
}

/* The conditions of the views that a ticket's SLA targets decide. */
static ay_rc view_sets(struct tq *q, const struct queue_filter *f, int64_t now)
{
	ay_rc rc;

	switch (f->view) {
	case QUEUE_DEV_DUE:
		/* with a category filter too, both must hold */
		rc = f->category ? tq_add(q, " AND t.category = 'development'")
				 : AY_OK;
		return rc ? rc
			  : tq_int(q,
				   TARGETS " met_at IS NULL AND kind = 'review'"
					   " AND due_at <= $%d)",
				   now + DEV_DUE_AHEAD);
	case QUEUE_AT_RISK:
		/* warn_at is the instant 80 % of the target is used. */
		rc = tq_int(q,
			    TARGETS " met_at IS NULL AND kind = 'response'"
				    " AND paused_at IS NULL AND due_at > $%d",
			    now);
		return rc ? rc : tq_int(q, " AND warn_at <= $%d)", now);
	case QUEUE_BREACHED:
		/* A target paused after its due time stays breached. */
		return tq_int(q,
			      TARGETS " met_at IS NULL AND kind = 'response'"
				      " AND due_at <= $%d AND (paused_at IS"
				      " NULL OR paused_at > due_at))",
			      now);
	default:
		return AY_OK;
	}
}

/* The tickets behind the dashboard's figure f->report (report_figure.c). */
static ay_rc cond_report(struct tq *q, const struct queue_filter *f,
			 int64_t now)
{
	const struct report_figure *fig = report_figure_find(f->report);
	struct report_when w = {f->report_from, f->report_to, now};
	struct report_params rp = {.n = q->n};
	ay_rc rc;

	if (!fig)
		return AY_EINVAL;
	rc = report_figure_cond(&q->sql, &rp, fig, &w);
	for (int i = q->n; !rc && i < rp.n; i++) {
		if (i >= (int)AY_ARRAY_LEN(q->v))
			return AY_ETOOBIG;
		q->v[i].text = NULL;
		q->v[i].i = rp.v[i];
	}
	q->n = rp.n;
	return rc;
}

/* One page: the tickets' rows (TICKET_SELECT) of the ids that the view and
 * each filter given select (ticket_query.c). */
static ay_rc build(struct tq *q, struct db *db, const struct actor *a,
		   const struct queue_filter *f, int limit, int64_t now)
{
	struct tq_page p;
	ay_rc rc;

	page_of(a, f, &p);
	rc = tq_add(q, ticket_select_sql);
	if (!rc)
		rc = tq_add(q, " WHERE t.id IN (");
	if (!rc)
		rc = tq_page_where(q, db, &p);
	if (!rc)
		rc = view_sets(q, f, now);
	if (!rc && f->report)
		rc = cond_report(q, f, now);
	if (!rc)
		rc = tq_page_end(q, f->after, limit + 1);
	return rc ? rc : tq_add(q, ") ORDER BY t.id");
}

ay_rc queue_sql(struct db *db, const struct actor *a,
		const struct queue_filter *f, int64_t now, struct tq *q)
{
	int limit = f->limit > 0 && f->limit <= 200 ? f->limit : 50;

	return build(q, db, a, f, limit, now);
}

/* The rows of the statement, at most limit; *more when another follows. */
static ay_rc rows(struct db *db, struct db_stmt *s, const struct actor *a,
		  int64_t now, int limit, json_t *list, int64_t *last,
		  bool *more)
{
	bool row = false;
	int n = 0;
	ay_rc rc = db_step(s, &row);

	while (!rc && row && n < limit) {
		json_t *t = ticket_row_json(db, s, a->lang), *lv, *who = NULL;

		if (!t)
			return AY_ENOMEM;
		/* Who else is on it now (console.c). */
		rc = presence_others(db, a, db_col_int(s, 0), now, &who);
		if (rc) {
			json_decref(t);
			return rc;
		}
		json_object_set_new(t, "presence", who);
		lv = json_object_get(json_object_get(t, "sla"), "level");
		json_object_set_new(t, "level",
				    lv ? json_incref(lv) : json_null());
		*last = db_col_int(s, 0);
		if (json_array_append_new(list, t))
			return AY_ENOMEM;
		n++;
		rc = db_step(s, &row);
	}
	*more = !rc && row;
	return rc;
}

ay_rc queue_list(struct db *db, const struct actor *a,
		 const struct queue_filter *f, int64_t now, json_t **out)
{
	int limit = f->limit > 0 && f->limit <= 200 ? f->limit : 50;
	struct db_stmt *s = NULL;
	struct tq q;
	json_t *list = NULL;
	int64_t last = 0;
	bool more = false;
	ay_rc rc;

	*out = NULL;
	if (!access_console(a))
		return AY_ENOTFOUND;
	tq_init(&q);
	list = json_array();
	rc = list ? build(&q, db, a, f, limit, now) : AY_ENOMEM;
	if (!rc)
		rc = tq_prepare(&q, db, &s);
	if (!rc)
		rc = rows(db, s, a, now, limit, list, &last, &more);
	if (s)
		db_reset(s);
	if (!rc) {
		*out = json_pack("{s:s,s:O,s:o}", "view",
				 queue_view_name(f->view), "tickets", list,
				 "next",
				 more ? json_integer(last) : json_null());
		if (!*out)
			rc = AY_ENOMEM;
	}
	json_decref(list);
	tq_release(&q);
	return rc;
}

/* Is rc one ticket's refusal (reported, the batch goes on)? */
static bool per_ticket(ay_rc rc)
{
	return rc == AY_EINVAL || rc == AY_ENOTFOUND || rc == AY_EPERM ||
	       rc == AY_ECONFLICT;
}

ay_rc queue_bulk_update(struct db *db, const struct actor *a,
			const int64_t *numbers, size_t n,
			const struct ticket_change *c,
			struct queue_bulk_result *res)
{
	ay_rc rc;

	if (!access_console(a))
		return AY_ENOTFOUND;
	for (size_t i = 0; i < n; i++) {
		memset(&res[i], 0, sizeof(res[i]));
		res[i].number = numbers[i];
		rc = db_exec(db, "SAVEPOINT bulk_one");
		if (rc)
			return rc;
		res[i].rc = ticket_update(db, a, numbers[i], c, &res[i].err);
		if (res[i].rc)
			rc = db_exec(db, "ROLLBACK TO bulk_one");
		if (!rc)
			rc = db_exec(db, "RELEASE bulk_one");
		if (rc)
			return rc;
		if (res[i].rc && !per_ticket(res[i].rc))
			return res[i].rc;
	}
	return AY_OK;
}
