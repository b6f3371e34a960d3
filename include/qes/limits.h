/* qes/limits.h: every limit on outside input lives here (curl keeps its
 * maxima in one place too). A limit exceeded is a QES_ELIMIT error that
 * names the file and line, never a crash or a silent truncation. */
#ifndef QES_LIMITS_H
#define QES_LIMITS_H

#define QES_MAX_LINE          (4u << 20)   /* one physical line of an input file */
#define QES_MAX_FIELD         (4u << 20)   /* one field value after joining continuation lines */
#define QES_MAX_RECORD        (16u << 20)  /* raw text of one record */
#define QES_MAX_AUTHORS       20000        /* authors of one record (consortium papers have ~5,000) */
#define QES_MAX_KEYWORDS      5000         /* keywords of one record */
#define QES_MAX_FIELDS        10000        /* tagged lines or columns in one record */
#define QES_MAX_CSV_COLUMNS   4096
#define QES_MAX_XML_DEPTH     256          /* element nesting in EndNote XML / REFI-QDA */
#define QES_MAX_BIBTEX_DEPTH  64           /* brace nesting inside a BibTeX value */
#define QES_MAX_BIBTEX_MACROS 100000       /* @string definitions in one file */
#define QES_MAX_MACRO_EXPANSION (1u << 20) /* bytes a BibTeX value may expand to */
#define QES_MAX_BIBTEX_MACRO_BYTES (64u << 20) /* all @string values of one file together */
#define QES_MAX_RECORDS_PER_FILE 50000000L
#define QES_MAX_REPORTED_ERRORS 100        /* malformed records listed before an import stops */
#define QES_MAX_FILE_BYTES    (64ull << 30) /* 64 GiB: bigger is surely not an export */
#define QES_MAX_HTTP_BODY     (32u << 20)  /* one JSON request body */
#define QES_MAX_HTTP_LOGIN_BODY 4096u      /* the body of POST /api/login (before any session) */
#define QES_MAX_HTTP_BODIES   (128u << 20) /* JSON bodies held in memory by all connections together */
#define QES_MAX_UPLOAD_PER_USER (512u << 20) /* upload bytes one account may have in flight (temp files) */
#define QES_MAX_HTTP_HEADER_SECONDS 30u    /* a request's line and headers must all arrive within this */
#define QES_MAX_HTTP_CONNECTIONS 256u      /* open connections, all clients together */
#define QES_MAX_HTTP_PER_ADDRESS 16u       /* open connections from one client address */
#define QES_MAX_ZIP_ENTRY     (512u << 20)
#define QES_MAX_ZIP_ENTRIES   100000
#define QES_MAX_PDF_BYTES     (256u << 20) /* one full-text PDF attached to a record */
#define QES_MAX_TABLE_CELLS   (8u << 20)   /* cells of one table read from CSV or HTML */
#define QES_REPORT_TEXT_MAX   (64u << 10)  /* the authors' text of one report section */
#define QES_MAX_SOURCE_BYTES  (64u << 20)  /* one coding source file (.txt, .docx) */

/* Text a person types into the review (CLI or web), checked by the library's
 * setters whatever the caller: a name (code, theme, keyword, finding key)
 * and a longer text (description, note, memo, comment, statement). Bytes of
 * UTF-8. Pages wrap long words (overflow-wrap: anywhere), so no word limit. */
#define QES_MAX_NAME_TEXT     1000u
#define QES_MAX_LONG_TEXT     65536u

#endif
