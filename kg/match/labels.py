"""What a party is called and what kind it is shown as: one rule for the site's pages and
search, `/search` and screening's captions, so that they name a party alike.

>>> preference(2, "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD.") > preference(
...     2, "Hangzhou Hikvision Digital Technology Co., Ltd.")
True
>>> vessel = "https://w3id.org/entitylist-kg/ontology#Vessel"
>>> asset = vessel.replace("Vessel", "Asset")
>>> most_telling([vessel, asset], {vessel: frozenset({asset})}) == vessel
True
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping

from kg.vocab import ELKG, sparql_prefixes

#: How telling each property is of a name to show, most telling first: a repaired name
#: before the damaged one it repairs ("People's" for "People?s"), then the name as stated.
REPAIRED_NAME, NAME, OTHER = 1, 2, 9

Preference = tuple[int, bool, int, str]


def preference(rank: int, text: str) -> Preference:
    """A name's place among a resource's names (lowest first): by the rank of what states
    it, then mixed case before capitals (the CMIC list's "HANGZHOU HIKVISION …" is no
    title), then the shorter ("Military End User List", not "… (MEU) List - Bureau of …"),
    then the text, so that the choice never depends on the order of the rows."""
    return (rank, text.isupper(), len(text), text)


def best(names: Iterable[tuple[int, str]]) -> str:
    """The name to show of (rank, text) pairs."""
    return min((preference(rank, text) for rank, text in names), default=(0, False, 0, ""))[3]


#: Each of our classes and each of ours it is narrower than: a public security bureau is a
#: government body, which is an organisation.
KINDS_BROADER = (
    sparql_prefixes("elkg", "rdfs")
    + """
SELECT DISTINCT ?narrower ?broader WHERE {
  ?narrower rdfs:subClassOf+ ?broader .
  FILTER (STRSTARTS(STR(?narrower), STR(elkg:)) && STRSTARTS(STR(?broader), STR(elkg:)))
}"""
)

Broader = Mapping[str, frozenset[str]]


def broader_of(rows: Iterable[Mapping[str, str]]) -> Broader:
    """KINDS_BROADER's rows (variable -> IRI) as class -> the classes it is narrower than."""
    found: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        found[row["narrower"]].add(row["broader"])
    return {narrower: frozenset(wider) for narrower, wider in found.items()}


def most_telling(types: Iterable[str], broader: Broader) -> str:
    """The most telling of a resource's types: the narrowest of our classes (a public
    security bureau, not the government body or organisation it also is; a vessel, not an
    asset), the first by IRI of several, else its first type."""
    ordered = sorted(types)
    ours = {t for t in ordered if t.startswith(str(ELKG))}
    wider = set().union(*(broader.get(t, ()) for t in ours))
    narrowest = sorted(ours - wider)
    return narrowest[0] if narrowest else (ordered or [""])[0]


def found_by(types: Iterable[str], broader: Broader) -> list[str]:
    """The kinds a kind filter finds a resource by, on the site and in `/search` alike: its
    most telling kind, then each of ours that kind is narrower than (a public security
    bureau by Government body and Organisation too), none for a resource of no type.

    >>> psb, body = ELKG.PublicSecurityBureau, ELKG.GovernmentBody
    >>> [x.split("#")[1] for x in found_by([psb, body], {psb: frozenset({body})})]
    ['PublicSecurityBureau', 'GovernmentBody']
    """
    telling = most_telling(types, broader)
    return [telling, *sorted(broader.get(telling, ()))] if telling else []


_NOT_IN_CODES = re.compile(r"[^a-z0-9]+")


def code_of(label: str) -> str:
    """A label as a word of an address: a kind's in `?kind=`, a first letter's in a path.

    >>> code_of("Government body"), code_of("Party of unknown kind"), code_of("Ä")
    ('government-body', 'party-of-unknown-kind', 'other')
    """
    return _NOT_IN_CODES.sub("-", label.casefold()).strip("-") or "other"


def name_order(label: str) -> tuple[str, str]:
    """Where a name sorts among names: without case first ("Academy of ..." before
    "ANDARIEL", which sorted first by its capitals), then as written.

    >>> sorted(["ANDARIEL", "Academy of National Defense Science"], key=name_order)[0]
    'Academy of National Defense Science'
    """
    return (label.casefold(), label)
