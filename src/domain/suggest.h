/* Placing an unidentified requester (policy 7.1.2: "su mensaje deberá
 * incluir información que nos permita identificarlo ... url de su cuenta
 * cloud de Bitrix24, url de su Bitrix24 self hosted"): when a requester
 * with no company writes a ticket that names a company's registered
 * instance URL, or writes from one of a company's mail domains, the ticket
 * gets a suggestion ("posible empresa: Acme, por su portal
 * acme.bitrix24.es") that staff confirm or dismiss in one step. One
 * suggestion per ticket; staff only see it (domain/suggest.c). */
#ifndef AY_DOMAIN_SUGGEST_H
#define AY_DOMAIN_SUGGEST_H

#include "domain/common.h"

/* Look in texts[0..n) (subject, description, URL, a later message; NULL
 * entries are skipped) and in the requester's address for a company, and
 * record a suggestion on ticket_id. Nothing happens when the requester has
 * a company or the ticket has a suggestion already. */
ay_rc suggest_for_ticket(struct db *db, int64_t ticket_id,
			 const char *const *texts, size_t n) AY_MUST_CHECK;
/* The suggestion of a ticket for staff: *out (owned by the caller) is
 * {company: {id, name}, basis: instance|domain, value, reason (in lang),
 * state: open|confirmed|dismissed} or JSON null. */
/* Send suggest_json()'s read ahead (db_prefetch). */
ay_rc suggest_prefetch(struct db *db, int64_t ticket_id) AY_MUST_CHECK;
ay_rc suggest_json(struct db *db, int64_t ticket_id, const char *lang,
		   json_t **out) AY_MUST_CHECK;
/* Staff confirm the open suggestion of ticket number: the requester joins
 * the company (and, with contact, is endorsed as a support contact under
 * the company's cap), and their unsolved tickets get the level they now
 * earn. AY_ECONFLICT when there is no open suggestion. */
ay_rc suggest_confirm(struct db *db, const struct actor *a, int64_t number,
		      bool contact, struct verr *err) AY_MUST_CHECK;
/* Staff dismiss it: the ticket keeps its level. */
ay_rc suggest_dismiss(struct db *db, const struct actor *a, int64_t number,
		      struct verr *err) AY_MUST_CHECK;

#endif
