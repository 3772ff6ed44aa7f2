/* Demo data for `ayuda init --demo` (domain/demo.c). */
#ifndef AY_DOMAIN_DEMO_H
#define AY_DOMAIN_DEMO_H

#include "domain/common.h"

/* Seed demo users, companies and tickets into a store without users
 * (AY_ECONFLICT when it has some); *logins (owned by the caller) is an
 * array of the accounts created, for the CLI to print. */
ay_rc demo_seed(struct db *db, json_t **logins) AY_MUST_CHECK;

#endif
