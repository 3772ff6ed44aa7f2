/* Unit tests of the edges of src/sla: ISO 8601 parse/format, the JSON spec
 * validation, the iCalendar feed and the `ayuda sla due` CLI. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "sla/bizcal.h"

static struct sla_calendar *lima;

static int setup(void **state)
{
	return sla_calendar_default_lima(&lima) ? -1 : 0;
}

static int teardown(void **state)
{
	sla_calendar_free(lima);
	return 0;
}

/* ---- ISO 8601 ---- */

static void test_iso_parse(void **state)
{
	static const struct {
		const char *s;
		int64_t t;
	} ok[] = {
		{"1970-01-01T00:00:00Z", 0},
		{"2026-12-02T09:30:00-05:00", 1796221800},
		{"2026-12-02T14:30:00Z", 1796221800},
		{"2026-12-02T20:00:00+05:30", 1796221800},
		{"2026-12-02T14:30:00.5Z", 1796221800},
		{"2026-12-02T14:30:00.123456789+00:00", 1796221800},
		{"2026-12-02T14:30:00-00:00", 1796221800},
		{"2024-02-29T00:00:00Z", 1709164800},
		{"1969-12-31T23:59:59Z", -1},
		{"2026-12-03T00:00:00+09:30", 1796221800},
	};
	static const char *bad[] = {
		"",
		"2026-12-02",
		"2026-12-02T09:30:00",	     /* no zone */
		"2026-12-02T09:30-05:00",    /* no seconds */
		"2026-12-02 09:30:00-05:00", /* space */
		"2026-12-02t09:30:00z",	     /* lowercase */
		"2026-13-02T09:30:00Z",
		"2026-02-29T09:30:00Z", /* not a leap year */
		"2026-04-31T09:30:00Z",
		"2026-12-00T09:30:00Z",
		"2026-12-02T24:00:00Z",
		"2026-12-02T09:60:00Z",
		"2026-12-02T09:30:60Z",
		"2026-12-02T09:30:00+0500",
		"2026-12-02T09:30:00+05",
		"2026-12-02T09:30:00+24:00",
		"2026-12-02T09:30:00+05:60",
		"2026-12-02T09:30:00.Z",
		"2026-12-02T09:30:00.1234567890Z",
		"2026-12-02T09:30:00Z ",
		" 2026-12-02T09:30:00Z",
		"2026-12-02T09:30:00ZZ",
		"+2026-12-02T09:30:00Z",
		"0000-12-02T09:30:00Z",
		"2026-1-02T09:30:00Z",
		"2026-12-02T9:30:00Z",
		"20261202T093000Z",
		"2026-12-02T09:30:00-05:00x",
	};
	int64_t t;

	for (size_t i = 0; i < AY_ARRAY_LEN(ok); i++) {
		if (sla_parse_iso8601(ok[i].s, &t))
			fail_msg("rejected %s", ok[i].s);
		if (t != ok[i].t)
			fail_msg("%s -> %lld, want %lld", ok[i].s, (long long)t,
				 (long long)ok[i].t);
	}
	for (size_t i = 0; i < AY_ARRAY_LEN(bad); i++)
		if (sla_parse_iso8601(bad[i], &t) != AY_EINVAL)
			fail_msg("accepted '%s'", bad[i]);
	assert_int_equal(sla_parse_iso8601(NULL, &t), AY_EINVAL);
}

static void test_iso_format(void **state)
{
	char out[SLA_ISO8601_LEN];
	int64_t t;

	assert_int_equal(sla_format_iso8601(lima, 1796221800, out, sizeof(out)),
			 AY_OK);
	assert_string_equal(out, "2026-12-02T09:30:00-05:00");
	/* Never Z: UTC midnight shows in Lima's offset. */
	assert_int_equal(sla_format_iso8601(lima, 0, out, sizeof(out)), AY_OK);
	assert_string_equal(out, "1969-12-31T19:00:00-05:00");
	/* Too small a buffer. */
	assert_int_equal(sla_format_iso8601(lima, 0, out, 25), AY_ETOOBIG);
	assert_int_equal(sla_format_iso8601(lima, 0, out, 26), AY_OK);
	assert_int_equal(
		sla_format_iso8601(lima, SLA_TIME_INVALID, out, sizeof(out)),
		AY_EINVAL);
	/* Round trips: parse(format(t)) == t over a wide range. */
	for (t = -2000000000; t < 4200000000; t += 7777777) {
		int64_t back;
		assert_int_equal(sla_format_iso8601(lima, t, out, sizeof(out)),
				 AY_OK);
		assert_int_equal(sla_parse_iso8601(out, &back), AY_OK);
		assert_int_equal(back, t);
	}
	/* And format(parse(s)) == s for strings in Lima's offset. */
	assert_int_equal(sla_parse_iso8601("2027-03-26T18:30:00-05:00", &t),
			 AY_OK);
	assert_int_equal(sla_format_iso8601(lima, t, out, sizeof(out)), AY_OK);
	assert_string_equal(out, "2027-03-26T18:30:00-05:00");
}

/* ---- JSON validation ---- */

static void expect_reject(const char *text, const char *want)
{
	json_error_t jerr;
	json_t *spec = json_loads(text, 0, &jerr);
	struct sla_calendar *cal = (void *)1;
	char err[256] = "";

	if (!spec)
		fail_msg("bad JSON in test: %s: %s", jerr.text, text);
	assert_int_equal(sla_calendar_from_json(spec, &cal, err, sizeof(err)),
			 AY_EINVAL);
	assert_null(cal);
	if (!strstr(err, want))
		fail_msg("error '%s' does not contain '%s'", err, want);
	json_decref(spec);
}

#define HDR "{\"name\":\"x\",\"timezone\":\"America/Lima\","

static void test_json_validation(void **state)
{
	expect_reject("[]", "must be a JSON object");
	expect_reject("{\"timezone\":\"America/Lima\",\"hours\":{}}", "name");
	expect_reject("{\"name\":\"a b\",\"timezone\":\"America/Lima\","
		      "\"hours\":{}}",
		      "name");
	expect_reject("{\"name\":\"x\",\"hours\":{}}", "timezone");
	expect_reject("{\"name\":\"x\",\"timezone\":\"Mars/Olympus\","
		      "\"hours\":{}}",
		      "unknown timezone 'Mars/Olympus'");
	expect_reject("{\"name\":\"x\",\"timezone\":\"../etc\",\"hours\":{}}",
		      "not an IANA zone ID");
	expect_reject(HDR "\"colour\":1,\"hours\":{}}",
		      "calendar: unknown key 'colour'");
	expect_reject(HDR "\"holidays\":[]}", "hours: missing");
	expect_reject(HDR "\"hours\":[]}", "hours: must be an object");
	expect_reject(HDR "\"hours\":{\"monday\":[]}}", "unknown key 'monday'");
	expect_reject(HDR "\"hours\":{\"mon\":\"08:00-18:30\"}}",
		      "hours.mon: must be an array");
	expect_reject(HDR "\"hours\":{\"mon\":[[\"08:00\"]]}}",
		      "hours.mon[0]: must be a pair");
	expect_reject(HDR "\"hours\":{\"mon\":[[\"8:00\",\"18:30\"]]}}",
		      "opening '8:00'");
	expect_reject(HDR "\"hours\":{\"mon\":[[\"24:00\",\"24:00\"]]}}",
		      "opening '24:00'");
	expect_reject(HDR "\"hours\":{\"tue\":[[\"08:00\",\"24:30\"]]}}",
		      "hours.tue[0]: closing '24:30'");
	expect_reject(HDR "\"hours\":{\"mon\":[[\"08:00\",\"18:60\"]]}}",
		      "closing '18:60'");
	expect_reject(HDR "\"hours\":{\"mon\":[[\"18:30\",\"08:00\"]]}}",
		      "closing 08:00 is not after opening 18:30");
	expect_reject(HDR "\"hours\":{\"mon\":[[\"08:00\",\"08:00\"]]}}",
		      "not after");
	expect_reject(HDR "\"hours\":{\"mon\":[[\"08:00\",\"13:00\"],"
			  "[\"12:00\",\"18:00\"]]}}",
		      "hours.mon[1]: overlaps");
	expect_reject(HDR "\"hours\":{},\"holidays\":{}}",
		      "holidays: must be an array");
	expect_reject(HDR "\"hours\":{},\"holidays\":[{\"date\":\"01-01\"}]}",
		      "holidays[0]: 'name'");
	expect_reject(HDR "\"hours\":{},\"holidays\":[{\"name\":\"a\"}]}",
		      "exactly one of 'date' or 'easter'");
	expect_reject(HDR "\"hours\":{},\"holidays\":[{\"name\":\"a\","
			  "\"date\":\"01-01\",\"easter\":0}]}",
		      "exactly one");
	expect_reject(HDR "\"hours\":{},\"holidays\":[{\"name\":\"a\","
			  "\"date\":\"02-30\"}]}",
		      "holidays[0]: 'date'");
	expect_reject(HDR "\"hours\":{},\"holidays\":[{\"name\":\"a\","
			  "\"date\":\"2026-02-29\"}]}",
		      "'date'");
	expect_reject(HDR "\"hours\":{},\"holidays\":[{\"name\":\"a\","
			  "\"date\":\"1-1\"}]}",
		      "'date'");
	expect_reject(HDR "\"hours\":{},\"holidays\":[{\"name\":\"a\","
			  "\"easter\":\"-3\"}]}",
		      "'easter' must be an integer");
	expect_reject(HDR "\"hours\":{},\"holidays\":[{\"name\":\"a\","
			  "\"easter\":1000}]}",
		      "'easter' must be within");
	expect_reject(HDR "\"hours\":{},\"holidays\":[{\"name\":\"a\","
			  "\"date\":\"01-01\",\"type\":\"x\"}]}",
		      "holidays[0]: unknown key 'type'");
	expect_reject(HDR "\"hours\":{},\"closures\":[{\"from\":"
			  "\"2026-03-10T12:00:00-05:00\"}]}",
		      "closures[0]: 'to' must be an ISO 8601 instant");
	expect_reject(HDR "\"hours\":{},\"closures\":[{\"from\":"
			  "\"2026-03-10 12:00\",\"to\":"
			  "\"2026-03-10T13:00:00-05:00\"}]}",
		      "'from' must be");
	expect_reject(HDR "\"hours\":{},\"closures\":[{\"from\":"
			  "\"2026-03-10T12:00:00-05:00\",\"to\":"
			  "\"2026-03-10T12:00:00-05:00\"}]}",
		      "'to' must be after 'from'");
	expect_reject(HDR "\"hours\":{},\"closures\":[{\"from\":"
			  "\"2026-03-10T12:00:00-05:00\",\"to\":"
			  "\"2026-03-10T13:00:00-05:00\",\"reason\":5}]}",
		      "'reason' must be a string");
	/* NULL err is allowed. */
	{
		json_t *spec = json_loads("[]", 0, NULL);
		struct sla_calendar *cal;
		assert_int_equal(sla_calendar_from_json(spec, &cal, NULL, 0),
				 AY_EINVAL);
		json_decref(spec);
	}
}

static void test_json_accepts(void **state)
{
	json_t *spec = json_loads(
		HDR "\"hours\":{\"mon\":[[\"00:00\",\"12:00\"],[\"12:00\","
		    "\"24:00\"]],\"sat\":[]},"
		    "\"holidays\":[{\"date\":\"02-29\",\"name\":\"bisiesto\"},"
		    "{\"date\":\"2026-12-31\",\"name\":\"fin\"},"
		    "{\"easter\":0,\"name\":\"Pascua\"}],"
		    "\"closures\":[]}",
		0, NULL);
	struct sla_calendar *cal = NULL;
	char err[256];

	assert_non_null(spec);
	assert_int_equal(sla_calendar_from_json(spec, &cal, err, sizeof(err)),
			 AY_OK);
	/* Mon 00:00-12:00 + 12:00-24:00 is one open day: Mon 2026-03-02. */
	assert_int_equal(sla_open_seconds(cal, 1772427600, 1772427600 + 86400),
			 86400);
	sla_calendar_free(cal);
	json_decref(spec);
	/* The default lima spec round-trips through its own validation. */
	spec = sla_calendar_default_lima_json();
	assert_non_null(spec);
	assert_int_equal(json_array_size(json_object_get(spec, "holidays")),
			 16);
	assert_int_equal(sla_calendar_from_json(spec, &cal, err, sizeof(err)),
			 AY_OK);
	sla_calendar_free(cal);
	json_decref(spec);
}

/* ---- iCalendar ---- */

static int count(const char *s, const char *needle)
{
	int n = 0;

	for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void test_ics(void **state)
{
	static const char *const hol2026[] = {
		"20260101", "20260402", "20260403", "20260501",
		"20260607", "20260629", "20260723", "20260728",
		"20260729", "20260806", "20260830", "20261008",
		"20261101", "20261208", "20261209", "20261225"};
	struct buf b;
	char line[64];

	buf_init(&b, 1 << 20);
	assert_int_equal(sla_calendar_ics(lima, 2026, 2026, &b), AY_OK);
	assert_non_null(strstr(b.ptr, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
	assert_non_null(strstr(b.ptr, "END:VCALENDAR\r\n"));
	assert_int_equal(count(b.ptr, "BEGIN:VEVENT\r\n"), 16);
	assert_int_equal(count(b.ptr, "END:VEVENT\r\n"), 16);
	for (size_t i = 0; i < AY_ARRAY_LEN(hol2026); i++) {
		snprintf(line, sizeof(line), "DTSTART;VALUE=DATE:%s\r\n",
			 hol2026[i]);
		if (!strstr(b.ptr, line))
			fail_msg("no holiday on %s", hol2026[i]);
	}
	assert_non_null(strstr(b.ptr, "SUMMARY:Jueves Santo\r\n"));
	assert_non_null(strstr(b.ptr, "SUMMARY:Viernes Santo\r\n"));
	assert_non_null(strstr(b.ptr, "DTSTART;VALUE=DATE:20260402\r\n"
				      "DTEND;VALUE=DATE:20260403\r\n"));
	assert_non_null(strstr(b.ptr, "SUMMARY:Año Nuevo\r\n"));
	/* The calendar program shows its title, not its code. */
	assert_non_null(strstr(b.ptr, "X-WR-CALNAME:Lima (Perú)\r\n"));
	/* Every line ends in CRLF, is at most 75 octets, no bare LF. */
	for (char *p = b.ptr; *p;) {
		char *e = strstr(p, "\r\n");
		assert_non_null(e);
		assert_true(e - p <= 75);
		assert_null(memchr(p, '\n', (size_t)(e - p)));
		p = e + 2;
	}
	/* Stable: the same input gives the same bytes. */
	{
		struct buf b2;
		buf_init(&b2, 1 << 20);
		assert_int_equal(sla_calendar_ics(lima, 2026, 2026, &b2),
				 AY_OK);
		assert_string_equal(b.ptr, b2.ptr);
		buf_release(&b2);
	}
	buf_reset(&b);
	assert_int_equal(sla_calendar_ics(lima, 2025, 2027, &b), AY_OK);
	assert_int_equal(count(b.ptr, "BEGIN:VEVENT"), 48);
	assert_non_null(strstr(b.ptr, "DTSTART;VALUE=DATE:20250417\r\n"));
	assert_non_null(strstr(b.ptr, "DTSTART;VALUE=DATE:20270326\r\n"));
	assert_int_equal(sla_calendar_ics(lima, 2027, 2026, &b), AY_EINVAL);
	buf_release(&b);
}

static void test_ics_closures_and_folding(void **state)
{
	json_t *spec = json_loads(
		"{\"name\":\"soporte/lima\",\"timezone\":\"America/Lima\","
		"\"hours\":{},\"holidays\":[{\"date\":\"07-28\",\"name\":"
		"\"Fiestas Patrias; día de la independencia, con un nombre muy "
		"largo para doblar la línea en más de un renglón ñññññ\"}],"
		"\"closures\":[{\"from\":\"2026-03-10T12:00:00-05:00\","
		"\"to\":\"2026-03-10T15:00:00-05:00\",\"reason\":\"Corte de "
		"luz\"},{\"from\":\"2030-01-01T00:00:00Z\",\"to\":"
		"\"2030-01-02T00:00:00Z\"}]}",
		0, NULL);
	struct sla_calendar *cal;
	struct buf b;
	char err[256];

	assert_non_null(spec);
	assert_int_equal(sla_calendar_from_json(spec, &cal, err, sizeof(err)),
			 AY_OK);
	buf_init(&b, 1 << 20);
	assert_int_equal(sla_calendar_ics(cal, 2026, 2026, &b), AY_OK);
	assert_int_equal(count(b.ptr, "BEGIN:VEVENT"), 2);
	assert_non_null(strstr(b.ptr, "DTSTART:20260310T170000Z\r\n"
				      "DTEND:20260310T200000Z\r\n"));
	assert_non_null(strstr(b.ptr, "SUMMARY:Corte de luz\r\n"));
	assert_non_null(strstr(b.ptr, "UID:closure-20260310T170000Z-"
				      "20260310T200000Z@soporte_lima.ayuda"));
	assert_non_null(strstr(b.ptr, "SUMMARY:Fiestas Patrias\\; día de la "
				      "independencia\\, con"));
	assert_non_null(strstr(b.ptr, "\r\n "));
	/* Folded lines are at most 75 octets and never split a UTF-8
	 * sequence: no continuation begins with a continuation byte. */
	for (char *p = b.ptr; *p;) {
		char *e = strstr(p, "\r\n");
		assert_true(e - p <= 75);
		if (*p == ' ')
			assert_false((p[1] & 0xc0) == 0x80);
		p = e + 2;
	}
	buf_release(&b);
	sla_calendar_free(cal);
	json_decref(spec);
}

/* ---- CLI ---- */

static const struct sla_calendar *lookup(const char *name, void *arg)
{
	return strcmp(name, "lima") ? NULL : arg;
}

struct run {
	int rc;
	char *out, *err;
};

static struct run run_cli(const char *input, int argc, ...)
{
	char *argv[16];
	va_list ap;
	struct run r;
	size_t olen, elen;
	FILE *in;
	FILE *out = open_memstream(&r.out, &olen);
	FILE *err = open_memstream(&r.err, &elen);

	va_start(ap, argc);
	argv[0] = "due";
	for (int i = 1; i < argc; i++)
		argv[i] = va_arg(ap, char *);
	va_end(ap);
	/* fmemopen() needs a size > 0: for no input, consume one byte. */
	in = fmemopen((void *)(*input ? input : "x"),
		      *input ? strlen(input) : 1, "r");
	if (!*input)
		fgetc(in);
	r.rc = sla_cli_due_io(argc, argv, lookup, lima, in, out, err);
	fclose(in);
	fclose(out);
	fclose(err);
	return r;
}

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

static void test_cli_single(void **state)
{
	struct run r;

	r = run_cli("", 5, "--start", "2026-12-01T17:00:00-05:00", "--minutes",
		    "180");
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.out, "2026-12-02T09:30:00-05:00\n");
	run_free(&r);
	r = run_cli("", 9, "--start", "2026-12-01T22:00:00Z", "--minutes",
		    "720", "--clock", "business", "--calendar", "lima");
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.out, "2026-12-02T18:30:00-05:00\n");
	run_free(&r);
	r = run_cli("", 4, "--start=2026-12-05T10:00:00-05:00", "--minutes=60",
		    "--clock=calendar");
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.out, "2026-12-05T11:00:00-05:00\n");
	run_free(&r);
	r = run_cli("", 2, "--help");
	assert_int_equal(r.rc, 0);
	assert_non_null(strstr(r.out, "usage: ayuda sla due"));
	run_free(&r);
}

static void test_cli_errors(void **state)
{
	struct run r;

	r = run_cli("", 3, "--minutes", "60");
	assert_int_equal(r.rc, 2);
	assert_non_null(strstr(r.err, "missing --start"));
	assert_string_equal(r.out, "");
	run_free(&r);
	r = run_cli("", 3, "--start", "2026-12-01T17:00:00-05:00");
	assert_int_equal(r.rc, 2);
	assert_non_null(strstr(r.err, "missing --minutes"));
	run_free(&r);
	r = run_cli("", 5, "--start", "2026-12-01 17:00", "--minutes", "60");
	assert_int_equal(r.rc, 2);
	assert_non_null(strstr(r.err, "not an ISO 8601 instant"));
	run_free(&r);
	r = run_cli("", 5, "--start", "2026-12-01T17:00:00Z", "--minutes",
		    "-5");
	assert_int_equal(r.rc, 2);
	assert_non_null(strstr(r.err, "--minutes '-5'"));
	run_free(&r);
	r = run_cli("", 7, "--start", "2026-12-01T17:00:00Z", "--minutes", "5",
		    "--clock", "wall");
	assert_int_equal(r.rc, 2);
	assert_non_null(strstr(r.err, "--clock 'wall'"));
	run_free(&r);
	r = run_cli("", 2, "--frobnicate");
	assert_int_equal(r.rc, 2);
	assert_non_null(strstr(r.err, "unknown option '--frobnicate'"));
	run_free(&r);
	r = run_cli("", 2, "--start");
	assert_int_equal(r.rc, 2);
	assert_non_null(strstr(r.err, "needs a value"));
	run_free(&r);
	r = run_cli("", 7, "--start", "2026-12-01T17:00:00Z", "--minutes", "5",
		    "--calendar", "bogota");
	assert_int_equal(r.rc, 1);
	assert_non_null(strstr(r.err, "unknown calendar 'bogota'"));
	run_free(&r);
	r = run_cli("", 5, "--start", "2100-12-31T17:00:00Z", "--minutes",
		    "6000");
	assert_int_equal(r.rc, 1);
	assert_non_null(strstr(r.err, "outside the supported years"));
	run_free(&r);
}

static void test_cli_batch(void **state)
{
	struct run r;
	const char *in = "2026-12-01T17:00:00-05:00 180 business lima\n"
			 "2026-12-01T17:00:00-05:00 720\n"
			 "2026-12-05T10:00:00-05:00 60 calendar\n"
			 "bad-date 60 business lima\n"
			 "\n"
			 "2026-12-01T17:00:00-05:00 60 business bogota\n"
			 "2026-12-01T17:00:00-05:00 x\n"
			 "2026-12-01T17:00:00-05:00 60 sideways lima\n"
			 "2026-12-01T17:00:00-05:00 60 business lima extra\n"
			 "2026-04-01T17:30:00-05:00\t120\tbusiness\tlima\r\n"
			 "2026-12-01T18:00:00-05:00 30";

	r = run_cli(in, 2, "--batch");
	assert_int_equal(r.rc, 1);
	assert_string_equal(
		r.out, "2026-12-02T09:30:00-05:00\n"
		       "2026-12-02T18:30:00-05:00\n"
		       "2026-12-05T11:00:00-05:00\n"
		       "error: start 'bad-date' is not an ISO 8601 instant "
		       "like 2026-12-01T17:00:00-05:00\n"
		       "error: expected \"START MINUTES [CLOCK [CALENDAR]]\"\n"
		       "error: unknown calendar 'bogota'\n"
		       "error: minutes 'x' is not an integer in 0..52704000\n"
		       "error: clock 'sideways' is not 'business' or "
		       "'calendar'\n"
		       "error: expected \"START MINUTES [CLOCK [CALENDAR]]\"\n"
		       "2026-04-06T09:00:00-05:00\n"
		       "2026-12-01T18:30:00-05:00\n");
	run_free(&r);
	/* All good: exit 0; --clock sets the default for short lines. */
	r = run_cli("2026-12-05T10:00:00-05:00 60\n", 4, "--batch", "--clock",
		    "calendar");
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.out, "2026-12-05T11:00:00-05:00\n");
	run_free(&r);
	r = run_cli("", 2, "--batch");
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.out, "");
	run_free(&r);
	r = run_cli("", 4, "--batch", "--minutes", "5");
	assert_int_equal(r.rc, 2);
	run_free(&r);
}

static void test_cli_batch_large(void **state)
{
	/* More output than the 64 KiB buffer. */
	struct buf in;
	struct run r;
	int n = 5000;

	buf_init(&in, 1 << 22);
	for (int i = 0; i < n; i++)
		assert_int_equal(buf_addf(&in,
					  "2026-03-02T%02d:%02d:00-05:00 "
					  "%d\n",
					  i / 60 % 24, i % 60, 720 + i),
				 AY_OK);
	r = run_cli(in.ptr, 2, "--batch");
	assert_int_equal(r.rc, 0);
	assert_int_equal(count(r.out, "\n"), n);
	assert_int_equal(count(r.out, "-05:00\n"), n);
	run_free(&r);
	buf_release(&in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iso_parse),
		cmocka_unit_test(test_iso_format),
		cmocka_unit_test(test_json_validation),
		cmocka_unit_test(test_json_accepts),
		cmocka_unit_test(test_ics),
		cmocka_unit_test(test_ics_closures_and_folding),
		cmocka_unit_test(test_cli_single),
		cmocka_unit_test(test_cli_errors),
		cmocka_unit_test(test_cli_batch),
		cmocka_unit_test(test_cli_batch_large),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
