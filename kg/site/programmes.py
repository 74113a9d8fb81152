"""Pages by sanctions programme. The lists tag each entry with the programmes it is listed
under (RUSSIA-EO14024, SDGT, CMIC-EO13959); a journalist follows one across the lists:
`programmes/` names every programme with its entries by list, `programmes/<code>/` lists
its entries (the largest, SDGT, has 1,814 in the 2022 CSL: one page each)."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from kg import iris
from kg.site.page_writer import PageWriter
from kg.site.pages import Facts, Listing

FOLDER = "programmes/"


@dataclass(frozen=True)
class Programme:
    code: str  # as the list writes it
    path: str  # of its page, from the site's root
    entries: list[Listing]  # by the name of their party
    lists: list[tuple[str, int]]  # each list that uses it, with its entries there


def path(code: str, taken: set[str] | None = None) -> str:
    """The page of a programme, from the site's root; one whose slug another code took
    first (codes that differ only in case or punctuation) is numbered.

    >>> taken = set()
    >>> path("RUSSIA-EO14024", taken), path("Russia EO14024", taken)
    ('programmes/russia-eo14024/', 'programmes/russia-eo14024-2/')
    """
    taken = set() if taken is None else taken
    stem, number = f"{FOLDER}{iris.slug(code)}", 1
    found = f"{stem}/"
    while found in taken:
        number += 1
        found = f"{stem}-{number}/"
    taken.add(found)
    return found


def programmes(facts: Facts) -> list[Programme]:
    """Every programme the entries name, by code; its entries by party name, then entry."""
    tagged: dict[str, list[Listing]] = defaultdict(list)
    for listing in facts.listings.values():
        for code in listing.programmes:
            tagged[code].append(listing)
    found: list[Programme] = []
    taken: set[str] = set()
    for code in sorted(tagged, key=lambda code: (code.casefold(), code)):
        entries = sorted(tagged[code], key=lambda x: (facts.label(x.entity).casefold(), x.iri))
        lists = Counter(x.screening_list for x in entries)
        found.append(Programme(code, path(code, taken), entries, sorted(lists.items())))
    return found


def write_programme_pages(site: PageWriter, found: list[Programme]) -> None:
    """The index of programmes, with the lists whose entries name none, and a page each."""
    tagged = {list_iri for programme in found for list_iri, _ in programme.lists}
    listed = {x.screening_list for x in site.facts.listings.values()}
    untagged = sorted(listed - tagged, key=site.facts.abbreviation)
    site.write(FOLDER, "programmes.html", programmes=found, untagged=untagged)
    for programme in found:
        site.write(programme.path, "programme.html", shown=programme)
