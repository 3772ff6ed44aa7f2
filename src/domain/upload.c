/* Files uploaded through the API: stored (content-addressed) when they
 * arrive, attached to a message later by the person who uploaded them, and
 * forgotten after a day when never attached. */
#include <string.h>

#include "domain/ticket.h"
#include "domain/upload.h"

ay_rc upload_add(struct db *db, int64_t user_id, const char *filename,
		 const char *content_type, int64_t size, const char *sha256,
		 int64_t *id)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc =
		db_run(db, &s, &row,
		       "INSERT INTO uploads (user_id, filename, content_type,"
		       " size, sha256, created_at) VALUES ($1, $2, $3, $4,"
		       " $5, $6) RETURNING id",
		       "issisi", user_id, filename, content_type, size, sha256,
		       ay_now());

	if (!rc && row)
		*id = db_col_int(s, 0);
	db_reset(s);
	return rc ? rc : row ? AY_OK : AY_EDB;
}

ay_rc upload_attach(struct db *db, int64_t user_id, int64_t ticket_id,
		    int64_t message_id, json_t *ids, struct verr *err)
{
	size_t i;
	json_t *v;
	ay_rc rc = AY_OK;

	if (!ids || json_is_null(ids))
		return AY_OK;
	if (!json_is_array(ids) || json_array_size(ids) > 20) {
		verr_set(err, "attachments",
			 "«attachments» es una lista de hasta 20 "
			 "identificadores "
			 "de archivos subidos");
		return AY_EINVAL;
	}
	json_array_foreach (ids, i, v) {
		int64_t n;

		if (!json_is_integer(v)) {
			rc = AY_ENOTFOUND;
			break;
		}
		/* Only one's own, unused uploads: moving the row makes a
		 * second use of the same id fail. */
		rc = db_run(db, NULL, NULL,
			    "INSERT INTO attachments (message_id, ticket_id,"
			    " filename, content_type, size, sha256, created_at)"
			    " SELECT $1, $2, filename, content_type, size,"
			    " sha256, $3 FROM uploads WHERE id = $4 AND"
			    " user_id = $5",
			    "iiiii", message_id, ticket_id, ay_now(),
			    (int64_t)json_integer_value(v), user_id);
		n = rc ? 0 : db_changes(db);
		if (!rc && n != 1)
			rc = AY_ENOTFOUND;
		if (!rc)
			rc = db_run(db, NULL, NULL,
				    "DELETE FROM uploads WHERE id = $1", "i",
				    (int64_t)json_integer_value(v));
		if (rc)
			break;
	}
	if (rc == AY_ENOTFOUND) {
		verr_set(
			err, "attachments",
			"un archivo adjunto no existe, no es suyo o ya se usó");
		rc = AY_EINVAL;
	}
	return rc;
}

ay_rc upload_expire(struct db *db, int64_t now)
{
	return db_run(db, NULL, NULL,
		      "DELETE FROM uploads WHERE created_at < $1", "i",
		      now - 86400);
}

ay_rc upload_attach_ticket(struct db *db, const struct actor *a, int64_t number,
			   int64_t message_id, json_t *ids, struct verr *err)
{
	struct db_stmt *s = NULL;
	int64_t tid;
	bool row = false;
	ay_rc rc;

	if (!ids)
		return AY_OK;
	rc = ticket_lookup(db, a, number, &tid);
	if (!rc && !message_id) {
		rc = db_run(db, &s, &row,
			    "SELECT MIN(id) FROM messages WHERE ticket_id = $1",
			    "i", tid);
		message_id = !rc && row ? db_col_int(s, 0) : 0;
		db_reset(s);
	}
	if (!rc)
		rc = upload_attach(db, a->user_id, tid, message_id, ids, err);
	return rc;
}
