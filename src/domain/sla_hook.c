/* Where the SLA engine chooses a level for a new ticket. Until the engine
 * lands every ticket is "unidentified" with no due time. */
#include <stdio.h>

#include "domain/domain.h"

ay_rc sla_pick_for_ticket(struct db *db, int64_t requester_id,
			  const char *category, int64_t start,
			  struct sla_pick *out)
{
	(void)db;
	(void)requester_id;
	(void)category;
	(void)start;
	snprintf(out->level, sizeof(out->level), "unidentified");
	snprintf(out->reason, sizeof(out->reason),
		 "solicitante sin identificar");
	out->due_at = 0;
	return AY_OK;
}
