/* Unit tests of the deadline explanation (src/sla/explain.h) against
 * hand-worked cases on the lima calendar (America/Lima, UTC-5, Mon-Fri
 * 08:00-18:30, Peru's holidays), each checked against sla_due() too. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "sla/explain.h"
#include "testutil.h"

static struct sla_calendar *lima;

#define iso test_iso

struct want {
	enum sla_part_kind kind;
	const char *from, *to;
	int64_t open_minutes;
	const char *name;
};

static void check(const struct sla_explain *e, const struct want *w, size_t n)
{
	for (size_t i = 0; i < e->n && i < n; i++) {
		const struct sla_part *p = &e->parts[i];

		if (p->kind != w[i].kind || p->from != iso(w[i].from) ||
		    p->to != iso(w[i].to) ||
		    p->open_seconds != w[i].open_minutes * 60)
			fail_msg("part %zu: got %s %lld..%lld (%lld s), want "
				 "%s %s..%s",
				 i, sla_part_name(p->kind), (long long)p->from,
				 (long long)p->to, (long long)p->open_seconds,
				 sla_part_name(w[i].kind), w[i].from, w[i].to);
		if (w[i].name)
			assert_string_equal(p->name, w[i].name);
		else
			assert_null(p->name);
	}
	assert_int_equal(e->n, n);
}

static int64_t counted_minutes(const struct sla_explain *e)
{
	int64_t s = 0;

	for (size_t i = 0; i < e->n; i++)
		if (e->parts[i].kind == SLA_PART_OPEN)
			s += e->parts[i].open_seconds;
	return s / 60;
}

/* A gold ticket (720 open minutes) arrives Monday 2026-12-07 at 17:00.
 * Counted: Monday 17:00-18:30 (90). Skipped: the night, Tuesday 12-08
 * (Inmaculada Concepción) and Wednesday 12-09 (Batalla de Ayacucho), the
 * night to Thursday 08:00. Thursday 08:00-09:00 (60, total 150); the
 * customer is asked for data 09:00-10:00: paused, 60 open minutes added;
 * 10:00-18:30 (510, total 660); the night; Friday 08:00-09:00 (60, total
 * 720). Due Friday 2026-12-11 09:00 = Thursday 18:30 without the pause
 * (sla_due), plus 60 open minutes. */
static void test_holidays_and_a_pause(void **state)
{
	static const struct want w[] = {
		{SLA_PART_OPEN, "2026-12-07T17:00:00-05:00",
		 "2026-12-07T18:30:00-05:00", 90, NULL},
		{SLA_PART_NIGHT, "2026-12-07T18:30:00-05:00",
		 "2026-12-08T00:00:00-05:00", 0, NULL},
		{SLA_PART_HOLIDAY, "2026-12-08T00:00:00-05:00",
		 "2026-12-09T00:00:00-05:00", 0, "Inmaculada Concepción"},
		{SLA_PART_HOLIDAY, "2026-12-09T00:00:00-05:00",
		 "2026-12-10T00:00:00-05:00", 0, "Batalla de Ayacucho"},
		{SLA_PART_NIGHT, "2026-12-10T00:00:00-05:00",
		 "2026-12-10T08:00:00-05:00", 0, NULL},
		{SLA_PART_OPEN, "2026-12-10T08:00:00-05:00",
		 "2026-12-10T09:00:00-05:00", 60, NULL},
		{SLA_PART_PAUSE, "2026-12-10T09:00:00-05:00",
		 "2026-12-10T10:00:00-05:00", 60, NULL},
		{SLA_PART_OPEN, "2026-12-10T10:00:00-05:00",
		 "2026-12-10T18:30:00-05:00", 510, NULL},
		{SLA_PART_NIGHT, "2026-12-10T18:30:00-05:00",
		 "2026-12-11T08:00:00-05:00", 0, NULL},
		{SLA_PART_OPEN, "2026-12-11T08:00:00-05:00",
		 "2026-12-11T09:00:00-05:00", 60, NULL},
	};
	int64_t start = iso("2026-12-07T17:00:00-05:00");
	int64_t due = iso("2026-12-11T09:00:00-05:00");
	const int64_t pauses[][2] = {{iso("2026-12-10T09:00:00-05:00"),
				      iso("2026-12-10T10:00:00-05:00")}};
	struct sla_explain e;

	(void)state;
	assert_int_equal(sla_due(lima, start, 720, SLA_CLOCK_BUSINESS),
			 iso("2026-12-10T18:30:00-05:00"));
	assert_int_equal(sla_due_seconds(lima, iso("2026-12-10T18:30:00-05:00"),
					 3600, SLA_CLOCK_BUSINESS),
			 due);
	assert_int_equal(sla_explain(lima, start, due, pauses, 1, &e), AY_OK);
	check(&e, w, sizeof(w) / sizeof(w[0]));
	assert_int_equal(counted_minutes(&e), 720);
	sla_explain_release(&e);
}

/* Friday 2026-03-06 17:00, 120 minutes: Friday 17:00-18:30 (90), the
 * night, the weekend (Saturday and Sunday, one part), Monday's early
 * hours, Monday 08:00-08:30 (30). */
static void test_weekend(void **state)
{
	static const struct want w[] = {
		{SLA_PART_OPEN, "2026-03-06T17:00:00-05:00",
		 "2026-03-06T18:30:00-05:00", 90, NULL},
		{SLA_PART_NIGHT, "2026-03-06T18:30:00-05:00",
		 "2026-03-07T00:00:00-05:00", 0, NULL},
		{SLA_PART_WEEKEND, "2026-03-07T00:00:00-05:00",
		 "2026-03-09T00:00:00-05:00", 0, NULL},
		{SLA_PART_NIGHT, "2026-03-09T00:00:00-05:00",
		 "2026-03-09T08:00:00-05:00", 0, NULL},
		{SLA_PART_OPEN, "2026-03-09T08:00:00-05:00",
		 "2026-03-09T08:30:00-05:00", 30, NULL},
	};
	int64_t start = iso("2026-03-06T17:00:00-05:00");
	int64_t due = sla_due(lima, start, 120, SLA_CLOCK_BUSINESS);
	struct sla_explain e;

	(void)state;
	assert_int_equal(due, iso("2026-03-09T08:30:00-05:00"));
	assert_int_equal(sla_explain(lima, start, due, NULL, 0, &e), AY_OK);
	check(&e, w, sizeof(w) / sizeof(w[0]));
	sla_explain_release(&e);
}

/* A pause over closed time adds nothing; a start on a Saturday counts
 * from Monday's opening. */
static void test_pause_while_closed(void **state)
{
	int64_t start = iso("2026-03-07T10:00:00-05:00");
	int64_t due = sla_due(lima, start, 60, SLA_CLOCK_BUSINESS);
	const int64_t pauses[][2] = {{iso("2026-03-08T10:00:00-05:00"),
				      iso("2026-03-08T12:00:00-05:00")}};
	struct sla_explain e;

	(void)state;
	assert_int_equal(due, iso("2026-03-09T09:00:00-05:00"));
	assert_int_equal(sla_explain(lima, start, due, pauses, 1, &e), AY_OK);
	assert_int_equal(e.parts[0].kind, SLA_PART_WEEKEND);
	assert_int_equal(e.parts[1].kind, SLA_PART_PAUSE);
	assert_int_equal(e.parts[1].open_seconds, 0);
	assert_int_equal(e.parts[2].kind, SLA_PART_WEEKEND);
	assert_int_equal(counted_minutes(&e), 60);
	assert_int_equal(e.parts[e.n - 1].to, due);
	sla_explain_release(&e);
	assert_int_equal(sla_explain(lima, due, start, NULL, 0, &e), AY_EINVAL);
}

static int setup(void **state)
{
	(void)state;
	return sla_calendar_default_lima(&lima) ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	sla_calendar_free(lima);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_holidays_and_a_pause),
		cmocka_unit_test(test_weekend),
		cmocka_unit_test(test_pause_while_closed),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
