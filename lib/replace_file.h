/* replace_file.h: putting a finished temporary file in place of the target.
 * A regular target (or none) is replaced by rename, atomically. A target
 * that is not a regular file (a symlink, /dev/stdout, a pipe) is written
 * through instead: renaming over it would replace the link or the device
 * node itself, which as root breaks the system. */
#ifndef QES_REPLACE_FILE_H
#define QES_REPLACE_FILE_H

#include "qes/error.h"

/* Moves tmp to path (see above); tmp is gone afterwards either way. */
int qes__replace_file(const char *tmp, const char *path, qes_error *err);

#endif
