/* Companies as the commercial side sees them (license, partner tier,
 * consultant, maximum of support contacts), their endorsed support
 * contacts, and SLA inclusion requests (domain/company.c). */
#ifndef AY_DOMAIN_COMPANY_H
#define AY_DOMAIN_COMPANY_H

#include "domain/common.h"

struct company_new {
	const char *name;
	const char *domains;
	const char *license_product;
	const char *license_plan;
	const char *license_status;
	const char *license_email; /* one or more, comma-separated */
	const char *instances;	   /* instance URLs, comma-separated */
	const char *partner_tier;
	bool partner_active;
	int max_contacts; /* < 0: default */
};
/* Create a company; *out (owned by the caller) is {id, name}. */
ay_rc company_add(struct db *db, int64_t actor_id, const struct company_new *c,
		  json_t **out, struct verr *err) AY_MUST_CHECK;
/* *out: a new reference owned by the caller. */
ay_rc company_json(struct db *db, const struct actor *a, int64_t id,
		   json_t **out) AY_MUST_CHECK;
/* Which companies a list shows. */
struct company_filter {
	const char *q; /* in the name, domains or a licence address; NULL */
	int64_t limit; /* 1..1000 */
	int64_t offset;
};
/* The companies a may see that match f, by name. *out: a new array owned
 * by the caller; *total: how many match in all (0 on a page past the
 * end). */
ay_rc company_list(struct db *db, const struct actor *a,
		   const struct company_filter *f, json_t **out,
		   int64_t *total) AY_MUST_CHECK;
/* Apply the members of `changes` (borrowed: license_*, license_emails,
 * instances, partner_*, max_contacts, consultant_id, admin_contact_id,
 * domains, name); event "company.updated" with before and after. */
ay_rc company_update(struct db *db, int64_t actor_id, int64_t id,
		     json_t *changes, struct verr *err) AY_MUST_CHECK;
/* Endorse user_id as a support contact of company id: AY_ECONFLICT (with
 * a message) when the company already has its maximum. actor_id 0 is the
 * system (the command line), which may link a user as staff does. */
ay_rc company_endorse(struct db *db, int64_t actor_id, int64_t id,
		      int64_t user_id, struct verr *err) AY_MUST_CHECK;
ay_rc company_unendorse(struct db *db, int64_t actor_id, int64_t id,
			int64_t user_id) AY_MUST_CHECK;
/* *out: a new array owned by the caller. */
ay_rc company_contacts(struct db *db, int64_t id, json_t **out) AY_MUST_CHECK;

/* --- SLA inclusion requests --- */
struct inclusion_new {
	const char *kind; /* commercial, non_commercial */
	const char *full_name, *position, *company_name, *consultant;
	const char *contact_data, *instance; /* non_commercial */
	const char *body;		     /* optional free text */
};
ay_rc inclusion_create(struct db *db, const struct actor *a,
		       const struct inclusion_new *in, int64_t *number,
		       struct verr *err) AY_MUST_CHECK;
/* *out: a new reference owned by the caller. */
ay_rc inclusion_json(struct db *db, int64_t ticket_id,
		     json_t **out) AY_MUST_CHECK;
/* Approve: link the requester to company_id and (endorse) make them a
 * support contact, in one step; (license_email) register their address as
 * one of the company's licence addresses (policy 7.15); resolve the ticket
 * and tell the requester ("sla_inclusion_approved"). */
ay_rc inclusion_approve(struct db *db, const struct actor *a, int64_t number,
			int64_t company_id, bool endorse, bool license_email,
			struct verr *err) AY_MUST_CHECK;
/* Reject: resolve the ticket and mail the requester the reason
 * ("sla_inclusion_rejected"). */
ay_rc inclusion_reject(struct db *db, const struct actor *a, int64_t number,
		       const char *reason, struct verr *err) AY_MUST_CHECK;
/* The requests in state (pending, approved, rejected), the oldest first,
 * each with its ticket, its requester and "suggested_company": the
 * requester's company, else the one named as the request names it. Staff
 * only (others AY_ENOTFOUND). *out: a new array owned by the caller. */
ay_rc inclusion_list(struct db *db, const struct actor *a, const char *state,
		     json_t **out) AY_MUST_CHECK;

#endif
