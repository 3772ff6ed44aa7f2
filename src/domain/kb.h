/* The knowledge base (domain/kb.c): articles with a Spanish and an
 * English text, a category, tags and a state; every save of a text is a
 * revision; what readers do with them (views, "¿Le sirvió?", suggestions
 * opened from the new-ticket form) and what they search for.
 *
 * Who may do what:
 *   - anyone (signed in or not) reads published articles; staff also
 *     internal ones and drafts;
 *   - agents create articles and change drafts; only supervisors and
 *     admins publish, make internal, change a published or internal
 *     article, or manage categories;
 *   - revisions, the diff and the report are for staff (the report for
 *     supervisors and admins).
 * Anything the caller may not read is AY_ENOTFOUND. */
#ifndef AY_DOMAIN_KB_H
#define AY_DOMAIN_KB_H

#include "domain/common.h"

#define KB_TITLE_MAX 200	/* characters */
#define KB_BODY_MAX  (1u << 20) /* bytes of Markdown */

/* Create (id 0) or change an article from the JSON object in: {state,
 * category (a slug or null), tags [text], es {title, body}, en {title,
 * body} or null to drop the English text}; every member optional when
 * changing, es required when creating. *id gets the article's id. Writes a
 * revision for every text that changed. AY_EINVAL (err set), AY_EPERM. */
ay_rc kb_article_save(struct db *db, const struct actor *a, int64_t id,
		      json_t *in, struct verr *err,
		      int64_t *out_id) AY_MUST_CHECK;
/* The article as the actor may see it: {id, state, category, tags,
 * created_at, updated_at, published_at, views, helpful {yes, no}, texts
 * {es: {title, slug, url, body, html}, en: ...}} (+ author for staff). */
ay_rc kb_article_get(struct db *db, const struct actor *a, int64_t id,
		     json_t **out) AY_MUST_CHECK;
/* Articles the actor may see, newest change first, or most viewed first
 * when by_views; of one state (NULL: all visible) and category slug (NULL:
 * all). Each {id, state, category, title, url, views, updated_at, langs}. */
ay_rc kb_article_list(struct db *db, const struct actor *a, const char *state,
		      const char *category, bool by_views, int limit,
		      json_t **out) AY_MUST_CHECK;
/* Revisions of an article (staff): [{id, lang, title, state, author,
 * created_at}], newest first. */
ay_rc kb_revisions(struct db *db, const struct actor *a, int64_t id,
		   json_t **out) AY_MUST_CHECK;
/* The difference between two revisions of one article and language
 * (staff): {from, to, lang, title {from, to}, lines [{op: " "|"-"|"+",
 * text}]}. */
ay_rc kb_revision_diff(struct db *db, const struct actor *a, int64_t id,
		       int64_t from, int64_t to, json_t **out) AY_MUST_CHECK;

/* Categories (kb_category.c) in their order, each with the number of
 * its articles the actor may read: [{id, slug, name (in the actor's
 * language), name_es, name_en, count, position}]. */
ay_rc kb_categories(struct db *db, const struct actor *a,
		    json_t **out) AY_MUST_CHECK;
/* Create a category {slug?, name_es, name_en?} (supervisors, admins),
 * last in the order. *out: {id, slug, name_es, name_en, position}.
 * AY_ECONFLICT for a slug in use. */
ay_rc kb_category_create(struct db *db, const struct actor *a, json_t *in,
			 struct verr *err, json_t **out) AY_MUST_CHECK;
/* Rename ({name_es?, name_en?}) or move ({position}: 1 is the first) a
 * category (supervisors, admins); the slug stays, so its addresses keep
 * working. *out as kb_category_create's. */
ay_rc kb_category_update(struct db *db, const struct actor *a, int64_t id,
			 json_t *in, struct verr *err,
			 json_t **out) AY_MUST_CHECK;
/* Delete an empty category (supervisors, admins); AY_ECONFLICT, err
 * saying how many, while any article (in any state) is in it. */
ay_rc kb_category_delete(struct db *db, const struct actor *a, int64_t id,
			 struct verr *err) AY_MUST_CHECK;

/* Search (store/kb.h) in lang ("es" or "en"; NULL: the actor's): {q,
 * results [{id, title, url, snippet, score}]}, at most limit (1..20).
 * any_word for a long text (the new-ticket form's subject and
 * description). *found gets the number of results. */
ay_rc kb_search(struct db *db, const struct actor *a, const char *q,
		const char *lang, bool any_word, int limit, json_t **out,
		size_t *found) AY_MUST_CHECK;
/* Record a search (for the report of what is missing). */
ay_rc kb_search_log(struct db *db, const char *q, const char *lang,
		    const char *source, size_t results) AY_MUST_CHECK;
/* Record what a reader did with a published or internal article: "view",
 * "suggest" (opened from the new-ticket form), "yes", "no". user_id 0
 * for an anonymous reader. AY_ENOTFOUND for an article not published. */
ay_rc kb_event(struct db *db, int64_t article_id, const char *kind,
	       int64_t user_id) AY_MUST_CHECK;
/* Seconds within which a reader opening an article again counts once. */
#define KB_VIEW_WINDOW 1800
/* Record a view of a published or internal article, once per reader in
 * KB_VIEW_WINDOW. The reader is the signed-in user_id, or else a hash of
 * the client's address and browser (client, agent) with a salt of the
 * day, kept only for that day: nothing that names a person is stored.
 * *counted tells whether it counted. */
ay_rc kb_view(struct db *db, int64_t article_id, int64_t user_id,
	      const char *client, const char *agent,
	      bool *counted) AY_MUST_CHECK;
/* The articles a ticket's requester opened in the day before writing it
 * (staff): [{id, title, url, at}]. */
ay_rc kb_ticket_reading(struct db *db, const struct actor *a, int64_t number,
			json_t **out) AY_MUST_CHECK;
/* The knowledge base's report over the period [from, to) (supervisors
 * and admins): {from, to, days, views, helpful {yes, no},
 * suggestions_opened, deflected, searches, no_result [{q, count}], top
 * [{id, title, views, yes, no}]} (top: the most read ever). A suggestion
 * opened is deflected when its reader wrote no ticket in the hour after. */
ay_rc kb_report(struct db *db, const struct actor *a, int64_t from, int64_t to,
		json_t **out) AY_MUST_CHECK;

/* The demo knowledge base (kb_demo.c): categories and a dozen articles
 * written by author (a supervisor or admin). */
ay_rc kb_demo_seed(struct db *db, const struct actor *author) AY_MUST_CHECK;

/* An image or file for articles: the actor's (staff) upload upload_id
 * becomes a knowledge-base file, public at /kb/archivos/ID. *out: {id,
 * filename, content_type, url, markdown} ("![name](url)" for an image). */
ay_rc kb_file_add(struct db *db, const struct actor *a, int64_t upload_id,
		  json_t **out) AY_MUST_CHECK;
/* A knowledge-base file: its name, type and stored sha256 into the
 * caller's buffers; *public tells whether a published article shows it
 * (its address, /kb/archivos/ID, in one of its texts). Anyone gets a
 * public file; only staff one that drafts or internal articles alone
 * use, or none yet. AY_ENOTFOUND otherwise, or when there is none. */
ay_rc kb_file_get(struct db *db, const struct actor *a, int64_t id,
		  char name[256], char type[128], char sha256[65],
		  bool *public) AY_MUST_CHECK;

/* Articles in one page of the sitemap (the protocol's limit). */
#define KB_SITEMAP_PAGE 50000
/* Called for each article of a sitemap page: its address (/kb/ID-slug)
 * and last change (ISO 8601 UTC); a non-zero result stops the list. */
typedef ay_rc (*kb_sitemap_fn)(void *arg, const char *url, const char *at);
/* *count gets the number of published articles; with page 1.. (by id,
 * KB_SITEMAP_PAGE a page) fn is called for each article of that page. */
ay_rc kb_sitemap(struct db *db, int64_t page, kb_sitemap_fn fn, void *arg,
		 int64_t *count) AY_MUST_CHECK;

/* {"html": the safe HTML of the Markdown text} (util/markdown.h), for a
 * preview. AY_ETOOBIG over KB_BODY_MAX. */
ay_rc kb_render(const char *body, json_t **out) AY_MUST_CHECK;

/* The slug of a title (lowercase ASCII words joined by '-', at most 60
 * bytes) into out[64]. */
void kb_slug(const char *title, char out[64]);
/* The public address of an article's text: "/kb/ID-slug". out[96]. */
void kb_url(int64_t id, const char *slug, char out[96]);

#endif
