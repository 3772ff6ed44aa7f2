#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

#include "store/pq_dl.h"
#include "util/log.h"

struct store_pq_api store_pq;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static ay_rc load_rc = AY_EIO;

static bool sym(void *lib, const char *name, void *slot)
{
	void *p = dlsym(lib, name);

	if (!p) {
		log_error("libpq lacks a function", "name=%s", name);
		return false;
	}
	memcpy(slot, &p, sizeof(p));
	return true;
}

static void load(void)
{
	void *lib = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
	bool ok;

	if (!lib) {
		log_error("cannot load libpq (apt-get install libpq5)",
			  "err=\"%s\"", dlerror());
		return;
	}
	ok = sym(lib, "PQclear", &store_pq.clear) &&
	     sym(lib, "PQcmdTuples", &store_pq.cmd_tuples) &&
	     sym(lib, "PQconnectdb", &store_pq.connectdb) &&
	     sym(lib, "PQerrorMessage", &store_pq.error_message) &&
	     sym(lib, "PQexec", &store_pq.exec) &&
	     sym(lib, "PQexecPrepared", &store_pq.exec_prepared) &&
	     sym(lib, "PQfinish", &store_pq.finish) &&
	     sym(lib, "PQfreemem", &store_pq.freemem) &&
	     sym(lib, "PQgetisnull", &store_pq.getisnull) &&
	     sym(lib, "PQgetvalue", &store_pq.getvalue) &&
	     sym(lib, "PQnfields", &store_pq.nfields) &&
	     sym(lib, "PQntuples", &store_pq.ntuples) &&
	     sym(lib, "PQprepare", &store_pq.prepare) &&
	     sym(lib, "PQreset", &store_pq.reset) &&
	     sym(lib, "PQresultErrorField", &store_pq.result_error_field) &&
	     sym(lib, "PQresultErrorMessage", &store_pq.result_error_message) &&
	     sym(lib, "PQresultStatus", &store_pq.result_status) &&
	     sym(lib, "PQsetNoticeProcessor", &store_pq.set_notice_processor) &&
	     sym(lib, "PQstatus", &store_pq.status) &&
	     sym(lib, "PQtransactionStatus", &store_pq.transaction_status) &&
	     sym(lib, "PQunescapeBytea", &store_pq.unescape_bytea) &&
	     sym(lib, "PQconninfoParse", &store_pq.conninfo_parse) &&
	     sym(lib, "PQconninfoFree", &store_pq.conninfo_free);
	if (ok)
		load_rc = AY_OK; /* stays loaded for the life of the process */
}

ay_rc store_pq_init(void)
{
	pthread_once(&once, load);
	return load_rc;
}
