/* Unit tests for src/mail/sniff.c: the common attachment types told from
 * their first bytes give libmagic's answer, the doubtful ones are left to
 * it, and the attachment policy refuses by content as before. */
#include <dirent.h>
#include <magic.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mail/attach.h"
#include "mail/parse.h"
#include "mail/sniff.h"

/* The first bytes of real files. */
/* collapsed-trait-impls.png (rustdoc) */
static const unsigned char real_png[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00,
	0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x02, 0x60, 0x00, 0x00,
	0x01, 0x13, 0x08, 0x02, 0x00, 0x00, 0x00, 0x1e, 0x57, 0x2d,
};

/* a JFIF photo of the mail corpus */
static const unsigned char real_jpeg[] = {
	0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00,
	0x01, 0x01, 0x00, 0x00, 0x48, 0x00, 0x48, 0x00, 0x00, 0xff, 0xed,
	0x00, 0x38, 0x50, 0x68, 0x6f, 0x74, 0x6f, 0x73, 0x68, 0x6f,
};

/* install_local_python.gif (pyenv) */
static const unsigned char real_gif[] = {
	0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x80, 0x02, 0xa5, 0x01, 0xf7,
	0x02, 0x31, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x00, 0xff, 0x00,
	0x01, 0x00, 0x0b, 0x01, 0x01, 0x00, 0x03, 0x02, 0x10, 0x04,
};

/* python.webp (CPython test data) */
static const unsigned char real_webp[] = {
	0x52, 0x49, 0x46, 0x46, 0xa8, 0x01, 0x00, 0x00, 0x57, 0x45, 0x42,
	0x50, 0x56, 0x50, 0x38, 0x58, 0x0a, 0x00, 0x00, 0x00, 0x10, 0x00,
	0x00, 0x00, 0x0f, 0x00, 0x00, 0x0f, 0x00, 0x00, 0x41, 0x4c,
};

/* libtasn1.pdf (libtasn1-doc) */
static const unsigned char real_pdf[] = {
	0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x35, 0x0a, 0x25, 0xd0,
	0xd4, 0xc5, 0xd8, 0x0a, 0x31, 0x20, 0x30, 0x20, 0x6f, 0x62, 0x6a,
	0x0a, 0x3c, 0x3c, 0x0a, 0x2f, 0x4c, 0x65, 0x6e, 0x67, 0x74,
};

/* python.bmp (CPython test data) */
static const unsigned char real_bmp[] = {
	0x42, 0x4d, 0x8a, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x8a,
	0x00, 0x00, 0x00, 0x7c, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00,
	0x10, 0x00, 0x00, 0x00, 0x01, 0x00, 0x20, 0x00, 0x03, 0x00,
};

/* zipdir.zip (CPython test data): a folder first */
static const unsigned char real_zip[] = {
	0x50, 0x4b, 0x03, 0x04, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x00, 0xfd, 0xba,
	0x25, 0x3a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x02, 0x00, 0x15, 0x00, 0x61, 0x2f, 0x55, 0x54, 0x09, 0x00,
	0x03, 0x7d, 0x88, 0x62, 0x49, 0x97, 0x88, 0x62, 0x49, 0x55, 0x78, 0x04,
	0x00, 0xe8, 0x03, 0xe8, 0x03, 0x50, 0x4b, 0x03, 0x04, 0x0a, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x01, 0xbb, 0x25, 0x3a, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04,
};

/* a Word document (python zipfile, as Word orders it), to the third entry's
 * name */
static const unsigned char real_docx[] = {
	0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x47, 0xb8,
	0x81, 0x5d, 0xee, 0x47, 0x58, 0x66, 0x1f, 0x00, 0x00, 0x00, 0x1d, 0x00,
	0x00, 0x00, 0x13, 0x00, 0x00, 0x00, 0x5b, 0x43, 0x6f, 0x6e, 0x74, 0x65,
	0x6e, 0x74, 0x5f, 0x54, 0x79, 0x70, 0x65, 0x73, 0x5d, 0x2e, 0x78, 0x6d,
	0x6c, 0xb3, 0xb1, 0xaf, 0xc8, 0xcd, 0x51, 0x28, 0x4b, 0x2d, 0x2a, 0xce,
	0xcc, 0xcf, 0xb3, 0x55, 0x32, 0xd4, 0x33, 0x50, 0xb2, 0xb7, 0xb3, 0x09,
	0xa9, 0x2c, 0x48, 0x2d, 0xd6, 0xb7, 0x03, 0x00, 0x50, 0x4b, 0x03, 0x04,
	0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x47, 0xb8, 0x81, 0x5d, 0x61, 0x72,
	0x5a, 0x9e, 0x26, 0x00, 0x00, 0x00, 0x25, 0x00, 0x00, 0x00, 0x0b, 0x00,
	0x00, 0x00, 0x5f, 0x72, 0x65, 0x6c, 0x73, 0x2f, 0x2e, 0x72, 0x65, 0x6c,
	0x73, 0xb3, 0xb1, 0xaf, 0xc8, 0xcd, 0x51, 0x28, 0x4b, 0x2d, 0x2a, 0xce,
	0xcc, 0xcf, 0xb3, 0x55, 0x32, 0xd4, 0x33, 0x50, 0xb2, 0xb7, 0xb3, 0x09,
	0x4a, 0xcd, 0x49, 0x2c, 0x01, 0x0a, 0x14, 0x67, 0x64, 0x16, 0x14, 0xeb,
	0xdb, 0x01, 0x00, 0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08,
	0x00, 0x47, 0xb8, 0x81, 0x5d, 0x28, 0xe0, 0xc9, 0xe6, 0x24, 0x00, 0x00,
	0x00, 0x22, 0x00, 0x00, 0x00, 0x11, 0x00, 0x00, 0x00, 0x77, 0x6f, 0x72,
	0x64, 0x2f, 0x64, 0x6f, 0x63,
};

static magic_t lm;

static int lm_open(void **state)
{
	(void)state;
	lm = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
	return !lm || magic_load(lm, NULL);
}

static int lm_close(void **state)
{
	(void)state;
	magic_close(lm);
	return 0;
}

/* libmagic's own answer for data. */
static const char *libmagic(const void *data, size_t len)
{
	const char *t = magic_buffer(lm, data, len);

	assert_non_null(t);
	return t;
}

static void test_real_first_bytes(void **state)
{
	static const struct {
		const unsigned char *data;
		size_t len;
		const char *type;
	} files[] = {
#define F(a, t) {a, sizeof(a), t}
		F(real_png, "image/png"),
		F(real_jpeg, "image/jpeg"),
		F(real_gif, "image/gif"),
		F(real_webp, "image/webp"),
		F(real_pdf, "application/pdf"),
		F(real_bmp, "image/bmp"),
		F(real_zip, "application/zip"),
		F(real_docx, "application/vnd.openxmlformats-officedocument."
			     "wordprocessingml.document"),
#undef F
	};
	char out[128];

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		const char *fast =
			mail_sniff_fast(files[i].data, files[i].len, false);

		assert_non_null(fast);
		assert_string_equal(fast, files[i].type);
		assert_string_equal(libmagic(files[i].data, files[i].len),
				    files[i].type);
		mail_sniff_type(files[i].data, files[i].len, out, sizeof(out));
		assert_string_equal(out, files[i].type);
	}
}

/* The policy still goes by the content: a BMP called .png is refused. */
static void test_bmp_named_png_refused(void **state)
{
	struct mail_attach_policy p;
	struct mail_attachment a = {0};
	char why[400];

	(void)state;
	mail_attach_policy_default(&p);
	a.filename = "pantalla.png";
	a.data = (unsigned char *)real_bmp;
	a.len = sizeof(real_bmp);
	assert_int_equal(mail_attachment_check(&p, &a, why, sizeof(why)),
			 AY_EPERM);
	assert_non_null(strstr(why, "una imagen BMP"));
	a.data = (unsigned char *)real_png;
	a.len = sizeof(real_png);
	assert_int_equal(mail_attachment_check(&p, &a, why, sizeof(why)),
			 AY_OK);
}

static const char registro[] =
	"Hola,\r\nadjunto el registro del servidor: error 500 a las "
	"10:32.\r\nGracias, María\r\n";
static const char report[] =
	"Reporting-MTA: dns; mx1.example.com\nArrival-Date: Tue, 1 Dec 2026 "
	"10:00:00 -0500\n\nFinal-Recipient: rfc822; nadie@example.com\n"
	"Action: failed\nStatus: 5.1.1\n";

/* Text is told without libmagic only when the name says text. */
static void test_text_named(void **state)
{
	char out[128];

	(void)state;
	assert_null(mail_sniff_fast(registro, strlen(registro), false));
	assert_string_equal(mail_sniff_fast(registro, strlen(registro), true),
			    "text/plain");
	assert_string_equal(libmagic(registro, strlen(registro)), "text/plain");
	assert_string_equal(mail_sniff_fast(report, strlen(report), true),
			    "text/plain");
	assert_string_equal(libmagic(report, strlen(report)), "text/plain");
	mail_sniff_type_named(registro, strlen(registro), "registro.LOG", out,
			      sizeof(out));
	assert_string_equal(out, "text/plain");
}

/* What a program or a browser reads as its own goes to libmagic even in a
 * file called .txt, and the policy refuses it as before. */
static void test_doubtful_left_to_libmagic(void **state)
{
	static const struct {
		const char *text, *type;
		bool refused;
	} cases[] = {
		{"<?php phpinfo(); ?>\n", "text/x-php", true},
		{"#!/bin/sh\necho hola\n", "text/x-shellscript", true},
		{"@echo off\r\ndel x\r\n", "text/x-msdos-batch", true},
		{"<html><body>hola</body></html>\n", "text/html", true},
		{"Subject: hola\n\ncuerpo\n", "text/plain", false},
		{"a,b\n1,2\n3,4\n5,6\n", "text/csv", true},
		{"{\"a\": 1}\n", "application/json", true},
	};
	struct mail_attach_policy p;
	char out[128], why[400];

	(void)state;
	mail_attach_policy_default(&p);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *t = cases[i].text;
		struct mail_attachment a = {0};

		assert_null(mail_sniff_fast(t, strlen(t), true));
		mail_sniff_type_named(t, strlen(t), "nota.txt", out,
				      sizeof(out));
		assert_string_equal(out, cases[i].type);
		a.filename = "nota.txt";
		a.data = (unsigned char *)t;
		a.len = strlen(t);
		assert_int_equal(
			mail_attachment_check(&p, &a, why, sizeof(why)),
			cases[i].refused ? AY_EPERM : AY_OK);
	}
}

/* A mail attached to a mail (message/rfc822) is told by its first header
 * as libmagic's mail rules do, whatever markup its body holds; a header
 * those rules do not know is left to libmagic. */
static void test_mail_parts(void **state)
{
	static const char *const mails[] = {
		"Return-Path: <ana@example.com>\nReceived: from mx\nFrom: "
		"Ana <ana@example.com>\nSubject: hola\n\n<html><body>Hola"
		"</body></html>\n",
		"Received: from mx.example.com\r\nDate: Tue, 1 Dec 2026 "
		"10:00:00 -0500\r\n\r\nCuerpo\r\n",
		"From: Ana <ana@example.com>\nSubject: =?UTF-8?Q?hola?=\n\n"
		"ñandú\n",
	};
	static const char unknown[] = "received: from mx\nSubject: x\n\n"
				      "<html><head>x</head></html>\n";

	(void)state;
	for (size_t i = 0; i < sizeof(mails) / sizeof(mails[0]); i++) {
		const char *fast =
			mail_sniff_fast(mails[i], strlen(mails[i]), false);

		assert_non_null(fast);
		assert_string_equal(fast, "message/rfc822");
		assert_string_equal(libmagic(mails[i], strlen(mails[i])),
				    "message/rfc822");
	}
	assert_null(mail_sniff_fast(unknown, strlen(unknown), true));
	assert_string_equal(libmagic(unknown, strlen(unknown)), "text/html");
}

/* The parts of a PGP/MIME mail: its signature and its encrypted body. */
static void test_pgp_parts(void **state)
{
	static const struct {
		const char *text, *type;
	} parts[] = {
		{"-----BEGIN PGP SIGNATURE-----\r\nComment: GPGTools - "
		 "https://gpgtools.org\r\n\r\niQIzBAEBCAAdFiEE\r\n=abcd\r\n"
		 "-----END PGP SIGNATURE-----\r\n",
		 "application/pgp-signature"},
		{"-----BEGIN PGP MESSAGE-----\n\nhQEMA5\n=abcd\n"
		 "-----END PGP MESSAGE-----\n",
		 "application/pgp-encrypted"},
		{"-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQENBF\n"
		 "-----END PGP PUBLIC KEY BLOCK-----\n",
		 "application/pgp-keys"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		const char *t = parts[i].text;
		const char *fast = mail_sniff_fast(t, strlen(t), false);

		assert_non_null(fast);
		assert_string_equal(fast, parts[i].type);
		assert_string_equal(libmagic(t, strlen(t)), parts[i].type);
	}
}

/* ZIP archives that libmagic names by their first entry are its own. */
static void test_zip_kinds_left_to_libmagic(void **state)
{
	/* A JAR: the first entry's extra field is 0xcafe. */
	static const unsigned char jar[] = {
		'P', 'K', 3, 4, 10,  0,	  0,   0,   0,	 0,    0,    0, 0,
		0,   0,	  0, 0, 0,   0,	  0,   0,   0,	 0,    0,    0, 0,
		5,   0,	  4, 0, 'a', '.', 't', 'x', 't', 0xfe, 0xca, 0, 0,
	};
	/* Office's part first. */
	unsigned char word[64] = {'P', 'K', 3, 4, 10};

	(void)state;
	assert_null(mail_sniff_fast(jar, sizeof(jar), false));
	assert_string_equal(libmagic(jar, sizeof(jar)),
			    "application/java-archive");
	word[26] = 17;
	memcpy(word + 30, "word/document.xml", 17);
	assert_null(mail_sniff_fast(word, sizeof(word), false));
	assert_string_equal(libmagic(word, sizeof(word)),
			    "application/vnd.openxmlformats-officedocument."
			    "wordprocessingml.document");
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		p = malloc((size_t)n + 1);
		if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
			free(p);
			p = NULL;
		}
		if (p) {
			p[n] = '\0';
			*len = (size_t)n;
		}
	}
	fclose(f);
	return p;
}

/* Every attachment of the mail corpus gets the type libmagic gives it. */
static void test_corpus_agrees_with_libmagic(void **state)
{
	const char *src = getenv("AY_SOURCE_DIR");
	struct mail_parse_opts o = {"ayuda-test", 0};
	char dir[2048], path[4096];
	size_t natt = 0, fast = 0;
	struct dirent *e;
	DIR *d;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/tests/data/mail/zammad",
		 src ? src : AY_SOURCE_DIR);
	d = opendir(dir);
	assert_non_null(d);
	while ((e = readdir(d))) {
		struct mail_msg *m = NULL;
		char err[256], *raw;
		size_t len = 0;

		if (!strstr(e->d_name, ".box"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		raw = slurp(path, &len);
		assert_non_null(raw);
		if (mail_parse(raw, len, &o, &m, err, sizeof(err)) == AY_OK) {
			for (size_t i = 0; i < m->natt; i++) {
				const struct mail_attachment *a = &m->att[i];
				size_t n =
					a->len > (1 << 20) ? 1 << 20 : a->len;

				if (!a->data || !a->len)
					continue;
				natt++;
				fast += mail_sniff_fast(a->data, n, false) != 0;
				if (strcmp(a->sniffed_type,
					   libmagic(a->data, n)))
					fail_msg("%s: %s is %s, libmagic says "
						 "%s",
						 e->d_name, a->filename,
						 a->sniffed_type,
						 libmagic(a->data, n));
			}
		}
		mail_msg_free(m);
		free(raw);
	}
	closedir(d);
	printf("%zu attachments, %zu told without libmagic\n", natt, fast);
	assert_true(natt > 50 && fast > natt / 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_first_bytes),
		cmocka_unit_test(test_bmp_named_png_refused),
		cmocka_unit_test(test_text_named),
		cmocka_unit_test(test_doubtful_left_to_libmagic),
		cmocka_unit_test(test_mail_parts),
		cmocka_unit_test(test_pgp_parts),
		cmocka_unit_test(test_zip_kinds_left_to_libmagic),
		cmocka_unit_test(test_corpus_agrees_with_libmagic),
	};

	return cmocka_run_group_tests(tests, lm_open, lm_close);
}
