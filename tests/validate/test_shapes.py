"""Each kind of SHACL constraint catches its broken-data case, with its message and location."""

from pathlib import Path

import pytest

from conftest import FIXTURES, copy_tree
from kg.build import check
from kg.config import Settings
from kg.validate.report import Report

BASE = "https://w3id.org/entitylist-kg/id/"


def validate_edited(tmp_path: Path, old: str, new: str) -> Report:
    """Validate the minimal fixture with one line replaced."""
    data = copy_tree(FIXTURES / "minimal", tmp_path / "data")
    facts = data / "sources" / "test" / "facts.ttl"
    text = facts.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"the fixture must hold {old!r} exactly once"
    facts.write_text(text.replace(old, new), encoding="utf-8")
    _, _, report = check(Settings(data_dir=data))
    return report


def test_minimal_fixture_conforms(tmp_path: Path) -> None:
    report = validate_edited(tmp_path, "<org/acme> schema:name", "<org/acme> schema:name")
    assert report.conforms, report.describe()


CASES = [
    # (what is broken, line replaced, replacement, focus node, expected message)
    (
        "previous name on an amendment only",
        '<action/addition> elkg:announcementDate "2019-10-07"^^xsd:date .',
        '<action/addition> elkg:announcementDate "2019-10-07"^^xsd:date ; '
        'elkg:previousName "Acme Old" .',
        "action/addition",
        "Only an amendment",
    ),
    (
        "previous name, once and as text",
        "<action/addition> a elkg:Addition .",
        "<action/addition> a elkg:Addition, elkg:Amendment . "
        '<action/addition> elkg:previousName "Acme Old", "Acme Older"@en .',
        "action/addition",
        "at most one elkg:previousName",
    ),
    (
        "a value change, part of an amendment, with values",
        "<action/addition> a elkg:Addition .",
        "<action/addition> a elkg:Addition, elkg:Amendment ; elkg:valueChange <action/addition#x> . "
        "<action/addition#x> a elkg:ValueChange ; elkg:changedValueOf elkg:address .",
        "action/addition#x",
        "removes or adds at least one value",
    ),
    (
        "a value change of one amendment",
        "<action/addition> a elkg:Addition .",
        "<action/addition> a elkg:Addition . <action/addition#x> a elkg:ValueChange ; "
        'elkg:changedValueOf elkg:address ; elkg:valueAdded "1 Road" .',
        "action/addition#x",
        "belongs to exactly one amendment",
    ),
    (
        "min count",
        '<org/acme> schema:name "Acme" .',
        "",
        "org/acme",
        "An organisation needs at least one schema:name",
    ),
    (
        "schema.org type",
        "<org/acme> a schema:Organization .",
        "",
        "org/acme",
        "also be typed schema:Organization",
    ),
    (
        "country pattern",
        '<org/acme> elkg:country "CN" .',
        '<org/acme> elkg:country "China" .',
        "org/acme",
        "ISO 3166-1 alpha-2",
    ),
    (
        "citation pattern",
        '"84 FR 54002" .',
        '"84 F.R. 54002" .',
        "rule/84-fr-54002",
        'of the form "84 FR 54002"',
    ),
    (
        "document number pattern",
        '"2019-22210" .',
        '"2019/22210" .',
        "rule/84-fr-54002",
        "Federal Register document number",
    ),
    (
        "date datatype",
        'elkg:startDate "2019-10-09"^^xsd:date .',
        'elkg:startDate "9 Oct 2019" .',
        "listing/acme",
        "at most one elkg:startDate, an xsd:date",
    ),
    (
        "max count",
        "elkg:stance elkg:Supports .",
        "elkg:stance elkg:Supports, elkg:Opposes .",
        "statement/s",
        "exactly one elkg:stance",
    ),
    (
        "enumeration",
        "elkg:licenceReviewPolicy elkg:PresumptionOfDenial .",
        "elkg:licenceReviewPolicy elkg:Maybe .",
        "listing/acme",
        "must be one of elkg:PresumptionOfDenial",
    ),
    (
        "value class",
        "elkg:onList <list/entity-list> .",
        "elkg:onList <org/acme> .",
        "listing/acme",
        "exactly one elkg:ScreeningList",
    ),
    (
        "language tag",
        'elkg:text "Words."@en .',
        'elkg:text "Words." .',
        "statement/s",
        "with a language tag",
    ),
    (
        "unique language",
        'skos:prefLabel "Reason"@en .',
        'skos:prefLabel "Reason"@en, "Motive"@en .',
        "rationale/r",
        "one per language",
    ),
    (
        "currency pattern",
        'elkg:currency "USD" .',
        'elkg:currency "dollars" .',
        "valuation/acme",
        "ISO 4217",
    ),
    (
        "positive amount",
        'elkg:amount "10"^^xsd:decimal .',
        'elkg:amount "-10"^^xsd:decimal .',
        "valuation/acme",
        "a positive xsd:decimal",
    ),
    (
        "Wikidata link",
        "<http://www.wikidata.org/entity/Q1> .",
        "<http://example.org/Q1> .",
        "org/acme",
        "must be a Wikidata entity IRI",
    ),
    (
        "listing ends before it starts",
        "<listing/acme> a elkg:Listing .",
        '<listing/acme> a elkg:Listing ; elkg:endDate "2018-01-01"^^xsd:date .',
        "listing/acme",
        "A listing cannot end (2018-01-01) before it starts (2019-10-09)",
    ),
    (
        "statement without source",
        "<statement/s> dcterms:source <source/test> .",
        "",
        "statement/s",
        "A statement must have a source",
    ),
    (
        "statement with a source we do not hold",
        "<statement/s> dcterms:source <source/test> .",
        "<statement/s> dcterms:source <source/elsewhere> .",
        "statement/s",
        "A statement must have a source",
    ),
    (
        "speaker without that post",
        "<person/p> elkg:holdsPost <post/p> .",
        "",
        "statement/s",
        "The speaker does not hold the post",
    ),
    (
        "removal of a listing that does not exist",
        "<action/addition> a elkg:Addition .",
        "<action/addition> a elkg:Addition .\n<action/removal> a elkg:Removal ; "
        "elkg:madeBy <rule/84-fr-54002> ; elkg:affectsListing <listing/none> .",
        "action/removal",
        "A removal must concern an existing listing",
    ),
    (
        "removal before the listing starts",
        "<action/addition> a elkg:Addition .",
        "<action/addition> a elkg:Addition .\n<action/removal> a elkg:Removal ; "
        "elkg:madeBy <rule/84-fr-54002> ; elkg:affectsListing <listing/acme> ; "
        'elkg:effectiveDate "2019-01-01"^^xsd:date .',
        "action/removal",
        "starts (2019-10-09) after the removal takes effect (2019-01-01)",
    ),
    (
        "citation against volume and page",
        "elkg:frPage 54002 .",
        "elkg:frPage 54003 .",
        "rule/84-fr-54002",
        "does not match the volume (84) and page (54003)",
    ),
    (
        "organisation hierarchy cycle",
        "<org/parent> a elkg:GovernmentBody",
        "<org/parent> elkg:subOrganizationOf <org/acme> .\n<org/parent> a elkg:GovernmentBody",
        "org/acme",
        "cannot be a sub-organisation of itself",
    ),
    (
        "event order",
        '<event/talks> elkg:date "2019-10-10"^^xsd:date .',
        '<event/talks> elkg:date "2019-10-01"^^xsd:date .',
        "event/announcement",
        "cannot precede",
    ),
    (
        "announced after publication",
        'elkg:announcementDate "2019-10-07"^^xsd:date .',
        'elkg:announcementDate "2019-10-11"^^xsd:date .',
        "action/addition",
        "cannot be published (2019-10-09) before it was announced (2019-10-11)",
    ),
]


@pytest.mark.parametrize(
    ("kind", "old", "new", "focus", "message"), CASES, ids=[case[0] for case in CASES]
)
def test_constraint_catches_broken_data(
    tmp_path: Path, kind: str, old: str, new: str, focus: str, message: str
) -> None:
    report = validate_edited(tmp_path, old, new)
    assert not report.conforms
    matching = [v for v in report.violations if message in v.message]
    assert matching, f"{kind}: no violation says {message!r}:\n{report.describe()}"
    assert any(v.focus == BASE + focus for v in matching), report.describe()


def test_blank_nodes_are_refused(tmp_path: Path) -> None:
    report = validate_edited(
        tmp_path,
        "<statement/s> a elkg:Statement .",
        "<statement/s> a elkg:Statement .\n[] a elkg:Statement .",
    )
    assert any("must be named by an IRI, not a blank node" in v.message for v in report.violations)


def test_violations_point_at_the_source_line(tmp_path: Path) -> None:
    report = validate_edited(
        tmp_path, '<org/acme> elkg:country "CN" .', '<org/acme> elkg:country "cn" .'
    )
    (violation,) = [v for v in report.violations if "ISO 3166" in v.message]
    path, line = violation.location.rsplit(":", 1)
    assert path.endswith("sources/test/facts.ttl")
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    assert lines[int(line) - 1] == '<org/acme> elkg:country "cn" .'
    assert violation.path == "https://w3id.org/entitylist-kg/ontology#country"
    assert violation.value == '"cn"'


def test_wrong_datatype_shows_in_the_value(tmp_path: Path) -> None:
    report = validate_edited(
        tmp_path,
        '<event/talks> elkg:date "2019-10-10"^^xsd:date .',
        '<event/talks> elkg:date "2019-10-10" .',
    )
    (violation,) = report.violations
    assert violation.value == '"2019-10-10"'
    assert violation.path.endswith("#date")
