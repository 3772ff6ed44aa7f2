/* The IMAP poller: unseen mail from [mail] imap_url becomes tickets
 * through the same path as `ayuda mail-in`. */
#include "domain/common.h"
#include "domain/mailin.h"
#include "jobs/imap_poll.h"
#include "jobs/scheduler.h"
#include "mail/imap.h"
#include "util/jobstat.h"
#include "util/log.h"

/* The lease on polling: longer than a fetch takes (each message is
 * delivered and committed before the next is read), so that two servers
 * never read the mailbox at once; a dead poller's ends and another server
 * polls. */
#define IMAP_LEASE (10 * 60)

struct imap_ctx {
	struct store *st;
	const struct ay_config *cfg;
};

static ay_rc imap_cb(void *arg, const char *raw, size_t len)
{
	struct imap_ctx *c = arg;
	struct mailin_result r;
	ay_rc rc = mailin_deliver(c->st, c->cfg, raw, len, &r);

	if (rc == AY_EINVAL || rc == AY_ETOOBIG) {
		/* Never acceptable: leave it read in the mailbox. */
		log_warn("mail refused", "reason=\"%s\"", r.reason);
		return AY_OK;
	}
	if (!rc)
		log_info("mail fetched", "ticket=%lld action=%s",
			 (long long)r.ticket, r.action);
	return rc;
}

ay_rc imap_poll_fetch(struct store *st, const struct ay_config *cfg, char *err,
		      size_t errlen)
{
	struct mail_imap_conf ic = {.url = cfg->imap_url,
				    .user = cfg->imap_user,
				    .password = cfg->imap_password,
				    .tls = MAIL_TLS_TRY};
	struct imap_ctx c = {st, cfg};
	size_t fetched = 0, skipped = 0;

	err[0] = '\0';
	return mail_imap_fetch(&ic, imap_cb, &c, &fetched, &skipped, err,
			       errlen);
}

struct imap_lease {
	char holder[200];
	bool got;
};

static ay_rc imap_take_run(struct db *db, void *arg)
{
	struct imap_lease *l = arg;

	return store_lease_take(db, "imap", l->holder, ay_now(),
				ay_now() + jobs_lease(IMAP_LEASE), &l->got);
}

static ay_rc imap_drop_run(struct db *db, void *arg)
{
	struct imap_lease *l = arg;

	return store_lease_drop(db, "imap", l->holder);
}

void sched_imap_task(struct store *st, const struct ay_config *cfg, void *arg)
{
	int64_t *last = arg;
	struct imap_lease l = {0};
	char err[256];

	if (!cfg->imap_url[0] || !cfg->imap_interval ||
	    ay_now() - *last < cfg->imap_interval)
		return;
	*last = ay_now();
	/* One server at a time reads the mailbox (docs/scaling.md). */
	jobs_holder(cfg, l.holder, sizeof(l.holder));
	if (store_write(st, imap_take_run, &l))
		return;
	if (!l.got) {
		jobstat_add(JOBSTAT_IMAP_SKIPPED, 1);
		return;
	}
	jobstat_add(JOBSTAT_IMAP_RAN, 1);
	if (imap_poll_fetch(st, cfg, err, sizeof(err)))
		log_warn("imap fetch failed", "err=\"%s\"", err);
	if (store_write(st, imap_drop_run, &l))
		log_warn("imap lease not given back; it expires", "%s", "");
}
