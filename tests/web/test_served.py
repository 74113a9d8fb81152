"""A rebuild under a running server: the server switches to it whole, and loses nothing."""

import time
from pathlib import Path

import httpx

from conftest import run_kg, serving

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
        time.sleep(1)  # the background removal
        assert not kept[0].exists()  # released, so the next build removed it
