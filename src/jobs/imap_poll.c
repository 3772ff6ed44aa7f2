/* The IMAP poller: unseen mail from [mail] imap_url becomes tickets
 * through the same path as `ayuda mail-in`. */
#include "domain/common.h"
#include "domain/mailin.h"
#include "jobs/imap_poll.h"
#include "mail/imap.h"
#include "util/log.h"

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

void sched_imap_task(struct store *st, const struct ay_config *cfg, void *arg)
{
	int64_t *last = arg;
	char err[256];

	if (!cfg->imap_url[0] || !cfg->imap_interval ||
	    ay_now() - *last < cfg->imap_interval)
		return;
	*last = ay_now();
	if (imap_poll_fetch(st, cfg, err, sizeof(err)))
		log_warn("imap fetch failed", "err=\"%s\"", err);
}
