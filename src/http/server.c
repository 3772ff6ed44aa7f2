/* libmicrohttpd glue: request lifecycle, body limits, auth, deferred writes
 * (suspend/resume around the group-commit writer), logging and metrics. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "domain/account.h"
#include "domain/user.h"
#include "domain/vault.h"
#include "http/authcache.h"
#include "http/ticket_cache.h"
#include "http/http.h"
#include "http/static.h"
#include "util/log.h"
#include "util/netaddr.h"

#define RATE_SLOTS 4096

struct rate_slot {
	uint64_t key;
	double tokens;
	int64_t last_ns;
};

struct http_server {
	struct MHD_Daemon *d;
	struct store *st;
	const struct ay_config *cfg;
	int port;
	pthread_mutex_t rate_lock;
	struct rate_slot *rate;
	struct vault_key *vault; /* sodium_malloc'd; NULL: vault unavailable */
	struct auth_cache *auth; /* resolved tokens and sessions */
	struct ticket_cache *tcache; /* tickets' answers; NULL: none */
	/* Requests suspended on the writer and not yet completed: the stop
	 * waits for them (MHD aborts when stopped with one suspended). */
	atomic_int deferred;
	atomic_bool stopping; /* new writes get 503 */
};

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

struct store *http_store(struct http_req *r)
{
	return r->srv->st;
}

const struct ay_config *http_config(struct http_req *r)
{
	return r->srv->cfg;
}

const struct vault_key *http_vault_key(struct http_req *r)
{
	return r->srv->vault;
}

void http_json(struct http_req *r, int status, json_t *body)
{
	json_decref(r->json);
	r->status = status;
	r->json = body;
}

void http_json_text(struct http_req *r, int status, char *text, size_t len)
{
	json_decref(r->json);
	r->json = NULL;
	free(r->json_text);
	r->status = status;
	r->json_text = text;
	r->json_text_len = len;
}

struct ticket_cache *http_ticket_cache(struct http_req *r)
{
	return r->srv->tcache;
}

void http_error(struct http_req *r, int status, const char *code,
		const char *msg)
{
	http_json(r, status,
		  json_pack("{s:{s:s,s:s}}", "error", "code", code, "message",
			    msg));
}

void http_error_rc(struct http_req *r, ay_rc rc)
{
	json_t *e;

	switch (rc) {
	case AY_EINVAL:
		e = json_pack("{s:{s:s,s:s,s:s}}", "error", "code",
			      "validation_failed", "message",
			      r->verr.msg[0] ? r->verr.msg : "datos no válidos",
			      "field", r->verr.field);
		http_json(r, 422, e);
		break;
	case AY_ENOTFOUND:
		http_error(r, 404, "not_found", "no encontrado");
		break;
	case AY_EPERM:
		/* Visible but not allowed for this caller. */
		e = json_pack("{s:{s:s,s:s}}", "error", "code", "forbidden",
			      "message",
			      r->verr.msg[0] ? r->verr.msg
					     : "operación no permitida");
		http_json(r, 403, e);
		break;
	case AY_ECONFLICT:
		/* With the field the conflict is about, when known (a
		 * company's "max_contacts"). */
		e = json_pack("{s:{s:s,s:s}}", "error", "code", "conflict",
			      "message",
			      r->verr.msg[0] ? r->verr.msg : "conflicto");
		if (e && r->verr.field[0])
			json_object_set_new(json_object_get(e, "error"),
					    "field",
					    json_string(r->verr.field));
		http_json(r, 409, e);
		break;
	case AY_ETOOBIG:
		http_error(r, 413, "too_large",
			   r->verr.msg[0] ? r->verr.msg
					  : "la solicitud es demasiado grande");
		break;
	case AY_EBUSY:
		http_error(r, 503, "unavailable",
			   "servicio ocupado, reintente en unos segundos");
		break;
	case AY_ENOSPC:
		/* Nothing was kept: the transaction was rolled back. */
		r->retry_after = 300;
		http_error(r, 503, "storage_full",
			   "el servidor se ha quedado sin espacio en disco y "
			   "no ha guardado nada; reintente en unos minutos");
		break;
	default:
		http_error(r, 500, "internal",
			   "error interno; el equipo ha sido avisado");
		break;
	}
}

void http_read_json(struct http_req *r, http_read_fn fn)
{
	struct db *db;
	json_t *out = NULL;
	ay_rc rc = store_reader(r->srv->st, &db);

	if (!rc)
		rc = fn(db, r, &out);
	if (rc) {
		http_error_rc(r, rc);
		return;
	}
	http_json(r, 200, out);
}

const char *http_query(struct http_req *r, const char *key)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
}

bool http_known_fields(struct http_req *r, const char *const *keys)
{
	const char *key;
	json_t *v;

	json_object_foreach (r->in, key, v) {
		size_t i = 0;

		while (keys[i] && strcmp(keys[i], key))
			i++;
		if (keys[i])
			continue;
		snprintf(r->verr.field, sizeof(r->verr.field), "%s", key);
		snprintf(r->verr.msg, sizeof(r->verr.msg),
			 "campo desconocido: «%.64s»", key);
		http_error_rc(r, AY_EINVAL);
		return false;
	}
	return true;
}

bool http_flags_body(struct http_req *r, const char *const *keys)
{
	const char *key;
	json_t *v;

	if (!r->body.len)
		return true;
	r->in = http_body_json(r);
	if (!r->in || !http_known_fields(r, keys))
		return false;
	json_object_foreach (r->in, key, v) {
		if (json_is_boolean(v))
			continue;
		verr_set(&r->verr, key, "se espera true o false");
		http_error_rc(r, AY_EINVAL);
		return false;
	}
	return true;
}

json_t *http_body_json(struct http_req *r)
{
	const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						     "Content-Type");
	json_error_t jerr;
	json_t *j;

	if (!ct || strncasecmp(ct, "application/json", 16) ||
	    (ct[16] && ct[16] != ';' && ct[16] != ' ')) {
		http_error(r, 415, "unsupported_media_type",
			   "se espera Content-Type: application/json");
		return NULL;
	}
	j = json_loadb(r->body.ptr ? r->body.ptr : "", r->body.len,
		       JSON_REJECT_DUPLICATES, &jerr);
	if (!j) {
		char msg[256];

		snprintf(msg, sizeof(msg), "JSON mal formado: %s", jerr.text);
		http_error(r, 400, "malformed_json", msg);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		http_error(r, 400, "malformed_json",
			   "se espera un objeto JSON");
		return NULL;
	}
	return j;
}

static void deferred_done(void *arg, ay_rc rc)
{
	struct http_req *r = arg;

	/* The job set the response (a JSON body, or 204 No Content); a
	 * failed commit overrides it. */
	if (rc == AY_EDB || rc == AY_EBUSY || rc == AY_ENOMEM ||
	    rc == AY_ENOSPC || (!r->json && rc == AY_OK && r->status != 204))
		http_error_rc(r, rc == AY_OK ? AY_EDB : rc);
	r->completed = true;
	MHD_resume_connection(r->conn);
}

static ay_rc deferred_run(struct db *db, void *arg)
{
	struct http_req *r = arg;

	return r->job(db, r);
}

void http_defer(struct http_req *r, http_job_fn fn)
{
	r->job = fn;
}

static bool rate_ok(struct http_server *s, const char *client)
{
	uint64_t h = 1469598103934665603ULL;
	struct rate_slot *slot;
	int64_t now = mono_ns();
	bool ok;

	if (!s->cfg->rate_limit)
		return true;
	for (const char *p = client; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	pthread_mutex_lock(&s->rate_lock);
	slot = &s->rate[h % RATE_SLOTS];
	if (slot->key != h) {
		slot->key = h;
		slot->tokens = s->cfg->rate_burst;
		slot->last_ns = now;
	}
	slot->tokens +=
		(double)(now - slot->last_ns) / 1e9 * s->cfg->rate_limit;
	if (slot->tokens > s->cfg->rate_burst)
		slot->tokens = s->cfg->rate_burst;
	slot->last_ns = now;
	ok = slot->tokens >= 1.0;
	if (ok)
		slot->tokens -= 1.0;
	pthread_mutex_unlock(&s->rate_lock);
	return ok;
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* Match path against a pattern; '#' matches a positive decimal number,
 * '*' a name of up to AY_PARAM_MAX - 1 characters [A-Za-z0-9_-]. */
static bool route_match(const char *pat, const char *path, int64_t *num,
			char param[AY_PARAM_MAX])
{
	while (*pat && *path) {
		if (*pat == '*') {
			size_t n = 0;

			while (name_char(*path) && n < AY_PARAM_MAX - 1)
				param[n++] = *path++;
			param[n] = '\0';
			if (!n || name_char(*path))
				return false;
			pat++;
			continue;
		}
		if (*pat == '#') {
			int64_t v = 0;
			int digits = 0;

			while (*path >= '0' && *path <= '9' && digits < 16) {
				v = v * 10 + (*path++ - '0');
				digits++;
			}
			if (!digits || v <= 0)
				return false;
			*num = v;
			pat++;
			continue;
		}
		if (*pat++ != *path++)
			return false;
	}
	return !*pat && !*path;
}

struct touch_job {
	char token[80];
};

static ay_rc touch_run(struct db *db, void *arg)
{
	return token_touch(db, ((struct touch_job *)arg)->token);
}

static void touch_done(void *arg, ay_rc rc)
{
	(void)rc;
	free(arg);
}

struct session_touch_job {
	char id[68];
};

static ay_rc session_touch_run(struct db *db, void *arg)
{
	return session_touch(db, ((struct session_touch_job *)arg)->id);
}

static bool safe_method(const char *m)
{
	return !strcmp(m, "GET") || !strcmp(m, "HEAD") || !strcmp(m, "OPTIONS");
}

/* The auth epoch to tag this request's lookups with, read before its
 * first query; read from the database again once a second, for changes
 * made by other processes (authcache.h). */
static int64_t auth_epoch_of(struct http_req *r, struct db *db)
{
	struct auth_cache *c = r->srv->auth;
	int64_t e = auth_cache_epoch(c), fresh;

	if (auth_cache_refresh_due(c) && !auth_epoch_get(db, &fresh)) {
		auth_cache_publish(c, fresh);
		e = fresh;
	}
	return e;
}

/* Resolve a secret of kind into *e: from the cache, else from the
 * database (and then into the cache). */
static ay_rc resolve(struct http_req *r, enum auth_kind kind,
		     const char *secret, struct auth_entry *e)
{
	struct auth_cache *c = r->srv->auth;
	int64_t uid = 0, now = ay_now(), epoch;
	struct db *db;
	ay_rc rc;

	rc = store_reader(r->srv->st, &db);
	if (rc)
		return rc;
	epoch = auth_epoch_of(r, db);
	if (auth_cache_find(c, kind, secret, now, e)) {
		metrics_auth_lookup(true);
		return AY_OK;
	}
	metrics_auth_lookup(false);
	memset(e, 0, sizeof(*e));
	if (kind == AUTH_TOKEN)
		rc = token_resolve(db, secret, &uid, &e->last, &e->expires);
	else
		rc = session_resolve(db, secret, now, &uid, &e->last,
				     &e->expires);
	if (!rc)
		rc = actor_load(db, uid, &e->actor);
	if (!rc)
		auth_cache_put(c, kind, secret, epoch, e);
	return rc;
}

/* Resolve the session cookie into r->actor. A state-changing request must
 * carry the session's CSRF token in X-CSRF-Token: AY_EPERM otherwise. */
static ay_rc authenticate_cookie(struct http_req *r, const char *id)
{
	struct auth_entry e;
	ay_rc rc;

	rc = resolve(r, AUTH_SESSION, id, &e);
	if (rc)
		return rc;
	if (!safe_method(r->method) &&
	    !session_csrf_ok(id, MHD_lookup_connection_value(r->conn,
							     MHD_HEADER_KIND,
							     "X-CSRF-Token")))
		return AY_EPERM;
	r->actor = e.actor;
	snprintf(r->session, sizeof(r->session), "%s", id);
	r->authed = true;
	if (ay_now() - e.last > 60) {
		struct session_touch_job *t = calloc(1, sizeof(*t));

		if (t) {
			snprintf(t->id, sizeof(t->id), "%s", id);
			if (store_submit(r->srv->st, session_touch_run,
					 touch_done, t))
				free(t);
			else
				auth_cache_touched(r->srv->auth, AUTH_SESSION,
						   id, ay_now());
		}
	}
	return AY_OK;
}

/* Resolve the Bearer token, or else the session cookie, into r->actor. */
static ay_rc authenticate(struct http_req *r)
{
	const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						    "Authorization");
	struct auth_entry e;
	ay_rc rc;

	if (!h) {
		const char *sid = MHD_lookup_connection_value(
			r->conn, MHD_COOKIE_KIND, "ayuda_session");

		return sid ? authenticate_cookie(r, sid) : AY_ENOTFOUND;
	}
	if (strncasecmp(h, "Bearer ", 7))
		return AY_ENOTFOUND;
	h += 7;
	while (*h == ' ')
		h++;
	rc = resolve(r, AUTH_TOKEN, h, &e);
	if (rc)
		return rc;
	r->actor = e.actor;
	r->authed = true;
	if (ay_now() - e.last > 60 &&
	    strlen(h) < sizeof(((struct touch_job *)0)->token)) {
		struct touch_job *t = calloc(1, sizeof(*t));

		if (t) {
			snprintf(t->token, sizeof(t->token), "%s", h);
			if (store_submit(r->srv->st, touch_run, touch_done, t))
				free(t);
			else
				auth_cache_touched(r->srv->auth, AUTH_TOKEN, h,
						   ay_now());
		}
	}
	return AY_OK;
}

void http_redirect(struct http_req *r, int status, const char *location)
{
	snprintf(r->location, sizeof(r->location), "%s", location);
	r->status = status;
	r->cache_control = "no-store";
}

void http_auth_optional(struct http_req *r)
{
	if (!r->authed && authenticate(r))
		memset(&r->actor, 0, sizeof(r->actor));
}

static void dispatch_route(struct http_req *r, size_t i);

static void dispatch(struct http_req *r)
{
	bool path_known = false;
	size_t i;

	for (i = 0; i < http_nroutes; i++) {
		int64_t num = 0;

		if (!route_match(http_routes[i].pattern, r->path, &num,
				 r->param))
			continue;
		path_known = true;
		if (strcmp(http_routes[i].method, r->method))
			continue;
		r->route = (int)i;
		r->number = num;
		break;
	}
	if (i == http_nroutes) {
		if (static_serve(r))
			return;
		if (path_known)
			http_error(r, 405, "method_not_allowed",
				   "método no permitido");
		else
			http_error(r, 404, "not_found", "no encontrado");
		return;
	}
	if (!rate_ok(r->srv, r->client)) {
		http_error(r, 429, "too_many_requests",
			   "demasiadas solicitudes; espere un momento");
		return;
	}
	/* A read sees one snapshot and locks the database once. */
	if (safe_method(r->method)) {
		struct db *db;

		if (store_read_begin(r->srv->st, &db))
			store_read_end(r->srv->st);
	}
	dispatch_route(r, i);
	store_read_end(r->srv->st);
}

static void dispatch_route(struct http_req *r, size_t i)
{
	ay_rc rc;

	if (http_routes[i].auth) {
		rc = authenticate(r);
		if (rc == AY_ENOTFOUND) {
			http_error(r, 401, "unauthorized",
				   "se requiere autenticación");
			return;
		}
		if (rc == AY_EPERM) {
			http_error(r, 403, "csrf",
				   "falta el token CSRF de la sesión o no es "
				   "válido (cabecera X-CSRF-Token)");
			return;
		}
		if (rc) {
			http_error_rc(r, rc);
			return;
		}
	}
	http_routes[i].fn(r);
}

/* A read's JSON gets a strong tag of its bytes, and a client that has them
 * already (If-None-Match) a 304 without them: a page that polls a ticket
 * transfers nothing until it changes. */
static void json_etag(struct http_req *r, char **text, size_t *len)
{
	uint64_t h = 1469598103934665603ULL;

	if (!*text || r->status != 200 || strcmp(r->method, "GET"))
		return;
	for (size_t i = 0; i < *len; i++)
		h = (h ^ (unsigned char)(*text)[i]) * 1099511628211ULL;
	snprintf(r->etag, sizeof(r->etag), "\"j%016llx\"",
		 (unsigned long long)h);
	if (http_etag_matches(MHD_lookup_connection_value(r->conn,
							  MHD_HEADER_KIND,
							  "If-None-Match"),
			      r->etag)) {
		r->status = 304;
		free(*text);
		*text = NULL;
		*len = 0;
	}
}

static enum MHD_Result send_response(struct http_req *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	char *text = NULL;
	size_t len = 0;

	if (r->json || r->json_text) {
		if (r->json) {
			text = http_json_dump(r->json, &len);
		} else {
			text = r->json_text;
			len = r->json_text_len;
			r->json_text = NULL;
		}
		r->ctype = "application/json";
		json_etag(r, &text, &len);
	} else if (r->out.ptr) {
		text = buf_take(&r->out, &len);
	}
	if (!r->status)
		r->status = 500;
	if (r->body_static && !text)
		resp = MHD_create_response_from_buffer(r->body_static_len,
						       (void *)r->body_static,
						       MHD_RESPMEM_PERSISTENT);
	else
		resp = MHD_create_response_from_buffer(
			len, text ? text : (char *)"",
			text ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (!resp) {
		free(text);
		return MHD_NO;
	}
	if (r->ctype)
		MHD_add_response_header(resp, "Content-Type", r->ctype);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "X-Frame-Options",
				r->frame_self ? "SAMEORIGIN" : "DENY");
	/* The browser's platform version and full version come with the
	 * next requests (a new ticket records them for the support team,
	 * policy 7.4.5). */
	MHD_add_response_header(resp, "Accept-CH",
				"Sec-CH-UA-Platform-Version,"
				" Sec-CH-UA-Full-Version-List");
	/* No inline script anywhere; HTML from mail gets its own sandbox
	 * policy (api_account.c). */
	MHD_add_response_header(
		resp, "Content-Security-Policy",
		r->csp ? r->csp
		       : "default-src 'self'; script-src 'self';"
			 " connect-src 'self'; img-src 'self' data: blob:;"
			 " object-src 'none'; base-uri 'none';"
			 " form-action 'self'; frame-ancestors 'none'");
	MHD_add_response_header(resp, "Cache-Control",
				r->cache_control ? r->cache_control
						 : "no-store");
	if (r->etag[0])
		MHD_add_response_header(resp, "ETag", r->etag);
	if (r->encoding)
		MHD_add_response_header(resp, "Content-Encoding", r->encoding);
	if (r->vary_encoding)
		MHD_add_response_header(resp, "Vary", "Accept-Encoding");
	if (r->set_cookie)
		MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
	if (r->location[0])
		MHD_add_response_header(resp, "Location", r->location);
	if (r->close)
		MHD_add_response_header(resp, "Connection", "close");
	if (r->disposition)
		MHD_add_response_header(resp, "Content-Disposition",
					r->disposition);
	if (r->retry_after > 0) {
		char ra[24];

		snprintf(ra, sizeof(ra), "%d", r->retry_after);
		MHD_add_response_header(resp, "Retry-After", ra);
	}
	ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void client_addr(struct MHD_Connection *c, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);

	snprintf(out, n, "-");
	if (!ci || !ci->client_addr)
		return;
	if (ci->client_addr->sa_family == AF_INET)
		inet_ntop(AF_INET,
			  &((const struct sockaddr_in *)ci->client_addr)
				   ->sin_addr,
			  out, (socklen_t)n);
	else if (ci->client_addr->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
			  &((const struct sockaddr_in6 *)ci->client_addr)
				   ->sin6_addr,
			  out, (socklen_t)n);
}

struct xff {
	struct buf b;
	bool bad; /* too long: not used */
};

/* MHD_get_connection_values callback: append each X-Forwarded-For value
 * to the buffer, comma-separated, in the order received. */
static enum MHD_Result add_xff(void *cls, enum MHD_ValueKind kind,
			       const char *key, const char *value)
{
	struct xff *x = cls;

	(void)kind;
	if (x->bad || strcasecmp(key, "X-Forwarded-For") || !value)
		return MHD_YES;
	if ((x->b.len && buf_addc(&x->b, ',')) || buf_adds(&x->b, value))
		x->bad = true;
	return MHD_YES;
}

/* The client: the peer, or what a trusted proxy says in X-Forwarded-For
 * (every such header counts; a proxy may add a line of its own). */
static void client_of(const struct ay_config *cfg, struct MHD_Connection *c,
		      char *out, size_t n)
{
	struct xff x = {.bad = false};
	char peer[64];

	client_addr(c, peer, sizeof(peer));
	snprintf(out, n, "%s", peer);
	if (!cfg->trusted_proxies[0] ||
	    !net_in_list(peer, cfg->trusted_proxies))
		return;
	buf_init(&x.b, 8192);
	MHD_get_connection_values(c, MHD_HEADER_KIND, add_xff, &x);
	if (!x.bad && x.b.len)
		net_client_addr(peer, buf_str(&x.b), cfg->trusted_proxies, out,
				n);
	buf_release(&x.b);
}

/* The largest body a request may carry: a file upload may be as large as
 * an attachment; everything else is JSON under max_request. */
static size_t body_limit(const struct ay_config *cfg, const char *method,
			 const char *url)
{
	if (!strcmp(method, "POST") && !strcmp(url, "/api/v1/uploads") &&
	    cfg->max_attachment > cfg->max_request)
		return cfg->max_attachment;
	return cfg->max_request;
}

/* libmicrohttpd's URI log callback, called with the request target as
 * received, before it is decoded: the request's state starts here (the
 * return value becomes *req_cls), so that the target can be checked. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct http_req *r = calloc(1, sizeof(*r));

	(void)cls;
	(void)conn;
	if (!r)
		return NULL;
	r->route = -1;
	r->t0 = mono_ns();
	buf_init(&r->body, 0);
	buf_init(&r->out, 0);
	http_frame_uri(&r->frame, uri);
	return r;
}

/* The first call for a request: fill in its state and check its framing.
 * MHD_NO drops the connection. */
static enum MHD_Result on_first(struct http_server *s, struct http_req *r,
				struct MHD_Connection *conn, const char *url,
				const char *method, const char *version)
{
	const char *cl;

	r->srv = s;
	r->conn = conn;
	r->method = method;
	r->path = strdup(url);
	buf_init(&r->body, body_limit(s->cfg, method, url));
	client_of(s->cfg, conn, r->client, sizeof(r->client));
	if (!r->path)
		return MHD_NO;
	if (http_frame_check(&r->frame, conn, method, url, version)) {
		/* Whatever follows on this connection cannot be trusted to
		 * be framed as the client means: answer and close. */
		r->close = true;
		http_error(r, r->frame.status,
			   r->frame.status == 414 ? "uri_too_long"
						  : "bad_request",
			   r->frame.why);
		return send_response(r);
	}
	cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
					 "Content-Length");
	/* Far too large: refuse at once and drop the connection. Merely too
	 * large: read and discard the body, then answer 413, so that the
	 * client sees the answer. */
	if (cl && strtoull(cl, NULL, 10) / 16 > r->body.max) {
		http_error(r, 413, "too_large",
			   "la solicitud es demasiado grande");
		return send_response(r);
	}
	return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **req_cls)
{
	struct http_server *s = cls;
	struct http_req *r = *req_cls;

	if (!r)
		return MHD_NO;
	if (!r->conn)
		return on_first(s, r, conn, url, method, version);
	if (*upload_size) {
		if (!r->too_big && buf_add(&r->body, upload, *upload_size))
			r->too_big = true;
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->completed)
		return send_response(r);
	if (r->too_big) {
		http_error(r, 413, "too_large",
			   "la solicitud es demasiado grande");
		return send_response(r);
	}
	dispatch(r);
	if (r->job && !r->suspended) {
		/* Counted before the stop flag is read: http_stop sets the
		 * flag before it waits for the count to reach 0. */
		atomic_fetch_add(&s->deferred, 1);
		if (atomic_load(&s->stopping)) {
			atomic_fetch_sub(&s->deferred, 1);
			http_error(r, 503, "stopping",
				   "el servidor se está deteniendo; "
				   "reintente en unos segundos");
			return send_response(r);
		}
		r->suspended = true;
		MHD_suspend_connection(conn);
		if (store_submit(s->st, deferred_run, deferred_done, r)) {
			http_error_rc(r, AY_ENOMEM);
			r->completed = true;
			MHD_resume_connection(conn);
		}
		return MHD_YES;
	}
	return send_response(r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct http_server *s = cls;
	struct http_req *r = *req_cls;
	int64_t ns;

	(void)conn;
	if (!r)
		return;
	if (r->suspended)
		atomic_fetch_sub(&s->deferred, 1);
	ns = mono_ns() - r->t0;
	metrics_observe(r->route, r->status, ns);
	log_info("request",
		 "method=%s path=\"%s\" status=%d dur_ms=%.3f client=%s"
		 " user=%lld%s",
		 r->method ? r->method : "-", r->path ? r->path : "", r->status,
		 (double)ns / 1e6, r->client, (long long)r->actor.user_id,
		 toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? ""
							    : " aborted=1");
	json_decref(r->json);
	json_decref(r->in);
	free(r->json_text);
	free(r->aux_ptr);
	buf_release(&r->body);
	buf_release(&r->out);
	free(r->set_cookie);
	free(r->disposition);
	free(r->path);
	free(r);
	*req_cls = NULL;
}

static ay_rc parse_listen(const char *listen, struct sockaddr_in *sa)
{
	char host[128];
	const char *colon = strrchr(listen, ':');
	long port;

	if (!colon || (size_t)(colon - listen) >= sizeof(host))
		return AY_EINVAL;
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	port = strtol(colon + 1, NULL, 10);
	if (port < 0 || port > 65535)
		return AY_EINVAL;
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (!strcmp(host, "localhost"))
		snprintf(host, sizeof(host), "127.0.0.1");
	if (inet_pton(AF_INET, host[0] ? host : "0.0.0.0", &sa->sin_addr) != 1)
		return AY_EINVAL;
	return AY_OK;
}

/* The vault key, created when missing (data dirs from before the vault),
 * kept in guarded memory. */
static void load_vault_key(struct http_server *s)
{
	ay_rc rc = vault_key_create(s->cfg->data_dir);

	s->vault = sodium_malloc(sizeof(*s->vault));
	if (!rc && s->vault)
		rc = vault_key_load(s->cfg->data_dir, s->vault);
	if (rc || !s->vault) {
		log_error("credentials vault unavailable",
			  "key=\"%s/vault.key\" err=%s", s->cfg->data_dir,
			  ay_rc_str(rc ? rc : AY_ENOMEM));
		sodium_free(s->vault);
		s->vault = NULL;
		return;
	}
	sodium_mprotect_readonly(s->vault);
}

/* After every commit of this process: the auth epoch it may have raised,
 * known before the change is acknowledged. */
static ay_rc auth_commit_hook(struct db *db, void *arg)
{
	int64_t e;
	ay_rc rc = auth_epoch_get(db, &e);

	if (!rc)
		auth_cache_publish(arg, e);
	return rc;
}

ay_rc http_start(const struct ay_config *cfg, struct store *st,
		 struct http_server **out)
{
	struct http_server *s;
	struct sockaddr_in sa;
	const union MHD_DaemonInfo *di;
	unsigned threads = cfg->threads > 0
				   ? (unsigned)cfg->threads
				   : (unsigned)sysconf(_SC_NPROCESSORS_ONLN);

	*out = NULL;
	if (http_mhd_init())
		return AY_EIO;
	if (parse_listen(cfg->listen, &sa)) {
		log_error("bad listen address", "listen=\"%s\"", cfg->listen);
		return AY_EINVAL;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return AY_ENOMEM;
	s->rate = calloc(RATE_SLOTS, sizeof(*s->rate));
	if (!s->rate) {
		free(s);
		return AY_ENOMEM;
	}
	s->auth = auth_cache_new();
	if (!s->auth) {
		free(s->rate);
		free(s);
		return AY_ENOMEM;
	}
	pthread_mutex_init(&s->rate_lock, NULL);
	s->st = st;
	s->cfg = cfg;
	load_vault_key(s);
	s->d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
			MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG,
		0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, &sa,
		MHD_OPTION_THREAD_POOL_SIZE, threads ? threads : 1,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->request_timeout,
		MHD_OPTION_CONNECTION_LIMIT, 4096u,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
		MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u, MHD_OPTION_END);
	if (!s->d) {
		log_error("cannot listen", "listen=\"%s\"", cfg->listen);
		auth_cache_free(s->auth);
		sodium_free(s->vault);
		pthread_mutex_destroy(&s->rate_lock);
		free(s->rate);
		free(s);
		return AY_EIO;
	}
	s->tcache = ticket_cache_new((size_t)cfg->ticket_cache_mb << 20);
	store_on_commit(st, auth_commit_hook, s->auth);
	di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : ntohs(sa.sin_port);
	*out = s;
	return AY_OK;
}

int http_port(const struct http_server *srv)
{
	return srv->port;
}

void http_stop(struct http_server *srv)
{
	MHD_socket lfd;

	if (!srv)
		return;
	/* Take no new connection, then let the writes already taken commit
	 * and be answered (at most 30 s) before the daemon goes. */
	atomic_store(&srv->stopping, true);
	lfd = MHD_quiesce_daemon(srv->d);
	for (int i = 0; i < 3000 && atomic_load(&srv->deferred) > 0; i++)
		nanosleep(&(struct timespec){.tv_nsec = 10000000}, NULL);
	MHD_stop_daemon(srv->d);
	if (lfd != MHD_INVALID_SOCKET)
		close(lfd);
	store_on_commit(srv->st, NULL, NULL);
	ticket_cache_free(srv->tcache);
	auth_cache_free(srv->auth);
	sodium_free(srv->vault);
	pthread_mutex_destroy(&srv->rate_lock);
	free(srv->rate);
	free(srv);
}
