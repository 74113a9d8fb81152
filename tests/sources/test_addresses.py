"""Addresses split into parts, tried on every address of the whole 2022 CSL."""

import csv
import gzip

import pytest

from conftest import SHARED
from kg.match import countries
from kg.sources.addresses import parse_address, split_addresses

CSL_2022 = SHARED / "data" / "csl_watchman" / "consolidated_2022-05.csv.gz"


@pytest.fixture(scope="module")
def addresses() -> list[str]:
    with gzip.open(CSL_2022, "rt", encoding="utf-8") as handle:
        return [a for row in csv.DictReader(handle) for a in split_addresses(row["addresses"])]


def test_a_state_is_a_region_not_a_country(addresses: list[str]) -> None:
    # A Denied Persons List address without a country: NM is New Mexico, not a country.
    (anthony,) = {a for a in addresses if a.endswith("ANTHONY, 88021, NM")}
    parsed = parse_address(anthony)
    assert (parsed.locality, parsed.region, parsed.postal_code, parsed.country) == (
        "ANTHONY",
        "NM",
        "88021",
        None,
    )


def test_every_country_read_is_a_country(addresses: list[str]) -> None:
    read = {parse_address(a).country for a in addresses} - {None}
    assert len(read) > 150
    assert all(code in countries.NAMES for code in read)


def test_postal_codes_are_not_places(addresses: list[str]) -> None:
    dubai = parse_address("P.O. Box 42340, Dubai, 396, AE")
    assert (dubai.locality, dubai.postal_code) == ("Dubai", "396")
    forest = parse_address("22505 RIO ALISO DRIVE, LAKE FOREST, CA, 92630-5514, US")
    assert (forest.locality, forest.region, forest.postal_code) == (
        "LAKE FOREST",
        "CA",
        "92630-5514",
    )
    london = parse_address("Ibex House, The Minories, London, EC3N 1DY, GB")
    assert (london.locality, london.postal_code) == ("London", "EC3N 1DY")
    # Across the list: a locality of three digits or more and nothing else is a postal code
    # misread. (One or two digits are a district or a house number: "PARIS, 7, FR".)
    misread = [a for a in addresses if _postal_like(parse_address(a).locality or "")]
    assert misread == []


def test_a_region_is_read_only_in_the_united_states() -> None:
    # "CA" last is Canada; "CA" before a US ZIP code is California.
    assert parse_address("518 STARBOARD CRESCENT WATERLOO, ONTARIO, CA").country == "CA"
    assert parse_address("518 STARBOARD CRESCENT WATERLOO, ONTARIO, CA").region is None
    assert parse_address("27333 URSULA LANE, LOS ALTOS HILLS, CA, 94022").region == "CA"


def _postal_like(text: str) -> bool:
    return len(text) >= 3 and text.strip("0123456789 -") == ""


def test_the_lists_and_before_a_last_address_is_not_part_of_it(addresses: list[str]) -> None:
    """Ma Yunong's "...; and Room 1002, LT Square, ...": 100 such addresses on the 2022 CSL."""
    assert "Room 1002, LT Square, No. 500, Chengdu North Road, Shanghai, 200003, China" in (
        addresses
    )
    assert not [a for a in addresses if a.lower().startswith("and ")]


def test_a_semicolon_inside_an_address_does_not_cut_it(addresses: list[str]) -> None:
    """Fujian Torch's "...Economic Zone;, CN" and Pioneer Logistics' "Kat: 1 No; 114, ..."
    were cut in two, one part an address of ", CN"."""
    assert not [a for a in addresses if a.startswith(",")]
    assert any(a.startswith("Egs Bloklari B-1 Blok Kat: 1 No 114, Yesilkoy") for a in addresses)


def test_a_country_written_by_name_is_the_country_not_the_locality(
    addresses: list[str],
) -> None:
    """Ma Yunong's "..., Shanghai, 200003, China" gave the locality "China"; "Dubai, UAE, AE"
    the locality "UAE"."""
    shanghai = parse_address(
        "Room 1002, LT Square, No. 500, Chengdu North Road, Shanghai, 200003, China"
    )
    assert (shanghai.locality, shanghai.postal_code, shanghai.country) == (
        "Shanghai",
        "200003",
        "CN",
    )
    localities = {parse_address(a).locality for a in addresses}
    # Luxembourg, Panama and Gibraltar are cities too, and stay localities where written so.
    assert not localities & {"China", "PRC", "UAE", "Czech Republic"}
    assert {"Luxembourg", "Panama", "Gibraltar"} <= localities


def test_a_street_cut_from_its_place_is_one_address(addresses: list[str]) -> None:
    """Incoff Aerospace's "Polianky 3327/5 Bratislava - Mestska Cast Dubravka; Bratislavsky,
    84101, SK" (an en dash in the list) was two addresses, one without its country, one
    without its street."""
    incoff = "Polianky 3327/5 Bratislava \u2013 Mestska Cast Dubravka, Bratislavsky, 84101, SK"
    assert incoff in addresses
    assert "Bratislavsky, 84101, SK" not in addresses
