/* Accounts: registration, email verification, log in (throttled), sessions
 * with CSRF tokens, password reset and change, email change
 * (domain/account.c). Users and API tokens are in domain/user.h, companies
 * and SLA inclusion requests in domain/company.h, the credentials vault in
 * domain/vault.h. All writes run inside a store transaction and
 * write their event rows; mail is queued in the outbox (see account.c for
 * the kinds and their payloads). */
#ifndef AY_ACCOUNT_H
#define AY_ACCOUNT_H

#include <sodium.h>

#include "domain/common.h"

#define AY_SESSION_IDLE	    (2 * 3600)	/* seconds without use */
#define AY_SESSION_ABSOLUTE (24 * 3600) /* seconds after log in */
#define AY_LINK_VERIFY_TTL  (48 * 3600) /* verification and email links */
#define AY_LINK_RESET_TTL   3600	/* password reset links */
#define AY_LOGIN_ACCT_FREE  5		/* failures per account before delay */
#define AY_LOGIN_ADDR_FREE  20 /* failures per client address before delay */
#define AY_LOGIN_DELAY_BASE 30 /* first delay, seconds; doubles each time */
#define AY_LOGIN_DELAY_MAX  900
#define AY_MAIL_PER_ADDR    5  /* link mails to one address per hour */
#define AY_MAIL_PER_CLIENT  30 /* link mail requests per client per hour */
#define AY_PASSWORD_MIN	    8
#define AY_PASSWORD_MAX	    1024
#define AY_HEX_TOKEN_LEN    64 /* session ids and link tokens: 256 bits */

/* --- passwords --- */
/* Hash pw with argon2id (libsodium's string form) into out. The cost is
 * INTERACTIVE, or MIN when the environment has AYUDA_PWHASH_FAST=1 in a
 * build for tests (util/testhooks.h). */
ay_rc account_hash_password(const char *pw,
			    char out[crypto_pwhash_STRBYTES]) AY_MUST_CHECK;
/* Replace the string member `key` of obj, a password in clear, by its
 * argon2id hash, after the password policy. On any failure (the policy,
 * out of memory) the member is removed: the clear text can never be
 * taken for a hash. The clear text is wiped either way. err names `key`
 * on a policy failure. */
ay_rc account_hash_member(json_t *obj, const char *key,
			  struct verr *err) AY_MUST_CHECK;
/* Wipe the string member `key` of obj (a password in clear) and remove
 * it. */
void account_forget_member(json_t *obj, const char *key);
/* Whether h has the form of what account_hash_password() writes; what is
 * stored as a password hash always does. */
bool account_hash_valid(const char *h);
/* Whether pw matches hash. With hash NULL (unknown account) a dummy hash
 * is checked, so that both cases take the same time; the answer is false. */
bool account_password_ok(const char *hash, const char *pw);
/* The password policy: 8 to 1024 bytes of UTF-8. */
ay_rc account_password_policy(const char *pw, struct verr *err) AY_MUST_CHECK;

/* --- registration and links --- */
struct account_new {
	const char *name, *email, *password_hash, *position, *company, *phone,
		*lang, *timezone;
	const char *client; /* the requesting client's address */
};
/* Count one request to mail `email` from client against the hourly caps
 * (AY_MAIL_PER_ADDR, AY_MAIL_PER_CLIENT), whether or not the address has
 * an account. When a cap is reached nothing is counted and *wait gets the
 * seconds until the request may be made again (0: go ahead). */
ay_rc account_mail_quota(struct db *db, const char *email, const char *client,
			 int64_t now, int64_t *wait) AY_MUST_CHECK;
/* Change the caller's language and time zone (NULL: unchanged; an empty
 * time zone goes back to the calendar's). */
ay_rc account_set_prefs(struct db *db, int64_t user_id, const char *lang,
			const char *tz, struct verr *err) AY_MUST_CHECK;
/* Register a customer (not verified, not linked to any company: the
 * company name is kept as claimed until an agent approves an SLA inclusion
 * request). Every field is checked before the address is looked up, and
 * the mail quota is taken; then it queues "account_verify", or, when the
 * address is already taken, "account_exists" to it instead and still
 * answers AY_OK, so the answer tells nothing about who has an account.
 * *wait > 0 (with AY_OK, nothing written): over the mail quota. */
ay_rc account_register(struct db *db, const char *base_url,
		       const struct account_new *in, int64_t *wait,
		       struct verr *err) AY_MUST_CHECK;
/* Use a verification link token ("verify" or "email"); AY_ENOTFOUND when
 * unknown, used or expired. */
ay_rc account_verify(struct db *db, const char *token,
		     struct verr *err) AY_MUST_CHECK;
/* Queue a "password_reset" link (1 h, single use) when the email has an
 * account; AY_OK either way. *wait > 0: over the mail quota, nothing
 * queued. */
ay_rc account_reset_request(struct db *db, const char *base_url,
			    const char *email, const char *client,
			    int64_t *wait) AY_MUST_CHECK;
/* Set a new password from a reset link; drops every session. */
ay_rc account_reset_confirm(struct db *db, const char *token,
			    const char *password_hash,
			    struct verr *err) AY_MUST_CHECK;
/* Change the password of user_id; drops every session of the user. */
ay_rc account_password_set(struct db *db, int64_t user_id,
			   const char *password_hash) AY_MUST_CHECK;
/* Ask to change the email: queues "email_change_verify" to the new one;
 * when the new address already has an account, queues "email_taken" to
 * its owner instead and answers alike. *wait > 0: over the mail quota. */
ay_rc account_email_request(struct db *db, const char *base_url,
			    int64_t user_id, const char *email,
			    const char *client, int64_t *wait,
			    struct verr *err) AY_MUST_CHECK;
/* The password hash (owned by caller, free()) or NULL when none. */
ay_rc account_password_hash(struct db *db, int64_t user_id,
			    char **hash) AY_MUST_CHECK;

/* --- log in --- */
struct login_user {
	int64_t id; /* 0: no such account */
	char hash[crypto_pwhash_STRBYTES];
	bool verified;
	bool disabled;
};
ay_rc account_login_lookup(struct db *db, const char *email,
			   struct login_user *out) AY_MUST_CHECK;
/* Begin a password check for email from client (a log in, or the current
 * password of a change), atomically: run it in the writer, before the
 * check. When the account is held back, or the client is and the account
 * has failures of its own, *wait gets the seconds to wait and nothing is
 * counted. Else the attempt counts as a failure of both at once (so that
 * concurrent guesses never get more checks than the limit) until
 * account_attempt_ok() takes it back. A held-back client thus still gets
 * one check for an account without failures: a correct password gets
 * in, a guesser gets one guess per account; such an attempt does not
 * count against the client (*client_counted false). */
ay_rc account_attempt_begin(struct db *db, const char *email,
			    const char *client, int64_t now, int64_t *wait,
			    bool *client_counted) AY_MUST_CHECK;
/* The password was right: forget the account's failures and take back the
 * client's failure when account_attempt_begin() said it counted one. */
ay_rc account_attempt_ok(struct db *db, const char *email, const char *client,
			 bool client_counted) AY_MUST_CHECK;
/* Record a failed attempt in the account's history (the counting was done
 * by account_attempt_begin()). */
ay_rc account_login_failed(struct db *db, const char *email) AY_MUST_CHECK;

/* --- sessions --- */
/* Create a session: id_hex gets the 256-bit random id (the cookie value);
 * only its SHA-256 is stored. */
ay_rc session_create(struct db *db, int64_t user_id, const char *client,
		     const char *user_agent, char id_hex[AY_HEX_TOKEN_LEN + 1],
		     int64_t *expires_at) AY_MUST_CHECK;
/* Resolve a cookie value; AY_ENOTFOUND when unknown, idle too long or past
 * its absolute expiry. */
ay_rc session_resolve(struct db *db, const char *id_hex, int64_t now,
		      int64_t *user_id, int64_t *last_seen,
		      int64_t *expires_at) AY_MUST_CHECK;
ay_rc session_touch(struct db *db, const char *id_hex) AY_MUST_CHECK;
ay_rc session_destroy(struct db *db, const char *id_hex) AY_MUST_CHECK;
/* The CSRF token of a session: a keyed hash of its id, so it needs no
 * storage and dies with the session. */
void session_csrf(const char *id_hex, char out[AY_HEX_TOKEN_LEN + 1]);
/* Constant-time check of a presented CSRF token. */
bool session_csrf_ok(const char *id_hex, const char *presented);

#endif
