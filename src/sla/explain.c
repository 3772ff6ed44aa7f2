/* Why a deadline is where it is: see explain.h. */
#include <stdlib.h>
#include <string.h>

#include "sla/explain.h"
#include "sla/sla_int.h"
#include "util/grow.h"

const char *sla_part_name(enum sla_part_kind k)
{
	static const char *const names[] = {
		[SLA_PART_OPEN] = "open",	[SLA_PART_PAUSE] = "pause",
		[SLA_PART_NIGHT] = "night",	[SLA_PART_WEEKEND] = "weekend",
		[SLA_PART_HOLIDAY] = "holiday", [SLA_PART_CLOSURE] = "closure",
	};
	return (size_t)k < sizeof(names) / sizeof(names[0]) ? names[k] : "";
}

void sla_explain_release(struct sla_explain *e)
{
	if (!e)
		return;
	free(e->parts);
	memset(e, 0, sizeof(*e));
}

/* Append a part, merging it into the previous one when both are the same
 * closed kind with the same name. */
static ay_rc push(struct sla_explain *e, enum sla_part_kind kind, int64_t from,
		  int64_t to, int64_t open, const char *name)
{
	struct sla_part *last = e->n ? &e->parts[e->n - 1] : NULL;

	if (to <= from)
		return AY_OK;
	if (last && last->kind == kind && last->to == from &&
	    kind != SLA_PART_OPEN && kind != SLA_PART_PAUSE &&
	    last->name == name) {
		last->to = to;
		return AY_OK;
	}
	if (ay_grow((void **)&e->parts, &e->cap, e->n + 1, sizeof(*e->parts)))
		return AY_ENOMEM;
	e->parts[e->n++] = (struct sla_part){kind, from, to, open, name};
	return AY_OK;
}

/* The local date of day number `days` as a holiday of c, or NULL. */
static const char *holiday_on(const struct sla_calendar *c, int64_t days)
{
	int64_t y;
	int m, d;

	sla_civil_from_days(days, &y, &m, &d);
	for (size_t i = 0; i < c->nhol; i++)
		if (sla_holiday_on(&c->hol[i], y, m, d, days,
				   sla_easter_days(y)))
			return c->hol[i].name;
	return NULL;
}

/* The closure of c overlapping [from, to), or NULL. */
static const struct sla_closure *closure_in(const struct sla_calendar *c,
					    int64_t from, int64_t to)
{
	for (size_t i = 0; i < c->nclo; i++)
		if (c->clo[i].from < to && c->clo[i].to > from)
			return &c->clo[i];
	return NULL;
}

/* Closed time [from, to): why, day by day. A day that would be open by
 * its weekday but is not is a holiday (or closure); a weekday without
 * hours is weekend; the hours around open days are night. */
static ay_rc push_closed(struct sla_explain *e, const struct sla_calendar *c,
			 int64_t from, int64_t to)
{
	ay_rc rc = AY_OK;
	int64_t t = from;

	while (!rc && t < to) {
		int64_t local = t + sla_calendar_offset(c, t);
		int64_t days = sla_floor_div(local, 86400);
		int64_t next = t + (days + 1) * 86400 - local, end;
		const struct sla_closure *clo;
		const char *hol = NULL;
		enum sla_part_kind kind = SLA_PART_NIGHT;

		/* The day's end in UTC (offset changes at midnight are rare
		 * enough that a day boundary off by one hour does no harm). */
		end = next < to ? next : to;
		clo = closure_in(c, t, end);
		if (clo)
			kind = SLA_PART_CLOSURE;
		else if (c->nhours[sla_weekday(days)] == 0)
			kind = SLA_PART_WEEKEND;
		else {
			hol = holiday_on(c, days);
			if (hol)
				kind = SLA_PART_HOLIDAY;
		}
		rc = push(e, kind, t, end, 0,
			  clo			     ? clo->reason
			  : kind == SLA_PART_HOLIDAY ? hol
						     : NULL);
		t = end;
	}
	return rc;
}

/* [t, lim) on the calendar, no pause inside: open and closed parts. */
static ay_rc push_calendar(struct sla_explain *e, const struct sla_calendar *c,
			   int64_t t, int64_t lim)
{
	ay_rc rc = AY_OK;

	while (!rc && t < lim) {
		size_t i = sla_iv_count_le(c, t);
		int64_t end;

		if (i > 0 && t < c->ive[i - 1]) {
			end = c->ive[i - 1] < lim ? c->ive[i - 1] : lim;
			rc = push(e, SLA_PART_OPEN, t, end, end - t, NULL);
		} else {
			end = i < c->niv && c->ivs[i] < lim ? c->ivs[i] : lim;
			rc = push_closed(e, c, t, end);
		}
		t = end;
	}
	return rc;
}

ay_rc sla_explain(const struct sla_calendar *cal, int64_t start, int64_t end,
		  const int64_t (*pauses)[2], size_t npauses,
		  struct sla_explain *out)
{
	int64_t t = start;
	size_t p = 0;
	ay_rc rc = AY_OK;

	memset(out, 0, sizeof(*out));
	if (end < start || start < cal->lo || end > cal->hi)
		return AY_EINVAL;
	while (!rc && t < end) {
		int64_t lim;

		while (p < npauses && pauses[p][1] <= t)
			p++;
		if (p < npauses && pauses[p][0] <= t) {
			lim = pauses[p][1] < end ? pauses[p][1] : end;
			rc = push(out, SLA_PART_PAUSE, t, lim,
				  sla_open_seconds(cal, t, lim), NULL);
		} else {
			lim = p < npauses && pauses[p][0] < end ? pauses[p][0]
								: end;
			rc = push_calendar(out, cal, t, lim);
		}
		t = lim;
	}
	if (rc)
		sla_explain_release(out);
	return rc;
}
