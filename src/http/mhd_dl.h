/* libmicrohttpd, loaded at run time by http_start() (dlopen) instead of
 * linked: only `ayuda serve` needs it, and it brings GnuTLS and seven more
 * libraries that every other `ayuda` process (mail-in above all) would
 * otherwise load and relocate for nothing. Included by http.h right after
 * <microhttpd.h>; the MHD_* names below then go through the loaded table,
 * with the prototypes of the header. */
#ifndef AY_MHD_DL_H
#define AY_MHD_DL_H

#include <microhttpd.h>

#include "util/ay.h"

struct http_mhd_api {
	__typeof__(MHD_start_daemon) *start_daemon;
	__typeof__(MHD_stop_daemon) *stop_daemon;
	__typeof__(MHD_quiesce_daemon) *quiesce_daemon;
	__typeof__(MHD_get_daemon_info) *get_daemon_info;
	__typeof__(MHD_lookup_connection_value) *lookup_connection_value;
	__typeof__(MHD_get_connection_values) *get_connection_values;
	__typeof__(MHD_create_response_from_buffer)
		*create_response_from_buffer;
	__typeof__(MHD_add_response_header) *add_response_header;
	__typeof__(MHD_destroy_response) *destroy_response;
	__typeof__(MHD_queue_response) *queue_response;
	__typeof__(MHD_get_connection_info) *get_connection_info;
	__typeof__(MHD_suspend_connection) *suspend_connection;
	__typeof__(MHD_resume_connection) *resume_connection;
	__typeof__(MHD_get_connection_values_n) *get_connection_values_n;
};

/* Written once, under pthread_once, by http_mhd_init(); read-only after. */
extern struct http_mhd_api http_mhd;

/* Load libmicrohttpd, once. AY_EIO when it cannot be loaded (logged). */
ay_rc http_mhd_init(void) AY_MUST_CHECK;

#define MHD_start_daemon		http_mhd.start_daemon
#define MHD_stop_daemon			http_mhd.stop_daemon
#define MHD_quiesce_daemon		http_mhd.quiesce_daemon
#define MHD_get_daemon_info		http_mhd.get_daemon_info
#define MHD_lookup_connection_value	http_mhd.lookup_connection_value
#define MHD_get_connection_values	http_mhd.get_connection_values
#define MHD_create_response_from_buffer http_mhd.create_response_from_buffer
#define MHD_add_response_header		http_mhd.add_response_header
#define MHD_destroy_response		http_mhd.destroy_response
#define MHD_queue_response		http_mhd.queue_response
#define MHD_get_connection_info		http_mhd.get_connection_info
#define MHD_suspend_connection		http_mhd.suspend_connection
#define MHD_resume_connection		http_mhd.resume_connection
#define MHD_get_connection_values_n	http_mhd.get_connection_values_n

#endif
