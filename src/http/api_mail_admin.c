/* The admin console's mail and audit APIs (domain/mail_admin.h,
 * domain/audit.h): /api/v1/admin/mail, .../mail/test, .../mail/fetch,
 * /api/v1/admin/outbox, .../outbox/N/retry, .../outbox/retry,
 * /api/v1/admin/templates, .../templates/ID/preview, and the filters of
 * /api/v1/audit. Admins only; anyone else gets 404. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "domain/access.h"
#include "domain/audit.h"
#include "domain/mail_admin.h"
#include "domain/report_figure.h"
#include "domain/user.h"
#include "http/http.h"
#include "http/query.h"

/* One test send or fetch at a time in this process: each may hold its
 * worker for MAIL_ADMIN_TIMEOUT seconds, and a second click must not take
 * another worker (the web disables its buttons meanwhile too). */
static atomic_bool mail_test_busy;

static bool admin_only(struct http_req *r)
{
	if (access_config(&r->actor))
		return true;
	http_error_rc(r, AY_ENOTFOUND);
	return false;
}

static ay_rc settings_read(struct db *db, struct http_req *r, json_t **out)
{
	(void)db;
	return mail_admin_settings(http_config(r), out);
}

/* GET /api/v1/admin/mail */
void h_admin_mail(struct http_req *r)
{
	if (admin_only(r))
		http_read_json(r, settings_read);
}

/* The writer's half of a test send or fetch: record who did it and what
 * came of it (r->aux_ptr: the result as JSON text), then answer it. */
static ay_rc mail_test_audit(struct db *db, struct http_req *r)
{
	json_t *res = json_loads(r->aux_ptr, 0, NULL), *data;
	const char *kind = r->aux ? "mail.fetched" : "mail.test_sent";
	ay_rc rc;

	if (!res)
		return AY_ENOMEM;
	data = r->aux ? json_pack("{s:O,s:O*,s:O*}", "ok",
				  json_object_get(res, "ok"), "taken",
				  json_object_get(res, "taken"), "failure",
				  json_object_get(res, "failure"))
		      : json_pack("{s:O*,s:O,s:O*}", "to",
				  json_object_get(res, "to"), "ok",
				  json_object_get(res, "ok"), "failure",
				  json_object_get(res, "failure"));
	rc = data ? event_add(db, 0, r->actor.user_id, kind, data) : AY_ENOMEM;
	json_decref(data);
	if (rc) {
		json_decref(res);
		return rc;
	}
	http_json(r, 200, res);
	return AY_OK;
}

/* Run a test (fetch or send) in this worker, bounded by the domain's
 * time-outs, then defer its audit. */
static void mail_test(struct http_req *r, bool fetch)
{
	static const char *const keys[] = {"to", NULL};
	json_t *res = NULL;
	const char *to = NULL;
	char by[300];
	ay_rc rc;

	if (!admin_only(r))
		return;
	if (!fetch) {
		r->in = http_body_json(r);
		if (!r->in || !http_known_fields(r, keys))
			return;
		to = json_string_value(json_object_get(r->in, "to"));
	}
	if (atomic_exchange(&mail_test_busy, true)) {
		snprintf(r->verr.msg, sizeof(r->verr.msg),
			 "ya hay una prueba de correo en curso; espere a que "
			 "termine");
		http_error_rc(r, AY_ECONFLICT);
		return;
	}
	by[0] = '\0';
	if (fetch) {
		rc = mail_admin_fetch(http_store(r), http_config(r), &res);
	} else {
		struct db *db;
		json_t *me = NULL;

		rc = store_reader(http_store(r), &db);
		if (!rc)
			rc = user_json(db, r->actor.user_id, &me);
		if (!rc)
			snprintf(by, sizeof(by), "%s",
				 json_string_value(json_object_get(me, "name"))
					 ?: "");
		json_decref(me);
		if (!rc)
			rc = mail_admin_test_send(
				http_config(r), to,
				r->actor.lang[0] ? r->actor.lang : "es", by,
				&r->verr, &res);
	}
	atomic_store(&mail_test_busy, false);
	if (!rc) {
		r->aux_ptr = json_dumps(res, JSON_COMPACT);
		rc = r->aux_ptr ? AY_OK : AY_ENOMEM;
	}
	json_decref(res);
	if (rc) {
		http_error_rc(r, rc);
		return;
	}
	r->aux = fetch;
	http_defer(r, mail_test_audit);
}

/* POST /api/v1/admin/mail/test {to} */
void h_admin_mail_test(struct http_req *r)
{
	mail_test(r, false);
}

/* POST /api/v1/admin/mail/fetch */
void h_admin_mail_fetch(struct http_req *r)
{
	mail_test(r, true);
}

static ay_rc outbox_read(struct db *db, struct http_req *r, json_t **out)
{
	const char *v;
	int64_t before = 0, limit = 50;

	v = http_query(r, "before");
	if (v && http_query_int(v, 1, INT64_MAX, &before)) {
		verr_set(&r->verr, "before", "se espera un número");
		return AY_EINVAL;
	}
	v = http_query(r, "limit");
	if (v && http_query_int(v, 1, 200, &limit)) {
		verr_set(&r->verr, "limit", "se espera un número de 1 a 200");
		return AY_EINVAL;
	}
	v = http_query(r, "state");
	if (outbox_admin_list(db, &r->actor, v, before, limit, http_config(r),
			      out) == AY_EINVAL) {
		verr_set(&r->verr, "state",
			 "estado desconocido (open, failed, waiting, sent, "
			 "all)");
		return AY_EINVAL;
	}
	return *out ? AY_OK : AY_ENOMEM;
}

/* GET /api/v1/admin/outbox?state=&before=&limit= */
void h_admin_outbox(struct http_req *r)
{
	if (admin_only(r))
		http_read_json(r, outbox_read);
}

static ay_rc retry_job(struct db *db, struct http_req *r)
{
	json_t *out = NULL;
	ay_rc rc = r->number
			   ? outbox_admin_retry(db, &r->actor, r->number,
						http_config(r), &r->verr, &out)
			   : outbox_admin_retry_failed(db, &r->actor, &out);

	if (rc) {
		http_error_rc(r, rc);
		return rc;
	}
	http_json(r, 200, out);
	return AY_OK;
}

/* POST /api/v1/admin/outbox/N/retry */
void h_admin_outbox_retry(struct http_req *r)
{
	if (admin_only(r))
		http_defer(r, retry_job);
}

/* POST /api/v1/admin/outbox/retry: every failed one */
void h_admin_outbox_retry_all(struct http_req *r)
{
	if (!admin_only(r))
		return;
	r->number = 0;
	http_defer(r, retry_job);
}

static ay_rc templates_read(struct db *db, struct http_req *r, json_t **out)
{
	json_t *list = NULL;
	ay_rc rc = notice_kinds_json(&list);

	(void)db;
	(void)r;
	if (!rc)
		*out = json_pack("{s:o,s:[ss]}", "templates", list, "langs",
				 "es", "en");
	return rc;
}

/* GET /api/v1/admin/templates */
void h_admin_templates(struct http_req *r)
{
	if (admin_only(r))
		http_read_json(r, templates_read);
}

static ay_rc preview_read(struct db *db, struct http_req *r, json_t **out)
{
	const char *v = http_query(r, "ticket"), *lang = http_query(r, "lang");
	int64_t number = 0;

	if (v && http_query_int(v, 1, INT64_MAX, &number)) {
		verr_set(&r->verr, "ticket",
			 "se espera el número de un ticket");
		return AY_EINVAL;
	}
	if (lang && strcmp(lang, "es") && strcmp(lang, "en")) {
		verr_set(&r->verr, "lang", "idioma desconocido (es, en)");
		return AY_EINVAL;
	}
	return notice_preview(db, http_config(r), &r->actor, r->param, number,
			      lang ? lang : "es", out);
}

/* GET /api/v1/admin/templates/ID/preview?ticket=N&lang=es|en */
void h_admin_template_preview(struct http_req *r)
{
	if (admin_only(r))
		http_read_json(r, preview_read);
}

/* A date bound of the audit's filter: YYYY-MM-DD (local midnight in the
 * desk's calendar; "to" takes the whole day) or ISO 8601. */
static ay_rc audit_bound(struct db *db, struct http_req *r, const char *key,
			 int64_t *out)
{
	const char *v = http_query(r, key);
	ay_rc rc;

	*out = 0;
	if (!v || !*v)
		return AY_OK;
	rc = strlen(v) == 10 ? report_local_date(db, v, out)
			     : http_query_time(v, out);
	if (!rc && strlen(v) == 10 && !strcmp(key, "to"))
		*out += 86400;
	if (rc == AY_EINVAL)
		verr_set(&r->verr, key,
			 "fecha no válida (AAAA-MM-DD o ISO 8601 con zona)");
	return rc;
}

ay_rc audit_query(struct db *db, struct http_req *r, json_t **out)
{
	struct audit_filter f = {.limit = 500};
	const char *v;
	ay_rc rc;

	v = http_query(r, "actor");
	if (v && *v && http_query_int(v, 1, INT64_MAX, &f.actor)) {
		verr_set(&r->verr, "actor",
			 "se espera el número de un usuario");
		return AY_EINVAL;
	}
	v = http_query(r, "before");
	if (v && http_query_int(v, 1, INT64_MAX, &f.before)) {
		verr_set(&r->verr, "before", "se espera un número");
		return AY_EINVAL;
	}
	v = http_query(r, "limit");
	if (v && http_query_int(v, 1, 500, &f.limit)) {
		verr_set(&r->verr, "limit", "se espera un número de 1 a 500");
		return AY_EINVAL;
	}
	f.type = http_query(r, "type");
	f.object = http_query(r, "object");
	f.kind = http_query(r, "kind");
	if (f.type && !*f.type)
		f.type = NULL;
	if (f.object && !*f.object)
		f.object = NULL;
	rc = audit_bound(db, r, "from", &f.from);
	if (!rc)
		rc = audit_bound(db, r, "to", &f.to);
	if (!rc)
		rc = audit_list(db, &r->actor, &f, out);
	return rc;
}
