/* SQLite driver: WAL, foreign keys, synchronous=FULL, busy timeout, and a
 * prepared-statement cache per connection. The store's writer connection
 * commits with synchronous=NORMAL and its commits are made durable by the
 * store's sync thread (sq_sync_setup, sq_sync). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sqlite3.h>

#include "store/db.h"
#include "store/fts_stem.h"
#include "store/sqlite_rank.h"
#include "util/buf.h"
#include "util/fold.h"
#include "util/log.h"

#define STMT_CACHE_SIZE 128  /* slots; a power of two */
#define STMT_CHAIN_MAX	4    /* idle statements kept per slot */
#define CKPT_FRAMES	1000 /* WAL frames that start a checkpoint (as SQLite) */

/* The writer connection's checkpoints, run by a thread of their own
 * (ay-checkpoint) on a connection of its own, so that the writer never
 * waits for a checkpoint's copying and its two syncs. */
struct sq_ckpt {
	pthread_t thread;
	pthread_mutex_t lock; /* guards frames, stop */
	pthread_cond_t wake;
	int frames; /* the WAL's frames after the writer's last commit */
	bool stop;
	bool running; /* its thread and connection are started */
	char *file;   /* the database's path */
	sqlite3 *h;
};

struct sq_stmt {
	struct db_stmt base;
	sqlite3_stmt *st;
	struct sq_db *owner;
	char *sql;	     /* the caller's SQL text, the cache key */
	const char *sql_ptr; /* the caller's pointer it was last found by */
	uint64_t hash;
	uint64_t used;	      /* d->tick when last handed out */
	struct sq_stmt *next; /* the slot's chain */
	/* A one-row INSERT ... RETURNING id compiled without its RETURNING
	 * (rowid_insert): its one row, the new row's id, comes from SQLite's
	 * last rowid. */
	bool rowid_ret;
	int ret_state; /* 0 not stepped, 1 its row is out, 2 done */
	int64_t ret_id;
	char ret_text[24];
};

struct sq_db {
	struct db base;
	sqlite3 *h;
	struct sq_stmt *cache[STMT_CACHE_SIZE]; /* chains by SQL hash */
	uint64_t tick;
	/* Fast path: most SQL is a string literal, found again by its
	 * address without hashing the text. */
	struct {
		const char *sql;
		struct sq_stmt *stmt;
	} by_ptr[STMT_CACHE_SIZE];
	/* The sync thread's own (sq_sync): the WAL's path and a descriptor
	 * of it; the connection's thread never touches them. */
	char *wal_path;
	int wal_fd;
	struct sq_ckpt *ckpt; /* the writer connection's checkpointer */
};

/* Rewrite positional $N parameters into SQLite's ?N, outside quotes. */
static ay_rc rewrite_params(const char *sql, struct buf *out)
{
	char q = 0;
	ay_rc rc = AY_OK;

	for (const char *p = sql; *p && !rc; p++) {
		if (q) {
			if (*p == q)
				q = 0;
			rc = buf_addc(out, *p);
		} else if (*p == '\'' || *p == '"') {
			q = *p;
			rc = buf_addc(out, *p);
		} else if (*p == '$' && p[1] >= '0' && p[1] <= '9') {
			rc = buf_addc(out, '?');
		} else {
			rc = buf_addc(out, *p);
		}
	}
	return rc;
}

/* ay_fold(text): the text without case and accents (util/fold.h), so a
 * search for "perú" finds "ACME PERÚ"; SQLite's lower() folds ASCII only.
 * PostgreSQL's ay_fold() is SQL (store/pg_schema.c). NULL stays NULL. */
static void sq_fold(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	const char *s;
	size_t len;
	char *f;

	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
		return;
	s = (const char *)sqlite3_value_text(argv[0]);
	if (!s) {
		sqlite3_result_error_nomem(cx);
		return;
	}
	f = ay_fold(s, (size_t)sqlite3_value_bytes(argv[0]), &len);
	if (!f) {
		sqlite3_result_error_nomem(cx);
		return;
	}
	sqlite3_result_text(cx, f, (int)len, free);
}

/* Once per process, before the first connection: no global memory
 * statistics (a mutex every allocation of every thread takes). */
static void sq_configure(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static ay_rc sq_open(const char *dir, bool create, struct db **out)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct sq_db *d;
	char path[4096];
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	int r;

	pthread_once(&once, sq_configure);
	*out = NULL;
	if (snprintf(path, sizeof(path), "%s/ayuda.db", dir) >=
	    (int)sizeof(path))
		return AY_EINVAL;
	if (create) {
		/* The database is for the owner only; SQLite gives its -wal
		 * and -shm files the same mode. */
		int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

		if (fd < 0) {
			log_error("cannot create database",
				  "path=\"%s\" err=\"%s\"", path,
				  strerror(errno));
			return AY_EBUSY;
		}
		close(fd);
		flags |= SQLITE_OPEN_CREATE;
	}
	d = calloc(1, sizeof(*d));
	if (!d)
		return AY_ENOMEM;
	d->base.drv = &db_driver_sqlite;
	d->wal_fd = -1;
	r = sqlite3_open_v2(path, &d->h, flags, NULL);
	if (r != SQLITE_OK) {
		log_error("cannot open database", "path=\"%s\" err=\"%s\"",
			  path,
			  d->h ? sqlite3_errmsg(d->h) : sqlite3_errstr(r));
		sqlite3_close(d->h);
		free(d);
		return AY_EBUSY;
	}
	sqlite3_busy_timeout(d->h, 10000);
	sqlite3_extended_result_codes(d->h, 1);
	r = sqlite3_exec(d->h,
			 "PRAGMA journal_mode=WAL;"
			 "PRAGMA synchronous=FULL;"
			 "PRAGMA foreign_keys=ON;"
			 "PRAGMA temp_store=MEMORY;"
			 "PRAGMA cache_size=-2000;",
			 NULL, NULL, NULL);
	if (r == SQLITE_OK)
		r = sqlite_rank_register(d->h);
	if (r == SQLITE_OK)
		r = fts_stem_register(d->h);
	if (r == SQLITE_OK)
		r = sqlite3_create_function(d->h, "ay_fold", 1,
					    SQLITE_UTF8 | SQLITE_DETERMINISTIC |
						    SQLITE_INNOCUOUS,
					    NULL, sq_fold, NULL, NULL);
	if (r != SQLITE_OK) {
		log_error("cannot configure database", "path=\"%s\" err=\"%s\"",
			  path, sqlite3_errmsg(d->h));
		sqlite3_close(d->h);
		free(d);
		return AY_EBUSY;
	}
	*out = &d->base;
	return AY_OK;
}

static void ckpt_stop(struct sq_ckpt *c);

static void sq_close(struct db *db)
{
	struct sq_db *d = (struct sq_db *)db;

	if (!d)
		return;
	ckpt_stop(d->ckpt);
	for (size_t i = 0; i < STMT_CACHE_SIZE; i++) {
		while (d->cache[i]) {
			struct sq_stmt *s = d->cache[i];

			d->cache[i] = s->next;
			sqlite3_finalize(s->st);
			free(s->sql);
			free(s);
		}
	}
	sqlite3_close(d->h);
	if (d->wal_fd >= 0)
		close(d->wal_fd);
	free(d->wal_path);
	free(d);
}

#define RET_ID " RETURNING id"

/* Whether sql inserts one row into a table whose id is its rowid and
 * returns that id: "INSERT INTO T (...) VALUES (...) RETURNING id", no
 * SELECT, no ON CONFLICT. SQLite runs a RETURNING into a temporary table
 * (its rows are all made before the first is returned); for one row the
 * last rowid says the same at a fraction of the cost. */
static bool rowid_insert(struct sq_db *d, const char *sql, size_t len)
{
	const char *type = NULL, *v;
	char table[64];
	size_t n;
	int pk = 0;

	/* The length first: a short statement ("BEGIN") has nothing at 12. */
	if (len <= strlen(RET_ID) + 12 || strncmp(sql, "INSERT INTO ", 12) ||
	    strcmp(sql + len - strlen(RET_ID), RET_ID) ||
	    strstr(sql, "SELECT") || strstr(sql, "ON CONFLICT"))
		return false;
	n = strcspn(sql + 12, " (");
	if (n == 0 || n >= sizeof(table))
		return false;
	v = strstr(sql, " VALUES (");
	if (!v || strstr(v, "),") || strstr(v, ") ,"))
		return false;
	memcpy(table, sql + 12, n);
	table[n] = '\0';
	return sqlite3_table_column_metadata(d->h, "main", table, "id", &type,
					     NULL, NULL, &pk,
					     NULL) == SQLITE_OK &&
	       pk && type && !sqlite3_stricmp(type, "INTEGER");
}

static ay_rc sq_compile(struct sq_db *d, const char *sql, sqlite3_stmt **st,
			bool *rowid_ret)
{
	struct buf b;
	ay_rc rc;

	buf_init(&b, 1 << 20);
	rc = rewrite_params(sql, &b);
	if (rc)
		return rc;
	*rowid_ret = rowid_insert(d, buf_str(&b), b.len);
	if (*rowid_ret) {
		b.len -= strlen(RET_ID);
		b.ptr[b.len] = '\0';
	}
	if (sqlite3_prepare_v3(d->h, buf_str(&b), (int)b.len + 1,
			       SQLITE_PREPARE_PERSISTENT, st,
			       NULL) != SQLITE_OK) {
		log_error("cannot prepare statement",
			  "err=\"%s\" sql=\"%.200s\"", sqlite3_errmsg(d->h),
			  sql);
		rc = AY_EDB;
	}
	buf_release(&b);
	return rc;
}

/* Find sql in its slot's chain. */
static struct sq_stmt *chain_find(struct sq_db *d, size_t slot, uint64_t h,
				  const char *sql)
{
	for (struct sq_stmt *s = d->cache[slot]; s; s = s->next)
		if (s->hash == h && strcmp(s->sql, sql) == 0)
			return s;
	return NULL;
}

/* The entry of the chain to compile new SQL into: a new one while the chain
 * is short, else the least recently used statement that no caller is
 * stepping. A statement stepped and not yet reset is never evicted: its
 * caller still reads its rows. NULL when out of memory. */
static struct sq_stmt *chain_slot_for_new(struct sq_db *d, size_t slot)
{
	struct sq_stmt *victim = NULL, *s;
	size_t n = 0;

	for (s = d->cache[slot]; s; s = s->next) {
		n++;
		if (!sqlite3_stmt_busy(s->st) &&
		    (!victim || s->used < victim->used))
			victim = s;
	}
	if (victim && n >= STMT_CHAIN_MAX) {
		sqlite3_finalize(victim->st);
		victim->st = NULL;
		free(victim->sql);
		victim->sql = NULL;
		return victim;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->next = d->cache[slot];
	d->cache[slot] = s;
	return s;
}

/* Take s out of its chain and free it (its statement is finalized). */
static void chain_drop(struct sq_db *d, size_t slot, struct sq_stmt *s)
{
	struct sq_stmt **pp = &d->cache[slot];

	while (*pp && *pp != s)
		pp = &(*pp)->next;
	if (*pp)
		*pp = s->next;
	for (size_t i = 0; i < STMT_CACHE_SIZE; i++)
		if (d->by_ptr[i].stmt == s)
			d->by_ptr[i].stmt = NULL;
	sqlite3_finalize(s->st);
	free(s->sql);
	free(s);
}

static void hand_out(struct sq_db *d, struct sq_stmt *s, const char *sql,
		     size_t pslot, struct db_stmt **out)
{
	sqlite3_reset(s->st);
	sqlite3_clear_bindings(s->st);
	s->ret_state = 0;
	s->used = ++d->tick;
	s->sql_ptr = sql;
	d->by_ptr[pslot].sql = sql;
	d->by_ptr[pslot].stmt = s;
	*out = &s->base;
}

static ay_rc sq_prepare(struct db *db, const char *sql, struct db_stmt **out)
{
	struct sq_db *d = (struct sq_db *)db;
	size_t pslot = ((uintptr_t)sql >> 3) & (STMT_CACHE_SIZE - 1);
	uint64_t h;
	size_t slot;
	struct sq_stmt *s = d->by_ptr[pslot].stmt;
	sqlite3_stmt *st = NULL;
	bool rowid_ret = false;
	ay_rc rc;

	/* The text is compared too: a buffer may hold other SQL later. */
	if (s && d->by_ptr[pslot].sql == sql && s->sql_ptr == sql && s->sql &&
	    strcmp(s->sql, sql) == 0) {
		hand_out(d, s, sql, pslot, out);
		return AY_OK;
	}
	h = db_sql_hash(sql);
	slot = h & (STMT_CACHE_SIZE - 1);
	s = chain_find(d, slot, h, sql);
	if (s) {
		hand_out(d, s, sql, pslot, out);
		return AY_OK;
	}
	rc = sq_compile(d, sql, &st, &rowid_ret);
	if (rc)
		return rc;
	s = chain_slot_for_new(d, slot);
	if (!s) {
		sqlite3_finalize(st);
		return AY_ENOMEM;
	}
	s->base.drv = &db_driver_sqlite;
	s->owner = d;
	s->st = st;
	s->rowid_ret = rowid_ret;
	s->hash = h;
	s->sql = strdup(sql);
	if (!s->sql) {
		chain_drop(d, slot, s);
		return AY_ENOMEM;
	}
	hand_out(d, s, sql, pslot, out);
	return AY_OK;
}

/* SQLITE_FULL: the disk is full, or the size cap (max_page_count) is
 * reached. Nothing was written; the caller answers "try again later". */
static ay_rc full(struct sq_db *d)
{
	log_error("database full", "err=\"%s\"", sqlite3_errmsg(d->h));
	return AY_ENOSPC;
}

static bool sq_in_tx(struct db *db)
{
	return !sqlite3_get_autocommit(((struct sq_db *)db)->h);
}

static ay_rc sq_result(struct sq_stmt *s, int r)
{
	if (r == SQLITE_OK)
		return AY_OK;
	if (r == SQLITE_NOMEM)
		return AY_ENOMEM;
	if (r == SQLITE_TOOBIG)
		return AY_ETOOBIG;
	if ((r & 0xff) == SQLITE_FULL)
		return full(s->owner);
	log_error("statement failed", "err=\"%s\"",
		  sqlite3_errmsg(s->owner->h));
	return AY_EDB;
}

static ay_rc sq_bind_int(struct db_stmt *st, int i, int64_t v)
{
	struct sq_stmt *s = (struct sq_stmt *)st;

	return sq_result(s, sqlite3_bind_int64(s->st, i, v));
}

static ay_rc sq_bind_text(struct db_stmt *st, int i, const char *v, long len)
{
	struct sq_stmt *s = (struct sq_stmt *)st;

	if (!v)
		return sq_result(s, sqlite3_bind_null(s->st, i));
	return sq_result(s,
			 sqlite3_bind_text64(s->st, i, v,
					     len < 0 ? strlen(v) : (size_t)len,
					     SQLITE_TRANSIENT, SQLITE_UTF8));
}

static ay_rc sq_bind_null(struct db_stmt *st, int i)
{
	struct sq_stmt *s = (struct sq_stmt *)st;

	return sq_result(s, sqlite3_bind_null(s->st, i));
}

static ay_rc sq_step(struct db_stmt *st, bool *row)
{
	struct sq_stmt *s = (struct sq_stmt *)st;
	int r;

	*row = false;
	if (s->rowid_ret && s->ret_state) {
		s->ret_state = 2; /* the one row was read */
		return AY_OK;
	}
	r = sqlite3_step(s->st);
	if (s->rowid_ret && r == SQLITE_DONE) {
		sqlite3_reset(s->st);
		s->ret_state = 2;
		if (sqlite3_changes(s->owner->h) == 1) {
			s->ret_id = sqlite3_last_insert_rowid(s->owner->h);
			s->ret_state = 1;
			*row = true;
		}
		return AY_OK;
	}
	if (r == SQLITE_ROW) {
		*row = true;
		return AY_OK;
	}
	if (r == SQLITE_DONE) {
		sqlite3_reset(s->st);
		return AY_OK;
	}
	sqlite3_reset(s->st);
	if ((r & 0xff) == SQLITE_CONSTRAINT)
		return AY_ECONFLICT;
	if ((r & 0xff) == SQLITE_BUSY || (r & 0xff) == SQLITE_LOCKED) {
		log_warn("database busy", "err=\"%s\"",
			 sqlite3_errmsg(s->owner->h));
		return AY_EBUSY;
	}
	if ((r & 0xff) == SQLITE_FULL)
		return full(s->owner);
	return sq_result(s, r);
}

static int64_t sq_col_int(struct db_stmt *st, int i)
{
	struct sq_stmt *s = (struct sq_stmt *)st;

	if (s->rowid_ret)
		return s->ret_state == 1 && i == 0 ? s->ret_id : 0;
	return sqlite3_column_int64(s->st, i);
}

static const char *sq_col_text(struct db_stmt *st, int i)
{
	struct sq_stmt *s = (struct sq_stmt *)st;

	if (s->rowid_ret) {
		if (s->ret_state != 1 || i != 0)
			return NULL;
		snprintf(s->ret_text, sizeof(s->ret_text), "%lld",
			 (long long)s->ret_id);
		return s->ret_text;
	}
	return (const char *)sqlite3_column_text(s->st, i);
}

static ay_rc sq_bind_blob(struct db_stmt *st, int i, const void *v, size_t len)
{
	struct sq_stmt *s = (struct sq_stmt *)st;

	/* An empty blob is not NULL: SQLite binds a NULL pointer as NULL. */
	return sq_result(s, sqlite3_bind_blob64(s->st, i, len ? v : "", len,
						SQLITE_TRANSIENT));
}

static const void *sq_col_blob(struct db_stmt *st, int i, size_t *len)
{
	sqlite3_stmt *s = ((struct sq_stmt *)st)->st;
	const void *p;

	if (((struct sq_stmt *)st)->rowid_ret) {
		*len = 0;
		return NULL;
	}
	p = sqlite3_column_blob(s, i);

	*len = p ? (size_t)sqlite3_column_bytes(s, i) : 0;
	return p;
}

static bool sq_col_null(struct db_stmt *st, int i)
{
	struct sq_stmt *s = (struct sq_stmt *)st;

	if (s->rowid_ret)
		return s->ret_state != 1 || i != 0;
	return sqlite3_column_type(s->st, i) == SQLITE_NULL;
}

static void sq_reset(struct db_stmt *st)
{
	((struct sq_stmt *)st)->ret_state = 0;
	sqlite3_reset(((struct sq_stmt *)st)->st);
}

static ay_rc sq_exec(struct db *db, const char *sql)
{
	struct sq_db *d = (struct sq_db *)db;
	char *err = NULL;
	int r;

	/* A failed COMMIT (a full disk) may have rolled back already. */
	if (!strcmp(sql, "ROLLBACK") && sqlite3_get_autocommit(d->h))
		return AY_OK;
	r = sqlite3_exec(d->h, sql, NULL, NULL, &err);

	if (r == SQLITE_OK)
		return AY_OK;
	sqlite3_free(err);
	if ((r & 0xff) == SQLITE_FULL)
		return full(d);
	log_error("exec failed", "err=\"%s\" sql=\"%.120s\"",
		  sqlite3_errmsg(d->h), sql);
	if ((r & 0xff) == SQLITE_BUSY)
		return AY_EBUSY;
	return AY_EDB;
}

static int64_t sq_changes(struct db *db)
{
	return sqlite3_changes64(((struct sq_db *)db)->h);
}

static const char *sq_errmsg(struct db *db)
{
	return sqlite3_errmsg(((struct sq_db *)db)->h);
}

/* Run each statement of sql (a NULL-terminated list) once, cached. */
static ay_rc run_all(struct db *db, const char *const *sql)
{
	ay_rc rc = AY_OK;

	for (; !rc && *sql; sql++) {
		struct db_stmt *s = NULL;
		bool row;

		rc = sq_prepare(db, *sql, &s);
		if (!rc)
			rc = sq_step(s, &row);
		if (s)
			sq_reset(s);
	}
	return rc;
}

/* A batch of the writer begins: its new tickets and messages wait in
 * fts_pending (schema migration 30) instead of writing FTS5 statement by
 * statement. */
static ay_rc sq_batch_begin(struct db *db)
{
	static const char *const sql[] = {"UPDATE fts_defer SET defer = 1",
					  NULL};

	return run_all(db, sql);
}

/* The batch ends: index what it queued, in one go, inside its transaction,
 * so the commit holds the rows and their index together. */
static ay_rc sq_batch_end(struct db *db)
{
	static const char *const sql[] = {
		"INSERT INTO ticket_fts (rowid, subject)"
		" SELECT t.id, t.subject FROM fts_pending p"
		" JOIN tickets t ON t.id = p.id WHERE p.kind = 1",
		"INSERT INTO message_fts (rowid, body, scope)"
		" SELECT s.id, s.body, s.scope FROM fts_pending p"
		" JOIN message_search s ON s.id = p.id WHERE p.kind = 2",
		"DELETE FROM fts_pending", "UPDATE fts_defer SET defer = 0",
		NULL};

	return run_all(db, sql);
}

static void *ckpt_main(void *arg);

/* Open the checkpointer's connection and start its thread (c->lock held):
 * false when it cannot. */
static bool ckpt_run(struct sq_ckpt *c)
{
	if (sqlite3_open_v2(c->file, &c->h,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK ||
	    sqlite3_busy_timeout(c->h, 10000) != SQLITE_OK ||
	    /* A first read opens the WAL, which a checkpoint needs. */
	    sqlite3_exec(c->h, "PRAGMA schema_version", NULL, NULL, NULL) !=
		    SQLITE_OK) {
		log_error("cannot open the checkpointer's connection",
			  "err=\"%s\"",
			  c->h ? sqlite3_errmsg(c->h) : "out of memory");
	} else if (pthread_create(&c->thread, NULL, ckpt_main, c)) {
		log_error("cannot start the checkpointer", "err=\"%s\"",
			  strerror(errno));
	} else {
		c->running = true;
		return true;
	}
	sqlite3_close(c->h);
	c->h = NULL;
	return false;
}

/* Called by SQLite in the writer's thread after each of its commits, in
 * place of its automatic checkpoint: tell the checkpointer (started the
 * first time a checkpoint is due) how long the WAL is. Should it fail to
 * start, the writer checkpoints itself, as before. */
static int ckpt_hook(void *arg, sqlite3 *h, const char *name, int frames)
{
	struct sq_ckpt *c = arg;
	bool self = false;

	pthread_mutex_lock(&c->lock);
	c->frames = frames;
	if (frames >= CKPT_FRAMES) {
		if (c->running || ckpt_run(c))
			pthread_cond_signal(&c->wake);
		else
			self = true;
	}
	pthread_mutex_unlock(&c->lock);
	if (self)
		sqlite3_wal_checkpoint_v2(h, name, SQLITE_CHECKPOINT_PASSIVE,
					  NULL, NULL);
	return SQLITE_OK;
}

/* The checkpointer: a passive checkpoint (it waits for no reader or
 * writer) whenever a commit left CKPT_FRAMES frames or more in the WAL,
 * as SQLite's automatic checkpoint did in the writer. Its connection
 * (synchronous=FULL) syncs the WAL before copying and the database
 * after. */
static void *ckpt_main(void *arg)
{
	struct sq_ckpt *c = arg;

	pthread_setname_np(pthread_self(), "ay-checkpoint");
	pthread_mutex_lock(&c->lock);
	for (;;) {
		int r;

		while (!c->stop && c->frames < CKPT_FRAMES)
			pthread_cond_wait(&c->wake, &c->lock);
		if (c->stop)
			break;
		c->frames = 0;
		pthread_mutex_unlock(&c->lock);
		r = sqlite3_wal_checkpoint_v2(
			c->h, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		if (r != SQLITE_OK && (r & 0xff) != SQLITE_BUSY)
			log_warn("checkpoint failed", "err=\"%s\"",
				 sqlite3_errmsg(c->h));
		pthread_mutex_lock(&c->lock);
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

/* End the checkpointer (once its checkpoint under way is done) and free
 * it. NULL-safe. */
static void ckpt_stop(struct sq_ckpt *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	c->stop = true;
	pthread_cond_signal(&c->wake);
	pthread_mutex_unlock(&c->lock);
	if (c->running)
		pthread_join(c->thread, NULL);
	sqlite3_close(c->h);
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->wake);
	free(c->file);
	free(c);
}

/* Take the writer connection's checkpoints off its thread: the hook that
 * replaces SQLite's automatic checkpoint, and the checkpointer it wakes. */
static ay_rc ckpt_setup(struct sq_db *d, const char *file)
{
	struct sq_ckpt *c = calloc(1, sizeof(*c));

	if (!c)
		return AY_ENOMEM;
	c->file = strdup(file);
	if (!c->file) {
		free(c);
		return AY_ENOMEM;
	}
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->wake, NULL);
	d->ckpt = c;
	sqlite3_wal_hook(d->h, ckpt_hook, c);
	return AY_OK;
}

/* The writer connection commits without waiting for the disk
 * (synchronous=NORMAL: in WAL mode a commit writes its frames to the WAL and
 * returns; checkpoints still sync the WAL before and the database after),
 * and sq_sync makes its commits durable, from the store's sync thread,
 * before any of them is answered. Only in WAL mode: *on tells. Its
 * checkpoints run on a thread of their own (ckpt_setup). */
static ay_rc sq_sync_setup(struct db *db, bool *on)
{
	struct sq_db *d = (struct sq_db *)db;
	const char *file = sqlite3_db_filename(d->h, "main");
	struct db_stmt *s = NULL;
	bool row = false, wal;
	ay_rc rc;

	*on = false;
	rc = sq_prepare(db, "PRAGMA journal_mode", &s);
	if (!rc)
		rc = sq_step(s, &row);
	wal = !rc && row && !strcmp(sq_col_text(s, 0), "wal");
	if (s)
		sq_reset(s);
	if (rc || !wal || !file || !*file)
		return rc;
	if (asprintf(&d->wal_path, "%s-wal", file) < 0) {
		d->wal_path = NULL;
		return AY_ENOMEM;
	}
	rc = ckpt_setup(d, file);
	if (!rc)
		rc = sq_exec(db, "PRAGMA synchronous=NORMAL");
	*on = !rc;
	return rc;
}

/* Everything the writer connection has committed so far, on the disk: an
 * fdatasync of its WAL (any descriptor of the file syncs the file). Runs
 * in the sync thread, never beside itself. */
static ay_rc sq_sync(struct db *db)
{
	struct sq_db *d = (struct sq_db *)db;
	struct stat a, b;

	/* The WAL is the same file while the writer's connection is open;
	 * check anyway, a new file must not be mistaken for the old. */
	if (d->wal_fd >= 0 && (stat(d->wal_path, &a) || fstat(d->wal_fd, &b) ||
			       a.st_ino != b.st_ino || a.st_dev != b.st_dev)) {
		close(d->wal_fd);
		d->wal_fd = -1;
	}
	if (d->wal_fd < 0)
		d->wal_fd = open(d->wal_path, O_RDONLY | O_CLOEXEC);
	if (d->wal_fd >= 0 && !fdatasync(d->wal_fd))
		return AY_OK;
	log_error("cannot sync the database's WAL", "path=\"%s\" err=\"%s\"",
		  d->wal_path, strerror(errno));
	return errno == ENOSPC || errno == EDQUOT ? AY_ENOSPC : AY_EDB;
}

const struct db_driver db_driver_sqlite = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.prepare = sq_prepare,
	.bind_int = sq_bind_int,
	.bind_text = sq_bind_text,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.col_int = sq_col_int,
	.col_text = sq_col_text,
	.col_null = sq_col_null,
	.bind_blob = sq_bind_blob,
	.col_blob = sq_col_blob,
	.reset = sq_reset,
	.exec = sq_exec,
	.changes = sq_changes,
	.errmsg = sq_errmsg,
	.in_tx = sq_in_tx,
	.batch_begin = sq_batch_begin,
	.batch_end = sq_batch_end,
	.sync_setup = sq_sync_setup,
	.sync = sq_sync,
};
