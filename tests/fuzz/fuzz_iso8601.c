/* libFuzzer target: the ISO 8601 parser (API bodies, query strings, the
 * `sla due` CLI) and what is computed from a parsed instant. An accepted
 * instant formats in the "lima" calendar and parses back to itself; a due
 * time is never before its start. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sla/bizcal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct sla_calendar *lima;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[128], out[SLA_ISO8601_LEN];
	int64_t t, back, due, lo, hi;
	unsigned minutes = 0;

	if (!lima && sla_calendar_default_lima(&lima))
		abort();
	if (size >= sizeof(s))
		size = sizeof(s) - 1;
	memcpy(s, data, size);
	s[size] = '\0';
	if (sla_parse_iso8601(s, &t))
		return 0;
	if (!sla_format_iso8601(lima, t, out, sizeof(out)) &&
	    (sla_parse_iso8601(out, &back) || back != t))
		abort();
	/* A target from the bytes after the string's end, if any. */
	for (size_t i = strlen(s) + 1; i < size && i < strlen(s) + 4; i++)
		minutes = minutes << 8 | data[i];
	sla_calendar_range(lima, &lo, &hi);
	if (t >= lo && t < hi) {
		due = sla_due(lima, t, (int64_t)(minutes % 100000),
			      SLA_CLOCK_BUSINESS);
		if (due != SLA_TIME_INVALID &&
		    (due < t || sla_open_seconds(lima, t, due) !=
					(int64_t)(minutes % 100000) * 60))
			abort();
	}
	return 0;
}
