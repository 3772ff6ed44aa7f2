/* Who may see what: the one place every handler and domain read goes
 * through. The rules:
 *   - a customer sees their own tickets; an endorsed support contact also
 *     the tickets of their company;
 *   - agents, supervisors and admins see every ticket; internal notes and
 *     their attachments are for staff only;
 *   - a company is seen by staff and by its own people; changed by admins;
 *     its support contacts are endorsed by staff or by the company's admin
 *     contact;
 *   - a user is seen by themselves, by staff and by their company's admin
 *     contact; changed (role, tokens) by admins;
 *   - vault secrets are read by supervisors and by the ticket's assigned
 *     agent while the ticket is open;
 *   - a ticket's full history (events), the raw mail as received and
 *     changes to a ticket's SLA (level, licence holder, review) are for
 *     staff;
 *   - the agent console (queue views, bulk changes, presence, drafts,
 *     live changes, macros) is for staff; managing macros for
 *     supervisors and admins;
 *   - knowledge-base articles: published for anyone, internal and drafts
 *     for staff; agents write drafts, supervisors and admins publish;
 *   - reports are for supervisors and admins, configuration (SLA levels
 *     and calendars included) for admins.
 * Anything the caller may not see is AY_ENOTFOUND, exactly as if it did not
 * exist, so that numbers and ids leak nothing. */
#ifndef AY_ACCESS_H
#define AY_ACCESS_H

#include "domain/common.h"

enum access_need {
	ACCESS_READ,	/* see it */
	ACCESS_WRITE,	/* change it */
	ACCESS_ENDORSE, /* company: endorse or drop its support contacts */
	ACCESS_SECRET,	/* ticket: reveal its vault secrets */
};

/* SQL fragment: may the actor see ticket row `t`? Binds $1 user id, $2
 * company id, $3 is_contact (0/1), $4 staff (0/1), in that order; use
 * ACCESS_TICKET_ARGS to bind them. Used by listings, which cannot ask row
 * by row. */
#define ACCESS_TICKET_SQL                                                      \
	"($4 = 1 OR t.requester_id = $1 OR"                                    \
	" ($3 = 1 AND t.company_id IS NOT NULL AND t.company_id = $2))"
#define ACCESS_TICKET_ARGS(a)                                                  \
	(a)->user_id, (a)->company_id, (int64_t)(a)->is_contact,               \
		(int64_t)actor_is_staff(a)

/* The ticket numbered `number` if the actor may use it as `need`;
 * *ticket_id gets its row id. AY_ENOTFOUND otherwise. */
ay_rc access_ticket(struct db *db, const struct actor *a, int64_t number,
		    enum access_need need, int64_t *ticket_id) AY_MUST_CHECK;
/* access_ticket(), and with it the ticket's view_rev in stamp[0] and the
 * store's ticket_epoch in stamp[1] (ticket_stamp()); stamp may be NULL. */
ay_rc access_ticket_stamp(struct db *db, const struct actor *a, int64_t number,
			  enum access_need need, int64_t *ticket_id,
			  int64_t stamp[2]) AY_MUST_CHECK;
/* A message of a visible ticket (internal notes: staff only). */
ay_rc access_message(struct db *db, const struct actor *a, int64_t number,
		     int64_t message_id, int64_t *ticket_id) AY_MUST_CHECK;
/* An attachment of a visible message of a visible ticket. */
ay_rc access_attachment(struct db *db, const struct actor *a, int64_t number,
			int64_t attachment_id,
			int64_t *ticket_id) AY_MUST_CHECK;
/* A company (READ, WRITE, ENDORSE). */
ay_rc access_company(struct db *db, const struct actor *a, int64_t company_id,
		     enum access_need need) AY_MUST_CHECK;
/* A user (READ, WRITE). */
ay_rc access_user(struct db *db, const struct actor *a, int64_t user_id,
		  enum access_need need) AY_MUST_CHECK;
/* A ticket's full history (its events): staff. */
bool access_history(const struct actor *a);
/* The raw mail of a message, as received: staff. */
bool access_raw_mail(const struct actor *a);
/* A ticket's SLA: choose its level again, confirm its licence holder,
 * extend its development review: staff. */
bool access_ticket_sla(const struct actor *a);
/* The agent console: queue views, bulk changes, presence, drafts, the
 * feed of changes, macros to use: staff. */
bool access_console(const struct actor *a);
/* Canned answers (macros) to create, edit and delete: supervisors and
 * admins. */
bool access_macros_manage(const struct actor *a);
/* Knowledge base: publish, make internal, change what is published,
 * manage categories: supervisors and admins (agents write drafts; every
 * reader sees published articles, staff internal ones: domain/kb.h). */
bool access_kb_publish(const struct actor *a);
/* Reports: supervisors and admins. */
bool access_reports(const struct actor *a);
/* Configuration (levels, calendars, roles, tokens, licenses): admins. */
bool access_config(const struct actor *a);

#endif
