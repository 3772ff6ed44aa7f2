/* POST /api/v1/uploads?filename=NAME: the request body is the file. Its
 * type comes from the content and must be allowed by the attachment
 * policy; it is stored before the answer, then attached to a message with
 * "attachments": [id] on POST /api/v1/tickets or .../messages. */
#include <string.h>

#include "domain/attach_policy.h"
#include "domain/upload.h"
#include "http/http.h"
#include "store/blobs.h"
#include "util/str.h"

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

void h_upload(struct http_req *r)
{
	struct upload *u;
	char why[400] = "";
	const char *name;
	ay_rc rc;

	u = calloc(1, sizeof(*u));
	if (!u) {
		http_error_rc(r, AY_ENOMEM);
		return;
	}
	r->aux_ptr = u;
	/* A name people can read and no file system can misread: no
	 * control or bidi characters, no path separators (a %00 never
	 * gets here: the server refuses it). */
	name = http_query(r, "filename");
	ay_filename_clean(name, name ? strlen(name) : 0, "adjunto", u->name,
			  sizeof(u->name));
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
	rc = store_blob_put(http_store(r), http_config(r), "attachments",
			    r->body.ptr, r->body.len, u->sha);
	if (rc) {
		http_error_rc(r, rc);
		return;
	}
	http_defer(r, job_upload);
}
