"""The build's persistent store: what the dumps say, opened read-only, refused when damaged."""

import errno
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import copy_tree, on_a_full_disk
from kg.errors import KgError
from kg.publish import persistent
from kg.web.worker_process import open_store

ONTOLOGY = ox.NamedNode("https://w3id.org/entitylist-kg/ontology")
DATASET = ox.NamedNode("https://w3id.org/entitylist-kg/dataset")


@pytest.fixture(scope="module")
def opened(built: Path) -> ox.Store:
    return open_store(str(persistent.verify(built / "store").database))


def _in_memory(dumps: Path) -> ox.Store:
    """The store as the query workers loaded it before there was a persistent one: the files
    parsed into memory, the default graph their merge by a SPARQL update. The engine reads
    some literals into a canonical form (xsd:nonNegativeInteger as xsd:integer) either way."""
    store = ox.Store()
    store.load(path=str(dumps / "entitylist-kg.nq"), format=ox.RdfFormat.N_QUADS)
    for name, graph in (("entitylist.ttl", ONTOLOGY), ("description.ttl", DATASET)):
        store.load(path=str(dumps / name), format=ox.RdfFormat.TURTLE, to_graph=graph)
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    return store


def _named(quads: set[ox.Quad]) -> set[str]:
    """Blank nodes get new names each parse: they are compared as one name."""
    return {re.sub(r"_:[0-9A-Za-z]+", "_:b", str(quad)) for quad in quads}


def test_it_holds_what_the_workers_loaded_from_the_dumps(opened: ox.Store, built: Path) -> None:
    stored, loaded = set(opened), set(_in_memory(built / "dumps"))
    assert len(stored) == len(loaded) > 1000
    assert _named(stored) == _named(loaded)
    in_graphs = [q for q in stored if not isinstance(q.graph_name, ox.DefaultGraph)]
    assert json.loads((built / "store" / "store.json").read_text())["quads"] == len(in_graphs)
    assert {q.graph_name for q in in_graphs} >= {ONTOLOGY, DATASET}


def test_a_blank_node_is_one_node_in_its_graph_and_in_the_merge(tmp_path: Path) -> None:
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    (dumps / "entitylist-kg.nq").write_text(
        "<http://x/a> <http://x/p> <http://x/b> <http://x/g> .\n"
    )
    (dumps / "entitylist-kg.nt").write_text("<http://x/a> <http://x/p> <http://x/b> .\n")
    (dumps / "entitylist.ttl").write_text("<http://x/c> <http://x/q> [ <http://x/r> 1 ] .\n")
    (dumps / "description.ttl").write_text("<http://x/d> <http://x/q> 2 .\n")
    assert persistent.write(tmp_path / "store", dumps, "https://example.org/") == 4
    ask = open_store(str(tmp_path / "store" / "oxigraph")).query(
        "ASK { GRAPH <https://w3id.org/entitylist-kg/ontology> { ?c ?q ?b . ?b ?r 1 } "
        "?c ?q ?b . ?b ?r 1 FILTER isBlank(?b) }"
    )
    assert isinstance(ask, ox.QueryBoolean) and bool(ask)


def test_a_dump_loaded_a_slice_at_a_time_is_loaded_whole(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(persistent, "SLICE", 7)  # hundreds of slices, one ending the file
    persistent.write(tmp_path / "store", built / "dumps", "https://w3id.org/entitylist-kg/")
    sliced = set(open_store(str(tmp_path / "store" / "oxigraph")))
    whole = set(open_store(str(built / "store" / "oxigraph")))
    assert len(sliced) == len(whole) > 1000
    assert _named(sliced) == _named(whole)


def test_any_number_of_processes_open_it_at_once(built: Path, opened: ox.Store) -> None:
    database = persistent.verify(built / "store").database
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://schema.org/Organization> }"
    script = (
        "import sys, pyoxigraph as ox;"
        f"print(next(iter(ox.Store.read_only(sys.argv[1]).query({count!r})))['n'].value)"
    )
    readers = [
        subprocess.Popen([sys.executable, "-c", script, str(database)], stdout=subprocess.PIPE)
        for _ in range(3)
    ]
    answers = {reader.communicate(timeout=60)[0].decode().strip() for reader in readers}
    solutions = opened.query(count)
    assert isinstance(solutions, ox.QuerySolutions)
    assert answers == {next(iter(solutions))["n"].value}
    assert int(answers.pop()) > 10


def _damage_largest_file(store: Path) -> str:
    largest = max((store / "oxigraph").glob("*.sst"), key=lambda p: p.stat().st_size)
    payload = bytearray(largest.read_bytes())
    payload[len(payload) // 2] ^= 0xFF
    largest.write_bytes(bytes(payload))
    return f"oxigraph/{largest.name}"


@pytest.mark.parametrize("damage", ["flipped byte", "cut short", "missing", "extra", "info"])
def test_a_damaged_store_is_refused_with_what_to_do(
    built: Path, tmp_path: Path, damage: str
) -> None:
    store = copy_tree(built / "store", tmp_path / "store")
    largest = max((store / "oxigraph").glob("*.sst"), key=lambda p: p.stat().st_size)
    expected = {
        "flipped byte": f"oxigraph/{largest.name} does not match its checksum",
        "cut short": f"oxigraph/{largest.name} does not match its checksum",
        "missing": f"missing oxigraph/{largest.name}",
        "extra": "extra oxigraph/999999.sst",
        "info": "store.json does not match its checksum",
    }[damage]
    if damage == "flipped byte":
        _damage_largest_file(store)
    elif damage == "cut short":
        largest.write_bytes(largest.read_bytes()[:-4096])
    elif damage == "missing":
        largest.unlink()
    elif damage == "extra":
        shutil.copy(largest, store / "oxigraph" / "999999.sst")
    else:
        (store / "store.json").write_text('{"format": 1, "quads": 1}\n')
    with pytest.raises(KgError) as refused:
        persistent.verify(store)
    assert expected in str(refused.value)
    assert "rebuild it with `kg build`, or copy it again" in str(refused.value)


def test_rocksdb_logs_are_not_part_of_the_store(built: Path, tmp_path: Path) -> None:
    """RocksDB rewrites its LOG whenever a process opens the store for writing."""
    store = copy_tree(built / "store", tmp_path / "store")
    (store / "oxigraph" / "LOG.old.1").write_text("a log line\n")
    assert persistent.verify(store).quads > 1000


def test_a_full_disk_while_the_store_is_written_names_the_cause(
    built: Path, tmp_path: Path
) -> None:
    """The engine's I/O errors carry no errno; the build's handler needs one to say "full"."""
    script = (
        "import sys; from pathlib import Path; from kg.publish import persistent\n"
        "try: persistent.write(Path(sys.argv[1]), Path(sys.argv[2]), 'https://x.org/')\n"
        "except OSError as e: print(e.errno, e.strerror, e.filename)"
    )
    shown = on_a_full_disk(tmp_path / "disk", script, str(built / "dumps"))
    assert shown.split()[:2] == [str(errno.ENOSPC), "No"], shown
    assert f"{tmp_path / 'disk'}/out" in shown
