/* The audit trail with its filters and differences (domain/audit.h). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "domain/access.h"
#include "domain/audit.h"

#define AUDIT_CHUNK    200
#define AUDIT_MAX_SCAN 5000

/* What an event kind changed: its object type and the data member that
 * names the object. The first matching prefix wins; a kind that matches
 * none is its own type, named by the word before its dot. */
static const struct {
	const char *prefix, *type, *key;
} objects[] = {
	{"account.login", "session", NULL},
	{"admin.user_", "user", "user"},
	{"user.", "user", "user"},
	{"admin.token_", "token", "token"},
	{"token.", "token", "token"},
	{"admin.company_", "company", "company"},
	{"company.", "company", "company"},
	{"calendar.", "calendar", "calendar"},
	{"sla_level.", "sla_level", "level"},
	{"macro.", "macro", "macro"},
	{"admin.ticket_choices", "ticket_fields", "field"},
	{"outbox.", "outbox", "outbox"},
	{"mail.", "mail", NULL},
	{"account.", "account", NULL},
};

static const char *const known_types[] = {
	"user",		 "token",  "company", "calendar", "sla_level", "macro",
	"ticket_fields", "outbox", "mail",    "account",  "session"};

/* The type and key of kind into type[32] and *key (NULL: none). */
static void object_of(const char *kind, char type[32], const char **key)
{
	for (size_t i = 0; i < AY_ARRAY_LEN(objects); i++)
		if (!strncmp(kind, objects[i].prefix,
			     strlen(objects[i].prefix))) {
			snprintf(type, 32, "%s", objects[i].type);
			*key = objects[i].key;
			return;
		}
	snprintf(type, 32, "%.*s", (int)strcspn(kind, "."), kind);
	*key = NULL;
}

/* A JSON scalar as text into out ("" for anything else). */
static void scalar_text(json_t *v, char *out, size_t n)
{
	if (json_is_integer(v))
		snprintf(out, n, "%lld", (long long)json_integer_value(v));
	else if (json_is_string(v))
		snprintf(out, n, "%s", json_string_value(v));
	else
		out[0] = '\0';
}

static ay_rc diff_into(const char *prefix, json_t *b, json_t *a, json_t *out,
		       int depth);

/* The members of objects b and a (either may be NULL) in order: b's,
 * then those only a has. */
static ay_rc diff_objects(const char *prefix, json_t *b, json_t *a, json_t *out,
			  int depth)
{
	const char *k;
	json_t *v;
	char field[160];
	ay_rc rc = AY_OK;

	json_object_foreach (b, k, v) {
		snprintf(field, sizeof(field), "%s%s%s", prefix,
			 *prefix ? "." : "", k);
		if (!rc)
			rc = diff_into(field, v, json_object_get(a, k), out,
				       depth + 1);
	}
	json_object_foreach (a, k, v) {
		if (json_object_get(b, k))
			continue;
		snprintf(field, sizeof(field), "%s%s%s", prefix,
			 *prefix ? "." : "", k);
		if (!rc)
			rc = diff_into(field, NULL, v, out, depth + 1);
	}
	return rc;
}

static ay_rc diff_into(const char *prefix, json_t *b, json_t *a, json_t *out,
		       int depth)
{
	json_t *c;

	if (json_equal(b, a) || (!b && json_is_null(a)) ||
	    (!a && json_is_null(b)))
		return AY_OK;
	if (depth < 3 && (json_is_object(b) || !b || json_is_null(b)) &&
	    (json_is_object(a) || !a || json_is_null(a)) &&
	    (json_is_object(a) || json_is_object(b)))
		return diff_objects(prefix, json_is_object(b) ? b : NULL,
				    json_is_object(a) ? a : NULL, out, depth);
	c = json_pack("{s:s,s:O,s:O}", "field", *prefix ? prefix : "value",
		      "before", b ? b : json_null(), "after",
		      a ? a : json_null());
	return c && !json_array_append_new(out, c) ? AY_OK : AY_ENOMEM;
}

ay_rc audit_diff(json_t *before, json_t *after, json_t **out)
{
	ay_rc rc;

	*out = json_array();
	if (!*out)
		return AY_ENOMEM;
	rc = diff_into("", before, after, *out, 0);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* The name of object id of type, from its table (users, companies). */
static json_t *object_name(struct db *db, const char *type, json_t *id)
{
	struct db_stmt *s = NULL;
	json_t *name = NULL;
	bool row = false;

	if (!json_is_integer(id))
		return json_is_string(id) ? json_incref(id) : json_null();
	if (!strcmp(type, "user") &&
	    !db_run(db, &s, &row, "SELECT name FROM users WHERE id = $1", "i",
		    (int64_t)json_integer_value(id)) &&
	    row)
		name = json_string(db_col_text(s, 0));
	else if (!strcmp(type, "company") &&
		 !db_run(db, &s, &row,
			 "SELECT name FROM companies WHERE id = $1", "i",
			 (int64_t)json_integer_value(id)) &&
		 row)
		name = json_string(db_col_text(s, 0));
	db_reset(s);
	return name ? name : json_null();
}

/* Whether the event's object matches the filter's (its id or its name,
 * case aside). */
static bool object_matches(const char *want, json_t *id, json_t *name)
{
	char text[256];

	scalar_text(id, text, sizeof(text));
	if (*text && !strcasecmp(want, text))
		return true;
	return json_is_string(name) &&
	       !strcasecmp(want, json_string_value(name));
}

/* One row (id, kind, data, actor_id, created_at, name, email) as an
 * item, or NULL (*skip) when the filter's type or object leaves it out. */
static json_t *audit_item(struct db *db, struct db_stmt *s,
			  const struct audit_filter *f, bool *skip)
{
	json_t *data = json_loads(db_col_text(s, 2), 0, NULL);
	json_t *item = NULL, *obj = json_null(), *changes = NULL, *id = NULL;
	json_t *name = NULL, *details;
	const char *key = NULL, *kind = db_col_text(s, 1);
	char type[32];

	*skip = false;
	object_of(kind, type, &key);
	if ((f->type && strcmp(f->type, type)) ||
	    (!f->type && !f->kind && !strcmp(type, "session"))) {
		*skip = true;
		goto out;
	}
	if (!data)
		data = json_object();
	id = key ? json_object_get(data, key) : NULL;
	if (id) {
		name = json_object_get(data, "name");
		name = json_is_string(name) ? json_incref(name)
					    : object_name(db, type, id);
		if (f->object && !object_matches(f->object, id, name)) {
			*skip = true;
			goto out;
		}
		obj = json_pack("{s:s,s:O,s:O}", "type", type, "id", id, "name",
				name);
	} else if (f->object) {
		*skip = true;
		goto out;
	} else {
		obj = json_pack("{s:s,s:n,s:n}", "type", type, "id", "name");
	}
	if (json_object_get(data, "before") || json_object_get(data, "after")) {
		if (audit_diff(json_object_get(data, "before"),
			       json_object_get(data, "after"), &changes))
			goto out;
	} else {
		changes = json_array();
	}
	details = json_deep_copy(data);
	if (details) {
		json_object_del(details, "before");
		json_object_del(details, "after");
		if (key)
			json_object_del(details, key);
	}
	item = json_pack(
		"{s:I,s:s,s:O,s:o,s:o,s:o,s:O,s:o,s:o}", "id",
		(json_int_t)db_col_int(s, 0), "kind", kind, "data", data, "at",
		json_col_time(s, 4), "actor",
		db_col_null(s, 3) ? json_null()
				  : json_integer(db_col_int(s, 3)),
		"who",
		db_col_null(s, 3) ? json_null()
				  : json_pack("{s:I,s:o,s:o}", "id",
					      (json_int_t)db_col_int(s, 3),
					      "name", json_col_text(s, 5),
					      "email", json_col_text(s, 6)),
		"object", obj, "changes", changes ? changes : json_array(),
		"details", details ? details : json_object());
	changes = NULL;
out:
	json_decref(obj);
	json_decref(name);
	json_decref(changes);
	json_decref(data);
	return item;
}

static ay_rc audit_scan(struct db *db, const struct audit_filter *f,
			json_t *items, int64_t *next)
{
	int64_t cursor = f->before, scanned = 0;
	bool more = true;
	ay_rc rc = AY_OK;

	*next = 0;
	while (!rc && more && scanned < AUDIT_MAX_SCAN &&
	       (int64_t)json_array_size(items) < f->limit) {
		struct db_stmt *s = NULL;
		bool row = false;
		int64_t got = 0;

		rc = db_run(db, &s, &row,
			    "SELECT e.id, e.kind, e.data, e.actor_id,"
			    " e.created_at, u.name, u.email FROM events e"
			    " LEFT JOIN users u ON u.id = e.actor_id"
			    " WHERE e.ticket_id IS NULL"
			    " AND ($1 = 0 OR e.actor_id = $1)"
			    " AND ($2 = 0 OR e.created_at >= $2)"
			    " AND ($3 = 0 OR e.created_at < $3)"
			    " AND ($4 = 0 OR e.id < $4)"
			    " AND ($5 IS NULL OR e.kind = $5)"
			    " ORDER BY e.id DESC LIMIT $6",
			    "iiiisi", f->actor, f->from, f->to, cursor, f->kind,
			    (int64_t)AUDIT_CHUNK);
		while (!rc && row) {
			bool skip;
			json_t *it;

			got++;
			cursor = db_col_int(s, 0);
			if ((int64_t)json_array_size(items) < f->limit) {
				it = audit_item(db, s, f, &skip);
				if (!it && !skip)
					rc = AY_ENOMEM;
				else if (it)
					json_array_append_new(items, it);
				if ((int64_t)json_array_size(items) == f->limit)
					*next = cursor;
			}
			if (!rc)
				rc = db_step(s, &row);
		}
		db_reset(s);
		scanned += got;
		more = got == AUDIT_CHUNK;
		if (!rc && more && (int64_t)json_array_size(items) < f->limit)
			*next = cursor; /* scanned this far, maybe more */
	}
	if (!more && (int64_t)json_array_size(items) < f->limit)
		*next = 0;
	return rc;
}

ay_rc audit_list(struct db *db, const struct actor *a,
		 const struct audit_filter *f, json_t **out)
{
	json_t *items, *types;
	int64_t next = 0;
	ay_rc rc;

	*out = NULL;
	if (!access_config(a))
		return AY_ENOTFOUND;
	items = json_array();
	types = json_array();
	for (size_t i = 0; types && i < AY_ARRAY_LEN(known_types); i++)
		json_array_append_new(types, json_string(known_types[i]));
	rc = items && types ? audit_scan(db, f, items, &next) : AY_ENOMEM;
	if (!rc) {
		*out = json_pack("{s:O,s:o,s:O}", "items", items, "next",
				 next ? json_integer(next) : json_null(),
				 "types", types);
		rc = *out ? AY_OK : AY_ENOMEM;
	}
	json_decref(items);
	json_decref(types);
	return rc;
}
