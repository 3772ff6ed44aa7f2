/* Query parameters read as typed values. */
#include <string.h>

#include "domain/common.h"
#include "domain/queue.h"
#include "domain/report_figure.h"
#include "http/query.h"
#include "sla/bizcal.h"

ay_rc http_query_int(const char *v, int64_t min, int64_t max, int64_t *out)
{
	bool neg = *v == '-';
	uint64_t n = 0;
	const char *p = v + neg;

	if (!*p)
		return AY_EINVAL;
	for (; *p; p++) {
		if (*p < '0' || *p > '9' || n > (UINT64_MAX - 9) / 10)
			return AY_EINVAL;
		n = n * 10 + (uint64_t)(*p - '0');
	}
	if (n > (uint64_t)INT64_MAX)
		return AY_EINVAL;
	if ((neg ? -(int64_t)n : (int64_t)n) < min ||
	    (neg ? -(int64_t)n : (int64_t)n) > max)
		return AY_EINVAL;
	*out = neg ? -(int64_t)n : (int64_t)n;
	return AY_OK;
}

ay_rc http_query_time(const char *v, int64_t *out)
{
	char buf[40];

	if (strlen(v) == 10) {
		snprintf(buf, sizeof(buf), "%sT00:00:00Z", v);
		v = buf;
	}
	return sla_parse_iso8601(v, out);
}

/* "UPDATED.ID", the "next" of a page by activity. */
static ay_rc before_cursor(const char *v, struct ticket_filter *f)
{
	char at[24];
	const char *dot = strchr(v, '.');

	if (!f->by_activity || !dot || (size_t)(dot - v) >= sizeof(at))
		return AY_EINVAL;
	memcpy(at, v, (size_t)(dot - v));
	at[dot - v] = '\0';
	if (http_query_int(at, 1, INT64_MAX, &f->before_at) ||
	    http_query_int(dot + 1, 1, INT64_MAX, &f->before_id))
		return AY_EINVAL;
	return AY_OK;
}

ay_rc http_query_ticket_filter(http_query_fn get, void *ctx, int64_t me,
			       struct ticket_filter *f, struct verr *err)
{
	const char *v;
	int64_t n;

	memset(f, 0, sizeof(*f));
	f->status = get(ctx, "status");
	f->category = get(ctx, "category");
	v = get(ctx, "assignee");
	if (v) {
		if (!strcmp(v, "none"))
			f->assignee_id = -1;
		else if (!strcmp(v, "me"))
			f->assignee_id = me;
		else if (http_query_int(v, 1, INT64_MAX, &f->assignee_id)) {
			verr_set(err, "assignee",
				 "se espera el número de un usuario, «me» o "
				 "«none»");
			return AY_EINVAL;
		}
	}
	v = get(ctx, "after");
	if (v && http_query_int(v, 0, INT64_MAX, &f->after)) {
		verr_set(err, "after", "se espera un número");
		return AY_EINVAL;
	}
	v = get(ctx, "order");
	if (v && strcmp(v, "activity") && strcmp(v, "arrival")) {
		verr_set(err, "order", "se espera «activity» o «arrival»");
		return AY_EINVAL;
	}
	f->by_activity = v && !strcmp(v, "activity");
	v = get(ctx, "before");
	if (v && before_cursor(v, f)) {
		verr_set(err, "before",
			 "se espera el cursor «next» de la página anterior");
		return AY_EINVAL;
	}
	v = get(ctx, "limit");
	if (v) {
		if (http_query_int(v, 1, 200, &n)) {
			verr_set(err, "limit",
				 "se espera un número de 1 a 200");
			return AY_EINVAL;
		}
		f->limit = (int)n;
	}
	return AY_OK;
}

/* report=FIGURE&from=&to=: the tickets behind a figure of the dashboard;
 * from and to are required when the figure has a period. */
static ay_rc report_filter(http_query_fn get, void *ctx, struct queue_filter *f,
			   struct verr *err)
{
	static const char *const bounds[] = {"from", "to"};
	const struct report_figure *fig;
	int64_t *at[] = {&f->report_from, &f->report_to};
	const char *v;

	f->report = get(ctx, "report");
	if (!f->report)
		return AY_OK;
	fig = report_figure_find(f->report);
	if (!fig) {
		verr_set(err, "report", "cifra desconocida");
		return AY_EINVAL;
	}
	for (size_t i = 0; i < AY_ARRAY_LEN(bounds); i++) {
		v = get(ctx, bounds[i]);
		if (!v && !strchr(fig->params, 'f'))
			continue;
		if (!v || http_query_time(v, at[i])) {
			verr_set(err, bounds[i],
				 "fecha no válida (AAAA-MM-DD o ISO 8601 con "
				 "zona)");
			return AY_EINVAL;
		}
	}
	return AY_OK;
}

ay_rc http_query_queue_filter(http_query_fn get, void *ctx, int64_t me,
			      struct queue_filter *f, struct verr *err)
{
	struct ticket_filter t;
	const char *v = get(ctx, "view");
	int64_t n;
	ay_rc rc;

	memset(f, 0, sizeof(*f));
	if (v && queue_view_parse(v, &f->view)) {
		verr_set(err, "view",
			 "vista desconocida: unsolved, mine, unassigned, "
			 "pending, dev_due, at_risk, breached o all");
		return AY_EINVAL;
	}
	/* The filters the portal's list shares. */
	rc = http_query_ticket_filter(get, ctx, me, &t, err);
	if (rc)
		return rc;
	if (t.by_activity) {
		verr_set(err, "order", "las vistas van en orden de llegada");
		return AY_EINVAL;
	}
	f->status = t.status;
	f->category = t.category;
	f->assignee_id = t.assignee_id;
	f->after = t.after;
	f->limit = t.limit;
	f->level = get(ctx, "level");
	v = get(ctx, "level_version");
	if (v && (!f->level || http_query_int(v, 1, INT64_MAX / 2, &n))) {
		verr_set(err, "level_version",
			 "se espera el número de una versión del nivel dado "
			 "en level");
		return AY_EINVAL;
	}
	f->version = v ? n : 0;
	v = get(ctx, "company");
	if (v && http_query_int(v, 1, INT64_MAX, &n)) {
		verr_set(err, "company", "se espera el número de una empresa");
		return AY_EINVAL;
	}
	f->company_id = v ? n : 0;
	v = get(ctx, "requester");
	if (v && http_query_int(v, 1, INT64_MAX, &n)) {
		verr_set(err, "requester", "se espera el número de un usuario");
		return AY_EINVAL;
	}
	f->requester_id = v ? n : 0;
	return report_filter(get, ctx, f, err);
}
