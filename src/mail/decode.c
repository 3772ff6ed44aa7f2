/* uuencoded blocks in text bodies, BinHex 4.0 attachments. */
#include <stdlib.h>
#include <string.h>

#include "mail/decode.h"
#include "mail/text.h"

/* ---------------------------------------------------------------------- */
/* uuencode */

#define UU_MAX_NAME 255

/* The line of t[pos..n): its content ends at *le (before CR and LF); returns
 * where the next line starts. */
static size_t line_at(const char *t, size_t n, size_t pos, size_t *le)
{
	const char *nl = memchr(t + pos, '\n', n - pos);
	size_t e = nl ? (size_t)(nl - t) : n;

	*le = e;
	while (*le > pos && t[*le - 1] == '\r')
		(*le)--;
	return nl ? e + 1 : n;
}

/* Whether l[0..len) is "end", blanks after it allowed. */
static bool uu_is_end(const char *l, size_t len)
{
	while (len > 0 && (l[len - 1] == ' ' || l[len - 1] == '\t'))
		len--;
	return len == 3 && !memcmp(l, "end", 3);
}

/* "begin MODE NAME": MODE of 3 or 4 octal digits. Returns: the name
 * (owned) or NULL when l is no begin line. */
static char *uu_begin(const char *l, size_t len)
{
	size_t i = 6, d;

	if (len < 11 || memcmp(l, "begin ", 6))
		return NULL;
	for (d = 0; i < len && l[i] >= '0' && l[i] <= '7'; i++)
		d++;
	if ((d != 3 && d != 4) || i >= len || l[i] != ' ')
		return NULL;
	i++;
	while (len > i && (l[len - 1] == ' ' || l[len - 1] == '\t'))
		len--;
	if (len == i || len - i > UU_MAX_NAME)
		return NULL;
	return mail_utf8_sanitize(l + i, len - i);
}

/* Decode one data line into out: *nb gets its byte count, or -1 when the
 * line is not uuencoded data. Trailing blanks that a mailer dropped count
 * as zeros. */
static ay_rc uu_line(const char *l, size_t len, struct buf *out, int *nb)
{
	unsigned char v[4], b[3];
	size_t need, have, i, k, left;
	ay_rc rc;

	*nb = -1;
	if (len == 0 || l[0] < 0x20 || l[0] > 0x60)
		return AY_OK;
	left = (size_t)((l[0] - 0x20) & 0x3F);
	need = (left + 2) / 3 * 4;
	have = len - 1;
	if (have > need + 2)
		return AY_OK;
	for (i = 1; i < len; i++)
		if (l[i] < 0x20 || l[i] > 0x60)
			return AY_OK;
	*nb = (int)left;
	for (i = 0; i < need; i += 4) {
		for (k = 0; k < 4; k++)
			v[k] = i + k < have
				       ? (unsigned char)((l[1 + i + k] - 0x20) &
							 0x3F)
				       : 0;
		b[0] = (unsigned char)(v[0] << 2 | v[1] >> 4);
		b[1] = (unsigned char)(v[1] << 4 | v[2] >> 2);
		b[2] = (unsigned char)(v[2] << 6 | v[3]);
		k = left < 3 ? left : 3;
		rc = buf_add(out, b, k);
		if (rc)
			return rc;
		left -= k;
	}
	return AY_OK;
}

/* Decode the block whose begin line ends at pos: AY_OK with *end set (past
 * the end line) when it is complete, *end 0 when it is not. */
static ay_rc uu_block(const char *t, size_t n, size_t pos, struct buf *data,
		      size_t *end)
{
	size_t le, next;
	bool zero = false;
	int nb;
	ay_rc rc;

	*end = 0;
	while (pos < n) {
		next = line_at(t, n, pos, &le);
		if (uu_is_end(t + pos, le - pos)) {
			*end = next;
			return AY_OK;
		}
		if (zero)
			return AY_OK; /* data after the "`" line */
		rc = uu_line(t + pos, le - pos, data, &nb);
		if (rc)
			return rc;
		if (nb < 0)
			return AY_OK;
		zero = nb == 0;
		pos = next;
	}
	return AY_OK;
}

ay_rc mail_uu_next(const char *text, size_t n, size_t *off,
		   struct mail_uu_block *blk, struct buf *data, bool *found)
{
	size_t pos = *off, le, next, end;
	char *name;
	ay_rc rc;

	*found = false;
	memset(blk, 0, sizeof(*blk));
	while (pos < n) {
		next = line_at(text, n, pos, &le);
		if (text[pos] != 'b') {
			pos = next;
			continue;
		}
		name = uu_begin(text + pos, le - pos);
		if (!name) {
			pos = next;
			continue;
		}
		buf_reset(data);
		rc = uu_block(text, n, next, data, &end);
		if (rc || !end) {
			free(name);
			buf_reset(data);
			if (rc) {
				*off = next;
				return rc;
			}
			pos = next;
			continue;
		}
		blk->start = pos;
		blk->end = end;
		blk->name = name;
		*off = end;
		*found = true;
		return AY_OK;
	}
	*off = n;
	return AY_OK;
}

/* ---------------------------------------------------------------------- */
/* BinHex 4.0 (RFC 1741) */

static const char hqx_alpha[] = "!\"#$%&'()*+,-012345689@ABCDEFGHIJKLMNPQR"
				"STUVXYZ[`abcdefhijklmpqr";

struct hqx {
	const char *p;	    /* the text */
	size_t n, i;	    /* its length, the next character */
	unsigned bits;	    /* the 6-bit groups not yet used */
	int nbits;	    /* how many bits of them */
	int last;	    /* the last byte given out, -1 before the first */
	unsigned rep;	    /* repeats of last still to give out */
	unsigned short crc; /* CRC-16/XMODEM of the current section */
};

/* The next byte of the 6-bit stream; -1 at its closing ':' or on a
 * character that is not BinHex. Line ends and blanks are skipped. */
static int hqx_raw(struct hqx *h)
{
	const char *q;
	char ch;

	while (h->nbits < 8) {
		if (h->i >= h->n)
			return -1;
		ch = h->p[h->i++];
		if (ch == '\r' || ch == '\n' || ch == ' ' || ch == '\t')
			continue;
		q = memchr(hqx_alpha, ch, 64);
		if (!q) {
			h->i = h->n; /* ':' or garbage: the stream ends */
			return -1;
		}
		h->bits = (h->bits << 6) | (unsigned)(q - hqx_alpha);
		h->nbits += 6;
	}
	h->nbits -= 8;
	return (int)((h->bits >> h->nbits) & 0xFF);
}

/* The next byte after run-length decoding (0x90 N: the previous byte N
 * times in all; 0x90 0: a literal 0x90); -1 at the end or on a bad run. */
static int hqx_byte(struct hqx *h)
{
	int b, c;

	for (;;) {
		if (h->rep) {
			h->rep--;
			return h->last;
		}
		b = hqx_raw(h);
		if (b != 0x90) {
			if (b >= 0)
				h->last = b;
			return b;
		}
		c = hqx_raw(h);
		if (c < 0)
			return -1;
		if (c == 0) {
			h->last = 0x90;
			return 0x90;
		}
		if (h->last < 0)
			return -1;
		h->rep = (unsigned)c - 1;
	}
}

static unsigned short crc16(unsigned short crc, unsigned char b)
{
	int k;

	crc ^= (unsigned short)(b << 8);
	for (k = 0; k < 8; k++)
		crc = (unsigned short)(crc & 0x8000 ? (crc << 1) ^ 0x1021
						    : crc << 1);
	return crc;
}

/* Read n bytes into dst (NULL: only count them in the CRC). */
static bool hqx_read(struct hqx *h, unsigned char *dst, size_t n)
{
	size_t i;
	int b;

	for (i = 0; i < n; i++) {
		b = hqx_byte(h);
		if (b < 0)
			return false;
		h->crc = crc16(h->crc, (unsigned char)b);
		if (dst)
			dst[i] = (unsigned char)b;
	}
	return true;
}

/* Read the section's stored CRC and compare; starts the next section. */
static bool hqx_crc_ok(struct hqx *h)
{
	unsigned short want = h->crc;
	int a = hqx_byte(h), b = hqx_byte(h);

	h->crc = 0;
	return a >= 0 && b >= 0 && (unsigned short)(a << 8 | b) == want;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* Where the encoded stream starts: after the first ':' that begins a line
 * (after the "(This file must be converted with BinHex" line if any). */
static size_t hqx_start(const char *p, size_t n)
{
	static const char intro[] = "(This file must be converted with BinHex";
	size_t i = 0;
	const char *q;

	for (q = p; q && (size_t)(q - p) + sizeof(intro) - 1 <= n;
	     q = memchr(q + 1, '(', n - (size_t)(q - p) - 1)) {
		if (!memcmp(q, intro, sizeof(intro) - 1)) {
			i = (size_t)(q - p);
			break;
		}
		if ((size_t)(q - p) + 1 >= n)
			break;
	}
	for (; i < n; i++)
		if (p[i] == ':' &&
		    (i == 0 || p[i - 1] == '\n' || p[i - 1] == '\r'))
			return i + 1;
	return 0;
}

/* The data fork into data, in pieces. */
static ay_rc hqx_fork(struct hqx *h, size_t len, struct buf *data)
{
	unsigned char tmp[4096];
	size_t k;
	ay_rc rc;

	while (len > 0) {
		k = len < sizeof(tmp) ? len : sizeof(tmp);
		if (!hqx_read(h, tmp, k))
			return AY_EINVAL;
		rc = buf_add(data, tmp, k);
		if (rc)
			return rc;
		len -= k;
	}
	return AY_OK;
}

ay_rc mail_binhex_decode(const char *p, size_t n, size_t max, char **name,
			 struct buf *data)
{
	struct hqx h = {p, n, 0, 0, 0, -1, 0, 0};
	unsigned char hd[64 + 1 + 4 + 4 + 2 + 4 + 4];
	struct buf nm;
	uint32_t dlen, rlen;
	size_t nl;
	int b;
	ay_rc rc = AY_EINVAL;

	*name = NULL;
	buf_init(&nm, 1024);
	h.i = hqx_start(p, n);
	if (!h.i)
		goto out;
	b = hqx_byte(&h);
	if (b < 1 || b > 63)
		goto out;
	h.crc = crc16(0, (unsigned char)b);
	nl = (size_t)b;
	/* name, version, type, creator, flags, data and resource lengths */
	if (!hqx_read(&h, hd, nl + 1 + 4 + 4 + 2 + 4 + 4))
		goto out;
	dlen = be32(hd + nl + 11);
	rlen = be32(hd + nl + 15);
	if (!hqx_crc_ok(&h))
		goto out;
	if ((uint64_t)dlen + rlen > max) {
		rc = AY_ETOOBIG;
		goto out;
	}
	rc = hqx_fork(&h, dlen, data);
	if (rc)
		goto out;
	rc = AY_EINVAL;
	if (!hqx_crc_ok(&h) || !hqx_read(&h, NULL, rlen) || !hqx_crc_ok(&h))
		goto out;
	/* Macintosh file names are Mac Roman. */
	rc = mail_text_to_utf8("macintosh", (const char *)hd, nl, &nm);
	if (rc == AY_OK)
		rc = buf_add(&nm, "", 0);
	if (rc == AY_OK) {
		*name = buf_take(&nm, NULL);
		rc = *name ? AY_OK : AY_ENOMEM;
	}
out:
	if (rc)
		buf_reset(data);
	buf_release(&nm);
	return rc;
}
