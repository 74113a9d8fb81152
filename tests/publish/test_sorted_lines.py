"""Each graph as sorted lines on disk: the order Python's bytes give, whatever `sort` spills."""

import errno
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import on_a_full_disk
from kg.errors import KgError
from kg.publish import sorted_lines
from kg.publish.dumps import write_dumps

EX = "https://example.org/"


def _store() -> ox.Store:
    """Lines that differ late, in a language tag's length, in characters past ASCII and in
    escapes; one triple in two graphs; an empty graph never written."""
    store = ox.Store()
    subject, name = ox.NamedNode(EX + "s"), ox.NamedNode("https://schema.org/name")
    objects = [
        ox.Literal("ab", language="en"),
        ox.Literal("ab", language="en-gb"),
        ox.Literal("ab"),
        ox.Literal("abc"),
        ox.Literal("Zürich"),
        ox.Literal("Zurich"),
        ox.Literal('say "hi"\n'),
        ox.Literal("北京"),
        ox.NamedNode(EX + "o"),
    ]
    for number, value in enumerate(objects):
        graph = ox.NamedNode(f"{EX}graph/{'b' if number % 2 else 'a'}")
        store.add(ox.Quad(subject, name, value, graph))
    store.add(ox.Quad(subject, name, objects[0], ox.NamedNode(EX + "graph/b")))
    store.add(ox.Quad(subject, name, objects[3], ox.DefaultGraph()))
    return store


def test_graphs_come_default_first_then_by_name_each_sorted_as_bytes(tmp_path: Path) -> None:
    graphs = sorted_lines.graphs(_store(), tmp_path)
    assert [str(g.name) for g in graphs] == ["DEFAULT", f"<{EX}graph/a>", f"<{EX}graph/b>"]
    for graph in graphs:
        lines = graph.triples.read_bytes().splitlines()
        assert lines == sorted(lines) and lines
        quads = graph.quads.read_bytes().splitlines()
        suffix = b"" if isinstance(graph.name, ox.DefaultGraph) else b" " + str(graph.name).encode()
        assert quads == [line[:-2] + suffix + b" ." for line in lines]


def test_the_line_dumps_are_what_python_sorting_gives(tmp_path: Path) -> None:
    store = _store()
    write_dumps(store, tmp_path / "dumps", EX)
    nquads = store.dump(format=ox.RdfFormat.N_QUADS)
    assert nquads is not None
    lines = nquads.splitlines()
    assert (tmp_path / "dumps" / "entitylist-kg.nq").read_bytes().splitlines() == sorted(lines)
    triples = {str(q.triple).encode() + b" ." for q in ox.parse(nquads, ox.RdfFormat.N_QUADS)}
    assert (tmp_path / "dumps" / "entitylist-kg.nt").read_bytes().splitlines() == sorted(triples)
    assert not list(tmp_path.glob(".sorting-*"))  # the scratch folder is gone


def test_a_sort_that_fails_says_where_and_what_to_do(tmp_path: Path) -> None:
    source = tmp_path / "lines"
    source.write_bytes(b"b\na\n")
    with pytest.raises(KgError) as raised:
        sorted_lines.sort([source], tmp_path / "missing" / "sorted", tmp_path)
    assert "`sort` failed" in str(raised.value) and "missing" in str(raised.value)
    assert "report it" in str(raised.value)


def test_a_full_disk_while_the_dumps_are_written_names_the_cause(
    built: Path, tmp_path: Path
) -> None:
    """Oxigraph's writers and `sort` give no errno; the build's handler needs one to say
    "full"."""
    script = (
        "import sys; from pathlib import Path; import pyoxigraph as ox\n"
        "from kg.publish.dumps import write_dumps\n"
        "store = ox.Store(); store.load(path=sys.argv[2], format=ox.RdfFormat.N_QUADS)\n"
        "try: write_dumps(store, Path(sys.argv[1]), 'https://x.org/')\n"
        "except OSError as e: print(e.errno, e.strerror, e.filename)"
    )
    nquads = str(built / "dumps" / "entitylist-kg.nq")
    shown = on_a_full_disk(tmp_path / "disk", script, nquads)
    assert shown.split()[:2] == [str(errno.ENOSPC), "No"], shown
    assert str(tmp_path / "disk") in shown
