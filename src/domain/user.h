/* Users and API tokens (domain/user.c). */
#ifndef AY_DOMAIN_USER_H
#define AY_DOMAIN_USER_H

#include "domain/common.h"

struct user_new {
	const char *email;
	const char *name;
	const char *role;
	const char *company; /* company name or NULL */
	const char *password_hash;
	const char *lang;
	const char *timezone; /* IANA zone, or NULL: the calendar's */
	bool is_contact;
};
/* Create a user; *out (owned by the caller) is the new user's JSON. */
ay_rc user_add(struct db *db, int64_t actor_id, const struct user_new *u,
	       json_t **out, struct verr *err) AY_MUST_CHECK;
ay_rc user_find_email(struct db *db, const char *email,
		      int64_t *id) AY_MUST_CHECK;
/* *out: a new reference owned by the caller. */
ay_rc user_json(struct db *db, int64_t id, json_t **out) AY_MUST_CHECK;

/* An address that can receive mail (one '@', a host name, dotted or not,
 * or an address literal; no spaces). */
bool user_email_ok(const char *email);
/* Change role, disabled, language and/or time zone; event
 * "admin.user_updated" with before/after of the four. */
struct user_change {
	const char *role;     /* NULL: unchanged */
	int disabled;	      /* -1: unchanged */
	const char *lang;     /* NULL: unchanged; "es" or "en" */
	const char *timezone; /* NULL: unchanged; "": the calendar's */
};
ay_rc user_update(struct db *db, int64_t actor_id, int64_t user_id,
		  const struct user_change *c, struct verr *err) AY_MUST_CHECK;
/* Which users a list shows. */
struct user_filter {
	const char *q;	    /* in the name or address (any case); NULL: all */
	const char *role;   /* a role, "staff" (agents, supervisors, admins) */
	int64_t company_id; /* 0: any company */
	int64_t limit;	    /* 1..1000 */
	int64_t offset;	    /* rows to skip */
};
/* The users a may see (staff: everyone; others themselves, a company's
 * admin contact its people) that match f, by name. *out: a new array
 * owned by the caller; *total: how many match in all (0 on a page past
 * the end). */
ay_rc user_list(struct db *db, const struct actor *a,
		const struct user_filter *f, json_t **out,
		int64_t *total) AY_MUST_CHECK;
/* "%TEXT%" for LIKE ... ESCAPE '\', with %, _ and \ escaped; an empty
 * text when q is NULL or empty. Returns: owned by caller, free(). */
char *user_like_pattern(const char *q);

/* --- API tokens --- */
/* Create an API token for a user: *token (owned by caller, free()) is the
 * secret shown once; only its hash is stored. */
ay_rc token_create(struct db *db, int64_t user_id, const char *name,
		   int64_t expires_at, char **token) AY_MUST_CHECK;
/* Resolve a presented token to its user. AY_ENOTFOUND when unknown,
 * revoked or expired. *expires_at (may be NULL) gets its expiry, 0 for
 * none. */
ay_rc token_resolve(struct db *db, const char *token, int64_t *user_id,
		    int64_t *last_used, int64_t *expires_at) AY_MUST_CHECK;
/* The counter that every change to a token, a session or a user's role,
 * company, language or state raises (schema migration 22): what was
 * resolved under the same value still holds. */
ay_rc auth_epoch_get(struct db *db, int64_t *out) AY_MUST_CHECK;
/* Record use (in a write transaction). */
ay_rc token_touch(struct db *db, const char *token) AY_MUST_CHECK;
/* The user's tokens, never their secrets: *out is a new array owned by the
 * caller. */
ay_rc token_list(struct db *db, int64_t user_id, json_t **out) AY_MUST_CHECK;
/* Issue a token (admin): *out (owned by the caller) holds the secret, shown
 * this once. */
ay_rc token_issue(struct db *db, int64_t actor_id, int64_t user_id,
		  const char *name, int64_t expires_at,
		  json_t **out) AY_MUST_CHECK;
ay_rc token_revoke(struct db *db, int64_t actor_id,
		   int64_t token_id) AY_MUST_CHECK;

#endif
