/* Configuration: read once from DATA/ayuda.conf (INI) into a const struct
 * that the rest of the program borrows. */
#ifndef AY_CONFIG_H
#define AY_CONFIG_H

#include "util/ay.h"

struct ay_config {
	char data_dir[1024];
	/* [server] */
	char listen[128];    /* HOST:PORT */
	int threads;	     /* HTTP worker threads; 0: one per core */
	size_t max_request;  /* bytes of request body */
	int request_timeout; /* seconds */
	int ticket_cache_mb; /* tickets' answers kept; 0: none */
	int rate_limit;	     /* requests per second per client; 0: off */
	int rate_burst;
	char base_url[256]; /* how people reach us, for links in mail */
	/* reverse proxies whose X-Forwarded-For names the client: addresses
	 * and CIDR ranges, comma-separated; empty: trust none */
	char trusted_proxies[512];
	char web_dir[1024]; /* serve the web UI from here; "": embedded */
	/* this server's name among several on one database, on its claims
	 * of background work; "": HOST:PORT (docs/scaling.md) */
	char instance[128];
	/* [mail] */
	char support_address[256]; /* From of our mail, and the inbox */
	char mail_domain[128];	   /* for Message-IDs */
	char subject_tag[32];	   /* "Ticket" -> [Ticket#N] */
	char smtp_url[256];
	char smtp_user[128];
	char smtp_password[128];
	int smtp_starttls;
	char imap_url[256];
	char imap_user[128];
	char imap_password[128];
	int imap_interval; /* seconds; 0: no polling */
	int autoreply_per_hour;
	size_t max_attachment;
	size_t max_message_attachments;
	char attachment_types[512];
	/* [store] */
	int max_size_mb; /* cap on the SQLite database; 0: none */
	/* raw mail and attachments in the database's blobs table rather
	 * than files under the data dir ([store] blobs = database); always so
	 * on PostgreSQL (store/blobs.c) */
	bool blobs_in_db;
	char store_url[512]; /* postgresql://...; "": SQLite in data_dir */
	/* [sla] */
	int pending_reminder_days; /* business days */
	int pending_close_days;
	int jobs_interval; /* seconds between scheduler runs */
	/* [tickets] */
	int reopen_days;	    /* a reply reopens a ticket closed less
				       than this ago; later it opens a new
				       one that continues it */
	int comment_notice_minutes; /* at most one "message added" notice
				       per ticket in this time */
	char out_of_scope_es[1024]; /* why an out-of-scope request closes */
	char out_of_scope_en[1024];
	/* [kb] */
	int kb_mail_min_score; /* the acknowledgement of a new ticket lists up
				  to three articles scoring at least this
				  for its subject and text; 0: none */
};

/* Defaults, then DATA/ayuda.conf when present. err gets a reason. */
ay_rc config_load(const char *data_dir, struct ay_config *c, char *err,
		  size_t errlen) AY_MUST_CHECK;
/* Defaults, then the INI text (NUL-terminated) as ayuda.conf would be
 * read; c->data_dir stays empty. AY_EINVAL with a reason in err. */
ay_rc config_parse(const char *text, struct ay_config *c, char *err,
		   size_t errlen) AY_MUST_CHECK;
/* Write a commented default ayuda.conf into data_dir (no overwrite). */
ay_rc config_write_default(const char *data_dir) AY_MUST_CHECK;

#endif
