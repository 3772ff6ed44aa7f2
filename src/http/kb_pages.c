/* The knowledge base's public pages, rendered here as HTML that needs no
 * JavaScript (DESIGN.md section 5): /kb (categories, most read), /kb/ID-slug
 * (an article: canonical address, its other language, "¿Le sirvió este
 * artículo?" as a plain form), /kb/buscar?q= and /sitemap.xml. The site's
 * stylesheets; no script. Staff signed in see internal articles too. */
#include <stdlib.h>
#include <string.h>

#include "domain/kb.h"
#include "http/http.h"
#include "http/query.h"
#include "http/static.h"
#include "util/i18n.h"
#include "util/markdown.h"

struct page {
	struct http_req *r;
	struct buf *o;
	const char *lang;
	ay_rc rc;
};

static void add(struct page *p, const char *s)
{
	if (!p->rc)
		p->rc = buf_adds(p->o, s);
}

static void esc(struct page *p, const char *s)
{
	if (!p->rc && s)
		p->rc = html_escape(p->o, s, strlen(s));
}

static void addf(struct page *p, const char *fmt, ...) AY_PRINTF(2, 3);
static void addf(struct page *p, const char *fmt, ...)
{
	va_list ap;

	if (p->rc)
		return;
	va_start(ap, fmt);
	p->rc = buf_vaddf(p->o, fmt, ap);
	va_end(ap);
}

/* The reader's language: ?lang=, else their profile's, else Spanish. */
static const char *page_lang(struct http_req *r)
{
	const char *l = http_query(r, "lang");

	if (l)
		return !strcmp(l, "en") ? "en" : "es";
	return !strcmp(r->actor.lang, "en") ? "en" : "es";
}

static void head(struct page *p, const char *title, const char *canonical,
		 const char *alt_lang, const char *alt_url)
{
	addf(p,
	     "<!doctype html>\n<html lang=\"%s\">\n<head>\n"
	     "<meta charset=\"utf-8\">\n"
	     "<meta name=\"viewport\" content=\"width=device-width, "
	     "initial-scale=1\">\n"
	     "<meta name=\"color-scheme\" content=\"light dark\">\n<title>",
	     p->lang);
	esc(p, title);
	add(p, " · ");
	esc(p, _L(p->lang, "Centro de ayuda"));
	add(p, "</title>\n");
	if (canonical) {
		add(p, "<link rel=\"canonical\" href=\"");
		esc(p, canonical);
		add(p, "\">\n");
	}
	if (alt_url) {
		addf(p, "<link rel=\"alternate\" hreflang=\"%s\" href=\"",
		     alt_lang);
		esc(p, alt_url);
		add(p, "\">\n");
	}
	addf(p,
	     "<link rel=\"icon\" href=\"/favicon.svg\" "
	     "type=\"image/svg+xml\">\n"
	     "<link rel=\"stylesheet\" href=\"/styles/tokens.css?v=%s\">\n"
	     "<link rel=\"stylesheet\" href=\"/styles/base.css?v=%s\">\n"
	     "<link rel=\"stylesheet\" href=\"/styles/kb.css?v=%s\">\n"
	     "</head>\n<body>\n<div class=\"app\">\n"
	     "<a class=\"skip-link\" href=\"#contenido\">%s</a>\n"
	     "<header class=\"site-header\"><div class=\"wrap header-row\">"
	     "<a class=\"brand\" href=\"/\"><span class=\"brand-mark\" "
	     "aria-hidden=\"true\">?</span>Ayuda</a>\n",
	     web_build, web_build, web_build,
	     _L(p->lang, "Saltar al contenido"));
	if (alt_url) {
		addf(p,
		     "<div class=\"header-lang\"><a class=\"lang-switch\" "
		     "hreflang=\"%s\" lang=\"%s\" href=\"",
		     alt_lang, alt_lang);
		esc(p, alt_url);
		addf(p, "\">%s</a></div>\n",
		     !strcmp(alt_lang, "en") ? "English" : "Español");
	}
	addf(p,
	     "<nav class=\"nav\" aria-label=\"%s\"><ul>"
	     "<li><a href=\"/kb%s\">%s</a></li>"
	     "<li><a href=\"/tickets/nuevo\">%s</a></li>",
	     _L(p->lang, "Principal"), strcmp(p->lang, "en") ? "" : "?lang=en",
	     _L(p->lang, "Centro de ayuda"), _L(p->lang, "Enviar ticket"));
	add(p, "</ul></nav></div></header>\n"
	       "<main id=\"contenido\" class=\"main wrap\" tabindex=\"-1\">\n");
}

static void search_form(struct page *p, const char *q)
{
	addf(p,
	     "<form class=\"kb-search\" role=\"search\" method=\"get\" "
	     "action=\"/kb/buscar\">\n<label for=\"kb-q\">%s</label>\n"
	     "<div class=\"kb-search-row\"><input class=\"control\" "
	     "id=\"kb-q\" name=\"q\" type=\"search\" maxlength=\"200\" "
	     "value=\"",
	     _L(p->lang, "Buscar en el centro de ayuda"));
	esc(p, q ? q : "");
	add(p, "\">");
	if (!strcmp(p->lang, "en"))
		add(p, "<input type=\"hidden\" name=\"lang\" value=\"en\">");
	addf(p,
	     "<button class=\"button\" type=\"submit\">%s</button></div>\n"
	     "</form>\n",
	     _L(p->lang, "Buscar"));
}

static void foot(struct page *p)
{
	addf(p,
	     "</main>\n<footer class=\"site-footer\"><div class=\"wrap\">"
	     "<p>%s <a href=\"/tickets/nuevo\">%s</a></p></div></footer>\n"
	     "</div>\n</body>\n</html>\n",
	     _L(p->lang, "¿No encuentra la respuesta?"),
	     _L(p->lang, "Envíenos un ticket"));
}

static void finish(struct page *p, int status)
{
	struct http_req *r = p->r;

	if (p->rc) {
		buf_release(&r->out);
		http_error_rc(r, p->rc);
		return;
	}
	r->status = status;
	r->ctype = "text/html; charset=utf-8";
	r->cache_control = "no-cache";
}

static void article_list(struct page *p, json_t *list)
{
	size_t i;
	json_t *a;

	add(p, "<ul class=\"kb-list\">\n");
	json_array_foreach (list, i, a) {
		add(p, "<li><a href=\"");
		esc(p, json_string_value(json_object_get(a, "url")));
		if (!strcmp(p->lang, "en"))
			add(p, "?lang=en");
		add(p, "\">");
		esc(p, json_string_value(json_object_get(a, "title")));
		add(p, "</a>");
		if (strcmp(json_string_value(json_object_get(a, "state")),
			   "published")) {
			add(p, " <span class=\"kb-tag\">");
			esc(p, _L(p->lang, "interno"));
			add(p, "</span>");
		}
		add(p, "</li>\n");
	}
	add(p, "</ul>\n");
}

void h_kb_page_home(struct http_req *r)
{
	struct page p = {.r = r, .o = &r->out};
	json_t *cats = NULL, *top = NULL;
	struct db *db;
	size_t i;
	json_t *c;

	http_auth_optional(r);
	p.lang = page_lang(r);
	snprintf(r->actor.lang, sizeof(r->actor.lang), "%s", p.lang);
	p.rc = store_reader(http_store(r), &db);
	if (!p.rc)
		p.rc = kb_categories(db, &r->actor, &cats);
	if (!p.rc)
		p.rc = kb_article_list(db, &r->actor, NULL, NULL, true, 8,
				       &top);
	head(&p, _L(p.lang, "Centro de ayuda"),
	     !strcmp(p.lang, "en") ? "/kb?lang=en" : "/kb",
	     !strcmp(p.lang, "en") ? "es" : "en",
	     !strcmp(p.lang, "en") ? "/kb" : "/kb?lang=en");
	addf(&p, "<h1>%s</h1>\n<p class=\"lead\">%s</p>\n",
	     _L(p.lang, "Centro de ayuda"),
	     _L(p.lang, "Respuestas a las preguntas más frecuentes: "
			"regístrese, licencias, adjuntos, niveles de "
			"servicio."));
	search_form(&p, NULL);
	addf(&p,
	     "<div class=\"kb-columns\"><section aria-labelledby=\"kb-top\">"
	     "<h2 id=\"kb-top\">%s</h2>\n",
	     _L(p.lang, "Lo más leído"));
	article_list(&p, top);
	addf(&p,
	     "</section>\n<section aria-labelledby=\"kb-cats\">"
	     "<h2 id=\"kb-cats\">%s</h2>\n<ul class=\"kb-cats\">\n",
	     _L(p.lang, "Categorías"));
	json_array_foreach (cats, i, c) {
		json_int_t n = json_integer_value(json_object_get(c, "count"));

		if (!n)
			continue;
		add(&p, "<li><a href=\"/kb/buscar?categoria=");
		esc(&p, json_string_value(json_object_get(c, "slug")));
		if (!strcmp(p.lang, "en"))
			add(&p, "&amp;lang=en");
		add(&p, "\">");
		esc(&p, json_string_value(json_object_get(c, "name")));
		addf(&p, "</a> <span class=\"kb-count\">(%lld)</span></li>\n",
		     (long long)n);
	}
	add(&p, "</ul></section></div>\n");
	foot(&p);
	json_decref(cats);
	json_decref(top);
	finish(&p, 200);
}

void h_kb_page_search(struct http_req *r)
{
	struct page p = {.r = r, .o = &r->out};
	const char *q = http_query(r, "q");
	const char *cat = http_query(r, "categoria");
	json_t *res = NULL, *list = NULL;
	size_t found = 0, i;
	struct db *db;
	json_t *a;

	http_auth_optional(r);
	p.lang = page_lang(r);
	snprintf(r->actor.lang, sizeof(r->actor.lang), "%s", p.lang);
	if (q && strlen(q) > 800)
		q = NULL;
	p.rc = store_reader(http_store(r), &db);
	if (!p.rc && q && *q) {
		p.rc = kb_search(db, &r->actor, q, p.lang, false, 20, &res,
				 &found);
		if (p.rc == AY_EINVAL)
			p.rc = AY_OK;
		if (!p.rc)
			kb_note_search(r, q, p.lang, "public", found);
	} else if (!p.rc && cat) {
		p.rc = kb_article_list(db, &r->actor, NULL, cat, true, 100,
				       &list);
	}
	head(&p, _L(p.lang, "Buscar"), NULL, NULL, NULL);
	addf(&p, "<h1>%s</h1>\n", _L(p.lang, "Buscar en el centro de ayuda"));
	search_form(&p, q);
	if (res) {
		list = json_object_get(res, "results");
		addf(&p, "<h2 id=\"kb-res\">%s</h2>\n",
		     _L(p.lang, "Resultados"));
		if (!json_array_size(list))
			addf(&p, "<p>%s</p>\n",
			     _L(p.lang, "Ningún artículo coincide. Pruebe "
					"con otras palabras o envíenos un "
					"ticket."));
		add(&p,
		    "<ol class=\"kb-results\" aria-labelledby=\"kb-res\">\n");
		json_array_foreach (list, i, a) {
			add(&p, "<li><a href=\"");
			esc(&p, json_string_value(json_object_get(a, "url")));
			add(&p, "\">");
			esc(&p, json_string_value(json_object_get(a, "title")));
			add(&p, "</a><p class=\"kb-snippet\">");
			esc(&p,
			    json_string_value(json_object_get(a, "snippet")));
			add(&p, "</p></li>\n");
		}
		add(&p, "</ol>\n");
		list = NULL;
	} else if (list) {
		addf(&p, "<h2>%s</h2>\n", _L(p.lang, "Artículos"));
		article_list(&p, list);
	}
	foot(&p);
	json_decref(res);
	json_decref(list);
	finish(&p, 200);
}

/* "12-como-registrarse" -> 12 and the slug; false when not of that form. */
static bool parse_id_slug(const char *param, int64_t *id, const char **slug)
{
	char *end;
	long long v = strtoll(param, &end, 10);

	if (end == param || v <= 0 || (*end && *end != '-'))
		return false;
	*id = v;
	*slug = *end ? end + 1 : "";
	return true;
}

static void not_found(struct page *p)
{
	head(p, _L(p->lang, "Página no encontrada"), NULL, NULL, NULL);
	addf(p, "<h1>%s</h1>\n<p>%s</p>\n", _L(p->lang, "Página no encontrada"),
	     _L(p->lang, "Ese artículo no existe o ya no está publicado."));
	search_form(p, NULL);
	foot(p);
	finish(p, 404);
}

static void feedback_form(struct page *p, int64_t id, const char *slug,
			  const char *voted)
{
	addf(p,
	     "<section class=\"kb-feedback\" aria-labelledby=\"kb-fb\">"
	     "<h2 id=\"kb-fb\">%s</h2>\n",
	     _L(p->lang, "¿Le sirvió este artículo?"));
	if (voted) {
		addf(p, "<p role=\"status\">%s</p>\n",
		     !strcmp(voted, "si")
			     ? _L(p->lang, "Gracias: nos alegra que le "
					   "sirviera.")
			     : _L(p->lang, "Gracias. Si aún necesita ayuda, "
					   "envíenos un ticket."));
	} else {
		add(p, "<form method=\"post\" action=\"");
		addf(p, "/kb/%lld-", (long long)id);
		esc(p, slug);
		addf(p,
		     "\">\n<input type=\"hidden\" name=\"lang\" value=\"%s\">\n"
		     "<div class=\"actions\">"
		     "<button class=\"button\" name=\"sirvio\" value=\"si\">"
		     "%s</button>"
		     "<button class=\"button button-secondary\" "
		     "name=\"sirvio\" value=\"no\">%s</button></div>\n"
		     "</form>\n",
		     p->lang, _L(p->lang, "Sí"), _L(p->lang, "No"));
	}
	add(p, "</section>\n");
}

void h_kb_page_article(struct http_req *r)
{
	struct page p = {.r = r, .o = &r->out};
	json_t *art = NULL, *texts, *mine, *other;
	const char *slug = "", *lang, *olang;
	struct db *db;
	int64_t id = 0;

	http_auth_optional(r);
	p.lang = page_lang(r);
	if (!parse_id_slug(r->param, &id, &slug)) {
		not_found(&p);
		return;
	}
	p.rc = store_reader(http_store(r), &db);
	if (!p.rc)
		p.rc = kb_article_get(db, &r->actor, id, &art);
	if (p.rc == AY_ENOTFOUND ||
	    (!p.rc && !strcmp(json_string_value(json_object_get(art, "state")),
			      "draft"))) {
		/* A draft is seen in the editor, not here. */
		p.rc = AY_OK;
		json_decref(art);
		not_found(&p);
		return;
	}
	if (p.rc) {
		finish(&p, 500);
		return;
	}
	texts = json_object_get(art, "texts");
	/* The language: the one whose slug is in the address, else ?lang=,
	 * else Spanish; the canonical address carries its own slug. */
	lang = p.lang;
	if (json_object_get(texts, "en") &&
	    !strcmp(slug, json_string_value(json_object_get(
				  json_object_get(texts, "en"), "slug"))) &&
	    !http_query(r, "lang"))
		lang = "en";
	if (!json_object_get(texts, lang))
		lang = "es";
	p.lang = lang;
	olang = !strcmp(lang, "en") ? "es" : "en";
	mine = json_object_get(texts, lang);
	other = json_object_get(texts, olang);
	{
		const char *url =
			json_string_value(json_object_get(mine, "url"));
		const char *ourl =
			other ? json_string_value(json_object_get(other, "url"))
			      : NULL;
		const char *voted = http_query(r, "sirvio");
		const char *cat = json_string_value(json_object_get(
			json_object_get(art, "category"), "name"));

		head(&p, json_string_value(json_object_get(mine, "title")), url,
		     olang, ourl);
		add(&p, "<article class=\"kb-article\">\n");
		if (cat) {
			add(&p, "<p class=\"kb-crumbs\"><a href=\"/kb");
			add(&p, !strcmp(lang, "en") ? "?lang=en" : "");
			addf(&p, "\">%s</a> › ", _L(lang, "Centro de ayuda"));
			esc(&p, cat);
			add(&p, "</p>\n");
		}
		add(&p, "<h1>");
		esc(&p, json_string_value(json_object_get(mine, "title")));
		add(&p, "</h1>\n");
		if (strcmp(json_string_value(json_object_get(art, "state")),
			   "published"))
			addf(&p, "<p class=\"kb-internal\">%s</p>\n",
			     _L(lang, "Artículo interno: solo lo ve el "
				      "equipo de soporte."));
		add(&p, "<div class=\"kb-body\">\n");
		/* Our own renderer's HTML (util/markdown.h): safe as is. */
		add(&p, json_string_value(json_object_get(mine, "html")));
		add(&p, "</div>\n</article>\n");
		feedback_form(
			&p, id,
			json_string_value(json_object_get(mine, "slug")),
			voted && (!strcmp(voted, "si") || !strcmp(voted, "no"))
				? voted
				: NULL);
		foot(&p);
	}
	if (!http_query(r, "sirvio"))
		kb_note_event(r, id, "view");
	json_decref(art);
	finish(&p, 200);
}

/* The value of name in an application/x-www-form-urlencoded body (only
 * the short fields of our form: no decoding needed beyond their values). */
static bool form_value(const struct buf *body, const char *name,
		       const char *value)
{
	char want[64];

	snprintf(want, sizeof(want), "%s=%s", name, value);
	for (const char *p = buf_str(body); p && *p;) {
		const char *amp = strchr(p, '&');
		size_t n = amp ? (size_t)(amp - p) : strlen(p);

		if (n == strlen(want) && !strncmp(p, want, n))
			return true;
		p = amp ? amp + 1 : NULL;
	}
	return false;
}

/* POST /kb/ID-slug (the feedback form, sirvio=si|no): recorded, then
 * back to the article with the thanks (303, so a reload sends nothing). */
void h_kb_page_vote(struct http_req *r)
{
	const char *slug = "";
	int64_t id = 0;
	bool yes = form_value(&r->body, "sirvio", "si");
	bool no = form_value(&r->body, "sirvio", "no");
	bool en = form_value(&r->body, "lang", "en");
	char loc[200];

	http_auth_optional(r);
	if (!parse_id_slug(r->param, &id, &slug) || (!yes && !no)) {
		http_error(r, 422, "invalid", "se espera sirvio=si o no");
		return;
	}
	kb_note_event(r, id, yes ? "yes" : "no");
	snprintf(loc, sizeof(loc), "/kb/%s?%ssirvio=%s#kb-fb", r->param,
		 en ? "lang=en&" : "", yes ? "si" : "no");
	http_redirect(r, 303, loc);
}

/* A sitemap entry: base, the address (escaped) and its last change. */
struct sitemap_out {
	struct buf *out;
	const char *base;
};

static ay_rc sitemap_url(void *arg, const char *url, const char *at)
{
	struct sitemap_out *o = arg;
	ay_rc rc = buf_addf(o->out, "<url><loc>%s", o->base);

	if (!rc)
		rc = html_escape(o->out, url, strlen(url));
	if (!rc)
		rc = buf_addf(o->out, "</loc><lastmod>%s</lastmod></url>\n",
			      at);
	return rc;
}

/* GET /sitemap.xml: every published article; past KB_SITEMAP_PAGE of
 * them, an index of the pages /sitemap.xml?parte=N, each a sitemap. */
void h_kb_sitemap(struct http_req *r)
{
	const char *base = http_config(r)->base_url;
	const char *part = http_query(r, "parte");
	struct sitemap_out o = {&r->out, base};
	int64_t page = 1, count = 0, pages;
	struct db *db;
	ay_rc rc;

	if (part &&
	    http_query_int(part, 1, INT64_MAX / KB_SITEMAP_PAGE, &page)) {
		http_error_rc(r, AY_ENOTFOUND);
		return;
	}
	rc = store_reader(http_store(r), &db);
	if (!rc)
		rc = kb_sitemap(db, 0, sitemap_url, &o, &count);
	pages = (count + KB_SITEMAP_PAGE - 1) / KB_SITEMAP_PAGE;
	if (!rc && part && page > (pages ? pages : 1)) {
		http_error_rc(r, AY_ENOTFOUND);
		return;
	}
	if (!rc)
		rc = buf_adds(&r->out,
			      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	if (!rc && !part && pages > 1) {
		rc = buf_adds(&r->out, "<sitemapindex xmlns=\"http://www."
				       "sitemaps.org/schemas/sitemap/0.9\">\n");
		for (int64_t k = 1; !rc && k <= pages; k++)
			rc = buf_addf(&r->out,
				      "<sitemap><loc>%s/sitemap.xml?parte=%lld"
				      "</loc></sitemap>\n",
				      base, (long long)k);
		if (!rc)
			rc = buf_adds(&r->out, "</sitemapindex>\n");
	} else if (!rc) {
		rc = buf_adds(&r->out,
			      "<urlset xmlns=\"http://www.sitemaps.org/"
			      "schemas/sitemap/0.9\">\n");
		if (!rc && page == 1)
			rc = buf_addf(&r->out, "<url><loc>%s/kb</loc></url>\n",
				      base);
		if (!rc)
			rc = kb_sitemap(db, page, sitemap_url, &o, &count);
		if (!rc)
			rc = buf_adds(&r->out, "</urlset>\n");
	}
	if (rc) {
		buf_release(&r->out);
		http_error_rc(r, rc);
		return;
	}
	r->status = 200;
	r->ctype = "application/xml; charset=utf-8";
	r->cache_control = "no-cache";
}
