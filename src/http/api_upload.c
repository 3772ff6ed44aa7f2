/* POST /api/v1/uploads?filename=NAME: the request body is the file. Its
 * type comes from the content and must be allowed by the attachment
 * policy; it is stored before the answer, then attached to a message with
 * "attachments": [id] on POST /api/v1/tickets or .../messages. */
#include <string.h>

#include "domain/attach_policy.h"
#include "domain/mailin.h"
#include "domain/upload.h"
#include "http/http.h"
#include "mail/attach.h"
#include "mail/parse.h"
#include "util/blob.h"

struct upload {
	char name[256];
	char type[128];
	char sha[65];
};

static ay_rc job_upload(struct db *db, struct http_req *r)
{
	const struct upload *u = r->aux_ptr;
	int64_t id = 0;
	ay_rc rc = upload_add(db, r->actor.user_id, u->name, u->type,
			      (int64_t)r->body.len, u->sha, &id);

	if (rc) {
		http_error_rc(r, rc);
		return rc;
	}
	http_json(r, 201,
		  json_pack("{s:I,s:s,s:s,s:I}", "id", (json_int_t)id,
			    "filename", u->name, "content_type", u->type,
			    "size", (json_int_t)r->body.len));
	return AY_OK;
}

/* A file name people can read: given, trimmed to 200 bytes of UTF-8,
 * without path separators or control characters. */
static bool upload_name(const char *given, char out[256])
{
	size_t n = 0;

	if (!given || !*given)
		given = "adjunto";
	for (const char *p = given; *p && n < 200; p++) {
		unsigned char c = (unsigned char)*p;

		if (c < 0x20 || c == 0x7f || c == '/' || c == '\\')
			return false;
		out[n++] = *p;
	}
	out[n] = '\0';
	while (n && ((unsigned char)out[n - 1] & 0xc0) == 0x80)
		out[--n] = '\0'; /* a character cut in two */
	if (n && ((unsigned char)out[n - 1] & 0xc0) == 0xc0)
		out[--n] = '\0';
	return n > 0 && ay_utf8_valid(out, n);
}

void h_upload(struct http_req *r)
{
	struct upload *u;
	char why[400] = "";
	ay_rc rc;

	u = calloc(1, sizeof(*u));
	if (!u) {
		http_error_rc(r, AY_ENOMEM);
		return;
	}
	r->aux_ptr = u;
	if (!upload_name(http_query(r, "filename"), u->name)) {
		snprintf(r->verr.field, sizeof(r->verr.field), "filename");
		snprintf(r->verr.msg, sizeof(r->verr.msg),
			 "nombre de archivo no válido");
		http_error_rc(r, AY_EINVAL);
		return;
	}
	if (!r->body.len) {
		snprintf(r->verr.field, sizeof(r->verr.field), "file");
		snprintf(r->verr.msg, sizeof(r->verr.msg),
			 "el archivo está vacío");
		http_error_rc(r, AY_EINVAL);
		return;
	}
	rc = attach_policy_check_file(http_config(r), u->name, r->body.ptr,
				      r->body.len, u->type, sizeof(u->type),
				      why, sizeof(why));
	if (rc) {
		snprintf(r->verr.field, sizeof(r->verr.field), "file");
		snprintf(r->verr.msg, sizeof(r->verr.msg), "%s", why);
		http_error_rc(r, rc == AY_ETOOBIG ? AY_ETOOBIG : AY_EINVAL);
		return;
	}
	/* Stored (and durable) before the row that names it. */
	rc = blob_put(http_config(r)->data_dir, "attachments", r->body.ptr,
		      r->body.len, u->sha);
	if (rc) {
		http_error_rc(r, rc);
		return;
	}
	http_defer(r, job_upload);
}
