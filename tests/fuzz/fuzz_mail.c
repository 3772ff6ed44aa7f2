/* libFuzzer target: mail_parse + attachment check + mail_msg_free. Run
 * e.g. fuzz_mail -max_len=65536 tests/fuzz/seeds/mail. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mail/attach.h"
#include "mail/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mail_parse_opts o = {"ayuda-loop", 4096};
	struct mail_attach_policy p;
	struct mail_msg *m = NULL;
	char err[128], why[256];
	size_t i;

	if (mail_parse((const char *)data, size, &o, &m, err, sizeof(err)))
		return 0;
	mail_attach_policy_default(&p);
	for (i = 0; i < m->natt; i++)
		if (mail_attachment_check(&p, &m->att[i], why, sizeof(why))) {
			/* refused: fine */
		}
	mail_msg_free(m);
	return 0;
}
