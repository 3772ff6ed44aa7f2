/* The SLA engine's JSON views for the API and the CLI: calendars, levels
 * and the "sla" object of a ticket. */
#include <stdlib.h>
#include <string.h>

#include "domain/sla_int.h"

ay_rc sla_calendar_json(struct db *db, const char *name, json_t **out)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	*out = NULL;
	rc = db_run(db, &s, &row, "SELECT spec FROM calendars WHERE name = $1",
		    "s", name);
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	*out = json_loads(db_col_text(s, 0), 0, NULL);
	db_reset(s);
	return *out ? AY_OK : AY_EDB;
}

static json_t *spec_row(struct db_stmt *s, void *arg)
{
	(void)arg;
	return json_loads(db_col_text(s, 0), 0, NULL);
}

ay_rc sla_calendar_list(struct db *db, json_t **out)
{
	return db_rows_json(db, spec_row, NULL, out,
			    "SELECT spec FROM calendars ORDER BY name", NULL);
}

static json_t *int_or_null(struct db_stmt *s, int i)
{
	return db_col_null(s, i) ? json_null() : json_integer(db_col_int(s, i));
}

static json_t *level_json(struct db_stmt *s, void *arg)
{
	(void)arg;
	return json_pack("{s:s,s:I,s:{s:s,s:s},s:{s:s,s:s},s:o,s:s,s:s,s:o,"
			 "s:b,s:b}",
			 "code", db_col_text(s, 0), "version",
			 (json_int_t)db_col_int(s, 1), "name", "es",
			 db_col_text(s, 2), "en", db_col_text(s, 3),
			 "description", "es", db_col_text(s, 4), "en",
			 db_col_text(s, 5), "response_minutes",
			 int_or_null(s, 6), "clock", db_col_text(s, 7),
			 "calendar", db_col_text(s, 8), "review_days",
			 int_or_null(s, 9), "closes", (int)db_col_int(s, 10),
			 "license_email_only", (int)db_col_int(s, 11));
}

ay_rc sla_levels_json(struct db *db, json_t **out)
{
	return db_rows_json(db, level_json, NULL, out,
			    "SELECT code, version, name_es, name_en, desc_es,"
			    " desc_en, response_minutes, clock, calendar,"
			    " review_days, closes, license_email_only"
			    " FROM sla_levels l WHERE current = 1 ORDER BY"
			    " (SELECT MIN(id) FROM sla_levels f"
			    "  WHERE f.code = l.code)",
			    NULL);
}

/* --- the API view --- */

/* A ticket's level and present target; $1 its id, $2 the language. */
static const char sla_ticket_sql[] =
	"SELECT t.sla_level, COALESCE(CASE WHEN $2 = 'en' THEN"
	" t.sla_reason_en END, t.sla_reason), COALESCE(l.calendar,"
	" 'lima'), COALESCE(l.clock, 'business'), st.kind,"
	" st.started_at, st.due_at, COALESCE(st.paused_at, 0),"
	" COALESCE(st.met_at, 0), COALESCE(l.version, 0),"
	" COALESCE(CASE WHEN $2 = 'en' THEN l.name_en END,"
	" l.name_es, t.sla_level), st.minutes,"
	" COALESCE(st.used_minutes, 0)"
	" FROM tickets t"
	" LEFT JOIN sla_levels l ON l.id = t.sla_level_id"
	" LEFT JOIN sla_targets st ON st.id = (SELECT MAX(id) FROM"
	"  sla_targets WHERE ticket_id = t.id)"
	" WHERE t.id = $1";

static const char *sla_lang(const char *lang)
{
	return lang && !strcmp(lang, "en") ? "en" : "es";
}

ay_rc sla_ticket_prefetch(struct db *db, int64_t ticket_id, const char *lang)
{
	return db_prefetch(db, sla_ticket_sql, "is", ticket_id, sla_lang(lang));
}

ay_rc sla_view_load(struct db *db, int64_t ticket_id, const char *lang,
		    struct sla_view *v)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	memset(v, 0, sizeof(*v));
	snprintf(v->cal_name, sizeof(v->cal_name), "lima");
	v->clock = SLA_CLOCK_BUSINESS;
	rc = db_run(db, &s, &row, sla_ticket_sql, "is", ticket_id,
		    sla_lang(lang));
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	snprintf(v->level, sizeof(v->level), "%s", db_col_text(s, 0));
	snprintf(v->reason, sizeof(v->reason), "%s", db_col_text(s, 1));
	snprintf(v->cal_name, sizeof(v->cal_name), "%s", db_col_text(s, 2));
	snprintf(v->name, sizeof(v->name), "%s", db_col_text(s, 10));
	v->policy_version = db_col_int(s, 9);
	v->clock = strcmp(db_col_text(s, 3), "calendar") ? SLA_CLOCK_BUSINESS
							 : SLA_CLOCK_CALENDAR;
	if (!db_col_null(s, 4)) {
		v->has_target = true;
		snprintf(v->kind, sizeof(v->kind), "%s", db_col_text(s, 4));
		v->started = db_col_int(s, 5);
		v->due = db_col_int(s, 6);
		v->paused = db_col_int(s, 7);
		v->met = db_col_int(s, 8);
		v->minutes = db_col_int(s, 11);
		v->used_met = db_col_int(s, 12);
		if (!strcmp(v->kind, "review"))
			v->clock = SLA_CLOCK_CALENDAR;
	}
	db_reset(s);
	return AY_OK;
}

/* The instant a view is computed for: the start of now's minute (not
 * before the clock's start), so that the "sla" object, and with it a
 * ticket's JSON and ETag, stays the same for a whole minute. */
static int64_t view_instant(const struct sla_view *v, int64_t now)
{
	int64_t at = now - ((now % 60) + 60) % 60;
	int64_t start = v->started < now ? v->started : now;

	return at < start ? start : at;
}

json_t *sla_view_json(const struct sla_view *v, const struct sla_calendar *cal,
		      int64_t now)
{
	int64_t due = v->due, paused = v->paused, met = v->met, rem, used;
	const char *state = "none";
	enum sla_clock clock = v->clock;
	char iso[48];
	json_t *o;

	o = json_pack("{s:s,s:s,s:s,s:I}", "level", v->level, "name", v->name,
		      "reason", v->reason, "policy_version",
		      (json_int_t)v->policy_version);
	if (!o)
		return NULL;
	if (!v->has_target || !cal) {
		json_object_set_new(o, "due_at", json_null());
		json_object_set_new(o, "remaining_minutes", json_null());
		json_object_set_new(o, "state", json_string("none"));
		return o;
	}
	now = view_instant(v, now);
	if (met) {
		state = met <= due ? "met" : "breached";
		rem = 0;
	} else if (paused) {
		state = "paused";
		rem = sla_elapsed(cal, paused, due, clock);
	} else if (now <= due) {
		state = "running";
		rem = sla_elapsed(cal, now, due, clock);
	} else if (!strcmp(v->kind, "review")) {
		/* A review past its date is overdue work, not a breach: the
		 * development level has no response clock. */
		state = "running";
		rem = -sla_elapsed(cal, due, now, clock);
	} else {
		state = "breached";
		rem = -sla_elapsed(cal, due, now, clock);
	}
	if (sla_format_iso8601(cal, due, iso, sizeof(iso)))
		ay_iso_utc(due, iso);
	json_object_set_new(o, "due_at", json_string(iso));
	/* Whole minutes left, rounded up while time is left: a ticket
	 * created a second ago has all its minutes. */
	if (rem > 0)
		rem = (rem + 59) / 60 * 60;
	json_object_set_new(o, "remaining_minutes",
			    met ? json_null() : json_integer(rem / 60));
	json_object_set_new(o, "state", json_string(state));
	json_object_set_new(o, "target", json_string(v->kind));
	if (sla_format_iso8601(cal, v->started, iso, sizeof(iso)))
		ay_iso_utc(v->started, iso);
	json_object_set_new(o, "started_at", json_string(iso));
	/* What a live countdown needs: the target, the open time used so far
	 * (pauses excluded) and whether the clock stands still. */
	used = met ? v->used_met : v->minutes - rem / 60;
	json_object_set_new(o, "target_minutes", json_integer(v->minutes));
	json_object_set_new(o, "elapsed_minutes", json_integer(used));
	json_object_set_new(
		o, "used",
		json_real(v->minutes > 0 ? (double)used / (double)v->minutes
					 : 0.0));
	json_object_set_new(o, "paused", json_boolean(!met && paused));
	/* A target paused after its due time stays breached. */
	json_object_set_new(o, "breached",
			    json_boolean(!strcmp(state, "breached") ||
					 (!met && paused && paused > due &&
					  strcmp(v->kind, "review"))));
	json_object_set_new(o, "clock",
			    json_string(clock == SLA_CLOCK_CALENDAR
						? "calendar"
						: "business"));
	json_object_set_new(o, "calendar", json_string(v->cal_name));
	/* The figures are those of this instant, at most a minute ago. */
	if (sla_format_iso8601(cal, now, iso, sizeof(iso)))
		ay_iso_utc(now, iso);
	json_object_set_new(o, "as_of", json_string(iso));
	return o;
}

ay_rc sla_ticket_json(struct db *db, int64_t ticket_id, int64_t now,
		      const char *lang, json_t **out)
{
	const struct sla_calendar *cal = NULL;
	struct sla_view v;
	ay_rc rc;

	*out = NULL;
	rc = sla_view_load(db, ticket_id, lang, &v);
	if (!rc && v.has_target)
		rc = sla_calendar_get(db, v.cal_name, &cal);
	if (rc)
		return rc;
	*out = sla_view_json(&v, cal, now);
	sla_calendar_release(cal);
	return *out ? AY_OK : AY_ENOMEM;
}
