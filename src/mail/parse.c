/* Parse one RFC 5322/MIME message with GMime 3 into struct mail_msg. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "mail/attach.h"
#include "mail/decode.h"
#include "mail/parse.h"
#include "mail/text.h"
#include "util/buf.h"
#include "util/str.h"
#include "util/grow.h"

#define WALK_TEXT      1 /* append body text to the text */
#define WALK_HTML      2 /* append HTML body parts to the html */
#define WALK_DROP      4 /* an unchosen alternative: drop body text parts */
#define MAX_DEPTH      40
#define MAX_MULTIPARTS 1000
#define MAX_UU_BLOCKS  100 /* uuencoded files taken out of one message */

static pthread_once_t gmime_once = PTHREAD_ONCE_INIT;

static void gmime_init_once(void)
{
	g_mime_init();
}

void mail_gmime_init(void)
{
	pthread_once(&gmime_once, gmime_init_once);
}

struct pctx {
	struct mail_msg *m;
	const struct mail_parse_opts *o;
	GMimeParserOptions *popts;
	struct buf text;
	struct buf html;
	size_t attcap;
	char *returned_id;	 /* Message-ID of a returned/attached message */
	GMimeObject *named_text; /* first text/plain part with a file name and
				    no attachment disposition (borrowed) */
	size_t nuu;		 /* uuencoded blocks taken out so far */
	bool has_report; /* a multipart/report delivery-status was seen */
};

static void seterr(char *err, size_t errlen, const char *fmt, ...)
	AY_PRINTF(3, 4);

static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Returns: owned, valid UTF-8 copy of s with ASCII blanks trimmed when trim
 * is set; "" for NULL. NULL only on ENOMEM. */
static char *clean_dup(const char *s, bool trim)
{
	size_t n;

	if (!s)
		s = "";
	n = strlen(s);
	if (trim) {
		while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') {
			s++;
			n--;
		}
		while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
				 s[n - 1] == '\r' || s[n - 1] == '\n'))
			n--;
	}
	return mail_utf8_sanitize(s, n);
}

/* Strip "<" and ">" around a Message-ID; NULL if empty. */
static char *msgid_dup(const char *s)
{
	char *d, *r;
	size_t n;

	if (!s)
		return NULL;
	d = g_mime_utils_decode_message_id(s);
	if (!d) {
		while (*s == ' ' || *s == '\t' || *s == '<')
			s++;
		n = strcspn(s, "> \t\r\n");
		if (!n)
			return NULL;
		return mail_utf8_sanitize(s, n);
	}
	r = *d ? mail_utf8_sanitize(d, strlen(d)) : NULL;
	g_free(d);
	return r;
}

static void lower_domain(char *a)
{
	char *at = strrchr(a, '@');

	if (!at)
		return;
	for (at++; *at; at++)
		if (*at >= 'A' && *at <= 'Z')
			*at = (char)(*at - 'A' + 'a');
}

static bool skip_blank(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return false;
	return true;
}

/* Find the first mailbox with an address in an address list. */
static InternetAddressMailbox *first_mailbox(InternetAddressList *l)
{
	InternetAddressMailbox *nodomain = NULL;
	int i, n, k, gn;

	if (!l)
		return NULL;
	n = internet_address_list_length(l);
	for (i = 0; i < n; i++) {
		InternetAddress *a = internet_address_list_get_address(l, i);

		if (INTERNET_ADDRESS_IS_MAILBOX(a)) {
			InternetAddressMailbox *mb =
				INTERNET_ADDRESS_MAILBOX(a);
			const char *addr =
				internet_address_mailbox_get_addr(mb);

			if (!skip_blank(addr) && strchr(addr, '@'))
				return mb;
			if (!skip_blank(addr) && !nodomain)
				nodomain = mb;
		} else if (INTERNET_ADDRESS_IS_GROUP(a)) {
			InternetAddressList *g =
				internet_address_group_get_members(
					INTERNET_ADDRESS_GROUP(a));

			gn = internet_address_list_length(g);
			for (k = 0; k < gn; k++) {
				InternetAddress *b =
					internet_address_list_get_address(g, k);

				if (INTERNET_ADDRESS_IS_MAILBOX(b) &&
				    !skip_blank(
					    internet_address_mailbox_get_addr(
						    INTERNET_ADDRESS_MAILBOX(
							    b))))
					return INTERNET_ADDRESS_MAILBOX(b);
			}
		}
	}
	return nodomain;
}

static char *addr_dup(InternetAddressMailbox *mb)
{
	char *a = clean_dup(internet_address_mailbox_get_addr(mb), true);

	if (a)
		lower_domain(a);
	return a;
}

static ay_rc push_str(char ***v, size_t *n, char *s)
{
	char **t;

	if (!s)
		return AY_ENOMEM;
	t = realloc(*v, (*n + 1) * sizeof(**v));
	if (!t) {
		free(s);
		return AY_ENOMEM;
	}
	*v = t;
	t[(*n)++] = s;
	return AY_OK;
}

static ay_rc addr_list(InternetAddressList *l, char ***v, size_t *n,
		       char **text)
{
	int i, k, len, gn;
	ay_rc rc;
	char *s;

	*text = NULL;
	if (l) {
		s = internet_address_list_to_string(l, NULL, FALSE);
		*text = clean_dup(s, true);
		g_free(s);
	} else {
		*text = clean_dup("", false);
	}
	if (!*text)
		return AY_ENOMEM;
	if (!l)
		return AY_OK;
	len = internet_address_list_length(l);
	for (i = 0; i < len; i++) {
		InternetAddress *a = internet_address_list_get_address(l, i);

		if (INTERNET_ADDRESS_IS_MAILBOX(a)) {
			InternetAddressMailbox *mb =
				INTERNET_ADDRESS_MAILBOX(a);

			if (skip_blank(internet_address_mailbox_get_addr(mb)))
				continue;
			rc = push_str(v, n, addr_dup(mb));
			if (rc)
				return rc;
		} else if (INTERNET_ADDRESS_IS_GROUP(a)) {
			InternetAddressList *g =
				internet_address_group_get_members(
					INTERNET_ADDRESS_GROUP(a));

			gn = internet_address_list_length(g);
			for (k = 0; k < gn; k++) {
				InternetAddress *b =
					internet_address_list_get_address(g, k);

				if (!INTERNET_ADDRESS_IS_MAILBOX(b))
					continue;
				rc = push_str(
					v, n,
					addr_dup(INTERNET_ADDRESS_MAILBOX(b)));
				if (rc)
					return rc;
			}
		}
	}
	return AY_OK;
}

/* Where the headers start: skips an mbox "From " line and other junk
 * lines before the first "Name:" line (looks at most 8 lines). */
static size_t header_start(const char *raw, size_t len)
{
	size_t off = 0, i;
	int lines;

	for (lines = 0; lines < 8 && off < len; lines++) {
		for (i = off; i < len; i++) {
			unsigned char c = (unsigned char)raw[i];

			if (c == ':' || c <= ' ' || c >= 0x7F)
				break;
		}
		if (i > off && i < len && raw[i] == ':')
			return off;
		{
			const char *nl = memchr(raw + off, '\n', len - off);

			if (!nl)
				break;
			off = (size_t)(nl - raw) + 1;
		}
	}
	return 0;
}

/* Count "multipart/" and "message/" occurrences, to refuse nesting bombs
 * before GMime's recursive parser sees them. */
static size_t count_containers(const char *p, size_t n)
{
	const char *s = p, *end = p + n, *slash;
	size_t c = 0;

	/* From each '/' back: memchr finds them faster than a look at every
	 * byte. Counted as "multipart/" or "message/" starting at least 10
	 * bytes before the end. */
	while ((slash = memchr(s, '/', (size_t)(end - s)))) {
		size_t j = (size_t)(slash - p);

		if ((j >= 9 && !strncasecmp(slash - 9, "multipart", 9)) ||
		    (j >= 7 && j + 3 <= n &&
		     !strncasecmp(slash - 7, "message", 7)))
			c++;
		s = slash + 1;
	}
	return c;
}

#define MAX_FALLBACKS 8

static bool is_cjk(const char *name)
{
	static const char *const cjk[] = {
		"GB18030", "BIG5-HKSCS",    "CP932", "EUC-JP",
		"CP949",   "ISO-2022-JP-3", NULL};
	size_t i;

	for (i = 0; cjk[i]; i++)
		if (!strcasecmp(name, cjk[i]))
			return true;
	return false;
}

/* Fallback charsets for raw 8-bit header text: UTF-8, then the charsets
 * declared in the first 64 KiB (multi-byte CJK ones first, as they fail on
 * text that is not theirs while single-byte ones never fail), then
 * windows-1252. cs holds the names. */
static void set_fallbacks(GMimeParserOptions *po, const char *p, size_t n,
			  char cs[MAX_FALLBACKS][32])
{
	const char *list[MAX_FALLBACKS + 4];
	size_t i, k, ncs = 0, nl = 0;
	int pass;

	if (n > 65536)
		n = 65536;
	for (i = 0; i + 8 < n && ncs < MAX_FALLBACKS; i++) {
		char v[32];
		const char *name, *eq;

		/* The next '=' (memchr: faster than a look at every byte)
		 * that ends "charset=". */
		eq = memchr(p + i, '=', n - i);
		if (!eq)
			break;
		if ((size_t)(eq - p) < i + 7) {
			i = (size_t)(eq - p);
			continue;
		}
		i = (size_t)(eq - p) - 7;
		if (i + 8 >= n)
			break;
		if (strncasecmp(p + i, "charset", 7)) {
			i += 7;
			continue;
		}
		i += 8;
		if (i < n && (p[i] == '"' || p[i] == '\''))
			i++;
		for (k = 0; i + k < n && k + 1 < sizeof(v); k++) {
			char ch = p[i + k];

			if (!((ch >= 'a' && ch <= 'z') ||
			      (ch >= 'A' && ch <= 'Z') ||
			      (ch >= '0' && ch <= '9') || ch == '-' ||
			      ch == '_' || ch == '.' || ch == ':'))
				break;
			v[k] = ch;
		}
		v[k] = '\0';
		name = mail_charset_name(v);
		if (!*name || !strcasecmp(name, "UTF-8") ||
		    !strcasecmp(name, "WINDOWS-1252") ||
		    !strcasecmp(name, "UTF-7"))
			continue;
		for (k = 0; k < ncs; k++)
			if (!strcasecmp(cs[k], name))
				break;
		if (k == ncs)
			snprintf(cs[ncs++], 32, "%s", name);
	}
	list[nl++] = "UTF-8";
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < ncs; i++) {
			if (is_cjk(cs[i]) != (pass == 0))
				continue;
			list[nl++] = cs[i];
			if (!strncasecmp(cs[i], "ISO-2022-JP", 11)) {
				list[nl++] = "CP932";
				list[nl++] = "EUC-JP";
			}
			if (nl >= MAX_FALLBACKS + 1)
				break;
		}
	}
	list[nl++] = "WINDOWS-1252";
	list[nl] = NULL;
	g_mime_parser_options_set_fallback_charsets(po, list);
}

/* ---------------------------------------------------------------------- */
/* Parts */

static ay_rc wrapper_bytes(GMimeDataWrapper *w, struct buf *out)
{
	GMimeStream *s;
	GByteArray *ba;
	ay_rc rc = AY_OK;

	if (!w)
		return buf_add(out, "", 0);
	s = g_mime_stream_mem_new();
	if (g_mime_data_wrapper_write_to_stream(w, s) < 0) {
		/* Undecodable content: keep whatever was produced. */
	}
	ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(s));
	rc = buf_add(out, ba ? (const char *)ba->data : "", ba ? ba->len : 0);
	g_object_unref(s);
	return rc;
}

static ay_rc object_bytes(GMimeObject *o, struct buf *out)
{
	GMimeStream *s;
	GByteArray *ba;
	ay_rc rc;

	s = g_mime_stream_mem_new();
	if (o)
		g_mime_object_write_to_stream(o, NULL, s);
	ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(s));
	rc = buf_add(out, ba ? (const char *)ba->data : "", ba ? ba->len : 0);
	g_object_unref(s);
	return rc;
}

/* Decode a text part's content into UTF-8. */
static ay_rc part_text(GMimeObject *obj, struct buf *out)
{
	struct buf raw;
	const char *cs;
	ay_rc rc;

	buf_init(&raw, MAIL_MAX_RAW);
	rc = wrapper_bytes(g_mime_part_get_content(GMIME_PART(obj)), &raw);
	if (rc)
		goto out;
	cs = g_mime_object_get_content_type_parameter(obj, "charset");
	rc = mail_text_to_utf8(cs, raw.ptr ? raw.ptr : "", raw.len, out);
out:
	buf_release(&raw);
	return rc;
}

static const struct {
	const char *type;
	const char *ext;
} exts[] = {
	{"image/png", "png"},
	{"image/gif", "gif"},
	{"image/jpeg", "jpg"},
	{"image/jpg", "jpg"},
	{"image/bmp", "bmp"},
	{"image/webp", "webp"},
	{"image/tiff", "tif"},
	{"image/svg+xml", "svg"},
	{"application/pdf", "pdf"},
	{"application/zip", "zip"},
	{"application/x-rar", "rar"},
	{"application/vnd.rar", "rar"},
	{"application/ms-tnef", "dat"},
	{"application/vnd.ms-tnef", "dat"},
	{"application/pgp-signature", "asc"},
	{"application/pgp-encrypted", "asc"},
	{"application/pgp-keys", "asc"},
	{"application/pkcs7-signature", "p7s"},
	{"application/x-pkcs7-signature", "p7s"},
	{"application/pkcs7-mime", "p7m"},
	{"application/x-pkcs7-mime", "p7m"},
	{"text/plain", "txt"},
	{"text/html", "html"},
	{"text/calendar", "ics"},
	{"text/csv", "csv"},
	{"text/rfc822-headers", "txt"},
	{"message/delivery-status", "txt"},
	{"message/disposition-notification", "txt"},
	{"message/rfc822", "eml"},
};

static char *made_up_name(const char *declared, const char *sniffed)
{
	const char *ext = NULL;
	char name[64];
	size_t i;

	if (!strcmp(declared, "application/ms-tnef") ||
	    !strcmp(declared, "application/vnd.ms-tnef"))
		return strdup("winmail.dat");
	if (!strcmp(declared, "message/delivery-status"))
		return strdup("estado-entrega.txt");
	for (i = 0; i < AY_ARRAY_LEN(exts) && !ext; i++)
		if (!strcmp(declared, exts[i].type))
			ext = exts[i].ext;
	for (i = 0; i < AY_ARRAY_LEN(exts) && !ext; i++)
		if (!strcmp(sniffed, exts[i].type))
			ext = exts[i].ext;
	snprintf(name, sizeof(name), "adjunto.%s", ext ? ext : "bin");
	return strdup(name);
}

/* "<subject>.eml" with path separators and control characters replaced. */
static char *eml_name(const char *subject)
{
	struct buf b;
	char *s = clean_dup(subject, true);
	size_t i;

	if (!s)
		return NULL;
	if (!*s) {
		free(s);
		return strdup("mensaje.eml");
	}
	for (i = 0; s[i]; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == '/' || s[i] == '\\')
			s[i] = '_';
	if (i > 190) { /* keep names short, on a UTF-8 boundary */
		i = 190;
		while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
			i--;
		s[i] = '\0';
	}
	buf_init(&b, 1024);
	if (buf_adds(&b, s) || buf_adds(&b, ".eml")) {
		free(s);
		return NULL;
	}
	free(s);
	return buf_take(&b, NULL);
}

static char *lower_type(GMimeContentType *ct)
{
	const char *t = ct ? g_mime_content_type_get_media_type(ct) : NULL;
	const char *s = ct ? g_mime_content_type_get_media_subtype(ct) : NULL;
	char buf[256];
	size_t i;

	snprintf(buf, sizeof(buf), "%s/%s", t && *t ? t : "application",
		 s && *s ? s : "octet-stream");
	for (i = 0; buf[i]; i++)
		if (buf[i] >= 'A' && buf[i] <= 'Z')
			buf[i] = (char)(buf[i] - 'A' + 'a');
	return mail_utf8_sanitize(buf, strlen(buf));
}

/* A new, empty attachment declared as type (owned by it; NULL on ENOMEM). */
static ay_rc att_push(struct pctx *c, char *type, struct mail_attachment **out)
{
	struct mail_msg *m = c->m;

	if (!type)
		return AY_ENOMEM;
	if (ay_grow((void **)&m->att, &c->attcap, m->natt + 1,
		    sizeof(*m->att))) {
		free(type);
		return AY_ENOMEM;
	}
	*out = &m->att[m->natt++];
	memset(*out, 0, sizeof(**out));
	(*out)->declared_type = type;
	return AY_OK;
}

/* A new, empty attachment for the part obj, with its declared type. */
static ay_rc att_new(struct pctx *c, GMimeObject *obj,
		     struct mail_attachment **out)
{
	return att_push(c, lower_type(g_mime_object_get_content_type(obj)),
			out);
}

/* Move data into the attachment (or only its size when over the limit),
 * sniff its type, make up a name if needed. Takes over name (may be NULL). */
static ay_rc att_fill(struct pctx *c, struct mail_attachment *a,
		      struct buf *data, char *name)
{
	char sniffed[128];
	const char *as;

	if (name) {
		/* No control or bidi characters, no path separators. */
		char safe[256];

		ay_filename_clean(name, strlen(name), "", safe, sizeof(safe));
		memcpy(name, safe, strlen(safe) + 1);
	}
	/* The name the file will carry, as far as its type goes: without
	 * one, a part declared as text gets "adjunto.txt" (made_up_name). */
	as = name && !skip_blank(name) ? name : NULL;
	if (!as &&
	    (!strcmp(a->declared_type, "text/plain") ||
	     !strcmp(a->declared_type, "message/delivery-status") ||
	     !strcmp(a->declared_type, "message/disposition-notification")))
		as = "adjunto.txt";
	mail_sniff_type_named(data->ptr ? data->ptr : "", data->len, as,
			      sniffed, sizeof(sniffed));
	a->sniffed_type = strdup(sniffed);
	a->len = data->len;
	if (c->o && c->o->max_attachment && data->len > c->o->max_attachment) {
		a->oversize = true;
		buf_release(data);
	} else {
		if (buf_add(data, "", 0)) {
			free(name);
			return AY_ENOMEM;
		}
		a->data = (unsigned char *)buf_take(data, NULL);
		if (!a->data) {
			free(name);
			return AY_ENOMEM;
		}
	}
	if (name && !skip_blank(name)) {
		a->filename = name;
	} else {
		free(name);
		a->filename = made_up_name(a->declared_type, sniffed);
	}
	if (!a->sniffed_type || !a->filename)
		return AY_ENOMEM;
	return AY_OK;
}

static bool looks_binhex(const struct mail_attachment *a,
			 const struct buf *data)
{
	static const char tag[] = "must be converted with BinHex";
	size_t n = data->len < 1024 ? data->len : 1024;

	if (!strcmp(a->declared_type, "application/mac-binhex40") ||
	    !strcmp(a->declared_type, "application/x-mac-binhex40"))
		return true;
	return n && memmem(data->ptr, n, tag, sizeof(tag) - 1);
}

/* A BinHex file (declared so, or by its content) becomes what it holds:
 * its data fork, under its Macintosh name, so that the attachment policy
 * judges the file inside. One that does not decode is kept as it came. */
static ay_rc unbinhex(struct mail_attachment *a, struct buf *data, char **name)
{
	struct buf fork;
	char *inner = NULL;
	ay_rc rc;

	if (!looks_binhex(a, data))
		return AY_OK;
	buf_init(&fork, MAIL_MAX_RAW);
	rc = mail_binhex_decode(data->ptr ? data->ptr : "", data->len,
				MAIL_MAX_RAW, &inner, &fork);
	if (rc) {
		buf_release(&fork);
		return rc == AY_ENOMEM ? rc : AY_OK;
	}
	buf_release(data);
	*data = fork;
	free(*name);
	*name = inner;
	return AY_OK;
}

static ay_rc add_part_attachment(struct pctx *c, GMimeObject *obj)
{
	struct mail_attachment *a;
	struct buf data;
	const char *fn = NULL, *cid, *disp;
	char *name = NULL;
	ay_rc rc;

	buf_init(&data, MAIL_MAX_RAW);
	rc = att_new(c, obj, &a);
	if (rc)
		goto out;
	if (GMIME_IS_PART(obj)) {
		fn = g_mime_part_get_filename(GMIME_PART(obj));
		rc = wrapper_bytes(g_mime_part_get_content(GMIME_PART(obj)),
				   &data);
	} else {
		rc = object_bytes(obj, &data);
	}
	if (rc)
		goto out;
	if (fn) {
		name = clean_dup(fn, true);
		if (!name) {
			rc = AY_ENOMEM;
			goto out;
		}
	}
	cid = g_mime_object_get_content_id(obj);
	if (cid && *cid) {
		a->content_id = clean_dup(cid, true);
		if (!a->content_id) {
			free(name);
			rc = AY_ENOMEM;
			goto out;
		}
	}
	disp = g_mime_object_get_disposition(obj);
	if (disp && !strcasecmp(disp, "inline") &&
	    !strncmp(a->declared_type, "image/", 6))
		a->is_inline = true;
	if (!strcmp(a->declared_type, "text/rfc822-headers")) {
		const char *p = data.ptr ? data.ptr : "";
		const char *h = strcasestr(p, "\nMessage-ID:");

		if (!strncasecmp(p, "Message-ID:", 11))
			h = p - 1;
		if (h && !c->returned_id)
			c->returned_id = msgid_dup(h + 12);
	}
	rc = unbinhex(a, &data, &name);
	if (rc) {
		free(name);
		goto out;
	}
	rc = att_fill(c, a, &data, name);
out:
	buf_release(&data);
	return rc;
}

static ay_rc add_message_attachment(struct pctx *c, GMimeObject *obj)
{
	GMimeMessage *inner =
		g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
	struct mail_attachment *a;
	struct buf data;
	char *name = NULL;
	ay_rc rc;

	buf_init(&data, MAIL_MAX_RAW);
	rc = att_new(c, obj, &a);
	if (rc)
		goto out;
	rc = object_bytes(inner ? GMIME_OBJECT(inner) : NULL, &data);
	if (rc)
		goto out;
	name = eml_name(inner ? g_mime_message_get_subject(inner) : NULL);
	if (!name) {
		rc = AY_ENOMEM;
		goto out;
	}
	if (inner && !c->returned_id) {
		const char *id = g_mime_message_get_message_id(inner);

		if (id && *id)
			c->returned_id = mail_utf8_sanitize(id, strlen(id));
	}
	rc = att_fill(c, a, &data, name);
out:
	buf_release(&data);
	return rc;
}

static bool is_attachment_disp(GMimeObject *obj)
{
	const char *d = g_mime_object_get_disposition(obj);

	return d && !strcasecmp(d, "attachment");
}

/* A text/plain part with a file name that is not an attachment by its
 * disposition. */
static bool is_named_text(GMimeObject *obj)
{
	GMimeContentType *ct = g_mime_object_get_content_type(obj);

	return GMIME_IS_PART(obj) && ct && !is_attachment_disp(obj) &&
	       g_mime_part_get_filename(GMIME_PART(obj)) &&
	       g_mime_content_type_is_type(ct, "text", "plain");
}

/* A text/plain or text/html part meant as the body. */
static bool is_body_part(GMimeObject *obj, bool *html)
{
	GMimeContentType *ct = g_mime_object_get_content_type(obj);

	if (!GMIME_IS_PART(obj) || !ct)
		return false;
	if (is_attachment_disp(obj) ||
	    g_mime_part_get_filename(GMIME_PART(obj)))
		return false;
	if (g_mime_content_type_is_type(ct, "text", "plain")) {
		*html = false;
		return true;
	}
	if (g_mime_content_type_is_type(ct, "text", "html")) {
		*html = true;
		return true;
	}
	return false;
}

static ay_rc sep(struct buf *b)
{
	if (!b->len || b->ptr[b->len - 1] == '\n')
		return AY_OK;
	return buf_addc(b, '\n');
}

/* One uuencoded file as an attachment; takes over blk->name. */
static ay_rc add_uu_attachment(struct pctx *c, struct mail_uu_block *blk,
			       struct buf *data)
{
	struct mail_attachment *a;
	ay_rc rc;

	rc = att_push(c, strdup("application/octet-stream"), &a);
	if (rc) {
		free(blk->name);
		return rc;
	}
	return att_fill(c, a, data, blk->name);
}

/* Take the uuencoded files ("begin 644 name" ... "end") out of the plain
 * text t: each becomes an attachment, the text around them stays. */
static ay_rc take_uu(struct pctx *c, struct buf *t)
{
	struct mail_uu_block blk;
	struct buf rest, data;
	size_t off = 0, from = 0;
	bool found;
	ay_rc rc = AY_OK;

	if (!t->len || !memmem(t->ptr, t->len, "begin ", 6))
		return AY_OK;
	buf_init(&rest, MAIL_MAX_RAW);
	buf_init(&data, MAIL_MAX_RAW);
	while (c->nuu < MAX_UU_BLOCKS && off < t->len) {
		rc = mail_uu_next(t->ptr, t->len, &off, &blk, &data, &found);
		if (rc == AY_ETOOBIG) {
			rc = AY_OK; /* left in the text */
			continue;
		}
		if (rc || !found)
			break;
		rc = buf_add(&rest, t->ptr + from, blk.start - from);
		if (rc) {
			free(blk.name);
			break;
		}
		rc = add_uu_attachment(c, &blk, &data);
		if (rc)
			break;
		from = blk.end;
		c->nuu++;
	}
	if (rc == AY_OK && from) {
		rc = buf_add(&rest, t->ptr + from, t->len - from);
		if (rc == AY_OK) {
			buf_release(t);
			*t = rest;
			buf_init(&rest, MAIL_MAX_RAW);
		}
	}
	buf_release(&rest);
	buf_release(&data);
	return rc;
}

static ay_rc body_leaf(struct pctx *c, GMimeObject *obj, bool html, int flags)
{
	struct buf t;
	ay_rc rc;

	buf_init(&t, MAIL_MAX_RAW);
	rc = part_text(obj, &t);
	if (rc == AY_OK && !html && (flags & WALK_TEXT))
		rc = take_uu(c, &t);
	if (rc)
		goto out;
	if (flags & WALK_TEXT) {
		rc = sep(&c->text);
		if (rc)
			goto out;
		if (html)
			rc = mail_html_to_text(t.ptr ? t.ptr : "", t.len,
					       &c->text);
		else
			rc = buf_add(&c->text, t.ptr ? t.ptr : "", t.len);
		if (rc)
			goto out;
	}
	if (html && (flags & WALK_HTML))
		rc = buf_add(&c->html, t.ptr ? t.ptr : "", t.len);
out:
	buf_release(&t);
	return rc;
}

static ay_rc walk(struct pctx *c, GMimeObject *obj, int flags, int depth);

static bool part_blank(GMimeObject *obj)
{
	struct buf t;
	bool blank = true;
	size_t i;

	buf_init(&t, MAIL_MAX_RAW);
	if (part_text(obj, &t) == AY_OK) {
		for (i = 0; i < t.len && blank; i++)
			if (t.ptr[i] != ' ' && t.ptr[i] != '\t' &&
			    t.ptr[i] != '\r' && t.ptr[i] != '\n')
				blank = false;
	}
	buf_release(&t);
	return blank;
}

static ay_rc walk_alternative(struct pctx *c, GMimeMultipart *mp, int flags,
			      int depth)
{
	int n = g_mime_multipart_get_count(mp), i, plain = -1, html = -1;
	int other = -1, text_choice, html_choice, f;
	bool is_html;
	ay_rc rc;

	for (i = 0; i < n; i++) {
		GMimeObject *ch = g_mime_multipart_get_part(mp, i);

		if (is_body_part(ch, &is_html)) {
			if (!is_html && !part_blank(ch))
				plain = i;
			else if (is_html)
				html = i;
		} else if (GMIME_IS_MULTIPART(ch)) {
			other = i;
		}
	}
	html_choice = html >= 0 ? html : other;
	text_choice = plain >= 0 ? plain : html_choice;
	for (i = 0; i < n; i++) {
		GMimeObject *ch = g_mime_multipart_get_part(mp, i);

		f = 0;
		if (i == text_choice)
			f |= flags & WALK_TEXT;
		if (i == html_choice)
			f |= flags & WALK_HTML;
		if (!f)
			f = WALK_DROP;
		rc = walk(c, ch, f, depth + 1);
		if (rc)
			return rc;
	}
	return AY_OK;
}

static ay_rc walk_related(struct pctx *c, GMimeMultipart *mp, int flags,
			  int depth)
{
	int n = g_mime_multipart_get_count(mp), i, root = 0;
	const char *start = g_mime_object_get_content_type_parameter(
		GMIME_OBJECT(mp), "start");
	ay_rc rc;

	if (start) {
		char *want = msgid_dup(start);

		for (i = 0; want && i < n; i++) {
			const char *id = g_mime_object_get_content_id(
				g_mime_multipart_get_part(mp, i));

			if (id && !strcmp(id, want)) {
				root = i;
				break;
			}
		}
		free(want);
	}
	for (i = 0; i < n; i++) {
		rc = walk(c, g_mime_multipart_get_part(mp, i),
			  i == root ? flags : 0, depth + 1);
		if (rc)
			return rc;
	}
	return AY_OK;
}

static ay_rc walk(struct pctx *c, GMimeObject *obj, int flags, int depth)
{
	bool html;
	int i, n;
	ay_rc rc;

	if (!obj)
		return AY_OK;
	if (depth > MAX_DEPTH)
		return add_part_attachment(c, obj);
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		GMimeContentType *ct = g_mime_object_get_content_type(obj);

		if (ct &&
		    g_mime_content_type_is_type(ct, "multipart", "alternative"))
			return walk_alternative(c, mp, flags, depth);
		if (ct &&
		    g_mime_content_type_is_type(ct, "multipart", "related"))
			return walk_related(c, mp, flags, depth);
		if (ct &&
		    g_mime_content_type_is_type(ct, "multipart", "report"))
			c->has_report = true;
		n = g_mime_multipart_get_count(mp);
		for (i = 0; i < n; i++) {
			rc = walk(c, g_mime_multipart_get_part(mp, i), flags,
				  depth + 1);
			if (rc)
				return rc;
		}
		return AY_OK;
	}
	if (GMIME_IS_MESSAGE_PART(obj))
		return add_message_attachment(c, obj);
	if (is_body_part(obj, &html)) {
		if (flags & (WALK_TEXT | WALK_HTML))
			return body_leaf(c, obj, html, flags);
		if (flags & WALK_DROP)
			return AY_OK;
	}
	if ((flags & WALK_TEXT) && !c->named_text && is_named_text(obj))
		c->named_text = obj;
	return add_part_attachment(c, obj);
}

/* A message whose only text is a text/plain part with a file name (and no
 * attachment disposition) shows it as its body; the file stays attached. */
static ay_rc named_text_body(struct pctx *c)
{
	size_t i;

	if (!c->named_text)
		return AY_OK;
	for (i = 0; i < c->text.len; i++)
		if (!strchr(" \t\r\n", c->text.ptr[i]))
			return AY_OK;
	return body_leaf(c, c->named_text, false, WALK_TEXT);
}

/* ---------------------------------------------------------------------- */
/* Headers */

static const char *hdr(GMimeObject *o, const char *name)
{
	return g_mime_object_get_header(o, name);
}

static bool local_part_is(const char *addr, const char *want)
{
	size_t n = strlen(want);

	return addr && !strncasecmp(addr, want, n) &&
	       (addr[n] == '@' || addr[n] == '\0');
}

static void detect_auto(struct pctx *c, GMimeObject *o)
{
	struct mail_msg *m = c->m;
	const char *v;

	v = hdr(o, "Auto-Submitted");
	if (v && strncasecmp(v + strspn(v, " \t"), "no", 2))
		m->auto_submitted = true;
	v = hdr(o, "Precedence");
	if (v) {
		v += strspn(v, " \t");
		if (!strncasecmp(v, "bulk", 4) || !strncasecmp(v, "junk", 4) ||
		    !strncasecmp(v, "list", 4))
			m->auto_submitted = true;
	}
	if (hdr(o, "X-Autoreply") || hdr(o, "X-Autorespond") ||
	    hdr(o, "X-Auto-Response-Suppress") || hdr(o, "List-Id"))
		m->auto_submitted = true;
	if (local_part_is(m->from_addr, "mailer-daemon") ||
	    local_part_is(m->from_addr, "postmaster"))
		m->auto_submitted = true;
	/* The null reverse path (the MTA's Return-Path, first one). */
	v = hdr(o, "Return-Path");
	if (v) {
		v += strspn(v, " \t");
		if (!strncmp(v, "<>", 2) && !v[2 + strspn(v + 2, " \t\r\n")])
			m->null_sender = true;
	}
}

/* The envelope recipients that MTAs and mailbox providers record, for
 * matching the return path a bounce came back to. */
static ay_rc collect_delivered_to(struct pctx *c, GMimeObject *o)
{
	static const char *const names[] = {"Delivered-To", "X-Original-To",
					    "Envelope-To", "X-Envelope-To"};
	GMimeHeaderList *hl = g_mime_object_get_header_list(o);
	int n = hl ? g_mime_header_list_get_count(hl) : 0;
	struct buf b;

	buf_init(&b, 64 * 1024);
	for (int i = 0; i < n; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
		const char *v = g_mime_header_get_value(h);

		for (size_t k = 0; v && k < AY_ARRAY_LEN(names); k++)
			if (!strcasecmp(g_mime_header_get_name(h), names[k]) &&
			    (buf_adds(&b, v) || buf_adds(&b, "\n")))
				break; /* too many: the rest is not needed */
	}
	c->m->delivered_to = clean_dup(buf_str(&b), false);
	buf_release(&b);
	return c->m->delivered_to ? AY_OK : AY_ENOMEM;
}

static void detect_loop(struct pctx *c, GMimeObject *o)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(o);
	int i, n = hl ? g_mime_header_list_get_count(hl) : 0;
	const char *tok = c->o ? c->o->loop_token : NULL;
	size_t tl;

	if (!tok || !*tok)
		return;
	tl = strlen(tok);
	for (i = 0; i < n; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
		const char *v;
		size_t vl;

		if (strcasecmp(g_mime_header_get_name(h), "X-Loop"))
			continue;
		v = g_mime_header_get_value(h);
		if (!v)
			continue;
		v += strspn(v, " \t");
		vl = strlen(v);
		while (vl > 0 && (v[vl - 1] == ' ' || v[vl - 1] == '\t' ||
				  v[vl - 1] == '\r' || v[vl - 1] == '\n'))
			vl--;
		if (vl == tl && !strncasecmp(v, tok, tl))
			c->m->has_our_loop = true;
	}
}

static bool subject_says_bounce(const char *s)
{
	static const char *const words[] = {
		"undeliver",	  "undelivered", "delivery",	 "returned",
		"failure",	  "failed",	 "no entregado", "unzustellbar",
		"fehlgeschlagen", "rejected",	 "non remis",	 NULL};
	size_t i;

	for (i = 0; words[i]; i++)
		if (s && strcasestr(s, words[i]))
			return true;
	return false;
}

static void detect_bounce(struct pctx *c, GMimeMessage *msg)
{
	struct mail_msg *m = c->m;
	GMimeObject *body = g_mime_message_get_mime_part(msg);
	GMimeContentType *ct =
		body ? g_mime_object_get_content_type(body) : NULL;

	if (ct && g_mime_content_type_is_type(ct, "multipart", "report")) {
		const char *rt =
			g_mime_content_type_get_parameter(ct, "report-type");

		if (!rt || !strcasecmp(rt, "delivery-status"))
			m->is_bounce = true;
	}
	if (!m->is_bounce && (local_part_is(m->from_addr, "mailer-daemon") ||
			      (local_part_is(m->from_addr, "postmaster") &&
			       subject_says_bounce(m->subject))))
		m->is_bounce = true;
	if (!m->is_bounce)
		return;
	if (c->returned_id) {
		m->bounce_of = c->returned_id;
		c->returned_id = NULL;
		return;
	}
	/* A plain-text bounce quoting the returned headers. */
	{
		const char *t = m->text ? m->text : "";
		const char *h = strcasestr(t, "\nMessage-ID:");

		if (h)
			m->bounce_of = msgid_dup(h + 12);
	}
}

static void mark_inline(struct mail_msg *m)
{
	size_t i;
	char pat[600];

	for (i = 0; i < m->natt; i++) {
		struct mail_attachment *a = &m->att[i];

		if (a->is_inline || !a->content_id || !m->html)
			continue;
		snprintf(pat, sizeof(pat), "cid:%s", a->content_id);
		if (strcasestr(m->html, pat))
			a->is_inline = true;
	}
}

static ay_rc parse_refs(struct pctx *c, GMimeObject *o)
{
	struct mail_msg *m = c->m;
	const char *v = hdr(o, "References");
	GMimeReferences *refs;
	int i, n;
	ay_rc rc = AY_OK;

	m->in_reply_to = msgid_dup(hdr(o, "In-Reply-To"));
	if (!v)
		return AY_OK;
	refs = g_mime_references_parse(c->popts, v);
	if (!refs)
		return AY_OK;
	n = g_mime_references_length(refs);
	for (i = 0; i < n && i < 500; i++) {
		const char *id = g_mime_references_get_message_id(refs, i);

		if (!id || !*id)
			continue;
		rc = push_str(&m->references, &m->nrefs,
			      mail_utf8_sanitize(id, strlen(id)));
		if (rc)
			break;
	}
	g_mime_references_free(refs);
	return rc;
}

/* Decode one encoded-word's payload (B or Q) and append the bytes. */
static ay_rc ew_bytes(char enc, const char *p, size_t n, struct buf *out)
{
	size_t i;
	ay_rc rc = AY_OK;

	if (enc == 'B' || enc == 'b') {
		guchar *tmp = g_malloc(n + 4);
		gint state = 0;
		guint save = 0;
		gsize k = g_base64_decode_step(p, n, tmp, &state, &save);

		rc = buf_add(out, tmp, k);
		g_free(tmp);
		return rc;
	}
	for (i = 0; i < n && rc == AY_OK; i++) {
		if (p[i] == '_') {
			rc = buf_addc(out, ' ');
		} else if (p[i] == '=' && i + 2 < n &&
			   g_ascii_isxdigit(p[i + 1]) &&
			   g_ascii_isxdigit(p[i + 2])) {
			rc = buf_addc(
				out,
				(char)(g_ascii_xdigit_value(p[i + 1]) * 16 +
				       g_ascii_xdigit_value(p[i + 2])));
			i += 2;
		} else {
			rc = buf_addc(out, p[i]);
		}
	}
	return rc;
}

/* Parse an encoded-word at p: "=?cs?E?text?=". Returns its length, 0 if
 * none; sets the charset (cs, csn), the encoding and the payload. */
static size_t ew_parse(const char *p, const char **cs, size_t *csn, char *enc,
		       const char **txt, size_t *txtn)
{
	const char *q, *e;

	if (p[0] != '=' || p[1] != '?')
		return 0;
	q = strchr(p + 2, '?');
	if (!q || q == p + 2 || !q[1] || q[2] != '?' || !strchr("BbQq", q[1]))
		return 0;
	e = strstr(q + 3, "?=");
	if (!e)
		return 0;
	*cs = p + 2;
	*csn = (size_t)(q - p - 2);
	*enc = q[1];
	*txt = q + 3;
	*txtn = (size_t)(e - q - 3);
	return (size_t)(e + 2 - p);
}

static ay_rc flush_ew(struct buf *bytes, const char *cs, struct buf *out)
{
	ay_rc rc;

	if (!bytes->len)
		return AY_OK;
	rc = mail_text_to_utf8(cs, bytes->ptr, bytes->len, out);
	buf_reset(bytes);
	return rc;
}

static ay_rc flush_raw(struct pctx *c, const char *p, size_t n, struct buf *out)
{
	char *d;
	ay_rc rc;

	if (!n || mail_utf8_valid(p, n))
		return buf_add(out, p, n);
	d = g_mime_utils_decode_8bit(c->popts, p, n);
	rc = buf_adds(out, d ? d : "");
	g_free(d);
	return rc;
}

/* Decode header text: RFC 2047 encoded-words (adjacent words of one
 * charset joined before conversion, so split multi-byte characters
 * survive), raw 8-bit text through the fallback charsets. */
static ay_rc decode_header_text(struct pctx *c, const char *s, struct buf *out)
{
	struct buf bytes;
	char cs[64] = "", wcs[64];
	const char *raw = s, *p = s, *t, *w;
	size_t wl, csn, tn, k;
	char enc;
	ay_rc rc = AY_OK;

	buf_init(&bytes, MAIL_MAX_RAW);
	while (*p && rc == AY_OK) {
		wl = ew_parse(p, &w, &csn, &enc, &t, &tn);
		if (!wl) {
			p++;
			continue;
		}
		/* Text before the word: dropped if only blanks between two
		 * encoded-words, else flushed as is. */
		k = strspn(raw, " \t\r\n");
		if (!(bytes.len && raw + k == p)) {
			rc = flush_ew(&bytes, cs, out);
			if (rc == AY_OK)
				rc = flush_raw(c, raw, (size_t)(p - raw), out);
		}
		snprintf(wcs, sizeof(wcs), "%.*s", (int)(csn < 63 ? csn : 63),
			 w);
		wcs[strcspn(wcs, "*")] = '\0'; /* RFC 2231 language */
		if (rc == AY_OK && strcasecmp(wcs, cs))
			rc = flush_ew(&bytes, cs, out);
		snprintf(cs, sizeof(cs), "%s", wcs);
		if (rc == AY_OK)
			rc = ew_bytes(enc, t, tn, &bytes);
		p += wl;
		raw = p;
	}
	if (rc == AY_OK)
		rc = flush_ew(&bytes, cs, out);
	if (rc == AY_OK)
		rc = flush_raw(c, raw, strlen(raw), out);
	buf_release(&bytes);
	return rc;
}

/* Returns: owned, the decoded unfolded value of the first header name,
 * "" if absent; NULL on ENOMEM. */
static char *hdr_decoded(struct pctx *c, GMimeObject *o, const char *name)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(o);
	GMimeHeader *h = hl ? g_mime_header_list_get_header(hl, name) : NULL;
	const char *raw = h ? g_mime_header_get_raw_value(h) : NULL;
	struct buf b;
	char *unf, *r = NULL;

	if (!raw)
		return clean_dup("", false);
	buf_init(&b, MAIL_MAX_RAW);
	unf = g_mime_utils_header_unfold(raw);
	/* Unfolding leaves the blank after the colon. */
	if (decode_header_text(c, unf ? unf + strspn(unf, " \t") : "", &b) ==
		    AY_OK &&
	    buf_add(&b, "", 0) == AY_OK)
		r = clean_dup(b.ptr, false);
	g_free(unf);
	buf_release(&b);
	return r;
}

/* Returns: owned (g_free), the raw unfolded value of an address header with
 * specials inside Q encoded-words escaped (GMime would split
 * "=?iso-8859-1?Q?B=FCrling,=20Andreas?=" at the comma); NULL if absent. */
static char *addr_raw(GMimeObject *o, const char *name, int nth)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(o);
	int i, n = hl ? g_mime_header_list_get_count(hl) : 0;
	const char *raw = NULL;
	GString *s;
	char *unf, *p;

	for (i = 0; i < n && !raw; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);

		if (strcasecmp(g_mime_header_get_name(h), name))
			continue;
		if (nth-- == 0)
			raw = g_mime_header_get_raw_value(h);
	}

	if (!raw)
		return NULL;
	unf = g_mime_utils_header_unfold(raw);
	if (!unf || !strstr(unf, "=?"))
		return unf;
	s = g_string_sized_new(strlen(unf) + 16);
	for (p = unf; *p;) {
		char *q = NULL, *e = NULL;

		if (p[0] == '=' && p[1] == '?') {
			q = strchr(p + 2, '?');
			if (q && (q[1] == 'Q' || q[1] == 'q') && q[2] == '?')
				e = strstr(q + 3, "?=");
		}
		if (!e) {
			g_string_append_c(s, *p++);
			continue;
		}
		g_string_append_len(s, p, q + 3 - p);
		for (p = q + 3; p < e; p++) {
			if (strchr(",;:<>\"@()[]\\ ", *p))
				g_string_append_printf(s, "=%02X",
						       (unsigned char)*p);
			else
				g_string_append_c(s, *p);
		}
	}
	g_free(unf);
	return g_string_free(s, FALSE);
}

static InternetAddressList *addr_parse_nth(struct pctx *c, GMimeObject *o,
					   const char *name, int nth)
{
	char *raw = addr_raw(o, name, nth);
	InternetAddressList *l;

	if (!raw)
		return NULL;
	l = internet_address_list_parse(c->popts, raw);
	g_free(raw);
	return l;
}

/* Last resort for a broken From ("Test test@example.com", "a b@c.d"):
 * the last word that contains an '@'. Returns: owned or NULL. */
static InternetAddressList *addr_parse(struct pctx *c, GMimeObject *o,
				       const char *name)
{
	return addr_parse_nth(c, o, name, 0);
}

static char *salvage_addr(GMimeObject *o, const char *name)
{
	char *raw = addr_raw(o, name, 0), *at, *b, *e, *r = NULL;
	static const char stop[] = " \t<>\"(),;:[]";

	if (!raw)
		return NULL;
	at = strrchr(raw, '@');
	if (at && at > raw && at[1] && !strchr(stop, at[-1]) &&
	    !strchr(stop, at[1])) {
		b = at;
		while (b > raw && !strchr(stop, b[-1]))
			b--;
		e = at;
		while (*e && !strchr(stop, *e))
			e++;
		r = mail_utf8_sanitize(b, (size_t)(e - b));
		if (r)
			lower_domain(r);
	}
	g_free(raw);
	return r;
}

static ay_rc parse_addresses(struct pctx *c, GMimeMessage *msg)
{
	struct mail_msg *m = c->m;
	GMimeObject *o = GMIME_OBJECT(msg);
	InternetAddressList *from = addr_parse(c, o, "From");
	InternetAddressList *rto = addr_parse(c, o, "Reply-To");
	InternetAddressList *sender = addr_parse(c, o, "Sender");
	InternetAddressList *to = addr_parse(c, o, "To");
	InternetAddressList *cc = addr_parse(c, o, "Cc");
	InternetAddressMailbox *mb;
	ay_rc rc = AY_ENOMEM;

	mb = first_mailbox(rto);
	if (mb) {
		m->reply_to = addr_dup(mb);
		if (!m->reply_to)
			goto out;
	}
	mb = first_mailbox(from);
	if (!mb || !strchr(internet_address_mailbox_get_addr(mb), '@')) {
		/* A second From header may be better (mail017). */
		InternetAddressList *f2 = addr_parse_nth(c, o, "From", 1);
		InternetAddressMailbox *mb2 = first_mailbox(f2);

		if (mb2 &&
		    strchr(internet_address_mailbox_get_addr(mb2), '@')) {
			if (from)
				g_object_unref(from);
			from = f2;
			mb = mb2;
		} else if (f2) {
			g_object_unref(f2);
		}
	}
	if (!mb && hdr(o, "From")) {
		m->from_addr = salvage_addr(o, "From");
	} else if (mb) {
		m->from_addr = addr_dup(mb);
		m->from_name = clean_dup(
			internet_address_get_name(INTERNET_ADDRESS(mb)), true);
		if (!m->from_addr)
			goto out;
	}
	if (!m->from_addr) {
		mb = first_mailbox(rto);
		if (!mb)
			mb = first_mailbox(sender);
		if (mb) {
			m->from_addr = addr_dup(mb);
			m->from_name = clean_dup(
				internet_address_get_name(INTERNET_ADDRESS(mb)),
				true);
			if (!m->from_addr)
				goto out;
		}
	}
	if (!m->from_name)
		m->from_name = clean_dup("", false);
	if (!m->from_name)
		goto out;
	ay_oneline(m->from_name);
	rc = addr_list(to, &m->to, &m->nto, &m->to_header);
	if (rc)
		goto out;
	rc = addr_list(cc, &m->cc, &m->ncc, &m->cc_header);
out:
	if (from)
		g_object_unref(from);
	if (rto)
		g_object_unref(rto);
	if (sender)
		g_object_unref(sender);
	if (to)
		g_object_unref(to);
	if (cc)
		g_object_unref(cc);
	return rc;
}

/* Turn CRLF line ends into LF, in place. */
static void crlf_to_lf(char *s)
{
	char *d = s;

	for (; *s; s++)
		if (!(s[0] == '\r' && s[1] == '\n'))
			*d++ = *s;
	*d = '\0';
}

static ay_rc finish_text(struct pctx *c)
{
	struct mail_msg *m = c->m;
	struct buf nt;
	ay_rc rc;

	rc = buf_add(&c->text, "", 0);
	if (rc)
		return rc;
	/* Text came through mail_text_to_utf8 / the HTML converter; sanitize
	 * again anyway (NULs). */
	m->text = mail_utf8_sanitize(c->text.ptr, c->text.len);
	if (!m->text)
		return AY_ENOMEM;
	crlf_to_lf(m->text);
	if (c->html.len) {
		m->html = mail_utf8_sanitize(c->html.ptr, c->html.len);
		if (!m->html)
			return AY_ENOMEM;
	}
	buf_init(&nt, MAIL_MAX_RAW);
	rc = mail_text_strip_quotes(m->text, strlen(m->text), &nt);
	if (rc == AY_OK)
		rc = buf_add(&nt, "", 0);
	if (rc)
		return rc;
	m->text_new = buf_take(&nt, NULL);
	return m->text_new ? AY_OK : AY_ENOMEM;
}

ay_rc mail_parse(const char *raw, size_t len, const struct mail_parse_opts *o,
		 struct mail_msg **out, char *err, size_t errlen)
{
	struct pctx c;
	GMimeStream *stream = NULL;
	GMimeParser *parser = NULL;
	GMimeMessage *msg = NULL;
	GDateTime *date;
	size_t off;
	char cs[MAX_FALLBACKS][32];
	ay_rc rc = AY_OK;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	buf_init(&c.text, MAIL_MAX_RAW);
	buf_init(&c.html, MAIL_MAX_RAW);
	if (len > MAIL_MAX_RAW) {
		seterr(err, errlen, "message too big (%zu bytes)", len);
		return AY_ETOOBIG;
	}
	if (count_containers(raw, len) > MAX_MULTIPARTS) {
		seterr(err, errlen, "too many MIME parts");
		return AY_ETOOBIG;
	}
	mail_gmime_init();
	c.o = o;
	c.m = calloc(1, sizeof(*c.m));
	c.popts = g_mime_parser_options_new();
	if (!c.m || !c.popts) {
		rc = AY_ENOMEM;
		goto out;
	}
	g_mime_parser_options_set_address_compliance_mode(
		c.popts, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_parameter_compliance_mode(
		c.popts, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_rfc2047_compliance_mode(
		c.popts, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_allow_addresses_without_domain(c.popts, TRUE);
	off = header_start(raw, len);
	set_fallbacks(c.popts, raw + off, len - off, cs);

	stream = g_mime_stream_mem_new_with_buffer(raw + off, len - off);
	parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	msg = g_mime_parser_construct_message(parser, c.popts);
	if (!msg) {
		seterr(err, errlen, "not a mail message");
		rc = AY_EINVAL;
		goto out;
	}
	c.m->message_id = msgid_dup(g_mime_message_get_message_id(msg));
	c.m->subject = hdr_decoded(&c, GMIME_OBJECT(msg), "Subject");
	if (!c.m->subject) {
		rc = AY_ENOMEM;
		goto out;
	}
	/* An encoded word may hold CR or LF: a subject is one line. */
	ay_oneline(c.m->subject);
	date = g_mime_message_get_date(msg);
	if (date)
		c.m->date = g_date_time_to_unix(date);
	rc = parse_addresses(&c, msg);
	if (rc)
		goto out;
	rc = parse_refs(&c, GMIME_OBJECT(msg));
	if (rc)
		goto out;
	rc = walk(&c, g_mime_message_get_mime_part(msg), WALK_TEXT | WALK_HTML,
		  0);
	if (rc == AY_OK)
		rc = named_text_body(&c);
	if (rc)
		goto out;
	rc = finish_text(&c);
	if (rc)
		goto out;
	mark_inline(c.m);
	detect_auto(&c, GMIME_OBJECT(msg));
	detect_loop(&c, GMIME_OBJECT(msg));
	detect_bounce(&c, msg);
	rc = collect_delivered_to(&c, GMIME_OBJECT(msg));
	if (rc)
		goto out;
	*out = c.m;
	c.m = NULL;
out:
	if (rc == AY_ENOMEM)
		seterr(err, errlen, "out of memory");
	else if (rc == AY_ETOOBIG)
		seterr(err, errlen, "message part too big");
	free(c.returned_id);
	mail_msg_free(c.m);
	buf_release(&c.text);
	buf_release(&c.html);
	if (msg)
		g_object_unref(msg);
	if (parser)
		g_object_unref(parser);
	if (stream)
		g_object_unref(stream);
	if (c.popts)
		g_mime_parser_options_free(c.popts);
	return rc;
}

static void free_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void mail_msg_free(struct mail_msg *m)
{
	size_t i;

	if (!m)
		return;
	free(m->message_id);
	free(m->in_reply_to);
	free_strv(m->references, m->nrefs);
	free(m->from_addr);
	free(m->from_name);
	free(m->reply_to);
	free_strv(m->to, m->nto);
	free_strv(m->cc, m->ncc);
	free(m->to_header);
	free(m->cc_header);
	free(m->subject);
	free(m->text);
	free(m->text_new);
	free(m->html);
	for (i = 0; i < m->natt; i++) {
		free(m->att[i].filename);
		free(m->att[i].declared_type);
		free(m->att[i].sniffed_type);
		free(m->att[i].content_id);
		free(m->att[i].data);
	}
	free(m->att);
	free(m->bounce_of);
	free(m->delivered_to);
	free(m);
}
