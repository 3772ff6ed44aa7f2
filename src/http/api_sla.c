/* SLA API: levels, calendars (and their public iCalendar feed), and the
 * development review extension. */
#include <stdlib.h>
#include <string.h>

#include "domain/access.h"
#include "domain/report.h"
#include "domain/sla.h"
#include "domain/ticket.h"
#include "http/http.h"
#include "http/query.h"

static bool admin_only(struct http_req *r)
{
	if (access_config(&r->actor))
		return true;
	http_error(r, 403, "forbidden", "solo un administrador puede hacerlo");
	return false;
}

static ay_rc levels_read(struct db *db, struct http_req *r, json_t **out)
{
	json_t *list = NULL;
	ay_rc rc = sla_levels_json(db, &list);

	(void)r;
	if (!rc)
		*out = json_pack("{s:o}", "levels", list);
	return rc;
}

void h_sla_levels(struct http_req *r)
{
	http_read_json(r, levels_read);
}

static ay_rc job_level_edit(struct db *db, struct http_req *r)
{
	json_t *list = NULL;
	ay_rc rc =
		sla_level_edit(db, r->actor.user_id, r->param, r->in, &r->verr);

	if (!rc)
		rc = sla_levels_json(db, &list);
	if (rc) {
		http_error_rc(r, rc);
		return rc;
	}
	for (size_t i = 0; i < json_array_size(list); i++) {
		json_t *l = json_array_get(list, i);

		if (!strcmp(json_string_value(json_object_get(l, "code")),
			    r->param))
			http_json(r, 200, json_incref(l));
	}
	json_decref(list);
	return AY_OK;
}

void h_sla_level_edit(struct http_req *r)
{
	if (!admin_only(r))
		return;
	r->in = http_body_json(r);
	if (r->in)
		http_defer(r, job_level_edit);
}

static ay_rc versions_read(struct db *db, struct http_req *r, json_t **out)
{
	return sla_level_versions(db, r->param, out);
}

/* GET /api/v1/sla/levels/CODE/versions (admin): newest first. */
void h_sla_level_versions(struct http_req *r)
{
	if (admin_only(r))
		http_read_json(r, versions_read);
}

static ay_rc diff_read(struct db *db, struct http_req *r, json_t **out)
{
	static const char *const keys[] = {"from", "to"};
	int64_t v[2];

	for (int i = 0; i < 2; i++) {
		const char *q = http_query(r, keys[i]);

		if (!q || http_query_int(q, 1, INT64_MAX / 2, &v[i])) {
			verr_set(&r->verr, keys[i],
				 "se esperan from y to: dos números de "
				 "versión del nivel");
			return AY_EINVAL;
		}
	}
	return sla_level_diff(db, r->param, v[0], v[1], out, &r->verr);
}

/* GET /api/v1/sla/levels/CODE/diff?from=&to= (admin): field by field. */
void h_sla_level_diff(struct http_req *r)
{
	if (admin_only(r))
		http_read_json(r, diff_read);
}

static ay_rc usage_read(struct db *db, struct http_req *r, json_t **out)
{
	(void)r;
	return sla_level_usage(db, out);
}

/* GET /api/v1/sla/usage (admin): each level's versions and open tickets. */
void h_sla_usage(struct http_req *r)
{
	if (admin_only(r))
		http_read_json(r, usage_read);
}

static ay_rc calendars_read(struct db *db, struct http_req *r, json_t **out)
{
	json_t *list = NULL;
	ay_rc rc = sla_calendar_list(db, &list);

	(void)r;
	if (!rc)
		*out = json_pack("{s:o}", "calendars", list);
	return rc;
}

void h_calendars(struct http_req *r)
{
	http_read_json(r, calendars_read);
}

/* How far ahead ?upcoming looks: the landing page's next holidays. */
#define UPCOMING_DAYS 400

/* The calendar's spec; with ?upcoming, its events from now on too
 * ("upcoming", sla_calendar_upcoming()), so the landing page needs no
 * .ics feed to show them. */
static ay_rc calendar_read(struct db *db, struct http_req *r, json_t **out)
{
	const struct sla_calendar *cal = NULL;
	json_t *up = NULL;
	ay_rc rc = sla_calendar_json(db, r->param, out);

	if (rc || !http_query(r, "upcoming"))
		return rc;
	rc = sla_calendar_get(db, r->param, &cal);
	if (!rc)
		rc = sla_calendar_upcoming(cal, ay_now(), UPCOMING_DAYS, &up);
	if (!rc && json_object_set_new(*out, "upcoming", up))
		rc = AY_ENOMEM;
	sla_calendar_release(cal);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

void h_calendar_get(struct http_req *r)
{
	http_read_json(r, calendar_read);
}

/* Write the calendar r->param: replace its spec (PUT) or append r->in to
 * its "holidays" or "closures" list. */
static ay_rc calendar_write(struct db *db, struct http_req *r,
			    const char *list_key)
{
	json_t *spec = NULL, *list;
	ay_rc rc;

	if (list_key) {
		rc = sla_calendar_json(db, r->param, &spec);
		if (rc) {
			http_error_rc(r, rc);
			return rc;
		}
		list = json_object_get(spec, list_key);
		if (!list) {
			list = json_array();
			json_object_set_new(spec, list_key, list);
		}
		json_array_append(list, r->in);
	} else {
		spec = json_incref(r->in);
	}
	rc = sla_calendar_set(db, r->actor.user_id, r->param, spec, &r->verr);
	if (rc) {
		json_decref(spec);
		http_error_rc(r, rc);
		return rc;
	}
	http_json(r, list_key ? 201 : 200, spec);
	return AY_OK;
}

static ay_rc job_calendar_put(struct db *db, struct http_req *r)
{
	return calendar_write(db, r, NULL);
}

static ay_rc job_calendar_holiday(struct db *db, struct http_req *r)
{
	return calendar_write(db, r, "holidays");
}

static ay_rc job_calendar_closure(struct db *db, struct http_req *r)
{
	return calendar_write(db, r, "closures");
}

static void calendar_edit(struct http_req *r, http_job_fn fn)
{
	if (!admin_only(r))
		return;
	r->in = http_body_json(r);
	if (r->in)
		http_defer(r, fn);
}

void h_calendar_put(struct http_req *r)
{
	calendar_edit(r, job_calendar_put);
}

void h_calendar_holiday(struct http_req *r)
{
	calendar_edit(r, job_calendar_holiday);
}

void h_calendar_closure(struct http_req *r)
{
	calendar_edit(r, job_calendar_closure);
}

static ay_rc whatif_read(struct db *db, struct http_req *r, json_t **out)
{
	return sla_calendar_whatif(db, r->param, r->in, &r->verr, out);
}

/* POST /api/v1/calendars/NAME/what-if {holiday|closure|spec}: the running
 * deadlines the change would move; nothing is written. */
void h_calendar_whatif(struct http_req *r)
{
	if (!admin_only(r))
		return;
	r->in = http_body_json(r);
	if (r->in)
		http_read_json(r, whatif_read);
}

/* The query of GET .../due; false with r->verr set when one is wrong. */
static bool due_params(struct http_req *r, int64_t *start, int64_t *minutes,
		       enum sla_clock *clock)
{
	const char *s = http_query(r, "start"), *m = http_query(r, "minutes");
	const char *c = http_query(r, "clock");

	*clock = SLA_CLOCK_BUSINESS;
	if (!s || sla_parse_iso8601(s, start)) {
		verr_set(&r->verr, "start",
			 "el inicio debe ser una fecha y hora con su zona, "
			 "p. ej. 2026-03-10T09:00:00-05:00");
		return false;
	}
	if (!m || http_query_int(m, 0, SLA_MINUTES_MAX, minutes)) {
		verr_set(&r->verr, "minutes",
			 "el plazo debe ser un número entero de minutos, 0 "
			 "o más");
		return false;
	}
	if (c && sla_clock_parse(c, clock)) {
		verr_set(&r->verr, "clock",
			 "el reloj es «business» o «calendar»");
		return false;
	}
	return true;
}

static ay_rc due_read(struct db *db, struct http_req *r, json_t **out)
{
	int64_t start, minutes;
	enum sla_clock clock;

	if (!due_params(r, &start, &minutes, &clock))
		return AY_EINVAL;
	return sla_calendar_due_explain(db, r->param, start, minutes, clock,
					&r->verr, out);
}

/* GET /api/v1/calendars/NAME/due?start=ISO&minutes=N[&clock=]: the due
 * time of a target and why, as the agent console explains a ticket's
 * (staff). */
void h_calendar_due(struct http_req *r)
{
	if (!access_ticket_sla(&r->actor)) {
		http_error_rc(r, AY_ENOTFOUND);
		return;
	}
	http_read_json(r, due_read);
}

/* The public holiday and closure feed: this year and the next. */
void h_calendar_ics(struct http_req *r)
{
	const struct sla_calendar *cal = NULL;
	struct db *db;
	const char *y = http_query(r, "year");
	int64_t year = 0;
	char iso[48];
	ay_rc rc;

	rc = y && http_query_int(y, 1971, 2099, &year) ? AY_ENOTFOUND : AY_OK;
	if (!rc)
		rc = store_reader(http_store(r), &db);
	if (!rc)
		rc = sla_calendar_get(db, r->param, &cal);
	if (!rc && !year) {
		if (sla_format_iso8601(cal, ay_now(), iso, sizeof(iso)))
			ay_iso_utc(ay_now(), iso);
		year = atoi(iso);
	}
	if (!rc && (year < 1971 || year > 2099))
		rc = AY_ENOTFOUND;
	if (!rc)
		rc = sla_calendar_ics(cal, (int)year, (int)year + 1, &r->out);
	sla_calendar_release(cal);
	if (rc) {
		http_error_rc(r, rc);
		return;
	}
	r->status = 200;
	r->ctype = "text/calendar; charset=utf-8";
}

static ay_rc job_extend(struct db *db, struct http_req *r)
{
	ay_rc rc = sla_extend_review(db, &r->actor, r->number, &r->verr);

	return http_answer_ticket(db, r, rc, r->number, 200);
}

void h_ticket_sla_extend(struct http_req *r)
{
	if (!access_ticket_sla(&r->actor)) {
		http_error_rc(r, AY_ENOTFOUND);
		return;
	}
	http_defer(r, job_extend);
}

static ay_rc job_reassess(struct db *db, struct http_req *r)
{
	int64_t tid;
	ay_rc rc = ticket_lookup(db, &r->actor, r->number, &tid);

	if (!rc && json_is_true(json_object_get(r->in, "license_confirmed")))
		rc = sla_confirm_license(db, r->actor.user_id, tid, ay_now());
	else if (!rc)
		rc = sla_reassess(db, r->actor.user_id, tid, ay_now());
	return http_answer_ticket(db, r, rc, r->number, 200);
}

/* POST .../sla/reassess, with no body or {license_confirmed: true}. */
void h_ticket_sla_reassess(struct http_req *r)
{
	static const char *const keys[] = {"license_confirmed", NULL};

	if (!access_ticket_sla(&r->actor)) {
		http_error_rc(r, AY_ENOTFOUND);
		return;
	}
	if (http_flags_body(r, keys))
		http_defer(r, job_reassess);
}

/* A report bound: ISO 8601 with offset, or a date (midnight UTC). */
static bool report_time(struct http_req *r, const char *key, int64_t dflt,
			int64_t *out)
{
	const char *v = http_query(r, key);

	*out = dflt;
	if (!v || !http_query_time(v, out))
		return true;
	snprintf(r->verr.field, sizeof(r->verr.field), "%s", key);
	snprintf(r->verr.msg, sizeof(r->verr.msg),
		 "fecha no válida (AAAA-MM-DD o ISO 8601 con zona)");
	http_error_rc(r, AY_EINVAL);
	return false;
}

/* GET /api/v1/reports/summary?from=&to= (supervisors and admins; default
 * the last 30 days). */
void h_report_summary(struct http_req *r)
{
	int64_t to, from;
	struct db *db;
	json_t *out = NULL;
	ay_rc rc;

	if (!access_reports(&r->actor)) {
		http_error_rc(r, AY_ENOTFOUND);
		return;
	}
	if (!report_time(r, "to", ay_now(), &to) ||
	    !report_time(r, "from", to - 30 * 86400, &from))
		return;
	if (from >= to) {
		snprintf(r->verr.field, sizeof(r->verr.field), "from");
		snprintf(r->verr.msg, sizeof(r->verr.msg),
			 "«from» debe ser anterior a «to»");
		http_error_rc(r, AY_EINVAL);
		return;
	}
	rc = store_reader(http_store(r), &db);
	if (!rc)
		rc = report_summary(db, from, to, &out);
	if (rc) {
		http_error_rc(r, rc);
		return;
	}
	http_json(r, 200, out);
}
