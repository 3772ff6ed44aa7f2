#include <pthread.h>

#include "http/mhd_dl.h"
#include "util/dl.h"

struct http_mhd_api http_mhd;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static ay_rc load_rc = AY_EIO;

static void load(void)
{
	static const char *const files[] = {"libmicrohttpd.so.12", NULL};
	static const struct ay_dl_lib lib = {"libmicrohttpd", "libmicrohttpd12",
					     files};
	const struct ay_dl_sym syms[] = {
		{"MHD_start_daemon", &http_mhd.start_daemon},
		{"MHD_stop_daemon", &http_mhd.stop_daemon},
		{"MHD_quiesce_daemon", &http_mhd.quiesce_daemon},
		{"MHD_get_daemon_info", &http_mhd.get_daemon_info},
		{"MHD_lookup_connection_value",
		 &http_mhd.lookup_connection_value},
		{"MHD_get_connection_values", &http_mhd.get_connection_values},
		{"MHD_create_response_from_buffer",
		 &http_mhd.create_response_from_buffer},
		{"MHD_add_response_header", &http_mhd.add_response_header},
		{"MHD_destroy_response", &http_mhd.destroy_response},
		{"MHD_queue_response", &http_mhd.queue_response},
		{"MHD_get_connection_info", &http_mhd.get_connection_info},
		{"MHD_suspend_connection", &http_mhd.suspend_connection},
		{"MHD_resume_connection", &http_mhd.resume_connection},
		{"MHD_get_connection_values_n",
		 &http_mhd.get_connection_values_n},
	};

	load_rc = ay_dl_load(&lib, syms, AY_ARRAY_LEN(syms));
}

ay_rc http_mhd_init(void)
{
	pthread_once(&once, load);
	return load_rc;
}
