/* schema.h: forward-only schema migrations, per module.
 *
 * Each module that keeps tables owns an ordered list of migrations (its own
 * file, e.g. dedup_schema.c) and adds one line to the module table in
 * schema.c. The store records in schema_migrations which step of which
 * module has run, and runs the missing ones on open, in module-table order,
 * in one transaction, taken only when the versions say a step is missing. Never edit a migration that has shipped; add one. */
#ifndef QES_SCHEMA_H
#define QES_SCHEMA_H

#include "qes/store.h"

typedef struct qes_migration {
	int version;          /* 1, 2, 3 ... within the module */
	const char *sql;      /* one or more statements */
} qes_migration;

typedef struct qes_schema_module {
	const char *name;
	const qes_migration *steps;   /* ends with { 0, NULL } */
} qes_schema_module;

extern const qes_migration qes__migrations_core[];
extern const qes_migration qes__migrations_dedup[];
extern const qes_migration qes__migrations_screen[];
extern const qes_migration qes__migrations_study[];
extern const qes_migration qes__migrations_code[];
extern const qes_migration qes__migrations_synth[];
extern const qes_migration qes__migrations_theme[];
extern const qes_migration qes__migrations_web[];
extern const qes_migration qes__migrations_report[];

/* *pending = 1 when some module has a migration the file lacks. Reads only. */
int qes__schema_pending(sqlite3 *db, int *pending, qes_error *err);
/* Runs every missing migration in one write transaction. */
int qes__schema_migrate(sqlite3 *db, qes_error *err);

#endif
