/* Resolved tokens and sessions in memory (see authcache.h). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sodium.h>

#include "domain/account.h"
#include "http/authcache.h"

#define AUTH_SLOTS 1024 /* a power of two */

struct slot {
	unsigned char key[16]; /* keyed BLAKE2b of kind and secret */
	bool used;
	int64_t epoch;
	struct auth_entry e;
};

struct auth_cache {
	pthread_mutex_t lock; /* guards slots */
	struct slot *slots;
	unsigned char hkey[crypto_generichash_KEYBYTES]; /* this process's */
	_Atomic int64_t epoch;
	_Atomic int64_t read_ms; /* monotonic ms of the last epoch read */
};

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct auth_cache *auth_cache_new(void)
{
	struct auth_cache *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->slots = calloc(AUTH_SLOTS, sizeof(*c->slots));
	if (!c->slots) {
		free(c);
		return NULL;
	}
	pthread_mutex_init(&c->lock, NULL);
	randombytes_buf(c->hkey, sizeof(c->hkey));
	atomic_init(&c->epoch, -1);
	atomic_init(&c->read_ms, 0);
	return c;
}

void auth_cache_free(struct auth_cache *c)
{
	if (!c)
		return;
	sodium_memzero(c->slots, AUTH_SLOTS * sizeof(*c->slots));
	free(c->slots);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

int64_t auth_cache_epoch(struct auth_cache *c)
{
	return atomic_load(&c->epoch);
}

bool auth_cache_refresh_due(struct auth_cache *c)
{
	return mono_ms() - atomic_load(&c->read_ms) >= AUTH_CACHE_REFRESH_MS;
}

void auth_cache_publish(struct auth_cache *c, int64_t e)
{
	int64_t cur = atomic_load(&c->epoch);

	while (cur < e && !atomic_compare_exchange_weak(&c->epoch, &cur, e))
		;
	atomic_store(&c->read_ms, mono_ms());
}

/* The slot of secret, and its key. */
static struct slot *slot_of(struct auth_cache *c, enum auth_kind kind,
			    const char *secret, unsigned char key[16])
{
	crypto_generichash_state st;
	unsigned char k = (unsigned char)kind;
	uint32_t h;

	crypto_generichash_init(&st, c->hkey, sizeof(c->hkey), 16);
	crypto_generichash_update(&st, &k, 1);
	crypto_generichash_update(&st, (const unsigned char *)secret,
				  strlen(secret));
	crypto_generichash_final(&st, key, 16);
	memcpy(&h, key, sizeof(h));
	return &c->slots[h & (AUTH_SLOTS - 1)];
}

static bool still_valid(enum auth_kind kind, const struct auth_entry *e,
			int64_t now)
{
	if (e->expires && e->expires <= now)
		return false;
	return kind != AUTH_SESSION || e->last > now - AY_SESSION_IDLE;
}

bool auth_cache_find(struct auth_cache *c, enum auth_kind kind,
		     const char *secret, int64_t now, struct auth_entry *out)
{
	unsigned char key[16];
	struct slot *s = slot_of(c, kind, secret, key);
	int64_t epoch = atomic_load(&c->epoch);
	bool hit;

	pthread_mutex_lock(&c->lock);
	hit = s->used && s->epoch == epoch && epoch >= 0 &&
	      !sodium_memcmp(s->key, key, sizeof(key)) &&
	      still_valid(kind, &s->e, now);
	if (hit)
		*out = s->e;
	pthread_mutex_unlock(&c->lock);
	return hit;
}

void auth_cache_put(struct auth_cache *c, enum auth_kind kind,
		    const char *secret, int64_t epoch,
		    const struct auth_entry *e)
{
	unsigned char key[16];
	struct slot *s = slot_of(c, kind, secret, key);

	if (epoch < 0)
		return;
	pthread_mutex_lock(&c->lock);
	memcpy(s->key, key, sizeof(key));
	s->used = true;
	s->epoch = epoch;
	s->e = *e;
	pthread_mutex_unlock(&c->lock);
}

void auth_cache_touched(struct auth_cache *c, enum auth_kind kind,
			const char *secret, int64_t now)
{
	unsigned char key[16];
	struct slot *s = slot_of(c, kind, secret, key);

	pthread_mutex_lock(&c->lock);
	if (s->used && !sodium_memcmp(s->key, key, sizeof(key)))
		s->e.last = now;
	pthread_mutex_unlock(&c->lock);
}
