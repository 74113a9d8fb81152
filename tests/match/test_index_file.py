"""The screening index as a file: the answers of the index built in memory, and the build's
file is that index."""

import datetime as dt
import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.match.index import MatchIndex
from kg.match.index_file import _entity_json, _entity_of, open_index, write_index
from kg.match.model import Entity, Listing, Query, Release
from kg.match.rows import parties, run_queries
from kg.publish import checksums

DAYS = (dt.date(2010, 1, 1), dt.date(2020, 1, 1), dt.date(2026, 1, 1))


@pytest.fixture(scope="module")
def in_memory(built: Path) -> MatchIndex:
    store = ox.Store.read_only(str(built / "store" / "oxigraph"))
    sha256 = checksums.read(built / "dumps")["entitylist-kg.nq"]
    return MatchIndex.from_rows(run_queries(store), sha256)


def queries(index: MatchIndex) -> list[str]:
    """Every name of the index, as written, one letter dropped, and words swapped."""
    names = sorted({name.text for name in index.names})
    dropped = [name[:3] + name[4:] for name in names if len(name) > 6]
    swapped = [" ".join(reversed(name.split())) for name in names if " " in name]
    return [*names, *dropped, *swapped, "海康威视", "Kashi PSB", "zzzz"]


def test_the_file_answers_as_the_index_in_memory(in_memory: MatchIndex, tmp_path: Path) -> None:
    write_index(in_memory, tmp_path / "screening.sqlite")
    opened = open_index(tmp_path / "screening.sqlite")
    asked = queries(in_memory)
    assert len(asked) >= 200
    found = 0
    for day in DAYS:
        for text in asked:
            expected = in_memory.screen(Query((text,)), as_of=day)
            assert opened.screen(Query((text,)), as_of=day) == expected, (text, day)
            found += bool(expected.candidates)
    assert found > len(asked)  # the comparison is of answers, not of empty ones
    el = next(iri for iri, (_, abbreviation) in in_memory.lists.items() if abbreviation == "EL")
    assert opened.screen(Query(("Huawei",)), as_of=DAYS[2], lists=[el]) == in_memory.screen(
        Query(("Huawei",)), as_of=DAYS[2], lists=[el]
    )
    for prefix in ("hik", "huawei te", "kash", "x"):
        assert opened.suggest(prefix) == in_memory.suggest(prefix), prefix
    assert in_memory.suggest("hik")
    for entity in in_memory.entities:
        assert opened.entity(entity.iri) == entity
    assert opened.entity("https://example.org/nobody") is None
    assert (len(opened), opened.lists, opened.release) == (
        len(in_memory),
        in_memory.lists,
        in_memory.release,
    )
    release = opened.release
    known = (release.first_complete_snapshot, release.last_complete_snapshot)
    assert known == ("2022-05-06", "2022-05-06")  # the bundled CSL's
    assert (release.first_snapshot, release.last_snapshot) == ("2022-05-06", "2022-05-06")


def test_an_index_written_before_the_snapshots_days_were_recorded_opens(
    in_memory: MatchIndex, tmp_path: Path
) -> None:
    path = tmp_path / "screening.sqlite"
    write_index(in_memory, path)
    with sqlite3.connect(path) as connection:
        (text,) = connection.execute("SELECT value FROM meta WHERE key = 'release'").fetchone()
        connection.execute(
            "UPDATE meta SET value = ? WHERE key = 'release'", (json.dumps(json.loads(text)[:3]),)
        )
    older = open_index(path).release
    assert older == replace(
        in_memory.release,
        first_complete_snapshot="",
        last_complete_snapshot="",
        last_snapshot="",
        first_snapshot="",
    )
    assert older.caveat(DAYS[0]) is None and older.caveat(DAYS[2]) is None  # nothing known


def test_the_build_writes_the_same_index(in_memory: MatchIndex, built: Path) -> None:
    opened = open_index(built / "indexes" / "screening.sqlite")
    for text in queries(in_memory)[::7]:
        assert opened.screen(Query((text,)), as_of=DAYS[2]) == in_memory.screen(
            Query((text,)), as_of=DAYS[2]
        )


def test_an_inferred_kind_survives_the_file_and_an_older_file_has_none() -> None:
    entity = Entity(
        "https://x.test/id/person/agcu", "AGCU Scientech", "Person", frozenset(), (),
        frozenset(), (), kind_inferred=True,
    )  # fmt: skip
    assert _entity_of(_entity_json(entity)) == entity
    older = _entity_json(entity).rsplit(",", 1)[0] + "]"  # before candidate matches
    assert _entity_of(older) == entity
    oldest = older.rsplit(",", 1)[0] + "]"  # written before the flag
    assert _entity_of(oldest).kind_inferred is False


def test_a_party_judged_one_with_another_is_found_by_either_iri(tmp_path: Path) -> None:
    """Huawei's Entity List and CMIC records, judged one party: /search and /reconcile's
    preview asked for the one that is not the party's own IRI and found it on no list."""
    el, cmic = "https://x.test/id/org/huawei", "https://x.test/id/org/huawei-cmic"
    lists = [{"list": "https://x.test/list/el", "name": "Entity List", "abbreviation": "EL"}]
    rows = {
        "lists": lists,
        "names": [
            {"entity": iri, "property": "https://schema.org/name", "name": "Huawei"}
            for iri in (el, cmic)
        ],
        "listings": [
            {"listing": f"{iri}/on", "entity": iri, "list": lists[0]["list"]} for iri in (el, cmic)
        ],
        "same": [{"entity": el, "other": cmic}],
        **{table: [] for table in ("facts", "types", "rules", "removals")},
    }
    in_memory = MatchIndex(parties(rows), Release("r", "2022-05-06", "0"))
    (party,) = in_memory.entities
    path = tmp_path / "screening.sqlite"
    write_index(in_memory, path)
    opened = open_index(path)
    for iri in (el, cmic):
        assert in_memory.entity(iri) == opened.entity(iri) == party
    # One party, two records: kg screen says why it counts fewer parties than the site.
    assert (len(opened), opened.records) == (len(in_memory), in_memory.records) == (1, 2)
    # A file written before referents had a table opens, and finds the party's own IRI only.
    with sqlite3.connect(path) as connection:
        connection.execute("DROP TABLE referents")
        connection.execute("DELETE FROM meta WHERE key = 'records'")
    older = open_index(path)
    assert older.records == 1
    assert older.entity(party.iri) == party
    assert older.entity(party.referents[0]) is None


def test_a_listing_names_its_record_and_an_older_file_names_none() -> None:
    """/search gives a hit the lists of its own record: Huawei's CMIC record is not on the
    Entity List, though screening reads it as one party with the Entity List's record."""
    listing = Listing("x:l", "x:el", "Entity List", "EL", "2019-05-21", None, entity="x:huawei")
    entity = Entity("x:party", "Huawei", "Company", frozenset(), (), frozenset(), (listing,))
    assert _entity_of(_entity_json(entity)).listings[0].entity == "x:huawei"
    # The name the entry prints and whether it renews another survive the file; an older
    # file's entries print none and renew none.
    printed = replace(listing, name="HUAWEI", renews=True, number="30946")
    written = json.loads(_entity_json(replace(entity, listings=(printed,))))
    assert _entity_of(json.dumps(written)).listings[0] == printed
    written[6][0].pop()  # written before entries' numbers were read: none
    assert _entity_of(json.dumps(written)).listings[0] == replace(printed, number=None)
    written[6][0].pop()
    assert _entity_of(json.dumps(written)).listings[0] == replace(
        printed, renews=False, number=None
    )
    written[6][0].pop()
    assert _entity_of(json.dumps(written)).listings[0] == listing
    for _ in range(3):  # written before removals were dated, renewals or their rules read
        written[6][0].pop()
        assert _entity_of(json.dumps(written)).listings[0] == listing
    written[6][0].pop()  # written before listings named their record
    assert _entity_of(json.dumps(written)).listings[0] == replace(listing, entity="")
