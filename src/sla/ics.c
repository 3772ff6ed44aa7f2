/* iCalendar (RFC 5545) feed of a calendar's holidays and closures. */
#include <string.h>

#include "sla/sla_int.h"
#include "util/str.h"

#define ICS_LINE_MAX 75 /* octets per line, without the CRLF */

/* Append one content line, folded at 75 octets (never inside a UTF-8
 * sequence), ending in CRLF. */
static ay_rc ics_line(struct buf *out, const char *s, size_t n)
{
	size_t col = 0, i = 0;
	ay_rc rc;

	while (i < n) {
		size_t clen = 1;
		unsigned char ch = (unsigned char)s[i];

		if (ch >= 0xf0)
			clen = 4;
		else if (ch >= 0xe0)
			clen = 3;
		else if (ch >= 0xc0)
			clen = 2;
		if (i + clen > n)
			clen = n - i;
		if (col + clen > ICS_LINE_MAX) {
			rc = buf_add(out, "\r\n ", 3);
			if (rc)
				return rc;
			col = 1;
		}
		rc = buf_add(out, s + i, clen);
		if (rc)
			return rc;
		col += clen;
		i += clen;
	}
	return buf_add(out, "\r\n", 2);
}

/* Append a property "NAME:value" with value escaped as TEXT: control
 * characters (DEL too) and bytes that are not UTF-8 are left out (RFC 5545
 * section 3.3.11 allows neither). */
static ay_rc ics_text(struct buf *out, const char *name, const char *val)
{
	size_t n = strlen(val);
	struct buf l;
	ay_rc rc;

	buf_init(&l, 1 << 16);
	rc = buf_addf(&l, "%s:", name);
	for (size_t i = 0; !rc && i < n; i++) {
		unsigned char c = (unsigned char)val[i];
		size_t u;

		if (c >= 0x80) {
			uint32_t cp;

			u = ay_utf8_next((const unsigned char *)val + i, n - i,
					 &cp);
			if (u)
				rc = buf_add(&l, val + i, u);
			i += u ? u - 1 : 0;
			continue;
		}
		if (c == '\\' || c == ';' || c == ',')
			rc = buf_addc(&l, '\\');
		if (rc)
			break;
		if (c == '\n')
			rc = buf_add(&l, "\\n", 2);
		else if (c < 0x20 || c == 0x7f)
			continue;
		else
			rc = buf_addc(&l, (char)c);
	}
	if (!rc)
		rc = ics_line(out, l.ptr, l.len);
	buf_release(&l);
	return rc;
}

static ay_rc ics_linef(struct buf *out, const char *fmt, ...) AY_PRINTF(2, 3);

static ay_rc ics_linef(struct buf *out, const char *fmt, ...)
{
	struct buf l;
	va_list ap;
	ay_rc rc;

	buf_init(&l, 1 << 16);
	va_start(ap, fmt);
	rc = buf_vaddf(&l, fmt, ap);
	va_end(ap);
	if (!rc)
		rc = ics_line(out, l.ptr, l.len);
	buf_release(&l);
	return rc;
}

/* FNV-1a, for UIDs that depend on the data only. */
static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

/* The calendar name reduced to [A-Za-z0-9._-] for UIDs. */
static void uid_name(const char *name, char *out, size_t outlen)
{
	size_t j = 0;

	for (size_t i = 0; name[i] && j + 1 < outlen; i++) {
		char ch = name[i];
		bool ok = (ch >= 'a' && ch <= 'z') ||
			  (ch >= 'A' && ch <= 'Z') ||
			  (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' ||
			  ch == '_';
		out[j++] = ok ? ch : '_';
	}
	out[j] = 0;
}

static void utc_stamp(int64_t t, char *out, size_t outlen)
{
	int64_t days = sla_floor_div(t, 86400), secs = t - days * 86400, y;
	int m, d;

	sla_civil_from_days(days, &y, &m, &d);
	snprintf(out, outlen, "%04d%02d%02dT%02d%02d%02dZ", (int)y, m, d,
		 (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
}

static ay_rc ics_holiday(struct buf *out, const char *uname,
			 const struct sla_holiday *h, int64_t day)
{
	int64_t y, y2;
	int m, d, m2, d2;
	ay_rc rc;

	sla_civil_from_days(day, &y, &m, &d);
	sla_civil_from_days(day + 1, &y2, &m2, &d2);
	rc = ics_line(out, "BEGIN:VEVENT", 12);
	if (!rc)
		rc = ics_linef(out, "UID:holiday-%04d%02d%02d-%08x@%s.ayuda",
			       (int)y, m, d, fnv1a(h->name), uname);
	if (!rc)
		rc = ics_linef(out, "DTSTAMP:%04d%02d%02dT000000Z", (int)y, m,
			       d);
	if (!rc)
		rc = ics_linef(out, "DTSTART;VALUE=DATE:%04d%02d%02d", (int)y,
			       m, d);
	if (!rc)
		rc = ics_linef(out, "DTEND;VALUE=DATE:%04d%02d%02d", (int)y2,
			       m2, d2);
	if (!rc)
		rc = ics_text(out, "SUMMARY", h->name);
	if (!rc)
		rc = ics_linef(out, "CATEGORIES:HOLIDAY");
	if (!rc)
		rc = ics_linef(out, "TRANSP:TRANSPARENT");
	if (!rc)
		rc = ics_line(out, "END:VEVENT", 10);
	return rc;
}

static ay_rc ics_closure(struct buf *out, const char *uname,
			 const struct sla_closure *k)
{
	char from[24], to[24];
	ay_rc rc;

	utc_stamp(k->from, from, sizeof(from));
	utc_stamp(k->to, to, sizeof(to));
	rc = ics_line(out, "BEGIN:VEVENT", 12);
	if (!rc)
		rc = ics_linef(out, "UID:closure-%s-%s@%s.ayuda", from, to,
			       uname);
	if (!rc)
		rc = ics_linef(out, "DTSTAMP:%s", from);
	if (!rc)
		rc = ics_linef(out, "DTSTART:%s", from);
	if (!rc)
		rc = ics_linef(out, "DTEND:%s", to);
	if (!rc)
		rc = ics_text(out, "SUMMARY",
			      k->reason && *k->reason ? k->reason : "Cierre");
	if (!rc)
		rc = ics_linef(out, "CATEGORIES:CLOSURE");
	if (!rc)
		rc = ics_linef(out, "TRANSP:OPAQUE");
	if (!rc)
		rc = ics_line(out, "END:VEVENT", 10);
	return rc;
}

/* Whether an earlier holiday of the list already produced an event with the
 * same name on this day. */
static bool dup_before(const struct sla_calendar *c, size_t i, int64_t y, int m,
		       int d, int64_t day, int64_t easter)
{
	for (size_t j = 0; j < i; j++)
		if (!strcmp(c->hol[j].name, c->hol[i].name) &&
		    sla_holiday_on(&c->hol[j], y, m, d, day, easter))
			return true;
	return false;
}

/* Append the feed for years year_from..year_to. */
ay_rc sla_calendar_ics(const struct sla_calendar *cal, int year_from,
		       int year_to, struct buf *out)
{
	char uname[80];
	ay_rc rc;

	if (year_from < SLA_ZONE_YEAR_MIN || year_to > SLA_ZONE_YEAR_MAX ||
	    year_from > year_to)
		return AY_EINVAL;
	uid_name(cal->name, uname, sizeof(uname));
	rc = ics_linef(out, "BEGIN:VCALENDAR");
	if (!rc)
		rc = ics_linef(out, "VERSION:2.0");
	if (!rc)
		rc = ics_linef(out, "PRODID:-//ayuda//sla calendar//ES");
	if (!rc)
		rc = ics_linef(out, "CALSCALE:GREGORIAN");
	if (!rc)
		rc = ics_linef(out, "METHOD:PUBLISH");
	if (!rc)
		rc = ics_text(out, "X-WR-CALNAME",
			      cal->title ? cal->title : cal->name);
	if (!rc)
		rc = ics_text(out, "X-WR-TIMEZONE", cal->zone.id);
	for (int y = year_from; !rc && y <= year_to; y++) {
		int64_t easter = sla_easter_days(y);
		int64_t d0 = sla_days_from_civil(y, 1, 1);
		int64_t d1 = sla_days_from_civil(y + 1, 1, 1);
		for (int64_t day = d0; !rc && day < d1; day++) {
			int64_t yy;
			int m, d;
			sla_civil_from_days(day, &yy, &m, &d);
			for (size_t i = 0; !rc && i < cal->nhol; i++) {
				if (!sla_holiday_on(&cal->hol[i], yy, m, d, day,
						    easter) ||
				    dup_before(cal, i, yy, m, d, day, easter))
					continue;
				rc = ics_holiday(out, uname, &cal->hol[i], day);
			}
		}
	}
	int64_t from = sla_days_from_civil(year_from, 1, 1) * 86400;
	int64_t to = sla_days_from_civil(year_to + 1, 1, 1) * 86400;
	for (size_t i = 0; !rc && i < cal->nclo; i++)
		if (cal->clo[i].to > from - 86400 &&
		    cal->clo[i].from < to + 86400)
			rc = ics_closure(out, uname, &cal->clo[i]);
	if (!rc)
		rc = ics_linef(out, "END:VCALENDAR");
	return rc;
}

/* "YYYY-MM-DDTHH:MM:SSZ" of Unix time t. */
static void iso_utc(int64_t t, char out[24])
{
	int64_t days = sla_floor_div(t, 86400), secs = t - days * 86400, y;
	int m, d;

	sla_civil_from_days(days, &y, &m, &d);
	snprintf(out, 24, "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)y, m, d,
		 (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
}

static ay_rc upcoming_holidays(const struct sla_calendar *cal, int64_t today,
			       int days, json_t *arr)
{
	int64_t easter = 0, easter_year = 0;

	for (int64_t day = today; day < today + days; day++) {
		int64_t y;
		int m, d;
		char date[16];

		sla_civil_from_days(day, &y, &m, &d);
		if (y < SLA_ZONE_YEAR_MIN || y > SLA_ZONE_YEAR_MAX)
			break;
		if (y != easter_year) {
			easter = sla_easter_days(y);
			easter_year = y;
		}
		snprintf(date, sizeof(date), "%04d-%02d-%02d", (int)y, m, d);
		for (size_t i = 0; i < cal->nhol; i++) {
			if (!sla_holiday_on(&cal->hol[i], y, m, d, day,
					    easter) ||
			    dup_before(cal, i, y, m, d, day, easter))
				continue;
			if (json_array_append_new(
				    arr, json_pack("{s:s, s:s, s:s}", "kind",
						   "holiday", "date", date,
						   "name", cal->hol[i].name)))
				return AY_ENOMEM;
		}
	}
	return AY_OK;
}

ay_rc sla_calendar_upcoming(const struct sla_calendar *cal, int64_t now,
			    int days, json_t **out)
{
	int64_t today =
		sla_floor_div(now + sla_zone_offset(&cal->zone, now), 86400);
	int64_t until = now + (int64_t)days * 86400;
	json_t *arr = json_array();
	ay_rc rc = arr ? AY_OK : AY_ENOMEM;

	*out = NULL;
	if (!rc)
		rc = upcoming_holidays(cal, today, days, arr);
	for (size_t i = 0; !rc && i < cal->nclo; i++) {
		const struct sla_closure *k = &cal->clo[i];
		char from[24], to[24];

		if (k->to <= now || k->from >= until)
			continue;
		iso_utc(k->from, from);
		iso_utc(k->to, to);
		if (json_array_append_new(
			    arr,
			    json_pack("{s:s, s:s, s:s, s:s?}", "kind",
				      "closure", "from", from, "to", to, "name",
				      k->reason && *k->reason ? k->reason
							      : NULL)))
			rc = AY_ENOMEM;
	}
	if (rc) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return AY_OK;
}
