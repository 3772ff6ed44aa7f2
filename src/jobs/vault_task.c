/* The vault task: destroys the secrets past their expiry or on solved
 * tickets, on every scheduler tick. */
#include "domain/vault.h"
#include "jobs/vault_task.h"
#include "util/log.h"

struct vault_run {
	int done;
};

static ay_rc vault_run(struct db *db, void *arg)
{
	struct vault_run *v = arg;

	return vault_jobs_run(db, ay_now(), &v->done);
}

void sched_vault_task(struct store *st, const struct ay_config *cfg, void *arg)
{
	struct vault_run v = {0};
	ay_rc rc;

	(void)cfg;
	(void)arg;
	rc = store_write(st, vault_run, &v);
	if (rc)
		log_error("vault jobs failed", "err=%s", ay_rc_str(rc));
	else if (v.done)
		log_info("vault secrets destroyed", "count=%d", v.done);
}
