/* Parse one RFC 5322/MIME message with GMime 3 into struct mail_msg. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "mail/attach.h"
#include "mail/parse.h"
#include "mail/text.h"
#include "util/buf.h"

#define WALK_TEXT 1 /* append body text to the text */
#define WALK_HTML 2 /* append HTML body parts to the html */
#define WALK_DROP 4 /* an unchosen alternative: drop body text parts */
#define MAX_DEPTH 40
#define MAX_MULTIPARTS 1000

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
	char *returned_id; /* Message-ID of a returned/attached message */
	bool has_report;   /* a multipart/report delivery-status was seen */
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
	int i, n, k, gn;

	if (!l)
		return NULL;
	n = internet_address_list_length(l);
	for (i = 0; i < n; i++) {
		InternetAddress *a = internet_address_list_get_address(l, i);

		if (INTERNET_ADDRESS_IS_MAILBOX(a)) {
			InternetAddressMailbox *mb =
				INTERNET_ADDRESS_MAILBOX(a);
			const char *addr = internet_address_mailbox_get_addr(mb);

			if (!skip_blank(addr))
				return mb;
		} else if (INTERNET_ADDRESS_IS_GROUP(a)) {
			InternetAddressList *g = internet_address_group_get_members(
				INTERNET_ADDRESS_GROUP(a));

			gn = internet_address_list_length(g);
			for (k = 0; k < gn; k++) {
				InternetAddress *b =
					internet_address_list_get_address(g, k);

				if (INTERNET_ADDRESS_IS_MAILBOX(b) &&
				    !skip_blank(internet_address_mailbox_get_addr(
					    INTERNET_ADDRESS_MAILBOX(b))))
					return INTERNET_ADDRESS_MAILBOX(b);
			}
		}
	}
	return NULL;
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
			InternetAddressList *g = internet_address_group_get_members(
				INTERNET_ADDRESS_GROUP(a));

			gn = internet_address_list_length(g);
			for (k = 0; k < gn; k++) {
				InternetAddress *b =
					internet_address_list_get_address(g, k);

				if (!INTERNET_ADDRESS_IS_MAILBOX(b))
					continue;
				rc = push_str(v, n,
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
	size_t i, c = 0;

	for (i = 0; i + 10 <= n; i++) {
		if ((p[i] | 0x20) != 'm')
			continue;
		if (!strncasecmp(p + i, "multipart/", 10) ||
		    !strncasecmp(p + i, "message/", 8))
			c++;
	}
	return c;
}

/* The first charset= parameter in the first 64 KiB, used as a fallback for
 * raw 8-bit header text. */
static void scan_charset(const char *p, size_t n, char *out, size_t outlen)
{
	size_t i, k;

	out[0] = '\0';
	if (n > 65536)
		n = 65536;
	for (i = 0; i + 8 < n; i++) {
		if ((p[i] | 0x20) != 'c' || strncasecmp(p + i, "charset=", 8))
			continue;
		i += 8;
		if (i < n && (p[i] == '"' || p[i] == '\''))
			i++;
		for (k = 0; i + k < n && k + 1 < outlen; k++) {
			char c = p[i + k];

			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			      (c >= '0' && c <= '9') || c == '-' || c == '_' ||
			      c == '.' || c == ':'))
				break;
			out[k] = c;
		}
		out[k] = '\0';
		if (strcasecmp(out, "us-ascii") && strcasecmp(out, "utf-8"))
			return;
		out[0] = '\0';
	}
}

static void set_fallbacks(GMimeParserOptions *po, const char *cs)
{
	const char *list[6];
	size_t n = 0;
	const char *name = mail_charset_name(cs);

	list[n++] = "UTF-8";
	if (*name && strcasecmp(name, "WINDOWS-1252"))
		list[n++] = name;
	if (!strncasecmp(name, "ISO-2022-JP", 11)) {
		list[n++] = "CP932";
		list[n++] = "EUC-JP";
	}
	list[n++] = "WINDOWS-1252";
	list[n] = NULL;
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
	if (i > 200) { /* keep names short, on a UTF-8 boundary */
		i = 200;
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

static ay_rc att_new(struct pctx *c, struct mail_attachment **out)
{
	struct mail_msg *m = c->m;

	if (m->natt == c->attcap) {
		size_t nc = c->attcap ? c->attcap * 2 : 4;
		struct mail_attachment *t = realloc(m->att, nc * sizeof(*t));

		if (!t)
			return AY_ENOMEM;
		m->att = t;
		c->attcap = nc;
	}
	*out = &m->att[m->natt++];
	memset(*out, 0, sizeof(**out));
	return AY_OK;
}

/* Move data into the attachment (or only its size when over the limit),
 * sniff its type, make up a name if needed. Takes over name (may be NULL). */
static ay_rc att_fill(struct pctx *c, struct mail_attachment *a,
		      struct buf *data, char *name)
{
	char sniffed[128];

	mail_sniff_type(data->ptr ? data->ptr : "", data->len, sniffed,
			sizeof(sniffed));
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

static ay_rc add_part_attachment(struct pctx *c, GMimeObject *obj)
{
	struct mail_attachment *a;
	struct buf data;
	const char *fn = NULL, *cid, *disp;
	char *name = NULL;
	ay_rc rc;

	buf_init(&data, MAIL_MAX_RAW);
	rc = att_new(c, &a);
	if (rc)
		goto out;
	a->declared_type = lower_type(g_mime_object_get_content_type(obj));
	if (!a->declared_type) {
		rc = AY_ENOMEM;
		goto out;
	}
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
	rc = att_fill(c, a, &data, name);
out:
	buf_release(&data);
	return rc;
}

static ay_rc add_message_attachment(struct pctx *c, GMimeObject *obj)
{
	GMimeMessage *inner = g_mime_message_part_get_message(
		GMIME_MESSAGE_PART(obj));
	struct mail_attachment *a;
	struct buf data;
	char *name = NULL;
	ay_rc rc;

	buf_init(&data, MAIL_MAX_RAW);
	rc = att_new(c, &a);
	if (rc)
		goto out;
	a->declared_type = lower_type(g_mime_object_get_content_type(obj));
	if (!a->declared_type) {
		rc = AY_ENOMEM;
		goto out;
	}
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

/* A text/plain or text/html part meant as the body. */
static bool is_body_part(GMimeObject *obj, bool *html)
{
	GMimeContentType *ct = g_mime_object_get_content_type(obj);

	if (!GMIME_IS_PART(obj) || !ct)
		return false;
	if (is_attachment_disp(obj) || g_mime_part_get_filename(GMIME_PART(obj)))
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

static ay_rc body_leaf(struct pctx *c, GMimeObject *obj, bool html, int flags)
{
	struct buf t;
	ay_rc rc;

	buf_init(&t, MAIL_MAX_RAW);
	rc = part_text(obj, &t);
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

		if (ct && g_mime_content_type_is_type(ct, "multipart",
						      "alternative"))
			return walk_alternative(c, mp, flags, depth);
		if (ct && g_mime_content_type_is_type(ct, "multipart", "related"))
			return walk_related(c, mp, flags, depth);
		if (ct && g_mime_content_type_is_type(ct, "multipart", "report"))
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
	return add_part_attachment(c, obj);
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
		"undeliver", "undelivered", "delivery",	   "returned",
		"failure",   "failed",	    "no entregado", "unzustellbar",
		"fehlgeschlagen", "rejected", "non remis", NULL};
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
	GMimeContentType *ct = body ? g_mime_object_get_content_type(body)
				    : NULL;

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

static ay_rc parse_addresses(struct pctx *c, GMimeMessage *msg)
{
	struct mail_msg *m = c->m;
	InternetAddressMailbox *mb;
	ay_rc rc;

	mb = first_mailbox(g_mime_message_get_reply_to(msg));
	if (mb) {
		m->reply_to = addr_dup(mb);
		if (!m->reply_to)
			return AY_ENOMEM;
	}
	mb = first_mailbox(g_mime_message_get_from(msg));
	if (!mb)
		mb = first_mailbox(g_mime_message_get_reply_to(msg));
	if (!mb)
		mb = first_mailbox(g_mime_message_get_sender(msg));
	if (mb) {
		m->from_addr = addr_dup(mb);
		m->from_name = clean_dup(
			internet_address_get_name(INTERNET_ADDRESS(mb)), true);
		if (!m->from_addr)
			return AY_ENOMEM;
	} else {
		m->from_name = clean_dup("", false);
	}
	if (!m->from_name)
		return AY_ENOMEM;
	rc = addr_list(g_mime_message_get_to(msg), &m->to, &m->nto,
		       &m->to_header);
	if (rc)
		return rc;
	return addr_list(g_mime_message_get_cc(msg), &m->cc, &m->ncc,
			 &m->cc_header);
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
	char cs[64];
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
	scan_charset(raw + off, len - off, cs, sizeof(cs));
	set_fallbacks(c.popts, cs);

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
	c.m->subject = clean_dup(g_mime_message_get_subject(msg), false);
	if (!c.m->subject) {
		rc = AY_ENOMEM;
		goto out;
	}
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
	if (rc)
		goto out;
	rc = finish_text(&c);
	if (rc)
		goto out;
	mark_inline(c.m);
	detect_auto(&c, GMIME_OBJECT(msg));
	detect_loop(&c, GMIME_OBJECT(msg));
	detect_bounce(&c, msg);
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
	free(m);
}
