/* The scheduler in `ayuda serve`: runs the due jobs every few seconds. The
 * work is always found from the database (due times, outbox rows), never
 * from memory alone, so a restarted server catches up on what fell due
 * while it was down. */
#ifndef AY_SCHEDULER_H
#define AY_SCHEDULER_H

#include "store/db.h"
#include "util/config.h"

struct scheduler;

/* A task run by the scheduler thread on every tick. */
typedef void (*sched_task_fn)(struct store *st, const struct ay_config *cfg,
			      void *arg);

/* A scheduler named name (static), ticking every interval seconds. Each
 * run ends, once every task's writes are committed, with the log line
 * `msg="jobs run" scheduler=NAME run=N` (N counts from 1; at debug level
 * when the interval is under 10 s, as the mail scheduler's 2 s). */
ay_rc scheduler_start(struct store *st, const struct ay_config *cfg,
		      const char *name, int interval,
		      struct scheduler **out) AY_MUST_CHECK;
/* Add a task before the first tick; at most 8. */
ay_rc scheduler_add(struct scheduler *s, sched_task_fn fn,
		    void *arg) AY_MUST_CHECK;
/* Run every task once now (also used by tests through SIGUSR1). */
void scheduler_kick(struct scheduler *s);
void scheduler_stop(struct scheduler *s);

/* This server's name on its claims and leases, into out: [server]
 * instance (ayuda serve sets HOST:PORT there when the file does not), else
 * "HOST:pid:PID" (a one-off verb such as send-mail). */
void jobs_holder(const struct ay_config *cfg, char *out, size_t n);
/* The length of a lease: dflt seconds, or AYUDA_TEST_LEASE in a test
 * build. */
int64_t jobs_lease(int64_t dflt);

/* The SLA task: warnings, breaches, reviews, pending reminders, under the
 * lease "sla" (one server at a time; docs/scaling.md). */
void sched_sla_task(struct store *st, const struct ay_config *cfg, void *arg);

#endif
