/* Which files ayuda accepts, by mail or by upload: a rule of the help desk,
 * built from the configuration ([mail] attachment_types, max_attachment,
 * max_message_attachments) over mail/'s content sniffing
 * (domain/attach_policy.c). */
#ifndef AY_ATTACH_POLICY_H
#define AY_ATTACH_POLICY_H

#include "mail/attach.h"
#include "util/config.h"

/* The attachment policy of the configuration into *p, for mail and uploads
 * alike. */
void attach_policy_load(const struct ay_config *cfg,
			struct mail_attach_policy *p);

/* Check one uploaded file (name, data[0..len)) against the policy of cfg:
 * type[typelen] gets its type as sniffed from the content. AY_OK, or
 * AY_EPERM / AY_ETOOBIG with a Spanish explanation in why[whylen]. */
ay_rc attach_policy_check_file(const struct ay_config *cfg, const char *name,
			       const void *data, size_t len, char *type,
			       size_t typelen, char *why,
			       size_t whylen) AY_MUST_CHECK;

#endif
