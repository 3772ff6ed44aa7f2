/* The store: driver dispatch, per-thread readers and the group-commit
 * writer thread. */
#include <malloc.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/db.h"
#include "util/config.h"
#include "util/log.h"
#include "util/testhooks.h"

#define WRITER_BATCH_MAX 256
#define WRITER_RETRIES	 12 /* attempts of a batch the database refused */

struct job {
	store_job_fn fn;
	store_done_fn done;
	void *arg;
	ay_rc rc;
	struct job *next;
};

struct conn_list {
	struct db *db;
	struct conn_list *next;
};

struct store {
	char *dir; /* the driver's target: SQLite's data dir or a URL */
	const struct db_driver *drv;
	pthread_key_t key;	   /* this thread's reader */
	pthread_mutex_t lock;	   /* guards readers, queue, stop */
	struct conn_list *readers; /* every reader, to close them */
	pthread_cond_t wake;
	struct job *head, *tail;
	bool stop;
	pthread_t writer;
	struct db *wdb; /* the writer thread's connection */
	/* when writes began to fail for want of space; 0: they succeed */
	_Atomic int64_t full_since;
	pthread_mutex_t hook_lock; /* guards on_commit, on_commit_arg */
	store_job_fn on_commit;	   /* run after every committed batch */
	void *on_commit_arg;
	/* The sync thread (when the driver commits before the disk has the
	 * commit): the committed batches' jobs waiting for their sync. */
	bool syncing;
	pthread_t syncer;
	pthread_mutex_t sync_lock; /* guards sync_*; taken inside lock */
	pthread_cond_t sync_wake;
	struct job *sync_head, *sync_tail;
	int sync_batches; /* batches on the sync_ list */
	bool sync_stop;
	int unsynced; /* committed batches not yet synced (guarded by lock) */
};

ay_rc db_prepare(struct db *db, const char *sql, struct db_stmt **out)
{
	return db->drv->prepare(db, sql, out);
}

ay_rc db_bind_int(struct db_stmt *s, int i, int64_t v)
{
	return s->drv->bind_int(s, i, v);
}

ay_rc db_bind_text(struct db_stmt *s, int i, const char *v, long len)
{
	return s->drv->bind_text(s, i, v, len);
}

ay_rc db_bind_null(struct db_stmt *s, int i)
{
	return s->drv->bind_null(s, i);
}

ay_rc db_step(struct db_stmt *s, bool *row)
{
	return s->drv->step(s, row);
}

int64_t db_col_int(struct db_stmt *s, int i)
{
	return s->drv->col_int(s, i);
}

const char *db_col_text(struct db_stmt *s, int i)
{
	return s->drv->col_text(s, i);
}

ay_rc db_bind_blob(struct db_stmt *s, int i, const void *v, size_t len)
{
	return s->drv->bind_blob ? s->drv->bind_blob(s, i, v, len) : AY_EINVAL;
}

const void *db_col_blob(struct db_stmt *s, int i, size_t *len)
{
	*len = 0;
	return s->drv->col_blob ? s->drv->col_blob(s, i, len) : NULL;
}

bool db_col_null(struct db_stmt *s, int i)
{
	return s->drv->col_null(s, i);
}

void db_reset(struct db_stmt *s)
{
	if (s)
		s->drv->reset(s);
}

void db_release_memory(struct db *db)
{
	if (db_dialect(db) == DB_SQLITE && db_exec(db, "PRAGMA shrink_memory"))
		log_warn("shrink_memory failed", "%s", "");
	malloc_trim(0);
}

ay_rc db_exec(struct db *db, const char *sql)
{
	return db->drv->exec(db, sql);
}

int64_t db_changes(struct db *db)
{
	return db->drv->changes(db);
}

const char *db_errmsg(struct db *db)
{
	return db->drv->errmsg(db);
}

bool db_in_tx(struct db *db)
{
	return db->drv->in_tx(db);
}

/* Prepare sql and bind $1.. from fmt (as db_run). */
static ay_rc prepare_bound(struct db *db, struct db_stmt **out, const char *sql,
			   const char *fmt, va_list ap)
{
	struct db_stmt *s = NULL;
	ay_rc rc;
	int i = 1;

	*out = NULL;
	rc = db_prepare(db, sql, &s);
	if (rc)
		return rc;
	for (const char *f = fmt ? fmt : ""; *f && !rc; f++, i++) {
		if (*f == 'i') {
			rc = db_bind_int(s, i, va_arg(ap, int64_t));
		} else if (*f == 'I') {
			int64_t v = va_arg(ap, int64_t);

			rc = v ? db_bind_int(s, i, v) : db_bind_null(s, i);
		} else if (*f == 's') {
			rc = db_bind_text(s, i, va_arg(ap, const char *), -1);
		} else {
			rc = db_bind_null(s, i);
		}
	}
	*out = s;
	return rc;
}

ay_rc db_vrun(struct db *db, struct db_stmt **out, bool *row, const char *sql,
	      const char *fmt, va_list ap)
{
	struct db_stmt *s = NULL;
	bool r = false;
	ay_rc rc;

	rc = prepare_bound(db, &s, sql, fmt, ap);
	if (!s)
		return rc;
	if (!rc)
		rc = db_step(s, &r);
	if (row)
		*row = r;
	if (out)
		*out = s;
	else
		db_reset(s);
	return rc;
}

ay_rc db_run(struct db *db, struct db_stmt **out, bool *row, const char *sql,
	     const char *fmt, ...)
{
	va_list ap;
	ay_rc rc;

	va_start(ap, fmt);
	rc = db_vrun(db, out, row, sql, fmt, ap);
	va_end(ap);
	return rc;
}

ay_rc db_prefetch(struct db *db, const char *sql, const char *fmt, ...)
{
	struct db_stmt *s = NULL;
	va_list ap;
	ay_rc rc;

	if (!db->drv->send)
		return AY_OK;
	va_start(ap, fmt);
	rc = prepare_bound(db, &s, sql, fmt, ap);
	va_end(ap);
	return rc ? rc : db->drv->send(s, false);
}

ay_rc db_write_ahead(struct db *db, const char *sql, const char *fmt, ...)
{
	struct db_stmt *s = NULL;
	va_list ap;
	ay_rc rc;

	va_start(ap, fmt);
	if (db->drv->send) {
		rc = prepare_bound(db, &s, sql, fmt, ap);
		if (!rc)
			rc = db->drv->send(s, true);
	} else {
		rc = db_vrun(db, NULL, NULL, sql, fmt, ap);
	}
	va_end(ap);
	return rc;
}

ay_rc db_settle(struct db *db)
{
	return db->drv->settle ? db->drv->settle(db) : AY_OK;
}

ay_rc db_count(struct db *db, int64_t *n, const char *sql, const char *fmt, ...)
{
	struct db_stmt *s = NULL;
	bool row = false;
	va_list ap;
	ay_rc rc;

	*n = 0;
	va_start(ap, fmt);
	rc = db_vrun(db, &s, &row, sql, fmt, ap);
	va_end(ap);
	if (!rc && row)
		*n = db_col_int(s, 0);
	if (s)
		db_reset(s);
	return rc;
}

uint64_t db_sql_hash(const char *sql)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	while (*sql) {
		h ^= (unsigned char)*sql++;
		h *= 1099511628211ULL;
	}
	return h;
}

ay_rc db_begin(struct db *db)
{
	return db_exec(db, "BEGIN IMMEDIATE");
}

ay_rc db_commit(struct db *db)
{
	return db_exec(db, "COMMIT");
}

void db_rollback(struct db *db)
{
	if (db_exec(db, "ROLLBACK"))
		log_warn("rollback failed", "err=\"%s\"", db_errmsg(db));
}

ay_rc db_savepoint(struct db *db, store_job_fn fn, void *arg)
{
	ay_rc rc;

	if (db_exec(db, "SAVEPOINT ay_try"))
		return AY_EBUSY;
	rc = fn(db, arg);
	if (!rc)
		rc = db_settle(db);
	if (!db_in_tx(db))
		return rc ? rc : AY_EBUSY; /* the engine ended it all */
	/* Kept on success: the enclosing savepoint's release (the writer's
	 * job) takes it, and a row costs PostgreSQL one round trip, not
	 * two. */
	if (rc && db_exec(db, "ROLLBACK TO ay_try; RELEASE ay_try"))
		return AY_EBUSY;
	return rc;
}

bool db_row_skippable(struct db *db, ay_rc rc)
{
	return rc != AY_OK && rc != AY_EBUSY && rc != AY_ENOSPC &&
	       rc != AY_ENOMEM && db_in_tx(db);
}

/* Remember whether the store is full: set by a batch that failed for want
 * of space, cleared by one that committed a job. */
static void note_space(struct store *st, struct job *batch, ay_rc brc)
{
	bool nospc = brc == AY_ENOSPC, wrote = false;

	for (struct job *j = batch; j; j = j->next) {
		nospc |= j->rc == AY_ENOSPC;
		wrote |= !brc && !j->rc;
	}
	if (nospc) {
		int64_t zero = 0;

		atomic_compare_exchange_strong(&st->full_since, &zero,
					       (int64_t)time(NULL));
	} else if (wrote) {
		atomic_store(&st->full_since, 0);
	}
}

int64_t store_full_since(struct store *st)
{
	return atomic_load(&st->full_since);
}

static ay_rc cap_run(struct db *db, void *arg)
{
	int64_t bytes = *(int64_t *)arg, page;
	struct db_stmt *s = NULL;
	char sql[64];
	bool row;
	ay_rc rc;

	rc = db_run(db, &s, &row, "PRAGMA page_size", NULL);
	if (rc)
		return rc;
	page = row ? db_col_int(s, 0) : 4096;
	db_reset(s);
	snprintf(sql, sizeof(sql), "PRAGMA max_page_count = %lld",
		 (long long)(bytes / (page > 0 ? page : 4096)));
	return db_exec(db, sql);
}

ay_rc store_cap_size(struct store *st, int64_t bytes)
{
	if (bytes <= 0 || st->drv->dialect != DB_SQLITE)
		return AY_OK;
	return store_write(st, cap_run, &bytes);
}

/* Tell the commit hook, before any job of the batch is reported done. */
static void after_commit(struct store *st, struct db *db)
{
	pthread_mutex_lock(&st->hook_lock);
	if (st->on_commit && st->on_commit(db, st->on_commit_arg))
		log_warn("commit hook failed", "err=\"%s\"", db_errmsg(db));
	pthread_mutex_unlock(&st->hook_lock);
}

void store_on_commit(struct store *st, store_job_fn fn, void *arg)
{
	pthread_mutex_lock(&st->hook_lock);
	st->on_commit = fn;
	st->on_commit_arg = arg;
	pthread_mutex_unlock(&st->hook_lock);
}

/* One attempt at a batch: its result, each job's in j->rc. *again tells
 * that the database refused it for a reason a new attempt may cure (a
 * serialization failure on PostgreSQL): nothing of it was kept. */
static ay_rc run_batch_once(struct db *db, struct job *batch, bool *again)
{
	ay_rc brc;

	*again = false;
	brc = db_begin(db);
	if (brc)
		return brc;
	if (db->drv->batch_begin) {
		brc = db->drv->batch_begin(db);
		if (brc) {
			db_rollback(db);
			return brc;
		}
	}
	for (struct job *j = batch; j; j = j->next) {
		if (db_exec(db, "SAVEPOINT job")) {
			j->rc = AY_EDB;
			continue;
		}
		j->rc = j->fn(db, j->arg);
		if (!j->rc)
			j->rc = db_settle(db);
		if (!db_in_tx(db)) {
			/* The database rolled the whole batch back by itself
			 * (a full store while a full-text index was written):
			 * nothing of it is kept. */
			brc = AY_ENOSPC;
			break;
		}
		if (j->rc && db_exec(db, "ROLLBACK TO job"))
			brc = AY_EDB;
		if (db_exec(db, "RELEASE job"))
			brc = AY_EDB;
	}
	if (!brc && db->drv->batch_end)
		brc = db->drv->batch_end(db);
	if (!brc && db->drv->retry && db->drv->retry(db)) {
		*again = true;
		brc = AY_EBUSY;
	}
	if (!brc)
		brc = db_commit(db);
	if (brc && !*again && db->drv->retry && db->drv->retry(db))
		*again = true;
	if (brc)
		db_rollback(db);
	return brc;
}

/* A pause before attempt n (2, 3, ...) of a refused batch: random, and
 * longer each time, so that servers that raced do not race again. */
static void retry_pause(int n)
{
	struct timespec ts = {0};
	long max_us = 2000L << (n < 8 ? n : 8);

	ts.tv_nsec = (random() % max_us) * 1000L;
	while (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	nanosleep(&ts, NULL);
}

/* Report every job of the list done, and free it. */
static void report_done(struct job *list)
{
	for (struct job *j = list, *next; j; j = next) {
		next = j->next;
		j->done(j->arg, j->rc);
		free(j);
	}
}

/* After a batch's commit (brc 0) or its failure: the hooks, each job's
 * final result, and its report; a committed batch not yet durable goes to
 * the sync thread, which reports it after its next sync. */
static void batch_finish(struct store *st, struct job *batch, ay_rc brc,
			 bool again)
{
	struct job *last = batch;

	note_space(st, batch, brc);
	if (!brc)
		after_commit(st, st->wdb);
	for (struct job *j = batch; j; j = j->next) {
		if (brc && (!j->rc || brc == AY_ENOSPC || again))
			j->rc = brc;
		last = j;
	}
	if (brc || !st->syncing) {
		report_done(batch);
		return;
	}
	pthread_mutex_lock(&st->lock);
	st->unsynced++;
	pthread_mutex_lock(&st->sync_lock);
	if (st->sync_tail)
		st->sync_tail->next = batch;
	else
		st->sync_head = batch;
	st->sync_tail = last;
	st->sync_batches++;
	pthread_cond_signal(&st->sync_wake);
	pthread_mutex_unlock(&st->sync_lock);
	pthread_mutex_unlock(&st->lock);
}

static void run_batch(struct store *st, struct job *batch)
{
	bool again = false;
	ay_rc brc;

	/* PostgreSQL may refuse a serializable batch that raced another
	 * server's: nothing of it was kept, so it runs again. */
	for (int n = 1;; n++) {
		brc = run_batch_once(st->wdb, batch, &again);
		if (!again || n == WRITER_RETRIES)
			break;
		log_info("batch retried", "attempt=%d", n + 1);
		retry_pause(n + 1);
	}
	batch_finish(st, batch, brc, again);
}

/* The sync thread: makes the committed batches durable, as many as wait
 * with one sync, then reports their jobs done and lets the writer commit
 * what it ran meanwhile. */
static void *syncer_main(void *arg)
{
	struct store *st = arg;

	pthread_setname_np(pthread_self(), "ay-sync");
	for (;;) {
		struct job *list;
		int n = 0;
		ay_rc rc;

		pthread_mutex_lock(&st->sync_lock);
		while (!st->sync_head && !st->sync_stop)
			pthread_cond_wait(&st->sync_wake, &st->sync_lock);
		list = st->sync_head;
		n = st->sync_batches;
		st->sync_head = st->sync_tail = NULL;
		st->sync_batches = 0;
		pthread_mutex_unlock(&st->sync_lock);
		if (!list)
			break;
		rc = st->drv->sync(st->wdb);
		for (struct job *j = list; rc && j; j = j->next)
			j->rc = rc;
		/* The writer may commit what it ran meanwhile while these
		 * answers go out: they are durable now. */
		pthread_mutex_lock(&st->lock);
		st->unsynced -= n;
		pthread_cond_signal(&st->wake);
		pthread_mutex_unlock(&st->lock);
		report_done(list);
	}
	return NULL;
}

/* Up to max jobs of the queue (st->lock held), in order. */
static struct job *take_jobs(struct store *st, int max)
{
	struct job *batch = st->head, *last = batch;
	int n = 1;

	if (!batch || max <= 0)
		return NULL;
	while (last->next && n < max) {
		last = last->next;
		n++;
	}
	st->head = last->next;
	if (!st->head)
		st->tail = NULL;
	last->next = NULL;
	return batch;
}

/* The writer without a sync thread: each batch begins, runs its jobs and
 * commits durably before the next is taken. */
static void writer_batches(struct store *st)
{
	for (;;) {
		struct job *batch;

		pthread_mutex_lock(&st->lock);
		while (!st->head && !st->stop)
			pthread_cond_wait(&st->wake, &st->lock);
		if (st->head && st->drv->batch_wait) {
			/* The jobs that come while it waits join the batch. */
			pthread_mutex_unlock(&st->lock);
			st->drv->batch_wait(st->wdb);
			pthread_mutex_lock(&st->lock);
		}
		batch = take_jobs(st, WRITER_BATCH_MAX);
		pthread_mutex_unlock(&st->lock);
		if (!batch)
			break;
		run_batch(st, batch);
	}
}

/* The batch the writer keeps open while the sync thread syncs the one
 * before: its transaction and the jobs run in it. */
struct open_batch {
	struct job *head, *tail;
	int n;
	bool open; /* its transaction is begun */
	ay_rc brc; /* its transaction failed: every job of it fails */
};

/* Run job j in the open batch, in a savepoint of its own (the batch's
 * transaction begun first if need be). */
static void batch_add(struct db *db, struct open_batch *b, struct job *j)
{
	if (b->tail)
		b->tail->next = j;
	else
		b->head = j;
	b->tail = j;
	b->n++;
	if (b->brc)
		return;
	if (!b->open) {
		b->brc = db_begin(db);
		if (!b->brc && db->drv->batch_begin) {
			b->brc = db->drv->batch_begin(db);
			if (b->brc)
				db_rollback(db);
		}
		b->open = !b->brc;
		if (b->brc)
			return;
	}
	if (db_exec(db, "SAVEPOINT job")) {
		j->rc = AY_EDB;
		return;
	}
	j->rc = j->fn(db, j->arg);
	if (!j->rc)
		j->rc = db_settle(db);
	if (!db_in_tx(db)) {
		/* The database rolled the whole batch back by itself (a full
		 * store while a full-text index was written): nothing of it
		 * is kept. */
		b->brc = AY_ENOSPC;
		b->open = false;
		return;
	}
	if (j->rc && db_exec(db, "ROLLBACK TO job"))
		b->brc = AY_EDB;
	if (db_exec(db, "RELEASE job"))
		b->brc = AY_EDB;
}

static void batch_commit(struct store *st, struct open_batch *b)
{
	struct db *db = st->wdb;
	ay_rc brc = b->brc;

	if (!brc && db->drv->batch_end)
		brc = db->drv->batch_end(db);
	if (!brc)
		brc = db_commit(db);
	if (brc)
		db_rollback(db);
	batch_finish(st, b->head, brc, false);
	*b = (struct open_batch){0};
}

/* The writer with a sync thread: the jobs run as they come, in one open
 * transaction, committed as soon as the sync thread has made the last
 * commit durable (or the batch is full), so that the jobs that arrive
 * during a sync share one commit and the next sync. */
static void writer_pipelined(struct store *st)
{
	struct open_batch b = {0};

	for (;;) {
		struct job *jobs;
		bool commit;

		pthread_mutex_lock(&st->lock);
		while (!st->head && !st->stop && !(b.n && !st->unsynced))
			pthread_cond_wait(&st->wake, &st->lock);
		jobs = take_jobs(st, WRITER_BATCH_MAX - b.n);
		pthread_mutex_unlock(&st->lock);
		if (!jobs && !b.n)
			break; /* stopped, and nothing waits */
		for (struct job *j = jobs, *next; j; j = next) {
			next = j->next;
			j->next = NULL;
			batch_add(st->wdb, &b, j);
		}
		pthread_mutex_lock(&st->lock);
		commit = b.n && (!st->unsynced || b.n >= WRITER_BATCH_MAX ||
				 b.brc || st->stop);
		pthread_mutex_unlock(&st->lock);
		if (commit)
			batch_commit(st, &b);
	}
}

static void *writer_main(void *arg)
{
	struct store *st = arg;

	pthread_setname_np(pthread_self(), "ay-writer");
	if (st->syncing)
		writer_pipelined(st);
	else
		writer_batches(st);
	return NULL;
}

/* The test suites' schema of data dir dir: the prefix of
 * AYUDA_TEST_PG_SCHEMA_PER_DIR and a hash of its path. */
static void test_schema(const char *dir, char *out, size_t n)
{
	char *real = realpath(dir, NULL);

	snprintf(out, n, "%s%016llx", ay_test_pg_schema_prefix(),
		 (unsigned long long)db_sql_hash(real ? real : dir));
	free(real);
}

/* The PostgreSQL URL of data dir dir (owned, free()), or NULL for SQLite:
 * AYUDA_STORE_URL, else [store] url of dir/ayuda.conf. */
static ay_rc store_url(const char *dir, char **out, char *schema, size_t n)
{
	const char *env = getenv("AYUDA_STORE_URL");
	struct ay_config *cfg = NULL;
	const char *url = env;
	char err[256];

	*out = NULL;
	*schema = 0;
	if (!url || !*url) {
		cfg = calloc(1, sizeof(*cfg));
		if (!cfg)
			return AY_ENOMEM;
		if (!config_load(dir, cfg, err, sizeof(err)))
			url = cfg->store_url;
	}
	if (url && *url) {
		if (ay_test_pg_schema_per_dir()) {
			test_schema(dir, schema, n);
			if (asprintf(out, "%s%coptions=-csearch_path%%3D%s",
				     url, strchr(url, '?') ? '&' : '?',
				     schema) < 0)
				*out = NULL;
		} else {
			*out = strdup(url);
		}
		if (!*out) {
			free(cfg);
			return AY_ENOMEM;
		}
	}
	free(cfg);
	return AY_OK;
}

/* Let the sync thread answer what waits, then end it. */
static void stop_syncer(struct store *st)
{
	pthread_mutex_lock(&st->sync_lock);
	st->sync_stop = true;
	pthread_cond_signal(&st->sync_wake);
	pthread_mutex_unlock(&st->sync_lock);
	pthread_join(st->syncer, NULL);
}

ay_rc store_open(const char *dir, bool create, struct store **out)
{
	struct store *st;
	char *url = NULL, schema[32];
	ay_rc rc;

	*out = NULL;
	rc = store_url(dir, &url, schema, sizeof(schema));
	if (rc)
		return rc;
	st = calloc(1, sizeof(*st));
	if (!st) {
		free(url);
		return AY_ENOMEM;
	}
	st->drv = url ? &db_driver_pg : &db_driver_sqlite;
	st->dir = url ? url : strdup(dir);
	if (!st->dir) {
		free(st);
		return AY_ENOMEM;
	}
	pthread_mutex_init(&st->lock, NULL);
	pthread_mutex_init(&st->hook_lock, NULL);
	pthread_mutex_init(&st->sync_lock, NULL);
	pthread_cond_init(&st->wake, NULL);
	pthread_cond_init(&st->sync_wake, NULL);
	pthread_key_create(&st->key, NULL);
	rc = st->drv->open(st->dir, create, &st->wdb);
	if (rc)
		goto fail;
	if (create && *schema) {
		char sql[80];

		snprintf(sql, sizeof(sql), "CREATE SCHEMA IF NOT EXISTS %s",
			 schema);
		rc = db_exec(st->wdb, sql);
		if (rc)
			goto fail;
	}
	rc = store_migrate(st->wdb);
	if (!rc && st->drv->sync_setup)
		rc = st->drv->sync_setup(st->wdb, &st->syncing);
	if (rc)
		goto fail;
	if (st->syncing && pthread_create(&st->syncer, NULL, syncer_main, st)) {
		rc = AY_ENOMEM;
		goto fail;
	}
	if (pthread_create(&st->writer, NULL, writer_main, st)) {
		rc = AY_ENOMEM;
		goto fail_syncer;
	}
	*out = st;
	return AY_OK;
fail_syncer:
	if (st->syncing)
		stop_syncer(st);
fail:
	if (st->wdb)
		st->drv->close(st->wdb);
	pthread_key_delete(st->key);
	free(st->dir);
	free(st);
	return rc;
}

const char *store_target(struct store *st)
{
	return st->dir;
}

ay_rc store_pg_major(const char *dir, int *major)
{
	struct db *db = NULL;
	struct db_stmt *s = NULL;
	char *url = NULL, schema[32];
	bool row = false;
	ay_rc rc;

	*major = 0;
	rc = store_url(dir, &url, schema, sizeof(schema));
	if (rc || !url)
		return rc;
	rc = db_driver_pg.open(url, false, &db);
	if (!rc)
		rc = db_run(db, &s, &row,
			    "SELECT current_setting('server_version_num')",
			    NULL);
	if (!rc && row)
		*major = (int)(db_col_int(s, 0) / 10000);
	if (s)
		db_reset(s);
	if (db)
		db->drv->close(db);
	free(url);
	return rc;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	pthread_mutex_lock(&st->lock);
	st->stop = true;
	pthread_cond_signal(&st->wake);
	pthread_mutex_unlock(&st->lock);
	pthread_join(st->writer, NULL);
	if (st->syncing)
		stop_syncer(st);
	st->drv->close(st->wdb);
	for (struct conn_list *c = st->readers, *next; c; c = next) {
		next = c->next;
		st->drv->close(c->db);
		free(c);
	}
	pthread_key_delete(st->key);
	pthread_mutex_destroy(&st->lock);
	pthread_mutex_destroy(&st->hook_lock);
	pthread_mutex_destroy(&st->sync_lock);
	pthread_cond_destroy(&st->wake);
	pthread_cond_destroy(&st->sync_wake);
	free(st->dir);
	free(st);
}

ay_rc store_reader(struct store *st, struct db **out)
{
	struct db *db = pthread_getspecific(st->key);
	struct conn_list *c;
	ay_rc rc;

	if (db) {
		*out = db;
		return AY_OK;
	}
	rc = st->drv->open(st->dir, false, &db);
	if (rc)
		return rc;
	c = malloc(sizeof(*c));
	if (!c) {
		st->drv->close(db);
		return AY_ENOMEM;
	}
	c->db = db;
	pthread_mutex_lock(&st->lock);
	c->next = st->readers;
	st->readers = c;
	pthread_mutex_unlock(&st->lock);
	pthread_setspecific(st->key, db);
	*out = db;
	return AY_OK;
}

ay_rc store_read_begin(struct store *st, struct db **out)
{
	struct db_stmt *s = NULL;
	bool row;
	ay_rc rc = store_reader(st, out);

	if (rc)
		return rc;
	if (db_in_tx(*out))
		return AY_OK;
	rc = db_prepare(*out, "BEGIN", &s);
	if (!rc)
		rc = db_step(s, &row);
	return rc;
}

void store_read_end(struct store *st)
{
	struct db *db = pthread_getspecific(st->key);
	struct db_stmt *s = NULL;
	bool row;

	if (!db || !db_in_tx(db))
		return;
	if (db_prepare(db, "COMMIT", &s) || db_step(s, &row))
		db_rollback(db);
}

ay_rc store_submit(struct store *st, store_job_fn fn, store_done_fn done,
		   void *arg)
{
	struct job *j = calloc(1, sizeof(*j));

	if (!j)
		return AY_ENOMEM;
	j->fn = fn;
	j->done = done;
	j->arg = arg;
	pthread_mutex_lock(&st->lock);
	if (st->tail)
		st->tail->next = j;
	else
		st->head = j;
	st->tail = j;
	pthread_cond_signal(&st->wake);
	pthread_mutex_unlock(&st->lock);
	return AY_OK;
}

/* store_write: a job that wakes its waiting caller. */
struct sync_job {
	store_job_fn fn;
	void *arg;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool done;
	ay_rc rc;
};

static ay_rc sync_run(struct db *db, void *arg)
{
	struct sync_job *s = arg;

	return s->fn(db, s->arg);
}

static void sync_done(void *arg, ay_rc rc)
{
	struct sync_job *s = arg;

	pthread_mutex_lock(&s->lock);
	s->rc = rc;
	s->done = true;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

ay_rc store_write(struct store *st, store_job_fn fn, void *arg)
{
	struct sync_job s = {.fn = fn, .arg = arg};
	ay_rc rc;

	pthread_mutex_init(&s.lock, NULL);
	pthread_cond_init(&s.cond, NULL);
	rc = store_submit(st, sync_run, sync_done, &s);
	if (!rc) {
		pthread_mutex_lock(&s.lock);
		while (!s.done)
			pthread_cond_wait(&s.cond, &s.lock);
		pthread_mutex_unlock(&s.lock);
		rc = s.rc;
	}
	pthread_mutex_destroy(&s.lock);
	pthread_cond_destroy(&s.cond);
	return rc;
}
