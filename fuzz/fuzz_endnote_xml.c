/* fuzz_endnote_xml.c: libFuzzer harness for the EndNote XML parser,
 * through the public qes_parse_mem() with the format forced, once stopping
 * at the first malformed record and once with skip_bad (records before a
 * malformed part stand). */
#include "fuzz_parse.h"

FUZZ_PARSER("endnote-xml")
