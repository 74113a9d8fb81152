"""Spreadsheet rows of `kg screen`: what a row says when nothing is in force that day."""

import datetime as dt

from kg.match.model import OutOfForce, Release, Screening
from kg.match.spreadsheet import OUTPUT_COLUMNS, answer_cells

RELEASE = Release("https://x.test/dataset/2026-12-01", "2026-12-01", "0" * 64)
HIKVISION = OutOfForce("x:hik", "Hikvision", 0.93, "2019-10-09")
LOOKALIKE = OutOfForce("x:sky", "SKY BLUE BIRD FZC", 0.54, "no start date")


def cells(*outside: OutOfForce) -> dict[str, str]:
    screening = Screening((), 0, dt.date(2018, 1, 1), outside=outside)
    row = answer_cells(screening, None, "2018-01-01", RELEASE, 0.7, "https://x.test/")
    return dict(zip(OUTPUT_COLUMNS, row, strict=True))


def test_a_match_not_in_force_that_day_is_said() -> None:
    row = cells(HIKVISION, LOOKALIKE)

    assert row["screen_status"] == "no match in force on that day"
    assert row["explanation"] == "matches Hikvision (0.93), in force: 2019-10-09"


def test_a_name_below_the_threshold_is_no_match_on_any_day() -> None:
    row = cells(LOOKALIKE)

    assert row["screen_status"] == "no match"
    assert row["explanation"] == ""


def test_an_undated_match_first_observed_later_is_not_called_out_of_force() -> None:
    """Observed after the day, an undated entry may have been in force: nothing says not."""
    undated = OutOfForce(
        "x:rossiya", "BANK ROSSIYA", 1.0, "no start date; first observed 2022-05-06", True
    )

    assert cells(undated)["screen_status"] == "no match known to be in force on that day"
