/* The credentials vault: secrets stored encrypted on a ticket for a few
 * days (domain/vault.c). */
#ifndef AY_DOMAIN_VAULT_H
#define AY_DOMAIN_VAULT_H

#include <sodium.h>

#include "domain/common.h"

#define AY_VAULT_DEFAULT_DAYS 7
#define AY_VAULT_MAX_DAYS     30
#define AY_VAULT_SECRET_MAX   8192 /* bytes */
struct vault_key {
	unsigned char k[crypto_secretbox_KEYBYTES];
};
/* Create DATA/vault.key (32 random bytes, mode 0600) unless it exists. */
ay_rc vault_key_create(const char *data_dir) AY_MUST_CHECK;
/* Load DATA/vault.key; AY_EPERM when group or others may read it. */
ay_rc vault_key_load(const char *data_dir, struct vault_key *k) AY_MUST_CHECK;
/* Store a secret on a ticket the actor may see; days 0 means 7. *out
 * (owned by the caller) describes it, without the secret. */
ay_rc vault_put(struct db *db, const struct vault_key *k, const struct actor *a,
		int64_t number, const char *label, const char *secret, int days,
		json_t **out, struct verr *err) AY_MUST_CHECK;
/* Labels and times, never the secret: *out is a new array owned by the
 * caller. */
ay_rc vault_list(struct db *db, const struct actor *a, int64_t number,
		 json_t **out) AY_MUST_CHECK;
/* Reveal one secret (ACCESS_SECRET) and write "vault.read" to the ticket
 * history. AY_ENOTFOUND when not allowed; AY_ECONFLICT when destroyed.
 * *out (owned by the caller) holds the clear secret: json_decref() it as
 * soon as it is sent. */
ay_rc vault_read(struct db *db, const struct vault_key *k,
		 const struct actor *a, int64_t number, int64_t secret_id,
		 json_t **out) AY_MUST_CHECK;
/* Destroy a secret early (its author or staff). */
ay_rc vault_delete(struct db *db, const struct actor *a, int64_t number,
		   int64_t secret_id) AY_MUST_CHECK;
/* Destroy the secrets past their expiry or on solved tickets. */
ay_rc vault_jobs_run(struct db *db, int64_t now, int *done) AY_MUST_CHECK;

#endif
