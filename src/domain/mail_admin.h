/* The admin console's mail page (/admin/correo): the mail settings as
 * configured (secrets masked), a test send and a single fetch that say
 * what the servers answered, the outbox's failed and waiting mail with a
 * retry, and a preview of every notification rendered by domain/notice.c
 * from a real ticket. Everything here is for admins (access_config());
 * every change it makes is an audit event. No answer carries a password,
 * a one-time link or a payload. */
#ifndef AY_DOMAIN_MAIL_ADMIN_H
#define AY_DOMAIN_MAIL_ADMIN_H

#include <jansson.h>

#include "domain/common.h"
#include "store/db.h"
#include "util/config.h"

/* How long the console's buttons may hold an HTTP worker: connect and
 * whole-dialogue limits, and the messages one fetch takes at most. */
#define MAIL_ADMIN_CONNECT_TIMEOUT 8
#define MAIL_ADMIN_TIMEOUT	   20
#define MAIL_ADMIN_FETCH_MAX	   50

/* {inbound: {url, user, password_set, interval}, outbound: {url, user,
 * password_set, starttls, from, domain, subject_tag}}: a password inside a
 * URL is masked. *out: a new reference. */
ay_rc mail_admin_settings(const struct ay_config *cfg,
			  json_t **out) AY_MUST_CHECK;

/* Send a test mail to `to` in lang, naming who sent it (by). *out: {ok,
 * to, message_id, replies: [lines], failure?, error?}; AY_EINVAL (err) for
 * an address that cannot receive mail. Blocks for at most about
 * MAIL_ADMIN_TIMEOUT seconds; never run it in the writer thread. */
ay_rc mail_admin_test_send(const struct ay_config *cfg, const char *to,
			   const char *lang, const char *by, struct verr *err,
			   json_t **out) AY_MUST_CHECK;

/* Read the IMAP mailbox once (at most MAIL_ADMIN_FETCH_MAX messages) into
 * tickets, as the poller does. *out: {ok, taken, skipped, messages:
 * [{ticket, action, reason}], replies, failure?, error?}. */
ay_rc mail_admin_fetch(struct store *st, const struct ay_config *cfg,
		       json_t **out) AY_MUST_CHECK;

/* The outbox, newest first: state "open" (failed and waiting: the
 * default), "failed", "waiting", "sent" or "all"; before: an id (0: the
 * newest); limit 1..200. *out: {items: [{id, state, kind, recipient,
 * ticket, subject, attempts, last_error, next_attempt_at, created_at,
 * sent_at}], counts: {state: n}, next}. */
ay_rc outbox_admin_list(struct db *db, const struct actor *a, const char *state,
			int64_t before, int64_t limit,
			const struct ay_config *cfg,
			json_t **out) AY_MUST_CHECK;

/* Send outbox row id again now: a failed one starts a new series of
 * tries, a waiting one skips its wait. AY_ECONFLICT (err) when it was
 * sent, is being sent, or carried a one-time link that is no longer kept.
 * Audited (outbox.retried). *out: the row as outbox_admin_list shows it. */
ay_rc outbox_admin_retry(struct db *db, const struct actor *a, int64_t id,
			 const struct ay_config *cfg, struct verr *err,
			 json_t **out) AY_MUST_CHECK;

/* Retry every failed row that can be (at most 500). *out: {retried,
 * skipped}. */
ay_rc outbox_admin_retry_failed(struct db *db, const struct actor *a,
				json_t **out) AY_MUST_CHECK;

/* Every notification: [{kind, audience: customer|staff|account, variant?,
 * ticket: bool}]. *out: a new array. */
ay_rc notice_kinds_json(json_t **out) AY_MUST_CHECK;

/* The notification kind (with "kind:variant" for a variant, e.g.
 * comment_received:reopened) rendered in lang for ticket number (0: the
 * newest ticket), as its reader would get it; one-time links and tokens
 * shown as placeholders. *out: {kind, lang, ticket, to, subject, text,
 * html}. AY_ENOTFOUND for an unknown kind or ticket. */
ay_rc notice_preview(struct db *db, const struct ay_config *cfg,
		     const struct actor *a, const char *kind, int64_t number,
		     const char *lang, json_t **out) AY_MUST_CHECK;

#endif
