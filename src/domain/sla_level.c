/* SLA levels (versioned policy rows, seeded with the defaults) and the
 * rules that assign one to a ticket. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "domain/company_ids.h"
#include "domain/sla_int.h"
#include "util/log.h"

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
			" review_days, closes, created_at, license_email_only)"
			" VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8, $9,"
			" CASE WHEN $1 = 'commercial' THEN 1 ELSE 0 END)"
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
	sla_new_rev(rev);
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

ay_rc sla_level_current(struct db *db, const char *code, struct level *l)
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

ay_rc sla_level_by_id(struct db *db, int64_t id, struct level *l)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc = db_run(db, &s, &row, LEVEL_COLS " WHERE id = $1", "i", id);

	if (rc)
		return rc;
	return row ? level_row(s, l) : AY_ENOTFOUND;
}

/* The fields of a level an admin sets (PATCH, the admin console); the
 * others (code, closes) are fixed by the policy. */
static const char *const edit_keys[] = {
	"name_es",  "name_en",		"desc_es",
	"desc_en",  "response_minutes", "clock",
	"calendar", "review_days",	"license_email_only",
};

/* The longest name and description, in characters (names are shown in
 * tables and mail subjects). */
#define LEVEL_NAME_MAX 80
#define LEVEL_DESC_MAX 500

static bool is_edit_key(const char *key)
{
	for (size_t i = 0; i < AY_ARRAY_LEN(edit_keys); i++)
		if (!strcmp(key, edit_keys[i]))
			return true;
	return false;
}

/* Characters (not bytes) of a UTF-8 string. */
static size_t utf8_chars(const char *p)
{
	size_t n = 0;

	for (; *p; p++)
		n += ((unsigned char)*p & 0xC0) != 0x80;
	return n;
}

static bool text_ok(json_t *v, size_t max)
{
	const char *p = json_string_value(v);

	if (!p)
		return false;
	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	return *p && utf8_chars(json_string_value(v)) <= max;
}

static bool count_ok(json_t *v, json_int_t max)
{
	return json_is_null(v) ||
	       (json_is_integer(v) && json_integer_value(v) > 0 &&
		json_integer_value(v) <= max);
}

/* Whether v is an acceptable new value of field key of level code; if not,
 * err says what is expected, for the person filling the form. */
static bool level_value_ok(struct db *db, const char *code, const char *key,
			   json_t *v, struct verr *err)
{
	const struct sla_calendar *cal;
	char msg[200];

	if (!is_edit_key(key)) {
		snprintf(msg, sizeof(msg), "campo desconocido: «%.64s»", key);
		verr_set(err, key, msg);
		return false;
	}
	if (!strncmp(key, "name_", 5) && !text_ok(v, LEVEL_NAME_MAX)) {
		verr_set(err, key,
			 "escriba el nombre del nivel (hasta 80 caracteres)");
		return false;
	}
	if (!strncmp(key, "desc_", 5) && !text_ok(v, LEVEL_DESC_MAX)) {
		verr_set(err, key,
			 "escriba la descripción del nivel (hasta 500 "
			 "caracteres)");
		return false;
	}
	if (!strcmp(key, "response_minutes") && !count_ok(v, 525600)) {
		verr_set(err, key,
			 "el plazo de respuesta es un número entero de "
			 "minutos entre 1 y 525600 (un año), o null: sin "
			 "plazo");
		return false;
	}
	if (!strcmp(key, "review_days") && !count_ok(v, 3650)) {
		verr_set(err, key,
			 "la revisión es un número entero de días entre 1 y "
			 "3650, o null: sin revisión");
		return false;
	}
	if (!strcmp(key, "clock") &&
	    (!json_is_string(v) ||
	     (strcmp(json_string_value(v), "business") &&
	      strcmp(json_string_value(v), "calendar")))) {
		verr_set(err, key,
			 "el reloj es «business» (horas hábiles del "
			 "calendario) o «calendar» (horas corridas)");
		return false;
	}
	if (!strcmp(key, "calendar")) {
		if (!json_is_string(v) ||
		    sla_calendar_get(db, json_string_value(v), &cal)) {
			snprintf(msg, sizeof(msg),
				 "no existe el calendario «%.64s»",
				 json_is_string(v) ? json_string_value(v) : "");
			verr_set(err, key, msg);
			return false;
		}
		sla_calendar_release(cal);
	}
	if (!strcmp(key, "license_email_only") && !json_is_boolean(v)) {
		verr_set(err, key, "se espera true o false");
		return false;
	}
	if (!strcmp(key, "license_email_only") && strcmp(code, "commercial")) {
		verr_set(err, key,
			 "solo el nivel comercial exige la dirección de la "
			 "licencia");
		return false;
	}
	return true;
}

/* Insert the current version l of a level with `changes` applied as its
 * next version, made by actor_id; *id gets the new row. */
static ay_rc level_insert_version(struct db *db, const struct level *l,
				  json_t *changes, int64_t actor_id,
				  int64_t *id)
{
	json_t *email_only = json_object_get(changes, "license_email_only");
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	*id = 0;
	rc = db_run(
		db, &s, &row,
		"INSERT INTO sla_levels (code, version, name_es, name_en,"
		" desc_es, desc_en, response_minutes, clock, calendar,"
		" review_days, closes, created_at, license_email_only,"
		" created_by)"
		" SELECT code, version + 1,"
		" COALESCE($2, name_es), COALESCE($3, name_en),"
		" COALESCE($4, desc_es), COALESCE($5, desc_en),"
		" CASE WHEN $6 = 1 THEN $7 ELSE response_minutes END,"
		" COALESCE($8, clock), COALESCE($9, calendar),"
		" CASE WHEN $10 = 1 THEN $11 ELSE review_days END,"
		" closes, $12, CASE WHEN $13 < 0 THEN license_email_only"
		" ELSE $13 END, $14 FROM sla_levels WHERE id = $1 RETURNING id",
		"issssiIssiIiiI", l->id,
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
		ay_now(), (int64_t)(email_only ? json_is_true(email_only) : -1),
		actor_id);
	if (!rc && row)
		*id = db_col_int(s, 0);
	db_reset(s);
	if (!rc)
		rc = db_run(db, NULL, NULL,
			    "UPDATE sla_levels SET current = 0 WHERE id = $1",
			    "i", l->id);
	return rc ? rc : *id ? AY_OK : AY_EDB;
}

/* Borrowed: the level `code` in a list of sla_levels_json(), or JSON
 * null. */
static json_t *level_in(json_t *list, const char *code)
{
	for (size_t i = 0; i < json_array_size(list); i++) {
		json_t *l = json_array_get(list, i);

		if (!strcmp(json_string_value(json_object_get(l, "code")),
			    code))
			return l;
	}
	return json_null();
}

/* Check every change of level code (and "base_version", the version the
 * editor started from, when given); *changed says whether any differs from
 * the current version `cur` (a field of sla_level_fields()). */
static ay_rc check_changes(struct db *db, const char *code, json_t *changes,
			   json_t *cur, bool *changed, struct verr *err)
{
	json_t *base = json_object_get(changes, "base_version"), *v;
	const char *key;
	char msg[200];

	*changed = false;
	if (!json_is_object(changes) ||
	    json_object_size(changes) <= (base ? 1u : 0u)) {
		verr_set(err, "level", "indique los campos a cambiar");
		return AY_EINVAL;
	}
	if (base && !json_is_integer(base)) {
		verr_set(err, "base_version",
			 "se espera el número de la versión editada");
		return AY_EINVAL;
	}
	json_object_foreach (changes, key, v) {
		if (!strcmp(key, "base_version"))
			continue;
		if (!level_value_ok(db, code, key, v, err))
			return AY_EINVAL;
		if (!json_equal(v, json_object_get(cur, key)))
			*changed = true;
	}
	if (base &&
	    json_integer_value(base) !=
		    json_integer_value(json_object_get(cur, "version"))) {
		snprintf(msg, sizeof(msg),
			 "el nivel cambió mientras lo editaba: ahora está en "
			 "la versión %lld; vuelva a cargarlo",
			 (long long)json_integer_value(
				 json_object_get(cur, "version")));
		verr_set(err, "base_version", msg);
		return AY_ECONFLICT;
	}
	return AY_OK;
}

/* Copy the current version of code with the changes applied as a new
 * version; tickets keep the version they were given. A save that changes
 * nothing makes no version. */
ay_rc sla_level_edit(struct db *db, int64_t actor_id, const char *code,
		     json_t *changes, struct verr *err)
{
	json_t *before = NULL, *after = NULL, *cur = NULL;
	struct level l;
	int64_t newid;
	bool changed = false;
	ay_rc rc;

	rc = sla_level_current(db, code, &l);
	if (!rc)
		rc = sla_level_fields(db, l.id, &cur);
	if (!rc)
		rc = check_changes(db, code, changes, cur, &changed, err);
	json_decref(cur);
	if (rc || !changed)
		return rc;
	rc = sla_levels_json(db, &before);
	if (!rc)
		rc = level_insert_version(db, &l, changes, actor_id, &newid);
	if (!rc)
		rc = sla_levels_json(db, &after);
	/* The event keeps only this level, before and after. */
	if (!rc)
		rc = event_add_change(db, actor_id, "sla_level.changed",
				      "level", code, level_in(before, code),
				      level_in(after, code));
	json_decref(before);
	json_decref(after);
	return rc;
}

/* --- assignment rules --- */

struct requester {
	bool has_company, contact, partner_active;
	char company[160], tier[16], product[24], plan[24], lstatus[16];
	char email[256];
	int64_t expires;
	/* Policy 7.15: the commercial level only from a licence address. */
	bool addr_rule;	       /* the commercial level's setting */
	bool license_addr;     /* the requester writes from one */
	bool any_license_addr; /* the company registered any */
	bool confirmed;	       /* an agent confirmed it on the ticket */
};

static ay_rc load_requester(struct db *db, int64_t user_id, struct requester *r)
{
	struct db_stmt *s = NULL;
	int64_t company;
	bool row = false;
	ay_rc rc;

	memset(r, 0, sizeof(*r));
	rc = db_run(db, &s, &row,
		    "SELECT u.is_contact, c.id, c.name, c.partner_active,"
		    " COALESCE(c.partner_tier, ''),"
		    " COALESCE(c.license_product, ''),"
		    " COALESCE(c.license_plan, ''),"
		    " COALESCE(c.license_status, ''),"
		    " COALESCE(c.license_expires_at, 0), u.email,"
		    " (SELECT license_email_only FROM sla_levels"
		    "  WHERE code = 'commercial' AND current = 1)"
		    " FROM users u LEFT JOIN companies c ON c.id = u.company_id"
		    " WHERE u.id = $1",
		    "i", user_id);
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	company = db_col_null(s, 1) ? 0 : db_col_int(s, 1);
	snprintf(r->email, sizeof(r->email), "%s", db_col_text(s, 9));
	r->addr_rule = db_col_int(s, 10) != 0;
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
	if (!company)
		return AY_OK;
	return company_ids_is_license_email(
		db, company, r->email, &r->license_addr, &r->any_license_addr);
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

/* Say why, in Spanish (fes) and English (fen), with the same arguments. */
static void say(struct sla_pick *out, const char *fes, const char *fen, ...)
	AY_PRINTF(3, 4);
static void say(struct sla_pick *out, const char *fes, const char *fen, ...)
{
	va_list ap, ap2;

	va_start(ap, fen);
	va_copy(ap2, ap);
	vsnprintf(out->reason, sizeof(out->reason), fes, ap);
	vsnprintf(out->reason_en, sizeof(out->reason_en), fen, ap2);
	va_end(ap2);
	va_end(ap);
}

/* The level code and reason (es, en) for a requester and category. */
static void choose(const struct requester *r, const char *category, int64_t now,
		   struct sla_pick *out)
{
	static const char *const tier_es[][2] = {
		{"gold", "oro"}, {"silver", "plata"}, {"bronze", "bronce"}};
	char *code = out->level;

	if (category && !strcmp(category, "out_of_scope")) {
		snprintf(code, 32, "out_of_scope");
		say(out, "consulta fuera del alcance del soporte",
		    "question outside the scope of support");
		return;
	}
	if (category && !strcmp(category, "development")) {
		snprintf(code, 32, "development");
		say(out, "escalado a desarrollo del fabricante",
		    "escalated to the vendor's development team");
		return;
	}
	if (r->has_company && r->partner_active && r->tier[0]) {
		const char *t = r->tier;

		for (size_t i = 0; i < AY_ARRAY_LEN(tier_es); i++)
			if (!strcmp(r->tier, tier_es[i][0]))
				t = tier_es[i][1];
		snprintf(code, 32, "partner_%s", r->tier);
		snprintf(out->reason, sizeof(out->reason),
			 "partner %.16s, compañía %.120s", t, r->company);
		snprintf(out->reason_en, sizeof(out->reason_en),
			 "%.16s partner, %.120s", r->tier, r->company);
		return;
	}
	if (r->has_company && commercial_license(r, now) && r->contact &&
	    (!r->addr_rule || r->license_addr || r->confirmed)) {
		bool confirmed = r->addr_rule && !r->license_addr;

		snprintf(code, 32, "commercial");
		say(out,
		    "licencia comercial activa (%.20s%s%.20s), contacto de "
		    "soporte de %.120s%s",
		    "active commercial licence (%.20s%s%.20s), support contact "
		    "of %.120s%s",
		    r->product, r->plan[0] ? " " : "", r->plan, r->company, "");
		if (confirmed) {
			strncat(out->reason,
				"; un agente confirmó la dirección",
				sizeof(out->reason) - strlen(out->reason) - 1);
			strncat(out->reason_en,
				"; an agent confirmed the address",
				sizeof(out->reason_en) -
					strlen(out->reason_en) - 1);
		}
		return;
	}
	if (r->has_company && free_plan(r)) {
		snprintf(code, 32, "non_commercial");
		say(out, "plan %.20s, compañía %.120s", "%.20s plan, %.120s",
		    r->plan, r->company);
		return;
	}
	snprintf(code, 32, "unidentified");
	if (r->has_company && commercial_license(r, now) && r->contact &&
	    !r->any_license_addr)
		say(out,
		    "%.120s no tiene registrada la dirección de su licencia; "
		    "el "
		    "nivel comercial solo se asigna desde ella",
		    "%.120s has no licence address registered; the commercial "
		    "level is given only from it",
		    r->company);
	else if (r->has_company && commercial_license(r, now) && r->contact)
		say(out,
		    "la dirección no es la registrada en la licencia de %.120s "
		    "(%.120s)",
		    "the address is not the one registered with the licence of "
		    "%.120s (%.120s)",
		    r->company, r->email);
	else if (r->has_company && commercial_license(r, now))
		say(out, "no es contacto de soporte avalado de %.120s",
		    "not an endorsed support contact of %.120s", r->company);
	else if (r->has_company)
		say(out, "%.120s sin licencia activa reconocida",
		    "%.120s has no recognised active licence", r->company);
	else
		say(out, "solicitante sin identificar",
		    "requester not identified");
}

ay_rc sla_license_address_missing(struct db *db, int64_t ticket_id,
				  bool *missing)
{
	struct db_stmt *s = NULL;
	struct requester r;
	int64_t requester;
	bool row = false, unidentified;
	ay_rc rc;

	*missing = false;
	rc = db_run(db, &s, &row,
		    "SELECT requester_id, sla_level = 'unidentified'"
		    " AND license_confirmed_by IS NULL FROM tickets"
		    " WHERE id = $1",
		    "i", ticket_id);
	if (rc || !row)
		return rc ? rc : AY_ENOTFOUND;
	requester = db_col_int(s, 0);
	unidentified = db_col_int(s, 1) != 0;
	db_reset(s);
	if (!unidentified)
		return AY_OK;
	rc = load_requester(db, requester, &r);
	if (!rc)
		*missing = r.has_company && r.contact && r.addr_rule &&
			   !r.license_addr && commercial_license(&r, ay_now());
	return rc;
}

ay_rc sla_pick_for_ticket(struct db *db, int64_t requester_id,
			  const char *category, bool confirmed, int64_t start,
			  struct sla_pick *out)
{
	struct requester r;
	struct level l;
	ay_rc rc;

	memset(out, 0, sizeof(*out));
	rc = load_requester(db, requester_id, &r);
	if (rc)
		return rc;
	r.confirmed = confirmed;
	choose(&r, category, start, out);
	rc = sla_level_current(db, out->level, &l);
	if (rc)
		return rc == AY_ENOTFOUND ? AY_EDB : rc;
	out->level_id = l.id;
	return AY_OK;
}
