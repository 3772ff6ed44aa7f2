/* The supervisor's dashboard (domain/report_dash.c) against the slow way:
 * on random tickets, response targets (several per ticket, met on time,
 * late, paused, running), status changes that solve and reopen, surveys
 * and reviews, every figure of report_dashboard() for random periods,
 * levels and agents equals what the plain SQL of its definition counts
 * (the queries the dashboard ran before it read indexes in one pass). */
#include "domain/company.h"
#include "domain/report_figure.h"
#include "domain/sla.h"
#include "testutil.h"

#define NT   600 /* tickets */
#define BASE 1800000000LL
#define NOW  (BASE + 40 * 86400)
#define HOUR 3600

static const char *const statuses[] = {"new", "open", "pending_customer",
				       "resolved", "closed"};
static const char *const levels[] = {"partner_gold", "commercial",
				     "non_commercial"};

struct fx {
	const char *dir;
	struct store *st;
	struct db *db;
	int64_t agents[3];
	int64_t customer;
};

static ay_rc seed_ticket(struct db *db, struct fx *f, int64_t id)
{
	int64_t created = BASE + rand() % (40 * 86400);
	int64_t who = rand() % 4 ? f->agents[rand() % 3] : 0;
	const char *st = statuses[rand() % 5];
	ay_rc rc;

	rc = db_run(db, NULL, NULL,
		    "INSERT INTO tickets (id, number, subject, status,"
		    " category, channel, requester_id, assignee_id,"
		    " sla_level, sla_level_id, created_at, updated_at)"
		    " SELECT $1, $1, 'T', $2, CASE WHEN $1 % 9 = 0 THEN"
		    " 'development' ELSE 'support' END, 'api', $3, $4, $5,"
		    " (SELECT id FROM sla_levels WHERE code = $5 AND"
		    " current = 1), $6, $6",
		    "isiIsi", id, st, f->customer, who, levels[rand() % 3],
		    created);
	for (int k = rand() % 4; !rc && k > 0; k--) {
		int64_t start = created + (rand() % 72) * HOUR;
		int64_t due = start + (1 + rand() % 48) * HOUR;
		int64_t met = rand() % 3 ? due + (rand() % 40 - 30) * HOUR : 0;

		rc = db_run(db, NULL, NULL,
			    "INSERT INTO sla_targets (ticket_id, level_id,"
			    " kind, started_at, minutes, due_at, paused_at,"
			    " met_at, used_minutes) VALUES ($1, (SELECT"
			    " MIN(id) FROM sla_levels), $2, $3, 60, $4, $5,"
			    " $6, $7)",
			    "isiiIII", id, rand() % 6 ? "response" : "review",
			    start, due,
			    rand() % 4 ? 0 : due + (rand() % 20 - 10) * HOUR,
			    met,
			    met && rand() % 8 ? (int64_t)(rand() % 900) : 0);
	}
	for (int k = rand() % 4; !rc && k > 0; k--)
		rc = db_run(db, NULL, NULL,
			    "INSERT INTO events (ticket_id, actor_id, kind,"
			    " data, created_at) VALUES ($1, NULL,"
			    " 'ticket.status', json_object('from', $2, 'to',"
			    " $3), $4)",
			    "issi", id, statuses[rand() % 5],
			    statuses[rand() % 5],
			    created + (rand() % 200) * HOUR);
	for (int k = rand() % 3; !rc && k > 0; k--)
		rc = db_run(db, NULL, NULL,
			    "INSERT INTO surveys (ticket_id, token_hash,"
			    " created_at, answered_at, rating, comment)"
			    " VALUES ($1, 'h' || $1 || '-' || $2, $3, $4, $5,"
			    " CASE WHEN $5 < 3 THEN 'mal' END)",
			    "iiiIi", id, (int64_t)k, created,
			    rand() % 4 ? created + (rand() % 300) * HOUR : 0,
			    (int64_t)(1 + rand() % 5));
	if (!rc && rand() % 10 == 0)
		rc = db_run(db, NULL, NULL,
			    "INSERT INTO supervisor_reviews (ticket_id,"
			    " requested_by, reason, requested_at,"
			    " answered_by, answered_at) VALUES ($1, $2, 'r',"
			    " $3, $4, $5)",
			    "iiiII", id, f->customer, created + HOUR,
			    rand() % 2 ? f->agents[0] : 0,
			    rand() % 2 ? created + 5 * HOUR : 0);
	return rc;
}

static ay_rc seed_run(struct db *db, void *arg)
{
	struct fx *f = arg;
	ay_rc rc = sla_seed_defaults(db);

	f->agents[0] = test_add_user(db, "a0@x.pe", "agent", NULL, false);
	f->agents[1] = test_add_user(db, "a1@x.pe", "agent", NULL, false);
	f->agents[2] = test_add_user(db, "a2@x.pe", "supervisor", NULL, false);
	f->customer = test_add_user(db, "c@x.pe", "customer", NULL, false);
	for (int64_t i = 1; !rc && i <= NT; i++)
		rc = seed_ticket(db, f, i);
	return rc;
}

/* One integer the slow SQL answers, the filter on the tickets t between
 * sql and tail; its parameters: $1 from, $2 to, $3 now, $4 the level
 * (NULL: any), $5 the agent (0 any, -1 none). */
static int64_t slow_tail(struct fx *f, const struct report_filter *w,
			 const char *sql, const char *tail)
{
	struct db_stmt *s = NULL;
	struct buf q;
	bool row = false;
	int64_t v = -1;

	buf_init(&q, 1 << 14);
	assert_int_equal(
		buf_addf(&q,
			 "%s AND ($4 IS NULL OR t.sla_level = $4) AND"
			 " ($5 = 0 OR ($5 = -1 AND t.assignee_id IS NULL) OR"
			 " t.assignee_id = $5)%s",
			 sql, tail),
		AY_OK);
	assert_int_equal(db_run(f->db, &s, &row, q.ptr, "iiisi", w->when.from,
				w->when.to, w->when.now, w->level, w->agent),
			 AY_OK);
	assert_true(row);
	v = db_col_int(s, 0);
	db_reset(s);
	buf_release(&q);
	return v;
}

static int64_t slow(struct fx *f, const struct report_filter *w,
		    const char *sql)
{
	return slow_tail(f, w, sql, "");
}

/* The old outcome conditions, word for word. */
#define STARTED                                                                \
	"SELECT ticket_id FROM sla_targets WHERE kind = 'response' AND"        \
	" started_at >= $1 AND started_at < $2"
static const struct {
	const char *name, *sql;
} outcomes[] = {
	{"met_on_time", STARTED " AND met_at IS NOT NULL AND met_at <= due_at"},
	{"met_late", STARTED " AND met_at > due_at"},
	{"breached", STARTED " AND met_at IS NULL AND due_at <= $3 AND"
			     " (paused_at IS NULL OR paused_at > due_at)"},
	{"running", STARTED " AND met_at IS NULL AND (due_at > $3 OR"
			    " (paused_at IS NOT NULL AND paused_at <="
			    " due_at))"},
};

static int64_t num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_null(v) || !v ? -1 : json_integer_value(v);
}

static void check_outcomes(struct fx *f, const struct report_filter *w,
			   json_t *d)
{
	char sql[1024];
	size_t i;
	json_t *r;

	json_array_foreach (json_object_get(d, "sla_by_level"), i, r) {
		for (size_t k = 0; k < AY_ARRAY_LEN(outcomes); k++) {
			snprintf(
				sql, sizeof(sql),
				"SELECT COUNT(*) FROM tickets t WHERE t.id IN"
				" (%s) AND t.sla_level = '%s'",
				outcomes[k].sql,
				json_string_value(json_object_get(r, "level")));
			assert_int_equal(num(r, outcomes[k].name),
					 slow(f, w, sql));
		}
	}
	json_array_foreach (json_object_get(d, "sla_by_agent"), i, r) {
		json_t *a = json_object_get(r, "agent");

		char who[64];

		if (json_is_null(a))
			snprintf(who, sizeof(who), "IS NULL");
		else
			snprintf(who, sizeof(who), "= %lld",
				 (long long)json_integer_value(
					 json_object_get(a, "id")));
		for (size_t k = 0; k < AY_ARRAY_LEN(outcomes); k++) {
			snprintf(sql, sizeof(sql),
				 "SELECT COUNT(*) FROM tickets t WHERE t.id IN"
				 " (%s) AND t.assignee_id %s",
				 outcomes[k].sql, who);
			assert_int_equal(num(r, outcomes[k].name),
					 slow(f, w, sql));
		}
	}
	/* Every ticket with a target started is in one row of each. */
	snprintf(sql, sizeof(sql),
		 "SELECT COUNT(DISTINCT t.sla_level) FROM tickets t WHERE t.id"
		 " IN (%s)",
		 STARTED);
	assert_int_equal(
		(int64_t)json_array_size(json_object_get(d, "sla_by_level")),
		slow(f, w, sql));
}

static void check_first(struct fx *f, const struct report_filter *w, json_t *d)
{
	json_t *fr = json_object_get(d, "first_response");
	const char *answered =
		"FROM tickets t JOIN sla_targets s ON s.id = (SELECT MIN(id)"
		" FROM sla_targets WHERE ticket_id = t.id AND kind ="
		" 'response') WHERE s.met_at IS NOT NULL AND t.created_at >= $1"
		" AND t.created_at < $2";
	char sql[1024], tail[64];
	int64_t n;

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) %s", answered);
	n = slow(f, w, sql);
	assert_int_equal(num(fr, "tickets"), n);
	if (!n) {
		assert_int_equal(num(fr, "median_business_minutes"), -1);
		return;
	}
	/* The rank as the dashboard takes it, through the first target's
	 * minutes (none: 0). */
	snprintf(sql, sizeof(sql),
		 "SELECT m FROM (SELECT COALESCE(s.used_minutes, 0) AS m,"
		 " t.sla_level, t.assignee_id %s) t WHERE 1 = 1",
		 answered);
	snprintf(tail, sizeof(tail), " ORDER BY m LIMIT 1 OFFSET %lld",
		 (long long)(n / 2));
	assert_int_equal(num(fr, "median_business_minutes"),
			 slow_tail(f, w, sql, tail));
	snprintf(tail, sizeof(tail), " ORDER BY m LIMIT 1 OFFSET %lld",
		 (long long)((9 * n + 9) / 10 - 1));
	assert_int_equal(num(fr, "p90_business_minutes"),
			 slow_tail(f, w, sql, tail));
}

static void check_days(struct fx *f, const struct report_filter *w, json_t *d)
{
	int64_t step =
		w->when.to - w->when.from > 62 * 86400 ? 7 * 86400 : 86400;
	json_t *days = json_object_get(d, "days");
	struct report_filter b = *w;
	size_t i = 0;

	for (int64_t a = w->when.from; a < w->when.to; a += step, i++) {
		json_t *day = json_array_get(days, i);

		b.when.from = a;
		b.when.to = a + step < w->when.to ? a + step : w->when.to;
		assert_non_null(day);
		assert_int_equal(num(day, "created"),
				 slow(f, &b,
				      "SELECT COUNT(*) FROM tickets t WHERE"
				      " t.created_at >= $1 AND"
				      " t.created_at < $2"));
		assert_int_equal(
			num(day, "solved"),
			slow(f, &b,
			     "SELECT COUNT(*) FROM tickets t WHERE t.id IN"
			     " (SELECT ticket_id FROM events WHERE kind ="
			     " 'ticket.status' AND created_at >= $1 AND"
			     " created_at < $2 AND json_extract(data, '$.to')"
			     " IN ('resolved', 'closed') AND json_extract(data,"
			     " '$.from') NOT IN ('resolved', 'closed'))"));
	}
	assert_int_equal(json_array_size(days), i);
}

static void check_rest(struct fx *f, const struct report_filter *w, json_t *d)
{
	static const int64_t ages[][2] = {
		{1, 0}, {3, 1}, {7, 3}, {30, 7}, {0, 30}};
	json_t *csat = json_object_get(d, "satisfaction");
	struct report_filter b = *w;
	char sql[512];

	for (int r = 1; r <= 5; r++) {
		snprintf(sql, sizeof(sql),
			 "SELECT COUNT(*) FROM tickets t WHERE t.id IN (SELECT"
			 " ticket_id FROM surveys WHERE answered_at >= $1 AND"
			 " answered_at < $2 AND rating = %d)",
			 r);
		assert_int_equal(
			num(json_array_get(json_object_get(csat, "ratings"),
					   (size_t)r - 1),
			    "count"),
			slow(f, w, sql));
	}
	for (size_t i = 0; i < AY_ARRAY_LEN(ages); i++) {
		b.when.from = ages[i][0] ? w->when.now - ages[i][0] * 86400 : 0;
		b.when.to = ages[i][1] ? w->when.now - ages[i][1] * 86400
				       : w->when.now + 1;
		assert_int_equal(
			num(json_array_get(
				    json_object_get(
					    json_object_get(d, "backlog"),
					    "by_age"),
				    i),
			    "count"),
			slow(f, &b,
			     "SELECT COUNT(*) FROM tickets t WHERE t.status IN"
			     " ('new', 'open', 'pending_customer') AND"
			     " t.created_at >= $1 AND t.created_at < $2"));
	}
	assert_int_equal(
		num(json_object_get(d, "development_reviews"), "due"),
		slow(f, w,
		     "SELECT COUNT(*) FROM tickets t WHERE t.category ="
		     " 'development' AND t.status IN ('new', 'open',"
		     " 'pending_customer') AND EXISTS (SELECT 1 FROM"
		     " sla_targets s WHERE s.ticket_id = t.id AND s.kind ="
		     " 'review' AND s.met_at IS NULL AND s.due_at <= $3 +"
		     " 7 * 86400)"));
}

static void dashboard_matches_slow_way(void **state)
{
	struct fx *f = *state;

	for (int i = 0; i < 60; i++) {
		int64_t from = BASE - 86400 + rand() % (45 * 86400);
		int64_t len = i % 5 == 0 ? 63 + rand() % 60 : 1 + rand() % 30;
		int64_t who[] = {0, -1, f->agents[rand() % 3]};
		struct report_filter w = {{from, from + len * 86400, NOW},
					  rand() % 3 ? NULL
						     : levels[rand() % 3],
					  who[rand() % 3],
					  rand() % 2 ? "es" : "en"};
		json_t *d = NULL;

		assert_int_equal(report_dashboard(f->db, &w, &d), AY_OK);
		check_outcomes(f, &w, d);
		check_first(f, &w, d);
		check_days(f, &w, d);
		check_rest(f, &w, d);
		json_decref(d);
	}
}

/* The plan of figure name's count reads index `index` and not table
 * `not` (NULL: any). */
static void plan_uses(struct fx *f, const char *name, const char *index,
		      const char * not )
{
	struct report_when w = {BASE, NOW, NOW};
	struct report_params p = {0};
	struct db_stmt *s = NULL;
	struct buf sql, plan;
	bool row = false;

	buf_init(&sql, 1 << 14);
	buf_init(&plan, 1 << 14);
	assert_int_equal(buf_adds(&sql, "EXPLAIN QUERY PLAN SELECT COUNT(*)"
					" FROM tickets t WHERE 1 = 1"),
			 AY_OK);
	assert_int_equal(
		report_figure_cond(&sql, &p, report_figure_find(name), &w),
		AY_OK);
	assert_int_equal(db_prepare(f->db, sql.ptr, &s), AY_OK);
	assert_int_equal(report_bind(s, &p), AY_OK);
	assert_int_equal(db_step(s, &row), AY_OK);
	for (; row; assert_int_equal(db_step(s, &row), AY_OK))
		assert_int_equal(buf_addf(&plan, "%s\n", db_col_text(s, 3)),
				 AY_OK);
	db_reset(s);
	if (!strstr(plan.ptr, index) || (not &&strstr(plan.ptr, not )))
		fail_msg("%s: %s", name, plan.ptr);
	buf_release(&sql);
	buf_release(&plan);
}

/* The figures a period's count reads from their own indexes: the status
 * changes that solve, not every event read and parsed; the first
 * responses from the tickets' index, not their targets. */
static void figures_read_indexes(void **state)
{
	struct fx *f = *state;

	plan_uses(f, "solved", "events_solved", NULL);
	plan_uses(f, "first_response", "tickets_created", "sla_targets");
}

static int setup(void **state)
{
	static struct fx f;

	srand(28);
	test_store_new(&f.dir, &f.st, seed_run, &f);
	assert_int_equal(store_reader(f.st, &f.db), AY_OK);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	test_store_free(f->dir, f->st);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(dashboard_matches_slow_way,
						setup, teardown),
		cmocka_unit_test_setup_teardown(figures_read_indexes, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
