/* Satisfaction surveys (domain/survey.c). */
#ifndef AY_DOMAIN_SURVEY_H
#define AY_DOMAIN_SURVEY_H

#include "domain/common.h"

/* Invite the requester when a ticket closes (once per open invitation). */
ay_rc survey_invite(struct db *db, int64_t ticket_id) AY_MUST_CHECK;
/* The same invitation without its own mail, for a notice that carries the
 * link: token[] gets the link's token, or "" when an invitation is
 * already open. */
ay_rc survey_token(struct db *db, int64_t ticket_id,
		   char token[65]) AY_MUST_CHECK;
/* The survey of a link token: *out (owned by the caller) is {number,
 * subject, answered}. */
ay_rc survey_get(struct db *db, const char *token, json_t **out) AY_MUST_CHECK;
/* Answer once: rating 1-5 and an optional comment. AY_ECONFLICT when
 * already answered, AY_ENOTFOUND for an unknown token. */
ay_rc survey_answer(struct db *db, const char *token, int rating,
		    const char *comment, struct verr *err) AY_MUST_CHECK;
/* The ticket's newest invitation as its reader sees it: {invited,
 * answered, can_answer (the requester, not yet answered), rating?}. */
ay_rc survey_of_ticket(struct db *db, const struct actor *a, int64_t number,
		       json_t **out) AY_MUST_CHECK;
/* The requester answers the ticket's open invitation from the ticket page
 * (no link needed). AY_ECONFLICT when none is open or it was answered. */
ay_rc survey_answer_ticket(struct db *db, const struct actor *a, int64_t number,
			   int rating, const char *comment,
			   struct verr *err) AY_MUST_CHECK;

#endif
