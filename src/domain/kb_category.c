/* The knowledge base's categories (kb.h): listed for anyone, created,
 * renamed, reordered and deleted by supervisors and admins, each change
 * an audit event with the category before and after. */
#include <string.h>

#include "domain/access.h"
#include "domain/kb.h"
#include "util/str.h"

#define CATEGORY_NAME_MAX 80 /* characters */

struct cat_arg {
	const char *lang;
};

static json_t *category_row(struct db_stmt *s, void *arg)
{
	const struct cat_arg *c = arg;
	const char *en = db_col_text(s, 3);

	return json_pack(
		"{s:I,s:s,s:s,s:s,s:s,s:I,s:I}", "id",
		(json_int_t)db_col_int(s, 0), "slug", db_col_text(s, 1), "name",
		!strcmp(c->lang, "en") && en && *en ? en : db_col_text(s, 2),
		"name_es", db_col_text(s, 2), "name_en", en ? en : "", "count",
		(json_int_t)db_col_int(s, 4), "position",
		(json_int_t)db_col_int(s, 5));
}

ay_rc kb_categories(struct db *db, const struct actor *a, json_t **out)
{
	struct cat_arg c = {.lang = a->lang};

	return db_rows_json(db, category_row, &c, out,
			    "SELECT c.id, c.slug, c.name_es, c.name_en,"
			    " (SELECT count(*) FROM kb_articles x"
			    "  WHERE x.category_id = c.id AND"
			    "  (x.state = 'published' OR $1 = 1)),"
			    " c.position"
			    " FROM kb_categories c ORDER BY c.position, c.id",
			    "i", (int64_t)actor_is_staff(a));
}

/* Supervisors and admins manage categories: an agent gets AY_EPERM with
 * the reason, anyone else AY_ENOTFOUND. */
static ay_rc may_manage(const struct actor *a, struct verr *err)
{
	if (access_kb_publish(a))
		return AY_OK;
	verr_set(err, "slug",
		 "solo supervisores y administradores gestionan las "
		 "categorías");
	return actor_is_staff(a) ? AY_EPERM : AY_ENOTFOUND;
}

/* Check the name `field` of the input: a string of 1 (0 when optional)
 * to 80 characters, or absent when not required. *out: the string or
 * NULL. */
static bool name_ok(json_t *in, const char *field, bool required,
		    const char **out, struct verr *err)
{
	json_t *v = json_object_get(in, field);
	const char *s = json_string_value(v);

	*out = s;
	if (!v && !required)
		return true;
	if (!s || (required && !*s) || !ay_utf8_valid(s, strlen(s)) ||
	    ay_utf8_chars(s) > CATEGORY_NAME_MAX) {
		verr_set(err, field,
			 required ? "el nombre tiene de 1 a 80 caracteres"
				  : "el nombre tiene hasta 80 caracteres");
		return false;
	}
	return true;
}

/* The category id as the audit shows it: {id, slug, name_es, name_en,
 * position}; *out NULL when there is none. */
static ay_rc category_load(struct db *db, int64_t id, json_t **out)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc = db_run(db, &s, &row,
			  "SELECT id, slug, name_es, name_en, position"
			  " FROM kb_categories WHERE id = $1",
			  "i", id);

	*out = NULL;
	if (!rc && row) {
		*out = json_pack("{s:I,s:s,s:s,s:s,s:I}", "id",
				 (json_int_t)db_col_int(s, 0), "slug",
				 db_col_text(s, 1), "name_es",
				 db_col_text(s, 2), "name_en",
				 db_col_text(s, 3), "position",
				 (json_int_t)db_col_int(s, 4));
		if (!*out)
			rc = AY_ENOMEM;
	}
	if (s)
		db_reset(s);
	return rc;
}

/* Record a change of category (before, after: NULL when absent). */
static ay_rc audit(struct db *db, const struct actor *a, const char *kind,
		   json_t *before, json_t *after)
{
	json_t *named = after ? after : before;

	return event_add_change(
		db, a->user_id, kind, "category",
		json_string_value(json_object_get(named, "slug")),
		before ? before : json_null(), after ? after : json_null());
}

ay_rc kb_category_create(struct db *db, const struct actor *a, json_t *in,
			 struct verr *err, json_t **out)
{
	const char *slug = json_string_value(json_object_get(in, "slug"));
	const char *es = NULL, *en = NULL;
	char norm[64];
	struct db_stmt *s = NULL;
	bool row = false;
	int64_t id = 0;
	ay_rc rc = may_manage(a, err);

	*out = NULL;
	if (rc)
		return rc;
	if (!name_ok(in, "name_es", true, &es, err) ||
	    !name_ok(in, "name_en", false, &en, err))
		return AY_EINVAL;
	kb_slug(slug && *slug ? slug : es, norm);
	rc = db_run(
		db, &s, &row,
		"INSERT INTO kb_categories (slug, name_es, name_en,"
		" position, created_at) VALUES ($1, $2, $3,"
		" (SELECT COALESCE(MAX(position), 0) + 1 FROM kb_categories),"
		" $4) ON CONFLICT (slug) DO NOTHING RETURNING id",
		"sssi", norm, es, en ? en : "", ay_now());
	if (!rc && !row) {
		verr_set(err, "slug", "ya existe una categoría con ese slug");
		rc = AY_ECONFLICT;
	}
	if (!rc)
		id = db_col_int(s, 0);
	if (s)
		db_reset(s);
	if (!rc)
		rc = category_load(db, id, out);
	if (!rc && !*out)
		rc = AY_EDB;
	if (!rc)
		rc = audit(db, a, "kb.category.created", NULL, *out);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* Number the categories 1.. in their order. */
static ay_rc renumber(struct db *db)
{
	return db_run(db, NULL, NULL,
		      "WITH o AS (SELECT id, ROW_NUMBER() OVER (ORDER BY"
		      " position, id) AS k FROM kb_categories)"
		      " UPDATE kb_categories SET position = (SELECT k"
		      " FROM o WHERE o.id = kb_categories.id)",
		      "");
}

/* Move category id to place `position` (1: first) of the order. */
static ay_rc category_move(struct db *db, int64_t id, int64_t position)
{
	ay_rc rc = db_run(
		db, NULL, NULL,
		"WITH o AS (SELECT id, ROW_NUMBER() OVER (ORDER BY position,"
		" id) AS k FROM kb_categories WHERE id <> $1),"
		" n AS (SELECT id, k + CASE WHEN k >= $2 THEN 1 ELSE 0 END"
		" AS k FROM o UNION ALL"
		" SELECT $1, $2)"
		" UPDATE kb_categories SET position = (SELECT k FROM n"
		" WHERE n.id = kb_categories.id)",
		"ii", id, position);

	/* A position past the end leaves a gap. */
	return rc ? rc : renumber(db);
}

ay_rc kb_category_update(struct db *db, const struct actor *a, int64_t id,
			 json_t *in, struct verr *err, json_t **out)
{
	const char *es = NULL, *en = NULL;
	json_t *pos = json_object_get(in, "position");
	json_t *before = NULL;
	ay_rc rc = may_manage(a, err);

	*out = NULL;
	if (!rc)
		rc = category_load(db, id, &before);
	if (!rc && !before)
		rc = AY_ENOTFOUND;
	if (rc)
		return rc;
	if (!name_ok(in, "name_es", !!json_object_get(in, "name_es"), &es,
		     err) ||
	    !name_ok(in, "name_en", false, &en, err)) {
		rc = AY_EINVAL;
	} else if (pos &&
		   (!json_is_integer(pos) || json_integer_value(pos) < 1 ||
		    json_integer_value(pos) > 100000)) {
		verr_set(err, "position",
			 "la posición es un número desde 1 (la primera)");
		rc = AY_EINVAL;
	}
	if (!rc && (es || en))
		rc = db_run(db, NULL, NULL,
			    "UPDATE kb_categories SET"
			    " name_es = COALESCE($2, name_es),"
			    " name_en = COALESCE($3, name_en) WHERE id = $1",
			    "iss", id, es, en);
	if (!rc && pos)
		rc = category_move(db, id, json_integer_value(pos));
	if (!rc)
		rc = category_load(db, id, out);
	if (!rc && !*out)
		rc = AY_EDB;
	if (!rc && !json_equal(before, *out))
		rc = audit(db, a, "kb.category.changed", before, *out);
	json_decref(before);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

ay_rc kb_category_delete(struct db *db, const struct actor *a, int64_t id,
			 struct verr *err)
{
	struct db_stmt *s = NULL;
	json_t *before = NULL;
	bool row = false;
	int64_t n = 0;
	ay_rc rc = may_manage(a, err);

	if (!rc)
		rc = category_load(db, id, &before);
	if (!rc && !before)
		rc = AY_ENOTFOUND;
	if (!rc)
		rc = db_run(db, &s, &row,
			    "SELECT count(*) FROM kb_articles"
			    " WHERE category_id = $1",
			    "i", id);
	if (!rc && row)
		n = db_col_int(s, 0);
	if (s)
		db_reset(s);
	if (!rc && n) {
		char msg[160];

		snprintf(msg, sizeof(msg),
			 "la categoría tiene %lld %s: páselos a otra antes de "
			 "borrarla",
			 (long long)n, n == 1 ? "artículo" : "artículos");
		verr_set(err, "category", msg);
		rc = AY_ECONFLICT;
	}
	if (!rc)
		rc = db_run(db, NULL, NULL,
			    "DELETE FROM kb_categories WHERE id = $1", "i", id);
	if (!rc)
		rc = renumber(db);
	if (!rc)
		rc = audit(db, a, "kb.category.deleted", before, NULL);
	json_decref(before);
	return rc;
}
