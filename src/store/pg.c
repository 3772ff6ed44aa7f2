/* PostgreSQL driver (libpq): one connection per struct db, reconnected when
 * lost between transactions; statements prepared once per connection by
 * name and kept in a cache keyed by their SQL text; results read whole in
 * text format. docs/postgresql.md */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libpq-fe.h>

#include "store/db.h"
#include "store/pq_dl.h"
#include "util/log.h"

#define PG_CACHE_SLOTS 256 /* a power of two */
#define PG_CACHE_MAX   512 /* prepared statements kept per connection */
#define PG_INT8OID     20
#define PG_BYTEAOID    17
#define PG_TEXTOID     25

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
	bool retry;   /* a serialization failure or deadlock was seen */
	bool alone;   /* ... and not yet followed by a commit (alone_begin) */
	bool holding; /* the lock of alone_begin is held */
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

/* Reconnect a connection lost outside a transaction; its prepared
 * statements are gone with it. */
static ay_rc ensure_conn(struct pg_db *d)
{
	if (PQstatus(d->c) == CONNECTION_OK)
		return AY_OK;
	d->holding = false; /* a session's locks end with it */
	PQreset(d->c);
	if (PQstatus(d->c) != CONNECTION_OK) {
		set_err(d, PQerrorMessage(d->c));
		log_error("cannot reconnect to the database", "err=\"%s\"",
			  d->err);
		return AY_EBUSY;
	}
	d->gen++;
	log_info("reconnected to the database", NULL);
	return AY_OK;
}

/* Run SQL with no parameters as a simple query (several statements
 * allowed). */
static ay_rc simple(struct pg_db *d, const char *sql)
{
	PGresult *r;
	ay_rc rc = AY_OK;

	r = PQexec(d->c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK &&
	    PQresultStatus(r) != PGRES_TUPLES_OK)
		rc = result_rc(d, r, sql);
	else
		d->changes = strtoll(PQcmdTuples(r), NULL, 10);
	PQclear(r);
	return rc;
}

/* The writer transactions after one the database refused (a serialization
 * failure, a deadlock) run one at a time, among every process and server
 * on the database: each waits for this session lock before its BEGIN (a
 * lock taken inside would come after the transaction's snapshot, too late)
 * and gives it back after its end. Many processes racing for the same rows
 * (the ticket counter, /metrics' counts: parallel mail-in, several servers)
 * so end in a few attempts instead of refusing each other again until the
 * retries run out. The first attempt waits for nothing, as most do not
 * race, and nobody waits for a batch that runs alone but for its rows. */
#define ALONE_KEY "hashtext('ayuda.alone.' || current_schema())"

static ay_rc alone_begin(struct pg_db *d)
{
	ay_rc rc;

	if (!d->alone || d->holding)
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

static ay_rc pg_exec(struct db *db, const char *sql)
{
	struct pg_db *d = (struct pg_db *)db;
	const char *tx = tx_sql(sql);
	ay_rc rc;

	if (!strncmp(sql, "PRAGMA", 6))
		return AY_OK; /* SQLite's settings: nothing here */
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
	}
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

static void stmt_free(struct pg_stmt *s)
{
	stmt_clear_result(s);
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
			if (!s->res && (!victim || s->used < victim->used)) {
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

static ay_rc run(struct pg_stmt *s)
{
	struct pg_db *d = s->owner;
	PGresult *r;
	ay_rc rc;

	if (s->tx)
		return pg_exec(&d->base, s->sql);
	if (PQtransactionStatus(d->c) != PQTRANS_INTRANS &&
	    PQtransactionStatus(d->c) != PQTRANS_INERROR) {
		rc = ensure_conn(d);
		if (rc)
			return rc;
	}
	rc = ensure_prepared(s);
	if (rc)
		return rc;
	r = PQexecPrepared(d->c, s->name, s->nparams,
			   (const char *const *)s->vals, NULL, NULL, 0);
	switch (PQresultStatus(r)) {
	case PGRES_TUPLES_OK:
		s->res = r;
		s->nrows = PQntuples(r);
		s->row = -1;
		d->changes = strtoll(PQcmdTuples(r), NULL, 10);
		return AY_OK;
	case PGRES_COMMAND_OK:
		d->changes = strtoll(PQcmdTuples(r), NULL, 10);
		PQclear(r);
		return AY_OK;
	default:
		rc = result_rc(d, r, s->sql);
		PQclear(r);
		return rc;
	}
}

static ay_rc pg_step(struct db_stmt *st, bool *row)
{
	struct pg_stmt *s = (struct pg_stmt *)st;
	ay_rc rc;

	*row = false;
	if (!s->res) {
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
};
