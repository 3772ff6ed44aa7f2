/* Users and API tokens. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "domain/company.h"
#include "domain/user.h"
#include "sla/bizcal.h"
#include "util/str.h"

/* A domain that can receive mail: host name labels (letters, digits,
 * hyphens, UTF-8), dotted or not ("localhost", "vm" on an intranet), or an
 * address literal such as [192.0.2.1]. */
static bool domain_ok(const char *d)
{
	size_t label = 0;

	if (*d == '[')
		return strlen(d) > 2 && d[strlen(d) - 1] == ']' &&
		       !strchr(d + 1, '[') &&
		       strchr(d, ']') == d + strlen(d) - 1;
	if (!*d || *d == '-')
		return false;
	for (const char *p = d; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '.') {
			if (!label || p[-1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!isalnum(c) && c != '-' && c < 0x80)
			return false;
		if (c == '-' && !label)
			return false;
		label++;
	}
	return label && d[strlen(d) - 1] != '-';
}

/* An address that can receive mail: one '@', a non-empty local part without
 * spaces or control characters, and a domain as above. */
bool user_email_ok(const char *e)
{
	const char *at = e ? strrchr(e, '@') : NULL;

	if (!at || at == e || strchr(e, '@') != at || strlen(e) > 254)
		return false;
	for (const char *p = e; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f || *p == '<' ||
		    *p == '>' || *p == '"' || *p == ',' || *p == ';')
			return false;
	return *e != '.' && at[-1] != '.' && domain_ok(at + 1);
}

static char *lower_dup(const char *s)
{
	char *d = strdup(s);

	for (char *p = d; p && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return d;
}

ay_rc user_find_email(struct db *db, const char *email, int64_t *id)
{
	struct db_stmt *s = NULL;
	char *low = lower_dup(email);
	bool row = false;
	ay_rc rc;

	if (!low)
		return AY_ENOMEM;
	rc = db_run(db, &s, &row, "SELECT id FROM users WHERE email = $1", "s",
		    low);
	free(low);
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	*id = db_col_int(s, 0);
	db_reset(s);
	return AY_OK;
}

ay_rc user_json(struct db *db, int64_t id, json_t **out)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	rc = db_run(
		db, &s, &row,
		"SELECT u.id, u.email, u.name, u.role, u.lang, u.is_contact,"
		" c.id, c.name, u.position, u.phone,"
		" u.verified_at IS NOT NULL, u.disabled, u.timezone FROM users "
		"u"
		" LEFT JOIN companies c ON c.id = u.company_id"
		" WHERE u.id = $1",
		"i", id);
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	*out = json_pack("{s:I,s:s,s:s,s:s,s:s,s:b,s:o}", "id",
			 (json_int_t)db_col_int(s, 0), "email",
			 db_col_text(s, 1), "name", db_col_text(s, 2), "role",
			 db_col_text(s, 3), "lang", db_col_text(s, 4),
			 "support_contact", (int)db_col_int(s, 5), "company",
			 db_col_null(s, 6)
				 ? json_null()
				 : json_pack("{s:I,s:s}", "id",
					     (json_int_t)db_col_int(s, 6),
					     "name", db_col_text(s, 7)));
	if (*out) {
		json_object_set_new(*out, "position", json_col_text(s, 8));
		json_object_set_new(*out, "phone", json_col_text(s, 9));
		json_object_set_new(*out, "timezone", json_col_text(s, 12));
		json_object_set_new(*out, "verified",
				    json_boolean(db_col_int(s, 10)));
		json_object_set_new(*out, "disabled",
				    json_boolean(db_col_int(s, 11)));
	}
	db_reset(s);
	return *out ? AY_OK : AY_ENOMEM;
}

static ay_rc company_find(struct db *db, const char *name, int64_t *id)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	rc = db_run(db, &s, &row, "SELECT id FROM companies WHERE name = $1",
		    "s", name);
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	*id = db_col_int(s, 0);
	db_reset(s);
	return AY_OK;
}

ay_rc user_add(struct db *db, int64_t actor_id, const struct user_new *u,
	       json_t **out, struct verr *err)
{
	struct db_stmt *s = NULL;
	int64_t company = 0, id = 0;
	char *email = NULL, *name = NULL;
	const char *lang = u->lang ? u->lang : "es";
	bool row = false;
	json_t *data;
	ay_rc rc;

	*out = NULL;
	if (!user_email_ok(u->email)) {
		verr_set(err, "email", "dirección de correo no válida");
		return AY_EINVAL;
	}
	if (!u->name || !*u->name) {
		verr_set(err, "name", "el nombre es obligatorio");
		return AY_EINVAL;
	}
	if (role_parse(u->role) == ROLE_NONE) {
		verr_set(
			err, "role",
			"rol desconocido (customer, agent, supervisor, admin)");
		return AY_EINVAL;
	}
	if (strcmp(lang, "es") && strcmp(lang, "en")) {
		verr_set(err, "lang", "idioma no soportado (es, en)");
		return AY_EINVAL;
	}
	if (u->timezone && !sla_zone_valid(u->timezone)) {
		verr_set(err, "timezone",
			 "zona horaria desconocida (ejemplo: America/Bogota)");
		return AY_EINVAL;
	}
	if (u->is_contact && !u->company) {
		verr_set(err, "company",
			 "un contacto de soporte pertenece a una compañía");
		return AY_EINVAL;
	}
	if (u->company) {
		rc = company_find(db, u->company, &company);
		if (rc == AY_ENOTFOUND) {
			verr_set(err, "company", "la compañía no existe");
			return AY_EINVAL;
		}
		if (rc)
			return rc;
	}
	/* A name is one line (it goes into mail headers). */
	name = strdup(u->name);
	if (!name)
		return AY_ENOMEM;
	ay_oneline(name);
	while (name[0] && name[strlen(name) - 1] == ' ')
		name[strlen(name) - 1] = '\0';
	if (!name[strspn(name, " ")] || strlen(name) > 200 ||
	    !ay_utf8_valid(name, strlen(name))) {
		verr_set(err, "name", "el nombre es obligatorio");
		rc = AY_EINVAL;
		goto out;
	}
	email = lower_dup(u->email);
	if (!email) {
		rc = AY_ENOMEM;
		goto out;
	}
	rc = db_run(db, &s, &row,
		    "INSERT INTO users (email, name, role, company_id,"
		    " is_contact, lang, password_hash, created_at,"
		    " verified_at, timezone)"
		    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
		    " RETURNING id",
		    "sssIissiIs", email, name, u->role, company, (int64_t)0,
		    lang, u->password_hash, ay_now(),
		    /* an account an admin gave a password is verified; one
		     * made from a mail's From is not */
		    u->password_hash ? ay_now() : (int64_t)0, u->timezone);
	if (rc == AY_ECONFLICT) {
		verr_set(err, "email", "ya existe un usuario con ese correo");
		goto out;
	}
	if (rc)
		goto out;
	id = row ? db_col_int(s, 0) : 0;
	db_reset(s);
	data = json_pack("{s:I,s:s,s:s}", "user", (json_int_t)id, "email",
			 email, "role", u->role);
	if (!data) {
		rc = AY_ENOMEM;
		goto out;
	}
	rc = event_add(db, 0, actor_id, "user.created", data);
	json_decref(data);
	/* A support contact is endorsed by the one rule the API uses, with
	 * the company's cap. */
	if (!rc && u->is_contact)
		rc = company_endorse(db, actor_id, company, id, err);
	if (!rc)
		rc = user_json(db, id, out);
out:
	free(email);
	free(name);
	return rc;
}

ay_rc token_create(struct db *db, int64_t user_id, const char *name,
		   int64_t expires_at, char **token)
{
	unsigned char raw[32];
	char hex[65], hash[65];
	ay_rc rc;

	*token = NULL;
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(hex, sizeof(hex), raw, sizeof(raw));
	ay_sha256_hex(hex, 64, hash);
	rc = db_run(db, NULL, NULL,
		    "INSERT INTO api_tokens (user_id, name, token_hash,"
		    " created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
		    "issiI", user_id, name ? name : "api", hash, ay_now(),
		    expires_at);
	if (rc)
		return rc;
	if (asprintf(token, "ayu_%s", hex) < 0) {
		*token = NULL;
		return AY_ENOMEM;
	}
	return event_add(db, 0, user_id, "token.created", NULL);
}

static ay_rc token_hash(const char *token, char hash[65])
{
	if (!token || strncmp(token, "ayu_", 4) || strlen(token) != 68)
		return AY_ENOTFOUND;
	ay_sha256_hex(token + 4, 64, hash);
	return AY_OK;
}

ay_rc token_resolve(struct db *db, const char *token, int64_t *user_id,
		    int64_t *last_used, int64_t *expires_at)
{
	struct db_stmt *s = NULL;
	char hash[65];
	bool row = false;
	ay_rc rc;

	rc = token_hash(token, hash);
	if (rc)
		return rc;
	rc = db_run(db, &s, &row,
		    "SELECT user_id, COALESCE(last_used_at, 0),"
		    " COALESCE(expires_at, 0) FROM api_tokens"
		    " WHERE token_hash = $1"
		    " AND revoked_at IS NULL"
		    " AND (expires_at IS NULL OR expires_at > $2)",
		    "si", hash, ay_now());
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	*user_id = db_col_int(s, 0);
	if (last_used)
		*last_used = db_col_int(s, 1);
	if (expires_at)
		*expires_at = db_col_int(s, 2);
	db_reset(s);
	return AY_OK;
}

ay_rc auth_epoch_get(struct db *db, int64_t *out)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	rc = db_run(db, &s, &row, "SELECT n FROM auth_epoch WHERE id = 1",
		    NULL);
	if (rc)
		return rc;
	*out = row ? db_col_int(s, 0) : 0;
	db_reset(s);
	return AY_OK;
}

ay_rc token_touch(struct db *db, const char *token)
{
	char hash[65];

	if (token_hash(token, hash))
		return AY_OK;
	return db_run(db, NULL, NULL,
		      "UPDATE api_tokens SET last_used_at = $1"
		      " WHERE token_hash = $2",
		      "is", ay_now(), hash);
}

/* --- administration: tokens and users (admin actions are audited with
 * their actor and before/after values) --- */

/* t as an ISO 8601 instant in UTC, for the audit. */
static json_t *iso_time(int64_t t)
{
	char iso[32];

	ay_iso_utc(t, iso);
	return json_string(iso);
}

static json_t *token_row(struct db_stmt *s, void *arg)
{
	(void)arg;
	return json_pack(
		"{s:I,s:s,s:o,s:o,s:o,s:o}", "id", (json_int_t)db_col_int(s, 0),
		"name", db_col_text(s, 1), "created_at", json_col_time(s, 2),
		"expires_at", json_col_time(s, 3), "last_used_at",
		json_col_time(s, 4), "revoked_at", json_col_time(s, 5));
}

ay_rc token_list(struct db *db, int64_t user_id, json_t **out)
{
	return db_rows_json(db, token_row, NULL, out,
			    "SELECT id, name, created_at, expires_at,"
			    " last_used_at, revoked_at FROM api_tokens"
			    " WHERE user_id = $1 ORDER BY id",
			    "i", user_id);
}

ay_rc token_issue(struct db *db, int64_t actor_id, int64_t user_id,
		  const char *name, int64_t expires_at, json_t **out)
{
	struct db_stmt *s = NULL;
	char *token = NULL;
	bool row = false;
	int64_t id = 0;
	json_t *data;
	ay_rc rc;

	*out = NULL;
	rc = token_create(db, user_id, name, expires_at, &token);
	if (rc)
		return rc;
	rc = db_run(db, &s, &row, "SELECT MAX(id) FROM api_tokens", NULL);
	if (!rc && row)
		id = db_col_int(s, 0);
	db_reset(s);
	data = json_pack("{s:I,s:I,s:s,s:n,s:{s:s,s:o}}", "token",
			 (json_int_t)id, "user", (json_int_t)user_id, "name",
			 name ? name : "api", "before", "after", "name",
			 name ? name : "api", "expires_at",
			 expires_at ? iso_time(expires_at) : json_null());
	if (!rc && !data)
		rc = AY_ENOMEM;
	if (!rc)
		rc = event_add(db, 0, actor_id, "admin.token_created", data);
	json_decref(data);
	if (!rc) {
		*out = json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "name",
				 name ? name : "api", "token", token);
		if (!*out)
			rc = AY_ENOMEM;
	}
	if (token)
		sodium_memzero(token, strlen(token));
	free(token);
	return rc;
}

ay_rc token_revoke(struct db *db, int64_t actor_id, int64_t token_id)
{
	struct db_stmt *s = NULL;
	bool row = false;
	json_t *data;
	ay_rc rc;

	rc = db_run(db, &s, &row,
		    "UPDATE api_tokens SET revoked_at = $2"
		    " WHERE id = $1 AND revoked_at IS NULL RETURNING user_id",
		    "ii", token_id, ay_now());
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	data = json_pack("{s:I,s:I,s:{s:n},s:{s:o}}", "token",
			 (json_int_t)token_id, "user",
			 (json_int_t)db_col_int(s, 0), "before", "revoked_at",
			 "after", "revoked_at", iso_time(ay_now()));
	db_reset(s);
	if (!data)
		return AY_ENOMEM;
	rc = event_add(db, 0, actor_id, "admin.token_revoked", data);
	json_decref(data);
	return rc;
}

/* The fields of a user an admin changes, as the audit shows them. */
static json_t *user_audited(json_t *u)
{
	return json_pack("{s:O,s:O,s:O,s:O}", "role",
			 json_object_get(u, "role"), "disabled",
			 json_object_get(u, "disabled"), "lang",
			 json_object_get(u, "lang"), "timezone",
			 json_object_get(u, "timezone"));
}

static ay_rc user_change_check(int64_t actor_id, int64_t user_id,
			       const struct user_change *c, struct verr *err)
{
	if (c->role && role_parse(c->role) == ROLE_NONE) {
		verr_set(
			err, "role",
			"rol desconocido (customer, agent, supervisor, admin)");
		return AY_EINVAL;
	}
	if (user_id == actor_id && c->disabled == 1) {
		verr_set(err, "disabled",
			 "no puede desactivar su propia cuenta");
		return AY_EINVAL;
	}
	if (user_id == actor_id && c->role && strcmp(c->role, "admin")) {
		verr_set(err, "role",
			 "no puede quitarse a sí mismo el rol de "
			 "administrador");
		return AY_EINVAL;
	}
	if (c->lang && strcmp(c->lang, "es") && strcmp(c->lang, "en")) {
		verr_set(err, "lang", "idioma no soportado (es, en)");
		return AY_EINVAL;
	}
	if (c->timezone && *c->timezone && !sla_zone_valid(c->timezone)) {
		verr_set(err, "timezone",
			 "zona horaria desconocida (ejemplo: America/Lima)");
		return AY_EINVAL;
	}
	return AY_OK;
}

ay_rc user_update(struct db *db, int64_t actor_id, int64_t user_id,
		  const struct user_change *c, struct verr *err)
{
	json_t *before = NULL, *after = NULL, *data = NULL;
	ay_rc rc;

	rc = user_change_check(actor_id, user_id, c, err);
	if (rc)
		return rc;
	rc = user_json(db, user_id, &before);
	if (rc)
		return rc;
	if (c->role)
		rc = db_run(db, NULL, NULL,
			    "UPDATE users SET role = $2 WHERE id = $1", "is",
			    user_id, c->role);
	if (!rc && c->disabled >= 0)
		rc = db_run(db, NULL, NULL,
			    "UPDATE users SET disabled = $2 WHERE id = $1",
			    "ii", user_id, (int64_t)c->disabled);
	if (!rc && (c->lang || c->timezone))
		rc = db_run(db, NULL, NULL,
			    "UPDATE users SET lang = COALESCE($2, lang),"
			    " timezone = CASE WHEN $3 IS NULL THEN timezone"
			    " WHEN $3 = '' THEN NULL ELSE $3 END WHERE id = $1",
			    "iss", user_id, c->lang, c->timezone);
	/* A disabled or demoted user starts again from a fresh log in. */
	if (!rc && (c->role || c->disabled >= 0))
		rc = db_run(db, NULL, NULL,
			    "DELETE FROM sessions WHERE user_id = $1", "i",
			    user_id);
	if (!rc)
		rc = user_json(db, user_id, &after);
	if (rc)
		goto out;
	data = json_pack("{s:I,s:o,s:o}", "user", (json_int_t)user_id, "before",
			 user_audited(before), "after", user_audited(after));
	rc = data ? event_add(db, 0, actor_id, "admin.user_updated", data)
		  : AY_ENOMEM;
out:
	json_decref(data);
	json_decref(before);
	json_decref(after);
	return rc;
}

/* A row of the list; arg (int64_t *) gets the total of the last column. */
static json_t *user_row(struct db_stmt *s, void *arg)
{
	*(int64_t *)arg = db_col_int(s, 9);
	return json_pack("{s:I,s:s,s:s,s:s,s:b,s:o,s:o,s:b,s:s}", "id",
			 (json_int_t)db_col_int(s, 0), "email",
			 db_col_text(s, 1), "name", db_col_text(s, 2), "role",
			 db_col_text(s, 3), "support_contact",
			 (int)db_col_int(s, 4), "company_id",
			 db_col_null(s, 5) ? json_null()
					   : json_integer(db_col_int(s, 5)),
			 "company_name", json_col_text(s, 7), "disabled",
			 (int)db_col_int(s, 6), "lang", db_col_text(s, 8));
}

char *user_like_pattern(const char *q)
{
	size_t n = q ? strlen(q) : 0;
	char *p = malloc(2 * n + 3), *d = p;

	if (!p || !n) {
		if (p)
			*p = '\0';
		return p;
	}
	*d++ = '%';
	for (const char *c = q; *c; c++) {
		if (*c == '%' || *c == '_' || *c == '\\')
			*d++ = '\\';
		*d++ = *c;
	}
	*d++ = '%';
	*d = '\0';
	return p;
}

ay_rc user_list(struct db *db, const struct actor *a,
		const struct user_filter *f, json_t **out, int64_t *total)
{
	char *like = user_like_pattern(f->q);
	ay_rc rc;

	*out = NULL;
	*total = 0;
	if (!like)
		return AY_ENOMEM;
	/* Who the caller sees ($1 staff, $2 the caller, $3 their company),
	 * then the filter: $4 role or "staff", $5 a LIKE pattern, $6 a
	 * company. */
	rc = db_rows_json(
		db, user_row, total, out,
		"SELECT u.id, u.email, u.name, u.role, u.is_contact,"
		" u.company_id, u.disabled, c.name, u.lang, COUNT(*) OVER ()"
		" FROM users u LEFT JOIN companies c ON c.id = u.company_id"
		" WHERE ($1 = 1 OR u.id = $2 OR (u.company_id = $3"
		" AND (SELECT admin_contact_id FROM companies"
		"  WHERE id = $3) = $2))"
		" AND ($4 = '' OR u.role = $4 OR ($4 = 'staff'"
		"  AND u.role IN ('agent', 'supervisor', 'admin')))"
		" AND ($5 = '' OR ay_fold(u.name) LIKE ay_fold($5) ESCAPE '\\'"
		"  OR ay_fold(u.email) LIKE ay_fold($5) ESCAPE '\\')"
		" AND ($6 = 0 OR u.company_id = $6)"
		" ORDER BY ay_fold(u.name), u.id LIMIT $7 OFFSET $8",
		"iiissiii", (int64_t)actor_is_staff(a), a->user_id,
		a->company_id, f->role ? f->role : "", like, f->company_id,
		f->limit, f->offset);
	free(like);
	return rc;
}
