/* The common attachment types told from their first bytes. libmagic
 * answers by trying each of its thousands of rules (0.1 to 1 ms a call,
 * the largest piece of a mail's CPU); these few checks answer the usual
 * attachments in microseconds and leave every doubtful case to it.
 * Each answer is the one libmagic 5.44 gives for the same bytes
 * (tests/unit/test_sniff.c compares them on real files). */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "mail/sniff.h"

/* Bytes looked at for text, as mail_sniff_type gives libmagic at most. */
#define SNIFF_TEXT_MAX ((size_t)1 << 20)

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static bool starts(const unsigned char *p, size_t n, const char *s)
{
	size_t k = strlen(s);

	return n >= k && !memcmp(p, s, k);
}

/* A Windows bitmap: "BM", then a DIB header of a known size. */
static const char *bmp(const unsigned char *p, size_t n)
{
	uint32_t dib;

	if (n < 26 || !starts(p, n, "BM"))
		return NULL;
	dib = le32(p + 14);
	if (dib != 12 && dib != 40 && dib != 52 && dib != 56 && dib != 64 &&
	    dib != 108 && dib != 124)
		return NULL;
	return "image/bmp";
}

/* The entry of the local file header at p (n bytes left): its name. */
static bool zip_entry(const unsigned char *p, size_t n, const char **name,
		      size_t *namelen)
{
	if (n < 30 || memcmp(p, "PK\003\004", 4))
		return false;
	*namelen = le16(p + 26);
	if (30 + *namelen > n)
		return false;
	*name = (const char *)p + 30;
	return true;
}

/* The offset of the next local file header at or after offset at of the
 * n bytes at p, starting within 6,000 bytes (libmagic's "search/6000"),
 * or 0 when there is none. */
static size_t zip_next(const unsigned char *p, size_t n, size_t at)
{
	const unsigned char *hit;
	size_t span;

	if (at >= n)
		return 0;
	span = n - at;
	if (span > 6000 + 3)
		span = 6000 + 3;
	hit = memmem(p + at, span, "PK\003\004", 4);
	return hit ? (size_t)(hit - p) : 0;
}

/* Office Open XML as libmagic's msooxml rule reads it: the first entry is
 * "[Content_Types].xml"; the second header is searched from the end of
 * the first's data, the third from the second's name, and the third's
 * name says the document: word/, ppt/, xl/. Other layouts (LibreOffice's,
 * where the fourth entry says it) are left to libmagic. */
static const char *ooxml(const unsigned char *p, size_t n)
{
	static const struct {
		const char *dir, *type;
	} parts[] = {
		{"word/", "application/vnd.openxmlformats-officedocument."
			  "wordprocessingml.document"},
		{"ppt/", "application/vnd.openxmlformats-officedocument."
			 "presentationml.presentation"},
		{"xl/", "application/vnd.openxmlformats-officedocument."
			"spreadsheetml.sheet"},
	};
	size_t second, third;

	second = zip_next(p, n, (size_t)le32(p + 18) + 49);
	third = second ? zip_next(p, n, second + 30) : 0;
	if (!third || n - third < 30 + 5)
		return NULL;
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (!memcmp(p + third + 30, parts[i].dir, strlen(parts[i].dir)))
			return parts[i].type;
	return NULL;
}

/* Does the ZIP entry name end in one of the extensions of an ordinary
 * file (a top-level entry libmagic does not read as an APK's, a KMZ's,
 * ...)? */
static bool plain_ext(const char *name, size_t len)
{
	static const char *const exts[] = {
		".txt",	 ".log", ".csv",  ".png",  ".jpg", ".jpeg", ".gif",
		".pdf",	 ".bmp", ".tif",  ".tiff", ".doc", ".docx", ".xls",
		".xlsx", ".ppt", ".pptx", ".rtf",  ".eml", ".sql",  ".ini",
		".conf", ".cfg", ".php",  ".html", ".htm", ".webp", ".mp4",
	};

	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		size_t k = strlen(exts[i]);

		if (len > k && !strncasecmp(name + len - k, exts[i], k))
			return true;
	}
	return false;
}

/* A ZIP archive whose first entry is an ordinary file or folder:
 * application/zip. libmagic names some archives by their first entry
 * (Office's word/, xl/, ppt/, visio/; Android's AndroidManifest.xml,
 * classes.dex; Java's extra field 0xcafe; OpenDocument's mimetype): those
 * are left to it, except Office Open XML from "[Content_Types].xml". */
static const char *zip(const unsigned char *p, size_t n)
{
	static const char *const dirs[] = {"word/",  "xl/",	  "ppt/",
					   "visio/", "META-INF/", "_rels/"};
	const char *name;
	size_t len, extra;

	if (!zip_entry(p, n, &name, &len) || !len)
		return NULL;
	if (len == 19 && !memcmp(name, "[Content_Types].xml", 19))
		return ooxml(p, n);
	extra = le16(p + 28);
	if (extra && (30 + len + 2 > n || le16(p + 30 + len) == 0xcafe))
		return NULL;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (len >= strlen(dirs[i]) &&
		    !strncasecmp(name, dirs[i], strlen(dirs[i])))
			return NULL;
	if (memchr(name, '\\', len))
		return NULL;
	if (!memchr(name, '/', len) && !plain_ext(name, len))
		return NULL;
	return "application/zip";
}

/* The length of the valid UTF-8 sequence at p (1 for ASCII), 0 if none. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
	size_t k;
	uint32_t c;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		k = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		k = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		k = 4;
	else
		return 0;
	if ((size_t)(end - p) < k)
		return 0;
	c = p[0] & (0x7f >> k);
	for (size_t i = 1; i < k; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if ((k == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
	    (k == 4 && (c < 0x10000 || c > 0x10ffff)) || c < 0xa0)
		return 0;
	return k;
}

/* libmagic's CSV test (is_csv.c): the first lines (up to ten) hold the
 * same number of commas outside quotes, and that number is not 0. */
static bool csv_like(const unsigned char *p, const unsigned char *end)
{
	size_t nf = 0, tf = 0, nl = 0;

	while (p < end) {
		switch (*p++) {
		case '"':
			while (p < end && *p != '"')
				p++;
			if (p < end)
				p++;
			break;
		case ',':
			nf++;
			break;
		case '\n':
			if (++nl == 10)
				return tf != 0 && tf == nf;
			if (!tf) {
				if (!nf)
					return false;
				tf = nf;
			} else if (tf != nf) {
				return false;
			}
			nf = 0;
			break;
		default:
			break;
		}
	}
	return tf && nl > 2;
}

/* Does the first line begin as a program, a markup or a mail would? A
 * mark ("#!", "@echo", "%!PS", "{", "-----BEGIN", ".TH") or a header
 * ("Received:", "From:"): libmagic names those. */
static bool first_line_marked(const unsigned char *p, const unsigned char *end)
{
	static const char *const words[] = {
		"rem ",	   "set ",	 "echo ",	  "msgid",     "diff ",
		"begin ",  "index: ",	 "article",	  "babyl",     "from ",
		"pipe to", "forward to", "relay-version", "n#! rnews",
	};
	static const char *const report[] = {
		"Reporting-MTA",
		"Reporting-UA",
		"Received-From-MTA",
		"Original-Envelope-Id",
		"Arrival-Date",
		"Final-Recipient",
		"X-Postfix-Queue-ID",
		"Original-Message-ID",
		"Version",
		"Disposition",
	};
	const unsigned char *q;

	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	if (p == end)
		return true;
	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	      (*p >= '0' && *p <= '9') || *p >= 0x80))
		return true;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t k = strlen(words[i]), j;

		for (j = 0; j < k && p + j < end; j++)
			if ((p[j] | 0x20) != words[i][j] && p[j] != words[i][j])
				break;
		if (j == k)
			return true;
	}
	/* "Name:" or "Name-Name:" before any blank: a header, except those
	 * of a delivery or read report, which libmagic takes for text. */
	for (q = p; q < end && *q != ':' && *q != ' ' && *q != '\t' &&
		    *q != '\n' && *q != '\r';
	     q++)
		;
	if (q == end || *q != ':')
		return false;
	for (size_t i = 0; i < sizeof(report) / sizeof(report[0]); i++)
		if ((size_t)(q - p) == strlen(report[i]) &&
		    !strncasecmp((const char *)p, report[i], (size_t)(q - p)))
			return false;
	return true;
}

/* Is [p, end) UTF-8 text of printable characters, tabs and line ends
 * (and '<' only if markup_ok)? n is the whole length: a sequence cut by
 * the end of what is looked at is fine. */
static bool plain_utf8(const unsigned char *p, const unsigned char *end,
		       size_t n, bool markup_ok)
{
	for (const unsigned char *q = p; q < end;) {
		size_t k;

		if (*q >= 0x20 && *q < 0x7f && (*q != '<' || markup_ok)) {
			q++;
			continue;
		}
		if (*q == '\n' || *q == '\r' || *q == '\t') {
			q++;
			continue;
		}
		k = utf8_len(q, end);
		if (!k && n > SNIFF_TEXT_MAX && end - q < 4)
			break;
		if (!k || *q < 0x80)
			return false;
		q += k;
	}
	return true;
}

/* A mail, a news article (libmagic's mail.news rules) or an OpenPGP
 * armour (its pgp rules): the first bytes are one of these (case as given
 * unless ci), whatever follows; libmagic ranks these long strings above
 * its HTML searches. */
static const char *mail_text(const unsigned char *p, size_t n)
{
	static const struct {
		const char *start, *type;
		bool ci;
	} keys[] = {
		{"Received:", "message/rfc822", false},
		{"From:", "message/rfc822", false},
		{"Date:", "message/rfc822", false},
		{"Return-Path:", "message/rfc822", true},
		{"Delivered-To:", "message/rfc822", true},
		{"Path:", "message/news", false},
		{"Xref:", "message/news", false},
		{"-----BEGIN PGP SIGNATURE-", "application/pgp-signature",
		 false},
		{"-----BEGIN PGP MESSAGE-", "application/pgp-encrypted", false},
		{"-----BEGIN PGP PUBLIC KEY BLOCK-", "application/pgp-keys",
		 false},
	};
	const unsigned char *end =
		p + (n > SNIFF_TEXT_MAX ? SNIFF_TEXT_MAX : n);

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		size_t k = strlen(keys[i].start);

		if (n < k ||
		    (keys[i].ci ? strncasecmp((const char *)p, keys[i].start, k)
				: memcmp(p, keys[i].start, k)))
			continue;
		if (!plain_utf8(p, end, n, true) || csv_like(p, end))
			return NULL;
		return keys[i].type;
	}
	return NULL;
}

/* UTF-8 text of printable characters, tabs and line ends, without markup
 * ('<' anywhere), a marked first line, or CSV's regular commas. Only for
 * a file whose name says text: libmagic also names text by the words in
 * it (Python, C++, Algol 68 by a regular expression over the first
 * kilobytes), which only it can answer; a file called .txt opens as text
 * whatever its words, so text/plain is what its reader gets. */
static const char *text(const unsigned char *p, size_t n)
{
	const unsigned char *end =
		p + (n > SNIFF_TEXT_MAX ? SNIFF_TEXT_MAX : n);

	if (first_line_marked(p, end) || !plain_utf8(p, end, n, false) ||
	    csv_like(p, end))
		return NULL;
	return "text/plain";
}

const char *mail_sniff_fast(const void *data, size_t len, bool text_named)
{
	const unsigned char *p = data;
	const char *t;

	if (!p || !len)
		return NULL;
	if (len >= 16 && !memcmp(p, "\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16))
		return "image/png";
	if (len >= 4 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
		return "image/jpeg";
	if (starts(p, len, "GIF87a") || starts(p, len, "GIF89a"))
		return "image/gif";
	if (len >= 16 && starts(p, len, "RIFF") &&
	    !memcmp(p + 8, "WEBPVP8", 7) &&
	    (p[15] == ' ' || p[15] == 'L' || p[15] == 'X'))
		return "image/webp";
	if (starts(p, len, "%PDF-"))
		return "application/pdf";
	if (p[0] == 'B' && p[1 < len ? 1 : 0] == 'M')
		return bmp(p, len);
	if (starts(p, len, "PK\003\004"))
		return zip(p, len);
	t = mail_text(p, len);
	if (t)
		return t;
	return text_named ? text(p, len) : NULL;
}
