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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
