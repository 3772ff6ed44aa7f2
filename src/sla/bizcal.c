/* Business calendars: parse the JSON spec, precompute the open intervals as
 * sorted UTC arrays with prefix sums, and answer due/open queries from them
 * with binary searches. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sla/sla_int.h"
#include "util/grow.h"

#define NAME_MAX_LEN	   64
#define TITLE_MAX	   120
#define HOLIDAY_NAME_MAX   200
#define CLOSURE_REASON_MAX 500
#define MAX_HOLIDAYS	   1000
#define MAX_CLOSURES	   10000
#define EASTER_MAX_OFFSET  200

static const char *const day_keys[7] = {"mon", "tue", "wed", "thu",
					"fri", "sat", "sun"};

static void seterr(char *err, size_t errlen, const char *fmt, ...)
	AY_PRINTF(3, 4);

static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
int64_t sla_easter_days(int64_t y)
{
	int64_t a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
	int64_t f = (b + 8) / 25, g = (b - f + 1) / 3;
	int64_t h = (19 * a + b - d - g + 15) % 30;
	int64_t i = c / 4, k = c % 4;
	int64_t l = (32 + 2 * e + 2 * i - h - k) % 7;
	int64_t m = (a + 11 * h + 22 * l) / 451;
	int month = (int)((h + l - 7 * m + 114) / 31);
	int day = (int)((h + l - 7 * m + 114) % 31 + 1);

	return sla_days_from_civil(y, month, day);
}

/* Whether holiday h falls on the given local date. */
bool sla_holiday_on(const struct sla_holiday *h, int64_t y, int m, int d,
		    int64_t days, int64_t easter_days)
{
	if (y < h->since)
		return false;
	switch (h->kind) {
	case SLA_HOL_YEARLY:
		return h->month == m && h->day == d;
	case SLA_HOL_DATE:
		return h->year == y && h->month == m && h->day == d;
	case SLA_HOL_EASTER:
		return easter_days + h->easter == days;
	}
	return false;
}

/* ---- JSON spec ---- */

static bool parse_hhmm(const char *s, bool is_close, int *out)
{
	if (strlen(s) != 5 || s[2] != ':')
		return false;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return false;
	int h = (s[0] - '0') * 10 + (s[1] - '0');
	int m = (s[3] - '0') * 10 + (s[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && (m != 0 || !is_close)))
		return false;
	*out = h * 60 + m;
	return true;
}

/* Checks that obj has only keys from the NULL-terminated list allowed. */
static bool only_keys(const json_t *obj, const char *const *allowed,
		      const char *where, char *err, size_t errlen)
{
	const char *key;
	json_t *val;

	json_object_foreach ((json_t *)obj, key, val) {
		const char *const *a;
		for (a = allowed; *a; a++)
			if (!strcmp(*a, key))
				break;
		if (!*a) {
			seterr(err, errlen, "%s: unknown key '%s'", where, key);
			return false;
		}
	}
	return true;
}

static ay_rc parse_hours(struct sla_calendar *c, const json_t *hours, char *err,
			 size_t errlen)
{
	static const char *const keys[] = {"mon", "tue", "wed", "thu",
					   "fri", "sat", "sun", NULL};

	if (!json_is_object(hours)) {
		seterr(err, errlen,
		       "hours: must be an object with keys mon..sun");
		return AY_EINVAL;
	}
	if (!only_keys(hours, keys, "hours", err, errlen))
		return AY_EINVAL;
	for (int w = 0; w < 7; w++) {
		const json_t *day = json_object_get(hours, day_keys[w]);
		size_t i;
		json_t *iv;

		if (!day)
			continue;
		if (!json_is_array(day)) {
			seterr(err, errlen,
			       "hours.%s: must be an array of [\"HH:MM\", "
			       "\"HH:MM\"] pairs",
			       day_keys[w]);
			return AY_EINVAL;
		}
		if (json_array_size(day) > SLA_MAX_SPANS) {
			seterr(err, errlen,
			       "hours.%s: more than %d intervals in one day",
			       day_keys[w], SLA_MAX_SPANS);
			return AY_EINVAL;
		}
		json_array_foreach (day, i, iv) {
			const char *a, *b;
			int open, close;

			if (!json_is_array(iv) || json_array_size(iv) != 2 ||
			    !json_is_string(json_array_get(iv, 0)) ||
			    !json_is_string(json_array_get(iv, 1))) {
				seterr(err, errlen,
				       "hours.%s[%zu]: must be a pair "
				       "[\"HH:MM\", \"HH:MM\"]",
				       day_keys[w], i);
				return AY_EINVAL;
			}
			a = json_string_value(json_array_get(iv, 0));
			b = json_string_value(json_array_get(iv, 1));
			if (!parse_hhmm(a, false, &open)) {
				seterr(err, errlen,
				       "hours.%s[%zu]: opening '%s' is not a "
				       "time 00:00..23:59",
				       day_keys[w], i, a);
				return AY_EINVAL;
			}
			if (!parse_hhmm(b, true, &close)) {
				seterr(err, errlen,
				       "hours.%s[%zu]: closing '%s' is not a "
				       "time 00:01..24:00",
				       day_keys[w], i, b);
				return AY_EINVAL;
			}
			if (close <= open) {
				seterr(err, errlen,
				       "hours.%s[%zu]: closing %s is not after "
				       "opening %s",
				       day_keys[w], i, b, a);
				return AY_EINVAL;
			}
			if (i > 0 && open < c->hours[w][i - 1].close) {
				seterr(err, errlen,
				       "hours.%s[%zu]: overlaps or precedes "
				       "the "
				       "previous interval (intervals must be "
				       "sorted and disjoint)",
				       day_keys[w], i);
				return AY_EINVAL;
			}
			c->hours[w][i].open = (uint16_t)open;
			c->hours[w][i].close = (uint16_t)close;
			c->nhours[w] = (int)i + 1;
		}
	}
	return AY_OK;
}

static bool parse_digits(const char *s, int n, int *out)
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

/* "MM-DD" (yearly) or "YYYY-MM-DD" (one date). */
static bool parse_holiday_date(const char *s, struct sla_holiday *h)
{
	size_t len = strlen(s);
	int y = 2000; /* a leap year: 02-29 is a valid yearly date */

	if (len == 10) {
		if (!parse_digits(s, 4, &y) || s[4] != '-')
			return false;
		s += 5;
		h->kind = SLA_HOL_DATE;
	} else if (len == 5) {
		h->kind = SLA_HOL_YEARLY;
	} else {
		return false;
	}
	if (!parse_digits(s, 2, &h->month) || s[2] != '-' ||
	    !parse_digits(s + 3, 2, &h->day))
		return false;
	if (h->month < 1 || h->month > 12 || h->day < 1 ||
	    h->day > sla_month_days(y, h->month) || y < 1)
		return false;
	h->year = y;
	return true;
}

/* The optional "since": the first year a holiday applies. */
static bool parse_since(const json_t *o, struct sla_holiday *h)
{
	const json_t *v = json_object_get(o, "since");
	json_int_t y;

	h->since = 0;
	if (!v)
		return true;
	if (!json_is_integer(v))
		return false;
	y = json_integer_value(v);
	if (y < SLA_YEAR_MIN || y > SLA_YEAR_MAX)
		return false;
	h->since = (int)y;
	return true;
}

static ay_rc parse_holidays(struct sla_calendar *c, const json_t *arr,
			    char *err, size_t errlen)
{
	static const char *const keys[] = {"date", "easter", "name", "since",
					   NULL};
	size_t i;
	json_t *o;

	if (!json_is_array(arr)) {
		seterr(err, errlen, "holidays: must be an array");
		return AY_EINVAL;
	}
	if (json_array_size(arr) > MAX_HOLIDAYS) {
		seterr(err, errlen, "holidays: more than %d entries",
		       MAX_HOLIDAYS);
		return AY_EINVAL;
	}
	c->hol = calloc(json_array_size(arr) + 1, sizeof(*c->hol));
	if (!c->hol)
		return AY_ENOMEM;
	json_array_foreach (arr, i, o) {
		struct sla_holiday *h = &c->hol[i];
		char where[48];
		json_t *date, *easter, *name;

		snprintf(where, sizeof(where), "holidays[%zu]", i);
		if (!json_is_object(o)) {
			seterr(err, errlen, "%s: must be an object", where);
			return AY_EINVAL;
		}
		if (!only_keys(o, keys, where, err, errlen))
			return AY_EINVAL;
		date = json_object_get(o, "date");
		easter = json_object_get(o, "easter");
		name = json_object_get(o, "name");
		if (!name || !json_is_string(name) ||
		    json_string_length(name) == 0 ||
		    json_string_length(name) > HOLIDAY_NAME_MAX) {
			seterr(err, errlen,
			       "%s: 'name' must be a string of 1..%d bytes",
			       where, HOLIDAY_NAME_MAX);
			return AY_EINVAL;
		}
		if (!!date == !!easter) {
			seterr(err, errlen,
			       "%s: needs exactly one of 'date' or 'easter'",
			       where);
			return AY_EINVAL;
		}
		if (date) {
			if (!json_is_string(date) ||
			    !parse_holiday_date(json_string_value(date), h)) {
				seterr(err, errlen,
				       "%s: 'date' must be \"MM-DD\" or "
				       "\"YYYY-MM-DD\", a valid date",
				       where);
				return AY_EINVAL;
			}
		} else {
			json_int_t off;
			if (!json_is_integer(easter)) {
				seterr(err, errlen,
				       "%s: 'easter' must be an integer "
				       "(days from Easter Sunday)",
				       where);
				return AY_EINVAL;
			}
			off = json_integer_value(easter);
			if (off < -EASTER_MAX_OFFSET ||
			    off > EASTER_MAX_OFFSET) {
				seterr(err, errlen,
				       "%s: 'easter' must be within -%d..%d",
				       where, EASTER_MAX_OFFSET,
				       EASTER_MAX_OFFSET);
				return AY_EINVAL;
			}
			h->kind = SLA_HOL_EASTER;
			h->easter = (int)off;
		}
		if (!parse_since(o, h)) {
			seterr(err, errlen,
			       "%s: 'since' must be a year within %d..%d",
			       where, SLA_YEAR_MIN, SLA_YEAR_MAX);
			return AY_EINVAL;
		}
		h->name = strdup(json_string_value(name));
		if (!h->name)
			return AY_ENOMEM;
		c->nhol = i + 1;
	}
	return AY_OK;
}

static int closure_cmp(const void *a, const void *b)
{
	const struct sla_closure *x = a, *y = b;

	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	return (x->to > y->to) - (x->to < y->to);
}

static ay_rc parse_closures(struct sla_calendar *c, const json_t *arr,
			    char *err, size_t errlen)
{
	static const char *const keys[] = {"from", "to", "reason", NULL};
	size_t i;
	json_t *o;

	if (!json_is_array(arr)) {
		seterr(err, errlen, "closures: must be an array");
		return AY_EINVAL;
	}
	if (json_array_size(arr) > MAX_CLOSURES) {
		seterr(err, errlen, "closures: more than %d entries",
		       MAX_CLOSURES);
		return AY_EINVAL;
	}
	c->clo = calloc(json_array_size(arr) + 1, sizeof(*c->clo));
	if (!c->clo)
		return AY_ENOMEM;
	json_array_foreach (arr, i, o) {
		struct sla_closure *k = &c->clo[i];
		const char *fk[2] = {"from", "to"};
		int64_t *fv[2] = {&k->from, &k->to};
		char where[48];
		json_t *reason;

		snprintf(where, sizeof(where), "closures[%zu]", i);
		if (!json_is_object(o)) {
			seterr(err, errlen, "%s: must be an object", where);
			return AY_EINVAL;
		}
		if (!only_keys(o, keys, where, err, errlen))
			return AY_EINVAL;
		for (int j = 0; j < 2; j++) {
			json_t *v = json_object_get(o, fk[j]);
			if (!json_is_string(v) ||
			    sla_parse_iso8601(json_string_value(v), fv[j])) {
				seterr(err, errlen,
				       "%s: '%s' must be an ISO 8601 instant "
				       "like 2026-03-10T12:00:00-05:00",
				       where, fk[j]);
				return AY_EINVAL;
			}
		}
		if (k->to <= k->from) {
			seterr(err, errlen, "%s: 'to' must be after 'from'",
			       where);
			return AY_EINVAL;
		}
		reason = json_object_get(o, "reason");
		if (reason) {
			if (!json_is_string(reason) ||
			    json_string_length(reason) > CLOSURE_REASON_MAX) {
				seterr(err, errlen,
				       "%s: 'reason' must be a string of at "
				       "most %d bytes",
				       where, CLOSURE_REASON_MAX);
				return AY_EINVAL;
			}
			k->reason = strdup(json_string_value(reason));
			if (!k->reason)
				return AY_ENOMEM;
		}
		c->nclo = i + 1;
	}
	qsort(c->clo, c->nclo, sizeof(*c->clo), closure_cmp);
	return AY_OK;
}

static bool valid_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > NAME_MAX_LEN)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
			return false;
	return true;
}

/* The name people read (the name is a code, in URLs): optional; 1 to
 * TITLE_MAX characters (jansson keeps strings valid UTF-8: a character is
 * a byte that does not continue one), on one line. */
static bool valid_title(const json_t *v)
{
	const char *s = json_string_value(v);
	size_t n = json_string_length(v), chars = 0;

	if (!s || n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		if ((unsigned char)s[i] < ' ' || s[i] == 0x7f)
			return false;
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			chars++;
	}
	return chars <= TITLE_MAX;
}

/* ---- the interval table ---- */

struct ivvec {
	int64_t *s, *e;
	size_t n, cap;
};

static ay_rc iv_push(struct ivvec *v, int64_t s, int64_t e)
{
	if (v->n && s <= v->e[v->n - 1] && s >= v->s[v->n - 1]) {
		if (e > v->e[v->n - 1])
			v->e[v->n - 1] = e; /* overlaps or touches: merge */
		return AY_OK;
	}
	/* Two arrays of one length: the second grows to the first's cap. */
	size_t cap = v->cap;

	if (ay_grow((void **)&v->s, &cap, v->n + 1, sizeof(*v->s)) ||
	    ay_grow((void **)&v->e, &v->cap, cap, sizeof(*v->e)))
		return AY_ENOMEM;
	v->s[v->n] = s;
	v->e[v->n] = e;
	v->n++;
	return AY_OK;
}

struct ivpair {
	int64_t s, e;
};

static int ivpair_cmp(const void *a, const void *b)
{
	const struct ivpair *x = a, *y = b;

	return (x->s > y->s) - (x->s < y->s);
}

/* Sort by start and merge overlapping or touching intervals in place. Only
 * needed when DST made a day's intervals overlap or go out of order. */
static ay_rc iv_normalize(struct ivvec *v)
{
	struct ivpair *p;
	size_t n = v->n;

	for (size_t i = 1; i < n; i++)
		if (v->s[i] <= v->e[i - 1])
			goto fix;
	return AY_OK;
fix:
	p = malloc(n * sizeof(*p));
	if (!p)
		return AY_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		p[i].s = v->s[i];
		p[i].e = v->e[i];
	}
	qsort(p, n, sizeof(*p), ivpair_cmp);
	v->n = 0;
	for (size_t i = 0; i < n; i++) {
		if (v->n && p[i].s <= v->e[v->n - 1]) {
			if (p[i].e > v->e[v->n - 1])
				v->e[v->n - 1] = p[i].e;
			continue;
		}
		v->s[v->n] = p[i].s;
		v->e[v->n] = p[i].e;
		v->n++;
	}
	free(p);
	return AY_OK;
}

/* Remove the closures (sorted by from) from the sorted disjoint intervals. */
static ay_rc iv_subtract(struct ivvec *v, const struct sla_closure *clo,
			 size_t nclo)
{
	struct ivvec r = {0};
	size_t k = 0;
	ay_rc rc = AY_OK;

	if (!nclo)
		return AY_OK;
	for (size_t i = 0; i < v->n && !rc; i++) {
		int64_t s = v->s[i], e = v->e[i];
		while (k < nclo && clo[k].to <= s)
			k++;
		for (size_t j = k; j < nclo && clo[j].from < e && s < e; j++) {
			if (clo[j].to <= s)
				continue;
			if (clo[j].from > s) {
				rc = iv_push(&r, s, clo[j].from);
				if (rc)
					break;
			}
			if (clo[j].to > s)
				s = clo[j].to;
		}
		if (!rc && s < e)
			rc = iv_push(&r, s, e);
	}
	if (rc) {
		free(r.s);
		free(r.e);
		return rc;
	}
	free(v->s);
	free(v->e);
	*v = r;
	return AY_OK;
}

static ay_rc cal_build_table(struct sla_calendar *c)
{
	int64_t d0 = sla_days_from_civil(SLA_YEAR_MIN, 1, 1);
	int64_t d1 = sla_days_from_civil(SLA_YEAR_MAX + 1, 1, 1);
	struct ivvec v = {0};
	ay_rc rc = AY_OK;
	int64_t year = SLA_YEAR_MIN, easter = sla_easter_days(year);
	int64_t year_end = sla_days_from_civil(year + 1, 1, 1);

	c->lo = sla_zone_local_to_utc(&c->zone, d0 * 86400);
	c->hi = sla_zone_local_to_utc(&c->zone, d1 * 86400);
	for (int64_t day = d0; day < d1 && !rc; day++) {
		int w = sla_weekday(day);
		int64_t y;
		int m, d;
		bool holiday = false;

		if (!c->nhours[w])
			continue;
		if (day >= year_end) {
			year++;
			easter = sla_easter_days(year);
			year_end = sla_days_from_civil(year + 1, 1, 1);
		}
		sla_civil_from_days(day, &y, &m, &d);
		for (size_t i = 0; i < c->nhol && !holiday; i++)
			holiday = sla_holiday_on(&c->hol[i], y, m, d, day,
						 easter);
		if (holiday)
			continue;
		for (int i = 0; i < c->nhours[w] && !rc; i++) {
			int64_t ls = day * 86400 + c->hours[w][i].open * 60;
			int64_t le = day * 86400 + c->hours[w][i].close * 60;
			int64_t us = sla_zone_local_to_utc(&c->zone, ls);
			int64_t ue = sla_zone_local_to_utc(&c->zone, le);
			if (us < c->lo)
				us = c->lo;
			if (ue > c->hi)
				ue = c->hi;
			if (ue > us)
				rc = iv_push(&v, us, ue);
		}
	}
	if (!rc)
		rc = iv_normalize(&v);
	if (!rc)
		rc = iv_subtract(&v, c->clo, c->nclo);
	if (rc)
		goto out;
	c->niv = v.n;
	c->ivs = v.s;
	c->ive = v.e;
	v.s = v.e = NULL;
	c->cum = malloc((c->niv + 1) * sizeof(*c->cum));
	c->ndays = (size_t)((c->hi - c->lo) / 86400 + 2);
	c->day_idx = malloc(c->ndays * sizeof(*c->day_idx));
	if (!c->cum || !c->day_idx) {
		rc = AY_ENOMEM;
		goto out;
	}
	c->cum[0] = 0;
	for (size_t i = 0; i < c->niv; i++)
		c->cum[i + 1] = c->cum[i] + (c->ive[i] - c->ivs[i]);
	/* day_idx[k]: the first interval ending after lo + 86400 * k. */
	size_t i = 0;
	for (size_t k = 0; k < c->ndays; k++) {
		int64_t t = c->lo + (int64_t)k * 86400;
		while (i < c->niv && c->ive[i] <= t)
			i++;
		c->day_idx[k] = (uint32_t)i;
	}
out:
	free(v.s);
	free(v.e);
	return rc;
}

/* Build a calendar from its JSON spec. */
ay_rc sla_calendar_from_json(const json_t *spec, struct sla_calendar **out,
			     char *err, size_t errlen)
{
	static const char *const keys[] = {"name",  "title",	"timezone",
					   "hours", "holidays", "closures",
					   NULL};
	struct sla_calendar *c = NULL;
	const json_t *v;
	char ebuf[256];
	ay_rc rc = AY_EINVAL;

	if (!err || !errlen) {
		err = ebuf;
		errlen = sizeof(ebuf);
	}
	err[0] = 0;
	*out = NULL;
	if (!json_is_object(spec)) {
		seterr(err, errlen, "calendar: must be a JSON object");
		goto out;
	}
	if (!only_keys(spec, keys, "calendar", err, errlen))
		goto out;
	c = calloc(1, sizeof(*c));
	if (!c) {
		rc = AY_ENOMEM;
		goto out;
	}
	v = json_object_get(spec, "name");
	if (!json_is_string(v) || !valid_name(json_string_value(v))) {
		seterr(err, errlen,
		       "name: must be a string of 1..%d bytes without spaces "
		       "or control characters",
		       NAME_MAX_LEN);
		goto out;
	}
	c->name = strdup(json_string_value(v));
	if (!c->name) {
		rc = AY_ENOMEM;
		goto out;
	}
	v = json_object_get(spec, "title");
	if (v && !valid_title(v)) {
		seterr(err, errlen,
		       "'title' must be a string of 1..%d characters without "
		       "control characters",
		       TITLE_MAX);
		goto out;
	}
	if (v) {
		c->title = strdup(json_string_value(v));
		if (!c->title) {
			rc = AY_ENOMEM;
			goto out;
		}
	}
	v = json_object_get(spec, "timezone");
	if (!json_is_string(v)) {
		seterr(err, errlen,
		       "timezone: must be an IANA zone ID such as "
		       "\"America/Lima\"");
		goto out;
	}
	rc = sla_zone_init(&c->zone, json_string_value(v), err, errlen);
	if (rc)
		goto out;
	v = json_object_get(spec, "hours");
	if (!v) {
		seterr(err, errlen, "hours: missing");
		rc = AY_EINVAL;
		goto out;
	}
	rc = parse_hours(c, v, err, errlen);
	if (rc)
		goto out;
	v = json_object_get(spec, "holidays");
	if (v)
		rc = parse_holidays(c, v, err, errlen);
	if (rc)
		goto out;
	v = json_object_get(spec, "closures");
	if (v)
		rc = parse_closures(c, v, err, errlen);
	if (rc)
		goto out;
	rc = cal_build_table(c);
	if (rc)
		goto out;
	*out = c;
	c = NULL;
out:
	if (rc == AY_ENOMEM)
		seterr(err, errlen, "out of memory");
	sla_calendar_free(c);
	return rc;
}

/* Free a calendar. */
void sla_calendar_free(struct sla_calendar *cal)
{
	if (!cal)
		return;
	for (size_t i = 0; i < cal->nhol; i++)
		free(cal->hol[i].name);
	for (size_t i = 0; i < cal->nclo; i++)
		free(cal->clo[i].reason);
	free(cal->hol);
	free(cal->clo);
	free(cal->ivs);
	free(cal->ive);
	free(cal->cum);
	free(cal->day_idx);
	sla_zone_release(&cal->zone);
	free(cal->name);
	free(cal->title);
	free(cal);
}

/* The built-in "lima" calendar spec. */
json_t *sla_calendar_default_lima_json(void)
{
	static const struct {
		const char *date; /* NULL: Easter-relative */
		int easter;
		const char *name;
	} hol[] = {
		{"01-01", 0, "Año Nuevo"},
		{NULL, -3, "Jueves Santo"},
		{NULL, -2, "Viernes Santo"},
		{"05-01", 0, "Día del Trabajo"},
		{"06-07", 0, "Batalla de Arica y Día de la Bandera"},
		{"06-29", 0, "San Pedro y San Pablo"},
		{"07-23", 0, "Día de la Fuerza Aérea del Perú"},
		{"07-28", 0, "Fiestas Patrias (Día de la Independencia)"},
		{"07-29", 0, "Fiestas Patrias"},
		{"08-06", 0, "Batalla de Junín"},
		{"08-30", 0, "Santa Rosa de Lima"},
		{"10-08", 0, "Combate de Angamos"},
		{"11-01", 0, "Día de Todos los Santos"},
		{"12-08", 0, "Inmaculada Concepción"},
		{"12-09", 0, "Batalla de Ayacucho"},
		{"12-25", 0, "Navidad"},
	};
	json_t *spec, *hours, *hs;

	spec = json_pack("{s:s, s:s, s:s}", "name", "lima", "title",
			 "Lima (Perú)", "timezone", "America/Lima");
	hours = json_object();
	hs = json_array();
	if (!spec || json_object_set_new(spec, "hours", hours) ||
	    json_object_set_new(spec, "holidays", hs) ||
	    json_object_set_new(spec, "closures", json_array()))
		goto fail;
	for (int w = 0; w < 7; w++) {
		json_t *day = w < 5 ? json_pack("[[s,s]]", "08:00", "18:30")
				    : json_array();
		if (json_object_set_new(hours, day_keys[w], day))
			goto fail;
	}
	for (size_t i = 0; i < AY_ARRAY_LEN(hol); i++) {
		json_t *h =
			hol[i].date
				? json_pack("{s:s, s:s}", "date", hol[i].date,
					    "name", hol[i].name)
				: json_pack("{s:i, s:s}", "easter",
					    hol[i].easter, "name", hol[i].name);
		if (json_array_append_new(hs, h))
			goto fail;
	}
	return spec;
fail:
	json_decref(spec);
	return NULL;
}

/* Build the built-in "lima" calendar. */
ay_rc sla_calendar_default_lima(struct sla_calendar **out)
{
	json_t *spec = sla_calendar_default_lima_json();
	ay_rc rc;

	*out = NULL;
	if (!spec)
		return AY_ENOMEM;
	rc = sla_calendar_from_json(spec, out, NULL, 0);
	json_decref(spec);
	return rc;
}

const char *sla_calendar_zone(const struct sla_calendar *cal)
{
	return cal->zone.id;
}

const char *sla_calendar_name(const struct sla_calendar *cal)
{
	return cal->name;
}

void sla_calendar_range(const struct sla_calendar *cal, int64_t *lo,
			int64_t *hi)
{
	*lo = cal->lo;
	*hi = cal->hi;
}

int32_t sla_calendar_offset(const struct sla_calendar *cal, int64_t t)
{
	return sla_zone_offset(&cal->zone, t);
}

/* ---- queries ---- */

/* The number of intervals with start <= t, for lo <= t < hi. */
size_t sla_iv_count_le(const struct sla_calendar *c, int64_t t)
{
	size_t k = (size_t)((t - c->lo) / 86400);
	size_t lo = c->day_idx[k], hi = c->day_idx[k + 1];

	/* Intervals before lo end by the day start <= t, so start <= t; the
	 * one at hi (if any) ends after the next day start and may begin
	 * before t too, so search [lo, hi + 1). */
	if (hi < c->niv)
		hi++;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->ivs[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Open seconds in [lo, t) for lo <= t < hi; *idx gets sla_iv_count_le(t). */
static int64_t cum_at(const struct sla_calendar *c, int64_t t, size_t *idx)
{
	size_t k = sla_iv_count_le(c, t);

	*idx = k;
	if (k == 0)
		return 0;
	int64_t e = c->ive[k - 1] < t ? c->ive[k - 1] : t;
	return c->cum[k - 1] + (e - c->ivs[k - 1]);
}

static int64_t clamp(const struct sla_calendar *c, int64_t t)
{
	return t < c->lo ? c->lo : t >= c->hi ? c->hi - 1 : t;
}

/* Open seconds in [lo, t), any t. */
static int64_t cum_any(const struct sla_calendar *c, int64_t t)
{
	size_t k;

	if (t >= c->hi)
		return c->cum[c->niv];
	return cum_at(c, clamp(c, t), &k);
}

int64_t sla_open_seconds(const struct sla_calendar *cal, int64_t from,
			 int64_t to)
{
	if (to <= from)
		return 0;
	return cum_any(cal, to) - cum_any(cal, from);
}

bool sla_is_open(const struct sla_calendar *cal, int64_t t)
{
	size_t k;

	if (t < cal->lo || t >= cal->hi)
		return false;
	k = sla_iv_count_le(cal, t);
	return k > 0 && t < cal->ive[k - 1];
}

int64_t sla_next_open(const struct sla_calendar *cal, int64_t t)
{
	size_t k;

	if (t < cal->lo || t >= cal->hi)
		return SLA_TIME_INVALID;
	k = sla_iv_count_le(cal, t);
	if (k > 0 && t < cal->ive[k - 1])
		return t;
	return k < cal->niv ? cal->ivs[k] : SLA_TIME_INVALID;
}

int64_t sla_due(const struct sla_calendar *cal, int64_t start, int64_t minutes,
		enum sla_clock clock)
{
	if (minutes < 0 || minutes > SLA_MINUTES_MAX)
		return SLA_TIME_INVALID;
	return sla_due_seconds(cal, start, minutes * 60, clock);
}

int64_t sla_due_seconds(const struct sla_calendar *cal, int64_t start,
			int64_t seconds, enum sla_clock clock)
{
	int64_t target;
	size_t k, lo, hi, step;

	if (seconds < 0 || seconds > SLA_MINUTES_MAX * 60)
		return SLA_TIME_INVALID;
	if (clock == SLA_CLOCK_CALENDAR) {
		if ((start > 0 && start > INT64_MAX - seconds) ||
		    start == SLA_TIME_INVALID)
			return SLA_TIME_INVALID;
		return start + seconds;
	}
	if (start < cal->lo || start >= cal->hi)
		return SLA_TIME_INVALID;
	if (seconds == 0)
		return sla_next_open(cal, start);
	target = cum_at(cal, start, &k) + seconds;
	if (target > cal->cum[cal->niv])
		return SLA_TIME_INVALID;
	/* The first interval i >= k - 1 with cum[i + 1] >= target: gallop
	 * from the start's interval, then bisect. */
	lo = k ? k - 1 : 0;
	step = 1;
	hi = lo;
	while (hi < cal->niv && cal->cum[hi + 1] < target) {
		lo = hi + 1;
		hi += step;
		step *= 2;
		if (hi >= cal->niv)
			hi = cal->niv - 1;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cal->cum[mid + 1] < target)
			lo = mid + 1;
		else
			hi = mid;
	}
	return cal->ivs[lo] + (target - cal->cum[lo]);
}

int sla_calendar_day_minutes(const struct sla_calendar *cal)
{
	int best = 0;

	for (int w = 0; w < 7; w++) {
		int m = 0;

		for (int i = 0; i < cal->nhours[w]; i++)
			m += cal->hours[w][i].close - cal->hours[w][i].open;
		if (m > best)
			best = m;
	}
	return best;
}
