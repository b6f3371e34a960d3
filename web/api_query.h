/* api_query.h: the synthesis queries (web/api_query.c) for the table in
 * web/routes.c: text search, code co-occurrence, the theme matrix by any
 * case attribute, the framework matrix and its cell summaries. Every read
 * is the asking user's view as a coder (the double-coding blinding holds,
 * as on the themes board); advisors get 403 from the route table. */
#ifndef QES_WEB_API_QUERY_H
#define QES_WEB_API_QUERY_H

#include "web.h"

int qes__web_query_search(qes__web_call *cx, qes_error *err);    /* GET  /api/query/search?q=&source=&context=&limit= */
int qes__web_query_cooccur(qes__web_call *cx, qes_error *err);   /* GET  /api/query/cooccur?coder= */
int qes__web_query_matrix(qes__web_call *cx, qes_error *err);    /* GET  /api/query/matrix?attribute= */
int qes__web_query_framework(qes__web_call *cx, qes_error *err); /* GET  /api/query/framework?by=&level= */
int qes__web_query_summary(qes__web_call *cx, qes_error *err);   /* POST /api/query/summary */

#endif
