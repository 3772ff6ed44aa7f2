/* Test hooks: what the test suites may change through the environment,
 * compiled in only when the build is made for tests (CMake option
 * AY_TEST_HOOKS: on in the build dirs `make build` and `make check` use,
 * off by default and in `make install`), as curl does with DEBUGBUILD. In
 * any other build the variables are ignored. Only libc here, so that a
 * unit test can compile this file both ways. */
#ifndef AY_TESTHOOKS_H
#define AY_TESTHOOKS_H

#include <stdbool.h>
#include <stdint.h>

/* Whether this binary was built with the test hooks. */
bool ay_test_build(void);
/* AYUDA_FAKE_NOW: the time to use instead of the clock (Unix seconds), or
 * 0 for the clock. */
int64_t ay_test_now(void);
/* AYUDA_PWHASH_FAST=1: the cheapest argon2id cost, for fast tests. */
bool ay_test_pwhash_fast(void);
/* AYUDA_TEST_LEASE: the length in seconds of the leases on background
 * work (outbox claims, one-at-a-time jobs) instead of their own, so that a
 * test sees a killed server's claims expire; 0 when unset. */
int64_t ay_test_lease(void);
/* AYUDA_TEST_PG_SCHEMA_PER_DIR=1: on PostgreSQL, each data directory's
 * tables live in a schema of their own (named from the directory's path),
 * so that the test suites share one database. */
bool ay_test_pg_schema_per_dir(void);
/* The start of those schemas' names: "d" when the variable is 1, else its
 * value when that is a lowercase identifier of at most 12 characters
 * (tests/pg/run-api.sh gives each test file its own, to drop its schemas
 * at the end); NULL when there are no such schemas. */
const char *ay_test_pg_schema_prefix(void);

#endif
