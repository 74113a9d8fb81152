"""An entity's page cites, for each name, fact and address, the sources that state it."""

import re
from pathlib import Path

HIKVISION = "site/id/org/hangzhou-hikvision-digital-technology-co-ltd.html"


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


def test_each_name_and_fact_cites_the_graphs_that_state_it(built: Path) -> None:
    page = (built / HIKVISION).read_text()
    csl, article, curation = "csl-2022-05.html", "article-2019-10-08.html", "curation.html"
    assert _cited(page, ">Hikvision") == [article, csl]  # stated by both
    assert _cited(page, "杭州海康威视数字技术股份有限公司") == [curation]  # our curation's
    assert _cited(page, "China (CN)") == [csl]
    assert _cited(page, "Binjiang District, Hanzhou, CN") == [csl]


def test_every_source_listed_is_a_graph_that_says_something_of_the_entity(built: Path) -> None:
    page = (built / HIKVISION).read_text()
    nquads = (built / "dumps" / "entitylist-kg.nq").read_text()
    subject = "<https://w3id.org/entitylist-kg/id/org/hangzhou-hikvision-digital-technology-co-ltd>"
    stating = {
        line.rsplit(" ", 2)[-2].strip("<>").rsplit("/", 1)[-1] + ".html"
        for line in nquads.splitlines()
        if line.startswith(subject + " ")
    }
    stating.discard("entailed.html")  # ours, shown on no page as a source's word
    assert sorted(_sources(page).values()) == sorted(stating)
