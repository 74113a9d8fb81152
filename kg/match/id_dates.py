"""Dates the lists put among an entry's identifiers: "03 Jun 2021, Listing Date (CMIC)",
in either order since 2023 ("Listing Date (CMIC), 2021-06-03"), some of a year only. The
build reads the CMIC Listing Date as the entry's start (kg.sources.csl); the site shows each
date as the date it is (kg.site.codes). One reading for both.
"""

import re

_MONTHS = {
    m: n
    for n, m in enumerate(
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1
    )
}
_LIST_DAY = re.compile(r"(?:(\d{1,2}) )?(?:([A-Z][a-z]{2}) )?(\d{4})")
_ISO_DAY = re.compile(r"\d{4}(?:-\d{2}){0,2}")
_DATE_KIND = re.compile(r"\bDate\b")


def dated(identifier: str) -> tuple[str, str] | None:
    """An entry of the lists' identifiers column that is a date, as (what date it is, the
    date in ISO 8601, as precise as the list gives it); None for a true identifier.

    The CSL puts dates among the identifiers ("03 Jun 2021, Listing Date (CMIC)"), in either
    order since 2023 ("Listing Date (CMIC), 2021-06-03"), some of a year only.

    >>> dated("03 Jun 2021, Listing Date (CMIC)"), dated("Listing Date (CMIC), 2021-06-03")
    (('Listing Date (CMIC)', '2021-06-03'), ('Listing Date (CMIC)', '2021-06-03'))
    >>> dated("24 Feb 2022, Listing Date (EO 14024 Directive 2):")
    ('Listing Date (EO 14024 Directive 2)', '2022-02-24')
    >>> dated("1993, Organization Established Date"), dated("CNE100000PM8, ISIN")
    (('Organization Established Date', '1993'), None)
    """
    parts = [part.strip() for part in identifier.split(",")]
    if len(parts) != 2:
        return None
    for value, kind in (parts, parts[::-1]):
        kind = kind.rstrip(":").strip()
        if _DATE_KIND.search(kind) and (day := _iso_day(value)):
            return kind, day
    return None


def _iso_day(text: str) -> str | None:
    if _ISO_DAY.fullmatch(text):
        return text
    found = _LIST_DAY.fullmatch(text)
    if not found or (found[2] and found[2] not in _MONTHS) or (found[1] and not found[2]):
        return None
    day, month, year = found[1], found[2], found[3]
    if not month:
        return year
    return f"{year}-{_MONTHS[month]:02d}" + (f"-{int(day):02d}" if day else "")
