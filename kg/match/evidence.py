"""What beside a name raises or lowers a score: type, country, date of birth, identifiers.

Each comparison gives a `Feature` with its effect on the score, so that every answer says
why it scored what it did. The effects are small beside the name's weight on purpose: a
name decides whether a party is a candidate; the rest grades it. An exact name on another
country or date of birth is therefore not 1.0, and one whose identifier matches rises.
"""

import re
from collections.abc import Iterable

from rapidfuzz.distance import OSA

from kg.match.countries import code
from kg.match.model import Entity, Feature, Query
from kg.match.normalise import form

#: Effects on the score, by outcome.
SAME_COUNTRY, OTHER_COUNTRY = 0.02, -0.12
SAME_BIRTH_DATE, SAME_BIRTH_YEAR, OTHER_BIRTH_DATE = 0.03, 0.01, -0.15
#: A year of birth further than NEAR_YEARS from every one the list gives: another person
#: (an exact common name born 14 years apart scored 0.85, a match: trial 25), though shown
#: as a candidate below the threshold. Nearer, or a digit apart, a date mistyped or approximate.
OTHER_BIRTH_YEARS, NEAR_YEARS = -0.35, 2
SAME_ID, OTHER_IDS = 0.10, -0.03
OTHER_SCHEMA = -0.15

#: The query schemas each kind of party answers to.
COMPATIBLE = {
    "Person": {"Person"},
    "Organization": {"Organization", "Company"},
    "Company": {"Organization", "Company"},
    "LegalEntity": {"Person", "Organization", "Company", "LegalEntity"},
    "Vessel": {"Vessel"},
    "Airplane": {"Airplane"},
    "Thing": {"Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane"},
}

_YEAR = re.compile(r"(1[89]\d\d|20\d\d)")
_DIGITS = re.compile(r"[0-9]")
_NOT_ALNUM = re.compile(r"[^0-9A-Z]+")


def id_key(text: str) -> str:
    """An identifier without spaces, punctuation, case or an IMO prefix.

    >>> id_key("imo 9349679"), id_key("P-4289 481")
    ('9349679', 'P4289481')
    """
    key = _NOT_ALNUM.sub("", text.upper())
    return key.removeprefix("IMO") if key.startswith("IMO") and key[3:].isdigit() else key


def ids_of(texts: Iterable[str]) -> frozenset[str]:
    """The identifiers in the CSL's `ids` texts ("CN, 91330000733796106P, Unified Social
    Credit Code (USCC)", "IMO 9349679, Vessel Registration Identification"): the parts that
    hold at least three digits.

    >>> sorted(ids_of(["BY, P4289481, Passport", "03 Jun 2021, Listing Date (CMIC)"]))
    ['P4289481']
    """
    found = set()
    for text in texts:
        for part in text.split(","):
            key = id_key(part)
            if len(_DIGITS.findall(key)) >= 3 and not _is_date(part):
                found.add(key)
    return frozenset(found)


def _is_date(text: str) -> bool:
    return re.search(r"[A-Za-z]{3}", text) is not None and _YEAR.search(text) is not None


def countries_of(texts: Iterable[str]) -> frozenset[str]:
    return frozenset(c for c in (code(text) for text in texts) if c)


def birth_years(text: str) -> tuple[int, int]:
    """The years a date of birth allows: "1962-05-10", "1962", "circa 1962" (a year either
    side), "1960 to 1962".

    >>> birth_years("circa 1962"), birth_years("1960 to 1962"), birth_years("1962-05-10")
    ((1961, 1963), (1960, 1962), (1962, 1962))
    """
    years = [int(year) for year in _YEAR.findall(text)]
    if not years:
        return (0, 0)
    low, high = min(years), max(years)
    if "circa" in text.lower():
        low, high = low - 1, high + 1
    return (low, high)


#: A schema in the words of the pages and of kg screen's kind column ("an aircraft", not
#: "an Airplane": a reader saw both for one party). The schema's own name stays in the
#: feature's values, for programs.
KIND_IN_WORDS = {
    "Person": "a person",
    "Organization": "an organisation",
    "Company": "a company",
    "Vessel": "a vessel",
    "Airplane": "an aircraft",
    "LegalEntity": "a party of unknown kind",
    "Thing": "a party of any kind",
}


def kind_name(schema: str) -> str:
    """A schema as the pages name a kind (Organisation, not yente's Organization).

    >>> kind_name("Organization"), kind_name("LegalEntity"), kind_name("Robot")
    ('Organisation', 'Party of unknown kind', 'Robot')
    """
    return _a(schema).split(" ", 1)[1].capitalize() if schema in KIND_IN_WORDS else schema


def _a(schema: str) -> str:
    """A schema in words, with its article.

    >>> _a("Airplane"), _a("Organization"), _a("Robot")
    ('an aircraft', 'an organisation', 'a Robot')
    """
    return KIND_IN_WORDS.get(schema) or ("an " if schema[:1] in "AEIOU" else "a ") + schema


def schema_feature(query: Query, entity: Entity) -> Feature | None:
    # "Sierra Technical Services, Inc.", of no kind said, was flagged at 0.80 as the SDN's
    # vessel SIERRA (trial 38): a name with a legal form is a company's.
    legal = _legal_form(query)
    if entity.schema in COMPATIBLE.get("Company" if legal else query.schema, set()):
        return None
    if entity.schema == "LegalEntity":  # of unknown kind: nothing to hold against it
        return Feature(
            "schema",
            0.0,
            f"asked for {_a(query.schema)}; the list does not say what this party is, and no "
            "evidence decided: not held against it",
            (query.schema,),
            (entity.schema,),
        )
    if entity.kind_inferred:  # our inference may be wrong: it costs the party nothing
        return Feature(
            "schema",
            0.0,
            f"asked for {_a(query.schema)}; the list does not say what this party is, and we "
            f"inferred {_a(entity.schema)}: not held against it",
            (query.schema,),
            (entity.schema,),
        )
    by = f" by a company's name (legal form: {legal})" if legal else ""
    return Feature(
        "schema",
        OTHER_SCHEMA,
        f"asked for {_a(query.schema)}{by}; this is {_a(entity.schema)}",
        (query.schema,),
        (entity.schema,),
    )


def _legal_form(query: Query) -> str:
    """The legal form every name of a query of any kind has ("inc"), which says it is a
    company's; "" where a kind is said or a name has none.

    >>> _legal_form(Query(("Sierra Technical Services, Inc.",), schema="Thing"))
    'inc'
    >>> _legal_form(Query(("Sierra Technical Services",), schema="Thing"))
    ''
    """
    if query.schema != "Thing":
        return ""
    forms = [form(name) for name in query.names]
    return " ".join(forms[0].legal) if forms and all(f.legal for f in forms) else ""


def country_feature(query: Query, entity: Entity) -> Feature | None:
    if not query.countries or not entity.countries:
        return None
    asked = tuple(query.countries)
    known = tuple(sorted(entity.countries))
    if set(asked) & entity.countries:
        return Feature("country", SAME_COUNTRY, "same country", asked, known)
    within = sorted(f"{a} in {b}" for a in asked for b in known if (a, b) in REGIONS_OF)
    within += sorted(f"{b} in {a}" for a in asked for b in known if (b, a) in REGIONS_OF)
    if within:
        said = f"{within[0]}: a region of the country, neither the same country nor another"
        return Feature("country", 0.0, said, asked, known)
    return Feature("country", OTHER_COUNTRY, "different country", asked, known)


#: Codes of their own for regions of a country the lists write by the country's code: the
#: CMIC's SenseTime Group, "Hong Kong SAR, CN", asked for as HK lost 0.12 (trial 35).
REGIONS_OF = {("HK", "CN"), ("MO", "CN")}


def birth_feature(query: Query, entity: Entity) -> Feature | None:
    if not query.birth_dates or not entity.birth_dates:
        return None
    asked, known = tuple(query.birth_dates), tuple(entity.birth_dates)
    if set(asked) & set(known) and any(len(date) == 10 for date in set(asked) & set(known)):
        return Feature("birthDate", SAME_BIRTH_DATE, "same date of birth", asked, known)
    pairs = ((birth_years(date), birth_years(other)) for date in asked for other in known)
    gaps = [gap for gap in (_years_apart(*pair) for pair in pairs) if gap is not None]
    gap = min(gaps, default=None)
    # Two whole dates of one year that differ are not the same year's support: 1952-10-08
    # read "same year of birth", +0.01, against Putin's 1952-10-07 (trial 28).
    whole = all(len(date) == 10 for date in (*asked, *known))
    if gap == 0 and not whole:
        return Feature("birthDate", SAME_BIRTH_YEAR, "same year of birth", asked, known)
    mistyped = any(_mistyped(date, other) for date in asked for other in known)
    if gap is not None and gap > NEAR_YEARS and not mistyped:
        said = f"born at least {gap} years apart"  # "or more" for 28 read as more than 28
        return Feature("birthDate", OTHER_BIRTH_YEARS, said, asked, known)
    said = "different date of birth" + (", one digit apart: maybe mistyped" if mistyped else "")
    return Feature("birthDate", OTHER_BIRTH_DATE, said, asked, known)


def _mistyped(one: str, other: str) -> bool:
    """Whether two dates written alike differ by one digit, or two neighbours swapped: a
    typo, not another person ("Vladimir Putin" born 1962-10-07 fell to 0.65 against PUTIN,
    Vladimir Vladimirovich, born 1952-10-07: trial 27).

    >>> _mistyped("1962-10-07", "1952-10-07"), _mistyped("1958", "1985"), _mistyped("1990", "1976")
    (True, True, False)
    """
    return len(one) == len(other) and OSA.distance(one, other) == 1


def _years_apart(one: tuple[int, int], other: tuple[int, int]) -> int | None:
    """The fewest years between two ranges of years of birth (0 where they meet), or None
    where either has no year.

    >>> _years_apart((1990, 1990), (1976, 1976)), _years_apart((1961, 1963), (1962, 1962))
    (14, 0)
    """
    if not (one[0] and other[0]):
        return None
    return max(0, one[0] - other[1], other[0] - one[1])


def id_feature(query: Query, entity: Entity) -> Feature | None:
    if not query.ids or not entity.ids:
        return None
    asked = tuple(query.ids)
    same = sorted({id_key(text) for text in asked} & entity.ids)
    if same:
        return Feature("idNumber", SAME_ID, "same identifier", asked, tuple(same))
    return Feature(
        "idNumber", OTHER_IDS, "none of the identifiers given is among the list's", asked, ()
    )


def features(query: Query, entity: Entity) -> list[Feature]:
    found = (
        check(query, entity)
        for check in (schema_feature, country_feature, birth_feature, id_feature)
    )
    return [feature for feature in found if feature is not None]
