/* Shared between the files of the SLA engine's domain side (sla_*.c) and
 * no one else. */
#ifndef AY_DOMAIN_SLA_INT_H
#define AY_DOMAIN_SLA_INT_H

#include "domain/sla.h"
#include "domain/ticket.h"

/* One version of a level, as the clock needs it. */
struct level {
	int64_t id;
	char code[32];
	char name_es[80];
	int64_t minutes; /* 0: no response clock */
	enum sla_clock clock;
	char calendar[64];
	int64_t review_days;
};

/* A new random calendar revision (32 hex digits) into out. */
void sla_new_rev(char out[40]);
/* The current version of level code, or the version with row id `id`, into
 * *l (AY_ENOTFOUND when absent). */
ay_rc sla_level_current(struct db *db, const char *code,
			struct level *l) AY_MUST_CHECK;
ay_rc sla_level_by_id(struct db *db, int64_t id, struct level *l) AY_MUST_CHECK;
/* The version with row id `id` as the admin console shows it
 * (sla_version.c): its editable fields under the names PATCH takes, its
 * number, who made it and when, its open tickets. *out is a new reference
 * owned by the caller. */
ay_rc sla_level_fields(struct db *db, int64_t id, json_t **out) AY_MUST_CHECK;
/* Clock seconds between from and to (0 when to <= from). */
int64_t sla_elapsed(const struct sla_calendar *cal, int64_t from, int64_t to,
		    enum sla_clock clock);
/* Queue notice `kind` to the ticket's requester (payload not stolen). */
ay_rc sla_notify_requester(struct db *db, int64_t ticket_id, const char *kind,
			   json_t *payload) AY_MUST_CHECK;

/* Instant t as ISO 8601 in cal's zone (UTC when it cannot be written).
 * Returns: a new reference (sla_explain.c). */
json_t *sla_when_json(const struct sla_calendar *cal, int64_t t);
struct sla_explain;
/* Add the parts of e to o as the API shows them: timeline, stretches,
 * skipped, pauses, counted_minutes, paused_minutes (sla_explain.c). */
ay_rc sla_explain_parts_json(const struct sla_calendar *cal,
			     const struct sla_explain *e,
			     json_t *o) AY_MUST_CHECK;
/* After calendar name's spec changed (by actor_id, 0 for the system):
 * move the due and warning times of the running targets counted on it to
 * where the new spec puts them (the list sla_calendar_whatif() shows
 * before), each with an "sla.due_moved" event on its ticket; a target
 * marked breached (or warned) whose time moves past now loses the mark.
 * The event keeps the calendar's title as it is now (title, NULL when it
 * has none), so the history names it as people read it then.
 * *moved gets their number. */
ay_rc sla_calendar_retime(struct db *db, int64_t actor_id, const char *name,
			  const char *title, size_t *moved) AY_MUST_CHECK;
/* Set err from a reason of sla_calendar_from_json(): the field it names
 * and what is wrong, in Spanish (sla_whatif.c). */
void sla_spec_error(const char *msg, struct verr *err);

#endif
