/* The knowledge base: the Markdown sanitiser against hostile input, and
 * the Spanish stemming search (a table of queries and the article each
 * must find first). */
#include <ctype.h>
#include <time.h>

#include "testutil.h"

#include "domain/kb.h"
#include "store/fts_stem.h"
#include "util/config.h"
#include "util/markdown.h"

static char *render(const char *md)
{
	struct buf out;

	buf_init(&out, (size_t)64 << 20);
	assert_int_equal(md_to_html(md, strlen(md), &out), AY_OK);
	return buf_take(&out, NULL);
}

/* Why the HTML is unsafe, or NULL: every real tag (text cannot hold a
 * '<': it is escaped) must be of the renderer's set, with only its
 * attributes, quoted, and addresses only http(s), mailto or relative. */
static const char *html_unsafe(const char *html)
{
	static const char *const tags =
		" p h2 h3 h4 h5 h6 ul ol li blockquote pre code em strong del "
		"a "
		"img hr br table thead tbody tr th td div ";
	static const char *const attrs =
		" href src alt title loading class start ";

	for (const char *p = strchr(html, '<'); p; p = strchr(p + 1, '<')) {
		char name[16], word[18];
		size_t n = 0;

		p += p[1] == '/';
		while (isalnum((unsigned char)p[1 + n]) &&
		       n < sizeof(name) - 1) {
			name[n] = (char)tolower((unsigned char)p[1 + n]);
			n++;
		}
		name[n] = '\0';
		snprintf(word, sizeof(word), " %s ", name);
		if (!n || !strstr(tags, word))
			return "tag";
		for (const char *q = p + 1 + n; *q != '>'; q++) {
			const char *eq;

			if (!*q)
				return "unclosed tag";
			if (*q == ' ')
				continue;
			eq = strchr(q, '=');
			if (!eq || eq[1] != '"' || (size_t)(eq - q) > 10)
				return "attribute";
			snprintf(word, sizeof(word), " %.*s ", (int)(eq - q),
				 q);
			if (!strstr(attrs, word))
				return "attribute name";
			q = strchr(eq + 2, '"');
			if (!q)
				return "unquoted";
			if ((!strncmp(word, " href ", 6) ||
			     !strncmp(word, " src ", 5)) &&
			    !md_url_safe(eq + 2, (size_t)(q - eq - 2)))
				return "address";
			{
				char v[256];
				size_t vl = (size_t)(q - eq - 2);

				snprintf(v, sizeof(v), "%.*s", (int)vl, eq + 2);
				for (char *c = v; *c; c++)
					*c = (char)tolower((unsigned char)*c);
				if (strstr(v, "javascript") ||
				    strstr(v, "data:"))
					return "address text";
			}
		}
	}
	return NULL;
}

/* Hostile Markdown: nothing of it may become markup or an active link. */
static void test_md_hostile(void **state)
{
	static const struct {
		const char *md;
		const char *must; /* in the output (NULL: nothing asked) */
	} cases[] = {
		{"<script>alert(1)</script>", "&lt;script&gt;"},
		{"hola <img src=x onerror=alert(1)> adiós", "&lt;img src=x"},
		{"<a href=\"javascript:alert(1)\">x</a>", "&lt;a href="},
		{"[x](javascript:alert(1))", "x"},
		{"[x](JaVaScRiPt:alert(1))", NULL},
		{"[x](  javascript:alert(1))", NULL},
		{"[x](java\tscript:alert(1))", NULL},
		{"[x](<java\nscript:alert(1)>)", NULL},
		{"[x](&#106;avascript:alert(1))", NULL},
		{"[x](&#x6A;avascript&#58;alert(1))", NULL},
		{"[x](javascript&colon;alert(1))", NULL},
		{"[x](jav&#x09;ascript:alert(1))", NULL},
		{"[x](data:text/html;base64,PHNjcmlwdD4=)", NULL},
		{"![x](data:image/svg+xml,<svg/onload=alert(1)>)", "x"},
		{"![x](vbscript:msgbox)", NULL},
		{"<javascript:alert(1)>", NULL},
		{"[[[[[[x](javascript:alert(1))](javascript:alert(2))]]]]",
		 NULL},
		{"[a](http://x \"t\" onmouseover=alert(1))", NULL},
		{"[a](http://x \"t\\\" onmouseover=alert(1)\")", "&quot;"},
		{"![a\" onerror=\"alert(1)](http://x/y.png)", "&quot;"},
		{"<div onclick=alert(1)>x</div>", "&lt;div"},
		{"<!-- x --><style>*{}</style>", "&lt;style&gt;"},
		{"`<b>`", "<code>&lt;b&gt;</code>"},
		{"```\n<script>\n```", "&lt;script&gt;"},
		{"&lt;script&gt;", "&lt;script&gt;"},
		{"&#60;script&#62;", "&lt;script&gt;"},
	};

	(void)state;
	for (size_t i = 0; i < AY_ARRAY_LEN(cases); i++) {
		char *html = render(cases[i].md);
		const char *why = html_unsafe(html);

		if (why)
			fail_msg("case %zu: %s -> %s (%s)", i, cases[i].md,
				 html, why);
		if (cases[i].must && !strstr(html, cases[i].must))
			fail_msg("case %zu: %s -> %s (wanted %s)", i,
				 cases[i].md, html, cases[i].must);
		free(html);
	}
}

/* What stays: the elements and safe addresses a writer uses. */
static void test_md_keeps(void **state)
{
	char *html =
		render("# Título\n\n**negrita** _it_ ~~no~~\n\n"
		       "- [web](https://ayuda.example/x?a=1&b=2)\n"
		       "- [correo](mailto:soporte@ayuda.example)\n"
		       "- [otro](/kb/3-otro)\n"
		       "- ![captura](/api/v1/files/abc.png \"t\")\n\n"
		       "| a | b |\n|---|:-:|\n| 1 | 2 |\n\n"
		       "Vea https://ayuda.example/kb/1 o ftp://x.example/f.\n");

	(void)state;
	assert_non_null(strstr(html, "<h2>Título</h2>"));
	assert_non_null(strstr(html, "<strong>negrita</strong>"));
	assert_non_null(strstr(html, "<del>no</del>"));
	assert_non_null(strstr(
		html,
		"<a href=\"https://ayuda.example/x?a=1&amp;b=2\">web</a>"));
	assert_non_null(
		strstr(html, "<a href=\"mailto:soporte@ayuda.example\">"));
	assert_non_null(strstr(html, "<a href=\"/kb/3-otro\">otro</a>"));
	assert_non_null(strstr(html, "<img src=\"/api/v1/files/abc.png\" "
				     "title=\"t\" loading=\"lazy\" "
				     "alt=\"captura\">"));
	assert_non_null(strstr(html, "<td class=\"md-center\">2</td>"));
	/* a bare address is a link (an answer pasted into an article) */
	assert_non_null(strstr(html, "<a href=\"https://ayuda.example/kb/1\">"
				     "https://ayuda.example/kb/1</a>"));
	assert_null(strstr(html, "href=\"ftp:"));
	free(html);
}

static void test_md_url_table(void **state)
{
	static const struct {
		const char *url;
		bool ok;
	} t[] = {
		{"https://x", true},	 {"HTTP://x", true},
		{"mailto:a@b", true},	 {"/kb/1", true},
		{"kb/1", true},		 {"#top", true},
		{"?q=1", true},		 {"//cdn.example/x", true},
		{"javascript:x", false}, {" \x01javascript:x", false},
		{"data:x", false},	 {"file:///etc/passwd", false},
		{"ftp://x", false},	 {"x@y:z", true},
	};

	(void)state;
	for (size_t i = 0; i < AY_ARRAY_LEN(t); i++)
		if (md_url_safe(t[i].url, strlen(t[i].url)) != t[i].ok)
			fail_msg("%s", t[i].url);
}

/* 1 MB of backticks (and of brackets) renders, and quickly. */
static void test_md_pathological(void **state)
{
	const char *fill = "`[<*_";
	size_t n = (size_t)1 << 20;
	char *md = malloc(n + 1);

	(void)state;
	assert_non_null(md);
	for (size_t k = 0; k < strlen(fill); k++) {
		struct timespec a, b;
		char *html;

		memset(md, fill[k], n);
		md[n] = '\0';
		clock_gettime(CLOCK_MONOTONIC, &a);
		html = render(md);
		clock_gettime(CLOCK_MONOTONIC, &b);
		assert_true((b.tv_sec - a.tv_sec) < 5);
		assert_null(strstr(html, "<a"));
		free(html);
	}
	free(md);
}

static void test_stems(void **state)
{
	static const char *const same[][2] = {
		{"exportar", "exportación"},  {"exporta", "exportaciones"},
		{"licencia", "licencias"},    {"adjuntar", "adjuntos"},
		{"contraseña", "contrasena"},
	};
	char a[64], b[64];

	(void)state;
	for (size_t i = 0; i < AY_ARRAY_LEN(same); i++) {
		assert_true(fts_stem_word("spanish", same[i][0],
					  strlen(same[i][0]), a, sizeof(a)));
		assert_true(fts_stem_word("spanish", same[i][1],
					  strlen(same[i][1]), b, sizeof(b)));
		if (strcmp(a, b) && strncmp(a, b, 5))
			fail_msg("%s -> %s, %s -> %s", same[i][0], a,
				 same[i][1], b);
	}
}

struct seed {
	int64_t ids[16];
	size_t n;
};

static const char *const articles[][3] = {
	{"published", "Cómo exportar los contactos del CRM",
	 "Desde **CRM > Contactos** elija *Exportar* y el formato CSV o "
	 "Excel. La exportación incluye los campos visibles."},
	{"published", "Licencias: renovar o ampliar su licencia comercial",
	 "La licencia comercial se renueva antes de su vencimiento. Para "
	 "ampliar usuarios, escriba a su consultor."},
	{"published", "Adjuntar archivos a un ticket",
	 "Puede adjuntar capturas PNG, GIF o JPG. Los archivos BMP deben ir "
	 "comprimidos en ZIP o RAR."},
	{"published", "Olvidé mi contraseña",
	 "Use «¿Olvidó su contraseña?» en la página de entrada y siga el "
	 "enlace que le enviamos por correo."},
	{"published", "Niveles de servicio (SLA) y tiempos de respuesta",
	 "Partners y clientes comerciales: 24 horas. Soporte no comercial: "
	 "120 horas, en horario laborable de Lima."},
	{"published", "Registrarse en el portal de soporte",
	 "Para registrarse abra /registro, escriba su correo y confirme el "
	 "enlace. Tras el registro podrá enviar tickets."},
	{"internal", "Cómo exportar la base de clientes (interno)",
	 "Procedimiento interno de exportación para el equipo."},
	{"draft", "Borrador sobre exportar informes",
	 "Aún sin publicar: exportar informes."},
};

static ay_rc seed_articles(struct db *db, void *arg)
{
	struct seed *s = arg;
	int64_t uid =
		test_add_user(db, "sup@kb.test", "supervisor", NULL, false);
	struct actor a;
	ay_rc rc = actor_load(db, uid, &a);

	for (size_t i = 0; !rc && i < AY_ARRAY_LEN(articles); i++) {
		json_t *in = json_pack("{s:s,s:{s:s,s:s}}", "state",
				       articles[i][0], "es", "title",
				       articles[i][1], "body", articles[i][2]);
		struct verr e = {0};

		rc = kb_article_save(db, &a, 0, in, &e, &s->ids[i]);
		json_decref(in);
	}
	s->n = AY_ARRAY_LEN(articles);
	return rc;
}

/* The first result's title for q as an anonymous reader (or staff). */
static char *first(struct store *st, const char *q, bool staff)
{
	struct actor a = {.role = staff ? ROLE_AGENT : ROLE_NONE};
	struct db *db;
	json_t *out = NULL, *r0;
	size_t found = 0;
	char *t;

	assert_int_equal(store_reader(st, &db), AY_OK);
	assert_int_equal(kb_search(db, &a, q, "es", false, 5, &out, &found),
			 AY_OK);
	r0 = json_array_get(json_object_get(out, "results"), 0);
	t = r0 ? strdup(json_string_value(json_object_get(r0, "title")))
	       : strdup("");
	json_decref(out);
	return t;
}

/* Each query of the table must find its article first ("" for none). */
static void check_table(struct store *st, const char *const (*table)[2],
			size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *t = first(st, table[i][0], false);

		if (strcmp(t, table[i][1]))
			fail_msg("«%s» found «%s», wanted «%s»", table[i][0], t,
				 table[i][1]);
		free(t);
	}
}

static void test_search_table(void **state)
{
	static const char *const table[][2] = {
		{"exportar", "Cómo exportar los contactos del CRM"},
		{"exporta", "Cómo exportar los contactos del CRM"},
		{"exportación", "Cómo exportar los contactos del CRM"},
		{"EXPORTACION contactos",
		 "Cómo exportar los contactos del CRM"},
		{"expor", "Cómo exportar los contactos del CRM"},
		{"licencia", "Licencias: renovar o ampliar su licencia "
			     "comercial"},
		{"renovación de licencias", "Licencias: renovar o ampliar su "
					    "licencia comercial"},
		{"adjuntar archivo", "Adjuntar archivos a un ticket"},
		{"cómo adjunto un archivo zip",
		 "Adjuntar archivos a un ticket"},
		{"contrasena", "Olvidé mi contraseña"},
		{"olvide la contraseña", "Olvidé mi contraseña"},
		{"tiempo de respuesta", "Niveles de servicio (SLA) y tiempos "
					"de respuesta"},
		{"sla", "Niveles de servicio (SLA) y tiempos de respuesta"},
		{"registro", "Registrarse en el portal de soporte"},
		{"registrarme", "Registrarse en el portal de soporte"},
		/* typos */
		{"licensia comercial", "Licencias: renovar o ampliar su "
				       "licencia comercial"},
		{"adjuntr archivos", "Adjuntar archivos a un ticket"},
		{"nada que ver", ""},
	};
	struct seed s = {0};
	struct store *st;
	const char *dir;

	(void)state;
	test_store_new(&dir, &st, seed_articles, &s);
	check_table(st, table, AY_ARRAY_LEN(table));
	/* Internal articles for staff only; drafts for nobody. */
	{
		char *anon = first(st, "base de clientes", false);
		char *staff = first(st, "base de clientes", true);
		char *draft = first(st, "informes", true);

		assert_string_not_equal(
			anon, "Cómo exportar la base de clientes (interno)");
		assert_string_equal(
			staff, "Cómo exportar la base de clientes (interno)");
		assert_string_equal(draft, "");
		free(anon);
		free(staff);
		free(draft);
	}
	test_store_free(dir, st);
}

static ay_rc seed_demo(struct db *db, void *arg)
{
	int64_t uid =
		test_add_user(db, "sup@kb.test", "supervisor", NULL, false);
	struct actor a;
	ay_rc rc = actor_load(db, uid, &a);

	(void)arg;
	return rc ? rc : kb_demo_seed(db, &a);
}

/* The demo knowledge base (the policy's common questions): what a customer
 * types, and the article that must come first. */
static void test_search_demo(void **state)
{
	static const char *const table[][2] = {
		{"exportar", "Exportar contactos del CRM a Excel o CSV"},
		{"exporta", "Exportar contactos del CRM a Excel o CSV"},
		{"exportación", "Exportar contactos del CRM a Excel o CSV"},
		{"mi exportacion sale vacia",
		 "Exportar contactos del CRM a Excel o CSV"},
		{"licencia", "Licencia comercial: escriba desde el correo de "
			     "la licencia"},
		{"licensia", "Licencia comercial: escriba desde el correo de "
			     "la licencia"},
		{"renovar licencia", "Renovar o ampliar su licencia Bitrix24"},
		{"adjuntar archivo",
		 "Adjuntar capturas y archivos a un ticket"},
		{"adjuntr", "Adjuntar capturas y archivos a un ticket"},
		{"bmp", "Adjuntar capturas y archivos a un ticket"},
		{"contrasena", "Olvidé mi contraseña"},
		{"olvide mi clave", "Olvidé mi contraseña"},
		{"como me registro",
		 "Cómo registrarse en el portal de soporte"},
		{"tiempo de respuesta", "Niveles de servicio (SLA): tiempos "
					"máximos de respuesta"},
		{"festivos", "Horario de atención, festivos y pausas"},
		{"compartir contraseña", "Cómo compartir datos de acceso de "
					 "forma segura"},
		{"boveda", "Cómo compartir datos de acceso de forma segura"},
		{"soporte gratuito", "Cómo acceder al soporte no comercial"},
		{"asunto del correo",
		 "Responder por correo sin perder el hilo"},
		{"reabrir ticket", "Reabrir un ticket cerrado y evaluar la "
				   "atención"},
		{"fuera de alcance",
		 "Qué temas atiende el soporte y cuáles no"},
	};
	struct store *st;
	const char *dir;

	(void)state;
	test_store_new(&dir, &st, seed_demo, NULL);
	check_table(st, table, AY_ARRAY_LEN(table));
	test_store_free(dir, st);
}

/* [kb] mail_min_score: the operator's threshold, 0 to list none. */
static void test_config_threshold(void **state)
{
	struct ay_config c;
	char err[200];

	(void)state;
	assert_int_equal(config_parse("", &c, err, sizeof(err)), AY_OK);
	assert_int_equal(c.kb_mail_min_score, 8);
	assert_int_equal(config_parse("[kb]\nmail_min_score = 0\n", &c, err,
				      sizeof(err)),
			 AY_OK);
	assert_int_equal(c.kb_mail_min_score, 0);
	assert_int_not_equal(config_parse("[kb]\nmail_min_score = -1\n", &c,
					  err, sizeof(err)),
			     AY_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_md_hostile),
		cmocka_unit_test(test_md_keeps),
		cmocka_unit_test(test_md_url_table),
		cmocka_unit_test(test_md_pathological),
		cmocka_unit_test(test_stems),
		cmocka_unit_test(test_search_table),
		cmocka_unit_test(test_search_demo),
		cmocka_unit_test(test_config_threshold),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
