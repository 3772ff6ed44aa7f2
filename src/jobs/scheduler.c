#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "domain/sla.h"
#include "domain/upload.h"
#include "jobs/scheduler.h"
#include "util/log.h"

struct scheduler {
	struct store *st;
	const struct ay_config *cfg;
	pthread_t th;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop, kick, started;
	int interval; /* seconds between ticks */
	struct {
		sched_task_fn fn;
		void *arg;
	} tasks[8];
	int ntasks;
};

static void *sched_main(void *arg)
{
	struct scheduler *s = arg;
	int interval = s->interval > 0 ? s->interval : 30;

	for (;;) {
		struct timespec until;

		for (int i = 0; i < s->ntasks; i++)
			s->tasks[i].fn(s->st, s->cfg, s->tasks[i].arg);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += interval;
		pthread_mutex_lock(&s->lock);
		while (!s->stop && !s->kick)
			if (pthread_cond_timedwait(&s->cond, &s->lock, &until))
				break;
		s->kick = false;
		if (s->stop) {
			pthread_mutex_unlock(&s->lock);
			break;
		}
		pthread_mutex_unlock(&s->lock);
	}
	return NULL;
}

ay_rc scheduler_start(struct store *st, const struct ay_config *cfg,
		      int interval, struct scheduler **out)
{
	struct scheduler *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s)
		return AY_ENOMEM;
	s->st = st;
	s->cfg = cfg;
	s->interval = interval;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	*out = s;
	return AY_OK;
}

ay_rc scheduler_add(struct scheduler *s, sched_task_fn fn, void *arg)
{
	if (s->ntasks == (int)AY_ARRAY_LEN(s->tasks))
		return AY_EINVAL;
	s->tasks[s->ntasks].fn = fn;
	s->tasks[s->ntasks].arg = arg;
	s->ntasks++;
	return AY_OK;
}

void scheduler_kick(struct scheduler *s)
{
	pthread_mutex_lock(&s->lock);
	if (!s->started) {
		s->started = true;
		pthread_mutex_unlock(&s->lock);
		if (pthread_create(&s->th, NULL, sched_main, s))
			log_error("cannot start the scheduler", "%s", "");
		return;
	}
	s->kick = true;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

void scheduler_stop(struct scheduler *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	s->stop = true;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
	if (s->started)
		pthread_join(s->th, NULL);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->cond);
	free(s);
}

struct sla_task {
	struct sla_job_conf conf;
	int done;
};

static ay_rc sla_task_run(struct db *db, void *arg)
{
	struct sla_task *t = arg;

	ay_rc rc = sla_jobs_run(db, &t->conf, ay_now(), &t->done);

	return rc ? rc : upload_expire(db, ay_now());
}

/* The length of the business day in which pending_reminder_days and
 * pending_close_days count: 08:00-18:30, the service hours of the policy. */
#define BUSINESS_DAY_MINUTES 630

void sched_sla_task(struct store *st, const struct ay_config *cfg, void *arg)
{
	struct sla_task t = {.conf = {cfg->pending_reminder_days,
				      cfg->pending_close_days,
				      BUSINESS_DAY_MINUTES}};
	ay_rc rc;

	(void)arg;
	rc = store_write(st, sla_task_run, &t);
	if (rc)
		log_error("sla jobs failed", "err=%s", ay_rc_str(rc));
	else if (t.done)
		log_info("sla jobs", "actions=%d", t.done);
}
