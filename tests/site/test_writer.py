"""The static site: the facts on its pages, no broken link, JSON-LD, any static host."""

import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import httpx
import pyoxigraph as ox
import pytest
from browser import static_host

from conftest import PROJECT, run_kg, uncited_sources
from kg.iris import DEFAULT_BASE
from kg.site.context import Release
from kg.site.timeline import events, latest_start
from kg.site.writer import Site
from kg.sources.catalog import load_dataset
from kg.validate.report import Report
from kg.vocab import sparql_prefixes

HIKVISION = "id/org/hangzhou-hikvision-digital-technology-co-ltd.html"
XUAR = (
    "id/org/xinjiang-uighur-autonomous-region-xuar-people-s-government-public-security-bureau.html"
)
BASE = "https://w3id.org/entitylist-kg/"


class Page(HTMLParser):
    """The links, ids and embedded JSON-LD of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.jsonld: list[str] = []
        self._in_jsonld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(str(attributes["id"]))
        for name in ("href", "src"):
            if attributes.get(name) and tag != "base":
                self.links.append(str(attributes[name]))
        self._in_jsonld = tag == "script" and attributes.get("type") == "application/ld+json"

    def handle_data(self, data: str) -> None:
        if self._in_jsonld:
            self.jsonld.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_jsonld = False


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def page_text(site: Path, relative: str) -> str:
    page = site / relative  # a resource's page is a file; the site's own pages are folders
    return (page if relative.endswith(".html") else page / "index.html").read_text("utf-8")


@pytest.fixture(scope="module")
def site(built: Path) -> Path:
    return built / "site"


def test_entity_page_has_what_a_journalist_needs(site: Path) -> None:
    html = page_text(site, HIKVISION)
    for fact in (
        "Hangzhou Hikvision Digital Technology Co., Ltd.",
        "Hikvision",
        "杭州海康威视数字技术股份有限公司",
        "No. 555 Qianmo Road",
        '<td data-label="Since"><time>2019-10-09</time></td>',  # kept whole in a narrow cell
        "In force",
        "(our reading)",  # the status is ours, read from the dates: no source states it
        "not a fact a source states",
        "84 FR 54002",
        "effective <time>2019-10-09</time>",
        "Human-rights violations and abuses in Xinjiang",
        "Wilbur Ross",
        "Geng Shuang",
        "Stance (our reading): opposes",  # a curator's reading, not the article's word
        "About $42 billion as of",
        "Cite this page",
        "“<cite>Hangzhou Hikvision Digital Technology Co., Ltd.</cite>”",
        'data-key="elkg-org-hangzhou-hikvision-digital-technology-co-ltd"',  # BibTeX by script
        "(our reading of it: mixed policy by item<sup",  # beside the list's own text, cited
    ):
        assert fact in html, fact


def test_a_name_as_published_that_is_a_name_is_said_once(site: Path) -> None:
    """Hikvision's page listed its two names under "Name" and again under "As published"
    (trial 27); a published name that differs, the list's own spelling, is still shown."""
    pages = list((site / "id" / "org").glob("*.html"))
    published = 0
    for page in pages:
        names = page.read_text(encoding="utf-8").split('<dl class="names">', 1)[-1]
        names = names.split("</dl>", 1)[0]
        rows: dict[str, list[str]] = {}
        for title, values in re.findall(r"<dt>([^<]*)</dt>((?:<dd>.*?</dd>)+)", names):
            rows[title] = [
                re.sub(r"<[^>]+>|\[\d+\]", "", v) for v in re.findall(r"<dd>(.*?)</dd>", values)
            ]
        said = rows.get("As published", [])
        published += bool(said)
        assert not set(said) & set(rows.get("Name", [])), (page.name, rows)
    assert published, "no page has names as published"


def test_what_no_section_shows_is_also_stated(site: Path) -> None:
    # Every fact of an entity is on its page: a post held, an abbreviation, an area served
    # have no section of their own, and are listed under their property's label.
    geng = page_text(site, "id/person/geng-shuang.html")
    # At its source's date: "Holds post" read as a post held now (trial 29).
    assert "<dt>Post held, at its source&#39;s date</dt>" in geng
    assert "Spokesperson of the Ministry of Foreign Affairs</a>" in geng
    bis = page_text(site, "id/org/bureau-of-industry-and-security.html")
    assert '<dt>Abbreviation</dt><dd>BIS<sup class="cites">' in bis  # and the source cited
    hikvision = page_text(site, HIKVISION)
    assert "Also stated" not in hikvision  # each of its facts has its section


def _sources(page: str) -> dict[str, str]:
    """The page's numbered sources: number -> the file name of the graph page it links."""
    listed = re.search(r'<ol class="sources">(.*?)</ol>', page, re.S)
    assert listed, "no list of sources"
    items = re.findall(r'<li id="source-(\d+)"><a href="([^"]+)">', listed.group(1))
    return {number: href.rsplit("/", 1)[-1] for number, href in items}


def _cited(page: str, text: str) -> list[str]:
    """The graph pages cited right after `text` on the page."""
    found = re.search(
        re.escape(text) + r'(?:</span>|</a>|</time>)?<sup class="cites">(.*?)</sup>', page
    )
    assert found, f"{text!r} cites nothing"
    sources = _sources(page)
    return [sources[n] for n in re.findall(r'href="#source-(\d+)"', found.group(1))]


def test_each_name_and_fact_cites_the_graphs_that_state_it(site: Path) -> None:
    page = page_text(site, HIKVISION)
    csl, article, curation = "csl-2022-05.html", "article-2019-10-08.html", "curation.html"
    assert _cited(page, ">Hikvision") == [article, csl]  # stated by both
    assert _cited(page, "杭州海康威视数字技术股份有限公司") == [curation]  # our curation's
    assert _cited(page, "China (CN)") == [csl]
    assert _cited(page, "Binjiang District, Hanzhou, CN") == [csl]


def test_an_entrys_rationale_rules_and_licence_terms_cite_their_sources(site: Path) -> None:
    """The Listings table and the rationale cited nothing, and the page the list cites
    inside a rule (84 FR 54004, in 84 FR 54002) was not shown (trial 36)."""
    page = page_text(site, "id/org/shihezi-municipality-public-security-bureau.html")
    csl, article, rule = "csl-2022-05.html", "article-2019-10-08.html", "fr-2019-22210.html"
    assert _cited(page, "Human-rights violations and abuses in Xinjiang") == [article]
    assert _cited(page, "Activities contrary to US foreign-policy interests") == [rule]
    assert _cited(page, "84 FR 54002") == [csl, rule]
    assert _cited(page, "85 FR 34505") == [csl]
    # Each dated, after its sources (trial 43b).
    dated = r"84 FR 54002</a><sup[^>]*>.*?</sup> <small>\(<time>2019-10-09</time>\)</small>"
    assert re.search(dated, page)
    assert _cited(page, "(the list cites 84 FR 54004, a page inside a rule") == [csl]
    assert _cited(page, "(See §744.11 of the EAR)") == [csl]
    assert _cited(page, "our reading of it: mixed policy by item") == ["curation.html"]


def test_the_rule_page_says_which_entries_cite_a_page_inside_it(site: Path) -> None:
    """ "Entries that cite it (31)" counted, unsaid, the three that cite 84 FR 54004, a
    page inside it, which only their own rows said (note 50)."""
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page_text(site, "id/rule/84-fr-54002.html")))
    said = re.search(
        r"Entries that cite it \((\d+)\) (\d+) of them cite a page inside it, as the list prints"
        r" it \(84 FR 54004\): ([^.]*)\. Our reading is that the page is of this rule",
        text,
    )
    assert said, text[:3000]
    citing, inside = int(said.group(1)), int(said.group(2))
    assert 0 < inside < citing
    assert said.group(3).strip() == "Shihezi Municipality Public Security Bureau"
    # Where to read the rule itself, made from its citation (trial 50b).
    assert "Read it on federalregister.gov or on govinfo.gov (links we make from its" in text
    assert 'href="https://www.govinfo.gov/link/fr/84/54002"' in page_text(
        site, "id/rule/84-fr-54002.html"
    )
    # And the entry's row in the table says so, where a reader of the rows missed the
    # sentence (trial 42).
    rows = re.findall(r"<tr>.*?</tr>", page_text(site, "id/rule/84-fr-54002.html"), re.S)
    noted = [row for row in rows if "a page inside this rule" in row]
    assert len(noted) == inside
    assert "Shihezi" in noted[0] and "cites 84 FR 54004, a page inside this rule" in noted[0]


def test_history_and_hierarchy_rows_cite_their_sources_and_the_editors_readings_say_so(
    site: Path,
) -> None:
    """The History's rows and the bodies under a bureau cited nothing, and the editors'
    reading of a cited rule read as the list's own amendment (trial 35)."""
    page = page_text(site, HIKVISION)
    reading = "Amendment of Entity List entries by 85 FR 44159"
    assert _cited(page, reading) == ["curation.html"]
    assert re.search(
        re.escape(reading) + r"</a><sup.*?</sup> <small>\(the editors' reading\)", page
    )
    addition = "Addition of 28 Chinese organisations to the Entity List by 84 FR 54002"
    assert _cited(page, addition) == ["fr-2019-22210.html"]
    assert not re.search(re.escape(addition) + r"</a><sup.*?</sup> <small>", page)
    xuar = page_text(site, XUAR)
    assert _cited(xuar, "Aksu District Public Security Bureau") == ["fr-2019-22210.html"]
    action = page_text(site, "id/action/85-fr-44159/amendment.html")
    assert "List action: Amendment (the editors' reading)" in action
    rule = page_text(site, "id/rule/85-fr-44159.html")  # its heading there too (trial 37)
    # Cited: the curation was numbered on the page and cited by nothing (trial 56b).
    assert _cited(rule, reading) == ["curation.html"]
    assert re.search(re.escape(reading) + r"</a><sup.*?</sup> <small>\(the editors' reading", rule)
    assert "does not say what it changed" in action
    entry = page_text(
        site, "id/listing/entity-list/hangzhou-hikvision-digital-technology-co-ltd/2019-10-09.html"
    )
    assert _cited(entry, reading) == ["curation.html"]


def test_a_graph_page_says_what_the_graph_holds(site: Path) -> None:
    """The curation's page said only where to download it (trial 35)."""
    page = page_text(site, "graph/curation.html")
    assert re.search(r"It states \d+ facts of \d+ resources", page)
    assert "Amendment of Entity List entries by 85 FR 44159</a> (32)" in page


def test_a_planned_offering_is_no_valuation(site: Path) -> None:
    """Megvii's "preparing an IPO to raise at least $500 million" was under Valuations,
    "in Hong Kong" twice (trial 35)."""
    page = re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", " ", page_text(site, "id/org/megvii-technology.html"))
    )
    valuations = page[page.index("Valuations") : page.index("Planned offerings")]
    assert "About $4 billion as of 2019-10-08" in valuations and "500" not in valuations
    offered = page[page.index("Planned offerings") :]
    assert (
        "in Hong Kong : being prepared as of 2019-10-08, to raise at least $500 million" in offered
    )
    assert offered[:300].count("Hong Kong") == 1


def test_every_source_listed_is_a_graph_that_says_something_of_the_entity(
    built: Path, site: Path
) -> None:
    nquads = (built / "dumps" / "entitylist-kg.nq").read_text()
    subject = "<https://w3id.org/entitylist-kg/id/org/hangzhou-hikvision-digital-technology-co-ltd>"
    stating = {
        line.rsplit(" ", 2)[-2].strip("<>").rsplit("/", 1)[-1] + ".html"
        for line in nquads.splitlines()
        if line.startswith(subject + " ")
    }
    stating.discard("entailed.html")  # ours, shown on no page as a source's word
    assert sorted(_sources(page_text(site, HIKVISION)).values()) == sorted(stating)


def test_every_source_a_page_numbers_is_cited_by_what_it_states(site: Path) -> None:
    """Sources numbered that no value cited: a Wikidata link, a rule's action as the editors
    read it, the same-party list (trial 56b), a review policy classified alike."""
    assert uncited_sources(site) == []
    page = page_text(site, "id/person/wilbur-ross.html")
    assert _cited(page, "http://www.wikidata.org/entity/Q8000233") == ["curation.html"]


def test_rule_page_lists_the_28_and_the_statements(site: Path) -> None:
    html = page_text(site, "id/rule/84-fr-54002.html")
    assert "28 entries." in html
    assert html.count('href="../org/') >= 28
    assert "2019-22210" in html and "Wilbur Ross" in html


def test_the_rule_page_cites_each_fact_and_the_rationale(site: Path) -> None:
    """The rule page's facts had no source numbers: our note of what was transcribed read
    as the rule's words, and the rationale the rule gives was on no rule page (trial 39a)."""
    html = page_text(site, "id/rule/84-fr-54002.html")
    assert _cited(html, "2019-22210") == ["fr-2019-22210.html"]
    assert _cited(
        html,
        "The full text is not held locally. Names and aliases of the entities come from the CSL snapshot graph.",
    ) == ["provenance.html"]
    assert "Rationale, as the sources cited state it:" in html
    assert _cited(html, "Activities contrary to US foreign-policy interests") == [
        "fr-2019-22210.html"
    ]


def test_an_outside_page_is_named_by_its_address_not_its_last_segment(site: Path) -> None:
    """The rule's Federal Register page read as its slug, the lists' bit.ly links as
    "1MLgpye" (10,026 pages of the whole CSL); a vocabulary's term keeps its name."""
    rule = page_text(site, "id/rule/84-fr-54002.html")
    address = "www.federalregister.gov/documents/2019/10/09/2019-22210/addition-of-certain-entities-to-the-entity-list"
    assert f'rel="external">{address}</a>' in rule
    dataset = page_text(site, "dataset/distribution/entitylist.ttl.html")
    assert 'rel="external">text/turtle</a>' in dataset and 'rel="external">Checksum</a>' in dataset


def test_statement_page_gives_the_source_chain(site: Path) -> None:
    html = page_text(site, "id/statement/2019-10-08-geng-shuang.html")
    assert "Reuters" in html and "reported it" in html
    assert "Another 28 Chinese companies" in html
    assert "it is not a quotation" in html
    # A paraphrase is not set as a quotation (trial 28); a quotation is.
    assert "<blockquote" not in html
    assert "Reported, in the source's words:</span> China will continue" in html
    # The stance is a curator's reading of the statement (trial 27), marked as ours.
    assert "<dt>Stance (our reading)</dt><dd>Opposes: our reading of the statement" in html
    # Its date, where the source gives none, and its title, not its IRI's last part.
    ross = page_text(site, "id/statement/2019-10-07-wilbur-ross.html")
    assert "not given by the source, which was issued on" in ross
    assert "the date in this statement's address is not its date" in ross
    assert "published it on <time" in ross
    assert "<cite>Statement by Wilbur Ross: “The US Government and Department of…”</cite>" in (ross)
    assert "<cite>2019-10-07" not in ross
    assert '<blockquote lang="en"><p>“The US Government and Department' in ross


def test_the_folder_of_a_rules_actions_has_a_page(site: Path) -> None:
    """/id/action/85-fr-44159, shortened by hand from its amendment's address, was a 404
    (trial 36)."""
    page = page_text(site, "id/action/85-fr-44159.html")
    assert "<h1>List actions by 85 FR 44159</h1>" in page
    links = parse(site / "id/action/85-fr-44159.html").links
    assert "../rule/85-fr-44159.html" in links and "85-fr-44159/amendment.html" in links
    assert "id/action/85-fr-44159.html" not in (site / "sitemap.xml").read_text()


def test_rationale_person_agency_and_source_pages(site: Path) -> None:
    rationale = page_text(site, "id/rationale/human-rights-xinjiang.html")
    assert "Listings that give this rationale (28)" in rationale
    assert "The US Government and Department of Commerce cannot" in page_text(
        site, "id/person/wilbur-ross.html"
    )
    assert "Statements made" in page_text(site, "id/org/united-states-department-of-commerce.html")
    source = page_text(site, "id/source/article-2019-10-08.html")
    assert "Records that cite it" in source and "graph/article-2019-10-08.html" in source


def test_a_lists_address_leads_to_its_page(site: Path) -> None:
    """/lists/entity-list/ was a 404 where the SDN's /lists/specially-designated-nationals/
    names its letters (trial 23): a list short enough to be whole leads to its page."""
    alias = page_text(site, "lists/entity-list/")
    assert 'http-equiv="refresh" content="0; url=../../id/list/entity-list.html"' in alias
    assert "lists/entity-list/" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert '<a href="../lists/">Lists</a>' in page_text(site, "entities/")


def test_index_timeline_downloads_and_other_pages(site: Path) -> None:
    entities = page_text(site, "entities/")
    assert 'id="name-search"' in entities and 'href="../entities/h/"' in entities
    assert page_text(site, "entities/h/").count("<tr>") >= 2
    records = [
        record
        for chunk in (site / "entities" / "search" / "r").glob("*.json")
        for record in json.loads(chunk.read_text(encoding="utf-8"))
    ]
    assert len(records) >= 29
    hikvision = next(record for record in records if record[1] == HIKVISION)
    assert "杭州海康威视数字技术股份有限公司" in hikvision[6] and hikvision[5] == "2019-10-09"
    assert "<svg" in page_text(site, "timeline/") and "2019" in page_text(site, "timeline/")
    starts = page_text(site, "timeline/").split('<h2 id="starts">', 1)[1]
    assert '<th scope="row">2019</th><td class="number">29</td>' in starts  # 28 and Huawei
    downloads = page_text(site, "downloads/")
    dump = (site.parent / "dumps" / "entitylist-kg.nq.gz").read_bytes()
    import hashlib

    assert hashlib.sha256(dump).hexdigest() in downloads
    assert "conforms" in page_text(site, "validation/")
    assert 'id="Statement"' in page_text(site, "ontology/") and 'id="shapes"' in page_text(
        site, "ontology/"
    )
    assert (site / "404.html").is_file()
    # The bundled Entity List rows name no programme: the index says so, with no table.
    programmes = page_text(site, "programmes/")
    assert "No entry of this release names a programme." in programmes
    assert "The entries of the Entity List (EL) name none." in programmes
    assert "<table" not in programmes.split("<main", 1)[1]


def test_the_home_page_counts_the_parties_the_lists_name(site: Path) -> None:
    store = ox.Store()
    store.load(path=site.parent / "dumps" / "entitylist-kg.nt", format=ox.RdfFormat.N_TRIPLES)
    (row,) = store.query(
        sparql_prefixes("elkg")
        + "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?l elkg:onList ?list ; elkg:listedEntity ?e }"
    )
    listed = int(row["n"].value)
    home = page_text(site, "")
    assert f"{listed:,} organisations, persons, vessels, aircraft and other parties" in home
    # Where to start: each snapshot's changes and a day's lists, and what "Entries" counts
    raw = (site / "index.html").read_text("utf-8")
    assert 'href="changes/"' in raw and 'href="as-of/"' in raw
    assert "Entries recorded" in home and "in force or not" in home
    # The latest action (84 FR 54002) is as late as any entry's start date: nothing to add.
    assert "later start dates" not in home
    # How current the lists are: the release (2026) reads them up to a 2022 snapshot.
    assert (
        'Its last snapshot of the whole lists is of <time datetime="2022-05-06">2022-05-06</time>'
        ": what changed on the lists since then is not in it." in home
    )
    hikvision = page_text(site, HIKVISION)
    assert "; the last snapshot of the whole lists is of 2022-05-06, and a change since" in (
        hikvision
    )
    # The index holds people the sources only describe too, such as Commerce's secretary,
    # and says how many of its parties are the lists' (the trial's 13628 beside 13,618).
    assert "Wilbur Ross" in page_text(site, "entities/w/")
    assert f": {listed:,} on the lists, the others named by the sources" in page_text(
        site, "entities/"
    )


def test_no_broken_internal_link(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 100
    broken = []
    for page in pages:
        parsed = parse(page)
        url = "file://" + str(page)
        for link in parsed.links:
            if urlparse(link).scheme in ("http", "https", "mailto") or link.startswith("//"):
                continue
            target = urlparse(urljoin(url, link))
            path = Path(unquote(target.path))
            if path.is_dir():
                path = path / "index.html"
            if not path.is_file():
                broken.append(f"{page.relative_to(site)} -> {link}")
            elif (
                target.fragment
                and path.suffix == ".html"
                and target.fragment not in parse(path).ids
            ):
                broken.append(f"{page.relative_to(site)} -> {link} (no such id)")
    assert not broken, broken[:20]


#: A table cell that starts with a day the stylesheet cannot keep whole (not in <time>).
BARE_DAY = re.compile(r"<t[dh][^>]*>\s*\d{4}-\d\d-\d\d")


def test_no_table_cell_breaks_a_day_at_its_hyphens(site: Path) -> None:
    """The changes tables broke "2019-12-03" as "2019-" and "12-03" at 1280 px; the entities'
    index and the comparison of possible namesakes wrote days bare too (trial 33)."""
    bare = [
        f"{page.relative_to(site)}: {found.group()}"
        for page in sorted(site.rglob("*.html"))
        for found in BARE_DAY.finditer(page.read_text(encoding="utf-8"))
    ]
    assert not bare, bare[:10]


ASSET = re.compile(
    r'<(?:script|img)[^>]*\ssrc="([^"]*)"|<link[^>]*rel="stylesheet"[^>]*href="([^"]*)"'
)


def test_no_asset_from_elsewhere(site: Path) -> None:
    """Scripts, images and stylesheets are all served from the site itself (no CDN)."""
    found = 0
    for page in site.rglob("*.html"):
        for match in ASSET.finditer(page.read_text(encoding="utf-8")):
            reference = match.group(1) or match.group(2)
            found += 1
            assert not re.match(r"(?:[a-z]+:)?//", reference), f"{page}: {reference}"
    assert found > 150  # every page links the stylesheet: the pattern does find assets


def test_every_page_embeds_json_ld_of_its_resource(site: Path) -> None:
    for relative in (
        HIKVISION,
        "id/person/wilbur-ross.html",
        "id/rule/84-fr-54002.html",
        "id/statement/2019-10-07-wilbur-ross.html",
        "id/rationale/national-security.html",
    ):
        (block,) = parse(site / relative).jsonld
        data = json.loads(block)
        assert data["@context"] == "https://schema.org"
        assert data["@id"] == BASE + relative.removesuffix(".html")
    hikvision = json.loads(parse(site / HIKVISION).jsonld[0])
    assert hikvision["@type"] == "Corporation" and "Hikvision" in hikvision["alternateName"]
    # An address in its parts, as the graph splits it, not one line as the street.
    assert {
        "@type": "PostalAddress",
        "streetAddress": "No. 555 Qianmo Road, Binjiang District",
        "addressLocality": "Hangzhou",
        "postalCode": "310052",
        "addressCountry": "CN",
    } in hikvision["address"]
    (dataset,) = parse(site / "downloads" / "index.html").jsonld
    distributions = json.loads(dataset)["distribution"]
    assert {d["@type"] for d in distributions} == {"DataDownload"}
    (nquads,) = [d for d in distributions if d["contentUrl"].endswith("entitylist-kg.nq.gz")]
    assert nquads["encodingFormat"] == "application/gzip" and "N-Quads" in nquads["name"]
    assert not any(d["contentUrl"].endswith("entitylist-kg.nq") for d in distributions)


def test_pages_link_their_rdf(site: Path) -> None:
    html = page_text(site, HIKVISION)
    assert (
        '<link rel="alternate" type="text/turtle" href="hangzhou-hikvision-digital-technology-co-ltd.ttl">'
        in html
    )
    turtle = (site / "id/org/hangzhou-hikvision-digital-technology-co-ltd.ttl").read_text()
    assert "Hangzhou Hikvision Digital Technology Co., Ltd." in turtle


def test_sitemap_and_robots(site: Path) -> None:
    sitemap = (site / "sitemap.xml").read_text()
    assert f"<loc>{BASE}{HIKVISION}</loc>" in sitemap
    assert "Sitemap: " in (site / "robots.txt").read_text()


def test_the_folder_works_on_a_plain_static_host_under_a_sub_path(
    site: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "site"
    import shutil

    shutil.copytree(site, copy)
    with static_host(copy, "projects/elkg") as url:
        home = httpx.get(url)
        assert home.status_code == 200
        link = next(href for href in parse_links(home.text) if href.endswith("entities/"))
        entities = httpx.get(urljoin(url, link))
        assert entities.status_code == 200
        entity = httpx.get(urljoin(urljoin(url, link), "../" + HIKVISION))
        assert "Hangzhou Hikvision" in entity.text
        turtle = httpx.get(urljoin(url, HIKVISION.removesuffix(".html") + ".ttl"))
        assert turtle.status_code == 200 and "Hikvision" in turtle.text


def parse_links(html: str) -> list[str]:
    page = Page()
    page.feed(html)
    return page.links


def test_a_party_of_unknown_kind_has_a_page_and_a_place_in_the_index(tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text(
        "name,source,type\n东方红,Entity List (EL) - Bureau of Industry and Security,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert run_kg("-q", "build", "--csl", f"{rows}@2022-05-06", "--out", str(out)).returncode == 0
    page = (out / "site" / "id" / "party" / "dong-fang-hong.html").read_text()
    assert "东方红" in page and "Party of unknown kind" in page
    records = json.loads((out / "site" / "entities" / "search" / "r" / "0.json").read_text())
    assert any(record[1] == "id/party/dong-fang-hong.html" for record in records)


def test_entries_starting_after_the_latest_action_are_said_on_the_home_page(
    built: Path, tmp_path: Path
) -> None:
    """A one-snapshot build of the whole CSL: its latest actions are rules of 2020, its
    entries start up to 2022. Here, the bundled data's home page with only its first action
    (2019-05-16): 84 FR 54002's entries start later, and the page says so."""
    store = ox.Store.read_only(str(built / "store" / "oxigraph"))
    release = Release(
        spec=load_dataset(PROJECT / "data"),
        date="2026-12-05",
        dumps=(),
        report=Report(()),
        ontology=(),
        shapes="",
    )
    site = Site(store, tmp_path, DEFAULT_BASE, release)
    first = [event for event in events(store) if event.date == "2019-05-16"]
    counts = {"country": Counter[str](), "rationale": Counter[str]()}
    site.write(
        "",
        "home.html",
        counts=counts,
        lists=[],
        events=first,
        latest_start=latest_start(store),
        entities=0,
    )
    home = re.sub("<[^>]+>", "", (tmp_path / "index.html").read_text("utf-8"))
    assert (
        "The lists give entries later start dates than these actions, up to 2019-10-09 on the "
        "Entity List. A start date alone makes no action here" in home
    )
