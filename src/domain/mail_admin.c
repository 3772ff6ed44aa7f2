/* The admin console's mail page: settings, test send, single fetch, the
 * outbox and its retry (domain/mail_admin.h). Previews: notice_preview.c. */
#include <stdlib.h>
#include <string.h>

#include "domain/access.h"
#include "domain/mail_admin.h"
#include "domain/mailin.h"
#include "domain/user.h"
#include "mail/compose.h"
#include "mail/imap.h"
#include "mail/smtp.h"
#include "util/i18n.h"

/* --- settings --- */

/* A URL with the password of its user part (scheme://user:pass@host)
 * replaced by "****". Returns: a new reference. */
static json_t *url_masked(const char *url)
{
	const char *auth = strstr(url, "://"), *at, *colon, *slash;
	char out[300];

	if (!*url)
		return json_null();
	if (!auth)
		return json_string(url);
	auth += 3;
	slash = auth + strcspn(auth, "/?#");
	at = memchr(auth, '@', (size_t)(slash - auth));
	colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
	if (!colon)
		return json_string(url);
	snprintf(out, sizeof(out), "%.*s****%s", (int)(colon + 1 - url), url,
		 at);
	return json_string(out);
}

ay_rc mail_admin_settings(const struct ay_config *cfg, json_t **out)
{
	*out = json_pack(
		"{s:{s:o,s:s?,s:b,s:i},s:{s:o,s:s?,s:b,s:b,s:s,s:s,s:s}}",
		"inbound", "url", url_masked(cfg->imap_url), "user",
		cfg->imap_user[0] ? cfg->imap_user : NULL, "password_set",
		cfg->imap_password[0] != '\0', "interval", cfg->imap_interval,
		"outbound", "url", url_masked(cfg->smtp_url), "user",
		cfg->smtp_user[0] ? cfg->smtp_user : NULL, "password_set",
		cfg->smtp_password[0] != '\0', "starttls",
		cfg->smtp_starttls != 0, "from", cfg->support_address, "domain",
		cfg->mail_domain, "subject_tag", cfg->subject_tag);
	return *out ? AY_OK : AY_ENOMEM;
}

/* --- what a server said --- */

/* s with every configured password replaced by "****" (a server may echo
 * what it was given). Returns: a new reference. */
static json_t *scrubbed(const struct ay_config *cfg, const char *s)
{
	const char *secrets[] = {cfg->smtp_password, cfg->imap_password};
	char *copy = strdup(s ? s : ""), *hit;
	json_t *j;

	if (!copy)
		return NULL;
	for (size_t i = 0; i < AY_ARRAY_LEN(secrets); i++) {
		size_t n = strlen(secrets[i]);

		if (!n)
			continue;
		while ((hit = strstr(copy, secrets[i]))) {
			memset(hit, '*', n);
		}
	}
	j = json_string(copy);
	free(copy);
	return j;
}

/* {ok, replies, failure?, error?} of a dialogue into o. */
static ay_rc dialogue_json(const struct ay_config *cfg,
			   const struct mail_dialogue *d, bool ok,
			   const char *err, json_t *o)
{
	json_t *lines = json_array();

	if (!lines)
		return AY_ENOMEM;
	for (int i = 0; i < d->n; i++)
		json_array_append_new(lines, scrubbed(cfg, d->line[i]));
	json_object_set_new(o, "ok", json_boolean(ok));
	json_object_set_new(o, "replies", lines);
	if (!ok) {
		json_object_set_new(
			o, "failure",
			json_string(d->failure[0] ? d->failure : "protocol"));
		json_object_set_new(o, "error", scrubbed(cfg, err));
	}
	return AY_OK;
}

/* A result that never reached a server: {ok: false, failure, error}. */
static ay_rc not_configured(const char *what, json_t **out)
{
	*out = json_pack("{s:b,s:[],s:s,s:s}", "ok", 0, "replies", "failure",
			 "unconfigured", "error", what);
	return *out ? AY_OK : AY_ENOMEM;
}

/* --- test send --- */

ay_rc mail_admin_test_send(const struct ay_config *cfg, const char *to,
			   const char *lang, const char *by, struct verr *err,
			   json_t **out)
{
	struct mail_dialogue d = {0};
	struct mail_smtp_conf sc = {
		.url = cfg->smtp_url,
		.user = cfg->smtp_user[0] ? cfg->smtp_user : NULL,
		.password = cfg->smtp_password,
		.tls = cfg->smtp_starttls ? MAIL_TLS_TRY : MAIL_TLS_NONE,
		.connect_timeout = MAIL_ADMIN_CONNECT_TIMEOUT,
		.timeout = MAIL_ADMIN_TIMEOUT,
		.dialogue = &d};
	struct buf text, raw;
	char why[512] = "", *msgid = NULL;
	const char *subject;
	ay_rc rc, sent;

	*out = NULL;
	if (!to || !user_email_ok(to)) {
		verr_set(err, "to", "escriba una dirección de correo válida");
		return AY_EINVAL;
	}
	if (!cfg->smtp_url[0])
		return not_configured("[mail] smtp_url", out);
	buf_init(&text, 0);
	buf_init(&raw, 0);
	subject = i18n(lang, "Correo de prueba de ayuda");
	rc = buf_addf(&text,
		      i18n(lang, "Este es un correo de prueba que %s "
				 "envió desde la consola de "
				 "administración (%s)."),
		      by, cfg->base_url);
	if (!rc)
		rc = buf_addf(&text, "\n\n%s\n",
			      i18n(lang, "Si lo ha recibido, el envío de "
					 "correo funciona."));
	msgid = mail_new_message_id(cfg->mail_domain);
	if (!rc && !msgid)
		rc = AY_ENOMEM;
	if (!rc) {
		struct mail_out m = {.from = cfg->support_address,
				     .from_name = i18n(lang, "Soporte"),
				     .to = to,
				     .subject = subject,
				     .message_id = msgid,
				     .text = buf_str(&text),
				     .automatic = true,
				     .loop_token = mailin_loop_token(cfg),
				     .lang = lang};

		rc = mail_compose(&m, &raw);
	}
	if (rc == AY_EINVAL) {
		rc = not_configured("[mail] support_address", out);
		goto out;
	}
	if (rc)
		goto out;
	sent = mail_smtp_send(&sc, cfg->support_address, &to, 1, raw.ptr,
			      raw.len, why, sizeof(why));
	*out = json_pack("{s:s,s:s}", "to", to, "message_id", msgid);
	rc = *out ? dialogue_json(cfg, &d, sent == AY_OK, why, *out)
		  : AY_ENOMEM;
out:
	free(msgid);
	buf_release(&text);
	buf_release(&raw);
	return rc;
}

/* --- fetch once --- */

struct fetch_ctx {
	struct store *st;
	const struct ay_config *cfg;
	json_t *messages;
};

/* One message, as the poller takes it (jobs/imap_poll.c): a message that
 * can never be accepted is left read, the rest must commit first. */
static ay_rc fetch_one(void *arg, const char *raw, size_t len)
{
	struct fetch_ctx *c = arg;
	struct mailin_result r = {0};
	ay_rc rc = mailin_deliver(c->st, c->cfg, raw, len, &r);
	bool refused = rc == AY_EINVAL || rc == AY_ETOOBIG;

	if (rc && !refused)
		return rc;
	json_array_append_new(c->messages,
			      json_pack("{s:I,s:s,s:s}", "ticket",
					(json_int_t)r.ticket, "action",
					refused ? "refused" : r.action,
					"reason", r.reason));
	return AY_OK;
}

ay_rc mail_admin_fetch(struct store *st, const struct ay_config *cfg,
		       json_t **out)
{
	struct mail_dialogue d = {0};
	struct mail_imap_conf ic = {.url = cfg->imap_url,
				    .user = cfg->imap_user,
				    .password = cfg->imap_password,
				    .tls = MAIL_TLS_TRY,
				    .timeout = MAIL_ADMIN_TIMEOUT / 2,
				    .max_messages = MAIL_ADMIN_FETCH_MAX,
				    .dialogue = &d};
	struct fetch_ctx c = {st, cfg, json_array()};
	size_t taken = 0, skipped = 0;
	char why[512] = "";
	ay_rc rc;

	*out = NULL;
	if (!c.messages)
		return AY_ENOMEM;
	if (!cfg->imap_url[0]) {
		json_decref(c.messages);
		return not_configured("[mail] imap_url", out);
	}
	rc = mail_imap_fetch(&ic, fetch_one, &c, &taken, &skipped, why,
			     sizeof(why));
	*out = json_pack("{s:I,s:I,s:o}", "taken", (json_int_t)taken, "skipped",
			 (json_int_t)skipped, "messages", c.messages);
	return *out ? dialogue_json(cfg, &d, rc == AY_OK, why, *out)
		    : AY_ENOMEM;
}

/* --- the outbox --- */

#define OUTBOX_COLS                                                            \
	"o.id, o.state, o.kind, COALESCE(o.recipient, u.email),"               \
	" COALESCE(t.number, 0), t.subject, o.attempts, o.last_error,"         \
	" o.next_attempt_at, o.created_at, o.sent_at"
#define OUTBOX_FROM                                                            \
	" FROM outbox o LEFT JOIN tickets t ON t.id = o.ticket_id"             \
	" LEFT JOIN users u ON u.id = t.requester_id"

/* One row of OUTBOX_COLS as JSON: never its payload (links, tokens). */
static json_t *outbox_row_json(struct db_stmt *s, void *arg)
{
	const struct ay_config *cfg = arg;
	bool waiting = !strcmp(db_col_text(s, 1), "pending");

	return json_pack(
		"{s:I,s:s,s:s,s:o,s:o,s:o,s:I,s:o,s:o,s:o,s:o}", "id",
		(json_int_t)db_col_int(s, 0), "state", db_col_text(s, 1),
		"kind", db_col_text(s, 2), "recipient", json_col_text(s, 3),
		"ticket",
		db_col_int(s, 4) ? json_integer(db_col_int(s, 4)) : json_null(),
		"subject", json_col_text(s, 5), "attempts",
		(json_int_t)db_col_int(s, 6), "last_error",
		db_col_null(s, 7) ? json_null()
				  : scrubbed(cfg, db_col_text(s, 7)),
		"next_attempt_at", waiting ? json_col_time(s, 8) : json_null(),
		"created_at", json_col_time(s, 9), "sent_at",
		json_col_time(s, 10));
}

/* The SQL condition of a state filter, or NULL for an unknown one. */
static const char *state_where(const char *state)
{
	static const struct {
		const char *name, *where;
	} f[] = {
		{"open", "o.state <> 'sent'"},
		{"failed", "o.state = 'failed'"},
		{"waiting", "o.state IN ('pending', 'sending')"},
		{"sent", "o.state = 'sent'"},
		{"all", "1 = 1"},
	};

	for (size_t i = 0; i < AY_ARRAY_LEN(f); i++)
		if (!strcmp(state ? state : "open", f[i].name))
			return f[i].where;
	return NULL;
}

static ay_rc outbox_counts(struct db *db, json_t *o)
{
	json_t *counts = json_pack("{s:i,s:i,s:i}", "failed", 0, "waiting", 0,
				   "sent", 0);
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	if (!counts)
		return AY_ENOMEM;
	json_object_set_new(o, "counts", counts);
	rc = db_run(db, &s, &row,
		    "SELECT CASE WHEN state IN ('pending', 'sending') THEN"
		    " 'waiting' ELSE state END AS k, COUNT(*) FROM outbox"
		    " GROUP BY k",
		    NULL);
	while (!rc && row) {
		json_object_set_new(counts, db_col_text(s, 0),
				    json_integer(db_col_int(s, 1)));
		rc = db_step(s, &row);
	}
	db_reset(s);
	return rc;
}

ay_rc outbox_admin_list(struct db *db, const struct actor *a, const char *state,
			int64_t before, int64_t limit,
			const struct ay_config *cfg, json_t **out)
{
	const char *where = state_where(state);
	json_t *items = NULL, *last;
	char sql[600];
	ay_rc rc;

	*out = NULL;
	if (!access_config(a))
		return AY_ENOTFOUND;
	if (!where)
		return AY_EINVAL;
	snprintf(sql, sizeof(sql),
		 "SELECT " OUTBOX_COLS OUTBOX_FROM " WHERE %s AND ($1 = 0 OR"
		 " o.id < $1) ORDER BY o.id DESC LIMIT $2",
		 where);
	rc = db_rows_json(db, outbox_row_json, (void *)cfg, &items, sql, "ii",
			  before, limit);
	if (rc)
		return rc;
	last = json_array_get(items, json_array_size(items) - 1);
	*out = json_pack("{s:o,s:o}", "items", items, "next",
			 (int64_t)json_array_size(items) == limit && last
				 ? json_incref(json_object_get(last, "id"))
				 : json_null());
	if (!*out)
		return AY_ENOMEM;
	rc = outbox_counts(db, *out);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* Kinds whose mail carries a one-time link or token, dropped from the
 * payload once the row failed (outbox_forget_secrets()): sent again, it
 * would carry none. */
static bool needs_secret(const char *kind, json_t *payload)
{
	static const char *const link[] = {"account_verify", "account_exists",
					   "email_taken", "password_reset",
					   "email_change_verify"};

	for (size_t i = 0; i < AY_ARRAY_LEN(link); i++)
		if (!strcmp(kind, link[i]))
			return !json_object_get(payload, "link");
	if (!strcmp(kind, "survey"))
		return !json_object_get(payload, "token");
	return false;
}

/* Retry row id (all: as part of "retry every failed one"); AY_ECONFLICT
 * with the reason in err when it cannot be. */
static ay_rc retry_one(struct db *db, const struct actor *a, int64_t id,
		       bool all, struct verr *err)
{
	struct db_stmt *s = NULL;
	json_t *payload = NULL, *before = NULL, *data = NULL;
	char state[16] = "", kind[40] = "", rcpt[256] = "";
	int64_t now = ay_now();
	bool row = false;
	ay_rc rc;

	rc = db_run(db, &s, &row,
		    "SELECT o.state, o.kind, o.payload, o.attempts,"
		    " o.next_attempt_at, o.last_error,"
		    " COALESCE(o.recipient, u.email, '')" OUTBOX_FROM
		    " WHERE o.id = $1",
		    "i", id);
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	snprintf(state, sizeof(state), "%s", db_col_text(s, 0));
	snprintf(kind, sizeof(kind), "%s", db_col_text(s, 1));
	snprintf(rcpt, sizeof(rcpt), "%s", db_col_text(s, 6));
	payload = json_loads(db_col_text(s, 2), 0, NULL);
	before = json_pack("{s:s,s:I,s:o,s:o}", "state", state, "attempts",
			   (json_int_t)db_col_int(s, 3), "next_attempt_at",
			   json_col_time(s, 4), "last_error",
			   json_col_text(s, 5));
	db_reset(s);
	if (!before) {
		rc = AY_ENOMEM;
		goto out;
	}
	if (!strcmp(state, "sent") || !strcmp(state, "sending")) {
		verr_set(err, "id",
			 !strcmp(state, "sent")
				 ? "este correo ya se envió"
				 : "este correo se está enviando ahora");
		rc = AY_ECONFLICT;
		goto out;
	}
	if (!strcmp(state, "failed") && needs_secret(kind, payload)) {
		verr_set(err, "id",
			 "este correo llevaba un enlace de un solo uso, que no "
			 "se guarda después de un fallo: la persona debe "
			 "pedir uno nuevo");
		rc = AY_ECONFLICT;
		goto out;
	}
	rc = db_run(db, NULL, NULL,
		    "UPDATE outbox SET state = 'pending', next_attempt_at = $2,"
		    " attempts = CASE WHEN state = 'failed' THEN 0 ELSE"
		    " attempts END WHERE id = $1",
		    "ii", id, now);
	if (!rc) {
		char iso[32];

		ay_iso_utc(now, iso);
		data = json_pack("{s:I,s:s,s:s,s:b,s:O,s:{s:s,s:s}}", "outbox",
				 (json_int_t)id, "kind", kind, "recipient",
				 rcpt, "all", all, "before", before, "after",
				 "state", "pending", "next_attempt_at", iso);
		if (data && !strcmp(state, "failed"))
			json_object_set_new(json_object_get(data, "after"),
					    "attempts", json_integer(0));
		rc = data ? event_add(db, 0, a->user_id, "outbox.retried", data)
			  : AY_ENOMEM;
	}
out:
	json_decref(payload);
	json_decref(before);
	json_decref(data);
	return rc;
}

ay_rc outbox_admin_retry(struct db *db, const struct actor *a, int64_t id,
			 const struct ay_config *cfg, struct verr *err,
			 json_t **out)
{
	ay_rc rc;

	*out = NULL;
	if (!access_config(a))
		return AY_ENOTFOUND;
	rc = retry_one(db, a, id, false, err);
	if (!rc)
		rc = db_rows_json(db, outbox_row_json, (void *)cfg, out,
				  "SELECT " OUTBOX_COLS OUTBOX_FROM
				  " WHERE o.id = $1",
				  "i", id);
	if (!rc && *out) {
		json_t *one = json_incref(json_array_get(*out, 0));

		json_decref(*out);
		*out = one;
	}
	return rc;
}

/* retry_one for db_savepoint. */
struct retry_call {
	const struct actor *a;
	int64_t id;
	struct verr e;
};

static ay_rc retry_call(struct db *db, void *arg)
{
	struct retry_call *c = arg;

	return retry_one(db, c->a, c->id, true, &c->e);
}

ay_rc outbox_admin_retry_failed(struct db *db, const struct actor *a,
				json_t **out)
{
	struct db_stmt *s = NULL;
	int64_t ids[500];
	size_t n = 0, retried = 0, skipped = 0;
	bool row = false;
	ay_rc rc;

	*out = NULL;
	if (!access_config(a))
		return AY_ENOTFOUND;
	rc = db_run(db, &s, &row,
		    "SELECT id FROM outbox WHERE state = 'failed' ORDER BY id"
		    " LIMIT 500",
		    NULL);
	while (!rc && row && n < AY_ARRAY_LEN(ids)) {
		ids[n++] = db_col_int(s, 0);
		rc = db_step(s, &row);
	}
	db_reset(s);
	for (size_t i = 0; !rc && i < n; i++) {
		struct retry_call c = {.a = a, .id = ids[i]};

		/* A row refused is undone alone, and the others go on. */
		rc = db_savepoint(db, retry_call, &c);
		if (rc == AY_ECONFLICT) {
			skipped++;
			rc = AY_OK;
		} else if (!rc) {
			retried++;
		}
	}
	if (!rc) {
		*out = json_pack("{s:I,s:I}", "retried", (json_int_t)retried,
				 "skipped", (json_int_t)skipped);
		rc = *out ? AY_OK : AY_ENOMEM;
	}
	return rc;
}
