/* test_web_routes.c: how a URL finds its row in the route table: exact
 * paths, prefix rows and their tail, a known path with another method
 * (405, not 404), and the role bits the server checks against. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "web.h"

static void test_exact_and_method(void **state)
{
	(void)state;
	int known;
	const char *tail = "x";
	const qes__web_route *r = qes__web_route_find("GET", "/api/status", &known, &tail);
	assert_non_null(r);
	assert_string_equal(r->path, "/api/status");
	assert_string_equal(tail, "");
	assert_int_equal(known, 1);
	/* HEAD is answered like GET. */
	assert_non_null(qes__web_route_find("HEAD", "/api/status", &known, &tail));
	/* The path exists, the method does not: the server says 405. */
	assert_null(qes__web_route_find("POST", "/api/status", &known, &tail));
	assert_int_equal(known, 1);
	assert_null(qes__web_route_find("GET", "/api/screen/decide", &known, &tail));
	assert_int_equal(known, 1);
	/* Unknown, and a near miss of a real path. */
	assert_null(qes__web_route_find("GET", "/api/nothing", &known, &tail));
	assert_int_equal(known, 0);
	assert_null(qes__web_route_find("GET", "/api/status/", &known, &tail));
	assert_int_equal(known, 0);
	assert_null(qes__web_route_find("GET", "/api/statu", &known, &tail));
	assert_int_equal(known, 0);
}

static void test_every_row_is_sane(void **state)
{
	(void)state;
	size_t n = 0;
	for (const qes__web_route *r = qes__web_routes; r->method; r++, n++) {
		assert_true(!strncmp(r->path, "/api/", 5));
		assert_non_null(r->fn);
		assert_true(r->roles && !(r->roles & ~(unsigned)QES__WEB_ANYONE));
		assert_true(!strcmp(r->method, "GET") || !strcmp(r->method, "POST") ||
			    !strcmp(r->method, "PUT") || !strcmp(r->method, "DELETE"));
		/* Screening is never an advisor's. */
		if (!strncmp(r->path, "/api/screen/", 12))
			assert_false(r->roles & QES__WEB_ADVISOR);
		int known;
		const char *tail;
		/* Each row is the one its own method and path find (no row hidden
		 * behind an earlier prefix). */
		if (!strchr(r->path, '*'))
			assert_ptr_equal(qes__web_route_find(r->method, r->path, &known, &tail), r);
	}
	assert_true(n >= 4);
}

static void test_roles(void **state)
{
	(void)state;
	assert_int_equal(qes__web_role_bit("owner"), QES__WEB_OWNER);
	assert_int_equal(qes__web_role_bit("reviewer"), QES__WEB_REVIEWER);
	assert_int_equal(qes__web_role_bit("advisor"), QES__WEB_ADVISOR);
	assert_int_equal(qes__web_role_bit("Owner"), 0);
	assert_int_equal(qes__web_role_bit(""), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_and_method),
		cmocka_unit_test(test_every_row_is_sane),
		cmocka_unit_test(test_roles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
