"""What the disk says when a build cannot be written there: full, over quota, read-only,
failing. The staging folder's handler (kg.publish.staging) turns these into a clear error;
other OSErrors are mistakes of ours and keep their traceback."""

import errno
import os
from pathlib import Path

CANNOT_WRITE = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO, errno.EFBIG})


def with_errno(error: OSError, where: Path) -> OSError:
    """The engine's I/O error (Oxigraph's store and writers, `sort`, give none) with the
    errno its message names, so that a build says "no space left" as for any other file;
    and with `where`, if it names no file (a write to a file opened before the disk filled).
    """
    if error.errno is not None:
        if error.filename is None:
            return OSError(error.errno, error.strerror, str(where))
        return error
    for code in sorted(CANNOT_WRITE):
        if os.strerror(code) in str(error):
            return OSError(code, os.strerror(code), str(where))
    return error
