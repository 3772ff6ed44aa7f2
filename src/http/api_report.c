/* GET /api/v1/reports/dashboard: the supervisor's dashboard
 * (domain/report_dash.c; docs/api-agent.md, section 9). */
#include <string.h>

#include "domain/access.h"
#include "domain/report_figure.h"
#include "http/http.h"
#include "http/query.h"

ay_rc http_report_bound(struct db *db, struct http_req *r, const char *key,
			int64_t dflt, int64_t *out)
{
	const char *v = http_query(r, key);
	ay_rc rc;

	*out = dflt;
	if (!v)
		return AY_OK;
	rc = strlen(v) == 10 ? report_local_date(db, v, out)
			     : http_query_time(v, out);
	if (rc == AY_EINVAL)
		verr_set(&r->verr, key,
			 "fecha no válida (AAAA-MM-DD o ISO 8601 con zona)");
	return rc;
}

static ay_rc dashboard_read(struct db *db, struct http_req *r, json_t **out)
{
	struct report_filter f = {.lang = r->actor.lang};
	const char *agent = http_query(r, "agent");
	ay_rc rc;

	f.when.now = ay_now();
	rc = http_report_bound(db, r, "to", f.when.now, &f.when.to);
	if (!rc)
		rc = http_report_bound(db, r, "from", f.when.to - 30 * 86400,
				       &f.when.from);
	if (rc)
		return rc;
	if (f.when.from >= f.when.to || f.when.to - f.when.from > 366 * 86400) {
		verr_set(
			&r->verr, "from",
			"«from» debe ser anterior a «to», a un año como mucho");
		return AY_EINVAL;
	}
	f.level = http_query(r, "level");
	if (agent && !strcmp(agent, "none"))
		f.agent = -1;
	else if (agent && http_query_int(agent, 1, INT64_MAX, &f.agent)) {
		verr_set(&r->verr, "agent",
			 "se espera el número de un usuario o «none»");
		return AY_EINVAL;
	}
	return report_dashboard(db, &f, out);
}

/* GET /api/v1/reports/dashboard?from=&to=&level=&agent= (supervisors and
 * admins; default the last 30 days). */
void h_report_dashboard(struct http_req *r)
{
	if (!access_reports(&r->actor)) {
		http_error_rc(r, AY_ENOTFOUND);
		return;
	}
	http_read_json(r, dashboard_read);
}
