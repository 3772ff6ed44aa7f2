/* The customer's browser and server, as the support team reads them. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "domain/environment.h"
#include "util/buf.h"
#include "util/i18n.h"

/* --- the browser --- */

/* Copy the digits and dots of a version at s into out[32], stopping at the
 * first other character; '_' becomes '.' (iOS and macOS write 17_1). */
static void version_at(const char *s, char out[32])
{
	size_t n = 0;

	for (; n < 31 && (isdigit((unsigned char)*s) || *s == '.' || *s == '_');
	     s++)
		out[n++] = *s == '_' ? '.' : *s;
	while (n && out[n - 1] == '.')
		n--;
	out[n] = '\0';
}

/* The major part of a version ("120.0.6099" -> "120") in place. */
static void major_only(char *v)
{
	v[strcspn(v, ".")] = '\0';
}

/* The version after token in ua (e.g. "Firefox/"), or false. */
static bool ua_version(const char *ua, const char *token, char out[32])
{
	const char *p = strstr(ua, token);

	if (!p)
		return false;
	version_at(p + strlen(token), out);
	return out[0] != '\0';
}

struct browser {
	char name[48], version[32], os[32], os_version[32];
	int mobile; /* -1 unknown */
};

static void from_user_agent(const char *ua, struct browser *b)
{
	static const struct {
		const char *token, *name;
	} names[] = {
		{"Edg/", "Edge"},
		{"EdgA/", "Edge"},
		{"OPR/", "Opera"},
		{"YaBrowser/", "Yandex"},
		{"SamsungBrowser/", "Samsung Internet"},
		{"Firefox/", "Firefox"},
		{"FxiOS/", "Firefox"},
		{"CriOS/", "Chrome"},
		{"Chrome/", "Chrome"},
	};
	char v[32];

	for (size_t i = 0; i < AY_ARRAY_LEN(names); i++)
		if (ua_version(ua, names[i].token, b->version)) {
			snprintf(b->name, sizeof(b->name), "%s", names[i].name);
			break;
		}
	if (!b->name[0] && strstr(ua, "Safari/") &&
	    ua_version(ua, "Version/", b->version))
		snprintf(b->name, sizeof(b->name), "Safari");
	major_only(b->version);
	if (ua_version(ua, "Windows NT ", v)) {
		snprintf(b->os, sizeof(b->os), "Windows");
		/* NT 10.0 is Windows 10 or 11: only client hints tell. */
		snprintf(b->os_version, sizeof(b->os_version), "%s",
			 !strcmp(v, "10.0")  ? "10"
			 : !strcmp(v, "6.3") ? "8.1"
			 : !strcmp(v, "6.1") ? "7"
					     : v);
	} else if (ua_version(ua, "Android ", b->os_version)) {
		snprintf(b->os, sizeof(b->os), "Android");
	} else if (ua_version(ua, "iPhone OS ", b->os_version) ||
		   ua_version(ua, "CPU OS ", b->os_version)) {
		snprintf(b->os, sizeof(b->os), "iOS");
	} else if (ua_version(ua, "Mac OS X ", b->os_version)) {
		snprintf(b->os, sizeof(b->os), "macOS");
	} else if (strstr(ua, "CrOS")) {
		snprintf(b->os, sizeof(b->os), "ChromeOS");
	} else if (strstr(ua, "Linux")) {
		snprintf(b->os, sizeof(b->os), "Linux");
	}
	if (strstr(ua, "Mobile") || strstr(ua, "iPhone"))
		b->mobile = 1;
}

/* A quoted hint value ("Windows") without its quotes into out. */
static void unquote(const char *s, char *out, size_t cap)
{
	size_t n;

	if (*s == '"')
		s++;
	n = strcspn(s, "\"");
	snprintf(out, cap, "%.*s", (int)n, s);
}

/* The brand of Sec-CH-UA ("Chromium";v="120", "Google Chrome";v="120",
 * "Not_A Brand";v="8"): the first that is neither GREASE nor Chromium,
 * else Chromium. */
static void brand_from_hint(const char *list, struct browser *b)
{
	const char *p = list;
	char brand[48], ver[32], chromium[32] = "";

	while ((p = strchr(p, '"'))) {
		const char *v;

		unquote(p, brand, sizeof(brand));
		p = strchr(p + 1, '"');
		if (!p)
			break;
		v = strstr(p, "v=\"");
		if (!v)
			break;
		version_at(v + 3, ver);
		p = strchr(v + 3, '"');
		if (!p)
			break;
		p = strchr(p + 1, ',');
		if (strstr(brand, "Not") && strstr(brand, "Brand"))
			goto next;
		if (!strcmp(brand, "Chromium")) {
			snprintf(chromium, sizeof(chromium), "%s", ver);
			goto next;
		}
		snprintf(b->name, sizeof(b->name), "%s",
			 !strcmp(brand, "Google Chrome")    ? "Chrome"
			 : !strcmp(brand, "Microsoft Edge") ? "Edge"
							    : brand);
		snprintf(b->version, sizeof(b->version), "%s", ver);
		return;
	next:
		if (!p)
			break;
	}
	if (chromium[0]) {
		snprintf(b->name, sizeof(b->name), "Chromium");
		snprintf(b->version, sizeof(b->version), "%s", chromium);
	}
}

static void from_hints(json_t *hints, struct browser *b)
{
	const char *ua = json_string_value(json_object_get(hints, "sec-ch-ua"));
	const char *full = json_string_value(
		json_object_get(hints, "sec-ch-ua-full-version-list"));
	const char *os =
		json_string_value(json_object_get(hints, "sec-ch-ua-platform"));
	const char *osv = json_string_value(
		json_object_get(hints, "sec-ch-ua-platform-version"));
	const char *mobile =
		json_string_value(json_object_get(hints, "sec-ch-ua-mobile"));
	char v[32];

	if (full || ua) {
		brand_from_hint(full ? full : ua, b);
		major_only(b->version);
	}
	if (os) {
		/* The platform's version comes from its own hint; the
		 * User-Agent's is frozen on Windows and macOS. */
		unquote(os, v, sizeof(v));
		if (strcmp(v, b->os) || !strcmp(v, "macOS") ||
		    !strcmp(v, "Windows"))
			b->os_version[0] = '\0';
		snprintf(b->os, sizeof(b->os), "%s", v);
	}
	if (osv) {
		unquote(osv, v, sizeof(v));
		/* Windows reports 13 and above for Windows 11, 1 to 10 for
		 * Windows 10. */
		if (!strcmp(b->os, "Windows") && v[0])
			snprintf(b->os_version, sizeof(b->os_version), "%s",
				 atoi(v) >= 13 ? "11" : "10");
		else if (v[0])
			snprintf(b->os_version, sizeof(b->os_version), "%s", v);
	}
	if (mobile)
		b->mobile = !strcmp(mobile, "?1");
}

static json_t *text_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

json_t *env_browser(const char *user_agent, json_t *hints, const char *lang)
{
	struct browser b = {.mobile = -1};
	char summary[200], who[96], where[80];

	if (user_agent)
		from_user_agent(user_agent, &b);
	if (json_is_object(hints))
		from_hints(hints, &b);
	snprintf(who, sizeof(who), "%s%s%s",
		 b.name[0] ? b.name : _L(lang, "navegador desconocido"),
		 b.version[0] ? " " : "", b.version);
	snprintf(where, sizeof(where), "%s%s%s", b.os,
		 b.os_version[0] ? " " : "", b.os_version);
	if (b.os[0])
		snprintf(summary, sizeof(summary), _L(lang, "%s en %s"), who,
			 where);
	else
		snprintf(summary, sizeof(summary), "%s", who);
	return json_pack("{s:o,s:o,s:o,s:o,s:o,s:s}", "name",
			 text_or_null(b.name), "version",
			 text_or_null(b.version), "os", text_or_null(b.os),
			 "os_version", text_or_null(b.os_version), "mobile",
			 b.mobile < 0 ? json_null() : json_boolean(b.mobile),
			 "summary", summary);
}

/* --- the server: phpinfo() output --- */

/* Append the text of HTML s[0..n) to out: tags dropped, a few entities
 * decoded, blanks folded, trimmed. */
static ay_rc html_text(const char *s, size_t n, struct buf *out)
{
	static const struct {
		const char *ent, *ch;
	} ents[] = {{"&amp;", "&"},   {"&lt;", "<"},   {"&gt;", ">"},
		    {"&quot;", "\""}, {"&#039;", "'"}, {"&nbsp;", " "}};
	bool space = false;
	ay_rc rc = AY_OK;

	for (size_t i = 0; !rc && i < n; i++) {
		const char *ch = NULL;
		size_t skip = 0;

		if (s[i] == '<') {
			const char *end = memchr(s + i, '>', n - i);

			i = end ? (size_t)(end - s) : n;
			continue;
		}
		for (size_t k = 0; s[i] == '&' && k < AY_ARRAY_LEN(ents); k++)
			if (!strncmp(s + i, ents[k].ent, strlen(ents[k].ent))) {
				ch = ents[k].ch;
				skip = strlen(ents[k].ent) - 1;
			}
		if (isspace((unsigned char)s[i]) || (ch && *ch == ' ')) {
			space = out->len > 0;
			i += skip;
			continue;
		}
		if (space)
			rc = buf_addc(out, ' ');
		space = false;
		if (!rc)
			rc = ch ? buf_adds(out, ch) : buf_addc(out, s[i]);
		i += skip;
	}
	return rc;
}

/* phpinfo() as "key => value" lines, whatever its form: the HTML tables'
 * rows become lines of their cells joined by " => "; `php -i` text is that
 * already. */
static ay_rc as_lines(const char *s, size_t n, struct buf *out)
{
	const char *end = s + n, *p = s;
	ay_rc rc = AY_OK;

	if (!memmem(s, n, "<tr", 3) && !memmem(s, n, "<h1", 3))
		return buf_add(out, s, n);
	while (!rc && p < end) {
		const char *row = memmem(p, (size_t)(end - p), "<tr", 3);
		const char *h1 = memmem(p, (size_t)(end - p), "<h1", 3);
		const char *close, *cell;
		bool first = true;

		if (h1 && (!row || h1 < row)) {
			/* <h1 class="p">PHP Version 8.1.2</h1> */
			close = memmem(h1, (size_t)(end - h1), "</h1>", 5);
			close = close ? close : end;
			rc = html_text(h1, (size_t)(close - h1), out);
			if (!rc)
				rc = buf_addc(out, '\n');
			p = close;
			continue;
		}
		if (!row)
			break;
		close = memmem(row, (size_t)(end - row), "</tr>", 5);
		close = close ? close : end;
		cell = row;
		while (!rc && (cell = memmem(cell, (size_t)(close - cell),
					     "<td", 3))) {
			const char *cend = memmem(cell, (size_t)(close - cell),
						  "</td>", 5);

			cend = cend ? cend : close;
			if (!first)
				rc = buf_adds(out, " => ");
			if (!rc)
				rc = html_text(cell, (size_t)(cend - cell),
					       out);
			first = false;
			cell = cend;
		}
		if (!rc)
			rc = buf_addc(out, '\n');
		p = close;
	}
	return rc;
}

/* The value of the first line "key => value" (or "key value" for the
 * version heading) of lines, trimmed, into out. */
static bool line_value(const char *lines, const char *key, char *out,
		       size_t cap)
{
	size_t klen = strlen(key);
	const char *p = lines;

	while (p && *p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);

		while (len && isspace((unsigned char)*p)) {
			p++;
			len--;
		}
		if (len > klen && !strncasecmp(p, key, klen) &&
		    (p[klen] == ' ' || p[klen] == '\t')) {
			const char *v = p + klen;
			size_t n;

			while (*v == ' ' || *v == '\t')
				v++;
			if (!strncmp(v, "=> ", 3))
				v += 3;
			n = (size_t)(p + len - v);
			/* "memory_limit => 128M => 128M": the local value. */
			if (memmem(v, n, " => ", 4))
				n = (size_t)((const char *)memmem(v, n, " => ",
								  4) -
					     v);
			while (n && isspace((unsigned char)v[n - 1]))
				n--;
			if (n && n < cap) {
				memcpy(out, v, n);
				out[n] = '\0';
				return true;
			}
		}
		p = eol ? eol + 1 : NULL;
	}
	return false;
}

json_t *env_server(const char *text, size_t len)
{
	static const struct {
		const char *name;
		const char *keys[3]; /* tried in order */
	} fields[] = {
		{"php_version", {"PHP Version"}},
		{"system", {"System"}},
		{"server_software",
		 {"$_SERVER['SERVER_SOFTWARE']", "Apache Version",
		  "_SERVER[\"SERVER_SOFTWARE\"]"}},
		{"server_api", {"Server API"}},
		{"database",
		 {"Client API library version", "Client API version",
		  "PDO Driver for MySQL"}},
		{"memory_limit", {"memory_limit"}},
		{"max_execution_time", {"max_execution_time"}},
		{"upload_max_filesize", {"upload_max_filesize"}},
		{"post_max_size", {"post_max_size"}},
		{"date_timezone", {"date.timezone"}},
		{"mbstring_func_overload", {"mbstring.func_overload"}},
		{"opcache", {"opcache.enable"}},
	};
	struct buf lines;
	json_t *o = NULL;
	char v[256], php[64] = "", server[128] = "", os[64] = "";
	char summary[400];

	buf_init(&lines, AY_SERVER_INFO_MAX * 2);
	if (!text || as_lines(text, len, &lines) || !lines.ptr)
		goto out;
	if (!line_value(buf_str(&lines), "PHP Version", php, sizeof(php)))
		goto out;
	o = json_object();
	for (size_t i = 0; o && i < AY_ARRAY_LEN(fields); i++) {
		bool found = false;

		for (size_t k = 0; !found && k < 3 && fields[i].keys[k]; k++)
			found = line_value(buf_str(&lines), fields[i].keys[k],
					   v, sizeof(v));
		json_object_set_new(o, fields[i].name,
				    found ? json_string(v) : json_null());
	}
	/* "Linux web1 5.15.0-91-generic #101-Ubuntu SMP ... x86_64": the
	 * system's name, the host name left out. */
	snprintf(os, sizeof(os), "%s",
		 json_string_value(json_object_get(o, "system"))
			 ? json_string_value(json_object_get(o, "system"))
			 : "");
	os[strcspn(os, " ")] = '\0';
	snprintf(server, sizeof(server), "%s",
		 json_string_value(json_object_get(o, "server_software"))
			 ? json_string_value(
				   json_object_get(o, "server_software"))
			 : "");
	snprintf(summary, sizeof(summary), "PHP %s%s%s%s%s", php,
		 server[0] ? ", " : "", server, os[0] ? ", " : "", os);
	json_object_set_new(o, "summary", json_string(summary));
out:
	buf_release(&lines);
	return o;
}

/* --- storage --- */

ay_rc env_store(struct db *db, int64_t ticket_id, json_t *hints,
		const char *server_info, struct verr *err)
{
	char *text = NULL;
	json_t *summary = NULL;
	char *stext = NULL;
	ay_rc rc;

	if (server_info && strlen(server_info) > AY_SERVER_INFO_MAX) {
		verr_set(err, "server_info",
			 "la salida de info.php supera los 2 MiB");
		return AY_ETOOBIG;
	}
	if (server_info) {
		summary = env_server(server_info, strlen(server_info));
		if (!summary) {
			verr_set(err, "server_info",
				 "no parece la salida de info.php (phpinfo()): "
				 "falta la versión de PHP");
			return AY_EINVAL;
		}
		stext = json_dumps(summary, JSON_COMPACT);
		json_decref(summary);
		if (!stext)
			return AY_ENOMEM;
	}
	if (json_object_size(hints)) {
		text = json_dumps(hints, JSON_COMPACT | JSON_SORT_KEYS);
		if (!text) {
			free(stext);
			return AY_ENOMEM;
		}
	}
	rc = db_run(db, NULL, NULL,
		    "UPDATE tickets SET client_hints = COALESCE($2,"
		    " client_hints), server_info = COALESCE($3, server_info),"
		    " server_summary = COALESCE($4, server_summary)"
		    " WHERE id = $1",
		    "isss", ticket_id, text, server_info, stext);
	free(text);
	free(stext);
	return rc;
}

static const char env_sql[] = "SELECT user_agent, client_hints, server_summary"
			      " FROM tickets WHERE id = $1";

ay_rc env_prefetch(struct db *db, int64_t ticket_id)
{
	return db_prefetch(db, env_sql, "i", ticket_id);
}

ay_rc env_json(struct db *db, int64_t ticket_id, const char *lang, json_t **out)
{
	struct db_stmt *s = NULL;
	json_t *hints = NULL, *browser, *server = NULL;
	bool row = false;
	ay_rc rc;

	*out = NULL;
	rc = db_run(db, &s, &row, env_sql, "i", ticket_id);
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	if (!db_col_null(s, 1))
		hints = json_loads(db_col_text(s, 1), 0, NULL);
	if (!db_col_null(s, 2))
		server = json_loads(db_col_text(s, 2), 0, NULL);
	/* A ticket that came by mail has no browser. */
	browser = db_col_null(s, 0) && !hints
			  ? json_null()
			  : env_browser(db_col_text(s, 0), hints, lang);
	if (json_is_object(browser)) {
		json_object_set_new(browser, "user_agent", json_col_text(s, 0));
		json_object_set_new(browser, "client_hints",
				    hints ? json_incref(hints) : json_null());
	}
	if (browser)
		*out = json_pack("{s:o,s:o}", "browser", browser, "server",
				 server ? server : json_null());
	else
		json_decref(server);
	db_reset(s);
	json_decref(hints);
	return *out ? AY_OK : AY_ENOMEM;
}

ay_rc env_server_info(struct db *db, int64_t ticket_id, char **text)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	*text = NULL;
	rc = db_run(db, &s, &row,
		    "SELECT server_info FROM tickets WHERE id = $1"
		    " AND server_info IS NOT NULL",
		    "i", ticket_id);
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	*text = strdup(db_col_text(s, 0));
	db_reset(s);
	return *text ? AY_OK : AY_ENOMEM;
}
