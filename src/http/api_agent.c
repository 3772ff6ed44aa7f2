/* The agent console's JSON routes (docs/api-agent.md): bulk changes; the
 * queue views themselves answer GET /api/v1/tickets?view= in api.c. */
#include <stdlib.h>
#include <string.h>

#include "domain/access.h"
#include "domain/console.h"
#include "domain/queue.h"
#include "domain/search.h"
#include "domain/sla.h"
#include "domain/ticket.h"
#include "http/http.h"
#include "http/query.h"

#define BULK_MAX 200

/* The code of the API's error shape for a ticket's refusal. */
static const char *rc_code(ay_rc rc)
{
	switch (rc) {
	case AY_EINVAL:
		return "validation_failed";
	case AY_ENOTFOUND:
		return "not_found";
	case AY_EPERM:
		return "forbidden";
	default:
		return "conflict";
	}
}

static json_t *bulk_item(struct db *db, struct http_req *r,
			 const struct queue_bulk_result *b)
{
	json_t *t = NULL;

	if (!b->rc && !ticket_get(db, &r->actor, b->number, false, &t))
		return json_pack("{s:I,s:b,s:o}", "number",
				 (json_int_t)b->number, "ok", 1, "ticket", t);
	return json_pack(
		"{s:I,s:b,s:{s:s,s:s,s:s}}", "number", (json_int_t)b->number,
		"ok", 0, "error", "code", rc_code(b->rc), "message",
		b->err.msg[0] ? b->err.msg
			      : (b->rc == AY_ENOTFOUND ? "no encontrado"
						       : "datos no válidos"),
		"field", b->err.field);
}

static ay_rc job_bulk(struct db *db, struct http_req *r)
{
	json_t *nums = json_object_get(r->in, "numbers"), *a, *list, *out;
	size_t n = json_array_size(nums), ok = 0;
	struct queue_bulk_result *res = calloc(n, sizeof(*res));
	int64_t *numbers = calloc(n, sizeof(*numbers));
	struct ticket_change c = {0};
	ay_rc rc = res && numbers ? AY_OK : AY_ENOMEM;

	for (size_t i = 0; !rc && i < n; i++)
		numbers[i] = json_integer_value(json_array_get(nums, i));
	c.status = json_string_value(json_object_get(r->in, "status"));
	c.category = json_string_value(json_object_get(r->in, "category"));
	a = json_object_get(r->in, "assignee_id");
	c.set_assignee = a != NULL;
	c.assignee_id = json_integer_value(a);
	if (!rc)
		rc = queue_bulk_update(db, &r->actor, numbers, n, &c, res);
	list = json_array();
	for (size_t i = 0; !rc && list && i < n; i++) {
		ok += !res[i].rc;
		if (json_array_append_new(list, bulk_item(db, r, &res[i])))
			rc = AY_ENOMEM;
	}
	out = !rc && list ? json_pack("{s:O,s:I,s:I}", "results", list, "ok",
				      (json_int_t)ok, "failed",
				      (json_int_t)(n - ok))
			  : NULL;
	json_decref(list);
	free(res);
	free(numbers);
	if (!rc && !out)
		rc = AY_ENOMEM;
	if (rc) {
		http_error_rc(r, rc);
		return rc;
	}
	http_json(r, 200, out);
	return AY_OK;
}

static bool bad(struct http_req *r, const char *field, const char *msg)
{
	snprintf(r->verr.field, sizeof(r->verr.field), "%s", field);
	snprintf(r->verr.msg, sizeof(r->verr.msg), "%s", msg);
	http_error_rc(r, AY_EINVAL);
	return false;
}

/* The numbers: 1..BULK_MAX positive integers, no one twice. */
static bool bulk_numbers_ok(struct http_req *r, json_t *nums)
{
	size_t n = json_array_size(nums);

	if (!json_is_array(nums) || n == 0 || n > BULK_MAX)
		return bad(r, "numbers",
			   "se espera una lista de 1 a 200 números de ticket");
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_array_get(nums, i);

		if (!json_is_integer(v) || json_integer_value(v) <= 0)
			return bad(r, "numbers",
				   "cada elemento debe ser un número de "
				   "ticket");
		for (size_t j = 0; j < i; j++)
			if (json_integer_value(json_array_get(nums, j)) ==
			    json_integer_value(v))
				return bad(r, "numbers",
					   "un ticket aparece dos veces");
	}
	return true;
}

static bool bulk_change_ok(struct http_req *r)
{
	json_t *a = json_object_get(r->in, "assignee_id");
	json_t *s = json_object_get(r->in, "status");
	json_t *c = json_object_get(r->in, "category");

	if (!a && !s && !c)
		return bad(r, "status",
			   "indique qué cambiar: assignee_id, status o "
			   "category");
	if (a && !json_is_null(a) && !json_is_integer(a))
		return bad(r, "assignee_id",
			   "assignee_id debe ser un número o null");
	if (s && !json_is_string(s))
		return bad(r, "status", "el campo «status» debe ser un texto");
	if (c && !json_is_string(c))
		return bad(r, "category",
			   "el campo «category» debe ser un texto");
	return true;
}

/* POST /api/v1/tickets/bulk {numbers, assignee_id?, status?, category?}. */
void h_ticket_bulk(struct http_req *r)
{
	static const char *const keys[] = {"numbers", "assignee_id", "status",
					   "category", NULL};

	if (!access_console(&r->actor)) {
		http_error_rc(r, AY_ENOTFOUND);
		return;
	}
	r->in = http_body_json(r);
	if (!r->in || !http_known_fields(r, keys))
		return;
	if (!bulk_numbers_ok(r, json_object_get(r->in, "numbers")) ||
	    !bulk_change_ok(r))
		return;
	http_defer(r, job_bulk);
}

static ay_rc explain_read(struct db *db, struct http_req *r, json_t **out)
{
	return sla_ticket_explain(db, &r->actor, r->number, ay_now(), out);
}

/* GET /api/v1/tickets/N/sla/explain: why this deadline. */
void h_sla_explain(struct http_req *r)
{
	http_read_json(r, explain_read);
}

/* --- drafts --- */

static ay_rc drafts_read(struct db *db, struct http_req *r, json_t **out)
{
	return draft_get(db, &r->actor, r->number,
			 r->param[0] ? r->param : NULL, out);
}

/* GET /api/v1/tickets/N/drafts and /drafts/KIND. */
void h_draft_get(struct http_req *r)
{
	http_read_json(r, drafts_read);
}

static ay_rc job_draft_put(struct db *db, struct http_req *r)
{
	json_t *out = NULL;
	ay_rc rc = draft_put(db, &r->actor, r->number, r->param,
			     json_string_value(json_object_get(r->in, "body")),
			     &r->verr, &out);

	if (rc) {
		http_error_rc(r, rc);
		return rc;
	}
	if (json_is_null(out)) {
		json_decref(out);
		r->status = 204;
		return AY_OK;
	}
	http_json(r, 200, out);
	return AY_OK;
}

/* PUT /api/v1/tickets/N/drafts/KIND {body}. */
void h_draft_put(struct http_req *r)
{
	static const char *const keys[] = {"body", NULL};

	r->in = http_body_json(r);
	if (!r->in || !http_known_fields(r, keys))
		return;
	if (!json_is_string(json_object_get(r->in, "body"))) {
		bad(r, "body", "el campo «body» debe ser un texto");
		return;
	}
	http_defer(r, job_draft_put);
}

static ay_rc job_draft_delete(struct db *db, struct http_req *r)
{
	ay_rc rc = draft_delete(db, &r->actor, r->number, r->param);

	if (rc) {
		http_error_rc(r, rc);
		return rc;
	}
	r->status = 204;
	return AY_OK;
}

/* DELETE /api/v1/tickets/N/drafts/KIND. */
void h_draft_delete(struct http_req *r)
{
	http_defer(r, job_draft_delete);
}

/* --- presence --- */

static ay_rc job_presence(struct db *db, struct http_req *r)
{
	const char *mode =
		r->in ? json_string_value(json_object_get(r->in, "mode"))
		      : NULL;
	json_t *others = NULL;
	ay_rc rc = presence_beat(db, &r->actor, r->number, mode, ay_now(),
				 &r->verr, r->in ? &others : NULL);

	if (rc) {
		http_error_rc(r, rc);
		return rc;
	}
	if (!r->in) {
		r->status = 204;
		return AY_OK;
	}
	http_json(r, 200,
		  json_pack("{s:o,s:i}", "others", others, "ttl_seconds",
			    PRESENCE_TTL));
	return AY_OK;
}

/* POST /api/v1/tickets/N/presence {mode: viewing | writing}. */
void h_presence_beat(struct http_req *r)
{
	static const char *const keys[] = {"mode", NULL};

	r->in = http_body_json(r);
	if (!r->in || !http_known_fields(r, keys))
		return;
	if (!json_is_string(json_object_get(r->in, "mode"))) {
		bad(r, "mode", "se espera «viewing» o «writing»");
		return;
	}
	http_defer(r, job_presence);
}

/* DELETE /api/v1/tickets/N/presence: the agent leaves the ticket. */
void h_presence_leave(struct http_req *r)
{
	http_defer(r, job_presence);
}

static ay_rc presence_read(struct db *db, struct http_req *r, json_t **out)
{
	json_t *others = NULL;
	int64_t tid;
	ay_rc rc = access_console(&r->actor) ? AY_OK : AY_ENOTFOUND;

	if (!rc)
		rc = ticket_lookup(db, &r->actor, r->number, &tid);
	if (!rc)
		rc = presence_others(db, &r->actor, tid, ay_now(), &others);
	if (!rc)
		*out = json_pack("{s:o,s:i}", "others", others, "ttl_seconds",
				 PRESENCE_TTL);
	return rc;
}

/* GET /api/v1/tickets/N/presence. */
void h_presence_get(struct http_req *r)
{
	http_read_json(r, presence_read);
}

/* --- live changes --- */

/* ?presence=N1,N2,...: the ticket numbers whose presence the poll asks
 * (the rows on screen); "" asks none. Returns the count, -1 if malformed. */
static int presence_numbers(const char *v,
			    int64_t numbers[CHANGES_PRESENCE_MAX])
{
	int n = 0;

	while (*v) {
		char *end;
		long long x = strtoll(v, &end, 10);

		if (end == v || x <= 0 || n == CHANGES_PRESENCE_MAX ||
		    (*end && *end != ','))
			return -1;
		numbers[n++] = x;
		v = *end ? end + 1 : end;
	}
	return n;
}

static ay_rc changes_read(struct db *db, struct http_req *r, json_t **out)
{
	const char *v = http_query(r, "since"), *p = http_query(r, "presence");
	int64_t numbers[CHANGES_PRESENCE_MAX];
	struct changes_query q = {.since = v, .now = ay_now()};
	int n = 0;
	ay_rc rc;

	if (p) {
		n = presence_numbers(p, numbers);
		if (n < 0) {
			verr_set(&r->verr, "presence",
				 "se esperan hasta 100 números de ticket"
				 " separados por comas");
			return AY_EINVAL;
		}
		q.numbers = numbers;
		q.nnumbers = (size_t)n;
	}
	rc = console_changes(db, &r->actor, &q, out);
	if (rc == AY_EINVAL)
		verr_set(&r->verr, "since", "se espera el valor de «seq»");
	return rc;
}

/* GET /api/v1/changes?since=SEQ. */
void h_changes(struct http_req *r)
{
	http_read_json(r, changes_read);
}

/* --- search --- */

static ay_rc search_read(struct db *db, struct http_req *r, json_t **out)
{
	const char *v = http_query(r, "limit");
	int64_t limit = 20;

	if (v && http_query_int(v, 1, 50, &limit)) {
		verr_set(&r->verr, "limit", "se espera un número de 1 a 50");
		return AY_EINVAL;
	}
	return search_tickets(db, &r->actor, http_query(r, "q"), (int)limit,
			      &r->verr, out);
}

/* GET /api/v1/search?q=TEXT&limit=N. */
void h_search(struct http_req *r)
{
	http_read_json(r, search_read);
}
