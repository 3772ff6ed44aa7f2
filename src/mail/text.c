/* Text helpers for mail: charsets, HTML to text, quote stripping. */
#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>

#include "mail/text.h"
#include "util/grow.h"

static const char REPL[] = "\xEF\xBF\xBD"; /* U+FFFD */

/* Length of the valid UTF-8 sequence at p (at most n bytes), 0 if invalid. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];

	if (c < 0x80)
		return c ? 1 : 0;
	if (c >= 0xC2 && c <= 0xDF) {
		if (n >= 2 && (p[1] & 0xC0) == 0x80)
			return 2;
		return 0;
	}
	if (c >= 0xE0 && c <= 0xEF) {
		if (n < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
			return 0;
		if (c == 0xE0 && p[1] < 0xA0)
			return 0;
		if (c == 0xED && p[1] >= 0xA0)
			return 0;
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (n < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
		    (p[3] & 0xC0) != 0x80)
			return 0;
		if (c == 0xF0 && p[1] < 0x90)
			return 0;
		if (c == 0xF4 && p[1] >= 0x90)
			return 0;
		return 4;
	}
	return 0;
}

/* How many of the n bytes at p are ASCII other than NUL before the first
 * that is not, counted eight at a time (most of a mail's text). */
static size_t ascii_run(const unsigned char *p, size_t n)
{
	const uint64_t hi = 0x8080808080808080ULL;
	const uint64_t ones = 0x0101010101010101ULL;
	size_t i = 0;
	uint64_t v;

	while (i + 8 <= n) {
		memcpy(&v, p + i, 8);
		if ((v & hi) || ((v - ones) & ~v & hi))
			break;
		i += 8;
	}
	return i;
}

bool mail_utf8_valid(const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t i = 0, k;

	while (i < n) {
		i += ascii_run(u + i, n - i);
		if (i == n)
			break;
		k = utf8_seq(u + i, n - i);
		if (!k)
			return false;
		i += k;
	}
	return true;
}

static ay_rc utf8_sanitize_into(const char *s, size_t n, struct buf *out)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, start = 0, k;
	ay_rc rc;

	while (i < n) {
		i += ascii_run(u + i, n - i);
		if (i == n)
			break;
		k = utf8_seq(u + i, n - i);
		if (k) {
			i += k;
			continue;
		}
		rc = buf_add(out, s + start, i - start);
		if (rc)
			return rc;
		rc = buf_add(out, REPL, 3);
		if (rc)
			return rc;
		i++;
		start = i;
	}
	return buf_add(out, s + start, n - start);
}

char *mail_utf8_sanitize(const char *s, size_t n)
{
	struct buf b;

	buf_init(&b, n * 3 + 16);
	if (utf8_sanitize_into(s, n, &b) || buf_add(&b, "", 0))
		return NULL;
	return buf_take(&b, NULL);
}

/* windows-1252 0x80..0x9F; 0 where undefined. */
static const unsigned short cp1252_hi[32] = {
	0x20AC, 0,	0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,	0x017D, 0,
	0,	0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,	0x017E, 0x0178,
};

static ay_rc add_cp(struct buf *out, unsigned long cp)
{
	char t[4];
	size_t n;

	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return buf_add(out, REPL, 3);
	if (cp < 0x80) {
		t[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		t[0] = (char)(0xC0 | (cp >> 6));
		t[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		t[0] = (char)(0xE0 | (cp >> 12));
		t[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		t[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		t[0] = (char)(0xF0 | (cp >> 18));
		t[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		t[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		t[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	return buf_add(out, t, n);
}

static ay_rc cp1252_to_utf8(const char *p, size_t n, struct buf *out)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t i, start = 0;
	unsigned long cp;
	ay_rc rc;

	for (i = 0; i < n; i++) {
		if (u[i] >= 0x01 && u[i] < 0x80)
			continue;
		rc = buf_add(out, p + start, i - start);
		if (rc)
			return rc;
		if (u[i] == 0)
			cp = 0;
		else if (u[i] < 0xA0)
			cp = cp1252_hi[u[i] - 0x80];
		else
			cp = u[i];
		rc = add_cp(out, cp);
		if (rc)
			return rc;
		start = i + 1;
	}
	return buf_add(out, p + start, n - start);
}

static const struct {
	const char *mime;
	const char *iconv;
} charset_alias[] = {
	{"us-ascii", "WINDOWS-1252"},
	{"ascii", "WINDOWS-1252"},
	{"iso-8859-1", "WINDOWS-1252"},
	{"iso_8859-1", "WINDOWS-1252"},
	{"iso8859-1", "WINDOWS-1252"},
	{"latin1", "WINDOWS-1252"},
	{"latin-1", "WINDOWS-1252"},
	{"gb2312", "GB18030"},
	{"gbk", "GB18030"},
	{"iso-gb2312", "GB18030"},
	{"x-gbk", "GB18030"},
	{"cn-gb", "GB18030"},
	{"euc-cn", "GB18030"},
	{"big5", "BIG5-HKSCS"},
	{"ks_c_5601-1987", "CP949"},
	{"ks_c_5601", "CP949"},
	{"euc-kr", "CP949"},
	{"iso-2022-jp", "ISO-2022-JP-3"},
	{"shift_jis", "CP932"},
	{"shift-jis", "CP932"},
	{"sjis", "CP932"},
	{"x-sjis", "CP932"},
	{"windows-31j", "CP932"},
	{"x-mac-ukrainian", "MAC-UK"}, /* ICU lacks it; glibc has it */
	{"unicode-1-1-utf-7", "UTF-7"},
	{"utf-7", "UTF-7"},
	{"utf8", "UTF-8"},
	{"x-unknown", ""},
	{"unknown-8bit", ""},
	{"x-user-defined", ""},
	{"default", ""},
};

const char *mail_charset_name(const char *cs)
{
	size_t i;

	if (!cs)
		return "";
	for (i = 0; i < AY_ARRAY_LEN(charset_alias); i++)
		if (!strcasecmp(cs, charset_alias[i].mime))
			return charset_alias[i].iconv;
	return cs;
}

/* Convert with iconv; counts bytes that could not be converted. Returns
 * AY_ENOTFOUND when iconv does not know the charset. */
static ay_rc iconv_to_utf8(const char *cs, const char *p, size_t n,
			   struct buf *out, size_t *bad)
{
	iconv_t cd;
	char tmp[4096];
	char *in = (char *)p, *o;
	size_t inleft = n, ol, r;
	ay_rc rc = AY_OK;

	*bad = 0;
	cd = iconv_open("UTF-8", cs);
	if (cd == (iconv_t)-1)
		return AY_ENOTFOUND;
	while (inleft > 0) {
		o = tmp;
		ol = sizeof(tmp);
		r = iconv(cd, &in, &inleft, &o, &ol);
		if (o > tmp) {
			rc = buf_add(out, tmp, (size_t)(o - tmp));
			if (rc)
				goto out;
		}
		if (r != (size_t)-1)
			continue;
		if (errno == E2BIG)
			continue;
		/* EILSEQ or EINVAL: skip one byte, mark it. */
		(*bad)++;
		rc = buf_add(out, REPL, 3);
		if (rc)
			goto out;
		in++;
		inleft--;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	o = tmp;
	ol = sizeof(tmp);
	iconv(cd, NULL, NULL, &o, &ol);
	if (o > tmp)
		rc = buf_add(out, tmp, (size_t)(o - tmp));
out:
	iconv_close(cd);
	return rc;
}

/* ICU's substitution callback that also counts what it replaced. */
static void U_CALLCONV icu_count_cb(const void *ctx,
				    UConverterToUnicodeArgs *args,
				    const char *units, int32_t len,
				    UConverterCallbackReason why,
				    UErrorCode *err)
{
	static const UChar fffd = 0xFFFD;

	(void)units;
	(void)len;
	if (why > UCNV_IRREGULAR)
		return;
	(*(size_t *)ctx)++;
	*err = U_ZERO_ERROR;
	ucnv_cbToUWriteUChars(args, &fffd, 1, 0, err);
}

/* Convert with ICU, which knows the aliases iconv does not
 * ("iso-8859-8-i", "x-mac-roman", "x-mac-cyrillic", "x-euc-tw", ...);
 * counts bytes that could not be converted. AY_ENOTFOUND when ICU does
 * not know the name either. */
static ay_rc icu_to_utf8(const char *cs, const char *p, size_t n,
			 struct buf *out, size_t *bad)
{
	UErrorCode e = U_ZERO_ERROR;
	UConverter *from = NULL, *to = NULL;
	UChar pivot[1024], *ps = pivot, *pt = pivot;
	const char *src = p;
	char tmp[4096], *t;
	UBool reset = true;
	ay_rc rc = AY_OK;

	*bad = 0;
	from = ucnv_open(cs, &e);
	if (U_FAILURE(e))
		return AY_ENOTFOUND;
	to = ucnv_open("UTF-8", &e);
	if (U_SUCCESS(e))
		ucnv_setToUCallBack(from, icu_count_cb, bad, NULL, NULL, &e);
	if (U_FAILURE(e)) {
		rc = AY_ENOTFOUND;
		goto out;
	}
	for (;;) {
		t = tmp;
		e = U_ZERO_ERROR;
		ucnv_convertEx(to, from, &t, tmp + sizeof(tmp), &src, p + n,
			       pivot, &ps, &pt, pivot + AY_ARRAY_LEN(pivot),
			       reset, true, &e);
		reset = false;
		if (t > tmp) {
			rc = buf_add(out, tmp, (size_t)(t - tmp));
			if (rc)
				goto out;
		}
		if (e != U_BUFFER_OVERFLOW_ERROR)
			break;
	}
	if (U_FAILURE(e))
		(*bad)++;
out:
	if (to)
		ucnv_close(to);
	ucnv_close(from);
	return rc;
}

static bool is_ascii(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)p[i] >= 0x80 || p[i] == 0)
			return false;
	return true;
}

static pthread_once_t keep_once = PTHREAD_ONCE_INIT;
static const char *const kept_names[] = {
	"ISO-8859-1",	"WINDOWS-1252", "ISO-8859-15",	 "ISO-8859-2",
	"WINDOWS-1250", "WINDOWS-1251", "WINDOWS-1258",	 "KOI8-R",
	"GB18030",	"GBK",		"BIG5",		 "EUC-KR",
	"CP949",	"ISO-2022-JP",	"ISO-2022-JP-3", "SHIFT_JIS",
	"CP932",	"EUC-JP",	"UTF-7",	 "UTF-16"};
static iconv_t kept[AY_ARRAY_LEN(kept_names)];

static void keep_charsets(void)
{
	/* Never closed: each keeps its module loaded for the process. */
	for (size_t i = 0; i < AY_ARRAY_LEN(kept_names); i++)
		kept[i] = iconv_open("UTF-8", kept_names[i]);
}

void mail_charsets_keep(void)
{
	pthread_once(&keep_once, keep_charsets);
}

ay_rc mail_text_to_utf8(const char *cs, const char *p, size_t n,
			struct buf *out)
{
	const char *name = mail_charset_name(cs);
	size_t mark = out->len, bad = 0;
	ay_rc rc;
	bool stateful =
		!strncasecmp(name, "ISO-2022", 8) || !strcasecmp(name, "UTF-7");

	/* Plain ASCII is the same in every charset we accept, except the
	 * 7-bit stateful ones. */
	if (!stateful && is_ascii(p, n))
		return buf_add(out, p, n);
	if (*name && strcasecmp(name, "UTF-8")) {
		rc = iconv_to_utf8(name, p, n, out, &bad);
		if (rc == AY_ENOTFOUND)
			rc = icu_to_utf8(name, p, n, out, &bad);
		if (rc == AY_OK && bad == 0)
			return AY_OK;
		if (rc && rc != AY_ENOTFOUND)
			return rc;
		if (rc == AY_OK && !mail_utf8_valid(p, n) && bad * 20 < n + 1)
			return AY_OK; /* mostly right: keep it */
		/* Roll back and try the fallbacks. */
		if (out->ptr) {
			out->len = mark;
			out->ptr[mark] = '\0';
		}
	}
	if (mail_utf8_valid(p, n))
		return buf_add(out, p, n);
	if (!*name || !strcasecmp(name, "UTF-8")) {
		/* Declared UTF-8 but broken: keep what is valid when most of
		 * it is, else it is probably windows-1252. */
		size_t i, nbad = 0, k;

		for (i = 0; i < n;) {
			k = utf8_seq((const unsigned char *)p + i, n - i);
			if (k) {
				i += k;
			} else {
				nbad++;
				i++;
			}
		}
		if (*name && nbad * 50 < n)
			return utf8_sanitize_into(p, n, out);
	}
	return cp1252_to_utf8(p, n, out);
}

/* ---------------------------------------------------------------------- */
/* HTML to text */

static const struct {
	const char *name;
	unsigned short cp;
} entities[] = {
	{"nbsp", 0xA0},	    {"amp", '&'},      {"lt", '<'},
	{"gt", '>'},	    {"quot", '"'},     {"apos", '\''},
	{"iexcl", 0xA1},    {"cent", 0xA2},    {"pound", 0xA3},
	{"euro", 0x20AC},   {"yen", 0xA5},     {"sect", 0xA7},
	{"copy", 0xA9},	    {"laquo", 0xAB},   {"raquo", 0xBB},
	{"reg", 0xAE},	    {"deg", 0xB0},     {"plusmn", 0xB1},
	{"middot", 0xB7},   {"iquest", 0xBF},  {"Agrave", 0xC0},
	{"Aacute", 0xC1},   {"Acirc", 0xC2},   {"Auml", 0xC4},
	{"Ccedil", 0xC7},   {"Egrave", 0xC8},  {"Eacute", 0xC9},
	{"Iacute", 0xCD},   {"Ntilde", 0xD1},  {"Oacute", 0xD3},
	{"Ouml", 0xD6},	    {"Uacute", 0xDA},  {"Uuml", 0xDC},
	{"szlig", 0xDF},    {"agrave", 0xE0},  {"aacute", 0xE1},
	{"acirc", 0xE2},    {"auml", 0xE4},    {"ccedil", 0xE7},
	{"egrave", 0xE8},   {"eacute", 0xE9},  {"ecirc", 0xEA},
	{"iacute", 0xED},   {"ntilde", 0xF1},  {"oacute", 0xF3},
	{"ocirc", 0xF4},    {"ouml", 0xF6},    {"uacute", 0xFA},
	{"uuml", 0xFC},	    {"ndash", 0x2013}, {"mdash", 0x2014},
	{"lsquo", 0x2018},  {"rsquo", 0x2019}, {"ldquo", 0x201C},
	{"rdquo", 0x201D},  {"bdquo", 0x201E}, {"bull", 0x2022},
	{"hellip", 0x2026}, {"trade", 0x2122}, {"ordm", 0xBA},
	{"ordf", 0xAA},	    {"shy", 0xAD},     {"zwnj", 0x200C},
	{"zwj", 0x200D},    {"times", 0xD7},
};

struct h2t {
	struct buf *out;
	int nl;	    /* newlines owed before the next text */
	bool space; /* a space owed before the next text */
	bool any;   /* text written */
};

static ay_rc h2t_text(struct h2t *h, const char *p, size_t n)
{
	ay_rc rc;

	if (h->any && h->nl) {
		rc = buf_add(h->out, "\n\n", h->nl > 1 ? 2 : 1);
		if (rc)
			return rc;
	} else if (h->any && h->space) {
		rc = buf_addc(h->out, ' ');
		if (rc)
			return rc;
	}
	h->nl = 0;
	h->space = false;
	h->any = true;
	return buf_add(h->out, p, n);
}

static ay_rc h2t_cp(struct h2t *h, unsigned long cp)
{
	struct buf t;
	ay_rc rc;

	if (cp == 0xA0 || cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r') {
		h->space = true;
		return AY_OK;
	}
	if (cp == 0xAD || cp == 0x200B || cp == 0x200C || cp == 0x200D ||
	    cp == 0xFEFF)
		return AY_OK;
	buf_init(&t, 16);
	rc = add_cp(&t, cp);
	if (rc == AY_OK)
		rc = h2t_text(h, t.ptr, t.len);
	buf_release(&t);
	return rc;
}

/* Decode an entity at p (p[0] == '&'); returns bytes consumed, 0 if none. */
static size_t entity(const char *p, size_t n, unsigned long *cp)
{
	size_t i, k;
	unsigned long v = 0;

	if (n < 3)
		return 0;
	if (p[1] == '#') {
		bool hex = n > 2 && (p[2] == 'x' || p[2] == 'X');

		i = hex ? 3 : 2;
		k = i;
		while (i < n && i < k + 8) {
			char c = p[i];

			if (c >= '0' && c <= '9')
				v = v * (hex ? 16 : 10) +
				    (unsigned long)(c - '0');
			else if (hex && c >= 'a' && c <= 'f')
				v = v * 16 + (unsigned long)(c - 'a' + 10);
			else if (hex && c >= 'A' && c <= 'F')
				v = v * 16 + (unsigned long)(c - 'A' + 10);
			else
				break;
			i++;
		}
		if (i == k)
			return 0;
		if (i < n && p[i] == ';')
			i++;
		/* Numeric references in 0x80..0x9F mean windows-1252. */
		if (v >= 0x80 && v < 0xA0 && cp1252_hi[v - 0x80])
			v = cp1252_hi[v - 0x80];
		*cp = v ? v : 0xFFFD;
		return i;
	}
	for (i = 1; i < n && i < 10; i++) {
		char c = p[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9')))
			break;
	}
	for (k = 0; k < AY_ARRAY_LEN(entities); k++) {
		size_t l = strlen(entities[k].name);

		if (l == i - 1 && !memcmp(p + 1, entities[k].name, l)) {
			*cp = entities[k].cp;
			if (i < n && p[i] == ';')
				i++;
			return i;
		}
	}
	return 0;
}

/* Find the end of a "</name" close tag from p; returns offset after the
 * closing '>', or n when not found. */
static size_t skip_to_close(const char *p, size_t n, const char *name)
{
	size_t l = strlen(name), i;

	for (i = 0; i + 2 + l <= n; i++) {
		if (p[i] == '<' && p[i + 1] == '/' &&
		    !strncasecmp(p + i + 2, name, l)) {
			const char *gt = memchr(p + i, '>', n - i);

			return gt ? (size_t)(gt - p) + 1 : n;
		}
	}
	return n;
}

static bool tag_is(const char *t, size_t tl, const char *const *list)
{
	size_t i;

	for (i = 0; list[i]; i++)
		if (strlen(list[i]) == tl && !strncasecmp(t, list[i], tl))
			return true;
	return false;
}

/* The tag or comment at html[i] (a '<'): its effect on the lines and
 * spaces of h; returns the index after it, after its content for a tag
 * whose content is not text (script, style, head, ...). */
static size_t h2t_tag(struct h2t *h, const char *html, size_t n, size_t i)
{
	static const char *const paras[] = {
		"p",	"table",   "ul",      "ol",	 "h1",	       "h2",
		"h3",	"h4",	   "h5",      "h6",	 "blockquote", "pre",
		"hr",	"dl",	   "section", "article", "header",     "footer",
		"form", "address", NULL};
	static const char *const lines[] = {
		"div",	 "tr",	  "li",	   "dt",      "dd", "center",
		"tbody", "thead", "title", "caption", NULL};
	static const char *const cells[] = {"td", "th", NULL};
	static const char *const skips[] = {"script", "style",	  "head",
					    "xml",    "template", NULL};
	const char *gt, *t;
	size_t start, tl, j;
	bool close;

	if (i + 3 < n && !memcmp(html + i, "<!--", 4)) {
		const char *e = memmem(html + i + 4, n - i - 4, "-->", 3);

		return e ? (size_t)(e - html) + 3 : n;
	}
	gt = memchr(html + i, '>', n - i);
	if (!gt)
		return n;
	t = html + i + 1;
	close = t < gt && *t == '/';
	if (close)
		t++;
	for (tl = 0; t + tl < gt; tl++) {
		char d = t[tl];

		if (d == ' ' || d == '\t' || d == '\n' || d == '\r' ||
		    d == '/' || d == '>')
			break;
	}
	start = (size_t)(gt - html) + 1;
	if (!close && tag_is(t, tl, skips)) {
		char name[16];

		memcpy(name, t, tl < 15 ? tl : 15);
		name[tl < 15 ? tl : 15] = '\0';
		j = skip_to_close(html + start, n - start, name);
		/* An unclosed <head> must not eat the body. */
		if (start + j < n || strcasecmp(name, "head"))
			start += j;
	} else if (tl == 2 && !strncasecmp(t, "br", 2)) {
		if (h->any && h->nl < 2)
			h->nl++;
	} else if (tag_is(t, tl, paras)) {
		h->nl = 2;
	} else if (tag_is(t, tl, lines)) {
		if (h->nl < 1)
			h->nl = 1;
	} else if (tag_is(t, tl, cells)) {
		h->space = true;
	}
	return start;
}

ay_rc mail_html_to_text(const char *html, size_t n, struct buf *out)
{
	struct h2t h = {out, 0, false, false};
	size_t i = 0, start;
	ay_rc rc = AY_OK;

	while (i < n) {
		char c = html[i];

		if (c == '<') {
			i = h2t_tag(&h, html, n, i);
			continue;
		}
		if (c == '&') {
			unsigned long cp;
			size_t k = entity(html + i, n - i, &cp);

			if (k) {
				rc = h2t_cp(&h, cp);
				if (rc)
					return rc;
				i += k;
				continue;
			}
		}
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		    c == '\f') {
			h.space = true;
			i++;
			continue;
		}
		/* A run of plain text. */
		start = i++;
		while (i < n && html[i] != '<' && html[i] != '&' &&
		       html[i] != ' ' && html[i] != '\t' && html[i] != '\n' &&
		       html[i] != '\r' && html[i] != '\f')
			i++;
		rc = h2t_text(&h, html + start, i - start);
		if (rc)
			return rc;
	}
	return buf_add(out, "", 0);
}

/* ---------------------------------------------------------------------- */
/* Quote and signature stripping */

static bool starts_ci(const char *l, size_t n, const char *pfx)
{
	size_t k = strlen(pfx);

	return n >= k && !strncasecmp(l, pfx, k);
}

static bool ends_with(const char *l, size_t n, const char *sfx)
{
	size_t k = strlen(sfx);

	while (n > 0 &&
	       (l[n - 1] == ' ' || l[n - 1] == '\t' || l[n - 1] == '\r'))
		n--;
	return n >= k && !memcmp(l + n - k, sfx, k);
}

static bool contains_ci(const char *l, size_t n, const char *needle)
{
	size_t k = strlen(needle), i;

	for (i = 0; i + k <= n; i++)
		if (!strncasecmp(l + i, needle, k))
			return true;
	return false;
}

struct line {
	const char *p;
	size_t n;
};

static bool is_attribution(const struct line *l, const struct line *next)
{
	static const char *const pfx[] = {"On ", "El ", "Am ", "Le ", NULL};
	static const char *const sfx[] = {
		"wrote:",   "escribió:", "schrieb:", "a écrit :",
		"a écrit:", "escribio:", NULL};
	size_t i, k;

	for (i = 0; pfx[i]; i++) {
		if (!starts_ci(l->p, l->n, pfx[i]))
			continue;
		for (k = 0; sfx[k]; k++) {
			if (ends_with(l->p, l->n, sfx[k]))
				return true;
			if (next && ends_with(next->p, next->n, sfx[k]))
				return true;
		}
	}
	return false;
}

static bool is_original_marker(const struct line *l)
{
	size_t i = 0;

	while (i < l->n && (l->p[i] == ' ' || l->p[i] == '\t'))
		i++;
	if (i + 3 > l->n || memcmp(l->p + i, "---", 3))
		return false;
	return contains_ci(l->p, l->n, "original message") ||
	       contains_ci(l->p, l->n, "mensaje original") ||
	       contains_ci(l->p, l->n, "ursprüngliche nachricht") ||
	       contains_ci(l->p, l->n, "original email message") ||
	       contains_ci(l->p, l->n, "forwarded message") ||
	       contains_ci(l->p, l->n, "mensaje reenviado");
}

static bool is_header_from(const struct line *l)
{
	const char *p = l->p;
	size_t n = l->n;

	while (n > 0 && (*p == '*' || *p == ' ')) {
		p++;
		n--;
	}
	return starts_ci(p, n, "From:") || starts_ci(p, n, "De:") ||
	       starts_ci(p, n, "Von:") || starts_ci(p, n, "Desde:");
}

static bool is_header_sent(const struct line *l)
{
	const char *p = l->p;
	size_t n = l->n;

	while (n > 0 && (*p == '*' || *p == ' ')) {
		p++;
		n--;
	}
	return starts_ci(p, n, "Sent:") || starts_ci(p, n, "Enviado:") ||
	       starts_ci(p, n, "Gesendet:") || starts_ci(p, n, "Date:") ||
	       starts_ci(p, n, "Fecha:") || starts_ci(p, n, "Datum:") ||
	       starts_ci(p, n, "Enviado el:");
}

static bool is_sig(const struct line *l)
{
	size_t n = l->n;

	if (n > 0 && l->p[n - 1] == '\r')
		n--;
	return (n == 3 && !memcmp(l->p, "-- ", 3)) ||
	       (n == 2 && !memcmp(l->p, "--", 2));
}

ay_rc mail_text_strip_quotes(const char *text, size_t n, struct buf *out)
{
	struct line *lines = NULL;
	size_t nl = 0, cap = 0, i, k, keep_end;
	const char *p = text, *end = text + n;
	ay_rc rc = AY_OK;
	size_t mark = out->len;

	while (p < end) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		size_t len = e ? (size_t)(e - p) : (size_t)(end - p);

		rc = ay_grow((void **)&lines, &cap, nl + 1, sizeof(*lines));
		if (rc)
			goto out;
		lines[nl].p = p;
		lines[nl].n = len;
		nl++;
		p = e ? e + 1 : end;
	}
	keep_end = nl;
	for (i = 0; i < nl; i++) {
		const struct line *next = i + 1 < nl ? &lines[i + 1] : NULL;

		if (is_sig(&lines[i]) || is_original_marker(&lines[i]) ||
		    is_attribution(&lines[i], next)) {
			keep_end = i;
			break;
		}
		if (is_header_from(&lines[i])) {
			for (k = i + 1; k < nl && k <= i + 4; k++)
				if (is_header_sent(&lines[k]))
					break;
			if (k < nl && k <= i + 4) {
				keep_end = i;
				break;
			}
		}
	}
	/* Drop trailing blank and quoted lines. */
	while (keep_end > 0) {
		const struct line *l = &lines[keep_end - 1];
		size_t j = 0;

		while (j < l->n &&
		       (l->p[j] == ' ' || l->p[j] == '\t' || l->p[j] == '\r'))
			j++;
		if (j < l->n && l->p[j] != '>')
			break;
		keep_end--;
	}
	for (i = 0; i < keep_end; i++) {
		if (lines[i].n > 0 && lines[i].p[0] == '>')
			continue;
		rc = buf_add(out, lines[i].p, lines[i].n);
		if (rc == AY_OK)
			rc = buf_addc(out, '\n');
		if (rc)
			goto out;
	}
	/* Drop leading blank lines. */
	k = mark;
	while (k < out->len && (out->ptr[k] == '\n' || out->ptr[k] == '\r' ||
				out->ptr[k] == ' '))
		k++;
	if (k > mark) {
		memmove(out->ptr + mark, out->ptr + k, out->len - k + 1);
		out->len -= k - mark;
	}
	while (out->len > mark && (out->ptr[out->len - 1] == '\n' ||
				   out->ptr[out->len - 1] == '\r'))
		out->ptr[--out->len] = '\0';
	rc = buf_add(out, "", 0);
out:
	free(lines);
	return rc;
}
