"""Kinds of the parties the lists leave untyped: from evidence, recorded, else unknown."""

import csv
import gzip

import pyoxigraph as ox
import pytest

from conftest import SHARED
from kg.iris import DEFAULT_BASE, entity
from kg.sources.csl import Mapped, map_rows
from kg.sources.csl_read import Row, read_csl
from kg.sources.kinds import (
    ORGANISATION,
    PERSON,
    PERSON_NAME,
    TYPED_ELSEWHERE,
    UNKNOWN,
    classify,
    evaluate,
    typed_names,
)
from kg.vocab import ELKG, SCHEMA

CSL = SHARED / "data" / "csl_watchman"
FULL = CSL / "consolidated_2022-05.csv.gz"
EL = "Entity List (EL) - Bureau of Industry and Security"
SDN = "Specially Designated Nationals (SDN) - Treasury Department"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Aaron De Leon", PERSON),
        ("Ma Yunong", PERSON),
        ("COLONEL ELYAZGI", PERSON),
        ("Alexander V. Brindyuk", PERSON),
        ("Beijing Megvii Technology Co., Ltd.", ORGANISATION),
        ("Xinjiang Police College", ORGANISATION),
        ("Huawei France", ORGANISATION),
        ("IFLYTEK", ORGANISATION),
        ("BANCO BANDES URUGUAY S.A.", ORGANISATION),
        ("3K Aviation Consulting and Logistics", ORGANISATION),
        ("APEX", None),
        ("KZ RESULTS", None),
        # Denied Persons and Debarred Parties on the 2022 list, once read the other way:
        ("AZUR AIR", ORGANISATION),
        ("DATASAAB CONTRACTING AB", ORGANISATION),
        ("GLOBE COMPUTERS", ORGANISATION),
        ("Hong Wei Xian", PERSON),  # a given name, not the city of Xi'an
        # Companies the name pattern took for persons, from the 2022 to 2025 lists:
        ("AGCU Scientech", ORGANISATION),
        ("HWA Create", None),  # an initialism: no person, and no evidence of a company
        ("Cybernet MEA", None),
        ("Adimir OU", ORGANISATION),  # Estonian OÜ
        ("Nerpa Shipyard", ORGANISATION),
        ("Skymount Drones", ORGANISATION),
        ("Piro Deniz Motorlari", ORGANISATION),
        ("Ucuzler Lojistik Gida Teksti", ORGANISATION),
        ("Sergey IONOV", PERSON),  # a surname in capitals, not an initialism
        # From a trial on the whole list: initials with dots, a capital Y, a dash
        ("M.R. Ahmadi", PERSON),  # by the name's pattern: M.R. is no "Mr"
        ("T.V. Joe Ouseppachan", PERSON),
        ("AGRICOLA BOREAL S.P.R. DE R.L.", None),  # dotted capitals in capitals: a legal form
        ("Rostekh \u2013 Azimuth", None),  # two names of one body, joined by a dash
        # Companies of the Entity List and the Unverified List, once read as persons:
        ("Sahab Phase", ORGANISATION),
        ("Nouvelle Option", ORGANISATION),
    ],
)
def test_kind_from_the_name(name: str, kind: str | None) -> None:
    found = classify({"name": name})
    assert (found.kind if found else None) == kind


@pytest.mark.parametrize(
    ("list_name", "kind"),
    [
        (EL, None),  # the Entity List writes a person's name in mixed case: "Ma Yunong"
        ("Denied Persons List (DPL) - Bureau of Industry and Security", PERSON),  # all capitals
        ("", PERSON),  # a list we know nothing of: the name's pattern alone
    ],
)
def test_a_name_in_capitals_is_read_as_its_list_writes_names(
    list_name: str, kind: str | None
) -> None:
    for name in ("MPI VOLNA", "ABDUL MAJID SAIDI"):
        found = classify({"name": name, "source": list_name})
        assert (found.kind if found else None) == kind, (name, list_name)
    assert classify({"name": "Ma Yunong", "source": EL}).kind == PERSON  # type: ignore[union-attr]


def test_the_evidence_counts_every_name_word() -> None:
    ahmadi = classify({"name": "M.R. Ahmadi"})
    assert ahmadi is not None and ahmadi.method == "person-name-pattern"
    shillin = classify({"name": "Vyacheslav Y Shillin"})  # Y an initial, not Spanish "y"
    assert shillin is not None and "is three name-like words" in shillin.evidence
    garcia = classify({"name": "Juan Garcia y Lopez"})
    assert garcia is not None and "is three name-like words" in garcia.evidence


def test_person_facts_and_typed_elsewhere() -> None:
    assert classify({"name": "APEX", "dates_of_birth": "1950"}).kind == PERSON  # type: ignore[union-attr]
    typed = typed_names([{"name": "KHAN, Abdul Qadeer", "type": "Individual", "alt_names": ""}])
    found = classify({"name": "Abdul Qadeer Khan"}, typed)
    assert found is not None and (found.kind, found.method) == (PERSON, TYPED_ELSEWHERE)
    both = typed_names([{"name": "Apex", "type": "Individual"}, {"name": "APEX", "type": "Entity"}])
    assert classify({"name": "APEX"}, both) is None


def row(name: str, list_name: str = EL, kind: str = "") -> Row:
    fields = dict.fromkeys(["_id", "source", "type", "name"], "")
    fields.update(source=list_name, type=kind, name=name, start_date="2020-01-01")
    return Row("test.csv", 1, fields)


def test_untyped_rows_are_typed_only_from_evidence() -> None:
    from kg.sources.csl_read import COLUMNS

    rows = []
    for name, kind, list_name in [
        ("Ma Yunong", "", EL),
        ("APEX", "", EL),
        ("Sky Co., Ltd.", "", EL),
    ]:
        r = row(name, list_name, kind)
        r.fields.update({c: r.fields.get(c, "") for c in COLUMNS})
        rows.append(r)
    mapped = map_rows(rows, DEFAULT_BASE)
    person = ox.NamedNode(entity("person", "Ma Yunong"))
    party = ox.NamedNode(entity("party", "APEX"))
    org = ox.NamedNode(entity("org", "Sky Co., Ltd."))
    assert ox.Triple(party, RDF_TYPE, ox.NamedNode(str(ELKG.Party))) in mapped.triples
    assert not any(t.subject == party and t.predicate == RDF_TYPE for t in mapped.inferred)
    # An inferred kind is not the list's statement: it is in the graph of inferred kinds.
    for subject, ours, schema in [
        (person, ELKG.Person, SCHEMA.Person),
        (org, ELKG.Organization, SCHEMA.Organization),
    ]:
        for cls in (ours, schema):
            triple = ox.Triple(subject, RDF_TYPE, ox.NamedNode(str(cls)))
            assert triple in mapped.inferred and triple not in mapped.triples
    assert mapped.inferences[person.value].method == PERSON_NAME
    records = {
        str(t.subject) for t in mapped.inferred if t.predicate.value == str(ELKG.classifiedParty)
    }
    assert len(records) == 2


@pytest.fixture(scope="module")
def full() -> Mapped:
    return map_rows(read_csl(FULL).rows, DEFAULT_BASE)


def test_the_whole_list(full: Mapped) -> None:
    """No untyped row is an organisation without evidence; the named people are persons."""
    organisation = ox.NamedNode(str(ELKG.Organization))
    typed_org = {
        t.subject.value for t in full.triples if t == ox.Triple(t.subject, RDF_TYPE, organisation)
    }
    for name in ("Aaron De Leon", "Ma Yunong", "Abdul Qadeer Khan"):
        assert entity("person", name) in full.inferences
        assert entity("org", name) not in typed_org
    counts = {kind: 0 for kind in (PERSON, ORGANISATION)}
    for inference in full.inferences.values():
        counts[inference.kind] += 1
    assert counts[PERSON] > 1000 and counts[ORGANISATION] > 1500


def test_denied_and_debarred_parties(full: Mapped) -> None:
    """DPL and DTC rows are untyped: a person is a person by evidence, and the organisations
    among them (airlines, companies) are organisations."""
    people = {"Aaron De Leon", "ADRIAN JESUS REYNA", "Hong Wei Xian", "Wei Sun"}
    companies = {"AZUR AIR", "DATASAAB CONTRACTING AB", "AL NASER AIRLINES", "Bet-Air, Inc."}
    for name in people:
        assert full.inferences[entity("person", name)].kind == PERSON, name
    for name in companies:
        assert full.inferences[entity("org", name)].kind == ORGANISATION, name


def test_measured_on_sdn() -> None:
    """With the type hidden, SDN rows are classified with the precision we report."""
    with gzip.open(FULL, "rt", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    confusion = evaluate(rows, name_only=True)
    person_given = sum(c[PERSON] for c in confusion.values())
    org_given = sum(c[ORGANISATION] for c in confusion.values())
    assert confusion[PERSON][PERSON] / person_given > 0.955  # 0.941 before Bulgarian "EOOD" & c.
    assert confusion[ORGANISATION][ORGANISATION] / org_given > 0.99
    assert confusion[PERSON][UNKNOWN] + confusion[ORGANISATION][UNKNOWN] < 0.05 * sum(
        sum(c.values()) for c in confusion.values()
    )
