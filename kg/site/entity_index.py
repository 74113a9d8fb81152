"""The entity index: the search page, its prebuilt sharded index, and a page of names per
first letter for readers without JavaScript (and for crawlers)."""

import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from kg.match.countries import names_of
from kg.match.labels import code_of, name_order
from kg.match.queries import KIND_WORDS, kind_schema
from kg.match.words import fold
from kg.site.page_writer import PageWriter
from kg.site.pages import Facts
from kg.site.render import printable
from kg.site.search_index import Searchable, search_files

INDEX_FOLDER = "entities/search/"
TRANSLITERATION = "https://w3id.org/entitylist-kg/ontology#transliteration"
BIRTH = "https://w3id.org/entitylist-kg/ontology#dateOfBirth"


def write_entity_index(site: PageWriter, rows: Sequence[dict[str, Any]]) -> None:
    """The search page, the index files and the pages by first letter."""
    entities = [searchable(site.facts, row) for row in rows]
    files = search_files(entities)
    for name, payload in files.items():
        site.write_file(INDEX_FOLDER + name, payload)
    facets = json.loads(files["meta.json"])["facets"]
    by_letter: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_letter[first_letter(row["label"])].append(row)
    letters = [
        (letter, f"entities/{code_of(letter)}/", len(by_letter[letter]))
        for letter in sorted(by_letter, key=lambda x: (len(x) > 1, x))
    ]
    listed = sum(1 for row in rows if row["lists"])  # as the home page counts them
    also = filter_words(site.facts, facets)
    site.write(
        "entities/",
        "entities.html",
        facets=facets,
        also=also,
        total=len(rows),
        listed=listed,
        letters=letters,
    )
    for letter, path, _ in letters:
        members = sorted(
            ({**row, "label": printable(row["label"])} for row in by_letter[letter]),
            key=lambda r: (*name_order(r["label"]), r["path"]),
        )
        site.write(path, "entities_letter.html", letter=letter, rows=members, letters=letters)


def filter_words(facts: Facts, facets: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The other words a filter in the search's address may give for a value, as /search
    takes them, "|" between them: a list's abbreviation (SDN) and IRI, a kind's other spellings
    (organization), a country's names (uk, united kingdom: `UK` was read as the first
    country whose name it begins, Ukraine).

    >>> sorted(_kind_words("organisation")), _kind_words("government-body")
    (['organisation', 'organization'], [])
    """
    lists = {list_code(x.screening_list): x.screening_list for x in facts.listings.values()}
    return {
        "list": {
            code: f"{facts.abbreviation(lists[code])}|{lists[code]}"
            for code, *_ in facets["list"]
            if code in lists
        },
        "kind": {code: "|".join(_kind_words(code)) for code, *_ in facets["kind"]},
        "country": {code: "|".join(names_of(code)) for code, *_ in facets["country"]},
    }


def _kind_words(code: str) -> list[str]:
    schema = kind_schema(code)
    return [word for word, named in KIND_WORDS.items() if schema and named == schema]


def searchable(facts: Facts, row: dict[str, Any]) -> Searchable:
    iri = row["iri"]
    transliterations = sorted({v.text for p, v in facts.out.get(iri, ()) if p == TRANSLITERATION})
    lists = sorted(
        {
            (list_code(x.screening_list), facts.label(x.screening_list))
            for x in facts.listings_of(iri)
        }
    )
    return Searchable(
        path=row["path"],
        label=row["label"],
        names=tuple(row["names"]),
        transliterations=tuple(transliterations),
        kind=(code_of(row["type"]), row["type"]),
        inferred=row["inferred"],
        broader=tuple((code_of(kind), kind) for kind in row["broader"] if kind != row["type"]),
        lists=tuple(lists),
        countries=tuple(row["countries"]),
        since=row["start"],
        births=tuple(sorted({v.text for p, v in facts.out.get(iri, ()) if p == BIRTH})),
    )


def first_letter(label: str) -> str:
    """The letter a name is browsed under: A to Z, "0-9", or "Other" (other scripts).

    >>> [first_letter(x) for x in ("Ürümqi PSB", "3D Systems", "海康威视", "")]
    ['U', '0-9', 'Other', 'Other']
    """
    words = fold(label)
    first = words[0][0] if words else ""
    if "a" <= first <= "z":
        return first.upper()
    return "0-9" if first.isascii() and first.isdigit() else "Other"


def list_code(iri: str) -> str:
    """A list's code in the index and its folder of letter pages: the last part of its IRI
    (`entity-list`)."""
    return iri.rstrip("/").rsplit("/", 1)[-1]
