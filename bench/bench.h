/* Small helpers shared by the benchmark programs (header only: every .c in
 * bench/ is its own program). */
#ifndef AY_BENCH_H
#define AY_BENCH_H

#include <stdlib.h>
#include <time.h>

#include "store/db.h"

/* Milliseconds since *t0 (CLOCK_MONOTONIC). */
static inline double bench_ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* For qsort() of doubles, ascending. */
static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The one integer sql answers, or -1. */
static inline int64_t bench_scalar(struct db *db, const char *sql)
{
	struct db_stmt *s = NULL;
	bool row = false;
	int64_t v = -1;

	if (db_run(db, &s, &row, sql, NULL))
		return -1;
	if (row)
		v = db_col_int(s, 0);
	db_reset(s);
	return v;
}

#endif
