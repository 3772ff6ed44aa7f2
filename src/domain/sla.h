/* The SLA engine's domain side: calendars and levels as data
 * (sla_calendar.c, sla_level.c), level assignment (sla_level.c), response
 * targets, the clock (sla_clock.c), the JSON views (sla_json.c) and the
 * scheduled jobs (sla_jobs.c). The arithmetic itself is in
 * src/sla/bizcal.h. */
#ifndef AY_DOMAIN_SLA_H
#define AY_DOMAIN_SLA_H

#include "domain/common.h"
#include "sla/bizcal.h"

/* --- levels and their assignment (sla_level.c) --- */
struct sla_pick {
	char level[32];	  /* level code */
	char reason[320]; /* why, for people: "partner plata, compañía Acme" */
	char reason_en[320]; /* the same in English: "silver partner, ..." */
	int64_t level_id;    /* the policy version given to the ticket */
};
/* Choose the level for a ticket of requester_id in category. confirmed:
 * an agent confirmed that this ticket comes from the company's licence
 * holder, although its address is not a registered licence address. */
ay_rc sla_pick_for_ticket(struct db *db, int64_t requester_id,
			  const char *category, bool confirmed, int64_t start,
			  struct sla_pick *out) AY_MUST_CHECK;
/* Is the ticket unidentified only because its requester, an endorsed
 * contact of a company with a commercial licence, did not write from a
 * licence address (policy 7.15)? Then the acknowledgement says so. */
ay_rc sla_license_address_missing(struct db *db, int64_t ticket_id,
				  bool *missing) AY_MUST_CHECK;

/* Create the calendar "lima" and the default levels when absent. */
ay_rc sla_seed_defaults(struct db *db) AY_MUST_CHECK;

/* --- calendars (sla_calendar.c) --- */
/* The calendar called name, built from the store and cached: one build
 * per revision (each edit makes a new one), shared by every thread.
 * Returns: *out is held until sla_calendar_release(*out); the cache keeps
 * the current revision of each calendar and those still held, no more. */
ay_rc sla_calendar_get(struct db *db, const char *name,
		       const struct sla_calendar **out) AY_MUST_CHECK;
/* Release a calendar of sla_calendar_get(). NULL-safe. */
void sla_calendar_release(const struct sla_calendar *cal);
/* Hold cal once more (a caller that already holds it keeps a copy):
 * release it once more. NULL-safe. */
void sla_calendar_hold(const struct sla_calendar *cal);
/* Free every cached calendar, held or not (at exit). */
void sla_calendar_cache_clear(void);

/* Calendar edits (admin): add a holiday or closure, replace the spec. Each
 * changes the calendar's revision, moves the due times of the running
 * targets counted on it (sla_calendar_whatif() shows which, before) and
 * writes the audit event "calendar.changed" {calendar, before, after,
 * moved}. */
ay_rc sla_calendar_set(struct db *db, int64_t actor_id, const char *name,
		       json_t *spec, struct verr *err) AY_MUST_CHECK;
/* The stored spec (sla_json.c): *out is a new reference owned by the
 * caller. */
ay_rc sla_calendar_json(struct db *db, const char *name,
			json_t **out) AY_MUST_CHECK;
/* What-if (admin, nothing written; sla_whatif.c): the running targets on
 * calendar name whose due time would move with change, {"holiday":{..}} or
 * {"closure":{..}} added or {"spec":{..}} instead: {calendar, running,
 * moved: [{ticket, subject, due_before, due_after, business_minutes,
 * wall_minutes}]}, by ticket number; saving the same change moves exactly
 * those. AY_EINVAL with err set for a change the calendar refuses. change
 * is borrowed; *out is a new reference owned by the caller. */
ay_rc sla_calendar_whatif(struct db *db, const char *name, const json_t *change,
			  struct verr *err, json_t **out) AY_MUST_CHECK;
/* The due time of a target of `minutes` from start on calendar name, and
 * why (the parts of sla_ticket_explain(), no pauses): {calendar,
 * target_minutes, clock, start, counted_from, due_at, stretches, skipped,
 * timeline, pauses}. *out is a new reference owned by the caller. */
ay_rc sla_calendar_due_explain(struct db *db, const char *name, int64_t start,
			       int64_t minutes, enum sla_clock clock,
			       struct verr *err, json_t **out) AY_MUST_CHECK;
/* Every calendar's spec: *out is a new array owned by the caller. */
ay_rc sla_calendar_list(struct db *db, json_t **out) AY_MUST_CHECK;

/* Levels: the current version of each (sla_json.c: *out is a new array
 * owned by the caller); editing one adds a version (sla_level.c), made by
 * actor_id, with the fields of changes (borrowed; "base_version": the
 * version the editor started from, AY_ECONFLICT when another save came
 * first). A value that is not acceptable is AY_EINVAL with err saying what
 * is expected, and nothing is written; a save that changes nothing makes
 * no version. */
ay_rc sla_levels_json(struct db *db, json_t **out) AY_MUST_CHECK;
ay_rc sla_level_edit(struct db *db, int64_t actor_id, const char *code,
		     json_t *changes, struct verr *err) AY_MUST_CHECK;

/* The versions of levels (sla_version.c), for admins. Every version of
 * level code, newest first: *out is {code, current, versions: [{version,
 * current, created_at, created_by: {id, name} | null, open_tickets,
 * name_es, name_en, desc_es, desc_en, response_minutes, clock, calendar,
 * review_days, license_email_only, closes}]}, a new reference owned by the
 * caller; AY_ENOTFOUND for no such level. open_tickets: the tickets of the
 * queue's unsolved view that run on that version. */
ay_rc sla_level_versions(struct db *db, const char *code,
			 json_t **out) AY_MUST_CHECK;
/* The difference between versions from and to of level code: *out is
 * {code, from, to, changes: [{field, before, after}]} listing exactly the
 * fields that differ, owned by the caller. AY_ENOTFOUND (err names "from"
 * or "to") when a version does not exist. */
ay_rc sla_level_diff(struct db *db, const char *code, int64_t from, int64_t to,
		     json_t **out, struct verr *err) AY_MUST_CHECK;
/* Every level's current version, number of versions and open tickets (on
 * any version, and on the current one): *out is {levels: [{code, version,
 * versions, open_tickets, open_on_current}]}, owned by the caller. */
ay_rc sla_level_usage(struct db *db, json_t **out) AY_MUST_CHECK;

/* --- the clock (sla_clock.c) --- */
/* A new ticket's first target: planned before the ticket is written (so
 * that its row has its due time from the start: one write of the row,
 * not two), then written once the ticket exists. */
struct sla_start {
	int64_t level_id, at;
	const char *kind; /* "response", "review"; NULL: the level runs no
			     clock (due is then 0) */
	int64_t minutes, due, warn;
};
ay_rc sla_start_plan(struct db *db, int64_t level_id, int64_t at,
		     struct sla_start *out) AY_MUST_CHECK;
/* Clock hooks, called by the ticket code in the same transaction. The
 * ticket's sla_due_at is t->due already (0: NULL). */
ay_rc sla_on_created(struct db *db, int64_t ticket_id,
		     const struct sla_start *t) AY_MUST_CHECK;
/* kind: "customer" starts a target when none is running and the last
 * public message was the agent's; "reply" meets the running target. */
ay_rc sla_on_message(struct db *db, int64_t ticket_id, const char *kind,
		     int64_t at) AY_MUST_CHECK;
ay_rc sla_on_status(struct db *db, int64_t ticket_id, const char *from,
		    const char *to, int64_t at) AY_MUST_CHECK;
/* Choose the level again (category changed, requester identified). */
ay_rc sla_reassess(struct db *db, int64_t actor_id, int64_t ticket_id,
		   int64_t at) AY_MUST_CHECK;
/* The requester's unsolved tickets (but `except`, and at most the latest
 * 64) get the level they now earn, after their company or endorsement
 * changed. */
ay_rc sla_reassess_requester(struct db *db, int64_t actor_id, int64_t user_id,
			     int64_t except) AY_MUST_CHECK;
/* An agent confirms that the ticket comes from the company's licence
 * holder although its address is not a registered licence address (policy
 * 7.15): recorded on the ticket (event "sla.license_confirmed"), then the
 * level is chosen again. */
ay_rc sla_confirm_license(struct db *db, int64_t actor_id, int64_t ticket_id,
			  int64_t at) AY_MUST_CHECK;
/* Development tickets: extend the review by the level's period. */
ay_rc sla_extend_review(struct db *db, const struct actor *a, int64_t number,
			struct verr *err) AY_MUST_CHECK;

/* What a ticket's "sla" object is computed from, read once and rendered
 * at any instant by sla_view_json(): a cached answer keeps it while the
 * ticket does not change (http/ticket_cache.c). */
struct sla_view {
	char level[32], name[128], reason[320], cal_name[64], kind[16];
	int64_t policy_version;
	int64_t started, due, paused, met; /* its last target; 0: none */
	int64_t minutes, used_met;
	enum sla_clock clock;
	bool has_target; /* false: the object says "none" */
};
/* Read ticket_id's view, names in lang ("en", else "es"). */
ay_rc sla_view_load(struct db *db, int64_t ticket_id, const char *lang,
		    struct sla_view *v) AY_MUST_CHECK;
/* The "sla" object of v as of the start of now's minute: remaining and
 * used minutes, state, "as_of" (the instant they are for: the same for a
 * whole minute, so is a ticket's ETag). cal is v's calendar (NULL when v
 * has no target). Returns: a new reference, NULL when out of memory. */
json_t *sla_view_json(const struct sla_view *v, const struct sla_calendar *cal,
		      int64_t now);

/* The "sla" object of a ticket for the API (sla_json.c), its level's
 * name in lang ("es", "en"; NULL: "es"): *out is a new reference owned by
 * the caller. */
/* Send sla_ticket_json()'s read ahead (db_prefetch). */
ay_rc sla_ticket_prefetch(struct db *db, int64_t ticket_id,
			  const char *lang) AY_MUST_CHECK;
ay_rc sla_ticket_json(struct db *db, int64_t ticket_id, int64_t now,
		      const char *lang, json_t **out) AY_MUST_CHECK;

/* Why ticket `number` has its deadline (sla_explain.c): the level and the
 * rule that chose it, the start, each stretch of open time counted, the
 * closed time skipped, every pause and what it added, the due time; as of
 * now, in the reader's language. Computed by src/sla/explain.c over the
 * same calendar as the due time. AY_ENOTFOUND when not visible. *out is a
 * new reference owned by the caller (docs/api-agent.md, section 3). */
ay_rc sla_ticket_explain(struct db *db, const struct actor *a, int64_t number,
			 int64_t now, json_t **out) AY_MUST_CHECK;

/* --- jobs (sla_jobs.c) --- */
/* Rows a call of sla_jobs_run() handles at most by default. */
#define SLA_JOB_BATCH 500

struct sla_job_conf {
	int reminder_days; /* business days before the reminder */
	int close_days;	   /* business days before auto-close */
	int batch;	   /* rows handled per call at most; 0: SLA_JOB_BATCH */
};
/* Where a run of the jobs stands between calls: zero it before the first. */
struct sla_job_state {
	int64_t pending_after; /* pending tickets: the next page's cursor */
	int done;	       /* actions taken so far */
	int skipped;	       /* rows that failed on their data (job_row) */
	bool more;	       /* due work is left: call again */
};
/* Run the due jobs at `now`: warnings at 80%, breaches, development
 * reviews, pending reminders and auto-close, in a business day of the
 * ticket's calendar (sla_calendar_day_minutes()). One call handles at most
 * c->batch rows, so that a backlog (a server down for days) is worked off
 * in several short transactions, one per call, while other writes get in
 * between: call again, in a new transaction, while st->more. */
ay_rc sla_jobs_run(struct db *db, const struct sla_job_conf *c, int64_t now,
		   struct sla_job_state *st) AY_MUST_CHECK;

#endif
