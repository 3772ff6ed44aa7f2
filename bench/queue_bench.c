/* The agent console's queue on a generated data dir (bench/run.sh): spread
 * the generated tickets over statuses, assignees, levels, companies and SLA
 * states, then time a page of 50 rows of every view, first page and a page
 * deep in the queue, as the server computes it (domain/queue.c on a
 * reader connection, JSON included), then the search. Usage: queue_bench
 * DATA_DIR [search] (search: the search alone). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "domain/queue.h"
#include "domain/search.h"
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
		 "UPDATE users SET is_contact = 0"
		 " WHERE email = 'lucia@socioandino.com';"
		 "ANALYZE;",
		 (long long)*now, (long long)*now, (long long)*now,
		 (long long)*now);
	return db_exec(db, sql);
}

/* Four more messages a ticket (500,000 in all for 100,000 tickets), their
 * words drawn from a small vocabulary, indexed by the triggers. */
static ay_rc more_messages(struct db *db, void *arg)
{
	(void)arg;
	return db_exec(
		db,
		"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
		" WHERE i < (SELECT 4 * COUNT(*) FROM tickets))"
		" INSERT INTO messages (ticket_id, author_id, kind, body,"
		" created_at) SELECT (SELECT MIN(id) FROM tickets) + i % "
		"(SELECT"
		" COUNT(*) FROM tickets), (SELECT MIN(id) FROM users),"
		" CASE i % 3 WHEN 0 THEN 'note' WHEN 1 THEN 'reply' ELSE"
		" 'customer' END, 'Seguimiento ' || i || ' del módulo ' ||"
		" CASE i % 7 WHEN 0 THEN 'facturación' WHEN 1 THEN 'inventario'"
		" WHEN 2 THEN 'contabilidad' WHEN 3 THEN 'nómina' WHEN 4 THEN"
		" 'almacén' WHEN 5 THEN 'ventas' ELSE 'compras' END ||"
		" ': código ' || (i % 9973) || ' revisado', 0 FROM n;");
}

/* One timed call: fills *out (the caller frees it). */
struct call {
	ay_rc (*fn)(struct call *c, json_t **out);
	struct db *db;
	const struct actor *a;
	struct queue_filter *f;
	const char *q;
	int64_t now;
};

/* Time RUNS calls; print the median and the worst against target_ms, with
 * how many items of `key` the answer had. */
static int time_runs(struct call *c, const char *key, double target_ms,
		     const char *label)
{
	double ms[RUNS], cpu[RUNS];
	size_t items = 0;

	for (int i = 0; i < RUNS; i++) {
		struct timespec t0, c0, c1;
		json_t *out = NULL;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
		if (c->fn(c, &out)) {
			fprintf(stderr, "queue_bench: %s failed\n", label);
			return 1;
		}
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
		ms[i] = bench_ms_since(&t0);
		cpu[i] = (double)(c1.tv_sec - c0.tv_sec) * 1e3 +
			 (double)(c1.tv_nsec - c0.tv_nsec) / 1e6;
		items = json_array_size(json_object_get(out, key));
		json_decref(out);
	}
	qsort(ms, RUNS, sizeof(ms[0]), bench_cmp_double);
	qsort(cpu, RUNS, sizeof(cpu[0]), bench_cmp_double);
	/* The ratio is to the CPU time's median: the wall clock of this
	 * shared machine also counts other people's work. */
	printf("  %-36s %3zu %-7s median %7.2f ms (cpu %6.2f)  max %7.2f ms"
	       "  ratio %6.2f%s\n",
	       label, items, key, ms[RUNS / 2], cpu[RUNS / 2], ms[RUNS - 1],
	       target_ms / cpu[RUNS / 2],
	       cpu[RUNS / 2] < target_ms ? "" : "  (over the target)");
	return 0;
}

static ay_rc call_queue(struct call *c, json_t **out)
{
	return queue_list(c->db, c->a, c->f, c->now, out);
}

static ay_rc call_search(struct call *c, json_t **out)
{
	struct verr err;

	return search_tickets(c->db, c->a, c->q, 20, &err, out);
}

/* A page of a view. */
static int time_view(struct db *db, const struct actor *a,
		     struct queue_filter *f, int64_t now, const char *label)
{
	struct call c = {call_queue, db, a, f, NULL, now};

	return time_runs(&c, "tickets", 100, label);
}

/* A search of q by a. */
static int time_search(struct db *db, const struct actor *a, const char *q,
		       const char *who)
{
	struct call c = {call_search, db, a, NULL, q, 0};
	char label[80];

	snprintf(label, sizeof(label), "%s: %s", who, q);
	return time_runs(&c, "results", 50, label);
}

static int bench_search(struct store *st, const struct actor *agent)
{
	/* Rare words, a full subject, a ticket number; common words (in a
	 * seventh of the messages, in all of them), prefixes down to one
	 * letter as typed, accents and case; a requester and a company of
	 * tens of thousands of tickets. The customers (a contact who sees
	 * a company's 33,000 tickets, one who sees their one old ticket):
	 * rare words first, then common ones. */
	static const char *const qs[] = {"9941",
					 "codigo 9941",
					 "nomina 1234",
					 "Ticket de prueba 99999",
					 "#99999",
					 "facturacion",
					 "FACTURACIÓN",
					 "factu",
					 "f",
					 "seguimiento",
					 "seguimiento del",
					 "contactos excel",
					 "maria",
					 "acme"};
	static const char *const cqs[] = {
		"9941",	       "codigo 9941",	  "bodega",
		"facturacion", "seguimiento del", "f"};
	struct timespec t0;
	struct actor cust, lone;
	struct db *db;
	int64_t uid, msgs = 0;
	int bad = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (store_reader(st, &db))
		return 1;
	/* Once per data dir: a second run times the same messages. */
	if (bench_scalar(db, "SELECT COUNT(*) FROM messages") <
		    4 * bench_scalar(db, "SELECT COUNT(*) FROM tickets") &&
	    store_write(st, more_messages, NULL))
		return 1;
	if (user_find_email(db, "pedro@bodegalibre.pe", &uid) ||
	    actor_load(db, uid, &cust) ||
	    user_find_email(db, "lucia@socioandino.com", &uid) ||
	    actor_load(db, uid, &lone))
		return 1;
	msgs = bench_scalar(db, "SELECT COUNT(*) FROM messages");
	printf("search: %lld messages (added and indexed in %.1f s), 20 "
	       "results (target < 50 ms)\n",
	       (long long)msgs, bench_ms_since(&t0) / 1000);
	for (size_t i = 0; !bad && i < sizeof(qs) / sizeof(qs[0]); i++)
		bad |= time_search(db, agent, qs[i], "agent");
	for (size_t i = 0; !bad && i < sizeof(cqs) / sizeof(cqs[0]); i++)
		bad |= time_search(db, &cust, cqs[i], "customer");
	for (size_t i = 0; !bad && i < sizeof(cqs) / sizeof(cqs[0]); i++)
		bad |= time_search(db, &lone, cqs[i], "own ticket");
	return bad;
}

int main(int argc, char **argv)
{
	static const char *const views[] = {"unsolved", "mine",	   "unassigned",
					    "pending",	"dev_due", "at_risk",
					    "breached", "all"};
	int64_t now = (int64_t)time(NULL), uid, total = 0;
	struct store *st;
	struct actor a;
	struct db *db;
	int bad = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: queue_bench DATA_DIR\n");
		return 2;
	}
	if (store_open(argv[1], true, &st) || store_write(st, shape, &now) ||
	    store_reader(st, &db) ||
	    user_find_email(db, "agente@ayuda.localhost", &uid) ||
	    actor_load(db, uid, &a) ||
	    (total = bench_scalar(db, "SELECT MAX(id) FROM tickets")) <= 0) {
		fprintf(stderr, "queue_bench: needs a data dir made by "
				"'ayuda init --demo' and gen_tickets\n");
		return 1;
	}
	printf("queue: a page of 50 rows per view, %lld tickets (target "
	       "< 100 ms on the server)\n",
	       (long long)total);
	/* "queue_bench DIR search" times the search alone. */
	for (size_t i = 0;
	     !bad && argc < 3 && i < sizeof(views) / sizeof(views[0]); i++) {
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
	if (!bad && argc < 3) {
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
	if (!bad)
		bad |= bench_search(st, &a);
	store_close(st);
	return bad;
}
