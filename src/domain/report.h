/* Supervisor reports (domain/report.c). */
#ifndef AY_DOMAIN_REPORT_H
#define AY_DOMAIN_REPORT_H

#include "domain/common.h"

/* SLA compliance, first response, satisfaction and backlog for tickets and
 * targets in [from, to): *out is a new object owned by the caller. */
ay_rc report_summary(struct db *db, int64_t from, int64_t to,
		     json_t **out) AY_MUST_CHECK;

#endif
