"""/search's filters: a list, a kind and a country, as the site's search takes them, read
against the screening index (kg.match.index), which knows each party's entries, kind and
countries. A value that names nothing is a FieldError: said, never silently ignored.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

from kg.match.model import Entity, Listing
from kg.match.queries import (
    KIND_HINT,
    FieldError,
    Problems,
    list_iris,
    read_country,
    read_kind,
)

#: The kinds a kind filter keeps beside its own: an organisation is also a company, as on
#: the site (a company is not every organisation).
NARROWER = {"Organization": {"Company"}}
#: The schemas of any kind, which filter nothing: no word for a kind filter.
ANY = ("Thing", "LegalEntity")


@dataclass(frozen=True)
class Filters:
    lists: frozenset[str] = frozenset()  # list IRIs
    kinds: frozenset[str] = frozenset()  # the screening index's schemas
    country: str | None = None  # ISO code

    def __bool__(self) -> bool:
        return bool(self.lists or self.kinds or self.country)

    def keep(self, entity: Entity | None, record: str) -> bool:
        """Whether the party passes every filter given, its lists those of the `record` hit
        (`entries_of`); a party the screening index does not hold (one the sources only
        describe, on no list) passes none."""
        if entity is None:
            return False
        if self.lists and not any(x.list_iri in self.lists for x in entries_of(entity, record)):
            return False
        if self.kinds and entity.schema not in self.kinds:
            return False
        return self.country is None or self.country in entity.countries


def entries_of(entity: Entity, record: str) -> tuple[Listing, ...]:
    """The entries of one record of the party: a hit is a record, with its page, whose
    entries the site's search and the list pages count (Huawei's CMIC record is not on the
    Entity List, though screening reads it as one party with the Entity List's record)."""
    return tuple(x for x in entity.listings if x.entity in ("", record))


def read_filters(
    list_: str, kind: str, country: str, lists: Mapping[str, tuple[str, str]]
) -> Filters:
    """The filters a request gives: `list` by abbreviation (EL), name, the last part of its
    IRI (entity-list) or IRI, several comma-separated; `kind` by word; `country` by code or
    name. The site's search takes the same words (kg.site.entity_index.filter_words).

    >>> lists = {"https://x.test/id/list/entity-list": ("Entity List", "EL")}
    >>> found = read_filters("entity list", "Organisation", "China", lists)
    >>> sorted(found.lists), sorted(found.kinds), found.country
    (['https://x.test/id/list/entity-list'], ['Company', 'Organization'], 'CN')
    >>> try:
    ...     read_filters("", "robot", "", lists)
    ... except FieldError as error:
    ...     print(error.location, error.what[:31])
    ('kind',) 'robot' is no kind: give person
    """
    problems = Problems()
    found = Filters(
        frozenset(problems.read(lambda: list_iris([list_], lists, ("list",))) or ()),
        problems.read(partial(_kinds, kind)) or frozenset(),
        problems.read(partial(_country, country)),
    )
    problems.raise_any()  # every bad filter, not only the first
    return found


def _kinds(kind: str) -> frozenset[str]:
    if not kind.strip():
        return frozenset()
    schema = read_kind(kind, ("kind",))
    if schema in ANY:  # no filter: said, as the site's search says a kind it does not know
        raise FieldError(("kind",), f"{kind!r} is every kind: {KIND_HINT}")
    return frozenset({schema, *NARROWER.get(schema, ())})


def _country(country: str) -> str | None:
    return read_country(country, ("country",)) if country.strip() else None
