/* The credentials vault: access data a customer hands the support team,
 * attached to a ticket, encrypted at rest with libsodium's secretbox
 * (XSalsa20-Poly1305) under a key derived from DATA/vault.key and the
 * ticket's id (a box copied to another ticket does not open). Read only by
 * supervisors and the ticket's assigned agent while the ticket is
 * unsolved, and the agent only when someone else assigned them or they
 * were already assigned when the secret was stored (assignment_ok()); every
 * read is an event in the ticket history; at expiry (at most 30 days) or when
 * the ticket is solved the job destroys the box and only the label and the
 * times remain. The secret text is never logged, never put in an event, a
 * listing, an error message or a mail. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "domain/access.h"
#include "domain/vault.h"
#include "util/path.h"

ay_rc vault_key_create(const char *data_dir)
{
	unsigned char k[crypto_secretbox_KEYBYTES];
	char path[1100];
	ssize_t n;
	int fd;

	if (ay_path(path, sizeof(path), "%s/vault.key", data_dir))
		return AY_ETOOBIG;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno == EEXIST ? AY_OK : AY_EIO;
	crypto_secretbox_keygen(k);
	n = write(fd, k, sizeof(k));
	sodium_memzero(k, sizeof(k));
	if (n != (ssize_t)sizeof(k) || fsync(fd)) {
		close(fd);
		unlink(path);
		return AY_EIO;
	}
	return close(fd) ? AY_EIO : AY_OK;
}

ay_rc vault_key_load(const char *data_dir, struct vault_key *key)
{
	char path[1100];
	struct stat st;
	ssize_t n;
	int fd;

	if (ay_path(path, sizeof(path), "%s/vault.key", data_dir))
		return AY_ETOOBIG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? AY_ENOTFOUND : AY_EIO;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return AY_EIO;
	}
	if (st.st_mode & 077) {
		close(fd);
		return AY_EPERM;
	}
	n = read(fd, key->k, sizeof(key->k));
	close(fd);
	return n == (ssize_t)sizeof(key->k) ? AY_OK : AY_EIO;
}

/* The key of one ticket's secrets. */
static void ticket_key(const struct vault_key *master, int64_t ticket_id,
		       unsigned char out[crypto_secretbox_KEYBYTES])
{
	char ctx[64];
	int n = snprintf(ctx, sizeof(ctx), "ayuda vault v1 ticket %lld",
			 (long long)ticket_id);

	crypto_generichash(out, crypto_secretbox_KEYBYTES,
			   (const unsigned char *)ctx, (size_t)n, master->k,
			   sizeof(master->k));
}

static ay_rc ticket_status(struct db *db, int64_t tid, char status[24])
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	rc = db_run(db, &s, &row, "SELECT status FROM tickets WHERE id = $1",
		    "i", tid);
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	snprintf(status, 24, "%s", db_col_text(s, 0));
	db_reset(s);
	return AY_OK;
}

static bool solved(const char *status)
{
	return !strcmp(status, "resolved") || !strcmp(status, "closed");
}

ay_rc vault_put(struct db *db, const struct vault_key *k, const struct actor *a,
		int64_t number, const char *label, const char *secret, int days,
		json_t **out, struct verr *err)
{
	unsigned char key[crypto_secretbox_KEYBYTES];
	unsigned char nonce[crypto_secretbox_NONCEBYTES];
	unsigned char *box = NULL;
	char nonce_hex[2 * crypto_secretbox_NONCEBYTES + 1];
	char *box_hex = NULL, status[24];
	size_t slen = secret ? strlen(secret) : 0, blen;
	struct db_stmt *s = NULL;
	int64_t tid, now = ay_now(), id = 0, expires;
	bool row = false;
	json_t *data;
	ay_rc rc;

	*out = NULL;
	rc = access_ticket(db, a, number, ACCESS_READ, &tid);
	if (rc)
		return rc;
	if (!label || !*label || strlen(label) > 200 ||
	    !ay_utf8_valid(label, strlen(label))) {
		verr_set(err, "label",
			 "la etiqueta es obligatoria (200 "
			 "caracteres como máximo)");
		return AY_EINVAL;
	}
	if (!slen || slen > AY_VAULT_SECRET_MAX) {
		verr_set(err, "secret",
			 "el dato de acceso es obligatorio (8 KiB como "
			 "máximo)");
		return AY_EINVAL;
	}
	if (days == 0)
		days = AY_VAULT_DEFAULT_DAYS;
	if (days < 1 || days > AY_VAULT_MAX_DAYS) {
		verr_set(err, "expires_in_days",
			 "la caducidad debe estar entre 1 y 30 días");
		return AY_EINVAL;
	}
	rc = ticket_status(db, tid, status);
	if (rc)
		return rc;
	if (solved(status)) {
		verr_set(err, "ticket",
			 "el ticket está resuelto o cerrado; reábralo primero");
		return AY_ECONFLICT;
	}
	expires = now + (int64_t)days * 86400;
	blen = crypto_secretbox_MACBYTES + slen;
	box = malloc(blen);
	box_hex = malloc(2 * blen + 1);
	if (!box || !box_hex) {
		rc = AY_ENOMEM;
		goto out;
	}
	randombytes_buf(nonce, sizeof(nonce));
	ticket_key(k, tid, key);
	crypto_secretbox_easy(box, (const unsigned char *)secret, slen, nonce,
			      key);
	sodium_memzero(key, sizeof(key));
	sodium_bin2hex(nonce_hex, sizeof(nonce_hex), nonce, sizeof(nonce));
	sodium_bin2hex(box_hex, 2 * blen + 1, box, blen);
	rc = db_run(db, &s, &row,
		    "INSERT INTO vault_secrets (ticket_id, label, nonce, box,"
		    " created_by, created_at, expires_at)"
		    " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
		    "isssiii", tid, label, nonce_hex, box_hex, a->user_id, now,
		    expires);
	if (rc)
		goto out;
	id = row ? db_col_int(s, 0) : 0;
	db_reset(s);
	/* "secret" first: assignment_ok() looks the event up by it. */
	data = json_pack("{s:I,s:s,s:I}", "secret", (json_int_t)id, "label",
			 label, "days", (json_int_t)days);
	if (!data) {
		rc = AY_ENOMEM;
		goto out;
	}
	rc = event_add(db, tid, a->user_id, "vault.added", data);
	json_decref(data);
	if (rc)
		goto out;
	{
		char c_iso[32], e_iso[32];

		ay_iso_utc(now, c_iso);
		ay_iso_utc(expires, e_iso);
		*out = json_pack("{s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)id,
				 "label", label, "state", "active",
				 "created_at", c_iso, "expires_at", e_iso);
	}
	if (!*out)
		rc = AY_ENOMEM;
out:
	free(box);
	free(box_hex);
	return rc;
}

#define SECRET_COLS                                                            \
	"v.id, v.label, v.created_at, v.expires_at, v.destroyed_at,"           \
	" v.destroy_reason, v.reads, v.last_read_at, u.id, u.name"

static json_t *secret_row(struct db_stmt *s, void *arg)
{
	int64_t now = *(const int64_t *)arg;

	const char *state = !db_col_null(s, 4)	      ? "destroyed"
			    : db_col_int(s, 3) <= now ? "expired"
						      : "active";

	return json_pack("{s:I,s:s,s:s,s:o,s:o,s:o,s:o,s:I,s:o,s:{s:I,s:s}}",
			 "id", (json_int_t)db_col_int(s, 0), "label",
			 db_col_text(s, 1), "state", state, "created_at",
			 json_col_time(s, 2), "expires_at", json_col_time(s, 3),
			 "destroyed_at", json_col_time(s, 4), "destroy_reason",
			 db_col_null(s, 5) ? json_null()
					   : json_string(db_col_text(s, 5)),
			 "reads", (json_int_t)db_col_int(s, 6), "last_read_at",
			 json_col_time(s, 7), "created_by", "id",
			 (json_int_t)db_col_int(s, 8), "name",
			 db_col_text(s, 9));
}

ay_rc vault_list(struct db *db, const struct actor *a, int64_t number,
		 json_t **out)
{
	int64_t tid, now = ay_now();
	ay_rc rc;

	*out = NULL;
	rc = access_ticket(db, a, number, ACCESS_READ, &tid);
	if (rc)
		return rc;
	return db_rows_json(db, secret_row, &now, out,
			    "SELECT " SECRET_COLS " FROM vault_secrets v"
			    " JOIN users u ON u.id = v.created_by"
			    " WHERE v.ticket_id = $1 ORDER BY v.id",
			    "i", tid);
}

/* Whether the assignment that makes agent `a` the assignee lets them read
 * secret secret_id: it must be made by someone else (a
 * supervisor, an admin, another agent), or be older than the secret (the
 * customer handed it to the agent in charge). Taking the ticket oneself
 * after the secret is there is no key to it. Without a record of the
 * assignment, no agent reads. */
static ay_rc assignment_ok(struct db *db, const struct actor *a, int64_t tid,
			   int64_t secret_id, bool *ok)
{
	struct db_stmt *s = NULL;
	int64_t by, at;
	char pat[48];
	bool row = false;
	ay_rc rc;

	*ok = false;
	rc = db_run(db, &s, &row,
		    "SELECT id, COALESCE(actor_id, 0) FROM events"
		    " WHERE ticket_id = $1 AND kind = 'ticket.assigned'"
		    " ORDER BY id DESC LIMIT 1",
		    "i", tid);
	if (rc || !row)
		return rc;
	at = db_col_int(s, 0);
	by = db_col_int(s, 1);
	db_reset(s);
	if (by != a->user_id) {
		*ok = true;
		return AY_OK;
	}
	/* Self-assigned: only before the secret's "vault.added" event
	 * (vault_put() writes "secret" first). */
	snprintf(pat, sizeof(pat), "{\"secret\":%lld,%%", (long long)secret_id);
	rc = db_run(db, &s, &row,
		    "SELECT MIN(id) FROM events WHERE ticket_id = $1"
		    " AND kind = 'vault.added' AND data LIKE $2",
		    "is", tid, pat);
	if (rc)
		return rc;
	*ok = row && !db_col_null(s, 0) && at < db_col_int(s, 0);
	db_reset(s);
	return AY_OK;
}

ay_rc vault_read(struct db *db, const struct vault_key *k,
		 const struct actor *a, int64_t number, int64_t secret_id,
		 json_t **out)
{
	unsigned char key[crypto_secretbox_KEYBYTES];
	unsigned char nonce[crypto_secretbox_NONCEBYTES];
	unsigned char *box = NULL, *plain = NULL;
	size_t blen = 0;
	struct db_stmt *s = NULL;
	int64_t tid, now = ay_now();
	char label[256];
	bool row = false, live;
	json_t *data;
	ay_rc rc;

	*out = NULL;
	rc = access_ticket(db, a, number, ACCESS_SECRET, &tid);
	if (rc)
		return rc;
	if (a->role == ROLE_AGENT) {
		bool ok;

		rc = assignment_ok(db, a, tid, secret_id, &ok);
		if (rc)
			return rc;
		if (!ok)
			return AY_ENOTFOUND;
	}
	rc = db_run(db, &s, &row,
		    "SELECT label, nonce, box, expires_at FROM vault_secrets"
		    " WHERE id = $1 AND ticket_id = $2",
		    "ii", secret_id, tid);
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	snprintf(label, sizeof(label), "%s", db_col_text(s, 0));
	live = !db_col_null(s, 2) && db_col_int(s, 3) > now;
	if (live) {
		const char *bh = db_col_text(s, 2);

		blen = strlen(bh) / 2;
		box = malloc(blen + 1);
		plain = malloc(blen + 1);
		if (!box || !plain)
			rc = AY_ENOMEM;
		else if (sodium_hex2bin(nonce, sizeof(nonce), db_col_text(s, 1),
					strlen(db_col_text(s, 1)), NULL, NULL,
					NULL) ||
			 sodium_hex2bin(box, blen, bh, strlen(bh), NULL, NULL,
					NULL) ||
			 blen < crypto_secretbox_MACBYTES)
			rc = AY_EDB;
	}
	db_reset(s);
	if (rc)
		goto out;
	if (!live) {
		rc = AY_ECONFLICT;
		goto out;
	}
	ticket_key(k, tid, key);
	if (crypto_secretbox_open_easy(plain, box, blen, nonce, key)) {
		sodium_memzero(key, sizeof(key));
		rc = AY_EDB; /* wrong key file or a tampered row */
		goto out;
	}
	sodium_memzero(key, sizeof(key));
	plain[blen - crypto_secretbox_MACBYTES] = '\0';
	rc = db_run(db, NULL, NULL,
		    "UPDATE vault_secrets SET reads = reads + 1,"
		    " last_read_at = $2 WHERE id = $1",
		    "ii", secret_id, now);
	if (rc)
		goto out;
	data = json_pack("{s:I,s:s}", "secret", (json_int_t)secret_id, "label",
			 label);
	if (!data) {
		rc = AY_ENOMEM;
		goto out;
	}
	rc = event_add(db, tid, a->user_id, "vault.read", data);
	json_decref(data);
	if (rc)
		goto out;
	*out = json_pack("{s:I,s:s,s:s}", "id", (json_int_t)secret_id, "label",
			 label, "secret", (const char *)plain);
	if (!*out)
		rc = AY_ENOMEM;
out:
	if (plain)
		sodium_memzero(plain, blen + 1);
	free(plain);
	free(box);
	return rc;
}

/* Destroy one secret: the box goes, the label and the times stay. The
 * connection overwrites freed space with zeros from now on, so the old
 * bytes do not linger in the database pages. */
static ay_rc destroy(struct db *db, int64_t actor_id, int64_t tid, int64_t id,
		     const char *label, const char *reason, int64_t now)
{
	json_t *data;
	ay_rc rc;

	rc = db_exec(db, "PRAGMA secure_delete = ON");
	if (!rc)
		rc = db_run(db, NULL, NULL,
			    "UPDATE vault_secrets SET nonce = NULL, box = NULL,"
			    " destroyed_at = $2, destroy_reason = $3"
			    " WHERE id = $1 AND destroyed_at IS NULL",
			    "iis", id, now, reason);
	if (rc)
		return rc;
	data = json_pack("{s:I,s:s,s:s}", "secret", (json_int_t)id, "label",
			 label, "reason", reason);
	if (!data)
		return AY_ENOMEM;
	rc = event_add(db, tid, actor_id, "vault.destroyed", data);
	json_decref(data);
	return rc;
}

ay_rc vault_delete(struct db *db, const struct actor *a, int64_t number,
		   int64_t secret_id)
{
	struct db_stmt *s = NULL;
	char label[256];
	int64_t tid;
	bool row = false;
	ay_rc rc;

	rc = access_ticket(db, a, number, ACCESS_READ, &tid);
	if (rc)
		return rc;
	rc = db_run(db, &s, &row,
		    "SELECT label FROM vault_secrets WHERE id = $1"
		    " AND ticket_id = $2 AND destroyed_at IS NULL"
		    " AND ($3 = 1 OR created_by = $4)",
		    "iiii", secret_id, tid, (int64_t)actor_is_staff(a),
		    a->user_id);
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	snprintf(label, sizeof(label), "%s", db_col_text(s, 0));
	db_reset(s);
	return destroy(db, a->user_id, tid, secret_id, label, "deleted",
		       ay_now());
}

struct due_secret {
	int64_t id, tid, now;
	char label[256];
	bool expired;
};

static ay_rc destroy_due(struct db *db, void *arg)
{
	const struct due_secret *d = arg;

	return destroy(db, 0, d->tid, d->id, d->label,
		       d->expired ? "expired" : "ticket_solved", d->now);
}

ay_rc vault_jobs_run(struct db *db, int64_t now, int *done)
{
	struct due_secret *due = NULL;
	struct db_stmt *s = NULL;
	size_t n = 0, cap = 256;
	bool row = false;
	int skipped = 0;
	ay_rc rc;

	*done = 0;
	due = calloc(cap, sizeof(*due));
	if (!due)
		return AY_ENOMEM;
	rc = db_run(db, &s, &row,
		    "SELECT v.id, v.ticket_id, v.label, v.expires_at <= $1"
		    " FROM vault_secrets v JOIN tickets t ON t.id = v.ticket_id"
		    " WHERE v.destroyed_at IS NULL AND (v.expires_at <= $1"
		    "  OR t.status IN ('resolved','closed'))"
		    " ORDER BY v.id LIMIT $2",
		    "ii", now, (int64_t)cap);
	while (!rc && row) {
		due[n].id = db_col_int(s, 0);
		due[n].tid = db_col_int(s, 1);
		snprintf(due[n].label, sizeof(due[n].label), "%s",
			 db_col_text(s, 2));
		due[n].expired = db_col_int(s, 3) != 0;
		due[n].now = now;
		n++;
		rc = db_step(s, &row);
	}
	db_reset(s);
	/* One secret that cannot be destroyed does not keep the others. */
	for (size_t i = 0; !rc && i < n; i++) {
		int before = skipped;

		rc = job_row(db, "vault_expiry", due[i].id, destroy_due,
			     &due[i], &skipped);
		if (!rc && before == skipped)
			(*done)++;
	}
	free(due);
	return rc;
}
