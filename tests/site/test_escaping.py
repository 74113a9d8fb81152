"""Data containing markup shows as text on every served page, never as markup."""

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from conftest import FIXTURES, copy_tree, serving
from kg.build import build
from kg.config import Settings

HOSTILE = '<script>alert("pwned")</script><img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    data = copy_tree(FIXTURES / "minimal", root / "data")
    facts = data / "sources" / "test" / "facts.ttl"
    facts.write_text(facts.read_text().replace('schema:name "Acme"', f"schema:name '{HOSTILE}'"))
    build(Settings(data_dir=data, out_dir=root / "build"))
    return root / "build"


@pytest.fixture(scope="module")
def hostile_server(hostile_build: Path) -> Iterator[str]:
    with serving(hostile_build) as url:
        yield url


@pytest.fixture(scope="module")
def hostile_site(hostile_build: Path) -> Path:
    return hostile_build / "site"


@pytest.mark.parametrize("path", ["/id/org/acme", "/id/listing/acme", "/search?q=alert+pwned"])
def test_pages_escape_data(hostile_server: str, path: str) -> None:
    page = httpx.get(hostile_server + path, headers={"Accept": "text/html"}, follow_redirects=True)
    assert page.status_code == 200
    assert "&lt;script&gt;alert(" in page.text
    assert "<script>alert" not in page.text
    assert "<img src=x" not in page.text


def test_json_keeps_the_data_as_data(hostile_server: str) -> None:
    results = httpx.get(f"{hostile_server}/search", params={"q": "pwned"}).json()["results"]
    assert results[0]["label"] == HOSTILE


def test_every_site_page_shows_the_markup_as_text(hostile_site: Path) -> None:
    pages = [p for p in hostile_site.rglob("*.html")]
    showing = [p for p in pages if "&lt;script&gt;alert(" in p.read_text(encoding="utf-8")]
    assert len(showing) >= 3  # the organisation, its listing, the entity index...
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<img src=x" not in html, page


def test_search_index_and_json_ld_keep_the_name_as_data(hostile_site: Path) -> None:
    records = json.loads(
        (hostile_site / "entities" / "search" / "r" / "0.json").read_text(encoding="utf-8")
    )
    assert HOSTILE in {record[0] for record in records}
    page = (hostile_site / "id" / "org" / "acme.html").read_text(encoding="utf-8")
    block = page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "</" not in block  # nothing in the data can close the script element
    assert json.loads(block)["name"] == HOSTILE
