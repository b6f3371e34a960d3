/* write_placeholder.c: placeholder until the writers land (deleted then). */
#include "qes/export.h"

int qes_write_ris(FILE *fp, const qes_record *rec) { (void)fp; (void)rec; return -1; }
int qes_write_csv_header(FILE *fp) { (void)fp; return -1; }
int qes_write_csv(FILE *fp, const qes_record *rec) { (void)fp; (void)rec; return -1; }
int qes_write_bibtex(FILE *fp, const qes_record *rec) { (void)fp; (void)rec; return -1; }
