/* Supervisor reports: SLA compliance, first response, satisfaction and
 * backlog over a period. */
#include <stdlib.h>
#include <string.h>

#include "domain/report.h"
#include "domain/review.h"

/* One integer from a query with $1 = from, $2 = to. */
static ay_rc scalar(struct db *db, const char *sql, int64_t from, int64_t to,
		    int64_t *out)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc = db_run(db, &s, &row, sql, "ii", from, to);

	*out = 0;
	if (!rc && row)
		*out = db_col_int(s, 0);
	db_reset(s);
	return rc;
}

static json_t *count_row(struct db_stmt *s, void *arg)
{
	(void)arg;
	return json_pack("{s:s,s:I}", "key", db_col_text(s, 0), "count",
			 (json_int_t)db_col_int(s, 1));
}

/* Median of the business minutes used by the first answer of each ticket
 * created in the period. */
static ay_rc first_response_median(struct db *db, int64_t from, int64_t to,
				   json_t **out)
{
	static const char first[] =
		" FROM sla_targets st JOIN tickets t ON t.id = st.ticket_id"
		" WHERE st.kind = 'response' AND st.met_at IS NOT NULL"
		" AND t.created_at >= $1 AND t.created_at < $2"
		" AND st.id = (SELECT MIN(id) FROM sla_targets"
		"  WHERE ticket_id = t.id AND kind = 'response')";
	char sql[600];
	struct db_stmt *s = NULL;
	int64_t n = 0;
	bool row = false;
	ay_rc rc;

	snprintf(sql, sizeof(sql), "SELECT COUNT(*)%s", first);
	rc = scalar(db, sql, from, to, &n);
	if (rc || !n) {
		*out = json_null();
		return rc;
	}
	snprintf(sql, sizeof(sql),
		 "SELECT st.used_minutes%s ORDER BY st.used_minutes"
		 " LIMIT 1 OFFSET $3",
		 first);
	rc = db_run(db, &s, &row, sql, "iii", from, to, n / 2);
	*out = !rc && row ? json_integer(db_col_int(s, 0)) : json_null();
	db_reset(s);
	return rc;
}

/* The outcome of the response targets started in the period: *out is
 * {met_on_time, met_late, breached_open, running, compliance_percent}. */
static ay_rc report_sla(struct db *db, int64_t from, int64_t to, json_t **out)
{
	static const char *const sla_sql[] = {
		/* targets started in the period, by outcome */
		"SELECT COUNT(*) FROM sla_targets WHERE kind = 'response' AND"
		" started_at >= $1 AND started_at < $2 AND met_at IS NOT NULL"
		" AND met_at <= due_at",
		"SELECT COUNT(*) FROM sla_targets WHERE kind = 'response' AND"
		" started_at >= $1 AND started_at < $2 AND met_at > due_at",
		"SELECT COUNT(*) FROM sla_targets WHERE kind = 'response' AND"
		" started_at >= $1 AND started_at < $2 AND met_at IS NULL AND"
		" breached_at IS NOT NULL",
		"SELECT COUNT(*) FROM sla_targets WHERE kind = 'response' AND"
		" started_at >= $1 AND started_at < $2 AND met_at IS NULL AND"
		" breached_at IS NULL",
	};
	int64_t v[4], done;
	ay_rc rc = AY_OK;

	*out = NULL;
	for (size_t i = 0; !rc && i < AY_ARRAY_LEN(sla_sql); i++)
		rc = scalar(db, sla_sql[i], from, to, &v[i]);
	if (rc)
		return rc;
	done = v[0] + v[1] + v[2];
	*out = json_pack("{s:I,s:I,s:I,s:I,s:o}", "met_on_time",
			 (json_int_t)v[0], "met_late", (json_int_t)v[1],
			 "breached_open", (json_int_t)v[2], "running",
			 (json_int_t)v[3], "compliance_percent",
			 done ? json_real(100.0 * (double)v[0] / (double)done)
			      : json_null());
	return *out ? AY_OK : AY_ENOMEM;
}

/* The surveys answered in the period: *out is {answers, average,
 * ratings}. */
static ay_rc report_satisfaction(struct db *db, int64_t from, int64_t to,
				 json_t **out)
{
	json_t *ratings = NULL;
	int64_t answered = 0, sum = 0;
	ay_rc rc;

	*out = NULL;
	rc = db_rows_json(db, count_row, NULL, &ratings,
			  "SELECT CAST(rating AS TEXT), COUNT(*) FROM"
			  " surveys WHERE answered_at >= $1 AND"
			  " answered_at < $2 GROUP BY rating"
			  " ORDER BY rating",
			  "ii", from, to);
	if (!rc)
		rc = scalar(db,
			    "SELECT COUNT(*) FROM surveys WHERE answered_at >="
			    " $1 AND answered_at < $2",
			    from, to, &answered);
	if (!rc)
		rc = scalar(db,
			    "SELECT COALESCE(SUM(rating), 0) FROM surveys WHERE"
			    " answered_at >= $1 AND answered_at < $2",
			    from, to, &sum);
	if (!rc) {
		*out = json_pack(
			"{s:I,s:o,s:o}", "answers", (json_int_t)answered,
			"average",
			answered ? json_real((double)sum / (double)answered)
				 : json_null(),
			"ratings", ratings);
		ratings = NULL;
		if (!*out)
			rc = AY_ENOMEM;
	}
	json_decref(ratings);
	return rc;
}

/* Tickets created in the period, by one column (sla_level, category). */
static ay_rc report_by(struct db *db, const char *col, int64_t from, int64_t to,
		       json_t **out)
{
	char sql[200];

	snprintf(sql, sizeof(sql),
		 "SELECT %s, COUNT(*) FROM tickets WHERE created_at >= $1"
		 " AND created_at < $2 GROUP BY %s ORDER BY 2 DESC",
		 col, col);
	return db_rows_json(db, count_row, NULL, out, sql, "ii", from, to);
}

ay_rc report_summary(struct db *db, int64_t from, int64_t to, json_t **out)
{
	json_t *by_level = NULL, *by_cat = NULL, *backlog = NULL;
	json_t *sla = NULL, *sat = NULL, *median = NULL, *reviews = NULL;
	int64_t created = 0;
	char f[32], t[32];
	ay_rc rc;

	*out = NULL;
	rc = scalar(db,
		    "SELECT COUNT(*) FROM tickets WHERE created_at >= $1"
		    " AND created_at < $2",
		    from, to, &created);
	if (!rc)
		rc = report_by(db, "sla_level", from, to, &by_level);
	if (!rc)
		rc = report_by(db, "category", from, to, &by_cat);
	if (!rc)
		rc = report_sla(db, from, to, &sla);
	if (!rc)
		rc = first_response_median(db, from, to, &median);
	if (!rc)
		rc = report_satisfaction(db, from, to, &sat);
	if (!rc)
		rc = db_rows_json(db, count_row, NULL, &backlog,
				  "SELECT status, COUNT(*) FROM tickets"
				  " WHERE status IN ('new', 'open',"
				  " 'pending_customer') GROUP BY status"
				  " ORDER BY status",
				  NULL);
	/* Customers' requests for a supervisor's review. */
	if (!rc)
		rc = review_report(db, from, to, &reviews);
	if (!rc) {
		ay_iso_utc(from, f);
		ay_iso_utc(to, t);
		*out = json_pack("{s:s,s:s,s:I,s:o,s:o,s:o,s:{s:o},s:o,s:o,"
				 "s:o}",
				 "from", f, "to", t, "tickets_created",
				 (json_int_t)created, "by_level", by_level,
				 "by_category", by_cat, "sla", sla,
				 "first_response", "median_business_minutes",
				 median, "satisfaction", sat, "backlog",
				 backlog, "supervisor_reviews", reviews);
		by_level = by_cat = sla = median = sat = backlog = reviews =
			NULL;
		if (!*out)
			rc = AY_ENOMEM;
	}
	json_decref(by_level);
	json_decref(by_cat);
	json_decref(sla);
	json_decref(median);
	json_decref(sat);
	json_decref(backlog);
	json_decref(reviews);
	return rc;
}

/* {label: count} of a "SELECT label, COUNT(*) ... GROUP BY label" query
 * into *out (a new object), in the query's order. */
static ay_rc counts_by(struct db *db, const char *sql, json_t **out)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	*out = json_object();
	if (!*out)
		return AY_ENOMEM;
	rc = db_run(db, &s, &row, sql, NULL);
	while (!rc && row) {
		if (json_object_set_new(*out, db_col_text(s, 0),
					json_integer(db_col_int(s, 1))))
			rc = AY_ENOMEM;
		if (!rc)
			rc = db_step(s, &row);
	}
	db_reset(s);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

ay_rc report_gauges(struct db *db, json_t **out)
{
	json_t *tickets = NULL, *outbox = NULL;
	struct db_stmt *s = NULL;
	int64_t breached = 0;
	bool row = false;
	ay_rc rc;

	*out = NULL;
	rc = counts_by(db,
		       "SELECT status, COUNT(*) FROM tickets GROUP BY status",
		       &tickets);
	if (!rc)
		rc = counts_by(db,
			       "SELECT state, COUNT(*) FROM outbox"
			       " GROUP BY state",
			       &outbox);
	if (!rc)
		rc = db_run(db, &s, &row,
			    "SELECT COUNT(*) FROM sla_targets WHERE kind ="
			    " 'response' AND met_at IS NULL AND breached_at IS"
			    " NOT NULL",
			    NULL);
	if (!rc && row)
		breached = db_col_int(s, 0);
	db_reset(s);
	if (!rc) {
		*out = json_pack("{s:o,s:o,s:I}", "tickets_by_status", tickets,
				 "outbox_by_state", outbox,
				 "sla_targets_breached_open",
				 (json_int_t)breached);
		tickets = outbox = NULL;
		if (!*out)
			rc = AY_ENOMEM;
	}
	json_decref(tickets);
	json_decref(outbox);
	return rc;
}
