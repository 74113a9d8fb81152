"""Headless Chromium (Debian's) driven by Selenium, and the npm tools the page tests run."""

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver

from conftest import loopback_http

TOOLS = Path(__file__).resolve().parent / "tools" / "node_modules"
AXE = TOOLS / "axe-core" / "axe.min.js"
VNU = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"


def need(*things: tuple[str, bool]) -> None:
    """Skip when a tool is missing, unless KG_REQUIRE_BROWSER says the run must have it (CI)."""
    missing = [name for name, present in things if not present]
    if missing:
        message = f"missing {', '.join(missing)}: run `make tools` (installs them)"
        if os.environ.get("KG_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)


def chromium_present() -> tuple[str, bool]:
    return (
        "chromium and chromedriver",
        bool(shutil.which("chromium") and shutil.which("chromedriver")),
    )


def chromium(profile: Path) -> WebDriver:
    """Debian's headless Chromium at 1280 x 900, its console readable (what the
    Content-Security-Policy blocked), with a profile of its own; the caller quits it."""
    need(chromium_present(), ("axe-core", AXE.is_file()))
    options = webdriver.ChromeOptions()
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,900",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # A driver path given: Selenium does not try to download one.
    browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    browser.set_script_timeout(30)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return browser


@contextlib.contextmanager
def static_host(folder: Path, prefix: str = "") -> Iterator[str]:
    """Python's own static file server on a loopback port: the site as any static host serves
    it, no query behind it. Yields its base URL; with `prefix`, the site is under that
    sub-path, as on a project host, and the URL ends in `/prefix/`."""
    root = folder
    if prefix:
        root = folder.parent / "host"
        if not root.exists():
            (root / prefix).parent.mkdir(parents=True, exist_ok=True)
            (root / prefix).symlink_to(folder)
    with loopback_http(functools.partial(QuietHandler, directory=str(root))) as url:
        yield f"{url}/{prefix}/" if prefix else url


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


#: Words (runs of letters and digits) of the page's table cells drawn on more than one line:
#: a word broken to fit. A line may still end at a hyphen or a space.
BROKEN_WORDS = """
const broken = [];
for (const cell of document.querySelectorAll("main td, main th")) {
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const word of node.data.matchAll(/[\\p{L}\\p{N}]+/gu)) {
      const range = document.createRange();
      range.setStart(node, word.index);
      range.setEnd(node, word.index + word[0].length);
      const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (lines.size > 1) broken.push(word[0]);
    }
  }
}
return broken;
"""


def axe_problems(driver: WebDriver) -> list[tuple[str, str, list[object]]]:
    """What axe-core finds on the page against WCAG 2.1 A and AA: rule, impact, first nodes."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}})"
        ".then(done, error => done({error: String(error)}));"
    )
    assert "error" not in result, result
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
    ]


def shot(driver: WebDriver, name: str) -> None:
    assert driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))


def nu_errors(folder: Path) -> list[str]:
    """What the Nu HTML validator finds wrong in the HTML files under folder."""
    need(("the Nu validator (vnu.jar)", VNU.is_file()), ("java", bool(shutil.which("java"))))
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--skip-non-html", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return [line for line in result.stderr.splitlines() if line.strip()]
