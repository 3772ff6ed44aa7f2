/* The supervisor's dashboard: every figure of /supervisor over a period,
 * for one level or agent, each counted from its condition in
 * report_figure.c (the same the queue lists it with). */
#include <string.h>

#include "domain/report_figure.h"
#include "domain/sla.h"
#include "store/db.h"

#define UNSOLVED " AND t.status IN ('new', 'open', 'pending_customer')"

/* A statement being built: its SQL and parameters. */
struct query {
	struct buf sql;
	struct report_params p;
};

static void query_init(struct query *q)
{
	buf_init(&q->sql, 16384);
	memset(&q->p, 0, sizeof(q->p));
}

/* Append the dashboard's level and agent filters. */
static ay_rc add_filter(struct query *q, const struct report_filter *f)
{
	ay_rc rc = AY_OK;

	if (f->level) {
		rc = buf_addf(&q->sql, " AND t.sla_level = ");
		if (!rc)
			rc = report_param(&q->sql, &q->p, 0, f->level);
	}
	if (!rc && f->agent == -1)
		rc = buf_addf(&q->sql, " AND t.assignee_id IS NULL");
	else if (!rc && f->agent > 0) {
		rc = buf_addf(&q->sql, " AND t.assignee_id = ");
		if (!rc)
			rc = report_param(&q->sql, &q->p, f->agent, NULL);
	}
	return rc;
}

/* Append the condition of the figure called name over w. */
static ay_rc add_figure(struct query *q, const char *name,
			const struct report_when *w)
{
	const struct report_figure *fig = report_figure_find(name);

	return fig ? report_figure_cond(&q->sql, &q->p, fig, w) : AY_EINVAL;
}

/* Prepare q and bind its parameters; *row tells whether a row came. */
static ay_rc query_run(struct db *db, struct query *q, struct db_stmt **s,
		       bool *row)
{
	ay_rc rc = db_prepare(db, q->sql.ptr, s);

	if (!rc)
		rc = report_bind(*s, &q->p);
	if (!rc)
		rc = db_step(*s, row);
	return rc;
}

/* The number of tickets of figure name over w, among those `where` selects
 * (SQL on the tickets t, "" for all), with the dashboard's filter. */
static ay_rc count(struct db *db, const struct report_filter *f,
		   const char *name, const struct report_when *w,
		   const char *where, int64_t *out)
{
	struct db_stmt *s = NULL;
	struct query q;
	bool row = false;
	ay_rc rc;

	*out = 0;
	query_init(&q);
	rc = buf_addf(&q.sql, "SELECT COUNT(*) FROM tickets t WHERE 1 = 1%s",
		      where);
	if (!rc)
		rc = add_figure(&q, name, w);
	if (!rc)
		rc = add_filter(&q, f);
	if (!rc)
		rc = query_run(db, &q, &s, &row);
	if (!rc && row)
		*out = db_col_int(s, 0);
	if (s)
		db_reset(s);
	buf_release(&q.sql);
	return rc;
}

/* The group of a row of the SLA and load tables: a status, a level or an
 * agent. */
enum group { BY_NONE, BY_LEVEL, BY_AGENT };

/* One row of a query as a JSON object (NULL: out of memory). */
typedef json_t *(*row_fn)(struct db_stmt *s, enum group g);

/* Run q (rc: how building it went) and collect fn's object of each row
 * into *out, a new array. Releases q's SQL. */
static ay_rc query_rows(struct db *db, struct query *q, ay_rc rc, row_fn fn,
			enum group g, json_t **out)
{
	struct db_stmt *s = NULL;
	json_t *list = json_array(), *o;
	bool row = false;

	*out = NULL;
	if (!rc && !list)
		rc = AY_ENOMEM;
	if (!rc)
		rc = query_run(db, q, &s, &row);
	while (!rc && row) {
		o = fn(s, g);
		if (!o || json_array_append_new(list, o))
			rc = AY_ENOMEM;
		if (!rc)
			rc = db_step(s, &row);
	}
	if (s)
		db_reset(s);
	buf_release(&q->sql);
	if (rc)
		json_decref(list);
	else
		*out = list;
	return rc;
}

static const char *const outcomes[] = {"met_on_time", "met_late", "breached",
				       "running"};

static const char *group_select(enum group g, const char *lang)
{
	if (g == BY_LEVEL)
		return strcmp(lang, "en") ? "t.sla_level, COALESCE(l.name_es,"
					    " t.sla_level)"
					  : "t.sla_level, COALESCE(l.name_en,"
					    " t.sla_level)";
	if (g == BY_AGENT)
		return "t.assignee_id, u.name";
	return "t.status, NULL";
}

static const char *group_tail(enum group g)
{
	if (g == BY_LEVEL)
		return " GROUP BY t.sla_level ORDER BY 2";
	if (g == BY_AGENT)
		return " GROUP BY t.assignee_id ORDER BY t.assignee_id IS NULL,"
		       " 2";
	return "";
}

#define GROUP_JOINS                                                            \
	" FROM tickets t LEFT JOIN sla_levels l ON l.code = t.sla_level AND"   \
	" l.current = 1 LEFT JOIN users u ON u.id = t.assignee_id WHERE 1 = 1"

/* The row's group as JSON members of o: "level" and "name", or "agent". */
static bool group_json(json_t *o, enum group g, struct db_stmt *s)
{
	json_t *who = NULL;

	if (g == BY_LEVEL)
		return !json_object_set_new(o, "level",
					    json_string(db_col_text(s, 0))) &&
		       !json_object_set_new(o, "name",
					    json_string(db_col_text(s, 1)));
	if (g != BY_AGENT)
		return true;
	if (!db_col_null(s, 0))
		who = json_pack("{s:I,s:s?}", "id",
				(json_int_t)db_col_int(s, 0), "name",
				db_col_text(s, 1));
	return !json_object_set_new(o, "agent", who ? who : json_null());
}

/* {met_on_time, met_late, breached, running, compliance_percent} of the
 * four counts v. */
static json_t *outcome_json(const int64_t v[4])
{
	int64_t done = v[0] + v[1] + v[2];
	json_t *o = json_object();

	for (int i = 0; o && i < 4; i++)
		if (json_object_set_new(o, outcomes[i], json_integer(v[i])))
			goto fail;
	if (o && !json_object_set_new(
			 o, "compliance_percent",
			 done ? json_real(100.0 * (double)v[0] / (double)done)
			      : json_null()))
		return o;
fail:
	json_decref(o);
	return NULL;
}

/* The outcomes and the group of a row: the group's two columns, then the
 * four counts. */
static json_t *outcome_row(struct db_stmt *s, enum group g)
{
	int64_t v[4];
	json_t *o;

	for (int i = 0; i < 4; i++)
		v[i] = db_col_int(s, 2 + i);
	o = outcome_json(v);
	if (o && group_json(o, g, s))
		return o;
	json_decref(o);
	return NULL;
}

/* The outcomes of the whole period: the sum of the rows of one grouping
 * (a ticket is in one level, one agent: its counts are in one row). */
static ay_rc sla_total(json_t *rows, json_t **out)
{
	int64_t v[4] = {0, 0, 0, 0};
	size_t i;
	json_t *r;

	json_array_foreach (rows, i, r) {
		for (int k = 0; k < 4; k++)
			v[k] += json_integer_value(
				json_object_get(r, outcomes[k]));
	}
	*out = outcome_json(v);
	return *out ? AY_OK : AY_ENOMEM;
}

/* SLA outcomes of the response targets started in the period, by level or
 * agent: an array of rows. */
static ay_rc sla_outcomes(struct db *db, const struct report_filter *f,
			  enum group g, json_t **out)
{
	struct query q;
	ay_rc rc;

	query_init(&q);
	rc = buf_addf(&q.sql, "SELECT %s", group_select(g, f->lang));
	for (int i = 0; !rc && i < 4; i++) {
		rc = buf_addf(&q.sql, ", SUM(1 = 1");
		if (!rc)
			rc = add_figure(&q, outcomes[i], &f->when);
		if (!rc)
			rc = buf_addf(&q.sql, ")");
	}
	if (!rc)
		rc = buf_addf(&q.sql, GROUP_JOINS);
	if (!rc)
		rc = add_figure(&q, "targets", &f->when);
	if (!rc)
		rc = add_filter(&q, f);
	if (!rc)
		rc = buf_addf(&q.sql, "%s", group_tail(g));
	return query_rows(db, &q, rc, outcome_row, g, out);
}

/* A count of the open load, by status (BY_NONE) or by agent. */
static json_t *load_row(struct db_stmt *s, enum group g)
{
	json_t *o = g == BY_AGENT
			    ? json_object()
			    : json_pack("{s:s}", "status", db_col_text(s, 0));

	if (o &&
	    !json_object_set_new(o, "count", json_integer(db_col_int(s, 2))) &&
	    group_json(o, g, s))
		return o;
	json_decref(o);
	return NULL;
}

/* The open load: unsolved tickets by status and by agent. */
static ay_rc backlog_by(struct db *db, const struct report_filter *f,
			enum group g, json_t **out)
{
	struct query q;
	ay_rc rc;

	query_init(&q);
	rc = buf_addf(&q.sql, "SELECT %s, COUNT(*)" GROUP_JOINS UNSOLVED,
		      group_select(g, f->lang));
	if (!rc)
		rc = add_filter(&q, f);
	if (!rc)
		rc = buf_addf(&q.sql, "%s",
			      g == BY_AGENT ? group_tail(g)
					    : " GROUP BY t.status ORDER BY"
					      " MIN(CASE t.status WHEN 'new'"
					      " THEN 0 WHEN 'open' THEN 1 ELSE"
					      " 2 END)");
	return query_rows(db, &q, rc, load_row, g, out);
}

/* {count, from, to} of figure name over [from, to), among `where`. */
static ay_rc bucket(struct db *db, const struct report_filter *f,
		    const char *name, int64_t from, int64_t to,
		    const char *where, json_t *o)
{
	struct report_when w = {from, to, f->when.now};
	char a[32], b[32];
	int64_t n = 0;
	ay_rc rc = count(db, f, name, &w, where, &n);

	ay_iso_utc(from, a);
	ay_iso_utc(to, b);
	if (!rc && (json_object_set_new(o, "from", json_string(a)) ||
		    json_object_set_new(o, "to", json_string(b)) ||
		    json_object_set_new(o, name, json_integer(n))))
		rc = AY_ENOMEM;
	return rc;
}

/* Unsolved tickets by age: created within a day, 1-3 days ago, 3-7,
 * 7-30, longer. */
static ay_rc backlog_age(struct db *db, const struct report_filter *f,
			 json_t **out)
{
	static const struct {
		const char *key;
		int64_t newest, oldest; /* days ago; oldest 0: ever */
	} ages[] = {{"0-1", 0, 1},
		    {"1-3", 1, 3},
		    {"3-7", 3, 7},
		    {"7-30", 7, 30},
		    {"30-", 30, 0}};
	int64_t now = f->when.now;
	json_t *list = json_array(), *o;
	ay_rc rc = list ? AY_OK : AY_ENOMEM;

	for (size_t i = 0; !rc && i < AY_ARRAY_LEN(ages); i++) {
		o = json_pack("{s:s}", "age", ages[i].key);
		if (!o || json_array_append_new(list, o)) {
			rc = AY_ENOMEM;
			break;
		}
		rc = bucket(db, f, "created",
			    ages[i].oldest ? now - ages[i].oldest * 86400 : 0,
			    ages[i].newest ? now - ages[i].newest * 86400
					   : now + 1,
			    UNSOLVED, o);
		/* "count", like the other lists. */
		if (!rc &&
		    json_object_set(o, "count", json_object_get(o, "created")))
			rc = AY_ENOMEM;
		json_object_del(o, "created");
	}
	if (rc)
		json_decref(list);
	*out = rc ? NULL : list;
	return rc;
}

/* Tickets created and solved per day of the desk's calendar (per week
 * beyond 62 days). */
static ay_rc per_day(struct db *db, const struct report_filter *f,
		     const struct sla_calendar *cal, json_t **out)
{
	int64_t step =
		f->when.to - f->when.from > 62 * 86400 ? 7 * 86400 : 86400;
	json_t *list = json_array(), *o;
	char day[SLA_ISO8601_LEN];
	ay_rc rc = list ? AY_OK : AY_ENOMEM;

	for (int64_t a = f->when.from; !rc && a < f->when.to; a += step) {
		int64_t b = a + step < f->when.to ? a + step : f->when.to;

		rc = sla_format_iso8601(cal, a, day, sizeof(day));
		if (rc)
			break;
		day[10] = '\0';
		o = json_pack("{s:s}", "day", day);
		if (!o || json_array_append_new(list, o))
			rc = AY_ENOMEM;
		if (!rc)
			rc = bucket(db, f, "created", a, b, "", o);
		if (!rc)
			rc = bucket(db, f, "solved", a, b, "", o);
	}
	if (rc)
		json_decref(list);
	*out = rc ? NULL : list;
	return rc;
}

/* The first answer's business minutes at rank k (0-based, ascending) among
 * the tickets created in the period. */
static ay_rc first_rank(struct db *db, const struct report_filter *f, int64_t k,
			json_t **out)
{
	struct db_stmt *s = NULL;
	struct query q;
	bool row = false;
	ay_rc rc;

	query_init(&q);
	rc = buf_addf(&q.sql, "SELECT (SELECT used_minutes FROM sla_targets"
			      " WHERE ticket_id = t.id AND kind = 'response'"
			      " ORDER BY id LIMIT 1) AS m FROM tickets t"
			      " WHERE 1 = 1");
	if (!rc)
		rc = add_figure(&q, "first_response", &f->when);
	if (!rc)
		rc = add_filter(&q, f);
	if (!rc)
		rc = buf_addf(&q.sql, " ORDER BY m LIMIT 1 OFFSET ");
	if (!rc)
		rc = report_param(&q.sql, &q.p, k, NULL);
	if (!rc)
		rc = query_run(db, &q, &s, &row);
	*out = !rc && row ? json_integer(db_col_int(s, 0)) : json_null();
	if (s)
		db_reset(s);
	buf_release(&q.sql);
	return rc;
}

static ay_rc first_response(struct db *db, const struct report_filter *f,
			    json_t **out)
{
	json_t *median = NULL, *p90 = NULL;
	int64_t n = 0;
	ay_rc rc = count(db, f, "first_response", &f->when, "", &n);

	*out = NULL;
	/* The median as the summary has it (the upper one); the 90th
	 * percentile by nearest rank. */
	if (!rc && n)
		rc = first_rank(db, f, n / 2, &median);
	if (!rc && n)
		rc = first_rank(db, f, (9 * n + 9) / 10 - 1, &p90);
	if (!rc)
		*out = json_pack("{s:I,s:o?,s:o?}", "tickets", (json_int_t)n,
				 "median_business_minutes", median,
				 "p90_business_minutes", p90);
	else {
		json_decref(median);
		json_decref(p90);
	}
	return rc ? rc : *out ? AY_OK : AY_ENOMEM;
}

static json_t *comment_row(struct db_stmt *s, enum group g)
{
	char at[32];

	ay_iso_utc(db_col_int(s, 3), at);
	return json_pack("{s:I,s:I,s:s,s:s}", "number",
			 (json_int_t)db_col_int(s, 0), "rating",
			 (json_int_t)db_col_int(s, 1), "comment",
			 db_col_text(s, 2), "answered_at", at);
}

/* The latest comments of the surveys answered in the period. */
static ay_rc comments(struct db *db, const struct report_filter *f,
		      json_t **out)
{
	struct query q;
	ay_rc rc;

	query_init(&q);
	rc = buf_addf(&q.sql, "SELECT t.number, v.rating, v.comment,"
			      " v.answered_at FROM surveys v JOIN tickets t ON"
			      " t.id = v.ticket_id WHERE COALESCE(v.comment,"
			      " '') <> '' AND v.answered_at >= ");
	if (!rc)
		rc = report_param(&q.sql, &q.p, f->when.from, NULL);
	if (!rc)
		rc = buf_addf(&q.sql, " AND v.answered_at < ");
	if (!rc)
		rc = report_param(&q.sql, &q.p, f->when.to, NULL);
	if (!rc)
		rc = add_filter(&q, f);
	if (!rc)
		rc = buf_addf(&q.sql, " ORDER BY v.answered_at DESC, v.id DESC"
				      " LIMIT 10");
	return query_rows(db, &q, rc, comment_row, BY_NONE, out);
}

/* Ratings 1..5 (each with its count), their number and average, and the
 * latest comments. */
static ay_rc satisfaction(struct db *db, const struct report_filter *f,
			  json_t **out)
{
	json_t *ratings = json_array(), *latest = NULL;
	int64_t n, answers = 0, sum = 0;
	char name[16];
	ay_rc rc = ratings ? AY_OK : AY_ENOMEM;

	*out = NULL;
	for (int r = 1; !rc && r <= 5; r++) {
		snprintf(name, sizeof(name), "rating_%d", r);
		rc = count(db, f, name, &f->when, "", &n);
		if (!rc && json_array_append_new(
				   ratings, json_pack("{s:i,s:I}", "rating", r,
						      "count", (json_int_t)n)))
			rc = AY_ENOMEM;
		answers += n;
		sum += r * n;
	}
	if (!rc)
		rc = comments(db, f, &latest);
	if (!rc)
		*out = json_pack(
			"{s:I,s:o,s:o,s:o}", "answers", (json_int_t)answers,
			"average",
			answers ? json_real((double)sum / (double)answers)
				: json_null(),
			"ratings", ratings, "comments", latest);
	else {
		json_decref(ratings);
		json_decref(latest);
	}
	return rc ? rc : *out ? AY_OK : AY_ENOMEM;
}

/* {name: count} of each figure in names, over the period. */
static ay_rc counts(struct db *db, const struct report_filter *f,
		    const char *const *names, size_t n, json_t **out)
{
	int64_t v = 0;
	ay_rc rc = AY_OK;

	*out = json_object();
	if (!*out)
		return AY_ENOMEM;
	for (size_t i = 0; !rc && i < n; i++) {
		rc = count(db, f, names[i], &f->when, "", &v);
		/* "review_open" -> "open" */
		if (!rc &&
		    json_object_set_new(*out, names[i] + 7, json_integer(v)))
			rc = AY_ENOMEM;
	}
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* The parts of the dashboard, in the order of the answer. */
struct dash {
	json_t *sla, *by_level, *by_agent, *first, *status, *age, *load;
	json_t *days, *csat, *reviews;
	int64_t dev_due;
};

static void dash_release(struct dash *d)
{
	json_t *all[] = {d->sla,    d->by_level, d->by_agent, d->first,
			 d->status, d->age,	 d->load,     d->days,
			 d->csat,   d->reviews};

	for (size_t i = 0; i < AY_ARRAY_LEN(all); i++)
		json_decref(all[i]);
}

static ay_rc dash_read(struct db *db, const struct report_filter *f,
		       const struct sla_calendar *cal, struct dash *d)
{
	static const char *const reviews[] = {"review_requested",
					      "review_answered", "review_open"};
	ay_rc rc = sla_outcomes(db, f, BY_LEVEL, &d->by_level);

	if (!rc)
		rc = sla_total(d->by_level, &d->sla);
	if (!rc)
		rc = sla_outcomes(db, f, BY_AGENT, &d->by_agent);
	if (!rc)
		rc = first_response(db, f, &d->first);
	if (!rc)
		rc = backlog_by(db, f, BY_NONE, &d->status);
	if (!rc)
		rc = backlog_by(db, f, BY_AGENT, &d->load);
	if (!rc)
		rc = backlog_age(db, f, &d->age);
	if (!rc)
		rc = per_day(db, f, cal, &d->days);
	if (!rc)
		rc = satisfaction(db, f, &d->csat);
	if (!rc)
		rc = counts(db, f, reviews, AY_ARRAY_LEN(reviews), &d->reviews);
	if (!rc)
		rc = count(db, f, "dev_due", &f->when, "", &d->dev_due);
	return rc;
}

ay_rc report_dashboard(struct db *db, const struct report_filter *f,
		       json_t **out)
{
	const struct sla_calendar *cal = NULL;
	struct dash d = {0};
	char from[SLA_ISO8601_LEN], to[SLA_ISO8601_LEN], now[32];
	json_t *agent;
	ay_rc rc;

	*out = NULL;
	rc = sla_calendar_get(db, "lima", &cal);
	if (!rc)
		rc = dash_read(db, f, cal, &d);
	if (!rc)
		rc = sla_format_iso8601(cal, f->when.from, from, sizeof(from));
	if (!rc)
		rc = sla_format_iso8601(cal, f->when.to, to, sizeof(to));
	if (!rc) {
		ay_iso_utc(f->when.now, now);
		agent = f->agent > 0   ? json_integer(f->agent)
			: f->agent < 0 ? json_string("none")
				       : json_null();
		*out = json_pack(
			"{s:s,s:s,s:s,s:s,s:{s:s?,s:o},s:O,s:O,s:O,s:O,"
			"s:{s:O,s:O,s:O},s:O,s:O,s:O,s:{s:I}}",
			"from", from, "to", to, "as_of", now, "zone",
			sla_calendar_zone(cal), "filter", "level", f->level,
			"agent", agent, "sla", d.sla, "sla_by_level",
			d.by_level, "sla_by_agent", d.by_agent,
			"first_response", d.first, "backlog", "by_status",
			d.status, "by_age", d.age, "by_agent", d.load, "days",
			d.days, "satisfaction", d.csat, "supervisor_reviews",
			d.reviews, "development_reviews", "due",
			(json_int_t)d.dev_due);
		if (!*out)
			rc = AY_ENOMEM;
	}
	sla_calendar_release(cal);
	dash_release(&d);
	return rc;
}
