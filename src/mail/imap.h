/* Fetch unseen mail by IMAP (libcurl for connection, TLS and login). */
#ifndef AY_MAIL_IMAP_H
#define AY_MAIL_IMAP_H

#include "util/ay.h"
#include "mail/smtp.h"

struct mail_imap_conf {
	const char *url; /* imap://host:port/INBOX or imaps://...; the
			    path is the mailbox (default INBOX) */
	const char *user;
	const char *password;
	enum mail_tls tls;   /* STARTTLS on imap:// */
	bool insecure;	     /* do not verify the certificate (tests) */
	const char *ca_file; /* extra CA bundle, or NULL */
	long timeout;	     /* per read/write and connect, seconds; 0 = 60 */
	size_t max_messages; /* at most this many per call; 0 = no limit */
	bool check_only;     /* EXAMINE the mailbox and log out */
	struct mail_dialogue *dialogue; /* the server's replies, or NULL */
};

/* Called with one raw message (borrowed, valid during the call). Return
 * AY_OK only after the message is committed: only then is it marked
 * \Seen. */
typedef ay_rc (*mail_imap_cb)(void *arg, const char *raw, size_t len);

/* For each unseen message of the mailbox (UID SEARCH UNSEEN), in UID
 * order: UID FETCH BODY.PEEK[], call cb, and if it returns AY_OK, UID
 * STORE +FLAGS (\Seen). Stops at the first callback error and returns it,
 * leaving that message and the rest unseen. Messages over MAIL_MAX_RAW are
 * skipped (left unseen, counted in *skipped). *fetched (may be NULL)
 * counts messages passed to cb successfully. AY_EIO for connection,
 * login or protocol failures, with a reason in err. */
ay_rc mail_imap_fetch(const struct mail_imap_conf *c, mail_imap_cb cb,
		      void *arg, size_t *fetched, size_t *skipped, char *err,
		      size_t errlen) AY_MUST_CHECK;

/* Log in and EXAMINE the mailbox (read-only: nothing is marked), then
 * LOG OUT: whether fetching would work. AY_EIO with a reason in err. */
ay_rc mail_imap_check(const struct mail_imap_conf *c, char *err,
		      size_t errlen) AY_MUST_CHECK;

#endif
