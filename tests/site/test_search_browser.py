"""The name search, the timeline and a snapshot's changes on the whole CSL, in Chromium.

Reads the session's whole-CSL build (`csl_built`: the 2019 sample, then the whole 2022 list):
about 13,000 entities with 32,000 names, and the entries the 2022 list no longer held. Checks
named entries, the Nu validator and axe-core on the new pages, and leaves screenshots at 1280
and 390 px.
"""

import shutil
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from browser import SCREENSHOTS, axe_problems, nu_errors, static_host
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select, WebDriverWait

CHANGES = "changes/csl-2022-05/"
PAGES = ["entities/", "entities/?q=huawei", "entities/h/", "timeline/", CHANGES]


@pytest.fixture(scope="module")
def csl_site(csl_built: Path) -> Path:
    return csl_built / "site"


@pytest.fixture(scope="module")
def csl_url(csl_site: Path) -> Iterator[str]:
    with static_host(csl_site, "csl") as url:
        yield url


def search(driver: WebDriver, url: str, query: str) -> list[str]:
    driver.get(url + "entities/?q=" + query)
    WebDriverWait(driver, 20).until(
        lambda d: d.execute_script("return performance.getEntriesByName('search').length > 0")
    )
    return [a.text for a in driver.find_elements(By.CSS_SELECTOR, "#results li > a")]


def test_the_search_finds_named_entries_among_the_whole_list(
    web_browser: WebDriver, csl_url: str
) -> None:
    huawei = search(web_browser, csl_url, "huawei")
    assert huawei[0].startswith("Huawei Technologies Co., Ltd.") and len(huawei) == 20
    status = web_browser.find_element(By.ID, "search-status").text
    assert int(status.split()[0]) > 100  # Huawei's affiliates, on several lists
    # Its record on the CMIC list too, whose "Co., Ltd." made it 43rd, after every
    # affiliate of three words.
    assert "HUAWEI TECHNOLOGIES CO., LTD." in huawei
    # Which of its names is the title is the pages' business: compare without case.
    hikvision = "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD."
    assert hikvision in [name.upper() for name in search(web_browser, csl_url, "hikvision")]
    assert hikvision in [name.upper() for name in search(web_browser, csl_url, "海康")]
    # Neighbours the index holds as one word, as /search and screening read them (trial 26).
    assert hikvision in [name.upper() for name in search(web_browser, csl_url, "hik-vision")]
    # An acronym beside another word of the name, as /search and screening read it.
    assert "XINJIANG PUBLIC SECURITY BUREAU" in search(web_browser, csl_url, "xinjiang+psb")
    assert search(web_browser, csl_url, "urumqi+psb") == ["Urumqi Municipal Public Security Bureau"]
    # Wulumuqi is how pinyin spells Urumqi: the entries spelt Urumqi are found.
    assert any("Urumqi" in name for name in search(web_browser, csl_url, "wulumuqi"))
    on_sdn = search(web_browser, csl_url, "aero+continente&list=specially-designated-nationals")
    assert any("AERO CONTINENTE" in name.upper() for name in on_sdn)
    # Vessels and aircraft are listed parties too.
    assert search(web_browser, csl_url, "adrian+darya")[0] == "ADRIAN DARYA 1"
    details = web_browser.find_element(By.CSS_SELECTOR, "#results li .details").text
    assert details.startswith("Vessel")
    assert search(web_browser, csl_url, "ep-caq&kind=aircraft") == ["EP-CAQ"]
    # The Entity List gives no kind: a kind we inferred says so.
    assert search(web_browser, csl_url, "shamnad")[0] == "A.H. Shamnad"
    details = web_browser.find_element(By.CSS_SELECTOR, "#results li .details").text
    assert details.startswith("Person (inferred by us, not stated by the list) · Entity List")
    # The start date the list gives, said as that: "listed since 2021-11-17" of MAHAN
    # AIRWAYS, denied since 2008, was a renewal's start (trial 55b).
    assert search(web_browser, csl_url, "mahan+airways&list=denied-persons-list")[0] == (
        "MAHAN AIRWAYS"
    )
    details = web_browser.find_element(By.CSS_SELECTOR, "#results li .details").text
    assert details.endswith(" · the list's start date 2021-11-17"), details


def counts(driver: WebDriver, menu: str) -> dict[str, int]:
    """A menu's counts, by value: "Entity List (2031)"."""
    options = driver.find_elements(By.CSS_SELECTOR, f"#{menu} option")
    return {
        o.get_attribute("value") or "": int(o.text.rsplit("(", 1)[1][:-1])
        for o in options
        if o.get_attribute("value")
    }


def matching(driver: WebDriver) -> int:
    return int(driver.find_element(By.ID, "search-status").text.split()[0])


def test_the_menus_count_what_the_results_hold(web_browser: WebDriver, csl_url: str) -> None:
    """They gave the whole site's counts whatever was asked: "Company (9)" and "Vessel
    (1402)" beside the results for huawei."""
    search(web_browser, csl_url, "")
    whole = {menu: counts(web_browser, menu) for menu in ("list", "kind", "country")}
    search(web_browser, csl_url, "huawei")
    found = matching(web_browser)
    lists, kinds = counts(web_browser, "list"), counts(web_browser, "kind")
    assert kinds["vessel"] == 0 < whole["kind"]["vessel"]
    assert 0 < lists["entity-list"] < whole["list"]["entity-list"]
    assert kinds["organisation"] <= found
    # Each is what choosing it finds; with a value chosen, the other menus count within it.
    search(web_browser, csl_url, "huawei&list=entity-list")
    assert matching(web_browser) == lists["entity-list"]
    assert counts(web_browser, "list") == lists  # its own menu: the other values' counts
    in_china = counts(web_browser, "country")["CN"]
    search(web_browser, csl_url, "huawei&list=entity-list&country=CN")
    assert matching(web_browser) == in_china
    # A filter alone counts within the whole site.
    search(web_browser, csl_url, "&kind=vessel")
    assert matching(web_browser) == whole["kind"]["vessel"]
    assert counts(web_browser, "kind")["vessel"] == whole["kind"]["vessel"]
    assert sum(counts(web_browser, "list").values()) >= whole["kind"]["vessel"]


def test_show_more_is_kept_in_the_address(web_browser: WebDriver, csl_url: str) -> None:
    """Back from a result, or a link shared, showed the first 20 again."""
    shown = "#results li > a"
    search(web_browser, csl_url, "huawei")
    web_browser.find_element(By.ID, "more").click()
    WebDriverWait(web_browser, 20).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, shown)) > 20
    )
    assert len(web_browser.find_elements(By.CSS_SELECTOR, shown)) == 40
    assert web_browser.current_url.endswith("?q=huawei&shown=40")
    first_forty = [a.text for a in web_browser.find_elements(By.CSS_SELECTOR, shown)]
    assert search(web_browser, csl_url, "huawei&shown=40") == first_forty
    # Other words start again at the first page; a number that is none is not read.
    web_browser.find_element(By.ID, "q").send_keys(" tech")
    WebDriverWait(web_browser, 20).until(lambda d: "tech" in d.current_url)
    assert "shown" not in web_browser.current_url
    assert len(search(web_browser, csl_url, "huawei&shown=lots")) == 20


def test_a_filter_that_names_nothing_is_said(web_browser: WebDriver, csl_url: str) -> None:
    """kind=robot, list=XYZ were dropped silently, the answer unfiltered; a country by its
    name or lower-case code is read as the menu's."""
    search(web_browser, csl_url, "al-aqsa+foundation&country=pakistan")
    assert web_browser.find_element(By.ID, "country").get_attribute("value") == "PK"
    # As /search reads a country: UK was Ukraine (the first name it begins), and USA, Korea,
    # Russian Federation or "Korea, North" named none.
    for asked, chosen in (("UK", "GB"), ("usa", "US"), ("Korea%2C+North", "KP"),
                          ("russian+federation", "RU"), ("T%C3%BCrkiye", "TR")):  # fmt: skip
        search(web_browser, csl_url, f"bank&country={asked}")
        assert web_browser.find_element(By.ID, "country").get_attribute("value") == chosen, asked
    # A name of two countries was read as one (Korea as South Korea): asked, as /search asks.
    chosen, status = menus_after(web_browser, csl_url, "bank&country=korea", "country")
    assert chosen == [""]
    assert status.startswith(
        "There is more than one country “korea”, North Korea (KP) and South Korea (KR): "
        "choose which (every country is searched). "
    ), status
    # The start of a name, as /search reads it, unless it begins several; a list's IRI.
    el = "https%3A%2F%2Fw3id.org%2Fentitylist-kg%2Fid%2Flist%2Fentity-list"
    chosen, _ = menus_after(web_browser, csl_url, "bank&list=denied&kind=org", "list", "kind")
    assert chosen == ["denied-persons-list", "organisation"]
    chosen, status = menus_after(web_browser, csl_url, f"bank&list={el}&kind=p", "list")
    assert chosen == ["entity-list"]
    assert status.startswith(
        "There is more than one kind beginning “p”, Party of unknown kind, Person, Police "
        "college and Public security bureau: choose which"
    ), status
    # The words /search takes for a list and a kind (list=SDN was "no list").
    search(web_browser, csl_url, "ministry&list=SDN&kind=organization")
    chosen = [web_browser.find_element(By.ID, x).get_attribute("value") for x in ("list", "kind")]
    assert chosen == ["specially-designated-nationals", "organisation"]
    found = search(web_browser, csl_url, "mohammad&kind=robot")
    assert len(found) == 20
    status = web_browser.find_element(By.ID, "search-status").text
    assert status.startswith("There is no kind “robot” (every kind is searched). ")
    # Kept in the address, so that a shared link says it again (it was dropped), until a
    # kind is chosen in the menu.
    assert "kind=robot" in web_browser.current_url
    Select(web_browser.find_element(By.ID, "kind")).select_by_value("person")
    WebDriverWait(web_browser, 20).until(lambda d: "kind=person" in d.current_url)
    assert "robot" not in web_browser.find_element(By.ID, "search-status").text
    # Several lists, as /search takes them: the menu holds one, and says so.
    search(web_browser, csl_url, "bank&list=SSI,CAP")
    status = web_browser.find_element(By.ID, "search-status").text
    assert status.startswith("There is one list at a time here, not “SSI,CAP”")


def menus_after(driver: WebDriver, url: str, query: str, *menus: str) -> tuple[list[str], str]:
    """What the menus chose from the query's filters, and what the search says."""
    search(driver, url, query)
    chosen = [driver.find_element(By.ID, menu).get_attribute("value") or "" for menu in menus]
    return chosen, driver.find_element(By.ID, "search-status").text


def searched(driver: WebDriver, *, so_far: str) -> bool:
    """Whether the page has shown the results of the query `so_far`."""
    script = "return performance.getEntriesByName('search').some(m => m.detail === arguments[0])"
    return bool(driver.execute_script(script, so_far))


def typed(driver: WebDriver, url: str, query: str) -> tuple[list[str], list[str]]:
    """Type `query` a key at a time on a fresh page: the results, and the index files read."""
    driver.get(url + "entities/")
    box = driver.find_element(By.ID, "q")
    for n, key in enumerate(query, start=1):
        box.send_keys(key)
        WebDriverWait(driver, 20).until(partial(searched, so_far=query[:n]))
    read = driver.execute_script(
        "return performance.getEntriesByType('resource').map(r => r.name.split('/search/')[1])"
    )
    names = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "#results li > a")]
    return names, [name for name in read if name]


def test_the_first_keystrokes_read_one_shard_and_no_records_file(
    web_browser: WebDriver, csl_url: str
) -> None:
    """The first keystroke or two match names all over the list: the records of their first
    page come with the shard, and they are the results the records files give. What the
    menus count by is read once, once the first results are shown."""
    names, read = typed(web_browser, csl_url, "co")
    assert read == ["meta.json", "w/c.json", "f/values.json", "w/co.json"], read
    assert len(names) == 20
    assert search(web_browser, csl_url, "co") == names  # the same, shared by its address
    # Further keys narrow the hits, whose records files are then read as before.
    names, read = typed(web_browser, csl_url, "bank")
    assert "w/ba.json" in read and any(r.startswith("r/") for r in read)
    assert len(names) == 20 and all("BANK" in n.upper() for n in names[:5])


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots_of_the_search_and_the_timeline(
    web_browser: WebDriver, csl_url: str, width: int
) -> None:
    web_browser.set_window_size(width, 900)
    try:
        for name, path in (("search", "entities/?q=huawei"), ("timeline", "timeline/"),
                           ("changes", CHANGES), ("changes-index", "changes/")):  # fmt: skip
            web_browser.get(csl_url + path)
            overflow = web_browser.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 1, (path, overflow)
            # Captions of the tables that scroll sideways are read whole, without scrolling.
            cut = web_browser.execute_script(
                "const w = document.documentElement.clientWidth;"
                "return [...document.querySelectorAll('caption, figcaption')]"
                ".filter(c => c.getBoundingClientRect().right > w + 1).map(c => c.textContent)"
            )
            assert cut == [], (path, cut)
            if width == 390 and name != "search":
                # A table of a few columns fits, one of more stacks its cells (trials 28, 29:
                # the changes and the timeline's actions scrolled, its counts were cut).
                boxes = web_browser.execute_script(
                    "return [...document.querySelectorAll('.scroll:has(.stack, .narrow)')]"
                    ".map(b => b.scrollWidth - b.clientWidth)"
                )
                assert boxes and max(boxes) <= 1, (path, boxes)
            if name == "changes" and width == 390:
                sort = web_browser.find_element(By.CSS_SELECTOR, "#removed ~ div th button")
                assert sort.is_displayed()  # and it still sorts
            assert web_browser.save_screenshot(str(SCREENSHOTS / f"csl-{name}-{width}.png"))
    finally:
        web_browser.set_window_size(1280, 900)


def test_the_changes_page_names_what_the_whole_list_no_longer_held(
    web_browser: WebDriver, csl_url: str
) -> None:
    web_browser.get(csl_url + CHANGES)
    removed = [
        r.text for r in web_browser.find_elements(By.CSS_SELECTOR, "#removed ~ div tbody tr")
    ]
    assert len(removed) == 8  # the 2019 sample's entries gone by 2022, renames aside (README)
    assert any("HERNANDEZ" in row.upper() and "Denied Persons" in row for row in removed)
    assert all(row.strip() for row in removed)


@pytest.mark.parametrize("path", PAGES)
def test_the_new_pages_pass_axe_on_the_whole_list(
    web_browser: WebDriver, csl_url: str, path: str
) -> None:
    web_browser.get(csl_url + path)
    web_browser.set_script_timeout(300)  # axe-core reads every one of thousands of rows
    try:
        assert axe_problems(web_browser) == []
    finally:
        web_browser.set_script_timeout(30)


def test_the_new_pages_are_valid_html5(csl_site: Path, tmp_path: Path) -> None:
    sample = tmp_path / "sample"
    for path in ("entities/", "entities/h/", "entities/0-9/", "timeline/", CHANGES):
        target = sample / path
        target.mkdir(parents=True)
        shutil.copy(csl_site / path / "index.html", target / "index.html")
    assert nu_errors(sample) == []
