/* api_code.h: the coding routes (web/api_code.c), for the table in
 * web/routes.c. A web user codes as the coder named like their account
 * (user "ann" is coder "ann"), so the library's blinding applies per user. */
#ifndef QES_WEB_API_CODE_H
#define QES_WEB_API_CODE_H

#include "web.h"

int qes__web_code_sources(qes__web_call *cx, qes_error *err);      /* GET  /api/code/sources */
int qes__web_code_source(qes__web_call *cx, qes_error *err);       /* GET  /api/code/source?id= */
int qes__web_code_codes(qes__web_call *cx, qes_error *err);        /* GET  /api/code/codes */
int qes__web_code_code_add(qes__web_call *cx, qes_error *err);     /* POST /api/code/codes */
int qes__web_code_span(qes__web_call *cx, qes_error *err);         /* POST /api/code/span */
int qes__web_code_update(qes__web_call *cx, qes_error *err);       /* POST /api/code/coding/update */
int qes__web_code_delete(qes__web_call *cx, qes_error *err);       /* POST /api/code/coding/delete */
int qes__web_code_note(qes__web_call *cx, qes_error *err);         /* POST /api/code/note */
int qes__web_code_done(qes__web_call *cx, qes_error *err);         /* POST /api/code/done */

#endif
