/* Send mail by SMTP (libcurl). */
#ifndef AY_MAIL_SMTP_H
#define AY_MAIL_SMTP_H

#include "util/ay.h"

enum mail_tls {
	MAIL_TLS_NONE,	   /* plain text (or implicit TLS with smtps/imaps) */
	MAIL_TLS_TRY,	   /* STARTTLS if offered (CURLUSESSL_TRY) */
	MAIL_TLS_REQUIRED, /* STARTTLS or fail (CURLUSESSL_ALL) */
};

/* What the server said, for a person to read (the admin console's test
 * buttons): the last line of each reply, newest last, the oldest dropped
 * past MAIL_DIALOGUE_LINES; AUTH challenges (334) and our own commands are
 * never kept, so no credential can appear here. */
#define MAIL_DIALOGUE_LINES 12
struct mail_dialogue {
	char line[MAIL_DIALOGUE_LINES][240];
	int n;
	/* why it failed, in one word: "resolve", "connect", "timeout",
	 * "tls", "auth", "rejected", "protocol"; "" when it did not */
	char failure[16];
};

/* Keep the reply line p[0..n) (CR/LF trimmed) in d. */
void mail_dialogue_add(struct mail_dialogue *d, const char *p, size_t n);
/* Keep each line of data[0..size) for which keep(line, len) is true. */
void mail_dialogue_lines(struct mail_dialogue *d, const char *data, size_t size,
			 bool (*keep)(const char *p, size_t n));

struct mail_smtp_conf {
	const char *url;  /* smtp://host:port or smtps://host:port */
	const char *user; /* NULL: no AUTH */
	const char *password;
	enum mail_tls tls;
	bool insecure;	      /* do not verify the certificate (tests) */
	const char *ca_file;  /* extra CA bundle, or NULL */
	long connect_timeout; /* seconds, 0 = 30 */
	long timeout;	      /* whole transfer, seconds, 0 = 300 */
	bool probe;	      /* stop at DATA: check that the server takes the
				 envelope (EHLO, AUTH, MAIL, RCPT), send nothing */
	struct mail_dialogue *dialogue; /* the server's replies, or NULL */
};

/* Send data (len bytes, CRLF lines) from envelope sender from to n
 * recipients. AY_OK when the server accepted it; AY_EIO for a temporary
 * failure (connection, timeout, 4xx: retry later); AY_EINVAL for a
 * permanent 5xx rejection (do not retry). err gets "smtp NNN: ...", NNN
 * being the last SMTP reply code (0 when none). */
ay_rc mail_smtp_send(const struct mail_smtp_conf *c, const char *from,
		     const char *const *rcpts, size_t n, const char *data,
		     size_t len, char *err, size_t errlen) AY_MUST_CHECK;

#endif
