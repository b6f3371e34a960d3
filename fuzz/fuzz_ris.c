/* fuzz_ris.c: libFuzzer harness for the RIS parser (lib/parse_ris.c).
 * The format is forced, so every input reaches the parser; each input is
 * parsed twice, stopping at the first malformed record and with skip_bad
 * (resynchronising after each), and each record is walked so that a bad
 * pointer in it shows up under ASan. */
#include "fuzz_parse.h"

FUZZ_PARSER("ris")
