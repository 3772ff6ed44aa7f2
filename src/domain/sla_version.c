/* The versions of an SLA level for the admin console: each save of a level
 * is a new immutable row of sla_levels (sla_level.c); a ticket keeps the
 * version it was given (tickets.sla_level_id). Here: the list of a level's
 * versions with who made each and how many open tickets run on it, the
 * difference between two versions field by field, and the open tickets of
 * every level. */
#include <string.h>

#include "domain/sla_int.h"

/* The tickets that count as open: those of the queue's "unsolved" view.
 * The same words as the partial index tickets_unsolved_level_version
 * (schema.c, migration 45), so the count reads that index. */
#define OPEN_ON(id)                                                            \
	"(SELECT COUNT(*) FROM tickets t WHERE t.sla_level_id = " id           \
	" AND " AY_UNSOLVED_SQL("t.status") ")"

/* The editable fields of a version, in the order the diff lists them:
 * name, SQL type ('s' text, 'i' integer or null, 'b' boolean). */
static const struct {
	const char *name;
	char type;
} fields[] = {
	{"name_es", 's'},
	{"name_en", 's'},
	{"desc_es", 's'},
	{"desc_en", 's'},
	{"response_minutes", 'i'},
	{"clock", 's'},
	{"calendar", 's'},
	{"review_days", 'i'},
	{"license_email_only", 'b'},
};

#define FIELD_COLS                                                             \
	"l.name_es, l.name_en, l.desc_es, l.desc_en, l.response_minutes,"      \
	" l.clock, l.calendar, l.review_days, l.license_email_only"

/* Set the fields of a version from columns first.. of s on o. */
static ay_rc set_fields(json_t *o, struct db_stmt *s, int first)
{
	for (size_t i = 0; i < AY_ARRAY_LEN(fields); i++) {
		int c = first + (int)i;
		json_t *v;

		if (db_col_null(s, c))
			v = json_null();
		else if (fields[i].type == 'i')
			v = json_integer(db_col_int(s, c));
		else if (fields[i].type == 'b')
			v = json_boolean(db_col_int(s, c) != 0);
		else
			v = json_string(db_col_text(s, c));
		if (json_object_set_new(o, fields[i].name, v))
			return AY_ENOMEM;
	}
	return AY_OK;
}

/* One version, from the columns of VERSION_SQL. */
#define VERSION_SQL                                                            \
	"SELECT l.version, l.current, l.created_at, l.created_by,"             \
	" COALESCE(u.name, ''), l.closes, " OPEN_ON(                           \
		"l.id") ", " FIELD_COLS " FROM sla_levels l LEFT JOIN users "  \
			"u ON u.id = l.created_by"

static json_t *version_row(struct db_stmt *s, void *arg)
{
	json_t *o, *who;

	(void)arg;
	who = db_col_null(s, 3) ? json_null()
				: json_pack("{s:I,s:s}", "id",
					    (json_int_t)db_col_int(s, 3),
					    "name", db_col_text(s, 4));
	o = json_pack("{s:I,s:b,s:o,s:o,s:b,s:I}", "version",
		      (json_int_t)db_col_int(s, 0), "current",
		      db_col_int(s, 1) != 0, "created_at", json_col_time(s, 2),
		      "created_by", who ? who : json_null(), "closes",
		      db_col_int(s, 5) != 0, "open_tickets",
		      (json_int_t)db_col_int(s, 6));
	if (o && set_fields(o, s, 7)) {
		json_decref(o);
		o = NULL;
	}
	return o;
}

/* The version with row id `id`, or else version v of level code. */
static ay_rc version_get(struct db *db, int64_t id, const char *code, int64_t v,
			 json_t **out)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	*out = NULL;
	if (id)
		rc = db_run(db, &s, &row, VERSION_SQL " WHERE l.id = $1", "i",
			    id);
	else
		rc = db_run(db, &s, &row,
			    VERSION_SQL " WHERE l.code = $1 AND l.version = $2",
			    "sI", code, v);
	if (rc || !row)
		return rc ? rc : AY_ENOTFOUND;
	*out = version_row(s, NULL);
	db_reset(s);
	return *out ? AY_OK : AY_ENOMEM;
}

ay_rc sla_level_fields(struct db *db, int64_t id, json_t **out)
{
	return version_get(db, id, NULL, 0, out);
}

ay_rc sla_level_versions(struct db *db, const char *code, json_t **out)
{
	json_t *list = NULL;
	ay_rc rc;

	*out = NULL;
	rc = db_rows_json(db, version_row, NULL, &list,
			  VERSION_SQL " WHERE l.code = $1 ORDER BY l.version"
				      " DESC",
			  "s", code);
	if (!rc && !json_array_size(list))
		rc = AY_ENOTFOUND;
	if (!rc)
		*out = json_pack("{s:s,s:O,s:o}", "code", code, "current",
				 json_array_get(list, 0), "versions", list);
	else
		json_decref(list);
	return rc ? rc : *out ? AY_OK : AY_ENOMEM;
}

/* Version v of level code, or AY_ENOTFOUND with err naming field. */
static ay_rc version_of(struct db *db, const char *code, int64_t v,
			const char *field, json_t **out, struct verr *err)
{
	char msg[96];
	ay_rc rc = version_get(db, 0, code, v, out);

	if (rc == AY_ENOTFOUND) {
		snprintf(msg, sizeof(msg), "el nivel no tiene la versión %lld",
			 (long long)v);
		verr_set(err, field, msg);
	}
	return rc;
}

ay_rc sla_level_diff(struct db *db, const char *code, int64_t from, int64_t to,
		     json_t **out, struct verr *err)
{
	json_t *a = NULL, *b = NULL, *changes = NULL;
	ay_rc rc;

	*out = NULL;
	rc = version_of(db, code, from, "from", &a, err);
	if (!rc)
		rc = version_of(db, code, to, "to", &b, err);
	if (!rc)
		changes = json_array();
	for (size_t i = 0; !rc && i < AY_ARRAY_LEN(fields); i++) {
		json_t *x = json_object_get(a, fields[i].name);
		json_t *y = json_object_get(b, fields[i].name);

		if (json_equal(x, y))
			continue;
		if (json_array_append_new(changes,
					  json_pack("{s:s,s:O,s:O}", "field",
						    fields[i].name, "before", x,
						    "after", y)))
			rc = AY_ENOMEM;
	}
	if (!rc)
		*out = json_pack("{s:s,s:O,s:O,s:O}", "code", code, "from", a,
				 "to", b, "changes", changes);
	json_decref(a);
	json_decref(b);
	json_decref(changes);
	return rc ? rc : *out ? AY_OK : AY_ENOMEM;
}

static json_t *usage_row(struct db_stmt *s, void *arg)
{
	(void)arg;
	return json_pack("{s:s,s:I,s:I,s:I,s:I}", "code", db_col_text(s, 0),
			 "version", (json_int_t)db_col_int(s, 1), "versions",
			 (json_int_t)db_col_int(s, 2), "open_tickets",
			 (json_int_t)db_col_int(s, 3), "open_on_current",
			 (json_int_t)db_col_int(s, 4));
}

ay_rc sla_level_usage(struct db *db, json_t **out)
{
	json_t *list = NULL;
	ay_rc rc = db_rows_json(
		db, usage_row, NULL, &list,
		"SELECT code, MAX(version), COUNT(*), SUM(n),"
		" SUM(CASE WHEN current = 1 THEN n ELSE 0 END) FROM"
		" (SELECT l.id, l.code, l.version, l.current,"
		" " OPEN_ON("l.id") " AS n FROM sla_levels l) u"
				    " GROUP BY code ORDER BY MIN(id)",
		NULL);

	*out = rc ? NULL : json_pack("{s:o}", "levels", list);
	return rc ? rc : *out ? AY_OK : AY_ENOMEM;
}
