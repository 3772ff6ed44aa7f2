/* Benchmark of the business-time arithmetic: sla_due() and
 * sla_open_seconds() on the built-in lima calendar, one thread, random starts
 * over 2025-2027 and typical targets (12 h .. 120 h of business time). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "sla/bizcal.h"

#define N_INPUTS 4096

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rng_state = x;
	return x;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static const int64_t targets[] = {12 * 60, 24 * 60, 48 * 60, 120 * 60};
	static int64_t starts[N_INPUTS], mins[N_INPUTS], ends[N_INPUTS];
	struct sla_calendar *cal;
	long iters = argc > 1 ? atol(argv[1]) : 20000000;
	int64_t lo = 1735707600; /* 2025-01-01T00:00:00-05:00 */
	int64_t span = 3 * 365 * 86400;
	int64_t sink = 0;
	double t0, t1;

	if (sla_calendar_default_lima(&cal)) {
		fprintf(stderr, "bench_sla: cannot build the lima calendar\n");
		return 1;
	}
	for (int i = 0; i < N_INPUTS; i++) {
		starts[i] = lo + (int64_t)(rng() % (uint64_t)span);
		mins[i] = targets[rng() % AY_ARRAY_LEN(targets)];
		ends[i] = starts[i] + (int64_t)(rng() % (30 * 86400));
	}
	t0 = now();
	for (long i = 0; i < iters; i++)
		sink += sla_due(cal, starts[i % N_INPUTS], mins[i % N_INPUTS],
				SLA_CLOCK_BUSINESS);
	t1 = now();
	printf("sla_due: %.0f/s\n", (double)iters / (t1 - t0));
	t0 = now();
	for (long i = 0; i < iters; i++)
		sink += sla_open_seconds(cal, starts[i % N_INPUTS],
					 ends[i % N_INPUTS]);
	t1 = now();
	printf("sla_open_seconds: %.0f/s\n", (double)iters / (t1 - t0));
	t0 = now();
	for (int i = 0; i < 20; i++) {
		struct sla_calendar *c2;
		if (sla_calendar_default_lima(&c2))
			return 1;
		sla_calendar_free(c2);
	}
	t1 = now();
	printf("sla_calendar build (lima, %d..%d): %.2f ms\n", SLA_YEAR_MIN,
	       SLA_YEAR_MAX, (t1 - t0) / 20 * 1000);
	fflush(stdout);
	fprintf(stderr, "(checksum %lld)\n", (long long)sink);
	sla_calendar_free(cal);
	return 0;
}
