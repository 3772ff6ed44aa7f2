/* Unit tests: SQLite driver, migrations, group commit, job isolation. */
#include <pthread.h>

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
	struct db_stmt *s = NULL;
	bool row;
	int n;

	assert_int_equal(store_reader(st, &db), AY_OK);
	assert_int_equal(
		db_run(db, &s, &row, "SELECT COUNT(*) FROM settings", NULL),
		AY_OK);
	assert_true(row);
	n = (int)db_col_int(s, 0);
	db_reset(s);
	return n;
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(migrations_apply_once),
		cmocka_unit_test(failed_job_rolls_back_only_itself),
		cmocka_unit_test(concurrent_writers_all_commit),
		cmocka_unit_test(positional_params_in_any_order),
		cmocka_unit_test(events_are_immutable),
		cmocka_unit_test(busy_statement_survives_collisions),
		cmocka_unit_test(lease_one_holder_until_it_ends),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
