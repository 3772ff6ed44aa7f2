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

/* The outcome of the response targets started in the period: *out is
 * {met_on_time, met_late, breached_open, running, compliance_percent}.
 * One pass over the period in sla_targets_started. */
static ay_rc report_sla(struct db *db, int64_t from, int64_t to, json_t **out)
{
	struct db_stmt *s = NULL;
	int64_t v[4] = {0, 0, 0, 0}, done;
	bool row = false;
	ay_rc rc;

	*out = NULL;
	rc = db_run(db, &s, &row,
		    "SELECT COUNT(CASE WHEN met_at <= due_at THEN 1 END),"
		    " COUNT(CASE WHEN met_at > due_at THEN 1 END),"
		    " COUNT(CASE WHEN met_at IS NULL AND breached_at IS NOT"
		    " NULL THEN 1 END),"
		    " COUNT(CASE WHEN met_at IS NULL AND breached_at IS NULL"
		    " THEN 1 END)"
		    " FROM sla_targets WHERE kind = 'response' AND"
		    " started_at >= $1 AND started_at < $2",
		    "ii", from, to);
	for (int i = 0; !rc && row && i < 4; i++)
		v[i] = db_col_int(s, i);
	db_reset(s);
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

/* Counts by key (a level's or a category's code), few keys. */
struct tally_key {
	char key[48];
	int64_t count;
};
struct tally {
	size_t n;
	struct tally_key k[64];
};

static void tally_add(struct tally *t, const char *key)
{
	size_t i;

	key = key ? key : "";
	for (i = 0; i < t->n; i++)
		if (!strcmp(t->k[i].key, key))
			break;
	if (i == t->n) {
		if (t->n == AY_ARRAY_LEN(t->k))
			return; /* not a code of ours: leave it out */
		snprintf(t->k[t->n].key, sizeof(t->k[0].key), "%s", key);
		t->k[t->n++].count = 0;
	}
	t->k[i].count++;
}

static int tally_cmp(const void *a, const void *b)
{
	const struct tally_key *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->key, y->key);
}

/* [{key, count}] in order of count, most first (then by key). */
static json_t *tally_json(struct tally *t)
{
	json_t *list = json_array();

	qsort(t->k, t->n, sizeof(t->k[0]), tally_cmp);
	for (size_t i = 0; list && i < t->n; i++)
		if (json_array_append_new(
			    list,
			    json_pack("{s:s,s:I}", "key", t->k[i].key, "count",
				      (json_int_t)t->k[i].count))) {
			json_decref(list);
			return NULL;
		}
	return list;
}

static int cmp_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The tickets created in the period, in one pass over tickets_created
 * (schema.c, migration 23): how many, by level, by category, and the
 * median of the business minutes of each one's first response
 * (first_response_minutes, kept by triggers on sla_targets). */
struct created {
	int64_t n;
	struct tally level, category;
	int64_t *minutes; /* the first responses' minutes, nm of them */
	size_t nm, cap;
};

static ay_rc created_add(struct created *c, struct db_stmt *s)
{
	c->n++;
	tally_add(&c->level, db_col_text(s, 0));
	tally_add(&c->category, db_col_text(s, 1));
	if (db_col_null(s, 2))
		return AY_OK;
	if (c->nm == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 4096;
		int64_t *m = realloc(c->minutes, cap * sizeof(*m));

		if (!m)
			return AY_ENOMEM;
		c->minutes = m;
		c->cap = cap;
	}
	c->minutes[c->nm++] = db_col_int(s, 2);
	return AY_OK;
}

static ay_rc report_created(struct db *db, int64_t from, int64_t to,
			    struct created *c)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc = db_run(db, &s, &row,
			  "SELECT sla_level, category, first_response_minutes"
			  " FROM tickets INDEXED BY tickets_created"
			  " WHERE created_at >= $1 AND created_at < $2",
			  "ii", from, to);

	while (!rc && row) {
		rc = created_add(c, s);
		if (!rc)
			rc = db_step(s, &row);
	}
	db_reset(s);
	return rc;
}

/* The median as the slow way had it: the value at n / 2 in order. */
static json_t *created_median(struct created *c)
{
	if (!c->nm)
		return json_null();
	qsort(c->minutes, c->nm, sizeof(c->minutes[0]), cmp_int64);
	return json_integer(c->minutes[c->nm / 2]);
}

/* The unsolved tickets by status: the summary's backlog. */
static const char backlog_sql[] =
	"SELECT status, COUNT(*) FROM tickets WHERE " AY_UNSOLVED_SQL(
		"status") " GROUP BY status ORDER BY status";

ay_rc report_summary(struct db *db, int64_t from, int64_t to, json_t **out)
{
	json_t *by_level = NULL, *by_cat = NULL, *backlog = NULL;
	json_t *sla = NULL, *sat = NULL, *median = NULL, *reviews = NULL;
	struct created *c = calloc(1, sizeof(*c));
	char f[32], t[32];
	ay_rc rc;

	*out = NULL;
	rc = c ? report_created(db, from, to, c) : AY_ENOMEM;
	if (!rc) {
		by_level = tally_json(&c->level);
		by_cat = tally_json(&c->category);
		median = created_median(c);
		if (!by_level || !by_cat || !median)
			rc = AY_ENOMEM;
	}
	if (!rc)
		rc = report_sla(db, from, to, &sla);
	if (!rc)
		rc = report_satisfaction(db, from, to, &sat);
	if (!rc)
		rc = db_rows_json(db, count_row, NULL, &backlog, backlog_sql,
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
				 (json_int_t)c->n, "by_level", by_level,
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
	if (c)
		free(c->minutes);
	free(c);
	return rc;
}

/* The first response of ticket t as the triggers of migration 23 keep it
 * (store/schema.c). */
#define FIRST_OF_T                                                             \
	"(SELECT CASE WHEN met_at IS NOT NULL THEN COALESCE(used_minutes, 0)"  \
	" END FROM sla_targets WHERE ticket_id = t.id AND kind = 'response'"   \
	" ORDER BY id LIMIT 1)"

ay_rc report_rebuild(struct db *db, int64_t *changed)
{
	ay_rc rc = db_run(db, NULL, NULL,
			  "UPDATE tickets AS t SET first_response_minutes ="
			  " " FIRST_OF_T " WHERE first_response_minutes IS NOT"
			  " " FIRST_OF_T,
			  NULL);

	*changed = rc ? 0 : db_changes(db);
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
	/* The counters of schema migration 35, kept by triggers. */
	rc = counts_by(db,
		       "SELECT key, n FROM row_counts WHERE tbl = 'tickets'"
		       " AND n > 0 ORDER BY key",
		       &tickets);
	if (!rc)
		rc = counts_by(db,
			       "SELECT key, n FROM row_counts WHERE tbl ="
			       " 'outbox' AND n > 0 ORDER BY key",
			       &outbox);
	if (!rc)
		rc = db_run(db, &s, &row,
			    "SELECT n FROM row_counts WHERE tbl ="
			    " 'sla_targets' AND key = 'breached_open'",
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
