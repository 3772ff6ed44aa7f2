#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/config.h"
#include "util/netaddr.h"
#include "util/path.h"

static void defaults(struct ay_config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->listen, sizeof(c->listen), "127.0.0.1:8080");
	c->max_request = 4u << 20;
	c->request_timeout = 30;
	c->ticket_cache_mb = 32;
	c->rate_burst = 100;
	snprintf(c->base_url, sizeof(c->base_url), "http://127.0.0.1:8080");
	snprintf(c->support_address, sizeof(c->support_address),
		 "soporte@ayuda.localhost");
	snprintf(c->mail_domain, sizeof(c->mail_domain), "ayuda.localhost");
	snprintf(c->subject_tag, sizeof(c->subject_tag), "Ticket");
	c->autoreply_per_hour = 5;
	c->max_attachment = 20u << 20;
	c->max_message_attachments = 20u << 20;
	snprintf(c->attachment_types, sizeof(c->attachment_types),
		 "image/png,image/gif,image/jpeg,application/zip,"
		 "application/x-rar,application/vnd.rar,application/pdf,"
		 "text/plain");
	c->pending_reminder_days = 3;
	c->pending_close_days = 10;
	c->jobs_interval = 30;
	c->reopen_days = 30;
	c->kb_mail_min_score = 8;
	c->comment_notice_minutes = 10;
	snprintf(c->out_of_scope_es, sizeof(c->out_of_scope_es), "%s",
		 "Nuestro soporte atiende cuestiones de los productos Bitrix. "
		 "Las consultas sobre alojamiento, software de terceros o "
		 "desarrollos a medida deben dirigirse a sus proveedores.");
	snprintf(c->out_of_scope_en, sizeof(c->out_of_scope_en), "%s",
		 "Our support covers questions about Bitrix products. "
		 "Questions about hosting, third-party software or custom "
		 "development should go to their providers.");
}

#define STR(sec, key, field)                                                   \
	if (!strcmp(section, sec) && !strcmp(name, key)) {                     \
		snprintf(c->field, sizeof(c->field), "%s", value);             \
		return 1;                                                      \
	}
#define NUM(sec, key, field)                                                   \
	if (!strcmp(section, sec) && !strcmp(name, key)) {                     \
		char *end;                                                     \
		long long v = strtoll(value, &end, 10);                        \
		if (*end || end == value || v < 0 ||                           \
		    (long long)(__typeof__(c->field))v != v)                   \
			return 0;                                              \
		c->field = (__typeof__(c->field))v;                            \
		return 1;                                                      \
	}

static int on_entry(void *user, const char *section, const char *name,
		    const char *value)
{
	struct ay_config *c = user;

	STR("server", "listen", listen)
	NUM("server", "threads", threads)
	NUM("server", "max_request", max_request)
	NUM("server", "request_timeout", request_timeout)
	NUM("server", "ticket_cache_mb", ticket_cache_mb)
	NUM("server", "rate_limit", rate_limit)
	NUM("server", "rate_burst", rate_burst)
	STR("server", "base_url", base_url)
	STR("server", "instance", instance)
	if (!strcmp(section, "server") && !strcmp(name, "trusted_proxies")) {
		if (strlen(value) >= sizeof(c->trusted_proxies) ||
		    !net_list_valid(value))
			return 0;
		snprintf(c->trusted_proxies, sizeof(c->trusted_proxies), "%s",
			 value);
		return 1;
	}
	STR("mail", "support_address", support_address)
	STR("mail", "domain", mail_domain)
	STR("mail", "subject_tag", subject_tag)
	STR("mail", "smtp_url", smtp_url)
	STR("mail", "smtp_user", smtp_user)
	STR("mail", "smtp_password", smtp_password)
	NUM("mail", "smtp_starttls", smtp_starttls)
	STR("mail", "imap_url", imap_url)
	STR("mail", "imap_user", imap_user)
	STR("mail", "imap_password", imap_password)
	NUM("mail", "imap_interval", imap_interval)
	NUM("mail", "autoreply_per_hour", autoreply_per_hour)
	NUM("mail", "max_attachment", max_attachment)
	NUM("mail", "max_message_attachments", max_message_attachments)
	STR("mail", "attachment_types", attachment_types)
	NUM("store", "max_size_mb", max_size_mb)
	if (!strcmp(section, "store") && !strcmp(name, "blobs")) {
		if (strcmp(value, "database") && strcmp(value, "files"))
			return 0;
		c->blobs_in_db = !strcmp(value, "database");
		return 1;
	}

	STR("store", "url", store_url)
	NUM("sla", "pending_reminder_days", pending_reminder_days)
	NUM("sla", "pending_close_days", pending_close_days)
	NUM("sla", "jobs_interval", jobs_interval)
	NUM("tickets", "reopen_days", reopen_days)
	NUM("tickets", "comment_notice_minutes", comment_notice_minutes)
	STR("tickets", "out_of_scope_es", out_of_scope_es)
	STR("tickets", "out_of_scope_en", out_of_scope_en)
	NUM("kb", "mail_min_score", kb_mail_min_score)
	return 0; /* unknown key: an error, so typos do not pass silently */
}

ay_rc config_load(const char *data_dir, struct ay_config *c, char *err,
		  size_t errlen)
{
	char path[1100];
	int line;

	defaults(c);
	if (ay_path(c->data_dir, sizeof(c->data_dir), "%s", data_dir) ||
	    ay_path(path, sizeof(path), "%s/ayuda.conf", data_dir)) {
		snprintf(err, errlen, "data directory path too long");
		return AY_ETOOBIG;
	}
	line = ini_parse(path, on_entry, c);
	if (line == -1) /* no file: defaults */
		return AY_OK;
	if (line != 0) {
		snprintf(err, errlen, "%s:%d: unknown key or bad value", path,
			 line);
		return AY_EINVAL;
	}
	return AY_OK;
}

ay_rc config_parse(const char *text, struct ay_config *c, char *err,
		   size_t errlen)
{
	int line;

	defaults(c);
	line = ini_parse_string(text, on_entry, c);
	if (line != 0) {
		snprintf(err, errlen, "ayuda.conf:%d: unknown key or bad value",
			 line);
		return AY_EINVAL;
	}
	return AY_OK;
}

ay_rc config_write_default(const char *data_dir)
{
	static const char text[] =
		"# ayuda configuration. Every key is optional.\n"
		"[server]\n"
		"# listen = 127.0.0.1:8080\n"
		"# threads = 0            ; 0: one per core\n"
		"# max_request = 4194304  ; bytes\n"
		"# request_timeout = 30   ; seconds\n"
		"# ticket_cache_mb = 32   ; tickets' answers kept in memory, "
		"0: none\n"
		"# rate_limit = 0         ; requests/s per client, 0: off\n"
		"# base_url = http://127.0.0.1:8080\n"
		"# trusted_proxies =      ; e.g. 127.0.0.1, ::1, 10.0.0.0/8:\n"
		"#   proxies whose X-Forwarded-For names the client\n"
		"# instance =             ; this server's name on its claims, "
		"default HOST:PORT\n"
		"\n[mail]\n"
		"# support_address = soporte@ayuda.localhost\n"
		"# domain = ayuda.localhost\n"
		"# subject_tag = Ticket\n"
		"# smtp_url = smtp://127.0.0.1:25\n"
		"# imap_url = imap://127.0.0.1:143/INBOX\n"
		"# imap_interval = 60\n"
		"# autoreply_per_hour = 5\n"
		"# max_attachment = 20971520\n"
		"\n[store]\n"
		"# max_size_mb = 0        ; cap on the database, 0: none\n"
		"# blobs = files          ; raw mail and attachments: files "
		"or database\n"
		"# url = postgresql://ayuda@db.example/ayuda ; PostgreSQL "
		"instead of ayuda.db\n"
		"\n[sla]\n"
		"# pending_reminder_days = 3\n"
		"# pending_close_days = 10\n"
		"\n[tickets]\n"
		"# reopen_days = 30            ; a reply reopens a ticket "
		"closed less than this ago\n"
		"# comment_notice_minutes = 10 ; one \"message added\" "
		"notice per ticket per N minutes\n"
		"# out_of_scope_es = ...       ; why an out-of-scope request "
		"closes (also out_of_scope_en)\n"
		"\n[kb]\n"
		"# mail_min_score = 8   ; the acknowledgement of a new ticket "
		"lists up to 3\n"
		"#                      ; knowledge-base articles scoring at "
		"least this; 0: none\n";
	char path[1100];
	FILE *f;
	int fd;

	if (ay_path(path, sizeof(path), "%s/ayuda.conf", data_dir))
		return AY_ETOOBIG;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0640);
	if (fd < 0)
		return errno == EEXIST ? AY_OK : AY_EIO;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return AY_EIO;
	}
	fputs(text, f);
	return fclose(f) ? AY_EIO : AY_OK;
}
