/* What identifies a company's people and systems (table company_ids): the
 * addresses registered with its licences (policy 7.15: the commercial
 * level applies only to tickets created from one of them) and the URLs of
 * its Bitrix24 instances (7.1.2: a message should name them, so that the
 * sender can be placed). Values are stored normalised: an address in lower
 * case, an instance as its host name ("acme.bitrix24.es", from
 * "https://www.Acme.bitrix24.es/crm/"). Mail domains are the company's
 * "domains" column. */
#ifndef AY_DOMAIN_COMPANY_IDS_H
#define AY_DOMAIN_COMPANY_IDS_H

#include "domain/common.h"

enum company_id_kind {
	CID_LICENSE_EMAIL,
	CID_INSTANCE,
};

/* Replace the values of one kind for a company by those in list (a JSON
 * array of strings, or a string of values separated by commas or blanks).
 * AY_EINVAL (err on field) when one cannot be normalised. */
ay_rc company_ids_set(struct db *db, int64_t company_id,
		      enum company_id_kind kind, json_t *list,
		      const char *field, struct verr *err) AY_MUST_CHECK;
/* Add one value of a kind (kept when already there). */
ay_rc company_ids_add(struct db *db, int64_t company_id,
		      enum company_id_kind kind, const char *value,
		      struct verr *err) AY_MUST_CHECK;
/* *out: a new array (owned by the caller) of the values of one kind. */
ay_rc company_ids_json(struct db *db, int64_t company_id,
		       enum company_id_kind kind, json_t **out) AY_MUST_CHECK;
/* Whether email is one of the company's licence addresses; *any tells
 * whether the company registered any. */
ay_rc company_ids_is_license_email(struct db *db, int64_t company_id,
				   const char *email, bool *is,
				   bool *any) AY_MUST_CHECK;

/* The normalised host of an instance URL or host name into out[256]:
 * false when there is none. */
bool company_ids_host(const char *url, char out[256]);

#endif
