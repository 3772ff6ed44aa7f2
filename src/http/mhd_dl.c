#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

#include "http/mhd_dl.h"
#include "util/log.h"

struct http_mhd_api http_mhd;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static ay_rc load_rc = AY_EIO;

static bool sym(void *lib, const char *name, void *slot)
{
	void *p = dlsym(lib, name);

	if (!p) {
		log_error("libmicrohttpd lacks a function", "name=%s", name);
		return false;
	}
	memcpy(slot, &p, sizeof(p));
	return true;
}

static void load(void)
{
	void *lib = dlopen("libmicrohttpd.so.12", RTLD_NOW | RTLD_LOCAL);

	if (!lib) {
		log_error("cannot load libmicrohttpd (apt-get install "
			  "libmicrohttpd12)",
			  "err=\"%s\"", dlerror());
		return;
	}
	if (sym(lib, "MHD_start_daemon", &http_mhd.start_daemon) &&
	    sym(lib, "MHD_stop_daemon", &http_mhd.stop_daemon) &&
	    sym(lib, "MHD_quiesce_daemon", &http_mhd.quiesce_daemon) &&
	    sym(lib, "MHD_get_daemon_info", &http_mhd.get_daemon_info) &&
	    sym(lib, "MHD_lookup_connection_value",
		&http_mhd.lookup_connection_value) &&
	    sym(lib, "MHD_get_connection_values",
		&http_mhd.get_connection_values) &&
	    sym(lib, "MHD_create_response_from_buffer",
		&http_mhd.create_response_from_buffer) &&
	    sym(lib, "MHD_add_response_header",
		&http_mhd.add_response_header) &&
	    sym(lib, "MHD_destroy_response", &http_mhd.destroy_response) &&
	    sym(lib, "MHD_queue_response", &http_mhd.queue_response) &&
	    sym(lib, "MHD_get_connection_info",
		&http_mhd.get_connection_info) &&
	    sym(lib, "MHD_suspend_connection", &http_mhd.suspend_connection) &&
	    sym(lib, "MHD_resume_connection", &http_mhd.resume_connection) &&
	    sym(lib, "MHD_get_connection_values_n",
		&http_mhd.get_connection_values_n))
		load_rc = AY_OK; /* stays loaded for the life of the process */
}

ay_rc http_mhd_init(void)
{
	pthread_once(&once, load);
	return load_rc;
}
