/* parse_delimited.c: placeholder until the parser lands (replaced whole). */
#include "parser.h"

int qes__parse_delimited(qes_reader *r, qes_arena *a, qes_sink *sink, qes_error *err)
{
	(void)a; (void)sink;
	return qes_error_at(err, QES_EFORMAT, qes__reader_name(r), 0, NULL,
			    "this format cannot be read yet");
}
