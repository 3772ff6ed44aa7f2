/* `ayuda doctor`: what an administrator gets wrong, as a report of checks,
 * each ok or what to do. The rules on facts live here (no I/O); the
 * command-line side (src/cli/cli_doctor.c) gathers the facts: files,
 * disk, the SMTP and IMAP servers, the proxy, Postfix. Messages are
 * Spanish msgids translated with po/en.po. */
#ifndef AY_DOMAIN_DOCTOR_H
#define AY_DOMAIN_DOCTOR_H

#include <stdint.h>
#include <stdio.h>

#include "util/ay.h"

enum doctor_state {
	DOCTOR_OK,
	DOCTOR_FAIL,
	DOCTOR_SKIP, /* does not apply here (not configured, not installed) */
};

struct doctor_item {
	char key[24]; /* what was checked: "vault.key", "smtp", ... */
	enum doctor_state state;
	char text[600]; /* in the report's language */
};

struct doctor_report {
	const char *lang; /* "es" (default) or "en" */
	struct doctor_item items[48];
	size_t n;
	const char *secrets[4]; /* never printed: replaced by "***" */
};

void doctor_init(struct doctor_report *r, const char *lang);
/* Add a check: fmt is a Spanish msgid, translated, then formatted. */
void doctor_add(struct doctor_report *r, const char *key,
		enum doctor_state state, const char *fmt, ...) AY_PRINTF(4, 5);
/* Print the report; returns the number of failed checks. */
int doctor_print(const struct doctor_report *r, FILE *f);

/* The rules. Each adds one item. */

/* [server] base_url: absolute http(s); https unless the host is this
 * machine, and not this machine on a server (links in mail). */
void doctor_base_url(struct doctor_report *r, const char *base_url);
/* [mail] support_address and domain: set, valid, not the defaults. */
void doctor_support_address(struct doctor_report *r, const char *addr,
			    const char *domain);
/* Free space of the data directory's file system: room for at least 20
 * of the largest messages (1 GiB) and 5% of the disk. */
void doctor_disk(struct doctor_report *r, const char *dir, uint64_t avail,
		 uint64_t total);
/* A file's mode has no permission beyond most (e.g. 0600 for vault.key);
 * fix names the chmod to run. */
void doctor_mode(struct doctor_report *r, const char *key, const char *path,
		 unsigned mode, unsigned most);
/* Behind a reverse proxy (a public https base_url, a loopback listen
 * address), the proxy must be trusted for X-Forwarded-For. */
void doctor_proxy(struct doctor_report *r, const char *base_url,
		  const char *listen, const char *trusted_proxies);
/* Postfix's size limits against ayuda's largest message (max bytes);
 * 0 means no limit in Postfix. */
void doctor_postfix_sizes(struct doctor_report *r, uint64_t message_limit,
			  uint64_t mailbox_limit, uint64_t max);
/* `ayuda backup` of a PostgreSQL store runs pg_dump: it must be on the
 * PATH (dump_major, from `pg_dump --version`; 0: not found) and not older
 * than the server (server_major; 0: the server could not be asked). */
void doctor_pg_dump(struct doctor_report *r, int dump_major, int server_major);
/* The major version in `pg_dump --version`'s answer ("pg_dump
 * (PostgreSQL) 15.5 (Debian 15.5-0+deb12u1)": 15), or 0. */
int doctor_pg_dump_major(const char *version);
/* Whether host names this machine (localhost, 127.x, ::1). */
bool doctor_host_is_local(const char *host);

#endif
