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
/* Clock seconds between from and to (0 when to <= from). */
int64_t sla_elapsed(const struct sla_calendar *cal, int64_t from, int64_t to,
		    enum sla_clock clock);
/* Queue notice `kind` to the ticket's requester (payload not stolen). */
ay_rc sla_notify_requester(struct db *db, int64_t ticket_id, const char *kind,
			   json_t *payload) AY_MUST_CHECK;

#endif
