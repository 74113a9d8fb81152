"""Log lines on standard error, as every process of a command writes them."""

import logging
import sys
import time


def to_stderr(level: int, *, stamped: bool) -> None:
    """Log lines on standard error; a server's and a publish's with the time (UTC, ISO
    8601), since their lines are read long after or follow minutes of loading, and another
    command's without, read as it runs. A server's query
    workers call it too: spawned, they start with no handler, and their lines came out bare."""
    handler = logging.StreamHandler(sys.stderr)
    if stamped:
        formatter = logging.Formatter(
            "%(asctime)s %(levelname)s %(name)s: %(message)s", datefmt="%Y-%m-%dT%H:%M:%SZ"
        )
        formatter.converter = time.gmtime
    else:
        formatter = logging.Formatter("%(levelname)s %(name)s: %(message)s")
    handler.setFormatter(formatter)
    logging.basicConfig(level=level, handlers=[handler])
