"""Every page of the built site, and the server's own pages, are valid HTML5 (Nu validator)."""

from pathlib import Path

import httpx
from browser import nu_errors


def test_the_site_is_valid_html5(built: Path) -> None:
    pages = list((built / "site").rglob("*.html"))
    assert len(pages) > 100
    assert nu_errors(built / "site") == []


def test_server_pages_are_valid_html5(server: str, tmp_path: Path) -> None:
    for name, path in (
        ("query", "/sparql"),
        ("search", "/search?q=kashi"),
        ("not-found", "/id/org/none"),
        ("generic", "/graph/provenance"),
    ):
        response = httpx.get(server + path, headers={"Accept": "text/html"}, follow_redirects=True)
        (tmp_path / f"{name}.html").write_text(response.text, encoding="utf-8")
    assert nu_errors(tmp_path) == []
