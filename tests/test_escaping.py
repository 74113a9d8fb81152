"""Data containing markup shows as text on every served page, never as markup."""

from collections.abc import Iterator

import httpx
import pytest

from conftest import FIXTURES, copy_tree, serving
from kg.build import build
from kg.config import Settings

HOSTILE = '<script>alert("pwned")</script><img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("hostile")
    data = copy_tree(FIXTURES / "minimal", root / "data")
    facts = data / "sources" / "test" / "facts.ttl"
    facts.write_text(facts.read_text().replace('schema:name "Acme"', f"schema:name '{HOSTILE}'"))
    build(Settings(data_dir=data, out_dir=root / "build"))
    with serving(root / "build") as url:
        yield url


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
