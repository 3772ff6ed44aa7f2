/* A help desk of several years for `make bench-large`: N tickets (default
 * 1,000,000) with five messages each, written in bulk straight into SQLite
 * (one transaction, no journal) on a data dir made by `ayuda init --demo`.
 *
 * The shape of a desk that has lived three years: tickets arrive evenly,
 * one every ~95 s, so their ids follow their arrival; the old ones are
 * nearly all closed, the last two weeks' are mostly open, new or waiting;
 * 300 companies in every level, 30,000 requesters (a fifth without a
 * company), 40 agents, 2 % development requests with their 60-day
 * reviews, response targets met on time, late or breached, surveys on a
 * third of the closed tickets, a few supervisor reviews. Every ticket's
 * subject and messages are indexed for search by the schema's triggers.
 * Each ticket's history has the status changes that led to its status
 * (new -> open at the first answer, then pending_customer or resolved,
 * then closed), as the server writes them ("ticket.status" events), so
 * the reports' "solved" reads as many changes as a real desk's; the
 * warnings and review notices the server's jobs sent are marked sent.
 *
 * Usage: gen_large DATA_DIR [N]   writes the data and the instant it took as
 *                                  "now" (DATA_DIR/bench-now)
 *        gen_large --key          prints the cache key: this generator's
 *                                  version (not the schema's: a cached data
 *                                  dir is upgraded by the migrations, as a
 *                                  desk of years is) */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Bump when the generated data changes, so cached data dirs are rebuilt. */
#define GEN_VERSION 4

/* The steps, each one statement; @now stands for now, @n for the number
 * of tickets, @span for the span of arrivals in seconds. */
static const char *const steps[] = {
	/* companies 1000..1299: levels by id % 10 */
	"INSERT INTO companies (id, name, domains, license_product,"
	" license_plan, license_status, partner_tier, partner_active,"
	" created_at)"
	" WITH RECURSIVE n(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM n"
	"  WHERE k < 299)"
	" SELECT 1000 + k, 'Empresa ' || k || ' SAC', 'empresa' || k || '.pe',"
	" 'cloud', CASE WHEN k % 10 >= 7 THEN 'free' ELSE 'professional'"
	" END, 'active', CASE k % 10 WHEN 0 THEN 'gold' WHEN 1 THEN 'silver'"
	" WHEN 2 THEN 'bronze' WHEN 3 THEN 'bronze' END, k % 10 < 4,"
	" @now - @span FROM n",
	/* requesters 1000..30999; staff 100000..100039 (agents), 100040..
	 * 100042 (supervisors) */
	"INSERT INTO users (id, email, name, role, company_id, is_contact,"
	" verified_at, created_at)"
	" WITH RECURSIVE n(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM n"
	"  WHERE j < 29999)"
	" SELECT 1000 + j, 'c' || j || '@cliente' || (j % 375) || '.pe',"
	" 'Cliente ' || j, 'customer', CASE WHEN j % 375 < 300 THEN"
	" 1000 + j % 375 END, j % 375 < 300 AND j % 7 = 0,"
	" @now - @span, @now - @span FROM n",
	"INSERT INTO users (id, email, name, role, verified_at, created_at)"
	" WITH RECURSIVE n(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM n"
	"  WHERE k < 42)"
	" SELECT 100000 + k, 'agente' || k || '@ayuda.localhost',"
	" 'Agente ' || k, CASE WHEN k < 40 THEN 'agent' ELSE 'supervisor'"
	" END, @now - @span, @now - @span FROM n",
	/* the dice of each ticket, thrown once */
	"CREATE TEMP TABLE dice (i INTEGER PRIMARY KEY, a, b, c, d)",
	"INSERT INTO dice"
	" WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
	"  WHERE i < @n)"
	" SELECT i, abs(random()), abs(random()), abs(random()),"
	" abs(random()) FROM n",
	"CREATE TEMP TABLE lv AS SELECT code, id, response_minutes,"
	" review_days FROM sla_levels WHERE current = 1",
	/* the tickets, ids 100..N+99 in order of arrival */
	"CREATE TEMP TABLE gt (i INTEGER PRIMARY KEY, a, b, c, d, created,"
	" requester, company, category, status)",
	"INSERT INTO gt (i, a, b, c, d, created, requester, company,"
	" category) SELECT i, a, b, c, d,"
	" @now - @span + i * @span / @n,"
	" 1000 + a % 30000,"
	" CASE WHEN (a % 30000) % 375 < 300 THEN 1000 + (a % 30000) % 375"
	" END,"
	" CASE WHEN b % 1000 < 20 THEN 'development' WHEN b % 1000 < 60"
	" THEN 'out_of_scope' WHEN b % 1000 < 70 THEN 'sla_inclusion' WHEN"
	" b % 1000 < 150 THEN 'commercial' ELSE 'support' END"
	" FROM dice",
	"UPDATE gt SET status = CASE"
	" WHEN @now - created < 3 * 86400 THEN CASE WHEN c % 100 < 35"
	"  THEN 'new' WHEN c % 100 < 65 THEN 'open' WHEN c % 100 < 80 THEN"
	"  'pending_customer' WHEN c % 100 < 92 THEN 'resolved' ELSE"
	"  'closed' END"
	" WHEN @now - created < 30 * 86400 THEN CASE WHEN c % 100 < 30"
	"  THEN 'open' WHEN c % 100 < 45 THEN 'pending_customer' WHEN"
	"  c % 100 < 70 THEN 'resolved' ELSE 'closed' END"
	" WHEN category = 'development' AND c % 100 < 25 THEN 'open'"
	" WHEN c % 1000 < 2 THEN 'open' WHEN c % 1000 < 4 THEN"
	"  'pending_customer' WHEN c % 1000 < 15 THEN 'resolved'"
	" ELSE 'closed' END",
	"INSERT INTO tickets (id, number, subject, status, category, channel,"
	" requester_id, company_id, assignee_id, sla_level, sla_reason,"
	" sla_level_id, created_at, updated_at, closed_at)"
	" SELECT 99 + i, 99 + i,"
	" CASE d % 6 WHEN 0 THEN 'No puedo exportar contactos del módulo '"
	"  WHEN 1 THEN 'Error al sincronizar el inventario de '"
	"  WHEN 2 THEN 'Consulta sobre la facturación de '"
	"  WHEN 3 THEN 'La nómina no calcula bien en ' WHEN 4 THEN"
	"  'Cómo configurar el almacén de ' ELSE 'Las ventas no cuadran en '"
	" END || CASE (d / 6) % 4 WHEN 0 THEN 'Bitrix24 Cloud' WHEN 1 THEN"
	"  'Bitrix24 Self-Hosted' WHEN 2 THEN 'Site Manager' ELSE 'el CRM'"
	" END || ' (' || i || ')',"
	" status, category, CASE d % 3 WHEN 0 THEN 'web' WHEN 1 THEN 'mail'"
	" ELSE 'api' END, requester, company,"
	" CASE WHEN status IN ('new', 'open', 'pending_customer') AND"
	"  (a / 30000) % 10 >= 6 THEN NULL WHEN status = 'new' AND"
	"  (a / 30000) % 10 >= 2 THEN NULL ELSE 100000 + (a / 300000) % 40"
	" END, l.code, '', l.id, created,"
	" MIN(@now, created + (b / 1000) % (20 * 86400)),"
	" CASE WHEN status = 'closed' THEN"
	"  MIN(@now, created + (b / 1000) % (20 * 86400)) END"
	" FROM gt JOIN lv l ON l.code = CASE"
	" WHEN category IN ('development', 'out_of_scope') THEN category"
	" WHEN company IS NULL THEN 'non_commercial'"
	" ELSE CASE company % 10 WHEN 0 THEN 'partner_gold' WHEN 1 THEN"
	"  'partner_silver' WHEN 2 THEN 'partner_bronze' WHEN 3 THEN"
	"  'partner_bronze' WHEN 4 THEN 'commercial' WHEN 5 THEN 'commercial'"
	"  WHEN 6 THEN 'commercial' ELSE 'non_commercial' END END"
	" ORDER BY i",
	/* response targets: due after about three times the business
	 * minutes (nights and weekends), warned at 80 %; met when answered */
	"INSERT INTO sla_targets (ticket_id, level_id, kind, started_at,"
	" minutes, due_at, warn_at, met_at)"
	" SELECT t.id, l.id, 'response', t.created_at, l.response_minutes,"
	" t.created_at + l.response_minutes * 180,"
	" t.created_at + l.response_minutes * 144,"
	" CASE WHEN t.status IN ('resolved', 'closed') OR"
	"  (t.status <> 'new' AND g.d % 10 < 6) THEN"
	"  MIN(@now, t.created_at + l.response_minutes * 180 *"
	"  ((g.d / 10) % 125) / 100) END"
	" FROM tickets t JOIN gt g ON g.i = t.id - 99 JOIN lv l ON"
	" l.id = t.sla_level_id WHERE l.response_minutes IS NOT NULL"
	" ORDER BY t.id",
	/* the 60-day reviews of development requests */
	"INSERT INTO sla_targets (ticket_id, level_id, kind, started_at,"
	" minutes, due_at, warn_at, met_at)"
	" SELECT t.id, l.id, 'review', t.created_at, l.review_days * 1440,"
	" t.created_at + l.review_days * 86400,"
	" t.created_at + l.review_days * 86400,"
	" CASE WHEN t.status IN ('resolved', 'closed') THEN t.updated_at END"
	" FROM tickets t JOIN lv l ON l.id = t.sla_level_id"
	" WHERE l.review_days IS NOT NULL ORDER BY t.id",
	"UPDATE sla_targets SET used_minutes = (met_at - started_at) / 180,"
	" breached_at = CASE WHEN met_at > due_at THEN due_at END"
	" WHERE met_at IS NOT NULL",
	"UPDATE sla_targets SET breached_at = due_at"
	" WHERE met_at IS NULL AND due_at <= @now",
	/* what the server's jobs did as the desk lived: a warning when a
	 * target's 80 % went by unmet, a notice when a review fell due (so
	 * that a server started on this data has no years to catch up) */
	"UPDATE sla_targets SET warned_at = warn_at WHERE kind = 'response'"
	" AND warn_at <= @now AND (met_at IS NULL OR met_at > warn_at)",
	"UPDATE sla_targets SET warned_at = due_at WHERE kind = 'review'"
	" AND due_at <= @now AND met_at IS NULL",
	"UPDATE sla_targets SET paused_at = (SELECT updated_at FROM tickets"
	" WHERE id = ticket_id) WHERE met_at IS NULL AND ticket_id IN"
	" (SELECT id FROM tickets WHERE status = 'pending_customer')",
	"UPDATE tickets SET sla_due_at = (SELECT due_at FROM sla_targets"
	" WHERE ticket_id = tickets.id AND met_at IS NULL ORDER BY id DESC"
	" LIMIT 1) WHERE id >= 100",
	/* five messages a ticket: the description, answers, a note */
	"INSERT INTO messages (ticket_id, author_id, kind, body, channel,"
	" created_at)"
	" SELECT t.id, CASE WHEN k.k % 2 = 0 THEN t.requester_id ELSE"
	" COALESCE(t.assignee_id, 100000) END,"
	" CASE k.k WHEN 0 THEN 'customer' WHEN 1 THEN 'reply' WHEN 2 THEN"
	" 'customer' WHEN 3 THEN 'note' ELSE 'customer' END,"
	" CASE k.k WHEN 0 THEN 'Al abrir el módulo de ' WHEN 1 THEN"
	" 'Gracias por escribir. Revisamos el módulo de ' WHEN 2 THEN"
	" 'Adjunto la captura del error en ' WHEN 3 THEN"
	" 'Nota: reproducido en la instancia de prueba, ' ELSE"
	" 'Ya funciona, gracias. Cerramos lo de ' END ||"
	" CASE (abs(random()) % 7) WHEN 0 THEN 'facturación' WHEN 1 THEN"
	" 'inventario' WHEN 2 THEN 'contabilidad' WHEN 3 THEN 'nómina' WHEN 4"
	" THEN 'almacén' WHEN 5 THEN 'ventas' ELSE 'compras' END ||"
	" ': código ' || (abs(random()) % 9973) || ', pedido ' ||"
	" (abs(random()) % 100000) || '.', t.channel,"
	" t.created_at + k.k * (t.updated_at - t.created_at) / 5"
	" FROM tickets t, (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL"
	" SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4) k"
	" WHERE t.id >= 100 ORDER BY t.id, k.k",
	"INSERT INTO events (ticket_id, actor_id, kind, data, created_at)"
	" SELECT id, requester_id, 'ticket.created', '{}', created_at"
	" FROM tickets WHERE id >= 100 ORDER BY id",
	/* the status changes that led to each status, as change_status()
	 * writes them: opened at the first answer (the second message),
	 * waiting or resolved later, closed (by the system) when it closed */
	"INSERT INTO events (ticket_id, actor_id, kind, data, created_at)"
	" SELECT id, actor, 'ticket.status', data, at FROM ("
	" SELECT id, COALESCE(assignee_id, 100000) AS actor,"
	"  '{\"from\":\"new\",\"to\":\"open\"}' AS data,"
	"  created_at + (updated_at - created_at) / 5 AS at, 1 AS k"
	"  FROM tickets WHERE id >= 100 AND status <> 'new'"
	" UNION ALL SELECT id, COALESCE(assignee_id, 100000),"
	"  '{\"from\":\"open\",\"to\":\"pending_customer\"}',"
	"  created_at + 2 * (updated_at - created_at) / 5, 2"
	"  FROM tickets WHERE id >= 100 AND status = 'pending_customer'"
	" UNION ALL SELECT id, COALESCE(assignee_id, 100000),"
	"  '{\"from\":\"open\",\"to\":\"resolved\"}',"
	"  created_at + 4 * (updated_at - created_at) / 5, 2"
	"  FROM tickets WHERE id >= 100 AND status IN ('resolved', 'closed')"
	" UNION ALL SELECT id, NULL, "
	"'{\"from\":\"resolved\",\"to\":\"closed\"}',"
	"  COALESCE(closed_at, updated_at), 3"
	"  FROM tickets WHERE id >= 100 AND status = 'closed')"
	" ORDER BY id, k",
	/* surveys on a third of the closed tickets, 60 % of them answered */
	"INSERT INTO surveys (ticket_id, token_hash, created_at, answered_at,"
	" rating)"
	" SELECT t.id, 'gen' || t.id, t.closed_at, CASE WHEN g.d % 10 < 6"
	" THEN t.closed_at + (g.d / 10) % 86400 END, CASE WHEN g.d % 10 < 6"
	" THEN CASE (g.d / 1000) % 10 WHEN 0 THEN 1 WHEN 1 THEN 2 WHEN 2"
	" THEN 3 WHEN 3 THEN 3 WHEN 4 THEN 4 WHEN 5 THEN 4 ELSE 5 END END"
	" FROM tickets t JOIN gt g ON g.i = t.id - 99"
	" WHERE t.status = 'closed' AND g.a % 3 = 0 ORDER BY t.id",
	"INSERT INTO supervisor_reviews (ticket_id, requested_by, reason,"
	" requested_at, answered_by, answered_at)"
	" SELECT t.id, t.requester_id, 'No estoy conforme con la respuesta',"
	" t.created_at + 86400, CASE WHEN t.created_at < @now - 7 * 86400"
	" THEN 100040 END, CASE WHEN t.created_at < @now - 7 * 86400 THEN"
	" t.created_at + 3 * 86400 END"
	" FROM tickets t JOIN gt g ON g.i = t.id - 99 WHERE g.b % 1000 = 7",
	"UPDATE counters SET value = (SELECT MAX(number) FROM tickets)"
	" WHERE name = 'ticket'",
	"DROP TABLE gt",
	"DROP TABLE dice",
	"DROP TABLE lv",
};

static int exec(sqlite3 *h, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(h, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "gen_large: %s\n  in: %.200s\n", err, sql);
		sqlite3_free(err);
		return 1;
	}
	return 0;
}

/* sql with @now, @n and @span replaced by their values: owned by the
 * caller (free()), NULL when out of memory. */
static char *expand(const char *sql, long long now, long long n, long long span)
{
	static const char *const names[] = {"@now", "@n", "@span"};
	long long vals[] = {now, n, span};
	size_t cap = strlen(sql) * 4 + 64, len = 0;
	char *out = malloc(cap);

	while (out && *sql) {
		size_t i, k = 0;

		for (i = 0; i < 3; i++) {
			k = strlen(names[i]);
			/* "@n" must not take the start of a longer name */
			if (!strncmp(sql, names[i], k) &&
			    !(sql[k] >= 'a' && sql[k] <= 'z'))
				break;
		}
		if (i < 3) {
			len += (size_t)snprintf(out + len, cap - len, "%lld",
						vals[i]);
			sql += k;
		} else
			out[len++] = *sql++;
	}
	if (out)
		out[len] = '\0';
	return out;
}

static double secs_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Run every step in one transaction with no journal: a crash leaves a
 * data dir to throw away (bench/large.sh only keeps it once finished). No
 * ANALYZE: the planner works as on a desk that never ran one. */
static int generate(sqlite3 *h, long long now, long long n)
{
	long long span = 3LL * 365 * 86400;
	struct timespec t0;
	char *sql;
	int bad = 0;

	bad |= exec(h, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
		       "PRAGMA cache_size=-1000000; PRAGMA temp_store=MEMORY;"
		       "PRAGMA foreign_keys=OFF; BEGIN");
	for (size_t i = 0; !bad && i < sizeof(steps) / sizeof(steps[0]); i++) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		sql = expand(steps[i], now, n, span);
		bad |= !sql || exec(h, sql);
		free(sql);
		fprintf(stderr, "gen_large: step %zu: %.1f s\n", i + 1,
			secs_since(&t0));
	}
	if (!bad)
		bad |= exec(h, "COMMIT; PRAGMA journal_mode=WAL");
	return bad;
}

int main(int argc, char **argv)
{
	long long n = argc > 2 ? atoll(argv[2]) : 1000000;
	long long now = (long long)time(NULL);
	char path[4096];
	sqlite3 *h = NULL;
	FILE *f;
	int bad;

	if (argc == 2 && !strcmp(argv[1], "--key")) {
		printf("g%d\n", GEN_VERSION);
		return 0;
	}
	if (argc < 2 || n < 1) {
		fprintf(stderr, "usage: gen_large DATA_DIR [N] | --key\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/ayuda.db", argv[1]);
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		fprintf(stderr,
			"gen_large: cannot open '%s' (run 'ayuda init "
			"--demo' first)\n",
			path);
		sqlite3_close(h);
		return 1;
	}
	bad = generate(h, now, n);
	sqlite3_close(h);
	snprintf(path, sizeof(path), "%s/bench-now", argv[1]);
	f = bad ? NULL : fopen(path, "w");
	if (f) {
		fprintf(f, "%lld\n", now);
		bad |= fclose(f) != 0;
	}
	if (!bad)
		printf("generated %lld tickets, %lld messages\n", n, 5 * n);
	return bad || !f;
}
