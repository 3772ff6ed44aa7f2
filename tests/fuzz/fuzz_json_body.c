/* libFuzzer target: our validation of JSON request bodies (jansson itself
 * is fuzzed upstream). The body is parsed as http_body_json() does, then
 * checked by the validators the handlers call: a ticket's structured
 * fields (against the demo store's product choices) and a calendar, as an
 * admin sends it. A refusal always names its field and says why. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_store.h"
#include "domain/ticket_fields.h"
#include "sla/bizcal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sla_calendar *cal = NULL;
	struct ticket_fields f;
	struct verr err = {0};
	struct db *db;
	json_error_t jerr;
	char why[256] = "";
	json_t *in;

	if (store_reader(fuzz_store(), &db))
		abort();
	in = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES,
			&jerr);
	if (!json_is_object(in)) {
		json_decref(in);
		return 0;
	}
	switch (ticket_fields_parse(db, in, &f, &err)) {
	case AY_OK:
		for (int i = 0; i < TF_N; i++)
			if (f.v[i] && !f.set[i])
				abort();
		break;
	case AY_EINVAL:
		if (!err.field[0] || !err.msg[0])
			abort();
		break;
	default:
		break;
	}
	ticket_fields_release(&f);
	if (sla_calendar_from_json(in, &cal, why, sizeof(why)) == AY_EINVAL &&
	    !why[0])
		abort();
	sla_calendar_free(cal);
	json_decref(in);
	return 0;
}
