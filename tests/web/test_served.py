"""A rebuild under a running server: the server switches to it whole, and loses nothing."""

import asyncio
import json
import re
import shutil
import time
from pathlib import Path

import httpx
import pyoxigraph as ox

from conftest import copy_tree, free_port, run_kg, serving
from kg.match.labels import KINDS_BROADER
from kg.match.name_index import COUNTRIES
from kg.web.served import NAMES, ServedBuild, _index_from_rows, checked_store
from kg.web.worker_process import Job
from kg.web.workers import PoolLimits, QueryPool

ISSUED = """PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
SELECT ?date WHERE {
  ?release dcat:inSeries <https://w3id.org/entitylist-kg/dataset> ; dcterms:issued ?date
}"""


def _served(url: str) -> tuple[str, str, str]:
    """(build digest, release date on the home page, release date by SPARQL), in that order."""
    build = httpx.get(f"{url}/health").json()["build"]
    page = httpx.get(f"{url}/", headers={"Accept": "text/html"}).text
    page_date = next(d for d in ("2026-11-01", "2026-12-01") if d in page)
    answer = httpx.get(f"{url}/sparql", params={"query": ISSUED, "format": "json"}).json()
    return build, page_date, answer["results"]["bindings"][0]["date"]["value"]


def test_a_rebuild_is_served_whole_once_loaded(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_kg("-q", "build", "--out", str(out), "--date", "2026-11-01").returncode == 0
    with serving(out, "--query-timeout", "2") as url:
        old_build, page, sparql = _served(url)
        assert page == sparql == "2026-11-01"
        rebuilt = run_kg("build", "--out", str(out), "--date", "2026-12-01")
        assert rebuilt.returncode == 0
        assert "a server still serves it" in rebuilt.stderr
        deadline = time.monotonic() + 60
        while True:
            build, page, sparql = _served(url)
            still = httpx.get(f"{url}/health").json()["build"]
            if build == still == old_build:
                # Not switched before nor after the page was read: the old build's page.
                assert page == "2026-11-01", "new pages served with the old data"
            elif build == still:
                assert page == sparql == "2026-12-01"
                break
            assert time.monotonic() < deadline, "the server never switched"
            time.sleep(0.2)
        kept = list(tmp_path.glob(".out.discarded-*"))
        assert len(kept) == 1  # the old build, still held while its queries finish
        time.sleep(4)  # the old workers' grace: the time limit and a second
        assert run_kg("-q", "build", "--out", str(out), "--date", "2026-12-02").returncode == 0
        deadline = time.monotonic() + 60  # the background removal
        while kept[0].exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not kept[0].exists()  # released, so the next build removed it


def test_a_worker_started_after_a_rebuild_opens_the_store_it_was_given(
    built: Path, tmp_path: Path
) -> None:
    """Workers open the store through the server's descriptor of the pinned folder: a
    replacement worker started after a rebuild took the folder's place still answers from
    the build the server serves, until the server switches."""
    out = copy_tree(built, tmp_path / "out")
    pinned = ServedBuild.pin(out)
    try:
        store = checked_store(pinned)
        out.rename(tmp_path / "moved")
        assert run_kg("-q", "build", "--out", str(out), "--date", "2026-12-01").returncode == 0
        limits = PoolLimits(size=1, timeout=30, queue=1)
        answer = asyncio.run(_ask(QueryPool(store, limits), Job(ISSUED, format="json")))
        dates = {row["date"]["value"] for row in json.loads(answer)["results"]["bindings"]}
        assert dates == {_issued(built)}
        assert _issued(out) == "2026-12-01" != _issued(built)
    finally:
        pinned.release()


def _issued(build: Path) -> str:
    found = re.search(
        r'dcterms:issued "(\d{4}-\d\d-\d\d)"', (build / "dumps/description.ttl").read_text()
    )
    assert found is not None
    return found[1]


async def _ask(pool: QueryPool, job: Job) -> bytes:
    await pool.start()
    try:
        return (await pool.run(job)).body
    finally:
        await pool.stop()


def test_a_damaged_store_is_refused_at_start(built: Path, tmp_path: Path) -> None:
    damaged = copy_tree(built, tmp_path / "build")
    (damaged / "store" / "store.json").write_text('{"format": 1, "quads": 7}\n')
    result = run_kg("serve", "--out", str(damaged), "--port", str(free_port()))
    assert result.returncode == 1
    assert "store.json does not match its checksum in SHA256SUMS" in result.stderr
    assert "rebuild it with `kg build`, or copy it again" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_name_search_finds_vessels_aircraft_and_parties_of_unknown_kind() -> None:
    store = ox.Store()
    store.load(
        input=b"""@prefix schema: <https://schema.org/> .
@prefix elkg: <https://w3id.org/entitylist-kg/ontology#> .
<x:ship> a elkg:Vessel ; schema:name "ADRIAN DARYA 1" ; elkg:vesselFlag "Iran" .
<x:plane> a elkg:Aircraft ; schema:name "EP-MNA" .
<x:someone> a elkg:Party ; schema:name "Aaron De Leon" .
""",
        format=ox.RdfFormat.TURTLE,
    )
    names, kinds, countries = (
        json.loads(store.query(query).serialize(format=ox.QueryResultsFormat.JSON))
        for query in (NAMES, KINDS_BROADER, COUNTRIES)
    )
    index = _index_from_rows(names, kinds, countries)

    assert [(hit.iri, hit.kind) for hit in index.search("adrian darya")] == [("x:ship", "Vessel")]
    assert index.search("adrian darya")[0].countries == ("IR",)  # its flag, as the site reads
    assert [(hit.iri, hit.kind) for hit in index.search("EP-MNA")] == [("x:plane", "Aircraft")]
    assert [(hit.iri, hit.kind) for hit in index.search("de leon")] == [("x:someone", "Party")]


SEARCHED = ("hikvision", "kashi", "huawei", "public security", "海康", "co")
SCREENED = {"queries": {"a": {"schema": "Company", "properties": {"name": ["Hikvison"]}}}}


def _answers(url: str) -> tuple[list[object], object]:
    found = [httpx.get(f"{url}/search", params={"q": q}).json() for q in SEARCHED]
    screened = httpx.post(f"{url}/match", json=SCREENED, params={"as_of": "2021-01-01"}).json()
    return found, screened["responses"]


def test_a_build_without_indexes_is_served_with_the_same_answers(
    built: Path, tmp_path: Path
) -> None:
    """A build made before builds wrote their indexes: the server makes its own, from its
    workers' answers, and they answer as the build's files do."""
    older = copy_tree(built, tmp_path / "older")
    shutil.rmtree(older / "indexes")
    with serving(built) as url:
        expected = _answers(url)
    with serving(older) as url:
        assert _answers(url) == expected
    assert any(expected[0]) and expected[1]["a"]["results"]
    log = next(tmp_path.glob("serve-*.log")).read_text()
    assert "the build has no indexes/: making the indexes here" in log


def test_a_damaged_index_is_refused_at_start(built: Path, tmp_path: Path) -> None:
    damaged = copy_tree(built, tmp_path / "build")
    with (damaged / "indexes" / "screening.sqlite").open("ab") as stream:
        stream.write(b"more")
    result = run_kg("serve", "--out", str(damaged), "--port", str(free_port()))
    assert result.returncode == 1
    assert "screening.sqlite does not match its checksum in SHA256SUMS" in result.stderr
    assert "Traceback" not in result.stderr
