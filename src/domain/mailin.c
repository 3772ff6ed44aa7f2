/* Inbound mail: identify, thread, store, acknowledge. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "domain/attach_policy.h"
#include "domain/environment.h"
#include "domain/sla.h"
#include "domain/mailin.h"
#include "domain/ticket.h"
#include "domain/user.h"
#include "mail/attach.h"
#include "mail/parse.h"
#include "mail/verp.h"
#include "store/blobs.h"
#include "util/blob.h"
#include "util/buf.h"
#include "util/hash.h"
#include "util/log.h"

/* A stored file that goes into the blobs table with the delivery
 * (store_blob_inline). */
struct inline_blob {
	const void *data;
	size_t len;
	const char *hex;
};

struct job {
	const struct ay_config *cfg;
	struct mail_msg *m;
	const char *raw_sha;
	const char *html_sha;
	char **att_sha; /* per attachment, NULL when rejected */
	char **att_why; /* per attachment, the reason when rejected */
	struct mailin_result *res;
	bool refused; /* a validation failure: never acceptable (exit 65) */
	const struct mail_verp_key *key; /* bounces: our return paths' key */
	struct mail_verp_key verp_key;
	char raw_hex[65], html_hex[65];
	struct inline_blob *inl; /* natt + 2 of them */
	size_t ninl;
	bool files; /* some went to files: blob_sync before the commit */
};

/* Addresses one mail may add to a ticket's conversation; the rest are
 * noted on the ticket for the staff. */
#define MAIL_PARTICIPANTS_MAX 50

const char *mailin_loop_token(const struct ay_config *cfg)
{
	return cfg->support_address;
}

/* The system acting on behalf of mail: sees every ticket. */
static const struct actor mail_actor = {.role = ROLE_ADMIN};

static bool addr_eq(const char *a, const char *b)
{
	return a && b && !strcasecmp(a, b);
}

/* Find a ticket by any Message-ID we stored or sent. */
static ay_rc thread_by_ids(struct db *db, const struct mail_msg *m,
			   int64_t *tid)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc = AY_OK;

	*tid = 0;
	/* The direct parent first, then the references, newest first. */
	for (long i = -1; !rc && !*tid && i < (long)m->nrefs; i++) {
		const char *id =
			i < 0 ? m->in_reply_to
			      : m->references[m->nrefs - 1 - (size_t)i];

		if (!id)
			continue;
		rc = db_run(
			db, &s, &row,
			"SELECT ticket_id FROM mail_ids WHERE message_id = $1"
			" UNION ALL SELECT ticket_id FROM messages WHERE"
			" mail_message_id = $1 LIMIT 1",
			"s", id);
		if (!rc && row)
			*tid = db_col_int(s, 0);
		db_reset(s);
	}
	return rc;
}

/* [Tag#N] in the subject, where Tag is the configured word. */
static int64_t number_from_subject(const char *subject, const char *tag)
{
	size_t tl = strlen(tag);

	for (const char *p = subject; (p = strchr(p, '[')); p++) {
		const char *q = p + 1;
		int64_t n = 0;
		int digits = 0;

		if (strncasecmp(q, tag, tl) || q[tl] != '#')
			continue;
		q += tl + 1;
		while (isdigit((unsigned char)*q) && digits < 15) {
			n = n * 10 + (*q++ - '0');
			digits++;
		}
		if (digits && *q == ']')
			return n;
	}
	return 0;
}

/* The subject without reply prefixes ("Re:", "RV:", "Fwd:", ...) and
 * without our [Tag#N], for a ticket that continues a closed one. */
static void subject_without_tag(const char *subject, const char *tag, char *out,
				size_t outlen)
{
	static const char *const prefixes[] = {
		"re:", "rv:", "fw:", "fwd:", "aw:", "sv:", "res:"};
	const char *p = subject;
	size_t tl = strlen(tag), n = 0;

	for (bool again = true; again;) {
		again = false;
		p += strspn(p, " \t");
		for (size_t i = 0; i < AY_ARRAY_LEN(prefixes); i++) {
			size_t pl = strlen(prefixes[i]);

			if (!strncasecmp(p, prefixes[i], pl)) {
				p += pl;
				again = true;
			}
		}
		if (*p == '[' && !strncasecmp(p + 1, tag, tl) &&
		    p[1 + tl] == '#') {
			const char *q = p + 2 + tl;

			q += strspn(q, "0123456789");
			if (*q == ']') {
				p = q + 1;
				again = true;
			}
		}
	}
	n = strlen(p);
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	snprintf(out, outlen, "%.*s", (int)n, p);
}

/* May the sender write on ticket tid? The requester, the company's
 * support contacts, staff, or an address already in the conversation. */
static ay_rc may_write(struct db *db, int64_t tid, int64_t uid,
		       const char *addr, bool *ok)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	rc = db_run(db, &s, &row,
		    "SELECT 1 FROM tickets t, users u WHERE t.id = $1 AND"
		    " u.id = $2 AND u.disabled = 0 AND (t.requester_id = u.id"
		    " OR u.role <> 'customer' OR (u.is_contact = 1 AND"
		    " t.company_id = u.company_id))"
		    " UNION ALL SELECT 1 FROM mail_participants WHERE"
		    " ticket_id = $1 AND address = $3 LIMIT 1",
		    "iis", tid, uid, addr);
	*ok = !rc && row;
	db_reset(s);
	return rc;
}

/* Requester of mail whose From cannot be parsed as an address. */
#define NOBODY_ADDR "remitente-desconocido@invalid.example"

/* The sender as a user: found by address, or created as an unregistered
 * customer (no password) so the ticket has a requester. */
static ay_rc sender_user(struct db *db, const struct mail_msg *m, int64_t *uid,
			 bool *known, bool *nobody)
{
	struct user_new u = {.email = m->from_addr, .role = "customer"};
	char name[200];
	struct verr e;
	json_t *o = NULL;
	ay_rc rc;

	rc = user_find_email(db, m->from_addr, uid);
	*known = !rc;
	if (rc != AY_ENOTFOUND)
		return rc;
	if (m->from_name && *m->from_name)
		snprintf(name, sizeof(name), "%s", m->from_name);
	else
		snprintf(name, sizeof(name), "%.*s",
			 (int)strcspn(m->from_addr, "@"), m->from_addr);
	u.name = name;
	rc = user_add(db, 0, &u, &o, &e);
	if (rc == AY_EINVAL) {
		/* A From that is no address at all (spaces, quotes, no
		 * domain): the ticket goes to a shared "unknown sender"
		 * requester; the raw message keeps the original. */
		*nobody = true;
		u.email = NOBODY_ADDR;
		u.name = "Remitente desconocido";
		rc = user_find_email(db, u.email, uid);
		if (rc != AY_ENOTFOUND)
			return rc;
		rc = user_add(db, 0, &u, &o, &e);
	}
	if (rc)
		return rc;
	*uid = json_integer_value(json_object_get(o, "id"));
	json_decref(o);
	return AY_OK;
}

static ay_rc remember_id(struct db *db, const char *id, int64_t tid)
{
	if (!id)
		return AY_OK;
	return db_run(db, NULL, NULL,
		      "INSERT INTO mail_ids (message_id, ticket_id, direction,"
		      " created_at) VALUES ($1, $2, 'in', $3)"
		      " ON CONFLICT (message_id) DO NOTHING",
		      "sii", id, tid, ay_now());
}

/* The note listing the addresses of a mail left out of the
 * conversation (staff only: they are other people's addresses). */
static ay_rc note_left_out(struct db *db, const struct job *j, int64_t tid,
			   size_t from)
{
	const struct mail_msg *m = j->m;
	size_t total = m->nto + m->ncc + 1;
	struct buf b;
	ay_rc rc;

	buf_init(&b, 8192);
	rc = buf_addf(&b,
		      "Este correo nombraba %zu direcciones más de las %d "
		      "que se aceptan como participantes de un correo; no "
		      "podrán escribir en el ticket:",
		      total - from, MAIL_PARTICIPANTS_MAX);
	for (size_t i = from; !rc && i < total && b.len < 4000; i++) {
		const char *a =
			i <= m->nto ? m->to[i - 1] : m->cc[i - 1 - m->nto];

		rc = buf_addf(&b, "%s%s", i == from ? " " : ", ", a ? a : "");
	}
	if (!rc && b.len >= 4000)
		rc = buf_adds(&b, "…");
	if (!rc)
		rc = db_run(db, NULL, NULL,
			    "INSERT INTO messages (ticket_id, kind, body,"
			    " channel, created_at) VALUES ($1, 'note', $2,"
			    " 'mail', $3)",
			    "isi", tid, buf_str(&b), ay_now());
	buf_release(&b);
	return rc;
}

/* The sender and the To/Cc addresses may write on the ticket from now on;
 * at most MAIL_PARTICIPANTS_MAX of them from one mail. */
static ay_rc add_participants(struct db *db, const struct job *j, int64_t tid)
{
	const struct mail_msg *m = j->m;
	size_t total = m->nto + m->ncc + 1, taken = 0;
	ay_rc rc = AY_OK;

	for (size_t i = 0; !rc && i < total; i++) {
		const char *a = i == 0	      ? m->from_addr
				: i <= m->nto ? m->to[i - 1]
					      : m->cc[i - 1 - m->nto];

		if (!a || !*a || addr_eq(a, j->cfg->support_address))
			continue;
		if (taken == MAIL_PARTICIPANTS_MAX)
			return note_left_out(db, j, tid, i);
		rc = db_run(db, NULL, NULL,
			    "INSERT INTO mail_participants (ticket_id, address)"
			    " VALUES ($1, lower($2)) ON CONFLICT DO NOTHING",
			    "is", tid, a);
		taken++;
	}
	return rc;
}

/* Is the sender an identified customer (or staff): an account with a
 * verified address or a company, rather than an address first seen in a
 * mail? */
static ay_rc identified(struct db *db, int64_t uid, bool *yes)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	rc = db_run(db, &s, &row,
		    "SELECT 1 FROM users WHERE id = $1 AND (verified_at IS NOT"
		    " NULL OR company_id IS NOT NULL OR role <> 'customer')",
		    "i", uid);
	*yes = !rc && row;
	db_reset(s);
	return rc;
}

/* Automatic answers: never to auto-submitted mail; identified customers
 * always, up to a loop breaker of AY_ACKS_PER_HOUR_IDENTIFIED (the ticket
 * code keeps comment notices to one per ticket in comment_notice_minutes);
 * anyone else at most autoreply_per_hour per address, which also stops
 * loops. Records the answer when it is allowed. */
#define AY_ACKS_PER_HOUR_IDENTIFIED 60

static ay_rc may_autoreply(struct db *db, const struct job *j, bool known,
			   bool *ok)
{
	struct db_stmt *s = NULL;
	int64_t now = ay_now();
	/* Identified customers: a loop breaker far above any person's pace
	 * (an autoresponder that hides what it is, answering each notice
	 * with a new mail). */
	int64_t cap = known ? AY_ACKS_PER_HOUR_IDENTIFIED
			    : j->cfg->autoreply_per_hour;
	bool row = false;
	ay_rc rc;

	*ok = false;
	if (j->m->auto_submitted || j->m->is_bounce || j->m->null_sender ||
	    !j->m->from_addr)
		return AY_OK;
	rc = db_run(db, &s, &row,
		    "SELECT COUNT(*) FROM autoreplies WHERE address = lower($1)"
		    " AND sent_at > $2",
		    "si", j->m->from_addr, now - 3600);
	if (rc)
		return rc;
	*ok = row && db_col_int(s, 0) < cap;
	db_reset(s);
	if (!*ok)
		return AY_OK;
	return db_run(db, NULL, NULL,
		      "INSERT INTO autoreplies (address, sent_at)"
		      " VALUES (lower($1), $2)",
		      "si", j->m->from_addr, now);
}

/* info.php output attached to a mail (policy 7.12: the server's
 * configuration) becomes the ticket's server information, for staff, even
 * when the attachment policy refuses its type (an HTML page). *taken tells
 * whether it was phpinfo() output. */
static ay_rc server_info_attachment(struct db *db, int64_t tid,
				    const struct mail_attachment *a,
				    bool *taken)
{
	struct verr err = {0};
	ay_rc rc;

	*taken = false;
	if (!a->data || a->len > AY_SERVER_INFO_MAX || !a->sniffed_type ||
	    strncmp(a->sniffed_type, "text/", 5) ||
	    strlen((const char *)a->data) != a->len ||
	    !ay_utf8_valid((const char *)a->data, a->len))
		return AY_OK;
	rc = env_store(db, tid, NULL, (const char *)a->data, &err);
	if (rc == AY_EINVAL || rc == AY_ETOOBIG)
		return AY_OK;
	*taken = !rc;
	return rc ? rc : event_add(db, tid, 0, "ticket.server_info", NULL);
}

static ay_rc store_attachments(struct db *db, const struct job *j, int64_t tid,
			       int64_t mid, bool answer)
{
	const struct mail_msg *m = j->m;
	ay_rc rc = AY_OK;

	for (size_t i = 0; !rc && i < m->natt; i++) {
		const struct mail_attachment *a = &m->att[i];
		json_t *p;
		char note[600];
		bool info;

		rc = server_info_attachment(db, tid, a, &info);
		if (rc)
			break;
		if (info && !j->att_sha[i])
			continue;
		if (j->att_sha[i]) {
			rc = db_run(
				db, NULL, NULL,
				"INSERT INTO attachments (message_id,"
				" ticket_id, filename, content_type, size,"
				" sha256, content_id, is_inline, created_at)"
				" VALUES ($1, $2, $3, $4, $5, $6, $7, $8,"
				" $9)",
				"iississii", mid, tid, a->filename,
				a->sniffed_type ? a->sniffed_type
						: "application/octet-stream",
				(int64_t)a->len, j->att_sha[i], a->content_id,
				(int64_t)a->is_inline, ay_now());
			continue;
		}
		snprintf(note, sizeof(note),
			 "Adjunto rechazado: %s. No se ha guardado.",
			 j->att_why[i]);
		rc = db_run(db, NULL, NULL,
			    "INSERT INTO messages (ticket_id, kind, body,"
			    " channel, created_at) VALUES ($1, 'system', $2,"
			    " 'mail', $3)",
			    "isi", tid, note, ay_now());
		if (rc || !answer)
			continue;
		p = json_pack("{s:s,s:s}", "filename", a->filename, "reason",
			      j->att_why[i]);
		if (!p)
			return AY_ENOMEM;
		rc = outbox_add(db, "attachment_rejected", tid, m->from_addr,
				p);
		json_decref(p);
	}
	return rc;
}

/* Did the bounce come back to the return path of the mail it names? Its
 * token is in the envelope recipient, which MTAs record in Delivered-To
 * or X-Original-To and usually put in the DSN's To. */
static bool bounce_token_ok(const struct job *j)
{
	const struct mail_msg *m = j->m;

	if (!j->key || !m->bounce_of)
		return false;
	if (mail_verp_match(j->key, m->bounce_of, m->delivered_to) ||
	    mail_verp_match(j->key, m->bounce_of, m->to_header) ||
	    mail_verp_match(j->key, m->bounce_of, m->cc_header))
		return true;
	for (size_t i = 0; i < m->nto; i++)
		if (mail_verp_match(j->key, m->bounce_of, m->to[i]))
			return true;
	return false;
}

static void bounce_ignored(struct job *j, const char *why)
{
	snprintf(j->res->action, sizeof(j->res->action), "ignored");
	snprintf(j->res->reason, sizeof(j->res->reason), "%s", why);
}

/* A bounce of a mail we sent, come back to that mail's own return path,
 * becomes an internal note on its ticket (staff only: its text is the
 * remote server's). Any other "bounce" is ignored: a forged one names
 * one of our Message-IDs but cannot know its return path. */
static ay_rc bounce_note(struct db *db, struct job *j)
{
	struct db_stmt *s = NULL;
	char body[1200];
	bool row = false;
	int64_t tid = 0;
	ay_rc rc;

	if (j->m->bounce_of) {
		rc = db_run(db, &s, &row,
			    "SELECT ticket_id FROM mail_ids WHERE message_id ="
			    " $1 AND direction = 'out'",
			    "s", j->m->bounce_of);
		if (rc)
			return rc;
		if (row)
			tid = db_col_int(s, 0);
		db_reset(s);
	}
	if (!tid) {
		bounce_ignored(j, "bounce of a message we did not send");
		return AY_OK;
	}
	if (!bounce_token_ok(j)) {
		bounce_ignored(j, "bounce not sent to the return path of the "
				  "message it names");
		return AY_OK;
	}
	snprintf(body, sizeof(body),
		 "Rebote: el correo enviado no pudo entregarse.\n\n%.1000s",
		 j->m->text);
	rc = db_run(db, NULL, NULL,
		    "INSERT INTO messages (ticket_id, kind, body, channel,"
		    " mail_message_id, raw_sha256, created_at) VALUES ($1,"
		    " 'note', $2, 'mail', $3, $4, $5)",
		    "isssi", tid, body, j->m->message_id, j->raw_sha, ay_now());
	if (!rc)
		rc = event_add(db, tid, 0, "mail.bounced", NULL);
	j->res->ticket = tid;
	snprintf(j->res->action, sizeof(j->res->action), "appended");
	snprintf(j->res->reason, sizeof(j->res->reason), "bounce");
	return rc;
}

static ay_rc ticket_number(struct db *db, int64_t tid, int64_t *number)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc = db_run(db, &s, &row,
			  "SELECT number FROM tickets WHERE id = $1", "i", tid);

	if (rc)
		return rc;
	*number = row ? db_col_int(s, 0) : 0;
	db_reset(s);
	return row ? AY_OK : AY_ENOTFOUND;
}

/* Has this mail been stored before, by its Message-ID or, failing that,
 * by the hash of its raw bytes? Then *dup is set and j->res says so. */
static ay_rc find_duplicate(struct db *db, struct job *j, bool *dup)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc = AY_OK;

	*dup = false;
	if (j->m->message_id)
		rc = db_run(db, &s, &row,
			    "SELECT ticket_id FROM mail_ids WHERE message_id ="
			    " $1 UNION ALL SELECT ticket_id FROM messages WHERE"
			    " mail_message_id = $1 LIMIT 1",
			    "s", j->m->message_id);
	if (!rc && !row) {
		db_reset(s);
		rc = db_run(db, &s, &row,
			    "SELECT ticket_id FROM messages WHERE raw_sha256 ="
			    " $1 LIMIT 1",
			    "s", j->raw_sha);
	}
	if (rc || !row)
		return rc;
	j->res->ticket = db_col_int(s, 0);
	db_reset(s);
	*dup = true;
	snprintf(j->res->action, sizeof(j->res->action), "ignored");
	snprintf(j->res->reason, sizeof(j->res->reason), "%s",
		 j->m->message_id ? "duplicate Message-ID"
				  : "duplicate message");
	return ticket_number(db, j->res->ticket, &j->res->ticket);
}

static ay_rc deliver_body(struct db *db, struct job *j, const char *body);

static ay_rc deliver_run(struct db *db, void *arg)
{
	struct job *j = arg;
	struct mail_msg *m = j->m;
	char *body = strdup(*m->text_new ? m->text_new : m->text);
	ay_rc rc;

	if (!body)
		return AY_ENOMEM;
	if (!body[strspn(body, " \t\r\n\f\v")]) {
		/* Nothing but white space: an attachment-only message. */
		free(body);
		body = strdup("(sin texto)");
		if (!body)
			return AY_ENOMEM;
	}
	/* Bodies over the limit are cut at a character boundary; the raw
	 * message keeps everything. */
	if (strlen(body) > AY_BODY_MAX) {
		size_t n = AY_BODY_MAX;

		while (n && ((unsigned char)body[n] & 0xc0) == 0x80)
			n--;
		body[n] = '\0';
	}
	rc = deliver_body(db, j, body);
	free(body);
	/* The small stored files, with the rows that name them (nothing
	 * does when the mail was ignored). */
	if (strcmp(j->res->action, "ignored"))
		for (size_t i = 0; !rc && i < j->ninl; i++)
			rc = store_blob_insert(db, j->inl[i].hex,
					       j->inl[i].data, j->inl[i].len);
	return rc;
}

/* One inbound mail on its way into a ticket. */
struct delivery {
	const char *body; /* the new text */
	const char *full; /* the whole text, when quotes were separated */
	struct actor sender;
	int64_t uid;	     /* the sender */
	int64_t tid, number; /* the ticket it joins or opens */
	int64_t mid;	     /* the message it becomes (0: look it up) */
	int64_t old;	     /* the number of the ticket it continues */
	bool known, nobody;  /* a known sender; one we cannot tell apart */
	bool ok;	     /* the sender may write on tid */
	bool long_ago;	     /* tid was closed long ago: continue it */
	bool ident, answer;  /* an identified sender; answer automatically */
	struct verr e;
};

/* Which ticket the mail belongs to: stored or sent Message-IDs, then the
 * subject tag; a reply only joins a ticket its sender may write on.
 * Someone we cannot tell apart from other unparsable senders joins none.
 * A customer's reply to a ticket closed long ago opens a new one that
 * continues it; a recent one reopens it. */
static ay_rc deliver_thread(struct db *db, struct job *j, struct delivery *d)
{
	struct mail_msg *m = j->m;
	int64_t number;
	ay_rc rc = AY_OK;

	if (!d->nobody)
		rc = thread_by_ids(db, m, &d->tid);
	if (!rc && !d->tid && !d->nobody) {
		number = number_from_subject(m->subject, j->cfg->subject_tag);
		if (number && ticket_lookup(db, &mail_actor, number, &d->tid))
			d->tid = 0;
	}
	if (!rc && d->tid)
		rc = may_write(db, d->tid, d->uid, m->from_addr, &d->ok);
	if (!rc && d->tid && d->ok && !actor_is_staff(&d->sender))
		rc = ticket_closed_long_ago(db, d->tid, j->cfg, &d->long_ago);
	if (!rc && d->long_ago)
		rc = ticket_number(db, d->tid, &d->old);
	if (!rc)
		rc = identified(db, d->uid, &d->ident);
	return rc;
}

/* The mail opens a new ticket (continuing d->tid when long_ago). */
static ay_rc deliver_new_ticket(struct db *db, struct job *j,
				struct delivery *d)
{
	struct mail_msg *m = j->m;
	char clean[600];
	struct ticket_new t = {.subject = m->subject[strspn(m->subject, " \t")]
						  ? m->subject
						  : "(sin asunto)",
			       .body = d->body,
			       .channel = "mail",
			       .mail_message_id = m->message_id,
			       .raw_sha256 = j->raw_sha,
			       .html_sha256 = j->html_sha,
			       .body_full = d->full,
			       .cfg = j->cfg,
			       .quiet = true,
			       .continues_id = d->long_ago ? d->tid : 0};
	ay_rc rc;

	if (d->long_ago) {
		/* "Re: [Ticket#7] Permisos" continues as "Permisos". */
		subject_without_tag(m->subject, j->cfg->subject_tag, clean,
				    sizeof(clean));
		if (*clean)
			t.subject = clean;
	}
	rc = d->nobody ? AY_OK : may_autoreply(db, j, d->ident, &d->answer);
	if (!rc)
		rc = ticket_create(db, &d->sender, &t, &d->number, &d->e);
	if (rc == AY_EINVAL || rc == AY_ETOOBIG) {
		/* Only the subject can fail here: cut it. */
		char subj[600];

		snprintf(subj, sizeof(subj), "%.190s", t.subject);
		while (strlen(subj) && !ay_utf8_valid(subj, strlen(subj)))
			subj[strlen(subj) - 1] = '\0';
		t.subject = *subj ? subj : "(sin asunto)";
		rc = ticket_create(db, &d->sender, &t, &d->number, &d->e);
	}
	if (!rc)
		rc = ticket_lookup(db, &mail_actor, d->number, &d->tid);
	if (!rc && d->answer) {
		json_t *p = json_pack(
			"{s:I,s:b,s:o}", "number", (json_int_t)d->number,
			"registered", d->known, "continues",
			d->old ? json_integer(d->old) : json_null());
		bool other_address = false;

		rc = p ? sla_license_address_missing(db, d->tid, &other_address)
		       : AY_ENOMEM;
		/* Policy 7.15: say why the commercial level was not given. */
		if (!rc && other_address)
			json_object_set_new(p, "license_address", json_false());
		if (!rc)
			rc = outbox_add(db, "ticket_received", d->tid,
					m->from_addr, p);
		json_decref(p);
	}
	snprintf(j->res->action, sizeof(j->res->action), "created");
	if (!d->known)
		snprintf(j->res->reason, sizeof(j->res->reason),
			 "unknown sender");
	return rc;
}

/* The mail becomes a message on ticket d->tid. */
static ay_rc deliver_append(struct db *db, struct job *j, struct delivery *d)
{
	struct mail_msg *m = j->m;
	struct message_new msg = {
		.kind = actor_is_staff(&d->sender) ? "reply" : "customer",
		.body = d->body,
		.channel = "mail",
		.mail_message_id = m->message_id,
		.raw_sha256 = j->raw_sha,
		.html_sha256 = j->html_sha,
		.body_full = d->full,
		.author_id = d->uid,
		.cfg = j->cfg};
	ay_rc rc;

	rc = may_autoreply(db, j, d->ident, &d->answer);
	msg.quiet = !d->answer;
	if (!rc)
		rc = ticket_number(db, d->tid, &d->number);
	if (!rc)
		rc = ticket_add_message(db, &mail_actor, d->number, &msg,
					&d->mid, &d->e);
	snprintf(j->res->action, sizeof(j->res->action), "appended");
	return rc;
}

/* What the stored mail brings along: its Message-ID for threading, its
 * participants, its attachments. */
static ay_rc deliver_rest(struct db *db, struct job *j, struct delivery *d)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	if (!d->mid) {
		rc = db_run(db, &s, &row,
			    "SELECT MAX(id) FROM messages WHERE ticket_id = $1",
			    "i", d->tid);
		if (rc)
			return rc;
		d->mid = row ? db_col_int(s, 0) : 0;
		db_reset(s);
	}
	rc = remember_id(db, j->m->message_id, d->tid);
	if (!rc)
		rc = add_participants(db, j, d->tid);
	if (!rc)
		rc = store_attachments(db, j, d->tid, d->mid, d->answer);
	return rc;
}

static ay_rc deliver_body(struct db *db, struct job *j, const char *body)
{
	struct mail_msg *m = j->m;
	struct delivery d = {.body = body};
	bool dup = false;
	ay_rc rc;

	/* The whole text stays available when quotes were separated. */
	d.full = strcmp(body, m->text) && *m->text ? m->text : NULL;
	/* Stored already: the same Message-ID, or the same bytes (an MTA
	 * retrying after a time-out, a mail without Message-ID). */
	rc = find_duplicate(db, j, &dup);
	if (rc || dup)
		return rc;
	if (m->has_our_loop) {
		snprintf(j->res->action, sizeof(j->res->action), "ignored");
		snprintf(j->res->reason, sizeof(j->res->reason),
			 "our own mail came back (X-Loop)");
		return AY_OK;
	}
	if (m->is_bounce) {
		rc = bounce_note(db, j);
		if (!rc && j->res->ticket)
			rc = ticket_number(db, j->res->ticket, &j->res->ticket);
		return rc;
	}
	rc = sender_user(db, m, &d.uid, &d.known, &d.nobody);
	if (!rc)
		rc = actor_load(db, d.uid, &d.sender);
	if (rc == AY_ENOTFOUND) {
		/* The sender's account is disabled: a retry cannot help. */
		snprintf(j->res->reason, sizeof(j->res->reason),
			 "the sender's account is disabled");
		j->refused = true;
		return AY_EINVAL;
	}
	if (!rc)
		rc = deliver_thread(db, j, &d);
	if (rc)
		return rc;
	if (!d.tid || !d.ok || d.long_ago)
		rc = deliver_new_ticket(db, j, &d);
	else
		rc = deliver_append(db, j, &d);
	if (rc == AY_EINVAL || rc == AY_ETOOBIG) {
		snprintf(j->res->reason, sizeof(j->res->reason), "%s: %.200s",
			 d.e.field[0] ? d.e.field : "message",
			 d.e.msg[0] ? d.e.msg : "not valid");
		j->refused = true;
	}
	if (rc)
		return rc;
	rc = deliver_rest(db, j, &d);
	j->res->ticket = d.number;
	return rc;
}

/* One stored file of the mail: small ones (and all, in the database) are
 * kept for the delivery's transaction, larger ones written as files now. */
static ay_rc put_blob(struct store *st, const struct ay_config *cfg,
		      struct job *j, const char *dir, const void *data,
		      size_t len, char *hex)
{
	if (store_blob_inline(st, cfg, len)) {
		ay_sha256_hex(data, len, hex);
		j->inl[j->ninl++] = (struct inline_blob){data, len, hex};
		return AY_OK;
	}
	j->files = true;
	return store_blob_put_nosync(st, cfg, dir, data, len, hex);
}

/* Store the raw message, the HTML and the allowed attachments: the
 * small ones in the delivery's transaction (store_blob_inline), the rest
 * as files before it, which the caller makes durable (blob_sync: one sync
 * for all, shared with concurrent deliveries). */
static ay_rc write_blobs(struct store *st, const struct ay_config *cfg,
			 const char *raw, size_t len, struct job *j,
			 char *raw_sha, char *html_sha)
{
	const struct mail_msg *m = j->m;
	struct mail_attach_policy pol;
	size_t total = 0;
	ay_rc rc;

	rc = put_blob(st, cfg, j, "raw", raw, len, raw_sha);
	if (rc)
		return rc;
	j->raw_sha = raw_sha;
	if (m->html) {
		rc = put_blob(st, cfg, j, "attachments", m->html,
			      strlen(m->html), html_sha);
		if (rc)
			return rc;
		j->html_sha = html_sha;
	}
	attach_policy_load(cfg, &pol);
	for (size_t i = 0; i < m->natt; i++) {
		const struct mail_attachment *a = &m->att[i];
		char why[400] = "";

		rc = mail_attachment_check(&pol, a, why, sizeof(why));
		if (!rc && total + a->len > pol.max_message &&
		    pol.max_message) {
			snprintf(why, sizeof(why),
				 "el archivo «%.200s» supera el límite de "
				 "adjuntos por mensaje",
				 a->filename);
			rc = AY_ETOOBIG;
		}
		if (rc) {
			j->att_why[i] = strdup(why[0] ? why : "no permitido");
			if (!j->att_why[i])
				return AY_ENOMEM;
			continue;
		}
		total += a->len;
		j->att_sha[i] = malloc(65);
		if (!j->att_sha[i])
			return AY_ENOMEM;
		rc = put_blob(st, cfg, j, "attachments", a->data, a->len,
			      j->att_sha[i]);
		if (rc)
			return rc;
	}
	return AY_OK;
}

/* Does the header block of raw have a From field, readable or not? */
static bool has_from(const char *raw, size_t len)
{
	const char *p = raw, *end = raw + len;

	while (p < end && *p != '\r' && *p != '\n') {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		if ((size_t)(end - p) > 5 && !strncasecmp(p, "From:", 5))
			return true;
		p = eol ? eol + 1 : end;
	}
	return false;
}

int mailin_answer(ay_rc rc, const struct mailin_result *res, char **text)
{
	json_t *o;

	*text = NULL;
	if (rc == AY_EINVAL || rc == AY_ETOOBIG) {
		*text = strdup(res->reason[0] ? res->reason : ay_rc_str(rc));
		return 65;
	}
	if (rc) {
		*text = strdup(MAILIN_MSG_TEMPFAIL);
		return 75;
	}
	o = json_pack("{s:o,s:s,s:o}", "ticket",
		      res->ticket ? json_integer(res->ticket) : json_null(),
		      "action", res->action, "reason",
		      res->reason[0] ? json_string(res->reason) : json_null());
	*text = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	return 0;
}

/* Parse the mail and store its files (the large ones made durable):
 * everything before its transaction. */
static ay_rc job_prepare(struct job *j, struct store *st,
			 const struct ay_config *cfg, const char *raw,
			 size_t len)
{
	struct mail_parse_opts o = {.loop_token = mailin_loop_token(cfg),
				    .max_attachment = cfg->max_attachment};
	struct mailin_result *res = j->res;
	ay_rc rc;

	memset(res, 0, sizeof(*res));
	rc = mail_parse(raw, len, &o, &j->m, res->reason, sizeof(res->reason));
	if (rc)
		return rc == AY_ENOMEM ? rc
				       : (rc == AY_ETOOBIG ? rc : AY_EINVAL);
	if (!j->m->from_addr && !j->m->is_bounce && has_from(raw, len)) {
		/* A From we cannot read: the placeholder requester. */
		j->m->from_addr = strdup("");
		if (!j->m->from_addr)
			return AY_ENOMEM;
	}
	if (!j->m->from_addr && !j->m->is_bounce) {
		snprintf(res->reason, sizeof(res->reason),
			 "no sender address (From, Reply-To or Sender)");
		return AY_EINVAL;
	}
	if (j->m->is_bounce &&
	    !mail_verp_key_load(cfg->data_dir, false, &j->verp_key))
		j->key = &j->verp_key;
	j->att_sha = calloc(j->m->natt + 1, sizeof(char *));
	j->att_why = calloc(j->m->natt + 1, sizeof(char *));
	j->inl = calloc(j->m->natt + 2, sizeof(*j->inl));
	rc = j->att_sha && j->att_why && j->inl ? AY_OK : AY_ENOMEM;
	if (!rc)
		rc = write_blobs(st, cfg, raw, len, j, j->raw_hex, j->html_hex);
	if (!rc && j->files && !store_blobs_in_db(st, cfg))
		rc = blob_sync(cfg->data_dir);
	return rc;
}

/* The delivery's outcome once its transaction ended with rc (tx) or
 * job_prepare failed with it; frees what the job holds. */
static ay_rc job_end(struct job *j, ay_rc rc, bool tx)
{
	if (rc && !j->res->reason[0])
		snprintf(j->res->reason, sizeof(j->res->reason), "%s",
			 ay_rc_str(rc));
	for (size_t i = 0; j->m && i < j->m->natt; i++) {
		if (j->att_sha)
			free(j->att_sha[i]);
		if (j->att_why)
			free(j->att_why[i]);
	}
	free(j->att_sha);
	free(j->att_why);
	free(j->inl);
	mail_msg_free(j->m);
	sodium_memzero(&j->verp_key, sizeof(j->verp_key));
	/* A refusal inside the transaction is a store failure to retry,
	 * except validation, which cannot get better by retrying. */
	if (rc && j->refused)
		rc = AY_EINVAL;
	else if (tx && (rc == AY_EINVAL || rc == AY_ECONFLICT))
		rc = AY_EDB;
	return rc;
}

ay_rc mailin_deliver(struct store *st, const struct ay_config *cfg,
		     const char *raw, size_t len, struct mailin_result *res)
{
	struct job j = {.cfg = cfg, .res = res};
	ay_rc rc = job_prepare(&j, st, cfg, raw, len);

	if (rc)
		return job_end(&j, rc, false);
	return job_end(&j, store_write(st, deliver_run, &j), true);
}

/* A delivery submitted without waiting. */
struct async_job {
	struct job j; /* first: the writer's job argument */
	struct mailin_result res;
	mailin_done_fn done;
	void *arg;
};

static void async_end(struct async_job *a, ay_rc rc, bool tx)
{
	rc = job_end(&a->j, rc, tx);
	a->done(a->arg, rc, &a->res);
	free(a);
}

static void async_done(void *arg, ay_rc rc)
{
	async_end(arg, rc, true);
}

void mailin_submit(struct store *st, const struct ay_config *cfg,
		   const char *raw, size_t len, void (*ready)(void *arg),
		   mailin_done_fn done, void *arg)
{
	struct async_job *a = calloc(1, sizeof(*a));
	struct mailin_result none;
	ay_rc rc;

	if (!a) {
		memset(&none, 0, sizeof(none));
		snprintf(none.reason, sizeof(none.reason), "%s",
			 ay_rc_str(AY_ENOMEM));
		done(arg, AY_ENOMEM, &none);
		return;
	}
	a->j.cfg = cfg;
	a->j.res = &a->res;
	a->done = done;
	a->arg = arg;
	rc = job_prepare(&a->j, st, cfg, raw, len);
	if (rc) {
		async_end(a, rc, false);
		return;
	}
	if (ready)
		ready(arg);
	rc = store_submit(st, deliver_run, async_done, &a->j);
	if (rc)
		async_end(a, rc, true);
}
