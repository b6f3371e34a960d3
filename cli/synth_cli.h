/* synth_cli.h: what the synthesis commands (finding, cerqual, advisory,
 * entreq) share. Defined in cmd_cerqual.c. */
#ifndef QES_SYNTH_CLI_H
#define QES_SYNTH_CLI_H

#include "qes/cerqual.h"

/* Output format chosen by --json, --csv, --html (0 when none given). */
enum { SYNTH_OUT_TEXT = 0, SYNTH_OUT_JSON, SYNTH_OUT_CSV, SYNTH_OUT_HTML };

/* Writes text to path, or stdout when path is NULL; 0 or an exit code. */
int synth_emit(const char *cmd, const char *path, const char *text);
/* Writes v (taken) as indented JSON to path, or prints it when path is NULL. */
int synth_emit_json(const char *cmd, const char *path, json_t *v);
/* Who makes a change: --by, else $USER; NULL when neither. */
const char *synth_who(const char *by);

#endif
