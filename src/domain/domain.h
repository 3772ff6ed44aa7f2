/* Domain: tickets, messages, users, companies, tokens, events. The rules of
 * the help desk; no I/O but the store. Every write function expects to run
 * inside a store transaction (a store_write job) and writes an event row for
 * every change it makes. Reads return JSON objects (jansson) ready for the
 * API and the CLI. */
#ifndef AY_DOMAIN_H
#define AY_DOMAIN_H

#include <jansson.h>

#include "store/db.h"

#define AY_SUBJECT_MAX 200	  /* characters */
#define AY_BODY_MAX    (1u << 20) /* bytes */

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
};

/* A validation failure: which field and a human message (Spanish). */
struct verr {
	char field[32];
	char msg[256];
};

/* Record a validation failure (e may be NULL). */
void verr_set(struct verr *e, const char *field, const char *msg);
/* JSON of column i: an ISO 8601 UTC time or null; a string or null. */
json_t *json_col_time(struct db_stmt *s, int i);
json_t *json_col_text(struct db_stmt *s, int i);
/* Run sql (parameters as db_run) and collect fn's JSON for every row into
 * a new array *out. */
typedef json_t *(*db_row_json_fn)(struct db_stmt *s, void *arg);
ay_rc db_rows_json(struct db *db, db_row_json_fn fn, void *arg, json_t **out,
		   const char *sql, const char *fmt, ...) AY_MUST_CHECK;

const char *role_name(enum role r);
enum role role_parse(const char *s);
bool actor_is_staff(const struct actor *a); /* agent, supervisor, admin */

/* Fill *a from a user id. AY_ENOTFOUND if there is no such enabled user. */
ay_rc actor_load(struct db *db, int64_t user_id, struct actor *a) AY_MUST_CHECK;

/* Now, in Unix seconds (overridable by tests through AYUDA_FAKE_NOW). */
int64_t ay_now(void);
/* Format t as ISO 8601 UTC ("2026-11-25T16:27:03Z") into out[32]. */
void ay_iso_utc(int64_t t, char out[32]);
/* Check that s[0..len) is valid UTF-8 without NUL bytes. */
bool ay_utf8_valid(const char *s, size_t len);

/* --- tickets --- */
struct ticket_new {
	const char *subject;
	const char *body;
	const char *category; /* NULL: support */
	const char *channel;  /* api, web, mail */
	const char *user_agent;
	int64_t requester_id; /* staff creating on behalf of; 0: the actor */
	const char *mail_message_id;
	const char *raw_sha256;
	const char *html_sha256;
	const char *body_full; /* mail: the text with quotes, when it differs */
	bool quiet;	       /* no automatic answer (auto-submitted mail) */
};

/* Create a ticket with its first message. On success *number is set. */
ay_rc ticket_create(struct db *db, const struct actor *a,
		    const struct ticket_new *in, int64_t *number,
		    struct verr *err) AY_MUST_CHECK;
/* The ticket as JSON (new reference). with_messages adds "messages" as the
 * actor may see them. AY_ENOTFOUND when absent or not visible. */
ay_rc ticket_get(struct db *db, const struct actor *a, int64_t number,
		 bool with_messages, json_t **out) AY_MUST_CHECK;

struct ticket_filter {
	const char *status;
	const char *category;
	int64_t assignee_id; /* 0: any, -1: unassigned */
	int64_t after;	     /* keyset cursor: ticket id */
	int limit;
};
/* {"tickets":[...], "next": cursor or null} in arrival order. */
ay_rc ticket_list(struct db *db, const struct actor *a,
		  const struct ticket_filter *f, json_t **out) AY_MUST_CHECK;

struct ticket_change {
	const char *status;   /* NULL: unchanged */
	const char *category; /* NULL: unchanged */
	bool set_assignee;
	int64_t assignee_id; /* 0: unassign */
};
ay_rc ticket_update(struct db *db, const struct actor *a, int64_t number,
		    const struct ticket_change *c,
		    struct verr *err) AY_MUST_CHECK;

/* kind: "customer", "reply" (public answer), "note" (internal), "system".
 * Customers always write "customer". Returns the message id. */
struct message_new {
	const char *kind;
	const char *body;
	const char *channel;
	const char *mail_message_id;
	const char *raw_sha256;
	const char *html_sha256;
	const char *body_full; /* mail: the text with quotes, when it differs */
	int64_t author_id;     /* 0: the actor (mail appends by participants) */
	bool quiet;	       /* no automatic answer */
};
ay_rc ticket_add_message(struct db *db, const struct actor *a, int64_t number,
			 const struct message_new *m, int64_t *message_id,
			 struct verr *err) AY_MUST_CHECK;
ay_rc ticket_messages(struct db *db, const struct actor *a, int64_t number,
		      json_t **out) AY_MUST_CHECK;
ay_rc ticket_events(struct db *db, const struct actor *a, int64_t number,
		    json_t **out) AY_MUST_CHECK;
/* One events row (id, kind, data, actor_id, created_at) as JSON. */
json_t *event_row_json(struct db_stmt *s, void *arg);
/* Internal: id and visibility of a ticket. */
ay_rc ticket_lookup(struct db *db, const struct actor *a, int64_t number,
		    int64_t *ticket_id) AY_MUST_CHECK;

/* Append an event (immutable history). data may be NULL; it is not
 * stolen. */
ay_rc event_add(struct db *db, int64_t ticket_id, int64_t actor_id,
		const char *kind, json_t *data) AY_MUST_CHECK;
/* Queue a notification in the outbox in the caller's transaction. */
ay_rc outbox_add(struct db *db, const char *kind, int64_t ticket_id,
		 const char *recipient, json_t *payload) AY_MUST_CHECK;

/* --- users, companies, tokens --- */
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
ay_rc user_add(struct db *db, int64_t actor_id, const struct user_new *u,
	       json_t **out, struct verr *err) AY_MUST_CHECK;
ay_rc user_find_email(struct db *db, const char *email,
		      int64_t *id) AY_MUST_CHECK;
ay_rc user_json(struct db *db, int64_t id, json_t **out) AY_MUST_CHECK;

struct company_new {
	const char *name;
	const char *domains;
	const char *license_product;
	const char *license_plan;
	const char *license_status;
	const char *license_email;
	const char *partner_tier;
	bool partner_active;
	int max_contacts; /* < 0: default */
};
ay_rc company_add(struct db *db, int64_t actor_id, const struct company_new *c,
		  json_t **out, struct verr *err) AY_MUST_CHECK;

/* Create an API token for a user: *token (owned by caller, free()) is the
 * secret shown once; only its hash is stored. */
ay_rc token_create(struct db *db, int64_t user_id, const char *name,
		   int64_t expires_at, char **token) AY_MUST_CHECK;
/* Resolve a presented token to its user. AY_ENOTFOUND when unknown,
 * revoked or expired. */
ay_rc token_resolve(struct db *db, const char *token, int64_t *user_id,
		    int64_t *last_used) AY_MUST_CHECK;
/* Record use (in a write transaction). */
ay_rc token_touch(struct db *db, const char *token) AY_MUST_CHECK;
/* Hex SHA-256 of s into out[65]. */
void ay_sha256_hex(const void *s, size_t len, char out[65]);

/* --- SLA level assignment (domain/sla.c) --- */
struct sla_pick {
	char level[32];	  /* level code */
	char reason[320]; /* why, for people: "partner plata, compañía Acme" */
	int64_t level_id; /* the policy version given to the ticket */
};
/* Choose the level and due time for a ticket at creation. */
ay_rc sla_pick_for_ticket(struct db *db, int64_t requester_id,
			  const char *category, int64_t start,
			  struct sla_pick *out) AY_MUST_CHECK;

/* --- satisfaction surveys (domain/survey.c) --- */
/* Invite the requester when a ticket closes (once per open invitation). */
ay_rc survey_invite(struct db *db, int64_t ticket_id) AY_MUST_CHECK;
/* The survey of a link token: {number, subject, answered}. */
ay_rc survey_get(struct db *db, const char *token, json_t **out) AY_MUST_CHECK;
/* Answer once: rating 1-5 and an optional comment. AY_ECONFLICT when
 * already answered, AY_ENOTFOUND for an unknown token. */
ay_rc survey_answer(struct db *db, const char *token, int rating,
		    const char *comment, struct verr *err) AY_MUST_CHECK;

/* --- uploads (domain/upload.c) --- */
/* Record a stored file uploaded by user_id; *id identifies it. */
ay_rc upload_add(struct db *db, int64_t user_id, const char *filename,
		 const char *content_type, int64_t size, const char *sha256,
		 int64_t *id) AY_MUST_CHECK;
/* Attach the uploads listed in ids (a JSON array of ids, or NULL) to a
 * message; each must be user_id's and unused. AY_EINVAL otherwise. */
ay_rc upload_attach(struct db *db, int64_t user_id, int64_t ticket_id,
		    int64_t message_id, json_t *ids,
		    struct verr *err) AY_MUST_CHECK;
/* Forget uploads never attached within a day. */
ay_rc upload_expire(struct db *db, int64_t now) AY_MUST_CHECK;

/* --- supervisor reports (domain/report.c) --- */
/* SLA compliance, first response, satisfaction and backlog for tickets and
 * targets in [from, to). */
ay_rc report_summary(struct db *db, int64_t from, int64_t to,
		     json_t **out) AY_MUST_CHECK;

/* Demo data for `init --demo`: prints the logins to stdout. */
ay_rc demo_seed(struct db *db, json_t **logins) AY_MUST_CHECK;

#endif
