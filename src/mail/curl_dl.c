#define CURL_DISABLE_TYPECHECK 1
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "mail/curl_dl.h"
#include "util/log.h"

struct mail_curl_api mail_curl;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static ay_rc load_rc = AY_EIO;

/* Look up one symbol into *slot; false when missing. */
static bool sym(void *lib, const char *name, void *slot)
{
	void *p = dlsym(lib, name);

	if (!p) {
		log_error("libcurl lacks a function", "name=%s", name);
		return false;
	}
	memcpy(slot, &p, sizeof(p));
	return true;
}

static void load(void)
{
	static const char *const names[] = {
		"libcurl.so.4", "libcurl-gnutls.so.4", "libcurl-nss.so.4"};
	void *lib = NULL;
	bool ok;

	for (size_t i = 0; !lib && i < AY_ARRAY_LEN(names); i++)
		lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		log_error("cannot load libcurl (apt-get install libcurl4)",
			  "err=\"%s\"", dlerror());
		return;
	}
	ok = sym(lib, "curl_global_init", &mail_curl.global_init) &&
	     sym(lib, "curl_easy_init", &mail_curl.easy_init) &&
	     sym(lib, "curl_easy_setopt", &mail_curl.easy_setopt) &&
	     sym(lib, "curl_easy_perform", &mail_curl.easy_perform) &&
	     sym(lib, "curl_easy_cleanup", &mail_curl.easy_cleanup) &&
	     sym(lib, "curl_easy_getinfo", &mail_curl.easy_getinfo) &&
	     sym(lib, "curl_easy_strerror", &mail_curl.easy_strerror) &&
	     sym(lib, "curl_easy_send", &mail_curl.easy_send) &&
	     sym(lib, "curl_easy_recv", &mail_curl.easy_recv) &&
	     sym(lib, "curl_slist_append", &mail_curl.slist_append) &&
	     sym(lib, "curl_slist_free_all", &mail_curl.slist_free_all) &&
	     sym(lib, "curl_url", &mail_curl.url) &&
	     sym(lib, "curl_url_set", &mail_curl.url_set) &&
	     sym(lib, "curl_url_get", &mail_curl.url_get) &&
	     sym(lib, "curl_url_cleanup", &mail_curl.url_cleanup) &&
	     sym(lib, "curl_free", &mail_curl.free);
	if (!ok || mail_curl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return;
	/* The library stays loaded for the life of the process. */
	load_rc = AY_OK;
}

ay_rc mail_curl_init(void)
{
	pthread_once(&once, load);
	return load_rc;
}
