/* Markdown rendered by md4c's parser into a fixed set of HTML elements
 * (markdown.h). */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include <md4c.h>

#include "util/markdown.h"

struct render {
	struct buf *out;
	int img;	  /* depth inside an image: its text is the alt */
	int dead_a;	  /* depth of links dropped for an unsafe address */
	bool a_stack[64]; /* whether each open link was written */
	int a_depth;
	ay_rc rc;
};

ay_rc html_escape(struct buf *out, const char *src, size_t len)
{
	size_t from = 0;
	ay_rc rc = AY_OK;

	for (size_t i = 0; !rc && i < len; i++) {
		const char *e = NULL;

		switch (src[i]) {
		case '&':
			e = "&amp;";
			break;
		case '<':
			e = "&lt;";
			break;
		case '>':
			e = "&gt;";
			break;
		case '"':
			e = "&quot;";
			break;
		case '\'':
			e = "&#39;";
			break;
		default:
			continue;
		}
		rc = buf_add(out, src + from, i - from);
		if (!rc)
			rc = buf_adds(out, e);
		from = i + 1;
	}
	if (!rc)
		rc = buf_add(out, src + from, len - from);
	return rc;
}

bool md_url_safe(const char *url, size_t len)
{
	static const char *const schemes[] = {"http", "https", "mailto"};
	char scheme[16];
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)url[i];

		if (c <= 0x20 || c == 0x7f)
			continue; /* a browser skips these */
		if (c == ':')
			break;
		if (c == '/' || c == '?' || c == '#')
			return true; /* relative: no scheme before it */
		if (!isalnum(c) && c != '+' && c != '-' && c != '.')
			return n == 0 ? false : true;
		if (n + 1 >= sizeof(scheme))
			return false;
		scheme[n++] = (char)tolower(c);
		if (i + 1 == len)
			return true; /* no colon at all: relative */
	}
	if (n == 0)
		return len == 0;
	scheme[n] = '\0';
	if (!memchr(url, ':', len))
		return true;
	for (size_t i = 0; i < AY_ARRAY_LEN(schemes); i++)
		if (!strcmp(scheme, schemes[i]))
			return true;
	return false;
}

/* Decode one entity ("&amp;", "&#106;", "&#x6A;") into out; false for a
 * named entity other than the five of XML (the address is then refused). */
static bool entity_decode(const char *e, size_t len, struct buf *out)
{
	static const char *const named[][2] = {
		{"&amp;", "&"},	  {"&lt;", "<"},   {"&gt;", ">"},
		{"&quot;", "\""}, {"&apos;", "'"},
	};
	unsigned long cp = 0;
	char u[4];
	size_t n;

	if (len >= 4 && e[1] == '#') {
		bool hex = e[2] == 'x' || e[2] == 'X';

		for (size_t i = hex ? 3 : 2; i + 1 < len; i++) {
			cp = cp * (hex ? 16 : 10) +
			     (unsigned long)(isdigit((unsigned char)e[i])
						     ? e[i] - '0'
						     : tolower((unsigned char)
								       e[i]) -
							       'a' + 10);
			if (cp > 0x10FFFF)
				return false;
		}
		if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF))
			cp = 0xFFFD;
		if (cp < 0x80) {
			u[0] = (char)cp;
			n = 1;
		} else if (cp < 0x800) {
			u[0] = (char)(0xC0 | (cp >> 6));
			u[1] = (char)(0x80 | (cp & 0x3F));
			n = 2;
		} else if (cp < 0x10000) {
			u[0] = (char)(0xE0 | (cp >> 12));
			u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
			u[2] = (char)(0x80 | (cp & 0x3F));
			n = 3;
		} else {
			u[0] = (char)(0xF0 | (cp >> 18));
			u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
			u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
			u[3] = (char)(0x80 | (cp & 0x3F));
			n = 4;
		}
		return !buf_add(out, u, n);
	}
	for (size_t i = 0; i < AY_ARRAY_LEN(named); i++)
		if (strlen(named[i][0]) == len && !memcmp(e, named[i][0], len))
			return !buf_adds(out, named[i][1]);
	return false;
}

/* The attribute's text with its entities decoded into out; false when an
 * entity cannot be decoded. */
static bool attr_text(const MD_ATTRIBUTE *a, struct buf *out)
{
	for (int i = 0; a->substr_offsets[i] < a->size; i++) {
		const char *p = a->text + a->substr_offsets[i];
		size_t n = a->substr_offsets[i + 1] - a->substr_offsets[i];

		if (a->substr_types[i] == MD_TEXT_ENTITY) {
			if (!entity_decode(p, n, out))
				return false;
		} else if (a->substr_types[i] == MD_TEXT_NULLCHAR) {
			if (buf_adds(out, "\xEF\xBF\xBD"))
				return false;
		} else if (buf_add(out, p, n)) {
			return false;
		}
	}
	return true;
}

/* Write name="value" for a URL attribute; false when the URL is unsafe. */
static bool url_attr(struct render *r, const char *name, const MD_ATTRIBUTE *a)
{
	struct buf u;
	bool ok;

	buf_init(&u, 1 << 16);
	ok = attr_text(a, &u) && md_url_safe(buf_str(&u), u.len);
	if (ok) {
		r->rc = buf_addf(r->out, " %s=\"", name);
		if (!r->rc)
			r->rc = html_escape(r->out, buf_str(&u), u.len);
		if (!r->rc)
			r->rc = buf_adds(r->out, "\"");
	}
	buf_release(&u);
	return ok;
}

static void title_attr(struct render *r, const MD_ATTRIBUTE *a)
{
	struct buf u;

	if (!a->text || !a->size)
		return;
	buf_init(&u, 1 << 16);
	if (attr_text(a, &u)) {
		r->rc = buf_adds(r->out, " title=\"");
		if (!r->rc)
			r->rc = html_escape(r->out, buf_str(&u), u.len);
		if (!r->rc)
			r->rc = buf_adds(r->out, "\"");
	}
	buf_release(&u);
}

static void put(struct render *r, const char *s)
{
	if (!r->rc && !r->img)
		r->rc = buf_adds(r->out, s);
}

static int enter_block(MD_BLOCKTYPE t, void *detail, void *u)
{
	struct render *r = u;
	static const char *const align[] = {"", " class=\"md-left\"",
					    " class=\"md-center\"",
					    " class=\"md-right\""};

	switch (t) {
	case MD_BLOCK_QUOTE:
		put(r, "<blockquote>\n");
		break;
	case MD_BLOCK_UL:
		put(r, "<ul>\n");
		break;
	case MD_BLOCK_OL: {
		const MD_BLOCK_OL_DETAIL *d = detail;

		if (d->start == 1)
			put(r, "<ol>\n");
		else if (!r->rc)
			r->rc = buf_addf(r->out, "<ol start=\"%u\">\n",
					 d->start);
		break;
	}
	case MD_BLOCK_LI:
		put(r, "<li>");
		break;
	case MD_BLOCK_HR:
		put(r, "<hr>\n");
		break;
	case MD_BLOCK_H: {
		/* h1 is the page's title: an article's headings start at h2. */
		unsigned level = ((const MD_BLOCK_H_DETAIL *)detail)->level;

		if (!r->rc)
			r->rc = buf_addf(r->out, "<h%u>",
					 level < 6 ? level + 1 : 6);
		break;
	}
	case MD_BLOCK_CODE:
		put(r, "<pre><code>");
		break;
	case MD_BLOCK_P:
		put(r, "<p>");
		break;
	case MD_BLOCK_TABLE:
		put(r, "<div class=\"md-table\"><table>\n");
		break;
	case MD_BLOCK_THEAD:
		put(r, "<thead>\n");
		break;
	case MD_BLOCK_TBODY:
		put(r, "<tbody>\n");
		break;
	case MD_BLOCK_TR:
		put(r, "<tr>");
		break;
	case MD_BLOCK_TH:
	case MD_BLOCK_TD: {
		const MD_BLOCK_TD_DETAIL *d = detail;

		if (!r->rc)
			r->rc = buf_addf(r->out, "<%s%s>",
					 t == MD_BLOCK_TH ? "th" : "td",
					 align[d->align & 3]);
		break;
	}
	default:
		break;
	}
	return r->rc ? 1 : 0;
}

static int leave_block(MD_BLOCKTYPE t, void *detail, void *u)
{
	struct render *r = u;

	switch (t) {
	case MD_BLOCK_QUOTE:
		put(r, "</blockquote>\n");
		break;
	case MD_BLOCK_UL:
		put(r, "</ul>\n");
		break;
	case MD_BLOCK_OL:
		put(r, "</ol>\n");
		break;
	case MD_BLOCK_LI:
		put(r, "</li>\n");
		break;
	case MD_BLOCK_H: {
		unsigned level = ((const MD_BLOCK_H_DETAIL *)detail)->level;

		if (!r->rc)
			r->rc = buf_addf(r->out, "</h%u>\n",
					 level < 6 ? level + 1 : 6);
		break;
	}
	case MD_BLOCK_CODE:
		put(r, "</code></pre>\n");
		break;
	case MD_BLOCK_P:
		put(r, "</p>\n");
		break;
	case MD_BLOCK_TABLE:
		put(r, "</table></div>\n");
		break;
	case MD_BLOCK_THEAD:
		put(r, "</thead>\n");
		break;
	case MD_BLOCK_TBODY:
		put(r, "</tbody>\n");
		break;
	case MD_BLOCK_TR:
		put(r, "</tr>\n");
		break;
	case MD_BLOCK_TH:
		put(r, "</th>");
		break;
	case MD_BLOCK_TD:
		put(r, "</td>");
		break;
	default:
		break;
	}
	return r->rc ? 1 : 0;
}

static int enter_span(MD_SPANTYPE t, void *detail, void *u)
{
	struct render *r = u;

	switch (t) {
	case MD_SPAN_EM:
		put(r, "<em>");
		break;
	case MD_SPAN_STRONG:
		put(r, "<strong>");
		break;
	case MD_SPAN_CODE:
		put(r, "<code>");
		break;
	case MD_SPAN_DEL:
		put(r, "<del>");
		break;
	case MD_SPAN_A: {
		const MD_SPAN_A_DETAIL *d = detail;
		bool written = false;

		if (!r->img && !r->rc) {
			size_t mark = r->out->len;

			r->rc = buf_adds(r->out, "<a");
			written = !r->rc && url_attr(r, "href", &d->href);
			if (written) {
				title_attr(r, &d->title);
				put(r, ">");
			} else if (!r->rc) {
				r->out->len = mark; /* drop the "<a" */
				r->out->ptr[mark] = '\0';
			}
		}
		if (r->a_depth < (int)AY_ARRAY_LEN(r->a_stack))
			r->a_stack[r->a_depth] = written;
		r->a_depth++;
		break;
	}
	case MD_SPAN_IMG: {
		const MD_SPAN_IMG_DETAIL *d = detail;

		if (!r->img && !r->rc) {
			size_t mark = r->out->len;

			r->rc = buf_adds(r->out, "<img");
			if (!r->rc && url_attr(r, "src", &d->src)) {
				title_attr(r, &d->title);
				put(r, " loading=\"lazy\" alt=\"");
			} else if (!r->rc) {
				/* An unsafe image shows its alt text. */
				r->out->len = mark;
				r->out->ptr[mark] = '\0';
				r->dead_a++;
				break;
			}
		}
		r->img++;
		break;
	}
	default:
		break;
	}
	return r->rc ? 1 : 0;
}

static int leave_span(MD_SPANTYPE t, void *detail, void *u)
{
	struct render *r = u;

	switch (t) {
	case MD_SPAN_EM:
		put(r, "</em>");
		break;
	case MD_SPAN_STRONG:
		put(r, "</strong>");
		break;
	case MD_SPAN_CODE:
		put(r, "</code>");
		break;
	case MD_SPAN_DEL:
		put(r, "</del>");
		break;
	case MD_SPAN_A:
		r->a_depth--;
		if (r->a_depth < (int)AY_ARRAY_LEN(r->a_stack) &&
		    r->a_stack[r->a_depth])
			put(r, "</a>");
		break;
	case MD_SPAN_IMG:
		if (r->dead_a && !r->img) {
			r->dead_a--;
			break;
		}
		r->img--;
		if (!r->img && !r->rc)
			r->rc = buf_adds(r->out, "\">");
		break;
	default:
		break;
	}
	return r->rc ? 1 : 0;
}

static int text(MD_TEXTTYPE t, const MD_CHAR *s, MD_SIZE n, void *u)
{
	struct render *r = u;

	if (r->rc)
		return 1;
	switch (t) {
	case MD_TEXT_NULLCHAR:
		r->rc = buf_adds(r->out, "\xEF\xBF\xBD");
		break;
	case MD_TEXT_BR:
		r->rc = buf_adds(r->out, r->img ? " " : "<br>\n");
		break;
	case MD_TEXT_SOFTBR:
		r->rc = buf_adds(r->out, r->img ? " " : "\n");
		break;
	case MD_TEXT_ENTITY: {
		/* Decoded then escaped again: only what we write is markup. */
		struct buf e;

		buf_init(&e, 16);
		if (entity_decode(s, n, &e))
			r->rc = html_escape(r->out, buf_str(&e), e.len);
		else
			r->rc = html_escape(r->out, s, n);
		buf_release(&e);
		break;
	}
	default: /* normal, code, and raw HTML (shown as text) */
		r->rc = html_escape(r->out, s, n);
		break;
	}
	return r->rc ? 1 : 0;
}

ay_rc md_to_html(const char *src, size_t len, struct buf *out)
{
	struct render r = {.out = out};
	MD_PARSER p = {
		.abi_version = 0,
		.flags = MD_DIALECT_COMMONMARK | MD_FLAG_NOHTML |
			 MD_FLAG_PERMISSIVEURLAUTOLINKS | MD_FLAG_TABLES |
			 MD_FLAG_STRIKETHROUGH,
		.enter_block = enter_block,
		.leave_block = leave_block,
		.enter_span = enter_span,
		.leave_span = leave_span,
		.text = text,
	};
	int ret = md_parse(src, (MD_SIZE)len, &p, &r);

	if (r.rc)
		return r.rc;
	return ret ? AY_EINVAL : AY_OK;
}
