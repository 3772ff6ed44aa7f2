/* The agent console's shared state (domain/console.c), kept in the
 * database so that several `ayuda serve` sharing it see the same: drafts
 * per agent, ticket and kind; presence (who views or writes a ticket now);
 * the answer collision check; the feed of changed tickets. Staff only
 * (access_console()): anything else is AY_ENOTFOUND. */
#ifndef AY_DOMAIN_CONSOLE_H
#define AY_DOMAIN_CONSOLE_H

#include "domain/common.h"

#define DRAFT_MAX_BYTES 100000
#define PRESENCE_TTL	30 /* seconds a heartbeat lives */

/* kind: "reply" or "note". An empty body deletes the draft. *out: the
 * draft as JSON (owned by the caller), or null when deleted. */
ay_rc draft_put(struct db *db, const struct actor *a, int64_t number,
		const char *kind, const char *body, struct verr *err,
		json_t **out) AY_MUST_CHECK;
/* kind NULL: {"drafts":[...]} of both kinds; else the one draft
 * (AY_ENOTFOUND when none). *out owned by the caller. */
ay_rc draft_get(struct db *db, const struct actor *a, int64_t number,
		const char *kind, json_t **out) AY_MUST_CHECK;
ay_rc draft_delete(struct db *db, const struct actor *a, int64_t number,
		   const char *kind) AY_MUST_CHECK;
/* The author's draft of kind for ticket_id goes once the message is sent
 * (called by ticket_add_message in its transaction). */
ay_rc draft_sent(struct db *db, int64_t user_id, int64_t ticket_id,
		 const char *kind) AY_MUST_CHECK;

/* A heartbeat: the actor views (mode "viewing") or writes ("writing")
 * the ticket until now + PRESENCE_TTL; mode NULL: leaves it. *others (if
 * not NULL; owned by the caller) the other staff on it now. */
ay_rc presence_beat(struct db *db, const struct actor *a, int64_t number,
		    const char *mode, int64_t now, struct verr *err,
		    json_t **others) AY_MUST_CHECK;
/* The other staff on ticket_id at now, as a new array. */
ay_rc presence_others(struct db *db, const struct actor *a, int64_t ticket_id,
		      int64_t now, json_t **out) AY_MUST_CHECK;

/* The customer-visible messages (answers, customer messages) others wrote
 * on the ticket after message last_seen: *out a new array of {user,
 * message_id, kind, at}, empty when none. */
ay_rc console_answered_since(struct db *db, const struct actor *a,
			     int64_t number, int64_t last_seen,
			     json_t **out) AY_MUST_CHECK;

#define CHANGES_PRESENCE_MAX 100 /* tickets a poll may ask presence of */

/* What the console's poll asks: the changes after the cursor `since` (NULL:
 * none, only the cursor of now), and, when numbers is not NULL, who is on
 * each of those tickets at now (the rows on screen: presence is not an
 * event). */
struct changes_query {
	const char *since;	/* borrowed, as the client sent it back */
	const int64_t *numbers; /* borrowed; NULL: no presence asked */
	size_t nnumbers;	/* at most CHANGES_PRESENCE_MAX */
	int64_t now;
};

/* The tickets changed after q->since: *out owned by the caller, {"seq":
 * the cursor to send back, "tickets": [numbers], "more"}, plus "presence":
 * [{number, user, mode, until}] (the other staff on q->numbers, by ticket
 * in the order asked) when q->numbers is set. The cursor: on SQLite the
 * newest event id (at most 500 tickets a page, "more" then); on
 * PostgreSQL, where servers commit events out of id order, a snapshot
 * "xmin:xmax:xip,..." of the transactions whose events were visible (at
 * most 10,000 tickets). AY_EINVAL: since is not such a cursor. */
ay_rc console_changes(struct db *db, const struct actor *a,
		      const struct changes_query *q,
		      json_t **out) AY_MUST_CHECK;

#endif
