/* Unit tests of the SQL built for the filters given (issue 16): on random
 * tickets, SLA targets, surveys and reviews, every queue view and the
 * ticket list answer exactly what a brute-force filter in C answers, page
 * after page, and their query plans read an index instead of walking the
 * tickets; the supervisor report's figures are those of the slow way (the
 * queries it had before), and `reports rebuild` repairs what it keeps. */
#include <time.h>

#include "domain/company.h"
#include "domain/queue.h"
#include "domain/report.h"
#include "domain/sla.h"
#include "domain/ticket.h"
#include "domain/ticket_query.h"
#include "testutil.h"

#define NT    800 /* tickets */
#define BASE  1800000000LL
#define NOW   (BASE + NT * 600 / 2)
#define HOURS 3600

static const char *const statuses[] = {"new", "open", "pending_customer",
				       "resolved", "closed"};
static const char *const categories[] = {"support", "commercial", "development",
					 "out_of_scope", "sla_inclusion"};
static const char *const levels[] = {"partner_gold", "partner_silver",
				     "commercial", "non_commercial",
				     "development"};

struct tk {
	int64_t id, requester, company, assignee, updated;
	char status[24], category[24], level[24];
};

struct target {
	int64_t ticket;
	bool review, met, paused, warned;
	int64_t due, warn, paused_at;
};

struct fx {
	const char *dir;
	struct store *st;
	struct db *db;
	int64_t agents[3], customers[4], companies[2];
	struct actor staff, cust, contact;
	struct tk t[NT];
	struct target *g;
	size_t ng;
};

static int64_t pick(const int64_t *v, size_t n)
{
	return v[(size_t)rand() % n];
}

static void run(struct db *db, const char *sql)
{
	assert_int_equal(db_exec(db, sql), AY_OK);
}

/* Ticket i + 1 with 0 to 3 targets, maybe a survey and a review. */
static void seed_ticket(struct db *db, struct fx *f, int i)
{
	int64_t req = pick(f->customers, 4), created = BASE + i * 600;
	int64_t company = rand() % 5 == 0 ? 0 : pick(f->companies, 2);
	int64_t assignee = rand() % 3 == 0 ? 0 : pick(f->agents, 3);

	assert_int_equal(db_run(db, NULL, NULL,
				"INSERT INTO tickets (id, number, subject, "
				"status,"
				" category, channel, requester_id, company_id,"
				" assignee_id, sla_level, sla_level_id,"
				" created_at, updated_at) SELECT $1, $1, 'T', "
				"$2,"
				" $3, 'api', $4, $5, $6, $7, (SELECT id FROM"
				" sla_levels WHERE code = $7 AND current = 1),"
				" $8, $9",
				"issiIIsii", (int64_t)i + 1,
				statuses[rand() % 5], categories[rand() % 5],
				req, company, assignee, levels[rand() % 5],
				created,
				/* coarse, so that many tie */
				BASE + (rand() % 40) * HOURS),
			 AY_OK);
	for (int k = rand() % 4; k > 0; k--) {
		int64_t due = NOW + (rand() % 200 - 100) * HOURS;
		int64_t met = rand() % 2 ? due + (rand() % 20 - 10) * HOURS : 0;

		assert_int_equal(
			db_run(db, NULL, NULL,
			       "INSERT INTO sla_targets (ticket_id,"
			       " level_id, kind, started_at, minutes,"
			       " due_at, warn_at, paused_at, met_at,"
			       " used_minutes, breached_at)"
			       " VALUES ($1, (SELECT MIN(id) FROM"
			       " sla_levels), $2, $3, 60, $4, $5, $6, "
			       "$7,"
			       " $8, $9)",
			       "isiiIIIII", (int64_t)i + 1,
			       rand() % 5 ? "response" : "review",
			       created + (rand() % 30) * 86400, due,
			       rand() % 4 ? due - 2 * HOURS : 0,
			       rand() % 3 ? 0
					  : due + (rand() % 20 - 10) * HOURS,
			       met,
			       met && rand() % 10 ? (int64_t)(rand() % 3000)
						  : 0,
			       rand() % 2 ? due : 0),
			AY_OK);
	}
	if (rand() % 3 == 0)
		assert_int_equal(
			db_run(db, NULL, NULL,
			       "INSERT INTO surveys (ticket_id,"
			       " token_hash, created_at, answered_at,"
			       " rating) VALUES ($1, 'h' || $1, $2, $3,"
			       " $4)",
			       "iiII", (int64_t)i + 1, created,
			       rand() % 4 ? created + rand() % 86400 : 0,
			       (int64_t)(1 + rand() % 5)),
			AY_OK);
	if (rand() % 15 == 0)
		assert_int_equal(db_run(db, NULL, NULL,
					"INSERT INTO supervisor_reviews"
					" (ticket_id, requested_by, reason,"
					" requested_at, answered_by, "
					"answered_at)"
					" VALUES ($1, $2, 'r', $3, $4, $5)",
					"iiiII", (int64_t)i + 1, req,
					created + HOURS,
					rand() % 2 ? f->agents[0] : 0,
					rand() % 2 ? created + 5 * HOURS : 0),
				 AY_OK);
}

/* Random tickets, targets (several per ticket, met, late, paused, warned),
 * then changes to the targets after the fact (deleted, met, re-met), as
 * the SLA clock makes them, so the triggers have work to do. */
static ay_rc seed_run(struct db *db, void *arg)
{
	struct fx *f = arg;
	struct company_new c1 = {.name = "Acme", .max_contacts = -1};
	struct company_new c2 = {.name = "Otra", .max_contacts = -1};
	struct verr e;
	json_t *o = NULL;

	assert_int_equal(sla_seed_defaults(db), AY_OK);
	assert_int_equal(company_add(db, 0, &c1, &o, &e), AY_OK);
	f->companies[0] = json_integer_value(json_object_get(o, "id"));
	json_decref(o);
	assert_int_equal(company_add(db, 0, &c2, &o, &e), AY_OK);
	f->companies[1] = json_integer_value(json_object_get(o, "id"));
	json_decref(o);
	f->agents[0] = test_add_user(db, "a0@x.pe", "agent", NULL, false);
	f->agents[1] = test_add_user(db, "a1@x.pe", "agent", NULL, false);
	f->agents[2] = test_add_user(db, "a2@x.pe", "supervisor", NULL, false);
	f->customers[0] =
		test_add_user(db, "c0@acme.pe", "customer", "Acme", true);
	f->customers[1] =
		test_add_user(db, "c1@acme.pe", "customer", "Acme", false);
	f->customers[2] =
		test_add_user(db, "c2@otra.pe", "customer", "Otra", false);
	f->customers[3] = test_add_user(db, "c3@x.pe", "customer", NULL, false);
	for (int i = 0; i < NT; i++)
		seed_ticket(db, f, i);
	/* The clock's later changes: unmet targets replaced, answers. */
	run(db, "DELETE FROM sla_targets WHERE met_at IS NULL AND id % 7 = 0");
	run(db, "UPDATE sla_targets SET met_at = due_at - 3600,"
		" used_minutes = id % 500 WHERE met_at IS NULL AND id % 5 = 0");
	run(db, "UPDATE sla_targets SET used_minutes = used_minutes + 7"
		" WHERE met_at IS NOT NULL AND id % 6 = 0");
	run(db, "UPDATE sla_targets SET kind = 'review' WHERE id % 23 = 0");
	return AY_OK;
}

/* Every ticket and target, as the brute force reads them. */
static void load(struct fx *f)
{
	struct db_stmt *s = NULL;
	bool row = false;
	size_t i = 0;

	assert_int_equal(
		db_run(f->db, &s, &row,
		       "SELECT id, requester_id, COALESCE(company_id, 0),"
		       " COALESCE(assignee_id, 0), updated_at, status,"
		       " category, sla_level FROM tickets ORDER BY id",
		       NULL),
		AY_OK);
	for (; row; i++) {
		struct tk *t = &f->t[i];

		assert_true(i < NT);
		t->id = db_col_int(s, 0);
		t->requester = db_col_int(s, 1);
		t->company = db_col_int(s, 2);
		t->assignee = db_col_int(s, 3);
		t->updated = db_col_int(s, 4);
		snprintf(t->status, sizeof(t->status), "%s", db_col_text(s, 5));
		snprintf(t->category, sizeof(t->category), "%s",
			 db_col_text(s, 6));
		snprintf(t->level, sizeof(t->level), "%s", db_col_text(s, 7));
		assert_int_equal(db_step(s, &row), AY_OK);
	}
	db_reset(s);
	assert_int_equal(i, NT);
	f->g = calloc(4 * NT, sizeof(*f->g));
	assert_non_null(f->g);
	assert_int_equal(
		db_run(f->db, &s, &row,
		       "SELECT ticket_id, kind = 'review', met_at IS NOT NULL,"
		       " paused_at IS NOT NULL, warn_at IS NOT NULL, due_at,"
		       " COALESCE(warn_at, 0), COALESCE(paused_at, 0)"
		       " FROM sla_targets",
		       NULL),
		AY_OK);
	for (f->ng = 0; row; f->ng++) {
		struct target *g = &f->g[f->ng];

		assert_true(f->ng < 4 * NT);
		*g = (struct target){db_col_int(s, 0), db_col_int(s, 1),
				     db_col_int(s, 2), db_col_int(s, 3),
				     db_col_int(s, 4), db_col_int(s, 5),
				     db_col_int(s, 6), db_col_int(s, 7)};
		assert_int_equal(db_step(s, &row), AY_OK);
	}
	db_reset(s);
}

static int setup(void **state)
{
	static struct fx f;
	struct db_stmt *s = NULL;
	bool row = false;

	srand(16);
	test_store_new(&f.dir, &f.st, seed_run, &f);
	assert_int_equal(store_reader(f.st, &f.db), AY_OK);
	assert_int_equal(actor_load(f.db, f.agents[0], &f.staff), AY_OK);
	assert_int_equal(actor_load(f.db, f.customers[1], &f.cust), AY_OK);
	assert_int_equal(actor_load(f.db, f.customers[0], &f.contact), AY_OK);
	assert_true(f.contact.is_contact && f.contact.company_id > 0);
	/* No statistics: the plans are those of a fresh install. */
	assert_int_equal(db_run(f.db, &s, &row,
				"SELECT COUNT(*) FROM sqlite_master WHERE name"
				" = 'sqlite_stat1'",
				NULL),
			 AY_OK);
	assert_int_equal(db_col_int(s, 0), 0);
	db_reset(s);
	load(&f);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	free(f->g);
	test_store_free(f->dir, f->st);
	return 0;
}

static bool unsolved(const struct tk *t)
{
	return !strcmp(t->status, "new") || !strcmp(t->status, "open") ||
	       !strcmp(t->status, "pending_customer");
}

/* Does a target of t match the view's rule (docs/api-agent.md)? */
static bool has_target(const struct fx *f, const struct tk *t,
		       enum queue_view v)
{
	for (size_t i = 0; i < f->ng; i++) {
		const struct target *g = &f->g[i];

		if (g->ticket != t->id || g->met)
			continue;
		if (v == QUEUE_DEV_DUE && g->review &&
		    g->due <= NOW + 7 * 86400)
			return true;
		if (v == QUEUE_AT_RISK && !g->review && !g->paused &&
		    g->due > NOW && g->warned && g->warn <= NOW)
			return true;
		if (v == QUEUE_BREACHED && !g->review && g->due <= NOW &&
		    (!g->paused || g->paused_at > g->due))
			return true;
	}
	return false;
}

static bool in_view(const struct fx *f, const struct tk *t, enum queue_view v,
		    int64_t me)
{
	switch (v) {
	case QUEUE_UNSOLVED:
		return unsolved(t);
	case QUEUE_MINE:
		return unsolved(t) && t->assignee == me;
	case QUEUE_UNASSIGNED:
		return unsolved(t) && !t->assignee;
	case QUEUE_PENDING:
		return !strcmp(t->status, "pending_customer");
	case QUEUE_DEV_DUE:
		return unsolved(t) && !strcmp(t->category, "development") &&
		       has_target(f, t, v);
	case QUEUE_AT_RISK:
	case QUEUE_BREACHED:
		return unsolved(t) && has_target(f, t, v);
	case QUEUE_ALL:
		return true;
	}
	return false;
}

/* The filters of both the queue and the list, checked one by one. */
static bool filters_match(const struct tk *t, const char *status,
			  const char *category, const char *level,
			  int64_t assignee, int64_t company)
{
	return (!status || !strcmp(t->status, status)) &&
	       (!category || !strcmp(t->category, category)) &&
	       (!level || !strcmp(t->level, level)) &&
	       (!assignee ||
		(assignee == -1 ? !t->assignee : t->assignee == assignee)) &&
	       (!company || t->company == company);
}

/* A random value among those of the data, and some matching nothing. */
static const char *maybe(const char *const *v, size_t n, const char *none)
{
	int r = rand() % 10;

	return r < 5 ? NULL : r == 5 ? none : v[(size_t)rand() % n];
}

static int64_t maybe_id(const int64_t *v, size_t n)
{
	int r = rand() % 10;

	return r < 5 ? 0 : r < 7 ? -1 : r == 7 ? 999999 : pick(v, n);
}

/* The numbers of every page of a view, following "next". */
static size_t queue_all_pages(struct fx *f, struct queue_filter *qf,
			      int64_t *out)
{
	size_t n = 0;

	qf->after = 0;
	for (;;) {
		json_t *o = NULL, *list, *next, *t;
		size_t i;

		assert_int_equal(queue_list(f->db, &f->staff, qf, NOW, &o),
				 AY_OK);
		list = json_object_get(o, "tickets");
		assert_true(json_array_size(list) <= (size_t)qf->limit);
		json_array_foreach (list, i, t) {
			assert_true(n < NT);
			out[n++] = json_integer_value(
				json_object_get(t, "number"));
		}
		next = json_object_get(o, "next");
		qf->after =
			json_is_integer(next) ? json_integer_value(next) : 0;
		json_decref(o);
		if (!qf->after)
			return n;
	}
}

/* The plan of q reads an index for the tickets and the targets: it never
 * walks every ticket (but where nothing narrows the view: every ticket in
 * order, from the cursor), nor every target. With covering, the tickets
 * are selected from an index that holds every filtered column (schema.c,
 * migration 23), so no ticket is read but those of the page. */
static void plan_reads_indexes(struct db *db, struct tq *q, bool may_walk,
			       bool covering)
{
	struct tq e;
	struct db_stmt *s = NULL;
	bool row = false, covered = false;

	tq_init(&e);
	assert_int_equal(tq_add(&e, "EXPLAIN QUERY PLAN "), AY_OK);
	assert_int_equal(tq_add(&e, buf_str(&q->sql)), AY_OK);
	memcpy(e.v, q->v, sizeof(q->v));
	e.n = q->n;
	assert_int_equal(tq_prepare(&e, db, &s), AY_OK);
	assert_int_equal(db_step(s, &row), AY_OK);
	while (row) {
		const char *d = db_col_text(s, 3);
		bool walks = !strcmp(d, "SCAN t") ||
			     (!strncmp(d, "SCAN t USING", 12) &&
			      !strstr(d, "INDEX tickets_unsolved")) ||
			     !strncmp(d, "SCAN sla_targets", 16);

		if (walks && !(may_walk && !strcmp(d, "SCAN t")))
			fail_msg("walks every row: %s\nin: %s", d,
				 buf_str(&q->sql));
		covered |=
			!strncmp(d, "SEARCH t USING COVERING INDEX tickets_",
				 38) ||
			!strncmp(d, "SCAN t USING COVERING INDEX tickets_", 36);
		assert_int_equal(db_step(s, &row), AY_OK);
	}
	db_reset(s);
	tq_release(&e);
	if (covering && !covered)
		fail_msg("reads the tickets themselves: %s", buf_str(&q->sql));
}

static void queue_matches_brute_force(void **state)
{
	struct fx *f = *state;
	int64_t got[NT], want[NT];

	for (int round = 0; round < 400; round++) {
		struct queue_filter qf = {
			.view = (enum queue_view)(rand() % 8),
			.status = maybe(statuses, 5, "nope"),
			.category = maybe(categories, 5, "nope"),
			.level = maybe(levels, 5, "unidentified"),
			.assignee_id = maybe_id(f->agents, 3),
			.company_id = maybe_id(f->companies, 2),
			.limit = 1 + rand() % 40};
		size_t n = queue_all_pages(f, &qf, got), m = 0;
		struct tq q;
		bool narrowed;

		for (size_t i = 0; i < NT; i++)
			if (in_view(f, &f->t[i], qf.view, f->staff.user_id) &&
			    filters_match(&f->t[i], qf.status, qf.category,
					  qf.level, qf.assignee_id,
					  qf.company_id > 0 ? qf.company_id
							    : 0))
				want[m++] = f->t[i].id;
		if (n != m || memcmp(got, want, n * sizeof(got[0])))
			fail_msg("round %d: view %s status %s category %s "
				 "level %s assignee %lld company %lld: %zu "
				 "tickets, expected %zu",
				 round, queue_view_name(qf.view),
				 qf.status ? qf.status : "-",
				 qf.category ? qf.category : "-",
				 qf.level ? qf.level : "-",
				 (long long)qf.assignee_id,
				 (long long)qf.company_id, n, m);
		/* The plan of a page in the middle. */
		qf.after = rand() % NT;
		narrowed = qf.view != QUEUE_ALL || qf.status || qf.category ||
			   qf.level || qf.assignee_id > 0 ||
			   qf.assignee_id == -1 || qf.company_id > 0;
		tq_init(&q);
		assert_int_equal(queue_sql(f->db, &f->staff, &qf, NOW, &q),
				 AY_OK);
		plan_reads_indexes(f->db, &q, !narrowed,
				   narrowed && qf.view != QUEUE_DEV_DUE &&
					   qf.view != QUEUE_AT_RISK &&
					   qf.view != QUEUE_BREACHED);
		tq_release(&q);
	}
}

static bool visible(const struct actor *a, const struct tk *t)
{
	return a->role != ROLE_CUSTOMER || t->requester == a->user_id ||
	       (a->is_contact && t->company == a->company_id);
}

static int cmp_activity(const void *x, const void *y)
{
	const struct tk *a = *(const struct tk *const *)x;
	const struct tk *b = *(const struct tk *const *)y;

	if (a->updated != b->updated)
		return a->updated < b->updated ? 1 : -1;
	return a->id < b->id ? 1 : -1;
}

/* The numbers of every page of the list, following "next". */
static size_t list_all_pages(struct fx *f, const struct actor *a,
			     struct ticket_filter *tf, int64_t *out, size_t cap)
{
	size_t n = 0;

	for (;;) {
		json_t *o = NULL, *list, *next, *t;
		size_t i;

		assert_int_equal(ticket_list(f->db, a, tf, &o), AY_OK);
		list = json_object_get(o, "tickets");
		assert_true(json_array_size(list) <= (size_t)tf->limit);
		json_array_foreach (list, i, t) {
			assert_true(n < cap);
			out[n++] = json_integer_value(
				json_object_get(t, "number"));
		}
		next = json_object_get(o, "next");
		if (json_is_null(next)) {
			json_decref(o);
			return n;
		}
		if (tf->by_activity) {
			long long at = 0, id = 0;

			assert_int_equal(sscanf(json_string_value(next),
						"%lld.%lld", &at, &id),
					 2);
			tf->before_at = at;
			tf->before_id = id;
		} else
			tf->after = json_integer_value(next);
		json_decref(o);
	}
}

static void list_matches_brute_force(void **state)
{
	struct fx *f = *state;
	const struct actor *actors[] = {&f->staff, &f->cust, &f->contact};
	int64_t got[NT], want[NT];
	const struct tk *sorted[NT];

	for (int round = 0; round < 300; round++) {
		const struct actor *a = actors[rand() % 3];
		struct ticket_filter tf = {
			.status = maybe(statuses, 5, "nope"),
			.category = maybe(categories, 5, "nope"),
			.assignee_id = maybe_id(f->agents, 3),
			.by_activity = rand() % 2,
			.limit = 1 + rand() % 40};
		struct ticket_filter first = tf;
		size_t n = list_all_pages(f, a, &tf, got, NT), m = 0;
		struct tq q;

		for (size_t i = 0; i < NT; i++)
			if (visible(a, &f->t[i]) &&
			    filters_match(&f->t[i], tf.status, tf.category,
					  NULL, tf.assignee_id, 0))
				sorted[m++] = &f->t[i];
		if (tf.by_activity)
			qsort(sorted, m, sizeof(sorted[0]), cmp_activity);
		for (size_t i = 0; i < m; i++)
			want[i] = sorted[i]->id;
		if (n != m || memcmp(got, want, n * sizeof(got[0])))
			fail_msg("round %d: user %lld status %s category %s "
				 "assignee %lld activity %d: %zu tickets, "
				 "expected %zu",
				 round, (long long)a->user_id,
				 tf.status ? tf.status : "-",
				 tf.category ? tf.category : "-",
				 (long long)tf.assignee_id, tf.by_activity, n,
				 m);
		if (first.by_activity)
			continue;
		first.after = rand() % NT;
		tq_init(&q);
		assert_int_equal(ticket_list_sql(f->db, a, &first, &q), AY_OK);
		plan_reads_indexes(
			f->db, &q,
			a == &f->staff && !first.status && !first.category &&
				!first.assignee_id,
			a == &f->staff && (first.status || first.category ||
					   first.assignee_id));
		tq_release(&q);
	}
}

/* The report the slow way: the queries report_summary() had before it
 * read its indexes (a ticket's first response found by a subquery per
 * target; each outcome counted apart), in the new one's shape. */
static int64_t slow_scalar(struct db *db, const char *sql, int64_t from,
			   int64_t to)
{
	struct db_stmt *s = NULL;
	bool row = false;
	int64_t v;

	assert_int_equal(db_run(db, &s, &row, sql, "ii", from, to), AY_OK);
	v = row ? db_col_int(s, 0) : 0;
	db_reset(s);
	return v;
}

static json_t *slow_by(struct db *db, const char *col, int64_t from, int64_t to)
{
	struct db_stmt *s = NULL;
	json_t *o = json_object();
	char sql[200];
	bool row = false;

	snprintf(sql, sizeof(sql),
		 "SELECT %s, COUNT(*) FROM tickets WHERE created_at >= $1"
		 " AND created_at < $2 GROUP BY %s",
		 col, col);
	assert_int_equal(db_run(db, &s, &row, sql, "ii", from, to), AY_OK);
	while (row) {
		json_object_set_new(o, db_col_text(s, 0),
				    json_integer(db_col_int(s, 1)));
		assert_int_equal(db_step(s, &row), AY_OK);
	}
	db_reset(s);
	return o;
}

static json_t *slow_median(struct db *db, int64_t from, int64_t to)
{
#define FIRST                                                                  \
	" FROM sla_targets st JOIN tickets t ON t.id = st.ticket_id"           \
	" WHERE st.kind = 'response' AND st.met_at IS NOT NULL"                \
	" AND t.created_at >= $1 AND t.created_at < $2"                        \
	" AND st.id = (SELECT MIN(id) FROM sla_targets"                        \
	"  WHERE ticket_id = t.id AND kind = 'response')"
	int64_t n = slow_scalar(db, "SELECT COUNT(*)" FIRST, from, to);
	struct db_stmt *s = NULL;
	bool row = false;
	json_t *v;

	if (!n)
		return json_null();
	assert_int_equal(db_run(db, &s, &row,
				"SELECT st.used_minutes" FIRST
				" ORDER BY st.used_minutes LIMIT 1 OFFSET $3",
				"iii", from, to, n / 2),
			 AY_OK);
	v = row ? json_integer(db_col_int(s, 0)) : json_null();
	db_reset(s);
	return v;
#undef FIRST
}

static json_t *slow_sla(struct db *db, int64_t from, int64_t to)
{
#define TARGETS                                                                \
	"SELECT COUNT(*) FROM sla_targets WHERE kind = 'response' AND"         \
	" started_at >= $1 AND started_at < $2 AND "
	int64_t on_time = slow_scalar(
		db, TARGETS "met_at IS NOT NULL AND met_at <= due_at", from,
		to);
	int64_t late = slow_scalar(db, TARGETS "met_at > due_at", from, to);
	int64_t breached = slow_scalar(
		db, TARGETS "met_at IS NULL AND breached_at IS NOT NULL", from,
		to);
	int64_t running = slow_scalar(
		db, TARGETS "met_at IS NULL AND breached_at IS NULL", from, to);
	int64_t done = on_time + late + breached;

	return json_pack(
		"{s:I,s:I,s:I,s:I,s:o}", "met_on_time", (json_int_t)on_time,
		"met_late", (json_int_t)late, "breached_open",
		(json_int_t)breached, "running", (json_int_t)running,
		"compliance_percent",
		done ? json_real(100.0 * (double)on_time / (double)done)
		     : json_null());
#undef TARGETS
}

/* [{key, count}] as {key: count}, to compare whatever the order of ties. */
static json_t *as_object(json_t *list)
{
	json_t *o = json_object(), *e;
	size_t i;

	json_array_foreach (list, i, e)
		json_object_set(o, json_string_value(json_object_get(e, "key")),
				json_object_get(e, "count"));
	return o;
}

/* Does the report of [from, to) hold the figures of the slow way? */
static bool report_is_slow_way(struct fx *f, int64_t from, int64_t to)
{
	json_t *r = NULL, *lv, *cat, *want_lv, *want_cat, *sla, *median;
	bool same;

	assert_int_equal(report_summary(f->db, from, to, &r), AY_OK);
	lv = as_object(json_object_get(r, "by_level"));
	cat = as_object(json_object_get(r, "by_category"));
	want_lv = slow_by(f->db, "sla_level", from, to);
	want_cat = slow_by(f->db, "category", from, to);
	sla = slow_sla(f->db, from, to);
	median = slow_median(f->db, from, to);
	same = json_integer_value(json_object_get(r, "tickets_created")) ==
		       slow_scalar(f->db,
				   "SELECT COUNT(*) FROM tickets WHERE"
				   " created_at >= $1 AND created_at < $2",
				   from, to) &&
	       json_equal(lv, want_lv) && json_equal(cat, want_cat) &&
	       json_equal(json_object_get(r, "sla"), sla) &&
	       json_equal(json_object_get(json_object_get(r, "first_response"),
					  "median_business_minutes"),
			  median);
	json_decref(lv);
	json_decref(cat);
	json_decref(want_lv);
	json_decref(want_cat);
	json_decref(sla);
	json_decref(median);
	json_decref(r);
	return same;
}

static void report_matches_slow_way(void **state)
{
	struct fx *f = *state;

	/* The whole span, then random periods (some empty, some outside). */
	assert_true(report_is_slow_way(f, BASE - 86400, BASE + 90 * 86400));
	for (int i = 0; i < 200; i++) {
		int64_t from = BASE - 86400 + rand() % (40 * 86400);
		int64_t to = from + rand() % (30 * 86400);

		if (!report_is_slow_way(f, from, to))
			fail_msg("period %lld..%lld differs", (long long)from,
				 (long long)to);
	}
}

static ay_rc corrupt_run(struct db *db, void *arg)
{
	(void)arg;
	return db_exec(db, "UPDATE tickets SET first_response_minutes ="
			   " 999999 WHERE id % 2 = 0");
}

static ay_rc rebuild_run(struct db *db, void *arg)
{
	return report_rebuild(db, arg);
}

/* What the report keeps beside the tickets, once wrong, is put right by
 * `ayuda reports rebuild`. */
static void rebuild_repairs(void **state)
{
	struct fx *f = *state;
	int64_t changed = 0;

	assert_int_equal(store_write(f->st, rebuild_run, &changed), AY_OK);
	assert_int_equal(changed, 0);
	assert_int_equal(store_write(f->st, corrupt_run, NULL), AY_OK);
	assert_false(report_is_slow_way(f, BASE - 86400, BASE + 90 * 86400));
	assert_int_equal(store_write(f->st, rebuild_run, &changed), AY_OK);
	assert_true(changed > 0);
	assert_true(report_is_slow_way(f, BASE - 86400, BASE + 90 * 86400));
}

/* A second version of the commercial level; the tickets of that level
 * with an even id move to it. */
static ay_rc version_run(struct db *db, void *arg)
{
	json_t *change = json_pack("{s:i}", "response_minutes", 600);
	struct verr err = {0};
	ay_rc rc = change ? sla_level_edit(db, 0, "commercial", change, &err)
			  : AY_ENOMEM;

	(void)arg;
	json_decref(change);
	if (!rc)
		rc = db_run(db, NULL, NULL,
			    "UPDATE tickets SET sla_level_id = (SELECT id FROM"
			    " sla_levels WHERE code = 'commercial' AND"
			    " current = 1) WHERE sla_level = 'commercial' AND"
			    " id % 2 = 0",
			    NULL);
	return rc;
}

/* The queue of one version of a level (the admin console's link) lists
 * exactly its unsolved tickets, from the level's index. */
static void version_filter(void **state)
{
	struct fx *f = *state;
	int64_t got[NT];

	assert_int_equal(store_write(f->st, version_run, NULL), AY_OK);
	for (int64_t v = 1; v <= 3; v++) {
		struct queue_filter qf = {.view = QUEUE_UNSOLVED,
					  .level = "commercial",
					  .version = v,
					  .limit = 1 + rand() % 40};
		size_t n = queue_all_pages(f, &qf, got), m = 0;
		struct tq q;

		for (size_t i = 0; i < NT; i++) {
			const struct tk *t = &f->t[i];

			if (v > 2 || !unsolved(t) ||
			    strcmp(t->level, "commercial") ||
			    (t->id % 2 == 0) != (v == 2))
				continue;
			assert_true(m < n);
			assert_int_equal(got[m], t->id);
			m++;
		}
		assert_int_equal(n, m);
		assert_true(v > 2 || m > 0);
		qf.after = NT / 2;
		tq_init(&q);
		assert_int_equal(queue_sql(f->db, &f->staff, &qf, NOW, &q),
				 AY_OK);
		plan_reads_indexes(f->db, &q, false, false);
		tq_release(&q);
	}
}

/* Statuses, mail states and breaches changed at random, mail deleted;
 * with arg, all of it rolled back. */
static ay_rc churn_run(struct db *db, void *arg)
{
	char sql[200];
	ay_rc rc = AY_OK;

	for (int i = 0; !rc && i < 40; i++) {
		snprintf(sql, sizeof(sql),
			 "UPDATE tickets SET status = '%s' WHERE id = %d",
			 statuses[rand() % 5], 1 + rand() % NT);
		rc = db_exec(db, sql);
	}
	for (int i = 0; !rc && i < 30; i++) {
		snprintf(sql, sizeof(sql),
			 "INSERT INTO outbox (kind, ticket_id, state,"
			 " next_attempt_at, created_at) VALUES ('x', %d, '%s',"
			 " 0, 0)",
			 1 + rand() % NT, i % 3 ? "pending" : "failed");
		rc = db_exec(db, sql);
	}
	if (!rc)
		rc = db_exec(db, "UPDATE outbox SET state = 'sent'"
				 " WHERE id % 4 = 0");
	if (!rc)
		rc = db_exec(db, "DELETE FROM outbox WHERE id % 7 = 0");
	for (int i = 0; !rc && i < 20; i++) {
		snprintf(sql, sizeof(sql),
			 "UPDATE sla_targets SET breached_at = %s, met_at = %s"
			 " WHERE id = %d",
			 rand() % 2 ? "NULL" : "1", rand() % 3 ? "NULL" : "2",
			 1 + rand() % NT);
		rc = db_exec(db, sql);
	}
	return rc ? rc : (arg ? AY_EINVAL : AY_OK);
}

/* The counts of a GROUP BY, as "key=n," in key order. */
static void group_counts(struct db *db, const char *sql, char *out, size_t len)
{
	struct db_stmt *s = NULL;
	bool row = false;
	size_t n = 0;

	out[0] = '\0';
	assert_int_equal(db_run(db, &s, &row, sql, NULL), AY_OK);
	for (; row; assert_int_equal(db_step(s, &row), AY_OK))
		n += (size_t)snprintf(out + n, len - n, "%s=%lld,",
				      db_col_text(s, 0),
				      (long long)db_col_int(s, 1));
	db_reset(s);
}

static void json_counts(json_t *o, char *out, size_t len)
{
	const char *k;
	json_t *v;
	size_t n = 0;

	out[0] = '\0';
	json_object_foreach (o, k, v)
		n += (size_t)snprintf(out + n, len - n, "%s=%lld,", k,
				      (long long)json_integer_value(v));
}

/* /metrics' tickets by status, mail by state and open breaches, from the
 * counters kept by triggers, are the counts of every row. */
static void gauges_match_counts(void **state)
{
	struct fx *f = *state;
	char want[512], got[512];
	json_t *g = NULL;

	assert_int_equal(store_write(f->st, churn_run, NULL), AY_OK);
	assert_int_equal(store_write(f->st, churn_run, f), AY_EINVAL);
	assert_int_equal(store_write(f->st, churn_run, NULL), AY_OK);
	assert_int_equal(report_gauges(f->db, &g), AY_OK);
	group_counts(f->db,
		     "SELECT status, COUNT(*) FROM tickets GROUP BY status",
		     want, sizeof(want));
	json_counts(json_object_get(g, "tickets_by_status"), got, sizeof(got));
	assert_string_equal(got, want);
	group_counts(f->db, "SELECT state, COUNT(*) FROM outbox GROUP BY state",
		     want, sizeof(want));
	json_counts(json_object_get(g, "outbox_by_state"), got, sizeof(got));
	assert_string_equal(got, want);
	assert_non_null(strstr(want, "sent="));
	group_counts(f->db,
		     "SELECT 'breached', COUNT(*) FROM sla_targets WHERE kind ="
		     " 'response' AND met_at IS NULL AND breached_at IS NOT"
		     " NULL",
		     want, sizeof(want));
	snprintf(got, sizeof(got), "breached=%lld,",
		 (long long)json_integer_value(
			 json_object_get(g, "sla_targets_breached_open")));
	assert_string_equal(got, want);
	json_decref(g);
}

/* The plan of the list by activity for actor a and filter tf: fails when
 * it does not read index `index`, or when it sorts the tickets (only the
 * page's rows may be, at the top; with few, the ids of a rare value). */
static void activity_plan(struct fx *f, const struct actor *a,
			  const struct ticket_filter *tf, const char *index,
			  bool few)
{
	struct tq q, e;
	struct db_stmt *s = NULL;
	bool row = false, indexed = false;

	tq_init(&q);
	tq_init(&e);
	assert_int_equal(ticket_list_sql(f->db, a, tf, &q), AY_OK);
	assert_int_equal(tq_add(&e, "EXPLAIN QUERY PLAN "), AY_OK);
	assert_int_equal(tq_add(&e, buf_str(&q.sql)), AY_OK);
	memcpy(e.v, q.v, sizeof(q.v));
	e.n = q.n;
	assert_int_equal(tq_prepare(&e, f->db, &s), AY_OK);
	assert_int_equal(db_step(s, &row), AY_OK);
	for (; row; assert_int_equal(db_step(s, &row), AY_OK)) {
		const char *d = db_col_text(s, 3);

		if (strstr(d, "TEMP B-TREE") && db_col_int(s, 1) != 0 && !few)
			fail_msg("sorts the tickets: %s\nin: %s", d,
				 buf_str(&q.sql));
		indexed |= strstr(d, index) != NULL;
	}
	db_reset(s);
	if (!indexed)
		fail_msg("does not read %s: %s", index, buf_str(&q.sql));
	tq_release(&e);
	tq_release(&q);
}

/* The staff's list by last activity, every ticket newest first, reads
 * the activity index from its end: no sort of every ticket, on the first
 * page or after a cursor. */
static void activity_list_reads_its_index(void **state)
{
	struct fx *f = *state;

	for (int page = 0; page < 2; page++) {
		struct ticket_filter tf = {.by_activity = true, .limit = 50};

		if (page) {
			tf.before_at = BASE + 3600;
			tf.before_id = NT / 2;
		}
		activity_plan(f, &f->staff, &tf, "INDEX tickets_activity",
			      false);
	}
}

/* 6,000 more closed tickets, older than the others, a third of them
 * commercial, the rest support: a status and a category common enough
 * that their tickets come at once from the activity index's end, and a
 * category between a few and many (1,024 - 4,096) tickets. */
static ay_rc add_closed(struct db *db, void *arg)
{
	(void)arg;
	return db_exec(db, "INSERT INTO tickets (id, number, subject, status,"
			   " category, channel, requester_id, sla_level,"
			   " created_at, updated_at) WITH RECURSIVE n(k) AS"
			   " (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE"
			   " k < 6000) SELECT 10000 + k, 10000 + k, 'T',"
			   " 'closed', CASE WHEN k % 3 = 0 THEN 'commercial'"
			   " ELSE 'support' END, 'api', (SELECT requester_id"
			   " FROM tickets WHERE id = 1), 'commercial', k,"
			   " k / 2 FROM n");
}

/* Every page of the staff's list by activity with tf's status (or any)
 * and category is the plain SQL's order of those tickets. */
static void activity_pages_match(struct fx *f, struct ticket_filter tf)
{
	static int64_t got[NT + 6000], want[NT + 6000];
	struct db_stmt *s = NULL;
	size_t n = list_all_pages(f, &f->staff, &tf, got, NT + 6000), m = 0;
	bool row = false;

	assert_int_equal(db_run(f->db, &s, &row,
				"SELECT number FROM tickets WHERE category = $1"
				" AND ($2 = 'any' OR status = $2) ORDER BY"
				" updated_at DESC, id DESC",
				"ss", tf.category,
				tf.status ? tf.status : "any"),
			 AY_OK);
	for (; row; assert_int_equal(db_step(s, &row), AY_OK))
		want[m++] = db_col_int(s, 0);
	db_reset(s);
	assert_int_equal(n, m);
	assert_memory_equal(got, want, n * sizeof(got[0]));
}

/* The list by activity with filters: a common status (or category) is
 * read from the activity index's end, which holds the filtered columns,
 * checked there; a rare one from its own index, its few ids sorted; a
 * support contact's from their own and their company's indexes. Never
 * the tickets' rows sorted (2 s for the closed ones of a million). */
static void activity_list_filtered(void **state)
{
	struct fx *f = *state;
	struct ticket_filter closed = {
		.by_activity = true, .status = "closed", .limit = 50};
	struct ticket_filter support = {.by_activity = true,
					.category = "support",
					.status = "closed",
					.limit = 50};
	struct ticket_filter rare = {
		.by_activity = true, .status = "new", .limit = 50};
	struct ticket_filter all = {.by_activity = true, .limit = 50};

	assert_int_equal(store_write(f->st, add_closed, NULL), AY_OK);
	for (int page = 0; page < 2; page++) {
		if (page) {
			closed.before_at = support.before_at = 4000;
			closed.before_id = support.before_id = 10000 + 4000;
			rare.before_at = all.before_at = BASE + 3600;
			rare.before_id = all.before_id = NT / 2;
		}
		activity_plan(f, &f->staff, &closed,
			      "COVERING INDEX tickets_activity", false);
		activity_plan(f, &f->staff, &support,
			      "COVERING INDEX tickets_activity", false);
		activity_plan(f, &f->staff, &rare, "INDEX tickets_status",
			      true);
		activity_plan(f, &f->contact, &all, "INDEX tickets_company",
			      true);
		activity_plan(f, &f->cust, &all, "INDEX tickets_requester",
			      true);
	}
	/* Pages of 50 from the walk; of 7 from the walk, then (where few
	 * are left after the cursor) the category's index; of 7 from it. */
	activity_pages_match(f, (struct ticket_filter){.by_activity = true,
						       .status = "closed",
						       .category = "support",
						       .limit = 50});
	activity_pages_match(f, (struct ticket_filter){.by_activity = true,
						       .category = "commercial",
						       .limit = 7});
	activity_pages_match(f, (struct ticket_filter){.by_activity = true,
						       .status = "closed",
						       .category = "commercial",
						       .limit = 7});
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(queue_matches_brute_force,
						setup, teardown),
		cmocka_unit_test_setup_teardown(list_matches_brute_force, setup,
						teardown),
		cmocka_unit_test_setup_teardown(report_matches_slow_way, setup,
						teardown),
		cmocka_unit_test_setup_teardown(rebuild_repairs, setup,
						teardown),
		cmocka_unit_test_setup_teardown(gauges_match_counts, setup,
						teardown),
		cmocka_unit_test_setup_teardown(activity_list_reads_its_index,
						setup, teardown),
		cmocka_unit_test_setup_teardown(activity_list_filtered, setup,
						teardown),
		cmocka_unit_test_setup_teardown(version_filter, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
