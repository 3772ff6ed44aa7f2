/* Business-time arithmetic: calendars of open hours in an IANA time zone,
 * with holidays and closures, and the due instant of an SLA target.
 *
 * Pure: no I/O, no database, no process-global time zone. All instants are
 * int64 Unix seconds (UTC). A calendar is immutable once built, so any number
 * of threads may query it at once without locking. */
#ifndef AY_SLA_BIZCAL_H
#define AY_SLA_BIZCAL_H

#include <stdio.h>
#include <jansson.h>
#include "util/ay.h"
#include "util/buf.h"

enum sla_clock {
	SLA_CLOCK_BUSINESS, /* only open business time counts */
	SLA_CLOCK_CALENDAR, /* wall-clock time: start + minutes */
};

/* Returned by the time-valued functions when there is no answer: the start
 * or the result lies outside the precomputed years (SLA_YEAR_MIN ..
 * SLA_YEAR_MAX, local time), the calendar never opens, or the input is
 * invalid (negative minutes, overflow). */
#define SLA_TIME_INVALID INT64_MIN

/* The business-hours table of every calendar covers local dates from
 * SLA_YEAR_MIN-01-01 00:00 up to (SLA_YEAR_MAX+1)-01-01 00:00. */
#define SLA_YEAR_MIN 1970
#define SLA_YEAR_MAX 2100

/* Largest target accepted by sla_due(), in minutes (100 years). */
#define SLA_MINUTES_MAX ((int64_t)100 * 366 * 24 * 60)

struct sla_calendar;

/* Build a calendar from its JSON spec:
 *   {"name":"lima","timezone":"America/Lima",
 *    "hours":{"mon":[["08:00","18:30"]],...,"sun":[]},
 *    "holidays":[{"date":"01-01","name":"..."},
 *                {"date":"2026-12-31","name":"..."},
 *                {"easter":-3,"name":"...","since":2027}],
 *    "closures":[{"from":ISO8601,"to":ISO8601,"reason":"..."}]}
 * "name" and "timezone" are required; "hours" keys are mon..sun, a missing
 * day is closed; times are "HH:MM" (a close may be "24:00"), the intervals
 * of one day sorted and not overlapping; a holiday's optional "since" is
 * the first year it applies (a new holiday does not rewrite the past);
 * "holidays" and "closures" are optional. Unknown keys are rejected. On failure
 * returns AY_EINVAL (or AY_ENOMEM) and writes a one-line reason into err (may
 * be NULL). Returns: *out owned by caller, free with sla_calendar_free(). */
ay_rc sla_calendar_from_json(const json_t *spec, struct sla_calendar **out,
			     char *err, size_t errlen) AY_MUST_CHECK;

/* The built-in calendar "lima": America/Lima, Mon-Fri 08:00-18:30, Peru's
 * national holidays with Spanish names.
 * Returns: a new reference, release with json_decref(); NULL on OOM. */
json_t *sla_calendar_default_lima_json(void);

/* Build the built-in "lima" calendar (sla_calendar_default_lima_json()).
 * Returns: *out owned by caller, free with sla_calendar_free(). */
ay_rc sla_calendar_default_lima(struct sla_calendar **out) AY_MUST_CHECK;

/* Free a calendar. NULL-safe. */
void sla_calendar_free(struct sla_calendar *cal);

/* Is id a time zone ICU knows (e.g. "America/Bogota")? */
bool sla_zone_valid(const char *id);

/* Borrowed: valid while cal lives. The IANA zone ID, e.g. "America/Lima". */
const char *sla_calendar_zone(const struct sla_calendar *cal);
/* Instant t as people read it in zone_id, in lang ("es", "en"), with the
 * zone after it: "miércoles, 2 de diciembre de 2026, 9:30 (America/Lima)".
 * Writes "-" when ICU cannot format it. out is always NUL-terminated. */
void sla_format_local(const char *zone_id, int64_t t, const char *lang,
		      char *out, size_t outlen);
/* Borrowed: valid while cal lives. The calendar's name, e.g. "lima". */
const char *sla_calendar_name(const struct sla_calendar *cal);
/* The UTC range [*lo, *hi) in which business-time answers are defined. */
void sla_calendar_range(const struct sla_calendar *cal, int64_t *lo,
			int64_t *hi);

/* The due instant of a target of `minutes` from `start`.
 * SLA_CLOCK_CALENDAR: start + 60 * minutes.
 * SLA_CLOCK_BUSINESS: the earliest instant at which the open time elapsed
 * since start equals the target; a start outside open hours counts from the
 * next opening; a target used up exactly at a close is due at the close.
 * A 0-minute target is due at start when start is open, else at the next
 * opening (sla_next_open()).
 * Returns SLA_TIME_INVALID for minutes < 0 or > SLA_MINUTES_MAX, and (business
 * clock) for a start or result outside sla_calendar_range(). */
int64_t sla_due(const struct sla_calendar *cal, int64_t start, int64_t minutes,
		enum sla_clock clock);

/* sla_due() with a target in seconds (0 .. 60 * SLA_MINUTES_MAX), e.g. the
 * time left on a paused ticket: the earliest instant at which `seconds` of
 * open time have elapsed since start. */
int64_t sla_due_seconds(const struct sla_calendar *cal, int64_t start,
			int64_t seconds, enum sla_clock clock);

/* Open business seconds in [from, to); 0 when to <= from. Both ends are
 * clamped to sla_calendar_range(): nothing counts outside it. */
int64_t sla_open_seconds(const struct sla_calendar *cal, int64_t from,
			 int64_t to);

/* The calendar's business day: the open minutes of its longest weekday
 * (630 for lima's 08:00-18:30); 0 for a calendar that never opens. */
int sla_calendar_day_minutes(const struct sla_calendar *cal);

/* Whether the calendar is open at t (false outside sla_calendar_range()). */
bool sla_is_open(const struct sla_calendar *cal, int64_t t);

/* The first open instant >= t: t itself if open. SLA_TIME_INVALID when t or
 * the answer lies outside sla_calendar_range(). */
int64_t sla_next_open(const struct sla_calendar *cal, int64_t t);

/* The UTC offset in seconds of the calendar's zone at instant t. */
int32_t sla_calendar_offset(const struct sla_calendar *cal, int64_t t);

/* Parse an RFC 3339 / ISO 8601 instant, strictly: YYYY-MM-DDTHH:MM:SS, an
 * optional fraction (.digits, ignored: truncated to the second), and a zone
 * designator Z or +hh:mm / -hh:mm. Returns AY_EINVAL on anything else. */
ay_rc sla_parse_iso8601(const char *s, int64_t *out) AY_MUST_CHECK;

/* Format t in the calendar's zone with its offset, always as ±hh:mm (never
 * Z), e.g. "2026-12-02T09:30:00-05:00". outlen >= 26 suffices
 * (SLA_ISO8601_LEN). Returns AY_ETOOBIG when out is too small, AY_EINVAL for
 * years outside 0..9999. */
#define SLA_ISO8601_LEN 32
ay_rc sla_format_iso8601(const struct sla_calendar *cal, int64_t t, char *out,
			 size_t outlen) AY_MUST_CHECK;

/* Append an iCalendar feed (RFC 5545: CRLF, lines folded at 75 octets) of
 * the calendar's holidays in years year_from..year_to (one all-day VEVENT per
 * occurrence) and of its closures overlapping those years (timed VEVENTs in
 * UTC). UIDs and DTSTAMPs are derived from the data only, so the feed is
 * byte-identical for identical input (good for subscriptions and ETags).
 * Years must satisfy 1900 <= year_from <= year_to <= 2200. */
ay_rc sla_calendar_ics(const struct sla_calendar *cal, int year_from,
		       int year_to, struct buf *out) AY_MUST_CHECK;

/* The calendar's events from now on, as the landing page shows them:
 * [{"kind":"holiday","date":"YYYY-MM-DD","name"}] for the days of the
 * next `days` (from today in the calendar's zone), then
 * [{"kind":"closure","from","to" (UTC ISO 8601),"name" (the reason, or
 * null)}] for the closures not over by now that start before now + days.
 * Returns: *out owned by caller, json_decref(). */
ay_rc sla_calendar_upcoming(const struct sla_calendar *cal, int64_t now,
			    int days, json_t **out) AY_MUST_CHECK;

/* Parse "business" / "calendar". */
ay_rc sla_clock_parse(const char *s, enum sla_clock *out) AY_MUST_CHECK;

#endif
