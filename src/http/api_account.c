/* Accounts over the JSON API: register, verify, log in and out, the
 * session (with its CSRF token), password reset and change, email change;
 * the credentials vault; downloads of attachments and of the HTML of mail.
 *
 * Passwords are hashed and checked (argon2id, deliberately slow) in the
 * MHD worker thread, never in the store's single writer thread; the
 * deferred job then only writes. To hand the hash to its job, a handler
 * replaces the "password" member of r->in with it, so the clear text also
 * lives no longer than it must. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "domain/access.h"
#include "domain/account.h"
#include "domain/attachment.h"
#include "domain/user.h"
#include "domain/vault.h"
#include "http/http.h"
#include "store/blobs.h"
#include "util/log.h"

static const char *member(struct http_req *r, const char *key)
{
	return json_string_value(json_object_get(r->in, key));
}

/* Parse the JSON body: its members are the keys listed (each, when
 * present, a string) and those in others (NULL, or checked by the
 * caller); any other member is a 422. */
static bool body_strings(struct http_req *r, const char *const *keys,
			 const char *const *others)
{
	const char *all[16];
	size_t n = 0;

	for (size_t i = 0; keys[i] && n < AY_ARRAY_LEN(all) - 1; i++)
		all[n++] = keys[i];
	for (size_t i = 0; others && others[i] && n < AY_ARRAY_LEN(all) - 1;
	     i++)
		all[n++] = others[i];
	all[n] = NULL;
	r->in = http_body_json(r);
	if (!r->in || !http_known_fields(r, all))
		return false;
	for (; *keys; keys++) {
		json_t *v = json_object_get(r->in, *keys);

		if (v && !json_is_null(v) && !json_is_string(v)) {
			snprintf(r->verr.field, sizeof(r->verr.field), "%s",
				 *keys);
			snprintf(r->verr.msg, sizeof(r->verr.msg),
				 "el campo «%s» debe ser un texto", *keys);
			http_error_rc(r, AY_EINVAL);
			return false;
		}
	}
	return true;
}

static bool https(struct http_req *r)
{
	return !strncmp(http_config(r)->base_url, "https://", 8);
}

static void set_session_cookie(struct http_req *r, const char *id, int max_age)
{
	free(r->set_cookie);
	if (asprintf(&r->set_cookie,
		     "ayuda_session=%s; Path=/; HttpOnly; SameSite=Lax;"
		     " Max-Age=%d%s",
		     id, max_age, https(r) ? "; Secure" : "") < 0)
		r->set_cookie = NULL;
}

/* Replace r->in's password member `key` by its argon2id hash (on any
 * failure the member is gone and the request answered). */
static bool hash_member(struct http_req *r, const char *key)
{
	ay_rc rc = account_hash_member(r->in, key, &r->verr);

	if (rc)
		http_error_rc(r, rc);
	return !rc;
}

static void too_many(struct http_req *r, int64_t wait)
{
	char msg[200];

	snprintf(msg, sizeof(msg),
		 "Demasiados intentos fallidos. Espere %lld segundos antes de "
		 "volver a intentarlo.",
		 (long long)wait);
	r->retry_after = (int)wait;
	http_error(r, 429, "too_many_attempts", msg);
}

/* Over the hourly cap of link mail (per address or per client). */
static void too_many_mails(struct http_req *r, int64_t wait)
{
	char msg[200];

	snprintf(msg, sizeof(msg),
		 "Demasiadas solicitudes de correo. Espere %lld minutos antes "
		 "de volver a intentarlo.",
		 (long long)(wait + 59) / 60);
	r->retry_after = (int)wait;
	http_error(r, 429, "too_many_requests", msg);
}

/* --- register and verify --- */

static ay_rc job_register(struct db *db, struct http_req *r)
{
	struct account_new in = {
		.name = member(r, "name"),
		.email = member(r, "email"),
		.password_hash = member(r, "password"),
		.position = member(r, "position"),
		.company = member(r, "company"),
		.phone = member(r, "phone"),
		.lang = member(r, "lang"),
		.timezone = member(r, "timezone"),
		.client = r->client,
	};
	int64_t wait = 0;
	ay_rc rc = account_register(db, http_config(r)->base_url, &in, &wait,
				    &r->verr);

	if (rc) {
		http_error_rc(r, rc);
		return rc;
	}
	if (wait) {
		too_many_mails(r, wait);
		return AY_OK;
	}
	http_json(r, 202,
		  json_pack("{s:s,s:s}", "status", "verification_sent",
			    "message",
			    "Le hemos enviado un correo para verificar su "
			    "dirección."));
	return AY_OK;
}

void h_register(struct http_req *r)
{
	static const char *const keys[] = {"name",     "email",	   "password",
					   "position", "company",  "phone",
					   "lang",     "timezone", NULL};

	if (!body_strings(r, keys, NULL))
		return;
	if (!hash_member(r, "password"))
		return;
	http_defer(r, job_register);
}

static void bad_link(struct http_req *r)
{
	http_error(r, 400, "invalid_token", "enlace no válido o caducado");
}

static ay_rc job_verify(struct db *db, struct http_req *r)
{
	ay_rc rc = account_verify(db, member(r, "token"), &r->verr);

	if (rc == AY_ENOTFOUND)
		bad_link(r);
	else if (rc)
		http_error_rc(r, rc);
	else
		http_json(r, 200, json_pack("{s:s}", "status", "verified"));
	return rc;
}

void h_verify(struct http_req *r)
{
	static const char *const keys[] = {"token", NULL};

	if (body_strings(r, keys, NULL))
		http_defer(r, job_verify);
}

/* --- log in, log out, session --- */

static ay_rc job_login_failed(struct db *db, struct http_req *r)
{
	ay_rc rc = account_login_failed(db, member(r, "email"));

	if (rc) {
		http_error_rc(r, rc);
		return rc;
	}
	http_error(r, 401, "invalid_credentials",
		   "correo o contraseña incorrectos");
	return AY_OK;
}

static ay_rc job_login_ok(struct db *db, struct http_req *r)
{
	char id[AY_HEX_TOKEN_LEN + 1], csrf[AY_HEX_TOKEN_LEN + 1], iso[32];
	const char *ua = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						     "User-Agent");
	json_t *user = NULL;
	int64_t expires = 0;
	ay_rc rc;

	rc = account_attempt_ok(db, member(r, "email"), r->client, r->counted);
	if (!rc)
		rc = session_create(db, r->aux, r->client, ua, id, &expires);
	if (!rc)
		rc = user_json(db, r->aux, &user);
	if (rc) {
		http_error_rc(r, rc);
		return rc;
	}
	session_csrf(id, csrf);
	ay_iso_utc(expires, iso);
	set_session_cookie(r, id, AY_SESSION_ABSOLUTE);
	sodium_memzero(id, sizeof(id));
	http_json(r, 200,
		  json_pack("{s:o,s:s,s:s}", "user", user, "csrf_token", csrf,
			    "expires_at", iso));
	return AY_OK;
}

static ay_rc job_login_unverified(struct db *db, struct http_req *r)
{
	ay_rc rc = account_attempt_ok(db, member(r, "email"), r->client,
				      r->counted);

	if (rc) {
		http_error_rc(r, rc);
		return rc;
	}
	http_error(r, 403, "email_not_verified",
		   "Verifique su dirección de correo con el enlace "
		   "que le enviamos antes de iniciar sesión.");
	return AY_OK;
}

struct attempt {
	struct http_req *r;
	const char *email;
	int64_t wait;
};

static ay_rc attempt_run(struct db *db, void *arg)
{
	struct attempt *a = arg;

	return account_attempt_begin(db, a->email, a->r->client, ay_now(),
				     &a->wait, &a->r->counted);
}

/* Count a password check for email before making it, in the writer so
 * that concurrent guesses are counted one after another; false (and the
 * request answered) when the caller must wait. */
static bool attempt_begin(struct http_req *r, const char *email)
{
	struct attempt a = {.r = r, .email = email};
	ay_rc rc = store_write(http_store(r), attempt_run, &a);

	if (rc)
		http_error_rc(r, rc);
	else if (a.wait > 0)
		too_many(r, a.wait);
	return !rc && a.wait <= 0;
}

void h_login(struct http_req *r)
{
	static const char *const keys[] = {"email", "password", NULL};
	struct login_user u;
	struct db *db;
	bool ok;
	ay_rc rc;

	if (!body_strings(r, keys, NULL) ||
	    !attempt_begin(r, member(r, "email")))
		return;
	rc = store_reader(http_store(r), &db);
	if (!rc)
		rc = account_login_lookup(db, member(r, "email"), &u);
	if (rc) {
		http_error_rc(r, rc);
		return;
	}
	/* Unknown address, no password, wrong password or a disabled
	 * account: one answer, after the same work. */
	ok = account_password_ok(u.id && u.hash[0] ? u.hash : NULL,
				 member(r, "password"));
	sodium_memzero(u.hash, sizeof(u.hash));
	account_forget_member(r->in, "password");
	if (!ok || u.disabled) {
		http_defer(r, job_login_failed);
		return;
	}
	if (!u.verified) {
		http_defer(r, job_login_unverified);
		return;
	}
	r->aux = u.id;
	http_defer(r, job_login_ok);
}

static ay_rc job_logout(struct db *db, struct http_req *r)
{
	ay_rc rc = session_destroy(db, r->session);

	if (rc) {
		http_error_rc(r, rc);
		return rc;
	}
	set_session_cookie(r, "", 0);
	http_json(r, 200, json_pack("{s:s}", "status", "logged_out"));
	return AY_OK;
}

void h_logout(struct http_req *r)
{
	if (!r->session[0]) {
		/* An API token is revoked by an admin, not logged out. */
		http_json(r, 200, json_pack("{s:s}", "status", "logged_out"));
		return;
	}
	http_defer(r, job_logout);
}

void h_session(struct http_req *r)
{
	char csrf[AY_HEX_TOKEN_LEN + 1];
	struct db *db;
	json_t *user = NULL;
	ay_rc rc;

	rc = store_reader(http_store(r), &db);
	if (!rc)
		rc = user_json(db, r->actor.user_id, &user);
	if (rc) {
		http_error_rc(r, rc);
		return;
	}
	if (r->session[0])
		session_csrf(r->session, csrf);
	http_json(r, 200,
		  json_pack("{s:o,s:s,s:o}", "user", user, "via",
			    r->session[0] ? "cookie" : "token", "csrf_token",
			    r->session[0] ? json_string(csrf) : json_null()));
}

/* --- password reset, change, email change --- */

static ay_rc job_reset_request(struct db *db, struct http_req *r)
{
	int64_t wait = 0;
	ay_rc rc = account_reset_request(db, http_config(r)->base_url,
					 member(r, "email"), r->client, &wait);

	if (rc) {
		http_error_rc(r, rc);
		return rc;
	}
	if (wait) {
		too_many_mails(r, wait);
		return AY_OK;
	}
	http_json(r, 202,
		  json_pack("{s:s,s:s}", "status", "sent", "message",
			    "Si la dirección tiene una cuenta, recibirá un "
			    "enlace para elegir una contraseña nueva."));
	return AY_OK;
}

void h_reset_request(struct http_req *r)
{
	static const char *const keys[] = {"email", NULL};

	if (body_strings(r, keys, NULL))
		http_defer(r, job_reset_request);
}

static ay_rc job_reset_confirm(struct db *db, struct http_req *r)
{
	ay_rc rc = account_reset_confirm(db, member(r, "token"),
					 member(r, "password"), &r->verr);

	if (rc == AY_ENOTFOUND)
		bad_link(r);
	else if (rc)
		http_error_rc(r, rc);
	else
		http_json(r, 200,
			  json_pack("{s:s}", "status", "password_changed"));
	return rc;
}

void h_reset_confirm(struct http_req *r)
{
	static const char *const keys[] = {"token", "password", NULL};

	if (body_strings(r, keys, NULL) && hash_member(r, "password"))
		http_defer(r, job_reset_confirm);
}

static ay_rc job_wrong_password(struct db *db, struct http_req *r)
{
	json_t *me = NULL;
	ay_rc rc = user_json(db, r->actor.user_id, &me);

	if (!rc)
		rc = account_login_failed(
			db, json_string_value(json_object_get(me, "email")));
	json_decref(me);
	if (rc) {
		http_error_rc(r, rc);
		return rc;
	}
	/* r->verr.field was set to the member's name by the handler. */
	snprintf(r->verr.msg, sizeof(r->verr.msg),
		 "la contraseña actual no es correcta");
	http_error_rc(r, AY_EINVAL);
	return AY_OK;
}

/* The caller's current password was right: take back the attempt. */
static ay_rc current_password_done(struct db *db, struct http_req *r)
{
	json_t *me = NULL;
	ay_rc rc = user_json(db, r->actor.user_id, &me);

	if (!rc)
		rc = account_attempt_ok(
			db, json_string_value(json_object_get(me, "email")),
			r->client, r->counted);
	json_decref(me);
	return rc;
}

/* Check the caller's current password (member key of r->in); on a wrong
 * one defer the failure and return false. On a right one the deferred job
 * calls current_password_done(). */
static bool current_password_ok(struct http_req *r, const char *key)
{
	struct db *db;
	char *hash = NULL;
	json_t *me = NULL;
	bool ok;
	ay_rc rc;

	rc = store_reader(http_store(r), &db);
	if (!rc)
		rc = user_json(db, r->actor.user_id, &me);
	if (rc) {
		http_error_rc(r, rc);
		return false;
	}
	ok = attempt_begin(r, json_string_value(json_object_get(me, "email")));
	json_decref(me);
	if (!ok)
		return false;
	rc = account_password_hash(db, r->actor.user_id, &hash);
	if (rc) {
		http_error_rc(r, rc);
		return false;
	}
	ok = account_password_ok(hash, member(r, key));
	free(hash);
	account_forget_member(r->in, key);
	if (!ok) {
		snprintf(r->verr.field, sizeof(r->verr.field), "%s", key);
		http_defer(r, job_wrong_password);
	}
	return ok;
}

static ay_rc job_password_change(struct db *db, struct http_req *r)
{
	ay_rc rc = current_password_done(db, r);

	if (!rc)
		rc = account_password_set(db, r->actor.user_id,
					  member(r, "new_password"));
	if (rc) {
		http_error_rc(r, rc);
		return rc;
	}
	if (r->session[0])
		set_session_cookie(r, "", 0);
	http_json(r, 200,
		  json_pack("{s:s,s:b}", "status", "password_changed",
			    "sessions_dropped", 1));
	return AY_OK;
}

void h_password_change(struct http_req *r)
{
	static const char *const keys[] = {"current_password", "new_password",
					   NULL};

	if (!body_strings(r, keys, NULL))
		return;
	if (account_password_policy(member(r, "new_password"), &r->verr)) {
		snprintf(r->verr.field, sizeof(r->verr.field), "new_password");
		http_error_rc(r, AY_EINVAL);
		return;
	}
	if (!current_password_ok(r, "current_password"))
		return;
	if (hash_member(r, "new_password"))
		http_defer(r, job_password_change);
}

static ay_rc job_email_change(struct db *db, struct http_req *r)
{
	int64_t wait = 0;
	ay_rc rc = current_password_done(db, r);

	if (!rc)
		rc = account_email_request(db, http_config(r)->base_url,
					   r->actor.user_id, member(r, "email"),
					   r->client, &wait, &r->verr);
	if (rc) {
		http_error_rc(r, rc);
		return rc;
	}
	if (wait) {
		too_many_mails(r, wait);
		return AY_OK;
	}
	http_json(r, 202,
		  json_pack("{s:s,s:s}", "status", "verification_sent",
			    "message",
			    "Le hemos enviado un enlace a la dirección nueva; "
			    "el cambio se aplica al abrirlo."));
	return AY_OK;
}

void h_email_change(struct http_req *r)
{
	static const char *const keys[] = {"password", "email", NULL};

	if (!body_strings(r, keys, NULL))
		return;
	if (!user_email_ok(member(r, "email"))) {
		verr_set(&r->verr, "email", "dirección de correo no válida");
		http_error_rc(r, AY_EINVAL);
		return;
	}
	if (current_password_ok(r, "password"))
		http_defer(r, job_email_change);
}

/* --- the credentials vault --- */

static bool param_id(struct http_req *r, int64_t *id)
{
	char *end;

	errno = 0;
	*id = strtoll(r->param, &end, 10);
	if (errno || *end || *id <= 0) {
		http_error_rc(r, AY_ENOTFOUND);
		return false;
	}
	return true;
}

static bool vault_ready(struct http_req *r)
{
	if (http_vault_key(r))
		return true;
	http_error(r, 503, "unavailable",
		   "el baúl de credenciales no está disponible");
	return false;
}

void h_vault_list(struct http_req *r)
{
	struct db *db;
	json_t *list = NULL;
	ay_rc rc;

	rc = store_reader(http_store(r), &db);
	if (!rc)
		rc = vault_list(db, &r->actor, r->number, &list);
	if (rc) {
		http_error_rc(r, rc);
		return;
	}
	http_json(r, 200, json_pack("{s:o}", "secrets", list));
}

static ay_rc job_vault_put(struct db *db, struct http_req *r)
{
	json_t *out = NULL;
	ay_rc rc = vault_put(db, http_vault_key(r), &r->actor, r->number,
			     member(r, "label"), member(r, "secret"),
			     (int)r->aux, &out, &r->verr);

	if (rc) {
		http_error_rc(r, rc);
		return rc;
	}
	http_json(r, 201, out);
	return AY_OK;
}

void h_vault_put(struct http_req *r)
{
	static const char *const keys[] = {"label", "secret", NULL};
	static const char *const others[] = {"expires_in_days", NULL};
	json_t *d;

	if (!vault_ready(r) || !body_strings(r, keys, others))
		return;
	d = json_object_get(r->in, "expires_in_days");
	if (d && !json_is_null(d) &&
	    (!json_is_integer(d) || json_integer_value(d) < 1 ||
	     json_integer_value(d) > AY_VAULT_MAX_DAYS)) {
		snprintf(r->verr.field, sizeof(r->verr.field),
			 "expires_in_days");
		snprintf(r->verr.msg, sizeof(r->verr.msg),
			 "la caducidad debe estar entre 1 y 30 días");
		http_error_rc(r, AY_EINVAL);
		return;
	}
	r->aux = d ? json_integer_value(d) : 0;
	http_defer(r, job_vault_put);
}

static ay_rc job_vault_read(struct db *db, struct http_req *r)
{
	json_t *out = NULL;
	ay_rc rc = vault_read(db, http_vault_key(r), &r->actor, r->number,
			      r->aux, &out);

	if (rc == AY_ECONFLICT) {
		http_error(r, 410, "gone",
			   "el dato de acceso caducó o fue destruido");
		return AY_OK;
	}
	if (rc) {
		http_error_rc(r, rc);
		return rc;
	}
	http_json(r, 200, out);
	return AY_OK;
}

void h_vault_read(struct http_req *r)
{
	if (vault_ready(r) && param_id(r, &r->aux))
		http_defer(r, job_vault_read);
}

static ay_rc job_vault_delete(struct db *db, struct http_req *r)
{
	ay_rc rc = vault_delete(db, &r->actor, r->number, r->aux);

	if (rc) {
		http_error_rc(r, rc);
		return rc;
	}
	http_json(r, 200, json_pack("{s:s}", "status", "destroyed"));
	return AY_OK;
}

void h_vault_delete(struct http_req *r)
{
	if (param_id(r, &r->aux))
		http_defer(r, job_vault_delete);
}

/* --- downloads --- */

/* Read the stored file sha (DATA/dir or the database) into r->out. */
static ay_rc read_blob_in(struct http_req *r, const char *dir, const char *sha)
{
	return store_blob_read(http_store(r), http_config(r), dir, sha,
			       &r->out);
}

static ay_rc read_blob(struct http_req *r, const char *sha)
{
	return read_blob_in(r, "attachments", sha);
}

/* The Content-Type to send for a stored one: a static string from an
 * allow-list; anything else (markup above all) downloads as bytes. */
static const char *safe_ctype(const char *t)
{
	static const char *const ok[][2] = {
		{"image/png", "image/png"},
		{"image/gif", "image/gif"},
		{"image/jpeg", "image/jpeg"},
		{"application/pdf", "application/pdf"},
		{"application/zip", "application/zip"},
		{"application/x-rar", "application/x-rar"},
		{"application/vnd.rar", "application/vnd.rar"},
		{"text/plain", "text/plain; charset=utf-8"},
	};
	size_t n = t ? strcspn(t, "; ") : 0;

	for (size_t i = 0; i < AY_ARRAY_LEN(ok); i++)
		if (n == strlen(ok[i][0]) && !strncasecmp(t, ok[i][0], n))
			return ok[i][1];
	return "application/octet-stream";
}

/* Content-Disposition: attachment with an RFC 5987 encoded name. */
static char *disposition(const char *name)
{
	struct buf b;

	buf_init(&b, 2048);
	if (buf_adds(&b, "attachment; filename=\"download\"; "
			 "filename*=UTF-8''"))
		return NULL;
	for (const unsigned char *p = (const unsigned char *)name; p && *p;
	     p++) {
		bool plain = (*p >= 'a' && *p <= 'z') ||
			     (*p >= 'A' && *p <= 'Z') ||
			     (*p >= '0' && *p <= '9') || strchr("._-", *p);
		if (plain ? buf_addc(&b, (char)*p) : buf_addf(&b, "%%%02X", *p))
			return NULL;
	}
	return buf_take(&b, NULL);
}

void http_send_stored(struct http_req *r, const char *sha256,
		      const char *filename, const char *content_type,
		      bool inline_image)
{
	ay_rc rc = read_blob(r, sha256);
	const char *ctype = safe_ctype(content_type);

	if (rc) {
		buf_release(&r->out);
		http_error_rc(r, rc);
		return;
	}
	if (!(inline_image && !strncmp(ctype, "image/", 6)))
		r->disposition = disposition(filename);
	r->status = 200;
	r->ctype = ctype;
	r->csp = "default-src 'none'; sandbox";
}

void h_attachment_get(struct http_req *r)
{
	struct attachment_file f = {0};
	struct db *db;
	int64_t id;
	ay_rc rc;

	if (!param_id(r, &id))
		return;
	rc = store_reader(http_store(r), &db);
	if (!rc)
		rc = attachment_get(db, &r->actor, r->number, id, &f);
	if (rc)
		http_error_rc(r, rc);
	else
		http_send_stored(r, f.sha256, f.filename, f.content_type,
				 false);
	attachment_file_release(&f);
}

/* Read the blob `which` of message ID (param) of ticket N into the
 * response, after the access check. */
static ay_rc message_blob(struct http_req *r, enum message_file which,
			  const char *dir)
{
	struct db *db;
	int64_t id;
	char sha[65] = "";
	ay_rc rc;

	if (!param_id(r, &id))
		return AY_EINVAL;
	rc = store_reader(http_store(r), &db);
	if (!rc)
		rc = attachment_message_file(db, &r->actor, r->number, id,
					     which, sha);
	if (!rc)
		rc = read_blob_in(r, dir, sha);
	if (rc) {
		buf_release(&r->out);
		http_error_rc(r, rc);
	}
	return rc;
}

/* The largest HTML view of a mail, its inline images included. */
#define HTML_VIEW_MAX (16u << 20)

/* Replace every "cid:ID" in r->out by "uri" (a data: URI). AY_ETOOBIG,
 * r->out unchanged, when the result would pass HTML_VIEW_MAX. */
static ay_rc replace_cid(struct http_req *r, const char *cid, const char *uri)
{
	char pat[300];
	size_t pl;
	struct buf b;
	const char *p, *hit;
	ay_rc rc = AY_OK;

	snprintf(pat, sizeof(pat), "cid:%s", cid);
	pl = strlen(pat);
	if (!strstr(buf_str(&r->out), pat))
		return AY_OK;
	buf_init(&b, HTML_VIEW_MAX);
	for (p = buf_str(&r->out); !rc && (hit = strstr(p, pat));
	     p = hit + pl) {
		rc = buf_add(&b, p, (size_t)(hit - p));
		if (!rc)
			rc = buf_adds(&b, uri);
	}
	if (!rc)
		rc = buf_adds(&b, p);
	if (rc) {
		buf_release(&b);
		return rc;
	}
	buf_release(&r->out);
	r->out = b;
	return AY_OK;
}

/* One inline image of a mail (cid: reference) becomes a data: URI in the
 * response. */
static ay_rc inline_image(void *arg, const char *cid, const char *ctype,
			  const char *sha)
{
	struct http_req *r = arg;
	struct buf img, uri;
	ay_rc rc;

	buf_init(&img, 2u << 20);
	buf_init(&uri, 3u << 20);
	rc = store_blob_read(http_store(r), http_config(r), "attachments", sha,
			     &img);
	if (rc == AY_ENOTFOUND || rc == AY_ETOOBIG)
		rc = AY_OK; /* the image shows nothing; the mail is shown */
	if (!rc && img.len) {
		size_t need = sodium_base64_ENCODED_LEN(
			img.len, sodium_base64_VARIANT_ORIGINAL);
		char *b64 = malloc(need);

		rc = b64 ? AY_OK : AY_ENOMEM;
		if (!rc) {
			sodium_bin2base64(
				b64, need, (const unsigned char *)img.ptr,
				img.len, sodium_base64_VARIANT_ORIGINAL);
			rc = buf_addf(&uri, "data:%s;base64,%s", ctype, b64);
		}
		free(b64);
		if (!rc)
			rc = replace_cid(r, cid, buf_str(&uri));
		/* Past the size of a view the rest stay out (their cid:
		 * shows nothing): the mail is still shown. */
		if (rc == AY_ETOOBIG)
			rc = AY_OK;
	}
	buf_release(&img);
	buf_release(&uri);
	return rc;
}

/* Inline images of a mail (cid: references) become data: URIs, which the
 * sandbox CSP allows: the agent sees the pasted screenshot without the
 * page fetching anything. Images over 2 MiB stay out, and so do those
 * past HTML_VIEW_MAX in all. */
static ay_rc inline_images(struct http_req *r)
{
	struct db *db;
	int64_t id;
	ay_rc rc;

	if (!param_id(r, &id))
		return AY_EINVAL;
	rc = store_reader(http_store(r), &db);
	if (!rc)
		rc = attachment_inline_images(db, id, 2097152, inline_image, r);
	return rc;
}

void h_message_html(struct http_req *r)
{
	if (message_blob(r, MESSAGE_FILE_HTML, "attachments"))
		return;
	if (inline_images(r)) {
		buf_release(&r->out);
		http_error_rc(r, AY_ENOMEM);
		return;
	}
	r->status = 200;
	r->ctype = "text/html; charset=utf-8";
	/* Mail HTML is somebody else's markup: no script, no forms, no
	 * same origin, nothing fetched from outside. */
	/* Shown in a sandboxed frame of the ticket page, and nowhere else. */
	r->csp = "sandbox; default-src 'none'; img-src data: cid:;"
		 " style-src 'unsafe-inline'; frame-ancestors 'self'";
	r->frame_self = true;
}

/* The raw message as received, for the support team only. */
void h_message_raw(struct http_req *r)
{
	if (!access_raw_mail(&r->actor)) {
		http_error_rc(r, AY_ENOTFOUND);
		return;
	}
	if (message_blob(r, MESSAGE_FILE_RAW, "raw"))
		return;
	r->status = 200;
	r->ctype = "message/rfc822";
	r->disposition = strdup("attachment; filename=\"mensaje.eml\"");
}

static ay_rc job_prefs(struct db *db, struct http_req *r)
{
	json_t *u = NULL;
	ay_rc rc = account_set_prefs(db, r->actor.user_id, member(r, "lang"),
				     member(r, "timezone"), &r->verr);

	if (!rc)
		rc = user_json(db, r->actor.user_id, &u);
	if (rc) {
		http_error_rc(r, rc);
		return rc;
	}
	http_json(r, 200, u);
	return AY_OK;
}

/* PATCH /api/v1/me {lang?, timezone?}: how the caller reads dates. */
void h_me_prefs(struct http_req *r)
{
	static const char *const keys[] = {"lang", "timezone", NULL};

	r->in = http_body_json(r);
	if (r->in && http_known_fields(r, keys))
		http_defer(r, job_prefs);
}
