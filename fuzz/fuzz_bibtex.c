/* fuzz_bibtex.c: libFuzzer harness for the BibTeX parser, through the
 * public qes_parse_mem() with the format forced, once stopping at the first
 * malformed entry and once skipping past it (the resync path). */
#include "fuzz_parse.h"

FUZZ_PARSER("bibtex")
