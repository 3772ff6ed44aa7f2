/* Internals of src/sla shared by its files and its unit tests. */
#ifndef AY_SLA_INT_H
#define AY_SLA_INT_H

#include "sla/bizcal.h"

/* A time zone as a table of offset changes, read from ICU once. */
struct sla_zone {
	char *id;     /* IANA ID as given */
	int64_t *at;  /* at[i]: UTC instant of change i; at[0] = INT64_MIN */
	int32_t *off; /* off[i]: UTC offset (s) from at[i] until at[i+1] */
	int64_t *thr; /* thr[i]: at[i] + min(off[i-1], off[i]), local time */
	size_t n;     /* entries, >= 1 */
};

/* The zone table spans these UTC years; outside, the first/last offset. */
#define SLA_ZONE_YEAR_MIN 1900
#define SLA_ZONE_YEAR_MAX 2200

/* Load a zone from ICU. AY_EINVAL (with err) for an unknown zone. */
ay_rc sla_zone_init(struct sla_zone *z, const char *id, char *err,
		    size_t errlen) AY_MUST_CHECK;
/* Free the tables. NULL-safe, idempotent. */
void sla_zone_release(struct sla_zone *z);
/* The UTC offset in seconds at instant t. */
int32_t sla_zone_offset(const struct sla_zone *z, int64_t t);
/* The instant of local wall time `local` (seconds since 1970-01-01T00:00 of
 * the local calendar), as ICU maps it with its default wall-time options
 * (UCAL_WALLTIME_LAST): a skipped time maps forward by the gap, a repeated
 * time to its later occurrence. */
int64_t sla_zone_local_to_utc(const struct sla_zone *z, int64_t local);

enum sla_holiday_kind {
	SLA_HOL_YEARLY, /* month/day every year */
	SLA_HOL_DATE,	/* one year/month/day */
	SLA_HOL_EASTER, /* days from Western Easter Sunday */
};

struct sla_holiday {
	enum sla_holiday_kind kind;
	int year, month, day; /* year for SLA_HOL_DATE only */
	int easter;	      /* offset in days, SLA_HOL_EASTER only */
	int since;	      /* first year it applies; 0: always */
	char *name;
};

struct sla_closure {
	int64_t from, to; /* UTC [from, to) */
	char *reason;	  /* may be NULL */
};

struct sla_span {
	uint16_t open, close; /* minutes from local midnight, open < close */
};

#define SLA_MAX_SPANS 16 /* per weekday */

struct sla_calendar {
	char *name;
	char *title; /* the name people read; NULL: none (name is a code) */
	struct sla_zone zone;
	struct sla_span hours[7][SLA_MAX_SPANS]; /* 0 = Monday */
	int nhours[7];
	struct sla_holiday *hol;
	size_t nhol;
	struct sla_closure *clo; /* sorted by from */
	size_t nclo;
	int64_t lo, hi; /* the table covers UTC [lo, hi) */
	int64_t *ivs;	/* open interval starts, ascending */
	int64_t *ive;	/* open interval ends; ivs[i] < ive[i] <= ivs[i+1] */
	int64_t *cum;	/* cum[i]: open seconds in intervals before i; niv+1 */
	size_t niv;
	uint32_t *day_idx; /* first interval with ive > lo + 86400 * day */
	size_t ndays;
};

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static inline int64_t sla_days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The date of days since 1970-01-01. */
static inline void sla_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* Weekday of days since 1970-01-01: 0 = Monday .. 6 = Sunday. */
static inline int sla_weekday(int64_t days)
{
	int64_t w = (days + 3) % 7; /* 1970-01-01 was a Thursday */
	return (int)(w < 0 ? w + 7 : w);
}

static inline bool sla_is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static inline int sla_month_days(int64_t y, int m)
{
	static const int md[12] = {31, 28, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31};
	return m == 2 && sla_is_leap(y) ? 29 : md[m - 1];
}

/* Floor division of seconds into days. */
static inline int64_t sla_floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* How many open intervals start at or before t (lo <= t < hi): the
 * interval holding t, if any, is the one before that count. */
size_t sla_iv_count_le(const struct sla_calendar *c, int64_t t);

/* Days since 1970-01-01 of Western (Gregorian) Easter Sunday of year y. */
int64_t sla_easter_days(int64_t y);

/* Whether holiday h falls on local date (y, m, d) whose day number is days. */
bool sla_holiday_on(const struct sla_holiday *h, int64_t y, int m, int d,
		    int64_t days, int64_t easter_days);

#endif
