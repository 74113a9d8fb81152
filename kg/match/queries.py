"""Queries from what people and programs send, with an error that names the wrong field.

The same reading serves /match (FollowTheMoney properties, as yente takes them), /reconcile
(OpenRefine's property ids), the screening page and `kg screen` (spreadsheet columns).
"""

import datetime as dt
import difflib
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from typing import TypeVar

from kg.errors import KgError
from kg.match.countries import code, either
from kg.match.countries import name as country_name
from kg.match.model import SCHEMAS, Query

#: Most queries in one batch, of /match and /reconcile alike.
MAX_BATCH = 100
#: Most names, and longest name, in one query.
MAX_NAMES, MAX_NAME_LENGTH = 20, 500

#: FollowTheMoney properties read, by what they give.
NAME_PROPERTIES = ("name", "alias", "previousName", "weakAlias", "firstName", "lastName")
COUNTRY_PROPERTIES = ("country", "nationality", "citizenship", "jurisdiction", "flag")
DATE_PROPERTIES = ("birthDate",)
ID_PROPERTIES = (
    "idNumber",
    "passportNumber",
    "imoNumber",
    "registrationNumber",
    "taxNumber",
    "innCode",
    "ogrnCode",
    "leiCode",
    "swiftBic",
    "callSign",
    "mmsi",
)
#: Every property a query's screening reads.
READ_PROPERTIES = (*NAME_PROPERTIES, *COUNTRY_PROPERTIES, *DATE_PROPERTIES, *ID_PROPERTIES)
_BIRTH_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

Location = tuple[str | int, ...]


class FieldError(KgError):
    """A value a query cannot take; `location` names it (body, queries, key, field, ...)."""

    status = 422

    def __init__(self, location: Location, what: str) -> None:
        super().__init__(what, where=".".join(map(str, location)))
        self.location = location

    @property
    def each(self) -> tuple["FieldError", ...]:
        """Every bad value it reports: itself, or those of several (ManyFieldsError)."""
        return (self,)


class ManyFieldsError(FieldError):
    """Several bad values of one request or row, said together so that they are fixed in one
    go: a form that said only its first bad field was sent again to learn of the next."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        super().__init__(errors[0].location, "; ".join(str(error) for error in errors))
        self.where = None  # each error says its own
        self.errors = tuple(errors)

    @property
    def each(self) -> tuple[FieldError, ...]:
        return self.errors


T = TypeVar("T")


class Problems:
    """Reads a request's values one by one and keeps every FieldError, to raise them all.

    >>> problems = Problems()
    >>> problems.read(lambda: read_country("Atlantis", ("country",)))
    >>> problems.read(lambda: as_of("2015-02-30", ("as_of",), dt.date.today()))
    >>> problems.raise_any()
    Traceback (most recent call last):
    kg.match.queries.ManyFieldsError: country: 'Atlantis' is not a country: give an ISO code or a \
name; as_of: '2015-02-30' is no day: February 2015 has no 30th
    """

    def __init__(self) -> None:
        self.found: list[FieldError] = []

    def read(self, step: Callable[[], T]) -> T | None:
        """What the step reads, or None where it finds a bad value (kept)."""
        try:
            return step()
        except FieldError as error:
            self.found.extend(error.each)
            return None

    def raise_any(self) -> None:
        if len(self.found) == 1:
            raise self.found[0]
        if self.found:
            raise ManyFieldsError(self.found)


def _no_schema(given: str) -> str:
    """What is wrong with a schema none of SCHEMAS, with the one likely meant: "company" had
    no suggestion where other mistakes have one (trial 50a).

    >>> print(_no_schema("company"))
    'company' is no schema: did you mean Company? schema is one of Person, Organization, \
Company, LegalEntity, Vessel, Airplane, Thing
    """
    near = {s.lower(): s for s in SCHEMAS}.get(given.lower())
    near = near or next(iter(difflib.get_close_matches(given, SCHEMAS, n=1)), None)
    hint = f"did you mean {near}? " if near else ""
    return f"{given!r} is no schema: {hint}schema is one of {', '.join(SCHEMAS)}"


def build(
    schema: str | None,
    values: Mapping[str, Sequence[object]],
    location: Location,
    *,
    schema_at: Location | None = None,
) -> Query:
    """A Query from a schema name and FollowTheMoney-style properties (name -> values).

    A bad value is reported at `location` and the property; a bad schema at `schema_at`
    (where yente's `schema` sits beside `properties`), or else at `location` too. Every bad
    value is reported (ManyFieldsError), not only the first."""
    problems = Problems()
    chosen = schema or "LegalEntity"
    if chosen not in SCHEMAS:
        where = schema_at if schema_at is not None else (*location, "schema")
        problems.found.append(FieldError(where, _no_schema(chosen)))
    names = problems.read(partial(_names, values, location)) or []
    countries = [
        problems.read(partial(read_country, value, (*location, prop, i))) or ""
        for prop in COUNTRY_PROPERTIES
        for i, value in enumerate(values.get(prop, ()))
    ]
    dates = [
        problems.read(partial(_birth_date, value, (*location, prop, i))) or ""
        for prop in DATE_PROPERTIES
        for i, value in enumerate(values.get(prop, ()))
    ]
    problems.raise_any()
    ids = [str(value).strip() for prop in ID_PROPERTIES for value in values.get(prop, ())]
    return Query(
        tuple(names),
        chosen,
        tuple(dict.fromkeys(countries)),
        tuple(dict.fromkeys(dates)),
        tuple(value for value in dict.fromkeys(ids) if value),
    )


def _names(values: Mapping[str, Sequence[object]], location: Location) -> list[str]:
    names: list[str] = []
    for prop in NAME_PROPERTIES:
        for i, value in enumerate(values.get(prop, ())):
            text = str(value).strip()
            if len(text) > MAX_NAME_LENGTH:
                raise FieldError(
                    (*location, prop, i), f"a name has at most {MAX_NAME_LENGTH} characters"
                )
            if text:
                names.append(text)
    first, last = values.get("firstName", ()), values.get("lastName", ())
    if first and last:
        names.append(f"{first[0]} {last[0]}".strip())
    if not names:
        raise FieldError((*location, "name"), "give at least one name that is not empty")
    if len(names) > MAX_NAMES:
        raise FieldError((*location, "name"), f"give at most {MAX_NAMES} names")
    return list(dict.fromkeys(names))


def read_country(value: object, location: Location) -> str:
    """The ISO code of a country given by code or name.

    >>> read_country("Korea", ("country",))
    Traceback (most recent call last):
    kg.match.queries.FieldError: country: 'Korea' is the name of North Korea (KP) and South \
Korea (KR): give which
    """
    found = code(str(value))
    if found is None and (several := either(str(value))):
        named = " and ".join(f"{country_name(x)} ({x})" for x in several)
        raise FieldError(location, f"{value!r} is the name of {named}: give which")
    if found is None:
        raise FieldError(location, f"{value!r} is not a country: give an ISO code or a name")
    return found


def _birth_date(value: object, location: Location) -> str:
    text = str(value).strip()
    if not _BIRTH_DATE.match(text):
        raise FieldError(location, f"{value!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
    if len(text) == 10:  # a whole day: said as as_of says it ("February 1999 has no 30th")
        as_of(text, location, dt.date.min)
    elif not 1 <= int(text[5:7] or 1) <= 12:
        raise FieldError(location, f"{value!r} is no month: there is no month {text[5:7]}")
    return text


#: The words people write for a kind of party (case and spaces ignored), as the schema they
#: ask for: a spreadsheet's kind column, /search's kind filter.
KIND_WORDS = {
    "": "Thing",
    "any": "Thing",
    "thing": "Thing",
    "person": "Person",
    "organization": "Organization",
    "organisation": "Organization",
    "company": "Company",
    "legalentity": "LegalEntity",
    "vessel": "Vessel",
    "airplane": "Airplane",
    "aircraft": "Airplane",
}


def kind_schema(word: str) -> str | None:
    """The schema a kind's word asks for, or None for a word that names no kind.

    >>> kind_schema(" Organisation"), kind_schema("Legal Entity"), kind_schema("robot")
    ('Organization', 'LegalEntity', None)
    """
    return KIND_WORDS.get(word.strip().casefold().replace(" ", ""))


def read_kind(word: str, location: Location) -> str:
    """The schema a kind's word asks for, or a FieldError that says the words.

    >>> read_kind("Aircraft", ("kind",))
    'Airplane'
    >>> read_kind("robot", ("kind",))
    Traceback (most recent call last):
    kg.match.queries.FieldError: kind: 'robot' is no kind: give person, organisation, company, \
vessel or aircraft (or nothing, for any kind)
    """
    schema = kind_schema(word)
    if schema is None:
        raise FieldError(location, f"{word!r} is no kind: {KIND_HINT}")
    return schema


#: What a kind may be, in the words of the pages.
KIND_HINT = "give person, organisation, company, vessel or aircraft (or nothing, for any kind)"


def as_of(value: str | None, location: Location, today: dt.date) -> dt.date:
    """The day screened: the day given (YYYY-MM-DD), else today.

    >>> as_of("2015-02-30", ("as_of",), dt.date.today())
    Traceback (most recent call last):
    kg.match.queries.FieldError: as_of: '2015-02-30' is no day: February 2015 has no 30th
    """
    if value is None or not value.strip():
        return today
    text = value.strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        written = _DAY.fullmatch(text)
        if written is None:
            raise FieldError(location, f"{value!r} is not a date: write YYYY-MM-DD") from error
        year, month, day = map(int, written.groups())
        what = f"there is no month {month}"
        if 1 <= month <= 12:
            name = dt.date(2000, month, 1).strftime("%B")
            what = f"{name} {year} has no {day}{_ordinal(day)}"
        raise FieldError(location, f"{value!r} is no day: {what}") from error


_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _ordinal(number: int) -> str:
    if number % 100 in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")


def whole_number(text: str, location: Location, low: int, high: int, hint: str = "") -> int:
    """A whole number from low to high, as a query string writes it.

    >>> whole_number("-1", ("limit",), 1, 100)
    Traceback (most recent call last):
    kg.match.queries.FieldError: limit: '-1' is not a whole number from 1 to 100
    """
    stripped = text.strip()
    if not (stripped.isascii() and stripped.isdigit()) or not low <= int(stripped) <= high:
        raise FieldError(location, f"{text!r} is not a whole number from {low} to {high:,}{hint}")
    return int(stripped)


def score(text: str, location: Location) -> float:
    """A score from 0 to 1, as a query string writes it (0.7, .7, 1).

    >>> score("2", ("threshold",))
    Traceback (most recent call last):
    kg.match.queries.FieldError: threshold: '2' is not a score: give a number from 0 to 1
    """
    try:
        value = float(text.strip())
    except ValueError:
        value = math.nan
    if not 0 <= value <= 1:  # also NaN, and "inf"
        raise FieldError(location, f"{text!r} is not a score: give a number from 0 to 1")
    return value


def list_iris(
    values: Iterable[str], lists: Mapping[str, tuple[str, str]], location: Location
) -> tuple[str, ...]:
    """List IRIs from abbreviations (EL, SDN), names, slugs or IRIs, comma-separated or not;
    every item that names no list is said, not only the first."""
    problems = Problems()
    wanted = [
        problems.read(partial(_list_iri, item, lists, location))
        for value in values
        for item in (part.strip() for part in value.split(","))
        if item
    ]
    problems.raise_any()
    return tuple(dict.fromkeys(iri for iri in wanted if iri))


def _list_iri(item: str, lists: Mapping[str, tuple[str, str]], location: Location) -> str:
    """The list an item names, else the one whose name it begins ("denied"), as the site's
    search reads it; several are said, as none is.

    >>> named = (("DPL", "Denied Persons"), ("EL", "Entity"))
    >>> lists = {f"x:{a}": (f"{n} List", a) for a, n in named}
    >>> _list_iri("dpl", lists, ("list",)), _list_iri("denied", lists, ("list",))
    ('x:DPL', 'x:DPL')
    >>> _list_iri("e", lists, ("list",))
    'x:EL'
    """
    folded = item.casefold()
    for iri, (name, abbreviation) in lists.items():
        slug = iri.rstrip("/").rsplit("/", 1)[-1]
        if folded in (iri.casefold(), name.casefold(), abbreviation.casefold(), slug):
            return iri
    begun = sorted(iri for iri, (name, _) in lists.items() if name.casefold().startswith(folded))
    if len(begun) == 1:
        return begun[0]
    if begun:
        names = either_of([f"{lists[x][0]} ({lists[x][1]})" for x in begun])
        raise FieldError(location, f"{item!r} begins {names}: give which")
    known = ", ".join(sorted(abbreviation for _, abbreviation in lists.values() if abbreviation))
    raise FieldError(location, f"{item!r} is not a list: give one of {known}")


def either_of(words: Sequence[str]) -> str:
    """Words in a sentence: "a, b or c".

    >>> either_of(["a", "b", "c"]), either_of(["a"])
    ('a, b or c', 'a')
    """
    return ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else "".join(words)
