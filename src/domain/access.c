/* Who may see what (see access.h for the rules). */
#include <string.h>

#include "domain/access.h"

bool access_reports(const struct actor *a)
{
	return a->role == ROLE_SUPERVISOR || a->role == ROLE_ADMIN;
}

bool access_kb_publish(const struct actor *a)
{
	return a->role == ROLE_SUPERVISOR || a->role == ROLE_ADMIN;
}

bool access_config(const struct actor *a)
{
	return a->role == ROLE_ADMIN;
}

bool access_history(const struct actor *a)
{
	return actor_is_staff(a);
}

bool access_console(const struct actor *a)
{
	return actor_is_staff(a);
}

bool access_macros_manage(const struct actor *a)
{
	return a->role == ROLE_SUPERVISOR || a->role == ROLE_ADMIN;
}

bool access_raw_mail(const struct actor *a)
{
	return actor_is_staff(a);
}

bool access_ticket_sla(const struct actor *a)
{
	return actor_is_staff(a);
}

/* A ticket is open for vault reads while nobody has solved it. */
static bool status_open(const char *s)
{
	return s && (!strcmp(s, "new") || !strcmp(s, "open") ||
		     !strcmp(s, "pending_customer"));
}

ay_rc access_ticket(struct db *db, const struct actor *a, int64_t number,
		    enum access_need need, int64_t *ticket_id)
{
	return access_ticket_stamp(db, a, number, need, ticket_id, NULL);
}

ay_rc access_ticket_stamp(struct db *db, const struct actor *a, int64_t number,
			  enum access_need need, int64_t *ticket_id,
			  int64_t stamp[2])
{
	struct db_stmt *s = NULL;
	bool row = false, ok;
	ay_rc rc;

	rc = db_run(db, &s, &row,
		    "SELECT t.id, t.status, COALESCE(t.assignee_id, 0),"
		    " t.view_rev, (SELECT n FROM ticket_epoch WHERE id = 1)"
		    " FROM tickets t WHERE " ACCESS_TICKET_SQL
		    " AND t.number = $5",
		    "iiiii", ACCESS_TICKET_ARGS(a), number);
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	ok = true;
	if (need == ACCESS_SECRET)
		ok = status_open(db_col_text(s, 1)) &&
		     (a->role == ROLE_SUPERVISOR ||
		      (a->role == ROLE_AGENT &&
		       db_col_int(s, 2) == a->user_id));
	if (ok && ticket_id)
		*ticket_id = db_col_int(s, 0);
	if (ok && stamp) {
		stamp[0] = db_col_int(s, 3);
		stamp[1] = db_col_int(s, 4);
	}
	db_reset(s);
	return ok ? AY_OK : AY_ENOTFOUND;
}

/* Something of ticket `number` (a message or an attachment, by sql with
 * $1 = its id, $2 = the ticket id, $3 = staff): visible when the ticket is
 * and it is not part of an internal note the caller may not see. */
static ay_rc access_in_ticket(struct db *db, const struct actor *a,
			      int64_t number, const char *sql, int64_t id,
			      int64_t *ticket_id)
{
	struct db_stmt *s = NULL;
	int64_t tid;
	bool row = false;
	ay_rc rc;

	rc = access_ticket(db, a, number, ACCESS_READ, &tid);
	if (!rc)
		rc = db_run(db, &s, &row, sql, "iii", id, tid,
			    (int64_t)actor_is_staff(a));
	db_reset(s);
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	if (ticket_id)
		*ticket_id = tid;
	return AY_OK;
}

ay_rc access_message(struct db *db, const struct actor *a, int64_t number,
		     int64_t message_id, int64_t *ticket_id)
{
	return access_in_ticket(
		db, a, number,
		"SELECT 1 FROM messages WHERE id = $1 AND"
		" ticket_id = $2 AND ($3 = 1 OR kind <> 'note')",
		message_id, ticket_id);
}

ay_rc access_attachment(struct db *db, const struct actor *a, int64_t number,
			int64_t attachment_id, int64_t *ticket_id)
{
	return access_in_ticket(db, a, number,
				"SELECT 1 FROM attachments at"
				" JOIN messages m ON m.id = at.message_id"
				" WHERE at.id = $1 AND at.ticket_id = $2"
				" AND ($3 = 1 OR m.kind <> 'note')",
				attachment_id, ticket_id);
}

ay_rc access_company(struct db *db, const struct actor *a, int64_t company_id,
		     enum access_need need)
{
	struct db_stmt *s = NULL;
	bool row = false, seen, ok;
	int64_t admin_contact;
	ay_rc rc;

	rc = db_run(db, &s, &row,
		    "SELECT COALESCE(admin_contact_id, 0) FROM companies"
		    " WHERE id = $1",
		    "i", company_id);
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	admin_contact = db_col_int(s, 0);
	db_reset(s);
	seen = actor_is_staff(a) || (a->user_id && a->company_id == company_id);
	if (!seen)
		return AY_ENOTFOUND;
	switch (need) {
	case ACCESS_READ:
		ok = true;
		break;
	case ACCESS_ENDORSE:
		ok = actor_is_staff(a) ||
		     (admin_contact && admin_contact == a->user_id);
		break;
	default:
		ok = access_config(a);
		break;
	}
	return ok ? AY_OK : AY_EPERM;
}

ay_rc access_user(struct db *db, const struct actor *a, int64_t user_id,
		  enum access_need need)
{
	struct db_stmt *s = NULL;
	bool row = false, seen;
	int64_t company, admin_contact;
	ay_rc rc;

	rc = db_run(db, &s, &row,
		    "SELECT COALESCE(u.company_id, 0),"
		    " COALESCE(c.admin_contact_id, 0) FROM users u"
		    " LEFT JOIN companies c ON c.id = u.company_id"
		    " WHERE u.id = $1",
		    "i", user_id);
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	company = db_col_int(s, 0);
	admin_contact = db_col_int(s, 1);
	db_reset(s);
	seen = actor_is_staff(a) || (a->user_id && a->user_id == user_id) ||
	       (company && a->company_id == company && admin_contact &&
		admin_contact == a->user_id);
	if (!seen)
		return AY_ENOTFOUND;
	if (need == ACCESS_READ)
		return AY_OK;
	return access_config(a) ? AY_OK : AY_EPERM;
}
