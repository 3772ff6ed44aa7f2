/* Unit tests for src/mail: parse, text helpers, attachment policy,
 * compose round trip. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "mail/attach.h"
#include "mail/compose.h"
#include "mail/decode.h"
#include "mail/parse.h"
#include "mail/text.h"
#include "util/buf.h"

static struct mail_msg *parse_ok(const char *raw)
{
	struct mail_msg *m = NULL;
	struct mail_parse_opts o = {"ayuda-loop@example.org", 0};
	char err[128];

	assert_int_equal(mail_parse(raw, strlen(raw), &o, &m, err, sizeof(err)),
			 AY_OK);
	assert_non_null(m);
	return m;
}

static void test_rfc2047_subject(void **state)
{
	struct mail_msg *m;

	(void)state;
	m = parse_ok(
		"From: =?iso-8859-1?Q?Jos=E9_P=E9rez?= <Jose@Example.COM>\n"
		"Subject: =?iso-8859-1?q?Solicitud_de_informaci=F3n?=\n"
		"\n"
		"hola\n");
	assert_string_equal(m->subject, "Solicitud de información");
	assert_string_equal(m->from_name, "José Pérez");
	assert_string_equal(m->from_addr, "Jose@example.com");
	mail_msg_free(m);
	/* A multi-byte character split across two encoded-words ("ñ" is
	 * C3 B1: "ww==" holds C3, "sQ==" holds B1). */
	m = parse_ok("From: a@example.com\n"
		     "Subject: =?UTF-8?B?YcM=?= =?UTF-8?B?sW8=?=\n"
		     "\n"
		     "x\n");
	assert_string_equal(m->subject, "año");
	mail_msg_free(m);
	/* Mixed charsets, and text between words kept. */
	m = parse_ok(
		"From: a@example.com\n"
		"Subject: Re: =?koi8-r?B?8NLJ18XU?= y =?utf-8?Q?m=C3=A1s?=\n"
		"\n"
		"x\n");
	assert_string_equal(m->subject, "Re: Привет y más");
	mail_msg_free(m);
}

static void test_rfc2231_filename(void **state)
{
	struct mail_msg *m;

	(void)state;
	m = parse_ok("From: a@example.com\n"
		     "Subject: adjunto\n"
		     "MIME-Version: 1.0\n"
		     "Content-Type: multipart/mixed; boundary=XX\n"
		     "\n"
		     "--XX\n"
		     "Content-Type: text/plain; charset=utf-8\n"
		     "\n"
		     "ver adjunto\n"
		     "--XX\n"
		     "Content-Type: application/pdf\n"
		     "Content-Disposition: attachment;\n"
		     " filename*=UTF-8''informe%20a%C3%B1o.pdf\n"
		     "Content-Transfer-Encoding: base64\n"
		     "\n"
		     "JVBERi0xLjQKJeLjz9MK\n"
		     "--XX\n"
		     "Content-Type: application/octet-stream;\n"
		     " name=\"=?utf-8?Q?c=C3=A1lculo.xls?=\"\n"
		     "\n"
		     "data\n"
		     "--XX--\n");
	assert_int_equal(m->natt, 2);
	assert_string_equal(m->att[0].filename, "informe año.pdf");
	assert_string_equal(m->att[0].declared_type, "application/pdf");
	assert_string_equal(m->att[0].sniffed_type, "application/pdf");
	assert_int_equal(m->att[0].len, 15);
	assert_memory_equal(m->att[0].data, "%PDF-1.4\n", 9);
	assert_string_equal(m->att[1].filename, "cálculo.xls");
	assert_string_equal(m->text, "ver adjunto");
	mail_msg_free(m);
}

static void test_broken_charset(void **state)
{
	struct mail_msg *m;

	(void)state;
	/* Unknown charset, latin-1 bytes: windows-1252 fallback. */
	m = parse_ok("From: a@example.com\n"
		     "Subject: caf\xe9 \x80\n"
		     "Content-Type: text/plain; charset=x-bogus\n"
		     "Content-Transfer-Encoding: 8bit\n"
		     "\n"
		     "se\xf1or\n");
	assert_string_equal(m->text, "señor\n");
	assert_string_equal(m->subject, "café €");
	mail_msg_free(m);
	/* Declared latin-1, really UTF-8: kept as UTF-8 where it is valid
	 * in the declared charset too is impossible to tell; declared
	 * us-ascii with UTF-8 bytes must be fixed. */
	m = parse_ok("From: a@example.com\n"
		     "Subject: x\n"
		     "Content-Type: text/plain; charset=us-ascii\n"
		     "\n"
		     "ni\xc3\xb1o\n");
	assert_true(mail_utf8_valid(m->text, strlen(m->text)));
	mail_msg_free(m);
	/* Declared UTF-8 with invalid bytes: still valid UTF-8 out. */
	m = parse_ok("From: a@example.com\n"
		     "Subject: x\n"
		     "Content-Type: text/plain; charset=utf-8\n"
		     "\n"
		     "bad \xff\xfe bytes \xc3\xb1\n");
	assert_true(mail_utf8_valid(m->text, strlen(m->text)));
	mail_msg_free(m);
	/* GB2312 declared, GBK characters used. */
	m = parse_ok("From: a@example.com\n"
		     "Subject: =?gb2312?B?1tDOxA==?=\n"
		     "\n"
		     "x\n");
	assert_string_equal(m->subject, "中文");
	mail_msg_free(m);
}

static void strip(const char *in, const char *want)
{
	struct buf b;

	buf_init(&b, 1 << 20);
	assert_int_equal(mail_text_strip_quotes(in, strlen(in), &b), AY_OK);
	assert_string_equal(buf_str(&b), want);
	buf_release(&b);
}

static void test_quotes_and_signature(void **state)
{
	(void)state;
	strip("Gracias, ya funciona.\n\n"
	      "El lun, 3 mar 2025 a las 10:00, Soporte <s@example.org> "
	      "escribió:\n> ¿Puede probar?\n",
	      "Gracias, ya funciona.");
	strip("Thanks!\n\nOn Mon, Mar 3, 2025 at 10:00 AM Support\n"
	      "<s@example.org> wrote:\n> try again\n",
	      "Thanks!");
	strip("Ok\n\n-----Original Message-----\nFrom: x\nSent: y\n\nold\n",
	      "Ok");
	strip("Listo.\n\nDe: Soporte <s@example.org>\nEnviado: lunes\n"
	      "Para: yo\nAsunto: Re: x\n\nviejo\n",
	      "Listo.");
	strip("Done\n\nFrom: Support\nSent: Monday\nTo: me\n\nold text\n",
	      "Done");
	strip("Hola\nuna línea\n-- \nJuan Pérez\nGerente\n", "Hola\nuna línea");
	strip("> cita\nrespuesta intercalada\n> otra cita\nfin\n",
	      "respuesta intercalada\nfin");
	strip("From: this is just a sentence\nand more\n",
	      "From: this is just a sentence\nand more");
}

static void test_text_new_in_message(void **state)
{
	struct mail_msg *m;

	(void)state;
	m = parse_ok("From: a@example.com\n"
		     "Subject: Re: [Ticket#7] x\n"
		     "In-Reply-To: <abc@ayuda.example.org>\n"
		     "References: <first@ayuda.example.org>\n"
		     " <abc@ayuda.example.org>\n"
		     "Content-Type: text/html; charset=utf-8\n"
		     "\n"
		     "<html><head><style>p{}</style><title>t</title></head>"
		     "<body><p>Nuevo &amp; mejor&nbsp;texto</p>"
		     "<div>El mar, 4 mar 2025, Soporte escribió:</div>"
		     "<blockquote>&gt; viejo</blockquote>"
		     "<script>alert(1)</script></body></html>\n");
	assert_string_equal(m->text_new, "Nuevo & mejor texto");
	assert_non_null(strstr(m->html, "<blockquote>"));
	assert_null(strstr(m->text, "alert"));
	assert_string_equal(m->in_reply_to, "abc@ayuda.example.org");
	assert_int_equal(m->nrefs, 2);
	assert_string_equal(m->references[0], "first@ayuda.example.org");
	assert_string_equal(m->references[1], "abc@ayuda.example.org");
	mail_msg_free(m);
}

static void test_auto_submitted(void **state)
{
	static const char *const yes[] = {
		"Auto-Submitted: auto-replied\n",
		"Auto-Submitted: auto-generated\n",
		"Precedence: bulk\n",
		"Precedence: junk\n",
		"X-Autoreply: yes\n",
		"X-Autorespond: x\n",
		"X-Auto-Response-Suppress: All\n",
		"List-Id: <list.example.com>\n",
	};
	char raw[512];
	struct mail_msg *m;
	size_t i;

	(void)state;
	for (i = 0; i < AY_ARRAY_LEN(yes); i++) {
		snprintf(raw, sizeof(raw),
			 "From: a@example.com\n%sSubject: x\n\nx\n", yes[i]);
		m = parse_ok(raw);
		assert_true(m->auto_submitted);
		assert_false(m->has_our_loop);
		mail_msg_free(m);
	}
	m = parse_ok("From: a@example.com\nAuto-Submitted: no\n"
		     "X-Loop: ayuda-loop@example.org\nSubject: x\n\nx\n");
	assert_false(m->auto_submitted);
	assert_true(m->has_our_loop);
	mail_msg_free(m);
	m = parse_ok("From: MAILER-DAEMON@example.com\nSubject: "
		     "Undelivered Mail\n\nThis is the mail system.\n\n"
		     "Message-ID: <orig1@ayuda.example.org>\n");
	assert_true(m->auto_submitted);
	assert_true(m->is_bounce);
	assert_string_equal(m->bounce_of, "orig1@ayuda.example.org");
	mail_msg_free(m);
}

static void test_dsn_bounce_of(void **state)
{
	struct mail_msg *m;

	(void)state;
	m = parse_ok(
		"From: MAILER-DAEMON@mx.example.com (Mail Delivery System)\n"
		"To: soporte@ayuda.example.org\n"
		"Subject: Undelivered Mail Returned to Sender\n"
		"Auto-Submitted: auto-replied\n"
		"MIME-Version: 1.0\n"
		"Content-Type: multipart/report; report-type=delivery-status;\n"
		"\tboundary=\"B\"\n"
		"\n"
		"--B\n"
		"Content-Type: text/plain\n"
		"\n"
		"I'm sorry to have to inform you...\n"
		"--B\n"
		"Content-Type: message/delivery-status\n"
		"\n"
		"Reporting-MTA: dns; mx.example.com\n"
		"\n"
		"Final-Recipient: rfc822; nobody@example.com\n"
		"Action: failed\n"
		"Status: 5.1.1\n"
		"--B\n"
		"Content-Type: message/rfc822\n"
		"\n"
		"From: soporte@ayuda.example.org\n"
		"To: nobody@example.com\n"
		"Subject: [Ticket#12] Recibido\n"
		"Message-ID: <t12.abc@ayuda.example.org>\n"
		"\n"
		"hola\n"
		"--B--\n");
	assert_true(m->is_bounce);
	assert_true(m->auto_submitted);
	assert_string_equal(m->bounce_of, "t12.abc@ayuda.example.org");
	assert_int_equal(m->natt, 2);
	assert_string_equal(m->att[0].filename, "estado-entrega.txt");
	assert_string_equal(m->att[1].filename, "[Ticket#12] Recibido.eml");
	assert_string_equal(m->att[1].declared_type, "message/rfc822");
	assert_string_equal(m->text, "I'm sorry to have to inform you...");
	mail_msg_free(m);
	/* text/rfc822-headers instead of the whole message. */
	m = parse_ok(
		"From: postmaster@example.com\n"
		"Subject: Delivery failure\n"
		"Content-Type: multipart/report; report-type=delivery-status;"
		" boundary=B\n"
		"\n"
		"--B\n"
		"Content-Type: text/plain\n\nfailed\n"
		"--B\n"
		"Content-Type: text/rfc822-headers\n"
		"\n"
		"Subject: x\n"
		"Message-ID: <hdr-only@ayuda.example.org>\n"
		"--B--\n");
	assert_true(m->is_bounce);
	assert_string_equal(m->bounce_of, "hdr-only@ayuda.example.org");
	mail_msg_free(m);
}

/* A 2x1 24-bit BMP. */
static const unsigned char bmp[] = {
	'B', 'M', 62, 0, 0, 0, 0,    0,	   0, 0, 54,   0,    0,	 0, 40, 0,
	0,   0,	  2,  0, 0, 0, 1,    0,	   0, 0, 1,    0,    24, 0, 0,	0,
	0,   0,	  8,  0, 0, 0, 0x13, 0x0b, 0, 0, 0x13, 0x0b, 0,	 0, 0,	0,
	0,   0,	  0,  0, 0, 0, 0xff, 0,	   0, 0, 0xff, 0,    0,	 0};
static const unsigned char png[] = {
	0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0,	   0,	 0,
	0x0d, 'I', 'H', 'D', 'R',  0,	 0,    0,    1,	   0,	 0,
	0,    1,   8,	6,   0,	   0,	 0,    0x1f, 0x15, 0xc4, 0x89};

static void test_bmp_rejected(void **state)
{
	struct mail_attach_policy p;
	struct mail_attachment a = {0};
	char why[256];

	(void)state;
	mail_attach_policy_default(&p);
	a.filename = "x.bmp";
	a.data = (unsigned char *)bmp;
	a.len = sizeof(bmp);
	assert_int_equal(mail_attachment_check(&p, &a, why, sizeof(why)),
			 AY_EPERM);
	assert_string_equal(why, "el archivo «x.bmp» es una imagen BMP; "
				 "envíela comprimida en un archivo ZIP o RAR");
	/* By content, not by name: a PNG called .bmp is fine. */
	a.data = (unsigned char *)png;
	a.len = sizeof(png);
	assert_int_equal(mail_attachment_check(&p, &a, why, sizeof(why)),
			 AY_OK);
	/* Size limit. */
	p.max_file = 10;
	assert_int_equal(mail_attachment_check(&p, &a, why, sizeof(why)),
			 AY_ETOOBIG);
	assert_non_null(strstr(why, "«x.bmp»"));
	/* Allow-list from config. */
	assert_int_equal(
		mail_attach_policy_parse(&p, " image/BMP , text/plain"), AY_OK);
	assert_int_equal(p.ntypes, 2);
	assert_string_equal(p.types[0], "image/bmp");
	assert_int_equal(mail_attach_policy_parse(&p, "image"), AY_EINVAL);
	assert_int_equal(p.ntypes, 2);
}

static void test_tnef_and_unknown_kept(void **state)
{
	struct mail_msg *m;

	(void)state;
	m = parse_ok(
		"From: a@example.com\n"
		"Subject: outlook\n"
		"Content-Type: multipart/mixed; boundary=Z\n"
		"\n"
		"--Z\n"
		"Content-Type: text/plain\n\ncuerpo\n"
		"--Z\n"
		"Content-Type: application/ms-tnef; name=\"winmail.dat\"\n"
		"Content-Transfer-Encoding: base64\n"
		"\n"
		"eJ8+IgAAAQaQCAAEAAAAAAABAAEAAQeQBgAIAAAA5AQAAAAAAADo\n"
		"--Z\n"
		"Content-Type: application/vnd.ms-tnef\n\nabc\n"
		"--Z\n"
		"Content-Type: x-strange/thing\n\nzzz\n"
		"--Z\n"
		"Content-Type: application/pgp-signature\n\n-----BEGIN PGP\n"
		"--Z--\n");
	assert_int_equal(m->natt, 4);
	assert_string_equal(m->att[0].filename, "winmail.dat");
	assert_string_equal(m->att[0].declared_type, "application/ms-tnef");
	assert_memory_equal(m->att[0].data, "\x78\x9f\x3e\x22", 4);
	assert_string_equal(m->att[1].filename, "winmail.dat");
	/* Unknown declared type: named after the sniffed one. */
	assert_string_equal(m->att[2].filename, "adjunto.txt");
	assert_string_equal(m->att[3].filename, "adjunto.asc");
	assert_string_equal(m->text, "cuerpo");
	mail_msg_free(m);
}

static void test_cid_inline(void **state)
{
	struct mail_msg *m;

	(void)state;
	m = parse_ok("From: a@example.com\n"
		     "Subject: captura\n"
		     "Content-Type: multipart/alternative; boundary=A\n"
		     "\n"
		     "--A\n"
		     "Content-Type: text/plain; charset=utf-8\n\nver imagen\n"
		     "--A\n"
		     "Content-Type: multipart/related; boundary=R\n"
		     "\n"
		     "--R\n"
		     "Content-Type: text/html; charset=utf-8\n"
		     "\n"
		     "<p>ver <img src=\"cid:img1@x.example\"></p>\n"
		     "--R\n"
		     "Content-Type: image/png\n"
		     "Content-ID: <img1@x.example>\n"
		     "Content-Transfer-Encoding: base64\n"
		     "\n"
		     "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJ\n"
		     "--R\n"
		     "Content-Type: application/pdf; name=doc.pdf\n"
		     "\n"
		     "%PDF-1.4\n"
		     "--R--\n"
		     "--A--\n");
	assert_string_equal(m->text, "ver imagen");
	assert_non_null(m->html);
	assert_int_equal(m->natt, 2);
	assert_string_equal(m->att[0].content_id, "img1@x.example");
	assert_true(m->att[0].is_inline);
	assert_string_equal(m->att[0].sniffed_type, "image/png");
	assert_string_equal(m->att[0].filename, "adjunto.png");
	assert_false(m->att[1].is_inline);
	mail_msg_free(m);
}

static void test_framing_and_limits(void **state)
{
	struct mail_msg *m = NULL;
	char *big;
	char err[64];

	(void)state;
	m = parse_ok("From someone@example.com  Thu May  3 12:04:29 2012\n"
		     "From: someone@example.com\nSubject: mbox\n\nx\n");
	assert_string_equal(m->subject, "mbox");
	mail_msg_free(m);
	m = parse_ok("---- Original email message ----\n"
		     "From: b@example.com\nSubject: junk before\n"
		     "Date: Tue, 1 Apr 2025 10:00:00 -0500\n\nx\n");
	assert_string_equal(m->from_addr, "b@example.com");
	assert_int_equal(m->date, 1743519600);
	mail_msg_free(m);
	m = parse_ok("Reply-To: r@example.com\nSubject: no from\n\nx\n");
	assert_string_equal(m->from_addr, "r@example.com");
	assert_string_equal(m->from_name, "");
	mail_msg_free(m);
	m = parse_ok("Subject: only\n");
	assert_null(m->from_addr);
	assert_string_equal(m->text, "");
	mail_msg_free(m);
	m = NULL;
	assert_int_equal(mail_parse("", 0, NULL, &m, err, sizeof(err)),
			 AY_EINVAL);
	assert_null(m);
	big = calloc(1, MAIL_MAX_RAW + 2);
	assert_non_null(big);
	m = NULL;
	assert_int_equal(
		mail_parse(big, MAIL_MAX_RAW + 1, NULL, &m, err, sizeof(err)),
		AY_ETOOBIG);
	assert_null(m);
	free(big);
}

static void test_html_bomb_linear(void **state)
{
	struct buf in, out;
	size_t i, n = 200000;
	clock_t t0;

	(void)state;
	buf_init(&in, 64 << 20);
	buf_init(&out, 64 << 20);
	for (i = 0; i < n; i++)
		assert_int_equal(buf_adds(&in, "<div>"), AY_OK);
	assert_int_equal(buf_adds(&in, "x &#241; &eacute; &bogus; &#x1F600;"),
			 AY_OK);
	for (i = 0; i < n; i++)
		assert_int_equal(buf_adds(&in, "</div>"), AY_OK);
	assert_int_equal(buf_adds(&in, "<script>never"), AY_OK);
	t0 = clock();
	assert_int_equal(mail_html_to_text(in.ptr, in.len, &out), AY_OK);
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0);
	assert_string_equal(buf_str(&out), "x ñ é &bogus; 😀");
	buf_release(&in);
	buf_release(&out);
}

static void test_compose_roundtrip(void **state)
{
	const char *refs[] = {"first.ayuda@ayuda.example.org",
			      "second.ayuda@ayuda.example.org"};
	const char *subject = "Re: [Ticket#42] Configuración del módulo de "
			      "facturación electrónica — año fiscal, ñandú y "
			      "acción pendiente";
	struct mail_out o = {0};
	struct mail_msg *m = NULL;
	struct buf b;
	char *id = mail_new_message_id("ayuda.example.org");
	size_t i;

	(void)state;
	assert_non_null(id);
	assert_int_equal(strlen(id), 32 + strlen(".ayuda@ayuda.example.org"));
	o.from = "soporte@ayuda.example.org";
	o.from_name = "Soporte Técnico";
	o.to = "cliente@example.com";
	o.to_name = "Ñoño, Cliente";
	o.subject = subject;
	o.message_id = id;
	o.in_reply_to = refs[1];
	o.references = refs;
	o.nrefs = 2;
	o.text = "Estimado cliente:\n\nSu solicitud está en revisión. "
		 "Línea larga para forzar quoted-printable con acentos "
		 "áéíóú ÁÉÍÓÚ ñÑ ¿¡ y más texto hasta pasar los 76 "
		 "caracteres.\n";
	o.html = "<p>Su solicitud está en revisión.</p>";
	o.automatic = true;
	o.loop_token = "ayuda-loop@example.org";
	o.lang = "es";
	buf_init(&b, 1 << 20);
	assert_int_equal(mail_compose(&o, &b), AY_OK);
	for (i = 0; i < b.len; i++) {
		if (b.ptr[i] == '\n')
			assert_true(i > 0 && b.ptr[i - 1] == '\r');
		assert_true((unsigned char)b.ptr[i] < 0x80);
	}
	assert_non_null(strstr(b.ptr, "Auto-Submitted: auto-replied\r\n"));
	assert_non_null(strstr(b.ptr, "Content-Language: es\r\n"));
	assert_non_null(strstr(b.ptr, "multipart/alternative"));
	assert_non_null(strstr(b.ptr, "quoted-printable"));
	assert_int_equal(mail_parse(b.ptr, b.len,
				    &(struct mail_parse_opts){
					    "ayuda-loop@example.org", 0},
				    &m, NULL, 0),
			 AY_OK);
	assert_string_equal(m->subject, subject);
	assert_string_equal(m->message_id, id);
	assert_string_equal(m->in_reply_to, refs[1]);
	assert_int_equal(m->nrefs, 2);
	assert_string_equal(m->references[0], refs[0]);
	assert_string_equal(m->references[1], refs[1]);
	assert_string_equal(m->from_addr, "soporte@ayuda.example.org");
	assert_string_equal(m->from_name, "Soporte Técnico");
	assert_int_equal(m->nto, 1);
	assert_string_equal(m->to[0], "cliente@example.com");
	assert_string_equal(m->text, o.text);
	assert_true(m->auto_submitted);
	assert_true(m->has_our_loop);
	assert_true(m->date > 1700000000);
	assert_non_null(strstr(m->html, "revisión"));
	mail_msg_free(m);
	buf_release(&b);
	/* Header injection refused. */
	o.subject = "x\r\nBcc: victim@example.com";
	buf_init(&b, 1 << 20);
	assert_int_equal(mail_compose(&o, &b), AY_EINVAL);
	o.subject = "ok";
	o.to = "a@b.example>, c@d.example";
	assert_int_equal(mail_compose(&o, &b), AY_EINVAL);
	buf_release(&b);
	free(id);
}

/* Files go out as attachments and come back, names and bytes intact. */
static void test_compose_attachments(void **state)
{
	static const unsigned char bin[] = {0x89, 'P', 'N', 'G', 0, 1, 2, 255};
	const struct mail_out_att att[] = {
		{"captura ñandú.png", "image/png", bin, sizeof(bin)},
		{"notas.txt", "text/plain", "hola\n", 5},
	};
	struct mail_out o = {.from = "soporte@ayuda.example.org",
			     .to = "cliente@example.com",
			     .subject = "Con adjuntos",
			     .message_id = "a1.ayuda@ayuda.example.org",
			     .text = "Vea los adjuntos.",
			     .html = "<p>Vea los adjuntos.</p>",
			     .att = att,
			     .natt = 2};
	struct mail_msg *m = NULL;
	struct buf b;

	(void)state;
	buf_init(&b, 1 << 20);
	assert_int_equal(mail_compose(&o, &b), AY_OK);
	assert_non_null(strstr(b.ptr, "multipart/mixed"));
	assert_int_equal(mail_parse(b.ptr, b.len, NULL, &m, NULL, 0), AY_OK);
	assert_string_equal(m->text, "Vea los adjuntos.");
	assert_int_equal(m->natt, 2);
	assert_string_equal(m->att[0].filename, "captura ñandú.png");
	assert_int_equal(m->att[0].len, sizeof(bin));
	assert_memory_equal(m->att[0].data, bin, sizeof(bin));
	assert_string_equal(m->att[1].filename, "notas.txt");
	mail_msg_free(m);
	buf_release(&b);
	/* A name that would inject a header is refused. */
	struct mail_out_att bad = {"a\r\nBcc: x@y.example", "text/plain", "x",
				   1};
	o.att = &bad;
	o.natt = 1;
	buf_init(&b, 1 << 20);
	assert_int_equal(mail_compose(&o, &b), AY_EINVAL);
	buf_release(&b);
}

static void *parse_thread(void *arg)
{
	const char *raw = arg;
	int i;

	for (i = 0; i < 50; i++) {
		struct mail_msg *m = NULL;
		struct mail_attach_policy p;
		char why[128];

		if (mail_parse(raw, strlen(raw), NULL, &m, NULL, 0))
			return (void *)1;
		mail_attach_policy_default(&p);
		if (m->natt != 1 ||
		    mail_attachment_check(&p, &m->att[0], why, sizeof(why)) !=
			    AY_OK) {
			mail_msg_free(m);
			return (void *)1;
		}
		mail_msg_free(m);
	}
	return NULL;
}

static void test_threads(void **state)
{
	static const char raw[] =
		"From: a@example.com\nSubject: =?utf-8?Q?hilo_=C3=B1?=\n"
		"Content-Type: multipart/mixed; boundary=Q\n\n"
		"--Q\nContent-Type: text/plain\n\nhola\n"
		"--Q\nContent-Type: image/png\nContent-Transfer-Encoding: "
		"base64"
		"\n\niVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJ\n--Q--\n";
	pthread_t t[4];
	void *r;
	int i;

	(void)state;
	for (i = 0; i < 4; i++)
		assert_int_equal(
			pthread_create(&t[i], NULL, parse_thread, (void *)raw),
			0);
	for (i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(t[i], &r), 0);
		assert_null(r);
	}
}

/* Parse a multipart/mixed message (boundary "b") of the given parts, each
 * starting with "--b\n". */
static struct mail_msg *parse_mixed(const char *parts)
{
	static const char head[] = "From: a@example.com\n"
				   "Subject: partes\n"
				   "MIME-Version: 1.0\n"
				   "Content-Type: multipart/mixed; boundary=b\n"
				   "\n";
	struct mail_msg *m;
	char *raw = malloc(sizeof(head) + strlen(parts) + 8);

	assert_non_null(raw);
	sprintf(raw, "%s%s--b--\n", head, parts);
	m = parse_ok(raw);
	free(raw);
	return m;
}

/* Issue 9, item 12: charset names that iconv does not know but are aliases
 * of a known charset decode as that charset, not as Latin-1. One sample of
 * each family, encoded by Python's own codecs. */
static void test_charset_aliases(void **state)
{
	static const struct {
		const char *cs, *bytes, *utf8;
	} s[] = {
		{"iso-8859-8-i", "\xF9\xEC\xE5\xED \xF2\xE5\xEC\xED",
		 "שלום עולם"},
		{"ks_c_5601-1987",
		 "\xBE\xC8\xB3\xE7\xC7\xCF\xBC\xBC\xBF\xE4, \xC1\xD6\xB9\xAE "
		 "\xB9\xAE\xC0\xC7",
		 "안녕하세요, 주문 문의"},
		{"windows-874", "\xCA\xC7\xD1\xCA\xB4\xD5\xA4\xC3\xD1\xBA",
		 "สวัสดีครับ"},
		{"x-mac-roman", "Caf\x8E \xD0 na\x95ve\xAA \xA9",
		 "Café – naïve™ ©"},
		{"x-mac-cyrillic", "\x8F\xF0\xE8\xE2\xE5\xF2, \xEC\xE8\xF0",
		 "Привет, мир"},
		{"x-mac-ce",
		 "\xFC\x97"
		 "d\x90, P\xDE\x92li\xE4",
		 "Łódź, Příliš"},
		{"koi8-u",
		 "\xF0\xD2\xC9\xD7\xA6\xD4, \xF5\xCB\xD2\xC1\xA7\xCE\xCF: \xAD",
		 "Привіт, Україно: ґ"},
		{"iso-2022-jp", "\x1B$B$3$s$K$A$O!\"@$3&\x1B(B",
		 "こんにちは、世界"},
		{"gb2312", "\xC4\xE3\xBA\xC3\xA3\xAC\xCA\xC0\xBD\xE7",
		 "你好，世界"},
		{"big5",
		 "\xC1"
		 "c\xC5\xE9\xA4\xA4\xA4\xE5\xB4\xFA\xB8\xD5",
		 "繁體中文測試"},
		{"iso-8859-6-i", "\xE5\xD1\xCD\xC8\xC7", "مرحبا"},
	};
	struct mail_msg *m;
	struct buf b;
	size_t i;

	(void)state;
	for (i = 0; i < AY_ARRAY_LEN(s); i++) {
		buf_init(&b, 4096);
		assert_int_equal(mail_text_to_utf8(s[i].cs, s[i].bytes,
						   strlen(s[i].bytes), &b),
				 AY_OK);
		if (strcmp(buf_str(&b), s[i].utf8))
			fail_msg("%s: got '%s', want '%s'", s[i].cs,
				 buf_str(&b), s[i].utf8);
		buf_release(&b);
	}
	/* A name nobody knows still falls back (to windows-1252). */
	buf_init(&b, 64);
	assert_int_equal(
		mail_text_to_utf8("x-no-such-charset", "Caf\xE9", 4, &b),
		AY_OK);
	assert_string_equal(buf_str(&b), "Café");
	buf_release(&b);
	/* In a message: a Hebrew body (iso-8859-8-i, as Outlook sends it)
	 * and a Mac Roman subject. */
	m = parse_ok("From: dana@example.co.il\n"
		     "Subject: =?x-mac-roman?Q?Caf=8E_=D0_pedido?=\n"
		     "MIME-Version: 1.0\n"
		     "Content-Type: text/plain; charset=\"iso-8859-8-i\"\n"
		     "Content-Transfer-Encoding: 8bit\n"
		     "\n"
		     "\xF9\xEC\xE5\xED \xF2\xE5\xEC\xED\n");
	assert_string_equal(m->subject, "Café – pedido");
	assert_string_equal(m->text, "שלום עולם\n");
	mail_msg_free(m);
}

/* A 4x4 PNG, as tests/data/mail/make_encoded.py png writes it. */
static const unsigned char png4[] =
	"\x89PNG\r\n\x1A\n\x00\x00\x00\rIHDR\x00\x00\x00\x04\x00\x00\x00\x04"
	"\x08\x00\x00\x00\x00\x8C\x9A\xC1\xA2\x00\x00\x00\x0EIDATx\x9C"
	"c\x98\x00\x04\x0C\xA8\x04\x00Z\x14\x09\x01\x18\x1D\xCE\x84\x00\x00"
	"\x00\x00IEND\xAE"
	"B`\x82";

/* Issue 9, item 13: every uuencoded block of a plain-text body becomes an
 * attachment (CRLF line ends, two blocks, text before, between and after),
 * and the text around them stays. */
static void test_uuencode_blocks(void **state)
{
	struct mail_msg *m;
	size_t i;

	(void)state;
	m = parse_ok(
		"From: old@example.com\r\n"
		"Subject: dos archivos\r\n"
		"\r\n"
		"Buenos dias, van el informe y los datos.\r\n"
		"\r\n"
		"begin 644 informe.png\r\n"
		"MB5!.1PT*&@H````-24A$4@````0````$\"`````\",FL&B````#DE$051XG&."
		"8\r\n"
		":``0,J`0`6A0)`1@=SH0`````245.1*Y\"8((`\r\n"
		"`\r\n"
		"end\r\n"
		"Y aqui los datos:\r\n"
		"begin 600 d\r\n"
		"M``$\"`P0%!@<(\"0H+#`T.#Q`1$A,4%187&!D:&QP='A\\@(2(C)\"4F)R@I*"
		"BLL\r\n"
		"M+2XO,#$R,S0U-C<X.3H[/#T^/"
		"T!!0D-$149'2$E*2TQ-3D]045)35%565UA9\r\n"
		"M6EM<75Y?8&%B8V1E9F=H:6IK;&UN;W!Q<G-T=79W>'EZ>WQ]?G^`@8*#A(6&"
		"\r\n"
		"MAXB)BHN,C8Z/"
		"D)&2DY25EI>8F9J;G)V>GZ\"AHJ.DI::GJ*FJJZRMKJ^PL;*S\r\n"
		"MM+6VM[BYNKN\\O;Z_P,'\"P\\3%QL?(R<K+S,W.S]#1TM/"
		"4U=;7V-G:V]S=WM_@\r\n"
		"MX>+CY.7FY^CIZNOL[>[O\\/'R\\_3U]O?X^?K[_/"
		"W^_P`!`@,$!08'\"`D*\"PP-\r\n"
		"M#@\\0$1(3%!46%Q@9&AL<'1X?(\"$B(R0E)B<H*2HK+\"TN+S`Q,C,T-38W.#"
		"DZ\r\n"
		"M.SP]/C]`04)#1$5&1TA)2DM,34Y/"
		"4%%24U155E=865I;7%U>7V!A8F-D969G\r\n"
		"M:&EJ:VQM;F]P<7)S='5V=WAY>GM\\?7Y_@(&\"@X2%AH>(B8J+C(V."
		"CY\"1DI.4\r\n"
		"ME9:7F)F:FYR=GI^@H:*CI*6FIZBIJJNLK:ZOL+&RL[2UMK>XN;J[O+V^O\\#!"
		"\r\n"
		"MPL/"
		"$Q<;'R,G*R\\S-SL_0T=+3U-76U]C9VMO<W=[?X.'BX^3EYN?HZ>KK[.WN\r\n"
		"1[_#Q\\O/T]?;W^/GZ^_S]_O\\`\r\n"
		"`\r\n"
		"end\r\n"
		"Saludos,\r\n"
		"Ana\r\n");
	assert_int_equal(m->natt, 2);
	assert_string_equal(m->att[0].filename, "informe.png");
	assert_string_equal(m->att[0].sniffed_type, "image/png");
	assert_int_equal(m->att[0].len, sizeof(png4) - 1);
	assert_memory_equal(m->att[0].data, png4, sizeof(png4) - 1);
	assert_string_equal(m->att[1].filename, "d");
	assert_int_equal(m->att[1].len, 512);
	for (i = 0; i < 512; i++)
		assert_int_equal(m->att[1].data[i], i % 256);
	assert_string_equal(m->text,
			    "Buenos dias, van el informe y los datos.\n"
			    "\n"
			    "Y aqui los datos:\n"
			    "Saludos,\n"
			    "Ana\n");
	mail_msg_free(m);
	/* A block without its "end", or a "begin" that is only text, stays
	 * text. */
	m = parse_ok("From: old@example.com\n"
		     "Subject: a medias\n"
		     "\n"
		     "begin 644 a.txt\n"
		     "#86)C\n"
		     "begin the work tomorrow\n");
	assert_int_equal(m->natt, 0);
	assert_non_null(strstr(m->text, "begin 644 a.txt\n#86)C\n"));
	mail_msg_free(m);
	/* Inside a multipart message's text part too, with LF ends. */
	m = parse_mixed("--b\n"
			"Content-Type: text/plain; charset=us-ascii\n"
			"\n"
			"Adjunto:\n"
			"begin 644 abc.txt\n"
			"#86)C\n"
			"`\n"
			"end\n");
	assert_int_equal(m->natt, 1);
	assert_string_equal(m->att[0].filename, "abc.txt");
	assert_int_equal(m->att[0].len, 3);
	assert_memory_equal(m->att[0].data, "abc", 3);
	assert_string_equal(m->text, "Adjunto:\n");
	mail_msg_free(m);
}

/* Issue 9, item 14: the only text part, text/plain with a file name and no
 * attachment disposition, is the body; the file stays attached. */
static void test_named_text_body(void **state)
{
#define MIXED "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n"
	static const struct {
		const char *raw, *text, *file;
	} c[] = {
		{"Content-Type: text/plain; charset=utf-8; name=\"error.txt\"\n"
		 "\n"
		 "El sistema dice: acceso denegado.\n",
		 "El sistema dice: acceso denegado.\n", "error.txt"},
		{MIXED "--b\n"
		       "Content-Type: text/plain; charset=iso-8859-1\n"
		       "Content-Disposition: inline; filename=\"nota.txt\"\n"
		       "\n"
		       "Adi\xF3s\n"
		       "--b--\n",
		 "Adiós", "nota.txt"},
		/* Not when the message has a body of its own, */
		{MIXED "--b\n"
		       "Content-Type: text/plain\n"
		       "\n"
		       "Ver el registro.\n"
		       "--b\n"
		       "Content-Type: text/plain; name=\"log.txt\"\n"
		       "\n"
		       "linea 1\n"
		       "--b--\n",
		 "Ver el registro.", "log.txt"},
		/* nor for a part that is an attachment by its disposition. */
		{"Content-Type: text/plain; name=\"log.txt\"\n"
		 "Content-Disposition: attachment\n"
		 "\n"
		 "linea 1\n",
		 "", "log.txt"},
	};
#undef MIXED
	struct mail_msg *m;
	char raw[1024];
	size_t i;

	(void)state;
	for (i = 0; i < AY_ARRAY_LEN(c); i++) {
		snprintf(raw, sizeof(raw),
			 "From: a@example.com\nSubject: error\n%s%s",
			 strncmp(c[i].raw, "MIME", 4) ? "MIME-Version: 1.0\n"
						      : "",
			 c[i].raw);
		m = parse_ok(raw);
		assert_string_equal(m->text, c[i].text);
		assert_int_equal(m->natt, 1);
		assert_string_equal(m->att[0].filename, c[i].file);
		mail_msg_free(m);
	}
}

/* A BinHex 4.0 file from another encoder (the binhex crate's test data):
 * data fork "===== Hello from the data fork! =====". */
static const char binhex_hello[] =
	"(This file must be converted with BinHex 4.0)\n"
	":$f*TEQKPH#edCA0d,R4iG!#3$L8!N!-TR@dpN!8J5'9XE'mJCR*[E5\"dD'8JC'&\n"
	"dB5\"QEh*V)5!pN!9Bm5f3\"5\")C@aXEb\"QFQpY)(4SC5\"bCA0[GA*MC5\"QEh*V)5!"
	"\n"
	"YN!8SI!:\n";

/* tests/data/mail/make_encoded.py binhex 'Captura é.png' (png4), with a
 * resource fork holding 0x90 runs. */
static const char binhex_png[] =
	"(This file must be converted with BinHex 4.0)\r\n"
	"\r\n"
	":$80KF(4eFQ%JMLj`EQF!8%j(CR\"bGRF!N!9(!*!$%[*-L9\"14`d+'JS!N!-058K%"
	"\r\n"
	"8J#3!`3!N!-%#!#3\")bD`D)!N!-1584\"9(LFBjJ!\"!bS\"!\"D&!N\"'\"h1K!#3\"%"
	"P&\r\n"
	"6N5Z3Q##-jQ3!*!#FR0bBj!!N!*bFh*MN!#3!R*cFQ-3#3:\r\n";

/* make_encoded.py binhex foto.bmp (a 2x2 BMP). */
static const char binhex_bmp[] =
	"(This file must be converted with BinHex 4.0)\n"
	"\n"
	":#'C[G'mZBQe`!&\"14fC`FRCh!*!&4J#3!a*bAN*04J#3\"cB!N!-S!*!$!J#3!`)!\n"
	"N!-\"!\"J!N!83!*!$%`X!!\"-,!*!-r`#3!rm!N!2r!*!$r`\"86T!!N!*bFh*MN!#3\n"
	"!R*cFQ13!*!#FR0bBa!*:\n";

static struct mail_msg *binhex_mail(const char *hqx)
{
	char raw[2048];

	snprintf(
		raw, sizeof(raw),
		"--b\n"
		"Content-Type: text/plain\n"
		"\n"
		"Adjunto la captura.\n"
		"--b\n"
		"Content-Type: application/mac-binhex40; name=\"captura.hqx\"\n"
		"Content-Disposition: attachment; filename=\"captura.hqx\"\n"
		"\n"
		"%s",
		hqx);
	return parse_mixed(raw);
}

/* Issue 9, item 15: a BinHex attachment is decoded (header, RLE, CRCs) and
 * the policy judges the file inside by its content. */
static void test_binhex(void **state)
{
	struct mail_attach_policy p;
	struct mail_msg *m;
	struct buf b;
	char *name, why[256], broken[sizeof(binhex_png)];

	(void)state;
	mail_attach_policy_default(&p);
	buf_init(&b, 1 << 20);
	assert_int_equal(mail_binhex_decode(binhex_hello, strlen(binhex_hello),
					    1 << 20, &name, &b),
			 AY_OK);
	assert_string_equal(name, "binhex-test.txt");
	assert_string_equal(buf_str(&b),
			    "===== Hello from the data fork! =====");
	free(name);
	buf_release(&b);
	/* A PNG inside: kept, under its Macintosh name, as a PNG. */
	m = binhex_mail(binhex_png);
	assert_int_equal(m->natt, 1);
	assert_string_equal(m->att[0].filename, "Captura é.png");
	assert_string_equal(m->att[0].sniffed_type, "image/png");
	assert_int_equal(m->att[0].len, sizeof(png4) - 1);
	assert_memory_equal(m->att[0].data, png4, sizeof(png4) - 1);
	assert_int_equal(
		mail_attachments_check(&p, m->att, 1, why, sizeof(why)), AY_OK);
	mail_msg_free(m);
	/* A BMP inside is refused as a BMP, not as BinHex. */
	m = binhex_mail(binhex_bmp);
	assert_int_equal(m->natt, 1);
	assert_string_equal(m->att[0].filename, "foto.bmp");
	assert_int_equal(
		mail_attachments_check(&p, m->att, 1, why, sizeof(why)),
		AY_EPERM);
	assert_non_null(strstr(why, "una imagen BMP"));
	mail_msg_free(m);
	/* One changed character: a CRC fails, the file stays BinHex and is
	 * refused as such. */
	memcpy(broken, binhex_png, sizeof(broken));
	broken[strlen(broken) - 12] =
		broken[strlen(broken) - 12] == 'F' ? 'G' : 'F';
	buf_init(&b, 1 << 20);
	assert_int_equal(
		mail_binhex_decode(broken, strlen(broken), 1 << 20, &name, &b),
		AY_EINVAL);
	assert_null(name);
	m = binhex_mail(broken);
	assert_int_equal(m->natt, 1);
	assert_string_equal(m->att[0].filename, "captura.hqx");
	assert_string_equal(m->att[0].sniffed_type, "application/mac-binhex40");
	assert_int_equal(
		mail_attachments_check(&p, m->att, 1, why, sizeof(why)),
		AY_EPERM);
	mail_msg_free(m);
	/* Forks that declare more than the limit are not decoded. */
	assert_int_equal(mail_binhex_decode(binhex_png, strlen(binhex_png), 10,
					    &name, &b),
			 AY_ETOOBIG);
	assert_int_equal(b.len, 0);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc2047_subject),
		cmocka_unit_test(test_rfc2231_filename),
		cmocka_unit_test(test_broken_charset),
		cmocka_unit_test(test_quotes_and_signature),
		cmocka_unit_test(test_text_new_in_message),
		cmocka_unit_test(test_auto_submitted),
		cmocka_unit_test(test_dsn_bounce_of),
		cmocka_unit_test(test_bmp_rejected),
		cmocka_unit_test(test_tnef_and_unknown_kept),
		cmocka_unit_test(test_cid_inline),
		cmocka_unit_test(test_framing_and_limits),
		cmocka_unit_test(test_html_bomb_linear),
		cmocka_unit_test(test_compose_roundtrip),
		cmocka_unit_test(test_compose_attachments),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_charset_aliases),
		cmocka_unit_test(test_uuencode_blocks),
		cmocka_unit_test(test_named_text_body),
		cmocka_unit_test(test_binhex),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
