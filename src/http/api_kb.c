/* The knowledge base's JSON API under /api/v1/kb/ (domain/kb.h): reads
 * are public (a signed-in caller may see more), writes need an account. */
#include <stdlib.h>
#include <string.h>

#include "domain/kb.h"
#include "http/http.h"
#include "http/query.h"

/* A write of its own after the answer: an event or a search to record. */
struct note_job {
	int64_t article_id, user_id;
	char kind[16], lang[4], source[16];
	char client[64], agent[256]; /* a view's reader */
	size_t results;
	char *q; /* owned; a search when set */
};

static ay_rc note_run(struct db *db, void *arg)
{
	struct note_job *j = arg;

	bool counted = false;

	if (j->q)
		return kb_search_log(db, j->q, j->lang, j->source, j->results);
	if (!strcmp(j->kind, "view"))
		return kb_view(db, j->article_id, j->user_id, j->client,
			       j->agent, &counted);
	return kb_event(db, j->article_id, j->kind, j->user_id);
}

static void note_done(void *arg, ay_rc rc)
{
	struct note_job *j = arg;

	(void)rc;
	free(j->q);
	free(j);
}

static void note_submit(struct http_req *r, struct note_job *j)
{
	if (store_submit(http_store(r), note_run, note_done, j))
		note_done(j, AY_EBUSY);
}

void kb_note_event(struct http_req *r, int64_t article_id, const char *kind)
{
	const char *ua = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						     "User-Agent");
	struct note_job *j = calloc(1, sizeof(*j));

	if (!j)
		return;
	j->article_id = article_id;
	j->user_id = r->actor.user_id;
	snprintf(j->kind, sizeof(j->kind), "%s", kind);
	snprintf(j->client, sizeof(j->client), "%s", r->client);
	snprintf(j->agent, sizeof(j->agent), "%s", ua ? ua : "");
	note_submit(r, j);
}

void kb_note_search(struct http_req *r, const char *q, const char *lang,
		    const char *source, size_t results)
{
	struct note_job *j = calloc(1, sizeof(*j));

	if (!j)
		return;
	j->q = strndup(q, 200);
	if (!j->q) {
		free(j);
		return;
	}
	snprintf(j->lang, sizeof(j->lang), "%s", lang);
	snprintf(j->source, sizeof(j->source), "%s", source);
	j->results = results;
	note_submit(r, j);
}

static ay_rc categories_read(struct db *db, struct http_req *r, json_t **out)
{
	json_t *list = NULL;
	ay_rc rc = kb_categories(db, &r->actor, &list);

	if (!rc)
		*out = json_pack("{s:o}", "categories", list);
	return rc;
}

void h_kb_categories(struct http_req *r)
{
	http_auth_optional(r);
	http_read_json(r, categories_read);
}

static ay_rc job_category_create(struct db *db, struct http_req *r)
{
	json_t *out = NULL;
	ay_rc rc = kb_category_create(db, &r->actor, r->in, &r->verr, &out);

	if (rc) {
		http_error_rc(r, rc);
		return rc;
	}
	http_json(r, 201, out);
	return AY_OK;
}

void h_kb_category_create(struct http_req *r)
{
	static const char *const keys[] = {"slug", "name_es", "name_en", NULL};

	r->in = http_body_json(r);
	if (r->in && http_known_fields(r, keys))
		http_defer(r, job_category_create);
}

static ay_rc job_category_update(struct db *db, struct http_req *r)
{
	json_t *out = NULL;
	ay_rc rc = kb_category_update(db, &r->actor, r->number, r->in, &r->verr,
				      &out);

	if (rc) {
		http_error_rc(r, rc);
		return rc;
	}
	http_json(r, 200, out);
	return AY_OK;
}

/* PATCH /api/v1/kb/categories/N {name_es?, name_en?, position?}. */
void h_kb_category_update(struct http_req *r)
{
	static const char *const keys[] = {"name_es", "name_en", "position",
					   NULL};

	r->in = http_body_json(r);
	if (r->in && http_known_fields(r, keys))
		http_defer(r, job_category_update);
}

static ay_rc job_category_delete(struct db *db, struct http_req *r)
{
	ay_rc rc = kb_category_delete(db, &r->actor, r->number, &r->verr);

	if (rc) {
		http_error_rc(r, rc);
		return rc;
	}
	r->status = 204;
	return AY_OK;
}

/* DELETE /api/v1/kb/categories/N: only an empty one. */
void h_kb_category_delete(struct http_req *r)
{
	http_defer(r, job_category_delete);
}

static ay_rc articles_read(struct db *db, struct http_req *r, json_t **out)
{
	const char *order = http_query(r, "order");
	const char *limit_s = http_query(r, "limit");
	int64_t limit = 100;
	json_t *list = NULL;
	ay_rc rc = AY_OK;

	if (limit_s && http_query_int(limit_s, 1, 500, &limit)) {
		verr_set(&r->verr, "limit", "un número de 1 a 500");
		return AY_EINVAL;
	}
	rc = kb_article_list(db, &r->actor, http_query(r, "state"),
			     http_query(r, "category"),
			     order && !strcmp(order, "views"), (int)limit,
			     &list);
	if (rc == AY_EINVAL)
		verr_set(&r->verr, "state", "draft, published o internal");
	if (!rc)
		*out = json_pack("{s:o}", "articles", list);
	return rc;
}

void h_kb_articles(struct http_req *r)
{
	http_auth_optional(r);
	http_read_json(r, articles_read);
}

static const char *const article_keys[] = {"state", "category", "tags",
					   "es",    "en",	NULL};

static ay_rc job_article_save(struct db *db, struct http_req *r)
{
	int64_t id = 0;
	json_t *out = NULL;
	ay_rc rc =
		kb_article_save(db, &r->actor, r->number, r->in, &r->verr, &id);

	if (!rc)
		rc = kb_article_get(db, &r->actor, id, &out);
	if (rc) {
		http_error_rc(r, rc);
		return rc;
	}
	http_json(r, r->number ? 200 : 201, out);
	return AY_OK;
}

void h_kb_article_create(struct http_req *r)
{
	r->in = http_body_json(r);
	r->number = 0;
	if (r->in && http_known_fields(r, article_keys))
		http_defer(r, job_article_save);
}

void h_kb_article_patch(struct http_req *r)
{
	r->in = http_body_json(r);
	if (r->in && http_known_fields(r, article_keys))
		http_defer(r, job_article_save);
}

static ay_rc article_read(struct db *db, struct http_req *r, json_t **out)
{
	return kb_article_get(db, &r->actor, r->number, out);
}

void h_kb_article_get(struct http_req *r)
{
	http_auth_optional(r);
	http_read_json(r, article_read);
}

static ay_rc revisions_read(struct db *db, struct http_req *r, json_t **out)
{
	json_t *list = NULL;
	ay_rc rc = kb_revisions(db, &r->actor, r->number, &list);

	if (!rc)
		*out = json_pack("{s:o}", "revisions", list);
	return rc;
}

void h_kb_revisions(struct http_req *r)
{
	http_read_json(r, revisions_read);
}

static ay_rc diff_read(struct db *db, struct http_req *r, json_t **out)
{
	int64_t from = 0, to = 0;

	if (!http_query(r, "from") ||
	    http_query_int(http_query(r, "from"), 1, INT64_MAX / 2, &from) ||
	    !http_query(r, "to") ||
	    http_query_int(http_query(r, "to"), 1, INT64_MAX / 2, &to)) {
		verr_set(&r->verr, "from",
			 "se esperan from y to: dos "
			 "revisiones");
		return AY_EINVAL;
	}
	return kb_revision_diff(db, &r->actor, r->number, from, to, out);
}

void h_kb_diff(struct http_req *r)
{
	http_read_json(r, diff_read);
}

static ay_rc job_feedback(struct db *db, struct http_req *r)
{
	bool yes = json_is_true(json_object_get(r->in, "helpful"));
	ay_rc rc =
		kb_event(db, r->number, yes ? "yes" : "no", r->actor.user_id);

	if (rc) {
		http_error_rc(r, rc);
		return rc;
	}
	http_json(r, 200, json_pack("{s:b}", "helpful", yes));
	return AY_OK;
}

/* POST /api/v1/kb/articles/N/feedback {"helpful": true|false}. */
void h_kb_feedback(struct http_req *r)
{
	static const char *const keys[] = {"helpful", NULL};

	http_auth_optional(r);
	r->in = http_body_json(r);
	if (!r->in || !http_known_fields(r, keys))
		return;
	if (!json_is_boolean(json_object_get(r->in, "helpful"))) {
		verr_set(&r->verr, "helpful", "se espera true o false");
		http_error_rc(r, AY_EINVAL);
		return;
	}
	http_defer(r, job_feedback);
}

static ay_rc job_opened(struct db *db, struct http_req *r)
{
	ay_rc rc = kb_event(db, r->number, "suggest", r->actor.user_id);

	if (rc) {
		http_error_rc(r, rc);
		return rc;
	}
	http_json(r, 200, json_pack("{s:b}", "recorded", 1));
	return AY_OK;
}

/* POST /api/v1/kb/articles/N/opened: the new-ticket form's reader opened
 * this suggestion (a deflection unless a ticket follows). */
void h_kb_opened(struct http_req *r)
{
	http_defer(r, job_opened);
}

static ay_rc search_read(struct db *db, struct http_req *r, json_t **out)
{
	const char *q = http_query(r, "q");
	const char *mode = http_query(r, "mode");
	const char *lang = http_query(r, "lang");
	const char *limit_s = http_query(r, "limit");
	bool suggest = mode && !strcmp(mode, "suggest");
	int64_t limit = suggest ? 3 : 10;
	size_t found = 0;
	ay_rc rc;

	if (limit_s && http_query_int(limit_s, 1, 20, &limit)) {
		verr_set(&r->verr, "limit", "un número de 1 a 20");
		return AY_EINVAL;
	}
	if (!q || !*q) {
		verr_set(&r->verr, "q", "escriba qué busca");
		return AY_EINVAL;
	}
	rc = kb_search(db, &r->actor, q, lang, suggest, (int)limit, out,
		       &found);
	if (rc == AY_EINVAL)
		verr_set(&r->verr, "q", "escriba hasta 2000 caracteres");
	/* What readers look for and do not find is what to write next;
	 * suggestions change at every key, so they are not counted. */
	if (!rc && !suggest)
		kb_note_search(
			r, q, json_string_value(json_object_get(*out, "lang")),
			actor_is_staff(&r->actor) ? "staff" : "public", found);
	return rc;
}

/* GET /api/v1/kb/search?q=&lang=es|en&mode=suggest&limit=N. */
void h_kb_search(struct http_req *r)
{
	http_auth_optional(r);
	http_read_json(r, search_read);
}

/* POST /api/v1/kb/preview {"body": Markdown}: the HTML an article's text
 * would have (staff; the editor's preview before saving). */
void h_kb_preview(struct http_req *r)
{
	static const char *const keys[] = {"body", NULL};
	const char *body;
	json_t *out = NULL;
	ay_rc rc;

	if (!actor_is_staff(&r->actor)) {
		http_error_rc(r, AY_ENOTFOUND);
		return;
	}
	r->in = http_body_json(r);
	if (!r->in || !http_known_fields(r, keys))
		return;
	body = json_string_value(json_object_get(r->in, "body"));
	if (!body) {
		verr_set(&r->verr, "body", "se espera {\"body\": Markdown}");
		http_error_rc(r, AY_EINVAL);
		return;
	}
	rc = kb_render(body, &out);
	if (rc) {
		http_error_rc(r, rc);
		return;
	}
	http_json(r, 200, out);
}

static ay_rc job_file_add(struct db *db, struct http_req *r)
{
	json_t *out = NULL;
	ay_rc rc = kb_file_add(
		db, &r->actor,
		json_integer_value(json_object_get(r->in, "upload")), &out);

	if (rc) {
		http_error_rc(r, rc);
		return rc;
	}
	http_json(r, 201, out);
	return AY_OK;
}

/* POST /api/v1/kb/files {"upload": ID}: an upload of the caller (POST
 * /api/v1/uploads: the attachment policy applies) becomes an article's
 * image or file. */
void h_kb_file_add(struct http_req *r)
{
	static const char *const keys[] = {"upload", NULL};

	r->in = http_body_json(r);
	if (!r->in || !http_known_fields(r, keys))
		return;
	if (!json_is_integer(json_object_get(r->in, "upload"))) {
		verr_set(&r->verr, "upload", "se espera el id de una subida");
		http_error_rc(r, AY_EINVAL);
		return;
	}
	http_defer(r, job_file_add);
}

/* GET /kb/archivos/N: an article's image (shown) or file (downloaded). */
/* GET /kb/archivos/N: anyone once a published article shows it; staff
 * always (not kept by shared caches then). */
void h_kb_file_get(struct http_req *r)
{
	char name[256], type[128], sha[65];
	bool public = false;
	struct db *db;
	ay_rc rc;

	http_auth_optional(r);
	rc = store_reader(http_store(r), &db);
	if (!rc)
		rc = kb_file_get(db, &r->actor, r->number, name, type, sha,
				 &public);
	if (rc) {
		http_error_rc(r, rc);
		return;
	}
	http_send_stored(r, sha, name, type, true);
	r->cache_control =
		public ? "public, max-age=86400" : "private, no-cache";
}

static ay_rc reading_read(struct db *db, struct http_req *r, json_t **out)
{
	json_t *list = NULL;
	ay_rc rc = kb_ticket_reading(db, &r->actor, r->number, &list);

	if (!rc)
		*out = json_pack("{s:o}", "articles", list);
	return rc;
}

void h_kb_ticket_reading(struct http_req *r)
{
	http_read_json(r, reading_read);
}

/* The period: from and to (as the dashboard's), or the last `days`
 * days (30 by default). */
static ay_rc report_read(struct db *db, struct http_req *r, json_t **out)
{
	const char *d = http_query(r, "days");
	int64_t days = 30, now = ay_now(), from, to;
	ay_rc rc;

	if (d && http_query_int(d, 1, 3650, &days)) {
		verr_set(&r->verr, "days", "un número de 1 a 3650");
		return AY_EINVAL;
	}
	rc = http_report_bound(db, r, "to", now + 1, &to);
	if (!rc)
		rc = http_report_bound(db, r, "from", to - days * 86400, &from);
	if (rc)
		return rc;
	if (from >= to) {
		verr_set(&r->verr, "from", "«from» debe ser anterior a «to»");
		return AY_EINVAL;
	}
	return kb_report(db, &r->actor, from, to, out);
}

/* GET /api/v1/reports/kb?from=&to= or ?days=N (supervisors and
 * admins). */
void h_kb_report(struct http_req *r)
{
	http_read_json(r, report_read);
}
