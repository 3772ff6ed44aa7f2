/* SLA engine, domain side: levels, assignment rules, targets, jobs. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "domain/sla.h"
#include "util/log.h"

/* --- calendars: a process-wide cache keyed by the random revision --- */

struct cal_entry {
	char rev[40];
	struct sla_calendar *cal;
	struct cal_entry *next;
};

static pthread_mutex_t cal_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cal_entry *cal_cache;

void sla_calendar_cache_clear(void)
{
	pthread_mutex_lock(&cal_lock);
	for (struct cal_entry *e = cal_cache, *next; e; e = next) {
		next = e->next;
		sla_calendar_free(e->cal);
		free(e);
	}
	cal_cache = NULL;
	pthread_mutex_unlock(&cal_lock);
}

static void new_rev(char out[40])
{
	unsigned char r[16];

	randombytes_buf(r, sizeof(r));
	sodium_bin2hex(out, 40, r, sizeof(r));
}

ay_rc sla_calendar_get(struct db *db, const char *name,
		       const struct sla_calendar **out)
{
	struct db_stmt *s = NULL;
	struct sla_calendar *cal = NULL;
	struct cal_entry *e;
	json_t *spec;
	char rev[40], err[160];
	bool row = false;
	ay_rc rc;

	*out = NULL;
	rc = db_run(db, &s, &row,
		    "SELECT rev, spec FROM calendars WHERE name = $1", "s",
		    name);
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	snprintf(rev, sizeof(rev), "%s", db_col_text(s, 0));
	pthread_mutex_lock(&cal_lock);
	for (e = cal_cache; e; e = e->next)
		if (!strcmp(e->rev, rev))
			break;
	pthread_mutex_unlock(&cal_lock);
	if (e) {
		db_reset(s);
		*out = e->cal;
		return AY_OK;
	}
	spec = json_loads(db_col_text(s, 1), 0, NULL);
	db_reset(s);
	if (!spec)
		return AY_EDB;
	rc = sla_calendar_from_json(spec, &cal, err, sizeof(err));
	json_decref(spec);
	if (rc) {
		log_error("stored calendar is invalid",
			  "name=\"%s\" err=\"%s\"", name, err);
		return AY_EDB;
	}
	e = calloc(1, sizeof(*e));
	if (!e) {
		sla_calendar_free(cal);
		return AY_ENOMEM;
	}
	snprintf(e->rev, sizeof(e->rev), "%s", rev);
	e->cal = cal;
	pthread_mutex_lock(&cal_lock);
	e->next = cal_cache;
	cal_cache = e;
	pthread_mutex_unlock(&cal_lock);
	*out = cal;
	return AY_OK;
}

ay_rc sla_calendar_set(struct db *db, int64_t actor_id, const char *name,
		       json_t *spec, struct verr *err)
{
	struct sla_calendar *cal = NULL;
	char msg[160], rev[40];
	json_t *data;
	char *text;
	ay_rc rc;

	json_object_set_new(spec, "name", json_string(name));
	rc = sla_calendar_from_json(spec, &cal, msg, sizeof(msg));
	if (rc) {
		verr_set(err, "calendar", msg);
		return AY_EINVAL;
	}
	sla_calendar_free(cal);
	text = json_dumps(spec, JSON_COMPACT | JSON_SORT_KEYS);
	if (!text)
		return AY_ENOMEM;
	new_rev(rev);
	rc = db_run(db, NULL, NULL,
		    "INSERT INTO calendars (name, spec, rev, updated_at)"
		    " VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO UPDATE SET"
		    " spec = excluded.spec, rev = excluded.rev,"
		    " updated_at = excluded.updated_at",
		    "sssi", name, text, rev, ay_now());
	free(text);
	if (rc)
		return rc;
	data = json_pack("{s:s,s:O}", "calendar", name, "spec", spec);
	if (!data)
		return AY_ENOMEM;
	rc = event_add(db, 0, actor_id, "calendar.changed", data);
	json_decref(data);
	return rc;
}

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

/* --- levels --- */

struct level {
	int64_t id;
	char code[32];
	char name_es[80];
	int64_t minutes; /* 0: no response clock */
	enum sla_clock clock;
	char calendar[64];
	int64_t review_days;
};

static const struct {
	const char *code, *name_es, *name_en, *desc_es, *desc_en;
	int minutes, review_days, closes;
} default_levels[] = {
	{"partner_gold", "Partner Oro", "Gold partner",
	 "Miembro activo del programa de partners, nivel oro: respuesta en "
	 "12 horas hábiles.",
	 "Active partner programme member, gold tier: answer within 12 "
	 "business hours.",
	 720, 0, 0},
	{"partner_silver", "Partner Plata", "Silver partner",
	 "Miembro activo del programa de partners, nivel plata: respuesta en "
	 "24 horas hábiles.",
	 "Active partner programme member, silver tier: answer within 24 "
	 "business hours.",
	 1440, 0, 0},
	{"partner_bronze", "Partner Bronce", "Bronze partner",
	 "Miembro activo del programa de partners, nivel bronce: respuesta "
	 "en 48 horas hábiles.",
	 "Active partner programme member, bronze tier: answer within 48 "
	 "business hours.",
	 2880, 0, 0},
	{"commercial", "Cliente comercial", "Commercial customer",
	 "Contacto de soporte avalado de una compañía con licencia activa: "
	 "respuesta en 24 horas hábiles.",
	 "Endorsed support contact of a company with an active licence: "
	 "answer within 24 business hours.",
	 1440, 0, 0},
	{"non_commercial", "Soporte no comercial", "Non-commercial support",
	 "Usuarios de planes gratuitos, demo o NFR: respuesta en 120 horas "
	 "hábiles.",
	 "Users of free, demo or NFR plans: answer within 120 business "
	 "hours.",
	 7200, 0, 0},
	{"development", "Desarrollo", "Development",
	 "Escalado al fabricante: revisión a los 60 días, ampliable de 60 en "
	 "60 días.",
	 "Escalated to the vendor: reviewed after 60 days, extendable by 60 "
	 "days at a time.",
	 0, 60, 0},
	{"out_of_scope", "Fuera de alcance", "Out of scope",
	 "Consulta fuera del alcance del soporte: se responde y se cierra.",
	 "Question outside the scope of support: answered and closed.", 0, 0,
	 1},
	{"unidentified", "Sin identificar", "Unidentified",
	 "Sin plazo hasta que un agente identifique al solicitante.",
	 "No deadline until an agent identifies the requester.", 0, 0, 0},
};

ay_rc sla_seed_defaults(struct db *db)
{
	json_t *lima = NULL;
	char *text = NULL, rev[40];
	ay_rc rc = AY_OK;

	for (size_t i = 0; !rc && i < AY_ARRAY_LEN(default_levels); i++)
		rc = db_run(
			db, NULL, NULL,
			"INSERT INTO sla_levels (code, version, name_es,"
			" name_en, desc_es, desc_en, response_minutes,"
			" review_days, closes, created_at)"
			" VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8, $9)"
			" ON CONFLICT (code, version) DO NOTHING",
			"sssssIIii", default_levels[i].code,
			default_levels[i].name_es, default_levels[i].name_en,
			default_levels[i].desc_es, default_levels[i].desc_en,
			(int64_t)default_levels[i].minutes,
			(int64_t)default_levels[i].review_days,
			(int64_t)default_levels[i].closes, ay_now());
	if (rc)
		return rc;
	lima = sla_calendar_default_lima_json();
	text = lima ? json_dumps(lima, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	if (!text) {
		json_decref(lima);
		return AY_ENOMEM;
	}
	new_rev(rev);
	rc = db_run(
		db, NULL, NULL,
		"INSERT INTO calendars (name, spec, rev, updated_at)"
		" VALUES ('lima', $1, $2, $3) ON CONFLICT (name) DO NOTHING",
		"ssi", text, rev, ay_now());
	free(text);
	json_decref(lima);
	return rc;
}

#define LEVEL_COLS                                                             \
	"SELECT id, code, name_es, COALESCE(response_minutes, 0), clock,"      \
	" calendar, COALESCE(review_days, 0) FROM sla_levels"

static ay_rc level_row(struct db_stmt *s, struct level *l)
{
	memset(l, 0, sizeof(*l));
	l->id = db_col_int(s, 0);
	snprintf(l->code, sizeof(l->code), "%s", db_col_text(s, 1));
	snprintf(l->name_es, sizeof(l->name_es), "%s", db_col_text(s, 2));
	l->minutes = db_col_int(s, 3);
	l->clock = strcmp(db_col_text(s, 4), "calendar") ? SLA_CLOCK_BUSINESS
							 : SLA_CLOCK_CALENDAR;
	snprintf(l->calendar, sizeof(l->calendar), "%s", db_col_text(s, 5));
	l->review_days = db_col_int(s, 6);
	db_reset(s);
	return AY_OK;
}

static ay_rc level_current(struct db *db, const char *code, struct level *l)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc = db_run(db, &s, &row,
			  LEVEL_COLS " WHERE code = $1 AND current = 1", "s",
			  code);

	if (rc)
		return rc;
	return row ? level_row(s, l) : AY_ENOTFOUND;
}

static ay_rc level_by_id(struct db *db, int64_t id, struct level *l)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc = db_run(db, &s, &row, LEVEL_COLS " WHERE id = $1", "i", id);

	if (rc)
		return rc;
	return row ? level_row(s, l) : AY_ENOTFOUND;
}

static json_t *int_or_null(struct db_stmt *s, int i)
{
	return db_col_null(s, i) ? json_null() : json_integer(db_col_int(s, i));
}

static json_t *level_json(struct db_stmt *s, void *arg)
{
	(void)arg;
	return json_pack("{s:s,s:I,s:{s:s,s:s},s:{s:s,s:s},s:o,s:s,s:s,s:o,"
			 "s:b}",
			 "code", db_col_text(s, 0), "version",
			 (json_int_t)db_col_int(s, 1), "name", "es",
			 db_col_text(s, 2), "en", db_col_text(s, 3),
			 "description", "es", db_col_text(s, 4), "en",
			 db_col_text(s, 5), "response_minutes",
			 int_or_null(s, 6), "clock", db_col_text(s, 7),
			 "calendar", db_col_text(s, 8), "review_days",
			 int_or_null(s, 9), "closes", (int)db_col_int(s, 10));
}

ay_rc sla_levels_json(struct db *db, json_t **out)
{
	return db_rows_json(db, level_json, NULL, out,
			    "SELECT code, version, name_es, name_en, desc_es,"
			    " desc_en, response_minutes, clock, calendar,"
			    " review_days, closes FROM sla_levels"
			    " WHERE current = 1 ORDER BY id",
			    NULL);
}

/* Copy the current version of code with the changes applied as a new
 * version; tickets keep the version they were given. */
ay_rc sla_level_edit(struct db *db, int64_t actor_id, const char *code,
		     json_t *changes, struct verr *err)
{
	static const char *const text_keys[] = {"name_es", "name_en", "desc_es",
						"desc_en"};
	json_t *before = NULL, *after, *v, *data;
	const char *key;
	struct level l;
	int64_t newid = 0;
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	rc = level_current(db, code, &l);
	if (rc)
		return rc;
	if (!json_is_object(changes) || !json_object_size(changes)) {
		verr_set(err, "level", "indique los campos a cambiar");
		return AY_EINVAL;
	}
	json_object_foreach (changes, key, v) {
		bool ok = false;

		for (size_t i = 0; i < AY_ARRAY_LEN(text_keys); i++)
			if (!strcmp(key, text_keys[i]))
				ok = json_is_string(v) &&
				     json_string_length(v) > 0;
		if (!strcmp(key, "response_minutes") ||
		    !strcmp(key, "review_days"))
			ok = json_is_null(v) ||
			     (json_is_integer(v) && json_integer_value(v) > 0 &&
			      json_integer_value(v) <= 525600);
		if (!strcmp(key, "clock"))
			ok = json_is_string(v) &&
			     (!strcmp(json_string_value(v), "business") ||
			      !strcmp(json_string_value(v), "calendar"));
		if (!strcmp(key, "calendar")) {
			const struct sla_calendar *cal;

			ok = json_is_string(v) &&
			     !sla_calendar_get(db, json_string_value(v), &cal);
		}
		if (!ok) {
			verr_set(err, key, "valor no válido para el nivel");
			return AY_EINVAL;
		}
	}
	rc = sla_levels_json(db, &before);
	if (rc)
		return rc;
	rc = db_run(
		db, &s, &row,
		"INSERT INTO sla_levels (code, version, name_es, name_en,"
		" desc_es, desc_en, response_minutes, clock, calendar,"
		" review_days, closes, created_at)"
		" SELECT code, version + 1,"
		" COALESCE($2, name_es), COALESCE($3, name_en),"
		" COALESCE($4, desc_es), COALESCE($5, desc_en),"
		" CASE WHEN $6 = 1 THEN $7 ELSE response_minutes END,"
		" COALESCE($8, clock), COALESCE($9, calendar),"
		" CASE WHEN $10 = 1 THEN $11 ELSE review_days END,"
		" closes, $12 FROM sla_levels WHERE id = $1 RETURNING id",
		"issssiIssiIi", l.id,
		json_string_value(json_object_get(changes, "name_es")),
		json_string_value(json_object_get(changes, "name_en")),
		json_string_value(json_object_get(changes, "desc_es")),
		json_string_value(json_object_get(changes, "desc_en")),
		(int64_t)(json_object_get(changes, "response_minutes") != NULL),
		(int64_t)json_integer_value(
			json_object_get(changes, "response_minutes")),
		json_string_value(json_object_get(changes, "clock")),
		json_string_value(json_object_get(changes, "calendar")),
		(int64_t)(json_object_get(changes, "review_days") != NULL),
		(int64_t)json_integer_value(
			json_object_get(changes, "review_days")),
		ay_now());
	if (!rc && row)
		newid = db_col_int(s, 0);
	db_reset(s);
	if (!rc)
		rc = db_run(db, NULL, NULL,
			    "UPDATE sla_levels SET current = 0 WHERE id = $1",
			    "i", l.id);
	if (rc || !newid) {
		json_decref(before);
		return rc ? rc : AY_EDB;
	}
	after = NULL;
	rc = sla_levels_json(db, &after);
	if (rc) {
		json_decref(before);
		return rc;
	}
	/* Keep only this level in before/after. */
	data = json_pack("{s:s,s:o,s:o}", "level", code, "before", json_null(),
			 "after", json_null());
	for (size_t i = 0; data && i < json_array_size(before); i++) {
		json_t *b = json_array_get(before, i);

		if (!strcmp(json_string_value(json_object_get(b, "code")),
			    code))
			json_object_set(data, "before", b);
	}
	for (size_t i = 0; data && i < json_array_size(after); i++) {
		json_t *a = json_array_get(after, i);

		if (!strcmp(json_string_value(json_object_get(a, "code")),
			    code))
			json_object_set(data, "after", a);
	}
	json_decref(before);
	json_decref(after);
	if (!data)
		return AY_ENOMEM;
	rc = event_add(db, 0, actor_id, "sla_level.changed", data);
	json_decref(data);
	return rc;
}

/* --- assignment rules --- */

struct requester {
	bool has_company, contact, partner_active;
	char company[160], tier[16], product[24], plan[24], lstatus[16];
	int64_t expires;
};

static ay_rc load_requester(struct db *db, int64_t user_id, struct requester *r)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	memset(r, 0, sizeof(*r));
	rc = db_run(db, &s, &row,
		    "SELECT u.is_contact, c.id, c.name, c.partner_active,"
		    " COALESCE(c.partner_tier, ''),"
		    " COALESCE(c.license_product, ''),"
		    " COALESCE(c.license_plan, ''),"
		    " COALESCE(c.license_status, ''),"
		    " COALESCE(c.license_expires_at, 0)"
		    " FROM users u LEFT JOIN companies c ON c.id = u.company_id"
		    " WHERE u.id = $1",
		    "i", user_id);
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	r->contact = db_col_int(s, 0) != 0;
	r->has_company = !db_col_null(s, 1);
	if (r->has_company) {
		snprintf(r->company, sizeof(r->company), "%s",
			 db_col_text(s, 2));
		r->partner_active = db_col_int(s, 3) != 0;
		snprintf(r->tier, sizeof(r->tier), "%s", db_col_text(s, 4));
		snprintf(r->product, sizeof(r->product), "%s",
			 db_col_text(s, 5));
		snprintf(r->plan, sizeof(r->plan), "%s", db_col_text(s, 6));
		snprintf(r->lstatus, sizeof(r->lstatus), "%s",
			 db_col_text(s, 7));
		r->expires = db_col_int(s, 8);
	}
	db_reset(s);
	return AY_OK;
}

static bool commercial_license(const struct requester *r, int64_t now)
{
	if (strcmp(r->lstatus, "active") || (r->expires && r->expires <= now))
		return false;
	if (!strcmp(r->product, "cloud"))
		return !strcmp(r->plan, "crm_plus") ||
		       !strcmp(r->plan, "standard") ||
		       !strcmp(r->plan, "professional");
	return (!strcmp(r->product, "self_hosted") ||
		!strcmp(r->product, "site_manager")) &&
	       strcmp(r->plan, "demo") && strcmp(r->plan, "nfr") &&
	       strcmp(r->plan, "free");
}

static bool free_plan(const struct requester *r)
{
	return !strcmp(r->plan, "free") || !strcmp(r->plan, "demo") ||
	       !strcmp(r->plan, "nfr");
}

/* The level code and reason for a requester and category. */
static void choose(const struct requester *r, const char *category, int64_t now,
		   char code[32], char *reason, size_t rlen)
{
	static const char *const tier_es[][2] = {
		{"gold", "oro"}, {"silver", "plata"}, {"bronze", "bronce"}};

	if (category && !strcmp(category, "out_of_scope")) {
		snprintf(code, 32, "out_of_scope");
		snprintf(reason, rlen,
			 "consulta fuera del alcance del soporte");
		return;
	}
	if (category && !strcmp(category, "development")) {
		snprintf(code, 32, "development");
		snprintf(reason, rlen, "escalado a desarrollo del fabricante");
		return;
	}
	if (r->has_company && r->partner_active && r->tier[0]) {
		const char *t = r->tier;

		for (size_t i = 0; i < AY_ARRAY_LEN(tier_es); i++)
			if (!strcmp(r->tier, tier_es[i][0]))
				t = tier_es[i][1];
		snprintf(code, 32, "partner_%s", r->tier);
		snprintf(reason, rlen, "partner %.16s, compañía %.120s", t,
			 r->company);
		return;
	}
	if (r->has_company && commercial_license(r, now) && r->contact) {
		snprintf(code, 32, "commercial");
		snprintf(
			reason, rlen,
			"licencia comercial activa (%.20s%s%.20s), contacto de "
			"soporte de %.120s",
			r->product, r->plan[0] ? " " : "", r->plan, r->company);
		return;
	}
	if (r->has_company && free_plan(r)) {
		snprintf(code, 32, "non_commercial");
		snprintf(reason, rlen, "plan %.20s, compañía %.120s", r->plan,
			 r->company);
		return;
	}
	snprintf(code, 32, "unidentified");
	if (r->has_company && commercial_license(r, now))
		snprintf(reason, rlen,
			 "no es contacto de soporte avalado de %.120s",
			 r->company);
	else if (r->has_company)
		snprintf(reason, rlen, "%.120s sin licencia activa reconocida",
			 r->company);
	else
		snprintf(reason, rlen, "solicitante sin identificar");
}

ay_rc sla_pick_for_ticket(struct db *db, int64_t requester_id,
			  const char *category, int64_t start,
			  struct sla_pick *out)
{
	struct requester r;
	struct level l;
	ay_rc rc;

	memset(out, 0, sizeof(*out));
	rc = load_requester(db, requester_id, &r);
	if (rc)
		return rc;
	choose(&r, category, start, out->level, out->reason,
	       sizeof(out->reason));
	rc = level_current(db, out->level, &l);
	if (rc)
		return rc == AY_ENOTFOUND ? AY_EDB : rc;
	out->level_id = l.id;
	return AY_OK;
}

/* --- targets --- */

/* The instant at which `secs` of clock time have elapsed from t; t itself
 * for nothing to add (a shift, unlike a new target, never moves to the next
 * opening). */
static int64_t due_add(const struct sla_calendar *cal, int64_t t, int64_t secs,
		       enum sla_clock clock)
{
	if (secs <= 0)
		return t;
	return sla_due_seconds(cal, t, secs, clock);
}

static int64_t elapsed(const struct sla_calendar *cal, int64_t from, int64_t to,
		       enum sla_clock clock)
{
	if (to <= from)
		return 0;
	return clock == SLA_CLOCK_CALENDAR ? to - from
					   : sla_open_seconds(cal, from, to);
}

static ay_rc sync_ticket_due(struct db *db, int64_t ticket_id)
{
	return db_run(db, NULL, NULL,
		      "UPDATE tickets SET sla_due_at = (SELECT due_at FROM"
		      " sla_targets WHERE ticket_id = $1 AND met_at IS NULL"
		      " ORDER BY id DESC LIMIT 1) WHERE id = $1",
		      "i", ticket_id);
}

static ay_rc start_target(struct db *db, int64_t ticket_id,
			  const struct level *l, int64_t at)
{
	const struct sla_calendar *cal = NULL;
	int64_t due, warn;
	const char *kind = "response";
	ay_rc rc;

	if (l->minutes <= 0 && l->review_days <= 0)
		return AY_OK;
	rc = sla_calendar_get(db, l->calendar, &cal);
	if (rc)
		return rc;
	if (l->minutes > 0) {
		due = sla_due(cal, at, l->minutes, l->clock);
		warn = sla_due(cal, at, l->minutes * 4 / 5, l->clock);
	} else {
		kind = "review";
		due = at + l->review_days * 86400;
		warn = due;
	}
	if (due == SLA_TIME_INVALID || warn == SLA_TIME_INVALID)
		return AY_EINVAL;
	rc = db_run(db, NULL, NULL,
		    "INSERT INTO sla_targets (ticket_id, level_id, kind,"
		    " started_at, minutes, due_at, warn_at)"
		    " VALUES ($1, $2, $3, $4, $5, $6, $7)",
		    "iisiiii", ticket_id, l->id, kind, at,
		    l->minutes > 0 ? l->minutes : l->review_days * 1440, due,
		    warn);
	return rc ? rc : sync_ticket_due(db, ticket_id);
}

ay_rc sla_on_created(struct db *db, int64_t ticket_id, int64_t level_id,
		     int64_t at)
{
	struct level l;
	ay_rc rc = level_by_id(db, level_id, &l);

	return rc ? rc : start_target(db, ticket_id, &l, at);
}

struct running {
	int64_t id, level_id, started, due, warn, paused_at, paused;
	bool found;
};

static ay_rc running_target(struct db *db, int64_t ticket_id, struct running *t)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	memset(t, 0, sizeof(*t));
	rc = db_run(db, &s, &row,
		    "SELECT id, level_id, started_at, due_at,"
		    " COALESCE(warn_at, due_at), COALESCE(paused_at, 0),"
		    " paused_seconds FROM sla_targets WHERE ticket_id = $1"
		    " AND kind = 'response' AND met_at IS NULL"
		    " ORDER BY id DESC LIMIT 1",
		    "i", ticket_id);
	if (rc || !row)
		return rc;
	t->found = true;
	t->id = db_col_int(s, 0);
	t->level_id = db_col_int(s, 1);
	t->started = db_col_int(s, 2);
	t->due = db_col_int(s, 3);
	t->warn = db_col_int(s, 4);
	t->paused_at = db_col_int(s, 5);
	t->paused = db_col_int(s, 6);
	db_reset(s);
	return AY_OK;
}

static ay_rc ticket_level(struct db *db, int64_t ticket_id, struct level *l)
{
	struct db_stmt *s = NULL;
	bool row = false;
	int64_t id;
	ay_rc rc = db_run(db, &s, &row,
			  "SELECT sla_level_id FROM tickets WHERE id = $1", "i",
			  ticket_id);

	if (rc)
		return rc;
	if (!row || db_col_null(s, 0)) {
		db_reset(s);
		return AY_ENOTFOUND;
	}
	id = db_col_int(s, 0);
	db_reset(s);
	return level_by_id(db, id, l);
}

static ay_rc meet(struct db *db, int64_t ticket_id, int64_t at)
{
	const struct sla_calendar *cal;
	struct running t;
	struct level l;
	int64_t used;
	json_t *data;
	ay_rc rc;

	rc = running_target(db, ticket_id, &t);
	if (rc || !t.found)
		return rc;
	rc = level_by_id(db, t.level_id, &l);
	if (!rc)
		rc = sla_calendar_get(db, l.calendar, &cal);
	if (rc)
		return rc;
	used = elapsed(cal, t.started, t.paused_at ? t.paused_at : at,
		       l.clock) -
	       t.paused;
	if (used < 0)
		used = 0;
	rc = db_run(db, NULL, NULL,
		    "UPDATE sla_targets SET met_at = $1, used_minutes = $2,"
		    " paused_at = NULL, breached_at = CASE WHEN breached_at"
		    " IS NULL AND $1 > due_at THEN due_at ELSE breached_at"
		    " END WHERE id = $3",
		    "iii", at, used / 60, t.id);
	if (!rc)
		rc = sync_ticket_due(db, ticket_id);
	if (rc)
		return rc;
	data = json_pack("{s:I,s:b}", "used_minutes", (json_int_t)(used / 60),
			 "on_time", at <= t.due);
	if (!data)
		return AY_ENOMEM;
	rc = event_add(db, ticket_id, 0, "sla.met", data);
	json_decref(data);
	return rc;
}

/* Was the last public message of the ticket (before the newest one) the
 * agent's? */
static ay_rc last_public_was_agent(struct db *db, int64_t ticket_id,
				   bool *agent)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc = db_run(db, &s, &row,
			  "SELECT kind FROM messages WHERE ticket_id = $1 AND"
			  " kind IN ('customer', 'reply') ORDER BY id DESC"
			  " LIMIT 1 OFFSET 1",
			  "i", ticket_id);

	*agent = false;
	if (rc)
		return rc;
	if (row)
		*agent = !strcmp(db_col_text(s, 0), "reply");
	db_reset(s);
	return AY_OK;
}

/* A target started on a ticket whose clock stands still (a customer writing
 * on a closed ticket, a requester identified while the ticket waits for
 * them) starts paused. */
static ay_rc pause_if_stopped(struct db *db, int64_t ticket_id, int64_t at)
{
	return db_run(db, NULL, NULL,
		      "UPDATE sla_targets SET paused_at = $1 WHERE ticket_id ="
		      " $2 AND kind = 'response' AND met_at IS NULL AND"
		      " paused_at IS NULL AND (SELECT status FROM tickets"
		      " WHERE id = $2) IN ('pending_customer', 'resolved',"
		      " 'closed')",
		      "ii", at, ticket_id);
}

ay_rc sla_on_message(struct db *db, int64_t ticket_id, const char *kind,
		     int64_t at)
{
	struct running t;
	struct level l;
	bool agent;
	ay_rc rc;

	if (!strcmp(kind, "reply"))
		return meet(db, ticket_id, at);
	if (strcmp(kind, "customer"))
		return AY_OK; /* notes and system messages do not count */
	rc = running_target(db, ticket_id, &t);
	if (rc || t.found)
		return rc;
	rc = last_public_was_agent(db, ticket_id, &agent);
	if (rc || !agent)
		return rc;
	rc = ticket_level(db, ticket_id, &l);
	if (rc == AY_ENOTFOUND)
		return AY_OK;
	if (rc || l.minutes <= 0)
		return rc;
	rc = start_target(db, ticket_id, &l, at);
	return rc ? rc : pause_if_stopped(db, ticket_id, at);
}

/* Statuses in which the response clock stands still: waiting for the
 * customer, and solved or closed (nothing is owed until a reopen). */
static bool clock_stopped(const char *status)
{
	return !strcmp(status, "pending_customer") ||
	       !strcmp(status, "resolved") || !strcmp(status, "closed");
}

ay_rc sla_on_status(struct db *db, int64_t ticket_id, const char *from,
		    const char *to, int64_t at)
{
	const struct sla_calendar *cal;
	struct running t;
	struct level l;
	int64_t p;
	ay_rc rc = AY_OK;

	/* The pending timers (reminder, auto-close) count from entering
	 * pending_customer. */
	if (!strcmp(to, "pending_customer"))
		rc = db_run(db, NULL, NULL,
			    "UPDATE tickets SET pending_since = $1,"
			    " pending_reminded_at = NULL WHERE id = $2",
			    "ii", at, ticket_id);
	else if (!strcmp(from, "pending_customer"))
		rc = db_run(db, NULL, NULL,
			    "UPDATE tickets SET pending_since = NULL"
			    " WHERE id = $1",
			    "i", ticket_id);
	if (rc)
		return rc;
	if (clock_stopped(to)) {
		if (clock_stopped(from))
			return AY_OK;
		return db_run(db, NULL, NULL,
			      "UPDATE sla_targets SET paused_at = $1"
			      " WHERE ticket_id = $2 AND kind = 'response'"
			      " AND met_at IS NULL AND paused_at IS NULL",
			      "ii", at, ticket_id);
	}
	if (!clock_stopped(from))
		return AY_OK;
	rc = running_target(db, ticket_id, &t);
	if (rc || !t.found || !t.paused_at)
		return rc;
	rc = level_by_id(db, t.level_id, &l);
	if (!rc)
		rc = sla_calendar_get(db, l.calendar, &cal);
	if (rc)
		return rc;
	/* The paused open time is added back to the deadline. */
	p = elapsed(cal, t.paused_at, at, l.clock);
	t.due = due_add(cal, t.due, p, l.clock);
	t.warn = due_add(cal, t.warn, p, l.clock);
	if (t.due == SLA_TIME_INVALID || t.warn == SLA_TIME_INVALID)
		return AY_EINVAL;
	rc = db_run(db, NULL, NULL,
		    "UPDATE sla_targets SET paused_at = NULL, due_at = $1,"
		    " warn_at = $2, paused_seconds = paused_seconds + $3"
		    " WHERE id = $4",
		    "iiii", t.due, t.warn, p, t.id);
	return rc ? rc : sync_ticket_due(db, ticket_id);
}

/* Is the customer awaiting an answer: was the last public message theirs? */
static ay_rc awaiting_answer(struct db *db, int64_t ticket_id, bool *waiting)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc = db_run(db, &s, &row,
			  "SELECT kind FROM messages WHERE ticket_id = $1 AND"
			  " kind IN ('customer', 'reply') ORDER BY id DESC"
			  " LIMIT 1",
			  "i", ticket_id);

	*waiting = false;
	if (rc)
		return rc;
	if (row)
		*waiting = !strcmp(db_col_text(s, 0), "customer");
	db_reset(s);
	return AY_OK;
}

/* Carry the pause of the replaced target `old` over to the ticket's new
 * running target: the paused time so far is added back, and a target that
 * was paused stays paused. */
static ay_rc carry_pause(struct db *db, int64_t ticket_id,
			 const struct level *l, const struct running *old)
{
	const struct sla_calendar *cal;
	struct running t;
	ay_rc rc;

	if (!old->paused && !old->paused_at)
		return AY_OK;
	rc = running_target(db, ticket_id, &t);
	if (!rc && t.found)
		rc = sla_calendar_get(db, l->calendar, &cal);
	if (rc || !t.found)
		return rc;
	t.due = due_add(cal, t.due, old->paused, l->clock);
	t.warn = due_add(cal, t.warn, old->paused, l->clock);
	if (t.due == SLA_TIME_INVALID || t.warn == SLA_TIME_INVALID)
		return AY_EINVAL;
	return db_run(db, NULL, NULL,
		      "UPDATE sla_targets SET due_at = $1, warn_at = $2,"
		      " paused_seconds = $3, paused_at = $4 WHERE id = $5",
		      "iiiIi", t.due, t.warn, old->paused, old->paused_at,
		      t.id);
}

/* Replace the ticket's unmet targets by those of level l. A running
 * response clock restarts under the new level from the moment the customer
 * has been waiting (its pauses kept); a level that gets a clock (an
 * unidentified requester identified, say) starts one now if the customer
 * awaits an answer; a level without a clock stops it; development starts
 * its review period now. */
static ay_rc retarget(struct db *db, int64_t ticket_id, const struct level *l,
		      int64_t at)
{
	struct running t;
	bool waiting = false;
	ay_rc rc;

	rc = running_target(db, ticket_id, &t);
	if (!rc)
		rc = db_run(db, NULL, NULL,
			    "DELETE FROM sla_targets WHERE ticket_id = $1 AND"
			    " met_at IS NULL",
			    "i", ticket_id);
	if (rc)
		return rc;
	if (l->review_days > 0 && l->minutes <= 0)
		return start_target(db, ticket_id, l, at);
	if (l->minutes <= 0)
		return sync_ticket_due(db, ticket_id);
	if (t.found) {
		rc = start_target(db, ticket_id, l, t.started);
		if (!rc)
			rc = carry_pause(db, ticket_id, l, &t);
		return rc ? rc : sync_ticket_due(db, ticket_id);
	}
	rc = awaiting_answer(db, ticket_id, &waiting);
	if (rc || !waiting)
		return rc ? rc : sync_ticket_due(db, ticket_id);
	rc = start_target(db, ticket_id, l, at);
	return rc ? rc : pause_if_stopped(db, ticket_id, at);
}

ay_rc sla_reassess(struct db *db, int64_t actor_id, int64_t ticket_id,
		   int64_t at)
{
	struct db_stmt *s = NULL;
	struct sla_pick pick;
	struct level l;
	char category[32], old[32];
	int64_t requester;
	bool row = false;
	json_t *data;
	ay_rc rc;

	rc = db_run(db, &s, &row,
		    "SELECT t.requester_id, t.category, t.sla_level FROM"
		    " tickets t WHERE t.id = $1",
		    "i", ticket_id);
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	requester = db_col_int(s, 0);
	snprintf(category, sizeof(category), "%s", db_col_text(s, 1));
	snprintf(old, sizeof(old), "%s", db_col_text(s, 2));
	db_reset(s);
	rc = sla_pick_for_ticket(db, requester, category, at, &pick);
	if (rc || !strcmp(pick.level, old))
		return rc;
	rc = db_run(db, NULL, NULL,
		    "UPDATE tickets SET sla_level = $1, sla_reason = $2,"
		    " sla_level_id = $3 WHERE id = $4",
		    "ssii", pick.level, pick.reason, pick.level_id, ticket_id);
	if (!rc)
		rc = level_by_id(db, pick.level_id, &l);
	if (!rc)
		rc = retarget(db, ticket_id, &l, at);
	if (rc)
		return rc;
	data = json_pack("{s:s,s:s,s:s}", "from", old, "to", pick.level,
			 "reason", pick.reason);
	if (!data)
		return AY_ENOMEM;
	rc = event_add(db, ticket_id, actor_id, "sla.level", data);
	json_decref(data);
	return rc;
}

static ay_rc notify_requester(struct db *db, int64_t ticket_id,
			      const char *kind, json_t *payload)
{
	struct db_stmt *s = NULL;
	bool row = false;
	char email[256] = "";
	ay_rc rc = db_run(db, &s, &row,
			  "SELECT u.email FROM tickets t JOIN users u ON"
			  " u.id = t.requester_id WHERE t.id = $1",
			  "i", ticket_id);

	if (rc)
		return rc;
	if (row)
		snprintf(email, sizeof(email), "%s", db_col_text(s, 0));
	db_reset(s);
	return outbox_add(db, kind, ticket_id, email, payload);
}

ay_rc sla_extend_review(struct db *db, const struct actor *a, int64_t number,
			struct verr *err)
{
	struct db_stmt *s = NULL;
	int64_t tid, target, due, days;
	bool row = false;
	json_t *data;
	ay_rc rc;

	if (!actor_is_staff(a))
		return AY_ENOTFOUND;
	rc = ticket_lookup(db, a, number, &tid);
	if (rc)
		return rc;
	rc = db_run(db, &s, &row,
		    "SELECT st.id, st.due_at, COALESCE(l.review_days, 60)"
		    " FROM sla_targets st JOIN sla_levels l ON l.id ="
		    " st.level_id WHERE st.ticket_id = $1 AND st.kind ="
		    " 'review' AND st.met_at IS NULL ORDER BY st.id DESC"
		    " LIMIT 1",
		    "i", tid);
	if (rc)
		return rc;
	if (!row) {
		verr_set(err, "sla", "el ticket no está escalado a desarrollo");
		return AY_EINVAL;
	}
	target = db_col_int(s, 0);
	due = db_col_int(s, 1) + db_col_int(s, 2) * 86400;
	days = db_col_int(s, 2);
	db_reset(s);
	rc = db_run(db, NULL, NULL,
		    "UPDATE sla_targets SET due_at = $1, warn_at = $1,"
		    " warned_at = NULL WHERE id = $2",
		    "ii", due, target);
	if (!rc)
		rc = sync_ticket_due(db, tid);
	if (rc)
		return rc;
	data = json_pack("{s:I,s:I,s:I}", "number", (json_int_t)number,
			 "review_due_at", (json_int_t)due, "days",
			 (json_int_t)days);
	if (!data)
		return AY_ENOMEM;
	rc = event_add(db, tid, a->user_id, "development.extended", data);
	if (!rc)
		rc = notify_requester(db, tid, "development_extended", data);
	json_decref(data);
	return rc;
}

/* --- the API view --- */

ay_rc sla_ticket_json(struct db *db, int64_t ticket_id, int64_t now,
		      json_t **out)
{
	const struct sla_calendar *cal = NULL;
	struct db_stmt *s = NULL;
	int64_t due = 0, paused = 0, met = 0, started = 0, rem;
	char level[32], reason[320], cal_name[64] = "lima", iso[48];
	char kind[16] = "";
	enum sla_clock clock = SLA_CLOCK_BUSINESS;
	const char *state = "none";
	bool row = false, has_target = false;
	json_t *o;
	ay_rc rc;

	*out = NULL;
	rc = db_run(db, &s, &row,
		    "SELECT t.sla_level, t.sla_reason, COALESCE(l.calendar,"
		    " 'lima'), COALESCE(l.clock, 'business'), st.kind,"
		    " st.started_at, st.due_at, COALESCE(st.paused_at, 0),"
		    " COALESCE(st.met_at, 0), COALESCE(l.version, 0),"
		    " COALESCE(l.name_es, t.sla_level)"
		    " FROM tickets t"
		    " LEFT JOIN sla_levels l ON l.id = t.sla_level_id"
		    " LEFT JOIN sla_targets st ON st.id = (SELECT MAX(id) FROM"
		    "  sla_targets WHERE ticket_id = t.id)"
		    " WHERE t.id = $1",
		    "i", ticket_id);
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	snprintf(level, sizeof(level), "%s", db_col_text(s, 0));
	snprintf(reason, sizeof(reason), "%s", db_col_text(s, 1));
	snprintf(cal_name, sizeof(cal_name), "%s", db_col_text(s, 2));
	clock = strcmp(db_col_text(s, 3), "calendar") ? SLA_CLOCK_BUSINESS
						      : SLA_CLOCK_CALENDAR;
	if (!db_col_null(s, 4)) {
		has_target = true;
		snprintf(kind, sizeof(kind), "%s", db_col_text(s, 4));
		started = db_col_int(s, 5);
		due = db_col_int(s, 6);
		paused = db_col_int(s, 7);
		met = db_col_int(s, 8);
	}
	o = json_pack("{s:s,s:s,s:s,s:I}", "level", level, "name",
		      db_col_text(s, 10), "reason", reason, "policy_version",
		      (json_int_t)db_col_int(s, 9));
	db_reset(s);
	if (!o)
		return AY_ENOMEM;
	if (!has_target) {
		json_object_set_new(o, "due_at", json_null());
		json_object_set_new(o, "remaining_minutes", json_null());
		json_object_set_new(o, "state", json_string("none"));
		*out = o;
		return AY_OK;
	}
	rc = sla_calendar_get(db, cal_name, &cal);
	if (rc) {
		json_decref(o);
		return rc;
	}
	if (!strcmp(kind, "review"))
		clock = SLA_CLOCK_CALENDAR;
	if (met) {
		state = met <= due ? "met" : "breached";
		rem = 0;
	} else if (paused) {
		state = "paused";
		rem = elapsed(cal, paused, due, clock);
	} else if (now <= due) {
		state = "running";
		rem = elapsed(cal, now, due, clock);
	} else if (!strcmp(kind, "review")) {
		/* A review past its date is overdue work, not a breach: the
		 * development level has no response clock. */
		state = "running";
		rem = -elapsed(cal, due, now, clock);
	} else {
		state = "breached";
		rem = -elapsed(cal, due, now, clock);
	}
	if (sla_format_iso8601(cal, due, iso, sizeof(iso)))
		ay_iso_utc(due, iso);
	json_object_set_new(o, "due_at", json_string(iso));
	json_object_set_new(o, "remaining_minutes",
			    met ? json_null() : json_integer(rem / 60));
	json_object_set_new(o, "state", json_string(state));
	json_object_set_new(o, "target", json_string(kind));
	if (sla_format_iso8601(cal, started, iso, sizeof(iso)))
		ay_iso_utc(started, iso);
	json_object_set_new(o, "started_at", json_string(iso));
	*out = o;
	return AY_OK;
}

/* --- jobs --- */

/* Rows handled per query; a job repeats its query until it comes back
 * short, so a backlog (a server down for days) is cleared in one run. */
#define MAX_BATCH 500

/* Solved and closed tickets owe nothing (their clock is stopped). */
#define OPEN_TICKET " t.status NOT IN ('resolved', 'closed')"

static ay_rc notify_staff(struct db *db, int64_t ticket_id, const char *kind,
			  json_t *payload)
{
	struct db_stmt *s = NULL;
	char *emails[64];
	size_t n = 0;
	bool row = false;
	ay_rc rc;

	rc = db_run(db, &s, &row,
		    "SELECT u.email FROM users u WHERE u.disabled = 0 AND"
		    " (u.role = 'supervisor' OR u.id = (SELECT assignee_id"
		    " FROM tickets WHERE id = $1)) ORDER BY u.id",
		    "i", ticket_id);
	while (!rc && row && n < AY_ARRAY_LEN(emails)) {
		emails[n] = strdup(db_col_text(s, 0));
		if (emails[n])
			n++;
		rc = db_step(s, &row);
	}
	db_reset(s);
	for (size_t i = 0; i < n; i++) {
		if (!rc)
			rc = outbox_add(db, kind, ticket_id, emails[i],
					payload);
		free(emails[i]);
	}
	return rc;
}

/* Collect (target id, ticket id, number) rows for a job query. */
static ay_rc collect(struct db *db, const char *sql, int64_t now,
		     int64_t (*rows)[3], size_t *n)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc = db_run(db, &s, &row, sql, "i", now);

	*n = 0;
	while (!rc && row && *n < MAX_BATCH) {
		rows[*n][0] = db_col_int(s, 0);
		rows[*n][1] = db_col_int(s, 1);
		rows[*n][2] = db_col_int(s, 2);
		(*n)++;
		rc = db_step(s, &row);
	}
	db_reset(s);
	return rc;
}

/* A job over targets: the due rows, how to mark one done, its event and
 * the notice queued for staff or for the requester. */
struct target_job {
	const char *select, *update, *event, *notice;
	bool to_staff;
};

/* Handle one row (target id, ticket id, number) of a target job. */
static ay_rc job_target_row(struct db *db, const struct target_job *job,
			    const int64_t row[3], int64_t now, int *done)
{
	json_t *p = json_pack("{s:I}", "number", (json_int_t)row[2]);
	ay_rc rc;

	if (!p)
		return AY_ENOMEM;
	rc = db_run(db, NULL, NULL, job->update, "ii", now, row[0]);
	if (!rc)
		rc = event_add(db, row[1], 0, job->event, p);
	if (!rc)
		rc = job->to_staff
			     ? notify_staff(db, row[1], job->notice, p)
			     : notify_requester(db, row[1], job->notice, p);
	json_decref(p);
	(*done)++;
	return rc;
}

static ay_rc job_targets(struct db *db, int64_t now, int *done)
{
	static const struct target_job jobs[] = {
		{"SELECT st.id, st.ticket_id, t.number FROM sla_targets st"
		 " JOIN tickets t ON t.id = st.ticket_id WHERE st.kind ="
		 " 'response' AND st.met_at IS NULL AND st.paused_at IS NULL"
		 " AND st.warned_at IS NULL AND st.breached_at IS NULL AND"
		 " st.warn_at <= $1 AND st.due_at > $1 AND" OPEN_TICKET
		 " ORDER BY st.id LIMIT 500",
		 "UPDATE sla_targets SET warned_at = $1 WHERE id = $2",
		 "sla.warning", "sla_warning", true},
		{"SELECT st.id, st.ticket_id, t.number FROM sla_targets st"
		 " JOIN tickets t ON t.id = st.ticket_id WHERE st.kind ="
		 " 'response' AND st.met_at IS NULL AND st.paused_at IS NULL"
		 " AND st.breached_at IS NULL AND st.due_at <= $1 "
		 "AND" OPEN_TICKET " ORDER BY st.id LIMIT 500",
		 "UPDATE sla_targets SET breached_at = $1 WHERE id = $2",
		 "sla.breached", "sla_breach", true},
		{"SELECT st.id, st.ticket_id, t.number FROM sla_targets st"
		 " JOIN tickets t ON t.id = st.ticket_id WHERE st.kind ="
		 " 'review' AND st.met_at IS NULL AND st.warned_at IS NULL"
		 " AND st.due_at <= $1 AND" OPEN_TICKET
		 " ORDER BY st.id LIMIT 500",
		 "UPDATE sla_targets SET warned_at = $1 WHERE id = $2",
		 "development.review_due", "development_review", false},
	};
	int64_t(*rows)[3] = calloc(MAX_BATCH, sizeof(*rows));
	ay_rc rc = AY_OK;

	if (!rows)
		return AY_ENOMEM;

	for (size_t j = 0; !rc && j < AY_ARRAY_LEN(jobs); j++) {
		size_t n = MAX_BATCH;

		/* Each row handled leaves the query's result, so asking again
		 * returns the next batch. */
		while (!rc && n == MAX_BATCH) {
			rc = collect(db, jobs[j].select, now, rows, &n);
			for (size_t i = 0; !rc && i < n; i++)
				rc = job_target_row(db, &jobs[j], rows[i], now,
						    done);
		}
	}
	free(rows);
	return rc;
}

struct pend {
	int64_t id, number, since;
	char cal[64];
	bool reminded;
};

/* Remind or auto-close one ticket waiting for its customer. */
static ay_rc job_pending_row(struct db *db, const struct sla_job_conf *c,
			     const struct pend *t, int64_t now, int *done)
{
	const struct sla_calendar *cal;
	int64_t used, day = (int64_t)c->business_day_minutes * 60;
	bool close, remind;
	json_t *p;
	ay_rc rc;

	rc = sla_calendar_get(db, t->cal, &cal);
	if (rc)
		return rc;
	used = sla_open_seconds(cal, t->since, now);
	close = used >= c->close_days * day;
	remind = !close && !t->reminded && used >= c->reminder_days * day;
	if (!close && !remind)
		return AY_OK;
	p = json_pack("{s:I,s:i}", "number", (json_int_t)t->number, "days",
		      close ? c->close_days : c->reminder_days);
	if (!p)
		return AY_ENOMEM;
	if (close) {
		struct actor sys = {.role = ROLE_ADMIN};
		struct ticket_change ch = {.status = "closed"};
		struct verr e;

		rc = ticket_update(db, &sys, t->number, &ch, &e);
		if (!rc)
			rc = event_add(db, t->id, 0, "ticket.auto_closed", p);
		if (!rc)
			rc = notify_requester(db, t->id, "pending_closed", p);
	} else {
		rc = db_run(db, NULL, NULL,
			    "UPDATE tickets SET pending_reminded_at = $1"
			    " WHERE id = $2",
			    "ii", now, t->id);
		if (!rc)
			rc = event_add(db, t->id, 0, "ticket.pending_reminder",
				       p);
		if (!rc)
			rc = notify_requester(db, t->id, "pending_reminder", p);
	}
	json_decref(p);
	(*done)++;
	return rc;
}

/* Every ticket in pending_customer, in pages by id: the business time
 * waited is not something SQL can compute, so each is looked at. */
static ay_rc job_pending(struct db *db, const struct sla_job_conf *c,
			 int64_t now, int *done)
{
	struct pend *rows = calloc(MAX_BATCH, sizeof(*rows));
	int64_t after = 0;
	size_t n = MAX_BATCH;
	ay_rc rc = AY_OK;

	if (!rows)
		return AY_ENOMEM;
	while (!rc && n == MAX_BATCH) {
		struct db_stmt *s = NULL;
		bool row = false;

		n = 0;
		rc = db_run(db, &s, &row,
			    "SELECT t.id, t.number, t.pending_since,"
			    " COALESCE(l.calendar, 'lima'),"
			    " t.pending_reminded_at FROM tickets t"
			    " LEFT JOIN sla_levels l ON l.id = t.sla_level_id"
			    " WHERE t.status = 'pending_customer' AND"
			    " t.pending_since IS NOT NULL AND t.id > $1"
			    " ORDER BY t.id LIMIT 500",
			    "i", after);
		while (!rc && row && n < MAX_BATCH) {
			rows[n].id = db_col_int(s, 0);
			rows[n].number = db_col_int(s, 1);
			rows[n].since = db_col_int(s, 2);
			snprintf(rows[n].cal, sizeof(rows[n].cal), "%s",
				 db_col_text(s, 3));
			rows[n].reminded = !db_col_null(s, 4);
			n++;
			rc = db_step(s, &row);
		}
		db_reset(s);
		for (size_t i = 0; !rc && i < n; i++)
			rc = job_pending_row(db, c, &rows[i], now, done);
		if (n)
			after = rows[n - 1].id;
	}
	free(rows);
	return rc;
}

ay_rc sla_jobs_run(struct db *db, const struct sla_job_conf *c, int64_t now,
		   int *done)
{
	ay_rc rc;

	*done = 0;
	rc = job_targets(db, now, done);
	if (!rc)
		rc = job_pending(db, c, now, done);
	return rc;
}
