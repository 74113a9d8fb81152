"""A list too long for one page (the SDN's 10,026 entries: 3.3 MB, 3 to 8 s before a browser
showed it) is shown a first letter at a time: its page names the letters, each a page of its
own under `lists/<list>/<letter>/`, and `lists/<list>/` names them. A shorter list (the
Entity List's 1,973) stays whole.
"""

from collections import defaultdict
from dataclasses import dataclass

from kg.match.labels import code_of
from kg.site.entity_index import first_letter, list_code
from kg.site.pages import Facts, Listing

#: Entries above which a list is shown by first letter: the Entity List's page (1,973
#: entries, 660 KB) shows in about a second, the SDN's whole did not.
LETTERED_ABOVE = 2500


@dataclass(frozen=True)
class Letter:
    letter: str
    path: str  # of its page, from the site's root
    entries: list[Listing]


def letters(facts: Facts, screening_list: str) -> list[Letter]:
    """The list's entries by the first letter of their party's name, A to Z, then "0-9" and
    "Other" (kg.site.entity_index.first_letter); none for a list short enough to be whole."""
    members = facts.listings_on(screening_list)
    if len(members) <= LETTERED_ABOVE:
        return []
    by_letter: dict[str, list[Listing]] = defaultdict(list)
    for listing in members:  # by name already (Facts.listings_on)
        by_letter[first_letter(facts.label(listing.entity))].append(listing)
    ordered = sorted(by_letter, key=lambda x: (len(x) > 1, x))
    above = folder(screening_list)
    return [Letter(x, f"{above}{code_of(x)}/", by_letter[x]) for x in ordered]


def folder(screening_list: str) -> str:
    """The folder of a long list's letters, from the site's root: its page names them."""
    return f"lists/{list_code(screening_list)}/"
