/* Prometheus metrics: requests by route and status, latency histogram. */
#include <stdatomic.h>

#include "http/http.h"
#include "util/jobstat.h"

#define MAX_ROUTES 128
static const int status_codes[] = {200, 201, 204, 400, 401, 403, 404, 405,
				   409, 413, 415, 422, 429, 500, 503, 0};
#define NSTATUS AY_ARRAY_LEN(status_codes)
static const double bucket_s[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
				  0.05,	  0.1,	 0.25,	 0.5,	1,    2.5};
#define NBUCKETS AY_ARRAY_LEN(bucket_s)

/* Index MAX_ROUTES collects requests that matched no route. */
static _Atomic uint64_t counts[MAX_ROUTES + 1][NSTATUS];
static _Atomic uint64_t buckets[MAX_ROUTES + 1][NBUCKETS + 1];
static _Atomic uint64_t sum_us[MAX_ROUTES + 1];

/* Authentications answered from memory and from the database. */
static _Atomic uint64_t auth_lookups[2];

static _Atomic uint64_t ticket_answers[2];

void metrics_ticket_answer(bool from_cache)
{
	atomic_fetch_add_explicit(&ticket_answers[from_cache ? 1 : 0], 1,
				  memory_order_relaxed);
}

void metrics_auth_lookup(bool from_cache)
{
	atomic_fetch_add_explicit(&auth_lookups[from_cache ? 1 : 0], 1,
				  memory_order_relaxed);
}

static int status_slot(int status)
{
	for (size_t i = 0; i < NSTATUS - 1; i++)
		if (status_codes[i] == status)
			return (int)i;
	return (int)NSTATUS - 1;
}

void metrics_observe(int route, int status, int64_t ns)
{
	size_t r =
		route >= 0 && route < MAX_ROUTES ? (size_t)route : MAX_ROUTES;
	double s = (double)ns / 1e9;
	size_t b = 0;

	atomic_fetch_add_explicit(&counts[r][status_slot(status)], 1,
				  memory_order_relaxed);
	while (b < NBUCKETS && s > bucket_s[b])
		b++;
	atomic_fetch_add_explicit(&buckets[r][b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&sum_us[r], (uint64_t)(ns / 1000),
				  memory_order_relaxed);
}

/* This server's share of the background work: with several servers on
 * one database each prints its own (docs/scaling.md). */
static ay_rc jobs_render(struct buf *out)
{
	return buf_addf(
		out,
		"# HELP ayuda_outbox_sending Notifications this server is"
		" handing to the SMTP server now.\n"
		"# TYPE ayuda_outbox_sending gauge\n"
		"ayuda_outbox_sending %lld\n"
		"# HELP ayuda_outbox_sent_total Notifications this server"
		" sent.\n"
		"# TYPE ayuda_outbox_sent_total counter\n"
		"ayuda_outbox_sent_total %lld\n"
		"# HELP ayuda_outbox_claims_lost_total Outbox rows another"
		" server claimed first.\n"
		"# TYPE ayuda_outbox_claims_lost_total counter\n"
		"ayuda_outbox_claims_lost_total %lld\n"
		"# HELP ayuda_job_runs_total Runs of the jobs one server at a"
		" time does: ran (this server held the lease) or skipped"
		" (another did).\n"
		"# TYPE ayuda_job_runs_total counter\n"
		"ayuda_job_runs_total{job=\"sla\",result=\"ran\"} %lld\n"
		"ayuda_job_runs_total{job=\"sla\",result=\"skipped\"} %lld\n"
		"ayuda_job_runs_total{job=\"imap\",result=\"ran\"} %lld\n"
		"ayuda_job_runs_total{job=\"imap\",result=\"skipped\"}"
		" %lld\n",
		(long long)jobstat_get(JOBSTAT_OUTBOX_SENDING),
		(long long)jobstat_get(JOBSTAT_OUTBOX_SENT),
		(long long)jobstat_get(JOBSTAT_OUTBOX_LOST),
		(long long)jobstat_get(JOBSTAT_SLA_RAN),
		(long long)jobstat_get(JOBSTAT_SLA_SKIPPED),
		(long long)jobstat_get(JOBSTAT_IMAP_RAN),
		(long long)jobstat_get(JOBSTAT_IMAP_SKIPPED));
}

/* What this server's talk with PostgreSQL cost: the waits for an answer
 * and the statements they carried (0 on SQLite, which has no round
 * trips). */
static ay_rc db_render(struct buf *out)
{
	return buf_addf(
		out,
		"# HELP ayuda_db_round_trips_total Waits for PostgreSQL's"
		" answer (statements sent together wait once).\n"
		"# TYPE ayuda_db_round_trips_total counter\n"
		"ayuda_db_round_trips_total %lld\n"
		"# HELP ayuda_db_statements_total Statements sent to"
		" PostgreSQL.\n"
		"# TYPE ayuda_db_statements_total counter\n"
		"ayuda_db_statements_total %lld\n",
		(long long)jobstat_get(JOBSTAT_DB_ROUND_TRIPS),
		(long long)jobstat_get(JOBSTAT_DB_STATEMENTS));
}

/* A counter by source: n[1] from the cache, n[0] from the database. */
static ay_rc by_source(struct buf *out, const char *name, const char *help,
		       _Atomic uint64_t n[2])
{
	return buf_addf(out,
			"# HELP %s %s\n# TYPE %s counter\n"
			"%s{source=\"cache\"} %llu\n"
			"%s{source=\"database\"} %llu\n",
			name, help, name, name,
			(unsigned long long)atomic_load(&n[1]), name,
			(unsigned long long)atomic_load(&n[0]));
}

static const char *route_label(size_t r)
{
	return r < http_nroutes ? http_routes[r].name : "unmatched";
}

ay_rc metrics_render(struct buf *out)
{
	ay_rc rc;

	rc = buf_adds(out, "# HELP ayuda_http_requests_total HTTP requests.\n"
			   "# TYPE ayuda_http_requests_total counter\n");
	for (size_t r = 0; !rc && r <= MAX_ROUTES; r++) {
		if (r >= http_nroutes && r != MAX_ROUTES)
			continue;
		for (size_t s = 0; !rc && s < NSTATUS; s++) {
			uint64_t v = atomic_load(&counts[r][s]);

			if (!v)
				continue;
			rc = buf_addf(out,
				      "ayuda_http_requests_total{route=\"%s\","
				      "status=\"%s%d\"} %llu\n",
				      route_label(r),
				      status_codes[s] ? "" : "other",
				      status_codes[s] ? status_codes[s] : 0,
				      (unsigned long long)v);
		}
	}
	if (!rc)
		rc = buf_adds(out, "# HELP ayuda_http_request_duration_seconds "
				   "Request latency.\n"
				   "# TYPE ayuda_http_request_duration_seconds "
				   "histogram\n");
	for (size_t r = 0; !rc && r <= MAX_ROUTES; r++) {
		uint64_t cum = 0;

		if (r >= http_nroutes && r != MAX_ROUTES)
			continue;
		for (size_t b = 0; !rc && b <= NBUCKETS; b++) {
			cum += atomic_load(&buckets[r][b]);
			if (b < NBUCKETS)
				rc = buf_addf(out,
					      "ayuda_http_request_duration_"
					      "seconds_bucket{route=\"%s\","
					      "le=\"%g\"} %llu\n",
					      route_label(r), bucket_s[b],
					      (unsigned long long)cum);
			else
				rc = buf_addf(
					out,
					"ayuda_http_request_duration_"
					"seconds_bucket{route=\"%s\","
					"le=\"+Inf\"} %llu\n"
					"ayuda_http_request_duration_"
					"seconds_sum{route=\"%s\"} %.6f\n"
					"ayuda_http_request_duration_"
					"seconds_count{route=\"%s\"} %llu\n",
					route_label(r), (unsigned long long)cum,
					route_label(r),
					(double)atomic_load(&sum_us[r]) / 1e6,
					route_label(r),
					(unsigned long long)cum);
		}
	}
	if (!rc)
		rc = by_source(out, "ayuda_auth_lookups_total",
			       "Tokens and sessions resolved, from memory"
			       " (cache) or from the database.",
			       auth_lookups);
	if (!rc)
		rc = by_source(out, "ayuda_ticket_answers_total",
			       "Answers of GET /api/v1/tickets/N, kept from an"
			       " earlier read (cache) or read from the"
			       " database.",
			       ticket_answers);
	if (!rc)
		rc = jobs_render(out);
	if (!rc)
		rc = db_render(out);
	return rc;
}
