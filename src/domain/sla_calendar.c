/* SLA calendars as data: a process-wide cache of built calendars (one per
 * name and revision, the random revision each edit gives), and the admin
 * edits. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "domain/sla_int.h"
#include "util/log.h"

/* --- the cache --- */

/* One built calendar. The current entry of a name is the one a miss last
 * built; an entry that is no longer current lives while it is held. So
 * the cache holds one calendar per name plus those in use, however often
 * calendars are edited. */
struct cal_entry {
	char *name;
	char rev[40];
	struct sla_calendar *cal;
	int refs;     /* sla_calendar_get() calls not yet released */
	bool current; /* the one a get of this name may return */
	struct cal_entry *next;
};

static pthread_mutex_t cal_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cal_entry *cal_cache;

static void entry_free(struct cal_entry *e)
{
	if (!e)
		return;
	sla_calendar_free(e->cal);
	free(e->name);
	free(e);
}

/* Unlink e (under cal_lock); the caller frees it after unlocking. */
static void entry_unlink(struct cal_entry *e)
{
	for (struct cal_entry **p = &cal_cache; *p; p = &(*p)->next)
		if (*p == e) {
			*p = e->next;
			return;
		}
}

/* The current entry of name (under cal_lock), or NULL. */
static struct cal_entry *entry_current(const char *name)
{
	for (struct cal_entry *e = cal_cache; e; e = e->next)
		if (e->current && !strcmp(e->name, name))
			return e;
	return NULL;
}

void sla_calendar_cache_clear(void)
{
	pthread_mutex_lock(&cal_lock);
	for (struct cal_entry *e = cal_cache, *next; e; e = next) {
		next = e->next;
		entry_free(e);
	}
	cal_cache = NULL;
	pthread_mutex_unlock(&cal_lock);
}

void sla_calendar_release(const struct sla_calendar *cal)
{
	struct cal_entry *gone = NULL;

	if (!cal)
		return;
	pthread_mutex_lock(&cal_lock);
	for (struct cal_entry *e = cal_cache; e; e = e->next) {
		if (e->cal != cal)
			continue;
		if (--e->refs == 0 && !e->current) {
			entry_unlink(e);
			gone = e;
		}
		break;
	}
	pthread_mutex_unlock(&cal_lock);
	entry_free(gone);
}

void sla_calendar_hold(const struct sla_calendar *cal)
{
	if (!cal)
		return;
	pthread_mutex_lock(&cal_lock);
	for (struct cal_entry *e = cal_cache; e; e = e->next) {
		if (e->cal == cal) {
			e->refs++;
			break;
		}
	}
	pthread_mutex_unlock(&cal_lock);
}

/* The cached build of (name, rev), held, or NULL on a miss. */
static const struct sla_calendar *cache_hit(const char *name, const char *rev)
{
	const struct sla_calendar *cal = NULL;
	struct cal_entry *e;

	pthread_mutex_lock(&cal_lock);
	e = entry_current(name);
	if (e && !strcmp(e->rev, rev)) {
		e->refs++;
		cal = e->cal;
	}
	pthread_mutex_unlock(&cal_lock);
	return cal;
}

/* Insert a new build e (held once) as name's current entry, unless another
 * thread's miss inserted the same revision meanwhile: then that one is
 * held and returned, and e freed. */
static const struct sla_calendar *cache_insert(struct cal_entry *e)
{
	struct cal_entry *old, *gone = NULL;
	const struct sla_calendar *cal;

	pthread_mutex_lock(&cal_lock);
	old = entry_current(e->name);
	if (old && !strcmp(old->rev, e->rev)) {
		old->refs++;
		cal = old->cal;
		gone = e;
	} else {
		if (old) {
			old->current = false;
			if (!old->refs) {
				entry_unlink(old);
				gone = old;
			}
		}
		e->current = true;
		e->next = cal_cache;
		cal_cache = e;
		cal = e->cal;
	}
	pthread_mutex_unlock(&cal_lock);
	entry_free(gone);
	return cal;
}

void sla_new_rev(char out[40])
{
	unsigned char r[16];

	randombytes_buf(r, sizeof(r));
	sodium_bin2hex(out, 40, r, sizeof(r));
}

/* Build the stored spec text of calendar name into a new entry. */
static ay_rc entry_build(const char *name, const char *rev,
			 const char *spec_text, struct cal_entry **out)
{
	struct cal_entry *e = NULL;
	json_t *spec = json_loads(spec_text, 0, NULL);
	char err[160];
	ay_rc rc;

	*out = NULL;
	if (!spec)
		return AY_EDB;
	e = calloc(1, sizeof(*e));
	if (!e || !(e->name = strdup(name))) {
		json_decref(spec);
		entry_free(e);
		return AY_ENOMEM;
	}
	rc = sla_calendar_from_json(spec, &e->cal, err, sizeof(err));
	json_decref(spec);
	if (rc) {
		log_error("stored calendar is invalid",
			  "name=\"%s\" err=\"%s\"", name, err);
		entry_free(e);
		return AY_EDB;
	}
	snprintf(e->rev, sizeof(e->rev), "%s", rev);
	e->refs = 1;
	*out = e;
	return AY_OK;
}

ay_rc sla_calendar_get(struct db *db, const char *name,
		       const struct sla_calendar **out)
{
	struct db_stmt *s = NULL;
	struct cal_entry *e = NULL;
	char rev[40];
	bool row = false;
	ay_rc rc;

	*out = NULL;
	rc = db_run(db, &s, &row,
		    "SELECT rev, spec FROM calendars WHERE name = $1", "s",
		    name);
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	snprintf(rev, sizeof(rev), "%s", db_col_text(s, 0));
	*out = cache_hit(name, rev);
	if (!*out)
		rc = entry_build(name, rev, db_col_text(s, 1), &e);
	db_reset(s);
	if (!rc && e)
		*out = cache_insert(e);
	return rc;
}

ay_rc sla_calendar_set(struct db *db, int64_t actor_id, const char *name,
		       json_t *spec, struct verr *err)
{
	struct sla_calendar *cal = NULL;
	char msg[160], rev[40];
	json_t *before = NULL, *data = NULL;
	size_t moved = 0;
	char *text;
	ay_rc rc;

	json_object_set_new(spec, "name", json_string(name));
	rc = sla_calendar_from_json(spec, &cal, msg, sizeof(msg));
	if (rc) {
		sla_spec_error(msg, err);
		return AY_EINVAL;
	}
	sla_calendar_free(cal);
	rc = sla_calendar_json(db, name, &before);
	if (rc == AY_ENOTFOUND)
		rc = AY_OK;
	if (rc)
		return rc;
	text = json_dumps(spec, JSON_COMPACT | JSON_SORT_KEYS);
	if (!text) {
		rc = AY_ENOMEM;
		goto out;
	}
	sla_new_rev(rev);
	rc = db_run(db, NULL, NULL,
		    "INSERT INTO calendars (name, spec, rev, updated_at)"
		    " VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO UPDATE SET"
		    " spec = excluded.spec, rev = excluded.rev,"
		    " updated_at = excluded.updated_at",
		    "sssi", name, text, rev, ay_now());
	free(text);
	if (!rc)
		rc = sla_calendar_retime(
			db, actor_id, name,
			json_string_value(json_object_get(spec, "title")),
			&moved);
	if (rc)
		goto out;
	data = json_pack("{s:s,s:O?,s:O,s:I}", "calendar", name, "before",
			 before, "after", spec, "moved", (json_int_t)moved);
	rc = data ? event_add(db, 0, actor_id, "calendar.changed", data)
		  : AY_ENOMEM;
out:
	json_decref(data);
	json_decref(before);
	return rc;
}
