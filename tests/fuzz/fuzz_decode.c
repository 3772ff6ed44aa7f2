/* libFuzzer target: the in-body decoders of mail/decode.c (uuencoded
 * blocks, BinHex 4.0) on raw input, with small output caps so that the
 * limits are reached too. Run e.g. fuzz_decode tests/fuzz/seeds/decode. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mail/decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	struct mail_uu_block blk;
	struct buf out;
	size_t off = 0, last = 0;
	bool found;
	char *name = NULL;
	ay_rc rc;

	buf_init(&out, 64 * 1024);
	while (off < size) {
		rc = mail_uu_next(p, size, &off, &blk, &out, &found);
		if (rc == AY_OK && found) {
			if (blk.start < last || blk.end > size ||
			    blk.start >= blk.end || !blk.name)
				abort();
			last = blk.end;
			free(blk.name);
		} else if (rc == AY_OK) {
			break;
		}
	}
	buf_release(&out);
	buf_init(&out, 64 * 1024);
	rc = mail_binhex_decode(p, size, 256 * 1024, &name, &out);
	if ((rc == AY_OK) != (name != NULL))
		abort();
	free(name);
	buf_release(&out);
	return 0;
}
