/* The store: one small API over database drivers (SQLite, PostgreSQL). SQL is
 * written once for both: positional parameters $1..$N, RETURNING instead of
 * last-insert-id, ON CONFLICT instead of INSERT OR.
 *
 * Threads: every thread that reads gets its own connection (store_reader).
 * All writes go through one writer thread (store_write / store_submit) that
 * batches concurrent transactions into one commit (group commit). Each job
 * runs inside its own SAVEPOINT, so one failing job never undoes another, and
 * no job is reported done before the COMMIT that holds it is durable. On
 * SQLite the writer commits without waiting for the disk and a sync thread
 * makes each commit durable (an fdatasync of the WAL) while the writer runs
 * the next batch; the jobs are reported done after that sync. */
#ifndef AY_DB_H
#define AY_DB_H

#include <stdarg.h>

#include "util/ay.h"

struct db;	/* one connection */
struct db_stmt; /* a prepared statement, owned by its connection's cache */
struct store;	/* the connections of one database */

/* Open the database of the data directory dir: PostgreSQL when
 * AYUDA_STORE_URL or [store] url in dir/ayuda.conf names one
 * (postgresql://...), else SQLite's dir/ayuda.db (created when create is
 * true). Migrations are applied. Returns AY_EBUSY when the database cannot
 * be opened. */
ay_rc store_open(const char *dir, bool create,
		 struct store **out) AY_MUST_CHECK;
/* Stop the writer thread and close every connection. NULL-safe. */
void store_close(struct store *st);
/* Borrowed: the calling thread's read connection, opened on first use and
 * kept until store_close. */
ay_rc store_reader(struct store *st, struct db **out) AY_MUST_CHECK;

/* A read transaction on the calling thread's reader: every read until
 * store_read_end sees one snapshot and takes the database's read lock
 * once. Never hold one across store_write: the write would not be seen. */
ay_rc store_read_begin(struct store *st, struct db **out) AY_MUST_CHECK;
/* End the calling thread's read transaction, if any. */
void store_read_end(struct store *st);

/* A write job: runs in the writer thread inside a transaction. Return AY_OK
 * to keep its changes; any other code rolls back this job only. */
typedef ay_rc (*store_job_fn)(struct db *db, void *arg);
/* Called in the writer thread once the job's fate is durable: rc is the
 * job's own result, or AY_EDB/AY_EBUSY when the commit failed. */
typedef void (*store_done_fn)(void *arg, ay_rc rc);

/* When writes began to fail because the disk (or the size cap) is full,
 * in seconds since the epoch; 0 while writes succeed. Any thread. */
int64_t store_full_since(struct store *st);
/* Cap the database at about bytes (SQLite's max_page_count; never below
 * its present size); 0 leaves it unlimited. A write past the cap fails
 * with AY_ENOSPC, as on a full disk. */
ay_rc store_cap_size(struct store *st, int64_t bytes) AY_MUST_CHECK;

/* Run fn(db, arg) in the writer thread after every committed batch, before
 * any of its jobs is reported done (a cache learns of a change before the
 * change is acknowledged); fn's result is only logged. NULL removes it. */
void store_on_commit(struct store *st, store_job_fn fn, void *arg);

/* Run fn in the writer thread and wait until it is committed. */
ay_rc store_write(struct store *st, store_job_fn fn, void *arg) AY_MUST_CHECK;
/* Queue fn and return at once; done(arg, rc) is called after the commit. */
ay_rc store_submit(struct store *st, store_job_fn fn, store_done_fn done,
		   void *arg) AY_MUST_CHECK;

/* Statements. db_prepare returns a cached statement, reset and with its
 * bindings cleared; do not keep it across another db_prepare of the same
 * SQL text. */
ay_rc db_prepare(struct db *db, const char *sql,
		 struct db_stmt **out) AY_MUST_CHECK;
ay_rc db_bind_int(struct db_stmt *s, int i, int64_t v) AY_MUST_CHECK;
/* s may be NULL (binds NULL); len < 0 means strlen(s). The text is copied. */
ay_rc db_bind_text(struct db_stmt *s, int i, const char *v,
		   long len) AY_MUST_CHECK;
ay_rc db_bind_null(struct db_stmt *s, int i) AY_MUST_CHECK;
/* Bind len bytes of binary data (copied); AY_EINVAL on a driver without
 * binary columns. */
ay_rc db_bind_blob(struct db_stmt *s, int i, const void *v,
		   size_t len) AY_MUST_CHECK;
/* Step once: *row is true when a row is available. */
ay_rc db_step(struct db_stmt *s, bool *row) AY_MUST_CHECK;
/* Column accessors for the current row (0-based). Text is borrowed until the
 * next step or reset; NULL for SQL NULL. */
int64_t db_col_int(struct db_stmt *s, int i);
const char *db_col_text(struct db_stmt *s, int i);
bool db_col_null(struct db_stmt *s, int i);
/* A binary column: its bytes (borrowed like db_col_text) and *len; NULL
 * with *len 0 for SQL NULL or a driver without binary columns. */
const void *db_col_blob(struct db_stmt *s, int i, size_t *len);
/* Reset s so its connection is free for other work (optional). */
void db_reset(struct db_stmt *s);
/* Run SQL without results (several statements allowed, no parameters). */
ay_rc db_exec(struct db *db, const char *sql) AY_MUST_CHECK;
/* Number of rows changed by the last statement. */
int64_t db_changes(struct db *db);
/* Whether the connection is inside a transaction (false once the
 * database rolled one back by itself). */
bool db_in_tx(struct db *db);
/* The last error text of this connection (borrowed). */
const char *db_errmsg(struct db *db);

/* Convenience: prepare, bind $1.. from the format and step once.
 * fmt characters: 'i' int64_t, 'I' int64_t with 0 as NULL, 's' const char *
 * (NULL binds NULL), 'n' NULL. *row tells whether a row came back (NULL if not
 * wanted). */
ay_rc db_run(struct db *db, struct db_stmt **out, bool *row, const char *sql,
	     const char *fmt, ...) AY_MUST_CHECK;
ay_rc db_vrun(struct db *db, struct db_stmt **out, bool *row, const char *sql,
	      const char *fmt, va_list ap) AY_MUST_CHECK;
/* Send the read sql with its parameters (as db_run's) now, without
 * waiting for its rows: on PostgreSQL it goes out together with the
 * statements that follow, up to the next one whose answer is needed
 * (libpq's pipeline mode), so that the reads of one answer cost one
 * round trip instead of one each. The db_run() of the same SQL text with
 * the same parameters then reads the rows it got. Only for reads: rows
 * read ahead before a change (a write, a savepoint, the transaction's
 * end) are not used, the statement runs again. Does nothing on SQLite,
 * whose statements cost no round trip. */
ay_rc db_prefetch(struct db *db, const char *sql, const char *fmt,
		  ...) AY_MUST_CHECK;
/* Run the write sql with its parameters (as db_run's) without waiting
 * for its answer: on PostgreSQL it goes out with the next statement whose
 * answer is needed, and a failure of it is that statement's result, or
 * db_settle()'s (the writer calls it after each job, db_savepoint() after
 * its fn: a job's failure stays its own). db_changes() does not count
 * it. On SQLite it runs at once, as db_run(). */
ay_rc db_write_ahead(struct db *db, const char *sql, const char *fmt,
		     ...) AY_MUST_CHECK;
/* Wait for the writes sent ahead on db; the first failure of what was
 * sent ahead and not yet reported. */
ay_rc db_settle(struct db *db) AY_MUST_CHECK;
/* The integer in the first column of sql's first row (a COUNT(*), a
 * SUM...) into *n, 0 when there is no row; parameters as db_run(). */
ay_rc db_count(struct db *db, int64_t *n, const char *sql, const char *fmt,
	       ...) AY_MUST_CHECK;

/* The SQL dialect of a connection: where SQL must differ, choose it with
 * DB_SQL(db, sqlite_sql, pg_sql) (docs/postgresql.md). */
enum db_dialect { DB_SQLITE, DB_PG };

/* Driver interface (store/sqlite.c, store/pg.c). */
struct db_driver {
	const char *name;
	enum db_dialect dialect;
	ay_rc (*open)(const char *dir, bool create, struct db **out);
	void (*close)(struct db *db);
	ay_rc (*prepare)(struct db *db, const char *sql, struct db_stmt **out);
	ay_rc (*bind_int)(struct db_stmt *s, int i, int64_t v);
	ay_rc (*bind_text)(struct db_stmt *s, int i, const char *v, long len);
	ay_rc (*bind_null)(struct db_stmt *s, int i);
	ay_rc (*step)(struct db_stmt *s, bool *row);
	int64_t (*col_int)(struct db_stmt *s, int i);
	const char *(*col_text)(struct db_stmt *s, int i);
	bool (*col_null)(struct db_stmt *s, int i);
	void (*reset)(struct db_stmt *s);
	ay_rc (*exec)(struct db *db, const char *sql);
	int64_t (*changes)(struct db *db);
	const char *(*errmsg)(struct db *db);
	bool (*in_tx)(struct db *db);
	/* Optional: around the jobs of one writer batch, inside its
	 * transaction (batch_end runs before the commit; its failure fails
	 * the batch). */
	ay_rc (*batch_begin)(struct db *db);
	ay_rc (*batch_end)(struct db *db);
	/* Optional: before the writer takes the jobs of its next batch,
	 * outside a transaction: waits for the batch's turn among the
	 * writers of every process if it must (PostgreSQL's, after a
	 * serialization failure), so that the jobs queued meanwhile join
	 * it. A failure is the next BEGIN's to report. */
	void (*batch_wait)(struct db *db);
	/* Optional: binary columns (blobs). */
	ay_rc (*bind_blob)(struct db_stmt *s, int i, const void *v, size_t len);
	const void *(*col_blob)(struct db_stmt *s, int i, size_t *len);
	/* Whether the last transaction failed for a reason a new attempt may
	 * cure (a serialization failure, a deadlock); clears it. NULL: never.
	 */
	bool (*retry)(struct db *db);
	/* Optional: commits that return before they are durable. sync_setup
	 * (on the writer's connection, once) turns it on if it can (*on);
	 * then sync, from another thread and never beside itself, makes
	 * everything the connection has committed durable. The store answers
	 * no job before the sync that follows its commit. */
	ay_rc (*sync_setup)(struct db *db, bool *on);
	ay_rc (*sync)(struct db *db);
	/* Optional: send s with its bindings ahead of its step
	 * (db_prefetch), or a write whose answer nobody reads (write:
	 * db_write_ahead). */
	ay_rc (*send)(struct db_stmt *s, bool write);
	/* Optional: wait for what was sent ahead; the first failure of it
	 * not yet reported (db_settle). */
	ay_rc (*settle)(struct db *db);
};

/* Every connection and statement starts with a pointer to its driver. */
struct db {
	const struct db_driver *drv;
};
struct db_stmt {
	const struct db_driver *drv;
};

extern const struct db_driver db_driver_sqlite;
extern const struct db_driver db_driver_pg;

/* The dialect of db's connection. */
static inline enum db_dialect db_dialect(const struct db *db)
{
	return db->drv->dialect;
}
#define DB_SQL(db, sqlite_sql, pg_sql)                                         \
	(db_dialect(db) == DB_PG ? (pg_sql) : (sqlite_sql))

/* Give back what db's page cache holds (SQLite) and, to the system, what
 * the heap no longer uses: after a pass over many rows that nothing reads
 * again soon (a scheduled job), so that an idle server stays small on a
 * large database. Best effort. */
void db_release_memory(struct db *db);

/* A hash of SQL text (FNV-1a), for the drivers' statement caches. */
uint64_t db_sql_hash(const char *sql);

/* Transactions around a sequence of statements (used by migrations and
 * by the writer thread). */
ay_rc db_begin(struct db *db) AY_MUST_CHECK;
ay_rc db_commit(struct db *db) AY_MUST_CHECK;
void db_rollback(struct db *db);
/* Run fn(db, arg) inside a savepoint of the transaction under way, so
 * that a failure undoes only what fn did and the transaction goes on: on
 * PostgreSQL a failed statement aborts the whole transaction otherwise
 * (every statement after it fails too, and the commit rolls back), on
 * SQLite it would leave fn's other statements in. On success the
 * savepoint stays until the enclosing one is released (the writer's job):
 * call it inside a job. Returns fn's result; AY_EBUSY when the savepoint
 * itself failed or the transaction is gone. */
ay_rc db_savepoint(struct db *db, store_job_fn fn, void *arg) AY_MUST_CHECK;
/* Whether a job that failed with rc on one row inside db_savepoint may
 * log it, skip that row and go on with the others: a failure of the
 * row's data (a constraint, a trigger, a value, a record gone), not of
 * the store (busy or refused for a retry, full, out of memory, the
 * transaction lost), which must end the job. */
bool db_row_skippable(struct db *db, ay_rc rc);

/* Leases: work that one server at a time does (the SLA jobs, IMAP
 * polling) among several on one database (store/lease.c, docs/scaling.md).
 * Take (or renew) the lease called name for holder until until_at, unless
 * another holder has it past now: *got says whether holder has it now.
 * Run it in its own short write transaction. */
ay_rc store_lease_take(struct db *db, const char *name, const char *holder,
		       int64_t now, int64_t until_at, bool *got) AY_MUST_CHECK;
/* Give the lease back early, if holder has it. */
ay_rc store_lease_drop(struct db *db, const char *name,
		       const char *holder) AY_MUST_CHECK;
/* What a SELECT of rows to claim ends with: " FOR UPDATE SKIP LOCKED" on
 * an engine with row locks, so that two servers claiming at once pass
 * each other's rows by; "" on SQLite, whose write transaction is already
 * the only one. Borrowed, static. */
const char *db_skip_locked(struct db *db);

/* Write a consistent copy of the database, as of one commit, into the
 * directory dest while others read and write (store/backup.c): SQLite's as
 * dest/ayuda.db, PostgreSQL's as dest/ayuda.pgdump (pg_dump's custom
 * format: the store's schema and the extensions). *name: the file's name,
 * static. AY_ENOTFOUND: pg_dump is not installed; AY_EIO: it failed (its
 * message on stderr). Nothing is left behind on failure. */
ay_rc store_backup(struct store *st, const char *dest,
		   const char **name) AY_MUST_CHECK;
/* What the store opened: SQLite's data directory or PostgreSQL's URL
 * (borrowed, valid until store_close). */
const char *store_target(struct store *st);
/* The major version of the PostgreSQL server that data dir dir's store is
 * in (15 for 15.4), asked on a connection of its own (no migration); 0
 * when the store is SQLite. AY_EBUSY: it cannot be reached. */
ay_rc store_pg_major(const char *dir, int *major) AY_MUST_CHECK;

/* Apply the numbered schema migrations that are not yet applied. */
ay_rc store_migrate(struct db *db) AY_MUST_CHECK;
/* The schema version of the database. */
int store_schema_version(struct db *db);
/* The schema version this build migrates to (its number of migrations). */
int store_schema_latest(void);

#endif
