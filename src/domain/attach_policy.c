/* The attachment policy: allowed types by content, size limits. */
#include "domain/attach_policy.h"

void attach_policy_load(const struct ay_config *cfg,
			struct mail_attach_policy *p)
{
	mail_attach_policy_default(p);
	if (cfg->attachment_types[0] &&
	    mail_attach_policy_parse(p, cfg->attachment_types))
		mail_attach_policy_default(p);
	p->max_file = cfg->max_attachment;
	p->max_message = cfg->max_message_attachments;
}

ay_rc attach_policy_check_file(const struct ay_config *cfg, const char *name,
			       const void *data, size_t len, char *type,
			       size_t typelen, char *why, size_t whylen)
{
	struct mail_attach_policy pol;
	struct mail_attachment a = {0};

	mail_sniff_type_named(data, len, name, type, typelen);
	a.filename = (char *)name;
	a.sniffed_type = type;
	a.data = (unsigned char *)data;
	a.len = len;
	attach_policy_load(cfg, &pol);
	return mail_attachment_check(&pol, &a, why, whylen);
}
