/* libpq, loaded at run time by store_pq_init() (dlopen) instead of linked:
 * only a data dir whose store is PostgreSQL needs it, and it brings
 * OpenSSL, Kerberos, LDAP and SASL, 2.7 MB of resident pages that every
 * `ayuda` process would otherwise carry (`ayuda serve`'s idle RSS). Included
 * right after <libpq-fe.h>; the PQ* names below then go through the loaded
 * table, with the prototypes of the header. */
#ifndef AY_PQ_DL_H
#define AY_PQ_DL_H

#include <libpq-fe.h>

#include "util/ay.h"

struct store_pq_api {
	__typeof__(PQclear) *clear;
	__typeof__(PQcmdTuples) *cmd_tuples;
	__typeof__(PQconnectdb) *connectdb;
	__typeof__(PQerrorMessage) *error_message;
	__typeof__(PQexec) *exec;
	__typeof__(PQexecPrepared) *exec_prepared;
	__typeof__(PQfinish) *finish;
	__typeof__(PQfreemem) *freemem;
	__typeof__(PQgetisnull) *getisnull;
	__typeof__(PQgetvalue) *getvalue;
	__typeof__(PQnfields) *nfields;
	__typeof__(PQntuples) *ntuples;
	__typeof__(PQprepare) *prepare;
	__typeof__(PQreset) *reset;
	__typeof__(PQresultErrorField) *result_error_field;
	__typeof__(PQresultErrorMessage) *result_error_message;
	__typeof__(PQresultStatus) *result_status;
	__typeof__(PQsetNoticeProcessor) *set_notice_processor;
	__typeof__(PQstatus) *status;
	__typeof__(PQtransactionStatus) *transaction_status;
	__typeof__(PQunescapeBytea) *unescape_bytea;
	__typeof__(PQconninfoParse) *conninfo_parse;
	__typeof__(PQconninfoFree) *conninfo_free;
	__typeof__(PQcmdStatus) *cmd_status;
	__typeof__(PQenterPipelineMode) *enter_pipeline_mode;
	__typeof__(PQexitPipelineMode) *exit_pipeline_mode;
	__typeof__(PQgetResult) *get_result;
	__typeof__(PQpipelineStatus) *pipeline_status;
	__typeof__(PQpipelineSync) *pipeline_sync;
	__typeof__(PQsendQueryParams) *send_query_params;
	__typeof__(PQsendQueryPrepared) *send_query_prepared;
};

/* Written once, under pthread_once, by store_pq_init(); read-only after. */
extern struct store_pq_api store_pq;

/* Load libpq, once. AY_EIO when it cannot be loaded (logged). */
ay_rc store_pq_init(void) AY_MUST_CHECK;

#define PQclear		     store_pq.clear
#define PQcmdTuples	     store_pq.cmd_tuples
#define PQconnectdb	     store_pq.connectdb
#define PQerrorMessage	     store_pq.error_message
#define PQexec		     store_pq.exec
#define PQexecPrepared	     store_pq.exec_prepared
#define PQfinish	     store_pq.finish
#define PQfreemem	     store_pq.freemem
#define PQgetisnull	     store_pq.getisnull
#define PQgetvalue	     store_pq.getvalue
#define PQnfields	     store_pq.nfields
#define PQntuples	     store_pq.ntuples
#define PQprepare	     store_pq.prepare
#define PQreset		     store_pq.reset
#define PQresultErrorField   store_pq.result_error_field
#define PQresultErrorMessage store_pq.result_error_message
#define PQresultStatus	     store_pq.result_status
#define PQsetNoticeProcessor store_pq.set_notice_processor
#define PQstatus	     store_pq.status
#define PQtransactionStatus  store_pq.transaction_status
#define PQunescapeBytea	     store_pq.unescape_bytea
#define PQconninfoParse	     store_pq.conninfo_parse
#define PQconninfoFree	     store_pq.conninfo_free
#define PQcmdStatus	     store_pq.cmd_status
#define PQenterPipelineMode  store_pq.enter_pipeline_mode
#define PQexitPipelineMode   store_pq.exit_pipeline_mode
#define PQgetResult	     store_pq.get_result
#define PQpipelineStatus     store_pq.pipeline_status
#define PQpipelineSync	     store_pq.pipeline_sync
#define PQsendQueryParams    store_pq.send_query_params
#define PQsendQueryPrepared  store_pq.send_query_prepared

#endif
