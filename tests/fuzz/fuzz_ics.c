/* libFuzzer target: the .ics writer (GET /calendars/NAME.ics) with what an
 * admin may put in a calendar: its name, holiday names and dates, closure
 * reasons and times. The "lima" calendar is built once; each input gives
 * it another name, holidays and closures (the calendar's JSON parser is
 * fuzzed by fuzz_json_body). Input: byte 0 the number of holidays (0-7),
 * byte 1 the first year, 8 bytes per holiday and per closure, then
 * NUL-separated strings (name, holiday names, closure reasons). The feed
 * must stay valid RFC 5545 whatever the text: CRLF line ends and no other
 * control character, lines of at most 75 octets, balanced BEGIN/END. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sla/sla_int.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The next NUL-terminated string of the input, copied into out. */
static char *next_str(const uint8_t **p, const uint8_t *end, char *out,
		      size_t outlen)
{
	const uint8_t *s = *p, *z = memchr(s, 0, (size_t)(end - s));
	size_t n = (size_t)((z ? z : end) - s);

	*p = z ? z + 1 : end;
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, s, n);
	out[n] = '\0';
	return out;
}

static void check_feed(const char *f, size_t n)
{
	int depth = 0;
	size_t i = 0;

	while (i < n) {
		const char *eol = memmem(f + i, n - i, "\r\n", 2);
		size_t len;

		if (!eol)
			abort(); /* every line ends in CRLF */
		len = (size_t)(eol - (f + i));
		if (len > 75)
			abort();
		for (size_t k = 0; k < len; k++) {
			unsigned char c = (unsigned char)f[i + k];

			if ((c < 0x20 && c != '\t') || c == 0x7f)
				abort();
		}
		if (len >= 6 && !memcmp(f + i, "BEGIN:", 6))
			depth++;
		if (len >= 4 && !memcmp(f + i, "END:", 4) && --depth < 0)
			abort();
		i += len + 2;
	}
	if (depth)
		abort();
}

#define NMAX 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sla_calendar *lima;
	static char names[2 * NMAX + 1][320];
	struct sla_holiday hol[NMAX];
	struct sla_closure clo[NMAX];
	const uint8_t *p = data + 2, *end = data + size;
	struct sla_calendar cal;
	struct buf out;
	size_t nhol, nclo = 0;
	int year;

	if (!lima && sla_calendar_default_lima(&lima))
		abort();
	if (size < 2)
		return 0;
	nhol = data[0] % NMAX;
	year = 1990 + data[1] % 80;
	cal = *lima;
	for (size_t i = 0; i < nhol && end - p >= 8; i++, p += 8) {
		hol[i].kind = (enum sla_holiday_kind)(p[0] % 3);
		hol[i].year = p[1] % 3 ? 0 : year + p[1] % 2;
		hol[i].month = 1 + p[2] % 12;
		hol[i].day = 1 + p[3] % 28;
		hol[i].easter = (int8_t)p[4];
	}
	for (; nclo < 2 && end - p >= 8; nclo++, p += 8) {
		int64_t from =
			((int64_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]) *
			10;

		clo[nclo].from = from;
		clo[nclo].to = from + (p[4] << 8 | p[5]) * 60 + 60;
	}
	cal.name = next_str(&p, end, names[0], sizeof(names[0]));
	cal.title = cal.name; /* X-WR-CALNAME: the title, escaped and folded */
	for (size_t i = 0; i < nhol; i++)
		hol[i].name = next_str(&p, end, names[1 + i], sizeof(names[0]));
	for (size_t i = 0; i < nclo; i++)
		clo[i].reason = p < end ? next_str(&p, end, names[1 + NMAX + i],
						   sizeof(names[0]))
					: NULL;
	cal.hol = hol;
	cal.nhol = nhol;
	cal.clo = clo;
	cal.nclo = nclo;
	buf_init(&out, 16 << 20);
	if (!sla_calendar_ics(&cal, year, year + 1, &out))
		check_feed(out.ptr, out.len);
	buf_release(&out);
	return 0;
}
