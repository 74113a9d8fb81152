"""The as-of rule, once: a start date, else the first observation; an end or a removal seen."""

import pytest

from conftest import PROJECT
from kg.in_force import PATTERN, UNDATED, window


@pytest.mark.parametrize(
    ("dates", "day", "expected"),
    [
        ({"start": "2019-10-09"}, "2019-10-08", False),
        ({"start": "2019-10-09"}, "2019-10-09", True),
        # An observation counts only where the list gives no start date.
        ({"start": "2019-10-09", "observed": "2022-05-06"}, "2020-01-01", True),
        ({"observed": "2022-05-06"}, "2020-01-01", False),
        ({"observed": "2022-05-06"}, "2022-05-06", True),
        ({}, "2030-01-01", False),  # neither: never counted
        ({"start": "2019-10-09", "end": "2021-01-01"}, "2020-12-31", True),
        ({"start": "2019-10-09", "end": "2021-01-01"}, "2021-01-01", False),
        ({"observed": "2019-12-03", "removals": ["2023-11-30", "2022-05-06"]}, "2022-05-05", True),
        ({"observed": "2019-12-03", "removals": ["2023-11-30", "2022-05-06"]}, "2022-05-06", False),
        ({"start": "2021-01-01", "end": "2020-01-01"}, "2020-06-01", False),
    ],
)
def test_in_force_on_a_day(dates: dict[str, object], day: str, expected: bool) -> None:
    found = window(
        start=dates.get("start"),  # type: ignore[arg-type]
        observed=dates.get("observed"),  # type: ignore[arg-type]
        end=dates.get("end"),  # type: ignore[arg-type]
        removals=dates.get("removals", ()),  # type: ignore[arg-type]
    )
    assert found.in_force(day) is expected


def test_the_start_says_what_kind_of_date_it_is() -> None:
    assert window(start="2019-10-09", observed=None, end=None, removals=()).since_text() == (
        "2019-10-09"
    )
    undated = window(start=None, observed="2022-05-06", end=None, removals=())
    assert undated.since_text() == "no start date, first observed 2022-05-06"
    assert "observed, not when it was listed" in UNDATED


def test_the_readme_quotes_the_rule() -> None:
    readme = (PROJECT / "README.md").read_text()
    for line in PATTERN.splitlines():
        assert line.strip() in readme, line
    assert "firstObservedIn" in readme
