/* Supervisor reports (domain/report.c). */
#ifndef AY_DOMAIN_REPORT_H
#define AY_DOMAIN_REPORT_H

#include "domain/common.h"

/* SLA compliance, first response, satisfaction and backlog for tickets and
 * targets in [from, to): *out is a new object owned by the caller. */
ay_rc report_summary(struct db *db, int64_t from, int64_t to,
		     json_t **out) AY_MUST_CHECK;

/* Recompute what the report keeps beside the tickets (the minutes of each
 * ticket's first response, kept by triggers on sla_targets) from the SLA
 * targets, the slow way; *changed: how many tickets it corrected (0 when
 * all was right). In the caller's transaction. */
ay_rc report_rebuild(struct db *db, int64_t *changed) AY_MUST_CHECK;

/* What waits to be done, for the metrics: *out (a new object owned by the
 * caller) is {"tickets_by_status": {status: n}, "outbox_by_state": {state:
 * n}, "sla_targets_breached_open": n}. */
ay_rc report_gauges(struct db *db, json_t **out) AY_MUST_CHECK;

#endif
