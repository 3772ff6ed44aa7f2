/* libFuzzer target: the configuration file (ayuda.conf, INI) as
 * config_parse() reads it. An accepted file never yields a negative number
 * or an unterminated string. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ay_config c;
	char err[256];
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (!config_parse(text, &c, err, sizeof(err))) {
		if (c.threads < 0 || c.request_timeout < 0 ||
		    c.rate_limit < 0 || c.rate_burst < 0 ||
		    c.smtp_starttls < 0 || c.imap_interval < 0 ||
		    c.autoreply_per_hour < 0 || c.max_size_mb < 0 ||
		    c.pending_reminder_days < 0 || c.pending_close_days < 0 ||
		    c.jobs_interval < 0)
			abort();
		if (!memchr(c.listen, 0, sizeof(c.listen)) ||
		    !memchr(c.base_url, 0, sizeof(c.base_url)) ||
		    !memchr(c.attachment_types, 0, sizeof(c.attachment_types)))
			abort();
	} else if (!err[0]) {
		abort(); /* a refusal always says why */
	}
	free(text);
	return 0;
}
