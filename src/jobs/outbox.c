/* Outbox worker: claims notification rows, composes the mail that
 * domain/notice.c renders and sends it. */
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "domain/mailin.h"
#include "domain/notice.h"
#include "domain/ticket.h"
#include "jobs/outbox.h"
#include "jobs/scheduler.h"
#include "mail/compose.h"
#include "mail/smtp.h"
#include "mail/verp.h"
#include "store/blobs.h"
#include "util/i18n.h"
#include "util/jobstat.h"
#include "util/log.h"
#include "util/str.h"

#define CLAIM_MAX    20
#define MAX_ATTEMPTS 8
/* A claim is a lease: rows claimed and never recorded (a failed write, a
 * crash, a stuck worker) go back to the queue when it ends. A worker
 * starts no new send in the last SEND_MAX seconds of its lease (the SMTP
 * time-out, with room), so a row is not sent twice while it still holds
 * it. Each claim names its server (claimed_by): several servers share one
 * outbox, each takes only rows free or whose lease ended, and a restarted
 * server frees its own claims at once, never another's (docs/scaling.md).
 * In a test build AYUDA_TEST_LEASE shortens the lease (SEND_MAX keeps its
 * share of it). */
#define CLAIM_LEASE (15 * 60)
#define SEND_MAX    (6 * 60)

/* --- sending --- */

struct row {
	int64_t id, ticket_id, attempts;
	char kind[40];
	char *recipient, *payload;
};

struct claim {
	struct row rows[CLAIM_MAX];
	int n;
	int next;		  /* the first row not sent yet */
	int64_t at;		  /* when the lease began */
	int64_t lease, send_max;  /* seconds */
	char holder[200];	  /* this server (jobs_holder) */
	struct mail_verp_key key; /* for the return paths */
	bool no_key;
};

/* Forget the claimed rows (their copies, not the claims). */
static void claim_clear(struct claim *c)
{
	for (int i = 0; i < c->n; i++) {
		free(c->rows[i].recipient);
		free(c->rows[i].payload);
	}
	c->n = 0;
}

/* Read the due rows: pending and due, or claimed under a lease that
 * ended (its server died or stalled). */
static ay_rc claim_read(struct db *db, struct claim *c)
{
	struct db_stmt *s = NULL;
	struct buf sql;
	bool row = false;
	ay_rc rc;

	buf_init(&sql, 0);
	rc = buf_addf(&sql,
		      "SELECT id, COALESCE(ticket_id, 0), kind, recipient,"
		      " payload, attempts FROM outbox WHERE (state ="
		      " 'pending' AND next_attempt_at <= $1) OR (state ="
		      " 'sending' AND COALESCE(claimed_until, 0) < $1) ORDER"
		      " BY id LIMIT $2%s",
		      db_skip_locked(db));
	if (!rc)
		rc = db_run(db, &s, &row, buf_str(&sql), "ii", c->at,
			    (int64_t)CLAIM_MAX);
	while (!rc && row && c->n < CLAIM_MAX) {
		struct row *r = &c->rows[c->n++];
		const char *rcpt = db_col_text(s, 3);

		r->id = db_col_int(s, 0);
		r->ticket_id = db_col_int(s, 1);
		snprintf(r->kind, sizeof(r->kind), "%s", db_col_text(s, 2));
		r->recipient = rcpt ? strdup(rcpt) : NULL;
		r->payload = strdup(db_col_text(s, 4));
		r->attempts = db_col_int(s, 5);
		rc = db_step(s, &row);
	}
	db_reset(s);
	buf_release(&sql);
	return rc;
}

/* Claim the rows read: each UPDATE takes its row only if it is still free
 * (another server may have claimed it since the read, on an engine where
 * reads do not wait), and a row another server took is dropped here. */
static ay_rc claim_run(struct db *db, void *arg)
{
	struct claim *c = arg;
	ay_rc rc;
	int kept = 0;

	claim_clear(c); /* a job run again after a busy store */
	c->at = ay_now();
	rc = claim_read(db, c);
	for (int i = 0; !rc && i < c->n; i++) {
		struct row *r = &c->rows[i];

		rc = db_run(db, NULL, NULL,
			    "UPDATE outbox SET state = 'sending', claimed_until"
			    " = $2, claimed_by = $3 WHERE id = $1 AND ((state ="
			    " 'pending' AND next_attempt_at <= $4) OR (state ="
			    " 'sending' AND COALESCE(claimed_until, 0) < $4))",
			    "iisi", r->id, c->at + c->lease, c->holder, c->at);
		if (!rc && db_changes(db) == 1) {
			c->rows[kept++] = *r;
			continue;
		}
		free(r->recipient);
		free(r->payload);
		jobstat_add(JOBSTAT_OUTBOX_LOST, 1);
	}
	c->n = kept;
	return rc;
}

/* Give back the claimed rows from c->next on, not sent by this run. */
static ay_rc release_run(struct db *db, void *arg)
{
	struct claim *c = arg;
	ay_rc rc = AY_OK;

	for (int i = c->next; !rc && i < c->n; i++)
		rc = db_run(db, NULL, NULL,
			    "UPDATE outbox SET state = 'pending', claimed_until"
			    " = NULL, claimed_by = NULL WHERE id = $1 AND state"
			    " = 'sending' AND claimed_by = $2",
			    "is", c->rows[i].id, c->holder);
	return rc;
}

#define MAIL_FILES_MAX 20

/* The files of an answer, read from the blob store, to go with its mail
 * (at most max bytes in all; the rest stays in the ticket). */
struct files {
	struct mail_out_att att[MAIL_FILES_MAX];
	char names[MAIL_FILES_MAX][256], types[MAIL_FILES_MAX][128];
	struct buf data[MAIL_FILES_MAX];
	size_t n;
};

static void files_release(struct files *f)
{
	for (size_t i = 0; i < f->n; i++)
		buf_release(&f->data[i]);
	f->n = 0;
}

static ay_rc load_files(struct store *st, struct db *db,
			const struct ay_config *cfg, int64_t mid, size_t max,
			struct files *f)
{
	struct db_stmt *s = NULL;
	size_t total = 0;
	bool row = false;
	ay_rc rc;

	rc = db_run(db, &s, &row,
		    "SELECT filename, content_type, size, sha256 FROM"
		    " attachments WHERE message_id = $1 AND is_inline = 0"
		    " ORDER BY id",
		    "i", mid);
	while (!rc && row && f->n < MAIL_FILES_MAX) {
		size_t size = (size_t)db_col_int(s, 2), i = f->n;
		bool found;

		if (total + size > max) {
			rc = db_step(s, &row);
			continue;
		}
		buf_init(&f->data[i], size + 1);
		rc = store_blob_read(st, cfg, "attachments", db_col_text(s, 3),
				     &f->data[i]);
		found = !rc;
		if (rc == AY_ENOTFOUND)
			rc = AY_OK; /* a file gone: the mail leaves without */
		if (!rc && found) {
			const char *nm = db_col_text(s, 0);

			/* Names stored before they were cleaned on the way
			 * in must not make the mail unsendable. */
			ay_filename_clean(nm, strlen(nm), "adjunto",
					  f->names[i], sizeof(f->names[i]));
			snprintf(f->types[i], sizeof(f->types[i]), "%s",
				 db_col_text(s, 1));
			f->att[i] = (struct mail_out_att){
				.filename = f->names[i],
				.content_type = f->types[i],
				.data = f->data[i].ptr ? f->data[i].ptr : "",
				.len = f->data[i].len};
			f->n++;
			total += size;
		} else {
			buf_release(&f->data[i]);
		}
		if (!rc)
			rc = db_step(s, &row);
	}
	db_reset(s);
	return rc;
}

struct sent {
	struct row *r;
	ay_rc rc;
	char err[256];
	char msgid[300];
};

static ay_rc record_run(struct db *db, void *arg)
{
	struct sent *x = arg;
	int64_t now = ay_now();
	ay_rc rc;

	if (!x->rc) {
		rc = db_run(db, NULL, NULL,
			    "UPDATE outbox SET state = 'sent', sent_at = $1,"
			    " mail_message_id = $2, attempts = attempts + 1"
			    " WHERE id = $3",
			    "isi", now, x->msgid, x->r->id);
		if (!rc)
			rc = outbox_forget_secrets(db, x->r->id);
		if (!rc && x->r->ticket_id)
			rc = db_run(
				db, NULL, NULL,
				"INSERT INTO mail_ids (message_id,"
				" ticket_id, direction, created_at) VALUES"
				" ($1, $2, 'out', $3) ON CONFLICT DO NOTHING",
				"sii", x->msgid, x->r->ticket_id, now);
		return rc;
	}
	if (x->rc == AY_EIO && x->r->attempts + 1 < MAX_ATTEMPTS) {
		int64_t delay = (int64_t)60
				<< (x->r->attempts < 8 ? x->r->attempts : 8);

		return db_run(db, NULL, NULL,
			      "UPDATE outbox SET state = 'pending', attempts ="
			      " attempts + 1, next_attempt_at = $1, last_error"
			      " = $2 WHERE id = $3",
			      "isi", now + delay, x->err, x->r->id);
	}
	rc = db_run(db, NULL, NULL,
		    "UPDATE outbox SET state = 'failed', attempts = attempts +"
		    " 1, last_error = $1 WHERE id = $2",
		    "si", x->err, x->r->id);
	if (!rc)
		rc = outbox_forget_secrets(db, x->r->id);
	if (!rc && x->r->ticket_id)
		rc = ticket_mail_failed(db, x->r->ticket_id, x->r->kind,
					x->r->recipient, x->err, now);
	return rc;
}

/* Automatic notices (not an agent's answer) carry Auto-Submitted. */
static bool automatic(const char *kind)
{
	return strcmp(kind, "agent_reply") != 0;
}

/* The mail of row r to rcpt, in the thread of t, into out. */
static ay_rc row_compose(const struct ay_config *cfg, const struct row *r,
			 const struct notice_ticket *t, const char *rcpt,
			 const char *msgid, const struct files *files,
			 struct buf *subject, struct buf *text,
			 struct buf *html, struct buf *out)
{
	const char *refs[AY_ARRAY_LEN(t->refs)];
	struct mail_out m = {
		.from = cfg->support_address,
		.from_name = i18n(t->lang, "Soporte"),
		.to = rcpt,
		.subject = buf_str(subject),
		.message_id = msgid,
		.in_reply_to = t->last_in[0] ? t->last_in
					     : (t->nrefs ? t->refs[t->nrefs - 1]
							 : NULL),
		.references = refs,
		.nrefs = (size_t)t->nrefs,
		.text = buf_str(text),
		.html = buf_str(html),
		.att = files->att,
		.natt = files->n,
		.automatic = automatic(r->kind),
		.loop_token = mailin_loop_token(cfg),
		.lang = t->lang};

	for (int i = 0; i < t->nrefs; i++)
		refs[i] = t->refs[i];
	return mail_compose(&m, out);
}

/* Send out to rcpt from the message's own return path, so that only a
 * real bounce of this mail is believed (mail/verp.h). */
static ay_rc row_send(const struct ay_config *cfg,
		      const struct mail_verp_key *key, const char *msgid,
		      const char *rcpt, const struct buf *out, struct sent *x)
{
	struct mail_smtp_conf sc = {
		.url = cfg->smtp_url,
		.user = cfg->smtp_user[0] ? cfg->smtp_user : NULL,
		.password = cfg->smtp_password,
		.tls = cfg->smtp_starttls ? MAIL_TLS_TRY : MAIL_TLS_NONE};
	char rpath[600];

	if (!key || mail_verp_return_path(key, cfg->support_address, msgid,
					  rpath, sizeof(rpath)))
		snprintf(rpath, sizeof(rpath), "%s", cfg->support_address);
	snprintf(x->msgid, sizeof(x->msgid), "%s", msgid);
	return mail_smtp_send(&sc, rpath, &rcpt, 1, out->ptr, out->len, x->err,
			      sizeof(x->err));
}

static void send_row(struct store *st, const struct ay_config *cfg,
		     const struct mail_verp_key *key, struct row *r,
		     struct sent *x)
{
	struct notice_ticket *t = calloc(1, sizeof(*t));
	struct files *files = calloc(1, sizeof(*files));
	struct buf subject, text, html, out;
	char *msgid = NULL, *body = NULL;
	int64_t message;
	bool reply;
	const char *rcpt;
	struct db *db;
	json_t *payload = json_loads(r->payload, 0, NULL);

	buf_init(&subject, 0);
	buf_init(&text, 0);
	buf_init(&html, 0);
	buf_init(&out, 0);
	x->r = r;
	x->rc = t && files && payload ? store_reader(st, &db) : AY_ENOMEM;
	if (!x->rc)
		x->rc = notice_ticket_load(db, r->ticket_id, r->recipient,
					   payload, t);
	rcpt = r->recipient && *r->recipient ? r->recipient
	       : t			     ? t->requester
					     : "";
	if (!x->rc && (!rcpt || !*rcpt)) {
		snprintf(x->err, sizeof(x->err), "no recipient");
		x->rc = AY_EINVAL;
	}
	/* An agent's answer carries its text and files. */
	reply = !strcmp(r->kind, "agent_reply");
	message = json_integer_value(json_object_get(payload, "message"));
	if (!x->rc && reply)
		x->rc = notice_message_body(db, message, &body);
	if (!x->rc && reply)
		x->rc = load_files(st, db, cfg, message,
				   cfg->max_message_attachments, files);
	if (!x->rc)
		x->rc = notice_render(db, cfg, r->kind, r->ticket_id, payload,
				      t, body, &subject, &text, &html);
	msgid = mail_new_message_id(cfg->mail_domain);
	if (!x->rc && !msgid)
		x->rc = AY_ENOMEM;
	if (!x->rc)
		x->rc = row_compose(cfg, r, t, rcpt, msgid, files, &subject,
				    &text, &html, &out);
	if (!x->rc)
		x->rc = row_send(cfg, key, msgid, rcpt, &out, x);
	if (x->rc && !x->err[0])
		snprintf(x->err, sizeof(x->err), "%s", ay_rc_str(x->rc));
	if (x->rc && x->rc != AY_EIO && x->rc != AY_EINVAL)
		x->rc = AY_EIO;
	free(msgid);
	free(body);
	free(t);
	if (files)
		files_release(files);
	free(files);
	json_decref(payload);
	buf_release(&subject);
	buf_release(&text);
	buf_release(&html);
	buf_release(&out);
}

ay_rc outbox_send_due(struct store *st, const struct ay_config *cfg, int *sent)
{
	struct claim *c;
	ay_rc rc;

	*sent = 0;
	if (!cfg->smtp_url[0])
		return AY_OK; /* mail not configured: rows wait */
	c = calloc(1, sizeof(*c));
	if (!c)
		return AY_ENOMEM;
	if (mail_verp_key_load(cfg->data_dir, true, &c->key)) {
		log_warn("no DATA/mail.key: mail leaves without its own return "
			 "path, and its bounces are not believed",
			 "dir=\"%s\"", cfg->data_dir);
		c->no_key = true;
	}
	jobs_holder(cfg, c->holder, sizeof(c->holder));
	c->lease = jobs_lease(CLAIM_LEASE);
	c->send_max = c->lease * SEND_MAX / CLAIM_LEASE;
	rc = store_write(st, claim_run, c);
	if (rc)
		claim_clear(c); /* rolled back: nothing is ours */
	for (; !rc && c->next < c->n; c->next++) {
		struct sent x = {0};
		int i = c->next;

		if (ay_now() > c->at + c->lease - c->send_max)
			break; /* the lease is ending: leave the rest */
		jobstat_add(JOBSTAT_OUTBOX_SENDING, 1);
		send_row(st, cfg, c->no_key ? NULL : &c->key, &c->rows[i], &x);
		jobstat_add(JOBSTAT_OUTBOX_SENDING, -1);
		rc = store_write(st, record_run, &x);
		if (!x.rc) {
			(*sent)++;
			jobstat_add(JOBSTAT_OUTBOX_SENT, 1);
		} else
			log_warn("mail not sent",
				 "outbox=%lld kind=%s err=\"%s\"",
				 (long long)c->rows[i].id, c->rows[i].kind,
				 x.err);
	}
	/* When recording a sent row failed, that row keeps its lease (its
	 * mail went out; it is sent again only if the lease ends). */
	if (c->next < c->n && store_write(st, release_run, c))
		log_warn("outbox claims not released; they expire", "rows=%d",
			 c->n - c->next);
	claim_clear(c);
	sodium_memzero(&c->key, sizeof(c->key));
	free(c);
	return rc;
}

/* Free the claims of this server's past life (it holds none yet) and of
 * servers whose lease ended; a live server's claims stay its own. Claims
 * from before claimed_by existed have none and are freed too. */
static ay_rc recover_run(struct db *db, void *arg)
{
	const char *holder = arg;

	return db_run(db, NULL, NULL,
		      "UPDATE outbox SET state = 'pending', claimed_until ="
		      " NULL, claimed_by = NULL WHERE state = 'sending' AND"
		      " (claimed_by IS NULL OR claimed_by = $1 OR"
		      " COALESCE(claimed_until, 0) < $2)",
		      "si", holder, ay_now());
}

ay_rc outbox_recover(struct store *st, const struct ay_config *cfg)
{
	char holder[200];

	jobs_holder(cfg, holder, sizeof(holder));
	return store_write(st, recover_run, holder);
}

void sched_outbox_task(struct store *st, const struct ay_config *cfg, void *arg)
{
	int sent = 0;

	(void)arg;
	if (outbox_send_due(st, cfg, &sent))
		log_error("outbox failed", "%s", "");
	else if (sent)
		log_info("outbox", "sent=%d", sent);
}
