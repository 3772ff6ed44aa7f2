/* Canned answers: /api/v1/macros (docs/api-agent.md, section 6). Staff
 * list, read and render them; supervisors and admins change them. */
#include <stdint.h>

#include "domain/access.h"
#include "domain/macro.h"
#include "http/http.h"
#include "http/query.h"

static const char *const macro_keys[] = {"name",   "lang",     "body",
					 "status", "category", NULL};

static ay_rc list_read(struct db *db, struct http_req *r, json_t **out)
{
	return macro_list(db, &r->actor, http_query(r, "q"),
			  http_query(r, "lang"), &r->verr, out);
}

/* GET /api/v1/macros?q=&lang=. */
void h_macros(struct http_req *r)
{
	http_read_json(r, list_read);
}

static ay_rc one_read(struct db *db, struct http_req *r, json_t **out)
{
	return macro_get(db, &r->actor, r->number, out);
}

/* GET /api/v1/macros/ID. */
void h_macro_get(struct http_req *r)
{
	http_read_json(r, one_read);
}

static ay_rc render_read(struct db *db, struct http_req *r, json_t **out)
{
	const char *v = http_query(r, "ticket");
	int64_t number;

	if (!access_console(&r->actor))
		return AY_ENOTFOUND;
	if (!v || http_query_int(v, 1, INT64_MAX, &number)) {
		verr_set(&r->verr, "ticket", "se espera el número del ticket");
		return AY_EINVAL;
	}
	return macro_render(db, &r->actor, r->number, number, out);
}

/* GET /api/v1/macros/ID/render?ticket=N. */
void h_macro_render(struct http_req *r)
{
	http_read_json(r, render_read);
}

/* Answer the macro `id` with status, or the error rc. */
static ay_rc answer(struct db *db, struct http_req *r, ay_rc rc, int64_t id,
		    int status)
{
	json_t *m = NULL;

	if (!rc)
		rc = macro_get(db, &r->actor, id, &m);
	if (rc) {
		http_error_rc(r, rc);
		return rc;
	}
	http_json(r, status, m);
	return AY_OK;
}

static ay_rc job_create(struct db *db, struct http_req *r)
{
	int64_t id = 0;
	ay_rc rc = macro_create(db, &r->actor, r->in, &r->verr, &id);

	return answer(db, r, rc, id, 201);
}

static ay_rc job_edit(struct db *db, struct http_req *r)
{
	ay_rc rc = macro_edit(db, &r->actor, r->number, r->in, &r->verr);

	return answer(db, r, rc, r->number, 200);
}

static ay_rc job_delete(struct db *db, struct http_req *r)
{
	ay_rc rc = macro_delete(db, &r->actor, r->number);

	if (rc) {
		http_error_rc(r, rc);
		return rc;
	}
	r->status = 204;
	return AY_OK;
}

/* Only supervisors and admins change macros: a customer gets 404 (the
 * console is not theirs), an agent 403. With a body, its members must be
 * the macro's. */
static bool may_change(struct http_req *r, bool body)
{
	if (!access_console(&r->actor)) {
		http_error_rc(r, AY_ENOTFOUND);
		return false;
	}
	if (!access_macros_manage(&r->actor)) {
		http_error(r, 403, "forbidden",
			   "solo supervisores y administradores gestionan las "
			   "respuestas predefinidas");
		return false;
	}
	if (!body)
		return true;
	r->in = http_body_json(r);
	return r->in && http_known_fields(r, macro_keys);
}

/* POST /api/v1/macros {name, lang?, body, status?, category?}. */
void h_macro_create(struct http_req *r)
{
	if (may_change(r, true))
		http_defer(r, job_create);
}

/* PATCH /api/v1/macros/ID {the members to change}. */
void h_macro_edit(struct http_req *r)
{
	if (may_change(r, true))
		http_defer(r, job_edit);
}

/* DELETE /api/v1/macros/ID. */
void h_macro_delete(struct http_req *r)
{
	if (may_change(r, false))
		http_defer(r, job_delete);
}
