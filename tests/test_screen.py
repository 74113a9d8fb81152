"""`kg screen`: a spreadsheet in, one answered row out per row, formulas neutralised."""

import argparse
import csv
from pathlib import Path

import pytest

from conftest import run_kg
from kg.errors import KgError
from kg.screen import add_screen_arguments, screen_command
from kg.sources.csl_read import COLUMNS


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    add_screen_arguments(parser)
    return screen_command(parser.parse_args(argv))


def test_a_row_of_weaker_candidates_only_is_to_review_not_clear(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """ "Rotenberg" (eight SDN persons at 0.60) was "no match", the status an analyst
    filters out with the clean rows (trial 41): a row whose best candidate is below the
    threshold says so, and the summary counts it among the rows to review."""
    source = tmp_path / "parties.csv"
    source.write_text("name\nIFLYTEK Holdings\nAcme Widgets\n", encoding="utf-8")
    result = tmp_path / "result.csv"
    assert (
        run(str(source), "--out", str(built), "--output", str(result), "--as-of", "2022-05-06") == 0
    )
    # The clean row is counted too, so that the counts add up to the rows (trial 55a).
    assert (
        "0 possible matches and 1 'weaker candidate, below the threshold', to review as well, "
        "1 with no match; written to"
    ) in capsys.readouterr().out
    with result.open(encoding="utf-8-sig", newline="") as handle:
        weak, clean = list(csv.DictReader(handle))
    assert weak["screen_status"] == "weaker candidate, below the threshold"
    assert 0.5 <= float(weak["match_score"]) < 0.7 and "IFLYTEK" in weak["match_name"]
    assert clean["screen_status"] == "no match" and clean["match_score"] == ""


def test_a_spreadsheet_is_screened_row_by_row(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "parties.csv"
    source.write_text(
        'name,country,birth_date\nHikvision,CN,\n=HYPERLINK("http://x"),,\n,,\n喀什地区公安局,,\n'
        "Hikvision,Korea,\n",
        encoding="utf-8",
    )
    result = tmp_path / "result.csv"
    # A row without a name, or with a name of two countries (Korea, read as South Korea, cost
    # a North Korean bank its match), is not screened: said in its row, in a warning and by
    # the exit status; the other rows are screened and written.
    assert (
        run(str(source), "--out", str(built), "--output", str(result), "--as-of", "2020-01-01") == 1
    )
    said = capsys.readouterr()
    assert "screened 3 of 5 rows" in said.out and "2 not screened" in said.out
    with result.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 5
    assert rows[0]["screen_status"] == "possible match" and rows[0]["match_lists"] == "EL"
    assert rows[0]["match_start_dates"] == "EL since 2019-10-09" and rows[0][
        "match_rules"
    ].startswith("EL: 84 FR 54002, ")
    assert rows[1]["name"].startswith("'=")  # a formula is written as text
    assert rows[2]["screen_status"].startswith("not screened")
    # No count: "0" read as a clean row to a filter on it (trial 51b).
    assert rows[2]["candidates"] == "" and rows[0]["candidates"] != ""
    assert rows[3]["match_name"] == "Kashgar Prefecture Public Security Bureau"
    assert rows[3]["match_kind"] == "Organisation"  # as the pages say, not yente's Organization
    assert rows[4]["screen_status"] == (
        "not screened: country: 'Korea' is the name of North Korea (KP) and South Korea (KR): "
        "give which"
    )
    sums = (built / "dumps" / "SHA256SUMS").read_text()
    assert all(
        row["release_nquads_sha256"] in sums and row["as_of"] == "2020-01-01" for row in rows
    )


def test_no_match_for_a_name_read_letter_for_letter_is_said(
    built: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """حزب الله was "no match" and nothing more, a row a screener would clear (trial 26)."""
    source = tmp_path / "parties.csv"
    source.write_text("name,kind\nحزب الله,\nAcme Widgets,\nAcme,robot\n", encoding="utf-8")
    result = tmp_path / "result.csv"
    assert run(str(source), "--out", str(built), "--output", str(result)) == 1
    with result.open(encoding="utf-8-sig", newline="") as handle:
        arabic, latin, _ = list(csv.DictReader(handle))
    assert arabic["screen_status"] == "no match, read letter for letter"
    assert "(“حزب الله” as “hzb llh”)" in arabic["explanation"]
    assert "screen the Latin spelling too" in arabic["explanation"]
    assert latin["screen_status"] == "no match"
    assert latin["explanation"].startswith("no party in force on ")
    assert latin["explanation"].endswith(
        " scored 0.50 or more, by its name alone or with the row's other columns"
    )
    assert "line 2: no match for a name in Arabic, Persian or Hebrew script" in caplog.text
    # The warnings in the file's order: a bad row's came first (trial 57a: 19, 20, 18).
    assert caplog.text.index("line 2:") < caplog.text.index("line 4: not screened")


def test_screening_outside_the_whole_lists_snapshots_is_warned_of(
    built: Path,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = tmp_path / "parties.csv"
    source.write_text("name\nHikvision\n", encoding="utf-8")
    result = tmp_path / "result.csv"
    assert run(str(source), "--out", str(built), "--output", str(result)) == 0  # today
    [warning] = [r for r in caplog.records if r.levelname == "WARNING"]
    assert "last snapshot of the whole lists in this release is of 2022-05-06" in (
        warning.getMessage()
    )
    assert f"Warning: {warning.getMessage()}." in capsys.readouterr().out  # in the summary
    with result.open(encoding="utf-8-sig", newline="") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["as_of_caveat"] == warning.getMessage()  # and in the file, which outlives both
    caplog.clear()
    run(str(source), "--out", str(built), "--output", str(result), "--as-of", "2022-05-06")
    assert not [r for r in caplog.records if r.levelname == "WARNING"]
    # Before the first snapshot of the whole lists, warned too; Hikvision's EL entry, dated
    # 2019-10-09, is known not to be in force in 2015.
    run(str(source), "--out", str(built), "--output", str(result), "--as-of", "2015-01-01")
    assert "before the first snapshot of the whole lists" in capsys.readouterr().out
    with result.open(encoding="utf-8-sig", newline="") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["screen_status"] == "no match in force on that day"
    assert row["as_of_caveat"].startswith("screened as of 2015-01-01, before the first snapshot")


def test_a_file_without_a_name_column_is_refused(
    built: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    source = tmp_path / "parties.csv"
    source.write_text("company\nHikvision\n", encoding="utf-8")
    with pytest.raises(KgError, match="no column `name`"):
        run(str(source), "--out", str(built), "--output", str(tmp_path / "out.csv"))
    assert not (tmp_path / "out.csv").exists()
    # The error alone: no warning of the day screened, for a file that was not screened.
    assert not [r for r in caplog.records if r.levelname == "WARNING"]
    source.write_text("name;country\nHikvision;CN\n", encoding="utf-8")
    with pytest.raises(KgError, match="no column `name`") as refused:
        run(str(source), "--out", str(built), "--output", str(tmp_path / "out.csv"))
    assert refused.value.hint == "its columns are separated by ';': save it as CSV with commas"


def test_a_day_that_is_none_is_refused_with_what_to_write(tmp_path: Path) -> None:
    """ "--as-of 2020-13-01" said only "see kg screen --help", after the index had opened
    (trial 56a): refused before it, here with no build at all, saying what to write."""
    source = tmp_path / "parties.csv"
    source.write_text("name\nHikvision\n", encoding="utf-8")
    output = str(tmp_path / "out.csv")
    with pytest.raises(KgError, match="no month 13") as refused:
        run(
            str(source),
            "--out",
            str(tmp_path / "none"),
            "--output",
            output,
            "--as-of",
            "2020-13-01",
        )
    assert refused.value.where == "--as-of"
    assert (
        refused.value.hint == "give the day as YYYY-MM-DD, e.g. --as-of 2020-01-01 (empty: today)"
    )


def test_an_output_kg_screen_did_not_write_is_never_replaced(built: Path, tmp_path: Path) -> None:
    source = tmp_path / "parties.csv"
    source.write_text("name\nHikvision\n", encoding="utf-8")
    with pytest.raises(KgError, match="--output is the file to screen"):
        run(str(source), "--out", str(built), "--output", str(source))
    assert source.read_text(encoding="utf-8") == "name\nHikvision\n"
    notes = tmp_path / "notes.csv"
    notes.write_text("who,why\nAcme,supplier\n", encoding="utf-8")
    with pytest.raises(KgError, match="not a result of kg screen") as refused:
        run(str(source), "--out", str(built), "--output", str(notes))
    assert refused.value.where == str(notes)
    assert notes.read_text(encoding="utf-8") == "who,why\nAcme,supplier\n"
    result = tmp_path / "result.csv"
    assert run(str(source), "--out", str(built), "--output", str(result)) == 0
    assert run(str(source), "--out", str(built), "--output", str(result)) == 0  # its own: rerun


def test_a_match_not_known_to_be_in_force_is_counted_to_review(
    csl_built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """ "0 possible matches" cleared PJSC AEROFLOT, whose order "until 2022-10-04" may have
    been extended since the last snapshot of the whole lists (trial 36); a status beginning
    "no match" was filtered with the clean rows (trial 37)."""
    source, result = tmp_path / "parties.csv", tmp_path / "result.csv"
    source.write_text("name,country\nAeroflot,RU\n", encoding="utf-8")

    run(str(source), "--out", str(csl_built), "--output", str(result), "--as-of", "2026-12-01")

    said = capsys.readouterr().out
    assert (
        "0 possible matches and 1 'possible match, not known to be in force that day', to "
        "review as well"
    ) in said
    with result.open(encoding="utf-8-sig", newline="") as handle:
        (row,) = csv.DictReader(handle)
    assert row["screen_status"] == "possible match, not known to be in force that day"
    assert row["match_name"] == "PJSC AEROFLOT"
    # The lists, start and rules of the entry that may be in force: a filter on the lists
    # or the count dropped the row (trial 38).
    assert (row["match_lists"], row["candidates"]) == ("DPL", "1")
    assert row["match_start_dates"].startswith("DPL since 2022-04-07, until 2022-10-04")
    assert "its list gave its end as 2022-10-04" in row["explanation"]


def test_a_party_is_named_as_the_list_in_force_prints_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The SDN's AL-NASER AIRLINES and the DPL's AL NASER AIRLINES are one IRI: screened
    when only the SDN's entry was in force, the answer named the DPL's spelling (trial 46a)."""
    lists = {
        "SDN": "Specially Designated Nationals (SDN) - Treasury Department",
        "DPL": "Denied Persons List (DPL) - Bureau of Industry and Security",
    }
    rows = [
        {"source": lists["SDN"], "name": "AL-NASER AIRLINES", "type": "Entity"},
        {"source": lists["DPL"], "name": "AL NASER AIRLINES", "start_date": "2019-06-05",
         "end_date": "2019-12-03", "type": "Entity"},
    ]  # fmt: skip
    snapshot = tmp_path / "csl.csv"
    with snapshot.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, restval="")
        writer.writeheader()
        writer.writerows(rows)
    built = tmp_path / "out"
    done = run_kg("-q", "build", "--csl", f"{snapshot}@2019-06-10", "--out", str(built))
    assert done.returncode == 0, done.stderr
    source = tmp_path / "parties.csv"
    source.write_text("name\nAl Naser Airlines\n", encoding="utf-8")
    named = {}
    for day in ("2019-07-01", "2022-01-01"):
        result = tmp_path / f"result-{day}.csv"
        run(str(source), "--out", str(built), "--output", str(result), "--as-of", day)
        with result.open(encoding="utf-8-sig", newline="") as handle:
            [row] = list(csv.DictReader(handle))
        named[day] = (row["match_name"], row["match_lists"])
    capsys.readouterr()
    # Both in force: the party's caption; the SDN's alone: the SDN's spelling.
    assert named == {
        "2019-07-01": ("AL NASER AIRLINES", "SDN; DPL"),
        "2022-01-01": ("AL-NASER AIRLINES", "SDN"),
    }
