/* The files of a ticket: which blob, and whether the actor may have it. */
#include <stdlib.h>
#include <string.h>

#include "domain/access.h"
#include "domain/attachment.h"

void attachment_file_release(struct attachment_file *f)
{
	free(f->filename);
	f->filename = NULL;
}

ay_rc attachment_get(struct db *db, const struct actor *a, int64_t number,
		     int64_t id, struct attachment_file *out)
{
	struct db_stmt *s = NULL;
	int64_t tid;
	bool row = false;
	ay_rc rc;

	memset(out, 0, sizeof(*out));
	rc = access_attachment(db, a, number, id, &tid);
	if (!rc)
		rc = db_run(db, &s, &row,
			    "SELECT sha256, content_type, filename"
			    " FROM attachments WHERE id = $1",
			    "i", id);
	if (!rc && !row)
		rc = AY_ENOTFOUND;
	if (!rc) {
		snprintf(out->sha256, sizeof(out->sha256), "%s",
			 db_col_text(s, 0));
		snprintf(out->content_type, sizeof(out->content_type), "%s",
			 db_col_text(s, 1));
		out->filename = strdup(db_col_text(s, 2));
		if (!out->filename)
			rc = AY_ENOMEM;
	}
	db_reset(s);
	return rc;
}

ay_rc attachment_message_file(struct db *db, const struct actor *a,
			      int64_t number, int64_t id, enum message_file f,
			      char sha256[65])
{
	static const char *const sql[] = {
		[MESSAGE_FILE_HTML] =
			"SELECT html_sha256 FROM messages WHERE id = $1",
		[MESSAGE_FILE_RAW] =
			"SELECT raw_sha256 FROM messages WHERE id = $1",
	};
	struct db_stmt *s = NULL;
	int64_t tid;
	bool row = false;
	ay_rc rc;

	sha256[0] = '\0';
	if (f == MESSAGE_FILE_RAW && !access_raw_mail(a))
		return AY_ENOTFOUND;
	rc = access_message(db, a, number, id, &tid);
	if (!rc)
		rc = db_run(db, &s, &row, sql[f], "i", id);
	if (!rc && (!row || db_col_null(s, 0)))
		rc = AY_ENOTFOUND;
	if (!rc)
		snprintf(sha256, 65, "%s", db_col_text(s, 0));
	db_reset(s);
	return rc;
}

ay_rc attachment_inline_images(struct db *db, int64_t id, int64_t max_size,
			       attachment_inline_fn fn, void *arg)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	rc = db_run(db, &s, &row,
		    "SELECT content_id, content_type, sha256 FROM"
		    " attachments WHERE message_id = $1 AND content_id"
		    " IS NOT NULL AND content_type LIKE 'image/%'"
		    " AND size <= $2",
		    "ii", id, max_size);
	while (!rc && row) {
		rc = fn(arg, db_col_text(s, 0), db_col_text(s, 1),
			db_col_text(s, 2));
		if (!rc)
			rc = db_step(s, &row);
	}
	db_reset(s);
	return rc;
}
