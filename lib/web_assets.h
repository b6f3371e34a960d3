/* web_assets.h: the web interface's files, embedded at build time by
 * scripts/embed-assets.sh (build/gen/web_assets.c). */
#ifndef QES_WEB_ASSETS_H
#define QES_WEB_ASSETS_H

#include <stddef.h>

typedef struct qes_web_asset {
	const char *path;          /* "/index.html" */
	const char *mime;
	const unsigned char *data;
	size_t size;
} qes_web_asset;

/* Ends with a { NULL } entry. */
extern const qes_web_asset qes_web_assets[];

#endif
