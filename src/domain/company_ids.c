/* A company's licence addresses, instance URLs and mail domains. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "domain/company_ids.h"
#include "domain/user.h"

static const char *const kind_names[] = {
	[CID_LICENSE_EMAIL] = "license_email",
	[CID_INSTANCE] = "instance",
};

bool company_ids_host(const char *url, char out[256])
{
	const char *p = url, *end;
	size_t n;

	while (isspace((unsigned char)*p))
		p++;
	if (strstr(p, "://"))
		p = strstr(p, "://") + 3;
	end = p + strcspn(p, "/?#: \t\r\n");
	if (memchr(p, '@', (size_t)(end - p)))
		return false;
	if (end - p > 4 && !strncasecmp(p, "www.", 4))
		p += 4;
	n = (size_t)(end - p);
	while (n && p[n - 1] == '.')
		n--;
	if (!n || n > 253)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (!isalnum(c) && c != '-' && c != '.' && c < 0x80)
			return false;
		out[i] = (char)tolower(c);
	}
	out[n] = '\0';
	return strchr(out, '.') && out[0] != '.' && !strstr(out, "..");
}

/* The normalised form of one value into out[256]; false when invalid. */
static bool normalise(enum company_id_kind kind, const char *v, char out[256])
{
	size_t n;

	switch (kind) {
	case CID_LICENSE_EMAIL:
		n = strlen(v);
		if (n > 254 || !user_email_ok(v))
			return false;
		for (size_t i = 0; i <= n; i++)
			out[i] = (char)tolower((unsigned char)v[i]);
		return true;
	case CID_INSTANCE:
		return company_ids_host(v, out);
	}
	return false;
}

/* A JSON array of the values in s, separated by commas or blanks. */
static json_t *split(const char *s)
{
	json_t *a = json_array();

	while (a && *s) {
		size_t n;

		s += strspn(s, ", \t\r\n;");
		n = strcspn(s, ", \t\r\n;");
		if (n)
			json_array_append_new(a, json_stringn(s, n));
		s += n;
	}
	return a;
}

/* Insert one value, normalised; AY_EINVAL (err on field) if invalid. */
static ay_rc insert_value(struct db *db, int64_t company_id,
			  enum company_id_kind kind, json_t *v,
			  const char *field, struct verr *err)
{
	char norm[256], msg[160];

	if (json_is_string(v) && normalise(kind, json_string_value(v), norm))
		return db_run(db, NULL, NULL,
			      "INSERT INTO company_ids (company_id, kind,"
			      " value, created_at) VALUES ($1, $2, $3, $4)"
			      " ON CONFLICT DO NOTHING",
			      "issi", company_id, kind_names[kind], norm,
			      ay_now());
	snprintf(msg, sizeof(msg), "valor no válido: «%.80s»",
		 json_is_string(v) ? json_string_value(v) : "?");
	verr_set(err, field, msg);
	return AY_EINVAL;
}

ay_rc company_ids_add(struct db *db, int64_t company_id,
		      enum company_id_kind kind, const char *value,
		      struct verr *err)
{
	json_t *v = json_string(value);
	ay_rc rc =
		v ? insert_value(db, company_id, kind, v, kind_names[kind], err)
		  : AY_ENOMEM;

	json_decref(v);
	return rc;
}

ay_rc company_ids_set(struct db *db, int64_t company_id,
		      enum company_id_kind kind, json_t *list,
		      const char *field, struct verr *err)
{
	json_t *a = json_is_string(list) ? split(json_string_value(list))
					 : json_incref(list);
	json_t *v;
	size_t i;
	ay_rc rc;

	if (!json_is_array(a) && !json_is_null(list)) {
		json_decref(a);
		verr_set(err, field, "se espera una lista");
		return AY_EINVAL;
	}
	rc = db_run(db, NULL, NULL,
		    "DELETE FROM company_ids WHERE company_id = $1"
		    " AND kind = $2",
		    "is", company_id, kind_names[kind]);
	json_array_foreach (a, i, v) {
		if (rc)
			break;
		rc = insert_value(db, company_id, kind, v, field, err);
	}
	json_decref(a);
	return rc;
}

static json_t *value_row(struct db_stmt *s, void *arg)
{
	(void)arg;
	return json_string(db_col_text(s, 0));
}

ay_rc company_ids_json(struct db *db, int64_t company_id,
		       enum company_id_kind kind, json_t **out)
{
	return db_rows_json(
		db, value_row, NULL, out,
		"SELECT value FROM company_ids WHERE company_id = $1"
		" AND kind = $2 ORDER BY created_at, value",
		"is", company_id, kind_names[kind]);
}

ay_rc company_ids_is_license_email(struct db *db, int64_t company_id,
				   const char *email, bool *is, bool *any)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	*is = *any = false;
	rc = db_run(db, &s, &row,
		    "SELECT COUNT(*), COALESCE(MAX(CASE WHEN value = lower($2)"
		    " THEN 1 ELSE 0 END), 0)"
		    " FROM company_ids WHERE company_id = $1"
		    " AND kind = 'license_email'",
		    "is", company_id, email ? email : "");
	if (rc)
		return rc;
	if (row) {
		*any = db_col_int(s, 0) > 0;
		*is = db_col_int(s, 1) != 0;
	}
	db_reset(s);
	return AY_OK;
}
