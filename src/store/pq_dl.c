#include <pthread.h>

#include "store/pq_dl.h"
#include "util/dl.h"

struct store_pq_api store_pq;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static ay_rc load_rc = AY_EIO;

static void load(void)
{
	static const char *const files[] = {"libpq.so.5", NULL};
	static const struct ay_dl_lib lib = {"libpq", "libpq5", files};
	const struct ay_dl_sym syms[] = {
		{"PQclear", &store_pq.clear},
		{"PQcmdTuples", &store_pq.cmd_tuples},
		{"PQconnectdb", &store_pq.connectdb},
		{"PQerrorMessage", &store_pq.error_message},
		{"PQexec", &store_pq.exec},
		{"PQexecPrepared", &store_pq.exec_prepared},
		{"PQfinish", &store_pq.finish},
		{"PQfreemem", &store_pq.freemem},
		{"PQgetisnull", &store_pq.getisnull},
		{"PQgetvalue", &store_pq.getvalue},
		{"PQnfields", &store_pq.nfields},
		{"PQntuples", &store_pq.ntuples},
		{"PQprepare", &store_pq.prepare},
		{"PQreset", &store_pq.reset},
		{"PQresultErrorField", &store_pq.result_error_field},
		{"PQresultErrorMessage", &store_pq.result_error_message},
		{"PQresultStatus", &store_pq.result_status},
		{"PQsetNoticeProcessor", &store_pq.set_notice_processor},
		{"PQstatus", &store_pq.status},
		{"PQtransactionStatus", &store_pq.transaction_status},
		{"PQunescapeBytea", &store_pq.unescape_bytea},
		{"PQconninfoParse", &store_pq.conninfo_parse},
		{"PQconninfoFree", &store_pq.conninfo_free},
		{"PQcmdStatus", &store_pq.cmd_status},
		{"PQenterPipelineMode", &store_pq.enter_pipeline_mode},
		{"PQexitPipelineMode", &store_pq.exit_pipeline_mode},
		{"PQgetResult", &store_pq.get_result},
		{"PQpipelineStatus", &store_pq.pipeline_status},
		{"PQpipelineSync", &store_pq.pipeline_sync},
		{"PQsendQueryParams", &store_pq.send_query_params},
		{"PQsendQueryPrepared", &store_pq.send_query_prepared},
	};

	load_rc = ay_dl_load(&lib, syms, AY_ARRAY_LEN(syms));
}

ay_rc store_pq_init(void)
{
	pthread_once(&once, load);
	return load_rc;
}
