"""The `kg` command: one verb per pipeline stage. Library errors become messages here."""

import argparse
import contextlib
import datetime as dt
import logging
import signal
import socket
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

# Only what every verb needs is imported here; each verb imports its own stage (the build
# pipeline, rdflib, pyshacl: over a second). `kg serve`'s query workers start by importing
# this module again (multiprocessing's spawn imports the main module), so what it imports
# here each worker pays for at start-up.
from kg import __version__, logs
from kg.config import DOCUMENTED, Settings
from kg.errors import InvalidGraphError, KgError

if TYPE_CHECKING:  # the verbs import what they need when they run: --help stays quick
    from kg.sources.catalog import DatedSpec
    from kg.sources.history import Change

log = logging.getLogger("kg")

EPILOG = """\
examples:
  kg build                         validate the bundled sources and write build/
  kg build --out /tmp/elkg         write the dumps somewhere else
  kg build --date 2026-12-01       stamp the release with a date (never the clock)
  kg validate                      run the SHACL checks alone; publish nothing
  kg build --source ~/my-notes     add a curated source folder of your own (README: Sources)
  KG_BASE_IRI=http://localhost:8000/ kg build   mint IRIs under another base
  kg build --csl data/csl/csl-2022-05 --csl new.csv.gz@2026-11-01
                                   add Consolidated Screening List snapshots and their history
  kg diff old.csv new.csv.gz       what changed between two CSL downloads
  kg serve                         SPARQL endpoint, Linked Data and search on 127.0.0.1:8000
  kg serve --port 9000 --query-timeout 5 --result-limit 1000
  kg publish --store URL --update URL --gsp URL
                                   load the build into a SPARQL server, switched in whole
  kg serve --store URL             serve from that server instead of query workers
  kg build --site-from URL         render the site from the release that server holds
  kg screen names.csv --output screened.csv
                                   match a spreadsheet of names against the lists, offline

environment:
""" + "\n".join(f"  {variable:<16} {text}" for variable, text in DOCUMENTED.values())


class _Parser(argparse.ArgumentParser):
    """argparse exits 2 on a usage error; here 2 means "does not conform", so bad options,
    like every other bad input, exit 1 (ARCHITECTURE.md, "Errors and exit codes")."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(1, f"{self.prog}: error: {message}\n")


def parser() -> argparse.ArgumentParser:
    from kg import screen

    main = _Parser(
        prog="kg",
        description="Build, validate and publish the Entity List Knowledge Graph.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    main.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    main.add_argument("-v", "--verbose", action="store_true", help="log every step in detail")
    main.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="log warnings and errors only (kg serve: no line per request)",
    )
    verbs = main.add_subparsers(dest="verb", required=True, metavar="COMMAND")

    build_verb = verbs.add_parser(
        "build",
        help="validate the sources and write dumps to the build folder",
        description="Read every source, validate the graph with SHACL and, if it conforms, "
        "replace the build folder with the dumps, ontology, shapes, VoID/DCAT "
        "description and validation report. On any violation nothing is written.",
        epilog="example:\n  kg build --out build --date 2026-12-01\n\n"
        "--out replaces the whole folder, so it must be a path that does not exist yet, an\n"
        "empty folder, or an earlier build (marked by a .entitylist-kg-build file). Refused,\n"
        "with nothing removed: a file, a folder with files no build wrote, a folder holding\n"
        ".git or pyproject.toml, the current or the home folder (or one holding either), /\n"
        "and a symlink to any of these.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(build_verb)
    build_verb.add_argument(
        "--out",
        dest="out_dir",
        metavar="DIR",
        help="build folder (default: build): a new path, an empty folder or an earlier build",
    )
    _snapshots(build_verb)
    build_verb.add_argument(
        "--date",
        dest="build_date",
        metavar="YYYY-MM-DD",
        help="release date for the description (default: dataset.toml's)",
    )
    build_verb.add_argument(
        "--site-from",
        dest="site_from",
        metavar="QUERY_URL",
        help="render the site from the release this SPARQL server holds (kg publish of a build "
        "of the same sources) instead of from the build's own store (KG_SITE_FROM)",
    )

    validate_verb = verbs.add_parser(
        "validate",
        help="run the SHACL checks alone",
        description="Read every source and validate the graph; print the report; write nothing.",
        epilog="examples:\n  kg validate --data data\n"
        "  kg validate --csl data/csl/csl-2022-05 --shacl-engine pyshacl",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(validate_verb)
    _snapshots(validate_verb)
    validate_verb.add_argument(
        "--shacl-engine",
        choices=("oxigraph", "pyshacl"),
        help="oxigraph: each shape as whole-graph queries (default, seconds on the whole CSL); "
        "pyshacl: the reference engine, same results, minutes on the whole CSL",
    )

    diff_verb = verbs.add_parser(
        "diff",
        help="what changed between two CSL snapshot files",
        description="Compare two Consolidated Screening List files (CSV or JSON, plain or "
        "gzipped): entries added, removed and amended (with the fields that changed, and under "
        "each the values it lost, -, and gained, +). An entry "
        "is a list, an entity and a start date. Files are read as kg build reads snapshots: "
        "FILE@DATE:partial for a sample or a subset: newer, it removes nothing; older, it is no "
        "baseline for additions. A complete newer file that drops more than a fifth of a list "
        "is refused unless FILE@DATE:accept-shrink. "
        "Prints the changes; --rdf also writes them as list actions, which needs each file's "
        "date (FILE@YYYY-MM-DD).",
        epilog="examples:\n  kg diff csl-2019.csv csl-2022.csv.gz\n"
        "  kg diff old.csv@2019-12-03 new.csv.gz@2022-05-06 --rdf changes.ttl\n"
        "  kg diff whole.csv.gz@2022-05-06 subset.csv.gz@2023-11-30:partial",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    diff_verb.add_argument("old", help="the older file, FILE or FILE@YYYY-MM-DD")
    diff_verb.add_argument("new", help="the newer file, FILE or FILE@YYYY-MM-DD")
    diff_verb.add_argument(
        "--rdf",
        metavar="FILE",
        type=Path,
        help="write the changes as Turtle to a new FILE (or one kg diff wrote: not another)",
    )
    diff_verb.add_argument("--base", dest="base_iri", metavar="IRI", help="base of minted IRIs")

    serve_verb = verbs.add_parser(
        "serve",
        help="serve the build: SPARQL endpoint, Linked Data, search",
        description="Serve the last build read-only: the SPARQL 1.1 endpoint at /sparql (with a "
        "query page for browsers), every IRI as Linked Data, /search, /health and /docs.",
        epilog="examples:\n  kg serve\n  kg serve --host 0.0.0.0 --port 8080 --query-timeout 5\n"
        "  kg serve --store http://127.0.0.1:7878/query   queries answered by a SPARQL server "
        "(kg publish)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve_verb.add_argument("--out", dest="out_dir", metavar="DIR", help="build folder to serve")
    serve_verb.add_argument(
        "--store",
        dest="store_url",
        metavar="QUERY_URL",
        help="answer queries from the release `kg publish` loaded into this SPARQL server, "
        "instead of query workers (pages and dumps still come from --out; KG_STORE_URL)",
    )
    serve_verb.add_argument("--host", help="address to listen on (default: 127.0.0.1)")
    serve_verb.add_argument("--port", type=_port, help="port, 1 to 65535 (default: 8000)")
    serve_verb.add_argument(
        "--base",
        dest="base_iri",
        metavar="IRI",
        help="base IRI of the data; requests on this host are mapped onto it",
    )
    serve_verb.add_argument(
        "--query-timeout",
        type=float,
        metavar="SECONDS",
        help="stop a query after this long (default: 10)",
    )
    serve_verb.add_argument(
        "--result-limit",
        type=int,
        metavar="ROWS",
        help="most rows or triples per result (default: 10000)",
    )
    serve_verb.add_argument(
        "--workers",
        dest="query_workers",
        type=int,
        metavar="N",
        help="query worker processes (default: 3)",
    )
    _limit_flags(serve_verb)
    _publish_verb(verbs)
    screen_verb = verbs.add_parser(
        "screen",
        help="screen a CSV of names against a build, offline",
        description="Match each row's name (and country, date of birth, id number) against "
        "the lists of a build, as of a day, and write the best match, its score and its "
        "explanation per row, the other parties that matched and those our candidate matches "
        "pair with it in columns apart. Cells a spreadsheet would run as formulas are "
        "neutralised.",
        epilog="examples:\n  kg screen counterparties.csv --output screened.csv\n"
        "  kg screen names.csv --out /tmp/csl --as-of 2021-06-30 --threshold 0.8 --lists EL,SDN\n"
        "  kg screen excel-export.csv --encoding cp1252 --output screened.csv",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    screen.add_screen_arguments(screen_verb)
    return main


def _publish_verb(verbs: "argparse._SubParsersAction[_Parser]") -> None:
    verb = verbs.add_parser(
        "publish",
        help="load a build into a SPARQL 1.1 server and switch its readers to it",
        description="Load a build's N-Quads dump (checked against SHA256SUMS), ontology and "
        "description into a SPARQL 1.1 server through the Graph Store Protocol, in chunks "
        "under staging graphs, then switch to it in one update request: readers see the old "
        "release or the new one, never a mix. The first release on a server loads in place "
        "instead, and its readers see it once it is whole. Credentials: KG_STORE_USER with "
        "KG_STORE_PASSWORD or KG_STORE_PASSWORD_FILE (KG_STORE_AUTH=digest for Virtuoso).",
        epilog="example (an Oxigraph server):\n  kg publish --out build "
        "--store http://127.0.0.1:7878/query \\\n"
        "             --update http://127.0.0.1:7878/update --gsp http://127.0.0.1:7878/store",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    verb.add_argument("--out", dest="out_dir", metavar="DIR", help="build folder to publish")
    verb.add_argument("--base", dest="base_iri", metavar="IRI", help="base of minted IRIs")
    for flag, dest, what in (
        ("--store", "store_url", "query endpoint (KG_STORE_URL)"),
        ("--update", "update_url", "SPARQL Update endpoint (KG_UPDATE_URL)"),
        ("--gsp", "gsp_url", "Graph Store Protocol endpoint (KG_GSP_URL)"),
    ):
        verb.add_argument(flag, dest=dest, metavar="URL", help=f"the server's {what}")


#: Settings that bound what one request or client may cost; each is a flag of kg serve.
SERVE_LIMITS = (
    "max_query_length",
    "max_query_depth",
    "max_body_bytes",
    "max_result_bytes",
    "worker_memory_mb",
    "per_client",
    "queue",
    "header_timeout",
    "body_timeout",
    "idle_timeout",
    "max_connections",
    "connections_per_client",
    "demote_after",
)


def _limit_flags(verb: argparse.ArgumentParser) -> None:
    """One flag per limit, named, typed and explained as in kg.config (SECURITY.md lists them)."""
    defaults = Settings()
    zero_allowed = ("queue", "demote_after", "connections_per_client")
    for name in SERVE_LIMITS:
        variable, text = DOCUMENTED[name]
        verb.add_argument(
            f"--{name.replace('_', '-')}",
            dest=name,
            type=_bounded(type(getattr(defaults, name)), allow_zero=name in zero_allowed),
            metavar="N",
            help=f"{text} (default: {getattr(defaults, name)}; {variable})",
        )


def _bounded(kind: type, allow_zero: bool) -> Callable[[str], float]:
    """A parser of positive numbers of `kind` (or zero, where zero means none, as a queue)."""

    def parse(text: str) -> float:
        value = kind(text)
        if value < 0 or (value == 0 and not allow_zero):
            raise argparse.ArgumentTypeError(f"{text} is not a positive number")
        return value  # type: ignore[no-any-return]

    return parse


def _port(text: str) -> int:
    port = int(text)
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text} is not a port (1 to 65535)")
    return port


def _common(verb: argparse.ArgumentParser) -> None:
    verb.add_argument(
        "--data", dest="data_dir", metavar="DIR", help="folder of sources (default: data/)"
    )
    verb.add_argument(
        "--ontology",
        dest="ontology_dir",
        metavar="DIR",
        help="folder of the ontology and shapes (default: ontology/)",
    )
    verb.add_argument(
        "--source",
        dest="sources",
        action="append",
        metavar="DIR",
        help="add a curated source folder of your own (a source.toml and the files it names) "
        "beside those under --data (repeatable)",
    )
    verb.add_argument("--base", dest="base_iri", metavar="IRI", help="base of minted IRIs")


def _snapshots(verb: argparse.ArgumentParser) -> None:
    verb.add_argument(
        "--csl",
        action="append",
        metavar="SPEC",
        help="add a Consolidated Screening List snapshot: a folder with a source.toml, or "
        "PATH_OR_URL@YYYY-MM-DD (repeatable; the newest gives the list, each pair its changes; "
        "a file given twice for one day is read once)",
    )
    verb.add_argument(
        "--strict",
        action="store_true",
        help="fail on any problem in a snapshot instead of reporting it",
    )


#: Verbs whose lines are read long after, or follow a long run: with the time.
STAMPED = ("serve", "publish")


def main(argv: Sequence[str] | None = None) -> int:
    from kg import screen

    args = parser().parse_args(argv)
    level = logging.DEBUG if args.verbose else logging.WARNING if args.quiet else logging.INFO
    logs.to_stderr(level, stamped=args.verb in STAMPED)
    # rdflib logs a traceback for each ill-typed literal it reads; SHACL reports them clearly.
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)
    # httpx logs every request of kg publish and kg serve --store; we log what matters.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    ignored = {"verb", "verbose", "quiet", "old", "new", "rdf", *screen.DESTS}
    options = {k: v for k, v in vars(args).items() if k not in ignored}
    if args.verb == "build":
        # A build stopped by its service manager or `kill` ends as a Ctrl-C does: its
        # staging folder removed, not left for the next build to find.
        signal.signal(signal.SIGTERM, _terminated)
    try:
        settings = Settings.from_env().with_options(**options)
        return _run(args.verb, settings, args)
    except KgError as error:
        log.error("%s", error)
        return error.exit_code
    except KeyboardInterrupt:
        log.error("interrupted; the previous output is untouched")
        return 130
    except Terminated:
        log.error("terminated (SIGTERM); the previous output is untouched")
        return 128 + signal.SIGTERM


class Terminated(BaseException):
    """SIGTERM, raised where the build is: a BaseException, as KeyboardInterrupt is, so that
    only the clean-ups that take any interruption catch it."""


def _terminated(signum: int, frame: object) -> None:
    raise Terminated


def _run(verb: str, settings: Settings, args: argparse.Namespace) -> int:
    from kg import screen

    if verb == "screen":
        return screen.screen_command(args, settings)
    if verb == "serve":
        return _serve(settings)
    if verb == "publish":
        return _publish(settings)
    if verb == "diff":
        return _diff(args.old, args.new, args.rdf, settings.base_iri)
    from kg.build import build, check

    if verb == "build":
        result = build(settings)
        # Every file of the folder, as a reader lists it: the dumps, their description,
        # checksums and reports.
        files = sum(1 for path in (result.out_dir / "dumps").iterdir() if path.is_file())
        print(
            f"built {result.quads:,} quads into {result.out_dir}/dumps ({files} "
            f"files); with the ontology and the dataset's description, the store (and kg serve's "
            f"/health) holds {result.store_quads:,}"
        )
        return 0
    _, _, report = check(settings)
    print(report.describe())
    return InvalidGraphError.exit_code if report.violated else 0


def _diff(old: str, new: str, rdf: Path | None, base: str) -> int:
    from kg import iris
    from kg.publish.dumps import stable_turtle
    from kg.publish.staging import write_atomically
    from kg.sources import history
    from kg.sources.catalog import parse_dated

    older, newer = parse_dated(old), parse_dated(new)
    if older.date and newer.date and older.date >= newer.date:
        raise KgError(
            f"the older snapshot comes first: {older.date} is not before {newer.date}",
            where=f"{old} {new}",
            hint="swap them: kg diff OLD@DATE NEW@DATE",
        )
    if rdf is not None and (older.date is None or newer.date is None):
        raise KgError(
            "--rdf needs the date of each file",
            where=f"{old} {new}",
            hint="write them FILE@YYYY-MM-DD",
        )
    changes, listed = _snapshot_changes(older, newer, new)
    print(history.describe(changes))
    if rdf is not None and older.date is not None and newer.date is not None:
        snapshot = iris.source(f"csl-{newer.date.isoformat()}", base)
        graph = history.changes_graph(changes, older.date, snapshot, base, listed)
        _check_ours(rdf)
        write_atomically(rdf, DIFF_MARK + stable_turtle(graph))
        log.info("wrote %d changes to %s", len(changes), rdf)
    return 0


def _snapshot_changes(
    older: "DatedSpec", newer: "DatedSpec", given: str
) -> "tuple[list[Change], set[str]]":
    """The changes between two files read as kg build reads snapshots (:partial honoured,
    the same shrink guard), and the entities the newer one lists (a renamed entity still
    listed is not replaced)."""
    from kg.sources import history
    from kg.sources.csl_read import read_csl
    from kg.sources.namesakes import Namesakes

    namesakes = Namesakes()
    old_counts: Counter[history.Key] = Counter()
    new_counts: Counter[history.Key] = Counter()
    old_entries = history.entries(read_csl(Path(older.location)).rows, namesakes, old_counts)
    new_entries = history.entries(read_csl(Path(newer.location)).rows, namesakes, new_counts)
    complete = "partial" not in newer.qualifiers
    changes = history.diff(
        old_entries,
        new_entries,
        old_complete="partial" not in older.qualifiers,
        new_complete=complete,
        old_date=older.date or dt.date.min,
        counts=(old_counts, new_counts),
    )
    if complete and "accept-shrink" not in newer.qualifiers:
        known = Counter(key.list for key in old_entries)
        history.check_shrink(changes, known, name=newer.location, where=given)
    history.warn_growth(changes, Counter(key.list for key in new_entries), name=given)
    return changes, {key.entity for key in new_entries}


#: The first line of what kg diff --rdf writes: a file without it is not ours to replace.
DIFF_MARK = b"# Written by kg diff: the list actions between two snapshots.\n"


def _check_ours(path: Path) -> None:
    """Refuse to replace a file that kg diff did not write (a command never removes what it
    did not make): a path that does not exist yet, or an earlier answer, may be written."""
    if not path.exists() and not path.is_symlink():
        return
    if path.is_file() and not path.is_symlink():
        with contextlib.suppress(OSError), path.open("rb") as existing:
            if existing.read(len(DIFF_MARK)) == DIFF_MARK:
                return
    raise KgError(
        f"{path} exists and kg diff did not write it: it is left as it is",
        where=str(path),
        hint="give --rdf a new path, or move that file away yourself",
    )


def _publish(settings: Settings) -> int:
    from kg.publish.gsp import publish
    from kg.remote_store import Credentials, RemoteStore

    missing = [
        flag
        for flag, url in (
            ("--store", settings.store_url),
            ("--update", settings.update_url),
            ("--gsp", settings.gsp_url),
        )
        if not url
    ]
    if missing:
        raise KgError(
            f"kg publish needs the server's endpoints: {', '.join(missing)} missing",
            hint="give --store QUERY_URL --update UPDATE_URL --gsp GSP_URL (README, 'Publishing')",
        )
    with RemoteStore(
        settings.store_url,
        update_url=settings.update_url,
        gsp_url=settings.gsp_url,
        credentials=Credentials.from_env(),
        timeout=600.0,  # the switch copies the whole release inside the server
    ) as store:
        done = publish(settings.out_dir, store, settings.base_iri)
    release, where = done.release, settings.store_url
    if done.loaded:
        print(f"published release {release.digest}: {release.quads} quads to {where}")
    else:
        print(f"release {release.digest} ({release.quads} quads) was published already to {where}")
    return 0


def _serve(settings: Settings) -> int:
    # Imported here: the web stack is needed only by this verb.
    import uvicorn

    from kg.remote_store import Credentials
    from kg.web.app import create_app
    from kg.web.connections import with_deadlines

    if settings.store_url:
        # Before the server says it started: the refusal came after "startup complete".
        Credentials.from_env()
    listener = _listen(settings.host, settings.port)  # a busy port fails before any loading
    app = create_app(settings)
    log.info(
        "serving %s on http://%s:%d/ (SPARQL at /sparql)",
        settings.out_dir,
        settings.host,
        settings.port,
    )
    # -q (warnings only) also silences the log line per request, which costs throughput.
    level = logging.getLogger().getEffectiveLevel()
    config = uvicorn.Config(
        app,
        access_log=level <= logging.INFO,
        log_config=None,  # its lines go through ours, stamped with the time
        log_level=level,
        timeout_graceful_shutdown=5,
        http=with_deadlines(settings.header_timeout, settings.connections_per_client),
        timeout_keep_alive=int(settings.idle_timeout),
        limit_concurrency=settings.max_connections,
    )
    server = uvicorn.Server(config)
    app.state.kg.stop_serving = lambda: setattr(server, "should_exit", True)
    server.run(sockets=[listener])
    if app.state.kg.failure is not None:
        raise app.state.kg.failure
    return 0


def _listen(host: str, port: int) -> socket.socket:
    try:
        return socket.create_server((host, port), reuse_port=False)
    except OSError as error:
        raise KgError(
            f"cannot listen on {host}:{port}: {error.strerror}",
            hint="stop what is using that port, or choose another with --port",
        ) from error


if __name__ == "__main__":
    sys.exit(main())
