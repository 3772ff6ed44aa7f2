/* Per-message return paths (VERP): each mail we send leaves with the
 * envelope sender local+bounce-TOKEN@domain of the support address, TOKEN
 * a keyed hash (HMAC-SHA256 under DATA/mail.key) of its Message-ID. A
 * bounce is believed only when it names a Message-ID we sent and comes
 * back to that message's own return path, which nobody can make up
 * without the key. */
#ifndef AY_MAIL_VERP_H
#define AY_MAIL_VERP_H

#include "util/ay.h"

struct mail_verp_key {
	unsigned char k[32];
};

/* Read DATA/mail.key into *key; when it is missing and create is set, make
 * it first (32 random bytes, mode 0600; safe against a concurrent
 * creator). AY_ENOTFOUND when missing and not create; AY_EIO otherwise. */
ay_rc mail_verp_key_load(const char *data_dir, bool create,
			 struct mail_verp_key *key) AY_MUST_CHECK;

/* The return path of message_id for the support address (local@domain)
 * into out. AY_EINVAL when address has no '@', AY_ETOOBIG when out is
 * short. */
ay_rc mail_verp_return_path(const struct mail_verp_key *key,
			    const char *address, const char *message_id,
			    char *out, size_t outlen) AY_MUST_CHECK;

/* Whether text (an address, a header value) holds "+bounce-TOKEN" with
 * the token of message_id. */
bool mail_verp_match(const struct mail_verp_key *key, const char *message_id,
		     const char *text);

#endif
