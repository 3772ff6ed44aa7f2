/* The agent console's queue: views in strict order of arrival. The SQL is
 * built for the filters actually given, so that each one can use its index
 * (schema.c, migration "queue indexes") instead of a catch-all
 * "($n IS NULL OR ...)" on every column. */
#include <string.h>

#include "domain/access.h"
#include "domain/console.h"
#include "domain/queue.h"
#include "domain/report_figure.h"
#include "domain/ticket.h"
#include "store/db.h"
#include "util/buf.h"

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

/* The parameters of the statement being built, bound in order. */
struct params {
	int n;
	struct {
		const char *text; /* NULL: an integer */
		int64_t i;
	} v[12];
};

/* Append " AND " cond, where cond names the next parameter as $%d. */
static ay_rc cond_int(struct buf *sql, struct params *p, const char *cond,
		      int64_t v)
{
	p->v[p->n].text = NULL;
	p->v[p->n].i = v;
	p->n++;
	return buf_addf(sql, cond, p->n);
}

static ay_rc cond_text(struct buf *sql, struct params *p, const char *cond,
		       const char *v)
{
	p->v[p->n].text = v;
	p->n++;
	return buf_addf(sql, cond, p->n);
}

#define UNSOLVED " AND t.status IN ('new', 'open', 'pending_customer')"
#define TARGETS	 " AND t.id IN (SELECT ticket_id FROM sla_targets WHERE"

/* The WHERE of the view: what the view itself selects. */
static ay_rc view_where(struct buf *sql, struct params *p,
			const struct actor *a, enum queue_view v, int64_t now)
{
	ay_rc rc = v == QUEUE_ALL || v == QUEUE_PENDING
			   ? AY_OK
			   : buf_addf(sql, UNSOLVED);

	if (rc)
		return rc;
	switch (v) {
	case QUEUE_MINE:
		return cond_int(sql, p, " AND t.assignee_id = $%d", a->user_id);
	case QUEUE_UNASSIGNED:
		return buf_addf(sql, " AND t.assignee_id IS NULL");
	case QUEUE_PENDING:
		return buf_addf(sql, " AND t.status = 'pending_customer'");
	case QUEUE_DEV_DUE:
		return cond_int(sql, p,
				" AND t.category = 'development'" TARGETS
				" met_at IS NULL AND kind = 'review' AND"
				" due_at <= $%d)",
				now + DEV_DUE_AHEAD);
	case QUEUE_AT_RISK:
		/* warn_at is the instant 80 % of the target is used. */
		rc = cond_int(sql, p,
			      TARGETS " met_at IS NULL AND kind = 'response'"
				      " AND paused_at IS NULL AND due_at > $%d",
			      now);
		return rc ? rc : cond_int(sql, p, " AND warn_at <= $%d)", now);
	case QUEUE_BREACHED:
		/* A target paused after its due time stays breached. */
		return cond_int(sql, p,
				TARGETS " met_at IS NULL AND kind = 'response'"
					" AND due_at <= $%d AND (paused_at IS"
					" NULL OR paused_at > due_at))",
				now);
	case QUEUE_UNSOLVED:
	case QUEUE_ALL:
		return AY_OK;
	}
	return AY_EINVAL;
}

/* The tickets behind the dashboard's figure f->report (report_figure.c). */
static ay_rc cond_report(struct buf *sql, struct params *p,
			 const struct queue_filter *f, int64_t now)
{
	const struct report_figure *fig = report_figure_find(f->report);
	struct report_when w = {f->report_from, f->report_to, now};
	struct report_params rp = {.n = p->n};
	ay_rc rc;

	if (!fig)
		return AY_EINVAL;
	rc = report_figure_cond(sql, &rp, fig, &w);
	for (int i = p->n; !rc && i < rp.n; i++) {
		if (i >= (int)AY_ARRAY_LEN(p->v))
			return AY_ETOOBIG;
		p->v[i].text = NULL;
		p->v[i].i = rp.v[i];
	}
	p->n = rp.n;
	return rc;
}

/* The SQL and parameters of one page: the view, then each filter given. */
static ay_rc build(struct buf *sql, struct params *p, const struct actor *a,
		   const struct queue_filter *f, int limit, int64_t now)
{
	ay_rc rc = buf_addf(sql, "%s WHERE 1 = 1", ticket_select_sql);

	if (!rc)
		rc = view_where(sql, p, a, f->view, now);
	if (!rc && f->status)
		rc = cond_text(sql, p, " AND t.status = $%d", f->status);
	if (!rc && f->category)
		rc = cond_text(sql, p, " AND t.category = $%d", f->category);
	if (!rc && f->level)
		rc = cond_text(sql, p, " AND t.sla_level = $%d", f->level);
	if (!rc && f->assignee_id == -1)
		rc = buf_addf(sql, " AND t.assignee_id IS NULL");
	else if (!rc && f->assignee_id > 0)
		rc = cond_int(sql, p, " AND t.assignee_id = $%d",
			      f->assignee_id);
	if (!rc && f->company_id > 0)
		rc = cond_int(sql, p, " AND t.company_id = $%d", f->company_id);
	if (!rc && f->report)
		rc = cond_report(sql, p, f, now);
	if (!rc && f->after > 0)
		rc = cond_int(sql, p, " AND t.id > $%d", f->after);
	if (!rc)
		rc = cond_int(sql, p, " ORDER BY t.id LIMIT $%d", limit + 1);
	return rc;
}

static ay_rc bind_all(struct db_stmt *s, const struct params *p)
{
	ay_rc rc = AY_OK;

	for (int i = 0; !rc && i < p->n; i++)
		rc = p->v[i].text ? db_bind_text(s, i + 1, p->v[i].text, -1)
				  : db_bind_int(s, i + 1, p->v[i].i);
	return rc;
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
	struct params p = {0};
	struct db_stmt *s = NULL;
	struct buf sql;
	json_t *list = NULL;
	int64_t last = 0;
	bool more = false;
	ay_rc rc;

	*out = NULL;
	if (!access_console(a))
		return AY_ENOTFOUND;
	buf_init(&sql, 8192);
	list = json_array();
	rc = list ? build(&sql, &p, a, f, limit, now) : AY_ENOMEM;
	if (!rc)
		rc = db_prepare(db, sql.ptr, &s);
	if (!rc)
		rc = bind_all(s, &p);
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
	buf_release(&sql);
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
