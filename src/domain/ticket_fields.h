/* What a ticket carries besides its subject and description (policy 7.4):
 * the steps to reproduce, the URL where the problem occurs, the product,
 * its edition and the version. Products and editions are choices an admin
 * edits (table ticket_choices); a choice withdrawn stays readable on the
 * tickets that have it but cannot be chosen again. */
#ifndef AY_TICKET_FIELDS_H
#define AY_TICKET_FIELDS_H

#include "domain/common.h"

enum ticket_field {
	TF_STEPS,
	TF_URL,
	TF_PRODUCT,
	TF_EDITION,
	TF_VERSION,
	TF_N
};

/* The API and column names, in enum order: steps, url, product, edition,
 * version. */
extern const char *const ticket_field_names[TF_N];

/* The fields given in a request, checked and normalised. */
struct ticket_fields {
	char *v[TF_N];	/* owned; NULL: empty or absent */
	bool set[TF_N]; /* present in the request (null or "" clears) */
};

/* Read the members named in ticket_field_names from the JSON object in
 * (others are ignored), each a string or null, and check them: text
 * lengths and UTF-8, an http(s) URL ("acme.bitrix24.es" becomes
 * "https://acme.bitrix24.es"), a product and an edition among the active
 * choices. AY_EINVAL with err set when one is wrong. Release f with
 * ticket_fields_release() in every case. */
ay_rc ticket_fields_parse(struct db *db, json_t *in, struct ticket_fields *f,
			  struct verr *err) AY_MUST_CHECK;
void ticket_fields_release(struct ticket_fields *f);
/* An edition belongs to its product: AY_EINVAL (err on "edition") when
 * edition is set and is not one of product's editions. */
ay_rc ticket_fields_pair_check(struct db *db, const char *product,
			       const char *edition,
			       struct verr *err) AY_MUST_CHECK;

/* The choices: {"product": [{code, name, name_es, name_en, active}],
 * "edition": [{code, product, name, ...}]} in their order, name in lang;
 * withdrawn ones only when all is true. */
ay_rc ticket_choices_json(struct db *db, bool all, const char *lang,
			  json_t **out) AY_MUST_CHECK;
/* Replace the choices of field ("product" or "edition") by the list given
 * (each {code, name_es, name_en} and, for an edition, its product); a
 * choice left out is withdrawn, not deleted. Writes an audit event. */
ay_rc ticket_choices_set(struct db *db, int64_t actor_id, const char *field,
			 json_t *list, struct verr *err) AY_MUST_CHECK;

#endif
