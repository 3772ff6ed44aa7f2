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
#include "store/db.h"

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
