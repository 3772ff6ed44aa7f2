/* Tickets' answers kept between requests (ticket_cache.h). A hash table of
 * chains under striped locks; a clock hand over its buckets drops answers
 * when the bytes kept pass the limit. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "http/ticket_cache.h"

#define TC_BUCKETS 65536 /* a power of two */
#define TC_STRIPES 64
/* A ticket's answer longer than this (a long thread) is not kept. */
#define TC_MAX_TEXT (256 * 1024)

/* Where the "sla" object stands in ticket_get_keep()'s JSON text. */
static const char sla_mark[] = "\"sla\":\"\\u0001sla\"";

/* One kind of reader's answer: its JSON text with the "sla" object cut
 * out at `head`, and what the object is computed from. */
struct tc_answer {
	struct sla_view sla;
	const struct sla_calendar *cal; /* held; NULL when no target */
	size_t head, len;
	char text[]; /* len bytes */
};

struct tc_entry {
	struct tc_entry *next;
	int64_t number;
	struct ticket_stamp stamp;
	struct tc_answer *kind[TICKET_CACHE_KINDS];
	size_t bytes; /* of this entry and its answers */
};

struct ticket_cache {
	size_t max_bytes;
	atomic_size_t bytes;
	atomic_uint hand; /* the next bucket the clock empties */
	pthread_mutex_t lock[TC_STRIPES];
	struct tc_entry *bucket[TC_BUCKETS];
};

static size_t bucket_of(int64_t number)
{
	uint64_t h = (uint64_t)number * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h >> 48) & (TC_BUCKETS - 1);
}

static pthread_mutex_t *lock_of(struct ticket_cache *c, size_t b)
{
	return &c->lock[b % TC_STRIPES];
}

struct ticket_cache *ticket_cache_new(size_t max_bytes)
{
	struct ticket_cache *c;

	if (!max_bytes)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->max_bytes = max_bytes;
	for (int i = 0; i < TC_STRIPES; i++)
		pthread_mutex_init(&c->lock[i], NULL);
	return c;
}

static void answer_free(struct tc_answer *a)
{
	if (!a)
		return;
	sla_calendar_release(a->cal);
	free(a);
}

static void entry_free(struct tc_entry *e)
{
	for (int k = 0; k < TICKET_CACHE_KINDS; k++)
		answer_free(e->kind[k]);
	free(e);
}

void ticket_cache_free(struct ticket_cache *c)
{
	if (!c)
		return;
	for (size_t b = 0; b < TC_BUCKETS; b++) {
		for (struct tc_entry *e = c->bucket[b], *next; e; e = next) {
			next = e->next;
			entry_free(e);
		}
	}
	for (int i = 0; i < TC_STRIPES; i++)
		pthread_mutex_destroy(&c->lock[i]);
	free(c);
}

int ticket_cache_kind(const struct actor *a)
{
	return (actor_is_staff(a) ? 2 : 0) + (!strcmp(a->lang, "en") ? 1 : 0);
}

/* The answer's text with its "sla" object as of now, in *text (owned by
 * the caller). */
static ay_rc render(const struct tc_answer *a, int64_t now, char **text,
		    size_t *len)
{
	json_t *o = sla_view_json(&a->sla, a->cal, now);
	size_t n = 0;
	char *sla = o ? http_json_dump(o, &n) : NULL;
	char *out = sla ? malloc(a->len + n + 1) : NULL;

	json_decref(o);
	if (!out) {
		free(sla);
		return AY_ENOMEM;
	}
	memcpy(out, a->text, a->head);
	memcpy(out + a->head, sla, n);
	memcpy(out + a->head + n, a->text + a->head, a->len - a->head);
	out[a->len + n] = '\0';
	free(sla);
	*text = out;
	*len = a->len + n;
	return AY_OK;
}

static bool same_stamp(const struct ticket_stamp *a,
		       const struct ticket_stamp *b)
{
	return a->id == b->id && a->rev == b->rev && a->epoch == b->epoch;
}

bool ticket_cache_get(struct ticket_cache *c, int64_t number,
		      const struct ticket_stamp *st, int kind, int64_t now,
		      char **text, size_t *len)
{
	size_t b = bucket_of(number);
	bool hit = false;

	if (!c)
		return false;
	pthread_mutex_lock(lock_of(c, b));
	for (struct tc_entry *e = c->bucket[b]; e; e = e->next) {
		if (e->number != number)
			continue;
		if (same_stamp(&e->stamp, st) && e->kind[kind])
			hit = !render(e->kind[kind], now, text, len);
		break;
	}
	pthread_mutex_unlock(lock_of(c, b));
	return hit;
}

/* Drop the entries of the clock hand's buckets until the bytes kept are
 * under nine tenths of the limit (or every bucket was seen once). */
static void evict(struct ticket_cache *c)
{
	for (size_t seen = 0; seen < TC_BUCKETS &&
			      atomic_load(&c->bytes) > c->max_bytes / 10 * 9;
	     seen++) {
		size_t b = atomic_fetch_add(&c->hand, 1) & (TC_BUCKETS - 1);
		struct tc_entry *e;

		pthread_mutex_lock(lock_of(c, b));
		e = c->bucket[b];
		c->bucket[b] = NULL;
		pthread_mutex_unlock(lock_of(c, b));
		for (struct tc_entry *next; e; e = next) {
			next = e->next;
			atomic_fetch_sub(&c->bytes, e->bytes);
			entry_free(e);
		}
	}
}

/* Keep answer a (taken) of ticket `number` at stamp st for reader kind
 * `kind`: beside the other kinds' when the stamp is the same, instead of
 * them when not. */
static void keep(struct ticket_cache *c, int64_t number,
		 const struct ticket_stamp *st, int kind, struct tc_answer *a)
{
	size_t b = bucket_of(number), size = sizeof(*a) + a->len;
	struct tc_entry *e, **link, *gone = NULL;

	pthread_mutex_lock(lock_of(c, b));
	for (link = &c->bucket[b]; *link; link = &(*link)->next)
		if ((*link)->number == number)
			break;
	e = *link;
	if (e && !same_stamp(&e->stamp, st)) {
		/* Another stamp: the entry read last wins (older or newer,
		 * the next request sets it right). */
		*link = e->next;
		gone = e;
		e = NULL;
	}
	if (!e) {
		e = calloc(1, sizeof(*e));
		if (e) {
			e->number = number;
			e->stamp = *st;
			e->bytes = sizeof(*e);
			e->next = c->bucket[b];
			c->bucket[b] = e;
			atomic_fetch_add(&c->bytes, e->bytes);
		}
	}
	if (e && !e->kind[kind]) {
		e->kind[kind] = a;
		e->bytes += size;
		atomic_fetch_add(&c->bytes, size);
		a = NULL;
	}
	pthread_mutex_unlock(lock_of(c, b));
	answer_free(a);
	if (gone) {
		atomic_fetch_sub(&c->bytes, gone->bytes);
		entry_free(gone);
	}
	if (atomic_load(&c->bytes) > c->max_bytes)
		evict(c);
}

/* ticket_get_keep()'s answer as a tc_answer: its text, cut at the mark,
 * its SLA view and calendar. */
static ay_rc answer_new(struct db *db, json_t *t, const struct sla_view *v,
			struct tc_answer **out)
{
	const struct sla_calendar *cal = NULL;
	struct tc_answer *a;
	size_t n = 0;
	char *text, *mark;
	ay_rc rc;

	*out = NULL;
	if (v->has_target) {
		rc = sla_calendar_get(db, v->cal_name, &cal);
		if (rc)
			return rc;
	}
	text = http_json_dump(t, &n);
	mark = text ? strstr(text, sla_mark) : NULL;
	a = mark ? malloc(sizeof(*a) + n) : NULL;
	if (!a) {
		free(text);
		sla_calendar_release(cal);
		return text && !mark ? AY_EINVAL : AY_ENOMEM;
	}
	a->sla = *v;
	a->cal = cal;
	a->head = (size_t)(mark - text) + strlen("\"sla\":");
	memcpy(a->text, text, a->head);
	mark += strlen(sla_mark);
	memcpy(a->text + a->head, mark, n - (size_t)(mark - text));
	a->len = a->head + n - (size_t)(mark - text);
	free(text);
	*out = a;
	return AY_OK;
}

ay_rc ticket_cache_build(struct ticket_cache *c, struct db *db,
			 const struct actor *a, int64_t number,
			 const struct ticket_stamp *st, int64_t now,
			 char **text, size_t *len)
{
	struct sla_view v;
	struct tc_answer *ans = NULL;
	json_t *t = NULL;
	ay_rc rc;

	*text = NULL;
	rc = ticket_get_keep(db, a, number, &t, &v);
	if (!rc)
		rc = answer_new(db, t, &v, &ans);
	json_decref(t);
	if (!rc)
		rc = render(ans, now, text, len);
	if (!rc && c && ans->len <= TC_MAX_TEXT) {
		keep(c, number, st, ticket_cache_kind(a), ans);
		ans = NULL;
	}
	answer_free(ans);
	return rc;
}
