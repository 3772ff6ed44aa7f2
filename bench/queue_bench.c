/* The agent console's queue on a generated data dir (bench/run.sh): spread
 * the generated tickets over statuses, assignees, levels, companies and SLA
 * states, then time a page of 50 rows of every view, first page and a page
 * deep in the queue, as the server computes it (domain/queue.c on a
 * reader connection, JSON included). Usage: queue_bench DATA_DIR */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/queue.h"
#include "domain/user.h"
#include "store/db.h"

#define RUNS 21

/* Spread the tickets as a working help desk has them: 60 % unsolved, a
 * third assigned, every level, three companies, one ticket in fifty a
 * development request; response targets from breached to far away, 80 %
 * warnings two open hours before the due time. */
static ay_rc shape(struct db *db, void *arg)
{
	const int64_t *now = arg;
	char sql[2048];

	snprintf(sql, sizeof(sql),
		 "UPDATE tickets SET"
		 " status = CASE id %% 10 WHEN 6 THEN 'pending_customer'"
		 "  WHEN 7 THEN 'resolved' WHEN 8 THEN 'closed' WHEN 9 THEN"
		 "  'closed' WHEN 0 THEN 'new' ELSE 'open' END,"
		 " assignee_id = CASE WHEN id %% 3 = 0 THEN (SELECT id FROM"
		 "  users WHERE email = 'agente@ayuda.localhost') END,"
		 " sla_level = CASE id %% 5 WHEN 0 THEN 'partner_gold' WHEN 1"
		 "  THEN 'partner_silver' WHEN 2 THEN 'commercial' WHEN 3 THEN"
		 "  'non_commercial' ELSE 'partner_bronze' END,"
		 " category = CASE WHEN id %% 50 = 0 THEN 'development' ELSE"
		 "  category END,"
		 " company_id = CASE id %% 3 WHEN 0 THEN (SELECT MIN(id) FROM"
		 "  companies) WHEN 1 THEN (SELECT MAX(id) FROM companies)"
		 "  ELSE (SELECT id FROM companies ORDER BY id LIMIT 1"
		 "  OFFSET 1) END;"
		 "UPDATE sla_targets SET"
		 " due_at = %lld + ((ticket_id %% 400) - 40) * 3600,"
		 " warn_at = %lld + ((ticket_id %% 400) - 42) * 3600,"
		 " kind = CASE WHEN ticket_id %% 50 = 0 THEN 'review' ELSE"
		 "  kind END,"
		 " paused_at = CASE WHEN ticket_id %% 10 = 6 THEN %lld END,"
		 " met_at = CASE WHEN ticket_id %% 10 IN (7, 8, 9) THEN %lld"
		 "  END;"
		 "ANALYZE;",
		 (long long)*now, (long long)*now, (long long)*now,
		 (long long)*now);
	return db_exec(db, sql);
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Time RUNS pages; print the median and the worst. */
static int time_view(struct db *db, const struct actor *a,
		     struct queue_filter *f, int64_t now, const char *label)
{
	double ms[RUNS];
	size_t rows = 0;

	for (int i = 0; i < RUNS; i++) {
		struct timespec t0;
		json_t *out = NULL;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (queue_list(db, a, f, now, &out)) {
			fprintf(stderr, "queue_bench: %s failed\n", label);
			return 1;
		}
		ms[i] = ms_since(&t0);
		rows = json_array_size(json_object_get(out, "tickets"));
		json_decref(out);
	}
	qsort(ms, RUNS, sizeof(ms[0]), cmp_double);
	printf("  %-28s %3zu rows  median %7.2f ms  max %7.2f ms%s\n", label,
	       rows, ms[RUNS / 2], ms[RUNS - 1],
	       ms[RUNS / 2] < 100 ? "" : "  (over the 100 ms target)");
	return 0;
}

int main(int argc, char **argv)
{
	static const char *const views[] = {"unsolved", "mine",	   "unassigned",
					    "pending",	"dev_due", "at_risk",
					    "breached", "all"};
	int64_t now = (int64_t)time(NULL), uid, total = 0;
	struct db_stmt *s = NULL;
	struct store *st;
	struct actor a;
	struct db *db;
	bool row = false;
	int bad = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: queue_bench DATA_DIR\n");
		return 2;
	}
	if (store_open(argv[1], true, &st) || store_write(st, shape, &now) ||
	    store_reader(st, &db) ||
	    user_find_email(db, "agente@ayuda.localhost", &uid) ||
	    actor_load(db, uid, &a) ||
	    db_run(db, &s, &row, "SELECT MAX(id) FROM tickets", NULL)) {
		fprintf(stderr, "queue_bench: needs a data dir made by "
				"'ayuda init --demo' and gen_tickets\n");
		return 1;
	}
	if (row)
		total = db_col_int(s, 0);
	db_reset(s);
	printf("queue: a page of 50 rows per view, %lld tickets (target "
	       "< 100 ms on the server)\n",
	       (long long)total);
	for (size_t i = 0; !bad && i < sizeof(views) / sizeof(views[0]); i++) {
		struct queue_filter f = {.limit = 50};
		char label[64];

		if (queue_view_parse(views[i], &f.view))
			return 1;
		snprintf(label, sizeof(label), "%s", views[i]);
		bad |= time_view(db, &a, &f, now, label);
		f.after = total / 2;
		snprintf(label, sizeof(label), "%s, page at the middle",
			 views[i]);
		bad |= time_view(db, &a, &f, now, label);
	}
	/* Filters combined with a view. */
	if (!bad) {
		struct queue_filter f = {.view = QUEUE_UNSOLVED,
					 .limit = 50,
					 .level = "partner_gold",
					 .status = "open"};

		bad |= time_view(db, &a, &f, now, "unsolved+gold+open");
		f.level = NULL;
		f.status = NULL;
		f.category = "development";
		f.assignee_id = -1;
		bad |= time_view(db, &a, &f, now, "unsolved+dev+unassigned");
	}
	store_close(st);
	return bad;
}
