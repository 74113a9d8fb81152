"""The /screen page over the bundled build: a form, candidates, the release; no script."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import BROKEN_WORDS, SCREENSHOTS, chromium, chromium_present, need
from screening_client import AppClient, screening_client
from selenium.webdriver.remote.webdriver import WebDriver

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


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    need(chromium_present())
    browser = chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield browser
    browser.quit()


def test_on_a_phone_no_word_is_broken(driver: WebDriver, server: str) -> None:
    """At 390 px each table row stacks its cells under their headers' names."""
    driver.set_window_size(390, 900)
    try:
        driver.get(f"{server}/screen?name=Kashi+Prefecture+PSB&country=China&as_of=2020-01-01")
        assert "Kashgar Prefecture Public Security Bureau" in driver.page_source
        driver.execute_script("document.querySelector('section.candidate').scrollIntoView()")
        assert driver.save_screenshot(str(SCREENSHOTS / "screen-390.png"))
        overflow = driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1 and driver.execute_script(BROKEN_WORDS) == []
        # As tables of five columns, the same cells break words at this width.
        driver.execute_script(
            "for (const t of document.querySelectorAll('table.stack')) t.classList.remove('stack')"
        )
        assert driver.execute_script(BROKEN_WORDS) != []
    finally:
        driver.set_window_size(1280, 900)
