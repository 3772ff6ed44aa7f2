/* Domain: what every module of the help desk's rules shares: who is
 * acting (struct actor, roles), validation failures, the event history and
 * the outbox, time and text helpers, and JSON from rows.
 *
 * Every write function of domain/ expects to run inside a store
 * transaction (a store_write job) and writes an event row for every change
 * it makes. Reads return JSON objects (jansson) ready for the API and the
 * CLI. Ownership, everywhere in domain/: a `json_t **out` gets a new
 * reference owned by the caller (json_decref()), or NULL on failure; a
 * `json_t *` argument is borrowed (not stolen) unless the comment says
 * otherwise. */
#ifndef AY_DOMAIN_COMMON_H
#define AY_DOMAIN_COMMON_H

#include <jansson.h>

#include "store/db.h"
#include "util/hash.h"

#define AY_SUBJECT_MAX 200	  /* characters */
#define AY_BODY_MAX    (1u << 20) /* bytes */
/* SQL: the ticket whose status column is col is unsolved (new, open or
 * waiting for the customer). The same words as the condition of the
 * partial indexes tickets_unsolved* (schema.c, migration 45), so that a
 * query that says them may read those indexes; a list of two, which
 * SQLite compares in place (three made it build a temporary table at
 * every insert of a ticket, for each index). */
#define AY_UNSOLVED_SQL(col) col " NOT IN ('resolved', 'closed')"

enum role {
	ROLE_NONE = 0,
	ROLE_CUSTOMER,
	ROLE_AGENT,
	ROLE_SUPERVISOR,
	ROLE_ADMIN
};

/* Who is acting: resolved from a token or session by the channel. */
struct actor {
	int64_t user_id; /* 0 for the system (jobs, mail without a user) */
	enum role role;
	int64_t company_id; /* 0 when none */
	bool is_contact;    /* endorsed support contact of company_id */
	char lang[4];	    /* the language they read: "es" (also "") or
			       "en" */
};

/* A validation failure: which field and a human message (Spanish). */
struct verr {
	char field[32];
	char msg[256];
};

/* Record a validation failure (e may be NULL). */
void verr_set(struct verr *e, const char *field, const char *msg);
/* JSON of column i: an ISO 8601 UTC time or null; a string or null.
 * Returns: a new reference, owned by the caller. */
json_t *json_col_time(struct db_stmt *s, int i);
json_t *json_col_text(struct db_stmt *s, int i);
/* Run sql (parameters as db_run) and collect fn's JSON for every row into
 * a new array *out (owned by the caller). fn returns a new reference,
 * which the array steals. */
typedef json_t *(*db_row_json_fn)(struct db_stmt *s, void *arg);
ay_rc db_rows_json(struct db *db, db_row_json_fn fn, void *arg, json_t **out,
		   const char *sql, const char *fmt, ...) AY_MUST_CHECK;

/* One row of a scheduled job (SLA, vault): fn(db, arg) in a savepoint
 * (db_savepoint). A row that fails on its data is undone alone, logged
 * with the job's name and the row's id, counted in *skipped, and the job
 * goes on (AY_OK); the row stays due, so the next run tries it again. A
 * failure of the store is returned. */
ay_rc job_row(struct db *db, const char *job, int64_t id, store_job_fn fn,
	      void *arg, int *skipped) AY_MUST_CHECK;

/* Returns: a static string ("customer", "agent", ...). */
const char *role_name(enum role r);
enum role role_parse(const char *s);
bool actor_is_staff(const struct actor *a); /* agent, supervisor, admin */

/* Fill *a from a user id. AY_ENOTFOUND if there is no such enabled user. */
ay_rc actor_load(struct db *db, int64_t user_id, struct actor *a) AY_MUST_CHECK;

/* Now, in Unix seconds (AYUDA_FAKE_NOW in a build for tests: testhooks.h). */
int64_t ay_now(void);
/* Format t as ISO 8601 UTC ("2026-11-25T16:27:03Z") into out[32]. */
void ay_iso_utc(int64_t t, char out[32]);
/* Check that s[0..len) is valid UTF-8 without NUL bytes. */
bool ay_utf8_valid(const char *s, size_t len);

/* Append an event (immutable history). data may be NULL; it is not
 * stolen. */
ay_rc event_add(struct db *db, int64_t ticket_id, int64_t actor_id,
		const char *kind, json_t *data) AY_MUST_CHECK;
/* Append an administrative change that belongs to no ticket: its data is
 * {key: name, "before": before, "after": after} (both borrowed; NULL is
 * refused with AY_ENOMEM, as a failed pack). */
ay_rc event_add_change(struct db *db, int64_t actor_id, const char *kind,
		       const char *key, const char *name, json_t *before,
		       json_t *after) AY_MUST_CHECK;
/* One events row (id, kind, data, actor_id, created_at) as JSON: a new
 * reference (a db_row_json_fn). */
json_t *event_row_json(struct db_stmt *s, void *arg);
/* The audit log and its filters: domain/audit.h. */
/* Queue a notification in the outbox in the caller's transaction. payload
 * is borrowed (serialised, not stolen). */
ay_rc outbox_add(struct db *db, const char *kind, int64_t ticket_id,
		 const char *recipient, json_t *payload) AY_MUST_CHECK;
/* Queue one notification of kind for every enabled supervisor and, when
 * with_assignee, for the ticket's assignee too (at most 64 addresses).
 * payload is borrowed, as for outbox_add(). */
ay_rc outbox_add_staff(struct db *db, const char *kind, int64_t ticket_id,
		       bool with_assignee, json_t *payload) AY_MUST_CHECK;
/* Once an outbox row is sent or has failed for good, drop the secrets of
 * its payload (links that carry a token, survey tokens): only their
 * hashes stay, in their own tables. */
ay_rc outbox_forget_secrets(struct db *db, int64_t id) AY_MUST_CHECK;

#endif
