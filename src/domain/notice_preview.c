/* Previews of every notification for the admin console: the payload a
 * real change would queue, made up around a real ticket, rendered by
 * notice_render() exactly as the outbox worker renders it
 * (domain/mail_admin.h). One-time links and tokens are placeholders. */
#include <stdlib.h>
#include <string.h>

#include "domain/access.h"
#include "domain/mail_admin.h"
#include "domain/notice.h"

#define PLACEHOLDER "EJEMPLO"

enum audience { FOR_CUSTOMER, FOR_STAFF, FOR_ACCOUNT };

/* Every template: a kind of outbox row, or kind-variant for a kind whose
 * text depends on its payload. */
static const struct template
{
	const char *id;
	enum audience who;
}
templates[] = {
	{"ticket_received", FOR_CUSTOMER},
	{"comment_received", FOR_CUSTOMER},
	{"comment_received-reopened", FOR_CUSTOMER},
	{"agent_reply", FOR_CUSTOMER},
	{"agent_reply-out_of_scope", FOR_CUSTOMER},
	{"status_changed-pending_customer", FOR_CUSTOMER},
	{"status_changed-resolved", FOR_CUSTOMER},
	{"status_changed-closed", FOR_CUSTOMER},
	{"pending_reminder", FOR_CUSTOMER},
	{"pending_closed", FOR_CUSTOMER},
	{"survey", FOR_CUSTOMER},
	{"development_escalated", FOR_CUSTOMER},
	{"development_review", FOR_CUSTOMER},
	{"development_extended", FOR_CUSTOMER},
	{"sla_inclusion_approved", FOR_CUSTOMER},
	{"sla_inclusion_rejected", FOR_CUSTOMER},
	{"supervisor_review_received", FOR_CUSTOMER},
	{"attachment_rejected", FOR_CUSTOMER},
	{"sla_warning", FOR_STAFF},
	{"sla_breach", FOR_STAFF},
	{"supervisor_review", FOR_STAFF},
	{"account_verify", FOR_ACCOUNT},
	{"account_exists", FOR_ACCOUNT},
	{"email_taken", FOR_ACCOUNT},
	{"password_reset", FOR_ACCOUNT},
	{"password_changed", FOR_ACCOUNT},
	{"email_change_verify", FOR_ACCOUNT},
	{"email_changed", FOR_ACCOUNT},
};

static const char *const audience_names[] = {"customer", "staff", "account"};

ay_rc notice_kinds_json(json_t **out)
{
	*out = json_array();
	if (!*out)
		return AY_ENOMEM;
	for (size_t i = 0; i < AY_ARRAY_LEN(templates); i++) {
		const char *dash = strchr(templates[i].id, '-');
		json_t *o =
			json_pack("{s:s,s:s#,s:s?,s:s}", "id", templates[i].id,
				  "kind", templates[i].id,
				  dash ? (int)(dash - templates[i].id)
				       : (int)strlen(templates[i].id),
				  "variant", dash ? dash + 1 : NULL, "audience",
				  audience_names[templates[i].who]);

		if (!o || json_array_append_new(*out, o)) {
			json_decref(*out);
			*out = NULL;
			return AY_ENOMEM;
		}
	}
	return AY_OK;
}

/* The ticket's id from its *number (0: the newest ticket, whose number
 * it gets). */
static ay_rc find_ticket(struct db *db, int64_t *number, int64_t *tid)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc = *number ? db_run(db, &s, &row,
				    "SELECT id, number FROM tickets WHERE"
				    " number = $1",
				    "i", *number)
			   : db_run(db, &s, &row,
				    "SELECT id, number FROM tickets ORDER BY id"
				    " DESC LIMIT 1",
				    NULL);

	*tid = row ? db_col_int(s, 0) : 0;
	*number = row ? db_col_int(s, 1) : 0;
	db_reset(s);
	return rc ? rc : row ? AY_OK : AY_ENOTFOUND;
}

/* The text of the ticket's newest message of kind (or of any kind when
 * none is), cut to max bytes. Returns: owned by the caller, free(). */
static char *ticket_text(struct db *db, int64_t tid, const char *kind,
			 size_t max)
{
	struct db_stmt *s = NULL;
	bool row = false;
	char *text = NULL;

	if (db_run(db, &s, &row,
		   "SELECT body FROM messages WHERE ticket_id = $1 AND kind <>"
		   " 'note' ORDER BY kind = $2 DESC, id DESC LIMIT 1",
		   "is", tid, kind))
		return NULL;
	if (row)
		text = strndup(db_col_text(s, 0), max);
	db_reset(s);
	return text;
}

/* The requester's company and the ticket's level, as an approved SLA
 * inclusion names them. */
static ay_rc inclusion_payload(struct db *db, int64_t tid, json_t *p)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	rc = db_run(db, &s, &row,
		    "SELECT COALESCE(c.name, '-'), l.name_es, l.name_en,"
		    " COALESCE(l.response_minutes, 0) FROM tickets t"
		    " JOIN users u ON u.id = t.requester_id"
		    " LEFT JOIN companies c ON c.id = u.company_id"
		    " LEFT JOIN sla_levels l ON l.id = t.sla_level_id"
		    " WHERE t.id = $1",
		    "i", tid);
	if (!rc && row) {
		json_object_set_new(p, "company",
				    json_string(db_col_text(s, 0)));
		json_object_set_new(p, "contact", json_true());
		json_object_set_new(p, "level_name_es", json_col_text(s, 1));
		json_object_set_new(p, "level_name_en", json_col_text(s, 2));
		json_object_set_new(p, "response_minutes",
				    json_integer(db_col_int(s, 3)));
	}
	db_reset(s);
	return rc;
}

/* The payload a real change would queue for template id (kind and
 * variant), around ticket tid; *body gets an agent's answer. */
static ay_rc make_payload(struct db *db, const struct ay_config *cfg,
			  const char *kind, const char *variant, int64_t tid,
			  const struct notice_ticket *t, json_t *p, char **body)
{
	static const char *const labels[][2] = {
		{"pending_customer", "en espera de su respuesta"},
		{"resolved", "resuelto"},
		{"closed", "cerrado"},
	};
	static const char *const pages[][2] = {
		{"account_verify", "/account/verify"},
		{"account_exists", "/account/reset"},
		{"email_taken", "/account/reset"},
		{"password_reset", "/account/reset"},
		{"email_change_verify", "/account/email"},
	};
	char link[512];

	for (size_t i = 0; i < AY_ARRAY_LEN(pages); i++)
		if (!strcmp(kind, pages[i][0])) {
			snprintf(link, sizeof(link), "%s%s#token=" PLACEHOLDER,
				 cfg->base_url, pages[i][1]);
			json_object_set_new(p, "link", json_string(link));
		}
	for (size_t i = 0; variant && i < AY_ARRAY_LEN(labels); i++) {
		if (strcmp(variant, labels[i][0]))
			continue;
		json_object_set_new(p, "status", json_string(labels[i][0]));
		json_object_set_new(p, "label", json_string(labels[i][1]));
	}
	if (!strcmp(kind, "ticket_received"))
		json_object_set_new(p, "kb", json_true());
	if (variant && !strcmp(variant, "reopened"))
		json_object_set_new(p, "reopened", json_true());
	if (variant && !strcmp(variant, "out_of_scope"))
		json_object_set_new(p, "out_of_scope", json_true());
	if (!strcmp(kind, "survey") ||
	    (variant && !strcmp(variant, "out_of_scope")))
		json_object_set_new(p, "token", json_string(PLACEHOLDER));
	if (!strncmp(kind, "development_", 12)) {
		json_object_set_new(p, "days", json_integer(60));
		json_object_set_new(p, "review_due_at",
				    json_integer(ay_now() + 60 * 86400));
	}
	if (!strcmp(kind, "email_changed"))
		json_object_set_new(p, "email", json_string(t->requester));
	if (!strcmp(kind, "attachment_rejected"))
		json_object_set_new(
			p, "reason",
			json_string("el tipo de archivo no está permitido "
				    "(application/x-msdownload)"));
	if (!strcmp(kind, "sla_inclusion_rejected"))
		json_object_set_new(p, "reason",
				    json_string("no encontramos su dirección "
						"entre los contactos de la "
						"compañía"));
	if (!strcmp(kind, "sla_inclusion_approved"))
		return inclusion_payload(db, tid, p);
	if (!strcmp(kind, "agent_reply")) {
		*body = ticket_text(db, tid, "reply", 4000);
		return *body ? AY_OK : AY_ENOMEM;
	}
	if (!strncmp(kind, "supervisor_review", 17)) {
		char *reason = ticket_text(db, tid, "customer", 300);

		json_object_set_new(p, "reason", json_string(reason ?: ""));
		json_object_set_new(p, "by", json_string(t->name));
		free(reason);
	}
	return AY_OK;
}

static const struct template *template_find(const char *id)
{
	for (size_t i = 0; id && i < AY_ARRAY_LEN(templates); i++)
		if (!strcmp(templates[i].id, id))
			return &templates[i];
	return NULL;
}

/* The reader: the requester (customer and account mail) or the admin
 * looking (staff notices), in lang. */
static ay_rc load_reader(struct db *db, const struct template *tp,
			 const struct actor *a, int64_t tid, const char *lang,
			 struct notice_ticket *t, char email[256])
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc = notice_ticket_load(db, tid, NULL, NULL, t);

	if (!rc && tp->who == FOR_STAFF) {
		rc = db_run(db, &s, &row,
			    "SELECT email FROM users WHERE id = $1", "i",
			    a->user_id);
		if (!rc && row)
			snprintf(email, 256, "%s", db_col_text(s, 0));
		db_reset(s);
		if (!rc)
			rc = notice_ticket_load(db, tid, email, NULL, t);
	} else if (!rc) {
		snprintf(email, 256, "%s", t->requester);
		if (tp->who == FOR_ACCOUNT)
			rc = notice_ticket_load(db, 0, email, NULL, t);
	}
	snprintf(t->lang, sizeof(t->lang), "%s", lang);
	return rc;
}

ay_rc notice_preview(struct db *db, const struct ay_config *cfg,
		     const struct actor *a, const char *id, int64_t number,
		     const char *lang, json_t **out)
{
	const struct template *tp = template_find(id);
	struct notice_ticket *t = NULL;
	struct buf subject, text, html;
	char kind[40], to[256] = "", *body = NULL;
	const char *dash;
	json_t *p = NULL;
	int64_t tid = 0;
	ay_rc rc;

	*out = NULL;
	if (!access_config(a) || !tp)
		return AY_ENOTFOUND;
	if (strcmp(lang, "es") && strcmp(lang, "en"))
		return AY_EINVAL;
	dash = strchr(id, '-');
	snprintf(kind, sizeof(kind), "%.*s",
		 dash ? (int)(dash - id) : (int)strlen(id), id);
	buf_init(&subject, 0);
	buf_init(&text, 0);
	buf_init(&html, 0);
	t = calloc(1, sizeof(*t));
	p = json_object();
	rc = t && p ? find_ticket(db, &number, &tid) : AY_ENOMEM;
	if (!rc)
		rc = load_reader(db, tp, a, tid, lang, t, to);
	if (!rc)
		rc = make_payload(db, cfg, kind, dash ? dash + 1 : NULL, tid, t,
				  p, &body);
	if (!rc)
		rc = notice_render(db, cfg, kind,
				   tp->who == FOR_ACCOUNT ? 0 : tid, p, t, body,
				   &subject, &text, &html);
	if (!rc) {
		*out = json_pack("{s:s,s:s,s:s,s:I,s:s,s:s,s:s,s:s}", "id", id,
				 "kind", kind, "lang", lang, "ticket",
				 (json_int_t)number, "to", to, "subject",
				 buf_str(&subject), "text", buf_str(&text),
				 "html", buf_str(&html));
		rc = *out ? AY_OK : AY_ENOMEM;
	}
	free(t);
	free(body);
	json_decref(p);
	buf_release(&subject);
	buf_release(&text);
	buf_release(&html);
	return rc;
}
