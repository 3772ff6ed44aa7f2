/* Tickets and their messages and history (domain/ticket.c). Reads go
 * through domain/access.h: what the actor may not see is AY_ENOTFOUND. */
#ifndef AY_DOMAIN_TICKET_H
#define AY_DOMAIN_TICKET_H

#include "domain/common.h"
#include "domain/sla.h"
#include "util/config.h"

struct ticket_fields; /* domain/ticket_fields.h */
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
	const struct ticket_fields *fields; /* steps, url, ...; or NULL */
	int64_t continues_id;	 /* a closed ticket this one continues, or 0 */
	json_t *client_hints;	 /* Sec-CH-UA* headers by name, or NULL */
	const char *server_info; /* info.php output attached, or NULL */
	/* Borrowed: [kb] mail_min_score for the articles the acknowledgement
	 * suggests; NULL: its default. */
	const struct ay_config *cfg;
};

/* Create a ticket with its first message. On success *number is set. */
ay_rc ticket_create(struct db *db, const struct actor *a,
		    const struct ticket_new *in, int64_t *number,
		    struct verr *err) AY_MUST_CHECK;
/* The ticket as JSON: *out is a new reference owned by the caller.
 * with_messages adds "messages" as the actor may see them. AY_ENOTFOUND
 * when absent or not visible. */
ay_rc ticket_get(struct db *db, const struct actor *a, int64_t number,
		 bool with_messages, json_t **out) AY_MUST_CHECK;

/* What a ticket's answer is valid for: while its view_rev and the store's
 * ticket_epoch stay, ticket_get() answers the same but for the "sla"
 * object's time (migration 46: triggers raise them with every write that
 * changes what the answer shows). */
struct ticket_stamp {
	int64_t id;    /* the ticket's row */
	int64_t rev;   /* tickets.view_rev */
	int64_t epoch; /* ticket_epoch.n */
};
/* The stamp of ticket `number` if the actor may see it (the same rule as
 * ticket_get()); AY_ENOTFOUND otherwise. One statement. */
ay_rc ticket_stamp(struct db *db, const struct actor *a, int64_t number,
		   struct ticket_stamp *out) AY_MUST_CHECK;
/* The string the "sla" member holds in ticket_get_keep()'s answer. */
#define TICKET_SLA_MARK "\001sla"
/* ticket_get() with messages, but its "sla" member is TICKET_SLA_MARK
 * and *sla gets what the object is computed from (sla_view_json() renders
 * it at any instant): a cache keeps both. */
ay_rc ticket_get_keep(struct db *db, const struct actor *a, int64_t number,
		      json_t **out, struct sla_view *sla) AY_MUST_CHECK;

struct ticket_filter {
	const char *status;
	const char *category;
	int64_t assignee_id; /* 0: any, -1: unassigned */
	int64_t after;	     /* keyset cursor: ticket id */
	int limit;
	/* Newest activity first (updated_at, then id, descending) instead of
	 * arrival order; the cursor is the last row's (before_at, before_id),
	 * before_at 0 for the first page. */
	bool by_activity;
	int64_t before_at, before_id;
};
/* *out (owned by the caller): {"tickets":[...], "next": cursor or null}
 * in arrival order (next: the last id), or by activity (next: the text
 * "UPDATED.ID" of the last row, given back as before=). */
ay_rc ticket_list(struct db *db, const struct actor *a,
		  const struct ticket_filter *f, json_t **out) AY_MUST_CHECK;
/* The statement ticket_list() runs (for the tests' query plans): q,
 * initialised by the caller (ticket_query.h), gets its text and
 * parameters. */
struct tq;
ay_rc ticket_list_sql(struct db *db, const struct actor *a,
		      const struct ticket_filter *f,
		      struct tq *q) AY_MUST_CHECK;

struct ticket_change {
	const char *status;   /* NULL: unchanged */
	const char *category; /* NULL: unchanged */
	bool set_assignee;
	int64_t assignee_id;		    /* 0: unassign */
	const struct ticket_fields *fields; /* the structured fields given */
	const char *server_info; /* info.php output attached, or NULL */
	bool quiet; /* the caller sends the only notice (no status mail) */
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
	/* Borrowed: [tickets] reopen_days and comment_notice_minutes; NULL:
	 * their defaults (30 days, 10 minutes). */
	const struct ay_config *cfg;
};
ay_rc ticket_add_message(struct db *db, const struct actor *a, int64_t number,
			 const struct message_new *m, int64_t *message_id,
			 struct verr *err) AY_MUST_CHECK;
/* *out: a new array owned by the caller. */
ay_rc ticket_messages(struct db *db, const struct actor *a, int64_t number,
		      json_t **out) AY_MUST_CHECK;
/* The full history (access_history(): staff only, else AY_ENOTFOUND):
 * *out is a new array owned by the caller. */
ay_rc ticket_events(struct db *db, const struct actor *a, int64_t number,
		    json_t **out) AY_MUST_CHECK;
/* A notice of kind `kind` to recipient (NULL: unknown) could not be
 * delivered (why): the ticket gets a system message saying so and a
 * "mail.failed" event. */
ay_rc ticket_mail_failed(struct db *db, int64_t ticket_id, const char *kind,
			 const char *recipient, const char *why,
			 int64_t at) AY_MUST_CHECK;
/* Is ticket_id closed for longer than [tickets] reopen_days (cfg NULL:
 * 30)? A customer's message then opens a new ticket that continues it
 * instead of reopening it; ticket_add_message refuses it (AY_ECONFLICT). */
ay_rc ticket_closed_long_ago(struct db *db, int64_t ticket_id,
			     const struct ay_config *cfg,
			     bool *long_ago) AY_MUST_CHECK;
/* The name of a status or category code for people, in lang ("es",
 * "en"). Returns: a static string (the code itself when unknown). */
const char *ticket_status_name(const char *code, const char *lang);
const char *ticket_category_name(const char *code, const char *lang);
/* Is code a status ("new", "open", ...) or a category ("support", ...)? */
bool ticket_status_known(const char *code);
bool ticket_category_known(const char *code);
/* Internal, for listings beside ticket_list (domain/queue.c): the SELECT
 * of a ticket row over tickets t, requester ru, company c and assignee au,
 * to which the caller appends its WHERE; and the JSON of the current row
 * of such a statement (a new reference, NULL when out of memory). */
extern const char ticket_select_sql[];
json_t *ticket_row_json(struct db *db, struct db_stmt *s, const char *lang);
/* Internal: id and visibility of a ticket. */
ay_rc ticket_lookup(struct db *db, const struct actor *a, int64_t number,
		    int64_t *ticket_id) AY_MUST_CHECK;

/* The knowledge-base articles that answer ticket_id well enough ([kb]
 * mail_min_score; cfg NULL: 8), at most three, for a reader of lang, into
 * payload as "articles": [{title, url}] (none rather than wrong ones).
 * The outbox calls it for a "ticket_received" notice marked "kb". */
ay_rc ticket_kb_articles(struct db *db, const struct ay_config *cfg,
			 int64_t ticket_id, const char *lang,
			 json_t *payload) AY_MUST_CHECK;

#endif
