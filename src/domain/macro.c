/* Canned answers (macro.h): storage, search, validation, rendering. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "domain/access.h"
#include "domain/macro.h"
#include "domain/sla.h"
#include "domain/ticket.h"
#include "util/buf.h"
#include "util/fold.h"
#include "util/str.h"

#define MACRO_SELECT                                                           \
	"SELECT id, name, lang, body, status, category, updated_at"            \
	" FROM macros"

/* A placeholder is {word}: at most this many bytes between the braces. */
#define PLACEHOLDER_MAX 40

static json_t *macro_row(struct db_stmt *s, void *arg)
{
	(void)arg;
	return json_pack("{s:I,s:s,s:s,s:s,s:o,s:o,s:o}", "id",
			 (json_int_t)db_col_int(s, 0), "name",
			 db_col_text(s, 1), "lang", db_col_text(s, 2), "body",
			 db_col_text(s, 3), "status", json_col_text(s, 4),
			 "category", json_col_text(s, 5), "updated_at",
			 json_col_time(s, 6));
}

/* Borrowed: o's text member key (or its member sub), "" when none. */
static const char *member(json_t *o, const char *key, const char *sub)
{
	json_t *v = json_object_get(o, key);
	const char *s = json_string_value(sub ? json_object_get(v, sub) : v);

	return s ? s : "";
}

/* The macro `id` as JSON, whoever asks. */
static ay_rc macro_load(struct db *db, int64_t id, json_t **out)
{
	json_t *list = NULL;
	ay_rc rc = db_rows_json(db, macro_row, NULL, &list,
				MACRO_SELECT " WHERE id = $1", "i", id);

	*out = NULL;
	if (rc)
		return rc;
	if (json_array_size(list))
		*out = json_incref(json_array_get(list, 0));
	json_decref(list);
	return *out ? AY_OK : AY_ENOTFOUND;
}

static ay_rc may_manage(const struct actor *a, struct verr *err)
{
	if (!access_console(a))
		return AY_ENOTFOUND;
	if (access_macros_manage(a))
		return AY_OK;
	verr_set(err, "role",
		 "solo supervisores y administradores gestionan las "
		 "respuestas predefinidas");
	return AY_EPERM;
}

/* --- search --- */

/* s in lower case without accents (util/fold.h). */
static ay_rc fold(const char *s, struct buf *out)
{
	size_t n;
	char *f = ay_fold(s, strlen(s), &n);
	ay_rc rc;

	buf_reset(out);
	if (!f)
		return AY_ENOMEM;
	rc = buf_add(out, f, n);
	free(f);
	return rc;
}

/* Does folded needle occur in text (folded here)? */
static ay_rc holds(const char *text, const char *needle, struct buf *tmp,
		   bool *yes)
{
	ay_rc rc = fold(text, tmp);

	*yes = !rc && strstr(buf_str(tmp), needle) != NULL;
	return rc;
}

/* The rows of list whose name (pass 0) or only text (pass 1) hold q. */
static ay_rc filter(json_t *list, const char *q, json_t *found)
{
	struct buf needle, tmp;
	size_t i;
	json_t *m;
	ay_rc rc;

	buf_init(&needle, 0);
	buf_init(&tmp, 0);
	rc = fold(q, &needle);
	for (int pass = 0; !rc && pass < 2; pass++) {
		json_array_foreach (list, i, m) {
			bool in_name, in_body = false;

			rc = holds(
				json_string_value(json_object_get(m, "name")),
				buf_str(&needle), &tmp, &in_name);
			if (!rc && pass == 1 && !in_name)
				rc = holds(json_string_value(
						   json_object_get(m, "body")),
					   buf_str(&needle), &tmp, &in_body);
			if (rc)
				break;
			if (pass == 0 ? in_name : in_body)
				json_array_append(found, m);
		}
	}
	buf_release(&needle);
	buf_release(&tmp);
	return rc;
}

struct keyed {
	char *key;     /* the name, folded */
	int64_t id;    /* ties: the older first */
	json_t *macro; /* borrowed */
};

static int by_key(const void *x, const void *y)
{
	const struct keyed *a = x, *b = y;
	int c = strcmp(a->key, b->key);

	return c ? c : (a->id > b->id) - (a->id < b->id);
}

/* Sort list in place by name, case and accents aside ("Árbol" with the
 * A's), as a reader of either language expects. */
static ay_rc sort_by_name(json_t *list)
{
	size_t n = json_array_size(list), i;
	struct keyed *k = calloc(n ? n : 1, sizeof(*k));
	struct buf tmp;
	ay_rc rc = k ? AY_OK : AY_ENOMEM;

	buf_init(&tmp, 0);
	for (i = 0; !rc && i < n; i++) {
		k[i].macro = json_incref(json_array_get(list, i));
		k[i].id = json_integer_value(json_object_get(k[i].macro, "id"));
		rc = fold(member(k[i].macro, "name", NULL), &tmp);
		k[i].key = rc ? NULL : strdup(buf_str(&tmp));
		if (!rc && !k[i].key)
			rc = AY_ENOMEM;
	}
	if (!rc) {
		qsort(k, n, sizeof(*k), by_key);
		json_array_clear(list);
	}
	for (i = 0; k && i < n; i++) {
		if (!rc && json_array_append(list, k[i].macro))
			rc = AY_ENOMEM;
		json_decref(k[i].macro);
		free(k[i].key);
	}
	free(k);
	buf_release(&tmp);
	return rc;
}

static bool lang_ok(const char *lang)
{
	return lang && (!strcmp(lang, "es") || !strcmp(lang, "en"));
}

ay_rc macro_list(struct db *db, const struct actor *a, const char *q,
		 const char *lang, struct verr *err, json_t **out)
{
	json_t *list = NULL, *found = NULL;
	ay_rc rc;

	*out = NULL;
	if (!access_console(a))
		return AY_ENOTFOUND;
	if (q && strlen(q) > MACRO_Q_MAX) {
		verr_set(err, "q", "busque con hasta 100 caracteres");
		return AY_EINVAL;
	}
	if (lang && !lang_ok(lang)) {
		verr_set(err, "lang", "se espera «es» o «en»");
		return AY_EINVAL;
	}
	rc = db_rows_json(db, macro_row, NULL, &list,
			  MACRO_SELECT " WHERE $1 IS NULL OR lang = $1"
				       " ORDER BY id",
			  "s", lang);
	if (!rc)
		rc = sort_by_name(list);
	if (!rc && q && *q) {
		found = json_array();
		rc = found ? filter(list, q, found) : AY_ENOMEM;
		json_decref(list);
		list = found;
	}
	if (!rc) {
		*out = json_pack("{s:O}", "macros", list);
		rc = *out ? AY_OK : AY_ENOMEM;
	}
	json_decref(list);
	return rc;
}

ay_rc macro_get(struct db *db, const struct actor *a, int64_t id, json_t **out)
{
	*out = NULL;
	if (!access_console(a))
		return AY_ENOTFOUND;
	return macro_load(db, id, out);
}

/* --- rendering --- */

enum ph {
	PH_CUSTOMER,
	PH_COMPANY,
	PH_TICKET,
	PH_SUBJECT,
	PH_LEVEL,
	PH_DUE,
	PH_AGENT,
	PH_N
};

/* Each placeholder's Spanish and English names. */
static const char *const ph_names[PH_N][2] = {
	[PH_CUSTOMER] = {"cliente", "customer"},
	[PH_COMPANY] = {"empresa", "company"},
	[PH_TICKET] = {"ticket", "ticket"},
	[PH_SUBJECT] = {"asunto", "subject"},
	[PH_LEVEL] = {"nivel", "level"},
	[PH_DUE] = {"vencimiento", "due"},
	[PH_AGENT] = {"agente", "agent"},
};

static int ph_find(const char *name, size_t n)
{
	for (int i = 0; i < PH_N; i++)
		for (int l = 0; l < 2; l++)
			if (strlen(ph_names[i][l]) == n &&
			    !strncasecmp(ph_names[i][l], name, n))
				return i;
	return -1;
}

/* The due time of the ticket's target (its JSON `sla`), as people read
 * it in the level calendar's zone, in lang; "" when it has none. */
static ay_rc due_text(struct db *db, json_t *sla, const char *lang, char *out,
		      size_t outlen)
{
	const char *iso = json_string_value(json_object_get(sla, "due_at"));
	const char *name = json_string_value(json_object_get(sla, "calendar"));
	const struct sla_calendar *cal = NULL;
	int64_t due;
	ay_rc rc;

	out[0] = '\0';
	if (!iso || !name || sla_parse_iso8601(iso, &due))
		return AY_OK;
	rc = sla_calendar_get(db, name, &cal);
	if (rc)
		return rc;
	sla_format_local(sla_calendar_zone(cal), due, lang, out, outlen);
	sla_calendar_release(cal);
	return AY_OK;
}

static ay_rc user_name(struct db *db, int64_t id, char *out, size_t outlen)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc = db_run(db, &s, &row, "SELECT name FROM users WHERE id = $1",
			  "i", id);

	out[0] = '\0';
	if (!rc && row)
		snprintf(out, outlen, "%s", db_col_text(s, 0));
	db_reset(s);
	return rc;
}

/* Append word to list unless it is there already. */
static ay_rc add_once(json_t *list, const char *word, size_t n)
{
	json_t *w = json_stringn(word, n);
	size_t i;

	if (!w)
		return AY_ENOMEM;
	for (i = 0; i < json_array_size(list); i++)
		if (json_equal(json_array_get(list, i), w))
			break;
	if (i < json_array_size(list)) {
		json_decref(w);
		return AY_OK;
	}
	return json_array_append_new(list, w) ? AY_ENOMEM : AY_OK;
}

/* Replace the placeholders of body with vals into out; the unknown ones
 * stay and are listed (once each) in unknown. */
static ay_rc expand(const char *body, const char *const *vals, struct buf *out,
		    json_t *unknown)
{
	ay_rc rc = AY_OK;

	for (const char *p = body; !rc && *p; p++) {
		size_t n = *p == '{' ? strcspn(p + 1, "{} \t\r\n") : 0;
		int i;

		if (!n || p[1 + n] != '}' || n > PLACEHOLDER_MAX) {
			rc = buf_addc(out, *p);
			continue;
		}
		i = ph_find(p + 1, n);
		if (i >= 0) {
			rc = buf_adds(out, vals[i]);
		} else {
			rc = buf_add(out, p, n + 2);
			if (!rc)
				rc = add_once(unknown, p, n + 2);
		}
		p += n + 1;
	}
	return rc;
}

ay_rc macro_render(struct db *db, const struct actor *a, int64_t id,
		   int64_t number, json_t **out)
{
	json_t *m = NULL, *t = NULL, *unknown = NULL;
	const char *vals[PH_N];
	char ticket[32], due[160], agent[160];
	struct actor reader = *a;
	struct buf text;
	ay_rc rc;

	*out = NULL;
	buf_init(&text, MACRO_BODY_MAX * 4);
	rc = macro_get(db, a, id, &m);
	if (rc)
		goto out;
	/* The ticket's names (level) in the macro's language. */
	snprintf(reader.lang, sizeof(reader.lang), "%s",
		 member(m, "lang", NULL));
	rc = ticket_get(db, &reader, number, false, &t);
	if (!rc)
		rc = due_text(db, json_object_get(t, "sla"), reader.lang, due,
			      sizeof(due));
	if (!rc)
		rc = user_name(db, a->user_id, agent, sizeof(agent));
	if (rc)
		goto out;
	snprintf(ticket, sizeof(ticket), "Ticket#%lld", (long long)number);
	vals[PH_CUSTOMER] = member(t, "requester", "name");
	vals[PH_COMPANY] = member(t, "company", "name");
	vals[PH_TICKET] = ticket;
	vals[PH_SUBJECT] = member(t, "subject", NULL);
	vals[PH_LEVEL] = member(t, "sla", "name");
	vals[PH_DUE] = due;
	vals[PH_AGENT] = agent;
	unknown = json_array();
	rc = unknown ? expand(member(m, "body", NULL), vals, &text, unknown)
		     : AY_ENOMEM;
	if (rc)
		goto out;
	json_object_set_new(m, "body", json_string(buf_str(&text)));
	json_object_set(m, "unknown", unknown);
	json_object_del(m, "updated_at");
	*out = json_incref(m);
out:
	json_decref(unknown);
	json_decref(t);
	json_decref(m);
	buf_release(&text);
	return rc;
}

/* --- changes --- */

static ay_rc bad(struct verr *err, const char *field, const char *msg)
{
	verr_set(err, field, msg);
	return AY_EINVAL;
}

/* The name, trimmed, put back in m: one line of 1..MACRO_NAME_MAX
 * characters. */
static ay_rc check_name(json_t *m, struct verr *err)
{
	const char *s = json_string_value(json_object_get(m, "name"));
	size_t n, chars = 0, k;
	uint32_t cp;

	if (!s)
		return bad(err, "name", "indique el nombre de la respuesta");
	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	for (size_t i = 0; i < n; i += k, chars++) {
		k = ay_utf8_next((const unsigned char *)s + i, n - i, &cp);
		if (!k || ay_cp_hidden(cp))
			return bad(err, "name",
				   "el nombre es una sola línea de texto");
	}
	if (!chars)
		return bad(err, "name", "indique el nombre de la respuesta");
	if (chars > MACRO_NAME_MAX)
		return bad(err, "name",
			   "el nombre tiene como máximo 100 caracteres");
	return json_object_set_new(m, "name", json_stringn(s, n)) ? AY_ENOMEM
								  : AY_OK;
}

static ay_rc check_body(json_t *m, struct verr *err)
{
	const char *s = json_string_value(json_object_get(m, "body"));

	if (!s || !s[strspn(s, " \t\r\n")])
		return bad(err, "body", "escriba el texto de la respuesta");
	if (strlen(s) > MACRO_BODY_MAX)
		return bad(err, "body",
			   "el texto tiene como máximo 20000 bytes");
	return AY_OK;
}

/* status and category: null, or a code the ticket may take from an
 * answer (not "new"). */
static ay_rc check_codes(json_t *m, struct verr *err)
{
	json_t *st = json_object_get(m, "status");
	json_t *cat = json_object_get(m, "category");
	const char *s = json_string_value(st), *c = json_string_value(cat);

	if (st && !json_is_null(st) &&
	    (!s || !ticket_status_known(s) || !strcmp(s, "new")))
		return bad(err, "status",
			   "se espera null, «open», «pending_customer», "
			   "«resolved» o «closed»");
	if (cat && !json_is_null(cat) && (!c || !ticket_category_known(c)))
		return bad(err, "category",
			   "se espera null o una categoría conocida "
			   "(support, commercial, development, "
			   "out_of_scope, sla_inclusion)");
	return AY_OK;
}

/* Check the macro m (with every member; its name is trimmed in place):
 * another one, not `id`, may not have its name in its language. */
static ay_rc check(struct db *db, json_t *m, int64_t id, struct verr *err)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc = check_name(m, err);

	if (!rc && !lang_ok(json_string_value(json_object_get(m, "lang"))))
		rc = bad(err, "lang", "se espera «es» o «en»");
	if (!rc)
		rc = check_body(m, err);
	if (!rc)
		rc = check_codes(m, err);
	if (!rc)
		rc = db_run(db, &s, &row,
			    "SELECT 1 FROM macros WHERE lang = $1 AND name = $2"
			    " AND id <> $3",
			    "ssi", member(m, "lang", NULL),
			    member(m, "name", NULL), id);
	db_reset(s);
	if (!rc && row)
		rc = bad(err, "name",
			 "ya hay una respuesta con ese nombre en ese idioma");
	return rc;
}

/* Record the change of macro `name` (before and after: JSON null when
 * absent). */
static ay_rc audit(struct db *db, const struct actor *a, const char *kind,
		   json_t *before, json_t *after)
{
	json_t *named = after ? after : before;

	return event_add_change(
		db, a->user_id, kind, "macro", member(named, "name", NULL),
		before ? before : json_null(), after ? after : json_null());
}

/* Write the checked macro m, a new one when *id is 0 (*id gets its id),
 * and record the change (kind) from before (NULL for a new one). */
static ay_rc save(struct db *db, const struct actor *a, const char *kind,
		  json_t *m, json_t *before, int64_t *id)
{
	struct db_stmt *s = NULL;
	json_t *after = NULL;
	bool row = false;
	ay_rc rc;

	/* A new one takes its id from the database (no NULL id: PostgreSQL's
	 * identity column refuses it). */
	rc = db_run(
		db, &s, &row,
		*id ? "INSERT INTO macros (id, name, lang, body, status,"
		      " category, created_at, updated_at)"
		      " VALUES ($1, $2, $3, $4, $5, $6, $7, $7)"
		      " ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
		      " lang = excluded.lang, body = excluded.body,"
		      " status = excluded.status,"
		      " category = excluded.category,"
		      " updated_at = excluded.updated_at RETURNING id"
		    : "INSERT INTO macros (name, lang, body, status,"
		      " category, created_at, updated_at)"
		      " SELECT $2, $3, $4, $5, $6, $7, $7 WHERE $1 = 0"
		      " RETURNING id",
		"isssssi", *id, member(m, "name", NULL),
		member(m, "lang", NULL), member(m, "body", NULL),
		json_string_value(json_object_get(m, "status")),
		json_string_value(json_object_get(m, "category")), ay_now());
	if (!rc && row)
		*id = db_col_int(s, 0);
	db_reset(s);
	if (!rc)
		rc = *id ? macro_load(db, *id, &after) : AY_EDB;
	if (!rc)
		rc = audit(db, a, kind, before, after);
	json_decref(after);
	return rc;
}

ay_rc macro_create(struct db *db, const struct actor *a, json_t *in,
		   struct verr *err, int64_t *id)
{
	json_t *m = NULL;
	ay_rc rc = may_manage(a, err);

	*id = 0;
	if (rc)
		return rc;
	m = json_pack("{s:s,s:n,s:n}", "lang", "es", "status", "category");
	rc = m && !json_object_update(m, in) ? check(db, m, 0, err) : AY_ENOMEM;
	if (!rc)
		rc = save(db, a, "macro.created", m, NULL, id);
	json_decref(m);
	return rc;
}

ay_rc macro_edit(struct db *db, const struct actor *a, int64_t id, json_t *in,
		 struct verr *err)
{
	json_t *before = NULL, *m = NULL;
	ay_rc rc = may_manage(a, err);

	if (!rc)
		rc = macro_load(db, id, &before);
	if (!rc && !json_object_size(in))
		rc = bad(err, "name", "indique los campos a cambiar");
	if (!rc) {
		m = json_deep_copy(before);
		rc = m && !json_object_update(m, in) ? check(db, m, id, err)
						     : AY_ENOMEM;
	}
	if (!rc)
		rc = save(db, a, "macro.changed", m, before, &id);
	json_decref(before);
	json_decref(m);
	return rc;
}

ay_rc macro_delete(struct db *db, const struct actor *a, int64_t id)
{
	json_t *before = NULL;
	struct verr err;
	ay_rc rc = may_manage(a, &err);

	if (!rc)
		rc = macro_load(db, id, &before);
	if (!rc)
		rc = db_run(db, NULL, NULL, "DELETE FROM macros WHERE id = $1",
			    "i", id);
	if (!rc)
		rc = audit(db, a, "macro.deleted", before, NULL);
	json_decref(before);
	return rc;
}
