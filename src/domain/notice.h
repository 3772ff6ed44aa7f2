/* Notifications: the text of every outbox row, in its reader's language
 * (es, en: gettext catalogs in po/). The outbox worker (jobs/outbox.c)
 * sends what notice_render() writes; the admin console previews the same
 * rendering from a real ticket (domain/mail_admin.h). */
#ifndef AY_DOMAIN_NOTICE_H
#define AY_DOMAIN_NOTICE_H

#include <jansson.h>

#include "store/db.h"
#include "util/buf.h"
#include "util/config.h"

/* Render one outbox row (kind, payload) for a ticket into subject and
 * text in lang: the values already looked up. Exposed for tests. */
struct outbox_view {
	const char *kind, *lang, *name, *subject, *level, *due, *body;
	const char *base_url, *tag;
	const char *review;	  /* payload's review_due_at, formatted */
	const char *out_of_scope; /* [tickets] out_of_scope_<lang> */
	int reopen_days;	  /* [tickets] reopen_days; 0: 30 */
	int64_t number;
	json_t *payload;
};
ay_rc outbox_render(const struct outbox_view *v, struct buf *subject,
		    struct buf *text) AY_MUST_CHECK;

/* The ticket a notification is about and its reader. */
struct notice_ticket {
	int64_t number; /* 0: mail about an account, no ticket */
	char subject[800], requester[256], name[256], lang[8], level[80];
	char tz[64];	    /* the reader's zone, or "" for the calendar's */
	char last_in[512];  /* the newest Message-ID we received */
	char refs[20][512]; /* the thread's Message-IDs, oldest first */
	int nrefs;
};

/* Load the ticket of id tid (0: none) and its reader into *t: the
 * recipient's name, language and zone when they are a user (else, with
 * recipient NULL, the requester's); a payload's "lang" and "name" stand
 * for an address that is no user yet (account mail). */
ay_rc notice_ticket_load(struct db *db, int64_t tid, const char *recipient,
			 json_t *payload,
			 struct notice_ticket *t) AY_MUST_CHECK;

/* Subject (one line), text and its HTML alternative of a notification of
 * kind about ticket tid for t's reader; body is an agent's answer (or
 * NULL). payload may gain the knowledge-base articles of an
 * acknowledgement. AY_EINVAL for a kind that cannot be rendered. */
ay_rc notice_render(struct db *db, const struct ay_config *cfg,
		    const char *kind, int64_t tid, json_t *payload,
		    const struct notice_ticket *t, const char *body,
		    struct buf *subject, struct buf *text,
		    struct buf *html) AY_MUST_CHECK;

/* The text of message mid. *out: owned by the caller, free(); NULL when
 * there is no such message. */
ay_rc notice_message_body(struct db *db, int64_t mid, char **out) AY_MUST_CHECK;

#endif
