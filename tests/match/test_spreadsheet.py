"""Spreadsheet rows of `kg screen`: what a row says when nothing is in force that day."""

import datetime as dt
import io
from dataclasses import replace
from pathlib import Path

import pytest

from kg.errors import KgError
from kg.match.evidence import schema_feature
from kg.match.model import (
    Candidate,
    CandidateMatch,
    Entity,
    Feature,
    Listing,
    OutOfForce,
    Query,
    Reason,
    Release,
    Rule,
    Screening,
)
from kg.match.spreadsheet import (
    NOT_KNOWN,
    OUTPUT_COLUMNS,
    answer_cells,
    open_input,
    read_rows,
)

RELEASE = Release("https://x.test/dataset/2026-12-01", "2026-12-01", "0" * 64)
HIKVISION = OutOfForce("x:hik", "Hikvision", 0.93, "2019-10-09")
LOOKALIKE = OutOfForce("x:sky", "SKY BLUE BIRD FZC", 0.54, "no start date")


def cells(*outside: OutOfForce) -> dict[str, str]:
    screening = Screening((), 0, dt.date(2018, 1, 1), outside=outside)
    row = answer_cells(screening, None, "2018-01-01", RELEASE, 0.7)
    return dict(zip(OUTPUT_COLUMNS, row, strict=True))


def test_a_match_not_in_force_that_day_is_said() -> None:
    row = cells(HIKVISION, LOOKALIKE)

    assert row["screen_status"] == "no match in force on that day"
    assert row["explanation"] == (
        "matches Hikvision (0.9300), not counted that day: counts from 2019-10-09"
    )


def test_a_name_below_the_threshold_is_no_match_on_any_day() -> None:
    """The explanation says what was screened: it was empty, as a row not screened might be
    (trial 38)."""
    row = cells(LOOKALIKE)

    assert row["screen_status"] == "no match"
    assert row["explanation"] == (
        "no party in force on 2018-01-01 scored 0.50 or more, by its name alone or with the "
        "row's other columns"
    )


def test_an_undated_match_first_observed_later_is_not_called_out_of_force() -> None:
    """Observed after the day, an undated entry may have been in force: nothing says not."""
    undated = OutOfForce(
        "x:rossiya", "BANK ROSSIYA", 1.0, "no start date, first observed 2022-05-06", True
    )

    assert cells(undated)["screen_status"] == NOT_KNOWN


def test_each_start_date_is_named_by_its_listing() -> None:
    """Two lists and three entries: the start column names each entry's list, and no date's
    words hold the separator between them."""
    listings = (
        Listing("x:1", "x:sdn", "SDN", "SDN", None, None, observed="2022-05-06"),
        Listing("x:2", "x:ssi", "SSI", "SSI", "2014-07-16", None, (Rule("x:d", "Directive 3"),)),
        Listing("x:3", "x:sdn", "SDN", "SDN", "2014-04-28", None, (Rule("x:e", "EO 13662"),)),
    )
    entity = Entity(
        "x:roe", "ROSOBORONEKSPORT OAO", "Organization", frozenset(), (), frozenset(), listings
    )
    ended = Listing("x:4", "x:isn", "ISN", "ISN", "2019-01-01", "2021-01-01")
    best = Candidate(entity, 0.99, 0.99, "ROSOBORONEKSPORT OAO", (), listings, (ended,))
    screening = Screening((best,), 1, dt.date(2022, 6, 1))
    row = answer_cells(screening, None, "2022-06-01", RELEASE, 0.7)
    found = dict(zip(OUTPUT_COLUMNS, row, strict=True))

    assert found["match_lists"] == "SDN; SSI"
    assert found["match_start_dates"].split("; ") == [
        "SDN (no start date, first observed 2022-05-06)",
        "SSI since 2014-07-16",
        "SDN since 2014-04-28",
    ]
    assert found["match_not_in_force"] == "ISN since 2019-01-01, until 2021-01-01"
    # Each rule named by the list whose entry cites it.
    assert found["match_rules"] == "SDN: EO 13662; SSI: Directive 3"


def test_entries_a_list_prints_apart_from_one_day_are_told_apart() -> None:
    """NBC Navegan Bar's two Entity List entries of 2012-04-25, with other licence terms,
    read "EL since 2012-04-25; EL since 2012-04-25": nothing told which was which."""
    nbc = "https://x.test/id/listing/entity-list/nbc/2012-04-25"
    listings = tuple(
        Listing(iri, "x:el", "Entity List", "EL", "2012-04-25", None)
        for iri in (nbc, f"{nbc}-3ecd2069")
    )
    entity = Entity(
        "x:nbc", "NBC Navegan Bar", "Organization", frozenset(), (), frozenset(), listings
    )
    best = Candidate(entity, 1.0, 1.0, "NBC Navegan Bar", (), listings, ())
    row = answer_cells(Screening((best,), 1, dt.date(2022, 6, 1)), None, "2022-06-01", RELEASE, 0.7)
    found = dict(zip(OUTPUT_COLUMNS, row, strict=True))

    assert found["match_lists"] == "EL"
    assert found["match_start_dates"] == f"EL since 2012-04-25 (2 entries: {nbc}, {nbc}-3ecd2069)"


def test_a_rule_published_after_the_day_is_marked() -> None:
    """Hikvision as of 2020: its entry in force cites 84 FR 54002 (2019) and a later rule
    that amended it, which was not yet the law that day."""
    rules = (Rule("x:r", "84 FR 54002", "2019-10-09"), Rule("x:s", "85 FR 83416", "2020"))
    listing = Listing("x:1", "x:el", "Entity List", "EL", "2019-10-09", None, rules)
    entity = Entity("x:hik", "Hikvision", "Organization", frozenset(), (), frozenset(), (listing,))
    best = Candidate(entity, 1.0, 1.0, "Hikvision", (), (listing,))

    def rules_on(day: str) -> str:
        screening = Screening((best,), 1, dt.date.fromisoformat(day))
        row = answer_cells(screening, None, day, RELEASE, 0.7)
        return dict(zip(OUTPUT_COLUMNS, row, strict=True))["match_rules"]

    assert rules_on("2019-12-01") == "EL: 84 FR 54002, 85 FR 83416 (published after the day)"
    # Known by its volume's year only: within that year, it may have come after the day.
    assert rules_on("2020-12-31") == (
        "EL: 84 FR 54002, 85 FR 83416 (published in 2020, perhaps after the day)"
    )
    assert rules_on("2021-01-01") == "EL: 84 FR 54002, 85 FR 83416"


def test_an_exact_match_not_in_force_is_described_beside_a_weaker_one_in_force() -> None:
    """ZARIF, Mohammad Javad as of 2020-01-01: the SDN's undated entry (first observed 2022)
    matches exactly but does not count; an Entity List "Mohamad Javad" in force scores 0.63.
    The row said "no match" and named only the weaker one; then its columns described the
    weaker one beside a status and an explanation that named ZARIF."""
    listing = Listing("x:1", "x:el", "Entity List", "EL", "2013-03-28", None)
    entity = Entity("x:mj", "Mohamad Javad", "Person", frozenset(), (), frozenset(), (listing,))
    weaker = Candidate(entity, 0.63, 0.63, "Mohamad Javad", (), (listing,))
    sdn = Listing("x:2", "x:sdn", "SDN List", "SDN", None, None, observed="2022-05-06")
    person = Entity(
        "x:zarif", "ZARIF, Mohammad Javad", "Person", frozenset(), (), frozenset(), (sdn,)
    )
    exact = Candidate(person, 1.0, 1.0, "ZARIF, Mohammad Javad", (), (), (sdn,))
    zarif = OutOfForce(
        "x:zarif",
        "ZARIF, Mohammad Javad",
        1.0,
        "no start date, first observed 2022-05-06",
        True,
        exact,
    )
    screening = Screening((weaker,), 1, dt.date(2020, 1, 1), outside=(zarif,))
    row = answer_cells(screening, None, "2020-01-01", RELEASE, 0.7)
    found = dict(zip(OUTPUT_COLUMNS, row, strict=True))

    assert found["screen_status"] == NOT_KNOWN
    assert found["match_score"] == "1.0000"
    assert found["match_name"] == found["matched_alias"] == "ZARIF, Mohammad Javad"
    # No list holds it known to be in force that day: its columns are those of its entry
    # that may be, and it is counted (trial 38: a filter on either dropped the row).
    assert found["match_lists"] == "SDN"
    assert found["match_start_dates"] == "SDN (no start date, first observed 2022-05-06)"
    assert found["match_not_in_force"] == "" and found["match_page"] == "x:zarif"
    assert found["candidates"] == "1"  # the weaker in force is named, not counted
    assert found["explanation"] == (
        "matches ZARIF, Mohammad Javad (1.0000), not counted that day: no start date, so "
        "counted from 2022-05-06, when a snapshot first showed it"
    )
    # The other parties in a column of their own: one cell held all (trial 50a).
    assert found["other_candidates"] == (
        "weaker, in force that day: Mohamad Javad <x:mj> (EL, 0.6300)"
    )


def test_parties_to_review_are_counted_beside_a_match_in_force() -> None:
    """ "Al Naser Airlines" today: the SDN's AL-NASER AIRLINES in force, and two DPL parties
    not known to be; the row counted 1, and a filter on the count missed them (trial 50a)."""
    sdn = Listing("x:1", "x:sdn", "SDN List", "SDN", "2017-01-01", None)
    airline = Entity("x:a", "AL-NASER AIRLINES", "Company", frozenset(), (), frozenset(), (sdn,))
    ended = (Reason("its end…"),)
    others = [
        OutOfForce(f"x:{n}", name, 0.9, "2021-11-17, until 2022-05-16", True, reasons=ended)
        for n, name in enumerate(("ALNASER AIRLINES", "AL NASER WINGS AIRLINES"))
    ]
    found = Screening(
        (Candidate(airline, 1.0, 1.0, "AL-NASER AIRLINES", (), (sdn,)),),
        1,
        dt.date(2026, 12, 7),
        outside=tuple(others),
    )
    cells = answer_cells(found, None, "2026-12-07", RELEASE, 0.7)
    row = dict(zip(OUTPUT_COLUMNS, cells, strict=True))
    assert (row["screen_status"], row["candidates"]) == ("possible match", "3")
    assert "matches ALNASER AIRLINES and AL NASER WINGS AIRLINES, each not" in row["explanation"]
    # And in other_candidates, which a filter reads (trial 53b: only the explanation), as
    # the possible matches they are (54c: read as weaker ones).
    assert row["other_candidates"] == (
        "also a possible match, not known to be in force that day: ALNASER AIRLINES <x:0> "
        "(0.9000); also a possible match, not known to be in force that day: AL NASER WINGS "
        "AIRLINES <x:1> (0.9000)"
    )


def test_another_partys_reason_is_said_of_it_not_of_the_rows() -> None:
    """Hikvision as of 2020-01-01, in force, ended with LIMITED LIABILITY COMPANY DIGITAL
    TECHNOLOGIES's reason and "Review it before clearing the party", read as said of
    Hikvision (trial 56a)."""
    el = Listing("x:1", "x:el", "Entity List", "EL", "2019-10-09", None)
    hikvision = Entity("x:h", "HIKVISION", "Company", frozenset(), (), frozenset(), (el,))
    undated = (Reason("undated"),)
    other = OutOfForce("x:d", "DIGITAL TECHNOLOGIES", 0.4, "…", True, reasons=undated)
    found = Screening(
        (Candidate(hikvision, 0.93, 0.93, "HIKVISION", (), (el,)),),
        1,
        dt.date(2020, 1, 1),
        outside=(other,),
    )
    row = dict(
        zip(OUTPUT_COLUMNS, answer_cells(found, None, "2020-01-01", RELEASE, 0.7), strict=True)
    )
    assert row["screen_status"] == "possible match"
    assert row["explanation"].endswith(
        "also matches DIGITAL TECHNOLOGIES, not known to be in force that day: undated "
        "(counts from …); Review each party not known to be in force that day: the lists as "
        "published nearer the day, or the Federal Register, say whether it was in force then"
    )


def test_a_match_not_in_force_is_described_when_nothing_is_in_force() -> None:
    """Hikvision as of 2018: the columns name it and its entry, which counts from 2019."""
    listing = Listing("x:1", "x:el", "Entity List", "EL", "2019-10-09", None)
    entity = Entity("x:hik", "Hikvision", "Company", frozenset(), (), frozenset(), (listing,))
    described = Candidate(entity, 0.93, 0.93, "Hikvision", (), (), (listing,))
    hikvision = OutOfForce("x:hik", "Hikvision", 0.93, "2019-10-09", False, described)
    found = cells(hikvision)

    assert found["screen_status"] == "no match in force on that day"
    assert (found["match_name"], found["match_kind"]) == ("Hikvision", "Company")
    assert found["match_not_in_force"] == "EL since 2019-10-09"
    assert found["candidates"] == "0"


def test_weaker_parties_that_may_have_been_in_force_are_to_review_not_clear() -> None:
    """ "Rotenberg" as of 2020-01-01: eight SDN persons at 0.60, first observed in 2022, so
    not known to be in force that day. /screen said to review them, the row said "no
    match" and "no party ... scored 0.50" (trial 53b)."""
    undated = "no start date, first observed 2022-05-06"
    sdn = Listing("x:1", "x:sdn", "SDN List", "SDN", None, None, observed="2022-05-06")

    def rotenberg(iri: str, caption: str) -> OutOfForce:
        entity = Entity(iri, caption, "Person", frozenset(), (), frozenset(), (sdn,))
        scored = Candidate(entity, 0.6, 0.6, caption, (), (), (sdn,))
        why = "it has no start date and counts from …"
        return OutOfForce(iri, caption, 0.6, undated, True, scored, reasons=(Reason(why),))

    found = cells(rotenberg("x:a", "ROTENBERG, Arkady"), rotenberg("x:b", "ROTENBERG, Boris"))

    # As /screen heads them: not known to be in force, not weaker candidates in force (54c).
    assert (found["screen_status"], found["candidates"]) == (
        "weaker candidate, not known to be in force that day",
        "0",
    )
    # The reason they share is said once for both (Sberbank's 13 said it 13 times), and its
    # "no start date" not again by the day it counts from (54c).
    # And what to do, once, as /screen says it under each (trial 55a).
    assert found["explanation"].endswith(
        "matches ROTENBERG, Arkady (0.6000) and ROTENBERG, Boris, each not known to "
        "be in force that day: it has no start date and counts from …; Review each party not "
        "known to be in force that day: the lists as published nearer the day, or the Federal "
        "Register, say whether it was in force then"
    )
    assert "scored 0.50 or more" not in found["explanation"]
    # One known not in force, as weak, says nothing: no match (LOOKALIKE, known to count
    # from its start).
    assert cells(LOOKALIKE)["screen_status"] == "no match"


def test_the_first_of_parties_to_review_at_one_score_says_why_it_is_first() -> None:
    """ "Sberbank" as of 2020-01-01: JSC SBERBANK (UA) and PJSC Sberbank of Russia, both
    0.98 and to review; the columns described the first and nothing said why (53d)."""
    sdn = Listing("x:1", "x:sdn", "SDN List", "SDN", None, None, observed="2022-05-06")

    def bank(iri: str, caption: str) -> OutOfForce:
        entity = Entity(iri, caption, "Company", frozenset(), (), frozenset(), (sdn,))
        scored = Candidate(entity, 0.98, 0.98, caption, (), (), (sdn,))
        return OutOfForce(
            iri, caption, 0.98, "…", True, scored, reasons=(Reason("it has no start…"),)
        )

    found = cells(bank("x:a", "JSC SBERBANK"), bank("x:b", "PJSC SBERBANK OF RUSSIA"))
    assert found["match_name"] == "JSC SBERBANK"
    assert (
        "before PJSC SBERBANK OF RUSSIA <x:b> at the same score, as nothing else tells them"
        " apart: in the order of their names"
    ) in found["explanation"]


def test_a_match_that_its_evidence_takes_below_the_threshold_is_no_possible_match() -> None:
    """Viktor Bout, born 1985, as of 2019-06-01: his name matches at 0.78, the birth year
    takes the score to 0.43, and the row said "possible match, not known to be in force",
    where /screen said 0 possible matches (trial 53b)."""
    sdn = Listing("x:1", "x:sdn", "SDN List", "SDN", None, None, observed="2022-05-06")
    bout = Entity("x:b", "BOUT, Viktor", "Person", frozenset(), (), frozenset(), (sdn,))
    scored = Candidate(bout, 0.43, 0.78, "BOUT, Viktor", (), (), (sdn,))
    found = cells(
        OutOfForce("x:b", "BOUT, Viktor", 0.78, "…", True, scored, reasons=(Reason("it has…"),))
    )

    assert (found["screen_status"], found["candidates"]) == (
        "weaker candidate, not known to be in force that day",
        "0",
    )
    assert (found["match_name"], found["match_score"]) == ("BOUT, Viktor", "0.4300")


def ministry(iri: str, score: float, listing: Listing) -> Candidate:
    """One of the SDN's MINISTRY OF STATE SECURITY, in force, scored `score`."""
    name = "MINISTRY OF STATE SECURITY"
    entity = Entity(iri, name, "Organization", frozenset(), (), frozenset(), (listing,))
    return Candidate(entity, score, 1.0, name, (), (listing,))


def test_namesakes_not_in_force_are_told_apart_by_their_iris() -> None:
    """Asked with the country UA: each scored with the evidence, as candidates in force are
    (the North Korean one 0.88, not its name's 1.00)."""
    listing = Listing("x:1", "x:sdn", "SDN List", "SDN", "2023-01-01", None)

    def namesake(iri: str, score: float) -> OutOfForce:
        scored = replace(ministry(iri, score, listing), listings=(), not_in_force=(listing,))
        return OutOfForce(iri, scored.entity.caption, 1.0, "2023-01-01", False, scored)

    found = cells(namesake("x:mss-25437", 1.0), namesake("x:mss", 0.88))

    assert found["explanation"] == (
        "matches MINISTRY OF STATE SECURITY <x:mss-25437> (1.0000) and MINISTRY OF STATE "
        "SECURITY <x:mss>, each not counted that day: counts from 2023-01-01"
    )
    # The other's score is other_candidates', with the evidence (trial 55a: said in both).
    assert "MINISTRY OF STATE SECURITY <x:mss> (SDN, 0.8800)" in found["other_candidates"]


def test_parties_to_review_for_one_reason_are_counted_not_named_twice() -> None:
    """ "Mohammed Ali" as of 2020-01-01: 25 parties, none dated, each named with its score in
    the explanation and again in other_candidates (trial 55a)."""
    sdn = Listing("x:1", "x:sdn", "SDN List", "SDN", None, None, observed="2022-05-06")

    def person(n: int) -> OutOfForce:
        entity = Entity(f"x:{n}", f"ALI {n}", "Person", frozenset(), (), frozenset(), (sdn,))
        scored = Candidate(entity, 1 - n / 100, 1 - n / 100, f"ALI {n}", (), (), (sdn,))
        return OutOfForce(
            f"x:{n}", f"ALI {n}", 1 - n / 100, "…", True, scored, reasons=(Reason("undated"),)
        )

    found = cells(*map(person, range(5)))
    assert found["match_name"] == "ALI 0"
    assert found["explanation"].startswith(
        "matches ALI 0 (1.0000) and 4 more parties named in other_candidates, each not known "
        "to be in force that day: undated (counts from …); Review each party not known"
    )
    named = [part.split(" <")[0] for part in found["other_candidates"].split("; ")]
    assert named == [
        f"also a possible match, not known to be in force that day: ALI {n}" for n in range(1, 5)
    ]
    # The lists a reason names do not part it: "Sberbank" said one reason four times, for
    # parties on CAP, SSI and SDN, on NS-MBS, SSI and SDN, ... (trial 56a).
    on_lists = [
        replace(o, reasons=(Reason("undated", lists),))
        for n, o in enumerate(map(person, range(5)))
        for lists in [(("CAP", "SDN"), ("SSI", "SDN"))[n % 2]]
    ]
    assert cells(*on_lists)["explanation"].startswith(
        "matches ALI 0 (1.0000) and 4 more parties named in other_candidates, each not known "
        "to be in force that day: undated (counts from …)"
    )
    # Three are named, as are parties of several reasons, each by its reason.
    assert (
        "matches ALI 0 (1.0000), ALI 1, ALI 2 and ALI 3, each"
        in cells(*map(person, range(4)))["explanation"]
    )


def scored_row(*scored: tuple[str, float]) -> dict[str, str]:
    """The row of a screening that found parties of one SDN entry, by IRI and score, best
    first, at the threshold 0.7."""
    listing = Listing("x:1", "x:sdn", "SDN List", "SDN", "2017-01-01", None)
    found = tuple(ministry(iri, score, listing) for iri, score in scored)
    screening = Screening(found, len(found), dt.date(2022, 6, 1))
    cells = answer_cells(screening, None, "2022-06-01", RELEASE, 0.7)
    return dict(zip(OUTPUT_COLUMNS, cells, strict=True))


def test_every_possible_match_is_named_not_only_the_best() -> None:
    """MINISTRY OF STATE SECURITY, UA: the Ukrainian one (1.00) is the row's; the North Korean
    one (0.88) is a possible match too, and a reviewer of the file must see it."""
    row = scored_row(("x:mss-25437", 1.0), ("x:mss", 0.88), ("x:other", 0.6))

    assert row["match_page"] == "x:mss-25437"
    assert row["other_candidates"] == (
        "also a possible match: MINISTRY OF STATE SECURITY <x:mss> (SDN, 0.8800); "
        # named apart, as /screen lists it under the possible matches (53d)
        "weaker, in force that day: MINISTRY OF STATE SECURITY <x:other> (SDN, 0.6000)"
    )
    assert "x:mss>" not in row["explanation"]  # which says why the row's party matches
    # Counted as named: the two at the threshold, not the third at 0.6.
    assert row["candidates"] == "2"


def test_each_other_candidate_says_its_entry_what_it_matched_by_and_what_lowered_it() -> None:
    """ "Luis Lopez" named "AMEZCUA CONTRERAS, Luis Ignacio (1.0000)" beside the row's party,
    without the alias it matched, and the North Korean ministry's 0.88 said nothing of its
    country (trial 51d)."""
    listing = Listing("x:1", "x:sdn", "SDN List", "SDN", "2017-01-01", None)
    best = ministry("x:mss-25437", 1.0, replace(listing, number="25437"))
    lowered = (Feature("country", -0.12, "different country"),)
    # Its entry's number, as the row's own start column gives it (trial 51e).
    other = replace(ministry("x:mss", 0.88, replace(listing, number="20129")), features=lowered)
    alias = replace(ministry("x:alias", 0.8, listing), matched_name="MGB")
    screening = Screening((best, other, alias), 3, dt.date(2022, 6, 1))
    cells = answer_cells(screening, None, "2022-06-01", RELEASE, 0.7)
    row = dict(zip(OUTPUT_COLUMNS, cells, strict=True))
    assert row["other_candidates"] == (
        "also a possible match: MINISTRY OF STATE SECURITY <x:mss> (SDN no. 20129, 0.8800: "
        "different country -0.12); also a possible match: MINISTRY OF STATE SECURITY <x:alias> "
        "(SDN, 0.8000: by 'MGB')"
    )


def test_the_best_of_a_tied_score_says_why_it_is_first_and_how_near_each_name_is() -> None:
    """Bare "Sberbank": JSC Sberbank (UA) and PJSC Sberbank, each 0.98 by an alias but for
    the legal form, were named in an order nothing explained; the other's cell did not say
    why it was not 1.00, which /screen says (trial 51e)."""
    listing = Listing("x:1", "x:sdn", "SDN List", "SDN", "2017-01-01", None)
    near = (Feature("name", 0.98, "same name but for the legal form"),)

    def bank(iri: str, caption: str, matched: str) -> Candidate:
        entity = Entity(iri, caption, "Organization", frozenset(), (), frozenset(), (listing,))
        return Candidate(entity, 0.98, 0.98, matched, near, (listing,))

    jsc = bank("x:jsc", "JOINT STOCK COMPANY SBERBANK", "JSC SBERBANK")
    pjsc = bank("x:pjsc", "PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA", "PJSC SBERBANK")
    screening = Screening((jsc, pjsc), 2, dt.date(2022, 6, 1))
    row = dict(
        zip(OUTPUT_COLUMNS, answer_cells(screening, None, "2022-06-01", RELEASE, 0.7), strict=True)
    )
    assert row["explanation"].endswith(
        "; before PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA <x:pjsc> at the same score, as "
        "nothing else tells them apart: in the order of their names"
    )
    assert row["other_candidates"] == (
        "also a possible match: PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA <x:pjsc> "
        "(SDN, 0.9800: by 'PJSC SBERBANK', same name but for the legal form 0.98)"
    )
    # "; " parts the parties, and nothing within one: a script splitting the cell on it cut
    # "by 'PJSC SBERBANK'" from what it said of the name (trial 55b).
    two = replace(
        screening,
        candidates=(jsc, pjsc, replace(pjsc, entity=replace(pjsc.entity, iri="x:other"))),
        total=3,
    )
    cells = answer_cells(two, None, "2022-06-01", RELEASE, 0.7)
    parties = dict(zip(OUTPUT_COLUMNS, cells, strict=True))["other_candidates"].split("; ")
    assert [party.split(" <")[1][:7] for party in parties] == ["x:pjsc>", "x:other"]
    # Matched by its own name, one comes before a party matched by an alias.
    own = replace(
        pjsc,
        matched_name=pjsc.caption,
        features=(replace(near[0], candidate=(f"{pjsc.caption} (name)",)),),
    )
    screening = Screening((own, jsc), 2, dt.date(2022, 6, 1))
    row = dict(
        zip(OUTPUT_COLUMNS, answer_cells(screening, None, "2022-06-01", RELEASE, 0.7), strict=True)
    )
    assert row["explanation"].endswith(
        "at the same score, as it matched by its own name, not by an alias or another name"
    )


def test_the_match_and_each_other_candidate_say_their_countries_and_births() -> None:
    """The SDN's two MINISTRY OF STATE SECURITY read alike in the file but for their
    numbers; an analyst opened their pages for the countries, KP and UA (trial 52a)."""
    listing = Listing("x:1", "x:sdn", "SDN List", "SDN", "2017-01-01", None)
    ukraine = ministry("x:mss-25437", 1.0, replace(listing, number="25437"))
    ukraine = replace(ukraine, entity=replace(ukraine.entity, countries=frozenset({"UA"})))
    korea = ministry("x:mss", 1.0, replace(listing, number="20129"))
    korea = replace(
        korea, entity=replace(korea.entity, countries=frozenset({"KP"}), birth_dates=("1950",))
    )
    screening = Screening((ukraine, korea), 2, dt.date(2022, 6, 1))
    row = dict(
        zip(OUTPUT_COLUMNS, answer_cells(screening, None, "2022-06-01", RELEASE, 0.7), strict=True)
    )
    assert (row["match_countries"], row["match_birth_dates"]) == ("UA", "")
    assert row["other_candidates"] == (
        "also a possible match: MINISTRY OF STATE SECURITY <x:mss> (SDN no. 20129, KP, born "
        "1950, 1.0000)"
    )


def test_a_matchs_features_are_named_in_the_pages_words() -> None:
    """ "birthDate +0.03 (same date of birth)", where /screen says "Date of birth" (56a)."""
    listing = Listing("x:1", "x:sdn", "SDN List", "SDN", "2008-11-20", None)
    bout = ministry("x:bout", 0.81, listing)
    features = (Feature("name", 0.78, "given name and surname"), Feature("birthDate", 0.03, "same"))
    screening = Screening((replace(bout, features=features),), 1, dt.date(2023, 1, 1))
    row = dict(
        zip(OUTPUT_COLUMNS, answer_cells(screening, None, "2023-01-01", RELEASE, 0.7), strict=True)
    )
    assert row["explanation"] == "Name +0.78 (given name and surname); Date of birth +0.03 (same)"


def test_the_others_of_a_tied_score_are_named_once_per_reason() -> None:
    """ "Rotenberg" alone scores alike against each of the SDN's eight: one reason puts the
    first before the seven others, said once, not seven times."""
    row = scored_row(("x:a", 0.62), ("x:b", 0.62), ("x:c", 0.62))
    assert row["explanation"].endswith(
        "before MINISTRY OF STATE SECURITY <x:b>, MINISTRY OF STATE SECURITY <x:c> at the "
        "same score, as nothing else tells them apart: in the order of their pages' web addresses on this site"
    )
    assert row["explanation"].count("before ") == 1


def test_weaker_parties_that_score_alike_are_all_named() -> None:
    """ "Rotenberg" alone scores 0.62 against each of the SDN's eight ROTENBERGs: the row
    described one, as if the only one (trial 39); a weaker one still is not named. Its
    status says they are to review: "no match" was filtered with the clean rows (trial 41).
    A weaker one is named as weaker, as /screen lists it (53d)."""
    row = scored_row(("x:arkady", 0.62), ("x:boris", 0.62), ("x:other", 0.55))

    assert (row["screen_status"], row["match_page"], row["candidates"]) == (
        "weaker candidate, below the threshold",
        "x:arkady",
        "0",
    )
    assert row["other_candidates"] == (
        "as weak: MINISTRY OF STATE SECURITY <x:boris> (SDN, 0.6200); "
        "weaker, in force that day: MINISTRY OF STATE SECURITY <x:other> (SDN, 0.5500)"
    )


def test_the_ten_best_weaker_candidates_are_named_and_the_rest_counted() -> None:
    """Bare "Sberbank": 3 possible matches and 13 weaker subsidiaries in force, which /screen
    listed and kg screen did not name (53d); the ten best are named, as /screen shows ten."""
    weaker = [(f"x:sub{n:02}", round(0.69 - n / 100, 2)) for n in range(13)]
    row = scored_row(("x:sberbank", 0.98), *weaker)

    named = row["other_candidates"].split("; ")
    assert [cell.split("<")[1].split(">")[0] for cell in named[:-1]] == [
        f"x:sub{n:02}" for n in range(10)
    ]
    assert (
        named[0] == "weaker, in force that day: MINISTRY OF STATE SECURITY <x:sub00> (SDN, 0.6900)"
    )
    assert named[-1] == "and 3 more weaker candidates in force that day"
    assert row["candidates"] == "1"


def test_a_row_asks_for_any_kind_unless_its_kind_column_says() -> None:
    """ADRIAN DARYA 1, a vessel, scored 0.87 from a spreadsheet: every row asked for a
    LegalEntity, which a vessel is not. A row now asks for any kind, or the one it names."""
    text = "name,kind\nADRIAN DARYA 1,\nADRIAN DARYA 1,vessel\nAcme,Organisation\nAcme,robot\n"
    _, found = read_rows(io.StringIO(text), "names.csv")
    rows = list(found)

    assert [row.query.schema if row.query else None for row in rows] == [
        "Thing", "Vessel", "Organization", None
    ]  # fmt: skip
    assert rows[3].problem == (
        "kind: 'robot' is no kind: give person, organisation, company, vessel or aircraft "
        "(or nothing, for any kind)"
    )
    # Every bad value of a row, each under its column: birth_date, not birthDate.
    text = "name,birth_date,kind,country\n,1999-02-30,robot,Atlantis\n"
    (row,) = read_rows(io.StringIO(text), "names.csv")[1]
    assert [part.split(":", 1)[0] for part in (row.problem or "").split("; ")] == [
        "kind",
        "name",
        "country",
        "birth_date",
    ]
    assert "'1999-02-30' is no day: February 1999 has no 30th" in (row.problem or "")


def test_a_query_of_any_kind_holds_no_kind_against_a_party() -> None:
    vessel = Entity("x:v", "ADRIAN DARYA 1", "Vessel", frozenset(), (), frozenset(), ())
    assert schema_feature(Query(("ADRIAN DARYA 1",), "Thing"), vessel) is None
    held = schema_feature(Query(("ADRIAN DARYA 1",), "LegalEntity"), vessel)
    assert held is not None and held.effect < 0


def test_a_match_whose_end_may_have_been_extended_says_why() -> None:
    """PJSC AEROFLOT's order "until 2022-10-04", screened as of 2026 against the list of
    2022-05-06: its row says it is not known to be in force, and why (trial 36)."""
    why = (
        "its list gave its end as 2022-10-04, after the last snapshot of the whole lists "
        "(2022-05-06), which cannot show whether it was extended"
    )
    order = OutOfForce("x:aeroflot", "PJSC AEROFLOT", 1.0, "2022-04-07, until 2022-10-04", True)

    row = cells(replace(order, reasons=(Reason(why),)))

    assert row["screen_status"] == NOT_KNOWN
    assert row["explanation"] == (
        f"matches PJSC AEROFLOT (1.0000), not known to be in force that day: {why} "
        "(counts from 2022-04-07, until 2022-10-04); Review it before clearing the party: the "
        "lists as published nearer the day, or the Federal Register, say whether it was in "
        "force then"
    )


def test_parties_known_not_in_force_are_named_beside_the_others() -> None:
    """Huawei Technologies as of 2020-01-01: /screen listed three subsidiaries whose entries
    count from 2020-08-20 under "Matched, but not counted", and the file named them nowhere
    (trial 54b); a weaker likeness known not in force still makes no match."""
    el = Listing("x:el", "x:el", "Entity List", "EL", "2019-05-21", None)
    huawei = ministry("x:huawei", 1.0, el)
    later = Listing("x:m", "x:el", "Entity List", "EL", "2020-08-20", None)
    morocco = Entity("x:morocco", "Huawei Technologies Morocco", "Organization", frozenset(),
                     (), frozenset(), (later,))  # fmt: skip
    scored = Candidate(morocco, 0.62, 0.62, morocco.caption, (), (), (later,))
    outside = OutOfForce("x:morocco", morocco.caption, 0.62, "2020-08-20", False, scored)
    screening = Screening((huawei,), 1, dt.date(2020, 1, 1), outside=(outside,) * 12)
    row = dict(zip(OUTPUT_COLUMNS, answer_cells(screening, None, "2020-01-01", RELEASE, 0.7),
                   strict=True))  # fmt: skip
    named = row["other_candidates"].split("; ")
    assert named[0] == (
        "not in force that day: Huawei Technologies Morocco <x:morocco> (EL, 0.6200), counts "
        "from 2020-08-20"
    )
    # Ten at most, the rest counted, as /screen shows ten.
    assert len(named) == 11 and named[-1] == "and 2 more parties not in force that day"
    assert (row["screen_status"], row["candidates"]) == ("possible match", "1")


def test_a_quote_left_open_is_said_not_read_as_one_long_name(tmp_path: Path) -> None:
    """A stray quote joined Sberbank, Rosneft and Mahan Airways to "The Tool Shop, Ltd" in
    one name, screened "no match", exit 0 (trial 55a)."""
    never_closed = 'name,country\nAcme,GB\n"The Tool Shop, Ltd,GB\nSberbank,RU\nMahan Air,IR\n'
    with pytest.raises(KgError) as raised:
        list(read_rows(io.StringIO(never_closed), "names.csv")[1])
    assert raised.value.where == "names.csv, line 3"
    assert "a quote opened in a cell is never closed" in str(raised.value)
    # A quote that closes mid-cell is said as that.
    with pytest.raises(KgError) as raised:
        list(read_rows(io.StringIO('name\nAcme\n"Acme" Widgets\n'), "names.csv")[1])
    assert raised.value.where == "names.csv, line 3"
    assert "write a quote inside it twice" in (raised.value.hint or "")
    # Closed further down: the cell runs over three lines, and is not screened.
    closed_late = 'name,country\n"The Tool Shop, Ltd,GB\nSberbank,RU\nRosneft",RU\nMahan Air,IR\n'
    joined, mahan = read_rows(io.StringIO(closed_late), "names.csv")[1]
    assert (joined.number, joined.query) == (2, None)
    assert (joined.problem or "").startswith("name: runs over lines 2 to 4: a quote opened")
    assert (mahan.number, mahan.problem) == (5, None)


def test_a_file_not_in_utf8_is_said_with_its_line_and_what_to_do(tmp_path: Path) -> None:
    """A file Excel saved as Windows-1252 ended in a traceback (trial 55a)."""
    path = tmp_path / "names.csv"
    path.write_bytes("name\nAcme\nMüller Maschinenbau GmbH\n".encode("cp1252"))
    with pytest.raises(KgError) as raised:
        open_input(path)
    assert raised.value.where == f"{path}, line 3"
    assert "byte 0xfc is not utf-8 text" in str(raised.value)
    assert "--encoding cp1252" in (raised.value.hint or "")
    _, rows = read_rows(open_input(path, "cp1252"), str(path))
    assert [row.cells["name"] for row in rows] == ["Acme", "Müller Maschinenbau GmbH"]
    # Excel's byte-order mark is no part of the first column's name.
    path.write_bytes("name\nAcme\n".encode("utf-8-sig"))
    assert read_rows(open_input(path), str(path))[0] == ["name"]


def test_excels_separator_line_is_read_past_and_a_misspelt_column_is_said(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """ "sep=," before the header got "name the column of names `name`"; "countyr" was
    ignored unsaid, the rows screened without their countries (trial 55a)."""
    text = "sep=,\nname,countyr,account\nSberbank,RU,17\n"
    header, rows = read_rows(io.StringIO(text), "names.csv")
    (row,) = rows
    assert (header, row.number, row.query and row.query.countries) == (
        ["name", "countyr", "account"],
        3,
        (),
    )
    assert caplog.messages == [
        "names.csv, line 2: column 'countyr' is not read: did you mean 'country'? (it is "
        "passed through to the result as it is)"
    ]
    with pytest.raises(KgError, match="separated by ';'"):
        read_rows(io.StringIO("sep=;\nname;country\n"), "names.csv")
    # A nationality is read as the country (trial 56a: left out unsaid), unless the file
    # has a country too.
    ((row,), (other,)) = (
        read_rows(io.StringIO(text), "names.csv")[1]
        for text in ("Name,Nationality\nRotenberg,RU\n", "name,nationality,country\nX,RU,CN\n")
    )
    assert row.query and row.query.countries == ("RU",)
    assert other.query and other.query.countries == ("CN",)


def test_other_candidates_come_in_the_pages_order_and_a_paired_party_is_said_in_the_row() -> None:
    """Gazprom Neft as of 2020-01-01 (trial 55a): a party to review at the threshold came
    after a weaker one in force, where /screen lists the possible matches first; and our
    candidate match with it did not say the row names it."""
    el = Listing("x:1", "x:el", "Entity List", "EL", "2019-01-01", None)
    sdn = Listing("x:2", "x:sdn", "SDN List", "SDN", None, None, observed="2022-05-06")
    pair = CandidateMatch("x:match", "x:sdn-party", "GAZPROM NEFT", ("SDN",), 0.95, ("names",))
    party = Entity(
        "x:el-party", "Gazprom Neft", "Company", frozenset(), (), frozenset(), (el,), (), False,
        (pair,),
    )  # fmt: skip
    weaker = Entity("x:weak", "GAZPROM X", "Company", frozenset(), (), frozenset(), (el,))
    twin = Entity("x:sdn-party", "GAZPROM NEFT", "Company", frozenset(), (), frozenset(), (sdn,))
    unknown = OutOfForce(
        "x:sdn-party", "GAZPROM NEFT", 0.95, "no start date, first observed 2022-05-06", True,
        Candidate(twin, 0.95, 0.95, "GAZPROM NEFT", (), (), (sdn,)),
        reasons=(Reason("it has no start date"),),
    )  # fmt: skip
    screening = Screening(
        (
            Candidate(party, 1.0, 1.0, "Gazprom Neft", (), (el,)),
            Candidate(weaker, 0.6, 0.6, "GAZPROM X", (), (el,)),
        ),
        2,
        dt.date(2020, 1, 1),
        outside=(unknown, OutOfForce("x:later", "GAZPROM LATER", 0.55, "2023-01-01")),
    )
    row = dict(
        zip(OUTPUT_COLUMNS, answer_cells(screening, None, "2020-01-01", RELEASE, 0.7), strict=True)
    )
    # Those not counted before the weaker ones in force, as /screen lists them (56a: after).
    assert [part.split(":")[0] for part in row["other_candidates"].split("; ")] == [
        "also a possible match, not known to be in force that day",
        "not in force that day",
        "weaker, in force that day",
    ]
    assert row["candidate_matches"].startswith(
        "possibly the same party as GAZPROM NEFT <x:sdn-party> (also a possible match of this "
        "row, not known to be in force that day)"
    )


def test_a_candidate_matchs_words_are_parted_by_commas_as_the_notes_by_semicolons() -> None:
    """ "MINISTRY OF STATE SECURITY": its namesake's note said "same name 'X'; entries 20129
    and 25437 of the SDN", and a cell split on "; " gave 31 pieces of 12 notes (56a)."""
    sdn = Listing("x:1", "x:sdn", "SDN List", "SDN", "2017-01-01", None)
    said = "same name 'MINISTRY OF STATE SECURITY'; entries 20129 and 25437 of the SDN"
    namesake = CandidateMatch("x:m1", "x:mss-ua", "MSS", ("SDN",), None, (said,))
    evidence = ("same name, folded: 'a' and 'b'", "same address: 1 Road, X; 2 Lane, Y", "lists")
    airline = CandidateMatch("x:m2", "x:air", "AIR", ("SDN",), 0.9, evidence)
    party = Entity(
        "x:mss", "MINISTRY OF STATE SECURITY", "Organization", frozenset(), (), frozenset(),
        (sdn,), (), False, (namesake, airline),
    )  # fmt: skip
    screening = Screening(
        (Candidate(party, 1.0, 1.0, party.caption, (), (sdn,)),), 1, dt.date(2022, 1, 1)
    )
    row = dict(
        zip(OUTPUT_COLUMNS, answer_cells(screening, None, "2022-01-01", RELEASE, 0.7), strict=True)
    )
    notes = row["candidate_matches"].split("; ")
    assert len(notes) == 2 and notes[0].startswith("a namesake the list tells apart: MSS")
    assert notes[1].startswith("possibly the same party as AIR <x:air>")
    assert notes[0].endswith(
        "(same name 'MINISTRY OF STATE SECURITY', entries 20129 and 25437 of the SDN)"
    )
    assert "(same name, folded, same address, lists) <x:m2>" in notes[1]


def test_an_undated_entrys_reason_is_not_read_as_another_entrys() -> None:
    """Iran Air as of 2020-01-01: "it may have been listed then (counts from 2020-03-16; no
    start date, first observed 2022-05-06)" read as one entry, where its EL entry counts
    from 2020-03-16 and only its undated SDN entry may have been in force (trial 55a)."""
    window = "2020-03-16; no start date, first observed 2022-05-06"
    why = "it has no start date and counts from when a snapshot first showed it, later"
    row = cells(OutOfForce("x:iran-air", "IRAN AIR", 1.0, window, True, reasons=(Reason(why),)))
    assert row["explanation"].startswith(
        f"matches IRAN AIR (1.0000), not known to be in force that day: {why} (its other "
        "entry: counts from 2020-03-16); Review it"
    )
