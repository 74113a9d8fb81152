"""/search's filters: a list, a kind and a country, as the site's search takes them, read
against the screening index (kg.match.index), which knows each party's entries, kind and
countries. A value that names nothing is a FieldError: said, never silently ignored.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from kg.match import countries
from kg.match.model import Entity
from kg.match.queries import KIND_WORDS, FieldError, kind_schema

#: The kinds a kind filter keeps beside its own: an organisation is also a company, as on
#: the site (a company is not every organisation).
NARROWER = {"Organization": {"Company"}}
#: The schemas of any kind, which filter nothing: no word for a kind filter.
ANY = ("Thing", "LegalEntity")
#: The words of a kind filter (kg.match.queries.KIND_WORDS, but those for any kind).
WORDS = tuple(word for word, schema in KIND_WORDS.items() if schema not in ANY)


@dataclass(frozen=True)
class Filters:
    lists: frozenset[str] = frozenset()  # list IRIs
    kinds: frozenset[str] = frozenset()  # the screening index's schemas
    country: str | None = None  # ISO code

    def __bool__(self) -> bool:
        return bool(self.lists or self.kinds or self.country)

    def keep(self, entity: Entity | None) -> bool:
        """Whether the party passes every filter given; a party the screening index does not
        hold (one the sources only describe, on no list) passes none."""
        if entity is None:
            return False
        if self.lists and not any(x.list_iri in self.lists for x in entity.listings):
            return False
        if self.kinds and entity.schema not in self.kinds:
            return False
        return self.country is None or self.country in entity.countries


def read_filters(
    list_: str, kind: str, country: str, lists: Mapping[str, tuple[str, str]]
) -> Filters:
    """The filters a request gives: `list` by abbreviation (EL) or the last part of its IRI
    (entity-list), `kind` by word, `country` by code or name.

    >>> lists = {"https://x.test/id/list/entity-list": ("Entity List", "EL")}
    >>> found = read_filters("el", "Organisation", "China", lists)
    >>> sorted(found.lists), sorted(found.kinds), found.country
    (['https://x.test/id/list/entity-list'], ['Company', 'Organization'], 'CN')
    >>> try:
    ...     read_filters("", "robot", "", lists)
    ... except FieldError as error:
    ...     print(error.location, error.what[:30])
    ('kind',) is one of person, organization
    """
    found = Filters()
    if list_.strip():
        wanted = list_.strip().casefold()
        named = {
            iri
            for iri, (_, abbreviation) in lists.items()
            if wanted in (abbreviation.casefold(), iri.rstrip("/").rsplit("/", 1)[-1])
        }
        if not named:
            known = ", ".join(sorted(abbreviation for _, abbreviation in lists.values()))
            raise FieldError(("list",), f"names no list; the lists are {known}")
        found = Filters(lists=frozenset(named))
    if kind.strip():
        schema = kind_schema(kind)
        if schema is None or schema in ANY:
            raise FieldError(("kind",), f"is one of {', '.join(WORDS)}")
        found = Filters(found.lists, frozenset({schema, *NARROWER.get(schema, ())}))
    if country.strip():
        coded = countries.code(country)
        if coded is None:
            raise FieldError(("country",), f"{country!r} is no country code or name we know")
        found = Filters(found.lists, found.kinds, coded)
    return found
