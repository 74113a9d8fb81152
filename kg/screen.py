"""`kg screen`: a spreadsheet of counterparties screened offline against a build.

One row out per row in: the best candidate, its score, lists, start dates, rules, a link to
its page, why it scored so, and the release screened against. Wired into `kg` by kg.cli
(`add_screen_arguments` for the verb's options, `screen_command` to run it).
"""

import argparse
import codecs
import datetime as dt
import io
import logging
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.config import Settings
from kg.errors import KgError
from kg.in_force import UNDATED
from kg.match import queries, spreadsheet
from kg.match.index import MatchIndex
from kg.match.rows import run_queries
from kg.publish import checksums, indexes
from kg.publish.files import DESCRIPTION, DUMPS, INDEXES, NQUADS
from kg.publish.staging import write_atomically

log = logging.getLogger(__name__)

#: Option names of the verb that are not settings (kg.cli keeps them out of Settings).
DESTS = frozenset({"file", "output", "as_of", "threshold", "lists", "progress", "encoding"})
DEFAULT_THRESHOLD = 0.70


def add_screen_arguments(verb: argparse.ArgumentParser) -> None:
    verb.add_argument(
        "file",
        type=Path,
        help="CSV with a column `name` (and optionally country, or nationality, birth_date, "
        "id_number, and kind: person, organisation, company, vessel or aircraft; empty: any "
        "kind)",
    )
    verb.add_argument(
        "--out",
        dest="out_dir",
        metavar="DIR",
        help="build folder to screen against (default: build)",
    )
    verb.add_argument(
        "--output",
        type=Path,
        metavar="FILE",
        required=True,
        help="CSV to write, UTF-8 with a byte-order mark for Excel: every input row with "
        "its best match (an earlier result is replaced; the input, or a file kg screen did "
        "not write, never is)",
    )
    verb.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="screen against the entries in force on this day (default: today); an entry "
        "without a start date counts from the first snapshot that showed it",
    )
    verb.add_argument(
        "--threshold",
        type=float,
        default=DEFAULT_THRESHOLD,
        metavar="SCORE",
        help=f"score from which a row is a possible match (default: {DEFAULT_THRESHOLD})",
    )
    verb.add_argument(
        "--lists",
        action="append",
        metavar="LIST",
        help="only these lists: EL, SDN, ... (repeatable or comma-separated)",
    )
    verb.add_argument(
        "--encoding",
        default="utf-8",
        metavar="NAME",
        help="the input's character encoding (default: utf-8, with or without Excel's "
        'byte-order mark; Excel\'s plain "CSV (Comma delimited)" is cp1252 in Western Europe)',
    )
    verb.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show progress on stderr (default: when stderr is a terminal)",
    )


def open_index(out_dir: Path) -> MatchIndex:
    """The screening index of a build folder: the one the build wrote (what `kg serve`
    screens with), checked; for a build made before builds wrote it, made from its checked
    N-Quads dump."""
    if indexes.present(out_dir / INDEXES):
        return indexes.verify(out_dir / INDEXES).screening
    dumps = out_dir / DUMPS
    if not (dumps / NQUADS).is_file():
        raise KgError(
            "no build to screen against",
            where=str(dumps),
            hint="run `kg build` first, or point --out at a build folder",
        )
    checksums.verify(dumps, (NQUADS, DESCRIPTION))
    return MatchIndex.from_rows(run_queries(dump_store(dumps)), checksums.read(dumps)[NQUADS])


def dump_store(dumps: Path) -> ox.Store:
    """The N-Quads dump and the dataset's description in one store, as the screening
    queries (kg.match.rows) read them: the description in a graph of its own."""
    store = ox.Store()
    store.bulk_load(path=str(dumps / NQUADS), format=ox.RdfFormat.N_QUADS)
    store.bulk_load(
        path=str(dumps / DESCRIPTION),
        format=ox.RdfFormat.TURTLE,
        to_graph=ox.NamedNode("urn:kg:description"),
    )
    return store


def _merged(index: MatchIndex) -> str:
    """Why the index holds fewer parties than the home page's count of records, if so."""
    merged = index.records - len(index)
    if not merged:
        return ""
    return (
        f" ({index.records:,} records of the lists: a curator judged {merged:,} of them the "
        "same party as another, which screening reads as one)"
    )


def screen_command(args: argparse.Namespace, settings: Settings | None = None) -> int:
    settings = settings or Settings.from_env().with_options(out_dir=args.out_dir)
    if not 0 <= args.threshold <= 1:
        raise KgError(f"--threshold {args.threshold} is not a score", hint="give 0 to 1")
    if not args.file.is_file():  # before the index, which takes seconds on the whole CSL
        raise KgError("no such file", where=str(args.file), hint="give the CSV to screen")
    try:
        codecs.lookup(args.encoding)
    except LookupError as error:
        raise KgError(
            f"--encoding {args.encoding}: no such encoding",
            hint="give utf-8, cp1252, latin-1, utf-16, ... (Python's codec names)",
        ) from error
    _replaceable(args.file, args.output)
    # Before the index too, with what to write: it said only "see kg screen --help", after
    # the index had opened (trial 56a).
    try:
        day = queries.as_of(args.as_of, ("--as-of",), dt.date.today())
    except queries.FieldError as error:
        hint = "give the day as YYYY-MM-DD, e.g. --as-of 2020-01-01 (empty: today)"
        raise KgError(error.what, where="--as-of", hint=hint) from error
    started = time.monotonic()
    index = open_index(settings.out_dir)
    log.info(
        "index of %s parties opened in %.1f s%s",
        f"{len(index):,}",
        time.monotonic() - started,
        _merged(index),
    )
    try:
        wanted = queries.list_iris(args.lists or [], index.lists, ("--lists",))
    except queries.FieldError as error:
        raise KgError(
            error.what, where=str(error.location[0]), hint="see kg screen --help"
        ) from error
    progress = sys.stderr.isatty() if args.progress is None else args.progress
    counts = _screen_file(
        args.file,
        args.output,
        index,
        Options(day, wanted, args.threshold, progress, args.encoding),
    )
    rows, statuses, unscreened, lettered = counts
    # After the file was read: a file that cannot be screened gets its error alone.
    caveat = index.release.caveat(day)
    if caveat:
        log.warning("%s", caveat)
    said = [(number, f"line {number}: not screened: {problem}") for number, problem in unscreened]
    if lettered:
        lines = ", ".join(map(str, lettered[:10])) + (", ..." if len(lettered) > 10 else "")
        said.append(
            (
                lettered[0],
                f"line{'s' if len(lettered) > 1 else ''} {lines}: no match for a name in "
                "Arabic, Persian or Hebrew script, which is read letter for letter: screen its "
                "Latin spelling too (the row's explanation)",
            )
        )
    # In the file's order: lines 19, 20, then 18 (trial 57a).
    for _, warning in sorted(said):
        log.warning("%s, %s", args.file, warning)
    missed = f", {len(unscreened)} not screened (see the warnings)" if unscreened else ""
    # Apart from the possible matches, yet to review: an analyst who read "0 possible matches"
    # cleared PJSC AEROFLOT, whose order may have been extended since (trial 36).
    # So are the rows of weaker candidates only: "Rotenberg" read "no match" (trial 41).
    matches = statuses["possible match"]
    review = "".join(
        f" and {statuses[status]} '{status}', to review as well"
        for status in (spreadsheet.NOT_KNOWN, spreadsheet.WEAK_NOT_KNOWN, spreadsheet.WEAK)
        if statuses[status]
    )
    # And the rows cleared, so that the counts add up to the rows screened (trial 55a).
    cleared = sum(statuses[status] for status in spreadsheet.CLEARED)
    clean = f", {cleared} with no match" if cleared else ""
    print(
        f"screened {rows - len(unscreened)} of {rows} row{'' if rows == 1 else 's'} against "
        f"release {index.release.date} as of {day}: {matches} possible "
        f"match{'' if matches == 1 else 'es'}{review}{clean}{missed}; written to {args.output}"
    )
    if caveat:
        print(f"Warning: {caveat}.")
    print(f"As of a day: {UNDATED}")
    # A row that could not be screened is bad input: said in its row and here, and the
    # exit status says it too, for a script that runs kg screen.
    return 1 if unscreened else 0


def _replaceable(source: Path, target: Path) -> None:
    """Refuse an --output that is the input or a file kg screen did not write: a command
    never removes what it did not make. A result of an earlier run (its header has our
    columns) is replaced, whole, as a rerun expects."""
    if not target.exists():
        return
    if target.is_dir() or target.samefile(source):
        what = "is a folder" if target.is_dir() else "is the file to screen"
        raise KgError(f"--output {what}", where=str(target), hint="give another --output file")
    try:
        with target.open(encoding="utf-8-sig", newline="") as handle:
            header = handle.readline().rstrip("\r\n").split(",")
    except (OSError, UnicodeDecodeError):
        header = []
    # Our first and last columns of old, so that a result of an earlier version counts too.
    if not {"screen_status", "release_nquads_sha256"} <= set(header):
        raise KgError(
            "--output exists and is not a result of kg screen: it would be replaced",
            where=str(target),
            hint="give a new --output file, or move this one away first",
        )


@dataclass(frozen=True)
class Options:
    day: dt.date
    lists: tuple[str, ...]
    threshold: float
    progress: bool
    encoding: str = "utf-8"


def _screen_file(
    source: Path, target: Path, index: MatchIndex, options: Options
) -> tuple[int, Counter[str], list[tuple[int, str]], list[int]]:
    """Screen every row of `source` into `target` (written whole, or not at all): how many
    rows, how many of each status, the rows not screened (line, why), and the lines of no
    match for a name read letter for letter."""
    out = io.StringIO()
    rows = 0
    statuses: Counter[str] = Counter()
    unscreened: list[tuple[int, str]] = []
    lettered: list[int] = []  # no match, for a name read letter for letter
    with spreadsheet.open_input(source, options.encoding) as handle:
        header, found = spreadsheet.read_rows(handle, str(source))
        answered = []
        for row in found:
            cells = _answer(row, index, options)
            statuses[cells[0]] += 1
            if cells[0] == spreadsheet.LETTERED:
                lettered.append(row.number)
            if row.problem is not None:
                unscreened.append((row.number, row.problem))
            answered.append([*(row.cells.get(column, "") for column in header), *cells])
            rows += 1
            if options.progress and rows % 100 == 0:
                print(f"\rscreened {rows} rows", end="", file=sys.stderr, flush=True)
    if options.progress:
        print(f"\rscreened {rows} rows", file=sys.stderr)
    spreadsheet.write_rows(out, header, answered)
    try:
        # With a byte-order mark: Excel then reads the file as UTF-8 (names in any script).
        write_atomically(target, out.getvalue().encode("utf-8-sig"))
    except OSError as error:
        raise KgError(
            f"cannot write the result: {error.strerror}",
            where=str(target),
            hint="choose a writable --output path",
        ) from error
    return rows, statuses, unscreened, lettered


#: The most parties a row names (each possible match, and each match not in force that day):
#: the SDN's AL-AQSA FOUNDATION, asked with a country, has nine at the threshold.
NAMED = 100


def _answer(row: spreadsheet.Row, index: MatchIndex, options: Options) -> list[str]:
    screening = None
    if row.query is not None:
        screening = index.screen(row.query, as_of=options.day, lists=options.lists, limit=NAMED)
    names = row.query.names if row.query is not None else ()
    return spreadsheet.answer_cells(
        screening, row.problem, options.day.isoformat(), index.release, options.threshold, names
    )
