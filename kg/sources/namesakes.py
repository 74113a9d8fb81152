"""Persons of one name told apart by their dates of birth, the same way in every snapshot.

The lists name some persons alike: the SDN of 2022 holds two "MOHAMMAD, Haji Baz", born 1958
and born 1964-03-12. A snapshot that shows one name with two dates of birth shows two
persons. The first date seen (oldest snapshot first, in row order) keeps the name's IRI;
another person's IRI takes their first date as a suffix. A later snapshot may write a known
person's date anew ("circa 01 Jan 1961" where 2022 had "1961-01-01"): a date no earlier
snapshot gave is the same person as a known date that shares its years, or, where the
snapshot shows the name with that one date, as the name's first person. History keys
entries (kg.sources.history) and the mapping mints IRIs (kg.sources.csl) by this one rule,
so that a part of the list that shows one of two namesakes does not merge them.

A list that numbers its entries (the SDN's uid, in the CSL's `entity_number`) tells other
namesakes apart: its MINISTRY OF STATE SECURITY 20129 (North Korea) and 25437 (Luhansk) are
two entries of two parties, as are the four AL-AQSA FOUNDATION; 16 rows of the 2022 SDN were
merged so. On one list, the first number a name is seen with keeps the IRI; another takes
its number as a suffix. Whether two such parties are one is for a curator to judge.
"""

import re
from collections.abc import Iterable

from kg import iris

#: How the ingest records namesakes, for the graph of ours that holds them.
NAMESAKES_METHOD = (
    "Rows of one list that print one name are told apart by their dates of birth (persons) "
    "or by the list's entry numbers; each party after the first of a name takes its first "
    "date of birth or its number as a suffix of its IRI, and is paired with the first by an "
    "elkg:CandidateMatch without a score, whose evidence says what tells them apart "
    "(kg.sources.namesakes). The list prints separate entries; whether the parties are "
    "related it does not say, and the pair is our record of them."
)

_YEAR = re.compile(r"\b1[89]\d\d\b|\b20\d\d\b")


class Namesakes:
    """The parties each name stands for over the snapshots read so far: persons by date of
    birth, and the entries of a list by number."""

    def __init__(self) -> None:
        #: name slug -> each person's first date of birth; the first person keeps the IRI
        self._persons: dict[str, list[str]] = {}
        #: (name slug, date of birth as written) -> the first date of birth of its person
        self._person_of: dict[tuple[str, str], str] = {}
        #: (name slug, a person's first date of birth) -> the years of all its dates
        self._years: dict[tuple[str, str], set[str]] = {}
        #: (list, entity IRI's tail before this rule) -> the first entry number seen
        self._numbers: dict[tuple[str, str], str] = {}

    def read(self, births: Iterable[tuple[str, str]]) -> None:
        """One snapshot's persons, as (slug of the name, date of birth as written) per row in
        row order; snapshots are read oldest first."""
        shown: dict[str, list[str]] = {}
        for name, birth in births:
            dates = shown.setdefault(name, [])
            if birth and birth not in dates:
                dates.append(birth)
        for name, dates in shown.items():
            persons = self._persons.setdefault(name, [])
            for birth in dates:
                if (name, birth) not in self._person_of:
                    first = self._person(name, birth, dates, persons)
                    self._person_of[name, birth] = first
                    self._years.setdefault((name, first), set()).update(_YEAR.findall(birth))

    def _person(self, name: str, birth: str, dates: list[str], persons: list[str]) -> str:
        """The first date of birth of the person a date no earlier snapshot gave is of."""
        here = {self._person_of.get((name, date)) for date in dates}
        years = set(_YEAR.findall(birth))
        for first in persons:
            if first not in here and years & self._years[name, first]:
                return first
        if persons and len(dates) == 1:
            return persons[0]
        persons.append(birth)
        return birth

    def suffix(self, name: str, birth: str) -> str:
        """The suffix of the IRI of the person named `name` (a slug) born `birth`: "" for
        the name's first person (and for a row without a date of birth), else "-" and the
        slug of the person's first date of birth.

        >>> namesakes = Namesakes()
        >>> namesakes.read([("mohammad-haji-baz", "1958"), ("mohammad-haji-baz", "1964-03-12")])
        >>> namesakes.suffix("mohammad-haji-baz", "1964-03-12")
        '-1964-03-12'
        >>> namesakes.read([("mohammad-haji-baz", "circa 1964")])
        >>> namesakes.suffix("mohammad-haji-baz", "circa 1964")
        '-1964-03-12'
        >>> namesakes.suffix("mohammad-haji-baz", "1958"), namesakes.suffix("mohammad-haji-baz", "")
        ('', '')
        """
        first = self._person_of.get((name, birth))
        persons = self._persons.get(name, [])
        if first is None or not persons or first == persons[0]:
            return ""
        return f"-{iris.slug(first)}"

    def read_numbers(self, numbered: Iterable[tuple[str, str, str]]) -> None:
        """One snapshot's numbered entries, as (list, the entity IRI's tail by the rule of
        dates of birth, entry number) per row in row order, after `read`."""
        for listed, tail, number in numbered:
            if number:
                self._numbers.setdefault((listed, tail), number)

    def number_suffix(self, listed: str, tail: str, number: str) -> str:
        """The suffix an entity's IRI takes after `tail` for its entry `number` on the list:
        "" for the first number seen (and for a list that numbers nothing), else "-" and
        the number.

        >>> namesakes = Namesakes()
        >>> namesakes.read_numbers([("SDN", "org/mss", "20129"), ("SDN", "org/mss", "25437")])
        >>> namesakes.number_suffix("SDN", "org/mss", "25437")
        '-25437'
        >>> namesakes.number_suffix("SDN", "org/mss", "20129")  # the first number seen
        ''
        >>> namesakes.number_suffix("EL", "org/mss", "")  # a list that numbers nothing
        ''
        """
        first = self._numbers.get((listed, tail))
        return "" if not number or first is None or first == number else f"-{number}"

    def first_number(self, listed: str, tail: str) -> str:
        return self._numbers.get((listed, tail), "")

    def first_birth(self, name: str) -> str:
        """The first date of birth of the name's first person ("" if none was read)."""
        persons = self._persons.get(name, [])
        return persons[0] if persons else ""
