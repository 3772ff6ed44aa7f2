/* The audit trail for the admin console (/admin/auditoria): every event
 * that belongs to no ticket, newest first, with who did it, the object it
 * changed and a field-by-field difference of before and after. */
#ifndef AY_DOMAIN_AUDIT_H
#define AY_DOMAIN_AUDIT_H

#include <jansson.h>

#include "domain/common.h"

struct audit_filter {
	int64_t actor;	    /* a user id; 0: anyone */
	const char *type;   /* an object type (audit_types()); NULL: all
			       but sign-ins ("session") */
	const char *object; /* within type: its id or name; NULL: all */
	const char *kind;   /* one event kind; NULL: all */
	int64_t from, to;   /* created in [from, to); 0: unbounded */
	int64_t before;	    /* only events older than this id; 0: none */
	int64_t limit;	    /* 1..200 */
};

/* The events f selects, for admins (access_config(); else AY_ENOTFOUND).
 * *out: {items: [{id, kind, data, at, actor: id | null, who: {id, name,
 * email} | null, object:
 * {type, id, name} | null, changes: [{field, before, after}], details:
 * {...}}], next: id | null, types: [names]}; next is the before of the
 * following page. Scans at most a few thousand events a call. */
ay_rc audit_list(struct db *db, const struct actor *a,
		 const struct audit_filter *f, json_t **out) AY_MUST_CHECK;

/* The field-by-field difference of two JSON values: objects are compared
 * member by member (nested objects as "a.b"), anything else whole. *out:
 * a new array of {field, before, after} (absent members are null). */
ay_rc audit_diff(json_t *before, json_t *after, json_t **out) AY_MUST_CHECK;

#endif
