"""The site's "as of" page: each list as it stood on a day, by the one rule (kg.in_force).

The browser tests run on the whole 2022 CSL site served by a plain static host: Hikvision's
Entity List entry (from 2019-10-09) is in force on 2020-01-01, its CMIC entry (no start date,
first observed in the 2022-05-06 snapshot) only from then; the counts the browser shows are
the counts SPARQL gives by the query page's example.
"""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from browser import BROKEN_WORDS, SCREENSHOTS, static_host
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from kg.in_force import window
from kg.site.as_of import Entry, ListView, gather
from kg.site.pages import ELKG, Listing
from kg.web.examples import EXAMPLES

HIKVISION = "Hangzhou Hikvision Digital Technology Co., Ltd."
CMIC = "non-sdn-chinese-military-industrial-complex-companies-list"
LIST = "https://w3id.org/entitylist-kg/id/list/"


def test_counts_change_where_windows_open_and_close() -> None:
    entries = (
        Entry(entity="a", window=window(start="2019-10-09", observed=None, end=None, removals=())),
        Entry(entity="b", window=window(start=None, observed="2022-05-06", end=None, removals=())),
        Entry(
            entity="c",
            window=window(start=None, observed="2019-12-03", end=None, removals=["2022-05-06"]),
        ),
        Entry(entity="d", window=window(start=None, observed=None, end=None, removals=())),
    )
    view = ListView(iri="l", name="L", slug="l", entries=entries)
    assert view.steps() == [("2019-10-09", 1), ("2019-12-03", 1)]  # b opens as c closes
    expected = {"2019-10-08": 0, "2019-10-09": 1, "2020-01-01": 2, "2022-05-06": 2, "2030-01-01": 2}
    for day, count in expected.items():
        assert view.count_on(day) == count == sum(n for d, n in view.steps() if d <= day), day


def test_an_entry_status_is_the_as_of_rule_with_its_reason() -> None:
    def status(day: str, **dates: str) -> str:
        removal = (
            {"kind": ELKG + "Removal", "observed": dates.pop("removed")}
            if "removed" in dates
            else None
        )
        listing = Listing(
            iri="l",
            entity="e",
            screening_list="s",
            requirement=None,
            policy=None,
            policy_text=None,
            **{"start": None, "observed": None, "end": None, **dates},
            actions=[removal] if removal else [],
        )
        return listing.status(day)

    assert status("2022-05-06", start="2019-10-09") == "in force"
    assert status("2019-10-08", start="2019-10-09") == "not yet in force"
    assert status("2022-05-06", observed="2022-05-06") == "in force"  # counts from then
    assert status("2020-01-01", observed="2022-05-06") == "not yet in force"
    assert status("2022-05-06", observed="2019-12-03", removed="2022-05-06") == "removed"
    assert status("2021-01-01", observed="2019-12-03", removed="2022-05-06") == "in force"
    assert status("2022-05-06", start="2019-10-09", end="2021-01-01") == "ended"
    assert status("2022-05-06") == "never observed"  # no start, never seen: never counted
    # Ended by its own date before the snapshot that no longer showed it: an order renewed
    # by another entry (AL NASER WINGS AIRLINES) was said removed (trial 36).
    order = {"start": "2019-06-05", "end": "2019-12-03", "removed": "2022-05-06"}
    assert status("2022-05-06", **order) == "ended"


def test_the_bundled_entity_list_by_day(store: ox.Store) -> None:
    (view,) = gather(store, lambda iri: iri)
    assert view.count_on("2019-05-20") == 0 and view.count_on("2019-05-21") == 1  # Huawei
    assert view.count_on("2019-10-09") == 29  # and the 28 of 84 FR 54002


# --- the whole 2022 CSL, in a browser -------------------------------------------------------


@pytest.fixture(scope="module")
def site(csl_built: Path) -> Iterator[str]:
    with static_host(csl_built / "site") as url:
        yield url


@pytest.fixture(scope="module")
def sparql_counts(csl_built: Path) -> dict[str, dict[str, int]]:
    """Entries in force per list (its slug) on each day, by the query page's example."""
    store = ox.Store()
    store.bulk_load(path=str(csl_built / "dumps" / "entitylist-kg.nq"), format=ox.RdfFormat.N_QUADS)
    query = next(example.query for example in EXAMPLES if example.id == "lists-on")
    counts = {}
    for day in ("2020-01-01", "2022-05-06", release_day(csl_built)):
        answer = store.query(query.replace("2023-01-01", day), use_default_graph_as_union=True)
        counts[day] = {
            row["list"].value.removeprefix(LIST): int(row["entries"].value)  # type: ignore[index, union-attr]
            for row in answer
        }
    return counts


def release_day(build: Path) -> str:
    page = (build / "site" / "as-of" / "index.html").read_text()
    return page.split('id="day" name="day" type="date" value="', 1)[1][:10]


def shown_counts(driver: WebDriver) -> dict[str, int]:
    """Each list's count as shown, "at least" (a day before the first whole list) and "as
    far as known" (after the last) aside; "none known" (before, and none) is 0."""
    return {
        slug: int(
            text.replace("none known", "0")
            .removeprefix("at least ")
            .removesuffix(" as far as known")
            .replace(",", "")
        )
        for slug, text in count_cells(driver).items()
    }


def count_cells(driver: WebDriver) -> dict[str, str]:
    rows = driver.find_elements(By.CSS_SELECTOR, "#as-of-counts tbody tr")
    return {
        row.get_attribute("data-list") or "": row.find_elements(By.TAG_NAME, "td")[1].text
        for row in rows
    }


def entries(driver: WebDriver, site: str, day: str, slug: str, *, every: bool = False) -> list[str]:
    """The rows shown for a list on a day: the first page, or `every` one ("Show more")."""
    driver.get(f"{site}/as-of/?day={day}&list={slug}")
    wait = WebDriverWait(driver, 20)
    wait.until(lambda d: day in d.find_element(By.ID, "as-of-status").text)
    while every and driver.find_element(By.ID, "more").is_displayed():
        driver.find_element(By.ID, "more").click()
    return [cell.text for cell in driver.find_elements(By.CSS_SELECTOR, "#entries-body tr")]


def test_without_script_the_release_days_counts(
    csl_built: Path, site: str, sparql_counts: dict[str, dict[str, int]]
) -> None:
    page = httpx.get(f"{site}/as-of/").text
    # What a count of parties is: records, some of them one party's aliases (trial 51a).
    assert "the Denied Persons List prints some parties' aliases as records of their own" in page
    day = release_day(csl_built)
    for slug, count in sparql_counts[day].items():
        assert f'<tr data-list="{slug}">' in page
        row = page.split(f'<tr data-list="{slug}">', 1)[1].split("</tr>", 1)[0]
        # The last snapshot's day, which the page opens on, as the entity pages read statuses:
        # the counts it shows, not "as far as known" (the release day's, years after).
        assert f'data-label="Entries in force">{count:,}</td>' in row, slug
    # The SDN's count from the whole list's day runs on to the release: its label says so.
    sdn = csl_built / "site" / "id" / "list-count" / "specially-designated-nationals"
    assert "in force from 2022-05-06 (as far as known after it) — Entity List" in (
        (sdn / "2022-05-06.html").read_text()
    )
    assert "observed, not when it was listed" in page
    # What the counts can tell of a day: the snapshots read, and the first of the whole list
    snapshots = page.split('id="as-of-snapshots">', 1)[1].split("</p>", 1)[0]
    assert "2019-12-03</time></a> (partial: a sample or a subset)" in snapshots
    assert "2022-05-06</time></a> (the whole list)" in snapshots
    assert "Before 2022-05-06, the first snapshot of the whole list" in snapshots
    assert "the count is a lower bound" in snapshots
    assert (
        "(partial: a sample or a subset); " in snapshots and "(the whole list). Before" in snapshots
    )
    assert (
        "After 2022-05-06, the last snapshot of the whole list, no snapshot could show" in snapshots
    )


def test_a_count_page_says_it_is_ours_and_how_it_was_made(built: Path) -> None:
    """On the bundled build: the Entity List held Huawei alone, then the 28 of the mission."""
    page = (built / "site" / "id" / "list-count" / "entity-list" / "2019-05-21.html").read_text()
    assert "List count: our inference, not a figure the list publishes" in page
    assert (
        'held at least <strong>1</strong> entry in force from <time datetime="2019-05-21">2019-05-21'
        '</time> until <time datetime="2019-10-09">2019-10-09</time> (on which day' in page
    )
    following = page.split("the next count is ", 1)[1].split("</a>", 1)[0]
    assert (
        following == '<a href="2019-10-09.html">Entity List: at least 29 in force from 2019-10-09'
    )
    assert "(on which day the count changed: it does not hold then; the next count is" in page
    assert "It is the list's first count." in page  # Huawei's listing opened the list
    assert 'href="../../../as-of/?day=2019-05-21&amp;list=entity-list"' in page
    later = (built / "site" / "id" / "list-count" / "entity-list" / "2019-10-09.html").read_text()
    assert (
        " on, to the release (after <time>2022-05-06</time>, the last snapshot of the whole list,"
        " as far as known)" in later
    )
    before = later.split("The count before it is ", 1)[1].split("</a>", 1)[0]
    assert before == '<a href="2019-05-21.html">Entity List: at least 1 in force from 2019-05-21'
    assert "How we counted" in page and "a lower bound" in page  # the activity's method
    # The list's page leads to its counts: the latest, and the first.
    listed = (built / "site" / "id" / "list" / "entity-list.html").read_text()
    counted = listed.split("<dt>In force, day by day</dt><dd>", 1)[1].split("</dd>", 1)[0]
    assert counted.startswith("2 counts of its entries in force") and counted.endswith(
        'the latest is <a href="../list-count/entity-list/2019-10-09.html">Entity List: at least '
        '29 in force from 2019-10-09</a>, the first <a href="../list-count/entity-list/'
        '2019-05-21.html">Entity List: at least 1 in force from 2019-05-21</a>; each links the '
        "one before it"
    )


def test_hikvision_as_of_two_days(
    web_browser: WebDriver, site: str, sparql_counts: dict[str, dict[str, int]]
) -> None:
    before = entries(web_browser, site, "2020-01-01", CMIC)
    assert shown_counts(web_browser) == {
        slug: sparql_counts["2020-01-01"].get(slug, 0) for slug in shown_counts(web_browser)
    }
    assert shown_counts(web_browser)[CMIC] == 0 and before == []
    # 2020 is before the first snapshot of the whole list (2022-05-06): lower bounds, said,
    # and a list with none counted then is "none known", not "at least 0".
    shown = count_cells(web_browser)
    assert shown[CMIC] == "none known"
    assert all(text.startswith("at least ") or text == "none known" for text in shown.values())
    assert shown["entity-list"].startswith("at least ")
    on_the_entity_list = entries(web_browser, site, "2020-01-01", "entity-list", every=True)
    assert len(on_the_entity_list) == sparql_counts["2020-01-01"]["entity-list"]
    assert any(
        row.upper().startswith(HIKVISION.upper() + " 2019-10-09") for row in on_the_entity_list
    )
    after = entries(web_browser, site, "2022-05-06", CMIC)
    assert shown_counts(web_browser) == {
        slug: sparql_counts["2022-05-06"].get(slug, 0) for slug in shown_counts(web_browser)
    }
    assert not any("at least" in text for text in count_cells(web_browser).values())
    (hikvision,) = [row for row in after if "HIKVISION" in row.upper()]
    # The CMIC list states its entries' listing date among their ids: 2021-06-03.
    assert "2021-06-03" in hikvision and "no start date" not in hikvision
    links = web_browser.find_elements(By.CSS_SELECTOR, "main a")
    next(a for a in links if "HIKVISION" in a.text.upper()).click()  # the title's case: pages
    WebDriverWait(web_browser, 10).until(lambda d: "/id/org/" in d.current_url)


def test_an_address_it_cannot_show_is_said_so(
    web_browser: WebDriver, site: str, csl_built: Path, sparql_counts: dict[str, dict[str, int]]
) -> None:
    """A day the browser refuses and a list the build lacks: the first day's counts, and
    why, not the text for readers without JavaScript; counts with thousands separators."""
    day = release_day(csl_built)
    web_browser.get(f"{site}/as-of/?day=2019-02-30&list=nope")
    status = WebDriverWait(web_browser, 20).until(
        lambda d: (
            d.find_element(By.ID, "as-of-status").text
            if day in d.find_element(By.ID, "as-of-status").text
            else None
        )
    )
    assert f"“2019-02-30” is no day (YYYY-MM-DD): showing {day}, the day the page" in status
    # The day the entity pages read statuses on, the last snapshot's: it was the release's,
    # 2026, years after the lists it read (trial 26).
    assert day == "2022-05-06"
    assert "This site has no list “nope”." in status
    assert "JavaScript" not in status
    assert shown_counts(web_browser) == {
        slug: sparql_counts[day].get(slug, 0) for slug in shown_counts(web_browser)
    }
    cells = web_browser.find_elements(
        By.CSS_SELECTOR, "#as-of-counts td[data-label='Entries in force']"
    )
    assert any("," in cell.text for cell in cells)  # the SDN list's thousands
    # The day of the last snapshot of the whole lists (2022-05-06): what it shows, not "as
    # far as known", as a later day's counts are.
    assert not any(cell.text.endswith(" as far as known") for cell in cells)
    web_browser.find_element(By.ID, "list").send_keys("Entity List")
    WebDriverWait(web_browser, 20).until(
        lambda d: "of the Entity List in force" in d.find_element(By.ID, "as-of-status").text
    )
    assert "no list" not in web_browser.find_element(By.ID, "as-of-status").text  # said once


def test_entries_that_may_have_been_in_force_beyond_their_dates_are_to_review(
    web_browser: WebDriver, site: str
) -> None:
    """ "As of a day" dropped a renewed order from the DPL between its entries, where its page
    says "Renewed" (trial 50b: MAHMOUD AMINI in 2022); screening says such parties are not
    known to be in force, to review. The page now lists them, with screening's reasons."""
    kept = entries(web_browser, site, "2020-06-01", "DPL", every=True)  # its abbreviation
    assert web_browser.find_element(By.ID, "list").get_attribute("value") == "denied-persons-list"
    assert not any(row.startswith(("AL NASER WINGS AIRLINES", "MAHAN AIRWAYS")) for row in kept)
    status = web_browser.find_element(By.ID, "as-of-status").text
    assert "not known to be in force that day, to review (in the table under the counts)" in status
    rows = [r.text for r in web_browser.find_elements(By.CSS_SELECTOR, "#review-body tr")]
    [wings] = [
        row
        for row in rows
        if row.startswith("AL NASER WINGS AIRLINES") and "gave its end as 2019-12-03" in row
    ]
    # Every document in between, as its page lists them, not the first alone (trial 51c).
    assert (
        "its list gave its end as 2019-12-03; its entry from 2021-11-17 renews it (our reading)"
        " and cites 4 Federal Register documents published in between: 84 FR 66873 "
        "(2019-12-06), 85 FR 34405 (2020-06-04), 85 FR 77147 (2020-12-01), 86 FR 28540 "
        "(2021-05-27); it may have been renewed" in wings
    )
    # Its dates whole, never broken at a hyphen (trial 51c: "(2022-05-" above "06)").
    spans = web_browser.find_elements(By.CSS_SELECTOR, "#review-body td .date")
    assert "2019-12-06" in {span.text for span in spans}
    assert all(span.value_of_css_property("white-space") == "nowrap" for span in spans[:20])
    # Its days labelled and inclusive, not a bare "(from 2019-12-06 until 2021-11-17)" (50c),
    # from its end: a renewal takes effect as the order ends, before it is published (51a).
    assert wings.endswith("it may have been renewed to cover the day 2019-12-03 to 2021-11-16")
    headers = web_browser.find_elements(By.CSS_SELECTOR, "#as-of-review th")
    assert headers[-1].text == "Days it may have been in force"
    # Linked to the entry's page, which links its renewals (trial 50c: to the party's).
    links = web_browser.find_elements(By.CSS_SELECTOR, "#review-body a")
    hrefs = {a.get_attribute("href") for a in links if a.text == "AL NASER WINGS AIRLINES"}
    assert any(h.endswith("/al-naser-wings-airlines/2019-06-05.html") for h in hrefs), hrefs
    [mahan] = [row for row in rows if row.startswith("MAHAN AIRWAYS")]
    # Every document before its start, not the oldest alone (trial 50c): 28 orders since 2008.
    assert (
        "its list gives it the start 2021-11-17, but it cites 28 Federal Register documents "
        "published before: 73 FR 15130 (2008-03-21), 73 FR 43208 (2008-07-24), " in mahan
    )
    assert "… and the latest, 86 FR 28540 (2021-05-27); that start may be" in mahan
    # Entries and parties: one party's entries are rows apart (trial 50c), counted once.
    shown = web_browser.find_elements(By.CSS_SELECTOR, "#entries-body a")
    pages = [a.get_attribute("href") for a in shown]
    assert len(pages) == len(kept) and len(set(pages)) < len(pages)
    assert f"{len(kept)} entries ({len(set(pages))} parties) of the Denied Persons List" in status
    caption = web_browser.find_element(By.ID, "review-caption").text
    assert (
        caption
        == f"Denied Persons List: {len(rows)} more not known to be in force on 2020-06-01, to review"
    )
    # On a day the renewing entry is in force, its dates decide: nothing to review for it.
    entries(web_browser, site, "2022-05-06", "denied-persons-list")
    later = [r.text for r in web_browser.find_elements(By.CSS_SELECTOR, "#review-body tr")]
    assert not any(row.startswith("AL NASER WINGS AIRLINES") for row in later)
    # A name found among every entry, not the first 200 shown (trial 50c: AMINI missed).
    web_browser.get(f"{site}/as-of/?day=2020-06-01&list=DPL&find=naser")
    WebDriverWait(web_browser, 20).until(
        lambda d: "named “naser”" in d.find_element(By.ID, "as-of-status").text
    )
    found = [r.text for r in web_browser.find_elements(By.CSS_SELECTOR, "#entries-body tr")]
    review = [r.text for r in web_browser.find_elements(By.CSS_SELECTOR, "#review-body tr")]
    assert found == [] and len(review) == 3  # none by its dates that day; three to review
    assert all("NASER" in row.upper() for row in review)
    assert any(row.startswith("AL NASER WINGS AIRLINES") for row in review)
    later = entries(web_browser, site, "2022-05-06", "DPL&find=Naser")
    assert later and all("NASER" in row.upper() for row in later)
    # An end after the last snapshot of the whole lists, passed by the day: no snapshot
    # since could show it extended (PJSC AEROFLOT's order "until 2022-10-04", trial 36).
    entries(web_browser, site, "2023-01-01", "denied-persons-list")
    since = [r.text for r in web_browser.find_elements(By.CSS_SELECTOR, "#review-body tr")]
    [aeroflot] = [row for row in since if row.startswith("PJSC AEROFLOT")]
    assert aeroflot.endswith(
        "its list gave its end as 2022-10-04, after the last snapshot of the whole lists "
        "(2022-05-06), which cannot show whether it was extended 2022-10-04 on, no end known"
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_the_page_at_desktop_and_phone_width(web_browser: WebDriver, site: str, width: int) -> None:
    web_browser.set_window_size(width, 900)
    try:
        rows = entries(web_browser, site, "2021-01-01", "entity-list")
        assert len(rows) == 200 and web_browser.find_element(By.ID, "more").is_displayed()
        web_browser.find_element(By.ID, "more").click()
        assert len(web_browser.find_elements(By.CSS_SELECTOR, "#entries-body tr")) == 400
        overflow = web_browser.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert web_browser.save_screenshot(str(SCREENSHOTS / f"as-of-{width}.png"))
        assert overflow <= 1
        assert web_browser.execute_script(BROKEN_WORDS) == []
    finally:
        web_browser.set_window_size(1280, 900)
