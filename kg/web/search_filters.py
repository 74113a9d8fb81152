"""/search's filters: a list, a kind and a country, as the site's search takes them. A list
is read against the screening index (kg.match.index), which knows each party's entries; a
kind and a country against the record hit, by the kinds the site's search finds it by
(kg.match.labels.found_by) and its own countries, so that both keep the same records. A
value that names nothing is a FieldError: said, never silently ignored.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from kg.match.labels import code_of
from kg.match.model import Entity, Listing
from kg.match.name_index import Hit
from kg.match.queries import (
    FieldError,
    Problems,
    either_of,
    kind_schema,
    list_iris,
    read_country,
)

#: The schemas of any kind, which filter nothing: no word for a kind filter.
ANY = ("Thing", "LegalEntity")


@dataclass(frozen=True)
class Filters:
    lists: frozenset[str] = frozenset()  # list IRIs
    kinds: frozenset[str] = frozenset()  # in words, as the name index has them
    country: str | None = None  # ISO code

    def __bool__(self) -> bool:
        return bool(self.lists or self.kinds or self.country)

    def keep(self, entity: Entity | None, hit: Hit, countries_known: bool = True) -> bool:
        """Whether the party passes every filter given, its lists those of the record hit
        (`entries_of`), its kinds and countries the record's, as the site's search reads
        them; a party the screening index does not hold (one the sources only describe, on
        no list: the Bureau of Industry and Security) passes a kind or country filter
        alone. An index written before it held countries filters by the party's."""
        if self.kinds and not self.kinds.intersection(hit.kinds):
            return False
        if self.country is not None and countries_known and self.country not in hit.countries:
            return False
        if not self.lists and (countries_known or self.country is None):
            return True
        if entity is None:
            return False
        if self.lists and not any(x.list_iri in self.lists for x in entries_of(entity, hit.iri)):
            return False
        return countries_known or self.country in entity.countries


def entries_of(entity: Entity, record: str) -> tuple[Listing, ...]:
    """The entries of one record of the party: a hit is a record, with its page, whose
    entries the site's search and the list pages count (Huawei's CMIC record is not on the
    Entity List, though screening reads it as one party with the Entity List's record)."""
    return tuple(x for x in entity.listings if x.entity in ("", record))


def read_filters(
    list_: str,
    kind: str,
    country: str,
    lists: Mapping[str, tuple[str, str]],
    kinds: Sequence[str],
) -> Filters:
    """The filters a request gives: `list` by abbreviation (EL), name, the last part of its
    IRI (entity-list) or IRI, several comma-separated; `kind` by its word in the site's
    addresses (government-body), its name or another spelling of it (organization), one of
    `kinds`; `country` by code or name. The site's search takes the same words
    (kg.site.entity_index.filter_words).

    >>> lists = {"https://x.test/id/list/entity-list": ("Entity List", "EL")}
    >>> kinds = ["Government body", "Organisation", "Person"]
    >>> found = read_filters("entity list", "organization", "China", lists, kinds)
    >>> sorted(found.lists), sorted(found.kinds), found.country
    (['https://x.test/id/list/entity-list'], ['Organisation'], 'CN')
    >>> sorted(read_filters("", "government-body", "", lists, kinds).kinds)
    ['Government body']
    >>> try:
    ...     read_filters("", "robot", "", lists, kinds)
    ... except FieldError as error:
    ...     print(error.location, error.what)
    ('kind',) 'robot' is no kind: give Government body, Organisation or Person (or nothing, \
for any kind)
    """
    problems = Problems()
    found = Filters(
        frozenset(problems.read(lambda: list_iris([list_], lists, ("list",))) or ()),
        problems.read(partial(_kinds, kind, kinds)) or frozenset(),
        problems.read(partial(_country, country)),
    )
    problems.raise_any()  # every bad filter, not only the first
    return found


def kind_named(kind: str, kinds: Sequence[str]) -> str | None:
    """The kind of `kinds` a word names, or None (for none, or several)."""
    found = _kinds_named(kind, kinds)
    return found[0] if len(found) == 1 else None


def _kinds_named(kind: str, kinds: Sequence[str]) -> list[str]:
    """The kinds a word may name: the one it is the code, name or another spelling of
    (organization, airplane), else every one whose name it begins, as the site's search
    reads it (org)."""
    code, schema = code_of(kind), kind_schema(kind)
    named = [x for x in kinds if code_of(x) == code]
    spelt = [x for x in kinds if schema is not None and kind_schema(x) == schema]
    begun = [x for x in kinds if x.casefold().startswith(kind.strip().casefold())]
    return (named + spelt)[:1] or begun


def _kinds(kind: str, kinds: Sequence[str]) -> frozenset[str]:
    if not kind.strip():
        return frozenset()
    found = _kinds_named(kind, kinds)
    if len(found) == 1:
        return frozenset(found)
    if found:
        raise FieldError(("kind",), f"{kind!r} begins {either_of(found)}: give which")
    # By the menu's names, which it reads as well as the words of the site's addresses: the
    # page said "government-body, ..., party-of-unknown-kind" beside a menu of names (57a).
    hint = f"give {either_of(list(kinds))} (or nothing, for any kind)"
    # No filter is said, as the site's search says a kind it does not know.
    if kind_schema(kind) in ANY:
        raise FieldError(("kind",), f"{kind!r} is every kind: {hint}")
    raise FieldError(("kind",), f"{kind!r} is no kind: {hint}")


def _country(country: str) -> str | None:
    return read_country(country, ("country",)) if country.strip() else None
