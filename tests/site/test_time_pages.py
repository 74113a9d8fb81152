"""The timeline dates every action as the graph states it and shows observed history.

The bundled build has the amendments of 84 FR 43495 and the 2020 rules with no date in its
sources: the timeline must say so, never date them by the listings they amend. A small
three-snapshot build gives observed changes.
"""

import csv
import datetime as dt
import html
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import run_kg
from kg.iris import DEFAULT_BASE
from kg.match.index_file import open_index
from kg.site.charts import bar_chart
from kg.site.timeline import CitedYear, Event, cited_rules, events, periods
from kg.sources.csl_read import COLUMNS
from kg.web.examples import EXAMPLES

EL = "Entity List (EL) - Bureau of Industry and Security"
ACTION = f"{DEFAULT_BASE}id/action/"


def write_csl(path: Path, rows: list[dict[str, str]]) -> str:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, restval="")
        writer.writeheader()
        writer.writerows({"source": EL, "start_date": "2020-01-01", **r} for r in rows)
    return str(path)


@pytest.fixture(scope="module")
def history_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2020-06: ten entries; 2021-03: one gone, one new, one moved; 2022-01: one more gone."""
    folder = tmp_path_factory.mktemp("history")
    ten = [{"name": f"Acme Trading {n}", "addresses": f"{n} Road, Town, CN"} for n in range(10)]
    ten[0]["end_date"] = "2024-06-30"  # an order that would have run on
    later = [*ten[1:], {"name": "Newco Trading", "start_date": "2021-02-01"}]
    later[0] = {**later[0], "addresses": "9 Other Road, Town, CN"}  # Acme Trading 1 moved
    snapshots = [
        f"{write_csl(folder / 'a.csv', ten)}@2020-06-01",
        f"{write_csl(folder / 'b.csv', later)}@2021-03-01",
        f"{write_csl(folder / 'c.csv', later[1:])}@2022-01-10",
    ]
    return build_of(snapshots, folder / "out")


def build_of(snapshots: list[str], out: Path) -> Path:
    """`out`, built from the snapshots (each FILE@DATE, maybe with a qualifier)."""
    args = [a for spec in snapshots for a in ("--csl", spec)]
    done = run_kg("-q", "build", *args, "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out


def load(build: Path) -> ox.Store:
    store = ox.Store()
    store.load(path=str(build / "dumps" / "entitylist-kg.nq"), format=ox.RdfFormat.N_QUADS)
    return store


def text(page: Path) -> str:
    html = page.read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"<svg.*?</svg>", "", html)))


def test_an_action_is_never_dated_by_the_listing_it_amends(store: ox.Store) -> None:
    found = {e.iri: e for e in events(store)}
    amendment = found[f"{ACTION}85-fr-44159/amendment"]
    assert (amendment.date, amendment.basis, amendment.says) == ("", "none", "date not recorded")
    assert amendment.listings == 28
    addition = found[f"{ACTION}84-fr-54002/addition"]
    assert (addition.date, addition.basis, addition.listings) == ("2019-10-09", "effective", 28)
    huawei = found[f"{ACTION}84-fr-22961/addition"]
    assert (huawei.date, huawei.basis) == ("2019-05-16", "effective")
    # Of every event, the undated come first: the latest actions are the dated ones.
    assert events(store)[-1] == addition


def test_the_timeline_page_says_what_each_date_is(built: Path) -> None:
    page = text(built / "site" / "timeline" / "index.html")
    assert "2019-10-09 effective Addition" in page
    assert "date not recorded Amendment Amendment of Entity List entries by 85 FR 44159" in page
    assert "34 entries were affected by actions whose date is not recorded" in page
    # 2019 counts the 29 entries added that year, not the 34 amended later.
    assert "2019 29 0 0 29" in page
    home = text(built / "site" / "index.html")
    assert "2019-10-09 effective" in home and "2019-10-09 date" not in home


def test_a_year_only_date_goes_to_the_yearly_chart_only() -> None:
    made = [
        Event(date="2020", kind="Amendment", iri="a", basis="year", listings=3),
        Event(date="2019-10-09", kind="Addition", iri="b", basis="effective", listings=28),
        Event(date="2019-12-03", kind="Removal", iri="c", basis="observed", listings=5),
    ]
    years = periods(made, 4, observed=False)
    assert [(p.label, p.counts) for p in years] == [("2019", (28, 0, 0)), ("2020", (0, 3, 0))]
    months = periods(made, 7, observed=False)
    assert [p.label for p in months] == ["2019-10"]
    assert [(p.label, p.counts) for p in periods(made, 4, observed=True)] == [("2019", (0, 0, 5))]
    svg = bar_chart(years, "Rules: entries by year", "t")
    assert 'role="img"' in svg and "2019: 28 additions; 2020: 3 amendments" in svg


def test_observed_changes_reach_the_timeline(history_build: Path) -> None:
    observed = [e for e in events(load(history_build)) if e.observed]
    assert sorted((e.date, e.kind, e.listings, e.not_seen) for e in observed) == [
        ("2021-03-01", "Addition", 1, "2020-06-01"),
        ("2021-03-01", "Amendment", 1, "2020-06-01"),
        ("2021-03-01", "Removal", 1, "2020-06-01"),
        ("2022-01-10", "Removal", 1, "2021-03-01"),
    ]
    page = text(history_build / "site" / "timeline" / "index.html")
    assert "Snapshots of the list: entries per year" in page
    assert (
        "2021-03-01 observed in a snapshot Removal Removals observed in the snapshot of 2021-03-01"
        in page
    )


def test_the_snapshot_entries_example_counts_what_each_snapshot_showed(
    history_build: Path,
) -> None:
    """A snapshot's graph holds the facts of the entries it last showed: a researcher found no
    way to count one snapshot's entries (trial 50b). The example counts them by their first
    and last observations, as each file printed them."""
    (query,) = (e.query for e in EXAMPLES if e.id == "snapshot-entries")
    rows = load(history_build).query(query, use_default_graph_as_union=True)
    counts = {
        (r["issued"].value, r["list"].value.rsplit("/", 1)[1]): r["entries"].value for r in rows
    }  # type: ignore[index, union-attr]
    assert counts == {
        ("2020-06-01", "entity-list"): "10",
        ("2021-03-01", "entity-list"): "10",  # one gone, one new
        ("2022-01-10", "entity-list"): "9",
    }


def test_each_snapshot_says_what_changed_by_name(history_build: Path) -> None:
    site = history_build / "site"
    first = text(site / "changes" / "csl-2021-03-01" / "index.html")
    assert "3 entries changed" in first
    assert "Added (1) Entries added, by name." in first
    assert "Newco Trading Entity List 2021-02-01 none given 2020-06-01 addition" in first
    assert (
        "Removed (1)" in first
        and "Acme Trading 0 Entity List 2020-01-01 2024-06-30 2020-06-01 removal" in first
    )
    assert "Acme Trading 1 Entity List 2020-01-01 2020-06-01 address amendment" in first
    second = text(site / "changes" / "csl-2022-01-10" / "index.html")
    assert "1 entry changed" in second and "Added (0) None." in second
    assert "Acme Trading 1 Entity List 2020-01-01 none given 2021-03-01 removal" in second
    assert "End date Last seen on Action" in second  # a removal's date: when last seen listed
    # The snapshot's own page and the timeline link to it.
    snapshot = (site / "id" / "source" / "csl-2021-03-01.html").read_text()
    assert 'href="../../changes/csl-2021-03-01/"' in snapshot
    timeline = (site / "timeline" / "index.html").read_text()
    assert 'href="../changes/csl-2022-01-10/#removed"' in timeline
    # The first snapshot is what the others are compared with: it has no such page.
    assert not (site / "changes" / "csl-2020-06-01").exists()
    # changes/ lists the pages, newest first, with the counts of each kind.
    listed = text(site / "changes" / "index.html")
    assert "2022-01-10 yes 0 1 0 " in listed and "2021-03-01 yes 1 1 1 " in listed
    assert listed.index("2022-01-10 yes") < listed.index("2021-03-01 yes")
    assert 'href="../changes/"' in timeline


def test_a_partial_snapshots_changes_page_says_it_is_partial(
    history_build: Path, tmp_path: Path
) -> None:
    whole = text(history_build / "site" / "changes" / "csl-2021-03-01" / "index.html")
    # The snapshot's date as its source gives it, not said to be the list's publication
    # (the 2022 copy's is the day it was committed: trial 29).
    assert "The Consolidated Screening List in the snapshot dated 2021-03-01" in whole
    ten = [{"name": f"Acme Trading {n}"} for n in range(10)]
    sample = [{"name": "Acme Trading 1"}, {"name": "Newco Trading", "start_date": "2021-02-01"}]
    snapshots = [
        f"{write_csl(tmp_path / 'a.csv', ten)}@2020-06-01",
        f"{write_csl(tmp_path / 'b.csv', sample)}@2021-03-01:partial",
    ]
    out = build_of(snapshots, tmp_path / "out")
    page = text(out / "site" / "changes" / "csl-2021-03-01" / "index.html")
    assert "Part of the Consolidated Screening List (a partial snapshot" in page
    # No removal is counted from a partial snapshot: "Removed (0)" read as none (trial 28).
    assert "1 entry changed" in page and "Removed (not counted) Not counted: this snapshot" in page
    listed = text(out / "site" / "changes" / "index.html")
    assert "2021-03-01 no: partial 1 not counted 0 " in listed
    # The timeline gave it as 0 removals, where the changes pages said "not counted" (trial 31).
    timeline = text(out / "site" / "timeline" / "index.html")
    assert (
        "Snapshots of the list: entries per year Year Additions Amendments Removals All "
        "2021 1 0 not counted 1 2021, removals: not counted: this snapshot is partial"
    ) in timeline
    # Nor an addition against a partial snapshot before: "Added (0) None." (trial 28).
    after = [
        f"{write_csl(tmp_path / 'c.csv', sample)}@2020-06-01:partial",
        f"{write_csl(tmp_path / 'd.csv', ten)}@2021-03-01",
    ]
    later = text(
        build_of(after, tmp_path / "out2") / "site" / "changes" / "csl-2021-03-01" / "index.html"
    )
    assert (
        "Added (not counted) Not counted: the snapshot before, of 2020-06-01, is partial" in later
    )


def test_what_a_partial_snapshot_after_the_whole_lists_shows_is_said_to_be_in(
    tmp_path: Path,
) -> None:
    """The home page's latest actions come from a 2023 sample: the page must not say that
    nothing since the whole list of 2022-05-06 (the bundled transcript's) is in the release."""
    ten = [{"name": f"Acme Trading {n}"} for n in range(10)]
    sample = [
        {"name": "Acme Trading 1", "addresses": "1 Road, Town, CN"},
        {"name": "Newco Trading", "start_date": "2023-01-01"},
    ]
    snapshots = [
        f"{write_csl(tmp_path / 'a.csv', ten)}@2020-06-01",
        f"{write_csl(tmp_path / 'b.csv', sample)}@2023-11-30:partial",
    ]
    out = build_of(snapshots, tmp_path / "out")
    home = text(out / "site" / "index.html")
    assert (
        "Its last snapshot of the whole lists is of 2022-05-06 : what changed on the lists since "
        "then is in it only as far as a later partial snapshot (samples or subsets: 2023-11-30 ) "
        "shows it, with no removal." in home
    )
    entry = text(out / "site" / "id" / "org" / "acme-trading-1.html")
    assert "a change since then is known only as far as later partial snapshots show it" in entry
    # An entry the sample did not show: "In force" on 2023-11-30, from 2020's snapshot, was
    # said as firmly as the sample's own (trial 33).
    assert "last seen" not in entry  # the sample shows it
    unseen = text(out / "site" / "id" / "org" / "acme-trading-2.html")
    # And not in force as firmly as one seen: "as far as known" (trial 36).
    assert (
        "In force as far as known last seen in the snapshot of 2020-06-01 ; the later ones are "
        "partial"
    ) in unseen
    # Screening says it too: "entries added or removed since then are not known" (trial 30).
    release = open_index(out / "indexes" / "screening.sqlite").release
    assert (release.last_complete_snapshot, release.last_snapshot) == ("2022-05-06", "2023-11-30")
    assert (
        "only the entries added that later partial snapshots show are known (the last of them "
        "is of 2023-11-30), and no removal;"
    ) in str(release.caveat(dt.date(2024, 1, 1)))
    # A count after the last whole snapshot is neither bound: its label and page say so.
    count = text(out / "site" / "id" / "list-count" / "entity-list" / "2023-01-01.html")
    assert "Entity List: 40 in force from 2023-01-01, as far as known" in count
    assert "entries, as far as known (after 2022-05-06 , the last snapshot of the whole list" in (
        count
    )


def test_a_rename_shows_the_previous_name(tmp_path: Path) -> None:
    """The 2023 subset writes 'Ismail Abdul Salah HANIYA' for 2022's 'HANIYA, Ismail Abdul
    Salah': the amendment's page and the entity's history say what the name was."""
    ten = [{"name": f"Acme Trading {n}"} for n in range(10)]
    person = {"type": "Individual", "start_date": ""}
    snapshots = [
        f"{write_csl(tmp_path / 'a.csv', [*ten, {'name': 'HANIYA, Ismail', **person}])}@2022-05-06",
        f"{write_csl(tmp_path / 'b.csv', [{'name': 'Ismail HANIYA', **person}])}@2023-11-30:partial",
    ]
    out = build_of(snapshots, tmp_path / "out")
    listing = out / "site" / "id" / "listing" / "entity-list" / "ismail-haniya" / "undated"
    action = text(listing / "amendment-observed-csl-2023-11-30.html")
    # The same words in another order are said to be no new name (trial 57b: 82 of the
    # 2023 subset's renames read "the same entry under a new name").
    assert (
        "Previous name HANIYA, Ismail (the same words in another order: the list printed the "
        "same name otherwise, “Ismail HANIYA”)"
    ) in action
    assert "snapshot of 2023-11-30 of 2023-11-30" not in action
    entity = text(out / "site" / "id" / "person" / "ismail-haniya.html")
    assert "(was: HANIYA, Ismail)" in entity
    changes = text(out / "site" / "changes" / "csl-2023-11-30" / "index.html")
    assert (
        "Ismail HANIYA Entity List none given 2022-05-06 its words reordered (was HANIYA, "
        "Ismail) amendment" in changes
    )
    # Which snapshot it was compared with, and which the comparisons start from (trial 25).
    assert "compared with the snapshot before it, of 2022-05-06 (" in changes
    listed = text(out / "site" / "changes" / "index.html")
    assert "The first snapshot read, of 2022-05-06 (" in listed
    assert "is where the comparisons start" in listed


def test_an_amendment_page_shows_what_each_field_lost_and_gained(history_build: Path) -> None:
    listing = history_build / "site" / "id" / "listing" / "entity-list" / "acme-trading-1"
    page = text(listing / "2020-01-01" / "amendment-observed-csl-2021-03-01.html")
    assert (
        "Field No longer shown Shown instead address 1 Road, Town, CN 9 Other Road, Town, CN"
        in page
    )


def test_rules_cited_with_no_action_are_counted_by_year_never_charted(tmp_path: Path) -> None:
    """The lists cite rules of every year; the graph states what a rule did only where a
    curated source says so. The others are counted by the year of their volume, in a table."""
    rows = [
        {"name": "Acme Trading", "federal_register_notice": "83 FR 58201"},
        {"name": "Beta Trading", "federal_register_notice": "85 FR 34503"},
        {"name": "Gamma Trading", "federal_register_notice": "85 FR 34503"},
    ]
    out = tmp_path / "out"
    source = write_csl(tmp_path / "rows.csv", rows)
    done = run_kg("-q", "build", "--csl", f"{source}@2022-05-06", "--out", str(out))
    assert done.returncode == 0, done.stderr
    store = load(out)
    assert cited_rules(store) == [
        CitedYear(year="2018", rules=1, entries=1),
        CitedYear(year="2020", rules=1, entries=2),
    ]
    cited = (f"{DEFAULT_BASE}id/rule/83-fr-58201", f"{DEFAULT_BASE}id/rule/85-fr-34503")
    assert not [e for e in events(store) if e.rule in cited]  # no action made up for them
    page = text(out / "site" / "timeline" / "index.html")
    assert "Federal Register documents the entries cite, with no action recorded" in page
    assert "2018 1 1 2020 1 2" in page


def test_the_graph_of_a_snapshots_actions_is_named_by_its_day(history_build: Path) -> None:
    """Party pages' sources read "List actions observed in csl-2023-11-30", the snapshot's
    id, where every other page names a snapshot by its day (trial 46b)."""
    graphs = history_build / "site" / "graph"
    [page] = [p for p in graphs.glob("history-*.html") if "2021-03-01" in p.name]
    assert (
        "List actions observed in the snapshot of 2021-03-01, against the snapshots before it"
        in text(page)
    )


def test_changes_are_listed_by_name_whatever_its_letter_case() -> None:
    from kg.site.changes import Change, _by_name

    def change(name: str) -> Change:
        return Change(
            entity_label=name, entity=name, list_label="", screening_list="", action="",
            not_seen="", fields=(),
        )  # fmt: skip

    names = ["Zeta Trading", "ABDUL MAJID SAIDI", "Aaron De Leon", "beta Co."]
    assert [c.entity_label for c in _by_name([change(n) for n in names])] == [
        "Aaron De Leon",
        "ABDUL MAJID SAIDI",
        "beta Co.",
        "Zeta Trading",
    ]


def test_entries_of_one_party_list_and_start_are_said_to_be_printed_apart() -> None:
    """MAHMOUD AMINI's order of 2023-10-31, printed with two end dates, read as two additions
    told apart only by the end date (trial 43b): each row says it is one of two, and the
    heading counts parties beside entries (trial 47b)."""
    from kg.site.changes import Change, Snapshot, _by_name

    def added(entity: str, start: str, end: str, action: str) -> Change:
        return Change(
            entity_label=entity, entity=entity, list_label="DPL", screening_list="x:dpl",
            action=action, not_seen="2022-05-06", fields=(), start=start, end=end,
        )  # fmt: skip

    rows = _by_name(
        [
            added("MAHMOUD AMINI", "2023-10-31", "2024-10-30", "x:a"),
            added("MAHMOUD AMINI", "2023-10-31", "2024-10-20", "x:b"),
            added("AZUR AIR", "2023-09-23", "2024-09-25", "x:c"),
            added("UNDATED", "", "", "x:d"),
            added("UNDATED", "", "", "x:e"),
        ]
    )
    snapshot = Snapshot(iri="s", issued="2023-11-30", path="p", changes={"Addition": rows})
    assert snapshot.parties("Addition") == 3 and len(rows) == 5  # AMINI's two are one party
    assert [(c.entity_label, c.end, c.apart) for c in rows] == [
        ("AZUR AIR", "2024-09-25", 1),
        ("MAHMOUD AMINI", "2024-10-30", 2),
        ("MAHMOUD AMINI", "2024-10-20", 2),
        ("UNDATED", "", 1),  # no start: nothing says they are one entry's
        ("UNDATED", "", 1),
    ]


def test_a_removal_of_an_entry_ended_by_its_own_date_is_told_apart() -> None:
    """Adrian Manuel Hernandez's DPL order, ended 2020-10-13, was among the removals of
    2022-05-06 as if taken off (trial 46b); a renewed order's entry is counted as renewed."""
    from kg.site.changes import Change, Snapshot

    def removed(entity: str, end: str, renewal: str = "") -> Change:
        return Change(
            entity_label=entity, entity=entity, list_label="DPL", screening_list="x:dpl",
            action=entity, not_seen="2019-12-03", fields=(), start="2017-10-16", end=end,
            renewal=renewal,
        )  # fmt: skip

    rows = [
        removed("Adrian Manuel Hernandez", "2020-10-13"),
        removed("AL NASER WINGS AIRLINES", "2019-12-03", renewal="2021-11-17"),
        removed("Still dated", "2023-01-01"),  # its end is after the snapshot
        removed("Undated", ""),
    ]
    snapshot = Snapshot(iri="s", issued="2022-05-06", path="p", changes={"Removal": rows})
    assert snapshot.expired("Removal") == 1 and snapshot.expired("Addition") == 0
    assert [c.ended_by(snapshot.issued) for c in rows] == [True, False, False, False]


def test_the_timeline_says_the_earliest_day_a_snapshots_changes_were_not_yet_seen(
    tmp_path: Path,
) -> None:
    """The 2023 subset and 2025 sample are partial: an entry the subset lacks was last seen
    before it, so its change in 2025 may be older than the subset (CETC 13 in a trial). The
    timeline's row for the 2025 amendments gives the earliest such day, true of them all."""
    ten = [{"name": f"Acme Trading {n}", "addresses": f"{n} Road, Town, CN"} for n in range(10)]
    subset = [ten[1]]
    sample = [
        {"name": "Acme Trading 1", "addresses": "1 New Road, Town, CN"},
        {"name": "Acme Trading 2", "addresses": "2 New Road, Town, CN"},
    ]
    out = build_of(
        [
            f"{write_csl(tmp_path / 'a.csv', ten)}@2022-05-06",
            f"{write_csl(tmp_path / 'b.csv', subset)}@2023-11-30:partial",
            f"{write_csl(tmp_path / 'c.csv', sample)}@2025-06-25:partial",
        ],
        tmp_path / "out",
    )
    amended = [e for e in events(load(out)) if e.observed and e.date == "2025-06-25"]
    assert [(e.kind, e.listings, e.not_seen) for e in amended] == [("Amendment", 2, "2022-05-06")]
    page = text(out / "site" / "changes" / "csl-2025-06-25" / "index.html")
    assert "Acme Trading 1 Entity List 2020-01-01 2023-11-30 address" in page
    assert "Acme Trading 2 Entity List 2020-01-01 2022-05-06 address" in page


DPL = "Denied Persons List (DPL) - Bureau of Industry and Security"


@pytest.fixture(scope="module")
def renewal_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A denial order ended and renewed as a new entry, as the DPL writes it (AL NASER WINGS
    AIRLINES: 2019-06-05 to 2019-12-03, then 2021-11-17 to 2022-05-16)."""
    folder = tmp_path_factory.mktemp("renewal")
    others = [{"name": f"Acme Trading {n}"} for n in range(3)]
    order = {"name": "Kite Air", "source": DPL, "federal_register_notice": "84 FR 27233"}
    earlier = {**order, "start_date": "2019-06-05", "end_date": "2019-12-03"}
    later = {
        **order,
        "start_date": "2020-11-17",
        "end_date": "2021-05-16",
        "federal_register_notice": "84 FR 27233, 85 FR 70001",
    }
    snapshots = [
        f"{write_csl(folder / 'a.csv', [*others, earlier])}@2020-06-01",
        f"{write_csl(folder / 'b.csv', [*others, later])}@2021-03-01",
    ]
    return build_of(snapshots, folder / "out")


def test_the_changes_page_says_which_removal_and_addition_are_a_renewal(
    renewal_build: Path,
) -> None:
    """The changes pages listed AL NASER WINGS AIRLINES under "Removed" and Azur Air under
    "Added" with nothing of the renewal the entity's History says (trial 39)."""
    page = text(renewal_build / "site" / "changes" / "csl-2021-03-01" / "index.html")
    assert "Removed : 1 (1 renewed by a later entry)" in page
    assert "Added : 1 (1 renewing an earlier entry)" in page
    assert "removal renewed by its entry from 2020-11-17" in page
    assert "addition renewing its entry from 2019-06-05" in page
    # Linked, as on the party's pages (trial 50b: plain text here).
    html = (renewal_build / "site" / "changes" / "csl-2021-03-01" / "index.html").read_text("utf-8")
    assert re.search(r'renewed by <a href="[^"]+/kite-air/2020-11-17\.html">its entry from', html)
    assert re.search(r'renewing <a href="[^"]+/kite-air/2019-06-05\.html">its entry from', html)
    assert "Of these, 1 is renewed by a later entry of the same party on the same list" in page
    assert "the party was not taken off; the list wrote its renewed order anew" in page
    timeline = text(renewal_build / "site" / "timeline" / "index.html")
    assert (
        "Removals observed in the snapshot of 2021-03-01 (1 renewed by a later entry)" in timeline
    )
    feed = (renewal_build / "dumps" / "changes.atom").read_text(encoding="utf-8")
    assert "the list gave the entry the end date 2019-12-03; its entry from 2020-11-17" in feed
    # An addition's end date too, which tells apart an order printed with two (trial 42).
    assert (
        "the list gives the entry the start date 2020-11-17 and the end date 2021-05-16, "
        "renewing its entry from 2019-06-05"
    ) in feed
    # Titles, which feed readers show, name the party, not its IRI's slug.
    assert (
        "<title>Removal observed: Kite Air (DPL, from 2019-06-05), renewed by a later entry</title>"
    ) in feed
    # The History names the actions so, not "Removal of Kite Air (DPL)" alone (trial 40).
    party = text(renewal_build / "site" / "id" / "org" / "kite-air.html")
    assert "Removal of Kite Air (DPL), renewed by a later entry" in party
    assert "Addition of Kite Air (DPL), renewing an earlier entry" in party
    # Its dates, which tell apart the entries of an order printed with two end dates.
    assert "the list gives the entry the start date 2020-11-17 and the end date 2021-05-16" in party


def test_the_timeline_says_how_many_it_counts_are_renewals(renewal_build: Path) -> None:
    """The charts and yearly table counted a renewed order's removal and addition among the
    others, unsaid, where the snapshot rows and changes pages said it (note 50)."""
    timeline = text(renewal_build / "site" / "timeline" / "index.html")
    assert "2021 1 (1 renewing an earlier entry) 0 1 (1 renewed by a later entry) 2" in timeline
    assert (
        "Where the list renewed an order, the removal of its earlier entry and the addition of"
        " its later one are each counted where a snapshot counts them: 2 of the entries charted"
        " are one or the other"
    ) in timeline
    html = (renewal_build / "site" / "timeline" / "index.html").read_text(encoding="utf-8")
    assert (
        "<title>2021: 1 addition (1 renewing an earlier entry), 1 removal (1 renewed by a later "
        "entry)</title>"
    ) in html


def test_an_order_renewed_by_an_entry_printed_twice_links_both(tmp_path: Path) -> None:
    """MAHMOUD AMINI's order of 2021, renewed by his order of 2023-10-31 printed with two
    end dates, linked one of the two: a reader took the other for a separate order (48b)."""
    order = {"name": "Kite Air", "source": DPL, "federal_register_notice": "84 FR 27233"}
    earlier = {**order, "start_date": "2019-06-05", "end_date": "2019-12-03"}
    later = [
        {**order, "start_date": "2020-11-17", "end_date": end,
         "federal_register_notice": "84 FR 27233, 85 FR 70001"}
        for end in ("2021-05-16", "2021-05-06")
    ]  # fmt: skip
    snapshots = [
        f"{write_csl(tmp_path / 'a.csv', [earlier])}@2020-06-01",
        f"{write_csl(tmp_path / 'b.csv', later)}@2021-03-01",
    ]
    out = build_of(snapshots, tmp_path / "out")
    folder = out / "site" / "id" / "listing" / "denied-persons-list" / "kite-air"
    page = text(folder / "2019-06-05.html")
    both = (
        "its entry from 2020-11-17 (until 2021-05-06 ) and its entry from 2020-11-17 (until "
        "2021-05-16 ) renew it"
    )
    assert f"Renewed : the list gave its end as 2019-12-03 , and {both}" in page
    assert f"the list gave the entry the end date 2019-12-03 ; {both}" in page  # its History
    html = (folder / "2019-06-05.html").read_text("utf-8")
    links = re.findall(r'<a href="([^"]+)">its entry from <time>2020-11-17</time> \(until', html)
    assert {Path(link).name for link in links} == {p.name for p in folder.glob("2020-11-17*.html")}
    for later_page in folder.glob("2020-11-17*.html"):
        assert "renewing its entry from 2019-06-05" in text(later_page)
    # Their additions are titled apart, by their ends (trial 50c: one title for both).
    titles = {
        re.search(r"<h1>(.*?)</h1>", p.read_text("utf-8")).group(1)  # type: ignore[union-attr]
        for p in folder.glob("2020-11-17*/addition-observed-*.html")
    }
    assert titles == {
        f"Addition of Kite Air (DPL), renewing an earlier entry, until {end}"
        for end in ("2021-05-06", "2021-05-16")
    }
    # Their tables of entries give the end too, in a column of its own (trial 50c).
    for addition in folder.glob("2020-11-17*/addition-observed-*.html"):
        end = re.search(r"until (\S+)</h1>", addition.read_text("utf-8")).group(1)  # type: ignore[union-attr]
        assert "Since Until Programme" in text(addition)
        assert f"DPL 2020-11-17 {end} " in text(addition), end


def test_a_damaged_citation_read_by_us_is_marked_wherever_a_page_reuses_it(
    tmp_path: Path,
) -> None:
    """MAHAN AIRWAYS's entry of 2023 prints "87 30173 5/18/2022", which we read as 87 FR
    30173: the renewal's status, "As of a day" and the rule's table of entries gave it as the
    list's own citation (trial 52c)."""
    order = {"name": "Kite Air", "source": DPL, "federal_register_notice": "84 FR 27233"}
    earlier = {**order, "start_date": "2019-06-05", "end_date": "2019-12-03"}
    later = {
        **order,
        "start_date": "2020-11-17",
        "end_date": "2021-05-16",
        "federal_register_notice": "84 FR 27233; 85 700 1/2/2020",
    }
    whole = {"name": "Acme Trading", "federal_register_notice": "85 F.R. 700 1/2/2020"}
    snapshots = [
        f"{write_csl(tmp_path / 'a.csv', [earlier, whole])}@2020-06-01",
        f"{write_csl(tmp_path / 'b.csv', [later, whole])}@2021-03-01",
    ]
    out = build_of(snapshots, tmp_path / "out")
    ours = "our reading of “85 700 1/2/2020”, as the list prints it"
    folder = out / "site" / "id" / "listing" / "denied-persons-list" / "kite-air"
    page = html.unescape(text(folder / "2019-06-05.html"))
    assert f"published in between: 85 FR 700 ( 2020-01-02 ; {ours})" in page
    reasons = html.unescape((out / "site" / "as-of" / "denied-persons-list.json").read_text())
    assert f"published in between: 85 FR 700 (2020-01-02; {ours}); it may have been" in reasons
    rule = html.unescape(text(out / "site" / "id" / "rule" / "85-fr-700.html"))
    assert "the list prints “85 700 1/2/2020”, which we read as this document" in rule
    # Acme Trading prints it whole: no note of ours beside it.
    assert rule.count("which we read as this document") == 1


def test_an_end_not_known_says_when_a_partial_snapshot_last_showed_the_entry(
    tmp_path: Path,
) -> None:
    """MAHAN AIRWAYS's DPL entry of 2023-10-31 was "Not known: ... after the last snapshot of
    the whole lists (2022-05-06)", a snapshot before the entry, and not that the subset of
    2023-11-30 showed it (trial 53a)."""
    others = [{"name": f"Acme Trading {n}"} for n in range(3)]
    order = {
        "name": "Kite Air",
        "source": DPL,
        "start_date": "2023-11-17",
        "end_date": "2024-01-31",
    }
    snapshots = [
        f"{write_csl(tmp_path / 'a.csv', others)}@2023-06-01",
        f"{write_csl(tmp_path / 'b.csv', [order])}@2024-03-01:partial",
    ]
    out = build_of(snapshots, tmp_path / "out")
    page = text(
        out / "site" / "id" / "listing" / "denied-persons-list" / "kite-air" / "2023-11-17.html"
    )
    assert (
        "Not known : the list gave its end as 2024-01-31 , after the last snapshot of the whole"
        " lists ( 2023-06-01 ), which cannot show whether it was extended last seen in the"
        " partial snapshot of 2024-03-01"
    ) in page


def test_an_order_printed_with_two_end_dates_reads_whole_on_its_pages(tmp_path: Path) -> None:
    """MAHMOUD AMINI's order of 2023-10-31, printed with two end dates and no licence terms:
    its entry's page said each "requires “nothing stated”" (trial 47b)."""
    rows = [
        {"name": "Amini Trading", "start_date": "2023-10-31", "end_date": end, "addresses": at}
        for end, at in (("2024-10-30", "1 Road, Dubai, AE"), ("2024-10-20", "2 Street, Dubai, AE"))
    ]
    out = build_of([f"{write_csl(tmp_path / 'a.csv', rows)}@2023-11-30"], tmp_path / "out")
    folder = out / "site" / "id" / "listing" / "entity-list" / "amini-trading"
    page = text(folder / "2023-10-31.html")
    # Which row is which, by the address each prints (trial 47b: no address on its page).
    assert (
        "This one, printed with “2 Street, Dubai, AE”, states no licence terms and ends "
        "2024-10-20 ; the other , printed with “1 Road, Dubai, AE”, states no"
    ) in page
    assert (
        "Address As the list prints it with this entry" in page
        and "1 Road" not in (page.split("Address As the list prints", 1)[1])
        and "2 Street, Dubai, AE" in (page.split("Address As the list prints", 1)[1])
    )
    assert "nothing stated" not in page
    # What differs is said, and each page's title names its end (trial 48b: one title, one
    # citation for the two).
    assert "as 2 entries, whose end dates differ." in page
    titles = {
        re.search(r"<title>(.*?) — ", (folder / f).read_text("utf-8")).group(1)  # type: ignore[union-attr]
        for f in ("2023-10-31.html", *(p.name for p in folder.glob("2023-10-31-*.html")))
    }
    assert titles == {
        "Amini Trading on the Entity List, from 2023-10-31, until 2024-10-20",
        "Amini Trading on the Entity List, from 2023-10-31, until 2024-10-30",
    }


def test_an_entry_is_said_to_print_in_rows_of_one_snapshot(tmp_path: Path) -> None:
    """NBC Navegan Bar's entry was said to be printed "in 2 rows": one row of 2022 and one
    of 2023, never two at once (trial 48b). A partial snapshot that prints an entry in fewer
    rows keeps the earlier rows too: the rows of each snapshot are counted, not their sum."""
    row = {"name": "Navegan Trading", "start_date": "2012-04-25"}
    two = [row | {"_id": "r1", "addresses": "1 Road, Tehran, IR"}, row | {"_id": "r1b"}]
    snapshots = [
        f"{write_csl(tmp_path / 'a.csv', two)}@2022-05-06",
        f"{write_csl(tmp_path / 'b.csv', [row | {'_id': 'r2'}])}@2023-11-30:partial",
    ]
    out = build_of(snapshots, tmp_path / "out")
    page = text(out / "site/id/listing/entity-list/navegan-trading/2012-04-25.html")
    assert all(f"CSL record id {id_} [" in page for id_ in ("r1", "r1b", "r2"))
    assert "prints this entry in 2 rows" in page


def test_entries_apart_by_their_terms_are_titled_by_their_address(tmp_path: Path) -> None:
    """NBC Navegan Bar's two entries of 2012-04-25, whose licence terms differ by a full
    stop, were said to have terms that "differ" and had one title (trials 48b, 49a)."""
    rows = [
        {"name": "Navegan Trading", "start_date": "2012-04-25", "addresses": at,
         "license_requirement": terms}
        for at, terms in (("1 Road, Tehran, IR", "For all items (See §744.11)"),
                          ("2 Street, Tehran, IR", "For all items. (See §744.11)."))
    ]  # fmt: skip
    out = build_of([f"{write_csl(tmp_path / 'a.csv', rows)}@2022-05-06"], tmp_path / "out")
    folder = out / "site/id/listing/entity-list/navegan-trading"
    pages = [(folder / f).read_text("utf-8") for f in sorted(p.name for p in folder.glob("*.html"))]
    titles = sorted(re.search(r"<title>(.*?) — ", page).group(1) for page in pages)  # type: ignore[union-attr]
    assert titles == [
        "Navegan Trading on the Entity List, from 2012-04-25, at 1 Road, Tehran, IR",
        "Navegan Trading on the Entity List, from 2012-04-25, at 2 Street, Tehran, IR",
    ]
    assert all("whose licence terms (in punctuation or spacing only) differ." in p for p in pages)


def test_a_party_printed_under_several_spellings_says_so(tmp_path: Path) -> None:
    """AL NASER AIRLINES's page joined the SDN's AL-NASER AIRLINES and the DPL's "AL NASER
    AIRLINES" and "AL-NASER  AIRLINES" (two spaces, shown as one) without saying why, where
    its candidate matches say "not a fact a list states" (trial 50b)."""
    rows = [
        {"name": "Kite-Air", "start_date": "2019-06-05"},
        {"name": "KITE  AIR", "source": DPL, "start_date": "2019-06-05"},
    ]
    out = build_of([f"{write_csl(tmp_path / 'a.csv', rows)}@2020-06-01"], tmp_path / "out")
    [page] = [p for p in (out / "site" / "id").glob("*/kite-air.html")]
    html = page.read_text("utf-8")
    assert (
        'The lists print this party under 2 spellings: <span class="printed">“KITE  AIR”</span> '
        '(DPL); <span class="printed">“Kite-Air”</span> (EL). Rows whose names spell the same '
        "words, whatever their case and the spaces and punctuation between the words"
    ) in html


def test_ids_and_notes_printed_in_two_orders_are_said_once(tmp_path: Path) -> None:
    """The lists of 2022 print ROSOBORONEKSPORT OAO's identifiers value first, those of 2023
    kind first: its page listed "Subject to Directive 3" twice, and each identifier twice
    (trial 56b)."""
    printed = {
        "2022": "1117746521452, Registration ID; Subject to Directive 3, Executive Order 13662 "
        "Directive Determination -; www.roe.ru, Website",
        "2023": "Registration ID, 1117746521452, RU; Executive Order 13662 Directive "
        "Determination -, Subject to Directive 3; Website, www.roe.ru",
    }
    # Two rows of two lists, printed each way, as the history build's two snapshots show it.
    rows = [
        {"name": "Roe Oao", "ids": printed["2022"]},
        {"name": "Roe Oao", "ids": printed["2023"], "source": DPL},
    ]
    out = build_of([f"{write_csl(tmp_path / 'a.csv', rows)}@2023-06-01"], tmp_path / "out")
    [page] = [p for p in (out / "site" / "id").glob("*/roe-oao.html")]
    facts = page.read_text("utf-8").split('<dl class="facts">', 1)[1].split("</dl>", 1)[0]
    text = re.sub(r"<[^>]+>", "", facts)
    # The note once; each identifier once, the other printing folded under it.
    assert text.count("Subject to Directive 3") == 1, text
    identifiers = facts.split("<dt>Identifier</dt>", 1)[1].split("</dd>", 1)[0]
    assert identifiers.count("<br>") == 1 and identifiers.count('class="versions"') == 2
    assert identifiers.strip().startswith("<dd>Registration ID, 1117746521452, RU"), identifiers
