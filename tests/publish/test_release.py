"""Each build is a release in a DCAT dataset series, with a changelog of the list actions new
since the previous release, as RDF and as an Atom feed."""

import datetime as dt
import json
import logging
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from conftest import SHARED
from kg.build import build
from kg.config import Settings
from kg.publish.release import MANIFEST, plan
from kg.vocab import DCAT_IN_SERIES, DCAT_LAST, DCAT_PREV, ELKG

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://w3id.org/entitylist-kg/"
CSL = SHARED / "data" / "csl_watchman"
OCTOBER_ACTION = f"{BASE}id/action/84-fr-54002/addition"


def release(out: Path, day: str, *csl: str) -> tuple[Graph, list[ET.Element]]:
    settings = Settings.from_env().with_options(
        out_dir=out, build_date=dt.date.fromisoformat(day), csl=list(csl) or None
    )
    build(settings)
    description = Graph().parse(out / "dumps" / "description.ttl", format="turtle")
    feed = ET.parse(out / "dumps" / "changes.atom").getroot()
    assert feed.tag == f"{ATOM}feed"
    return description, feed.findall(f"{ATOM}entry")


def new_actions(description: Graph, day: str) -> set[str]:
    this = URIRef(f"{BASE}dataset/{day}")
    return {str(a) for a in description.objects(this, ELKG.newAction)}


def test_first_release_lists_every_action(tmp_path: Path) -> None:
    description, entries = release(tmp_path / "out", "2026-01-05")
    this = URIRef(f"{BASE}dataset/2026-01-05")
    assert (this, DCAT_IN_SERIES, URIRef(f"{BASE}dataset")) in description
    assert (URIRef(f"{BASE}dataset"), DCAT_LAST, this) in description
    assert not list(description.objects(this, DCAT_PREV))
    ids = {entry.findtext(f"{ATOM}id") for entry in entries}
    new = new_actions(description, "2026-01-05")
    assert OCTOBER_ACTION in ids and ids <= new
    (october,) = [e for e in entries if e.findtext(f"{ATOM}id") == OCTOBER_ACTION]
    assert october.findtext(f"{ATOM}updated") == "2019-10-09T00:00:00Z"
    assert "28 Chinese organisations" in (october.findtext(f"{ATOM}title") or "")
    # It named one of the 28 it added (trial 35).
    summary = october.findtext(f"{ATOM}summary") or ""
    assert summary.startswith("Addition, effective 2019-10-09; 28 entities: ")
    assert "and 23 more; made by" in summary and "Aksu District Public Security Bureau" in summary
    # The editors' readings of cited rules, whose date no source gives, were dated the
    # release day, and a feed reader showed them as the newest news (trials 36, 41): they
    # are left out, and the feed says how many and where they are.
    left_out = new - ids
    assert left_out and all(iri.endswith("/amendment") for iri in left_out)
    assert f"{BASE}id/action/85-fr-44159/amendment" in left_out
    assert feed_subtitle(tmp_path / "out").endswith(
        f"; {len(left_out)} whose date the sources do not give are not here: they are on the "
        f"timeline, {BASE}timeline/"
    )
    assert all(e.findtext(f"{ATOM}updated") != "2026-01-05T00:00:00Z" for e in entries)
    assert "(the editors' reading)" not in (october.findtext(f"{ATOM}title") or "")
    count = description.value(this, ELKG.newActionCount)
    assert count == Literal(len(new))


def feed_subtitle(out: Path) -> str:
    feed = ET.parse(out / "dumps" / "changes.atom").getroot()
    return feed.findtext(f"{ATOM}subtitle") or ""


def test_next_release_lists_only_what_is_new(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first, _ = release(out, "2026-01-05")
    second, entries = release(
        out,
        "2026-02-01",
        f"{CSL / 'csl_sample_2019-12.csv'}@2019-12-15",
        # A 60-row sample read as the whole list: its shrink is accepted on purpose.
        f"{CSL / 'csl_sample_2025-06.csv'}@2025-06-25:accept-shrink",
    )
    this = URIRef(f"{BASE}dataset/2026-02-01")
    assert (this, DCAT_PREV, URIRef(f"{BASE}dataset/2026-01-05")) in second
    added = new_actions(second, "2026-02-01")
    assert added and not added & new_actions(first, "2026-01-05")
    assert OCTOBER_ACTION not in added
    assert {e.findtext(f"{ATOM}id") for e in entries} == added
    assert {e.find(f"{ATOM}category").get("term") for e in entries} <= {  # type: ignore[union-attr]
        "Addition",
        "Removal",
        "Amendment",
    }
    # A removal is dated by the snapshot that showed it, not by the release (trial 35).
    removals = [e for e in entries if e.find(f"{ATOM}category").get("term") == "Removal"]  # type: ignore[union-attr]
    assert removals
    for removal in removals:
        assert removal.findtext(f"{ATOM}updated") == "2025-06-25T00:00:00Z"
        assert "observed in the snapshot of 2025-06-25" in (
            removal.findtext(f"{ATOM}summary") or ""
        )
    # An addition whose entry the list dates says the date: "the list gives no date" was
    # said of entries the CSV starts on a day (trial 37).
    additions = [e for e in entries if e.find(f"{ATOM}category").get("term") == "Addition"]  # type: ignore[union-attr]
    summaries = [e.findtext(f"{ATOM}summary") or "" for e in additions]
    dated = [s for s in summaries if "(the list gives the entry the start date 20" in s]
    assert dated and all("gives no date" not in s for s in dated)


def test_rebuilding_a_release_gives_the_same_bytes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    release(out, "2026-01-05")
    release(out, "2026-02-01")  # nothing new: an empty changelog
    before = {p.name: p.read_bytes() for p in (out / "dumps").iterdir()}
    _, entries = release(out, "2026-02-01")
    assert entries == []
    assert {p.name: p.read_bytes() for p in (out / "dumps").iterdir()} == before


def test_a_build_replacing_a_much_larger_one_is_warned_of(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    previous = tmp_path / "out"
    (previous / "dumps").mkdir(parents=True)
    actions = [f"{BASE}id/action/{n}" for n in range(200)]
    (previous / "dumps" / MANIFEST).write_text(
        json.dumps({"version": "2026-01-05", "actions": actions, "baseline": []})
    )

    with caplog.at_level(logging.WARNING, logger="kg.publish.release"):
        plan(ox.Store(), previous, BASE, "2026-02-01")

    (warning,) = caplog.records
    assert "held 200 list actions; this build has 0" in warning.getMessage()
    assert "--csl" in warning.getMessage()


@pytest.mark.parametrize("recorded_in", ["release.json", "store.json"])
def test_a_build_with_half_the_statements_is_warned_of_whatever_its_actions(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, recorded_in: str
) -> None:
    # A trial rebuilt a whole-CSL build (476,176 statements, 51 list actions) without its
    # --csl: 2,695 statements and 8 actions, too few actions to judge by, and no warning.
    # Builds already out there record their statements only in the store's store.json.
    out = tmp_path / "out"
    release(out, "2026-01-05")
    manifest = json.loads((out / "dumps" / MANIFEST).read_text())
    quads = manifest.pop("quads") * 3
    if recorded_in == "release.json":
        manifest["quads"] = quads
    else:
        (out / "store" / "store.json").write_text(json.dumps({"format": 1, "quads": quads}))
    (out / "dumps" / MANIFEST).write_text(json.dumps(manifest))
    with caplog.at_level(logging.WARNING, logger="kg.publish.release"):
        release(out, "2026-02-01")
    (warning,) = [r for r in caplog.records if r.name == "kg.publish.release"]
    assert f"held {quads} statements; this build has" in warning.getMessage()
