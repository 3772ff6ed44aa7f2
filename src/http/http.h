/* HTTP server (libmicrohttpd glue), router and JSON API. */
#ifndef AY_HTTP_H
#define AY_HTTP_H

#include <jansson.h>
#include <microhttpd.h>

#include "http/mhd_dl.h"
#include "http/framing.h"

#include "domain/common.h"
#include "domain/vault.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/config.h"

/* Longest '*' route segment, plus its NUL (a 64-hex-digit token fits). */
#define AY_PARAM_MAX 80

struct http_server;
struct http_req;
struct vault_key;

/* A deferred write: runs in the writer thread, sets the response. */
typedef ay_rc (*http_job_fn)(struct db *db, struct http_req *r);

/* The state of one request, allocated on MHD's first callback and freed
 * when MHD reports the request completed. */
struct http_req {
	struct http_server *srv;
	struct MHD_Connection *conn;
	const char *method; /* borrowed from MHD */
	char *path;	    /* owned */
	int route;	    /* index into the route table, -1 when none */
	int64_t t0;	    /* monotonic ns at arrival */
	struct buf body;    /* request body, capped */
	json_t *in;	    /* parsed JSON body, owned */
	bool too_big;
	char client[64];
	/* caller */
	struct actor actor;
	bool authed;
	/* route parameters */
	int64_t number;
	char param[AY_PARAM_MAX]; /* a "*" segment: [A-Za-z0-9_-]+ */
	/* response */
	int status;
	json_t *json; /* response body when set (stolen) */
	struct buf out;
	const char *ctype;
	/* a deferred write: runs in the store's writer thread */
	http_job_fn job;
	bool suspended, completed;
	struct verr verr;
	/* accounts and security (server.c, api_account.c) */
	char session[68];  /* cookie session id when authenticated by one */
	char *set_cookie;  /* owned: a Set-Cookie header, or NULL */
	const char *csp;   /* a Content-Security-Policy other than ours */
	char *disposition; /* owned: Content-Disposition, or NULL */
	int retry_after;   /* seconds, sent as Retry-After when > 0 */
	struct http_frame frame; /* framing checks (framing.c) */
	bool close;		 /* answer with Connection: close */
	int64_t aux;		 /* a handler's value for its deferred job */
	bool counted;  /* login: the client's failure is provisional */
	void *aux_ptr; /* owned, free()d with the request */
	/* static files (static.c) */
	const void *body_static; /* borrowed for the program's life */
	size_t body_static_len;
	const char *cache_control; /* NULL: no-store */
	const char *encoding;	   /* Content-Encoding, or NULL */
	char etag[48];		   /* ETag, or "" */
	bool vary_encoding;	   /* Vary: Accept-Encoding */
	bool frame_self; /* our own pages may frame it (the mail HTML view) */
	char location[256]; /* Location of a redirect, or "" */
	char *json_text;    /* owned: a JSON answer already written, or NULL */
	size_t json_text_len;
};

/* Start serving on cfg->listen with the store. */
ay_rc http_start(const struct ay_config *cfg, struct store *st,
		 struct http_server **out) AY_MUST_CHECK;
void http_stop(struct http_server *srv);
/* The port actually bound (useful with port 0). */
int http_port(const struct http_server *srv);

/* Helpers for handlers. */
struct store *http_store(struct http_req *r);
const struct ay_config *http_config(struct http_req *r);
void http_json(struct http_req *r, int status, json_t *body);
/* Answer with JSON text already written (taken: free()d with the
 * request); a 200 to a GET gets its ETag as http_json()'s does. */
void http_json_text(struct http_req *r, int status, char *text, size_t len);
/* The server's cache of tickets' answers (NULL: none). Borrowed. */
struct ticket_cache *http_ticket_cache(struct http_req *r);
void http_error(struct http_req *r, int status, const char *code,
		const char *msg);
/* Map a domain result to an error response (uses r->verr). */
void http_error_rc(struct http_req *r, ay_rc rc);
/* Parse the body as a JSON object; on failure answers 400/415 and returns
 * NULL. */
json_t *http_body_json(struct http_req *r);
/* Defer a write: fn runs in the writer thread, must set the response
 * (http_json/http_error_rc) and return its ay_rc (non-zero rolls back). */
void http_defer(struct http_req *r, http_job_fn fn);
/* Check that the body r->in has no member but those in keys (a list ending
 * with NULL); answers 422 naming the first unknown one and returns false
 * otherwise. Nothing a client sends is silently dropped. */
bool http_known_fields(struct http_req *r, const char *const *keys);
/* An optional body of flags: none leaves r->in NULL; one given must be a
 * JSON object of booleans named in keys (NULL-terminated). Answers the
 * error and returns false otherwise. */
bool http_flags_body(struct http_req *r, const char *const *keys);
const char *http_query(struct http_req *r, const char *key);
/* Answer a read: fn runs on this thread's reader connection and its JSON
 * becomes the 200 answer; an error becomes its error answer. */
typedef ay_rc (*http_read_fn)(struct db *db, struct http_req *r, json_t **out);
void http_read_json(struct http_req *r, http_read_fn fn);

/* Answer with a redirect (303 after a form) to a path of ours. */
void http_redirect(struct http_req *r, int status, const char *location);
/* On a public route: who the caller is when they sent a valid token or
 * session cookie (a write without the session's CSRF token counts as
 * anonymous); r->actor stays anonymous (role none) otherwise. */
void http_auth_optional(struct http_req *r);

/* Routes (api.c). */
struct route {
	const char *method;
	const char *pattern; /* '#' matches a number, '*' a name segment */
	void (*fn)(struct http_req *r);
	const char *name; /* for metrics */
	bool auth;	  /* requires an authenticated caller */
};
extern const struct route http_routes[];
extern const size_t http_nroutes;

/* After a write job: answer with the ticket as the caller sees it, or with
 * the error rc (api.c). Returns rc, or the error of reading the ticket. */
ay_rc http_answer_ticket(struct db *db, struct http_req *r, ay_rc rc,
			 int64_t number, int status);

/* SLA handlers (api_sla.c). */
/* the agent console (api_agent.c) */
void h_ticket_bulk(struct http_req *r);
void h_sla_explain(struct http_req *r);
void h_draft_get(struct http_req *r);
void h_draft_put(struct http_req *r);
void h_draft_delete(struct http_req *r);
void h_presence_beat(struct http_req *r);
void h_presence_leave(struct http_req *r);
void h_presence_get(struct http_req *r);
void h_changes(struct http_req *r);
void h_search(struct http_req *r);
/* canned answers (api_macros.c) */
void h_macros(struct http_req *r);
void h_macro_get(struct http_req *r);
void h_macro_render(struct http_req *r);
void h_macro_create(struct http_req *r);
void h_macro_edit(struct http_req *r);
void h_macro_delete(struct http_req *r);
void h_sla_levels(struct http_req *r);
void h_sla_level_versions(struct http_req *r);
void h_sla_level_diff(struct http_req *r);
void h_sla_usage(struct http_req *r);
void h_sla_level_edit(struct http_req *r);
void h_calendars(struct http_req *r);
void h_calendar_get(struct http_req *r);
void h_calendar_put(struct http_req *r);
void h_calendar_holiday(struct http_req *r);
void h_calendar_closure(struct http_req *r);
void h_calendar_ics(struct http_req *r);
void h_calendar_whatif(struct http_req *r);
void h_calendar_due(struct http_req *r);
void h_ticket_sla_extend(struct http_req *r);
void h_ticket_sla_reassess(struct http_req *r);

/* The vault key loaded at start (NULL when DATA/vault.key is missing or
 * unsafe). Borrowed for the life of the server. */
const struct vault_key *http_vault_key(struct http_req *r);

/* Accounts, sessions, the vault, downloads (api_account.c). */
void h_register(struct http_req *r);
void h_verify(struct http_req *r);
void h_login(struct http_req *r);
void h_logout(struct http_req *r);
void h_session(struct http_req *r);
void h_reset_request(struct http_req *r);
void h_reset_confirm(struct http_req *r);
void h_password_change(struct http_req *r);
void h_email_change(struct http_req *r);
void h_vault_list(struct http_req *r);
void h_vault_put(struct http_req *r);
void h_vault_read(struct http_req *r);
void h_vault_delete(struct http_req *r);
void h_attachment_get(struct http_req *r);
void h_message_html(struct http_req *r);
void h_message_raw(struct http_req *r);
void h_me_prefs(struct http_req *r);
void h_report_summary(struct http_req *r);
void h_report_dashboard(struct http_req *r); /* api_report.c */
void h_upload(struct http_req *r);
/* Surveys (api_survey.c). */
void h_survey_get(struct http_req *r);
void h_survey_answer(struct http_req *r);
void h_ticket_survey(struct http_req *r);
void h_ticket_survey_answer(struct http_req *r);

/* Administration: users, tokens, companies, contacts, SLA inclusion,
 * audit (api_admin.c). */
void h_users(struct http_req *r);
void h_user_get(struct http_req *r);
void h_user_patch(struct http_req *r);
void h_tokens(struct http_req *r);
void h_token_create(struct http_req *r);
void h_token_revoke(struct http_req *r);
void h_companies(struct http_req *r);
void h_company_create(struct http_req *r);
void h_company_get(struct http_req *r);
void h_company_patch(struct http_req *r);
void h_contacts(struct http_req *r);
void h_contact_add(struct http_req *r);
void h_contact_remove(struct http_req *r);
void h_inclusion_create(struct http_req *r);
void h_inclusions(struct http_req *r);
void h_inclusion_get(struct http_req *r);
void h_inclusion_approve(struct http_req *r);
void h_inclusion_reject(struct http_req *r);
void h_audit(struct http_req *r);
/* The admin console's mail page and the audit's filters
 * (api_mail_admin.c). */
void h_admin_mail(struct http_req *r);
void h_admin_mail_test(struct http_req *r);
void h_admin_mail_fetch(struct http_req *r);
void h_admin_outbox(struct http_req *r);
void h_admin_outbox_retry(struct http_req *r);
void h_admin_outbox_retry_all(struct http_req *r);
void h_admin_templates(struct http_req *r);
void h_admin_template_preview(struct http_req *r);
/* GET /api/v1/audit's filters (actor, type, object, kind, from, to,
 * before, limit) into audit_list() (domain/audit.h). */
ay_rc audit_query(struct db *db, struct http_req *r,
		  json_t **out) AY_MUST_CHECK;

/* The ticket form's choices, identification suggestions (api_policy.c). */
void h_ticket_choices(struct http_req *r);
void h_ticket_choices_set(struct http_req *r);
void h_suggestion_confirm(struct http_req *r);
void h_suggestion_dismiss(struct http_req *r);
void h_server_info(struct http_req *r);

/* The knowledge base: its API (api_kb.c) and its public pages
 * (kb_pages.c). */
void h_kb_categories(struct http_req *r);
void h_kb_category_create(struct http_req *r);
void h_kb_category_update(struct http_req *r);
void h_kb_category_delete(struct http_req *r);
void h_kb_articles(struct http_req *r);
void h_kb_article_create(struct http_req *r);
void h_kb_article_get(struct http_req *r);
void h_kb_article_patch(struct http_req *r);
void h_kb_revisions(struct http_req *r);
void h_kb_diff(struct http_req *r);
void h_kb_feedback(struct http_req *r);
void h_kb_opened(struct http_req *r);
void h_kb_search(struct http_req *r);
void h_kb_ticket_reading(struct http_req *r);
void h_kb_report(struct http_req *r);
/* The query parameter key of a report as an instant into *out (dflt when
 * absent): a date (local midnight in the desk's calendar, api_report.c)
 * or an ISO 8601 instant with its zone; AY_EINVAL with r's error set. */
ay_rc http_report_bound(struct db *db, struct http_req *r, const char *key,
			int64_t dflt, int64_t *out) AY_MUST_CHECK;
void h_kb_preview(struct http_req *r);
void h_kb_file_add(struct http_req *r);
void h_kb_file_get(struct http_req *r);
void h_kb_page_home(struct http_req *r);
void h_kb_page_search(struct http_req *r);
void h_kb_page_article(struct http_req *r);
void h_kb_page_vote(struct http_req *r);
void h_kb_sitemap(struct http_req *r);
/* Answer with a stored file (DATA's attachments, by sha256): its type from
 * an allow-list, a download unless inline_image and an image; a sandbox
 * CSP (api_account.c). */
void http_send_stored(struct http_req *r, const char *sha256,
		      const char *filename, const char *content_type,
		      bool inline_image);
/* Record a knowledge-base event or search after the answer (a write of
 * its own, not waited for). */
void kb_note_event(struct http_req *r, int64_t article_id, const char *kind);
void kb_note_search(struct http_req *r, const char *q, const char *lang,
		    const char *source, size_t results);

/* Metrics (metrics.c). */
/* The text of j, byte for byte json_dumps(j, JSON_COMPACT) (jsonout.c),
 * *len bytes. Returns: owned by the caller, free(); NULL on failure. */
char *http_json_dump(const json_t *j, size_t *len);

void metrics_observe(int route, int status, int64_t ns);
/* Count one authentication, answered from memory or from the database. */
void metrics_auth_lookup(bool from_cache);
/* Count a ticket's answer, kept (ticket_cache.c) or read. */
void metrics_ticket_answer(bool from_cache);
ay_rc metrics_render(struct buf *out) AY_MUST_CHECK;

#endif
