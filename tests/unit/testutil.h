/* Helpers shared by the unit tests: a fresh data dir with a store. */
#ifndef AY_TESTUTIL_H
#define AY_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "domain/user.h"
#include "sla/bizcal.h"
#include "store/db.h"

/* The instant of an ISO 8601 text the test itself wrote. */
static inline int64_t test_iso(const char *s)
{
	int64_t t = 0;

	if (sla_parse_iso8601(s, &t))
		fail_msg("bad ISO in test: %s", s);
	return t;
}

/* Create an empty temporary directory; returns a static path. */
static inline const char *test_tmpdir(void)
{
	static char path[64];

	snprintf(path, sizeof(path), "/tmp/ayuda-unit-XXXXXX");
	assert_non_null(mkdtemp(path));
	return path;
}

static inline void test_rmdir(const char *dir)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* A new store in a new temporary directory, seeded by seed(db, arg) in one
 * write (seed may be NULL). */
static inline void test_store_new(const char **dir, struct store **st,
				  store_job_fn seed, void *arg)
{
	*dir = test_tmpdir();
	assert_int_equal(store_open(*dir, true, st), AY_OK);
	if (seed)
		assert_int_equal(store_write(*st, seed, arg), AY_OK);
}

/* Close the store and remove its directory. */
static inline void test_store_free(const char *dir, struct store *st)
{
	store_close(st);
	test_rmdir(dir);
}

/* Add a user (named after the address) and return its id. */
static inline int64_t test_add_user(struct db *db, const char *email,
				    const char *role, const char *company,
				    bool contact)
{
	struct user_new u = {.email = email,
			     .name = email,
			     .role = role,
			     .company = company,
			     .is_contact = contact};
	struct verr e;
	json_t *o = NULL;
	int64_t id;

	assert_int_equal(user_add(db, 0, &u, &o, &e), AY_OK);
	id = json_integer_value(json_object_get(o, "id"));
	json_decref(o);
	return id;
}

#endif
