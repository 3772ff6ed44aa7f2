#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "domain/sla.h"
#include "domain/upload.h"
#include "jobs/scheduler.h"
#include "util/jobstat.h"
#include "util/log.h"
#include "util/testhooks.h"

/* How long the SLA lease lasts without renewal: every batch renews it, so
 * it only has to outlast one batch; a dead holder's passes to another
 * server when it ends. */
#define SLA_LEASE 120

struct scheduler {
	const char *name; /* for the log */
	unsigned long long runs;
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
		struct timespec until, t0, t1;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (int i = 0; i < s->ntasks; i++)
			s->tasks[i].fn(s->st, s->cfg, s->tasks[i].arg);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		/* Every task's writes are committed: say so, for whoever
		 * waits on a run (tests kick one with SIGUSR1). */
		log_msg(interval >= 10 ? LOG_INFO : LOG_DEBUG, "jobs run",
			"scheduler=%s run=%llu dur_ms=%.1f", s->name, ++s->runs,
			(double)(t1.tv_sec - t0.tv_sec) * 1e3 +
				(double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
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
		      const char *name, int interval, struct scheduler **out)
{
	struct scheduler *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s)
		return AY_ENOMEM;
	s->name = name;
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

void jobs_holder(const struct ay_config *cfg, char *out, size_t n)
{
	char host[200];

	if (cfg->instance[0]) {
		snprintf(out, n, "%s", cfg->instance);
		return;
	}
	if (gethostname(host, sizeof(host)))
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	snprintf(out, n, "%s:pid:%ld", host, (long)getpid());
}

int64_t jobs_lease(int64_t dflt)
{
	int64_t t = ay_test_lease();

	return t > 0 ? t : dflt;
}

struct sla_task {
	struct sla_job_conf conf;
	struct sla_job_state state;
	int64_t now;
	char holder[200];
	bool held; /* this server had the lease in the last batch */
};

/* One bounded batch of the SLA jobs: one short transaction, which first
 * takes (or renews) the lease; without it, nothing. The lease's row stays
 * locked until the batch commits, so no two batches run at once. */
static ay_rc sla_batch_run(struct db *db, void *arg)
{
	struct sla_task *t = arg;
	ay_rc rc = store_lease_take(db, "sla", t->holder, ay_now(),
				    ay_now() + jobs_lease(SLA_LEASE), &t->held);

	if (rc || !t->held)
		return rc;
	return sla_jobs_run(db, &t->conf, t->now, &t->state);
}

static ay_rc sla_drop_run(struct db *db, void *arg)
{
	struct sla_task *t = arg;

	return store_lease_drop(db, "sla", t->holder);
}

static ay_rc upload_expire_run(struct db *db, void *arg)
{
	(void)arg;
	return upload_expire(db, ay_now());
}

void sched_sla_task(struct store *st, const struct ay_config *cfg, void *arg)
{
	struct sla_task t = {
		.conf = {.reminder_days = cfg->pending_reminder_days,
			 .close_days = cfg->pending_close_days},
		.now = ay_now()};
	ay_rc rc;

	(void)arg;
	jobs_holder(cfg, t.holder, sizeof(t.holder));
	/* Batch after batch, each its own transaction, so that HTTP writes
	 * and mail-in get in between during a backlog. */
	do
		rc = store_write(st, sla_batch_run, &t);
	while (!rc && t.held && t.state.more);
	if (!rc && !t.held) {
		/* Another server is at it: its run covers this tick's. */
		jobstat_add(JOBSTAT_SLA_SKIPPED, 1);
		log_msg(LOG_DEBUG, "sla jobs left to another server", "%s", "");
	} else if (!rc) {
		jobstat_add(JOBSTAT_SLA_RAN, 1);
		/* The next tick of any server may run them at once. */
		rc = store_write(st, sla_drop_run, &t);
	}
	if (!rc)
		rc = store_write(st, upload_expire_run, NULL);
	if (rc)
		log_error("sla jobs failed", "err=%s", ay_rc_str(rc));
	else if (t.state.done)
		log_info("sla jobs", "actions=%d", t.state.done);
}
