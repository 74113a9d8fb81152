"""Spreadsheets in and out: the rows to screen, and the answer written for a spreadsheet.

The answer is opened in Excel or LibreOffice, which run a cell beginning with `=`, `+`, `-`,
`@` (or a tab or carriage return) as a formula: every such cell is written with a leading
apostrophe, so that a name such as `=HYPERLINK(...)` in the input or the list stays text.
"""

import codecs
import csv
import datetime as dt
import difflib
import io
import logging
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO, TypeVar

from kg.errors import KgError
from kg.match.answers import (
    FEATURE_WORDS,
    listed_together,
    record_of,
    removal_notes,
    same_party_notes,
    shown,
    ties,
)
from kg.match.evidence import kind_name
from kg.match.index import unlisted_name
from kg.match.model import (
    CUTOFF,
    READ,
    REVIEW,
    REVIEW_HOW,
    Candidate,
    Listing,
    OutOfForce,
    Query,
    Release,
    Screening,
)
from kg.match.normalise import letter_for_letter
from kg.match.queries import Problems, build, read_kind

log = logging.getLogger(__name__)

#: Input columns (case and spacing ignored), by the property each gives.
COLUMNS = {
    "name": ("name", "party", "counterparty"),
    # A nationality is a country the screening reads (trial 56a: a `nationality` column was
    # left out unsaid, and its rows screened without their countries).
    "country": ("country", "nationality", "citizenship"),
    "birthDate": ("birth_date", "date_of_birth", "dob", "birthdate"),
    "idNumber": ("id_number", "id", "identifier", "idnumber"),
    # What the party is (Person, Organization, Company, Vessel, Airplane); none: any kind.
    "schema": ("schema", "kind"),
}
#: Columns added to each row of the answer.
OUTPUT_COLUMNS = (
    "screen_status",
    "match_score",
    "match_name",
    "matched_alias",
    "match_kind",
    # What tells namesakes apart, which an analyst opened pages for (trial 52a: the two
    # MINISTRY OF STATE SECURITY, SDN no. 20129 and 25437, read alike but for the numbers).
    "match_countries",
    "match_birth_dates",
    "match_lists",
    "match_start_dates",
    "match_not_in_force",
    "match_rules",
    "match_page",
    "explanation",
    # The other parties of the answer and our candidate matches of the best apart from its
    # explanation: one cell held them all, too long to read (trial 50a).
    "other_candidates",
    "candidate_matches",
    "candidates",
    "as_of",
    "release",
    "release_date",
    "release_nquads_sha256",
    # Why the day may be outside what the release knows of the lists (Release.caveat): the
    # file outlives the log that said it.
    "as_of_caveat",
)
#: The status of no match for a name read letter for letter (normalise.letter_for_letter).
LETTERED = "no match, read letter for letter"
#: The status of a row whose name matches a party that may have been in force that day, and
#: nothing we read says it was not (Listing.why_unknown): for a person to review. It begins
#: as a possible match's: "no match known to be in force..." was filtered in a spreadsheet
#: with the clean rows (trial 37).
NOT_KNOWN = "possible match, not known to be in force that day"
#: The status of a row whose best candidate scores below the threshold: the parties it
#: names are to review, a surname alone among them ("Rotenberg": eight SDN persons), which
#: read "no match" and was dropped with the clean rows (trial 41).
WEAK = "weaker candidate, below the threshold"
#: The status of a row whose best candidate is below the threshold and may have been in
#: force that day, as /screen heads it ("Rotenberg" as of 2020-01-01 read "weaker candidate,
#: below the threshold" beside /screen's "not known to be in force that day": 54c).
WEAK_NOT_KNOWN = "weaker candidate, not known to be in force that day"
NO_MATCH = "no match"
#: The status of a row whose name matches only parties known not to be in force that day.
NONE_IN_FORCE = "no match in force on that day"
#: The statuses of a row that names no party to review.
CLEARED = (NO_MATCH, LETTERED, NONE_IN_FORCE)
#: The most weaker candidates in force, and parties known not to be, a row names of each,
#: as /screen shows the 10 best.
AT_MOST_NAMED = 10
#: How many parties of one reason to review the explanation names; more are counted, as
#: other_candidates names each.
FEW_NAMED = 3
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Excel's first line naming the separator, "sep=,".
_SEPARATOR = re.compile(r"sep=(.)")
T = TypeVar("T")


def neutralise(cell: str) -> str:
    """A cell a spreadsheet will show as text, never run.

    >>> neutralise("=HYPERLINK(\\"http://x\\")"), neutralise("Huawei")
    ('\\'=HYPERLINK("http://x")', 'Huawei')
    """
    return f"'{cell}" if cell.startswith(_FORMULA_START) else cell


@dataclass(frozen=True)
class Row:
    number: int  # the line in the file, header being line 1
    cells: dict[str, str]
    query: Query | None
    problem: str | None


def read_rows(handle: TextIO, source: str) -> tuple[list[str], Iterator[Row]]:
    """The header and the rows of a CSV file; a row that cannot be read carries its problem.
    Excel's first line "sep=," is read past. A row is numbered by the line it begins on."""
    first = handle.readline()
    skipped = _separator_line(first, source)
    if not skipped:
        handle.seek(0)
    # Strict: a quote left open to the end of the file is an error, not one last cell.
    reader = csv.DictReader(handle, strict=True)
    header = list(_read(1 + skipped, source, lambda: reader.fieldnames or []))
    columns = _columns(header, f"{source}, line {1 + skipped}")
    return header, _rows(reader, columns, source, skipped)


def _separator_line(line: str, source: str) -> int:
    """1 where the line is Excel's "sep=," (the file's separator, said before its header),
    else 0; another separator is said to be one."""
    said = _SEPARATOR.fullmatch(line.strip())
    if said is None:
        return 0
    if said.group(1) != ",":
        raise KgError(
            f"its columns are separated by {said.group(1)!r} (its first line says so)",
            where=f"{source}, line 1",
            hint="save it as CSV with commas",
        )
    return 1


def _rows(
    reader: "csv.DictReader[str]", columns: Mapping[str, str], source: str, skipped: int
) -> Iterator[Row]:
    begins = reader.line_num + 1
    while (cells := _read(begins + skipped, source, lambda: next(reader, None))) is not None:
        row = _row(begins + skipped, cells, columns)
        if reader.line_num > begins and row.problem is None:
            row = _spanning(row, begins + skipped, reader.line_num + skipped)
        yield row
        begins = reader.line_num + 1


def _read(line: int, source: str, read: Callable[[], T]) -> T:
    """What `read` reads of the CSV from `line` on; a quote never closed is said there."""
    try:
        return read()
    except csv.Error as error:
        unclosed = "unexpected end of data" in str(error)
        raise KgError(
            f"cannot read it as CSV from this line on: {error}"
            + (" (a quote opened in a cell is never closed)" if unclosed else ""),
            where=f"{source}, line {line}",
            hint="close the quote where its cell ends, or remove it"
            if unclosed
            else 'quote a cell whole, "like this", and write a quote inside it twice ("")',
        ) from error


def _spanning(row: Row, first: int, last: int) -> Row:
    """A row whose cells run over several lines, not screened: a quote left open joins the
    rows after it into one name, and Sberbank, Rosneft and Mahan Airways, joined to "The
    Tool Shop, Ltd", were cleared as "no match" (trial 55a). A name holds no line break."""
    name = next(iter(row.query.names), "") if row.query else ""
    if "\n" not in name and "\r" not in name:
        return row
    problem = (
        f"name: runs over lines {first} to {last}: a quote opened in line {first} closes "
        "only there, and joins the rows between into one cell; close the quote where its "
        "cell ends"
    )
    return replace(row, number=first, query=None, problem=problem)


def _columns(header: Sequence[str], source: str) -> dict[str, str]:
    folded = {name.strip().casefold().replace(" ", "_"): name for name in header}
    # The first of a property's names the header has: `country` before `nationality`.
    found = {
        prop: next(folded[alias] for alias in aliases if alias in folded)
        for prop, aliases in COLUMNS.items()
        if any(alias in folded for alias in aliases)
    }
    if "name" not in found:
        # A spreadsheet saved with semicolons (Excel in many locales) reads as one column.
        other = next((mark for mark in ";\t|" if len(header) == 1 and mark in header[0]), None)
        hint = "name the column of names `name` (optional: country, birth_date, id_number, kind)"
        if other:
            hint = f"its columns are separated by {other!r}: save it as CSV with commas"
        raise KgError("the file has no column `name`", where=source, hint=hint)
    _warn_misspelt(folded, found, source)
    return found


def _warn_misspelt(folded: Mapping[str, str], found: Mapping[str, str], source: str) -> None:
    """A column whose name is near one we read, and which is not read: "countyr" was left
    out unsaid, and the rows screened without their countries (trial 55a). Other columns
    (an account number, a note) are the analyst's own and pass through."""
    aliases = [alias for prop, names in COLUMNS.items() if prop not in found for alias in names]
    for name, column in folded.items():
        if column in found.values():
            continue
        near = difflib.get_close_matches(name, aliases, n=1, cutoff=0.8)
        if near:
            log.warning(
                "%s: column %r is not read: did you mean %r? (it is passed through to the "
                "result as it is)",
                source,
                column,
                near[0],
            )


def _row(number: int, cells: Mapping[str, str | None], columns: Mapping[str, str]) -> Row:
    plain = {key: value or "" for key, value in cells.items() if key is not None}
    values = {prop: [plain.get(column, "")] for prop, column in columns.items()}
    values = {prop: [v for v in found if v.strip()] for prop, found in values.items()}
    # A row that does not say what the party is asks for any kind: a vessel's name is not
    # held against it as a LegalEntity's would be (ADRIAN DARYA 1 scored 0.87).
    written = (values.pop("schema", None) or [""])[0].strip()
    problems = Problems()
    kind = problems.read(lambda: read_kind(written, (f"line {number}", "schema")))
    query = problems.read(lambda: build(kind or "Thing", values, (f"line {number}",)))
    if query is not None and not problems.found:
        return Row(number, plain, query, None)
    # Each bad value under its column's name (birth_date, not birthDate).
    said = [f"{columns.get(str(e.location[1]), e.location[1])}: {e.what}" for e in problems.found]
    return Row(number, plain, None, "; ".join(said))


def answer_cells(
    screening: Screening | None,
    problem: str | None,
    day: str,
    release: Release,
    threshold: float,
    query_names: Sequence[str] = (),
) -> list[str]:
    """The columns added to one row: its best candidate, why, and what was screened.

    Where no party in force that day matches at the threshold but a name on an entry not in
    force does, the columns describe that party (its entries in `match_not_in_force`), as
    the status and the explanation name it; the weaker candidates in force are named in
    `other_candidates`. Columns that described the weaker one beside a status naming the
    exact one were read as "ZARIF is Mohamad Javad"."""
    pinned = [
        day,
        release.iri,
        release.date,
        release.nquads_sha256,
        release.caveat(dt.date.fromisoformat(day)) or "",
    ]
    if screening is None:
        # No count: "0" read as a clean row to a filter on it (trial 51b).
        return _cells(f"not screened: {problem}", pinned, counted="")
    # Never silently: a name that matches as well as a match must, on an entry not in force
    # that day, is said, whatever else matched less; so is any party that may have been in
    # force, as /screen says it ("Rotenberg" as of 2020-01-01, eight SDN persons to review,
    # read "no match": trial 53b). A weaker likeness known not in force is no match.
    outside = [o for o in screening.outside if o.name_score >= threshold or o.unknown]
    # Counted, and a possible match, as /screen counts it: with its evidence at the
    # threshold (Viktor Bout born 1985, 0.43 with the birth year, was "possible match").
    review = [o for o in outside if o.unknown and o.score >= threshold]
    # Screened, but a script without vowels finds a Latin spelling only by chance.
    caution = next(filter(None, map(letter_for_letter, query_names)), "")
    status = LETTERED if caution else NO_MATCH
    if review:
        status = NOT_KNOWN
    elif any(o.unknown for o in outside):
        status = WEAK
    elif outside:
        status = NONE_IN_FORCE
    best = screening.candidates[0] if screening.candidates else None
    others: list[str] = []  # the other parties of the answer
    tied_among: list[Candidate] | None = None  # the candidates in force, unless said
    if best is not None and best.score >= threshold:
        status = "possible match"
    elif best is not None and not outside and not caution:
        status = WEAK
    elif (described := _to_describe(outside, review, best, threshold)) and (
        exact := _described(described, screening)
    ) is not None:
        best = exact
        tied_among = [o.candidate for o in review if o.candidate is not None]
        if status == WEAK and any(o.unknown for o in described):
            status = WEAK_NOT_KNOWN
    shown_best = {best.entity.iri, record_of(best)} if best is not None else None
    said = _matched_outside(outside, shown_best) + ([caution] if caution else [])
    if best is None or shown_best is None:
        return _cells(status, pinned, explanation="; ".join(said or [_none(screening)]))
    # The row names its best; every other party in force at the threshold is named too, so
    # that a reviewer of the file sees each possible match (the North Korean MINISTRY OF STATE
    # SECURITY, 0.88, beside the Ukrainian one asked for).
    others += [
        f"also a possible match: {other.caption} <{record_of(other)}> ({_scored(other)})"
        for other in screening.candidates
        if other is not best and other.score >= threshold
    ]
    # Those not known to be in force that day, beside their reasons in the explanation: a
    # filter on this column missed MAHAN AIRWAYS (DPL), counted among "Mahan Air"'s 3 (53b).
    # Those at the threshold are possible matches, as /screen heads their cards: PJSC
    # SBERBANK's 0.98 read as one of the weaker ones below it (trial 54c); in /screen's
    # order, after those in force and before the weaker ones (55a).
    unknown = [o for o in outside if o.unknown and o.iri not in shown_best]
    others += [
        f"also a possible match, not known to be in force that day: {o.caption} <{o.iri}> "
        f"({_scored_outside(o)})"
        for o in unknown
        if o.score >= threshold
    ]
    # Then those not counted that day, before the weaker ones in force, as /screen lists
    # "Matched, but not counted" above its weaker cards (56a: the file had them after).
    others += [
        f"not known to be in force that day: {o.caption} <{o.iri}> ({_scored_outside(o)})"
        for o in unknown
        if o.score < threshold
    ]
    # And those known not to be, as /screen lists them "Matched, but not counted" (Huawei's
    # subsidiaries as of 2020-01-01 were named nowhere in the file, IRGC (ISN) only in the
    # explanation: trial 54b).
    others += _at_most(
        [
            f"not in force that day: {o.caption} <{o.iri}> "
            f"({_scored_outside(o)}), {counted_from(o.window)}"
            for o in screening.outside
            if not o.unknown and o.iri not in shown_best
        ],
        "parties not in force that day",
    )
    # Below the threshold, the parties that score as the one the columns describe: a
    # surname alone ("Rotenberg") named one of the SDN's eight, as if the only one (trial 39).
    others += [
        f"as weak: {other.caption} <{record_of(other)}> ({_scored(other)})"
        for other in screening.candidates
        if other is not best and other.score == best.score < threshold
    ]
    # The weaker ones in force, strongest first, as /screen lists them: Al-Aqsa's two at
    # 0.52 and 0.50, and Sberbank's 13, were on /screen only (53d).
    weaker = [o for o in screening.candidates if o.score < min(best.score, threshold)]
    others += _at_most(
        [
            f"weaker, in force that day: {other.caption} <{record_of(other)}> ({_scored(other)})"
            for other in weaker
        ],
        "weaker candidates in force that day",
    )
    said += _ties(best, screening, tied_among)
    # An entry in force by the as-of rule that may have left the list before the day.
    said += [f"its {note}" for note in removal_notes(best, screening.as_of)]
    cells = _candidate_cells(best, dt.date.fromisoformat(day))
    cells[-1] = "; ".join(part for part in (cells[-1], *said) if part)  # the explanation
    cells += ["; ".join(others), "; ".join(same_party_notes(best.entity, screening, threshold))]
    # Counted as named: the possible matches in force (a reader saw "3" and no name: the
    # count was of every party at 0.5, the names those at the threshold).
    # Those to review count too, at the threshold as /screen counts them, whatever the
    # status: "Al Naser Airlines" counted 1 beside two DPL parties to review (50a).
    possible = sum(1 for other in screening.candidates if other.score >= threshold)
    possible += len(review)
    return [status, *cells, str(possible), *pinned]


def _at_most(named: list[str], what: str) -> list[str]:
    """The first AT_MOST_NAMED of a kind of party, the rest counted, as /screen shows ten."""
    if len(named) <= AT_MOST_NAMED:
        return named
    return [*named[:AT_MOST_NAMED], f"and {len(named) - AT_MOST_NAMED} more {what}"]


def _scored_outside(o: OutOfForce) -> str:
    """A party not counted that day, scored as a candidate is where it was scored so."""
    return _scored(o.candidate) if o.candidate else shown(o.score)


def _scored(candidate: Candidate) -> str:
    """A candidate's score and what made it, in brief: the name it matched by where its
    caption is another, and what lowered it. "AMEZCUA CONTRERAS, Luis Ignacio (1.0000)" for
    "Luis Lopez" said nothing of the alias it matched (trial 51d).

    >>> from kg.match.model import Entity, Feature
    >>> party = Entity("x:p", "MSS", "Organization", frozenset(), (), frozenset(), ())
    >>> lowered = (Feature("country", -0.12, "different country"),)
    >>> _scored(Candidate(party, 0.88, 1.0, "MINISTRY OF STATE SECURITY", lowered, ()))
    "0.8800: by 'MINISTRY OF STATE SECURITY', different country -0.12"
    """
    said = [f"by {unlisted_name(candidate) or candidate.matched_name!r}"]
    if candidate.matched_name == candidate.caption:
        said = []
    # How near the name is where it is not the same, as /screen and /match say it: "same
    # name but for the legal form" was said there only (trial 51e).
    said += [
        f"{f.detail} {f.effect:.2f}"
        for f in candidate.features
        if f.name == "name" and f.effect < 1
    ]
    said += [f"{f.detail} {f.effect:+.2f}" for f in candidate.features if f.effect < 0]
    # Its entries, by number where the list numbers them, as the row's own start column
    # gives them (trial 51e), a list that numbers none by its name (52c: "Huawei Tech
    # Investment Limited (QA, 0.98)" named no list); its countries and births, which tell
    # namesakes apart where the numbers do not say (52a, 52c).
    listings = (*candidate.listings, *candidate.not_in_force)
    facts = [x.entry or x.abbreviation or x.list_name for x in listings]
    facts += sorted(candidate.entity.countries)
    if candidate.entity.birth_dates:
        facts.append(f"born {', '.join(candidate.entity.birth_dates)}")
    # Commas within: "; " parts the parties of other_candidates, and a script splitting the
    # cell on it cut a party's "by 'X'; same name ..." in two (trial 55b).
    scored = shown(candidate.score) + (f": {', '.join(said)}" if said else "")
    return ", ".join([*dict.fromkeys(facts), scored])


def _ties(
    best: Candidate, screening: Screening, among: Sequence[Candidate] | None = None
) -> list[str]:
    return [
        f"before {', '.join(f'{o.caption} <{record_of(o)}>' for o in others)} at the same "
        f"score, as {why}"
        for why, others in ties(best, screening, among)
    ]


def _cells(status: str, pinned: list[str], explanation: str = "", counted: str = "0") -> list[str]:
    """The columns of a row that names no party: its status, why, how many candidates, what
    was screened against."""
    cells = [status, *[""] * (len(OUTPUT_COLUMNS) - len(pinned) - 2), counted, *pinned]
    cells[OUTPUT_COLUMNS.index("explanation")] = explanation
    return cells


def _to_describe(
    outside: Sequence[OutOfForce],
    review: Sequence[OutOfForce],
    best: Candidate | None,
    threshold: float,
) -> Sequence[OutOfForce]:
    """The parties not counted that day that a row describes in place of its best in force,
    which is below the threshold: those to review, else those whose name matches at the
    threshold, else any that scores above the best in force."""
    strong = [o for o in outside if o.name_score >= threshold]
    if review or strong:
        return review or strong
    if best is None or any(o.score > best.score for o in outside):
        return outside
    return []


def _described(outside: Sequence[OutOfForce], screening: Screening) -> Candidate | None:
    """The party a row of no match in force describes: the first that may be in force, its
    lists, start dates and rules those of its entries that may be (trial 38: the row of
    PJSC AEROFLOT named no list, and a filter on the lists column dropped it); else the
    first matched."""
    for o in outside:
        if o.unknown and o.candidate is not None:
            maybe = tuple(x for x in o.candidate.not_in_force if screening.why_unknown(x))
            rest = tuple(x for x in o.candidate.not_in_force if x not in maybe)
            return replace(o.candidate, listings=maybe, not_in_force=rest)
    return outside[0].candidate


def _none(screening: Screening) -> str:
    """What a row that named no party was screened against: its explanation was empty, as a
    row not screened might be (trial 38). The name and the evidence together: "Zeus Shipping
    Ltd" (GR), whose name scored 0.71 against the vessel ZEUS, was said to have no name that
    scored 0.50 (trial 39)."""
    on = " on the lists screened" if screening.lists else ""
    return (
        f"no party{on} in force on {screening.as_of.isoformat()} scored {CUTOFF:.2f} or more, "
        "by its name alone or with the row's other columns"
    )


def _matched_outside(outside: Sequence[OutOfForce], described: Collection[str] | None) -> list[str]:
    """The parties matched but not counted that day, with their scores, each reason said once
    for the parties it holds for: "Sberbank" as of 2020-01-01 said the same two lines for
    each of 13 parties, 6,076 characters (54c). Namesakes (the SDN's two MINISTRY OF STATE
    SECURITY) are told apart by their IRIs.

    Where the row describes a party (its IRIs `described`; None: the row has no columns
    of a party, and no other_candidates), other_candidates names each of the others with
    its score: here only the described party is scored, and where one reason holds for
    them all, the others are counted, not named again. "Mohammed Ali" as of 2020-01-01
    named 25 parties and their scores in both columns, 1,414 characters here (trial 55a)."""
    captions = Counter(o.caption for o in outside)
    by_reason: dict[str, list[OutOfForce]] = {}
    for o in outside:
        by_reason.setdefault(_not_counted(o), []).append(o)

    def named(o: OutOfForce) -> str:
        # A score is said where the row's columns do not give it, in other_candidates.
        iri = f" <{o.iri}>" if captions[o.caption] > 1 else ""
        scored = described is None or o.iri in described
        return f"{o.caption}{iri}" + (f" ({shown(o.score)})" if scored else "")

    said = []
    for why, group in by_reason.items():
        own = [named(o) for o in group if o.iri in (described or ())]
        rest = [o for o in group if o.iri not in (described or ())]
        listed = described is not None and all(o.unknown for o in rest)
        if len(by_reason) == 1 and len(rest) > FEW_NAMED and listed:
            counted = f"{len(rest)} {'more ' if own else ''}parties named in other_candidates"
            said.append(f"matches {' and '.join([*own, counted])}, each {why}")
            continue
        names = own + [named(o) for o in rest]
        # Another party than the row's is "also" matched: Hikvision's row, in force, ended
        # with a Russian party's reason and "Review it", read as said of Hikvision (56a).
        verb = "also matches" if described is not None and not own else "matches"
        said.append(
            f"{verb} {names[0]}, {why}"
            if len(names) == 1
            else f"{verb} {', '.join(names[:-1])} and {names[-1]}, each {why}"
        )
    # What to do, once, as /screen says it under each such party (trial 55a: the file said
    # only "it may have been listed then"); a reason that names its documents says it.
    to_review = {o.iri for o in outside if o.unknown and o.why and READ not in o.why}
    if len(to_review) == 1 and (described is None or to_review <= set(described)):
        said.append(REVIEW)
    elif to_review:
        said.append(f"Review each party not known to be in force that day: {REVIEW_HOW}")
    return said


def _not_counted(o: OutOfForce) -> str:
    """Why a party matched is not counted on the day, and whether it may have been in force.
    An undated entry's reason gives the day a snapshot first showed it: its window said it
    again ("no start date" twice, 54c)."""
    if not o.why:
        return f"not counted that day: {counted_from(o.window)}"
    # By the reason alone, so that parties on other lists for one reason are said together.
    why = o.why_alone
    if "no start date" not in why:
        return f"not known to be in force that day: {why} ({counted_from(o.window)})"
    # The undated entries are the reason's; another entry's span is said as another's: Iran
    # Air's EL entry read as part of its SDN entry's reason (trial 55a).
    spans = o.window.split("; ")
    dated = [counted_from(span) for span in spans if not span.startswith("no start date")]
    other = "its other entries" if len(dated) > 1 else "its other entry"
    when = f" ({other}: {'; '.join(dated)})" if dated else ""
    return f"not known to be in force that day: {why}{when}"


def counted_from(window: str) -> str:
    """When an entry not in force counts, in a sentence.

    >>> counted_from("2019-10-09")
    'counts from 2019-10-09'
    >>> counted_from("no start date, first observed 2022-05-06")
    'no start date, so counted from 2022-05-06, when a snapshot first showed it'
    """
    undated = "no start date, first observed "
    if window.startswith(undated):
        day, _, rest = window.removeprefix(undated).partition(",")
        return f"no start date, so counted from {day}, when a snapshot first showed it{rest}"
    return window if window.startswith("no start date") else f"counts from {window}"


def _candidate_cells(best: Candidate, day: dt.date) -> list[str]:
    listings = best.listings
    return [
        shown(best.score),
        best.caption,
        # Who gives a name no list gives ("Megvii (alias given only by a news article)"), as
        # /screen's Listed column says: the column gave "Megvii" alone (trial 43a).
        unlisted_name(best) or best.matched_name,
        kind_name(best.entity.schema) + (" (our inference)" if best.entity.kind_inferred else ""),
        ", ".join(sorted(best.entity.countries)),
        ", ".join(best.entity.birth_dates),
        # The lists of its entries in force that day: none, for a party none of whose entries
        # was (its lists are then in match_not_in_force alone, as for any other row).
        "; ".join(dict.fromkeys(item.abbreviation or item.list_name for item in listings)),
        # One per listing, named by its list: the lists column names each list once.
        listed_together(listings, iris=True),
        # Its entries that do not count that day: said, never dropped.
        listed_together(best.not_in_force, iris=True),
        _rules_by_list(listings, day),
        "; ".join(pages_of(best)),
        # In the page's words: "birthDate +0.03" was the API's name (trial 56a).
        "; ".join(
            f"{FEATURE_WORDS.get(f.name, f.name)} {f.effect:+.2f} ({f.detail})"
            for f in best.features
        ),
    ]


def pages_of(best: Candidate) -> list[str]:
    """The pages of the records whose entries the row names, those in force first: a party a
    curator judged one from several records (Huawei's Entity List and CMIC records) has
    each; the row gave the CMIC record's page alone, which holds no Entity List entry.

    >>> from kg.match.model import Entity
    >>> el = Listing("x:1", "x:el", "Entity List", "EL", None, None, entity="x:huawei-el")
    >>> cmic = Listing("x:2", "x:cmic", "CMIC", "CMIC", None, None, entity="x:huawei")
    >>> party = Entity("x:huawei", "Huawei", "Company", frozenset(), (), frozenset(), (el, cmic))
    >>> pages_of(Candidate(party, 1.0, 1.0, "Huawei", (), (el,), (cmic,)))
    ['x:huawei-el', 'x:huawei']
    """
    named = (x.entity for x in (*best.listings, *best.not_in_force) if x.entity)
    return list(dict.fromkeys(named)) or [best.entity.iri]


def _rules_by_list(listings: Sequence[Listing], day: dt.date) -> str:
    """The rules each list's entries cite, named by the list: "EL: 84 FR 54002; CMIC: ...".
    A rule published after the day (a later amendment of the entry) is said to be, and one
    known only by its year, the day's, may be.

    >>> from kg.match.model import Rule
    >>> rules = (Rule("x:r", "84 FR 54002", "2019-10-09"), Rule("x:s", "87 FR 12240", "2022"))
    >>> el = Listing("x:1", "x:el", "Entity List", "EL", None, None, rules)
    >>> _rules_by_list([el], dt.date(2023, 1, 1))
    'EL: 84 FR 54002, 87 FR 12240'
    >>> _rules_by_list([el], dt.date(2022, 5, 6))
    'EL: 84 FR 54002, 87 FR 12240 (published in 2022, perhaps after the day)'
    >>> _rules_by_list([el], dt.date(2021, 1, 1))
    'EL: 84 FR 54002, 87 FR 12240 (published after the day)'
    """
    cited: dict[str, dict[str, None]] = {}
    for item in listings:
        named = cited.setdefault(item.abbreviation or item.list_name, {})
        named.update(
            dict.fromkeys(
                rule.citation + (f" ({note})" if (note := rule.later(day)) else "")
                for rule in item.rules
            )
        )
    return "; ".join(f"{name}: {', '.join(rules)}" for name, rules in cited.items() if rules)


def write_rows(handle: TextIO, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    writer = csv.writer(handle, lineterminator="\r\n")
    writer.writerow([neutralise(cell) for cell in [*header, *OUTPUT_COLUMNS]])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])


def open_input(path: Path, encoding: str = "utf-8") -> TextIO:
    """The file as text, decoded whole (a file of counterparties fits in memory), so that a
    byte the encoding cannot read is said with its line: a file Excel saved as Windows-1252
    ended in a traceback (trial 55a). UTF-8's byte-order mark, which Excel writes, is read."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise KgError(
            f"cannot read the file: {error.strerror}",
            where=str(path),
            hint="give a CSV file with a column `name`",
        ) from error
    codec = "utf-8-sig" if codecs.lookup(encoding).name == "utf-8" else encoding
    try:
        return io.StringIO(data.decode(codec), newline="")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start]
        raise KgError(
            f"byte 0x{byte:02x} is not {encoding} text",
            where=f"{path}, line {line}",
            hint="save it as \u201cCSV UTF-8\u201d (Excel's \u201cCSV (Comma delimited)\u201d "
            "is Windows-1252 in Western Europe: then give --encoding cp1252)",
        ) from error
