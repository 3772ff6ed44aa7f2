/* Shared domain helpers: roles, actors, time, UTF-8, events, outbox. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sodium.h>

#include "domain/access.h"
#include "domain/common.h"
#include "util/log.h"
#include "util/testhooks.h"

static const char *const role_names[] = {
	[ROLE_NONE] = "none",	[ROLE_CUSTOMER] = "customer",
	[ROLE_AGENT] = "agent", [ROLE_SUPERVISOR] = "supervisor",
	[ROLE_ADMIN] = "admin",
};

const char *role_name(enum role r)
{
	return (size_t)r < AY_ARRAY_LEN(role_names) ? role_names[r] : "none";
}

enum role role_parse(const char *s)
{
	for (size_t i = 1; s && i < AY_ARRAY_LEN(role_names); i++)
		if (strcmp(s, role_names[i]) == 0)
			return (enum role)i;
	return ROLE_NONE;
}

bool actor_is_staff(const struct actor *a)
{
	return a->role == ROLE_AGENT || a->role == ROLE_SUPERVISOR ||
	       a->role == ROLE_ADMIN;
}

ay_rc actor_load(struct db *db, int64_t user_id, struct actor *a)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	memset(a, 0, sizeof(*a));
	rc = db_run(db, &s, &row,
		    "SELECT role, COALESCE(company_id, 0), is_contact, lang"
		    " FROM users WHERE id = $1 AND disabled = 0",
		    "i", user_id);
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	a->user_id = user_id;
	a->role = role_parse(db_col_text(s, 0));
	a->company_id = db_col_int(s, 1);
	a->is_contact = db_col_int(s, 2) != 0;
	snprintf(a->lang, sizeof(a->lang), "%s",
		 strcmp(db_col_text(s, 3), "en") ? "es" : "en");
	db_reset(s);
	return AY_OK;
}

int64_t ay_now(void)
{
	int64_t fake = ay_test_now();

	return fake ? fake : (int64_t)time(NULL);
}

void ay_iso_utc(int64_t t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

bool ay_utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		uint32_t cp;

		if (c == 0)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0) {
			n = 1;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		for (size_t k = 1; k <= n; k++) {
			if (i + k >= len || (s[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
		    (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n + 1;
	}
	return true;
}

ay_rc event_add(struct db *db, int64_t ticket_id, int64_t actor_id,
		const char *kind, json_t *data)
{
	char *text = data ? json_dumps(data, JSON_COMPACT) : NULL;
	ay_rc rc;

	if (data && !text)
		return AY_ENOMEM;
	rc = db_write_ahead(db,
			    "INSERT INTO events (ticket_id, actor_id, kind,"
			    " data, created_at) VALUES ($1, $2, $3, $4, $5)",
			    "IIssi", ticket_id, actor_id, kind,
			    text ? text : "{}", ay_now());
	free(text);
	return rc;
}

ay_rc event_add_change(struct db *db, int64_t actor_id, const char *kind,
		       const char *key, const char *name, json_t *before,
		       json_t *after)
{
	json_t *data = json_pack("{s:s,s:O,s:O}", key, name, "before", before,
				 "after", after);
	ay_rc rc = data ? event_add(db, 0, actor_id, kind, data) : AY_ENOMEM;

	json_decref(data);
	return rc;
}

json_t *event_row_json(struct db_stmt *s, void *arg)
{
	json_t *data = json_loads(db_col_text(s, 2), 0, NULL);

	(void)arg;
	return json_pack("{s:I,s:s,s:o,s:o,s:o}", "id",
			 (json_int_t)db_col_int(s, 0), "kind",
			 db_col_text(s, 1), "data", data ? data : json_object(),
			 "actor",
			 db_col_null(s, 3) ? json_null()
					   : json_integer(db_col_int(s, 3)),
			 "at", json_col_time(s, 4));
}

ay_rc outbox_add(struct db *db, const char *kind, int64_t ticket_id,
		 const char *recipient, json_t *payload)
{
	char *text = payload ? json_dumps(payload, JSON_COMPACT) : NULL;
	int64_t now = ay_now();
	ay_rc rc;

	if (payload && !text)
		return AY_ENOMEM;
	rc = db_write_ahead(
		db,
		"INSERT INTO outbox (kind, ticket_id, recipient, payload,"
		" next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
		"sIssii", kind, ticket_id, recipient, text ? text : "{}", now,
		now);
	free(text);
	return rc;
}

ay_rc outbox_add_staff(struct db *db, const char *kind, int64_t ticket_id,
		       bool with_assignee, json_t *payload)
{
	struct db_stmt *s = NULL;
	char *emails[64];
	size_t n = 0;
	bool row = false;
	ay_rc rc;

	rc = db_run(db, &s, &row,
		    "SELECT u.email FROM users u WHERE u.disabled = 0 AND"
		    " (u.role = 'supervisor' OR ($2 = 1 AND u.id ="
		    " (SELECT assignee_id FROM tickets WHERE id = $1)))"
		    " ORDER BY u.id LIMIT 64",
		    "ii", ticket_id, (int64_t)(with_assignee ? 1 : 0));
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

ay_rc outbox_forget_secrets(struct db *db, int64_t id)
{
	static const char *const secrets[] = {"link", "token"};
	struct db_stmt *s = NULL;
	json_t *p = NULL;
	char *text = NULL;
	bool row = false, changed = false;
	ay_rc rc;

	rc = db_run(db, &s, &row, "SELECT payload FROM outbox WHERE id = $1",
		    "i", id);
	if (!rc && row)
		p = json_loads(db_col_text(s, 0), 0, NULL);
	db_reset(s);
	if (rc || !p)
		return rc;
	for (size_t i = 0; i < AY_ARRAY_LEN(secrets); i++)
		if (!json_object_del(p, secrets[i]))
			changed = true;
	if (changed) {
		text = json_dumps(p, JSON_COMPACT);
		rc = text ? db_run(db, NULL, NULL,
				   "UPDATE outbox SET payload = $1 WHERE id ="
				   " $2",
				   "si", text, id)
			  : AY_ENOMEM;
	}
	free(text);
	json_decref(p);
	return rc;
}

void verr_set(struct verr *e, const char *field, const char *msg)
{
	if (!e)
		return;
	snprintf(e->field, sizeof(e->field), "%s", field);
	snprintf(e->msg, sizeof(e->msg), "%s", msg);
}

json_t *json_col_time(struct db_stmt *s, int i)
{
	char iso[32];

	if (db_col_null(s, i))
		return json_null();
	ay_iso_utc(db_col_int(s, i), iso);
	return json_string(iso);
}

json_t *json_col_text(struct db_stmt *s, int i)
{
	return db_col_null(s, i) ? json_null() : json_string(db_col_text(s, i));
}

ay_rc job_row(struct db *db, const char *job, int64_t id, store_job_fn fn,
	      void *arg, int *skipped)
{
	ay_rc rc = db_savepoint(db, fn, arg);

	if (!db_row_skippable(db, rc))
		return rc;
	log_warn("job row skipped", "job=%s id=%lld err=%s msg=\"%s\"", job,
		 (long long)id, ay_rc_str(rc), db_errmsg(db));
	(*skipped)++;
	return AY_OK;
}

ay_rc db_rows_json(struct db *db, db_row_json_fn fn, void *arg, json_t **out,
		   const char *sql, const char *fmt, ...)
{
	struct db_stmt *s = NULL;
	json_t *list = json_array();
	bool row = false;
	va_list ap;
	ay_rc rc;

	*out = NULL;
	if (!list)
		return AY_ENOMEM;
	va_start(ap, fmt);
	rc = db_vrun(db, &s, &row, sql, fmt, ap);
	va_end(ap);
	while (!rc && row) {
		if (json_array_append_new(list, fn(s, arg))) {
			rc = AY_ENOMEM;
			break;
		}
		rc = db_step(s, &row);
	}
	db_reset(s);
	if (rc) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return AY_OK;
}
