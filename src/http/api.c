/* JSON API handlers under /api/v1/. Reads run in the MHD worker thread on
 * its own connection; writes are deferred to the store's writer thread. */
#include <stdlib.h>
#include <string.h>

#include "domain/access.h"
#include "domain/console.h"
#include "domain/queue.h"
#include "domain/report.h"
#include "domain/review.h"
#include "domain/ticket.h"
#include "domain/ticket_fields.h"
#include "domain/upload.h"
#include "domain/user.h"
#include "http/ticket_cache.h"
#include "domain/vault.h"
#include "http/http.h"
#include "http/query.h"

static void h_healthz(struct http_req *r)
{
	struct db *db;
	int64_t since;
	int v;

	if (store_reader(http_store(r), &db)) {
		http_error(r, 503, "unavailable",
			   "base de datos no disponible");
		return;
	}
	v = store_schema_version(db);
	if (v < 0) {
		http_error(r, 503, "unavailable",
			   "base de datos no disponible");
		return;
	}
	since = store_full_since(http_store(r));
	if (since) {
		char iso[32];

		/* Reads go on, so the instance stays in service (200); writes
		 * answer 503 with Retry-After until space is freed. */
		ay_iso_utc(since, iso);
		http_json(r, 200,
			  json_pack("{s:s,s:i,s:{s:s,s:s,s:s}}", "status",
				    "degraded", "schema", v, "store", "state",
				    "full", "since", iso, "message",
				    "sin espacio en disco: las escrituras se "
				    "rechazan hasta que se libere espacio"));
		return;
	}
	http_json(r, 200,
		  json_pack("{s:s,s:i,s:{s:s}}", "status", "ok", "schema", v,
			    "store", "state", "ok"));
}

/* Gauges read from the store at each scrape: what waits to be done. */
static ay_rc store_gauges(struct db *db, bool full, struct buf *out)
{
	static const struct {
		const char *name, *help, *key, *label;
	} g[] = {
		{"ayuda_tickets", "Tickets by status.", "tickets_by_status",
		 "status"},
		{"ayuda_outbox", "Outbox notifications by state.",
		 "outbox_by_state", "state"},
		{"ayuda_sla_targets_breached_open",
		 "Response targets past due and not yet answered.",
		 "sla_targets_breached_open", NULL},
	};
	json_t *all = NULL;
	ay_rc rc = report_gauges(db, &all);

	for (size_t i = 0; !rc && i < AY_ARRAY_LEN(g); i++) {
		json_t *v = json_object_get(all, g[i].key), *n;
		const char *k;

		rc = buf_addf(out, "# HELP %s %s\n# TYPE %s gauge\n", g[i].name,
			      g[i].help, g[i].name);
		if (!rc && !g[i].label)
			rc = buf_addf(out, "%s %lld\n", g[i].name,
				      (long long)json_integer_value(v));
		if (g[i].label)
			json_object_foreach (v, k, n) {
				if (!rc)
					rc = buf_addf(
						out, "%s{%s=\"%s\"} %lld\n",
						g[i].name, g[i].label, k,
						(long long)json_integer_value(
							n));
			}
	}
	json_decref(all);
	if (!rc)
		rc = buf_addf(out,
			      "# HELP ayuda_store_full Whether writes fail for "
			      "want of disk space (1) or not (0).\n"
			      "# TYPE ayuda_store_full gauge\n"
			      "ayuda_store_full %d\n",
			      full ? 1 : 0);
	return rc;
}

static void h_metrics(struct http_req *r)
{
	struct db *db;

	if (metrics_render(&r->out) || store_reader(http_store(r), &db) ||
	    store_gauges(db, store_full_since(http_store(r)) != 0, &r->out)) {
		buf_release(&r->out);
		http_error_rc(r, AY_EBUSY);
		return;
	}
	r->status = 200;
	r->ctype = "text/plain; version=0.0.4";
}

static ay_rc me_read(struct db *db, struct http_req *r, json_t **out)
{
	return user_json(db, r->actor.user_id, out);
}

static void h_me(struct http_req *r)
{
	http_read_json(r, me_read);
}

/* Get an optional string member; on a wrong type answer 422. */
static bool opt_str(struct http_req *r, json_t *o, const char *key,
		    const char **out)
{
	json_t *v = json_object_get(o, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return true;
	if (!json_is_string(v)) {
		snprintf(r->verr.field, sizeof(r->verr.field), "%s", key);
		snprintf(r->verr.msg, sizeof(r->verr.msg),
			 "el campo «%s» debe ser un texto", key);
		http_error_rc(r, AY_EINVAL);
		return false;
	}
	*out = json_string_value(v);
	return true;
}

/* Attach the caller's uploads listed in "attachments" to message mid of
 * ticket number (0: its first message). */
static ay_rc attach_uploads(struct db *db, struct http_req *r, int64_t number,
			    int64_t mid)
{
	json_t *ids = json_object_get(r->in, "attachments");

	if (!ids)
		return AY_OK;
	return upload_attach_ticket(db, &r->actor, number, mid, ids, &r->verr);
}

ay_rc http_answer_ticket(struct db *db, struct http_req *r, ay_rc rc,
			 int64_t number, int status)
{
	json_t *t = NULL;

	if (!rc)
		rc = ticket_get(db, &r->actor, number, false, &t);
	if (rc) {
		http_error_rc(r, rc);
		return rc;
	}
	http_json(r, status, t);
	return AY_OK;
}

/* The browser's client hints the request carries, by lower-case header
 * name (a new object; empty when none). */
static json_t *client_hints(struct http_req *r)
{
	static const char *const names[] = {
		"sec-ch-ua",
		"sec-ch-ua-mobile",
		"sec-ch-ua-platform",
		"sec-ch-ua-platform-version",
		"sec-ch-ua-full-version-list",
		"sec-ch-ua-model",
		"sec-ch-ua-arch",
		"sec-ch-ua-bitness",
	};
	json_t *o = json_object();

	for (size_t i = 0; o && i < AY_ARRAY_LEN(names); i++) {
		const char *v = MHD_lookup_connection_value(
			r->conn, MHD_HEADER_KIND, names[i]);

		if (v && strlen(v) <= 512 && ay_utf8_valid(v, strlen(v)))
			json_object_set_new(o, names[i], json_string(v));
	}
	return o;
}

static ay_rc job_ticket_create(struct db *db, struct http_req *r)
{
	struct ticket_new in = {.channel = "api", .cfg = http_config(r)};
	struct ticket_fields f;
	int64_t number = 0;
	ay_rc rc;

	in.subject = json_string_value(json_object_get(r->in, "subject"));
	in.body = json_string_value(json_object_get(r->in, "body"));
	if (!in.body)
		in.body = json_string_value(
			json_object_get(r->in, "description"));
	in.category = json_string_value(json_object_get(r->in, "category"));
	in.user_agent = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						    "User-Agent");
	in.requester_id =
		json_integer_value(json_object_get(r->in, "requester_id"));
	in.fields = &f;
	in.client_hints = client_hints(r);
	in.server_info =
		json_string_value(json_object_get(r->in, "server_info"));
	rc = ticket_fields_parse(db, r->in, &f, &r->verr);
	if (!rc)
		rc = ticket_create(db, &r->actor, &in, &number, &r->verr);
	if (!rc)
		rc = attach_uploads(db, r, number, 0);
	ticket_fields_release(&f);
	json_decref(in.client_hints);
	return http_answer_ticket(db, r, rc, number, 201);
}

/* What a new ticket may carry: its description is "body" (or
 * "description"); steps, url, product, edition and version are its
 * structured fields. */
static const char *const ticket_create_keys[] = {
	"subject",	"body",	       "description", "category", "attachments",
	"requester_id", "steps",       "url",	      "product",  "edition",
	"version",	"server_info", NULL};

static void h_ticket_create(struct http_req *r)
{
	const char *s, *body, *desc, *info;

	r->in = http_body_json(r);
	if (!r->in || !http_known_fields(r, ticket_create_keys))
		return;
	if (!opt_str(r, r->in, "subject", &s) ||
	    !opt_str(r, r->in, "body", &body) ||
	    !opt_str(r, r->in, "description", &desc) ||
	    !opt_str(r, r->in, "server_info", &info) ||
	    !opt_str(r, r->in, "category", &s))
		return;
	if (body && desc && strcmp(body, desc)) {
		snprintf(r->verr.field, sizeof(r->verr.field), "description");
		snprintf(r->verr.msg, sizeof(r->verr.msg),
			 "«body» y «description» son el mismo campo: envíe "
			 "uno");
		http_error_rc(r, AY_EINVAL);
		return;
	}
	if (s && !strcmp(s, "sla_inclusion") && !actor_is_staff(&r->actor)) {
		/* The inclusion request has its own form with required
		 * fields; a plain ticket cannot skip them. */
		snprintf(r->verr.field, sizeof(r->verr.field), "category");
		snprintf(r->verr.msg, sizeof(r->verr.msg),
			 "las solicitudes de inclusión en el SLA se envían con "
			 "su formulario (POST /api/v1/sla-inclusion)");
		http_error_rc(r, AY_EINVAL);
		return;
	}
	http_defer(r, job_ticket_create);
}

/* GET /api/v1/tickets/N: who may read it is asked of the store every
 * time, with the ticket's stamp; its answer comes from the cache while the
 * stamp is the one it was read at (http/ticket_cache.h). */
static void h_ticket_get(struct http_req *r)
{
	struct ticket_cache *c = http_ticket_cache(r);
	struct ticket_stamp st;
	struct db *db;
	char *text = NULL;
	size_t len = 0;
	int64_t now = ay_now();
	bool hit = false;
	ay_rc rc = store_reader(http_store(r), &db);

	if (!rc)
		rc = ticket_stamp(db, &r->actor, r->number, &st);
	if (!rc)
		hit = ticket_cache_get(c, r->number, &st,
				       ticket_cache_kind(&r->actor), now, &text,
				       &len);
	if (!rc && !hit)
		rc = ticket_cache_build(c, db, &r->actor, r->number, &st, now,
					&text, &len);
	if (rc) {
		http_error_rc(r, rc);
		return;
	}
	metrics_ticket_answer(hit);
	http_json_text(r, 200, text, len);
}

static const char *query_get(void *ctx, const char *key)
{
	return http_query(ctx, key);
}

/* GET /api/v1/tickets?view=V: the agent console's queue. */
static void queue_page(struct http_req *r)
{
	struct queue_filter f;
	struct db *db;
	json_t *out = NULL;
	ay_rc rc;

	rc = http_query_queue_filter(query_get, r, r->actor.user_id, &f,
				     &r->verr);
	if (!rc)
		rc = store_reader(http_store(r), &db);
	if (!rc)
		rc = queue_list(db, &r->actor, &f, ay_now(), &out);
	if (rc) {
		http_error_rc(r, rc);
		return;
	}
	http_json(r, 200, out);
}

static void h_ticket_list(struct http_req *r)
{
	struct ticket_filter f;
	struct db *db;
	json_t *out = NULL;
	ay_rc rc;

	if (http_query(r, "view")) {
		queue_page(r);
		return;
	}
	rc = http_query_ticket_filter(query_get, r, r->actor.user_id, &f,
				      &r->verr);
	if (!rc)
		rc = store_reader(http_store(r), &db);
	if (!rc)
		rc = ticket_list(db, &r->actor, &f, &out);
	if (rc) {
		http_error_rc(r, rc);
		return;
	}
	http_json(r, 200, out);
}

static ay_rc job_ticket_update(struct db *db, struct http_req *r)
{
	struct ticket_change c = {0};
	struct ticket_fields f;
	json_t *a = json_object_get(r->in, "assignee_id");
	ay_rc rc;

	c.status = json_string_value(json_object_get(r->in, "status"));
	c.category = json_string_value(json_object_get(r->in, "category"));
	if (a) {
		c.set_assignee = true;
		c.assignee_id = json_integer_value(a);
	}
	c.fields = &f;
	c.server_info =
		json_string_value(json_object_get(r->in, "server_info"));
	rc = ticket_fields_parse(db, r->in, &f, &r->verr);
	if (!rc)
		rc = ticket_update(db, &r->actor, r->number, &c, &r->verr);
	ticket_fields_release(&f);
	return http_answer_ticket(db, r, rc, r->number, 200);
}

static const char *const ticket_update_keys[] = {
	"status",  "category", "assignee_id", "steps",	     "url",
	"product", "edition",  "version",     "server_info", NULL};

static void h_ticket_update(struct http_req *r)
{
	json_t *a;
	const char *s;

	r->in = http_body_json(r);
	if (!r->in || !http_known_fields(r, ticket_update_keys))
		return;
	if (!opt_str(r, r->in, "status", &s) ||
	    !opt_str(r, r->in, "category", &s) ||
	    !opt_str(r, r->in, "server_info", &s))
		return;
	a = json_object_get(r->in, "assignee_id");
	if (a && !json_is_null(a) && !json_is_integer(a)) {
		snprintf(r->verr.field, sizeof(r->verr.field), "assignee_id");
		snprintf(r->verr.msg, sizeof(r->verr.msg),
			 "assignee_id debe ser un número o null");
		http_error_rc(r, AY_EINVAL);
		return;
	}
	http_defer(r, job_ticket_update);
}

/* An answer sent with last_seen_message_id (and without confirm) when
 * someone else answered since: true after answering 409 with who did. */
static bool answered_meanwhile(struct db *db, struct http_req *r,
			       const char *kind)
{
	json_t *seen = json_object_get(r->in, "last_seen_message_id");
	json_t *list = NULL, *first;
	char msg[200];

	if (!seen || json_is_true(json_object_get(r->in, "confirm")) ||
	    !actor_is_staff(&r->actor) || (kind && strcmp(kind, "reply")))
		return false;
	if (console_answered_since(db, &r->actor, r->number,
				   json_integer_value(seen), &list) ||
	    !json_array_size(list)) {
		json_decref(list);
		return false;
	}
	first = json_object_get(json_array_get(list, 0), "user");
	snprintf(msg, sizeof(msg),
		 "%s respondió este ticket mientras usted escribía",
		 json_string_value(json_object_get(first, "name")));
	http_json(r, 409,
		  json_pack("{s:{s:s,s:s},s:o}", "error", "code",
			    "answered_meanwhile", "message", msg, "answered_by",
			    list));
	return true;
}

static ay_rc job_message_add(struct db *db, struct http_req *r)
{
	struct message_new m = {.channel = "api", .cfg = http_config(r)};
	int64_t id = 0;
	json_t *list = NULL;
	ay_rc rc;

	m.kind = json_string_value(json_object_get(r->in, "kind"));
	m.body = json_string_value(json_object_get(r->in, "body"));
	if (answered_meanwhile(db, r, m.kind))
		return AY_ECONFLICT;
	rc = ticket_add_message(db, &r->actor, r->number, &m, &id, &r->verr);
	if (!rc)
		rc = attach_uploads(db, r, r->number, id);
	if (!rc)
		rc = ticket_messages(db, &r->actor, r->number, &list);
	if (rc) {
		http_error_rc(r, rc);
		return rc;
	}
	/* Answer with the new message. */
	for (size_t i = json_array_size(list); i-- > 0;) {
		json_t *msg = json_array_get(list, i);

		if (json_integer_value(json_object_get(msg, "id")) == id) {
			http_json(r, 201, json_incref(msg));
			break;
		}
	}
	json_decref(list);
	return AY_OK;
}

static void h_message_add(struct http_req *r)
{
	static const char *const keys[] = {
		"kind",	   "body", "attachments", "last_seen_message_id",
		"confirm", NULL};
	json_t *seen, *confirm;
	const char *s;

	r->in = http_body_json(r);
	if (!r->in || !http_known_fields(r, keys))
		return;
	seen = json_object_get(r->in, "last_seen_message_id");
	confirm = json_object_get(r->in, "confirm");
	if ((seen && !json_is_integer(seen)) ||
	    (confirm && !json_is_boolean(confirm))) {
		snprintf(r->verr.field, sizeof(r->verr.field), "%s",
			 seen && !json_is_integer(seen) ? "last_seen_message_id"
							: "confirm");
		snprintf(r->verr.msg, sizeof(r->verr.msg),
			 "last_seen_message_id es un número y confirm un "
			 "booleano");
		http_error_rc(r, AY_EINVAL);
		return;
	}
	if (!opt_str(r, r->in, "kind", &s) || !opt_str(r, r->in, "body", &s))
		return;
	http_defer(r, job_message_add);
}

static ay_rc job_supervisor_review(struct db *db, struct http_req *r)
{
	const char *reason =
		json_string_value(json_object_get(r->in, "reason"));
	ay_rc rc = review_request(db, &r->actor, r->number, reason,
				  http_config(r), &r->verr);

	return http_answer_ticket(db, r, rc, r->number, 201);
}

/* POST /api/v1/tickets/N/supervisor-review {reason}. */
static void h_supervisor_review(struct http_req *r)
{
	static const char *const keys[] = {"reason", NULL};
	const char *s;

	r->in = http_body_json(r);
	if (!r->in || !http_known_fields(r, keys))
		return;
	if (!opt_str(r, r->in, "reason", &s))
		return;
	http_defer(r, job_supervisor_review);
}

/* {"KEY": list} from a list reader. */
static ay_rc wrap_list(const char *key, ay_rc rc, json_t *list, json_t **out)
{
	if (rc)
		return rc;
	*out = json_pack("{s:o}", key, list);
	return *out ? AY_OK : AY_ENOMEM;
}

static ay_rc messages_read(struct db *db, struct http_req *r, json_t **out)
{
	json_t *list = NULL;
	ay_rc rc = ticket_messages(db, &r->actor, r->number, &list);

	return wrap_list("messages", rc, list, out);
}

static void h_message_list(struct http_req *r)
{
	http_read_json(r, messages_read);
}

static ay_rc events_read(struct db *db, struct http_req *r, json_t **out)
{
	json_t *list = NULL;
	ay_rc rc = ticket_events(db, &r->actor, r->number, &list);

	return wrap_list("events", rc, list, out);
}

static void h_event_list(struct http_req *r)
{
	if (!access_history(&r->actor)) {
		/* The full history is for the support team. */
		http_error_rc(r, AY_ENOTFOUND);
		return;
	}
	http_read_json(r, events_read);
}

const struct route http_routes[] = {
	{"GET", "/healthz", h_healthz, "healthz", false},
	{"GET", "/metrics", h_metrics, "metrics", false},
	{"GET", "/api/v1/me", h_me, "me", true},
	{"PATCH", "/api/v1/me", h_me_prefs, "me_prefs", true},
	{"GET", "/api/v1/reports/summary", h_report_summary, "report_summary",
	 true},
	{"GET", "/api/v1/reports/dashboard", h_report_dashboard,
	 "report_dashboard", true},
	{"POST", "/api/v1/uploads", h_upload, "upload", true},
	{"GET", "/api/v1/tickets", h_ticket_list, "tickets_list", true},
	{"POST", "/api/v1/tickets", h_ticket_create, "tickets_create", true},
	/* the agent console (api_agent.c) */
	{"POST", "/api/v1/tickets/bulk", h_ticket_bulk, "tickets_bulk", true},
	{"GET", "/api/v1/tickets/#/drafts", h_draft_get, "drafts", true},
	{"GET", "/api/v1/tickets/#/drafts/*", h_draft_get, "draft_get", true},
	{"PUT", "/api/v1/tickets/#/drafts/*", h_draft_put, "draft_put", true},
	{"DELETE", "/api/v1/tickets/#/drafts/*", h_draft_delete, "draft_delete",
	 true},
	{"POST", "/api/v1/tickets/#/presence", h_presence_beat, "presence_beat",
	 true},
	{"GET", "/api/v1/tickets/#/presence", h_presence_get, "presence_get",
	 true},
	{"DELETE", "/api/v1/tickets/#/presence", h_presence_leave,
	 "presence_leave", true},
	{"GET", "/api/v1/changes", h_changes, "changes", true},
	{"GET", "/api/v1/search", h_search, "search", true},
	/* canned answers (api_macros.c) */
	{"GET", "/api/v1/macros", h_macros, "macros", true},
	{"POST", "/api/v1/macros", h_macro_create, "macro_create", true},
	{"GET", "/api/v1/macros/#", h_macro_get, "macro_get", true},
	{"PATCH", "/api/v1/macros/#", h_macro_edit, "macro_edit", true},
	{"DELETE", "/api/v1/macros/#", h_macro_delete, "macro_delete", true},
	{"GET", "/api/v1/macros/#/render", h_macro_render, "macro_render",
	 true},
	{"GET", "/api/v1/tickets/#", h_ticket_get, "ticket_get", true},
	{"PATCH", "/api/v1/tickets/#", h_ticket_update, "ticket_update", true},
	{"GET", "/api/v1/tickets/#/messages", h_message_list, "messages_list",
	 true},
	{"POST", "/api/v1/tickets/#/messages", h_message_add, "messages_add",
	 true},
	{"GET", "/api/v1/tickets/#/events", h_event_list, "events_list", true},
	{"POST", "/api/v1/tickets/#/supervisor-review", h_supervisor_review,
	 "supervisor_review", true},
	{"POST", "/api/v1/tickets/#/sla/extend", h_ticket_sla_extend,
	 "sla_extend", true},
	{"POST", "/api/v1/tickets/#/sla/reassess", h_ticket_sla_reassess,
	 "sla_reassess", true},
	{"GET", "/api/v1/tickets/#/sla/explain", h_sla_explain, "sla_explain",
	 true},
	/* Public, like the .ics feed: the landing page shows them to anyone. */
	{"GET", "/api/v1/sla/levels", h_sla_levels, "sla_levels", false},
	{"PATCH", "/api/v1/sla/levels/*", h_sla_level_edit, "sla_level_edit",
	 true},
	{"GET", "/api/v1/sla/levels/*/versions", h_sla_level_versions,
	 "sla_level_versions", true},
	{"GET", "/api/v1/sla/levels/*/diff", h_sla_level_diff, "sla_level_diff",
	 true},
	{"GET", "/api/v1/sla/usage", h_sla_usage, "sla_usage", true},
	{"GET", "/api/v1/calendars", h_calendars, "calendars", true},
	{"GET", "/api/v1/calendars/*", h_calendar_get, "calendar_get", false},
	{"PUT", "/api/v1/calendars/*", h_calendar_put, "calendar_put", true},
	{"POST", "/api/v1/calendars/*/holidays", h_calendar_holiday,
	 "calendar_holiday", true},
	{"POST", "/api/v1/calendars/*/closures", h_calendar_closure,
	 "calendar_closure", true},
	{"POST", "/api/v1/calendars/*/what-if", h_calendar_whatif,
	 "calendar_whatif", true},
	{"GET", "/api/v1/calendars/*/due", h_calendar_due, "calendar_due",
	 true},
	{"GET", "/calendars/*.ics", h_calendar_ics, "calendar_ics", false},
	/* accounts and sessions (api_account.c) */
	{"POST", "/api/v1/auth/register", h_register, "auth_register", false},
	{"POST", "/api/v1/auth/verify", h_verify, "auth_verify", false},
	{"POST", "/api/v1/auth/login", h_login, "auth_login", false},
	{"POST", "/api/v1/auth/logout", h_logout, "auth_logout", true},
	{"GET", "/api/v1/auth/session", h_session, "auth_session", true},
	{"POST", "/api/v1/auth/password-reset", h_reset_request,
	 "auth_reset_request", false},
	{"POST", "/api/v1/auth/password-reset/confirm", h_reset_confirm,
	 "auth_reset_confirm", false},
	{"POST", "/api/v1/me/password", h_password_change, "me_password", true},
	{"POST", "/api/v1/me/email", h_email_change, "me_email", true},
	/* the credentials vault, downloads */
	{"GET", "/api/v1/tickets/#/secrets", h_vault_list, "vault_list", true},
	{"POST", "/api/v1/tickets/#/secrets", h_vault_put, "vault_put", true},
	{"GET", "/api/v1/tickets/#/secrets/*", h_vault_read, "vault_read",
	 true},
	{"DELETE", "/api/v1/tickets/#/secrets/*", h_vault_delete,
	 "vault_delete", true},
	{"GET", "/api/v1/tickets/#/attachments/*", h_attachment_get,
	 "attachment_get", true},
	{"GET", "/api/v1/surveys/*", h_survey_get, "survey_get", false},
	{"POST", "/api/v1/surveys/*", h_survey_answer, "survey_answer", false},
	{"GET", "/api/v1/tickets/#/survey", h_ticket_survey, "ticket_survey",
	 true},
	{"POST", "/api/v1/tickets/#/survey", h_ticket_survey_answer,
	 "ticket_survey_answer", true},
	{"GET", "/api/v1/tickets/#/messages/*/raw", h_message_raw,
	 "message_raw", true},
	{"GET", "/api/v1/tickets/#/messages/*/html", h_message_html,
	 "message_html", true},
	/* administration (api_admin.c) */
	{"GET", "/api/v1/users", h_users, "users", true},
	{"GET", "/api/v1/users/#", h_user_get, "user_get", true},
	{"PATCH", "/api/v1/users/#", h_user_patch, "user_patch", true},
	{"GET", "/api/v1/users/#/tokens", h_tokens, "tokens", true},
	{"POST", "/api/v1/users/#/tokens", h_token_create, "token_create",
	 true},
	{"DELETE", "/api/v1/tokens/#", h_token_revoke, "token_revoke", true},
	{"GET", "/api/v1/companies", h_companies, "companies", true},
	{"POST", "/api/v1/companies", h_company_create, "company_create", true},
	{"GET", "/api/v1/companies/#", h_company_get, "company_get", true},
	{"PATCH", "/api/v1/companies/#", h_company_patch, "company_patch",
	 true},
	{"GET", "/api/v1/companies/#/contacts", h_contacts, "contacts", true},
	{"POST", "/api/v1/companies/#/contacts", h_contact_add, "contact_add",
	 true},
	{"DELETE", "/api/v1/companies/#/contacts/*", h_contact_remove,
	 "contact_remove", true},
	{"GET", "/api/v1/sla-inclusion", h_inclusions, "inclusions", true},
	{"POST", "/api/v1/sla-inclusion", h_inclusion_create,
	 "inclusion_create", true},
	{"GET", "/api/v1/tickets/#/inclusion", h_inclusion_get, "inclusion_get",
	 true},
	{"POST", "/api/v1/tickets/#/inclusion/approve", h_inclusion_approve,
	 "inclusion_approve", true},
	{"POST", "/api/v1/tickets/#/inclusion/reject", h_inclusion_reject,
	 "inclusion_reject", true},
	{"GET", "/api/v1/audit", h_audit, "audit", true},
	/* the admin console's mail page (api_mail_admin.c) */
	{"GET", "/api/v1/admin/mail", h_admin_mail, "admin_mail", true},
	{"POST", "/api/v1/admin/mail/test", h_admin_mail_test,
	 "admin_mail_test", true},
	{"POST", "/api/v1/admin/mail/fetch", h_admin_mail_fetch,
	 "admin_mail_fetch", true},
	{"GET", "/api/v1/admin/outbox", h_admin_outbox, "admin_outbox", true},
	{"POST", "/api/v1/admin/outbox/retry", h_admin_outbox_retry_all,
	 "admin_outbox_retry_all", true},
	{"POST", "/api/v1/admin/outbox/#/retry", h_admin_outbox_retry,
	 "admin_outbox_retry", true},
	{"GET", "/api/v1/admin/templates", h_admin_templates, "admin_templates",
	 true},
	{"GET", "/api/v1/admin/templates/*/preview", h_admin_template_preview,
	 "admin_template_preview", true},
	/* the ticket form's choices (api_policy.c) */
	{"GET", "/api/v1/ticket-fields", h_ticket_choices, "ticket_fields",
	 true},
	{"PUT", "/api/v1/ticket-fields/*", h_ticket_choices_set,
	 "ticket_fields_set", true},
	{"POST", "/api/v1/tickets/#/suggestion/confirm", h_suggestion_confirm,
	 "suggestion_confirm", true},
	{"POST", "/api/v1/tickets/#/suggestion/dismiss", h_suggestion_dismiss,
	 "suggestion_dismiss", true},
	{"GET", "/api/v1/tickets/#/server-info", h_server_info, "server_info",
	 true},
	/* the knowledge base (api_kb.c, kb_pages.c): reads are public */
	{"GET", "/api/v1/kb/categories", h_kb_categories, "kb_categories",
	 false},
	{"POST", "/api/v1/kb/categories", h_kb_category_create,
	 "kb_category_create", true},
	{"PATCH", "/api/v1/kb/categories/#", h_kb_category_update,
	 "kb_category_update", true},
	{"DELETE", "/api/v1/kb/categories/#", h_kb_category_delete,
	 "kb_category_delete", true},
	{"GET", "/api/v1/kb/articles", h_kb_articles, "kb_articles", false},
	{"POST", "/api/v1/kb/articles", h_kb_article_create,
	 "kb_article_create", true},
	{"GET", "/api/v1/kb/articles/#", h_kb_article_get, "kb_article_get",
	 false},
	{"PATCH", "/api/v1/kb/articles/#", h_kb_article_patch,
	 "kb_article_patch", true},
	{"GET", "/api/v1/kb/articles/#/revisions", h_kb_revisions,
	 "kb_revisions", true},
	{"GET", "/api/v1/kb/articles/#/diff", h_kb_diff, "kb_diff", true},
	{"POST", "/api/v1/kb/articles/#/feedback", h_kb_feedback, "kb_feedback",
	 false},
	{"POST", "/api/v1/kb/articles/#/opened", h_kb_opened, "kb_opened",
	 true},
	{"GET", "/api/v1/kb/search", h_kb_search, "kb_search", false},
	{"POST", "/api/v1/kb/preview", h_kb_preview, "kb_preview", true},
	{"POST", "/api/v1/kb/files", h_kb_file_add, "kb_file_add", true},
	{"GET", "/kb/archivos/#", h_kb_file_get, "kb_file", false},
	{"GET", "/api/v1/tickets/#/kb-reading", h_kb_ticket_reading,
	 "kb_reading", true},
	{"GET", "/api/v1/reports/kb", h_kb_report, "kb_report", true},
	{"GET", "/kb", h_kb_page_home, "kb_home", false},
	{"GET", "/kb/buscar", h_kb_page_search, "kb_page_search", false},
	{"GET", "/kb/*", h_kb_page_article, "kb_page", false},
	{"POST", "/kb/*", h_kb_page_vote, "kb_vote", false},
	{"GET", "/sitemap.xml", h_kb_sitemap, "sitemap", false},
};
const size_t http_nroutes = AY_ARRAY_LEN(http_routes);
