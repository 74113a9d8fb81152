"""Structuring addresses published as one line of comma-separated parts."""

import re
from dataclasses import dataclass

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_POSTAL = re.compile(r"^[0-9]{4,6}$")


@dataclass(frozen=True, kw_only=True)
class Address:
    """An address as published, with the parts that could be told apart."""

    full: str
    street: str | None
    locality: str | None
    postal_code: str | None
    country: str | None


def split_addresses(text: str) -> list[str]:
    """The addresses in a CSL `addresses` field, which separates them with '; '."""
    return [part.strip() for part in text.split(";") if part.strip()]


def parse_address(text: str) -> Address:
    """Split a CSL address ("street, city, state, postal code, country") into parts.

    The CSL joins its fields with ", " and leaves empty fields empty, so the parts are read
    from the end: a two-letter country code, then an optional postal code, then the city.

    >>> address = parse_address("Yingbin Rd., Akesu City XUAR, Akesu, 843000, CN")
    >>> address.street, address.locality, address.postal_code, address.country
    ('Yingbin Rd., Akesu City XUAR', 'Akesu', '843000', 'CN')
    >>> parse_address("Kowloon, HK").locality
    'Kowloon'
    """
    parts = [part.strip() for part in text.split(",")]
    country = parts.pop() if parts and _COUNTRY.match(parts[-1]) else None
    postal = parts.pop() if parts and _POSTAL.match(parts[-1]) else None
    while parts and not parts[-1]:
        parts.pop()
    locality = parts.pop() if parts else None
    street = ", ".join(part for part in parts if part) or None
    return Address(full=text, street=street, locality=locality, postal_code=postal, country=country)
