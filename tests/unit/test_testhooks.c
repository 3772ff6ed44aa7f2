/* Unit tests: AYUDA_FAKE_NOW and AYUDA_PWHASH_FAST work in a build made
 * for tests only (issue 8, item 10). Compiled twice: linked with the
 * library (AY_EXPECT_HOOKS as the build's AY_TEST_HOOKS), and with
 * src/util/testhooks.c compiled as a release build compiles it
 * (AY_EXPECT_HOOKS 0). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

#include "util/testhooks.h"

static void hooks(void **state)
{
	(void)state;
	setenv("AYUDA_FAKE_NOW", "1893456000", 1);
	setenv("AYUDA_PWHASH_FAST", "1", 1);
	setenv("AYUDA_TEST_PG_SCHEMA_PER_DIR", "1", 1);
	assert_int_equal(ay_test_build(), AY_EXPECT_HOOKS);
	assert_int_equal(ay_test_pg_schema_per_dir(), AY_EXPECT_HOOKS);
	assert_int_equal(ay_test_now(), AY_EXPECT_HOOKS ? 1893456000 : 0);
	assert_int_equal(ay_test_pwhash_fast(), AY_EXPECT_HOOKS);
	unsetenv("AYUDA_FAKE_NOW");
	unsetenv("AYUDA_PWHASH_FAST");
	if (AY_EXPECT_HOOKS)
		assert_string_equal(ay_test_pg_schema_prefix(), "d");
	/* run-api.sh's own start of the names; anything else is refused
	 * (it goes into SQL and a URL). */
	setenv("AYUDA_TEST_PG_SCHEMA_PER_DIR", "t0a1b2c3d_", 1);
	if (AY_EXPECT_HOOKS)
		assert_string_equal(ay_test_pg_schema_prefix(), "t0a1b2c3d_");
	setenv("AYUDA_TEST_PG_SCHEMA_PER_DIR", "t\"; DROP", 1);
	assert_null(ay_test_pg_schema_prefix());
	setenv("AYUDA_TEST_PG_SCHEMA_PER_DIR", "a_very_long_prefix", 1);
	assert_null(ay_test_pg_schema_prefix());
	unsetenv("AYUDA_TEST_PG_SCHEMA_PER_DIR");
	assert_false(ay_test_pg_schema_per_dir());
	assert_null(ay_test_pg_schema_prefix());
	assert_int_equal(ay_test_now(), 0);
	assert_false(ay_test_pwhash_fast());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hooks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
