/* The scheduler task of the credentials vault (jobs/vault_task.c). */
#ifndef AY_VAULT_TASK_H
#define AY_VAULT_TASK_H

#include "jobs/scheduler.h"

/* Destroy expired secrets and those of solved tickets. */
void sched_vault_task(struct store *st, const struct ay_config *cfg, void *arg);

#endif
