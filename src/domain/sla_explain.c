/* Why this deadline (issue 11, item 10): the explanation of a ticket's due
 * time, from its level, its target and the pauses its history records,
 * cut into parts by src/sla/explain.c over the level's calendar. */
#include <stdlib.h>
#include <string.h>

#include "domain/access.h"
#include "domain/sla_int.h"
#include "sla/explain.h"

#define MAX_PAUSES 64

/* What the explanation starts from: the level and the ticket's target. */
struct basis {
	char code[32], name[96], reason[320], calendar[64], kind[16];
	int64_t version, minutes, started, due, paused_at, met;
	enum sla_clock clock;
	bool has_target;
};

static ay_rc load_basis(struct db *db, int64_t tid, const char *lang,
			struct basis *b)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	memset(b, 0, sizeof(*b));
	rc = db_run(db, &s, &row,
		    "SELECT t.sla_level, COALESCE(CASE WHEN $2 = 'en' THEN"
		    " l.name_en END, l.name_es, t.sla_level),"
		    " COALESCE(CASE WHEN $2 = 'en' THEN t.sla_reason_en END,"
		    " t.sla_reason), COALESCE(l.calendar, 'lima'),"
		    " COALESCE(l.clock, 'business'), COALESCE(l.version, 0),"
		    " st.kind, st.started_at, st.minutes, st.due_at,"
		    " COALESCE(st.paused_at, 0), COALESCE(st.met_at, 0)"
		    " FROM tickets t"
		    " LEFT JOIN sla_levels l ON l.id = t.sla_level_id"
		    " LEFT JOIN sla_targets st ON st.id = (SELECT MAX(id) FROM"
		    "  sla_targets WHERE ticket_id = t.id)"
		    " WHERE t.id = $1",
		    "is", tid, lang && !strcmp(lang, "en") ? "en" : "es");
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	snprintf(b->code, sizeof(b->code), "%s", db_col_text(s, 0));
	snprintf(b->name, sizeof(b->name), "%s", db_col_text(s, 1));
	snprintf(b->reason, sizeof(b->reason), "%s", db_col_text(s, 2));
	snprintf(b->calendar, sizeof(b->calendar), "%s", db_col_text(s, 3));
	b->clock = strcmp(db_col_text(s, 4), "calendar") ? SLA_CLOCK_BUSINESS
							 : SLA_CLOCK_CALENDAR;
	b->version = db_col_int(s, 5);
	b->has_target = !db_col_null(s, 6);
	if (b->has_target) {
		snprintf(b->kind, sizeof(b->kind), "%s", db_col_text(s, 6));
		b->started = db_col_int(s, 7);
		b->minutes = db_col_int(s, 8);
		b->due = db_col_int(s, 9);
		b->paused_at = db_col_int(s, 10);
		b->met = db_col_int(s, 11);
	}
	db_reset(s);
	if (!strcmp(b->kind, "review"))
		b->clock = SLA_CLOCK_CALENDAR;
	return AY_OK;
}

/* Statuses in which the response clock stands still (as sla_clock.c). */
static bool stopped(const char *status)
{
	return status &&
	       (!strcmp(status, "pending_customer") ||
		!strcmp(status, "resolved") || !strcmp(status, "closed"));
}

/* The pauses since the target started, from the status changes in the
 * ticket's history; one still running ends at `now`. */
static ay_rc load_pauses(struct db *db, int64_t tid, const struct basis *b,
			 int64_t now, int64_t (*p)[2], size_t *n)
{
	struct db_stmt *s = NULL;
	bool row = false, open = false;
	ay_rc rc;

	*n = 0;
	rc = db_run(db, &s, &row,
		    "SELECT created_at, data FROM events WHERE ticket_id = $1"
		    " AND kind IN ('ticket.status', 'ticket.reopened')"
		    " AND created_at >= $2 ORDER BY id",
		    "ii", tid, b->started);
	while (!rc && row) {
		json_t *d = json_loads(db_col_text(s, 1), 0, NULL);
		const char *from =
			json_string_value(json_object_get(d, "from"));
		const char *to = json_string_value(json_object_get(d, "to"));
		int64_t at = db_col_int(s, 0);

		if (!open && !stopped(from) && stopped(to) && *n < MAX_PAUSES) {
			p[*n][0] = at;
			open = true;
		} else if (open && stopped(from) && !stopped(to)) {
			p[(*n)++][1] = at;
			open = false;
		}
		json_decref(d);
		rc = db_step(s, &row);
	}
	db_reset(s);
	if (!rc && !open && b->paused_at && *n < MAX_PAUSES) {
		/* Paused before the history shows it (a target that started
		 * paused). */
		p[*n][0] = b->paused_at;
		open = true;
	}
	if (!rc && open) {
		p[*n][1] = now > p[*n][0] ? now : p[*n][0];
		(*n)++;
	}
	return rc;
}

/* An instant in the calendar's zone (sla_int.h). */
json_t *sla_when_json(const struct sla_calendar *cal, int64_t t)
{
	char iso[SLA_ISO8601_LEN];

	if (sla_format_iso8601(cal, t, iso, sizeof(iso)))
		ay_iso_utc(t, iso);
	return json_string(iso);
}

/* The parts as the API shows them: timeline, stretches, skipped, pauses. */
ay_rc sla_explain_parts_json(const struct sla_calendar *cal,
			     const struct sla_explain *e, json_t *o)
{
	json_t *tl = json_array(), *st = json_array(), *sk = json_array();
	json_t *pa = json_array();
	int64_t total = 0, added = 0;

	if (!tl || !st || !sk || !pa) {
		json_decref(tl);
		json_decref(st);
		json_decref(sk);
		json_decref(pa);
		return AY_ENOMEM;
	}
	for (size_t i = 0; i < e->n; i++) {
		const struct sla_part *p = &e->parts[i];
		json_t *item = json_pack("{s:s,s:o,s:o,s:I,s:s?}", "kind",
					 sla_part_name(p->kind), "from",
					 sla_when_json(cal, p->from), "to",
					 sla_when_json(cal, p->to), "minutes",
					 (json_int_t)(p->open_seconds / 60),
					 "name", p->name);

		json_array_append(tl, item);
		if (p->kind == SLA_PART_OPEN) {
			total += p->open_seconds / 60;
			json_object_set_new(item, "total", json_integer(total));
			json_array_append(st, item);
		} else if (p->kind == SLA_PART_PAUSE) {
			added += p->open_seconds / 60;
			json_object_set_new(item, "added_minutes",
					    json_integer(p->open_seconds / 60));
			json_array_append(pa, item);
		} else
			json_array_append(sk, item);
		json_decref(item);
	}
	json_object_set_new(o, "counted_minutes", json_integer(total));
	json_object_set_new(o, "paused_minutes", json_integer(added));
	json_object_set_new(o, "timeline", tl);
	json_object_set_new(o, "stretches", st);
	json_object_set_new(o, "skipped", sk);
	json_object_set_new(o, "pauses", pa);
	return AY_OK;
}

/* The target's timeline from its start to its due time (with a pause
 * running, the due time if the customer answered now). */
static ay_rc explain_target(const struct sla_calendar *cal,
			    const struct basis *b, int64_t (*p)[2], size_t np,
			    int64_t now, json_t *o)
{
	struct sla_explain e = {0};
	int64_t due = b->due, first;
	ay_rc rc;

	if (b->paused_at && !b->met) {
		int64_t left = sla_elapsed(cal, b->paused_at, now, b->clock);

		due = b->clock == SLA_CLOCK_CALENDAR
			      ? b->due + left
			      : sla_due_seconds(cal, b->due, left, b->clock);
	}
	if (b->clock == SLA_CLOCK_CALENDAR) {
		/* Wall-clock time: one stretch, nothing skipped. */
		e.parts = calloc(1, sizeof(*e.parts));
		if (!e.parts)
			return AY_ENOMEM;
		e.n = 1;
		e.parts[0] = (struct sla_part){SLA_PART_OPEN, b->started, due,
					       due - b->started, NULL};
		rc = AY_OK;
	} else
		rc = sla_explain(cal, b->started, due, (const int64_t(*)[2])p,
				 np, &e);
	if (rc)
		return rc;
	first = sla_next_open(cal, b->started);
	json_object_set_new(o, "start", sla_when_json(cal, b->started));
	json_object_set_new(o, "counted_from",
			    b->clock == SLA_CLOCK_CALENDAR ||
					    first == SLA_TIME_INVALID
				    ? sla_when_json(cal, b->started)
				    : sla_when_json(cal, first));
	json_object_set_new(o, "due_at", sla_when_json(cal, due));
	rc = sla_explain_parts_json(cal, &e, o);
	sla_explain_release(&e);
	return rc;
}

static const char *state_of(const struct basis *b, int64_t now)
{
	if (!b->has_target)
		return "none";
	if (b->met)
		return b->met <= b->due ? "met" : "breached";
	if (b->paused_at)
		return "paused";
	return now <= b->due || !strcmp(b->kind, "review") ? "running"
							   : "breached";
}

ay_rc sla_ticket_explain(struct db *db, const struct actor *a, int64_t number,
			 int64_t now, json_t **out)
{
	const struct sla_calendar *cal = NULL;
	int64_t pauses[MAX_PAUSES][2];
	struct basis b;
	size_t np = 0;
	int64_t tid;
	json_t *o;
	ay_rc rc;

	*out = NULL;
	rc = ticket_lookup(db, a, number, &tid);
	if (!rc)
		rc = load_basis(db, tid, a->lang, &b);
	if (!rc && b.has_target)
		rc = load_pauses(db, tid, &b, now, pauses, &np);
	if (!rc)
		rc = sla_calendar_get(db, b.calendar, &cal);
	if (rc)
		return rc;
	o = json_pack("{s:I,s:{s:s,s:s,s:I,s:I,s:s,s:s},s:{s:s},s:s,s:s,s:I}",
		      "number", (json_int_t)number, "level", "code", b.code,
		      "name", b.name, "version", (json_int_t)b.version,
		      "target_minutes", (json_int_t)b.minutes, "clock",
		      b.clock == SLA_CLOCK_CALENDAR ? "calendar" : "business",
		      "calendar", b.calendar, "rule", "reason", b.reason,
		      "target", b.has_target ? b.kind : "none", "state",
		      state_of(&b, now), "target_minutes",
		      (json_int_t)b.minutes);
	if (!o)
		rc = AY_ENOMEM;
	else if (b.has_target)
		rc = explain_target(cal, &b, pauses, np, now, o);
	else {
		json_object_set_new(o, "due_at", json_null());
		json_object_set_new(o, "stretches", json_array());
		json_object_set_new(o, "skipped", json_array());
		json_object_set_new(o, "pauses", json_array());
		json_object_set_new(o, "timeline", json_array());
	}
	sla_calendar_release(cal);
	if (rc) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return AY_OK;
}
