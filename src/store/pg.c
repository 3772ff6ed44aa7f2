/* PostgreSQL driver (libpq): one connection per struct db, reconnected when
 * lost between transactions; statements prepared once per connection by
 * name and kept in a cache keyed by their SQL text; results read whole in
 * text format. What needs no answer at once (BEGIN, SAVEPOINT, RELEASE, the
 * reads of db_prefetch) is sent ahead in libpq's pipeline mode and goes
 * out with the next statement whose answer is needed: one round trip for
 * them all. docs/postgresql.md */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libpq-fe.h>

#include "store/db.h"
#include "store/pq_dl.h"
#include "util/jobstat.h"
#include "util/log.h"

#define PG_CACHE_SLOTS 256 /* a power of two */
#define PG_CACHE_MAX   512 /* prepared statements kept per connection */
#define PG_INT8OID     20
#define PG_BYTEAOID    17
#define PG_TEXTOID     25
#define PG_PIPE_MAX    32 /* statements sent before their answers are read */

struct pg_stmt {
	struct db_stmt base;
	struct pg_db *owner;
	char *sql;   /* the caller's SQL text, the cache key */
	char *pgsql; /* as PostgreSQL reads it (translate) */
	uint64_t hash;
	uint64_t used;	      /* owner->tick when last handed out */
	struct pg_stmt *next; /* the slot's chain */
	unsigned gen;	      /* owner->gen it was prepared on; 0: not */
	char name[24];
	int nparams;
	char **vals; /* owned copies; NULL binds NULL */
	Oid *types;  /* of the first binding: int8 or unknown */
	PGresult *res;
	int row, nrows;
	bool tx;	     /* BEGIN/COMMIT/ROLLBACK: run as a simple query */
	unsigned char *blob; /* the last db_col_blob, decoded */
	/* Sent ahead (db_prefetch): the values it went with, its answer
	 * once read, and owner->reads when it went. */
	char **sent;
	PGresult *pre;
	ay_rc pre_rc;
	uint64_t pre_reads;
	bool ahead;  /* sent ahead, answer not yet used */
	bool queued; /* ... and not yet read from the connection */
};

struct pg_db {
	struct db base;
	PGconn *c;
	char *url;
	struct pg_stmt *cache[PG_CACHE_SLOTS];
	size_t ncached;
	uint64_t tick;
	unsigned gen;	  /* raised on every (re)connection */
	unsigned next_id; /* statement names */
	int64_t changes;
	bool retry; /* a serialization failure or deadlock was seen */
	bool alone; /* ... and not yet followed by a commit (alone_begin) */
	int64_t alone_until; /* monotonic ms: batches run alone until then */
	bool holding;	     /* the writers' lock, alone (alone_begin) */
	/* Sent in pipeline mode, answers not yet read, in order: a
	 * statement, or NULL for a command whose answer only matters if it
	 * failed. */
	struct pg_stmt *queue[PG_PIPE_MAX];
	bool keep[PG_PIPE_MAX]; /* the statement wants its answer */
	int nq;
	bool writes;	/* a write sent ahead (db_write_ahead) is among them */
	ay_rc later;	/* such a command failed: the next statement's code */
	uint64_t reads; /* raised by every change: answers read ahead are old */
	char err[512];
};

static void set_err(struct pg_db *d, const char *msg)
{
	size_t n;

	snprintf(d->err, sizeof(d->err), "%s", msg ? msg : "");
	n = strlen(d->err);
	while (n && (d->err[n - 1] == '\n' || d->err[n - 1] == ' '))
		d->err[--n] = 0;
}

/* SQL as PostgreSQL reads it: SQLite's index hints ("INDEXED BY name")
 * dropped, outside quotes (the planner chooses); *nparams gets the highest
 * $N. Returns: owned, free(). */
static char *translate(const char *sql, int *nparams)
{
	char *out = malloc(strlen(sql) + 1), *o = out, quote = 0;
	const char *p = sql;

	*nparams = 0;
	if (!out)
		return NULL;
	while (*p) {
		if (quote || *p == '\'' || *p == '"') {
			quote = quote ? (*p == quote ? 0 : quote) : *p;
		} else if (!strncmp(p, " INDEXED BY ", 12)) {
			p += 12 + strspn(p + 12, "abcdefghijklmnopqrstuvwxyz"
						 "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
						 "0123456789_");
			continue;
		} else if (*p == '$' && p[1] >= '1' && p[1] <= '9' &&
			   atoi(p + 1) > *nparams) {
			*nparams = atoi(p + 1);
		}
		*o++ = *p++;
	}
	*o = 0;
	return out;
}

/* The dialect's words for a transaction: the writer's batches are
 * SERIALIZABLE, as SQLite's single writer is; a read transaction is one
 * snapshot. NULL: not a transaction statement. */
static const char *tx_sql(const char *sql)
{
	if (!strcmp(sql, "BEGIN IMMEDIATE"))
		return "BEGIN ISOLATION LEVEL SERIALIZABLE";
	if (!strcmp(sql, "BEGIN"))
		return "BEGIN ISOLATION LEVEL REPEATABLE READ";
	if (!strcmp(sql, "COMMIT") || !strcmp(sql, "ROLLBACK"))
		return sql;
	return NULL;
}

/* How long a writer's batches run alone after a refusal (alone_begin). */
#define ALONE_MS 2000

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Map a failed result to an ay_rc, remembering what a retry may cure. */
static ay_rc result_rc(struct pg_db *d, const PGresult *r, const char *sql)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

	set_err(d, r ? PQresultErrorMessage(r) : PQerrorMessage(d->c));
	if (!state || PQstatus(d->c) != CONNECTION_OK ||
	    !strncmp(state, "08", 2) || !strncmp(state, "57P", 3)) {
		log_error("database connection lost", "err=\"%s\"", d->err);
		return AY_EBUSY;
	}
	if (!strncmp(state, "23", 2)) {
		log_info("constraint violated", "state=%s err=\"%s\"", state,
			 d->err);
		return AY_ECONFLICT;
	}
	if (!strcmp(state, "40001") || !strcmp(state, "40P01")) {
		d->retry = d->alone = true;
		d->alone_until = mono_ms() + ALONE_MS;
		log_warn("database busy", "err=\"%s\"", d->err);
		return AY_EBUSY;
	}
	if (!strcmp(state, "55P03") || !strcmp(state, "57014"))
		return AY_EBUSY;
	if (!strcmp(state, "53100"))
		return AY_ENOSPC;
	if (!strcmp(state, "53200"))
		return AY_ENOMEM;
	if (!strcmp(state, "54000"))
		return AY_ETOOBIG;
	log_error("statement failed", "state=%s err=\"%s\" sql=\"%.200s\"",
		  state, d->err, sql ? sql : "");
	return AY_EDB;
}

static bool pg_in_tx(struct db *db)
{
	struct pg_db *d = (struct pg_db *)db;
	PGTransactionStatusType t = PQtransactionStatus(d->c);

	/* A lost connection counts as inside: its transaction ends with
	 * an error, never as if it had been rolled back quietly. */
	return t != PQTRANS_IDLE;
}

/* Pipeline mode (libpq 14): statements sent one after the other, their
 * answers read in the same order after a sync; after a failure the ones
 * behind it are not run (PGRES_PIPELINE_ABORTED). */

static bool conn_lost(struct pg_db *d)
{
	return PQstatus(d->c) != CONNECTION_OK;
}

/* The answers on the way are lost with the connection. */
static void pipe_forget(struct pg_db *d)
{
	for (int i = 0; i < d->nq; i++) {
		if (d->queue[i])
			d->queue[i]->queued = false;
		if (d->queue[i] && d->keep[i])
			d->queue[i]->pre_rc = AY_EBUSY;
		else if (!d->later)
			d->later = AY_EBUSY;
	}
	d->nq = 0;
	d->writes = false;
}

/* Read one statement's answer in pipeline mode and the NULL after it;
 * *rc its code (first: the failure before it, that stopped it). */
static PGresult *pipe_result(struct pg_db *d, ay_rc first, const char *sql,
			     ay_rc *rc)
{
	PGresult *r = conn_lost(d) ? NULL : PQgetResult(d->c);

	switch (r ? PQresultStatus(r) : PGRES_FATAL_ERROR) {
	case PGRES_TUPLES_OK:
	case PGRES_COMMAND_OK:
		*rc = AY_OK;
		break;
	case PGRES_PIPELINE_ABORTED:
		*rc = first ? first : AY_EDB;
		break;
	default:
		*rc = result_rc(d, r, sql);
	}
	for (int k = 0; r && k < 4 && !conn_lost(d); k++) {
		PGresult *x = PQgetResult(d->c);

		if (!x)
			break;
		PQclear(x);
	}
	if (*rc) {
		PQclear(r);
		r = NULL;
	}
	return r;
}

/* Read the answers of everything sent, in order, and leave pipeline
 * mode: a statement that wants its answer gets it (pre, pre_rc); the
 * first failure is kept in d->later too, for the next statement or the
 * job's end (pg_settle). want_last: return the last one's code (its
 * failure, or the one that stopped it) instead, and set d->changes from
 * it. */
static ay_rc pipe_drain(struct pg_db *d, bool want_last)
{
	ay_rc first = AY_OK, rc = AY_OK;
	int n = d->nq;

	d->nq = 0;
	d->writes = false;
	if (PQpipelineStatus(d->c) == PQ_PIPELINE_OFF)
		return AY_OK;
	jobstat_add(JOBSTAT_DB_ROUND_TRIPS, 1);
	jobstat_add(JOBSTAT_DB_STATEMENTS, n);
	if (!PQpipelineSync(d->c))
		first = result_rc(d, NULL, NULL);
	for (int i = 0; i < n; i++) {
		struct pg_stmt *s = d->queue[i];
		PGresult *r = pipe_result(d, first, s ? s->sql : NULL, &rc);

		if (rc && !first)
			first = rc;
		if (rc && !d->later)
			d->later = rc;
		if (want_last && i == n - 1 && r) {
			d->changes = strtoll(PQcmdTuples(r), NULL, 10);
			if (strncmp(PQcmdStatus(r), "SELECT", 6))
				d->reads++; /* a change: reads ahead are old */
		}
		if (s)
			s->queued = false;
		if (s && d->keep[i]) {
			s->pre = r;
			s->pre_rc = rc;
			continue;
		}
		PQclear(r);
	}
	if (!conn_lost(d)) {
		PGresult *r = PQgetResult(d->c); /* PGRES_PIPELINE_SYNC */

		PQclear(r);
		if (!PQexitPipelineMode(d->c))
			log_warn("cannot leave pipeline mode", "err=\"%s\"",
				 PQerrorMessage(d->c));
	}
	if (!want_last)
		return AY_OK;
	d->later = AY_OK; /* reported now */
	return rc;
}

/* Make room for one more statement in the pipeline, entering it. */
static ay_rc pipe_room(struct pg_db *d)
{
	if (d->nq == PG_PIPE_MAX)
		pipe_drain(d, false);
	if (PQpipelineStatus(d->c) == PQ_PIPELINE_OFF &&
	    !PQenterPipelineMode(d->c)) {
		set_err(d, PQerrorMessage(d->c));
		log_error("cannot enter pipeline mode", "err=\"%s\"", d->err);
		return AY_EBUSY;
	}
	return AY_OK;
}

/* A send that failed: the connection is gone (or was never there). */
static ay_rc pipe_send_failed(struct pg_db *d, const char *sql)
{
	ay_rc rc = result_rc(d, NULL, sql);

	pipe_drain(d, false);
	return rc;
}

/* Send a command (one statement, no parameters) without waiting. */
static ay_rc pipe_cmd(struct pg_db *d, const char *sql)
{
	ay_rc rc = pipe_room(d);

	if (rc)
		return rc;
	if (!PQsendQueryParams(d->c, sql, 0, NULL, NULL, NULL, NULL, 0))
		return pipe_send_failed(d, sql);
	d->keep[d->nq] = false;
	d->queue[d->nq++] = NULL;
	return AY_OK;
}

/* Send prepared statement s with its values without waiting; keep: it
 * wants its answer (else only a failure counts). */
static ay_rc pipe_stmt(struct pg_stmt *s, bool keep)
{
	struct pg_db *d = s->owner;
	ay_rc rc = pipe_room(d);

	if (rc)
		return rc;
	if (!PQsendQueryPrepared(d->c, s->name, s->nparams,
				 (const char *const *)s->vals, NULL, NULL, 0))
		return pipe_send_failed(d, s->sql);
	s->queued = true;
	d->keep[d->nq] = keep;
	d->queue[d->nq++] = s;
	return AY_OK;
}

/* A code a command sent ahead failed with, once. */
static ay_rc take_later(struct pg_db *d)
{
	ay_rc rc = d->later;

	d->later = AY_OK;
	return rc;
}

/* Reconnect a connection lost outside a transaction; its prepared
 * statements are gone with it. */
static ay_rc ensure_conn(struct pg_db *d)
{
	if (PQstatus(d->c) == CONNECTION_OK)
		return AY_OK;
	d->holding = false; /* a session's locks end with it */
	pipe_forget(d);
	PQreset(d->c);
	if (PQstatus(d->c) != CONNECTION_OK) {
		set_err(d, PQerrorMessage(d->c));
		log_error("cannot reconnect to the database", "err=\"%s\"",
			  d->err);
		return AY_EBUSY;
	}
	if (PQpipelineStatus(d->c) != PQ_PIPELINE_OFF)
		PQexitPipelineMode(d->c); /* a new session starts outside */
	d->gen++;
	d->later = AY_OK;
	log_info("reconnected to the database", NULL);
	return AY_OK;
}

/* Run SQL with no parameters as a simple query (several statements
 * allowed); one statement goes out with what was sent ahead. */
static ay_rc simple(struct pg_db *d, const char *sql)
{
	PGresult *r;
	ay_rc rc = AY_OK;

	d->reads++;
	if (d->nq && !strchr(sql, ';')) {
		rc = pipe_cmd(d, sql);
		return rc ? rc : pipe_drain(d, true);
	}
	pipe_drain(d, false);
	jobstat_add(JOBSTAT_DB_ROUND_TRIPS, 1);
	jobstat_add(JOBSTAT_DB_STATEMENTS, 1);
	r = PQexec(d->c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK &&
	    PQresultStatus(r) != PGRES_TUPLES_OK)
		rc = result_rc(d, r, sql);
	else
		d->changes = strtoll(PQcmdTuples(r), NULL, 10);
	PQclear(r);
	return rc;
}

/* The writers' lock: every writer transaction of every process and
 * server on the schema holds it, shared as a rule (taken by the
 * transaction's first statement, sent ahead with the BEGIN: no round trip
 * of its own; given back with the transaction's end), so writers run side
 * by side. Alone, that is exclusive, for ALONE_MS after a batch of this
 * writer was refused (a serialization failure, a deadlock: several
 * servers or mail-in processes racing for the ticket counter): then it is
 * taken before the BEGIN (inside, it would come after the transaction's
 * snapshot, too late) and given back after the transaction's end, and
 * the retries and next batches of that writer run alone instead of being
 * refused again by the first attempts of the others, which wait for it
 * (3 servers creating at once: 1,030 refusals in 10 s and 29 batches out
 * of retries before). The writer takes it before it takes its batch's
 * jobs (pg_batch_wait), so the jobs queued while it waited go in one
 * batch. */
#define ALONE_KEY "hashtext('ayuda.alone.' || current_schema())"

static bool alone_now(const struct pg_db *d)
{
	return d->alone || mono_ms() < d->alone_until;
}

static ay_rc alone_begin(struct pg_db *d)
{
	ay_rc rc;

	if (d->holding || !alone_now(d))
		return AY_OK;
	rc = simple(d, "SELECT pg_advisory_lock(" ALONE_KEY ")");
	if (!rc)
		d->holding = true;
	return rc;
}

static void alone_end(struct pg_db *d)
{
	if (!d->holding || PQstatus(d->c) != CONNECTION_OK ||
	    PQtransactionStatus(d->c) != PQTRANS_IDLE)
		return;
	d->holding = false;
	if (simple(d, "SELECT pg_advisory_unlock(" ALONE_KEY ")"))
		log_warn("cannot give back the writers' lock", NULL);
}

/* The writer's turn, before it takes its batch's jobs (db.h): only when
 * it runs alone. */
static void pg_batch_wait(struct db *db)
{
	struct pg_db *d = (struct pg_db *)db;

	if (d->holding || !alone_now(d))
		return;
	if (!ensure_conn(d) && alone_begin(d))
		log_warn("cannot wait for the writers' lock", "err=\"%s\"",
			 d->err);
}

/* Whether sql is a savepoint's command, whose answer can wait for the
 * next statement's (a failure comes back with it). */
static bool ahead_ok(const char *sql)
{
	return (!strncmp(sql, "SAVEPOINT ", 10) ||
		!strncmp(sql, "RELEASE ", 8)) &&
	       !strchr(sql, ';');
}

static ay_rc pg_exec(struct db *db, const char *sql)
{
	struct pg_db *d = (struct pg_db *)db;
	const char *tx = tx_sql(sql);
	ay_rc rc;

	if (!strncmp(sql, "PRAGMA", 6))
		return AY_OK; /* SQLite's settings: nothing here */
	d->reads++;	      /* what was read ahead is of before it */
	if (!strncmp(sql, "ROLLBACK", 8)) {
		pipe_drain(d, false);
		d->later = AY_OK; /* undone with the rest */
	}
	if (!strcmp(sql, "ROLLBACK") && PQstatus(d->c) != CONNECTION_OK)
		return ensure_conn(d); /* the transaction went with it */
	if (!strcmp(sql, "ROLLBACK") &&
	    PQtransactionStatus(d->c) == PQTRANS_IDLE) {
		alone_end(d);
		return AY_OK;
	}
	if (tx && !strncmp(tx, "BEGIN", 5)) {
		rc = ensure_conn(d);
		if (!rc && !strcmp(sql, "BEGIN IMMEDIATE"))
			rc = alone_begin(d);
		if (rc)
			return rc;
		d->retry = false;
		d->later = AY_OK;
		/* Nothing to answer: it goes out with the first statement,
		 * and so does a writer's shared lock. */
		rc = pipe_cmd(d, tx);
		if (!rc && !d->holding && !strcmp(sql, "BEGIN IMMEDIATE"))
			rc = pipe_cmd(
				d,
				"SELECT pg_advisory_xact_lock_shared(" ALONE_KEY
				")");
		return rc;
	}
	if (ahead_ok(sql))
		return pipe_cmd(d, sql);
	rc = simple(d, tx ? tx : sql);
	if (!rc && tx && !strcmp(tx, "COMMIT"))
		d->alone = false;
	if (tx && strncmp(tx, "BEGIN", 5))
		alone_end(d);
	return rc;
}

static void stmt_clear_result(struct pg_stmt *s)
{
	PQfreemem(s->blob);
	s->blob = NULL;
	PQclear(s->res);
	s->res = NULL;
	s->row = s->nrows = 0;
}

/* Forget the values s was sent ahead with. */
static void sent_free(struct pg_stmt *s)
{
	for (int i = 0; s->sent && i < s->nparams; i++)
		free(s->sent[i]);
	free(s->sent);
	s->sent = NULL;
}

static void stmt_free(struct pg_stmt *s)
{
	stmt_clear_result(s);
	PQclear(s->pre);
	sent_free(s);
	for (int i = 0; i < s->nparams; i++)
		free(s->vals[i]);
	free(s->vals);
	free(s->types);
	free(s->pgsql);
	free(s->sql);
	free(s);
}

static void pg_close(struct db *db)
{
	struct pg_db *d = (struct pg_db *)db;

	if (!d)
		return;
	for (size_t i = 0; i < PG_CACHE_SLOTS; i++) {
		while (d->cache[i]) {
			struct pg_stmt *s = d->cache[i];

			d->cache[i] = s->next;
			stmt_free(s);
		}
	}
	PQfinish(d->c);
	free(d->url);
	free(d);
}

/* Settings of every session: times and text as the code expects them. */
static ay_rc session_setup(struct pg_db *d)
{
	return simple(d, "SET TIME ZONE 'UTC'; SET client_encoding = 'UTF8';"
			 " SET client_min_messages = warning");
}

static void notice_quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

static ay_rc pg_open(const char *url, bool create, struct db **out)
{
	struct pg_db *d;
	ay_rc rc;

	(void)create;
	*out = NULL;
	if (store_pq_init())
		return AY_EBUSY;
	d = calloc(1, sizeof(*d));
	if (!d)
		return AY_ENOMEM;
	d->base.drv = &db_driver_pg;
	d->url = strdup(url);
	if (!d->url) {
		free(d);
		return AY_ENOMEM;
	}
	d->c = PQconnectdb(url);
	if (PQstatus(d->c) != CONNECTION_OK) {
		set_err(d, PQerrorMessage(d->c));
		log_error("cannot connect to the database", "err=\"%s\"",
			  d->err);
		pg_close(&d->base);
		return AY_EBUSY;
	}
	PQsetNoticeProcessor(d->c, notice_quiet, NULL);
	d->gen = 1;
	rc = session_setup(d);
	if (rc) {
		pg_close(&d->base);
		return rc;
	}
	*out = &d->base;
	return AY_OK;
}

static struct pg_stmt *cache_find(struct pg_db *d, size_t slot, uint64_t h,
				  const char *sql)
{
	for (struct pg_stmt *s = d->cache[slot]; s; s = s->next)
		if (s->hash == h && strcmp(s->sql, sql) == 0)
			return s;
	return NULL;
}

/* Forget the least recently used statement no caller is reading, and its
 * prepared copy on the server. */
static void cache_evict(struct pg_db *d)
{
	struct pg_stmt *victim = NULL, **pp;
	size_t vslot = 0;

	for (size_t i = 0; i < PG_CACHE_SLOTS; i++)
		for (struct pg_stmt *s = d->cache[i]; s; s = s->next)
			if (!s->res && !s->ahead && !s->queued &&
			    (!victim || s->used < victim->used)) {
				victim = s;
				vslot = i;
			}
	if (!victim)
		return;
	for (pp = &d->cache[vslot]; *pp != victim; pp = &(*pp)->next)
		;
	*pp = victim->next;
	if (victim->gen == d->gen && PQstatus(d->c) == CONNECTION_OK &&
	    PQtransactionStatus(d->c) != PQTRANS_INERROR) {
		char sql[64];

		snprintf(sql, sizeof(sql), "DEALLOCATE %s", victim->name);
		if (simple(d, sql))
			log_warn("cannot deallocate a statement", NULL);
	}
	stmt_free(victim);
	d->ncached--;
}

static void hand_out(struct pg_db *d, struct pg_stmt *s, const char *sql,
		     struct db_stmt **out)
{
	stmt_clear_result(s);
	for (int i = 0; i < s->nparams; i++) {
		free(s->vals[i]);
		s->vals[i] = NULL;
	}
	s->used = ++d->tick;
	*out = &s->base;
}

static ay_rc pg_prepare(struct db *db, const char *sql, struct db_stmt **out)
{
	struct pg_db *d = (struct pg_db *)db;
	uint64_t h = db_sql_hash(sql);
	size_t slot = h & (PG_CACHE_SLOTS - 1);
	struct pg_stmt *s = cache_find(d, slot, h, sql);

	if (s) {
		hand_out(d, s, sql, out);
		return AY_OK;
	}
	if (d->ncached >= PG_CACHE_MAX)
		cache_evict(d);
	s = calloc(1, sizeof(*s));
	if (!s)
		return AY_ENOMEM;
	s->base.drv = &db_driver_pg;
	s->owner = d;
	s->hash = h;
	s->sql = strdup(sql);
	s->pgsql = translate(sql, &s->nparams);
	s->tx = tx_sql(sql) != NULL;
	if (s->nparams) {
		s->vals = calloc((size_t)s->nparams, sizeof(*s->vals));
		s->types = calloc((size_t)s->nparams, sizeof(*s->types));
	}
	if (!s->sql || !s->pgsql || (s->nparams && (!s->vals || !s->types))) {
		stmt_free(s);
		return AY_ENOMEM;
	}
	snprintf(s->name, sizeof(s->name), "ay%u", ++d->next_id);
	s->next = d->cache[slot];
	d->cache[slot] = s;
	d->ncached++;
	hand_out(d, s, sql, out);
	return AY_OK;
}

static ay_rc bind(struct pg_stmt *s, int i, char *v, Oid type)
{
	if (i < 1 || i > s->nparams) {
		free(v);
		log_error("no such parameter", "i=%d sql=\"%.200s\"", i,
			  s->sql);
		return AY_EINVAL;
	}
	free(s->vals[i - 1]);
	s->vals[i - 1] = v;
	if (s->gen != s->owner->gen && type)
		s->types[i - 1] = type;
	return AY_OK;
}

static ay_rc pg_bind_int(struct db_stmt *st, int i, int64_t v)
{
	char *t = malloc(24);

	if (!t)
		return AY_ENOMEM;
	snprintf(t, 24, "%lld", (long long)v);
	return bind((struct pg_stmt *)st, i, t, PG_INT8OID);
}

static ay_rc pg_bind_text(struct db_stmt *st, int i, const char *v, long len)
{
	size_t n;
	char *t;

	if (!v)
		return bind((struct pg_stmt *)st, i, NULL, 0);
	n = len < 0 ? strlen(v) : (size_t)len;
	t = malloc(n + 1);
	if (!t)
		return AY_ENOMEM;
	memcpy(t, v, n);
	t[n] = 0;
	return bind((struct pg_stmt *)st, i, t, 0);
}

/* Binary data as bytea's hex text ("\\x4142"): the results are text
 * too. */
static ay_rc pg_bind_blob(struct db_stmt *st, int i, const void *v, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = v;
	char *t = malloc(2 * len + 3);

	if (!t)
		return AY_ENOMEM;
	t[0] = '\\';
	t[1] = 'x';
	for (size_t k = 0; k < len; k++) {
		t[2 + 2 * k] = hex[p[k] >> 4];
		t[3 + 2 * k] = hex[p[k] & 15];
	}
	t[2 + 2 * len] = 0;
	return bind((struct pg_stmt *)st, i, t, PG_BYTEAOID);
}

static ay_rc pg_bind_null(struct db_stmt *st, int i)
{
	return bind((struct pg_stmt *)st, i, NULL, 0);
}

/* One attempt at preparing s with these parameter types; inside a
 * transaction under a savepoint, so that a refusal leaves it usable. */
static ay_rc prepare_as(struct pg_stmt *s, const Oid *types, bool *refused)
{
	struct pg_db *d = s->owner;
	bool in_tx = PQtransactionStatus(d->c) == PQTRANS_INTRANS;
	PGresult *r;
	ay_rc rc;

	*refused = false;
	if (in_tx) {
		rc = simple(d, "SAVEPOINT ay_prepare");
		if (rc)
			return rc;
	}
	jobstat_add(JOBSTAT_DB_ROUND_TRIPS, 1);
	r = PQprepare(d->c, s->name, s->pgsql, s->nparams, types);
	if (PQresultStatus(r) == PGRES_COMMAND_OK) {
		PQclear(r);
		return in_tx ? simple(d, "RELEASE ay_prepare") : AY_OK;
	}
	if (PQstatus(d->c) != CONNECTION_OK) {
		rc = result_rc(d, r, s->sql);
		PQclear(r);
		return rc;
	}
	set_err(d, PQresultErrorMessage(r));
	*refused = true;
	PQclear(r);
	return in_tx ? simple(d, "ROLLBACK TO ay_prepare; RELEASE ay_prepare")
		     : AY_OK;
}

/* Prepare s on its connection if this connection has not seen it. The
 * types of its parameters come from their first binding: an integer is a
 * bigint; a text or NULL is left to PostgreSQL to infer from where it
 * stands and, where it cannot (CASE WHEN $1 IS NULL ...), text. */
static ay_rc ensure_prepared(struct pg_stmt *s)
{
	struct pg_db *d = s->owner;
	Oid *texts = NULL;
	bool refused;
	ay_rc rc;

	if (s->gen == d->gen)
		return AY_OK;
	pipe_drain(d, false); /* a prepare waits for its answer */
	if (d->later)
		return take_later(d);
	rc = prepare_as(s, s->types, &refused);
	if (!rc && refused && s->nparams) {
		texts = malloc((size_t)s->nparams * sizeof(*texts));
		if (!texts)
			return AY_ENOMEM;
		for (int i = 0; i < s->nparams; i++)
			texts[i] = s->types[i] ? s->types[i] : PG_TEXTOID;
		rc = prepare_as(s, texts, &refused);
		free(texts);
	}
	if (!rc && refused) {
		log_error("cannot prepare statement",
			  "err=\"%s\" sql=\"%.200s\"", d->err, s->sql);
		rc = AY_EDB;
	}
	if (!rc)
		s->gen = d->gen;
	return rc;
}

/* Whether the connection may need a reconnection before a statement:
 * not inside a transaction, and nothing sent ahead. */
static bool between_tx(struct pg_db *d)
{
	PGTransactionStatusType t = PQtransactionStatus(d->c);

	return !d->nq && t != PQTRANS_INTRANS && t != PQTRANS_INERROR;
}

/* Keep r, a statement's good answer, as s's rows. */
static void take_result(struct pg_stmt *s, PGresult *r)
{
	s->owner->changes = strtoll(PQcmdTuples(r), NULL, 10);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		PQclear(r);
		return;
	}
	s->res = r;
	s->nrows = PQntuples(r);
	s->row = -1;
}

static ay_rc run(struct pg_stmt *s)
{
	struct pg_db *d = s->owner;
	PGresult *r;
	ay_rc rc;

	if (s->tx)
		return pg_exec(&d->base, s->sql);
	if (between_tx(d)) {
		rc = ensure_conn(d);
		if (rc)
			return rc;
	}
	rc = ensure_prepared(s);
	if (!rc && d->later)
		rc = take_later(d);
	if (rc)
		return rc;
	if (d->nq) {
		/* With what was sent ahead: one round trip. */
		rc = pipe_stmt(s, true);
		if (!rc)
			rc = pipe_drain(d, true);
		r = s->pre;
		s->pre = NULL;
		s->pre_rc = AY_OK;
		if (!rc && r)
			take_result(s, r);
		else
			PQclear(r);
		return rc;
	}
	jobstat_add(JOBSTAT_DB_ROUND_TRIPS, 1);
	jobstat_add(JOBSTAT_DB_STATEMENTS, 1);
	r = PQexecPrepared(d->c, s->name, s->nparams,
			   (const char *const *)s->vals, NULL, NULL, 0);
	switch (PQresultStatus(r)) {
	case PGRES_TUPLES_OK:
	case PGRES_COMMAND_OK:
		if (strncmp(PQcmdStatus(r), "SELECT", 6))
			d->reads++; /* a change: what was read ahead is old */
		take_result(s, r);
		return AY_OK;
	default:
		rc = result_rc(d, r, s->sql);
		PQclear(r);
		return rc;
	}
}

/* Whether s's values are those it was sent ahead with. */
static bool same_values(const struct pg_stmt *s)
{
	for (int i = 0; i < s->nparams; i++) {
		const char *a = s->vals[i], *b = s->sent[i];

		if ((a == NULL) != (b == NULL) || (a && strcmp(a, b)))
			return false;
	}
	return true;
}

/* Use the answer s was sent ahead for, if it is for its present values
 * and nothing changed since (*used); a failure is returned either way
 * (the transaction is lost with it). */
static ay_rc take_ahead(struct pg_stmt *s, bool *used)
{
	struct pg_db *d = s->owner;
	PGresult *r;
	ay_rc rc;

	*used = false;
	if (s->queued)
		pipe_drain(d, false);
	*used = s->pre_reads == d->reads && same_values(s);
	r = s->pre;
	rc = s->pre_rc;
	s->pre = NULL;
	s->pre_rc = AY_OK;
	s->ahead = false;
	sent_free(s);
	if (rc || !*used) {
		PQclear(r);
		*used = false;
		return rc;
	}
	if (r)
		take_result(s, r);
	return AY_OK;
}

/* db_prefetch: send s with its values now, its answer read at its
 * step; db_write_ahead (write): send it, only a failure counts. */
static ay_rc pg_send(struct db_stmt *st, bool write)
{
	struct pg_stmt *s = (struct pg_stmt *)st;
	struct pg_db *d = s->owner;
	bool used;
	ay_rc rc;

	if (s->tx)
		return AY_OK;
	if (write) {
		rc = ensure_prepared(s);
		if (!rc)
			rc = pipe_stmt(s, false);
		if (!rc) {
			d->writes = true;
			d->reads++; /* reads sent ahead before it are old */
		}
		return rc;
	}
	if (s->ahead) {
		rc = take_ahead(s, &used); /* an answer never used */
		stmt_clear_result(s);
		if (rc)
			return rc;
	}
	if (between_tx(d)) {
		rc = ensure_conn(d);
		if (rc)
			return rc;
	}
	rc = ensure_prepared(s);
	if (rc)
		return rc;
	if (s->nparams) {
		s->sent = calloc((size_t)s->nparams, sizeof(*s->sent));
		if (!s->sent)
			return AY_ENOMEM;
		for (int i = 0; i < s->nparams; i++) {
			if (!s->vals[i])
				continue;
			s->sent[i] = strdup(s->vals[i]);
			if (!s->sent[i]) {
				sent_free(s);
				return AY_ENOMEM;
			}
		}
	}
	rc = pipe_stmt(s, true);
	if (rc) {
		sent_free(s);
		return rc;
	}
	s->ahead = true;
	s->pre_reads = d->reads;
	return AY_OK;
}

static ay_rc pg_step(struct db_stmt *st, bool *row)
{
	struct pg_stmt *s = (struct pg_stmt *)st;
	ay_rc rc;

	*row = false;
	if (!s->res) {
		bool used = false;

		rc = s->ahead ? take_ahead(s, &used) : AY_OK;
		if (!rc && !used)
			rc = run(s);
		if (rc || !s->res)
			return rc;
	}
	if (++s->row < s->nrows) {
		*row = true;
		return AY_OK;
	}
	stmt_clear_result(s);
	return AY_OK;
}

static const char *value(struct pg_stmt *s, int i)
{
	if (!s->res || s->row < 0 || s->row >= s->nrows ||
	    i >= PQnfields(s->res) || PQgetisnull(s->res, s->row, i))
		return NULL;
	return PQgetvalue(s->res, s->row, i);
}

static int64_t pg_col_int(struct db_stmt *st, int i)
{
	const char *v = value((struct pg_stmt *)st, i);

	if (!v)
		return 0;
	if (v[0] == 't' && !v[1])
		return 1; /* a boolean, as SQLite's 1 */
	return strtoll(v, NULL, 10);
}

static const char *pg_col_text(struct db_stmt *st, int i)
{
	return value((struct pg_stmt *)st, i);
}

/* A bytea column, decoded; valid until the next db_col_blob or reset. */
static const void *pg_col_blob(struct db_stmt *st, int i, size_t *len)
{
	struct pg_stmt *s = (struct pg_stmt *)st;
	const char *v = value(s, i);

	*len = 0;
	PQfreemem(s->blob);
	s->blob = v ? PQunescapeBytea((const unsigned char *)v, len) : NULL;
	return s->blob;
}

static bool pg_col_null(struct db_stmt *st, int i)
{
	return value((struct pg_stmt *)st, i) == NULL;
}

static void pg_reset(struct db_stmt *st)
{
	stmt_clear_result((struct pg_stmt *)st);
}

static int64_t pg_changes(struct db *db)
{
	return ((struct pg_db *)db)->changes;
}

static const char *pg_errmsg(struct db *db)
{
	return ((struct pg_db *)db)->err;
}

/* The end of a job: the writes it sent ahead are answered, the first
 * failure of what it sent is its result. */
static ay_rc pg_settle(struct db *db)
{
	struct pg_db *d = (struct pg_db *)db;

	if (d->writes)
		pipe_drain(d, false);
	return take_later(d);
}

static bool pg_retry(struct db *db)
{
	struct pg_db *d = (struct pg_db *)db;
	bool r = d->retry;

	d->retry = false;
	return r;
}

const struct db_driver db_driver_pg = {
	.name = "postgresql",
	.dialect = DB_PG,
	.open = pg_open,
	.close = pg_close,
	.prepare = pg_prepare,
	.bind_int = pg_bind_int,
	.bind_text = pg_bind_text,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.col_int = pg_col_int,
	.col_text = pg_col_text,
	.col_null = pg_col_null,
	.reset = pg_reset,
	.exec = pg_exec,
	.changes = pg_changes,
	.errmsg = pg_errmsg,
	.in_tx = pg_in_tx,
	.retry = pg_retry,
	.bind_blob = pg_bind_blob,
	.col_blob = pg_col_blob,
	.send = pg_send,
	.settle = pg_settle,
	.batch_wait = pg_batch_wait,
};
