"""Keystroke latency of the static site's name search, in headless Chromium.

    .venv/bin/kg build --csl data/csl/csl-2022-05 --out /tmp/csl
    .venv/bin/python benchmarks/site_search_bench.py --site /tmp/csl/site

Serves the site folder over loopback HTTP, opens entities/ and types each query one key at a
time, as a reader does. For every keystroke it prints what the page measured (the User
Timing measure "search" that search.js records: from the input event to the results on the
page, fetching shards included) and the round trip seen from outside (key sent to results
shown, WebDriver included). A fresh page per query, so the first keystrokes pay for loading
their shards. Needs Debian's chromium and chromedriver (`make tools`).
"""

import argparse
import contextlib
import functools
import http.server
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from conftest import loopback_http

QUERIES = ["huawei", "hikvision", "海康威视", "wulumuqi", "kashi", "mohammad ali", "co", "bank"]


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def static_host(folder: Path) -> Iterator[str]:
    with loopback_http(functools.partial(Quiet, directory=str(folder))) as url:
        yield f"{url}/"


def chromium(width: int = 1280) -> WebDriver:
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", f"--window-size={width},900"):  # fmt: skip
        options.add_argument(argument)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def type_query(driver: WebDriver, url: str, query: str) -> list[tuple[str, float, float, str]]:
    """(text so far, ms measured in the page, ms seen from outside, status) per keystroke."""
    driver.get(url + "entities/")
    box = driver.find_element(By.ID, "q")
    driver.execute_script("performance.clearMeasures('search')")
    typed = []
    for n, key in enumerate(query, start=1):
        started = time.perf_counter()
        box.send_keys(key)
        while driver.execute_script(
            "return performance.getEntriesByName('search').filter("
            "m => m.detail === arguments[0]).length", query[:n]) == 0:  # fmt: skip
            time.sleep(0.002)
        outside = (time.perf_counter() - started) * 1000
        inside = driver.execute_script(
            "const m = performance.getEntriesByName('search')"
            ".filter(m => m.detail === arguments[0]); return m[m.length - 1].duration",
            query[:n],
        )
        status = driver.find_element(By.ID, "search-status").text
        typed.append((query[:n], float(inside), outside, status))
    return typed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, required=True, help="a built site folder")
    parser.add_argument("--query", action="append", help="a query to type (repeatable)")
    args = parser.parse_args()
    inside_all, outside_all = [], []
    with static_host(args.site) as url:
        driver = chromium()
        try:
            for query in args.query or QUERIES:
                for typed, inside, outside, status in type_query(driver, url, query):
                    print(
                        f"{typed!r:>18} page {inside:6.1f} ms  outside {outside:6.1f} ms  {status}"
                    )
                    inside_all.append(inside)
                    outside_all.append(outside)
        finally:
            driver.quit()
    for name, values in (("in the page", inside_all), ("outside", outside_all)):
        ordered = sorted(values)
        p95 = ordered[int(0.95 * (len(ordered) - 1))]
        print(f"{len(values)} keystrokes, {name}: median {statistics.median(values):.1f} ms, "
              f"p95 {p95:.1f} ms, max {max(values):.1f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
