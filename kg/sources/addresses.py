"""Structuring addresses published as one line of comma-separated parts."""

import re
from dataclasses import dataclass

from kg.match import countries

#: A postal code as the CSL writes them: "843000", "92630-5514", "400 074", "S-11456",
#: "CH-8280", "M1W1A2", "C.P. 42500" (Mexico), "3801" (a ZIP that lost its leading zero),
#: "396" (Dubai's PO box area, in the postal slot), and British postcodes ("EC3N 1DY"). Two
#: digits at least and at most four letters otherwise, so that a place ("DISTRICT 929",
#: "HOUSE 21", "AL NAHDA 1") is not read as one.
_POSTAL = re.compile(
    r"""^(?:C\.P\.\ ?)?(?:
        [A-Z]{1,2}[0-9][A-Z0-9]?\ ?[0-9][A-Z]{2}
        | (?=(?:[^0-9]*[0-9]){2}) (?!(?:[^A-Z]*[A-Z]){5}) [A-Z0-9][A-Z0-9\ -]{1,13}
    )$""",
    re.VERBOSE,
)

#: The USPS codes of the states, the District of Columbia and the territories. Read as a
#: region only where the country is the United States or not given: "CA" before a ZIP code
#: is California, and before nothing it is Canada.
# fmt: off
US_REGIONS = frozenset({
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN",
    "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV",
    "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN",
    "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC", "PR", "GU", "VI", "AS", "MP",
})
# fmt: on


@dataclass(frozen=True, kw_only=True)
class Address:
    """An address as published, with the parts that could be told apart."""

    full: str
    street: str | None
    locality: str | None
    region: str | None
    postal_code: str | None
    country: str | None


#: "A; B; and C": the Entity List introduces the last of several addresses with "and" (100
#: addresses of the 2022 CSL), which is the list's, not the address's.
_SEPARATOR = re.compile(r";\s*(?:and\s+)?", re.IGNORECASE)
#: Names of a country that also name a place a locality may be (Hong Kong, Singapore, Gaza)
#: or another country's region (Georgia, Jersey: US states): never read as the country.
_NOT_ONLY_A_COUNTRY = frozenset({"HK", "MO", "SG", "PS", "GE", "JE"})
#: An address that ends in "No", the number it introduces cut off by a semicolon.
_CUT_AT_NUMBER = re.compile(r"\bNo\.?$")


def split_addresses(text: str) -> list[str]:
    """The addresses in a CSL `addresses` field, which separates them with '; '.

    >>> split_addresses("B-804 SOHO New Town, Beijing, China; and Room 1002, LT Square, Shanghai")
    ['B-804 SOHO New Town, Beijing, China', 'Room 1002, LT Square, Shanghai']
    >>> split_addresses("Units 801-803 and 805, Park Sun Building, HK")
    ['Units 801-803 and 805, Park Sun Building, HK']
    >>> split_addresses("Airport Economic Zone;, CN; Egs Bloklari Kat: 1 No; 114, Istanbul, TR")
    ['Airport Economic Zone, CN', 'Egs Bloklari Kat: 1 No 114, Istanbul, TR']
    >>> split_addresses("Polianky 3327/5 Mestska Cast Dubravka; Bratislavsky, 84101, SK")
    ['Polianky 3327/5 Mestska Cast Dubravka, Bratislavsky, 84101, SK']
    >>> split_addresses("TR; SY; Dubai, AE")  # countries alone are addresses of their own
    ['TR', 'SY', 'Dubai, AE']
    """
    found: list[str] = []
    for part in (part.strip() for part in _SEPARATOR.split(text)):
        if part and found and (part.startswith(",") or _CUT_AT_NUMBER.search(found[-1])):
            # A semicolon inside one address: "...Economic Zone;, CN", "Kat: 1 No; 114, ..."
            found[-1] = f"{found[-1]}{'' if part.startswith(',') else ' '}{part}"
        elif part and found and _street_then_place(found[-1], part):
            found[-1] = f"{found[-1]}, {part}"
        elif part:
            found.append(part)
    return found


def _street_then_place(first: str, second: str) -> bool:
    """Whether a semicolon cut one address into a street and its place: a first part of
    three words or more with no comma and no country, then a place of at most three parts
    ending in a country code ("Polianky 3327/5 ... Dubravka; Bratislavsky, 84101, SK", "7
    Gulsorkh St.; No. 1, IR": the two such cuts of the 2022 CSL)."""
    pieces = [piece.strip() for piece in second.split(",")]
    return (
        "," not in first
        and len(first.split()) >= 3
        and first not in countries.NAMES
        and len(pieces) <= 3
        and pieces[-1] in countries.NAMES
    )


def _country(parts: list[str]) -> str | None:
    """The country that ends an address, taken off `parts`: its code ("CN"), its English name
    ("China": 134 addresses of the 2022 CSL end so), or both ("Dubai, UAE, AE": 300 more),
    so that the name is not read as the locality."""
    if not parts:
        return None
    found = parts[-1] if parts[-1] in countries.NAMES else None
    if found is None and len(parts[-1]) > 2:
        found = countries.code(parts[-1])
        if found in _NOT_ONLY_A_COUNTRY:
            return None
    if found is None:
        return None
    parts.pop()
    if len(parts) > 1 and found not in _NOT_ONLY_A_COUNTRY and countries.code(parts[-1]) == found:
        parts.pop()
    return found


def parse_address(text: str) -> Address:
    """Split a CSL address ("street, city, state, postal code, country") into parts.

    The CSL joins its fields with ", " and drops some empty ones, so the parts are read from
    the end: an ISO 3166 country code, then an optional postal code, then (in the United
    States, or where no country is given) a state, then the city.

    >>> address = parse_address("Yingbin Rd., Akesu City XUAR, Akesu, 843000, CN")
    >>> address.street, address.locality, address.postal_code, address.country
    ('Yingbin Rd., Akesu City XUAR', 'Akesu', '843000', 'CN')
    >>> parse_address("Kowloon, HK").locality
    'Kowloon'
    >>> a = parse_address("22505 RIO ALISO DRIVE, LAKE FOREST, CA, 92630-5514, US")
    >>> a.locality, a.region, a.postal_code, a.country
    ('LAKE FOREST', 'CA', '92630-5514', 'US')
    >>> a = parse_address("P.O. Box 3000, ANTHONY, 88021, NM")  # NM: New Mexico, no country
    >>> a.locality, a.region, a.postal_code, a.country
    ('ANTHONY', 'NM', '88021', None)
    >>> a = parse_address("88 Jianguo Road, Beijing, 100022, China")  # a name, not a code
    >>> a.locality, a.postal_code, a.country
    ('Beijing', '100022', 'CN')
    >>> a = parse_address("Al Qusais, Dubai, UAE, AE")  # the country twice: name and code
    >>> a.street, a.locality, a.country
    ('Al Qusais', 'Dubai', 'AE')
    >>> parse_address("Flat A, 8 Nathan Road, Hong Kong, HK").locality  # a city and a code
    'Hong Kong'
    """
    parts = [part.strip() for part in text.split(",")]
    country = _country(parts)
    postal = parts.pop() if parts and _POSTAL.match(parts[-1]) else None
    region = None
    if country in (None, "US") and parts and parts[-1] in US_REGIONS:
        region = parts.pop()
        if postal is None and parts and _POSTAL.match(parts[-1]):
            postal = parts.pop()  # "ANTHONY, 88021, NM": the ZIP before the state
    while parts and not parts[-1]:
        parts.pop()
    locality = parts.pop() if parts else None
    street = ", ".join(part for part in parts if part) or None
    return Address(
        full=text,
        street=street,
        locality=locality,
        region=region,
        postal_code=postal,
        country=country,
    )
