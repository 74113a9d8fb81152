"""The /screen page over the bundled build: a form, candidates, the release; no script."""

from pathlib import Path

import pytest
from screening_client import AppClient, screening_client

from kg.web import screen_routes


@pytest.fixture(scope="module")
def client(built: Path) -> AppClient:
    return screening_client(built, screen_routes.router)


def test_screen_page_shows_candidates_explanations_and_release(client: AppClient) -> None:
    page = client.get(
        "/screen",
        params={"name": "Kashi Prefecture PSB", "country": "China", "as_of": "2020-01-01"},
    )
    assert page.status_code == 200
    assert (
        "Kashgar Prefecture Public Security Bureau" in page.text and "Screened against" in page.text
    )
    assert "<script" not in page.text
    bad = client.get("/screen", params={"name": "x", "birth_date": "1999-99"})
    assert bad.status_code == 422 and "birthDate" in bad.text
