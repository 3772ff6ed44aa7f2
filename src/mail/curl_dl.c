#define CURL_DISABLE_TYPECHECK 1
#include <pthread.h>

#include "mail/curl_dl.h"
#include "util/dl.h"
#include "util/log.h"

struct mail_curl_api mail_curl;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static ay_rc load_rc = AY_EIO;

static void load(void)
{
	static const char *const files[] = {"libcurl.so.4",
					    "libcurl-gnutls.so.4",
					    "libcurl-nss.so.4", NULL};
	static const struct ay_dl_lib lib = {"libcurl", "libcurl4", files};
	const struct ay_dl_sym syms[] = {
		{"curl_global_init", &mail_curl.global_init},
		{"curl_easy_init", &mail_curl.easy_init},
		{"curl_easy_setopt", &mail_curl.easy_setopt},
		{"curl_easy_perform", &mail_curl.easy_perform},
		{"curl_easy_cleanup", &mail_curl.easy_cleanup},
		{"curl_easy_getinfo", &mail_curl.easy_getinfo},
		{"curl_easy_strerror", &mail_curl.easy_strerror},
		{"curl_easy_send", &mail_curl.easy_send},
		{"curl_easy_recv", &mail_curl.easy_recv},
		{"curl_slist_append", &mail_curl.slist_append},
		{"curl_slist_free_all", &mail_curl.slist_free_all},
		{"curl_url", &mail_curl.url},
		{"curl_url_set", &mail_curl.url_set},
		{"curl_url_get", &mail_curl.url_get},
		{"curl_url_cleanup", &mail_curl.url_cleanup},
		{"curl_free", &mail_curl.free},
	};

	CURLcode rc;

	if (ay_dl_load(&lib, syms, AY_ARRAY_LEN(syms)))
		return;
	rc = mail_curl.global_init(CURL_GLOBAL_DEFAULT);
	if (rc != CURLE_OK) {
		log_error("curl_global_init failed", "rc=%d", (int)rc);
		return;
	}
	load_rc = AY_OK;
}

ay_rc mail_curl_init(void)
{
	pthread_once(&once, load);
	return load_rc;
}
