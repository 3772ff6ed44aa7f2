/* Canned answers (macros): a text with placeholders ({cliente},
 * {ticket}, {vencimiento}, ...), in Spanish or English, that may set the
 * ticket's status or category once it is sent (docs/api-agent.md,
 * section 6). Staff list, read and render them (access_console());
 * supervisors and admins create, edit and delete them
 * (access_macros_manage()), each change recorded with event_add_change().
 * Anyone else gets AY_ENOTFOUND; an agent who tries to change one,
 * AY_EPERM. */
#ifndef AY_DOMAIN_MACRO_H
#define AY_DOMAIN_MACRO_H

#include "domain/common.h"

#define MACRO_NAME_MAX 100   /* characters */
#define MACRO_BODY_MAX 20000 /* bytes */
#define MACRO_Q_MAX    100   /* bytes of a search */

/* The macros whose name or text holds q (case and accents ignored; NULL
 * or "": all), in lang ("es", "en"; NULL: both), those whose name matches
 * first, then by name. *out (owned by the caller): {"macros": [...]}. */
ay_rc macro_list(struct db *db, const struct actor *a, const char *q,
		 const char *lang, struct verr *err,
		 json_t **out) AY_MUST_CHECK;
/* One macro: *out owned by the caller. */
ay_rc macro_get(struct db *db, const struct actor *a, int64_t id,
		json_t **out) AY_MUST_CHECK;
/* The macro's text for ticket `number`: every known placeholder (Spanish
 * or English name) replaced by its value, in the macro's language; an
 * unknown {word} left as is and listed in "unknown". *out (owned by the
 * caller): {id, name, lang, body, status, category, unknown}. Applies
 * nothing to the ticket. */
ay_rc macro_render(struct db *db, const struct actor *a, int64_t id,
		   int64_t number, json_t **out) AY_MUST_CHECK;
/* Create a macro from the API's members (name, body, lang (default "es"),
 * status, category; in is borrowed): *id gets its id. */
ay_rc macro_create(struct db *db, const struct actor *a, json_t *in,
		   struct verr *err, int64_t *id) AY_MUST_CHECK;
/* Change the members given in `in` (borrowed), at least one. */
ay_rc macro_edit(struct db *db, const struct actor *a, int64_t id, json_t *in,
		 struct verr *err) AY_MUST_CHECK;
ay_rc macro_delete(struct db *db, const struct actor *a,
		   int64_t id) AY_MUST_CHECK;

#endif
