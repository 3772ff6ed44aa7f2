/* The knowledge base's rules (kb.h). */
#include <ctype.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "domain/access.h"
#include "domain/kb.h"
#include "store/kb.h"
#include "util/hash.h"
#include "util/markdown.h"
#include "util/str.h"

#define KB_SEARCH_MAX  20
#define DIFF_LINES_MAX 3000

static const char *const langs[] = {"es", "en"};

void kb_slug(const char *title, char out[64])
{
	size_t o = 0;
	bool dash = false;

	for (const unsigned char *p = (const unsigned char *)title;
	     *p && o < 60; p++) {
		char c = 0;

		if (*p == 0xC3 && p[1]) {
			c = ay_latin1_fold(p[1]);
			p++;
		} else if (isalnum(*p)) {
			c = (char)tolower(*p);
		}
		if (c && c != '-') {
			if (dash && o)
				out[o++] = '-';
			dash = false;
			if (o < 60)
				out[o++] = c;
		} else {
			dash = true;
		}
	}
	if (!o)
		out[o++] = 'a';
	out[o] = '\0';
}

ay_rc kb_render(const char *body, json_t **out)
{
	struct buf html;
	ay_rc rc;

	*out = NULL;
	if (strlen(body) > KB_BODY_MAX)
		return AY_ETOOBIG;
	buf_init(&html, (size_t)16 << 20);
	rc = md_to_html(body, strlen(body), &html);
	if (!rc)
		*out = json_pack("{s:s}", "html", buf_str(&html));
	buf_release(&html);
	return rc ? rc : *out ? AY_OK : AY_ENOMEM;
}

void kb_url(int64_t id, const char *slug, char out[96])
{
	snprintf(out, 96, "/kb/%lld-%s", (long long)id, slug);
}

static bool valid_state(const char *s)
{
	return s && (!strcmp(s, "draft") || !strcmp(s, "published") ||
		     !strcmp(s, "internal"));
}

/* The article's state and whether it exists; AY_ENOTFOUND if not. */
static ay_rc article_state(struct db *db, int64_t id, char state[16])
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc =
		db_run(db, &s, &row,
		       "SELECT state FROM kb_articles WHERE id = $1", "i", id);

	if (!rc && !row)
		rc = AY_ENOTFOUND;
	if (!rc)
		snprintf(state, 16, "%s", db_col_text(s, 0));
	if (s)
		db_reset(s);
	return rc;
}

/* May the actor read an article in this state? */
static bool may_read(const struct actor *a, const char *state)
{
	return !strcmp(state, "published") || actor_is_staff(a);
}

/* Check one text {title, body} of the input. */
static bool text_ok(json_t *t, const char *lang, bool required,
		    struct verr *err)
{
	char field[16];
	const char *title, *body;

	snprintf(field, sizeof(field), "%s", lang);
	if (!t || json_is_null(t)) {
		if (required) {
			verr_set(err, field, "falta el texto en español");
			return false;
		}
		return true;
	}
	title = json_string_value(json_object_get(t, "title"));
	body = json_string_value(json_object_get(t, "body"));
	if (!json_is_object(t) || json_object_size(t) != 2 || !title || !body) {
		verr_set(err, field,
			 "se espera {\"title\": texto, \"body\": "
			 "Markdown}");
		return false;
	}
	if (!*title || !ay_utf8_valid(title, strlen(title)) ||
	    ay_utf8_chars(title) > KB_TITLE_MAX) {
		verr_set(err, field, "el título tiene de 1 a 200 caracteres");
		return false;
	}
	if (!*body || strlen(body) > KB_BODY_MAX ||
	    !ay_utf8_valid(body, strlen(body))) {
		verr_set(err, field, "el texto tiene de 1 byte a 1 MB");
		return false;
	}
	return true;
}

/* The tags of the input as "a, b, c" into out. */
static ay_rc tags_ok(json_t *tags, struct buf *out, struct verr *err)
{
	size_t i;
	json_t *v;

	if (!json_is_array(tags) || json_array_size(tags) > 20) {
		verr_set(err, "tags",
			 "se espera una lista de hasta 20 etiquetas");
		return AY_EINVAL;
	}
	json_array_foreach (tags, i, v) {
		const char *t = json_string_value(v);

		if (!t || !*t || ay_utf8_chars(t) > 40 ||
		    !ay_utf8_valid(t, strlen(t)) || strchr(t, ',')) {
			verr_set(err, "tags",
				 "cada etiqueta tiene de 1 a 40 "
				 "caracteres, sin comas");
			return AY_EINVAL;
		}
		if ((i && buf_adds(out, ", ")) || buf_adds(out, t))
			return AY_ENOMEM;
	}
	return AY_OK;
}

static ay_rc category_id(struct db *db, json_t *v, struct verr *err,
			 int64_t *out)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	*out = 0;
	if (json_is_null(v))
		return AY_OK;
	if (!json_is_string(v)) {
		verr_set(err, "category", "se espera el slug de una categoría");
		return AY_EINVAL;
	}
	rc = db_run(db, &s, &row,
		    "SELECT id FROM kb_categories WHERE slug = $1", "s",
		    json_string_value(v));
	if (!rc && !row) {
		verr_set(err, "category", "no existe esa categoría");
		rc = AY_EINVAL;
	}
	if (!rc)
		*out = db_col_int(s, 0);
	if (s)
		db_reset(s);
	return rc;
}

/* Write one text and, when it changed, its revision. */
static ay_rc save_text(struct db *db, const struct actor *a, int64_t id,
		       const char *lang, json_t *t, const char *state)
{
	const char *title = json_string_value(json_object_get(t, "title"));
	const char *body = json_string_value(json_object_get(t, "body"));
	struct db_stmt *s = NULL;
	char slug[64];
	bool row = false, same = false;
	ay_rc rc;

	rc = db_run(db, &s, &row,
		    "SELECT title = $3 AND body = $4 FROM kb_texts"
		    " WHERE article_id = $1 AND lang = $2",
		    "isss", id, lang, title, body);
	if (!rc && row)
		same = db_col_int(s, 0) != 0;
	if (s)
		db_reset(s);
	if (rc || same)
		return rc;
	kb_slug(title, slug);
	rc = db_run(db, NULL, NULL,
		    "INSERT INTO kb_texts (article_id, lang, title, slug, body,"
		    " tags) VALUES ($1, $2, $3, $4, $5,"
		    " (SELECT tags FROM kb_articles WHERE id = $1))"
		    " ON CONFLICT (article_id, lang) DO UPDATE SET"
		    " title = excluded.title, slug = excluded.slug,"
		    " body = excluded.body",
		    "issss", id, lang, title, slug, body);
	if (!rc)
		rc = db_run(db, NULL, NULL,
			    "INSERT INTO kb_revisions (article_id, lang, title,"
			    " body, state, author_id, created_at)"
			    " VALUES ($1, $2, $3, $4, $5, $6, $7)",
			    "issssii", id, lang, title, body, state, a->user_id,
			    ay_now());
	return rc;
}

/* The article id as the audit shows it: {id, state, category, tags,
 * title {es, en}} (the texts' bodies are in its revisions); *out NULL
 * when there is none. */
static ay_rc article_audit_json(struct db *db, int64_t id, json_t **out)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc = db_run(
		db, &s, &row,
		"SELECT a.state, c.slug, a.tags, (SELECT title FROM kb_texts"
		" WHERE article_id = a.id AND lang = 'es'), (SELECT title"
		" FROM kb_texts WHERE article_id = a.id AND lang = 'en')"
		" FROM kb_articles a LEFT JOIN kb_categories c ON"
		" c.id = a.category_id WHERE a.id = $1",
		"i", id);

	*out = NULL;
	if (!rc && row) {
		*out = json_pack(
			"{s:I,s:s,s:o,s:s,s:{s:o,s:o}}", "id", (json_int_t)id,
			"state", db_col_text(s, 0), "category",
			json_col_text(s, 1), "tags", db_col_text(s, 2), "title",
			"es", json_col_text(s, 3), "en", json_col_text(s, 4));
		if (!*out)
			rc = AY_ENOMEM;
	}
	if (s)
		db_reset(s);
	return rc;
}

/* Record a save of article id (before: NULL for a new one): created,
 * published, state (another change of state) or changed; nothing when
 * nothing the audit shows changed. */
static ay_rc article_audit(struct db *db, const struct actor *a, int64_t id,
			   json_t *before)
{
	const char *was = json_string_value(json_object_get(before, "state"));
	json_t *after = NULL;
	const char *now, *kind;
	ay_rc rc = article_audit_json(db, id, &after);

	if (!rc && !after)
		rc = AY_EDB;
	if (rc || (before && json_equal(before, after))) {
		json_decref(after);
		return rc;
	}
	now = json_string_value(json_object_get(after, "state"));
	kind = !before			   ? "kb.article.created"
	       : !strcmp(was, now)	   ? "kb.article.changed"
	       : !strcmp(now, "published") ? "kb.article.published"
					   : "kb.article.state";
	rc = event_add_change(db, a->user_id, kind, "article",
			      json_string_value(json_object_get(
				      json_object_get(after, "title"), "es")),
			      before ? before : json_null(), after);
	json_decref(after);
	return rc;
}

static bool input_ok(json_t *in, bool create, struct verr *err)
{
	json_t *st = json_object_get(in, "state");

	if (st && !valid_state(json_string_value(st))) {
		verr_set(err, "state",
			 "el estado es draft, published o "
			 "internal");
		return false;
	}
	if (!text_ok(json_object_get(in, "es"), "es", create, err))
		return false;
	if (!create && json_is_null(json_object_get(in, "es"))) {
		verr_set(err, "es", "el texto en español no se puede quitar");
		return false;
	}
	return text_ok(json_object_get(in, "en"), "en", false, err);
}

ay_rc kb_article_save(struct db *db, const struct actor *a, int64_t id,
		      json_t *in, struct verr *err, int64_t *out_id)
{
	const char *want = json_string_value(json_object_get(in, "state"));
	json_t *tags = json_object_get(in, "tags");
	json_t *cat = json_object_get(in, "category");
	char state[16] = "draft";
	json_t *before = NULL;
	struct buf tagbuf;
	int64_t cat_id = 0, now = ay_now();
	ay_rc rc;

	*out_id = 0;
	if (!actor_is_staff(a))
		return AY_ENOTFOUND;
	if (id) {
		rc = article_state(db, id, state);
		if (rc)
			return rc;
	}
	if (!input_ok(in, id == 0, err))
		return AY_EINVAL;
	/* Agents write drafts; what readers see changes by a supervisor. */
	if (!access_kb_publish(a) &&
	    (strcmp(state, "draft") || (want && strcmp(want, "draft")))) {
		verr_set(err, "state",
			 "solo supervisores y administradores "
			 "publican o cambian un artículo "
			 "publicado");
		return AY_EPERM;
	}
	if (cat) {
		rc = category_id(db, cat, err, &cat_id);
		if (rc)
			return rc;
	}
	buf_init(&tagbuf, 2048);
	rc = tags ? tags_ok(tags, &tagbuf, err) : AY_OK;
	if (!rc && id)
		rc = article_audit_json(db, id, &before);
	if (rc) {
		buf_release(&tagbuf);
		return rc;
	}
	if (want)
		snprintf(state, sizeof(state), "%s", want);
	if (!id) {
		struct db_stmt *s = NULL;
		bool row = false;

		rc = db_run(db, &s, &row,
			    "INSERT INTO kb_articles (category_id, state,"
			    " author_id, tags, created_at, updated_at,"
			    " published_at) VALUES ($1, $2, $3, $4, $5, $5,"
			    " CASE WHEN $2 = 'published' THEN $5 END)"
			    " RETURNING id",
			    "Isisi", cat_id, state, a->user_id,
			    buf_str(&tagbuf), now);
		if (!rc && row)
			id = db_col_int(s, 0);
		if (s)
			db_reset(s);
		if (!rc && !id)
			rc = AY_EDB;
	} else {
		rc = db_run(
			db, NULL, NULL,
			"UPDATE kb_articles SET state = $2, updated_at = $3,"
			" published_at = CASE WHEN $2 = 'published' AND"
			" published_at IS NULL THEN $3 ELSE published_at"
			" END WHERE id = $1",
			"isi", id, state, now);
		if (!rc && cat)
			rc = db_run(db, NULL, NULL,
				    "UPDATE kb_articles SET category_id = $2"
				    " WHERE id = $1",
				    "iI", id, cat_id);
		if (!rc && tags)
			rc = db_run(db, NULL, NULL,
				    "UPDATE kb_articles SET tags = $2"
				    " WHERE id = $1",
				    "is", id, buf_str(&tagbuf));
	}
	if (!rc && tags)
		rc = db_run(
			db, NULL, NULL,
			"UPDATE kb_texts SET tags = $2 WHERE article_id = $1",
			"is", id, buf_str(&tagbuf));
	for (size_t i = 0; !rc && i < AY_ARRAY_LEN(langs); i++) {
		json_t *t = json_object_get(in, langs[i]);

		if (t && json_is_null(t))
			rc = db_run(db, NULL, NULL,
				    "DELETE FROM kb_texts WHERE article_id = $1"
				    " AND lang = $2",
				    "is", id, langs[i]);
		else if (t)
			rc = save_text(db, a, id, langs[i], t, state);
	}
	buf_release(&tagbuf);
	if (!rc)
		rc = article_audit(db, a, id, before);
	json_decref(before);
	if (!rc)
		*out_id = id;
	return rc;
}

/* The category of an article row's columns (id, slug, es, en) at i. */
static json_t *category_json(struct db_stmt *s, int i, const char *lang)
{
	const char *en = db_col_text(s, i + 3);

	if (db_col_null(s, i))
		return json_null();
	return json_pack(
		"{s:I,s:s,s:s}", "id", (json_int_t)db_col_int(s, i), "slug",
		db_col_text(s, i + 1), "name",
		!strcmp(lang, "en") && en && *en ? en : db_col_text(s, i + 2));
}

/* {lang: {title, slug, url, body, html}} of an article. */
static ay_rc texts_json(struct db *db, int64_t id, json_t *texts)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	rc = db_run(db, &s, &row,
		    "SELECT lang, title, slug, body FROM kb_texts"
		    " WHERE article_id = $1 ORDER BY lang DESC",
		    "i", id);
	while (!rc && row) {
		const char *body = db_col_text(s, 3);
		char url[96];
		struct buf html;
		json_t *t;

		buf_init(&html, (size_t)16 << 20);
		rc = md_to_html(body, strlen(body), &html);
		kb_url(id, db_col_text(s, 2), url);
		t = rc ? NULL
		       : json_pack("{s:s,s:s,s:s,s:s,s:s}", "title",
				   db_col_text(s, 1), "slug", db_col_text(s, 2),
				   "url", url, "body", body, "html",
				   buf_str(&html));
		buf_release(&html);
		if (!rc &&
		    (!t || json_object_set_new(texts, db_col_text(s, 0), t)))
			rc = AY_ENOMEM;
		if (!rc)
			rc = db_step(s, &row);
	}
	if (s)
		db_reset(s);
	return rc;
}

static json_t *tags_json(const char *tags)
{
	json_t *list = json_array();
	const char *p = tags;

	while (list && p && *p) {
		const char *end = strstr(p, ", ");
		size_t n = end ? (size_t)(end - p) : strlen(p);

		json_array_append_new(list, json_stringn(p, n));
		p = end ? end + 2 : NULL;
	}
	return list;
}

ay_rc kb_article_get(struct db *db, const struct actor *a, int64_t id,
		     json_t **out)
{
	struct db_stmt *s = NULL;
	json_t *o = NULL, *texts = json_object();
	bool row = false;
	ay_rc rc;

	*out = NULL;
	if (!texts)
		return AY_ENOMEM;
	rc = db_run(db, &s, &row,
		    "SELECT a.state, a.tags, a.created_at, a.updated_at,"
		    " a.published_at, a.views, a.helpful_yes, a.helpful_no,"
		    " u.id, u.name, c.id, c.slug, c.name_es, c.name_en"
		    " FROM kb_articles a JOIN users u ON u.id = a.author_id"
		    " LEFT JOIN kb_categories c ON c.id = a.category_id"
		    " WHERE a.id = $1",
		    "i", id);
	if (!rc && (!row || !may_read(a, db_col_text(s, 0))))
		rc = AY_ENOTFOUND;
	if (!rc) {
		o = json_pack("{s:I,s:s,s:o,s:o,s:o,s:o,s:o,s:I,s:{s:I,s:I}}",
			      "id", (json_int_t)id, "state", db_col_text(s, 0),
			      "category", category_json(s, 10, a->lang), "tags",
			      tags_json(db_col_text(s, 1)), "created_at",
			      json_col_time(s, 2), "updated_at",
			      json_col_time(s, 3), "published_at",
			      json_col_time(s, 4), "views",
			      (json_int_t)db_col_int(s, 5), "helpful", "yes",
			      (json_int_t)db_col_int(s, 6), "no",
			      (json_int_t)db_col_int(s, 7));
		if (o && actor_is_staff(a))
			json_object_set_new(
				o, "author",
				json_pack("{s:I,s:s}", "id",
					  (json_int_t)db_col_int(s, 8), "name",
					  db_col_text(s, 9)));
		if (!o)
			rc = AY_ENOMEM;
	}
	if (s)
		db_reset(s);
	if (!rc)
		rc = texts_json(db, id, texts);
	if (!rc && json_object_set(o, "texts", texts))
		rc = AY_ENOMEM;
	json_decref(texts);
	if (rc) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return AY_OK;
}

struct list_arg {
	const char *lang;
};

static json_t *list_row(struct db_stmt *s, void *arg)
{
	const struct list_arg *la = arg;
	char url[96];
	json_t *o;

	kb_url(db_col_int(s, 0), db_col_text(s, 3), url);
	o = json_pack("{s:I,s:s,s:o,s:s,s:s,s:I,s:o,s:o,s:{s:I,s:I}}", "id",
		      (json_int_t)db_col_int(s, 0), "state", db_col_text(s, 1),
		      "category", category_json(s, 6, la->lang), "title",
		      db_col_text(s, 2), "url", url, "views",
		      (json_int_t)db_col_int(s, 4), "updated_at",
		      json_col_time(s, 5), "langs",
		      json_string(db_col_text(s, 10)), "helpful", "yes",
		      (json_int_t)db_col_int(s, 11), "no",
		      (json_int_t)db_col_int(s, 12));
	if (o) {
		/* "es,en" as a list */
		json_t *l = json_array();
		const char *langs_s = db_col_text(s, 10);

		if (l && strstr(langs_s, "es"))
			json_array_append_new(l, json_string("es"));
		if (l && strstr(langs_s, "en"))
			json_array_append_new(l, json_string("en"));
		json_object_set_new(o, "langs", l ? l : json_array());
	}
	return o;
}

/* The text shown in a listing: the reader's language when there is one. */
#define KB_LIST_SQL                                                            \
	"SELECT a.id, a.state, t.title, t.slug, a.views, a.updated_at,"        \
	" c.id, c.slug, c.name_es, c.name_en,"                                 \
	" (SELECT group_concat(lang) FROM kb_texts x"                          \
	"  WHERE x.article_id = a.id), a.helpful_yes, a.helpful_no"            \
	" FROM kb_articles a"                                                  \
	" JOIN kb_texts t ON t.article_id = a.id AND t.lang = CASE WHEN"       \
	"  $1 = 'en' AND EXISTS (SELECT 1 FROM kb_texts y"                     \
	"  WHERE y.article_id = a.id AND y.lang = 'en') THEN 'en' ELSE 'es'"   \
	"  END"                                                                \
	" LEFT JOIN kb_categories c ON c.id = a.category_id"                   \
	" WHERE ($2 = 1 OR a.state = 'published')"                             \
	" AND ($3 IS NULL OR a.state = $3) AND ($4 IS NULL OR c.slug = $4)"

ay_rc kb_article_list(struct db *db, const struct actor *a, const char *state,
		      const char *category, bool by_views, int limit,
		      json_t **out)
{
	struct list_arg la = {.lang = a->lang};

	if (limit <= 0 || limit > 500)
		limit = 100;
	if (state && !valid_state(state))
		return AY_EINVAL;
	return db_rows_json(
		db, list_row, &la, out,
		by_views ? KB_LIST_SQL " ORDER BY a.views DESC, a.id LIMIT $5"
			 : KB_LIST_SQL
			" ORDER BY a.updated_at DESC, a.id DESC LIMIT $5",
		"sissi", a->lang, (int64_t)actor_is_staff(a), state, category,
		(int64_t)limit);
}

static json_t *revision_row(struct db_stmt *s, void *arg)
{
	(void)arg;
	return json_pack("{s:I,s:s,s:s,s:s,s:{s:I,s:s},s:o}", "id",
			 (json_int_t)db_col_int(s, 0), "lang",
			 db_col_text(s, 1), "title", db_col_text(s, 2), "state",
			 db_col_text(s, 3), "author", "id",
			 (json_int_t)db_col_int(s, 4), "name",
			 db_col_text(s, 5), "created_at", json_col_time(s, 6));
}

ay_rc kb_revisions(struct db *db, const struct actor *a, int64_t id,
		   json_t **out)
{
	char state[16];
	ay_rc rc;

	*out = NULL;
	if (!actor_is_staff(a))
		return AY_ENOTFOUND;
	rc = article_state(db, id, state);
	if (rc)
		return rc;
	return db_rows_json(db, revision_row, NULL, out,
			    "SELECT r.id, r.lang, r.title, r.state, u.id,"
			    " u.name, r.created_at FROM kb_revisions r"
			    " JOIN users u ON u.id = r.author_id"
			    " WHERE r.article_id = $1 ORDER BY r.id DESC",
			    "i", id);
}

/* Split text into lines (pointers into it, which it must outlive). */
static size_t split_lines(char *text, char **lines, size_t max)
{
	size_t n = 0;
	char *p = text;

	while (*p && n < max) {
		char *nl = strchr(p, '\n');

		lines[n++] = p;
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	return n;
}

/* A line diff of a and b by their longest common subsequence. */
static ay_rc line_diff(const char *from, const char *to, json_t *list)
{
	char *a = strdup(from), *b = strdup(to);
	char **la = calloc(DIFF_LINES_MAX, sizeof(char *));
	char **lb = calloc(DIFF_LINES_MAX, sizeof(char *));
	unsigned short *t = NULL;
	size_t na, nb, i = 0, j = 0;
	ay_rc rc = AY_ENOMEM;

	if (!a || !b || !la || !lb)
		goto out;
	na = split_lines(a, la, DIFF_LINES_MAX);
	nb = split_lines(b, lb, DIFF_LINES_MAX);
	t = calloc((na + 1) * (nb + 1), sizeof(*t));
	if (!t)
		goto out;
	/* t[i][j]: the common lines of la[i..] and lb[j..] */
	for (size_t x = na; x-- > 0;)
		for (size_t y = nb; y-- > 0;) {
			size_t k = x * (nb + 1) + y;

			if (!strcmp(la[x], lb[y]))
				t[k] = (unsigned short)(t[k + nb + 2] + 1);
			else
				t[k] = t[k + nb + 1] > t[k + 1] ? t[k + nb + 1]
								: t[k + 1];
		}
	rc = AY_OK;
	while (!rc && (i < na || j < nb)) {
		const char *op, *line;

		if (i < na && j < nb && !strcmp(la[i], lb[j])) {
			op = " ";
			line = la[i++];
			j++;
		} else if (i < na &&
			   (j == nb || t[(i + 1) * (nb + 1) + j] >=
					       t[i * (nb + 1) + j + 1])) {
			op = "-";
			line = la[i++];
		} else {
			op = "+";
			line = lb[j++];
		}
		if (json_array_append_new(list, json_pack("{s:s,s:s}", "op", op,
							  "text", line)))
			rc = AY_ENOMEM;
	}
out:
	free(t);
	free(la);
	free(lb);
	free(a);
	free(b);
	return rc;
}

/* Revision rid of article id: its language, title and body (copies). */
static ay_rc revision_load(struct db *db, int64_t id, int64_t rid, char lang[4],
			   char **title, char **body)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc = db_run(db, &s, &row,
			  "SELECT lang, title, body FROM kb_revisions"
			  " WHERE id = $1 AND article_id = $2",
			  "ii", rid, id);

	if (!rc && !row)
		rc = AY_ENOTFOUND;
	if (!rc) {
		snprintf(lang, 4, "%s", db_col_text(s, 0));
		*title = strdup(db_col_text(s, 1));
		*body = strdup(db_col_text(s, 2));
		if (!*title || !*body)
			rc = AY_ENOMEM;
	}
	if (s)
		db_reset(s);
	return rc;
}

ay_rc kb_revision_diff(struct db *db, const struct actor *a, int64_t id,
		       int64_t from, int64_t to, json_t **out)
{
	char la[4] = "", lb[4] = "";
	char *ta = NULL, *ba = NULL, *tb = NULL, *bb = NULL;
	json_t *lines = NULL;
	ay_rc rc;

	*out = NULL;
	if (!actor_is_staff(a))
		return AY_ENOTFOUND;
	rc = revision_load(db, id, from, la, &ta, &ba);
	if (!rc)
		rc = revision_load(db, id, to, lb, &tb, &bb);
	if (!rc && strcmp(la, lb))
		rc = AY_EINVAL;
	if (!rc) {
		lines = json_array();
		rc = lines ? line_diff(ba, bb, lines) : AY_ENOMEM;
	}
	if (!rc) {
		*out = json_pack("{s:I,s:I,s:s,s:{s:s,s:s},s:o}", "from",
				 (json_int_t)from, "to", (json_int_t)to, "lang",
				 la, "title", "from", ta, "to", tb, "lines",
				 lines);
		lines = NULL;
		if (!*out)
			rc = AY_ENOMEM;
	}
	json_decref(lines);
	free(ta);
	free(ba);
	free(tb);
	free(bb);
	return rc;
}

/* A snippet of Markdown as plain text, in place: no emphasis, code or
 * heading marks, no table bars, one line. */
static void snippet_plain(char *s)
{
	char *o = s;
	bool space = false;

	for (const char *p = s; *p; p++) {
		if (strchr("*`#|", *p))
			continue;
		if (*p == '\n' || *p == '\r' || *p == '\t' || *p == ' ') {
			space = o != s;
			continue;
		}
		if (space)
			*o++ = ' ';
		space = false;
		*o++ = *p;
	}
	*o = '\0';
}

ay_rc kb_search(struct db *db, const struct actor *a, const char *q,
		const char *lang, bool any_word, int limit, json_t **out,
		size_t *found)
{
	struct kb_hit hits[KB_SEARCH_MAX];
	struct kb_search_opts o = {.lang = lang && !strcmp(lang, "en") ? "en"
					   : !lang && !strcmp(a->lang, "en")
						   ? "en"
						   : "es",
				   .internal = actor_is_staff(a),
				   .any_word = any_word};
	json_t *list;
	size_t n = 0;
	ay_rc rc;

	*out = NULL;
	*found = 0;
	if (!q || !ay_utf8_valid(q, strlen(q)) || ay_utf8_chars(q) > 2000)
		return AY_EINVAL;
	if (limit <= 0 || limit > KB_SEARCH_MAX)
		limit = 10;
	rc = store_kb_search(db, q, &o, hits, (size_t)limit, &n);
	if (rc)
		return rc;
	/* Suggestions from a long text match many articles a little: only
	 * those near the best one are worth the reader's time. */
	while (any_word && n > 1 && hits[n - 1].score < hits[0].score * 0.35)
		n--;
	list = json_array();
	for (size_t i = 0; list && i < n; i++) {
		struct db_stmt *s = NULL;
		bool row = false;
		char url[96];

		if (db_run(db, &s, &row,
			   "SELECT t.title, t.slug, a.state FROM kb_texts t"
			   " JOIN kb_articles a ON a.id = t.article_id"
			   " WHERE t.id = $1",
			   "i", hits[i].text_id) ||
		    !row)
			continue;
		kb_url(hits[i].article_id, db_col_text(s, 1), url);
		snippet_plain(hits[i].snippet);
		json_array_append_new(
			list,
			json_pack("{s:I,s:s,s:s,s:s,s:s,s:f}", "id",
				  (json_int_t)hits[i].article_id, "title",
				  db_col_text(s, 0), "url", url, "state",
				  db_col_text(s, 2), "snippet", hits[i].snippet,
				  "score", hits[i].score));
		db_reset(s);
	}
	*found = n;
	*out = list ? json_pack("{s:s,s:s,s:o}", "q", q, "lang", o.lang,
				"results", list)
		    : NULL;
	return *out ? AY_OK : AY_ENOMEM;
}

ay_rc kb_search_log(struct db *db, const char *q, const char *lang,
		    const char *source, size_t results)
{
	return db_run(db, NULL, NULL,
		      "INSERT INTO kb_searches (q, lang, source, results,"
		      " created_at) VALUES (lower(trim($1)), $2, $3, $4, $5)",
		      "sssii", q, lang, source, (int64_t)results, ay_now());
}

/* Record kind on the article, by reader (NULL: not known). */
static ay_rc event_add_reader(struct db *db, int64_t article_id,
			      const char *kind, int64_t user_id,
			      const char *reader)
{
	static const char *const counter[][2] = {
		{"view",
		 "UPDATE kb_articles SET views = views + 1 WHERE id = $1"},
		{"yes", "UPDATE kb_articles SET helpful_yes = helpful_yes + 1"
			" WHERE id = $1"},
		{"no", "UPDATE kb_articles SET helpful_no = helpful_no + 1"
		       " WHERE id = $1"},
		{"suggest", NULL},
	};
	const char *sql = NULL;
	char state[16];
	bool known = false;
	ay_rc rc = article_state(db, article_id, state);

	if (!rc && !strcmp(state, "draft"))
		rc = AY_ENOTFOUND;
	for (size_t i = 0; !rc && i < AY_ARRAY_LEN(counter); i++)
		if (!strcmp(kind, counter[i][0])) {
			sql = counter[i][1];
			known = true;
		}
	if (!rc && !known)
		rc = AY_EINVAL;
	if (!rc && sql)
		rc = db_run(db, NULL, NULL, sql, "i", article_id);
	if (!rc)
		rc = db_run(db, NULL, NULL,
			    "INSERT INTO kb_events (article_id, kind, user_id,"
			    " created_at, reader) VALUES ($1, $2, $3, $4, $5)",
			    "isIis", article_id, kind, user_id, ay_now(),
			    reader);
	return rc;
}

ay_rc kb_event(struct db *db, int64_t article_id, const char *kind,
	       int64_t user_id)
{
	return event_add_reader(db, article_id, kind, user_id, NULL);
}

/* Today's salt of the readers' hashes (made on the day's first view;
 * the days before are forgotten, so that a hash cannot be made again
 * from an address once its day is over) into out[65]. */
static ay_rc reader_salt(struct db *db, int64_t day, char out[65])
{
	struct db_stmt *s = NULL;
	unsigned char raw[32];
	bool row = false;
	ay_rc rc = db_run(db, &s, &row,
			  "SELECT salt FROM kb_salts WHERE day = $1", "i", day);

	if (!rc && row)
		snprintf(out, 65, "%s", db_col_text(s, 0));
	if (s)
		db_reset(s);
	if (rc || row)
		return rc;
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(out, 65, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
	rc = db_run(db, NULL, NULL, "DELETE FROM kb_salts", NULL);
	if (!rc)
		rc = db_run(db, NULL, NULL,
			    "INSERT INTO kb_salts (day, salt) VALUES ($1, $2)",
			    "is", day, out);
	return rc;
}

ay_rc kb_view(struct db *db, int64_t article_id, int64_t user_id,
	      const char *client, const char *agent, bool *counted)
{
	struct db_stmt *s = NULL;
	char reader[40], salt[65], hex[65];
	int64_t now = ay_now();
	struct buf b;
	bool row = false;
	ay_rc rc = AY_OK;

	*counted = false;
	if (user_id)
		snprintf(reader, sizeof(reader), "u%lld", (long long)user_id);
	else {
		rc = reader_salt(db, now / 86400, salt);
		buf_init(&b, 1024);
		if (!rc)
			rc = buf_addf(&b, "%s\n%.64s\n%.512s", salt,
				      client ? client : "", agent ? agent : "");
		if (!rc)
			ay_sha256_hex(b.ptr, b.len, hex);
		buf_release(&b);
		sodium_memzero(salt, sizeof(salt));
		if (rc)
			return rc;
		snprintf(reader, sizeof(reader), "a%.32s", hex);
	}
	rc = db_run(db, &s, &row,
		    "SELECT 1 FROM kb_events WHERE article_id = $1 AND"
		    " kind = 'view' AND reader = $2 AND created_at > $3",
		    "isi", article_id, reader, now - KB_VIEW_WINDOW);
	if (s)
		db_reset(s);
	if (rc || row)
		return rc;
	rc = event_add_reader(db, article_id, "view", user_id, reader);
	*counted = !rc;
	return rc;
}

static json_t *reading_row(struct db_stmt *s, void *arg)
{
	char url[96];

	(void)arg;
	kb_url(db_col_int(s, 0), db_col_text(s, 2), url);
	return json_pack("{s:I,s:s,s:s,s:s,s:o}", "id",
			 (json_int_t)db_col_int(s, 0), "title",
			 db_col_text(s, 1), "url", url, "kind",
			 db_col_text(s, 4), "at", json_col_time(s, 3));
}

ay_rc kb_ticket_reading(struct db *db, const struct actor *a, int64_t number,
			json_t **out)
{
	int64_t tid = 0;
	ay_rc rc;

	*out = NULL;
	if (!actor_is_staff(a))
		return AY_ENOTFOUND;
	rc = access_ticket(db, a, number, ACCESS_READ, &tid);
	if (rc)
		return rc;
	return db_rows_json(
		db, reading_row, NULL, out,
		"SELECT e.article_id, t.title, t.slug, MAX(e.created_at),"
		" MAX(e.kind) FROM kb_events e"
		" JOIN tickets k ON k.id = $1"
		" JOIN kb_texts t ON t.article_id = e.article_id AND"
		"  t.lang = 'es'"
		" WHERE e.user_id = k.requester_id AND e.kind IN"
		" ('view', 'suggest') AND e.created_at <= k.created_at AND"
		" e.created_at > k.created_at - 86400"
		" GROUP BY e.article_id, t.title, t.slug ORDER BY 4 DESC"
		" LIMIT 20",
		"i", tid);
}

static json_t *no_result_row(struct db_stmt *s, void *arg)
{
	(void)arg;
	return json_pack("{s:s,s:I}", "q", db_col_text(s, 0), "count",
			 (json_int_t)db_col_int(s, 1));
}

static json_t *top_row(struct db_stmt *s, void *arg)
{
	char url[96];

	(void)arg;
	kb_url(db_col_int(s, 0), db_col_text(s, 2), url);
	return json_pack("{s:I,s:s,s:s,s:I,s:I,s:I}", "id",
			 (json_int_t)db_col_int(s, 0), "title",
			 db_col_text(s, 1), "url", url, "views",
			 (json_int_t)db_col_int(s, 3), "yes",
			 (json_int_t)db_col_int(s, 4), "no",
			 (json_int_t)db_col_int(s, 5));
}

static ay_rc count_of(struct db *db, const char *sql, int64_t from, int64_t to,
		      int64_t *n)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc = db_run(db, &s, &row, sql, "ii", from, to);

	*n = !rc && row ? db_col_int(s, 0) : 0;
	if (s)
		db_reset(s);
	return rc;
}

ay_rc kb_report(struct db *db, const struct actor *a, int64_t from, int64_t to,
		json_t **out)
{
	static const char *const counts[] = {
		"SELECT count(*) FROM kb_events WHERE kind = 'view'"
		" AND created_at >= $1 AND created_at < $2",
		"SELECT count(*) FROM kb_events WHERE kind = 'yes'"
		" AND created_at >= $1 AND created_at < $2",
		"SELECT count(*) FROM kb_events WHERE kind = 'no'"
		" AND created_at >= $1 AND created_at < $2",
		"SELECT count(*) FROM kb_events WHERE kind = 'suggest'"
		" AND created_at >= $1 AND created_at < $2",
		/* opened a suggestion, then wrote no ticket within the hour */
		"SELECT count(*) FROM kb_events e WHERE e.kind = 'suggest'"
		" AND e.created_at >= $1 AND e.created_at < $2 AND"
		" e.user_id IS NOT NULL AND"
		" NOT EXISTS (SELECT 1 FROM tickets t WHERE"
		" t.requester_id = e.user_id AND t.created_at >= e.created_at"
		" AND t.created_at < e.created_at + 3600)",
		"SELECT count(*) FROM kb_searches WHERE created_at >= $1"
		" AND created_at < $2",
	};
	int64_t n[AY_ARRAY_LEN(counts)];
	char a_from[32], a_to[32];
	json_t *none = NULL, *top = NULL;
	ay_rc rc = AY_OK;

	*out = NULL;
	if (!access_reports(a))
		return AY_ENOTFOUND;
	for (size_t i = 0; !rc && i < AY_ARRAY_LEN(counts); i++)
		rc = count_of(db, counts[i], from, to, &n[i]);
	if (!rc)
		rc = db_rows_json(db, no_result_row, NULL, &none,
				  "SELECT q, count(*) FROM kb_searches"
				  " WHERE results = 0 AND created_at >= $1"
				  " AND created_at < $2"
				  " GROUP BY q ORDER BY 2 DESC, q LIMIT 20",
				  "ii", from, to);
	if (!rc)
		rc = db_rows_json(db, top_row, NULL, &top,
				  "SELECT a.id, t.title, t.slug, a.views,"
				  " a.helpful_yes, a.helpful_no"
				  " FROM kb_articles a JOIN kb_texts t ON"
				  " t.article_id = a.id AND t.lang = 'es'"
				  " WHERE a.state <> 'draft'"
				  " ORDER BY a.views DESC, a.id LIMIT 10",
				  NULL);
	ay_iso_utc(from, a_from);
	ay_iso_utc(to, a_to);
	if (!rc) {
		*out = json_pack("{s:s,s:s,s:I,s:I,s:{s:I,s:I},s:I,s:I,s:I,s:o,"
				 "s:o}",
				 "from", a_from, "to", a_to, "days",
				 (json_int_t)((to - from + 86399) / 86400),
				 "views", (json_int_t)n[0], "helpful", "yes",
				 (json_int_t)n[1], "no", (json_int_t)n[2],
				 "suggestions_opened", (json_int_t)n[3],
				 "deflected", (json_int_t)n[4], "searches",
				 (json_int_t)n[5], "no_result", none, "top",
				 top);
		none = top = NULL;
		if (!*out)
			rc = AY_ENOMEM;
	}
	json_decref(none);
	json_decref(top);
	return rc;
}

ay_rc kb_file_add(struct db *db, const struct actor *a, int64_t upload_id,
		  json_t **out)
{
	struct db_stmt *s = NULL;
	bool row = false;
	char url[64];
	ay_rc rc;

	*out = NULL;
	if (!actor_is_staff(a))
		return AY_ENOTFOUND;
	rc = db_run(
		db, &s, &row,
		"INSERT INTO kb_files (filename, content_type, size, sha256,"
		" user_id, created_at) SELECT filename, content_type, size,"
		" sha256, user_id, $3 FROM uploads WHERE id = $1 AND"
		" user_id = $2 RETURNING id, filename, content_type",
		"iii", upload_id, a->user_id, ay_now());
	if (!rc && !row)
		rc = AY_ENOTFOUND;
	if (!rc) {
		const char *name = db_col_text(s, 1);
		const char *type = db_col_text(s, 2);
		bool image = !strncmp(type, "image/", 6);
		struct buf md;

		snprintf(url, sizeof(url), "/kb/archivos/%lld",
			 (long long)db_col_int(s, 0));
		buf_init(&md, 1024);
		/* the name as link text, without what Markdown would read */
		rc = buf_adds(&md, image ? "![" : "[");
		for (const char *p = name; !rc && *p; p++)
			if (!strchr("[]()\\*_`<>!", *p))
				rc = buf_addc(&md, *p);
		if (!rc)
			rc = buf_addf(&md, "](%s)", url);
		*out = rc ? NULL
			  : json_pack("{s:I,s:s,s:s,s:s,s:s}", "id",
				      (json_int_t)db_col_int(s, 0), "filename",
				      name, "content_type", type, "url", url,
				      "markdown", buf_str(&md));
		buf_release(&md);
		if (!rc && !*out)
			rc = AY_ENOMEM;
	}
	if (s)
		db_reset(s);
	/* the upload is the article's now, not waiting for a message */
	if (!rc)
		rc = db_run(db, NULL, NULL, "DELETE FROM uploads WHERE id = $1",
			    "i", upload_id);
	return rc;
}

ay_rc kb_sitemap(struct db *db, int64_t page, kb_sitemap_fn fn, void *arg,
		 int64_t *count)
{
	struct db_stmt *s = NULL;
	char url[96], at[32];
	bool row = false;
	ay_rc rc = db_run(db, &s, &row,
			  "SELECT count(*) FROM kb_articles"
			  " WHERE state = 'published'",
			  NULL);

	*count = !rc && row ? db_col_int(s, 0) : 0;
	if (s)
		db_reset(s);
	s = NULL;
	if (rc || page < 1)
		return rc;
	/* Each published article once, by its Spanish text's address. */
	rc = db_run(db, &s, &row,
		    "SELECT a.id, t.slug, a.updated_at FROM kb_articles a"
		    " JOIN kb_texts t ON t.article_id = a.id AND t.lang = 'es'"
		    " WHERE a.state = 'published' ORDER BY a.id"
		    " LIMIT $1 OFFSET $2",
		    "ii", (int64_t)KB_SITEMAP_PAGE,
		    (page - 1) * KB_SITEMAP_PAGE);
	while (!rc && row) {
		kb_url(db_col_int(s, 0), db_col_text(s, 1), url);
		ay_iso_utc(db_col_int(s, 2), at);
		rc = fn(arg, url, at);
		if (!rc)
			rc = db_step(s, &row);
	}
	if (s)
		db_reset(s);
	return rc;
}

/* Does text hold the address of file id (path: "/kb/archivos/ID") and not
 * only a longer number's? */
static bool uses_file(const char *text, const char *path)
{
	size_t n = strlen(path);

	for (const char *p = strstr(text, path); p; p = strstr(p + 1, path))
		if (!isdigit((unsigned char)p[n]))
			return true;
	return false;
}

/* Is file id shown by a published article (its address in a text)? */
static ay_rc file_published(struct db *db, int64_t id, bool *out)
{
	struct db_stmt *s = NULL;
	char path[48];
	bool row = false;
	ay_rc rc;

	*out = false;
	snprintf(path, sizeof(path), "/kb/archivos/%lld", (long long)id);
	rc = db_run(db, &s, &row,
		    "SELECT x.body FROM kb_texts x JOIN kb_articles a ON"
		    " a.id = x.article_id WHERE a.state = 'published' AND"
		    " instr(x.body, $1) > 0",
		    "s", path);
	while (!rc && row && !*out) {
		*out = uses_file(db_col_text(s, 0), path);
		if (!*out)
			rc = db_step(s, &row);
	}
	if (s)
		db_reset(s);
	return rc;
}

ay_rc kb_file_get(struct db *db, const struct actor *a, int64_t id,
		  char name[256], char type[128], char sha256[65], bool *public)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc = db_run(db, &s, &row,
			  "SELECT filename, content_type, sha256 FROM kb_files"
			  " WHERE id = $1",
			  "i", id);

	*public = false;
	if (!rc && !row)
		rc = AY_ENOTFOUND;
	if (!rc) {
		snprintf(name, 256, "%s", db_col_text(s, 0));
		snprintf(type, 128, "%s", db_col_text(s, 1));
		snprintf(sha256, 65, "%s", db_col_text(s, 2));
	}
	if (s)
		db_reset(s);
	if (!rc)
		rc = file_published(db, id, public);
	/* A file of drafts and internal articles only: the team's. */
	if (!rc && !*public && !actor_is_staff(a))
		rc = AY_ENOTFOUND;
	return rc;
}
