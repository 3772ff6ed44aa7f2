/* The structured fields of a ticket and the product and edition choices. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "domain/ticket_fields.h"

const char *const ticket_field_names[TF_N] = {
	[TF_STEPS] = "steps",	  [TF_URL] = "url",
	[TF_PRODUCT] = "product", [TF_EDITION] = "edition",
	[TF_VERSION] = "version",
};

/* Longest accepted value of each field, in bytes. */
static const size_t field_max[TF_N] = {
	[TF_STEPS] = 64 * 1024, [TF_URL] = 2048,   [TF_PRODUCT] = 64,
	[TF_EDITION] = 64,	[TF_VERSION] = 64,
};

void ticket_fields_release(struct ticket_fields *f)
{
	for (int i = 0; i < TF_N; i++) {
		free(f->v[i]);
		f->v[i] = NULL;
		f->set[i] = false;
	}
}

/* Trimmed copy of s into *out (NULL when only blanks). */
static ay_rc trimmed_copy(const char *s, char **out)
{
	size_t n = strlen(s);

	*out = NULL;
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (!n)
		return AY_OK;
	*out = strndup(s, n);
	return *out ? AY_OK : AY_ENOMEM;
}

/* One line of text: no control characters. */
static bool one_line(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/* An http(s) URL with a host; a bare host gets "https://". */
static ay_rc check_url(char **url, struct verr *err)
{
	const char *host;
	char *with;
	size_t hlen;

	if (!one_line(*url) || strchr(*url, ' '))
		goto bad;
	if (!strstr(*url, "://")) {
		with = malloc(strlen(*url) + 9);
		if (!with)
			return AY_ENOMEM;
		strcpy(with, "https://");
		strcat(with, *url);
		free(*url);
		*url = with;
	}
	if (!strncasecmp(*url, "https://", 8))
		host = *url + 8;
	else if (!strncasecmp(*url, "http://", 7))
		host = *url + 7;
	else
		goto bad;
	hlen = strcspn(host, "/?#");
	if (!hlen || memchr(host, '@', hlen) || host[0] == '.' ||
	    host[0] == ':')
		goto bad;
	return AY_OK;
bad:
	verr_set(err, "url",
		 "indique la dirección del sitio, p. ej. "
		 "https://suempresa.bitrix24.es");
	return AY_EINVAL;
}

/* Is code an active choice of field (for an edition: of any product)? */
static ay_rc choice_active(struct db *db, const char *field, const char *code,
			   bool *ok)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	rc = db_run(db, &s, &row,
		    "SELECT 1 FROM ticket_choices c"
		    " LEFT JOIN ticket_choices p ON p.field = 'product'"
		    "  AND p.code = c.product"
		    " WHERE c.field = $1 AND c.code = $2 AND c.active = 1"
		    " AND COALESCE(p.active, 1) = 1 LIMIT 1",
		    "ss", field, code);
	db_reset(s);
	*ok = row;
	return rc;
}

static ay_rc check_one(struct db *db, int i, char **v, struct verr *err)
{
	const char *name = ticket_field_names[i];
	bool ok;
	ay_rc rc;

	if (!ay_utf8_valid(*v, strlen(*v))) {
		verr_set(err, name, "el texto no es UTF-8 válido");
		return AY_EINVAL;
	}
	if (strlen(*v) > field_max[i]) {
		verr_set(err, name, "el texto es demasiado largo");
		return AY_EINVAL;
	}
	if (i == TF_URL)
		return check_url(v, err);
	if (i == TF_VERSION && !one_line(*v)) {
		verr_set(err, name, "la versión es una sola línea");
		return AY_EINVAL;
	}
	if (i != TF_PRODUCT && i != TF_EDITION)
		return AY_OK;
	rc = choice_active(db, name, *v, &ok);
	if (rc)
		return rc;
	if (!ok) {
		verr_set(err, name,
			 i == TF_PRODUCT ? "producto desconocido"
					 : "edición desconocida");
		return AY_EINVAL;
	}
	return AY_OK;
}

ay_rc ticket_fields_parse(struct db *db, json_t *in, struct ticket_fields *f,
			  struct verr *err)
{
	ay_rc rc;

	memset(f, 0, sizeof(*f));
	for (int i = 0; i < TF_N; i++) {
		json_t *v = json_object_get(in, ticket_field_names[i]);

		if (!v)
			continue;
		f->set[i] = true;
		if (json_is_null(v))
			continue;
		if (!json_is_string(v)) {
			verr_set(err, ticket_field_names[i],
				 "el campo debe ser un texto");
			return AY_EINVAL;
		}
		rc = trimmed_copy(json_string_value(v), &f->v[i]);
		if (!rc && f->v[i])
			rc = check_one(db, i, &f->v[i], err);
		if (rc)
			return rc;
	}
	return AY_OK;
}

ay_rc ticket_fields_pair_check(struct db *db, const char *product,
			       const char *edition, struct verr *err)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	if (!edition)
		return AY_OK;
	rc = db_run(db, &s, &row,
		    "SELECT 1 FROM ticket_choices WHERE field = 'edition'"
		    " AND product = $1 AND code = $2",
		    "ss", product ? product : "", edition);
	db_reset(s);
	if (rc)
		return rc;
	if (!row) {
		verr_set(err, "edition",
			 product ? "la edición no corresponde al producto"
				 : "indique el producto de la edición");
		return AY_EINVAL;
	}
	return AY_OK;
}

static json_t *choice_row(struct db_stmt *s, void *arg)
{
	const char *lang = arg;
	json_t *o = json_pack(
		"{s:s,s:s,s:s,s:s,s:b}", "code", db_col_text(s, 1), "name",
		db_col_text(s, lang && !strcmp(lang, "en") ? 4 : 3), "name_es",
		db_col_text(s, 3), "name_en", db_col_text(s, 4), "active",
		(int)db_col_int(s, 5));

	if (o && !strcmp(db_col_text(s, 0), "edition"))
		json_object_set_new(o, "product",
				    json_string(db_col_text(s, 2)));
	return o;
}

ay_rc ticket_choices_json(struct db *db, bool all, const char *lang,
			  json_t **out)
{
	json_t *products = NULL, *editions = NULL;
	static const char sql[] =
		"SELECT c.field, c.code, c.product, c.name_es, c.name_en,"
		" c.active FROM ticket_choices c"
		" LEFT JOIN ticket_choices p ON p.field = 'product'"
		"  AND p.code = c.product"
		" WHERE c.field = $1 AND ($2 = 1 OR (c.active = 1"
		"  AND COALESCE(p.active, 1) = 1))"
		" ORDER BY COALESCE(p.position, 0), c.position, c.id";
	ay_rc rc;

	*out = NULL;
	rc = db_rows_json(db, choice_row, (void *)lang, &products, sql, "si",
			  "product", (int64_t)all);
	if (!rc)
		rc = db_rows_json(db, choice_row, (void *)lang, &editions, sql,
				  "si", "edition", (int64_t)all);
	if (!rc) {
		*out = json_pack("{s:O,s:O}", "product", products, "edition",
				 editions);
		if (!*out)
			rc = AY_ENOMEM;
	}
	json_decref(products);
	json_decref(editions);
	return rc;
}

/* A choice code: 1 to 64 of [a-z0-9_]. */
static bool code_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (!n || n > 64)
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) &&
		    !isdigit((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

static bool name_ok(json_t *v)
{
	const char *s = json_string_value(v);

	return s && *s && json_string_length(v) <= 100 &&
	       ay_utf8_valid(s, json_string_length(v)) && one_line(s);
}

/* Check one entry of a choices list; *product gets an edition's product. */
static ay_rc check_choice(struct db *db, bool edition, json_t *c,
			  const char **product, struct verr *err)
{
	static const char *const keys[] = {"code", "name_es", "name_en",
					   "product"};
	const char *key;
	json_t *v;
	bool ok = true;
	ay_rc rc;

	*product = "";
	if (!json_is_object(c) ||
	    !code_ok(json_string_value(json_object_get(c, "code"))) ||
	    !name_ok(json_object_get(c, "name_es")) ||
	    !name_ok(json_object_get(c, "name_en"))) {
		verr_set(err, "choices",
			 "cada opción lleva code ([a-z0-9_]), name_es y "
			 "name_en");
		return AY_EINVAL;
	}
	json_object_foreach (c, key, v) {
		bool known = false;

		for (size_t i = 0; i < AY_ARRAY_LEN(keys); i++)
			known |= !strcmp(key, keys[i]);
		if (!known || (!edition && !strcmp(key, "product"))) {
			verr_set(err, key, "campo desconocido");
			return AY_EINVAL;
		}
	}
	if (!edition)
		return AY_OK;
	*product = json_string_value(json_object_get(c, "product"));
	if (*product) {
		rc = choice_active(db, "product", *product, &ok);
		if (rc)
			return rc;
	}
	if (!*product || !ok) {
		verr_set(err, "product",
			 "cada edición lleva un producto activo");
		return AY_EINVAL;
	}
	return AY_OK;
}

ay_rc ticket_choices_set(struct db *db, int64_t actor_id, const char *field,
			 json_t *list, struct verr *err)
{
	bool edition = field && !strcmp(field, "edition");
	json_t *before = NULL, *after = NULL;
	const char *product;
	json_t *c;
	size_t i;
	ay_rc rc;

	if (!edition && (!field || strcmp(field, "product")))
		return AY_ENOTFOUND;
	if (!json_is_array(list)) {
		verr_set(err, "choices", "se espera una lista de opciones");
		return AY_EINVAL;
	}
	rc = ticket_choices_json(db, true, NULL, &before);
	if (!rc)
		rc = db_run(db, NULL, NULL,
			    "UPDATE ticket_choices SET active = 0"
			    " WHERE field = $1",
			    "s", field);
	json_array_foreach (list, i, c) {
		if (rc)
			break;
		rc = check_choice(db, edition, c, &product, err);
		if (!rc)
			rc = db_run(
				db, NULL, NULL,
				"INSERT INTO ticket_choices (field, product,"
				" code, name_es, name_en, position)"
				" VALUES ($1, $2, $3, $4, $5, $6)"
				" ON CONFLICT (field, product, code) DO UPDATE"
				" SET name_es = excluded.name_es,"
				" name_en = excluded.name_en,"
				" position = excluded.position, active = 1",
				"sssssi", field, product,
				json_string_value(json_object_get(c, "code")),
				json_string_value(
					json_object_get(c, "name_es")),
				json_string_value(
					json_object_get(c, "name_en")),
				(int64_t)i + 1);
	}
	if (!rc)
		rc = ticket_choices_json(db, true, NULL, &after);
	if (!rc)
		rc = event_add_change(db, actor_id, "admin.ticket_choices",
				      "field", field,
				      json_object_get(before, field),
				      json_object_get(after, field));
	json_decref(before);
	json_decref(after);
	return rc;
}
