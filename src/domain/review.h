/* A customer's request for a supervisor's review of a ticket (policy
 * 7.17.13; domain/review.c). */
#ifndef AY_DOMAIN_REVIEW_H
#define AY_DOMAIN_REVIEW_H

#include "domain/common.h"
#include "util/config.h"

#define AY_REVIEW_REASON_MAX 2000 /* characters */

/* The requester or the company's support contact asks for a review:
 * the reason becomes a customer message on the ticket (answered like any
 * message), every supervisor is told, the asker gets a notice; one open
 * request per ticket: AY_ECONFLICT. Staff asking a supervisor: the reason
 * becomes an internal note (event "supervisor.consulted"), every
 * supervisor is told, no request is opened. cfg is borrowed (reopen_days;
 * NULL: defaults). */
ay_rc review_request(struct db *db, const struct actor *a, int64_t number,
		     const char *reason, const struct ay_config *cfg,
		     struct verr *err) AY_MUST_CHECK;
/* Set "supervisor_review" of the ticket object t (borrowed) to the
 * latest request of ticket tid ({state: requested|answered, reason,
 * requested_at, requested_by, answered_at}), or null. */
/* Send review_ticket_json()'s read ahead (db_prefetch). */
ay_rc review_ticket_prefetch(struct db *db, int64_t tid) AY_MUST_CHECK;
ay_rc review_ticket_json(struct db *db, int64_t tid, json_t *t) AY_MUST_CHECK;
/* A public answer by staff (user by) answers the open request of tid. */
ay_rc review_answered(struct db *db, int64_t tid, int64_t by) AY_MUST_CHECK;
/* For the reports: *out (owned by the caller) is {requested, answered:
 * counts in [from, to), open: [ticket numbers waiting now]}. */
ay_rc review_report(struct db *db, int64_t from, int64_t to,
		    json_t **out) AY_MUST_CHECK;

#endif
