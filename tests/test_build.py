"""kg build end to end: dumps that parse, a truthful description, determinism, atomicity."""

import gzip
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph

from conftest import PROJECT, copy_tree, run_kg
from kg.build import build
from kg.config import Settings
from kg.errors import KgError
from kg.publish import persistent
from kg.publish.dumps import FORMATS, STEM
from kg.site import writer as site
from kg.web.worker_process import open_store

QUAD_FORMATS = {"nq", "trig", "jsonld"}
FORMAT_NAMES = {"nq": "nquads", "trig": "trig", "jsonld": "json-ld", "nt": "nt", "ttl": "turtle"}


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file's digest; the persistent store by its quads, since the database's files
    carry ids and times of their own (its content is what must not change)."""
    digests = {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.parts[len(folder.parts)] != "store"
    }
    if (folder / "store").is_dir():
        digests["store"] = store_digest(folder / "store")
    return digests


def store_digest(store: Path) -> str:
    opened = open_store(str(persistent.verify(store).database))
    # Blank nodes (the ontology has some) are named afresh by each parse.
    lines = sorted(re.sub(r"_:[0-9A-Za-z]+", "_:b", str(quad)) for quad in opened)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def complete_release(out: Path, date: str) -> bool:
    """Every file listed in SHA256SUMS is there with its checksum, and the release date is date."""
    dumps = out / "dumps"
    sums = (dumps / "SHA256SUMS").read_text().splitlines()
    listed = {name for name in (line.split("  ")[1] for line in sums)}
    on_disk = {p.name for p in dumps.iterdir()} - {"SHA256SUMS"}
    return (
        listed == on_disk
        and all(
            hashlib.sha256((dumps / name).read_bytes()).hexdigest() == digest
            for digest, name in (line.split("  ") for line in sums)
        )
        and f'"{date}"^^xsd:date' in (dumps / "description.ttl").read_text()
    )


@pytest.mark.parametrize("suffix", [dump.suffix for dump in FORMATS])
def test_every_dump_parses_in_rdflib_and_oxigraph(built: Path, suffix: str) -> None:
    path = built / "dumps" / f"{STEM}.{suffix}"
    oxigraph_count = len(list(ox.parse(path=str(path))))
    if suffix in QUAD_FORMATS:
        dataset = Dataset()
        dataset.parse(data=path.read_bytes(), format=FORMAT_NAMES[suffix])
        rdflib_count = sum(1 for _ in dataset.quads((None, None, None, None)))
    else:
        rdflib_count = len(Graph().parse(data=path.read_bytes(), format=FORMAT_NAMES[suffix]))
    assert rdflib_count == oxigraph_count > 1000
    assert gzip.decompress((path.parent / f"{path.name}.gz").read_bytes()) == path.read_bytes()


def test_every_dump_holds_the_same_facts(built: Path) -> None:
    def read(suffix: str) -> set[ox.Quad]:
        return set(ox.parse(path=str(built / "dumps" / f"{STEM}.{suffix}")))

    quads = read("nq")
    assert read("trig") == read("jsonld") == quads
    assert {q.triple for q in read("ttl")} == {q.triple for q in read("nt")}
    assert {q.triple for q in read("nt")} == {q.triple for q in quads}
    nq_lines = (built / "dumps" / f"{STEM}.nq").read_bytes().splitlines()
    assert nq_lines == sorted(set(nq_lines))


def test_jsonld_dump_has_one_node_object_per_line(built: Path) -> None:
    lines = (built / "dumps" / f"{STEM}.jsonld").read_text(encoding="utf-8").split("\n")
    assert lines[0].startswith('{"@context": {') and lines[1] == '"@graph": ['
    nodes = [
        json.loads(line.rstrip(","))
        for line in lines[2:]
        if line.startswith('{"@id"') and line[-1] != "["
    ]
    subjects = {
        (q.graph_name, q.subject) for q in ox.parse(path=str(built / "dumps" / f"{STEM}.nq"))
    }
    assert len(nodes) == len(subjects)
    assert all(node["@id"].startswith(("id:", "https://", "http://")) for node in nodes)


def test_quad_dumps_keep_one_graph_per_source(built: Path) -> None:
    graphs = {q.graph_name.value for q in ox.parse(path=str(built / "dumps" / f"{STEM}.nq"))}
    names = {name.rsplit("/", 1)[1] for name in graphs}
    assert names == {
        "article-2019-10-08",
        "csl-2022-05",
        "curation",
        "fr-2019-10616",
        "fr-2019-22210",
        "provenance",
        "entailed",
        "list-counts",  # ours: each list's count, day by day
        "entailed-from-ours",  # what the ontology entails from the counts: ours too
    }


def test_entailed_graph_lets_schema_org_queries_work_without_the_ontology(built: Path) -> None:
    store = ox.Store()
    store.load(path=str(built / "dumps" / f"{STEM}.nq"), format=ox.RdfFormat.N_QUADS)
    kinds = {
        row["kind"].value: int(row["n"].value)
        for row in store.query(
            """  # type: ignore[union-attr]
        PREFIX schema: <https://schema.org/> PREFIX elkg: <https://w3id.org/entitylist-kg/ontology#>
        SELECT ?kind (COUNT(DISTINCT ?org) AS ?n) WHERE {
            ?action elkg:madeBy/<http://purl.org/dc/terms/bibliographicCitation> "84 FR 54002" ;
                    elkg:affectsListing/elkg:listedEntity ?org .
            VALUES ?kind { schema:GovernmentOrganization schema:Corporation }
            ?org a ?kind .
        } GROUP BY ?kind""",
            use_default_graph_as_union=True,
        )
    }
    assert kinds == {
        "https://schema.org/GovernmentOrganization": 20,
        "https://schema.org/Corporation": 8,
    }
    aliases = {
        row["a"].value
        for row in store.query(  # type: ignore[union-attr]
            "SELECT ?a WHERE { ?o <https://schema.org/alternateName> ?a }",
            use_default_graph_as_union=True,
        )
    }
    assert {
        "Karamay Municipality Public Security Bureau",
        "Kashi Prefecture Public Security Bureau",
    } <= aliases
    sources = {
        q.graph_name.value.rsplit("/", 1)[1]
        for q in store.quads_for_pattern(
            None,
            ox.NamedNode("https://schema.org/alternateName"),
            ox.Literal("Kashi Prefecture Public Security Bureau"),
            None,
        )
    }
    assert sources == {"entailed"}


def test_ntriples_lines_are_sorted_and_unique(built: Path) -> None:
    lines = (built / "dumps" / f"{STEM}.nt").read_bytes().splitlines()
    assert lines == sorted(set(lines))


def test_no_blank_nodes_in_published_data(built: Path) -> None:
    quads = ox.parse(path=str(built / "dumps" / f"{STEM}.nq"))
    assert not any(
        isinstance(term, ox.BlankNode)
        for q in quads
        for term in (q.subject, q.object, q.graph_name)
    )


def test_description_tells_the_truth_about_each_file(built: Path) -> None:
    dumps = built / "dumps"
    description = Graph().parse(dumps / "description.ttl")
    rows = description.query("""
        PREFIX dcat: <http://www.w3.org/ns/dcat#>
        PREFIX spdx: <http://spdx.org/rdf/terms#>
        SELECT ?url ?size ?sha WHERE {
            ?d dcat:distribution ?dist .
            ?dist dcat:downloadURL ?url ; dcat:byteSize ?size ; spdx:checksum/spdx:checksumValue ?sha .
        }""")
    seen = set()
    for url, size, sha in rows:  # type: ignore[misc]
        path = dumps / str(url).rsplit("/", 1)[1]
        payload = path.read_bytes()
        assert int(size) == len(payload), path.name
        assert str(sha) == hashlib.sha256(payload).hexdigest(), path.name
        seen.add(path.name)
    # One distribution per format, the gzip file (DCAT: mediaType the format, compressFormat
    # gzip); the uncompressed twins are in the folder but not published as distributions.
    assert {f"{STEM}.{d.suffix}.gz" for d in FORMATS} <= seen
    assert not {f"{STEM}.{d.suffix}" for d in FORMATS} & seen
    assert {"entitylist.ttl", "shapes.ttl", "context.jsonld", "validation-report.ttl"} <= seen
    (counts,) = description.query("""
        PREFIX void: <http://rdfs.org/ns/void#>
        SELECT DISTINCT ?n ?subjects ?properties WHERE {
          ?d a void:Dataset ; void:triples ?n ; void:distinctSubjects ?subjects ;
             void:properties ?properties ; void:subset ?s }""")
    merge = Graph().parse(dumps / f"{STEM}.nt")
    assert [int(n) for n in counts] == [  # type: ignore[union-attr]
        len(merge),
        len(set(merge.subjects())),
        len(set(merge.predicates())),
    ]
    # Each subset is one graph of the dumps, named by its IRI (sd:name), and no name of a
    # subset or of anything else is an IRI where a text belongs (schema:name).
    named_graphs = description.query("""
        PREFIX void: <http://rdfs.org/ns/void#>
        PREFIX sd: <http://www.w3.org/ns/sparql-service-description#>
        SELECT ?graph WHERE { ?d void:subset ?s . ?s sd:name ?graph FILTER isIRI(?graph) }""")
    graphs = {str(row[0]) for row in named_graphs}  # type: ignore[index]
    quads = ox.parse(path=str(dumps / f"{STEM}.nq"), format=ox.RdfFormat.N_QUADS)
    assert graphs and graphs == {q.graph_name.value for q in quads}  # type: ignore[union-attr]
    assert not description.query(
        "ASK { ?s <https://schema.org/name> ?name FILTER isIRI(?name) }"
    ).askAnswer


def test_checksums_file_matches(built: Path) -> None:
    dumps = built / "dumps"
    for line in (dumps / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256((dumps / name).read_bytes()).hexdigest() == digest


def test_validation_report_says_conforms(built: Path) -> None:
    report = Graph().parse(built / "dumps" / "validation-report.ttl")
    assert report.query("ASK { ?r <http://www.w3.org/ns/shacl#conforms> true }").askAnswer


def test_the_build_holds_its_outputs_and_not_the_store_it_worked_on(built: Path) -> None:
    """The build works on a store on disk inside its staging folder: gone before the swap."""
    assert {path.name for path in built.iterdir()} == {
        ".entitylist-kg-build",
        "dumps",
        "indexes",
        "site",
        "store",
    }


def test_two_builds_are_byte_identical(built: Path, tmp_path: Path) -> None:
    result = run_kg("build", "--out", str(tmp_path / "again"))
    assert result.returncode == 0, result.stderr
    assert tree_digest(tmp_path / "again") == tree_digest(built)


def test_site_rendered_by_several_processes_is_the_same(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Big sites are rendered by forked processes; the bytes must not depend on it."""
    monkeypatch.setattr(site, "FORK_ABOVE", 0)
    monkeypatch.setattr(site, "MAX_WORKERS", 3)
    monkeypatch.setattr(os, "cpu_count", lambda: 3)
    result = build(Settings.from_env().with_options(out_dir=tmp_path / "forked"))
    assert result.pages > 100
    assert tree_digest(tmp_path / "forked") == tree_digest(built)


def test_a_failed_rendering_process_fails_the_build_and_publishes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(site, "FORK_ABOVE", 0)
    monkeypatch.setattr(site, "MAX_WORKERS", 3)
    monkeypatch.setattr(os, "cpu_count", lambda: 3)
    share = site.Site.resource_share

    def failing(self: site.Site, resources: list[str], number: int, shares: int) -> None:
        if number == 2:  # a forked child's share; the build's own process renders share 0
            raise RuntimeError("a template failed")
        share(self, resources, number, shares)

    monkeypatch.setattr(site.Site, "resource_share", failing)
    with pytest.raises(KgError, match="1 of 2 site rendering processes failed"):
        build(Settings.from_env().with_options(out_dir=tmp_path / "failed"))
    assert not (tmp_path / "failed").exists()


def test_release_date_is_an_input(tmp_path: Path) -> None:
    result = run_kg("build", "--out", str(tmp_path / "b"), "--date", "2030-01-02")
    assert result.returncode == 0, result.stderr
    assert '"2030-01-02"^^xsd:date' in (tmp_path / "b" / "dumps" / "description.ttl").read_text()


def _until_it_takes_sigint(pid: int) -> None:
    """Until the child no longer ignores SIGINT (its preexec_fn has run): a SIGINT sent
    before was lost, and the build ran to its end, as if it won the race at 0.1 s (CI 112:
    forking a large test process took longer than that, the suite run in the background)."""
    bit = 1 << (signal.SIGINT - 1)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
        ignored = next(
            line.split()[1] for line in status.splitlines() if line.startswith("SigIgn:")
        )
        if not int(ignored, 16) & bit:
            return
        time.sleep(0.002)


@pytest.mark.parametrize(
    "sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=["SIGINT", "SIGTERM", "SIGKILL"]
)
def test_interrupted_build_leaves_the_old_output(built: Path, tmp_path: Path, sig: int) -> None:
    out = copy_tree(built, tmp_path / "build")
    before = tree_digest(out)
    interrupted = 0
    for delay in (0.1, 0.3, 0.5, 0.7, 0.9, 1.4):
        process = subprocess.Popen(
            [sys.executable, "-m", "kg.cli", "build", "--out", str(out), "--date", "2031-01-01"],
            cwd=PROJECT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            # As from a terminal: a job a shell starts in the background inherits SIGINT
            # ignored, and Python then leaves it so (Ctrl-C would reach nothing).
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        _until_it_takes_sigint(process.pid)
        time.sleep(delay)
        process.send_signal(sig)
        process.wait(timeout=60)
        if process.returncode == 0:
            break  # the build won the race; later delays would too
        interrupted += 1
        now = tree_digest(out)
        # Either the old output, or (the signal came after the swap) the complete new one.
        assert now == before or complete_release(out, "2031-01-01"), (
            f"mixed output after {sig} at {delay}s"
        )
    assert interrupted >= 2
    if sig != signal.SIGKILL:  # a service manager's stop, as a Ctrl-C, removes it
        assert not list(tmp_path.glob(".build.staging-*")), (
            "an interrupted build left its staging folder"
        )


def test_a_rebuild_removes_the_previous_output_in_the_background(tmp_path: Path) -> None:
    out = tmp_path / "build"
    build(Settings(out_dir=out))
    # Inside a folder the build writes (at the top, a file no build wrote is refused).
    (out / "dumps" / "from-the-previous-build").write_text("old", encoding="utf-8")
    build(Settings(out_dir=out))
    assert not (out / "dumps" / "from-the-previous-build").exists()
    assert (out / "dumps" / f"{STEM}.nq").is_file()
    assert not list(tmp_path.glob(".build.staging-*"))
    deadline = time.monotonic() + 60
    while list(tmp_path.glob(".build.discarded-*")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not list(tmp_path.glob(".build.discarded-*")), "the previous output was not removed"


def test_broken_turtle_reports_file_and_line(tmp_path: Path) -> None:
    data = copy_tree(PROJECT / "data", tmp_path / "data")
    facts = data / "sources" / "curation" / "facts.ttl"
    lines = facts.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if '"national-security"' in line)
    lines[number] = lines[number].replace('"national-security"', '"national-security')
    facts.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_kg("build", "--data", str(data), "--out", str(out))
    assert result.returncode == 1
    assert f"{facts}:{number + 1}" in result.stderr
    assert "Turtle syntax error" in result.stderr
    assert "what to do:" in result.stderr
    assert not out.exists()


def test_violation_fails_the_build_and_publishes_nothing(built: Path, tmp_path: Path) -> None:
    data = copy_tree(PROJECT / "data", tmp_path / "data")
    facts = data / "sources" / "article-2019-10-08" / "facts.ttl"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(
        text.replace(
            "elkg:stance elkg:Opposes ;\n    elkg:quotedBy",
            "elkg:stance elkg:Furious ;\n    elkg:quotedBy",
        ),
        encoding="utf-8",
    )
    out = copy_tree(built, tmp_path / "build")
    before = tree_digest(out)
    result = run_kg("build", "--data", str(data), "--out", str(out))
    assert result.returncode == 2  # does not conform
    assert "elkg:stance: elkg:Supports, elkg:Opposes or elkg:Neutral" in result.stderr
    assert "statement/2019-10-08-geng-shuang" in result.stderr
    assert f"{facts}:" in result.stderr
    assert tree_digest(out) == before
    assert {path.name for path in tmp_path.iterdir()} == {"data", "build"}  # nothing beside


def test_violation_points_at_the_file_and_line_of_the_offending_statement(tmp_path: Path) -> None:
    data = copy_tree(PROJECT / "data", tmp_path / "data")
    facts = data / "sources" / "fr-2019-22210" / "facts.ttl"
    text = facts.read_text(encoding="utf-8")
    listing = "<listing/entity-list/megvii-technology/2019-10-09>"
    facts.write_text(
        text.replace(
            f"{listing} a elkg:Listing ;",
            f'{listing} a elkg:Listing ;\n    elkg:endDate "2018-01-01"^^xsd:date ;',
        ),
        encoding="utf-8",
    )
    line = (
        facts.read_text(encoding="utf-8")
        .splitlines()
        .index('    elkg:endDate "2018-01-01"^^xsd:date ;')
        + 1
    )
    result = run_kg("validate", "--data", str(data))
    assert result.returncode == 2  # does not conform
    assert (
        f"{facts}:{line}: Violation: A listing cannot end (2018-01-01) before it starts"
        in result.stderr + result.stdout
    )
    assert "path: https://w3id.org/entitylist-kg/ontology#endDate" in result.stdout


def test_invalid_date_is_reported_without_a_traceback(tmp_path: Path) -> None:
    data = copy_tree(PROJECT / "data", tmp_path / "data")
    facts = data / "sources" / "article-2019-10-08" / "facts.ttl"
    text = facts.read_text(encoding="utf-8")
    briefing = "elkg:venue elkg:PressBriefing"
    assert text.count(briefing) == 1
    facts.write_text(
        text.replace(briefing, f'elkg:date "2019-02-30"^^xsd:date ;\n    {briefing}'),
        encoding="utf-8",
    )
    result = run_kg("validate", "--data", str(data))
    assert result.returncode == 2  # does not conform
    assert "Traceback" not in result.stderr
    assert '"2019-02-30"^^xsd:date' in result.stdout


@pytest.mark.parametrize(
    ("args", "env"),
    [(["build", "--date", "2026-13-01"], {}), (["validate"], {"KG_QUERY_TIMEOUT": "soon"})],
)
def test_bad_settings_are_clear_errors(
    tmp_path: Path, args: list[str], env: dict[str, str]
) -> None:
    result = (
        run_kg(*args, "--out", str(tmp_path / "o"), env=env)
        if args[0] == "build"
        else run_kg(*args, env=env)
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "what to do" in result.stderr


def test_truncated_source_is_caught_by_its_expectations(tmp_path: Path) -> None:
    data = copy_tree(PROJECT / "data", tmp_path / "data")
    facts = data / "sources" / "fr-2019-22210" / "facts.ttl"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(text[: len(text) // 2].rsplit("\n\n", 1)[0] + "\n", encoding="utf-8")
    result = run_kg("validate", "--data", str(data))
    assert result.returncode == 1
    assert "source.toml" in result.stderr and "expected" in result.stderr


def test_validate_verb_reports_conformance() -> None:
    result = run_kg("validate")
    assert result.returncode == 0, result.stderr
    assert "conforms" in result.stdout


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["validate", "--help"]])
def test_every_command_has_help_with_an_example(args: list[str]) -> None:
    result = run_kg(*args)
    assert result.returncode == 0
    assert "example" in result.stdout


def test_unwritable_output_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run_kg("build", "--out", str(blocker / "build"))
    assert result.returncode == 1
    assert "what to do" in result.stderr
    assert "Traceback" not in result.stderr


def _own_source(folder: Path, name: str = "my-notes") -> Path:
    source = folder / name
    source.mkdir(parents=True)
    (source / "source.toml").write_text(
        'facts = "facts.ttl"\n\n[document]\ntype = "EditorialCuration"\n'
        'title = "A researcher\'s own notes"\nissued = 2026-11-30\n',
        encoding="utf-8",
    )
    (source / "facts.ttl").write_text(
        "@prefix schema: <https://schema.org/> .\n"
        "<org/hangzhou-hikvision-digital-technology-co-ltd>"
        ' schema:description "Seen in my own notes."@en .\n',
        encoding="utf-8",
    )
    return source


def test_a_curated_source_of_ones_own_is_built_beside_the_bundled_ones(tmp_path: Path) -> None:
    mine = _own_source(tmp_path / "mine")
    out = tmp_path / "out"
    done = run_kg("-q", "build", "--source", str(mine), "--out", str(out), "--date", "2026-12-01")
    assert done.returncode == 0, done.stderr
    dataset = Dataset()
    dataset.parse(out / "dumps" / "entitylist-kg.nq", format="nquads")
    graphs = {
        str(g.identifier)
        for g in dataset.graphs()
        if any("my own notes" in str(o) for o in g.objects())
    }
    assert graphs == {"https://w3id.org/entitylist-kg/graph/my-notes"}
    bundled = {str(g.identifier) for g in dataset.graphs()}
    assert "https://w3id.org/entitylist-kg/graph/curation" in bundled
    page = out / "site" / "id" / "org" / "hangzhou-hikvision-digital-technology-co-ltd.html"
    assert "Seen in my own notes." in page.read_text(encoding="utf-8")  # "Also stated"


def test_a_source_folder_is_checked(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    done = run_kg("-q", "build", "--source", str(empty), "--out", str(tmp_path / "out"))
    assert done.returncode == 1
    assert "not a source folder" in done.stderr and str(empty) in done.stderr
    assert "Traceback" not in done.stderr
    twin = _own_source(tmp_path / "twin", name="curation")  # the name of a bundled source
    done = run_kg("-q", "build", "--source", str(twin), "--out", str(tmp_path / "out"))
    assert done.returncode == 1
    assert "two sources are both called 'curation'" in done.stderr
    assert not (tmp_path / "out").exists()


def test_each_stage_reports_its_cpu_time() -> None:
    """Benchmarks on a shared machine read the CPU time (benchmarks/measure.py parses the
    line): wall time there counts other people's work. In a process of its own: the CPU
    time counts the children a process reaps, and a test server's thread may reap one."""
    program = """
import logging, time
from kg.build import Timings
logging.basicConfig(level="INFO", format="%(name)s: %(message)s")
timings = Timings()
with timings.stage("counting"):
    started = time.process_time()
    while time.process_time() - started < 0.2:
        pass
(stage,) = timings.stages
print(stage.cpu, stage.seconds, stage.system)
"""
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, cwd=PROJECT
    )
    cpu, seconds, system = map(float, done.stdout.split())
    # os.times() counts in clock ticks: each of the stage's two readings may be a tick short
    # (at one tick, 0.19 failed the bound by a float's rounding in a CI run).
    tick = 1 / os.sysconf("SC_CLK_TCK")
    assert 0.2 - 2 * tick <= cpu <= seconds + 2 * tick
    logged = re.search(
        r"counting done in [\d.]+ s \(CPU ([\d.]+) s, of which system ([\d.]+) s, peak memory",
        done.stderr,
    )
    assert logged and abs(float(logged[1]) - cpu) <= 0.01  # as logged, to two places
    # The kernel's share, apart: a busy loop has next to none.
    assert 0 <= system <= cpu and abs(float(logged[2]) - system) <= 0.01
