"""Where a reader can read a Federal Register document the lists cite: addresses we make from
its citation, volume and page, by the two public services that resolve one.

The lists print a citation ("84 FR 54002") and at most a date, never what the document did; a
journalist could not tell a rule from a renewal notice without reading it (trial 50b). Both
services open the document that holds the page, so a page inside a rule finds the rule:
- govinfo's link service, the official edition (every volume);
- federalregister.gov, the daily edition online, from volume 59 (1994).
"""

from typing import NamedTuple


class Reading(NamedTuple):
    service: str
    url: str


GOVINFO = "https://www.govinfo.gov/link/fr/{volume}/{page}"
FEDERAL_REGISTER = "https://www.federalregister.gov/citation/{volume}-FR-{page}"
FEDERAL_REGISTER_FROM = 59  # its first volume online, of 1994


def readings(volume: str | int | None, page: str | int | None) -> list[Reading]:
    """Where to read the document at `page` of `volume`: none without both.

    >>> [r.url for r in readings("84", "54002")]  # doctest: +NORMALIZE_WHITESPACE
    ['https://www.federalregister.gov/citation/84-FR-54002',
     'https://www.govinfo.gov/link/fr/84/54002']
    >>> [r.service for r in readings(46, 19290)], readings(85, None)
    (['govinfo.gov'], [])
    """
    if not (str(volume or "").isdigit() and str(page or "").isdigit()):
        return []
    at = {"volume": int(str(volume)), "page": int(str(page))}
    found = [Reading("govinfo.gov", GOVINFO.format(**at))]
    if at["volume"] >= FEDERAL_REGISTER_FROM:
        found.insert(0, Reading("federalregister.gov", FEDERAL_REGISTER.format(**at)))
    return found
