/* fuzz_web_api.c: the web server's own handling of outside input, past
 * what libmicrohttpd and jansson parse: a session cookie's token looked up
 * in the store, and a decision's JSON body checked and applied (as a
 * reviewer, on a small in-memory review). The first byte picks the target. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "qes/screen.h"
#include "qes/store.h"
#include "web.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static qes_store *review(void)
{
	static qes_store *st;
	if (st)
		return st;
	qes_error err;
	qes_error_clear(&err);
	if (qes_store_create(&st, ":memory:", &err) ||
	    qes_store_exec(st,
		"INSERT INTO sources(name) VALUES ('S');"
		"INSERT INTO imports(source_id, file_name, file_sha256, file_bytes, format, encoding)"
		" VALUES (1, 'f', 'x', 1, 'ris', 'UTF-8');"
		"INSERT INTO records(import_id, source_key, ordinal, line, type, title, raw)"
		" VALUES (1, 'a', 1, 1, 'article', 'One', ''), (1, 'b', 2, 2, 'article', 'Two', '');",
		&err) ||
	    qes_reviewer_add(st, "AB", "A", NULL, &err))
		abort();
	return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	qes_store *st = review();
	qes_error err;
	qes_error_clear(&err);
	if (data[0] & 1) {
		char token[256];
		size_t n = size - 1 < sizeof(token) - 1 ? size - 1 : sizeof(token) - 1;
		memcpy(token, data + 1, n);
		token[n] = '\0';
		qes__web_session s;
		qes__web_session_find(st, token, 1700000000, &s, &err);
		return 0;
	}
	json_error_t je;
	json_t *body = json_loadb((const char *)data + 1, size - 1, JSON_REJECT_DUPLICATES, &je);
	if (!body)
		return 0;
	qes__web_session s = { .user_id = 1, .name = "a", .role = "reviewer", .initials = "AB" };
	json_t *out = NULL;
	qes__web_api_screen_decide(st, &s, body, &out, &err);
	json_decref(out);
	json_decref(body);
	/* Undo what a valid body did, so the review stays small. */
	qes_store_exec(st, "DELETE FROM screen_decisions", NULL);
	return 0;
}
