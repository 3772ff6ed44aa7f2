/* Strict ISO 8601 / RFC 3339 instants: parse any offset, format in a
 * calendar's zone; the names of the two clocks. */
#include <string.h>

#include "sla/sla_int.h"

static bool digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

/* Parse YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm|-hh:mm). */
ay_rc sla_parse_iso8601(const char *s, int64_t *out)
{
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;

	if (!s || strlen(s) < 20)
		return AY_EINVAL;
	if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
	    s[7] != '-' || !digits(s + 8, 2, &d) || s[10] != 'T' ||
	    !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi) ||
	    s[16] != ':' || !digits(s + 17, 2, &sec))
		return AY_EINVAL;
	s += 19;
	if (*s == '.') {
		size_t n = strspn(s + 1, "0123456789");
		if (n == 0 || n > 9)
			return AY_EINVAL;
		s += 1 + n;
	}
	if (*s == 'Z') {
		s++;
	} else if (*s == '+' || *s == '-') {
		sign = *s == '-' ? -1 : 1;
		if (!digits(s + 1, 2, &oh) || s[3] != ':' ||
		    !digits(s + 4, 2, &om))
			return AY_EINVAL;
		s += 6;
	} else {
		return AY_EINVAL;
	}
	if (*s)
		return AY_EINVAL;
	if (mo < 1 || mo > 12 || d < 1 || d > sla_month_days(y, mo) || y < 1 ||
	    h > 23 || mi > 59 || sec > 59 || oh > 23 || om > 59)
		return AY_EINVAL;
	*out = sla_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
	       sec - sign * (oh * 3600 + om * 60);
	return AY_OK;
}

/* Format t in the calendar's zone as YYYY-MM-DDTHH:MM:SS±hh:mm. */
ay_rc sla_format_iso8601(const struct sla_calendar *cal, int64_t t, char *out,
			 size_t outlen)
{
	int32_t off = sla_zone_offset(&cal->zone, t);
	int64_t local, days, secs, y;
	int m, d, n;
	char sign = '+';

	if (t == SLA_TIME_INVALID || t < -62135596800LL ||
	    t > 253402300799LL) /* outside years 1..9999 */
		return AY_EINVAL;
	if (off % 60)
		off = 0; /* a local mean time with seconds: give UTC */
	local = t + off;
	days = sla_floor_div(local, 86400);
	secs = local - days * 86400;
	sla_civil_from_days(days, &y, &m, &d);
	if (y < 1 || y > 9999)
		return AY_EINVAL;
	if (off < 0) {
		sign = '-';
		off = -off;
	}
	n = snprintf(out, outlen, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
		     (int)y, m, d, (int)(secs / 3600), (int)(secs / 60 % 60),
		     (int)(secs % 60), sign, (int)(off / 3600),
		     (int)(off / 60 % 60));
	if (n < 0 || (size_t)n >= outlen)
		return AY_ETOOBIG;
	return AY_OK;
}

ay_rc sla_clock_parse(const char *s, enum sla_clock *out)
{
	if (!strcmp(s, "business"))
		*out = SLA_CLOCK_BUSINESS;
	else if (!strcmp(s, "calendar"))
		*out = SLA_CLOCK_CALENDAR;
	else
		return AY_EINVAL;
	return AY_OK;
}
