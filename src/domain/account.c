/* Accounts: registration, verification links, log in and its throttling,
 * sessions and their CSRF tokens, password reset and change, email change,
 * API token and user administration.
 *
 * Mail is never sent from here: every message is an outbox row written in
 * the same transaction, rendered and sent by the outbox worker. The kinds
 * and their payloads (all with "lang": "es" or "en"):
 *   account_verify       {"name","link"}  verify the address after register
 *   account_exists       {"name","link"}  someone registered with a taken
 *                                         address; link: the reset page
 *   password_reset       {"name","link"}  single-use link, 1 hour
 *   password_changed     {"name"}         notice after a change or reset
 *   email_change_verify  {"name","link"}  sent to the new address
 *   email_changed        {"name","email"} notice to the old address
 *   email_taken          {"name","link"}  someone asked to move another
 *                                         account to this taken address;
 *                                         link: the reset page
 *   sla_inclusion_approved {"name","number","company","contact"}
 *                                         (company.c)
 * Links are base_url + "/account/verify#token=T", "/account/reset#token=T",
 * "/account/email#token=T": the token sits in the fragment, so it never
 * reaches a server log or a Referer header.
 *
 * Throttling lives in login_throttle, one row a key: "acct:EMAIL" and
 * "addr:CLIENT" count failed password checks (failures, the last one at
 * last_at, held back until locked_until); "mail:EMAIL" and "mailc:CLIENT"
 * count link mail requests in the hour that began at last_at. */
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "domain/account.h"
#include "domain/user.h"
#include "sla/bizcal.h"
#include "util/testhooks.h"

ay_rc account_hash_password(const char *pw, char out[crypto_pwhash_STRBYTES])
{
	bool fast = ay_test_pwhash_fast();

	if (crypto_pwhash_str(out, pw, strlen(pw),
			      fast ? crypto_pwhash_OPSLIMIT_MIN
				   : crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      fast ? crypto_pwhash_MEMLIMIT_MIN
				   : crypto_pwhash_MEMLIMIT_INTERACTIVE))
		return AY_ENOMEM;
	return AY_OK;
}

bool account_hash_valid(const char *h)
{
	return h && !strncmp(h, "$argon2id$", 10) &&
	       strlen(h) < crypto_pwhash_STRBYTES;
}

void account_forget_member(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	/* jansson frees a string without wiping it: wipe it first (the
	 * length stays, the bytes are ours until the member goes). */
	if (json_is_string(v))
		sodium_memzero((char *)json_string_value(v),
			       json_string_length(v));
	json_object_del(obj, key);
}

ay_rc account_hash_member(json_t *obj, const char *key, struct verr *err)
{
	char hash[crypto_pwhash_STRBYTES];
	const char *pw = json_string_value(json_object_get(obj, key));
	json_t *h;
	ay_rc rc;

	rc = account_password_policy(pw, err);
	if (rc) {
		if (err)
			snprintf(err->field, sizeof(err->field), "%s", key);
		goto out;
	}
	rc = account_hash_password(pw, hash);
	if (rc)
		goto out;
	h = json_string(hash);
	if (!h) {
		rc = AY_ENOMEM;
		goto out;
	}
	account_forget_member(obj, key);
	/* json_object_set_new() takes h even when it fails. */
	if (json_object_set_new(obj, key, h))
		rc = AY_ENOMEM;
out:
	if (rc)
		account_forget_member(obj, key);
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_init(void)
{
	unsigned char r[16];
	char pw[33];

	randombytes_buf(r, sizeof(r));
	sodium_bin2hex(pw, sizeof(pw), r, sizeof(r));
	if (account_hash_password(pw, dummy_hash))
		dummy_hash[0] = '\0';
}

bool account_password_ok(const char *hash, const char *pw)
{
	if (!pw)
		return false;
	if (!hash || !*hash) {
		pthread_once(&dummy_once, dummy_init);
		if (dummy_hash[0] &&
		    crypto_pwhash_str_verify(dummy_hash, pw, strlen(pw)) == 0)
			return false;
		return false;
	}
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

ay_rc account_password_policy(const char *pw, struct verr *err)
{
	size_t n = pw ? strlen(pw) : 0;

	if (n < AY_PASSWORD_MIN) {
		verr_set(err, "password",
			 "la contraseña debe tener al menos 8 caracteres");
		return AY_EINVAL;
	}
	if (n > AY_PASSWORD_MAX || !ay_utf8_valid(pw, n)) {
		verr_set(err, "password", "contraseña no válida");
		return AY_EINVAL;
	}
	return AY_OK;
}

static char *lower_dup(const char *s)
{
	char *d = s ? strdup(s) : NULL;

	for (char *p = d; p && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return d;
}

/* A new random token: hex into out, its SHA-256 into hash. */
static void random_token(char out[AY_HEX_TOKEN_LEN + 1], char hash[65])
{
	unsigned char raw[AY_HEX_TOKEN_LEN / 2];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(out, AY_HEX_TOKEN_LEN + 1, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
	ay_sha256_hex(out, AY_HEX_TOKEN_LEN, hash);
}

static bool hex_token_ok(const char *t)
{
	if (!t || strlen(t) != AY_HEX_TOKEN_LEN)
		return false;
	for (const char *p = t; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

/* Queue a mail with a link to base_url + page + "#token=" + token. */
static ay_rc queue_link(struct db *db, const char *kind, const char *to,
			const char *name, const char *lang,
			const char *base_url, const char *page,
			const char *token)
{
	char link[512];
	json_t *p;
	ay_rc rc;

	snprintf(link, sizeof(link), "%s%s%s%s", base_url, page,
		 token ? "#token=" : "", token ? token : "");
	p = json_pack("{s:s,s:s,s:s}", "name", name, "link", link, "lang",
		      lang ? lang : "es");
	if (!p)
		return AY_ENOMEM;
	rc = outbox_add(db, kind, 0, to, p);
	json_decref(p);
	return rc;
}

/* A link token for user_id: stored hashed, returned in clear in tok. */
static ay_rc link_create(struct db *db, int64_t user_id, const char *purpose,
			 const char *new_email, int64_t ttl,
			 char tok[AY_HEX_TOKEN_LEN + 1])
{
	char hash[65];
	int64_t now = ay_now();

	random_token(tok, hash);
	return db_run(
		db, NULL, NULL,
		"INSERT INTO account_tokens (user_id, purpose, token_hash,"
		" new_email, created_at, expires_at)"
		" VALUES ($1, $2, $3, $4, $5, $6)",
		"isssii", user_id, purpose, hash, new_email, now, now + ttl);
}

struct link {
	int64_t id, user_id;
	char purpose[8];
	char new_email[256];
};

/* Claim a link token: marks it used. AY_ENOTFOUND when unknown, used or
 * expired. */
static ay_rc link_use(struct db *db, const char *tok, const char *purpose1,
		      const char *purpose2, struct link *l)
{
	struct db_stmt *s = NULL;
	char hash[65];
	bool row = false;
	ay_rc rc;

	if (!hex_token_ok(tok))
		return AY_ENOTFOUND;
	ay_sha256_hex(tok, AY_HEX_TOKEN_LEN, hash);
	rc = db_run(db, &s, &row,
		    "UPDATE account_tokens SET used_at = $2"
		    " WHERE token_hash = $1 AND used_at IS NULL"
		    " AND expires_at > $2 AND purpose IN ($3, $4)"
		    " RETURNING id, user_id, purpose, COALESCE(new_email, '')",
		    "siss", hash, ay_now(), purpose1, purpose2);
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	l->id = db_col_int(s, 0);
	l->user_id = db_col_int(s, 1);
	snprintf(l->purpose, sizeof(l->purpose), "%s", db_col_text(s, 2));
	snprintf(l->new_email, sizeof(l->new_email), "%s", db_col_text(s, 3));
	db_reset(s);
	return AY_OK;
}

struct uinfo {
	char email[256], name[256], lang[8];
	bool verified;
};

static ay_rc user_info(struct db *db, int64_t id, struct uinfo *u)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	rc = db_run(db, &s, &row,
		    "SELECT email, name, lang, verified_at IS NOT NULL"
		    " FROM users WHERE id = $1",
		    "i", id);
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	snprintf(u->email, sizeof(u->email), "%s", db_col_text(s, 0));
	snprintf(u->name, sizeof(u->name), "%s", db_col_text(s, 1));
	snprintf(u->lang, sizeof(u->lang), "%s", db_col_text(s, 2));
	u->verified = db_col_int(s, 3) != 0;
	db_reset(s);
	return AY_OK;
}

/* Someone asked for mail to the address of user id: tell its owner
 * instead (kind, with a link to the reset page). */
static ay_rc tell_owner(struct db *db, int64_t id, const char *kind,
			const char *base_url)
{
	struct uinfo info;
	ay_rc rc = user_info(db, id, &info);

	if (!rc)
		rc = queue_link(db, kind, info.email, info.name, info.lang,
				base_url, "/account/reset", NULL);
	return rc;
}

static bool short_text_ok(const char *s, size_t max)
{
	return !s || (strlen(s) <= max && ay_utf8_valid(s, strlen(s)));
}

ay_rc account_register(struct db *db, const char *base_url,
		       const struct account_new *in, int64_t *wait,
		       struct verr *err)
{
	struct user_new u = {.email = in->email,
			     .name = in->name,
			     .role = "customer",
			     .password_hash = in->password_hash,
			     .lang = in->lang,
			     .timezone = in->timezone};
	char tok[AY_HEX_TOKEN_LEN + 1];
	struct uinfo info;
	json_t *out = NULL;
	int64_t id = 0;
	ay_rc rc;

	*wait = 0;
	if (!user_email_ok(in->email)) {
		verr_set(err, "email", "dirección de correo no válida");
		return AY_EINVAL;
	}
	if (!in->name || !*in->name || !short_text_ok(in->name, 200)) {
		verr_set(err, "name", "el nombre es obligatorio");
		return AY_EINVAL;
	}
	if (in->lang && strcmp(in->lang, "es") && strcmp(in->lang, "en")) {
		verr_set(err, "lang", "idioma no soportado (es, en)");
		return AY_EINVAL;
	}
	if (in->timezone && !sla_zone_valid(in->timezone)) {
		verr_set(err, "timezone",
			 "zona horaria desconocida (ejemplo: America/Bogota)");
		return AY_EINVAL;
	}
	if (!short_text_ok(in->position, 200) ||
	    !short_text_ok(in->company, 200) || !short_text_ok(in->phone, 60)) {
		verr_set(err, "position", "datos de contacto no válidos");
		return AY_EINVAL;
	}
	if (!account_hash_valid(in->password_hash)) {
		verr_set(err, "password", "contraseña no válida");
		return AY_EINVAL;
	}
	/* Only now, with everything valid, may the answer depend on the
	 * store: the quota does not look at who has an account. */
	rc = account_mail_quota(db, in->email, in->client, ay_now(), wait);
	if (rc || *wait)
		return rc;
	rc = user_find_email(db, in->email, &id);
	if (!rc) /* taken: tell the owner, answer as for a new account */
		return tell_owner(db, id, "account_exists", base_url);
	if (rc != AY_ENOTFOUND)
		return rc;
	rc = user_add(db, 0, &u, &out, err);
	if (rc)
		return rc;
	id = json_integer_value(json_object_get(out, "id"));
	json_decref(out);
	rc = db_run(db, NULL, NULL,
		    "UPDATE users SET verified_at = NULL, position = $2,"
		    " phone = $3, company_claimed = $4,"
		    " password_changed_at = $5 WHERE id = $1",
		    "isssi", id, in->position, in->phone, in->company,
		    ay_now());
	if (!rc)
		rc = event_add(db, 0, id, "account.registered", NULL);
	if (!rc)
		rc = link_create(db, id, "verify", NULL, AY_LINK_VERIFY_TTL,
				 tok);
	if (!rc)
		rc = user_info(db, id, &info);
	if (!rc)
		rc = queue_link(db, "account_verify", info.email, info.name,
				info.lang, base_url, "/account/verify", tok);
	sodium_memzero(tok, sizeof(tok));
	return rc;
}

static ay_rc apply_email_change(struct db *db, const struct link *l,
				struct verr *err)
{
	struct uinfo info;
	json_t *data, *p;
	int64_t other;
	ay_rc rc;

	rc = user_info(db, l->user_id, &info);
	if (rc)
		return rc;
	rc = user_find_email(db, l->new_email, &other);
	if (!rc) {
		verr_set(err, "email", "ya existe un usuario con ese correo");
		return AY_ECONFLICT;
	}
	if (rc != AY_ENOTFOUND)
		return rc;
	rc = db_run(db, NULL, NULL,
		    "UPDATE users SET email = $2, verified_at = $3"
		    " WHERE id = $1",
		    "isi", l->user_id, l->new_email, ay_now());
	if (rc)
		return rc;
	data = json_pack("{s:s,s:s}", "before", info.email, "after",
			 l->new_email);
	if (!data)
		return AY_ENOMEM;
	rc = event_add(db, 0, l->user_id, "account.email_changed", data);
	json_decref(data);
	if (rc)
		return rc;
	p = json_pack("{s:s,s:s,s:s}", "name", info.name, "email", l->new_email,
		      "lang", info.lang);
	if (!p)
		return AY_ENOMEM;
	rc = outbox_add(db, "email_changed", 0, info.email, p);
	json_decref(p);
	return rc;
}

ay_rc account_verify(struct db *db, const char *token, struct verr *err)
{
	struct link l;
	ay_rc rc;

	rc = link_use(db, token, "verify", "email", &l);
	if (rc == AY_ENOTFOUND)
		verr_set(err, "token", "enlace no válido o caducado");
	if (rc)
		return rc;
	if (!strcmp(l.purpose, "email"))
		return apply_email_change(db, &l, err);
	rc = db_run(db, NULL, NULL,
		    "UPDATE users SET verified_at = COALESCE(verified_at, $2)"
		    " WHERE id = $1",
		    "ii", l.user_id, ay_now());
	if (!rc)
		rc = event_add(db, 0, l.user_id, "account.verified", NULL);
	return rc;
}

ay_rc account_reset_request(struct db *db, const char *base_url,
			    const char *email, const char *client,
			    int64_t *wait)
{
	char tok[AY_HEX_TOKEN_LEN + 1];
	struct uinfo info;
	int64_t id;
	ay_rc rc;

	rc = account_mail_quota(db, email, client, ay_now(), wait);
	if (rc || *wait)
		return rc;
	rc = user_find_email(db, email ? email : "", &id);
	if (rc == AY_ENOTFOUND)
		return AY_OK;
	if (!rc)
		rc = user_info(db, id, &info);
	/* Earlier links die: only the newest one works. */
	if (!rc)
		rc = db_run(db, NULL, NULL,
			    "UPDATE account_tokens SET used_at = $2"
			    " WHERE user_id = $1 AND purpose = 'reset'"
			    " AND used_at IS NULL",
			    "ii", id, ay_now());
	if (!rc)
		rc = link_create(db, id, "reset", NULL, AY_LINK_RESET_TTL, tok);
	if (!rc)
		rc = queue_link(db, "password_reset", info.email, info.name,
				info.lang, base_url, "/account/reset", tok);
	if (!rc)
		rc = event_add(db, 0, id, "account.reset_requested", NULL);
	sodium_memzero(tok, sizeof(tok));
	return rc;
}

ay_rc account_password_set(struct db *db, int64_t user_id,
			   const char *password_hash)
{
	struct uinfo info;
	json_t *p;
	ay_rc rc;

	if (!account_hash_valid(password_hash))
		return AY_EINVAL;
	rc = user_info(db, user_id, &info);
	if (!rc)
		rc = db_run(db, NULL, NULL,
			    "UPDATE users SET password_hash = $2,"
			    " password_changed_at = $3 WHERE id = $1",
			    "isi", user_id, password_hash, ay_now());
	if (!rc)
		rc = db_run(db, NULL, NULL,
			    "DELETE FROM sessions WHERE user_id = $1", "i",
			    user_id);
	if (!rc)
		rc = event_add(db, 0, user_id, "account.password_changed",
			       NULL);
	if (rc)
		return rc;
	p = json_pack("{s:s,s:s}", "name", info.name, "lang", info.lang);
	if (!p)
		return AY_ENOMEM;
	rc = outbox_add(db, "password_changed", 0, info.email, p);
	json_decref(p);
	return rc;
}

ay_rc account_reset_confirm(struct db *db, const char *token,
			    const char *password_hash, struct verr *err)
{
	struct link l;
	ay_rc rc;

	if (!account_hash_valid(password_hash)) {
		verr_set(err, "password", "contraseña no válida");
		return AY_EINVAL;
	}
	rc = link_use(db, token, "reset", "reset", &l);
	if (rc == AY_ENOTFOUND)
		verr_set(err, "token", "enlace no válido o caducado");
	if (rc)
		return rc;
	/* Receiving the link proves the address too. */
	rc = db_run(db, NULL, NULL,
		    "UPDATE users SET verified_at = COALESCE(verified_at, $2)"
		    " WHERE id = $1",
		    "ii", l.user_id, ay_now());
	if (!rc)
		rc = account_password_set(db, l.user_id, password_hash);
	return rc;
}

ay_rc account_email_request(struct db *db, const char *base_url,
			    int64_t user_id, const char *email,
			    const char *client, int64_t *wait, struct verr *err)
{
	char tok[AY_HEX_TOKEN_LEN + 1];
	struct uinfo info;
	char *low = NULL;
	int64_t other;
	ay_rc rc;

	*wait = 0;
	if (!user_email_ok(email)) {
		verr_set(err, "email", "dirección de correo no válida");
		return AY_EINVAL;
	}
	rc = account_mail_quota(db, email, client, ay_now(), wait);
	if (rc || *wait)
		return rc;
	rc = user_find_email(db, email, &other);
	if (!rc) /* taken: answer as for a free address, tell the owner */
		return other == user_id
			       ? AY_OK
			       : tell_owner(db, other, "email_taken", base_url);
	if (rc != AY_ENOTFOUND)
		return rc;
	rc = user_info(db, user_id, &info);
	if (rc)
		return rc;
	low = lower_dup(email);
	if (!low)
		return AY_ENOMEM;
	rc = link_create(db, user_id, "email", low, AY_LINK_VERIFY_TTL, tok);
	if (!rc)
		rc = queue_link(db, "email_change_verify", low, info.name,
				info.lang, base_url, "/account/email", tok);
	if (!rc)
		rc = event_add(db, 0, user_id, "account.email_requested", NULL);
	sodium_memzero(tok, sizeof(tok));
	free(low);
	return rc;
}

ay_rc account_password_hash(struct db *db, int64_t user_id, char **hash)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	*hash = NULL;
	rc = db_run(db, &s, &row,
		    "SELECT password_hash FROM users WHERE id = $1", "i",
		    user_id);
	if (rc)
		return rc;
	if (row && !db_col_null(s, 0)) {
		*hash = strdup(db_col_text(s, 0));
		if (!*hash)
			rc = AY_ENOMEM;
	}
	db_reset(s);
	return rc;
}

ay_rc account_login_lookup(struct db *db, const char *email,
			   struct login_user *out)
{
	struct db_stmt *s = NULL;
	char *low = lower_dup(email ? email : "");
	bool row = false;
	ay_rc rc;

	memset(out, 0, sizeof(*out));
	if (!low)
		return AY_ENOMEM;
	rc = db_run(db, &s, &row,
		    "SELECT id, COALESCE(password_hash, ''),"
		    " verified_at IS NOT NULL, disabled FROM users"
		    " WHERE email = $1",
		    "s", low);
	free(low);
	if (rc || !row)
		return rc;
	out->id = db_col_int(s, 0);
	snprintf(out->hash, sizeof(out->hash), "%s", db_col_text(s, 1));
	out->verified = db_col_int(s, 2) != 0;
	out->disabled = db_col_int(s, 3) != 0;
	db_reset(s);
	return AY_OK;
}

static void throttle_keys(const char *email, const char *client, char acct[300],
			  char addr[80])
{
	size_t i;

	snprintf(acct, 300, "acct:%.280s", email ? email : "");
	for (i = 5; acct[i]; i++)
		acct[i] = (char)tolower((unsigned char)acct[i]);
	snprintf(addr, 80, "addr:%.70s", client ? client : "-");
}

struct throttle {
	int64_t failures;     /* in the hour up to now */
	int64_t last_at;      /* of the last failure (mail: of the first) */
	int64_t locked_until; /* held back until then */
};

static ay_rc throttle_get(struct db *db, const char *key, int64_t now,
			  struct throttle *t)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	memset(t, 0, sizeof(*t));
	rc = db_run(db, &s, &row,
		    "SELECT failures, last_at, locked_until FROM login_throttle"
		    " WHERE key = $1",
		    "s", key);
	if (rc || !row)
		return rc;
	t->last_at = db_col_int(s, 1);
	if (t->last_at >= now - 3600)
		t->failures = db_col_int(s, 0);
	t->locked_until = db_col_int(s, 2);
	db_reset(s);
	return AY_OK;
}

/* One more failure for key; past `free_tries` the key is locked for a
 * delay that doubles with every further failure. An hour without
 * failures starts the count again. */
static ay_rc throttle_bump(struct db *db, const char *key, int free_tries,
			   int64_t now)
{
	struct db_stmt *s = NULL;
	int64_t failures = 0, until = 0;
	bool row = false;
	ay_rc rc;

	rc = db_run(db, &s, &row,
		    "INSERT INTO login_throttle (key, failures, last_at)"
		    " VALUES ($1, 1, $2) ON CONFLICT (key) DO UPDATE SET"
		    " failures = CASE WHEN login_throttle.last_at < $2 - 3600"
		    " THEN 1 ELSE login_throttle.failures + 1 END,"
		    " last_at = $2 RETURNING failures",
		    "si", key, now);
	if (rc)
		return rc;
	if (row)
		failures = db_col_int(s, 0);
	db_reset(s);
	if (failures < free_tries)
		return AY_OK;
	until = AY_LOGIN_DELAY_BASE;
	for (int64_t i = free_tries; i < failures && until < AY_LOGIN_DELAY_MAX;
	     i++)
		until *= 2;
	if (until > AY_LOGIN_DELAY_MAX)
		until = AY_LOGIN_DELAY_MAX;
	return db_run(db, NULL, NULL,
		      "UPDATE login_throttle SET locked_until = $2"
		      " WHERE key = $1",
		      "si", key, now + until);
}

ay_rc account_attempt_begin(struct db *db, const char *email,
			    const char *client, int64_t now, int64_t *wait,
			    bool *client_counted)
{
	char acct[300], addr[80];
	struct throttle a, c;
	ay_rc rc;

	*wait = 0;
	*client_counted = false;
	throttle_keys(email, client, acct, addr);
	rc = throttle_get(db, acct, now, &a);
	if (!rc)
		rc = throttle_get(db, addr, now, &c);
	if (rc)
		return rc;
	if (a.locked_until > now) {
		*wait = a.locked_until - now;
		return AY_OK;
	}
	if (c.locked_until > now && a.failures > 0) {
		*wait = c.locked_until - now;
		return AY_OK;
	}
	rc = throttle_bump(db, acct, AY_LOGIN_ACCT_FREE, now);
	/* A held-back client checking an account without failures: the
	 * account's count is the cost; the client's hold is not renewed. */
	if (!rc && c.locked_until <= now) {
		rc = throttle_bump(db, addr, AY_LOGIN_ADDR_FREE, now);
		*client_counted = !rc;
	}
	return rc;
}

ay_rc account_attempt_ok(struct db *db, const char *email, const char *client,
			 bool client_counted)
{
	char acct[300], addr[80];
	ay_rc rc;

	throttle_keys(email, client, acct, addr);
	rc = db_run(db, NULL, NULL, "DELETE FROM login_throttle WHERE key = $1",
		    "s", acct);
	if (!rc && client_counted)
		/* Counted means the client was not held back at the start:
		 * neither is it now. */
		rc = db_run(db, NULL, NULL,
			    "UPDATE login_throttle SET failures = CASE WHEN"
			    " failures > 0 THEN failures - 1 ELSE 0 END,"
			    " locked_until = 0 WHERE key = $1",
			    "s", addr);
	return rc;
}

ay_rc account_login_failed(struct db *db, const char *email)
{
	int64_t uid;

	if (user_find_email(db, email ? email : "", &uid))
		return AY_OK;
	return event_add(db, 0, uid, "account.login_failed", NULL);
}

/* Whether key may take one more request this hour (of max); else *wait. */
static ay_rc quota_check(struct db *db, const char *key, int max, int64_t now,
			 int64_t *wait)
{
	struct throttle t;
	ay_rc rc = throttle_get(db, key, now, &t);
	int64_t w = t.last_at + 3600 - now;

	if (!rc && t.failures >= max && w > *wait)
		*wait = w > 0 ? w : 1;
	return rc;
}

/* Count one request for key in the hour that began at last_at. */
static ay_rc quota_take(struct db *db, const char *key, int64_t now)
{
	return db_run(db, NULL, NULL,
		      "INSERT INTO login_throttle (key, failures, last_at)"
		      " VALUES ($1, 1, $2) ON CONFLICT (key) DO UPDATE SET"
		      " failures = CASE WHEN login_throttle.last_at < $2 - 3600"
		      " THEN 1 ELSE login_throttle.failures + 1 END,"
		      " last_at = CASE WHEN login_throttle.last_at < $2 - 3600"
		      " THEN $2 ELSE login_throttle.last_at END",
		      "si", key, now);
}

ay_rc account_mail_quota(struct db *db, const char *email, const char *client,
			 int64_t now, int64_t *wait)
{
	char to[300], from[80];
	ay_rc rc;

	*wait = 0;
	snprintf(to, sizeof(to), "mail:%.280s", email ? email : "");
	for (size_t i = 5; to[i]; i++)
		to[i] = (char)tolower((unsigned char)to[i]);
	snprintf(from, sizeof(from), "mailc:%.70s", client ? client : "-");
	rc = quota_check(db, to, AY_MAIL_PER_ADDR, now, wait);
	if (!rc)
		rc = quota_check(db, from, AY_MAIL_PER_CLIENT, now, wait);
	if (rc || *wait)
		return rc;
	rc = quota_take(db, to, now);
	if (!rc)
		rc = quota_take(db, from, now);
	return rc;
}

ay_rc session_create(struct db *db, int64_t user_id, const char *client,
		     const char *user_agent, char id_hex[AY_HEX_TOKEN_LEN + 1],
		     int64_t *expires_at)
{
	char hash[65];
	int64_t now = ay_now();
	ay_rc rc;

	random_token(id_hex, hash);
	*expires_at = now + AY_SESSION_ABSOLUTE;
	/* Forget this user's dead sessions while we are here. */
	rc = db_run(db, NULL, NULL,
		    "DELETE FROM sessions WHERE user_id = $1 AND"
		    " (expires_at <= $2 OR last_seen_at <= $2 - $3)",
		    "iii", user_id, now, (int64_t)AY_SESSION_IDLE);
	if (!rc)
		rc = db_run(db, NULL, NULL,
			    "INSERT INTO sessions (user_id, id_hash,"
			    " created_at, last_seen_at, expires_at, client,"
			    " user_agent) VALUES ($1, $2, $3, $3, $4, $5, $6)",
			    "isiiss", user_id, hash, now, *expires_at, client,
			    user_agent);
	if (!rc)
		rc = event_add(db, 0, user_id, "account.login", NULL);
	return rc;
}

ay_rc session_resolve(struct db *db, const char *id_hex, int64_t now,
		      int64_t *user_id, int64_t *last_seen, int64_t *expires_at)
{
	struct db_stmt *s = NULL;
	char hash[65];
	bool row = false;
	ay_rc rc;

	if (!hex_token_ok(id_hex))
		return AY_ENOTFOUND;
	ay_sha256_hex(id_hex, AY_HEX_TOKEN_LEN, hash);
	rc = db_run(db, &s, &row,
		    "SELECT user_id, last_seen_at, expires_at FROM sessions"
		    " WHERE id_hash = $1 AND expires_at > $2"
		    " AND last_seen_at > $2 - $3",
		    "sii", hash, now, (int64_t)AY_SESSION_IDLE);
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	*user_id = db_col_int(s, 0);
	if (last_seen)
		*last_seen = db_col_int(s, 1);
	if (expires_at)
		*expires_at = db_col_int(s, 2);
	db_reset(s);
	return AY_OK;
}

ay_rc session_touch(struct db *db, const char *id_hex)
{
	char hash[65];

	if (!hex_token_ok(id_hex))
		return AY_OK;
	ay_sha256_hex(id_hex, AY_HEX_TOKEN_LEN, hash);
	return db_run(
		db, NULL, NULL,
		"UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1",
		"si", hash, ay_now());
}

ay_rc session_destroy(struct db *db, const char *id_hex)
{
	char hash[65];

	if (!hex_token_ok(id_hex))
		return AY_ENOTFOUND;
	ay_sha256_hex(id_hex, AY_HEX_TOKEN_LEN, hash);
	return db_run(db, NULL, NULL, "DELETE FROM sessions WHERE id_hash = $1",
		      "s", hash);
}

void session_csrf(const char *id_hex, char out[AY_HEX_TOKEN_LEN + 1])
{
	static const char ctx[] = "ayuda csrf v1";
	unsigned char key[AY_HEX_TOKEN_LEN / 2], mac[32];

	out[0] = '\0';
	if (!hex_token_ok(id_hex) ||
	    sodium_hex2bin(key, sizeof(key), id_hex, AY_HEX_TOKEN_LEN, NULL,
			   NULL, NULL))
		return;
	crypto_generichash(mac, sizeof(mac), (const unsigned char *)ctx,
			   sizeof(ctx) - 1, key, sizeof(key));
	sodium_bin2hex(out, AY_HEX_TOKEN_LEN + 1, mac, sizeof(mac));
	sodium_memzero(key, sizeof(key));
}

bool session_csrf_ok(const char *id_hex, const char *presented)
{
	char want[AY_HEX_TOKEN_LEN + 1];
	bool ok;

	if (!presented || strlen(presented) != AY_HEX_TOKEN_LEN)
		return false;
	session_csrf(id_hex, want);
	ok = want[0] && !sodium_memcmp(want, presented, AY_HEX_TOKEN_LEN);
	sodium_memzero(want, sizeof(want));
	return ok;
}

ay_rc account_set_prefs(struct db *db, int64_t user_id, const char *lang,
			const char *tz, struct verr *err)
{
	json_t *data;
	ay_rc rc;

	if (lang && strcmp(lang, "es") && strcmp(lang, "en")) {
		verr_set(err, "lang", "idioma no soportado (es, en)");
		return AY_EINVAL;
	}
	if (tz && *tz && !sla_zone_valid(tz)) {
		verr_set(err, "timezone",
			 "zona horaria desconocida (ejemplo: America/Bogota)");
		return AY_EINVAL;
	}
	rc = db_run(db, NULL, NULL,
		    "UPDATE users SET lang = COALESCE($1, lang), timezone ="
		    " CASE WHEN $2 IS NULL THEN timezone WHEN $2 = '' THEN"
		    " NULL ELSE $2 END WHERE id = $3",
		    "ssi", lang, tz, user_id);
	if (rc)
		return rc;
	data = json_pack("{s:o,s:o}", "lang",
			 lang ? json_string(lang) : json_null(), "timezone",
			 tz ? json_string(tz) : json_null());
	if (!data)
		return AY_ENOMEM;
	rc = event_add(db, 0, user_id, "user.preferences", data);
	json_decref(data);
	return rc;
}
