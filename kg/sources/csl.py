"""Consolidated Screening List rows -> RDF: entities, lists, listings and cited rules.

Identity: the CSL record id is not stable and repeats, so an entity's IRI comes from its
kind and published name, the same rule the curated sources follow (the 28 organisations of
84 FR 54002 and Huawei come out as the curated IRIs). Rows of one list with the same name
and start date are one entry. Two persons with one name but different dates of birth, and
two entries a list numbers apart, are kept apart, the same way in every snapshot
(kg.sources.namesakes), and the possible match is recorded with its evidence.
"""

import datetime as dt
import functools
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import pyoxigraph as ox

from kg import iris
from kg.citations import Citation, pinned, read_citations
from kg.match.id_dates import dated
from kg.sources.addresses import parse_address, split_addresses
from kg.sources.csl_columns import COLUMN_PROPERTIES
from kg.sources.csl_read import Problem, Row
from kg.sources.kinds import Inference, classify, typed_names
from kg.sources.licence import policy_kind
from kg.sources.names import repair_name, split_alt_names
from kg.sources.namesakes import Namesakes
from kg.vocab import DCTERMS, ELKG, PROV, RDF, RDFS, SCHEMA, XSD, named

LISTS = {  # the 13 source lists: their name in the file -> abbreviation
    "Specially Designated Nationals (SDN) - Treasury Department": "SDN",
    "Entity List (EL) - Bureau of Industry and Security": "EL",
    "ITAR Debarred (DTC) - State Department": "DTC",
    "Denied Persons List (DPL) - Bureau of Industry and Security": "DPL",
    "Sectoral Sanctions Identifications List (SSI) - Treasury Department": "SSI",
    "Unverified List (UVL) - Bureau of Industry and Security": "UVL",
    "Nonproliferation Sanctions (ISN) - State Department": "ISN",
    "Palestinian Legislative Council List (PLC) - Treasury Department": "PLC",
    "Military End User (MEU) List - Bureau of Industry and Security": "MEU",
    "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department": (
        "CMIC"
    ),
    "Capta List (CAP) - Treasury Department": "CAP",
    "Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department": "NS-MBS",
    "Foreign Sanctions Evaders (FSE) - Treasury Department": "FSE",
}
KINDS = {
    "individual": ("person", ELKG.Person, SCHEMA.Person),
    "vessel": ("vessel", ELKG.Vessel, None),
    "aircraft": ("aircraft", ELKG.Aircraft, None),
    "entity": ("org", ELKG.Organization, SCHEMA.Organization),
}
#: An untyped row that no evidence decides (kg.sources.kinds): neither person nor organisation.
UNKNOWN_KIND = ("party", ELKG.Party, None)
#: The graph of the kinds we inferred, and the activity that inferred them.
INFERRED_KINDS_GRAPH = iris.INFERRED_KINDS_GRAPH
KIND_INFERENCE_ACTIVITY = "id/activity/party-kind-inference"
# Columns copied as text onto the entity; the second group may hold several values.
ENTITY_TEXT = {
    c: COLUMN_PROPERTIES[c]
    for c in (
        "title",
        "remarks",
        "call_sign",
        "vessel_type",
        "gross_tonnage",
        "gross_registered_tonnage",
        "vessel_flag",
        "vessel_owner",
    )
}
SPLIT_TEXT = {
    c: COLUMN_PROPERTIES[c]
    for c in ("citizenships", "nationalities", "dates_of_birth", "places_of_birth", "ids")
}
_TYPE_OF = {"person": "individual", "org": "entity"}
_DATE = re.compile(r"^(19|20)\d\d-\d\d-\d\d$")


class Triples(Protocol):
    """Where a snapshot's triples go: a set, or a graph written into a store as they come
    (kg.graph.streamed), so that a big list is not held as Python objects."""

    def add(self, triple: ox.Triple, /) -> None: ...

    def discard(self, triple: ox.Triple, /) -> None: ...


@dataclass(kw_only=True)
class Mapped:
    """What a snapshot gave: its triples, every problem, counts for the ingest report, and
    the file and row that first stated each subject (where a violation is reported)."""

    triples: Triples = field(default_factory=set[ox.Triple])
    problems: list[Problem] = field(default_factory=list)
    rows_by_list: Counter[str] = field(default_factory=Counter)
    rows: dict[str, tuple[str, int]] = field(default_factory=dict)
    #: the kinds inferred for untyped rows and how (graph/inferred-kinds, not the snapshot's)
    inferred: set[ox.Triple] = field(default_factory=set)
    #: party IRI -> the inference (for the ingest report and tests)
    inferences: dict[str, Inference] = field(default_factory=dict)
    #: what we made of the rows, by the derived graph it goes to (kg.graph.ingest.DERIVED):
    #: names we repaired where the list damaged them (the list printed the damaged name
    #: only), licence policies we classified from the list's words
    derived: dict[str, set[ox.Triple]] = field(default_factory=dict)

    def ours(
        self, graph: str, subject: str, predicate: str, term: ox.Literal | ox.NamedNode
    ) -> None:
        self.derived.setdefault(graph, set()).add(
            ox.Triple(ox.NamedNode(subject), named(predicate), term)
        )


def _text(value: str) -> ox.Literal | None:
    return ox.Literal(value) if value else None


def iso_date(text: str) -> str | None:
    """A date of the lists as YYYY-MM-DD, or None where the text is none (empty, or no day
    of 1900-2099: the Entity List once wrote "0097-06-30").

    >>> iso_date("2019-05-21"), iso_date("0097-06-30"), iso_date("2019-02-30")
    ('2019-05-21', None, None)
    """
    try:
        return dt.date.fromisoformat(text).isoformat() if _DATE.match(text) else None
    except ValueError:
        return None


#: How the CMIC list states, among an entry's ids, when it was listed (its start date column
#: is empty): "03 Jun 2021, Listing Date (CMIC)", or "Listing Date (CMIC), 2021-06-03".
LISTING_DATE = "Listing Date (CMIC)"


def listing_date(ids: str) -> str | None:
    """The listing date an entry's ids state, as YYYY-MM-DD.

    >>> listing_date("CN, 91110000MA005UCQ5P, USCC; 03 Jun 2021, Listing Date (CMIC)")
    '2021-06-03'
    >>> listing_date("Listing Date (CMIC), 2021-06-03; 02 Aug 2021, Effective Date (CMIC)")
    '2021-06-03'
    >>> listing_date("02 Aug 2021, Effective Date (CMIC)") is None
    True
    """
    for part in ids.split(";"):
        found = dated(part.strip())
        if found and found[0] == LISTING_DATE and iso_date(found[1]):
            return found[1]
    return None


def _date(value: str | None) -> ox.Literal | None:
    return ox.Literal(value, datatype=named(str(XSD.date))) if value else None


def _integer(value: int | None) -> ox.Literal | None:
    return None if value is None else ox.Literal(str(value), datatype=named(str(XSD.integer)))


class Mapper:
    """Rows -> Oxigraph triples: a snapshot's hundreds of thousands of statements go to the
    store without being built as rdflib terms first (that took most of the ingest).

    `first_pages` are the first pages of rules known for certain, by volume: a cited page
    a few pages after one of them is a page of that rule (see citations.pinned)."""

    def __init__(
        self,
        base: str,
        first_pages: Mapping[int, Sequence[int]] | None = None,
        namesakes: Namesakes | None = None,
    ) -> None:
        self.base = base
        self.first_pages: Mapping[int, Sequence[int]] = first_pages or {}
        self.namesakes = namesakes
        self.result = Mapped()
        self._row: Row | None = None
        self._addresses: dict[str, list[str]] = defaultdict(list)  # this snapshot's, by party
        self._described: set[str] = set()  # every address node described so far
        self._dates: dict[str, set[str]] = defaultdict(set)
        #: rule IRI -> the results (one per snapshot) whose rows date it, first first
        self._date_owners: dict[str, list[Mapped]] = defaultdict(list)
        self._terms: dict[str, tuple[str, str, str]] = {}
        self._typed: dict[str, str] = {}
        #: party IRI -> its inference: one per party, however many rows and snapshots name it
        self._inferred: dict[str, Inference] = {}
        #: citations the lists damaged, read once every row's dates are known (_repaired)
        self._repairs: list[tuple[Mapped, Row, str, Citation]] = []

    def problem(self, row: Row, reason: str) -> None:
        self.result.problems.append(Problem(row.file, row.number, reason))

    def add(self, subject: str, predicate: str, value: ox.NamedNode | ox.Literal | None) -> None:
        if value is None:
            return
        self.result.triples.add(ox.Triple(ox.NamedNode(subject), named(predicate), value))
        if self._row is not None and subject not in self.result.rows:
            self.result.rows[subject] = (self._row.file, self._row.number)

    def _ours(
        self, graph: str, subject: str, predicate: str, value: ox.NamedNode | ox.Literal | None
    ) -> None:
        if value is not None:
            self.result.ours(graph, subject, predicate, value)

    def map(self, rows: list[Row]) -> Mapped:
        (mapped,) = self.map_groups([rows])
        return mapped

    def map_groups(
        self, groups: list[list[Row]], into: Sequence[Triples] | None = None
    ) -> list[Mapped]:
        """Each group of rows (one snapshot's) into its own result, as one mapping: entries,
        persons and rule dates are reconciled across the groups. The triples of group n go
        to `into[n]` if given, else to a set of its result. Namesakes are told apart as
        the snapshots of the groups show them, unless the mapper was given them."""
        results = []
        if self.namesakes is None:
            self.namesakes = read_namesakes(groups)
        # A name typed on one list of any snapshot is evidence for every snapshot: a party's
        # kind is decided once, not once per snapshot (two kinds would contradict each other).
        self._typed = typed_names(row.fields for rows in groups for row in rows)
        for n, rows in enumerate(groups):
            self.result = Mapped() if into is None else Mapped(triples=into[n])
            results.append(self.result)
            # A party's address is stated in each snapshot that prints it: one that two
            # snapshots print (I-ASH's in 2023 and in its 2025 sample) cites both.
            self._addresses.clear()
            self._plain_terms(rows)
            for row in rows:
                self._row = row
                self.row(row)
        self._row = None
        self._repaired()
        self._instrument_dates()
        _settle_kinds(results, self._inferred)
        return results

    def row(self, row: Row) -> None:
        f = row.fields
        if f["source"] not in LISTS:
            self.problem(row, f"unknown list name {f['source']!r}; the row is not ingested")
            return
        name = f["name"].strip()
        if not name:
            self.problem(row, "no name; the row is not ingested")
            return
        self.result.rows_by_list[f["source"]] += 1
        typed = f["type"].strip().lower()
        inference = None
        if not typed:
            inference = classify(f, self._typed)
            kind = UNKNOWN_KIND if inference is None else KINDS[_TYPE_OF[inference.kind]]
        elif typed in KINDS:
            kind = KINDS[typed]
        else:
            self.problem(row, f"unknown type {f['type']!r}; read as a party of unknown kind")
            kind = UNKNOWN_KIND
        # The IRI's folder comes from the row alone (history keys entries by it); evidence
        # from other lists gives the kind, not the IRI.
        folder = entity_folder(f)
        if folder != kind[0]:
            kind = (folder, kind[1], kind[2])
        entity = self.entity(row, name, kind, inference)
        self.listing(row, entity)

    def party(self, row: Row, name: str, folder: str) -> tuple[str, list[tuple[str, str, str]]]:
        """The IRI of the party a row names, and the candidate matches (first, second,
        evidence) its namesakes' suffixes made on the way."""
        iri = iris.entity(folder, name, self.base)
        apart = []
        birth = row.fields["dates_of_birth"].strip()
        assert self.namesakes is not None  # read by map_groups
        if folder == "person" and (suffix := self.namesakes.suffix(iris.slug(name), birth)):
            first = self.namesakes.first_birth(iris.slug(name))
            evidence = f"same name {name!r}; dates of birth {first!r} and {birth!r} differ"
            apart.append((iri, iri + suffix, evidence))
            iri += suffix
        listed, number = LISTS[row.fields["source"]], row.fields["entity_number"].strip()
        tail = iri.removeprefix(f"{self.base}id/")
        if suffix := self.namesakes.number_suffix(listed, tail, number):
            first = self.namesakes.first_number(listed, tail)
            evidence = f"same name {name!r}; entries {first} and {number} of the {listed}"
            apart.append((iri, iri + suffix, evidence))
            iri += suffix
        return iri, apart

    def entity(
        self,
        row: Row,
        name: str,
        kind: tuple[str, str, str | None],
        inference: Inference | None = None,
    ) -> str:
        folder, ours, schema_type = kind
        iri, apart = self.party(row, name, folder)
        for first, second, evidence in apart:
            self.candidate(first, second, evidence)
        if inference is None:
            self.add(iri, RDF.type, named(ours))
            self.add(iri, RDF.type, named(schema_type) if schema_type else None)
        else:
            self.infer(iri, ours, schema_type, inference)
        for predicate in (ELKG.publishedName, SCHEMA.name):
            self.add(iri, predicate, _text(name))
        repaired = repair_name(name)
        if repaired:
            self.result.ours(
                iris.REPAIRED_NAMES_GRAPH, iri, ELKG.repairedName, ox.Literal(repaired)
            )
        for alias in split_alt_names(row.fields["alt_names"]):
            self.add(iri, SCHEMA.alternateName, _text(alias))
        for column, predicate in ENTITY_TEXT.items():
            self.add(iri, predicate, _text(row.fields[column].strip()))
        for column, predicate in SPLIT_TEXT.items():
            for value in row.fields[column].split(";"):
                self.add(iri, predicate, _text(value.strip()))
        self.addresses(row, iri)
        return iri

    def infer(self, iri: str, ours: str, schema_type: str | None, inference: Inference) -> None:
        """The kind of an untyped party, in the graph of inferred kinds, with a record of how
        it was inferred (elkg:KindInference), generated by our inference activity. The first
        row that decides a party's kind gives its record; later rows add nothing."""
        inference = self._inferred.setdefault(iri, inference)
        if inference.kind != {str(ELKG.Person): "person", str(ELKG.Organization): "org"}.get(
            str(ours)
        ):
            return  # a later row's evidence disagrees with the first: the first stands
        record = f"{self.base}id/kind-inference/{iri[len(self.base) + 3 :]}"
        activity = ox.NamedNode(f"{self.base}{KIND_INFERENCE_ACTIVITY}")
        party = ox.NamedNode(iri)
        for subject, predicate, value in (
            (party, RDF.type, named(ours)),
            (party, RDF.type, named(schema_type) if schema_type else None),
            (ox.NamedNode(record), RDF.type, named(ELKG.KindInference)),
            (ox.NamedNode(record), ELKG.classifiedParty, party),
            (ox.NamedNode(record), ELKG.inferredKind, named(ours)),
            (ox.NamedNode(record), ELKG.inferenceMethod, _text(inference.method)),
            (ox.NamedNode(record), ELKG.kindEvidence, _text(inference.evidence)),
            (ox.NamedNode(record), PROV.wasGeneratedBy, activity),
            (activity, RDF.type, named(PROV.Activity)),
        ):
            if value is not None:
                self.result.inferred.add(ox.Triple(subject, named(predicate), value))
        self.result.inferences.setdefault(iri, inference)
        if self._row is not None:
            self.result.rows.setdefault(iri, (self._row.file, self._row.number))
            self.result.rows.setdefault(record, (self._row.file, self._row.number))

    def candidate(self, first: str, second: str, evidence: str) -> None:
        """Namesakes the list tells apart, recorded in a graph of ours (NAMESAKES_METHOD):
        the list prints two entries, and the pair and its words are our record of them, not
        the list's statement; in the snapshot's graph they read as the list's (trial 52b)."""
        match = f"{self.base}id/candidate-match/{iris.slug(second[len(self.base) :])}"
        add = functools.partial(self._ours, iris.NAMESAKES_GRAPH)
        add(match, RDF.type, named(ELKG.CandidateMatch))
        add(match, ELKG.candidate, ox.NamedNode(first))
        add(match, ELKG.candidate, ox.NamedNode(second))
        add(match, ELKG.evidence, _text(evidence))

    def addresses(self, row: Row, entity: str) -> None:
        known = self._addresses[entity]
        for text in split_addresses(row.fields["addresses"]):
            node = iris.address(entity, text)
            if node in known:  # the same address, written with other case or spacing
                continue
            known.append(node)
            parts = parse_address(text)
            self.add(entity, ELKG.address, ox.NamedNode(node))
            if parts.country:
                self.add(entity, ELKG.country, _text(parts.country))
            # An address is described once, by the first snapshot that prints it: a later one
            # may write it with other case or spacing, and an address has one text.
            if node in self._described:
                continue
            self._described.add(node)
            self.add(node, RDF.type, named(ELKG.Address))
            self.add(node, ELKG.fullAddress, _text(text))
            self.add(node, SCHEMA.streetAddress, _text(parts.street or ""))
            self.add(node, SCHEMA.addressLocality, _text(parts.locality or ""))
            self.add(node, SCHEMA.addressRegion, _text(parts.region or ""))
            self.add(node, SCHEMA.postalCode, _text(parts.postal_code or ""))
            if parts.country:
                self.add(node, ELKG.country, _text(parts.country))

    def listing(self, row: Row, entity: str) -> None:
        f = row.fields
        abbreviation = LISTS[f["source"]]
        screening_list = self.screening_list(f["source"], abbreviation)
        start, end = self.date(row, "start_date"), self.date(row, "end_date")
        stated_start = start or listing_date(f["ids"])
        # Rows of one entry are merged; a row with other licence terms or end date is another
        # entry of the same party (the list prints them apart): a stable suffix keeps it apart.
        listing, terms = self.entry(row, entity)
        if self._terms.setdefault(listing, terms) != terms:
            listing = variant(listing, terms)
        self.add(listing, RDF.type, named(ELKG.Listing))
        self.add(listing, ELKG.listedEntity, ox.NamedNode(entity))
        self.add(listing, ELKG.onList, ox.NamedNode(screening_list))
        self.add(listing, ELKG.startDate, _date(stated_start))
        self.add(listing, ELKG.endDate, _date(end))
        # A date no day could be (the Entity List printed "0017-05-26") is kept as printed.
        for column, unread in (
            ("start_date", ELKG.unparsedStartDate),
            ("end_date", ELKG.unparsedEndDate),
        ):
            text = f[column].strip()
            if text and iso_date(text) is None:
                self.add(listing, unread, _text(text))
        self.add(listing, ELKG.licenceRequirement, _text(f["license_requirement"].strip()))
        self.add(listing, ELKG.licenceReviewPolicyText, _text(f["license_policy"].strip()))
        kind = policy_kind(f["license_policy"])
        if kind:  # our reading of the words, not the list's (trial 35)
            self.result.ours(
                iris.CLASSIFIED_POLICIES_GRAPH, listing, ELKG.licenceReviewPolicy, named(ELKG[kind])
            )
        for programme in f["programs"].split(";"):
            self.add(listing, ELKG.programme, _text(programme.strip()))
        for column, predicate in (
            ("entity_number", ELKG.entityNumber),
            ("_id", ELKG.cslId),
            ("standard_order", ELKG.standardOrder),
        ):
            self.add(listing, predicate, _text(f[column].strip()))
        for column, predicate in (
            ("source_list_url", ELKG.sourceListPage),
            ("source_information_url", ELKG.sourceInformationPage),
        ):
            self.add(listing, predicate, self.url(row, column))
        self.citations(row, listing)
        # Which entry printed which name and address: spellings of one IRI on two lists, and
        # two entries of one party, told apart (trials 46a, 47b).
        self.add(listing, ELKG.entryName, _text(f["name"].strip()))
        for text in split_addresses(f["addresses"]):
            self.add(listing, ELKG.entryAddress, ox.NamedNode(iris.address(entity, text)))

    def entry(self, row: Row, entity: str) -> tuple[str, tuple[str, str, str]]:
        """The plain IRI of the entry a row prints, and the terms that tell entries of one
        party apart: licence requirement, review policy, end date. The IRI is minted from
        the start date column alone, as history keys entries."""
        f = row.fields
        listing = iris.listing(
            list_iri(LISTS[f["source"]], self.base).rsplit("/", 1)[1],
            entity.rsplit("/", 1)[1],
            iso_date(f["start_date"].strip()) or "undated",
            self.base,
        )
        end = iso_date(f["end_date"].strip()) or ""
        return listing, (f["license_requirement"].strip(), f["license_policy"].strip(), end)

    def _plain_terms(self, rows: Sequence[Row]) -> None:
        """Which terms of an entry the plain IRI stands for, where a snapshot prints it with
        several and no earlier snapshot chose: the first in order of their text, so that
        the row order of a list (which a later edition may change) does not swap IRIs."""
        variants: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
        for row in rows:
            f = row.fields
            if f["source"] in LISTS and (name := f["name"].strip()):
                listing, terms = self.entry(row, self.party(row, name, entity_folder(f))[0])
                variants[listing].add(terms)
        for listing, each in variants.items():
            self._terms.setdefault(listing, min(each))

    def url(self, row: Row, column: str) -> ox.NamedNode | None:
        text = row.fields[column].strip()
        if not text.startswith(("http://", "https://")):
            return None
        try:
            return ox.NamedNode(text)
        except ValueError as error:
            self.problem(row, f"{column} {text!r} is not an IRI ({error}); left out")
            return None

    def screening_list(self, name: str, abbreviation: str) -> str:
        agency = name.rpartition(" - ")[2]
        plain = list_title(name)
        iri = iris.entity("list", plain, self.base)
        maintainer = iris.entity("org", agency, self.base)
        for subject, predicate, value in (
            (iri, RDF.type, named(ELKG.ScreeningList)),
            (iri, ELKG.publishedName, _text(name)),
            (iri, SCHEMA.name, _text(plain)),
            (iri, ELKG.abbreviation, _text(abbreviation)),
            (iri, ELKG.maintainedBy, named(maintainer)),
            (maintainer, RDF.type, named(ELKG.Agency)),
            (maintainer, RDF.type, named(SCHEMA.Organization)),
            (maintainer, SCHEMA.name, _text(agency)),
        ):
            self.add(subject, predicate, value)
        return iri

    def date(self, row: Row, column: str) -> str | None:
        text = row.fields[column].strip()
        found = iso_date(text)
        if text and found is None:
            self.problem(row, f"{column} {text!r} is no date (YYYY-MM-DD); kept as unparsed text")
        return found

    def citations(self, row: Row, listing: str) -> None:
        """Every well-formed citation linked; only a damaged part is a problem (and kept)."""
        reading = read_citations(row.fields["federal_register_notice"].strip())
        # The part as the list prints it: the page quoted our reason as the list's (51a).
        for part, why in zip(reading.damaged, reading.reasons, strict=True):
            self.problem(
                row,
                f"federal_register_notice: cannot read {part!r} as a Federal Register "
                f"citation{f' ({why})' if why else ''}; kept as unparsed text",
            )
            self.add(listing, ELKG.unparsedCitation, _text(part))
        for citation in reading.citations:
            if citation.repair:  # the list's text as printed; the reading is ours, later
                self.add(listing, ELKG.unparsedCitation, _text(citation.text))
                self._repairs.append((self.result, row, listing, citation))
            else:
                self.citation(listing, pinned(citation, self.first_pages))

    def citation(self, listing: str, citation: Citation) -> None:
        """The listing cites the rule, described; a citation the list damaged, read by us,
        goes to the graph of our readings, and dates nothing."""
        add = self.add
        if citation.repair:
            add = functools.partial(self._ours, iris.REPAIRED_CITATIONS_GRAPH)
        rule = iris.rule(citation.key, self.base)
        add(listing, ELKG.citesInstrument, named(rule))
        # A page inside a rule is kept as that page, on the listing; the rule is its first page.
        add(listing, ELKG.citedPage, _text(citation.cited_page or ""))
        # The lists print a citation, never whether it is a rule, a notice or an order.
        kind = ELKG.FederalRegisterDocument if citation.page else ELKG.LegalInstrument
        add(rule, RDF.type, named(kind))
        add(rule, DCTERMS.bibliographicCitation, _text(citation.key))
        add(rule, ELKG.frVolume, _integer(citation.volume))
        add(rule, ELKG.frPage, _integer(citation.first_page or citation.page))
        # The year is the volume's: a rule is never dated by a listing that cites it.
        add(rule, ELKG.frYear, ox.Literal(str(citation.year), datatype=named(str(XSD.gYear))))
        if citation.repair:
            # What the list printed, which the entry keeps as elkg:unparsedCitation: a
            # researcher joins the two on the text, not on every document the entry cites.
            add(rule, ELKG.readFromCitation, _text(citation.text))
        elif citation.date:
            self._dates[rule].add(citation.date.isoformat())
            owners = self._date_owners[rule]
            if not any(owner is self.result for owner in owners):
                owners.append(self.result)

    def _repaired(self) -> None:
        """Each citation the lists damaged, read as the document the lists cite whole on the
        day it prints: "87 30173 5/18/2022" as 87 FR 30173, which 40 rows print "87 F.R.
        30173 5/18/2022". "88 39978 5/10/2023" would be a document no row cites, dated three
        weeks before its page (88 FR 30078 is of that day): it stays unread (trial 52b)."""
        for result, row, listing, citation in self._repairs:
            self.result = result
            rule = iris.rule(citation.key, self.base)
            if citation.date and citation.date.isoformat() in self._dates.get(rule, ()):
                self.problem(row, f"federal_register_notice: {citation.repair}")
                self.citation(listing, pinned(citation, self.first_pages))
            else:
                self.problem(
                    row,
                    f"federal_register_notice: cannot read {citation.text!r} as a Federal "
                    f"Register citation (it would be {citation.key}, which no row cites whole "
                    f"with that day); kept as unparsed text",
                )

    def _instrument_dates(self) -> None:
        """A publication date only where every row that dates the rule agrees; stated in the
        result of each snapshot whose rows date it (82 FR 61745's date, printed on 41 rows of
        2022, was credited to the sample of 2019 alone: trial 47a), a disagreement said in
        the first's."""
        for rule, dates in sorted(self._dates.items()):
            owners = self._date_owners[rule]
            if len(dates) == 1:
                for owner in owners:
                    self.result = owner
                    self.add(rule, ELKG.publicationDate, _date(next(iter(dates))))
            else:
                self.result = owners[0]
                self.result.problems.append(
                    Problem(
                        "(all rows)",
                        0,
                        f"{rule} is dated {', '.join(sorted(dates))} by different "
                        "rows; no publication date kept",
                    )
                )


def variant(listing: str, terms: Sequence[str]) -> str:
    """The IRI of an entry of a party printed beside another of the same list and start
    (`listing`, the plain IRI) with other licence terms or end date: a digest of the terms
    keeps it stable from one build to the next.

    >>> variant("listing/denied-persons-list/mahmoud-amini/2023-10-31", ("", "", "2024-10-30"))
    'listing/denied-persons-list/mahmoud-amini/2023-10-31-beab69f5'
    """
    return f"{listing}-{hashlib.sha256('|'.join(terms).encode()).hexdigest()[:8]}"


_VARIANT = re.compile(r"(.+)-[0-9a-f]{8}$")


def plain_listing(listing: str) -> str | None:
    """The plain IRI of a `variant` listing; None for a plain one (its IRI ends with a
    start date or "undated", never eight hex digits).

    >>> plain_listing("listing/denied-persons-list/mahmoud-amini/2023-10-31-beab69f5")
    'listing/denied-persons-list/mahmoud-amini/2023-10-31'
    >>> plain_listing("listing/denied-persons-list/mahmoud-amini/2023-10-31") is None
    True
    """
    found = _VARIANT.match(listing)
    return found.group(1) if found else None


def _settle_kinds(results: list[Mapped], inferred: Mapping[str, Inference]) -> None:
    """A party with an inferred kind is not also of unknown kind: a row that no evidence
    decided says elkg:Party, which another row's evidence (another snapshot's) settles."""
    rdf_type, party_type = named(RDF.type), named(ELKG.Party)
    settled = [ox.Triple(ox.NamedNode(party), rdf_type, party_type) for party in sorted(inferred)]
    for result in results:
        for triple in settled:
            result.triples.discard(triple)


def person_births(rows: Iterable[Row]) -> Iterator[tuple[str, str]]:
    """Each row's person as kg.sources.namesakes reads them: the slug of the name and the
    date of birth as written; rows of no person, or without a date of birth, give none."""
    for row in rows:
        f = row.fields
        birth = f["dates_of_birth"].strip()
        if birth and f["source"] in LISTS and f["name"].strip() and entity_folder(f) == "person":
            yield iris.slug(f["name"].strip()), birth


def read_snapshot(namesakes: Namesakes, rows: Sequence[Row]) -> None:
    """One snapshot's namesakes, after the earlier snapshots': persons by date of birth,
    then entries by number (kg.sources.namesakes)."""
    namesakes.read(person_births(rows))
    namesakes.read_numbers(
        (LISTS[row.fields["source"]], named_tail(row.fields, namesakes), number)
        for row in rows
        if (number := row.fields["entity_number"].strip())
        and row.fields["source"] in LISTS
        and row.fields["name"].strip()
    )


def named_tail(fields: Mapping[str, str], namesakes: Namesakes) -> str:
    """The tail of a row's entity IRI by its kind, name and date of birth ("person/x-1964"),
    before entry numbers tell namesakes of one list apart."""
    folder = entity_folder(fields)
    name = iris.slug(fields["name"].strip())
    if folder == "person":
        name += namesakes.suffix(name, fields["dates_of_birth"].strip())
    return f"{folder}/{name}"


def read_namesakes(snapshots: Iterable[Sequence[Row]]) -> Namesakes:
    """The namesakes of the snapshots' rows, given oldest first."""
    namesakes = Namesakes()
    for rows in snapshots:
        read_snapshot(namesakes, rows)
    return namesakes


def entity_folder(fields: Mapping[str, str]) -> str:
    """The folder of a row's entity IRI (person, org, vessel, aircraft, party), from the row
    alone: its type, else the evidence in its own columns (kg.sources.kinds)."""
    typed = fields["type"].strip().lower()
    if typed in KINDS:
        return KINDS[typed][0]
    inference = classify(fields) if not typed else None
    return UNKNOWN_KIND[0] if inference is None else inference.kind


def describe_inferred_kinds(source: str, base: str) -> list[ox.Triple]:
    """The graph of inferred kinds in the provenance graph: ours, generated by our inference
    activity, which used the snapshot `source` (one call per snapshot that gave kinds)."""
    graph = ox.NamedNode(iris.graph(INFERRED_KINDS_GRAPH, base))
    activity = ox.NamedNode(f"{base}{KIND_INFERENCE_ACTIVITY}")
    used = ox.NamedNode(source)
    stated: list[tuple[ox.NamedNode, str, ox.NamedNode | ox.Literal]] = [
        (graph, RDF.type, named(ELKG.DerivedGraph)),
        (
            graph,
            RDFS.label,
            ox.Literal("Kinds of untyped parties, inferred from evidence", language="en"),
        ),
        (graph, PROV.wasGeneratedBy, activity),
        (graph, PROV.wasDerivedFrom, used),
        (activity, RDF.type, named(PROV.Activity)),
        (
            activity,
            RDFS.label,
            ox.Literal(
                "Inferring the kind (person or organisation) of untyped parties", language="en"
            ),
        ),
        (
            activity,
            RDFS.comment,
            ox.Literal(
                "A row the list leaves untyped gets a kind only from evidence: the same name "
                "typed on another list of the snapshot, a date or place of birth, a "
                "citizenship or a title, organisation words in the name, or a personal name's "
                "pattern (kg.sources.kinds). Each elkg:KindInference says which; the other "
                "untyped rows stay elkg:Party, of unknown kind.",
                language="en",
            ),
        ),
        (activity, PROV.used, used),
    ]
    return [ox.Triple(s, named(p), o) for s, p, o in stated]


def list_title(name: str) -> str:
    """ "Entity List (EL) - Bureau of Industry and Security" -> "Entity List"."""
    return re.sub(r"\s*\([^)]*\)", "", name.rpartition(" - ")[0]).strip()


def list_name(abbreviation: str) -> str:
    return next(name for name, a in LISTS.items() if a == abbreviation)


def list_iri(abbreviation: str, base: str) -> str:
    return iris.entity("list", list_title(list_name(abbreviation)), base)


def map_rows(
    rows: list[Row], base: str, first_pages: Mapping[int, Sequence[int]] | None = None
) -> Mapped:
    return Mapper(base, first_pages).map(rows)


def map_groups(
    groups: list[list[Row]],
    base: str,
    first_pages: Mapping[int, Sequence[int]] | None = None,
    into: Sequence[Triples] | None = None,
    namesakes: Namesakes | None = None,
) -> list[Mapped]:
    """Several snapshots' rows, each group into its own result (its snapshot's graph), or
    into `into`, one per group. `namesakes`: as every row of the snapshots showed them,
    where the groups hold only some of the rows."""
    return Mapper(base, first_pages, namesakes).map_groups(groups, into)
