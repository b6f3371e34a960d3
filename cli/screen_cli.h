/* screen_cli.h: the parts of qes screen in other files (screen_report.c). */
#ifndef QES_SCREEN_CLI_H
#define QES_SCREEN_CLI_H

#include "cli.h"
#include "qes/screen.h"

/* qes screen for scripts (screen_report.c): progress, or every record's
 * outcome (outcomes set), and the stopping estimate; text or JSON. Return
 * the exit code. */
int cli_screen_report(qes_store *st, const char *as, qes_stage stage, int outcomes, int json);
int cli_screen_stopping(qes_store *st, const char *as, qes_stage stage, int json);

#endif
