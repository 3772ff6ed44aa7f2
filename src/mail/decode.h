/* Decoders for the old in-body encodings that GMime leaves alone:
 * uuencoded blocks inside a text body, and BinHex 4.0 (RFC 1741). Pure:
 * no I/O, bounded output, linear time. */
#ifndef AY_MAIL_DECODE_H
#define AY_MAIL_DECODE_H

#include "util/ay.h"
#include "util/buf.h"

/* One uuencoded block found in a text. */
struct mail_uu_block {
	size_t start; /* offset of its "begin MODE NAME" line */
	size_t end;   /* offset just past its "end" line (and line end) */
	char *name;   /* the NAME of the begin line (owned, free()) */
};

/* Find the first complete uuencoded block ("begin 644 name", data lines
 * with CRLF or LF ends, "`", "end") in text[*off..n) and decode it into
 * data (whose cap bounds it). Sets *found; on a block, blk describes it
 * and *off moves past it; a block that is not complete or not well formed
 * is left in the text. AY_ENOMEM, or AY_ETOOBIG when data's cap is hit
 * (the block is then skipped: *found false, *off past it). */
ay_rc mail_uu_next(const char *text, size_t n, size_t *off,
		   struct mail_uu_block *blk, struct buf *data,
		   bool *found) AY_MUST_CHECK;

/* Decode BinHex 4.0 text p[0..n) (an optional "(This file must be
 * converted with BinHex 4.0)" line, then ":...:"): its data fork into
 * data, the Macintosh file name into *name (owned, free()). The header,
 * data and resource fork CRCs are checked; the resource fork is dropped.
 * AY_EINVAL when p is not well-formed BinHex or a CRC does not match,
 * AY_ETOOBIG when the forks declare more than max bytes (together),
 * AY_ENOMEM. */
ay_rc mail_binhex_decode(const char *p, size_t n, size_t max, char **name,
			 struct buf *data) AY_MUST_CHECK;

#endif
