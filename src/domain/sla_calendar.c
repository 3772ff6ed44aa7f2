/* SLA calendars as data: a process-wide cache of built calendars keyed by
 * the random revision each edit gives, and the admin edits. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "domain/sla_int.h"
#include "util/log.h"

/* --- calendars: a process-wide cache keyed by the random revision --- */

struct cal_entry {
	char rev[40];
	struct sla_calendar *cal;
	struct cal_entry *next;
};

static pthread_mutex_t cal_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cal_entry *cal_cache;

void sla_calendar_cache_clear(void)
{
	pthread_mutex_lock(&cal_lock);
	for (struct cal_entry *e = cal_cache, *next; e; e = next) {
		next = e->next;
		sla_calendar_free(e->cal);
		free(e);
	}
	cal_cache = NULL;
	pthread_mutex_unlock(&cal_lock);
}

void sla_new_rev(char out[40])
{
	unsigned char r[16];

	randombytes_buf(r, sizeof(r));
	sodium_bin2hex(out, 40, r, sizeof(r));
}

ay_rc sla_calendar_get(struct db *db, const char *name,
		       const struct sla_calendar **out)
{
	struct db_stmt *s = NULL;
	struct sla_calendar *cal = NULL;
	struct cal_entry *e;
	json_t *spec;
	char rev[40], err[160];
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
	pthread_mutex_lock(&cal_lock);
	for (e = cal_cache; e; e = e->next)
		if (!strcmp(e->rev, rev))
			break;
	pthread_mutex_unlock(&cal_lock);
	if (e) {
		db_reset(s);
		*out = e->cal;
		return AY_OK;
	}
	spec = json_loads(db_col_text(s, 1), 0, NULL);
	db_reset(s);
	if (!spec)
		return AY_EDB;
	rc = sla_calendar_from_json(spec, &cal, err, sizeof(err));
	json_decref(spec);
	if (rc) {
		log_error("stored calendar is invalid",
			  "name=\"%s\" err=\"%s\"", name, err);
		return AY_EDB;
	}
	e = calloc(1, sizeof(*e));
	if (!e) {
		sla_calendar_free(cal);
		return AY_ENOMEM;
	}
	snprintf(e->rev, sizeof(e->rev), "%s", rev);
	e->cal = cal;
	pthread_mutex_lock(&cal_lock);
	e->next = cal_cache;
	cal_cache = e;
	pthread_mutex_unlock(&cal_lock);
	*out = cal;
	return AY_OK;
}

ay_rc sla_calendar_set(struct db *db, int64_t actor_id, const char *name,
		       json_t *spec, struct verr *err)
{
	struct sla_calendar *cal = NULL;
	char msg[160], rev[40];
	json_t *data;
	char *text;
	ay_rc rc;

	json_object_set_new(spec, "name", json_string(name));
	rc = sla_calendar_from_json(spec, &cal, msg, sizeof(msg));
	if (rc) {
		verr_set(err, "calendar", msg);
		return AY_EINVAL;
	}
	sla_calendar_free(cal);
	text = json_dumps(spec, JSON_COMPACT | JSON_SORT_KEYS);
	if (!text)
		return AY_ENOMEM;
	sla_new_rev(rev);
	rc = db_run(db, NULL, NULL,
		    "INSERT INTO calendars (name, spec, rev, updated_at)"
		    " VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO UPDATE SET"
		    " spec = excluded.spec, rev = excluded.rev,"
		    " updated_at = excluded.updated_at",
		    "sssi", name, text, rev, ay_now());
	free(text);
	if (rc)
		return rc;
	data = json_pack("{s:s,s:O}", "calendar", name, "spec", spec);
	if (!data)
		return AY_ENOMEM;
	rc = event_add(db, 0, actor_id, "calendar.changed", data);
	json_decref(data);
	return rc;
}
