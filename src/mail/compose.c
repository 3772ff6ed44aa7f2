/* Compose outgoing mail with GMime. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <gmime/gmime.h>

#include "mail/compose.h"
#include "mail/parse.h"
#include "mail/text.h"

static bool has_crlf(const char *s)
{
	return s && strpbrk(s, "\r\n");
}

static bool valid_addr(const char *a)
{
	const char *at;

	if (!a || !*a || strpbrk(a, "\r\n <>\",;()[]\\") || strlen(a) > 254)
		return false;
	at = strrchr(a, '@');
	return at && at != a && at[1] && !strchr(at + 1, '@');
}

bool mail_msgid_ok(const char *id)
{
	return id && *id && !strpbrk(id, "\r\n <>\t") && strchr(id, '@') &&
	       strlen(id) < 250;
}

static GMimeObject *text_part(const char *subtype, const char *body)
{
	GMimeTextPart *t = g_mime_text_part_new_with_subtype(subtype);

	g_mime_text_part_set_charset(t, "utf-8");
	g_mime_text_part_set_text(t, body);
	g_mime_part_set_content_encoding(
		GMIME_PART(t), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
	return GMIME_OBJECT(t);
}

/* An attachment part, base64, with its name. Returns a new reference. */
static GMimeObject *file_part(const struct mail_out_att *a)
{
	const char *ct = a->content_type && strchr(a->content_type, '/')
				 ? a->content_type
				 : "application/octet-stream";
	GMimePart *part =
		g_mime_part_new_with_type("application", "octet-stream");
	GMimeContentType *type = g_mime_content_type_parse(NULL, ct);
	GMimeStream *st = g_mime_stream_mem_new_with_buffer(a->data, a->len);
	GMimeDataWrapper *w = g_mime_data_wrapper_new_with_stream(
		st, GMIME_CONTENT_ENCODING_DEFAULT);

	if (type) {
		g_mime_object_set_content_type(GMIME_OBJECT(part), type);
		g_object_unref(type);
	}
	g_mime_part_set_content(part, w);
	g_mime_part_set_content_encoding(part, GMIME_CONTENT_ENCODING_BASE64);
	g_mime_object_set_disposition(GMIME_OBJECT(part), "attachment");
	g_mime_part_set_filename(part, a->filename ? a->filename : "adjunto");
	g_object_unref(w);
	g_object_unref(st);
	return GMIME_OBJECT(part);
}

/* Whether m can be composed: required fields present, addresses and
 * Message-IDs well formed, no CR/LF in a header value, UTF-8 text. */
static bool compose_ok(const struct mail_out *m)
{
	size_t i;

	if (!valid_addr(m->from) || !valid_addr(m->to) ||
	    !mail_msgid_ok(m->message_id) || !m->text)
		return false;
	if (has_crlf(m->from_name) || has_crlf(m->to_name) ||
	    has_crlf(m->subject) || has_crlf(m->loop_token) ||
	    has_crlf(m->lang))
		return false;
	for (i = 0; i < m->natt; i++)
		if (has_crlf(m->att[i].filename) ||
		    has_crlf(m->att[i].content_type) || !m->att[i].data)
			return false;
	if (m->in_reply_to && !mail_msgid_ok(m->in_reply_to))
		return false;
	for (i = 0; i < m->nrefs; i++)
		if (!mail_msgid_ok(m->references[i]))
			return false;
	return mail_utf8_valid(m->text, strlen(m->text)) &&
	       (!m->html || mail_utf8_valid(m->html, strlen(m->html))) &&
	       (!m->subject || mail_utf8_valid(m->subject, strlen(m->subject)));
}

/* The headers of m on msg: addresses, subject, Date now, Message-ID and
 * the thread, Auto-Submitted, X-Loop, Content-Language. */
static void compose_headers(GMimeMessage *msg, const struct mail_out *m)
{
	GDateTime *now = g_date_time_new_now_local();

	g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_FROM,
				   m->from_name ? m->from_name : "", m->from);
	g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_TO,
				   m->to_name ? m->to_name : "", m->to);
	g_mime_message_set_subject(msg, m->subject ? m->subject : "", "utf-8");
	g_mime_message_set_date(msg, now);
	g_date_time_unref(now);
	g_mime_message_set_message_id(msg, m->message_id);
	if (m->in_reply_to) {
		char *idv = g_strdup_printf("<%s>", m->in_reply_to);

		g_mime_object_set_header(GMIME_OBJECT(msg), "In-Reply-To", idv,
					 NULL);
		g_free(idv);
	}
	if (m->nrefs) {
		GString *refs = g_string_new(NULL);

		for (size_t i = 0; i < m->nrefs; i++)
			g_string_append_printf(refs, "%s<%s>", i ? " " : "",
					       m->references[i]);
		g_mime_object_set_header(GMIME_OBJECT(msg), "References",
					 refs->str, NULL);
		g_string_free(refs, TRUE);
	}
	if (m->automatic)
		g_mime_object_set_header(GMIME_OBJECT(msg), "Auto-Submitted",
					 "auto-replied", NULL);
	if (m->loop_token && *m->loop_token)
		g_mime_object_set_header(GMIME_OBJECT(msg), "X-Loop",
					 m->loop_token, NULL);
	if (m->lang && *m->lang)
		g_mime_object_set_header(GMIME_OBJECT(msg), "Content-Language",
					 m->lang, NULL);
}

/* Returns: a new reference (g_object_unref()), the body of m: its text,
 * or text and HTML as alternatives, and the files after them. */
static GMimeObject *compose_body(const struct mail_out *m)
{
	GMimeObject *body;

	if (m->html) {
		GMimeMultipart *alt =
			g_mime_multipart_new_with_subtype("alternative");
		GMimeObject *t = text_part("plain", m->text);
		GMimeObject *h = text_part("html", m->html);

		g_mime_multipart_add(alt, t);
		g_mime_multipart_add(alt, h);
		g_object_unref(t);
		g_object_unref(h);
		body = GMIME_OBJECT(alt);
	} else {
		body = text_part("plain", m->text);
	}
	if (m->natt) {
		GMimeMultipart *mixed =
			g_mime_multipart_new_with_subtype("mixed");

		g_mime_multipart_add(mixed, body);
		g_object_unref(body);
		body = GMIME_OBJECT(mixed);
		for (size_t i = 0; i < m->natt; i++) {
			GMimeObject *a = file_part(&m->att[i]);

			g_mime_multipart_add(mixed, a);
			g_object_unref(a);
		}
	}
	return body;
}

ay_rc mail_compose(const struct mail_out *m, struct buf *out)
{
	GMimeMessage *msg = NULL;
	GMimeObject *body = NULL;
	GMimeStream *stream = NULL;
	GMimeFormatOptions *fo = NULL;
	GByteArray *ba;
	ay_rc rc;

	if (!compose_ok(m))
		return AY_EINVAL;
	mail_gmime_init();
	msg = g_mime_message_new(TRUE);
	compose_headers(msg, m);
	body = compose_body(m);
	g_mime_message_set_mime_part(msg, body);

	fo = g_mime_format_options_new();
	g_mime_format_options_set_newline_format(fo, GMIME_NEWLINE_FORMAT_DOS);
	stream = g_mime_stream_mem_new();
	if (g_mime_object_write_to_stream(GMIME_OBJECT(msg), fo, stream) < 0) {
		rc = AY_EIO;
		goto out;
	}
	ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream));
	rc = buf_add(out, ba->data, ba->len);
out:
	g_object_unref(stream);
	g_mime_format_options_free(fo);
	g_object_unref(body);
	g_object_unref(msg);
	return rc;
}

static bool valid_host(const char *d)
{
	size_t i;

	if (!d || !*d || strlen(d) > 200)
		return false;
	for (i = 0; d[i]; i++)
		if (!((d[i] >= 'a' && d[i] <= 'z') ||
		      (d[i] >= 'A' && d[i] <= 'Z') ||
		      (d[i] >= '0' && d[i] <= '9') || d[i] == '-' ||
		      d[i] == '.'))
			return false;
	return true;
}

char *mail_new_message_id(const char *domain)
{
	unsigned char r[16];
	char hex[33], *out;
	size_t i, n;
	const char *d = valid_host(domain) ? domain : "localhost";

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		return NULL;
	for (i = 0; i < sizeof(r); i++)
		snprintf(hex + 2 * i, 3, "%02x", r[i]);
	n = strlen(d) + 48;
	out = malloc(n);
	if (out)
		snprintf(out, n, "%s.ayuda@%s", hex, d);
	return out;
}
