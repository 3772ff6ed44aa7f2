/* Resolved API tokens and session cookies kept in memory, so that a request
 * is authenticated without a database lookup.
 *
 * Every entry is tagged with the store's auth epoch (auth_epoch_get(),
 * raised by triggers in the transaction of any change to a token, a
 * session, or a user's role, company, language or state). An entry of an
 * older epoch is never used:
 * - within the process, the writer thread reads the epoch after every
 *   commit and publishes it (store_on_commit) before the change is
 *   acknowledged: a revocation answered here holds for the next request;
 * - a change made by another process (the CLI, another server) is seen
 *   within AUTH_CACHE_REFRESH_MS, when a request reads the epoch again.
 * Expiry (a token's expires_at, a session's absolute and idle limits) is
 * checked on every use against the entry's own times. */
#ifndef AY_HTTP_AUTHCACHE_H
#define AY_HTTP_AUTHCACHE_H

#include "domain/common.h"

#define AUTH_CACHE_REFRESH_MS 1000

enum auth_kind { AUTH_TOKEN = 1, AUTH_SESSION };

struct auth_cache;

/* What one secret resolved to. */
struct auth_entry {
	struct actor actor;
	int64_t last;	 /* last_used_at / last_seen_at as last written */
	int64_t expires; /* absolute expiry, 0 for none */
};

/* Returns: owned by the caller, free with auth_cache_free(). NULL when out
 * of memory. */
struct auth_cache *auth_cache_new(void);
/* NULL-safe. */
void auth_cache_free(struct auth_cache *c);

/* The epoch to tag a lookup with: read it before the lookup's first
 * query, so that a change committed after it makes the entry stale. */
int64_t auth_cache_epoch(struct auth_cache *c);
/* Whether the epoch should be read from the database again (the last read
 * is older than AUTH_CACHE_REFRESH_MS); when true the caller reads it and
 * calls auth_cache_publish(). */
bool auth_cache_refresh_due(struct auth_cache *c);
/* Raise the known epoch to e (never lowers it). Any thread. */
void auth_cache_publish(struct auth_cache *c, int64_t e);

/* Find secret of kind, valid at now: true and *out filled when found. */
bool auth_cache_find(struct auth_cache *c, enum auth_kind kind,
		     const char *secret, int64_t now, struct auth_entry *out);
/* Remember what secret resolved to under epoch. */
void auth_cache_put(struct auth_cache *c, enum auth_kind kind,
		    const char *secret, int64_t epoch,
		    const struct auth_entry *e);
/* Note that secret's last use was written as now. */
void auth_cache_touched(struct auth_cache *c, enum auth_kind kind,
			const char *secret, int64_t now);

#endif
