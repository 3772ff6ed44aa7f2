/* Test hooks (see testhooks.h). */
#include <stdlib.h>
#include <string.h>

#include "util/testhooks.h"

#ifdef AY_TEST_HOOKS

bool ay_test_build(void)
{
	return true;
}

int64_t ay_test_now(void)
{
	const char *fake = getenv("AYUDA_FAKE_NOW");

	return fake && *fake ? strtoll(fake, NULL, 10) : 0;
}

bool ay_test_pwhash_fast(void)
{
	const char *f = getenv("AYUDA_PWHASH_FAST");

	return f && !strcmp(f, "1");
}

int64_t ay_test_lease(void)
{
	const char *l = getenv("AYUDA_TEST_LEASE");

	return l && *l ? strtoll(l, NULL, 10) : 0;
}

const char *ay_test_pg_schema_prefix(void)
{
	const char *f = getenv("AYUDA_TEST_PG_SCHEMA_PER_DIR");
	size_t n;

	if (!f || !*f)
		return NULL;
	if (!strcmp(f, "1"))
		return "d";
	n = strlen(f);
	if (n > 12 || f[0] < 'a' || f[0] > 'z' ||
	    strspn(f, "abcdefghijklmnopqrstuvwxyz0123456789_") != n)
		return NULL;
	return f;
}

bool ay_test_pg_schema_per_dir(void)
{
	return ay_test_pg_schema_prefix() != NULL;
}

#else

bool ay_test_build(void)
{
	return false;
}

int64_t ay_test_now(void)
{
	return 0;
}

bool ay_test_pwhash_fast(void)
{
	return false;
}

int64_t ay_test_lease(void)
{
	return 0;
}

const char *ay_test_pg_schema_prefix(void)
{
	return NULL;
}

bool ay_test_pg_schema_per_dir(void)
{
	return false;
}

#endif
