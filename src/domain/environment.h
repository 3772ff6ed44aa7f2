/* What the system collects with a ticket (policy 7.4.5, 7.12): the
 * customer's browser (User-Agent and client hints) and the server
 * configuration they may attach (the output of info.php, phpinfo(), as
 * HTML or as `php -i` text). Kept with the ticket for staff only, shown as
 * a readable summary: browser, OS, PHP and web server versions
 * (domain/environment.c). */
#ifndef AY_DOMAIN_ENVIRONMENT_H
#define AY_DOMAIN_ENVIRONMENT_H

#include "domain/common.h"

#define AY_SERVER_INFO_MAX (2u << 20) /* bytes of info.php output kept */

/* The browser from a User-Agent (may be NULL) and client hints (a JSON
 * object of the Sec-CH-UA* headers by lower-case name, or NULL): a new
 * object {name, version, os, os_version, mobile, summary} (summary in
 * lang, as "Chrome 120 en Windows 11"), members null when unknown. */
json_t *env_browser(const char *user_agent, json_t *hints, const char *lang);
/* The server from info.php output (text of len bytes): a new object
 * {php_version, system, server_software, server_api, database, memory_limit,
 * max_execution_time, upload_max_filesize, post_max_size, date_timezone,
 * mbstring_func_overload, opcache, summary} or NULL when it does not look
 * like phpinfo() output (no PHP version). */
json_t *env_server(const char *text, size_t len);

/* Store what the channel collected on ticket_id: hints (borrowed, or
 * NULL) and server_info (NULL: none). AY_EINVAL (err on "server_info")
 * when server_info is not phpinfo() output or too big. */
ay_rc env_store(struct db *db, int64_t ticket_id, json_t *hints,
		const char *server_info, struct verr *err) AY_MUST_CHECK;
/* *out (owned by the caller): {browser: env_browser plus user_agent and
 * client_hints, or null for a ticket that came by mail; server: env_server
 * or null}, summaries in lang. */
/* Send env_json()'s read ahead (db_prefetch). */
ay_rc env_prefetch(struct db *db, int64_t ticket_id) AY_MUST_CHECK;
ay_rc env_json(struct db *db, int64_t ticket_id, const char *lang,
	       json_t **out) AY_MUST_CHECK;
/* *text (owned by the caller, free()) the info.php output kept with the
 * ticket; AY_ENOTFOUND when there is none. */
ay_rc env_server_info(struct db *db, int64_t ticket_id,
		      char **text) AY_MUST_CHECK;

#endif
