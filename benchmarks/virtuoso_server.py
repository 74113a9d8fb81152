"""A fresh Virtuoso (Debian's `virtuoso-opensource-7-bin`) on loopback, for tests and benchmarks.

    .venv/bin/python benchmarks/virtuoso_server.py /tmp/virtuoso-db   # runs until Ctrl-C or SIGTERM

`virtuoso_serving(folder)` writes a `virtuoso.ini` into an empty folder (a fresh database),
starts `virtuoso-t` in the foreground on two free loopback ports (SQL and HTTP), waits until
its SPARQL endpoint answers, and creates the account `kg publish` loads with: a user with
the SPARQL_UPDATE role and the right to write every graph, while anonymous readers of
/sparql may only read. The server is killed at the end. Nothing listens beyond 127.0.0.1.
"""

import argparse
import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from conftest import wait_until_up

VIRTUOSO = shutil.which("virtuoso-t") or "/usr/bin/virtuoso-t"
ISQL = shutil.which("isql-vt") or "/usr/bin/isql-vt"
USER = "kg"
AFTER_IMAGE = 1_000_000_000

#: Small buffers (about 400 MB): enough for the whole CSL many times over, and a machine
#: shared with other work. ResultSetMaxRows above our own result limit, so that ours applies.
#: A transaction may hold AFTER_IMAGE bytes of changes (Virtuoso's default: 50 MB), so that
#: a switch from the bundled release to the whole CSL's (about 950,000 triples written) fits.
INI = """\
[Database]
DatabaseFile = virtuoso.db
ErrorLogFile = virtuoso.log
LockFile = virtuoso.lck
TransactionFile = virtuoso.trx
xa_persistent_file = virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = virtuoso-temp.db
TransactionFile = virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
MaxClientConnections = 20
CheckpointInterval = 60
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
DirsAllowed = .
DefaultIsolation = 4
TransactionAfterImageLimit = {after_image}

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = .
MaxClientConnections = 20
ServerThreads = 20
MaxKeepAlives = 20
KeepAliveTimeout = 10

[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 120
MaxSortedTopRows = 10000000
"""


class Virtuoso(NamedTuple):
    url: str  # its base URL: /sparql, /sparql-auth, /sparql-graph-crud-auth below it
    env: dict[str, str]  # KG_STORE_* for the account kg publish loads with
    process: subprocess.Popen[bytes]
    sql_port: int


def virtuoso_options(url: str) -> list[str]:
    """kg publish's endpoint options for a Virtuoso at `url`."""
    return [
        "--store",
        f"{url}/sparql",
        "--update",
        f"{url}/sparql-auth",
        "--gsp",
        f"{url}/sparql-graph-crud-auth",
    ]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def isql(port: int, statements: str) -> str:
    """Run SQL statements as the database administrator (dba/dba of a fresh database)."""
    done = subprocess.run(
        [ISQL, f"127.0.0.1:{port}", "dba", "dba", f"exec={statements}"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
        raise RuntimeError(f"isql-vt failed: {done.stdout}{done.stderr}")
    return done.stdout


@contextlib.contextmanager
def virtuoso_serving(
    folder: Path, *, buffers: int = 50_000, after_image: int = AFTER_IMAGE
) -> Iterator[Virtuoso]:
    """A fresh Virtuoso with its database in `folder` (made empty), killed at the end;
    `after_image`: the most bytes of changes one transaction may hold."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    sql, http = _free_port(), _free_port()
    dirty = buffers * 3 // 4
    ini = INI.format(sql=sql, http=http, buffers=buffers, dirty=dirty, after_image=after_image)
    (folder / "virtuoso.ini").write_text(ini)
    with (folder / "console.log").open("wb") as sink:
        process = subprocess.Popen(
            [VIRTUOSO, "+configfile", "virtuoso.ini", "+foreground"],
            cwd=folder,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{http}"
    try:
        # A fresh database takes 15-40 s to create, more on a busy machine.
        wait_until_up(process, folder / "console.log", f"{url}/sparql?query=ASK%7B%7D", 240)
        password = secrets.token_hex(12)
        isql(sql, _account(password))
        env = {
            "KG_STORE_USER": USER,
            "KG_STORE_PASSWORD": password,
            "KG_STORE_AUTH": "digest",
        }
        yield Virtuoso(url, env, process, sql)
    finally:
        process.kill()
        process.wait()


def _account(password: str) -> str:
    # Graph-level security: anonymous readers ('nobody', the /sparql endpoint) read every
    # graph and write none; our user reads and writes every graph (its graphs are named per
    # release, and Virtuoso's graph permissions are per graph IRI, not per prefix).
    return (
        f"DB.DBA.USER_CREATE('{USER}', '{password}');"
        f' GRANT SPARQL_UPDATE TO "{USER}";'
        " DB.DBA.RDF_DEFAULT_USER_PERMS_SET('nobody', 1);"
        f" DB.DBA.RDF_DEFAULT_USER_PERMS_SET('{USER}', 3);"
    )


def present() -> bool:
    return os.access(VIRTUOSO, os.X_OK) and os.access(ISQL, os.X_OK)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "folder",
        nargs="?",
        type=Path,
        default=Path("/tmp/virtuoso-db"),
        help="an empty or missing folder for the database (default /tmp/virtuoso-db)",
    )
    folder = parser.parse_args().folder
    # SIGTERM (kill, a supervisor) ends us through the finally that kills virtuoso-t too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with virtuoso_serving(folder) as server:
        # The password in a file of the user's alone, not on the screen or a command line.
        secret = folder / "kg-password"
        secret.touch(mode=0o600)
        secret.write_text(server.env["KG_STORE_PASSWORD"])
        env = {k: v for k, v in server.env.items() if k != "KG_STORE_PASSWORD"}
        env["KG_STORE_PASSWORD_FILE"] = str(secret)
        print(f"Virtuoso at {server.url}; kg publish with:")
        print(*(f"{k}={v}" for k, v in env.items()), ".venv/bin/kg publish --out BUILD", end="")
        print("", *virtuoso_options(server.url))
        print(f".venv/bin/kg serve --out BUILD --store {server.url}/sparql")
        with contextlib.suppress(KeyboardInterrupt):
            server.process.wait()


if __name__ == "__main__":
    main()
