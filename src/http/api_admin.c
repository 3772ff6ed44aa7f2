/* Administration over the JSON API: users and their roles, API tokens,
 * companies (license, partner tier, consultant, contact cap), support
 * contacts, SLA inclusion requests, and the audit trail. Every object
 * goes through domain/access.c: what the caller may not see is 404; what
 * the caller sees but may not change is 403. */
#include <stdlib.h>
#include <string.h>

#include "domain/access.h"
#include "domain/company.h"
#include "domain/ticket.h"
#include "domain/user.h"
#include "http/http.h"
#include "http/query.h"

/* Check access in the worker thread before a deferred write; answers and
 * returns false when refused. */
static bool allowed(struct http_req *r,
		    ay_rc (*fn)(struct db *db, const struct actor *a,
				int64_t id, enum access_need need),
		    int64_t id, enum access_need need)
{
	struct db *db;
	ay_rc rc = store_reader(http_store(r), &db);

	if (!rc)
		rc = fn(db, &r->actor, id, need);
	if (rc == AY_EPERM)
		snprintf(r->verr.msg, sizeof(r->verr.msg), "%s",
			 need == ACCESS_ENDORSE
				 ? "solo un agente o el contacto "
				   "administrador de la compañía puede "
				   "avalar contactos"
				 : "solo un administrador puede hacerlo");
	if (rc)
		http_error_rc(r, rc);
	return rc == AY_OK;
}

static bool param_id(struct http_req *r, int64_t *id)
{
	char *end;
	long long v = strtoll(r->param, &end, 10);

	if (*end || v <= 0) {
		http_error_rc(r, AY_ENOTFOUND);
		return false;
	}
	*id = v;
	return true;
}

/* End a deferred write: answer status with out (stolen), or the error. */
static ay_rc finish(struct http_req *r, ay_rc rc, int status, json_t *out)
{
	if (rc) {
		json_decref(out);
		http_error_rc(r, rc);
		return rc;
	}
	http_json(r, status, out);
	return AY_OK;
}

/* --- users --- */

/* A search in a list: ?q= (at most 200 bytes), ?limit= (1..1000, all
 * of them by default) and ?offset=. */
static ay_rc list_query(struct http_req *r, const char **q, int64_t *limit,
			int64_t *offset)
{
	const char *l = http_query(r, "limit"), *o = http_query(r, "offset");

	*q = http_query(r, "q");
	*limit = 1000;
	*offset = 0;
	if (*q && strlen(*q) > 200) {
		verr_set(&r->verr, "q", "como mucho 200 caracteres");
		return AY_EINVAL;
	}
	if (l && http_query_int(l, 1, 1000, limit)) {
		verr_set(&r->verr, "limit", "se espera un número de 1 a 1000");
		return AY_EINVAL;
	}
	if (o && http_query_int(o, 0, INT32_MAX, offset)) {
		verr_set(&r->verr, "offset", "se espera un número desde 0");
		return AY_EINVAL;
	}
	return AY_OK;
}

static ay_rc users_read(struct db *db, struct http_req *r, json_t **out)
{
	static const char *const roles[] = {"staff", "customer", "agent",
					    "supervisor", "admin"};
	struct user_filter f = {.role = http_query(r, "role")};
	const char *co = http_query(r, "company");
	json_t *list = NULL;
	int64_t total = 0;
	bool known = !f.role;
	ay_rc rc;

	for (size_t i = 0; f.role && i < AY_ARRAY_LEN(roles); i++)
		known = known || !strcmp(f.role, roles[i]);
	if (!known) {
		verr_set(&r->verr, "role",
			 "role admite staff, customer, agent, supervisor o "
			 "admin");
		return AY_EINVAL;
	}
	if (co && http_query_int(co, 1, INT64_MAX, &f.company_id)) {
		verr_set(&r->verr, "company",
			 "se espera el número de una "
			 "compañía");
		return AY_EINVAL;
	}
	rc = list_query(r, &f.q, &f.limit, &f.offset);
	if (!rc)
		rc = user_list(db, &r->actor, &f, &list, &total);
	if (!rc)
		*out = json_pack("{s:o,s:I}", "users", list, "total",
				 (json_int_t)total);
	return rc;
}

/* GET /api/v1/users[?q=&role=&company=&limit=&offset=]. */
void h_users(struct http_req *r)
{
	http_read_json(r, users_read);
}

static ay_rc user_read(struct db *db, struct http_req *r, json_t **out)
{
	ay_rc rc = access_user(db, &r->actor, r->number, ACCESS_READ);

	return rc ? rc : user_json(db, r->number, out);
}

void h_user_get(struct http_req *r)
{
	http_read_json(r, user_read);
}

static ay_rc job_user_patch(struct db *db, struct http_req *r)
{
	struct user_change c = {.disabled = -1};
	json_t *d = json_object_get(r->in, "disabled"), *out = NULL;
	ay_rc rc;

	c.role = json_string_value(json_object_get(r->in, "role"));
	c.lang = json_string_value(json_object_get(r->in, "lang"));
	c.timezone = json_string_value(json_object_get(r->in, "timezone"));
	if (json_is_null(json_object_get(r->in, "timezone")))
		c.timezone = "";
	if (d)
		c.disabled = json_is_true(d);
	rc = user_update(db, r->actor.user_id, r->number, &c, &r->verr);
	if (!rc)
		rc = user_json(db, r->number, &out);
	return finish(r, rc, 200, out);
}

/* PATCH /api/v1/users/N {role?, disabled?, lang?, timezone? (null or "":
 * the calendar's)}. */
void h_user_patch(struct http_req *r)
{
	static const char *const keys[] = {"role", "disabled", "lang",
					   "timezone", NULL};
	static const char *const texts[] = {"role", "lang", "timezone"};
	json_t *d;

	if (!allowed(r, access_user, r->number, ACCESS_WRITE))
		return;
	r->in = http_body_json(r);
	if (!r->in || !http_known_fields(r, keys))
		return;
	d = json_object_get(r->in, "disabled");
	if (d && !json_is_boolean(d)) {
		verr_set(&r->verr, "disabled", "disabled es un booleano");
		http_error_rc(r, AY_EINVAL);
		return;
	}
	for (size_t i = 0; i < AY_ARRAY_LEN(texts); i++) {
		json_t *v = json_object_get(r->in, texts[i]);

		if (!v || json_is_string(v) ||
		    (json_is_null(v) && !strcmp(texts[i], "timezone")))
			continue;
		verr_set(&r->verr, texts[i], "se espera un texto");
		http_error_rc(r, AY_EINVAL);
		return;
	}
	http_defer(r, job_user_patch);
}

/* --- API tokens: listed by their owner and admins, issued and revoked by
 * admins --- */

static ay_rc tokens_read(struct db *db, struct http_req *r, json_t **out)
{
	json_t *list = NULL;
	ay_rc rc = access_user(db, &r->actor, r->number, ACCESS_READ);

	if (!rc && r->actor.user_id != r->number && !access_config(&r->actor))
		rc = AY_EPERM;
	if (!rc)
		rc = token_list(db, r->number, &list);
	if (!rc)
		*out = json_pack("{s:o}", "tokens", list);
	return rc;
}

void h_tokens(struct http_req *r)
{
	http_read_json(r, tokens_read);
}

static ay_rc job_token_create(struct db *db, struct http_req *r)
{
	json_t *out = NULL;
	ay_rc rc =
		token_issue(db, r->actor.user_id, r->number,
			    json_string_value(json_object_get(r->in, "name")),
			    r->aux ? ay_now() + r->aux * 86400 : 0, &out);

	return finish(r, rc, 201, out);
}

void h_token_create(struct http_req *r)
{
	static const char *const keys[] = {"name", "expires_in_days", NULL};
	json_t *n, *d;

	if (!allowed(r, access_user, r->number, ACCESS_WRITE))
		return;
	r->in = http_body_json(r);
	if (!r->in || !http_known_fields(r, keys))
		return;
	n = json_object_get(r->in, "name");
	d = json_object_get(r->in, "expires_in_days");
	if (!json_is_string(n) || !*json_string_value(n) ||
	    strlen(json_string_value(n)) > 100 ||
	    (d && !json_is_null(d) &&
	     (!json_is_integer(d) || json_integer_value(d) < 1 ||
	      json_integer_value(d) > 3650))) {
		snprintf(r->verr.field, sizeof(r->verr.field), "name");
		snprintf(r->verr.msg, sizeof(r->verr.msg),
			 "indique un nombre (y, si quiere, expires_in_days "
			 "entre 1 y 3650)");
		http_error_rc(r, AY_EINVAL);
		return;
	}
	r->aux = json_is_integer(d) ? json_integer_value(d) : 0;
	http_defer(r, job_token_create);
}

static ay_rc job_token_revoke(struct db *db, struct http_req *r)
{
	ay_rc rc = token_revoke(db, r->actor.user_id, r->number);

	return finish(r, rc, 200,
		      rc ? NULL : json_pack("{s:s}", "status", "revoked"));
}

void h_token_revoke(struct http_req *r)
{
	if (!access_config(&r->actor)) {
		http_error_rc(r, AY_ENOTFOUND);
		return;
	}
	http_defer(r, job_token_revoke);
}

/* --- companies --- */

static ay_rc companies_read(struct db *db, struct http_req *r, json_t **out)
{
	struct company_filter f = {0};
	json_t *list = NULL;
	int64_t total = 0;
	ay_rc rc = list_query(r, &f.q, &f.limit, &f.offset);

	if (!rc)
		rc = company_list(db, &r->actor, &f, &list, &total);
	if (!rc)
		*out = json_pack("{s:o,s:I}", "companies", list, "total",
				 (json_int_t)total);
	return rc;
}

/* GET /api/v1/companies[?q=&limit=&offset=]. */
void h_companies(struct http_req *r)
{
	http_read_json(r, companies_read);
}

static ay_rc company_read(struct db *db, struct http_req *r, json_t **out)
{
	return company_json(db, &r->actor, r->number, out);
}

void h_company_get(struct http_req *r)
{
	http_read_json(r, company_read);
}

static ay_rc job_company_create(struct db *db, struct http_req *r)
{
	struct company_new c = {.max_contacts = -1};
	json_t *out = NULL, *rest;
	int64_t id;
	ay_rc rc;

	c.name = json_string_value(json_object_get(r->in, "name"));
	rc = company_add(db, r->actor.user_id, &c, &out, &r->verr);
	if (rc)
		return finish(r, rc, 201, NULL);
	id = json_integer_value(json_object_get(out, "id"));
	json_decref(out);
	out = NULL;
	/* Every other field goes through the audited update. */
	rest = json_deep_copy(r->in);
	if (!rest)
		return finish(r, AY_ENOMEM, 201, NULL);
	json_object_del(rest, "name");
	rc = json_object_size(rest)
		     ? company_update(db, r->actor.user_id, id, rest, &r->verr)
		     : AY_OK;
	json_decref(rest);
	if (!rc)
		rc = company_json(db, &r->actor, id, &out);
	return finish(r, rc, 201, out);
}

void h_company_create(struct http_req *r)
{
	if (!access_config(&r->actor)) {
		http_error(r, 403, "forbidden",
			   "solo un administrador puede crear compañías");
		return;
	}
	r->in = http_body_json(r);
	if (r->in)
		http_defer(r, job_company_create);
}

static ay_rc job_company_patch(struct db *db, struct http_req *r)
{
	json_t *out = NULL;
	ay_rc rc = company_update(db, r->actor.user_id, r->number, r->in,
				  &r->verr);

	if (!rc)
		rc = company_json(db, &r->actor, r->number, &out);
	return finish(r, rc, 200, out);
}

void h_company_patch(struct http_req *r)
{
	if (!allowed(r, access_company, r->number, ACCESS_WRITE))
		return;
	r->in = http_body_json(r);
	if (r->in)
		http_defer(r, job_company_patch);
}

static ay_rc contacts_read(struct db *db, struct http_req *r, json_t **out)
{
	json_t *list = NULL;
	ay_rc rc = access_company(db, &r->actor, r->number, ACCESS_READ);

	if (!rc)
		rc = company_contacts(db, r->number, &list);
	if (!rc)
		*out = json_pack("{s:o}", "contacts", list);
	return rc;
}

void h_contacts(struct http_req *r)
{
	http_read_json(r, contacts_read);
}

static ay_rc job_contact_add(struct db *db, struct http_req *r)
{
	json_t *list = NULL;
	ay_rc rc = company_endorse(db, r->actor.user_id, r->number, r->aux,
				   &r->verr);

	if (!rc)
		rc = company_contacts(db, r->number, &list);
	return finish(r, rc, 201,
		      rc ? NULL : json_pack("{s:o}", "contacts", list));
}

void h_contact_add(struct http_req *r)
{
	static const char *const keys[] = {"user_id", NULL};
	json_t *u;

	if (!allowed(r, access_company, r->number, ACCESS_ENDORSE))
		return;
	r->in = http_body_json(r);
	if (!r->in || !http_known_fields(r, keys))
		return;
	u = json_object_get(r->in, "user_id");
	if (!json_is_integer(u)) {
		snprintf(r->verr.field, sizeof(r->verr.field), "user_id");
		snprintf(r->verr.msg, sizeof(r->verr.msg),
			 "indique user_id, el usuario a avalar");
		http_error_rc(r, AY_EINVAL);
		return;
	}
	r->aux = json_integer_value(u);
	http_defer(r, job_contact_add);
}

static ay_rc job_contact_remove(struct db *db, struct http_req *r)
{
	ay_rc rc = company_unendorse(db, r->actor.user_id, r->number, r->aux);

	return finish(r, rc, 200,
		      rc ? NULL : json_pack("{s:s}", "status", "removed"));
}

void h_contact_remove(struct http_req *r)
{
	if (param_id(r, &r->aux) &&
	    allowed(r, access_company, r->number, ACCESS_ENDORSE))
		http_defer(r, job_contact_remove);
}

/* --- SLA inclusion requests --- */

static const char *member(struct http_req *r, const char *key)
{
	return json_string_value(json_object_get(r->in, key));
}

static ay_rc job_inclusion_create(struct db *db, struct http_req *r)
{
	struct inclusion_new in = {
		.kind = member(r, "kind"),
		.full_name = member(r, "full_name"),
		.position = member(r, "position"),
		.company_name = member(r, "company_name"),
		.consultant = member(r, "consultant"),
		.contact_data = member(r, "contact_data"),
		.instance = member(r, "instance"),
		.body = member(r, "body"),
	};
	int64_t number = 0, tid;
	json_t *t = NULL, *inc = NULL;
	ay_rc rc;

	rc = inclusion_create(db, &r->actor, &in, &number, &r->verr);
	if (!rc)
		rc = ticket_get(db, &r->actor, number, false, &t);
	if (!rc)
		rc = access_ticket(db, &r->actor, number, ACCESS_READ, &tid);
	if (!rc)
		rc = inclusion_json(db, tid, &inc);
	if (!rc)
		json_object_set_new(t, "inclusion", inc);
	return finish(r, rc, 201, t);
}

void h_inclusion_create(struct http_req *r)
{
	static const char *const keys[] = {
		"kind",		"full_name",  "position",
		"company_name", "consultant", "contact_data",
		"instance",	"body",	      NULL};
	const char *key;
	json_t *v;

	r->in = http_body_json(r);
	if (!r->in || !http_known_fields(r, keys))
		return;
	json_object_foreach (r->in, key, v) {
		if (json_is_string(v) || json_is_null(v))
			continue;
		verr_set(&r->verr, key, "el campo debe ser un texto");
		http_error_rc(r, AY_EINVAL);
		return;
	}
	http_defer(r, job_inclusion_create);
}

static ay_rc inclusions_read(struct db *db, struct http_req *r, json_t **out)
{
	const char *state = http_query(r, "state");
	json_t *list = NULL;
	ay_rc rc;

	if (!state)
		state = "pending";
	if (strcmp(state, "pending") && strcmp(state, "approved") &&
	    strcmp(state, "rejected")) {
		verr_set(&r->verr, "state",
			 "state admite pending, approved o rejected");
		return AY_EINVAL;
	}
	rc = inclusion_list(db, &r->actor, state, &list);
	if (!rc)
		*out = json_pack("{s:o}", "requests", list);
	return rc;
}

/* GET /api/v1/sla-inclusion[?state=pending|approved|rejected]: staff. */
void h_inclusions(struct http_req *r)
{
	http_read_json(r, inclusions_read);
}

static ay_rc inclusion_read(struct db *db, struct http_req *r, json_t **out)
{
	int64_t tid;
	ay_rc rc = access_ticket(db, &r->actor, r->number, ACCESS_READ, &tid);

	return rc ? rc : inclusion_json(db, tid, out);
}

void h_inclusion_get(struct http_req *r)
{
	http_read_json(r, inclusion_read);
}

static ay_rc job_inclusion_decide(struct db *db, struct http_req *r)
{
	json_t *c = json_object_get(r->in, "contact"), *out = NULL;
	int64_t tid;
	ay_rc rc;

	if (r->aux)
		rc = inclusion_approve(
			db, &r->actor, r->number, r->aux, !json_is_false(c),
			json_is_true(json_object_get(r->in, "license_email")),
			&r->verr);
	else
		rc = inclusion_reject(db, &r->actor, r->number,
				      member(r, "reason"), &r->verr);
	if (!rc)
		rc = access_ticket(db, &r->actor, r->number, ACCESS_READ, &tid);
	if (!rc)
		rc = inclusion_json(db, tid, &out);
	return finish(r, rc, 200, out);
}

static void inclusion_decide(struct http_req *r, bool approve)
{
	static const char *const approve_keys[] = {"company_id", "contact",
						   "license_email", NULL};
	static const char *const reject_keys[] = {"reason", NULL};
	json_t *c;

	if (!actor_is_staff(&r->actor)) {
		http_error_rc(r, AY_ENOTFOUND);
		return;
	}
	r->in = http_body_json(r);
	if (!r->in ||
	    !http_known_fields(r, approve ? approve_keys : reject_keys))
		return;
	c = json_object_get(r->in, "company_id");
	if (approve && (!json_is_integer(c) || json_integer_value(c) <= 0)) {
		snprintf(r->verr.field, sizeof(r->verr.field), "company_id");
		snprintf(r->verr.msg, sizeof(r->verr.msg),
			 "indique company_id, la compañía del solicitante");
		http_error_rc(r, AY_EINVAL);
		return;
	}
	r->aux = approve ? json_integer_value(c) : 0;
	http_defer(r, job_inclusion_decide);
}

void h_inclusion_approve(struct http_req *r)
{
	inclusion_decide(r, true);
}

void h_inclusion_reject(struct http_req *r)
{
	inclusion_decide(r, false);
}

/* --- audit: the events that belong to no ticket (accounts, roles,
 * tokens, companies, levels, calendars), newest first --- */

static ay_rc audit_read(struct db *db, struct http_req *r, json_t **out)
{
	json_t *list = NULL;
	ay_rc rc = audit_query(db, r, &list);

	if (!rc)
		*out = json_pack("{s:O,s:O,s:O}", "events",
				 json_object_get(list, "items"), "next",
				 json_object_get(list, "next"), "types",
				 json_object_get(list, "types"));
	json_decref(list);
	return rc;
}

void h_audit(struct http_req *r)
{
	if (!access_config(&r->actor)) {
		http_error_rc(r, AY_ENOTFOUND);
		return;
	}
	http_read_json(r, audit_read);
}
