/* What the support policy asks a ticket to carry and how a requester is
 * identified: the product and edition choices of the ticket form, and the
 * company suggested for an unidentified requester. */
#include <stdlib.h>
#include <string.h>

#include "domain/access.h"
#include "domain/environment.h"
#include "domain/suggest.h"
#include "domain/ticket_fields.h"
#include "http/http.h"

static ay_rc choices_read(struct db *db, struct http_req *r, json_t **out)
{
	return ticket_choices_json(db, access_config(&r->actor), r->actor.lang,
				   out);
}

void h_ticket_choices(struct http_req *r)
{
	http_read_json(r, choices_read);
}

static ay_rc job_choices_set(struct db *db, struct http_req *r)
{
	json_t *out = NULL;
	ay_rc rc =
		ticket_choices_set(db, r->actor.user_id, r->param,
				   json_object_get(r->in, "choices"), &r->verr);

	if (!rc)
		rc = ticket_choices_json(db, true, r->actor.lang, &out);
	if (rc) {
		http_error_rc(r, rc);
		return rc;
	}
	http_json(r, 200, out);
	return AY_OK;
}

void h_ticket_choices_set(struct http_req *r)
{
	static const char *const keys[] = {"choices", NULL};

	if (!access_config(&r->actor)) {
		http_error(r, 403, "forbidden",
			   "solo un administrador puede hacerlo");
		return;
	}
	if (strcmp(r->param, "product") && strcmp(r->param, "edition")) {
		http_error_rc(r, AY_ENOTFOUND);
		return;
	}
	r->in = http_body_json(r);
	if (r->in && http_known_fields(r, keys))
		http_defer(r, job_choices_set);
}

static ay_rc job_suggestion(struct db *db, struct http_req *r)
{
	ay_rc rc = r->aux ? suggest_confirm(db, &r->actor, r->number,
					    json_is_true(json_object_get(
						    r->in, "contact")),
					    &r->verr)
			  : suggest_dismiss(db, &r->actor, r->number, &r->verr);

	return http_answer_ticket(db, r, rc, r->number, 200);
}

/* POST .../suggestion/confirm {contact?: bool} or .../dismiss (staff). */
static void suggestion_decide(struct http_req *r, bool confirm)
{
	static const char *const confirm_keys[] = {"contact", NULL};
	static const char *const no_keys[] = {NULL};

	if (!actor_is_staff(&r->actor)) {
		http_error_rc(r, AY_ENOTFOUND);
		return;
	}
	if (!http_flags_body(r, confirm ? confirm_keys : no_keys))
		return;
	r->aux = confirm;
	http_defer(r, job_suggestion);
}

void h_suggestion_confirm(struct http_req *r)
{
	suggestion_decide(r, true);
}

void h_suggestion_dismiss(struct http_req *r)
{
	suggestion_decide(r, false);
}

/* GET .../server-info: the info.php output the customer attached, for the
 * support team only, as a download of plain text (never rendered). */
void h_server_info(struct http_req *r)
{
	struct db *db;
	int64_t tid;
	char *text = NULL;
	ay_rc rc;

	if (!actor_is_staff(&r->actor)) {
		http_error_rc(r, AY_ENOTFOUND);
		return;
	}
	rc = store_reader(http_store(r), &db);
	if (!rc)
		rc = access_ticket(db, &r->actor, r->number, ACCESS_READ, &tid);
	if (!rc)
		rc = env_server_info(db, tid, &text);
	if (!rc)
		rc = buf_adds(&r->out, text);
	free(text);
	if (rc) {
		buf_release(&r->out);
		http_error_rc(r, rc);
		return;
	}
	r->status = 200;
	r->ctype = "text/plain; charset=utf-8";
	r->disposition = strdup("attachment; filename=\"info-php.txt\"");
}
