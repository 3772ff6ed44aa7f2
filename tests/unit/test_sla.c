/* Unit tests of the business-time arithmetic (src/sla/bizcal.h): worked
 * due cases on the lima calendar, DST in Madrid and Santiago, closures, and
 * property tests against a slow reference built straight on ICU. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucal.h>
#include <unicode/ustring.h>

#include "sla/bizcal.h"
#include "sla/sla_int.h"
#include "testutil.h"

static struct sla_calendar *lima;

#define iso test_iso

static struct sla_calendar *cal_json(const char *text)
{
	json_error_t jerr;
	json_t *spec = json_loads(text, 0, &jerr);
	struct sla_calendar *cal = NULL;
	char err[256];

	if (!spec)
		fail_msg("bad JSON in test: %s", jerr.text);
	if (sla_calendar_from_json(spec, &cal, err, sizeof(err)))
		fail_msg("calendar rejected: %s", err);
	json_decref(spec);
	return cal;
}

/* Assert due(start, minutes) formats as want in the calendar's zone. */
static void check_due(const struct sla_calendar *cal, const char *start,
		      int64_t minutes, enum sla_clock clock, const char *want,
		      int line)
{
	char got[SLA_ISO8601_LEN];
	int64_t due = sla_due(cal, iso(start), minutes, clock);

	if (due == SLA_TIME_INVALID)
		fail_msg("line %d: due(%s, %lld) invalid", line, start,
			 (long long)minutes);
	assert_int_equal(sla_format_iso8601(cal, due, got, sizeof(got)), AY_OK);
	if (strcmp(got, want))
		fail_msg("line %d: due(%s, %lld) = %s, want %s", line, start,
			 (long long)minutes, got, want);
}

#define BIZ(s, m, w) check_due(lima, s, m, SLA_CLOCK_BUSINESS, w, __LINE__)
#define CAL(s, m, w) check_due(lima, s, m, SLA_CLOCK_CALENDAR, w, __LINE__)

static int setup(void **state)
{
	return sla_calendar_default_lima(&lima) ? -1 : 0;
}

static int teardown(void **state)
{
	sla_calendar_free(lima);
	return 0;
}

/* One business day in lima is 08:00-18:30 = 630 minutes. */

static void test_lima_basic(void **state)
{
	/* Tue 2026-12-01 17:00 + 3h: 1.5h to 18:30 Tue, 1.5h left = Wed
	 * 08:00 + 1.5h = 09:30 Wed (the DESIGN.md example). */
	BIZ("2026-12-01T17:00:00-05:00", 180, "2026-12-02T09:30:00-05:00");
	/* Tue 2026-12-01 17:00 + 12h: 1.5h to 18:30 Tue, 10.5h left = Wed
	 * 08:00 + 10.5h = 18:30 Wed -> due at 18:30 Wed (exactly at close). */
	BIZ("2026-12-01T17:00:00-05:00", 720, "2026-12-02T18:30:00-05:00");
	/* Start before opening: Tue 06:00 counts from 08:00; + 1h = 09:00. */
	BIZ("2026-12-01T06:00:00-05:00", 60, "2026-12-01T09:00:00-05:00");
	/* Start at opening: Wed 08:00 + 10.5h = 18:30 Wed, exactly at close. */
	BIZ("2026-12-02T08:00:00-05:00", 630, "2026-12-02T18:30:00-05:00");
	/* Start at 18:30 (closed): counts from Wed 08:00; + 30m = 08:30. */
	BIZ("2026-12-01T18:30:00-05:00", 30, "2026-12-02T08:30:00-05:00");
	/* Start after close, Tue 20:00: from Wed 08:00; + 30m = 08:30. */
	BIZ("2026-12-01T20:00:00-05:00", 30, "2026-12-02T08:30:00-05:00");
	/* Tue 18:00 + 30m: used up exactly at 18:30 -> due 18:30 Tue, not
	 * Wed 08:00. */
	BIZ("2026-12-01T18:00:00-05:00", 30, "2026-12-01T18:30:00-05:00");
	/* Tue 18:29:59 + 1m: 1s on Tue, 59s left = Wed 08:00:59. */
	BIZ("2026-12-01T18:29:59-05:00", 1, "2026-12-02T08:00:59-05:00");
	/* Tue 10:15 + 45m, all inside Tue = 11:00. */
	BIZ("2026-12-01T10:15:00-05:00", 45, "2026-12-01T11:00:00-05:00");
	/* Fractional seconds are dropped: Tue 17:00:00.999 + 3h = Wed 09:30. */
	BIZ("2026-12-01T17:00:00.999-05:00", 180, "2026-12-02T09:30:00-05:00");
}

static void test_lima_weekend(void **state)
{
	/* Fri 2026-12-04 17:30 + 2h: 1h to 18:30 Fri, Sat/Sun closed, 1h
	 * left = Mon 12-07 08:00 + 1h = 09:00. */
	BIZ("2026-12-04T17:30:00-05:00", 120, "2026-12-07T09:00:00-05:00");
	/* Sat 2026-12-05 10:00 + 1h: closed, from Mon 08:00 + 1h = 09:00. */
	BIZ("2026-12-05T10:00:00-05:00", 60, "2026-12-07T09:00:00-05:00");
	/* Sun 2026-12-06 23:59 + 1m: from Mon 08:00 + 1m = 08:01. */
	BIZ("2026-12-06T23:59:00-05:00", 1, "2026-12-07T08:01:00-05:00");
	/* Fri 2026-12-04 08:00 + 630m = Fri 18:30 (the whole day, at close,
	 * not Mon 08:00). */
	BIZ("2026-12-04T08:00:00-05:00", 630, "2026-12-04T18:30:00-05:00");
}

static void test_lima_levels(void **state)
{
	/* Gold 12h from Mon 2026-03-02 09:00: 9.5h Mon (09:00-18:30), 2.5h
	 * left = Tue 08:00 + 2.5h = 10:30 Tue 03-03. */
	BIZ("2026-03-02T09:00:00-05:00", 720, "2026-03-03T10:30:00-05:00");
	/* Silver 24h from Mon 03-02 08:00: Mon 10.5h + Tue 10.5h = 21h, 3h
	 * left = Wed 08:00 + 3h = 11:00 Wed 03-04. */
	BIZ("2026-03-02T08:00:00-05:00", 1440, "2026-03-04T11:00:00-05:00");
	/* Bronze 48h = 2880m from Mon 03-02 08:00: 4 days Mon-Thu = 2520m,
	 * 360m left = Fri 03-06 08:00 + 6h = 14:00. */
	BIZ("2026-03-02T08:00:00-05:00", 2880, "2026-03-06T14:00:00-05:00");
	/* Non-commercial 120h = 7200m from Mon 03-02 08:00: 11 full days =
	 * 6930m (Mar 2-6, 9-13, 16), 270m left on the 12th business day, Tue
	 * 03-17 08:00 + 4.5h = 12:30 (no holiday in March 2026). */
	BIZ("2026-03-02T08:00:00-05:00", 7200, "2026-03-17T12:30:00-05:00");
	/* Commercial 24h from Fri 2026-03-06 17:00: 1.5h Fri, Mon 10.5h,
	 * Tue 10.5h = 22.5h, 1.5h left = Wed 03-11 09:30. */
	BIZ("2026-03-06T17:00:00-05:00", 1440, "2026-03-11T09:30:00-05:00");
}

static void test_lima_holidays_2026(void **state)
{
	/* Jan 1 (Thu): Wed 2025-12-31 18:00 + 1h: 30m Wed, Thu holiday,
	 * 30m left = Fri 2026-01-02 08:30. */
	BIZ("2025-12-31T18:00:00-05:00", 60, "2026-01-02T08:30:00-05:00");
	/* Start on Jan 1 2026 12:00 (holiday) + 630m = all of Fri 01-02,
	 * due 18:30 Fri. */
	BIZ("2026-01-01T12:00:00-05:00", 630, "2026-01-02T18:30:00-05:00");
	/* Holy Thursday 04-02 and Good Friday 04-03: Wed 04-01 17:30 + 2h:
	 * 1h Wed, Thu/Fri holidays, weekend, 1h left = Mon 04-06 09:00. */
	BIZ("2026-04-01T17:30:00-05:00", 120, "2026-04-06T09:00:00-05:00");
	/* 0m on Good Friday 04-03 10:00: closed, due at next opening Mon
	 * 04-06 08:00. */
	BIZ("2026-04-03T10:00:00-05:00", 0, "2026-04-06T08:00:00-05:00");
	/* May 1 (Fri): Thu 04-30 18:00 + 1h: 30m Thu, Fri holiday, weekend,
	 * Mon 05-04 08:30. */
	BIZ("2026-04-30T18:00:00-05:00", 60, "2026-05-04T08:30:00-05:00");
	/* Jun 7 (a Sunday, so no extra effect): Fri 06-05 18:00 + 1h: 30m
	 * Fri, Mon 06-08 08:30. */
	BIZ("2026-06-05T18:00:00-05:00", 60, "2026-06-08T08:30:00-05:00");
	/* Jun 29 (Mon): Fri 06-26 18:00 + 1h: 30m Fri, weekend, Mon
	 * holiday, Tue 06-30 08:30. */
	BIZ("2026-06-26T18:00:00-05:00", 60, "2026-06-30T08:30:00-05:00");
	/* Jul 23 (Thu): Wed 07-22 18:00 + 1h: 30m Wed, Thu holiday, Fri
	 * 07-24 08:30. */
	BIZ("2026-07-22T18:00:00-05:00", 60, "2026-07-24T08:30:00-05:00");
	/* Jul 28 (Tue) and Jul 29 (Wed): Mon 07-27 18:00 + 1h: 30m Mon,
	 * Tue and Wed holidays, Thu 07-30 08:30. */
	BIZ("2026-07-27T18:00:00-05:00", 60, "2026-07-30T08:30:00-05:00");
	/* Aug 6 (Thu): Wed 08-05 18:00 + 1h: 30m Wed, Fri 08-07 08:30. */
	BIZ("2026-08-05T18:00:00-05:00", 60, "2026-08-07T08:30:00-05:00");
	/* Aug 30 (a Sunday): Fri 08-28 18:00 + 1h: Mon 08-31 08:30. */
	BIZ("2026-08-28T18:00:00-05:00", 60, "2026-08-31T08:30:00-05:00");
	/* Oct 8 (Thu): Wed 10-07 18:00 + 1h: 30m Wed, Fri 10-09 08:30. */
	BIZ("2026-10-07T18:00:00-05:00", 60, "2026-10-09T08:30:00-05:00");
	/* Nov 1 (a Sunday): Fri 10-30 18:00 + 1h: Mon 11-02 08:30. */
	BIZ("2026-10-30T18:00:00-05:00", 60, "2026-11-02T08:30:00-05:00");
	/* Dec 8 (Tue) and Dec 9 (Wed): Mon 12-07 18:00 + 1h: 30m Mon, Tue
	 * and Wed holidays, Thu 12-10 08:30. */
	BIZ("2026-12-07T18:00:00-05:00", 60, "2026-12-10T08:30:00-05:00");
	/* Start on Dec 8 09:00 (holiday) + 1h: from Thu 12-10 08:00 = 09:00. */
	BIZ("2026-12-08T09:00:00-05:00", 60, "2026-12-10T09:00:00-05:00");
	/* Dec 25 (Fri): Thu 12-24 18:00 + 1h: 30m Thu, Fri holiday,
	 * weekend, Mon 12-28 08:30. */
	BIZ("2026-12-24T18:00:00-05:00", 60, "2026-12-28T08:30:00-05:00");
	/* Dec 31 is a working day: Wed 12-30 18:00 + 630m: 30m Wed, 600m
	 * left = Thu 12-31 08:00 + 10h = 18:00. */
	BIZ("2026-12-30T18:00:00-05:00", 630, "2026-12-31T18:00:00-05:00");
	/* Into 2027: Thu 2026-12-31 18:00 + 1h: 30m Thu, Fri 2027-01-01
	 * holiday, weekend, Mon 2027-01-04 08:30. */
	BIZ("2026-12-31T18:00:00-05:00", 60, "2027-01-04T08:30:00-05:00");
}

static void test_lima_holy_week_other_years(void **state)
{
	/* 2025: Easter Apr 20, Holy Thu 04-17, Good Fri 04-18. Wed 04-16
	 * 18:00 + 1h: 30m Wed, Thu/Fri holidays, weekend, Mon 04-21 08:30. */
	BIZ("2025-04-16T18:00:00-05:00", 60, "2025-04-21T08:30:00-05:00");
	/* 2025: Wed 04-16 18:00 + 30m: used up at 18:30 Wed exactly. */
	BIZ("2025-04-16T18:00:00-05:00", 30, "2025-04-16T18:30:00-05:00");
	/* 2027: Easter Mar 28, Holy Thu 03-25, Good Fri 03-26. Wed 03-24
	 * 12:00 + 630m: 390m Wed (12:00-18:30), 240m left, Thu/Fri holidays,
	 * weekend, Mon 03-29 08:00 + 4h = 12:00. */
	BIZ("2027-03-24T12:00:00-05:00", 630, "2027-03-29T12:00:00-05:00");
	/* 2026 Thursday Apr 9 is an ordinary day (a week after Holy Thu):
	 * Thu 04-09 18:00 + 1h: 30m Thu, Fri 04-10 08:30. */
	BIZ("2026-04-09T18:00:00-05:00", 60, "2026-04-10T08:30:00-05:00");
}

static void test_lima_offsets(void **state)
{
	/* 2026-12-01T22:00Z = Tue 17:00 Lima; + 3h = Wed 09:30 (as the
	 * DESIGN.md example). */
	BIZ("2026-12-01T22:00:00Z", 180, "2026-12-02T09:30:00-05:00");
	/* 23:00+01:00 = 22:00Z = Tue 17:00 Lima; + 1.5h = 18:30 Tue. */
	BIZ("2026-12-01T23:00:00+01:00", 90, "2026-12-01T18:30:00-05:00");
	/* 2026-12-02T03:30+05:30 = 22:00Z Dec 1 = Tue 17:00 Lima; + 30m =
	 * 17:30 Tue. */
	BIZ("2026-12-02T03:30:00+05:30", 30, "2026-12-01T17:30:00-05:00");
	/* 2026-12-01T12:00Z = Tue 07:00 Lima (before opening): from 08:00,
	 * + 1h = 09:00. */
	BIZ("2026-12-01T12:00:00Z", 60, "2026-12-01T09:00:00-05:00");
}

static void test_lima_zero(void **state)
{
	/* 0m inside open hours: due = start (Tue 10:15). */
	BIZ("2026-12-01T10:15:00-05:00", 0, "2026-12-01T10:15:00-05:00");
	/* 0m at 08:00 (open): due = 08:00. */
	BIZ("2026-12-01T08:00:00-05:00", 0, "2026-12-01T08:00:00-05:00");
	/* 0m at 18:30 (closed): next opening Wed 08:00. */
	BIZ("2026-12-01T18:30:00-05:00", 0, "2026-12-02T08:00:00-05:00");
	/* 0m on Sat 12-05: next opening Mon 12-07 08:00. */
	BIZ("2026-12-05T12:00:00-05:00", 0, "2026-12-07T08:00:00-05:00");
}

static void test_lima_calendar_clock(void **state)
{
	/* Calendar clock ignores hours: Sat 12-05 10:00 + 1h = Sat 11:00. */
	CAL("2026-12-05T10:00:00-05:00", 60, "2026-12-05T11:00:00-05:00");
	/* Ignores holidays: Tue 12-08 20:00 + 12h = Wed 12-09 08:00. */
	CAL("2026-12-08T20:00:00-05:00", 720, "2026-12-09T08:00:00-05:00");
	/* 0m: due = start, even at night on a Sunday. */
	CAL("2026-12-06T03:00:00-05:00", 0, "2026-12-06T03:00:00-05:00");
	/* Start in Z: 2026-12-01T00:00Z = Nov 30 19:00 Lima; + 1h = 20:00. */
	CAL("2026-12-01T00:00:00Z", 60, "2026-11-30T20:00:00-05:00");
	/* Development review: 60 calendar days = 86400m from Mon 2026-03-02
	 * 10:00 = Fri 2026-05-01 10:00 (a holiday, but calendar clock). */
	CAL("2026-03-02T10:00:00-05:00", 86400, "2026-05-01T10:00:00-05:00");
}

static void test_lima_year_target(void **state)
{
	int64_t s = iso("2026-01-05T08:00:00-05:00");
	int64_t due = sla_due(lima, s, 525600, SLA_CLOCK_BUSINESS);

	/* A year of business minutes = 834.3 business days of 630m: more
	 * than three calendar years. */
	assert_true(due != SLA_TIME_INVALID);
	assert_int_equal(sla_open_seconds(lima, s, due), 525600 * 60);
	assert_true(sla_is_open(lima, due - 1));
	assert_true(due > iso("2029-01-01T00:00:00Z"));
}

static void test_limits(void **state)
{
	int64_t lo, hi;

	sla_calendar_range(lima, &lo, &hi);
	assert_int_equal(lo, iso("1970-01-01T00:00:00-05:00"));
	assert_int_equal(hi, iso("2101-01-01T00:00:00-05:00"));
	assert_int_equal(sla_due(lima, lo - 1, 60, SLA_CLOCK_BUSINESS),
			 SLA_TIME_INVALID);
	assert_int_equal(sla_due(lima, hi, 60, SLA_CLOCK_BUSINESS),
			 SLA_TIME_INVALID);
	assert_int_equal(sla_due(lima, iso("2100-12-30T08:00:00-05:00"), 6000,
				 SLA_CLOCK_BUSINESS),
			 SLA_TIME_INVALID);
	assert_int_equal(sla_due(lima, lo, -1, SLA_CLOCK_BUSINESS),
			 SLA_TIME_INVALID);
	assert_int_equal(
		sla_due(lima, lo, SLA_MINUTES_MAX + 1, SLA_CLOCK_CALENDAR),
		SLA_TIME_INVALID);
	assert_int_equal(sla_due(lima, INT64_MAX - 10, 1, SLA_CLOCK_CALENDAR),
			 SLA_TIME_INVALID);
	/* Calendar clock works outside the table. */
	assert_int_equal(sla_due(lima, 0, 1, SLA_CLOCK_CALENDAR), 60);
	assert_int_equal(sla_next_open(lima, hi), SLA_TIME_INVALID);
	assert_false(sla_is_open(lima, hi + 86400 * 3));
	/* open_seconds clamps to the table. */
	assert_int_equal(sla_open_seconds(lima, INT64_MIN, INT64_MAX),
			 sla_open_seconds(lima, lo, hi));
	assert_int_equal(sla_open_seconds(lima, hi, lo), 0);
	assert_string_equal(sla_calendar_zone(lima), "America/Lima");
	assert_string_equal(sla_calendar_name(lima), "lima");
}

static void test_open_seconds_lima(void **state)
{
	/* A full week Mon 2026-03-02 .. Mon 03-09: 5 x 10.5h. */
	assert_int_equal(sla_open_seconds(lima,
					  iso("2026-03-02T00:00:00-05:00"),
					  iso("2026-03-09T00:00:00-05:00")),
			 5 * 630 * 60);
	/* Holy week 2026 (Mon 03-30 .. Mon 04-06): Thu and Fri off. */
	assert_int_equal(sla_open_seconds(lima,
					  iso("2026-03-30T00:00:00-05:00"),
					  iso("2026-04-06T00:00:00-05:00")),
			 3 * 630 * 60);
	/* Inside one day. */
	assert_int_equal(sla_open_seconds(lima,
					  iso("2026-03-02T07:00:00-05:00"),
					  iso("2026-03-02T09:15:00-05:00")),
			 75 * 60);
	assert_true(sla_is_open(lima, iso("2026-03-02T08:00:00-05:00")));
	assert_false(sla_is_open(lima, iso("2026-03-02T18:30:00-05:00")));
	assert_true(sla_is_open(lima, iso("2026-03-02T18:29:59-05:00")));
	assert_false(sla_is_open(lima, iso("2026-03-02T07:59:59-05:00")));
	assert_int_equal(sla_next_open(lima, iso("2026-03-02T18:30:00-05:00")),
			 iso("2026-03-03T08:00:00-05:00"));
}

/* ---- DST ---- */

#define WEEKDAYS_0800_1830                                                     \
	"\"mon\":[[\"08:00\",\"18:30\"]],\"tue\":[[\"08:00\",\"18:30\"]],"     \
	"\"wed\":[[\"08:00\",\"18:30\"]],\"thu\":[[\"08:00\",\"18:30\"]],"     \
	"\"fri\":[[\"08:00\",\"18:30\"]]"
#define ALL_DAY_ALL_WEEK                                                       \
	"\"mon\":[[\"00:00\",\"24:00\"]],\"tue\":[[\"00:00\",\"24:00\"]],"     \
	"\"wed\":[[\"00:00\",\"24:00\"]],\"thu\":[[\"00:00\",\"24:00\"]],"     \
	"\"fri\":[[\"00:00\",\"24:00\"]],\"sat\":[[\"00:00\",\"24:00\"]],"     \
	"\"sun\":[[\"00:00\",\"24:00\"]]"

static void test_dst_madrid(void **state)
{
	struct sla_calendar *wk =
		cal_json("{\"name\":\"madrid\",\"timezone\":\"Europe/Madrid\","
			 "\"hours\":{" WEEKDAYS_0800_1830 "}}");
	struct sla_calendar *all = cal_json(
		"{\"name\":\"madrid247\",\"timezone\":\"Europe/Madrid\","
		"\"hours\":{" ALL_DAY_ALL_WEEK "}}");
	struct sla_calendar *night = cal_json(
		"{\"name\":\"madrid-night\",\"timezone\":\"Europe/Madrid\","
		"\"hours\":{\"sun\":[[\"01:00\",\"04:00\"]]}}");
	struct sla_calendar *gap = cal_json(
		"{\"name\":\"madrid-gap\",\"timezone\":\"Europe/Madrid\","
		"\"hours\":{\"sun\":[[\"02:30\",\"05:00\"]]}}");

	/* Spring forward on Sun 2026-03-29. Fri 03-27 18:00 CET + 1h: 30m
	 * Fri, 30m Mon 03-30 from 08:00 CEST = 08:30+02:00. */
	check_due(wk, "2026-03-27T18:00:00+01:00", 60, SLA_CLOCK_BUSINESS,
		  "2026-03-30T08:30:00+02:00", __LINE__);
	/* Fall back on Sun 2026-10-25: Fri 10-23 18:00 CEST + 1h = Mon 10-26
	 * 08:30 CET. */
	check_due(wk, "2026-10-23T18:00:00+02:00", 60, SLA_CLOCK_BUSINESS,
		  "2026-10-26T08:30:00+01:00", __LINE__);
	/* 24/7: Sat 03-28 23:00 CET (22:00Z) + 3h real = 01:00Z = Sun 03:00
	 * CEST (the wall clock moved 4h). */
	check_due(all, "2026-03-28T23:00:00+01:00", 180, SLA_CLOCK_BUSINESS,
		  "2026-03-29T03:00:00+02:00", __LINE__);
	/* 24/7: Sat 10-24 23:00 CEST (21:00Z) + 4h real = 01:00Z = Sun 02:00
	 * CET (the wall clock moved 3h). */
	check_due(all, "2026-10-24T23:00:00+02:00", 240, SLA_CLOCK_BUSINESS,
		  "2026-10-25T02:00:00+01:00", __LINE__);
	/* Calendar clock counts real time too. */
	check_due(all, "2026-03-28T23:00:00+01:00", 180, SLA_CLOCK_CALENDAR,
		  "2026-03-29T03:00:00+02:00", __LINE__);
	/* Sun 01:00-04:00 wall: 2h real on 03-29 (01:00 CET = 00:00Z to 04:00
	 * CEST = 02:00Z), 4h real on 10-25 (01:00 CEST = 23:00Z Sat to 04:00
	 * CET = 03:00Z). */
	assert_int_equal(sla_open_seconds(night, iso("2026-03-28T00:00:00Z"),
					  iso("2026-03-30T00:00:00Z")),
			 2 * 3600);
	assert_int_equal(sla_open_seconds(night, iso("2026-10-24T00:00:00Z"),
					  iso("2026-10-26T00:00:00Z")),
			 4 * 3600);
	/* Sun 03-29 01:00 CET + 2h real = 04:00 CEST, exactly at close. */
	check_due(night, "2026-03-29T01:00:00+01:00", 120, SLA_CLOCK_BUSINESS,
		  "2026-03-29T04:00:00+02:00", __LINE__);
	/* Sun 10-25 01:00 CEST + 3h real = 02:00Z = 03:00 CET. */
	check_due(night, "2026-10-25T01:00:00+02:00", 180, SLA_CLOCK_BUSINESS,
		  "2026-10-25T03:00:00+01:00", __LINE__);
	/* Opening at 02:30, which does not exist on 03-29: ICU maps it forward
	 * to 03:30 CEST (01:30Z); close 05:00 CEST = 03:00Z: 1.5h real. */
	assert_int_equal(sla_next_open(gap, iso("2026-03-29T00:00:00Z")),
			 iso("2026-03-29T03:30:00+02:00"));
	assert_false(sla_is_open(gap, iso("2026-03-29T01:15:00Z")));
	assert_int_equal(sla_open_seconds(gap, iso("2026-03-28T00:00:00Z"),
					  iso("2026-03-30T00:00:00Z")),
			 90 * 60);
	/* 02:30 on 10-25 happens twice; ICU takes the later (CET, 01:30Z):
	 * 02:30 CET to 05:00 CET = 2.5h. */
	assert_int_equal(sla_next_open(gap, iso("2026-10-25T00:00:00Z")),
			 iso("2026-10-25T02:30:00+01:00"));
	assert_int_equal(sla_open_seconds(gap, iso("2026-10-24T00:00:00Z"),
					  iso("2026-10-26T00:00:00Z")),
			 150 * 60);
	sla_calendar_free(wk);
	sla_calendar_free(all);
	sla_calendar_free(night);
	sla_calendar_free(gap);
}

static void test_dst_overlapping_intervals(void **state)
{
	struct sla_calendar *c = cal_json(
		"{\"name\":\"madrid-ov\",\"timezone\":\"Europe/Madrid\","
		"\"hours\":{\"sun\":[[\"01:00\",\"02:45\"],"
		"[\"03:00\",\"04:00\"]]}}");

	/* On 2026-03-29 the first interval ends at 02:45, which does not
	 * exist and maps to 01:45Z, after the second opens (03:00 CEST =
	 * 01:00Z): [00:00Z, 01:45Z) and [01:00Z, 02:00Z) overlap in real time
	 * and count once: 2h, not 2h45m. */
	assert_int_equal(sla_open_seconds(c, iso("2026-03-28T00:00:00Z"),
					  iso("2026-03-30T00:00:00Z")),
			 2 * 3600);
	/* An ordinary Sunday: 1h45m + 1h. */
	assert_int_equal(sla_open_seconds(c, iso("2026-03-21T00:00:00Z"),
					  iso("2026-03-23T00:00:00Z")),
			 165 * 60);
	sla_calendar_free(c);
}

static void test_dst_santiago(void **state)
{
	struct sla_calendar *wk = cal_json(
		"{\"name\":\"santiago\",\"timezone\":\"America/Santiago\","
		"\"hours\":{" WEEKDAYS_0800_1830 "}}");
	struct sla_calendar *all = cal_json(
		"{\"name\":\"santiago247\",\"timezone\":\"America/Santiago\","
		"\"hours\":{" ALL_DAY_ALL_WEEK "}}");
	struct sla_calendar *sun = cal_json(
		"{\"name\":\"santiago-sun\",\"timezone\":\"America/Santiago\","
		"\"hours\":{\"sun\":[[\"00:00\",\"24:00\"]]}}");
	struct sla_calendar *sat = cal_json(
		"{\"name\":\"santiago-sat\",\"timezone\":\"America/Santiago\","
		"\"hours\":{\"sat\":[[\"00:00\",\"24:00\"]]}}");

	/* Chile springs forward at local midnight: Sat 2026-09-05 23:59:59
	 * -04 is followed by Sun 09-06 01:00 -03; 00:00 Sun does not exist.
	 * Fri 09-04 18:00-04 + 1h: 30m Fri, Mon 09-07 08:30-03. */
	check_due(wk, "2026-09-04T18:00:00-04:00", 60, SLA_CLOCK_BUSINESS,
		  "2026-09-07T08:30:00-03:00", __LINE__);
	/* Fall back: Sat 2026-04-04 24:00 -03 becomes 23:00 -04. Fri 04-03
	 * 18:00-03 + 1h = Mon 04-06 08:30-04. */
	check_due(wk, "2026-04-03T18:00:00-03:00", 60, SLA_CLOCK_BUSINESS,
		  "2026-04-06T08:30:00-04:00", __LINE__);
	/* 24/7: Sat 09-05 23:00-04 (03:00Z) + 1h real = 04:00Z = Sun 01:00
	 * -03. */
	check_due(all, "2026-09-05T23:00:00-04:00", 60, SLA_CLOCK_BUSINESS,
		  "2026-09-06T01:00:00-03:00", __LINE__);
	/* 24/7 is continuous across the change: 48h real over the weekend. */
	assert_int_equal(sla_open_seconds(all, iso("2026-09-05T00:00:00Z"),
					  iso("2026-09-07T00:00:00Z")),
			 48 * 3600);
	/* Sunday 09-06 00:00-24:00: midnight does not exist, so it opens at
	 * 01:00-03 (04:00Z) and closes Mon 00:00-03 (03:00Z): 23h. */
	assert_int_equal(sla_next_open(sun, iso("2026-09-05T12:00:00-04:00")),
			 iso("2026-09-06T01:00:00-03:00"));
	assert_int_equal(sla_open_seconds(sun, iso("2026-09-05T00:00:00Z"),
					  iso("2026-09-08T00:00:00Z")),
			 23 * 3600);
	/* Sunday 04-05: 00:00-04 (04:00Z) to Mon 00:00-04: 24h. */
	assert_int_equal(sla_open_seconds(sun, iso("2026-04-04T00:00:00Z"),
					  iso("2026-04-07T00:00:00Z")),
			 24 * 3600);
	/* Saturday 04-04: 00:00-03 (03:00Z) to Sun 00:00, which after the
	 * fallback is -04 (04:00Z Sun): 25h. Sat 00:00-03 + 1500m = Sun
	 * 00:00-04, exactly at close. */
	assert_int_equal(sla_open_seconds(sat, iso("2026-04-03T00:00:00Z"),
					  iso("2026-04-06T00:00:00Z")),
			 25 * 3600);
	check_due(sat, "2026-04-04T00:00:00-03:00", 1500, SLA_CLOCK_BUSINESS,
		  "2026-04-05T00:00:00-04:00", __LINE__);
	/* The repeated hour Sat 23:00-24:00 is open both times: 23:30-03 is
	 * open and so is 23:30-04. */
	assert_true(sla_is_open(sat, iso("2026-04-04T23:30:00-03:00")));
	assert_true(sla_is_open(sat, iso("2026-04-04T23:30:00-04:00")));
	sla_calendar_free(wk);
	sla_calendar_free(all);
	sla_calendar_free(sun);
	sla_calendar_free(sat);
}

/* Our local->UTC mapping must equal ICU's with default options, for every
 * half hour of several years, in zones with odd transitions. */
static void test_zone_matches_icu(void **state)
{
	static const char *zones[] = {"Europe/Madrid",	"America/Santiago",
				      "America/Lima",	"Australia/Lord_Howe",
				      "America/Havana", "Asia/Kolkata"};

	for (size_t z = 0; z < AY_ARRAY_LEN(zones); z++) {
		struct sla_zone zone;
		UChar uid[64];
		UErrorCode st = U_ZERO_ERROR;
		UCalendar *uc;
		char err[128];

		assert_int_equal(
			sla_zone_init(&zone, zones[z], err, sizeof(err)),
			AY_OK);
		u_uastrcpy(uid, zones[z]);
		uc = ucal_open(uid, -1, "en_US_POSIX", UCAL_GREGORIAN, &st);
		assert_true(U_SUCCESS(st));
		for (int64_t day = sla_days_from_civil(2024, 1, 1);
		     day < sla_days_from_civil(2028, 1, 1); day++) {
			int64_t y;
			int m, d;
			sla_civil_from_days(day, &y, &m, &d);
			for (int mi = 0; mi < 1440; mi += 30) {
				ucal_clear(uc);
				ucal_setDateTime(uc, (int32_t)y, m - 1, d,
						 mi / 60, mi % 60, 0, &st);
				int64_t want =
					(int64_t)(ucal_getMillis(uc, &st) /
						  1000);
				int64_t got = sla_zone_local_to_utc(
					&zone, day * 86400 + mi * 60);
				if (want != got)
					fail_msg(
						"%s %d-%d-%d %d min: ICU %lld, "
						"ours %lld",
						zones[z], (int)y, m, d, mi,
						(long long)want,
						(long long)got);
				ucal_setMillis(uc, (UDate)got * 1000.0, &st);
				int32_t off =
					(ucal_get(uc, UCAL_ZONE_OFFSET, &st) +
					 ucal_get(uc, UCAL_DST_OFFSET, &st)) /
					1000;
				assert_int_equal(off,
						 sla_zone_offset(&zone, got));
			}
		}
		assert_true(U_SUCCESS(st));
		ucal_close(uc);
		sla_zone_release(&zone);
	}
}

/* ---- closures ---- */

static void test_closures(void **state)
{
	struct sla_calendar *c = cal_json(
		"{\"name\":\"lima-c\",\"timezone\":\"America/Lima\","
		"\"hours\":{" WEEKDAYS_0800_1830 "},"
		"\"holidays\":[{\"date\":\"01-01\",\"name\":\"Año Nuevo\"}],"
		"\"closures\":["
		"{\"from\":\"2026-03-10T12:00:00-05:00\","
		"\"to\":\"2026-03-10T15:00:00-05:00\",\"reason\":\"corte\"},"
		"{\"from\":\"2026-03-12T17:00:00-05:00\","
		"\"to\":\"2026-03-16T09:00:00-05:00\"},"
		"{\"from\":\"2026-03-12T16:00:00-05:00\","
		"\"to\":\"2026-03-12T17:30:00-05:00\"}]}");

	/* Tue 03-10 11:00 + 2h: 1h to 12:00, closed until 15:00, 1h left =
	 * 16:00. */
	check_due(c, "2026-03-10T11:00:00-05:00", 120, SLA_CLOCK_BUSINESS,
		  "2026-03-10T16:00:00-05:00", __LINE__);
	/* Start inside the closure: Tue 13:00 + 30m = 15:30. */
	check_due(c, "2026-03-10T13:00:00-05:00", 30, SLA_CLOCK_BUSINESS,
		  "2026-03-10T15:30:00-05:00", __LINE__);
	/* Used up exactly when the closure begins: Tue 11:00 + 1h = 12:00. */
	check_due(c, "2026-03-10T11:00:00-05:00", 60, SLA_CLOCK_BUSINESS,
		  "2026-03-10T12:00:00-05:00", __LINE__);
	/* Overlapping closures Thu 16:00 .. Mon 09:00: Thu 03-12 15:00 + 2h:
	 * 1h to 16:00, closed Fri, 1h left = Mon 03-16 09:00 + 1h = 10:00. */
	check_due(c, "2026-03-12T15:00:00-05:00", 120, SLA_CLOCK_BUSINESS,
		  "2026-03-16T10:00:00-05:00", __LINE__);
	/* The calendar clock ignores closures. */
	check_due(c, "2026-03-10T11:00:00-05:00", 120, SLA_CLOCK_CALENDAR,
		  "2026-03-10T13:00:00-05:00", __LINE__);
	assert_false(sla_is_open(c, iso("2026-03-10T12:00:00-05:00")));
	assert_true(sla_is_open(c, iso("2026-03-10T15:00:00-05:00")));
	sla_calendar_free(c);
}

/* ---- holidays from a year on ---- */

static void test_holiday_since(void **state)
{
	struct sla_calendar *c = cal_json(
		"{\"name\":\"lima-s\",\"timezone\":\"America/Lima\","
		"\"hours\":{" WEEKDAYS_0800_1830 "},"
		"\"holidays\":[{\"date\":\"03-03\",\"name\":\"Soporte\","
		"\"since\":2027},{\"easter\":1,\"name\":\"Lunes de Pascua\","
		"\"since\":2027}]}");
	struct sla_calendar *bad = NULL;
	json_t *spec;
	char err[160];

	(void)state;
	/* 2026: Tue 03-03 and Mon 04-06 are working days. */
	check_due(c, "2026-03-03T09:00:00-05:00", 60, SLA_CLOCK_BUSINESS,
		  "2026-03-03T10:00:00-05:00", __LINE__);
	check_due(c, "2026-04-06T09:00:00-05:00", 60, SLA_CLOCK_BUSINESS,
		  "2026-04-06T10:00:00-05:00", __LINE__);
	/* 2027: Wed 03-03 and Easter Monday 03-29 are holidays. */
	check_due(c, "2027-03-03T09:00:00-05:00", 60, SLA_CLOCK_BUSINESS,
		  "2027-03-04T09:00:00-05:00", __LINE__);
	check_due(c, "2027-03-29T09:00:00-05:00", 60, SLA_CLOCK_BUSINESS,
		  "2027-03-30T09:00:00-05:00", __LINE__);
	sla_calendar_free(c);
	/* A year that is not one is refused, naming the key. */
	spec = json_loads("{\"name\":\"x\",\"timezone\":\"America/Lima\","
			  "\"hours\":{},"
			  "\"holidays\":[{\"date\":\"03-03\",\"name\":\"x\","
			  "\"since\":\"2027\"}]}",
			  0, NULL);
	assert_non_null(spec);
	assert_int_equal(sla_calendar_from_json(spec, &bad, err, sizeof(err)),
			 AY_EINVAL);
	assert_non_null(strstr(err, "'since'"));
	json_decref(spec);
}

/* ---- properties ---- */

static uint64_t rng_state;

static uint64_t rng(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rng_state = x;
	return x;
}

static int64_t rnd(int64_t lo, int64_t hi) /* [lo, hi) */
{
	return lo + (int64_t)(rng() % (uint64_t)(hi - lo));
}

static void props(const struct sla_calendar *c, int n)
{
	int64_t lo = iso("2025-01-01T00:00:00Z"),
		hi = iso("2028-01-01T00:00:00Z");

	for (int i = 0; i < n; i++) {
		int64_t s = rnd(lo, hi);
		int64_t m = (rng() % 8 == 0) ? rnd(0, 525601) : rnd(0, 7201);
		int64_t a = rnd(1, 3000), b = rnd(1, 3000);
		int64_t d, no;

		if (rng() % 4 == 0)
			s -= s % 60; /* hit boundaries more often */
		d = sla_due(c, s, m, SLA_CLOCK_BUSINESS);
		no = sla_next_open(c, s);
		assert_true(d != SLA_TIME_INVALID);
		assert_true(d >= s);
		assert_int_equal(sla_open_seconds(c, s, d), 60 * m);
		assert_int_equal(sla_open_seconds(c, no, d), 60 * m);
		if (sla_is_open(c, s))
			assert_int_equal(no, s);
		if (m > 0) {
			/* Earliest: one second less is not enough, and the
			 * last second counted is open. */
			assert_true(sla_open_seconds(c, s, d - 1) < 60 * m);
			assert_true(sla_is_open(c, d - 1));
		} else {
			assert_int_equal(d, no);
		}
		/* Additivity. */
		assert_int_equal(sla_due(c, s, a + b, SLA_CLOCK_BUSINESS),
				 sla_due(c,
					 sla_due(c, s, a, SLA_CLOCK_BUSINESS),
					 b, SLA_CLOCK_BUSINESS));
		/* Monotone in the start and in the target. */
		int64_t s2 = s + rnd(0, 4 * 86400);
		assert_true(sla_due(c, s2, m, SLA_CLOCK_BUSINESS) >= d);
		assert_true(sla_due(c, s, m + a, SLA_CLOCK_BUSINESS) > d);
		/* Seconds targets: the earliest instant with that much open
		 * time, and minutes agree with 60 x seconds. */
		int64_t secs = rnd(1, 200000);
		int64_t ds = sla_due_seconds(c, s, secs, SLA_CLOCK_BUSINESS);
		assert_int_equal(sla_open_seconds(c, s, ds), secs);
		assert_true(sla_is_open(c, ds - 1));
		assert_int_equal(
			sla_due_seconds(c, s, 60 * m, SLA_CLOCK_BUSINESS), d);
		/* open_seconds is additive over a split. */
		int64_t e = s + rnd(0, 40 * 86400), mid = rnd(s, e + 1);
		assert_int_equal(sla_open_seconds(c, s, e),
				 sla_open_seconds(c, s, mid) +
					 sla_open_seconds(c, mid, e));
	}
}

/* A slow reference: walk the local days, asking ICU for each opening and
 * closing, and count open seconds in [from, to). No closures. */
struct ref {
	UCalendar *uc;
	const struct sla_calendar *c;
};

static int64_t ref_local(struct ref *r, int64_t day, int min)
{
	UErrorCode st = U_ZERO_ERROR;
	int64_t y;
	int m, d;

	sla_civil_from_days(day + min / 1440, &y, &m, &d);
	min %= 1440;
	ucal_clear(r->uc);
	ucal_setDateTime(r->uc, (int32_t)y, m - 1, d, min / 60, min % 60, 0,
			 &st);
	return (int64_t)(ucal_getMillis(r->uc, &st) / 1000);
}

static int64_t ref_open_seconds(struct ref *r, int64_t from, int64_t to)
{
	int64_t sum = 0;
	int64_t d0 = sla_floor_div(from, 86400) - 2;
	int64_t d1 = sla_floor_div(to, 86400) + 2;

	for (int64_t day = d0; day <= d1; day++) {
		int w = sla_weekday(day);
		int64_t y;
		int m, d;
		bool hol = false;

		sla_civil_from_days(day, &y, &m, &d);
		for (size_t i = 0; i < r->c->nhol; i++)
			hol |= sla_holiday_on(&r->c->hol[i], y, m, d, day,
					      sla_easter_days(y));
		if (hol)
			continue;
		for (int i = 0; i < r->c->nhours[w]; i++) {
			int64_t s = ref_local(r, day, r->c->hours[w][i].open);
			int64_t e = ref_local(r, day, r->c->hours[w][i].close);
			if (s < from)
				s = from;
			if (e > to)
				e = to;
			if (e > s)
				sum += e - s;
		}
	}
	return sum;
}

static void check_against_reference(const struct sla_calendar *c, int n)
{
	UChar uid[64];
	UErrorCode st = U_ZERO_ERROR;
	struct ref r = {.c = c};
	int64_t lo = iso("2025-01-01T00:00:00Z"),
		hi = iso("2028-01-01T00:00:00Z");

	u_uastrcpy(uid, sla_calendar_zone(c));
	r.uc = ucal_open(uid, -1, "en_US_POSIX", UCAL_GREGORIAN, &st);
	assert_true(U_SUCCESS(st));
	for (int i = 0; i < n; i++) {
		int64_t s = rnd(lo, hi), e = s + rnd(0, 20 * 86400);
		assert_int_equal(sla_open_seconds(c, s, e),
				 ref_open_seconds(&r, s, e));
	}
	ucal_close(r.uc);
}

static void test_properties(void **state)
{
	struct sla_calendar *madrid = cal_json(
		"{\"name\":\"madrid\",\"timezone\":\"Europe/Madrid\","
		"\"hours\":{" WEEKDAYS_0800_1830 ","
		"\"sat\":[[\"00:30\",\"02:30\"],[\"02:45\",\"03:15\"]],"
		"\"sun\":[[\"01:00\",\"02:30\"],[\"02:30\",\"04:00\"],"
		"[\"22:00\",\"24:00\"]]},"
		"\"holidays\":[{\"date\":\"01-06\",\"name\":\"Reyes\"},"
		"{\"easter\":1,\"name\":\"Lunes de Pascua\"}]}");
	struct sla_calendar *santiago = cal_json(
		"{\"name\":\"santiago\",\"timezone\":\"America/Santiago\","
		"\"hours\":{" WEEKDAYS_0800_1830 ","
		"\"sat\":[[\"22:00\",\"24:00\"]],"
		"\"sun\":[[\"00:00\",\"03:00\"]]}}");

	rng_state = 0x1234567890abcdefull;
	props(lima, 4000);
	props(madrid, 2000);
	props(santiago, 2000);
	check_against_reference(lima, 300);
	check_against_reference(madrid, 300);
	check_against_reference(santiago, 300);
	sla_calendar_free(madrid);
	sla_calendar_free(santiago);
}

/* Many threads read one calendar at once and agree with one thread. */
#define NTHREADS 4
#define NQUERIES 20000

struct thread_arg {
	const struct sla_calendar *c;
	const int64_t *starts;
	int64_t *out;
};

static void *thread_main(void *p)
{
	struct thread_arg *a = p;

	for (int i = 0; i < NQUERIES; i++)
		a->out[i] = sla_due(a->c, a->starts[i], 720 + i % 5000,
				    SLA_CLOCK_BUSINESS);
	return NULL;
}

static void test_threads(void **state)
{
	static int64_t starts[NQUERIES], out[NTHREADS][NQUERIES];
	pthread_t th[NTHREADS];
	struct thread_arg args[NTHREADS];

	rng_state = 42;
	for (int i = 0; i < NQUERIES; i++)
		starts[i] = rnd(iso("2025-01-01T00:00:00Z"),
				iso("2028-01-01T00:00:00Z"));
	for (int t = 0; t < NTHREADS; t++) {
		args[t] = (struct thread_arg){lima, starts, out[t]};
		assert_int_equal(
			pthread_create(&th[t], NULL, thread_main, &args[t]), 0);
	}
	for (int t = 0; t < NTHREADS; t++)
		pthread_join(th[t], NULL);
	for (int i = 0; i < NQUERIES; i++)
		for (int t = 0; t < NTHREADS; t++)
			assert_int_equal(out[t][i],
					 sla_due(lima, starts[i],
						 720 + i % 5000,
						 SLA_CLOCK_BUSINESS));
}

static void test_easter(void **state)
{
	/* Known Western Easter Sundays. */
	static const struct {
		int y, m, d;
	} e[] = {{2024, 3, 31}, {2025, 4, 20}, {2026, 4, 5},  {2027, 3, 28},
		 {2038, 4, 25}, {2000, 4, 23}, {1970, 3, 29}, {2100, 3, 28}};

	for (size_t i = 0; i < AY_ARRAY_LEN(e); i++)
		assert_int_equal(sla_easter_days(e[i].y),
				 sla_days_from_civil(e[i].y, e[i].m, e[i].d));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lima_basic),
		cmocka_unit_test(test_lima_weekend),
		cmocka_unit_test(test_lima_levels),
		cmocka_unit_test(test_lima_holidays_2026),
		cmocka_unit_test(test_lima_holy_week_other_years),
		cmocka_unit_test(test_lima_offsets),
		cmocka_unit_test(test_lima_zero),
		cmocka_unit_test(test_lima_calendar_clock),
		cmocka_unit_test(test_lima_year_target),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_open_seconds_lima),
		cmocka_unit_test(test_dst_madrid),
		cmocka_unit_test(test_dst_santiago),
		cmocka_unit_test(test_dst_overlapping_intervals),
		cmocka_unit_test(test_zone_matches_icu),
		cmocka_unit_test(test_closures),
		cmocka_unit_test(test_holiday_since),
		cmocka_unit_test(test_properties),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_easter),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
