/* Time zone offset tables read from ICU (no process-global time zone). */
#include <stdlib.h>
#include <string.h>
#include <unicode/ucal.h>
#include <unicode/udat.h>
#include <unicode/ustring.h>

#include "sla/sla_int.h"
#include "util/grow.h"

#define ZONE_ID_MAX 64

/* The characters of IANA zone IDs ("America/Argentina/Buenos_Aires",
 * "Etc/GMT+5", "America/Port-au-Prince"). */
static const char zone_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				 "abcdefghijklmnopqrstuvwxyz"
				 "0123456789/_-+";

struct zone_vec {
	int64_t *at;
	int32_t *off;
	size_t n, cap;
};

static ay_rc zone_push(struct zone_vec *v, int64_t at, int32_t off)
{
	if (v->n && v->off[v->n - 1] == off)
		return AY_OK; /* only the split raw/DST changed */
	/* Two arrays of one length: the second grows to the first's cap. */
	size_t cap = v->cap;

	if (ay_grow((void **)&v->at, &cap, v->n + 1, sizeof(*v->at)) ||
	    ay_grow((void **)&v->off, &v->cap, cap, sizeof(*v->off)))
		return AY_ENOMEM;
	v->at[v->n] = at;
	v->off[v->n] = off;
	v->n++;
	return AY_OK;
}

static int32_t ucal_offset_at(UCalendar *uc, UDate ms, UErrorCode *st)
{
	ucal_setMillis(uc, ms, st);
	int32_t zo = ucal_get(uc, UCAL_ZONE_OFFSET, st);
	int32_t dst = ucal_get(uc, UCAL_DST_OFFSET, st);
	return (zo + dst) / 1000;
}

/* Load the offset changes of zone `id` between SLA_ZONE_YEAR_MIN and
 * SLA_ZONE_YEAR_MAX. */
ay_rc sla_zone_init(struct sla_zone *z, const char *id, char *err,
		    size_t errlen)
{
	UChar uid[ZONE_ID_MAX + 1], canon[ZONE_ID_MAX + 1];
	UErrorCode st = U_ZERO_ERROR;
	UCalendar *uc = NULL;
	struct zone_vec v = {0};
	UBool sys = 0;
	size_t len = strlen(id);
	ay_rc rc = AY_EINVAL;

	memset(z, 0, sizeof(*z));
	if (len == 0 || len > ZONE_ID_MAX || strspn(id, zone_chars) != len) {
		snprintf(err, errlen, "timezone '%.64s' is not an IANA zone ID",
			 id);
		goto out;
	}
	u_uastrncpy(uid, id, ZONE_ID_MAX);
	uid[len] = 0;
	ucal_getCanonicalTimeZoneID(uid, (int32_t)len, canon, ZONE_ID_MAX, &sys,
				    &st);
	if (U_FAILURE(st) || !sys) {
		snprintf(err, errlen, "unknown timezone '%s'", id);
		goto out;
	}
	uc = ucal_open(uid, (int32_t)len, "en_US_POSIX", UCAL_GREGORIAN, &st);
	if (U_FAILURE(st)) {
		snprintf(err, errlen, "cannot open timezone '%s': %s", id,
			 u_errorName(st));
		goto out;
	}
	UDate t = (UDate)(sla_days_from_civil(SLA_ZONE_YEAR_MIN, 1, 1) *
			  86400.0 * 1000.0);
	UDate end = (UDate)(sla_days_from_civil(SLA_ZONE_YEAR_MAX + 1, 1, 1) *
			    86400.0 * 1000.0);
	rc = zone_push(&v, INT64_MIN, ucal_offset_at(uc, t, &st));
	while (!rc && U_SUCCESS(st)) {
		UDate next;
		ucal_setMillis(uc, t, &st);
		if (!ucal_getTimeZoneTransitionDate(uc, UCAL_TZ_TRANSITION_NEXT,
						    &next, &st) ||
		    next >= end || next <= t)
			break;
		int32_t off = ucal_offset_at(uc, next, &st);
		rc = zone_push(&v, (int64_t)(next / 1000), off);
		t = next;
	}
	if (!rc && U_FAILURE(st)) {
		snprintf(err, errlen, "timezone '%s': %s", id, u_errorName(st));
		rc = AY_EINVAL;
	}
	if (rc)
		goto out;
	z->thr = malloc(v.n * sizeof(*z->thr));
	z->id = strdup(id);
	if (!z->thr || !z->id) {
		rc = AY_ENOMEM;
		goto out;
	}
	z->thr[0] = INT64_MIN;
	for (size_t i = 1; i < v.n; i++) {
		int32_t lo = v.off[i - 1] < v.off[i] ? v.off[i - 1] : v.off[i];
		z->thr[i] = v.at[i] + lo;
	}
	z->at = v.at;
	z->off = v.off;
	z->n = v.n;
	v.at = NULL;
	v.off = NULL;
out:
	if (rc == AY_ENOMEM)
		snprintf(err, errlen, "out of memory");
	if (rc)
		sla_zone_release(z);
	if (uc)
		ucal_close(uc);
	free(v.at);
	free(v.off);
	return rc;
}

/* Free the zone tables. */
void sla_zone_release(struct sla_zone *z)
{
	if (!z)
		return;
	free(z->id);
	free(z->at);
	free(z->off);
	free(z->thr);
	memset(z, 0, sizeof(*z));
}

/* Index of the last element <= x in a[0..n), a[0] <= x assumed. */
static size_t last_le(const int64_t *a, size_t n, int64_t x)
{
	size_t lo = 0, hi = n; /* a[lo] <= x, a[hi] > x or hi == n */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (a[mid] <= x)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* The UTC offset at t. */
int32_t sla_zone_offset(const struct sla_zone *z, int64_t t)
{
	return z->off[last_le(z->at, z->n, t)];
}

/* Local wall time to UTC with ICU's default UCAL_WALLTIME_LAST options. */
int64_t sla_zone_local_to_utc(const struct sla_zone *z, int64_t local)
{
	size_t i = last_le(z->thr, z->n, local);

	if (i > 0 && z->off[i] > z->off[i - 1] && local < z->at[i] + z->off[i])
		return local - z->off[i - 1]; /* in the gap: forward */
	return local - z->off[i];
}

bool sla_zone_valid(const char *id)
{
	UChar uid[128], canon[128];
	UBool system = 0;
	UErrorCode st = U_ZERO_ERROR;

	if (!id || !*id || strlen(id) >= AY_ARRAY_LEN(uid))
		return false;
	u_uastrcpy(uid, id);
	ucal_getCanonicalTimeZoneID(uid, -1, canon, AY_ARRAY_LEN(canon),
				    &system, &st);
	return U_SUCCESS(st) && system;
}

void sla_format_local(const char *zone_id, int64_t t, const char *lang,
		      char *out, size_t outlen)
{
	UErrorCode st = U_ZERO_ERROR;
	UChar zone[64], buf[128];
	UDateFormat *f;
	int32_t n;

	if (!zone_id || strlen(zone_id) >= AY_ARRAY_LEN(zone)) {
		snprintf(out, outlen, "-");
		return;
	}
	u_uastrcpy(zone, zone_id);
	f = udat_open(UDAT_SHORT, UDAT_FULL,
		      lang && !strcmp(lang, "en") ? "en" : "es", zone, -1, NULL,
		      0, &st);
	if (U_FAILURE(st)) {
		snprintf(out, outlen, "-");
		return;
	}
	n = udat_format(f, (UDate)t * 1000.0, buf, 128, NULL, &st);
	udat_close(f);
	if (U_FAILURE(st) || n <= 0) {
		snprintf(out, outlen, "-");
		return;
	}
	u_austrncpy(out, buf, (int32_t)outlen - 1);
	out[outlen - 1] = '\0';
	snprintf(out + strlen(out), outlen - strlen(out), " (%s)", zone_id);
}
