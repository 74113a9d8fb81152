"""The Consolidated Screening List on the real snapshots in ../shared/data."""

import csv
import datetime as dt
import functools
import gzip
import http.server
import io
import json
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from conftest import PROJECT, SHARED, with_snapshots
from kg.build import check
from kg.config import Settings
from kg.errors import SourceError
from kg.graph.assemble import assemble
from kg.graph.load import from_assembly
from kg.iris import DEFAULT_BASE, slug
from kg.sources import history
from kg.sources.catalog import load_catalog, snapshot
from kg.sources.csl import Mapped, map_rows
from kg.sources.csl_read import COLUMNS, read_csl
from kg.store import node, select
from kg.vocab import ELKG

CSL = SHARED / "data" / "csl_watchman"
FULL = CSL / "consolidated_2022-05.csv.gz"
EL = "Entity List (EL) - Bureau of Industry and Security"


@pytest.fixture(scope="module")
def mapped() -> Mapped:
    return map_rows(read_csl(FULL).rows, DEFAULT_BASE)


@pytest.fixture(scope="module")
def graph(mapped: Mapped) -> Graph:
    return as_graph(mapped)


def as_graph(mapped: Mapped) -> Graph:
    """The mapped triples as an rdflib graph, to ask them questions."""
    result = Graph()
    for triple in mapped.triples:
        result.add((node(triple.subject), node(triple.predicate), node(triple.object)))  # type: ignore[arg-type]
    return result


HIKVISION_ENTRY = URIRef(
    DEFAULT_BASE + "id/listing/entity-list/hangzhou-hikvision-digital-technology-co-ltd/2019-10-09"
)


def test_every_row_is_accounted_for(mapped: Mapped) -> None:
    reading = read_csl(FULL)
    assert len(reading.rows) == 14160 and reading.unknown_columns == set()
    not_ingested = [p for p in mapped.problems if "not ingested" in p.reason]
    assert sum(mapped.rows_by_list.values()) + len(not_ingested) == 14160
    assert mapped.rows_by_list[EL] == 2001 and len(mapped.rows_by_list) == 13


def test_the_october_2019_entities_reconcile_with_the_curated_ones(
    mapped: Mapped, graph: Graph
) -> None:
    curated = assemble(load_catalog(PROJECT / "data"), DEFAULT_BASE).dataset
    rule = URIRef(DEFAULT_BASE + "id/rule/84-fr-54002")
    entities = {s: o for s, _, o, _ in curated.quads((None, ELKG.listedEntity, None, None))}
    listings = {s for s, _, _, _ in curated.quads((None, ELKG.createdBy, rule, None))}
    assert len(listings) == 28
    for listing in listings:
        assert (listing, ELKG.onList, URIRef(DEFAULT_BASE + "id/list/entity-list")) in graph
        assert (listing, ELKG.listedEntity, entities[listing]) in graph
    huawei = URIRef(
        DEFAULT_BASE + "id/listing/entity-list/huawei-technologies-co-ltd-huawei/2019-05-21"
    )
    assert (
        huawei,
        ELKG.citesInstrument,
        URIRef(DEFAULT_BASE + "id/rule/84-fr-22963"),
    ) in graph


def test_later_entries_with_the_same_start_date_are_not_in_the_october_action() -> None:
    assembly = with_snapshots(
        assemble(load_catalog(PROJECT / "data"), DEFAULT_BASE),
        [snapshot(str(PROJECT / "data" / "csl" / "csl-2022-05"))],
        Path("/nonexistent"),
    )
    store = from_assembly(assembly)
    same_day = select(
        store,
        """PREFIX elkg: <https://w3id.org/entitylist-kg/ontology#>
        SELECT DISTINCT ?entity ?inAction WHERE {
          ?listing elkg:onList <https://w3id.org/entitylist-kg/id/list/entity-list> ;
                   elkg:startDate "2019-10-09"^^<http://www.w3.org/2001/XMLSchema#date> ;
                   elkg:listedEntity ?entity .
          BIND (EXISTS { <https://w3id.org/entitylist-kg/id/action/84-fr-54002/addition>
                         elkg:affectsListing ?listing } AS ?inAction)
        }""",
    )
    found = {
        row["entity"].value.rsplit("/", 1)[1]: row["inAction"].value == "true"  # type: ignore[union-attr]
        for row in same_day
    }
    assert len(found) == 31
    assert sum(found.values()) == 28
    assert {slug for slug, inside in found.items() if not inside} == {
        "netposa",
        "sensenets",
        "nanjing-fiberhome-starrysky-communication-development-co",
    }


def test_citations_are_parsed_into_shared_instruments(mapped: Mapped, graph: Graph) -> None:
    rule = URIRef(DEFAULT_BASE + "id/rule/85-fr-44159")
    citing = set(graph.subjects(ELKG.citesInstrument, rule))
    assert len(citing) >= 28  # one instrument shared by every entry that cites it
    shihezi = URIRef(
        DEFAULT_BASE
        + "id/listing/entity-list/shihezi-municipality-public-security-bureau/2019-10-09"
    )
    assert (
        shihezi,
        ELKG.citesInstrument,
        URIRef(DEFAULT_BASE + "id/rule/84-fr-54004"),
    ) in graph
    # Only the damaged parts of 8 fields (the other 10 of the 18 once refused are page ranges
    # and "76 FR no. 242 pg. 78146"); the citations beside them are linked.
    unparsed = [p for p in mapped.problems if "federal_register_notice" in p.reason]
    assert len(unparsed) == 8
    assert len(set(graph.objects(None, ELKG.unparsedCitation))) > 5
    # Two of them, the DPL's "F.R. 30823 7/3/2017" of ALI ALHAY's aliases, are read by us
    # as 82 FR 30823, its day's volume: in the graph of our readings, not the list's.
    read = [p.reason for p in unparsed if "read as" in p.reason]
    assert (
        read
        == [
            "federal_register_notice: 'F.R. 30823 7/3/2017' read as 82 FR 30823: printed without "
            "its volume, the volume of 2017 (our reading)"
        ]
        * 2
    )
    ours = {(t.subject.value, t.object.value) for t in mapped.derived["repaired-citations"]}
    rule = DEFAULT_BASE + "id/rule/82-fr-30823"
    assert {listing for listing, cited in ours if cited == rule} == {
        DEFAULT_BASE + f"id/listing/denied-persons-list/{slug}/2021-11-17"
        for slug in ("ali-abdullah-alhay", "ali-abdullah-ahmed-alhay")
    }
    # The list's graph keeps the text as printed (another row of each prints "82 F.R.
    # 30823 7/3/2017", which the list's graph cites).
    for listing in (listing for listing, cited in ours if cited == rule):
        assert Literal("F.R. 30823 7/3/2017") in set(
            graph.objects(URIRef(listing), ELKG.unparsedCitation)
        )


def test_the_bundled_transcription_states_citations_as_the_list_does() -> None:
    """The transcription of the 29 rows said `elkg:amendedBy` in the list's graph, the
    editors' reading of the rules cited after the one that added an entry (trial 35): it
    states what the ingest of the whole list states, the citations."""
    transcribed = Graph().parse(
        PROJECT / "data" / "sources" / "csl-2022-05" / "facts.ttl", publicID=DEFAULT_BASE + "id/"
    )
    assert not set(transcribed.triples((None, ELKG.amendedBy, None)))
    ingested = as_graph(map_rows(read_csl(FULL).rows, DEFAULT_BASE, {84: [22961, 54002]}))
    listings = set(transcribed.subjects(ELKG.citesInstrument, None))
    assert len(listings) == 29
    for listing in listings:
        rules = set(transcribed.objects(listing, ELKG.citesInstrument))
        assert rules <= set(ingested.objects(listing, ELKG.citesInstrument)), listing
        pages = set(transcribed.objects(listing, ELKG.citedPage))
        assert pages <= set(ingested.objects(listing, ELKG.citedPage)), listing
        printed = set(transcribed.objects(listing, ELKG.entryAddress))
        assert printed and printed <= set(ingested.objects(listing, ELKG.entryAddress)), listing
        named = set(transcribed.objects(listing, ELKG.entryName))
        assert len(named) == 1 and named <= set(ingested.objects(listing, ELKG.entryName))
    shihezi = next(x for x in listings if "shihezi" in x)
    assert set(transcribed.objects(shihezi, ELKG.citedPage)) == {Literal("84 FR 54004")}


def test_licence_policies_are_classified_in_a_graph_of_ours(mapped: Mapped, graph: Graph) -> None:
    """The list states the policy's words; the concept read from them is our reading, and
    it stood in the list's graph (trial 35)."""
    assert not list(graph.objects(None, ELKG.licenceReviewPolicy))
    assert graph.value(HIKVISION_ENTRY, ELKG.licenceReviewPolicyText)
    classified = {
        (str(t.subject.value), str(t.object.value)) for t in mapped.derived["classified-policies"]
    }
    assert (str(HIKVISION_ENTRY), str(ELKG.MixedPolicy)) in classified
    assert len(classified) > 1000


def test_damaged_names_keep_the_published_form(mapped: Mapped, graph: Graph) -> None:
    damaged = [o for o in graph.objects(None, ELKG.publishedName) if "?" in str(o)]
    assert len(damaged) >= 18
    xuar = URIRef(
        DEFAULT_BASE
        + "id/org/xinjiang-uighur-autonomous-region-xuar-people-s-government-public-security-bureau"
    )
    repaired = ox.Triple(
        ox.NamedNode(str(xuar)),
        ox.NamedNode(str(ELKG.repairedName)),
        ox.Literal(
            "Xinjiang Uighur Autonomous Region (XUAR) People's Government Public Security Bureau"
        ),
    )
    # Ours, not the list's: it printed "People?s" only (trial 33).
    assert repaired in mapped.derived["repaired-names"]
    assert not list(graph.objects(None, ELKG.repairedName))
    brasil = URIRef(DEFAULT_BASE + "id/org/huawei-do-brasil-telecomunicac-es-ltda")
    assert (
        brasil,
        ELKG.publishedName,
        Literal("Huawei do Brasil Telecomunicac?es Ltda"),
    ) in graph
    assert not list(graph.objects(brasil, ELKG.repairedName))


def test_older_layout_and_repeated_header_are_read() -> None:
    old = read_csl(CSL / "csl_sample_2019-12.csv")
    assert len(old.rows) == 115 and all(row.fields["_id"] == "" for row in old.rows)
    subset = read_csl(CSL / "csl_subset_2023-11.csv.gz")
    assert [p.reason for p in subset.problems] == ["repeated header line"]
    assert len(subset.rows) == 4227


def sample_rows() -> list[dict[str, str]]:
    text = (CSL / "csl_sample_2025-06.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_json_download_reads_as_the_csv_does(tmp_path: Path) -> None:
    rows = sample_rows()
    records = []
    for row in rows:
        record = dict(row)
        record["id"] = record.pop("_id")
        record["alt_names"] = [a for a in row["alt_names"].split("; ") if a]
        record["addresses"] = [
            dict(
                zip(
                    ("address", "city", "state", "postal_code", "country"),
                    [part.strip() for part in a.split(",")] + [""] * 5,
                    strict=False,
                )
            )
            for a in row["addresses"].split(";")
            if a.strip()
        ]
        records.append(record)
    path = tmp_path / "csl.json.gz"
    path.write_bytes(
        gzip.compress(json.dumps({"total": len(records), "results": records}).encode())
    )
    from_json = history.entries(read_csl(path).rows)
    from_csv = history.entries(read_csl(CSL / "csl_sample_2025-06.csv").rows)
    assert from_json.keys() == from_csv.keys()
    assert len(from_json) == 13


def edited(tmp_path: Path, name: str, change: str) -> Path:
    """A copy of the 2025 sample with one edit: drop a row, amend a row or add one."""
    rows = sample_rows()
    if change == "remove":
        rows = rows[1:]
    elif change == "amend":
        rows[2]["addresses"] = "1 New Street, Springfield, US"
    elif change == "add":
        rows.append({**rows[0], "name": "Brand New Trading Co.", "_id": "x"})
    elif change == "backwards":  # a listing that ends before it starts
        rows[3].update(start_date="2020-05-01", end_date="2019-01-01")
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_a_violation_in_an_ingested_row_is_reported_with_file_and_row(tmp_path: Path) -> None:
    path = edited(tmp_path, "backwards.csv", "backwards")
    name = sample_rows()[3]["name"]
    _, _, report = check(Settings(csl=[f"{path}@2025-09-01"], cache_dir=tmp_path))
    assert not report.conforms
    (violation,) = report.violations
    assert "cannot end (2019-01-01) before it starts (2020-05-01)" in violation.message
    assert violation.focus.endswith(f"/{slug(name)}/2020-05-01")
    assert violation.location == f"{path}: row 5"  # the header is row 1


@pytest.mark.parametrize("change", ["remove", "amend", "add"])
def test_diff_finds_exactly_the_change_made(tmp_path: Path, change: str) -> None:
    original = history.entries(read_csl(CSL / "csl_sample_2025-06.csv").rows)
    changed = history.entries(read_csl(edited(tmp_path, "new.csv", change)).rows)
    changes = history.diff(original, changed)
    assert len(changes) == 1
    (found,) = changes
    assert found.kind == {"remove": "Removal", "amend": "Amendment", "add": "Addition"}[change]
    if change == "amend":
        assert found.fields == ("addresses",)


def test_diff_between_real_snapshots() -> None:
    changes = history.diff(
        history.entries(read_csl(CSL / "csl_sample_2019-12.csv").rows),
        history.entries(read_csl(FULL).rows),
    )
    removed = {c.key.entity for c in changes if c.kind == "Removal"}
    assert "org/gch-sons-co-inc" in removed and len(removed) == 8
    # GAZPROMBANK OAO is GAZPROMBANK JOINT STOCK COMPANY by 2022, its old name an alias.
    (renamed,) = [c for c in changes if c.renamed and "gazprombank" in c.key.entity]
    assert renamed.kind == "Amendment" and renamed.renamed and "name" in renamed.fields
    assert renamed.renamed.entity == "org/gazprombank-oao"
    # 44 before the list's own page links were ignored: 13 changed only those; Gunther
    # Migeotte's addresses only in their order and a space before a comma ("1630 ,
    # Fredrikstad"); and five renames.
    assert sum(c.kind == "Amendment" for c in changes) == 34


def with_a_removal(tmp_path: Path) -> ox.Store:
    """The 2025 sample on 2025-06-25, then without its first entry on 2025-09-01."""
    old = tmp_path / "old.csv"
    old.write_bytes((CSL / "csl_sample_2025-06.csv").read_bytes())
    new = edited(tmp_path, "new.csv", "remove")
    assembly = with_snapshots(
        assemble([], DEFAULT_BASE),
        [snapshot(f"{old}@2025-06-25"), snapshot(f"{new}@2025-09-01")],
        tmp_path,
    )
    store = from_assembly(assembly)
    return store


def test_as_of_query_on_both_sides_of_an_observed_removal(tmp_path: Path) -> None:
    from kg.web.examples import as_of_query

    store = with_a_removal(tmp_path)
    first = sample_rows()[0]
    name = ox.Literal(first["name"])

    def on_list(day: str) -> bool:
        return bool(
            store.query(
                as_of_query(day),
                use_default_graph_as_union=True,
                substitutions={ox.Variable("name"): name},
            )
        )

    assert on_list("2025-07-01") is True
    assert on_list("2025-10-01") is False


def test_the_rule_for_every_entry_keeps_what_the_lookups_keep(tmp_path: Path) -> None:
    """kg.in_force's two forms of the rule, on two snapshots: entries with a start date,
    entries only observed, and an observed removal; on days on every side of them."""
    from kg.in_force import EVERY_ENTRY_PATTERN, PATTERN

    store = with_a_removal(tmp_path)

    def kept(pattern: str, day: str) -> set[str]:
        query = f"""PREFIX elkg: <{ELKG}> PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
        SELECT ?listing WHERE {{ BIND ("{day}"^^xsd:date AS ?day) ?listing elkg:onList ?list .
        {pattern} }}"""
        rows = store.query(query, use_default_graph_as_union=True)
        return {row["listing"].value for row in rows}  # type: ignore[index, union-attr]

    counts = {}
    for day in ("2000-01-01", "2019-10-09", "2025-06-24", "2025-06-25", "2025-09-01"):
        counts[day] = len(lookups := kept(PATTERN, day))
        assert kept(EVERY_ENTRY_PATTERN, day) == lookups, day
    # Each side of each date differs, so that the comparison is not between empty sets.
    assert 0 < counts["2019-10-09"] < counts["2025-06-24"] < counts["2025-06-25"]
    assert counts["2025-09-01"] == counts["2025-06-25"] - 1  # the removal


def test_truncated_download_fails_its_count(tmp_path: Path) -> None:
    folder = tmp_path / "csl"
    folder.mkdir()
    lines = gzip.decompress(FULL.read_bytes()).decode().splitlines(keepends=True)
    (folder / "cut.csv").write_text("".join(lines[:9000]), encoding="utf-8")
    config = (PROJECT / "data" / "csl" / "csl-2022-05" / "source.toml").read_text()
    (folder / "source.toml").write_text(
        config.replace(
            'file = "../../../../shared/data/csl_watchman/consolidated_2022-05.csv.gz"',
            'file = "cut.csv"',
        )
    )
    with pytest.raises(SourceError, match=r"rows of .*; expected"):
        with_snapshots(assemble([], DEFAULT_BASE), [snapshot(str(folder))], tmp_path)


def test_strict_mode_fails_on_a_bad_row(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    text = (CSL / "csl_sample_2025-06.csv").read_text(encoding="utf-8")
    path.write_text(text.replace('"2023-07-19"', '"19/07/2023"', 1), encoding="utf-8")
    spec = [snapshot(f"{path}@2025-06-25")]
    assembly = with_snapshots(assemble([], DEFAULT_BASE), spec, tmp_path)
    assert assembly.ingested
    report = assembly.ingested.report
    assert [p.reason for p in report.problems] == [
        "start_date '19/07/2023' is no date (YYYY-MM-DD); kept as unparsed text"
    ]
    assert report.problems[0].row == 2
    with pytest.raises(SourceError, match="--strict"):
        with_snapshots(assemble([], DEFAULT_BASE), spec, tmp_path, strict=True)


def test_a_url_is_downloaded_once_and_dated(tmp_path: Path) -> None:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(CSL))
    http.server.SimpleHTTPRequestHandler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/csl_sample_2025-06.csv"
        spec = snapshot(f"{url}@2025-06-25", dt.date(2026, 11, 24))
        assert spec.spec.retrieved == dt.date(2026, 11, 24)
        assembly = with_snapshots(
            assemble([], DEFAULT_BASE), [spec], tmp_path / "cache", strict=True
        )
        assert assembly.ingested
        report = assembly.ingested.report
        assert report.rows["csl-2025-06-25"] == 13
        assert len(list((tmp_path / "cache").iterdir())) == 1
    finally:
        server.shutdown()
        server.server_close()


def test_address_identity_does_not_depend_on_order() -> None:
    from kg.sources.csl_read import Row

    fields = {column: "" for column in COLUMNS}
    fields.update(source=EL, name="Acme Trading", addresses="1 Road, Town, CN; 2 Street, City, HK")
    first = as_graph(map_rows([Row("a.csv", 2, fields)], DEFAULT_BASE))
    swapped = {**fields, "addresses": "2 Street, City, HK; 1 Road, Town, CN"}
    second = as_graph(map_rows([Row("b.csv", 2, swapped)], DEFAULT_BASE))
    assert set(first.objects(None, ELKG.address)) == set(second.objects(None, ELKG.address))
    assert len(set(first.objects(None, ELKG.address))) == 2


def terms_of_listings(mapped: Mapped) -> dict[str, str]:
    """Each listing's IRI -> its licence requirement."""
    requirement = str(ELKG.licenceRequirement)
    return {
        t.subject.value: t.object.value
        for t in mapped.triples
        if t.predicate.value == requirement and "/id/listing/" in t.subject.value
    }


def test_which_terms_the_plain_iri_names_does_not_follow_row_order(mapped: Mapped) -> None:
    # The 2022 list prints 8 entries twice over with other terms (NBC Navegan Bar's two);
    # reversed, it must mint the same IRIs for the same terms.
    forwards = terms_of_listings(mapped)
    backwards = terms_of_listings(map_rows(read_csl(FULL).rows[::-1], DEFAULT_BASE))
    assert forwards == backwards
    nbc = f"{DEFAULT_BASE}id/listing/entity-list/nbc-navegan-bar-co-ltd/2012-04-25"
    assert {k: v for k, v in forwards.items() if k.startswith(nbc)} == {
        nbc: "For all items subject to the EAR (See §744.11 of the EAR)",
        f"{nbc}-3ecd2069": "For all items subject to the EAR. (See §744.11 of the EAR).",
    }
    assert sum(1 for k in forwards if k[-9] == "-" and k[-8:].isalnum()) == 8


def test_an_earlier_snapshot_keeps_its_choice_of_terms() -> None:
    from kg.sources.csl import map_groups
    from kg.sources.csl_read import Row

    fields = {column: "" for column in COLUMNS}
    fields.update(source=EL, name="Acme Trading", start_date="2020-01-02")
    later, earlier = ({**fields, "license_requirement": text} for text in ("A", "B"))
    # B came first, alone; a later snapshot prints A too, which sorts first but is new.
    first, second = map_groups(
        [[Row("1.csv", 2, earlier)], [Row("2.csv", 2, later), Row("2.csv", 3, earlier)]],
        DEFAULT_BASE,
    )
    plain = f"{DEFAULT_BASE}id/listing/entity-list/acme-trading/2020-01-02"
    assert terms_of_listings(first) == {plain: "B"}
    assert terms_of_listings(second)[plain] == "B"
    assert [v for k, v in terms_of_listings(second).items() if k != plain] == ["A"]


def test_a_rules_date_is_stated_by_each_snapshot_that_prints_it() -> None:
    """82 FR 61745's date, printed on 41 rows of 2022, was credited to the sample of 2019
    alone, the first to print it (trial 47a); a snapshot that cites it undated states none."""
    from kg.sources.csl import map_groups
    from kg.sources.csl_read import Row

    fields = {column: "" for column in COLUMNS}
    fields.update(source=EL, name="Acme Trading", start_date="2017-10-16")
    dated = {**fields, "federal_register_notice": "82 F.R. 61745 12/29/2017"}
    undated = {**fields, "federal_register_notice": "82 FR 61745"}
    groups = [[Row(f"{n}.csv", 2, row)] for n, row in enumerate((dated, dated, undated))]
    rule = URIRef(f"{DEFAULT_BASE}id/rule/82-fr-61745")
    said = [
        [str(day) for day in as_graph(mapped).objects(rule, ELKG.publicationDate)]
        for mapped in map_groups(groups, DEFAULT_BASE)
    ]
    assert said == [["2017-12-29"], ["2017-12-29"], []]


def test_an_address_written_twice_is_one_address() -> None:
    from kg.sources.csl_read import Row

    fields = {column: "" for column in COLUMNS}
    fields.update(source=EL, name="Acme Trading", addresses="1 Road, Town, CN; 1 ROAD,  Town, CN")
    graph = as_graph(map_rows([Row("a.csv", 2, fields)], DEFAULT_BASE))
    (address,) = set(graph.objects(None, ELKG.address))
    assert [str(o) for o in graph.objects(address, ELKG.fullAddress)] == ["1 Road, Town, CN"]


def test_a_url_that_is_not_an_iri_is_reported_and_left_out() -> None:
    from kg.sources.csl_read import Row

    fields = {column: "" for column in COLUMNS}
    fields.update(source=EL, name="Acme Trading", source_list_url="https://example.org/a list")
    mapped = map_rows([Row("a.csv", 7, fields)], DEFAULT_BASE)
    (problem,) = mapped.problems
    assert (problem.file, problem.row) == ("a.csv", 7)
    assert "source_list_url 'https://example.org/a list' is not an IRI" in problem.reason
    assert not any(t.predicate.value.endswith("#sourceListPage") for t in mapped.triples)
    assert mapped.rows_by_list[EL] == 1  # the rest of the row is ingested
