/* libcurl, loaded at run time on first use (dlopen) instead of linked: the
 * library and its ~25 dependencies (TLS, Kerberos, LDAP, ...) then cost
 * nothing to the commands that never send or fetch mail, `mail-in` above
 * all (it halves the start-up time of every `ayuda` process).
 *
 * Include this after <curl/curl.h> (with CURL_DISABLE_TYPECHECK defined):
 * the curl_* names below then go through the loaded table. */
#ifndef AY_CURL_DL_H
#define AY_CURL_DL_H

#include <curl/curl.h>

#include "util/ay.h"

struct mail_curl_api {
	CURLcode (*global_init)(long flags);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *h, CURLoption opt, ...);
	CURLcode (*easy_perform)(CURL *h);
	void (*easy_cleanup)(CURL *h);
	CURLcode (*easy_getinfo)(CURL *h, CURLINFO info, ...);
	const char *(*easy_strerror)(CURLcode c);
	CURLcode (*easy_send)(CURL *h, const void *b, size_t n, size_t *sent);
	CURLcode (*easy_recv)(CURL *h, void *b, size_t n, size_t *got);
	struct curl_slist *(*slist_append)(struct curl_slist *l, const char *s);
	void (*slist_free_all)(struct curl_slist *l);
	CURLU *(*url)(void);
	CURLUcode (*url_set)(CURLU *u, CURLUPart p, const char *v,
			     unsigned int flags);
	CURLUcode (*url_get)(const CURLU *u, CURLUPart p, char **v,
			     unsigned int flags);
	void (*url_cleanup)(CURLU *u);
	void (*free)(void *p);
};

/* Written once, under pthread_once, by mail_curl_init(); read-only after. */
extern struct mail_curl_api mail_curl;

/* Load libcurl and run curl_global_init, once. AY_EIO when libcurl cannot
 * be loaded (the reason is logged). Thread-safe. */
ay_rc mail_curl_init(void) AY_MUST_CHECK;

/* curl.h wraps these two in argument-count macros: replace them. */
#undef curl_easy_setopt
#undef curl_easy_getinfo
#define curl_easy_init	    mail_curl.easy_init
#define curl_easy_setopt    mail_curl.easy_setopt
#define curl_easy_perform   mail_curl.easy_perform
#define curl_easy_cleanup   mail_curl.easy_cleanup
#define curl_easy_getinfo   mail_curl.easy_getinfo
#define curl_easy_strerror  mail_curl.easy_strerror
#define curl_easy_send	    mail_curl.easy_send
#define curl_easy_recv	    mail_curl.easy_recv
#define curl_slist_append   mail_curl.slist_append
#define curl_slist_free_all mail_curl.slist_free_all
#define curl_url	    mail_curl.url
#define curl_url_set	    mail_curl.url_set
#define curl_url_get	    mail_curl.url_get
#define curl_url_cleanup    mail_curl.url_cleanup
#define curl_free	    mail_curl.free

#endif
