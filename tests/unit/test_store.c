/* Unit tests: SQLite driver, migrations, group commit, job isolation. */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "domain/common.h"
#include "testutil.h"

static ay_rc insert_setting(struct db *db, void *arg)
{
	const char *key = arg;

	return db_run(db, NULL, NULL,
		      "INSERT INTO settings (key, value) VALUES ($1, $2)", "ss",
		      key, "v");
}

static ay_rc insert_then_fail(struct db *db, void *arg)
{
	ay_rc rc = insert_setting(db, arg);

	return rc ? rc : AY_EINVAL;
}

static int count_settings(struct store *st)
{
	struct db *db;
	int64_t n = -1;

	assert_int_equal(store_reader(st, &db), AY_OK);
	assert_int_equal(
		db_count(db, &n, "SELECT COUNT(*) FROM settings", NULL), AY_OK);
	return (int)n;
}

/* db_count(): the first column of the first row, with parameters; 0 when
 * no row comes back; an error is the store's. */
static void db_count_reads_one_number(void **state)
{
	const char *dir = test_tmpdir();
	struct store *st;
	struct db *db;
	int64_t n = -1;

	(void)state;
	assert_int_equal(store_open(dir, true, &st), AY_OK);
	assert_int_equal(store_write(st, insert_setting, "uno"), AY_OK);
	assert_int_equal(store_write(st, insert_setting, "dos"), AY_OK);
	assert_int_equal(store_reader(st, &db), AY_OK);
	assert_int_equal(
		db_count(db, &n,
			 "SELECT COUNT(*) FROM settings WHERE key <> $1", "s",
			 "uno"),
		AY_OK);
	assert_int_equal(n, 1);
	assert_int_equal(db_count(db, &n,
				  "SELECT 7 FROM settings WHERE key = $1", "s",
				  "tres"),
			 AY_OK);
	assert_int_equal(n, 0);
	assert_int_not_equal(
		db_count(db, &n, "SELECT COUNT(*) FROM nope", NULL), AY_OK);
	store_close(st);
	test_rmdir(dir);
}

static void migrations_apply_once(void **state)
{
	const char *dir = test_tmpdir();
	struct store *st;
	struct db *db;

	(void)state;
	assert_int_equal(store_open(dir, false, &st), AY_EBUSY);
	assert_int_equal(store_open(dir, true, &st), AY_OK);
	assert_int_equal(store_reader(st, &db), AY_OK);
	int v = store_schema_version(db);
	assert_true(v >= 1);
	store_close(st);
	/* Reopening applies nothing new and keeps the version. */
	assert_int_equal(store_open(dir, false, &st), AY_OK);
	assert_int_equal(store_reader(st, &db), AY_OK);
	assert_int_equal(store_schema_version(db), v);
	store_close(st);
	test_rmdir(dir);
}

static void failed_job_rolls_back_only_itself(void **state)
{
	const char *dir = test_tmpdir();
	struct store *st;

	(void)state;
	assert_int_equal(store_open(dir, true, &st), AY_OK);
	assert_int_equal(store_write(st, insert_setting, "a"), AY_OK);
	assert_int_equal(store_write(st, insert_then_fail, "b"), AY_EINVAL);
	/* A constraint violation is a conflict, and is rolled back. */
	assert_int_equal(store_write(st, insert_setting, "a"), AY_ECONFLICT);
	assert_int_equal(count_settings(st), 1);
	store_close(st);
	test_rmdir(dir);
}

struct burst {
	struct store *st;
	int base;
	int ok;
};

static void *burst_main(void *arg)
{
	struct burst *b = arg;
	char key[32];

	for (int i = 0; i < 200; i++) {
		snprintf(key, sizeof(key), "k%d-%d", b->base, i);
		if (store_write(b->st, insert_setting, key) == AY_OK)
			b->ok++;
		/* Every tenth job fails and must not take others with it. */
		if (i % 10 == 0) {
			snprintf(key, sizeof(key), "f%d-%d", b->base, i);
			assert_int_equal(
				store_write(b->st, insert_then_fail, key),
				AY_EINVAL);
		}
	}
	return NULL;
}

static void concurrent_writers_all_commit(void **state)
{
	const char *dir = test_tmpdir();
	struct burst b[8];
	pthread_t th[8];
	struct store *st;
	int total = 0;

	(void)state;
	assert_int_equal(store_open(dir, true, &st), AY_OK);
	for (int i = 0; i < 8; i++) {
		b[i] = (struct burst){st, i, 0};
		pthread_create(&th[i], NULL, burst_main, &b[i]);
	}
	for (int i = 0; i < 8; i++) {
		pthread_join(th[i], NULL);
		total += b[i].ok;
	}
	assert_int_equal(total, 1600);
	assert_int_equal(count_settings(st), 1600);
	store_close(st);
	test_rmdir(dir);
}

static void positional_params_in_any_order(void **state)
{
	const char *dir = test_tmpdir();
	struct store *st;
	struct db *db;
	struct db_stmt *s = NULL;
	bool row;

	(void)state;
	assert_int_equal(store_open(dir, true, &st), AY_OK);
	assert_int_equal(store_reader(st, &db), AY_OK);
	assert_int_equal(db_run(db, &s, &row,
				"SELECT $2 || '-' || $1 || '-' || $2 || '$1'",
				"ss", "a", "b"),
			 AY_OK);
	assert_true(row);
	assert_string_equal(db_col_text(s, 0), "b-a-b$1");
	db_reset(s);
	store_close(st);
	test_rmdir(dir);
}

static ay_rc try_update_event(struct db *db, void *arg)
{
	(void)arg;
	ay_rc rc = event_add(db, 0, 0, "test", NULL);

	if (rc)
		return rc;
	return db_exec(db, "UPDATE events SET kind = 'changed'");
}

static void events_are_immutable(void **state)
{
	const char *dir = test_tmpdir();
	struct store *st;

	(void)state;
	assert_int_equal(store_open(dir, true, &st), AY_OK);
	assert_int_not_equal(store_write(st, try_update_event, NULL), AY_OK);
	store_close(st);
	test_rmdir(dir);
}

struct lease_try {
	const char *holder;
	int64_t now;
	bool got;
};

static ay_rc lease_try_run(struct db *db, void *arg)
{
	struct lease_try *t = arg;

	return store_lease_take(db, "sla", t->holder, t->now, t->now + 60,
				&t->got);
}

static bool lease_try(struct store *st, const char *holder, int64_t now)
{
	struct lease_try t = {holder, now, false};

	assert_int_equal(store_write(st, lease_try_run, &t), AY_OK);
	return t.got;
}

static ay_rc lease_drop_run(struct db *db, void *arg)
{
	return store_lease_drop(db, "sla", arg);
}

/* A lease has one holder until it ends or is given back; its holder
 * renews it; another server takes it only then. */
static void lease_one_holder_until_it_ends(void **state)
{
	const char *dir = test_tmpdir();
	struct store *st;

	(void)state;
	assert_int_equal(store_open(dir, true, &st), AY_OK);
	assert_true(lease_try(st, "a:1", 1000));
	assert_false(lease_try(st, "b:2", 1030));
	assert_true(lease_try(st, "a:1", 1050)); /* renewed until 1110 */
	assert_false(lease_try(st, "b:2", 1100));
	assert_true(lease_try(st, "b:2", 1110)); /* a died: it ended */
	assert_false(lease_try(st, "a:1", 1111));
	assert_int_equal(store_write(st, lease_drop_run, "a:1"), AY_OK);
	assert_false(lease_try(st, "a:1", 1112)); /* not a's to give */
	assert_int_equal(store_write(st, lease_drop_run, "b:2"), AY_OK);
	assert_true(lease_try(st, "a:1", 1113));
	store_close(st);
	test_rmdir(dir);
}

/* A caller stepping a statement keeps reading its own rows however many
 * other statements are prepared meanwhile: thousands of distinct SQL texts
 * fill every slot of the statement cache several times over, so at least
 * one of them lands in the busy statement's slot. */
/* The search index of a writer's batch (schema migration 30): rows queue
 * in fts_pending during the batch and are indexed once before its commit;
 * a failed job leaves nothing queued or indexed, a row changed, moved or
 * deleted while queued is indexed as it ends up. */
struct gate {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool open;
	int done;
	ay_rc rc[8];
};

static struct gate *the_gate;

/* Holds the writer until the test opens the gate. */
static ay_rc gate_wait(struct db *db, void *arg)
{
	struct gate *g = the_gate;

	(void)db;
	(void)arg;
	pthread_mutex_lock(&g->lock);
	while (!g->open)
		pthread_cond_wait(&g->cond, &g->lock);
	pthread_mutex_unlock(&g->lock);
	return AY_OK;
}

/* arg: the job's index in rc[]. */
static void gate_done(void *arg, ay_rc rc)
{
	struct gate *g = the_gate;

	pthread_mutex_lock(&g->lock);
	g->rc[(intptr_t)arg] = rc;
	g->done++;
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->lock);
}

static int64_t count_of(struct db *db, const char *sql)
{
	struct db_stmt *s = NULL;
	bool row = false;
	int64_t n;

	assert_int_equal(db_run(db, &s, &row, sql, NULL), AY_OK);
	assert_true(row);
	n = db_col_int(s, 0);
	db_reset(s);
	return n;
}

static ay_rc add_ticket(struct db *db, int64_t id, const char *subject,
			const char *body)
{
	ay_rc rc = db_run(db, NULL, NULL,
			  "INSERT INTO tickets (id, number, subject, status,"
			  " category, channel, requester_id, sla_level,"
			  " created_at, updated_at) VALUES ($1, $1, $2, 'new',"
			  " 'support', 'api', 1, 'x', 0, 0)",
			  "is", id, subject);

	if (!rc)
		rc = db_run(db, NULL, NULL,
			    "INSERT INTO messages (id, ticket_id, kind, body,"
			    " created_at) VALUES ($1, $1, 'customer', $2, 0)",
			    "is", id, body);
	return rc;
}

/* Ticket 1 "alfa" / "bravo": both wait in the queue; its message then
 * changed to "charlie" is indexed as it changes. */
static ay_rc job_changed(struct db *db, void *arg)
{
	ay_rc rc = add_ticket(db, 1, "alfa", "bravo");

	(void)arg;
	if (!rc && count_of(db, "SELECT COUNT(*) FROM fts_pending") != 2)
		rc = AY_EDB;
	if (!rc)
		rc = db_run(db, NULL, NULL,
			    "UPDATE messages SET body = 'charlie' WHERE id = 1",
			    NULL);
	if (!rc && count_of(db, "SELECT COUNT(*) FROM fts_pending") != 1)
		rc = AY_EDB;
	return rc;
}

static ay_rc job_failed(struct db *db, void *arg)
{
	ay_rc rc = add_ticket(db, 2, "delta", "echo");

	(void)arg;
	return rc ? rc : AY_EINVAL;
}

static ay_rc job_deleted(struct db *db, void *arg)
{
	ay_rc rc = add_ticket(db, 3, "foxtrot", "golf");

	(void)arg;
	if (!rc)
		rc = db_run(db, NULL, NULL, "DELETE FROM messages WHERE id = 3",
			    NULL);
	if (!rc)
		rc = db_run(db, NULL, NULL,
			    "UPDATE tickets SET subject = 'india' WHERE id = 3",
			    NULL);
	return rc;
}

/* Ticket 1 changes hands while its message is still queued. */
static ay_rc job_moved(struct db *db, void *arg)
{
	(void)arg;
	return db_run(db, NULL, NULL,
		      "UPDATE tickets SET requester_id = 2 WHERE id = 1", NULL);
}

static ay_rc job_reworded(struct db *db, void *arg)
{
	(void)arg;
	return db_run(db, NULL, NULL,
		      "UPDATE messages SET body = 'hotel' WHERE id = 1", NULL);
}

static ay_rc add_users(struct db *db, void *arg)
{
	(void)arg;
	return db_exec(db, "INSERT INTO users (id, email, name, role,"
			   " created_at) VALUES (1, 'a@x', 'A', 'customer', 0),"
			   " (2, 'b@x', 'B', 'customer', 0)");
}

static void batch_indexes_search_once(void **state)
{
	static const store_job_fn jobs[] = {job_changed, job_failed,
					    job_deleted, job_moved};
	const char *dir = test_tmpdir();
	struct gate g = {.open = false};
	struct store *st;
	struct db *db;

	(void)state;
	pthread_mutex_init(&g.lock, NULL);
	pthread_cond_init(&g.cond, NULL);
	the_gate = &g;
	assert_int_equal(store_open(dir, true, &st), AY_OK);
	assert_int_equal(store_write(st, add_users, NULL), AY_OK);
	/* The gate holds the writer, so the four jobs wait and then run as
	 * one batch. */
	assert_int_equal(store_submit(st, gate_wait, gate_done, NULL), AY_OK);
	for (intptr_t i = 0; i < 4; i++)
		assert_int_equal(
			store_submit(st, jobs[i], gate_done, (void *)(i + 1)),
			AY_OK);
	pthread_mutex_lock(&g.lock);
	g.open = true;
	pthread_cond_broadcast(&g.cond);
	while (g.done < 5)
		pthread_cond_wait(&g.cond, &g.lock);
	pthread_mutex_unlock(&g.lock);
	assert_int_equal(g.rc[1], AY_OK);
	assert_int_equal(g.rc[2], AY_EINVAL);
	assert_int_equal(g.rc[3], AY_OK);
	assert_int_equal(g.rc[4], AY_OK);

	assert_int_equal(store_reader(st, &db), AY_OK);
	assert_int_equal(count_of(db, "SELECT COUNT(*) FROM fts_pending"), 0);
	assert_int_equal(count_of(db, "SELECT defer FROM fts_defer"), 0);
	assert_int_equal(count_of(db, "SELECT COUNT(*) FROM ticket_fts"
				      " WHERE ticket_fts MATCH 'alfa'"),
			 1);
	assert_int_equal(count_of(db, "SELECT COUNT(*) FROM ticket_fts"
				      " WHERE ticket_fts MATCH 'india'"),
			 1);
	assert_int_equal(count_of(db, "SELECT COUNT(*) FROM ticket_fts"
				      " WHERE ticket_fts MATCH 'foxtrot'"),
			 0);
	assert_int_equal(count_of(db, "SELECT COUNT(*) FROM ticket_fts"
				      " WHERE ticket_fts MATCH 'delta'"),
			 0);
	assert_int_equal(count_of(db, "SELECT COUNT(*) FROM message_fts"
				      " WHERE message_fts MATCH"
				      " 'body : charlie AND scope : u2'"),
			 1);
	assert_int_equal(count_of(db, "SELECT COUNT(*) FROM message_fts"
				      " WHERE message_fts MATCH"
				      " 'bravo OR echo OR golf OR u1'"),
			 0);
	/* Once indexed, a change goes to the index at once. */
	assert_int_equal(store_write(st, job_reworded, NULL), AY_OK);
	assert_int_equal(count_of(db, "SELECT COUNT(*) FROM message_fts"
				      " WHERE message_fts MATCH 'hotel'"),
			 1);
	assert_int_equal(count_of(db, "SELECT COUNT(*) FROM message_fts"
				      " WHERE message_fts MATCH 'charlie'"),
			 0);
	assert_int_equal(db_exec(db, "INSERT INTO message_fts (message_fts,"
				     " rank) VALUES ('integrity-check', 1);"
				     "INSERT INTO ticket_fts (ticket_fts, rank)"
				     " VALUES ('integrity-check', 1)"),
			 AY_OK);
	store_close(st);
	pthread_mutex_destroy(&g.lock);
	pthread_cond_destroy(&g.cond);
	test_rmdir(dir);
}

static void busy_statement_survives_collisions(void **state)
{
	const char *dir = test_tmpdir();
	const char *keys[] = {"k1", "k2", "k3"};
	struct store *st;
	struct db *db;
	struct db_stmt *s = NULL, *o = NULL;
	char sql[64];
	bool row;

	(void)state;
	assert_int_equal(store_open(dir, true, &st), AY_OK);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(
			store_write(st, insert_setting, (void *)keys[i]),
			AY_OK);
	assert_int_equal(store_reader(st, &db), AY_OK);
	assert_int_equal(db_run(db, &s, &row,
				"SELECT key FROM settings WHERE key LIKE 'k%'"
				" ORDER BY key",
				NULL),
			 AY_OK);
	assert_true(row);
	assert_string_equal(db_col_text(s, 0), "k1");
	for (int i = 0; i < 4000; i++) {
		snprintf(sql, sizeof(sql), "SELECT 'other', %d", i);
		assert_int_equal(db_run(db, &o, &row, sql, NULL), AY_OK);
		assert_true(row);
		assert_int_equal(db_col_int(o, 1), i);
		db_reset(o);
	}
	assert_int_equal(db_step(s, &row), AY_OK);
	assert_true(row);
	assert_string_equal(db_col_text(s, 0), "k2");
	assert_int_equal(db_step(s, &row), AY_OK);
	assert_true(row);
	assert_string_equal(db_col_text(s, 0), "k3");
	assert_int_equal(db_step(s, &row), AY_OK);
	assert_false(row);
	store_close(st);
	test_rmdir(dir);
}

/* fdatasync as the store calls it: while the test holds them, the store's
 * sync thread's syncs of the WAL wait here (counted in held). */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool hold;
	dev_t dev;
	ino_t ino;
	int held;
	bool ran2;   /* the second job ran */
	int done[3]; /* each job's reports */
	ay_rc rc[3];
	/* the database file's syncs (a checkpoint's), from any thread */
	bool hold_db;
	dev_t db_dev;
	ino_t db_ino;
	int db_held;
} wal_sync = {.lock = PTHREAD_MUTEX_INITIALIZER,
	      .cond = PTHREAD_COND_INITIALIZER};

int fdatasync(int fd)
{
	static int (*real)(int);
	struct stat sb;
	char name[16] = "";

	if (!real)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
	pthread_getname_np(pthread_self(), name, sizeof(name));
	pthread_mutex_lock(&wal_sync.lock);
	if (wal_sync.hold && !strcmp(name, "ay-sync") && !fstat(fd, &sb) &&
	    sb.st_dev == wal_sync.dev && sb.st_ino == wal_sync.ino) {
		wal_sync.held++;
		pthread_cond_broadcast(&wal_sync.cond);
		while (wal_sync.hold)
			pthread_cond_wait(&wal_sync.cond, &wal_sync.lock);
	}
	if (wal_sync.hold_db && !fstat(fd, &sb) &&
	    sb.st_dev == wal_sync.db_dev && sb.st_ino == wal_sync.db_ino) {
		wal_sync.db_held++;
		pthread_cond_broadcast(&wal_sync.cond);
		while (wal_sync.hold_db)
			pthread_cond_wait(&wal_sync.cond, &wal_sync.lock);
	}
	pthread_mutex_unlock(&wal_sync.lock);
	return real(fd);
}

/* Wait (the lock held) until *flag, 10 s at most. */
static bool wal_sync_until(const bool *flag, const int *count)
{
	struct timespec end;

	clock_gettime(CLOCK_REALTIME, &end);
	end.tv_sec += 10;
	while (!(flag ? *flag : *count > 0))
		if (pthread_cond_timedwait(&wal_sync.cond, &wal_sync.lock,
					   &end) == ETIMEDOUT)
			return false;
	return true;
}

static ay_rc insert_first(struct db *db, void *arg)
{
	(void)arg;
	return insert_setting(db, "s1");
}

static ay_rc insert_second(struct db *db, void *arg)
{
	ay_rc rc = insert_setting(db, "s2");

	(void)arg;
	pthread_mutex_lock(&wal_sync.lock);
	wal_sync.ran2 = true;
	pthread_cond_broadcast(&wal_sync.cond);
	pthread_mutex_unlock(&wal_sync.lock);
	return rc;
}

static void sync_done(void *arg, ay_rc rc)
{
	intptr_t i = (intptr_t)arg;

	pthread_mutex_lock(&wal_sync.lock);
	wal_sync.done[i]++;
	wal_sync.rc[i] = rc;
	pthread_cond_broadcast(&wal_sync.cond);
	pthread_mutex_unlock(&wal_sync.lock);
}

/* A write is answered only after the sync of the WAL that follows its
 * commit, and the writer runs the next write meanwhile instead of waiting
 * for the disk. */
static void answer_waits_for_its_sync(void **state)
{
	const char *dir = test_tmpdir();
	char wal[128];
	struct stat sb;
	struct store *st;
	bool held, ran2;
	int done1;

	(void)state;
	assert_int_equal(store_open(dir, true, &st), AY_OK);
	assert_int_equal(store_write(st, insert_setting, "s0"), AY_OK);
	snprintf(wal, sizeof(wal), "%s/ayuda.db-wal", dir);
	assert_int_equal(stat(wal, &sb), 0);
	pthread_mutex_lock(&wal_sync.lock);
	wal_sync.dev = sb.st_dev;
	wal_sync.ino = sb.st_ino;
	wal_sync.hold = true;
	pthread_mutex_unlock(&wal_sync.lock);

	assert_int_equal(
		store_submit(st, insert_first, sync_done, (void *)(intptr_t)1),
		AY_OK);
	pthread_mutex_lock(&wal_sync.lock);
	held = wal_sync_until(NULL, &wal_sync.held);
	pthread_mutex_unlock(&wal_sync.lock);
	assert_true(held); /* the first write's commit is being synced */
	assert_int_equal(
		store_submit(st, insert_second, sync_done, (void *)(intptr_t)2),
		AY_OK);
	pthread_mutex_lock(&wal_sync.lock);
	ran2 = wal_sync_until(&wal_sync.ran2, NULL);
	done1 = wal_sync.done[1];
	wal_sync.hold = false;
	pthread_cond_broadcast(&wal_sync.cond);
	pthread_mutex_unlock(&wal_sync.lock);
	assert_true(ran2);	    /* the writer did not wait for the disk */
	assert_int_equal(done1, 0); /* nothing answered before its sync */

	pthread_mutex_lock(&wal_sync.lock);
	while (!wal_sync.done[1] || !wal_sync.done[2])
		pthread_cond_wait(&wal_sync.cond, &wal_sync.lock);
	pthread_mutex_unlock(&wal_sync.lock);
	assert_int_equal(wal_sync.rc[1], AY_OK);
	assert_int_equal(wal_sync.rc[2], AY_OK);
	assert_int_equal(count_settings(st), 3);
	store_close(st);
	test_rmdir(dir);
}

/* A job that writes about 6 MB (1,500 pages of the WAL: a checkpoint is
 * due after its commit). */
static ay_rc insert_big(struct db *db, void *arg)
{
	(void)arg;
	return db_run(db, NULL, NULL,
		      "INSERT INTO settings (key, value)"
		      " VALUES ('big', hex(zeroblob(3000000)))",
		      NULL);
}

/* Writes go on while a checkpoint copies the WAL into the database and
 * syncs it: the writer does not checkpoint, a thread of its own does. */
static void writes_go_on_during_a_checkpoint(void **state)
{
	const char *dir = test_tmpdir();
	char path[128];
	struct stat sb;
	struct store *st;
	bool held, done;

	(void)state;
	assert_int_equal(store_open(dir, true, &st), AY_OK);
	snprintf(path, sizeof(path), "%s/ayuda.db", dir);
	assert_int_equal(stat(path, &sb), 0);
	pthread_mutex_lock(&wal_sync.lock);
	wal_sync.db_dev = sb.st_dev;
	wal_sync.db_ino = sb.st_ino;
	wal_sync.hold_db = true;
	memset(wal_sync.done, 0, sizeof(wal_sync.done));
	pthread_mutex_unlock(&wal_sync.lock);

	assert_int_equal(
		store_submit(st, insert_big, sync_done, (void *)(intptr_t)1),
		AY_OK);
	pthread_mutex_lock(&wal_sync.lock);
	held = wal_sync_until(NULL, &wal_sync.db_held);
	pthread_mutex_unlock(&wal_sync.lock);
	assert_true(held); /* a checkpoint syncs the database */
	assert_int_equal(
		store_submit(st, insert_first, sync_done, (void *)(intptr_t)2),
		AY_OK);
	pthread_mutex_lock(&wal_sync.lock);
	done = wal_sync_until(NULL, &wal_sync.done[2]);
	wal_sync.hold_db = false;
	pthread_cond_broadcast(&wal_sync.cond);
	pthread_mutex_unlock(&wal_sync.lock);
	assert_true(done); /* answered, durable, during the checkpoint */
	assert_int_equal(wal_sync.rc[2], AY_OK);
	assert_int_equal(count_settings(st), 2);
	store_close(st);
	test_rmdir(dir);
}

/* Inserting a ticket builds no temporary table: the conditions of the
 * partial indexes it updates compare in place (a list of three values
 * made SQLite build one for each of the eight unsolved indexes, at every
 * insert: half of the insert's work). */
static void ticket_insert_builds_no_temp_table(void **state)
{
	const char *dir = test_tmpdir();
	struct db_stmt *s = NULL;
	struct store *st;
	struct db *db;
	bool row = false;
	int ops = 0;

	(void)state;
	assert_int_equal(store_open(dir, true, &st), AY_OK);
	assert_int_equal(store_reader(st, &db), AY_OK);
	assert_int_equal(
		db_run(db, &s, &row,
		       "EXPLAIN INSERT INTO tickets (number, subject, status,"
		       " category, channel, requester_id, company_id,"
		       " sla_level, sla_reason, sla_level_id, user_agent,"
		       " created_at, updated_at, continues_id, sla_reason_en)"
		       " VALUES (1, 's', 'new', 'support', 'api', 1, NULL,"
		       " 'bronze', '', NULL, NULL, 0, 0, NULL, NULL)",
		       NULL),
		AY_OK);
	while (row) {
		const char *op = db_col_text(s, 1);

		ops++;
		if (!strcmp(op, "OpenEphemeral"))
			fail_msg("a temporary table at op %d",
				 (int)db_col_int(s, 0));
		assert_int_equal(db_step(s, &row), AY_OK);
	}
	assert_true(ops > 100); /* the program, with its indexes and triggers */
	store_close(st);
	test_rmdir(dir);
}

/* What returning_ids saw, checked by the test's thread. */
struct ret_ids {
	int64_t side_max; /* the last row the trigger inserted */
	int64_t id[5];	  /* each insert's id (0: no row) */
	int rows[5];	  /* rows each insert returned */
	ay_rc rc[5];
};

/* Run an INSERT ... RETURNING id: its id and how many rows came. */
static void insert_id(struct db *db, const char *sql, struct ret_ids *r, int i)
{
	struct db_stmt *s = NULL;
	bool row = false;

	r->rc[i] = db_run(db, &s, &row, sql, NULL);
	while (!r->rc[i] && row) {
		r->rows[i]++;
		r->id[i] = db_col_int(s, 0);
		if (db_col_null(s, 0) ||
		    strtoll(db_col_text(s, 0), NULL, 10) != r->id[i])
			r->id[i] = -1;
		r->rc[i] = db_step(s, &row);
	}
	if (s)
		db_reset(s);
}

#define COMPANY(values)                                                        \
	"INSERT INTO companies (id, name, created_at) VALUES " values          \
	" RETURNING id"

static ay_rc returning_ids(struct db *db, void *arg)
{
	struct ret_ids *r = arg;
	ay_rc rc;

	/* Each new company inserts three rows of its own elsewhere. */
	rc = db_exec(db,
		     "CREATE TABLE side (id INTEGER PRIMARY KEY, x);"
		     "CREATE TRIGGER side_ai AFTER INSERT ON companies BEGIN"
		     " INSERT INTO side (x) VALUES (1), (2), (3); END;");
	if (rc)
		return rc;
	insert_id(db, COMPANY("(100, 'a', 0)"), r, 0);
	insert_id(db, COMPANY("(NULL, 'b', 0)"), r, 1);
	insert_id(db, COMPANY("(NULL, 'b', 0)"), r, 2); /* name taken */
	insert_id(db,
		  "INSERT INTO companies (name, created_at) VALUES ('b', 0)"
		  " ON CONFLICT (name) DO NOTHING RETURNING id",
		  r, 3);
	insert_id(db, COMPANY("(NULL, 'c', 0)"), r, 4);
	return db_count(db, &r->side_max, "SELECT MAX(id) FROM side", NULL);
}

/* INSERT ... RETURNING id gives the new row's id once (SQLite's driver
 * reads it from the last rowid for one row of VALUES), whatever the
 * table's triggers insert elsewhere; nothing for a row not inserted. */
static void insert_returning_id(void **state)
{
	const char *dir = test_tmpdir();
	struct ret_ids r = {0};
	struct store *st;

	(void)state;
	assert_int_equal(store_open(dir, true, &st), AY_OK);
	assert_int_equal(store_write(st, returning_ids, &r), AY_OK);
	assert_int_equal(r.side_max, 9); /* three companies */
	assert_int_equal(r.rc[0], AY_OK);
	assert_int_equal(r.rows[0], 1);
	assert_int_equal(r.id[0], 100);
	assert_int_equal(r.rc[1], AY_OK);
	assert_int_equal(r.rows[1], 1);
	assert_int_equal(r.id[1], 101);
	assert_int_equal(r.rc[2], AY_ECONFLICT);
	assert_int_equal(r.rows[2], 0);
	assert_int_equal(r.rc[3], AY_OK);
	assert_int_equal(r.rows[3], 0);
	assert_int_equal(r.rc[4], AY_OK);
	assert_int_equal(r.rows[4], 1);
	assert_int_equal(r.id[4], 102);
	store_close(st);
	test_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(migrations_apply_once),
		cmocka_unit_test(db_count_reads_one_number),
		cmocka_unit_test(failed_job_rolls_back_only_itself),
		cmocka_unit_test(concurrent_writers_all_commit),
		cmocka_unit_test(positional_params_in_any_order),
		cmocka_unit_test(events_are_immutable),
		cmocka_unit_test(busy_statement_survives_collisions),
		cmocka_unit_test(lease_one_holder_until_it_ends),
		cmocka_unit_test(batch_indexes_search_once),
		cmocka_unit_test(answer_waits_for_its_sync),
		cmocka_unit_test(writes_go_on_during_a_checkpoint),
		cmocka_unit_test(ticket_insert_builds_no_temp_table),
		cmocka_unit_test(insert_returning_id),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
