/* Why a deadline is where it is (sla/explain.c): the business time from a
 * target's start to its due instant cut into the stretches the clock
 * counted, the closed time it skipped (nights, weekends, holidays,
 * closures) and the pauses that pushed it later. The same open-interval
 * table as sla_due() answers, so the explanation and the due time agree.
 * Pure: no I/O. */
#ifndef AY_SLA_EXPLAIN_H
#define AY_SLA_EXPLAIN_H

#include "sla/bizcal.h"

enum sla_part_kind {
	SLA_PART_OPEN,	  /* open time counted toward the target */
	SLA_PART_PAUSE,	  /* the clock stood still (waiting on the customer) */
	SLA_PART_NIGHT,	  /* closed hours between two open days */
	SLA_PART_WEEKEND, /* whole days without open hours */
	SLA_PART_HOLIDAY, /* a holiday on a day that is otherwise open */
	SLA_PART_CLOSURE, /* an emergency closure of the calendar */
};

struct sla_part {
	enum sla_part_kind kind;
	int64_t from, to;     /* UTC [from, to) */
	int64_t open_seconds; /* OPEN: counted; PAUSE: open time inside it
				 (what it added to the due time); else 0 */
	const char *name;     /* HOLIDAY: its name; CLOSURE: its reason (may
				 be NULL); else NULL. Borrowed from cal. */
};

struct sla_explain {
	struct sla_part *parts; /* in order, contiguous from start to end */
	size_t n, cap;
};

/* The parts of [start, end) on cal's business clock, with the pauses
 * pauses[i][0] .. pauses[i][1] (sorted, not overlapping; clipped to
 * [start, end); a pause takes precedence over what it covers). Adjacent
 * closed parts of one kind are merged. AY_EINVAL for end < start or times
 * outside sla_calendar_range(). Returns: out->parts owned by the caller,
 * free with sla_explain_release(). */
ay_rc sla_explain(const struct sla_calendar *cal, int64_t start, int64_t end,
		  const int64_t (*pauses)[2], size_t npauses,
		  struct sla_explain *out) AY_MUST_CHECK;
void sla_explain_release(struct sla_explain *e);
/* "open", "pause", "night", "weekend", "holiday", "closure". */
const char *sla_part_name(enum sla_part_kind k);

#endif
